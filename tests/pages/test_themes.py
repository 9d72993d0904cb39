"""Themes in two facets: the domain and instrument filters on every page, export and the API; old theme codes;
the themes index, theme pages with reasons, the home matrix, compare, and the themes endpoint."""

from __future__ import annotations

import csv
import io

import pytest
from django.urls import reverse

from measures.models import MeasureTheme, Theme
from measures.selectors import measure_search
from measures.themes import measure_facets, theme_by_former_code, themes_resolve
from tests.pages.factories import make_document, make_measure, make_theme

pytestmark = pytest.mark.django_db

DOMAIN, INSTRUMENT = Theme.Facet.DOMAIN, Theme.Facet.INSTRUMENT


def link(measure, theme, *, reason="", confidence=0.0, source=MeasureTheme.Source.AUTO, active=True):
    return MeasureTheme.objects.create(
        measure=measure, theme=theme, reason=reason, confidence=confidence, source=source, active=active
    )


@pytest.fixture
def themes():
    commerce = make_theme("commerce", "商贸、海关、旅游", former_codes="customs")
    return {
        "commerce": commerce,
        "cross_border": make_theme("cross_border", "跨境电子商务", parent=commerce),
        "ecommerce": make_theme("ecommerce", "电子商务", parent=commerce, former_codes="industrial payment"),
        # A current code that was once another theme's: the current one wins.
        "finance": make_theme("finance", "财政、金融、审计"),
        "subsidy": make_theme("subsidy", "财政资金补贴", facet=INSTRUMENT, former_codes="fiscal"),
        "financing": make_theme("financing", "金融与融资", facet=INSTRUMENT, former_codes="finance"),
        "platforms": make_theme("platforms", "平台与载体建设", facet=INSTRUMENT, former_codes="parks"),
    }


@pytest.fixture
def measures(themes):
    sz = make_document(region="深圳市", title="深圳市跨境电商行动方案")
    gz = make_document(region="广州市", title="广州市电子商务措施")
    warehouse = make_measure(sz, "建设海外仓", "支持企业建设海外仓，给予资金补贴。", lead="深圳市商务局")
    link(warehouse, themes["cross_border"], reason="关键词：海外仓、跨境电商", confidence=0.9)
    link(warehouse, themes["commerce"], reason="下级主题：cross_border", confidence=0.9)
    link(warehouse, themes["subsidy"], reason="关键词：资金、补贴", confidence=0.4)
    park = make_measure(gz, "建设电子商务园区", "建设电子商务示范园区与平台。")
    link(park, themes["ecommerce"], reason="关键词：电子商务；文件标题含“电子商务”", confidence=0.8)
    link(park, themes["commerce"], reason="下级主题：ecommerce", confidence=0.8)
    link(park, themes["platforms"], reason="关键词：园区、平台", confidence=0.5)
    # No domain at all: 未分类.
    platform = make_measure(gz, "搭建公共服务平台", "搭建公共服务平台。")
    link(platform, themes["platforms"], reason="关键词：平台", confidence=0.3)
    # A person's decision.
    fund = make_measure(sz, "设立专项基金", "设立专项基金。")
    link(fund, themes["finance"], source=MeasureTheme.Source.MANUAL)
    return {"warehouse": warehouse, "park": park, "platform": platform, "fund": fund}


def listed(client, params) -> list[str]:
    response = client.get(reverse("measures:list"), params)
    assert response.status_code == 200
    return sorted(measure.title for measure in response.context["page"])


def api_titles(client, params) -> list[str]:
    response = client.get("/api/measures/", params)
    assert response.status_code == 200, response.content
    return sorted(item["title"] for item in response.json()["results"])


def csv_titles(client, params) -> list[str]:
    response = client.get(reverse("measures:export_csv"), params)
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    return sorted(row[rows[0].index("标题")] for row in rows[1:])


# --- naming a theme ---------------------------------------------------------------------------------


