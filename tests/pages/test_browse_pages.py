"""Home, themes, theme, measure, department and document pages, and the measure list exports."""

import csv
import io

import pytest
from django.core.paginator import Paginator
from django.urls import reverse
from openpyxl import load_workbook

from measures.browse_selectors import corpus_frequencies, forget_frequencies, similar_provisions, theme_measures
from tests.pages.factories import make_document, make_measure, make_theme, make_three_regions

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_frequencies():
    # The estimate is cached per process by the highest measure id, which SQLite reuses between tests.
    forget_frequencies()
    yield
    forget_frequencies()


@pytest.fixture
def data():
    theme = make_theme()
    return theme, make_three_regions(theme)


def test_home_matrix_chart_and_numbers(client, data, search_ready, django_assert_max_num_queries):
    # themes (their counts from the index), regions, matrix counts, recent, 3 numbers, yearly chart; pending
    # changes (read before searching in tests, where no background applier runs)
    with django_assert_max_num_queries(9):
        response = client.get(reverse("measures:home"))
    html = response.content.decode()
    assert '<html lang="zh-CN">' in html
    assert "?domain=talent&amp;region=%E6%B7%B1%E5%9C%B3%E5%B8%82" in html  # 深圳市 cell links to the list
    assert 'class="heat-5"' in html and "<svg" in html
    assert response.context["numbers"]["measures"] == 6


def test_theme_pages(client, data, search_ready, django_assert_max_num_queries):
    with django_assert_max_num_queries(2):  # the themes; their counts from the index (+ pending changes in tests)
        assert client.get(reverse("measures:themes")).status_code == 200
    # theme with its parent, sub-themes with counts, the regions' order (the counts per region and the page's
    # ids from the index, as the sub-themes' counts), page rows + 2 prefetches; a read of pending changes per
    # search (in tests only)
    with django_assert_max_num_queries(11):
        response = client.get(reverse("measures:theme", args=["talent"]))
    regions = [measure.document.region.name for measure in response.context["page"]]
    assert regions == sorted(regions, key=regions.index)  # grouped: each region in one run
    assert response.context["page"].paginator.count == 6


def test_theme_page_pages_in_order(client, data):
    theme, measures = data
    make_measure(measures["深圳市"][0].document, "不在该主题", "无关措施。")  # not counted
    everything = [m.pk for m in client.get(reverse("measures:theme", args=["talent"])).context["page"]]
    paged = []
    for number in (1, 2, 3):
        page = Paginator(theme_measures(theme=theme), 2).get_page(number)
        assert page.paginator.count == 6 and page.paginator.num_pages == 3
        paged += [m.pk for m in page]
    assert paged == everything


def test_measure_page(client, data, search_ready, django_assert_num_queries):
    measure = data[1]["深圳市"][0]
    corpus_frequencies()  # read once per process and corpus (see test_compare_page)
    # measure + 2 prefetches, neighbours, latest measure id (frequency cache key), candidates' rows (their ids
    # from the index), pending changes (read before searching where no background applier runs: in tests)
    with django_assert_num_queries(7):
        response = client.get(measure.get_absolute_url())
    html = response.content.decode()
    assert "《深圳市人才措施》（深府〔2022〕1号）第（一）项" in html
    assert reverse("measures:department", args=[measure.department_links.first().organization_id]) in html
    similar = response.context["similar"]
    assert similar and similar[0][0].title in {"加强人才培训", "完善人才培训体系"}
    assert all(other.document.region.name != "深圳市" for other, _ in similar)
    assert response.context["next"].title == "引进海外高层次人才" and response.context["previous"] is None


def test_similar_provisions_come_from_the_index_and_skip_the_own_region(data):
    theme, measures = data
    housing = measures["深圳市"][1]  # 引进海外高层次人才: only Guangzhou has a housing measure
    other_theme = make_document(region="佛山市", title="佛山市住房措施")
    # No shared theme: found anyway, the full-text index does not care about classification.
    make_measure(other_theme, "人才住房保障", "对海外高层次人才给予住房补贴。")
    same_region = make_document(region="深圳市", title="深圳市另一文件")
    make_measure(same_region, "引进海外高层次人才", "对引进的海外高层次人才给予住房补贴和落户便利。", theme=theme)
    similar = similar_provisions(measure=housing)
    titles = [other.title for other, _ in similar]
    assert titles[:2] == ["落实人才住房政策", "人才住房保障"] or titles[:2] == ["人才住房保障", "落实人才住房政策"]
    assert all(other.document.region.name != "深圳市" for other, _ in similar)
    scores = [score for _, score in similar]
    assert scores == sorted(scores, reverse=True) and 0 < scores[-1] <= scores[0] <= 1


