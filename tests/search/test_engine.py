"""Search through the index, held against the database (tests/search/oracle.py) on whichever database the
suite runs on: exact totals and facets, every page, relevance rules, odd input."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from documents.models import Document
from measures.models import Measure, MeasureTheme, Synonym, Theme
from measures.selectors import measure_search
from search import engine

from . import oracle

pytestmark = pytest.mark.django_db


def titles(query: str, **filters) -> list[str]:
    return [m.title for m in measure_search(query=query, filters=filters, facets=False).results[:10]]


def ids(result) -> list[int]:
    return list(result.results.ids)


FILTERS = [
    {},
    {"region": "深圳市"},
    {"region": "深圳市,广州市"},
    {"theme": "cross_border"},
    {"domain": "commerce"},
    {"instrument": "talent"},
    {"theme": "talent", "year_min": "2020"},
    {"year": "2019"},
    {"year_min": "2013", "year_max": "2019"},
    {"in_force": "true"},
    {"doc_type": "measures", "in_force": "false"},
    {"department": "广州市商务委"},
    {"department": "广州市商务委", "role": "lead"},
    {"department": "广州市商务委", "theme": "talent"},
    {"role": "lead", "region": "广州市"},
    {"role": "responsible"},
    {"kind": "general"},
    {"region": "不存在的地区"},
    {"department": "没有这个部门"},
    {"theme": "没有这个主题"},
]
QUERIES = ["", "电子商务", "海外仓 保险", "电商 -农村", '"人才培养" 资金', "保险 OR 用地", "电商人才培养"]


def _name(value: dict) -> str:
    return ",".join(f"{k}={v}" for k, v in value.items()) or "all"


@pytest.mark.parametrize("filters", FILTERS, ids=_name)
@pytest.mark.parametrize("query", QUERIES)
def test_every_match_exactly_and_the_total_exact(seed, query, filters):
    result = measure_search(query=query, filters=filters, facets=False)
    if query:
        any_words, every_word = oracle.matching(query, filters)
    else:
        any_words = every_word = set(oracle.passing(filters).values_list("pk", flat=True))
    found = ids(result)
    assert len(found) == len(set(found)) == result.total
    assert set(found) == any_words
    assert result.total_all_words == len(every_word)
    if query and every_word:
        # every measure matching all words ranks above those matching only some
        assert set(found[: len(every_word)]) == every_word


@pytest.mark.parametrize("filters", FILTERS[:12], ids=_name)
@pytest.mark.parametrize("query", ["", "电子商务 人才"])
def test_facets_count_every_match_exactly(seed, query, filters):
    result = measure_search(query=query, filters=filters)
    want = oracle.facets(set(ids(result)))
    got = result.facets
    assert got["total"] == want["total"] == result.total
    assert dict(got["region"]) == want["region"]
    assert dict(got["year"]) == want["year"]
    assert {code: n for code, _, n in got["doc_type"]} == want["doc_type"]
    assert {code: n for code, _, n in got["theme"]} == want["theme"]
    assert {code: n for code, _, n in got["in_force"]} == want["in_force"]
    top = sorted(want["document"].items(), key=lambda item: (-item[1], item[0]))[: engine.FACET_LIMIT]
    assert sorted(n for _, _, n in got["document"]) == sorted(n for _, n in top)
    assert {pk for pk, _, _ in got["document"]} <= set(want["document"])
    for role, counts in want["roles"].items():
        assert (
            sorted(n for _, n in got["department_roles"][role])
            == sorted(counts.values(), reverse=True)[: engine.FACET_LIMIT][::-1]
            or len(counts) > engine.FACET_LIMIT
        )
        assert all(counts[name] == n for name, n in got["department_roles"][role])
    assert all(want["department"][name] == n for name, n in got["department"])


def test_a_parent_domain_counts_its_sub_domains_measures(seed):
    result = measure_search(query="")
    counts = {code: n for code, _, n, _ in result.facets["domain"]}
    for theme in Theme.objects.filter(parent__isnull=False, code__in=counts):
        assert counts[theme.parent.code] >= counts[theme.code]


def test_every_page_is_reachable_in_order(seed, client):
    result = measure_search(query="电子商务", facets=False)
    everything = ids(result)
    pages = []
    for number in range(1, (len(everything) + 19) // 20 + 1):
        page = client.get("/measures/", {"q": "电子商务", "page": number}).context["page"]
        pages += [m.pk for m in page]
    assert pages == everything


def test_best_result_first(seed):
    assert titles("海外仓")[0] == "提升海外仓发展水平"
    assert "农村电子商务" in titles("农村电商")[0]
    assert titles("税收优惠")[0] == "落实税收优惠政策"
    assert titles("知识产权")[0] == "加强电子商务领域知识产权保护"


def test_traditional_full_width_and_case_fold(seed):
    assert titles("跨境電商") == titles("跨境电商") != []
    assert titles("Ｂ２Ｃ") == titles("b2c") == titles("B2C") != []


def test_上市_does_not_match_线上市场(seed):
    found = titles("上市")
    assert found and "支持传统商贸企业发展电子商务" not in found  # its text says 线上市场, not 上市


def test_compound_words_split_wherever_they_occur(seed):
    # 人才培养 is not required as one token: the measure has 人才 and 培养 apart
    result = measure_search(query="电商人才培养", facets=False)
    top = [m.title for m in result.results[: result.total_all_words]]
    assert "壮大电子商务人才队伍" in top


def test_phrases_match_the_characters_in_order(seed):
    found = measure_search(query='"人才培养"', facets=False)
    assert found.total and all("人才培养" in m.title + m.text for m in found.results)
    # the sub-word tokens 人才 and 培养 both occur in some measures that never say 人才培养
    _, every = oracle.matching("人才 培养")
    assert found.total < len(every)
    assert measure_search(query='"培养人才电商"', facets=False).total == 0


def test_a_region_word_ranks_that_region_first_and_is_offered_as_a_filter(seed):
    result = measure_search(query="海外仓 深圳", facets=False)
    assert [region.name for region in result.regions] == ["深圳市"]
    found = list(result.results)
    regions = [m.document.region.name for m in found]
    assert regions[0] == "深圳市" and set(regions) > {"深圳市"}
    first_other = next(i for i, name in enumerate(regions) if name != "深圳市")
    assert all(name != "深圳市" for name in regions[first_other:])
    assert all("海外仓" in m.title + m.text for m in found)  # 深圳 is not required as a word


@pytest.mark.parametrize(
    "number", ["穗府办函〔2019〕2号", "穗府办函[2019]2号", "穗府办函（2019）2", "穗府办函(2019)2号"]
)
def test_a_doc_number_finds_its_document_first(seed, number):
    document = Document.objects.get(doc_number="穗府办函〔2019〕2号")
    result = measure_search(query=number, facets=False)
    assert result.documents[0] == document and result.named_documents == [document]
    assert {m.document_id for m in result.results} == {document.pk}
    assert result.total == document.measures.count()


def test_a_document_title_finds_the_document_and_its_measures_first(seed):
    document = Document.objects.get(doc_number="穗府办函〔2019〕2号")
    title = document.display_title
    result = measure_search(query=title[-16:], facets=False)
    assert result.documents[0] == document
    count = document.measures.count()
    assert {m.document_id for m in result.results[:count]} == {document.pk}


def test_the_summary_says_when_no_measure_has_every_word(seed):
    result = measure_search(query="数字人民币", facets=False)
    assert result.total > 0 and result.total_all_words == 0
    assert result.summary.startswith("没有措施同时包含全部检索词")
    full = measure_search(query="海外仓", facets=False)
    assert full.summary == f"找到 {full.total} 条措施，均包含全部检索词"


def test_partial_matches_rank_below_full_matches(seed):
    ranked = titles("海外仓 保险")
    assert ranked[0] == "优化保险服务供给"  # the one measure with both words
    assert "提升海外仓发展水平" in ranked[1:]


def test_or_exclusion_and_phrase(seed):
    assert set(titles("保险 OR 用地")) >= {"优化保险服务供给", "加强用地支持"}
    assert all("海外仓" not in m.text for m in measure_search(query="跨境电商 -海外仓", facets=False).results)


def test_synonyms_from_the_admin_table_apply_at_once(seed):
    assert "提升海外仓发展水平" not in titles("境外仓库")
    Synonym.objects.create(terms="境外仓库 = 海外仓")
    assert titles("境外仓库")[0] == "提升海外仓发展水平"
    Synonym.objects.filter(terms="境外仓库 = 海外仓").update(active=False)
    assert "提升海外仓发展水平" not in titles("境外仓库")


def test_sort_by_date(seed):
    found = list(measure_search(query="电子商务", sort="date", facets=False).results)
    keys = [(-m.document.year, m.document.issue_date or dt.date.min, m.document_id, m.ordinal) for m in found]
    years = [m.document.year for m in found]
    assert years == sorted(years, reverse=True) and len(keys) == len(found)


def test_no_query_lists_in_date_order(seed):
    found = list(measure_search(query="", filters={"region": "广州市"}, facets=False).results)
    assert [m.ordinal for m in found] == sorted(m.ordinal for m in found)


def test_in_force_is_decided_from_the_dates_when_searching(seed):
    document = Document.objects.get(doc_number="穗府办函〔2019〕2号")
    assert measure_search(query="", filters={"in_force": "true"}, facets=False).total == 0
    Document.objects.filter(pk=document.pk).update(valid_from=None, valid_until=dt.date.today() + dt.timedelta(days=1))
    assert measure_search(query="", filters={"in_force": "true"}, facets=False).total == document.measures.count()
    Document.objects.filter(pk=document.pk).update(valid_until=dt.date.today() - dt.timedelta(days=1))
    assert measure_search(query="", filters={"in_force": "true"}, facets=False).total == 0


def test_a_theme_filter_ignores_inactive_links(seed):
    query, filters = "电子商务 人才 资金", {"theme": "talent"}
    before = ids(measure_search(query=query, filters=filters, facets=False))
    link = MeasureTheme.objects.filter(measure_id__in=before, theme__code="talent").first()
    MeasureTheme.objects.filter(pk=link.pk).update(active=False)  # as an administrator rejecting it
    after = ids(measure_search(query=query, filters=filters, facets=False))
    assert link.measure_id in before and link.measure_id not in after


FUZZ = [
    "",
    " ",
    "电" * 5000,
    "！？。，、；",
    "'; DROP TABLE measures_measure; --",
    "a & b | !c <-> d:* title:x body:(y) +z",
    '"unbalanced',
    '""""',
    "NEAR(a b) OR * ^ : [1 TO 2]",
    "😀🎉 海外仓",
    "\x00\x01",
    '"\x00:2 海外仓',
    "-",
    "OR OR OR",
    "〔2019〕",
    "穗府办函〔9999〕99999号",
]