def test_a_value_names_a_theme_by_code_then_name_then_former_code(themes):
    found = themes_resolve(["cross_border", "电子商务", "fiscal", "payment", "finance", "nothing", " parks "])
    assert {value: theme.code for value, theme in found.items()} == {
        "cross_border": "cross_border",
        "电子商务": "ecommerce",
        "fiscal": "subsidy",
        "payment": "ecommerce",
        "finance": "finance",  # a current code wins over the former code of 金融与融资
        "parks": "platforms",
    }
    assert theme_by_former_code("fiscal") == themes["subsidy"]
    assert theme_by_former_code("finance") is None  # a theme has that code now: no redirect


# --- filters: page, API, export, search ------------------------------------------------------------

ALL_WAYS = [
    ({"domain": "commerce"}, ["建设海外仓", "建设电子商务园区"]),  # a parent covers its sub-domains
    ({"domain": "cross_border"}, ["建设海外仓"]),
    ({"domain": "跨境电子商务"}, ["建设海外仓"]),  # by name
    ({"domain": "customs"}, ["建设海外仓", "建设电子商务园区"]),  # a former code
    ({"instrument": "platforms"}, ["搭建公共服务平台", "建设电子商务园区"]),
    ({"instrument": "fiscal"}, ["建设海外仓"]),
    ({"domain": "commerce", "instrument": "parks"}, ["建设电子商务园区"]),
    ({"theme": "parks"}, ["搭建公共服务平台", "建设电子商务园区"]),  # theme= keeps working, old codes too
    ({"theme": "finance"}, ["设立专项基金"]),
    ({"theme": "没有这个主题"}, []),  # as before: a theme that does not exist has no measures
]


@pytest.mark.parametrize(("params", "expected"), ALL_WAYS, ids=lambda v: str(v))
def test_theme_filters_are_the_same_on_the_page_the_api_and_the_export(client, measures, params, expected):
    expected = sorted(expected)
    assert listed(client, params) == expected
    assert api_titles(client, params) == expected
    assert csv_titles(client, params) == expected


@pytest.mark.parametrize(("params", "expected"), ALL_WAYS[:8], ids=lambda v: str(v))
def test_theme_filters_with_a_query(measures, params, expected):
    result = measure_search(query="建设 平台 海外仓 基金", filters=params, facets=False)
    assert sorted(measure.title for measure in result.results[:20]) == sorted(expected)


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"domain": "subsidy"}, "“财政资金补贴”是政策工具，不是政策领域。"),
        ({"instrument": "cross_border"}, "“跨境电子商务”是政策领域，不是政策工具。"),
        ({"domain": "没有这个领域"}, "没有名称或代码为“没有这个领域”的政策领域。"),
    ],
)
def test_an_unknown_theme_or_one_of_the_other_facet_is_invalid(client, measures, params, message):
    html = client.get(reverse("measures:list"), params).content.decode()
    assert "筛选条件无效" in html and message in html
    assert f'href="/measures/export.csv?{next(iter(params))}' not in html  # the exports drop what was ignored
    for extra in ({}, {"q": "平台"}):
        response = client.get("/api/measures/", {**params, **extra})
        assert response.status_code == 400 and response.json() == {next(iter(params)): [message]}
    response = client.get(reverse("measures:export_csv"), params)
    assert response.status_code == 400 and message in response.content.decode()


def test_facets_count_domains_as_a_tree_and_instruments_apart(measures):
    counts = measure_search(query="").facets
    assert counts["domain"] == [
        ("commerce", "商贸、海关、旅游", 2, 0),
        ("cross_border", "跨境电子商务", 1, 1),
        ("ecommerce", "电子商务", 1, 1),
        ("finance", "财政、金融、审计", 1, 0),
    ]
    assert counts["instrument"] == [("platforms", "平台与载体建设", 2), ("subsidy", "财政资金补贴", 1)]
    assert measure_search(query="", filters={"domain": "cross_border"}).facets["instrument"] == [
        ("subsidy", "财政资金补贴", 1)
    ]