def test_similar_provisions_without_shared_terms_is_empty(data):
    lonely = make_measure(make_document(region="珠海市"), "口岸通关", "优化口岸通关流程。")
    assert similar_provisions(measure=lonely) == []


def test_department_page(client, data, django_assert_num_queries):
    organization = data[1]["深圳市"][0].department_links.first().organization
    with django_assert_num_queries(4):  # organization, count, page, role totals
        response = client.get(reverse("measures:department", args=[organization.pk]))
    assert response.context["groups"][0]["label"] == "牵头"
    assert "培养跨境电商人才" in response.content.decode()


def test_document_list_filters_and_sort(client, data, django_assert_num_queries):
    make_document(region="广州市", year=2010, title="旧文件", valid_until="2011-01-01")
    with django_assert_num_queries(4):  # count, page, form: region and issuer choices
        response = client.get(reverse("documents:list"), {"status": "expired", "sort": "title"})
    assert [d.title for d in response.context["page"]] == ["旧文件"]
    response = client.get(reverse("documents:list"), {"region": "广东省", "year_min": 2011, "year_max": 2013})
    assert [d.title for d in response.context["page"]] == ["广东省人才意见"]
    response = client.get(reverse("documents:list"), {"year_min": "abc"})
    assert "筛选条件无效" in response.content.decode()


def test_document_detail(client, data, django_assert_num_queries):
    document = data[1]["深圳市"][0].document
    with django_assert_num_queries(9):  # document, co-issuers, measures + 2, citations, cited by, articles, chronicle
        response = client.get(document.get_absolute_url())
    html = response.content.decode()
    assert 'id="m1"' in html and "深府〔2022〕1号" in html and "全文" in html


def test_measure_exports(client, data, django_assert_num_queries):
    response = client.get(reverse("measures:export_csv"), {"region": "深圳市"})
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert rows[0][:5] == ["措施ID", "地区", "年份", "文件", "文号"]
    assert len(rows) == 4 and rows[1][4] == "深府〔2022〕1号" and rows[1][-1].startswith("http://testserver/measures/")
    assert rows[0][5] == "效力" and rows[1][5] == "有效期未知"
    assert rows[0][9:12] == ["政策领域", "政策工具", "牵头部门"]
    assert rows[1][9] == "人才培养" and rows[1][10] == "" and "深圳市教育局" in rows[1][11]
    response = client.get(reverse("measures:export_xlsx"), {"theme": "talent"})
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    assert sheet.max_row == 7
    assert client.get(reverse("measures:export_csv"), {"year": "x"}).status_code == 400


def test_csv_export_defuses_formulas(client, db):
    document = make_document(title="=cmd|' /C calc'!A0")
    make_measure(document, "标题", "正文", theme=make_theme())
    body = b"".join(client.get(reverse("measures:export_csv")).streaming_content).decode("utf-8-sig")
    assert "'=cmd" in body


def test_the_document_page_says_where_its_values_came_from(db, client):
    from documents.ingest import parse_text
    from documents.services import document_ingest

    text = "国务院关于促进就业的意见\n国发〔2018〕39号\n（一）稳定岗位。内容。\n（二）支持创业。内容。\n国务院\n2018年11月16日"
    document = document_ingest(parsed=parse_text(text), source_name="jiuye.txt").document
    page = client.get(document.get_absolute_url()).content.decode()
    assert "全国（国家）" in page
    assert "由发文机关“国务院”推定" in page
    assert "取自落款" in page


@pytest.mark.parametrize(
    "query",
    ["year_min=1e10", "year_max=-99999", "document=9999999999999999999999999", "year_min=2020&year_max=2010"],
)
def test_out_of_range_filters_are_explained_not_failed(db, client, query):
    page = client.get(f"/measures/?{query}")
    assert page.status_code == 200
    assert "筛选条件无效" in page.content.decode()
    api = client.get(f"/api/measures/?{query}")
    assert api.status_code == 400
