"""The five seed documents become exact records (on whichever database the suite runs)."""

from __future__ import annotations

import datetime as dt

import pytest

from documents.models import Citation, Document, Organization
from measures.models import Measure, MeasureDepartment, MeasureTheme

pytestmark = pytest.mark.django_db

SEED_000 = "000_55caf7c8ee19f35e.txt"
SEED_001 = "001_50d1ea506c6b7cb2.txt"
SEED_002 = "002_3c56c2009a91f803.txt"
SEED_003 = "003_3c141879d7d9639f.txt"
SEED_004 = "004_714c60ee5c0e1a70.txt"


def doc(source_name: str) -> Document:
    return Document.objects.get(source_name=source_name)


def departments(source_name: str, number: str) -> list[tuple[str, str]]:
    measure = Measure.objects.get(document__source_name=source_name, number=number)
    return [(link.organization.name, link.role) for link in measure.department_links.order_by("position")]


@pytest.mark.parametrize(
    ("source", "count", "first", "last"),
    [
        (SEED_000, 24, "支持电子商务平台规模化", "加大宣传推广力度"),
        (SEED_001, 28, "指导思想", "完善配套措施"),
        (SEED_002, 29, "加快培育电子商务集聚区", "优化用地支持"),
        (SEED_003, 23, "加强平台企业培育引进", "加强资金支持"),
    ],
)
def test_measure_counts_and_titles(seed, source, count, first, last):
    measures = list(Measure.objects.filter(document__source_name=source).order_by("ordinal"))
    assert len(measures) == count
    assert [m.ordinal for m in measures] == list(range(1, count + 1))
    assert measures[0].title == first
    assert measures[-1].title == last


def test_document_metadata(seed):
    shenzhen_2013 = doc(SEED_000)
    assert shenzhen_2013.region.name == "深圳市"
    assert shenzhen_2013.region.parent.name == "广东省"
    assert shenzhen_2013.issue_date == dt.date(2013, 12, 27)
    assert shenzhen_2013.valid_until == dt.date(2018, 12, 26)
    assert shenzhen_2013.issuer.name == "深圳市人民政府"
    assert shenzhen_2013.doc_type == Document.DocType.MEASURES

    guangdong = doc(SEED_001)
    assert guangdong.title == "广东省人民政府办公厅关于加快发展电子商务的意见"
    assert guangdong.doc_number == "粤府办〔2012〕131号"
    assert guangdong.issue_date == dt.date(2012, 12, 25)
    assert guangdong.doc_type == Document.DocType.OPINION

    guangzhou = doc(SEED_002)
    assert guangzhou.doc_number == "穗府办函〔2019〕2号"
    assert guangzhou.issue_date == dt.date(2019, 1, 2)
    assert guangzhou.valid_until == dt.date(2022, 12, 31)
    assert guangzhou.issuer.name == "广州市人民政府办公厅"
    assert guangzhou.source_url.startswith("http://www.gz.gov.cn/")

    shenzhen_2022 = doc(SEED_003)
    assert shenzhen_2022.year == 2022
    assert shenzhen_2022.issue_date is None
    assert shenzhen_2022.issuer.name == "深圳市商务局"
    assert shenzhen_2022.doc_type == Document.DocType.PLAN


def test_validity_clauses_are_not_measures(seed):
    assert not Measure.objects.filter(text__contains="有效期").filter(title__contains="措施自发布").exists()
    assert "有效期" in doc(SEED_000).validity_clause
    assert "2022" in doc(SEED_002).validity_clause
    assert doc(SEED_000).status(dt.date(2026, 11, 24)) == Document.Status.EXPIRED
    assert doc(SEED_000).status(dt.date(2015, 1, 1)) == Document.Status.IN_FORCE


def test_general_requirements_of_001(seed):
    kinds = dict(Measure.objects.filter(document__source_name=SEED_001).values_list("number", "kind"))
    assert kinds["（一）"] == Measure.Kind.GENERAL
    assert kinds["（二）"] == Measure.Kind.GENERAL
    assert kinds["（三）"] == Measure.Kind.MEASURE