def test_the_list_page_shows_both_facet_groups_and_keeps_an_old_code_selected(client, measures):
    html = client.get(reverse("measures:list"), {"instrument": "fiscal"}).content.decode()
    assert '<option value="subsidy" selected>财政资金补贴（1）</option>' in html
    assert '<label for="id_domain">政策领域</label>' in html and 'id="id_theme"' not in html
    assert "?instrument=fiscal&amp;domain=cross_border" in html  # a facet value adds its filter
    html = client.get(reverse("measures:list")).content.decode()
    assert "　└ 跨境电子商务（1）" in html  # a sub-domain under its parent
    assert '<span class="tag unclassified">未分类</span>' in html


# --- URLs and browsing ------------------------------------------------------------------------------


def test_an_old_theme_url_redirects_for_good(client, themes):
    response = client.get("/themes/fiscal/")
    assert response.status_code == 301 and response["Location"] == "/themes/subsidy/"
    assert client.get("/themes/finance/").status_code == 200  # the domain that has this code now
    assert client.get("/themes/nothing/").status_code == 404


def test_themes_index_has_both_facets_with_sub_domains_under_their_parent(client, measures):
    html = client.get(reverse("measures:themes")).content.decode()
    assert html.index('id="domain"') < html.index('id="instrument"')
    domains = html[html.index('id="domain"') : html.index('id="instrument"')]
    assert domains.index(">商贸、海关、旅游</a>") < domains.index('aria-label="商贸、海关、旅游的下级领域"')
    assert domains.index('aria-label="商贸、海关、旅游的下级领域"') < domains.index(">跨境电子商务</a>")
    assert "平台与载体建设" in html[html.index('id="instrument"') :]
    themes_by_section = {
        facet: [t.code for t, _ in groups] for facet, _, groups, _ in client.get("/themes/").context["sections"]
    }
    assert "cross_border" not in themes_by_section[DOMAIN]  # nested, not top-level


def test_theme_page_says_why_each_measure_has_the_theme(client, measures, themes):
    response = client.get(reverse("measures:theme", args=["commerce"]))
    html = response.content.decode()
    assert "依据：下级主题「跨境电子商务」，关键词 海外仓、跨境电商 · 置信度 90%" in html
    assert "依据：下级主题「电子商务」，关键词 电子商务；文件标题含“电子商务” · 置信度 80%" in html
    assert 'href="/themes/cross_border/"' in html and "下级领域" in html  # its children
    assert "?domain=commerce" in html
    html = client.get(reverse("measures:theme", args=["cross_border"])).content.decode()
    assert 'href="/themes/commerce/">商贸、海关、旅游</a>' in html  # the parent, in the breadcrumbs
    html = client.get(reverse("measures:theme", args=["finance"])).content.decode()
    assert '<p class="theme-reason">人工设定</p>' in html
    html = client.get(reverse("measures:theme", args=["platforms"])).content.decode()
    assert "依据：关键词 平台 · 置信度 30%" in html and "未分类" in html and "?instrument=platforms" in html


def test_measure_page_lists_domains_and_instruments_apart(client, measures):
    html = client.get(measures["warehouse"].get_absolute_url()).content.decode()
    domains = html[html.index("<dt>政策领域</dt>") : html.index("<dt>政策工具</dt>")]
    assert "商贸、海关、旅游 › </span>跨境电子商务</a>" in domains and "依据：关键词 海外仓、跨境电商" in domains
    assert domains.count('class="tag"') == 1  # the parent is shown with its sub-domain, not apart
    assert "财政资金补贴" in html[html.index("<dt>政策工具</dt>") :]
    html = client.get(measures["platform"].get_absolute_url()).content.decode()
    assert '<dt>政策领域</dt><dd><span class="tag unclassified">未分类</span>' in html


def test_home_matrix_rows_are_top_level_domains_or_instruments(client, measures):
    rows = [row["theme"].code for row in client.get(reverse("measures:home")).context["matrix"]]
    assert rows == ["commerce", "finance"]
    response = client.get(reverse("measures:home"), {"facet": "instrument"})
    assert [row["theme"].code for row in response.context["matrix"]] == ["platforms", "subsidy"]  # with measures
    assert "?instrument=platforms&amp;region=" in response.content.decode()