@pytest.mark.parametrize("query", FUZZ)
def test_no_input_errors(seed, query):
    result = measure_search(query=query)
    assert len(list(result.results[:20])) <= 20 and result.total >= 0


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(query=st.text(max_size=80))
def test_no_input_errors_fuzzed(seed, query):
    result = measure_search(query=query, facets=False)
    assert len(list(result.results[:20])) <= 20


def test_synonym_admin_lists_the_seeded_groups(admin_client):
    html = admin_client.get("/admin/measures/synonym/").content.decode()
    assert "电商 = 电子商务" in html and "跨境电商 = 跨境电子商务" in html


def test_similar_provisions_come_from_other_regions(seed):
    from measures.browse_selectors import similar_provisions

    measure = Measure.objects.get(title="提升海外仓发展水平")
    similar = similar_provisions(measure=measure)
    assert similar and all(m.document.region_id != measure.document.region_id for m, _ in similar)


@pytest.mark.parametrize("query", ["穗府办函[2019]2号", "推动电子商务跨越式发展"])
def test_the_documents_page_finds_a_document_by_number_or_title(seed, client, query):
    document = Document.objects.get(doc_number="穗府办函〔2019〕2号")
    page = client.get("/documents/", {"q": query}).context["page"]
    assert next(d.pk for d in page) == document.pk and 'type="search"' in client.get("/documents/").content.decode()


def test_the_documents_api_finds_a_document_by_number(seed, client):
    document = Document.objects.get(doc_number="穗府办函〔2019〕2号")
    data = client.get("/api/documents/", {"q": "穗府办函（2019）2号"}).json()
    assert [item["id"] for item in data["results"]] == [document.pk]


def test_a_query_that_is_only_a_doc_number_shows_titles_and_text(seed, client):
    html = client.get("/measures/", {"q": "穗府办函〔2019〕2号"}).content.decode()
    assert "None" not in html and "加快培育电子商务集聚区" in html