def test_departments_of_002_item_1(seed):
    assert departments(SEED_002, "（一）") == [
        ("广州市商务委", "lead"),
        ("广州市各区政府", "lead"),
        ("广州市发展改革委", "cooperate"),
        ("广州市工业和信息化委", "cooperate"),
        ("广州市科技创新委", "cooperate"),
        ("广州市财政局", "cooperate"),
        ("广州市国土规划委", "cooperate"),
        ("广州市金融局", "cooperate"),
    ]
    measure = Measure.objects.get(document__source_name=SEED_002, number="（一）")
    assert "牵头" not in measure.text and "配合" not in measure.text


def test_departments_of_003_item_7(seed):
    assert departments(SEED_003, "（七）") == [("深圳海关", "responsible")]
    first = Measure.objects.get(document__source_name=SEED_003, number="（一）")
    links = list(first.department_links.order_by("position"))
    assert [(link.organization.name, link.role) for link in links] == [
        ("深圳市商务局", "responsible"),
        ("深圳市各区政府", "responsible"),
    ]
    assert links[1].note == "含大鹏新区、深汕特别合作区，下同"


def test_department_kinds_and_aliases(seed):
    assert Organization.objects.get(name="广州海关").kind == Organization.Kind.CUSTOMS
    assert Organization.objects.get(name="广州市各区政府").kind == Organization.Kind.DISTRICT_GOVERNMENTS
    assert Organization.objects.get(name="中国人民银行广州分行").kind == Organization.Kind.BANK
    commerce = Organization.objects.get(name="广州市商务委")
    assert commerce.aliases.filter(name="市商务委", region__name="广州市").exists()
    # Shenzhen's 市商务局 and Guangzhou's bodies stay apart.
    assert Organization.objects.get(name="深圳市商务局").region.name == "深圳市"


def test_measure_with_several_parentheses_gets_the_union(seed):
    roles = departments(SEED_002, "（三）")
    names = [name for name, _ in roles]
    assert ("广州市发展改革委", "lead") in roles
    assert ("黄埔海关", "cooperate") in roles
    assert ("广州市农业局", "cooperate") in roles
    assert len(names) == len(set(zip(names, [r for _, r in roles], strict=True)))


def test_citation_from_000_resolves_to_001(seed):
    citation = Citation.objects.get(citing=doc(SEED_000), cited_doc_number="粤府办〔2012〕131号")
    assert citation.cited == doc(SEED_001)
    assert citation.cited_title == "广东省人民政府办公厅关于加快发展电子商务的意见"
    unresolved = Citation.objects.get(citing=doc(SEED_000), cited_doc_number="国发〔2013〕32号")
    assert unresolved.cited is None


def test_periodical(seed):
    periodical = doc(SEED_004)
    assert periodical.doc_type == Document.DocType.PERIODICAL
    assert periodical.issue_date == dt.date(2017, 1, 31)
    assert periodical.measures.count() == 0
    assert periodical.articles.count() == 9
    entries = list(periodical.chronicle_entries.order_by("ordinal"))
    assert len(entries) == 20
    assert entries[0].date == dt.date(2016, 1, 6)
    cited = set(periodical.citations.values_list("cited_title", flat=True))
    assert "深圳市深入推进“互联网＋流通”行动计划实施方案" in cited


def test_every_measure_has_a_domain_and_at_most_three_instruments(seed):
    for measure in Measure.objects.prefetch_related("theme_links__theme"):
        active = [link.theme for link in measure.theme_links.all() if link.active]
        leaves = [t for t in active if t.facet == "domain" and not any(o.parent_id == t.pk for o in active)]
        assert 1 <= len(leaves) <= 2, measure  # the seeds all speak of their field; ancestors come along
        assert sum(1 for t in active if t.facet == "instrument") <= 3, measure
    assert MeasureTheme.objects.filter(source=MeasureTheme.Source.MANUAL).count() == 0


def test_clean_measure_text(seed):
    for measure in Measure.objects.all():
        assert "**" not in measure.text and "#" not in measure.text, measure
        assert "公开属性" not in measure.text and "抄送" not in measure.text, measure
        assert measure.title and not measure.title.endswith("。"), measure
    assert MeasureDepartment.objects.filter(organization__name__startswith="工业").count() == 0


def test_reclassifying_from_stored_tokens_agrees_with_the_import(seed):
    from measures.services import measures_classify

    # The import classifies from freshly segmented text, classify_measures from the stored tokens.
    assert measures_classify() == 0
