"""Whole-file tests: each policy seed file and the records it must give."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from documents.ingest import KIND_GENERAL, KIND_MEASURE, DepartmentRef, parse_document

from .seed_helpers import POLICY_SEEDS, SEED_000, SEED_001, SEED_002, SEED_003, parse_seed, seed_meta, seed_text

ROMAN_ITEM_RE = re.compile(r"[（(][一二三四五六七八九十]{1,4}[）)]")
CHAPTER_RE = re.compile(r"(?:^|\n)[一二三四五六七八九十]{1,3}、")


@pytest.fixture(scope="module")
def seed_000():
    return parse_seed(SEED_000)


@pytest.fixture(scope="module")
def seed_001():
    return parse_seed(SEED_001)


@pytest.fixture(scope="module")
def seed_002():
    return parse_seed(SEED_002)


@pytest.fixture(scope="module")
def seed_003():
    return parse_seed(SEED_003)


# --- 000: Shenzhen measures, PDF text -----------------------------------------------------


def test_000_metadata(seed_000):
    assert seed_000.title == "深圳市人民政府印发深圳市关于进一步促进电子商务发展的若干措施的通知"
    assert seed_000.policy_title == "深圳市关于进一步促进电子商务发展的若干措施"
    assert seed_000.doc_type == "measures"
    assert seed_000.issuer == "深圳市人民政府"
    assert seed_000.region == "深圳市"
    assert seed_000.issue_date == dt.date(2013, 12, 27)  # the signature, not the 12-31 print line
    assert seed_000.year == 2013
    assert seed_000.doc_number == ""
    assert seed_000.encoding == "utf-8"
    assert len(seed_000.content_hash) == 64


def test_000_measures(seed_000):
    measures = seed_000.measures
    assert len(measures) == 24
    assert [measure.ordinal for measure in measures] == list(range(1, 25))
    assert measures[0].number == "（一）"
    assert measures[0].title == "支持电子商务平台规模化"
    assert measures[0].chapter == "一、做大做强电子商务新业态"
    assert measures[0].text.startswith("鼓励大型电子商务平台企业通过兼并重组")
    assert measures[0].text.endswith("形成在全国行业地位居前、创新领先、竞争力较强的产业集群。")
    # Lines broken by the PDF are joined without spaces; spaces next to Latin text stay.
    assert "大型 B2B（企业对企业电子商务）、B2C（企业对客户电子商务）综合性" in measures[0].text
    assert measures[-1].number == "（二十四）"
    assert measures[-1].title == "加大宣传推广力度"
    assert measures[-1].chapter == "四、优化电子商务发展环境"
    assert measures[-1].text.endswith("树立深圳“电子商务示范城市”形象。")
    assert {measure.kind for measure in measures} == {KIND_MEASURE}
    assert [measure.chapter for measure in measures].count("三、完善电子商务支撑体系") == 7


def test_000_validity_is_not_a_measure(seed_000):
    validity = seed_000.validity
    assert validity is not None
    assert validity.clause.startswith("以上措施自发布之日起实施，有效期 5年。")
    assert validity.valid_from == dt.date(2013, 12, 27)
    assert validity.valid_until == dt.date(2018, 12, 26)
    assert all("有效期" not in measure.text for measure in seed_000.measures)


def test_000_preamble_and_citations(seed_000):
    assert seed_000.preamble.startswith("各区人民政府，市政府直属各单位：")
    assert "为贯彻落实《国务院关于促进信息消费扩大内需的若干意见》" in seed_000.preamble
    assert seed_000.preamble.endswith("特制定以下措施。")
    assert seed_000.title not in seed_000.preamble
    citations = {citation.title: citation.doc_number for citation in seed_000.citations}
    assert citations["广东省人民政府办公厅关于加快发展电子商务的意见"] == "粤府办〔2012〕131号"
    assert citations["国务院关于促进信息消费扩大内需的若干意见"] == "国发〔2013〕32号"
    assert "电子商务“十二五”发展规划" in citations
    assert seed_000.policy_title not in citations  # its own title, named in the notice


def test_000_footer_and_print_line_are_gone(seed_000):
    for dropped in ("公开属性", "抄送", "市检察院", "2013年12月31日印发"):
        assert dropped not in seed_000.clean_text


def test_000_gbk_copy_gives_the_same_records(seed_000):
    text = seed_text(SEED_000)
    try:
        data = text.encode("gbk")
    except UnicodeEncodeError:
        data = text.encode("gb18030")
    parsed = parse_document(data, filename=SEED_000, meta=seed_meta(SEED_000))
    assert parsed.encoding == "gb18030"
    assert parsed.measures == seed_000.measures
    assert parsed.validity == seed_000.validity
    assert (parsed.title, parsed.policy_title, parsed.issue_date) == (
        seed_000.title,
        seed_000.policy_title,
        seed_000.issue_date,
    )
    assert parsed.content_hash != seed_000.content_hash  # the hash is of the bytes as uploaded


# --- 001: Guangdong opinion, web text without a title line ----------------------------------


def test_001_metadata(seed_001):
    assert seed_001.title == "广东省人民政府办公厅关于加快发展电子商务的意见"  # from metadata.toml
    assert seed_001.doc_number == "粤府办〔2012〕131号"
    assert seed_001.doc_type == "opinion"
    assert seed_001.issuer == "广东省人民政府办公厅"
    assert seed_001.region == "广东省"
    assert seed_001.issue_date == dt.date(2012, 12, 25)
    assert seed_001.validity is None


def test_001_measures(seed_001):
    measures = seed_001.measures
    assert len(measures) == 28
    assert (measures[0].number, measures[0].title, measures[0].kind) == ("（一）", "指导思想", KIND_GENERAL)
    assert (measures[1].number, measures[1].title, measures[1].kind) == ("（二）", "发展目标", KIND_GENERAL)
    assert measures[0].chapter == "一、总体要求"
    assert measures[0].text.startswith("坚持以邓小平理论")
    assert all(measure.kind == KIND_MEASURE for measure in measures[2:])
    assert measures[2].title == "加快发展网络零售平台"
    assert measures[-1].number == "（二十八）"
    assert measures[-1].title == "完善配套措施"
    assert measures[-1].chapter == "七、加大政策支持力度"


def test_001_closing_is_not_appended_to_the_last_measure(seed_001):
    last = seed_001.measures[-1]
    assert last.text.endswith("推广普及电子商务应用。")
    for closing in ("各地、各有关部门要", "广东省人民政府办公厅", "2012年12月25日"):
        assert closing not in last.text


def test_001_preamble(seed_001):
    assert seed_001.preamble.startswith("各地级以上市人民政府，各县（市、区）人民政府")
    assert seed_001.preamble.endswith("现提出以下意见。")
    assert "\u3000" not in seed_001.clean_text


# --- 002: Guangzhou measures, web text with a traditional-character header -------------------


def test_002_metadata(seed_002):
    assert seed_002.title == "广州市人民政府办公厅关于印发推动电子商务跨越式发展若干措施的通知"
    assert seed_002.policy_title == "关于推动电子商务跨越式发展的若干措施"
    assert seed_002.doc_number == "穗府办函〔2019〕2号"
    assert seed_002.doc_type == "measures"
    assert seed_002.issuer == "广州市人民政府办公厅"
    assert seed_002.region == "广州市"
    assert seed_002.issue_date == dt.date(2019, 1, 2)
    assert seed_002.source_url == "http://www.gz.gov.cn/gzgov/s2812/201901/079eb663f108467baa63bfc4c04cebc5.shtml"
    assert "附錄" not in seed_002.clean_text
    assert "以下附" not in seed_002.clean_text


def test_002_measures(seed_002):
    measures = seed_002.measures
    assert len(measures) == 29
    assert measures[0].title == "加快培育电子商务集聚区"
    assert measures[0].chapter == "一、加速发展电子商务产业集群"
    assert measures[-1].number == "（二十九）"
    assert measures[-1].title == "优化用地支持"
    assert measures[-1].chapter == "七、落实保障措施"
    # Half-width "(一)" numbering is normalised.
    assert measures[8].number == "（九）"


def test_002_paragraph_broken_by_a_blank_line_is_joined(seed_002):
    third = seed_002.measures[2]
    assert "按照政策规定综合考虑给予奖励；" in third.text
    assert "各类风险投资基金" in seed_002.measures[19].text
    assert "构建电子商务数据库" in seed_002.measures[24].text


def test_002_validity(seed_002):
    validity = seed_002.validity
    assert validity is not None
    assert validity.clause == "本措施自发布之日起施行，有效期至 2022 年 12 月 31 日。"
    assert validity.valid_from == dt.date(2019, 1, 2)
    assert validity.valid_until == dt.date(2022, 12, 31)


def test_002_departments_of_the_first_measure(seed_002):
    assert seed_002.measures[0].departments == (
        DepartmentRef("市商务委", "lead"),
        DepartmentRef("各区政府", "lead"),
        DepartmentRef("市发展改革委", "cooperate"),
        DepartmentRef("市工业和信息化委", "cooperate"),
        DepartmentRef("市科技创新委", "cooperate"),
        DepartmentRef("市财政局", "cooperate"),
        DepartmentRef("市国土规划委", "cooperate"),
        DepartmentRef("市金融局", "cooperate"),
    )
    assert seed_002.measures[0].text.endswith("宣传推介等服务。")


def test_002_measure_with_several_parentheses_gets_their_union(seed_002):
    third = seed_002.measures[2]
    names = [(ref.name, ref.role) for ref in third.departments]
    assert names[:3] == [("市商务委", "lead"), ("市财政局", "cooperate"), ("各区政府", "cooperate")]
    assert ("市发展改革委", "lead") in names
    assert ("中国人民银行广州分行", "cooperate") in names
    assert ("市农业局", "cooperate") in names
    assert len(names) == len(set(names))
    assert third.text.startswith("继续认定一批市级电子商务示范企业。完善总部经济政策措施")
    assert "牵头" not in third.text


def test_002_mid_text_parenthesis_followed_by_text(seed_002):
    fifteenth = seed_002.measures[14]
    assert "贷款支持。深入分析农村物流体系" in fifteenth.text
    assert ("市交委", "lead") in [(ref.name, ref.role) for ref in fifteenth.departments]
    eighteenth = seed_002.measures[17]
    assert "集约化布局。鼓励物流（快递）企业" in eighteenth.text  # （快递） is not a department list
    assert DepartmentRef("市公安局", "responsible") in eighteenth.departments
    assert "GSP（《药品经营质量管理规范》）" in eighteenth.text


def test_002_every_measure_has_departments(seed_002):
    assert all(measure.departments for measure in seed_002.measures)


# --- 003: Shenzhen action plan, markdown ---------------------------------------------------


def test_003_metadata(seed_003):
    assert seed_003.title == "深圳市推动跨境电子商务高质量发展行动方案（2022-2025）"
    assert seed_003.policy_title == ""
    assert seed_003.doc_type == "plan"
    assert seed_003.issuer == "深圳市商务局"  # from metadata.toml
    assert seed_003.region == "深圳市"
    assert seed_003.issue_date is None
    assert seed_003.year == 2022
    assert seed_003.source_url == "http://commerce.sz.gov.cn/xxgk/zcfgjzjcd/zcfg/content/post_10194106.html"


def test_003_validity_from_the_title_period(seed_003):
    validity = seed_003.validity
    assert validity is not None
    assert validity.clause == "（2022-2025）"
    assert (validity.valid_from, validity.valid_until) == (dt.date(2022, 1, 1), dt.date(2025, 12, 31))


def test_003_measures(seed_003):
    measures = seed_003.measures
    assert len(measures) == 23
    assert measures[0].title == "加强平台企业培育引进"
    assert measures[0].chapter == "二、实施市场主体强本固元行动"
    assert measures[0].text.startswith("大力培育本土综合类")
    assert measures[2].title == "推进产业园区提质增效"  # **（三）title。**text
    assert measures[2].text.startswith("推动产业园区专业化")
    assert measures[9].chapter == "五、实施金融创新助企惠企行动"  # ## **五、…**
    assert measures[-1].title == "加强资金支持"
    assert measures[-1].chapter == "九、保障措施"
    assert "组织开展“跨境电商+产业集群”试点" in measures[1].text


def test_003_departments(seed_003):
    measures = seed_003.measures
    assert measures[0].departments == (
        DepartmentRef("市商务局", "responsible"),
        DepartmentRef("各区", "responsible", note="含大鹏新区、深汕特别合作区，下同"),
    )
    assert measures[6].departments == (DepartmentRef("深圳海关", "responsible"),)
    assert [ref.name for ref in measures[19].departments] == ["市市场监管局", "市司法局", "市商务局", "市贸促委"]
    assert [ref.name for ref in measures[7].departments] == ["深圳市税务局", "前海管理局", "市商务局", "深圳海关"]
    assert measures[-1].departments == ()


def test_003_goals_chapter_is_kept_in_the_preamble(seed_003):
    assert "一、总体要求" in seed_003.preamble
    assert "——产业规模质量国内领先。力争到 2025 年" in seed_003.preamble
    assert "——国际交流合作蓬勃开展。" in seed_003.preamble
    assert all("产业规模质量国内领先" not in measure.text for measure in seed_003.measures)


def test_003_citations(seed_003):
    titles = [citation.title for citation in seed_003.citations]
    assert titles == [
        "国务院办公厅关于加快发展外贸新业态新模式的意见",
        "广东省人民政府办公厅印发关于推进跨境电商高质量发展若干政策措施的通知",
    ]


# --- every policy seed ---------------------------------------------------------------------


@pytest.mark.parametrize("name", POLICY_SEEDS)
def test_no_measure_text_carries_foreign_matter(name):
    parsed = parse_seed(name)
    for index, measure in enumerate(parsed.measures):
        label = f"{name} {measure.number}"
        assert measure.title and measure.text, label
        assert not measure.title.endswith("。"), label
        assert not ROMAN_ITEM_RE.match(measure.text), label  # the next measure
        assert not CHAPTER_RE.search(measure.text), label  # a chapter heading
        for junk in ("**", "#", "\\", "。。", "公开属性", "抄送", "-1-", "\u3000", "  "):
            assert junk not in measure.text, f"{label}: {junk!r}"
        assert not measure.text.startswith(("。", "，")), label
        if index + 1 < len(parsed.measures):
            assert parsed.measures[index + 1].title not in measure.text, label


@pytest.mark.parametrize("name", POLICY_SEEDS)
def test_raw_text_is_kept_unchanged(name):
    assert parse_seed(name).raw_text == seed_text(name)


@pytest.mark.parametrize("name", POLICY_SEEDS)
def test_clean_text_has_no_markup_or_cjk_gaps(name):
    clean = parse_seed(name).clean_text
    assert "**" not in clean and "###" not in clean
    assert not re.search(r"[\u4e00-\u9fff] [\u4e00-\u9fff]", clean)
    assert not re.search(r" +\n| {2,}", clean)