def test_compare_takes_a_domain_or_an_instrument_grouped_in_its_picker(client, measures):
    html = client.get(reverse("measures:compare"), {"theme": "fiscal", "region": "深圳市"}).content.decode()
    assert '<optgroup label="政策领域">' in html and '<optgroup label="政策工具">' in html
    assert '<option value="subsidy" selected>财政资金补贴（1）</option>' in html
    assert "建设海外仓" in html
    html = client.get(
        reverse("measures:compare"), {"theme": "commerce", "region": ["深圳市", "广州市"]}
    ).content.decode()
    assert "建设海外仓" in html and "建设电子商务园区" in html


def test_exports_have_a_domain_and_an_instrument_column(client, measures):
    response = client.get(reverse("measures:export_csv"))
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    by_title = {row[rows[0].index("标题")]: row for row in rows[1:]}
    domain, instrument = rows[0].index("政策领域"), rows[0].index("政策工具")
    assert by_title["建设海外仓"][domain] == "商贸、海关、旅游 › 跨境电子商务"
    assert by_title["建设海外仓"][instrument] == "财政资金补贴"
    assert by_title["搭建公共服务平台"][domain] == "未分类"


# --- the API ----------------------------------------------------------------------------------------


def test_api_measures_have_domains_and_instruments(client, measures):
    item = client.get("/api/measures/", {"domain": "cross_border"}).json()["results"][0]
    assert item["domains"] == ["商贸、海关、旅游", "跨境电子商务"]
    assert item["instruments"] == ["财政资金补贴"]
    assert set(item["themes"]) == {"商贸、海关、旅游", "跨境电子商务", "财政资金补贴"}


def test_api_themes_endpoint(client, measures, search_ready, django_assert_max_num_queries):
    with django_assert_max_num_queries(3):  # count, page; the counts from the index (+ pending changes in tests)
        data = client.get("/api/themes/", {"page_size": 3}).json()
    assert set(data) == {"count", "next", "previous", "results"} and data["count"] == 7 and data["next"]
    everything = {item["code"]: item for item in client.get("/api/themes/").json()["results"]}
    assert everything["cross_border"] == {
        "code": "cross_border",
        "name": "跨境电子商务",
        "facet": "domain",
        "parent": "commerce",
        "former_codes": [],
        "description": "",
        "measure_count": 1,
    }
    assert everything["commerce"]["measure_count"] == 2 and everything["commerce"]["parent"] is None
    assert everything["subsidy"]["former_codes"] == ["fiscal"]
    instruments = client.get("/api/themes/", {"facet": "instrument"}).json()["results"]
    assert {item["code"] for item in instruments} == {"subsidy", "financing", "platforms"}
    children = client.get("/api/themes/", {"parent": "commerce"}).json()["results"]
    assert {item["code"] for item in children} == {"cross_border", "ecommerce"}
    assert client.get("/api/themes/fiscal/").json()["code"] == "subsidy"  # an old code finds its theme
    assert client.get("/api/themes/nothing/").status_code == 404


def test_measure_facets_keep_the_most_specific_domains(measures):
    links = list(measures["warehouse"].theme_links.select_related("theme", "theme__parent"))
    facets = measure_facets(links)
    assert [link.theme.code for link in facets.domains] == ["cross_border"]
    assert [link.theme.code for link in facets.all_domains] == ["commerce", "cross_border"]
    assert [link.theme.code for link in facets.instruments] == ["subsidy"]
    assert facets.primary.code == "cross_border" and not facets.unclassified


def test_list_page_queries_with_theme_filters(client, measures, django_assert_max_num_queries):
    # the themes named, looked up together (for the form's selects and by the filters); the facets' labels,
    # the page's rows with their themes and departments, the department filter's options, pending changes
    from search.applier import apply_pending

    apply_pending()
    with django_assert_max_num_queries(12):
        client.get(reverse("measures:list"), {"domain": "commerce", "instrument": "fiscal"})


def test_old_codes_redirect_on_a_fresh_database_too(db, client):
    from measures.services import themes_ensure

    themes_ensure()
    response = client.get("/themes/fiscal/")
    assert response.status_code == 301 and response["Location"].endswith("/themes/subsidy/")
