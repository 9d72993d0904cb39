"""Table tests for the numbering, heading, date and title patterns."""

from __future__ import annotations

import pytest

from documents.ingest.patterns import (
    DATE_LINE_RE,
    DOC_NUMBER_LINE_RE,
    STYLE_ARTICLE,
    STYLE_DIGIT,
    STYLE_PAREN_CN,
    STYLE_PAREN_DIGIT,
    TITLE_PERIOD_RE,
    is_short_heading,
    is_title_like,
    match_chapter,
    match_item,
)


@pytest.mark.parametrize(
    ("paragraph", "style", "label", "rest"),
    [
        ("（一）支持电子商务平台规模化。", STYLE_PAREN_CN, "一", "支持电子商务平台规模化。"),
        ("（二十五）以上措施自发布之日起实施", STYLE_PAREN_CN, "二十五", "以上措施自发布之日起实施"),
        ("(一) 加快培育电子商务集聚区。", STYLE_PAREN_CN, "一", "加快培育电子商务集聚区。"),
        ("( 三 )培育电子商务龙头企业。", STYLE_PAREN_CN, "三", "培育电子商务龙头企业。"),
        ("第一条 为了规范管理，制定本办法。", STYLE_ARTICLE, "一", "为了规范管理，制定本办法。"),
        ("第十二条本办法自发布之日起施行。", STYLE_ARTICLE, "十二", "本办法自发布之日起施行。"),
        ("第3条 适用范围。", STYLE_ARTICLE, "3", "适用范围。"),
        ("1.加强组织领导。", STYLE_DIGIT, "1", "加强组织领导。"),
        ("12. 加强组织领导。", STYLE_DIGIT, "12", "加强组织领导。"),
        ("2、完善配套政策。", STYLE_DIGIT, "2", "完善配套政策。"),
        ("3．全角点。", STYLE_DIGIT, "3", "全角点。"),
        ("（1）第一点。", STYLE_PAREN_DIGIT, "1", "第一点。"),
        ("(10)第十点。", STYLE_PAREN_DIGIT, "10", "第十点。"),
    ],
)
def test_match_item(paragraph, style, label, rest):
    found = match_item(paragraph)
    assert found is not None
    found_style, match = found
    assert (found_style, match["label"], paragraph[match.end() :]) == (style, label, rest)


@pytest.mark.parametrize(
    "paragraph",
    [
        "1.5 倍以上的增长",  # a decimal number at a line start
        "2025 年，深圳跨境电商",
        "第三条的规定执行",  # a reference to an article
        "一、做大做强电子商务新业态",  # a chapter heading, not an item
        "（企业对企业电子商务）",
        "各区（新区）建立",
        "",
    ],
)
def test_match_item_rejects(paragraph):
    assert match_item(paragraph) is None


@pytest.mark.parametrize(
    ("paragraph", "label"),
    [
        ("一、做大做强电子商务新业态", "一"),
        ("十、附则", "十"),
        ("二十一、其他", "二十一"),
        ("三. 完善支撑体系", "三"),
        ("第一章 总则", "一"),
        ("第二部分 主要任务", "二"),
    ],
)
def test_match_chapter(paragraph, label):
    match = match_chapter(paragraph)
    assert match is not None and match["label"] == label


@pytest.mark.parametrize("paragraph", ["一是加强领导", "（一）支持", "第一条 总则", "一、"])
def test_match_chapter_rejects(paragraph):
    assert match_chapter(paragraph) is None


@pytest.mark.parametrize(
    ("paragraph", "expected"),
    [
        ("一、总体要求", True),
        ("四、优化电子商务发展环境", True),
        ("一、总体要求。以习近平新时代中国特色社会主义思想为指导，深入贯彻", False),
        ("一、加强组织领导，完善工作机制", False),
        ("（一）支持", False),
    ],
)
def test_is_short_heading(paragraph, expected):
    assert is_short_heading(paragraph) is expected


@pytest.mark.parametrize(
    ("paragraph", "expected"),
    [
        ("2013 年 12 月 27 日", True),
        ("2019年1月2日", True),
        ("  2012年12月25日", True),
        ("二〇一三年十二月二十七日", True),
        ("2013年12月31日印发", False),
        ("自2013年12月27日起施行", False),
    ],
)
def test_date_line(paragraph, expected):
    assert bool(DATE_LINE_RE.match(paragraph)) is expected


@pytest.mark.parametrize(
    ("paragraph", "expected"),
    [
        ("穗府办函〔2019〕2号", True),
        ("粤府办〔2012〕131 号", True),
        ("深府〔2013〕 9号", True),
        ("（粤府办〔2012〕131号）", False),
        ("根据粤府办〔2012〕131号文件精神，制定本措施", False),
    ],
)
def test_doc_number_line(paragraph, expected):
    assert bool(DOC_NUMBER_LINE_RE.match(paragraph)) is expected


@pytest.mark.parametrize(
    ("paragraph", "expected"),
    [
        ("深圳市人民政府印发深圳市关于进一步促进电子商务发展的若干措施的通知", True),
        ("关于推动电子商务跨越式发展的若干措施", True),
        ("深圳市推动跨境电子商务高质量发展行动方案（2022-2025）", True),
        ("广东省人民政府办公厅关于加快发展电子商务的意见", True),
        ("深圳市人民政府", False),
        ("各区人民政府，市政府直属各单位：", False),
        ("为贯彻落实《国务院关于促进信息消费扩大内需的若干意见》", False),
        ("（一）关于若干措施", False),
    ],
)
def test_is_title_like(paragraph, expected):
    assert is_title_like(paragraph) is expected


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("行动方案（2022-2025）", "2022", "2025"),
        ("规划纲要（2016-2020 年）", "2016", "2020"),
        ("计划(2021—2023年)", "2021", "2023"),
        ("规划（2012年至2020年）", "2012", "2020"),
    ],
)
def test_title_period(text, start, end):
    match = TITLE_PERIOD_RE.search(text)
    assert match is not None and (match["start"], match["end"]) == (start, end)


@pytest.mark.parametrize(
    "paragraph",
    ["为贯彻落实《广东省电子商务行动计划", "关于印发“互联网＋流通行动计划", "某某（试行）实施方案）"],
)
def test_fragment_with_unbalanced_brackets_is_not_a_title(paragraph):
    assert is_title_like(paragraph) is False
