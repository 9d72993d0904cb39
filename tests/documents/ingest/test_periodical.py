"""Tests for the periodical parser: small tables of strings, then seed 004 end to end."""

from __future__ import annotations

import datetime as dt
import re
import tomllib
import unicodedata
from pathlib import Path

import pytest

from documents.ingest.decode import decode_bytes
from documents.ingest.errors import EmptyDocumentError, IngestError
from documents.ingest.periodical import (
    PeriodicalStructureError,
    _chronicle_date,
    _is_policy_title,
    _is_tabular,
    _tidy,
    looks_like_periodical,
    parse_periodical,
)
from documents.ingest.types import DocumentMeta

CORPUS = Path(__file__).resolve().parents[3] / "fixtures" / "seed_corpus"
SEED_004 = "004_714c60ee5c0e1a70.txt"


def _seed_text(name: str) -> str:
    text, _encoding = decode_bytes((CORPUS / name).read_bytes())
    return text


def _seed_meta(name: str) -> DocumentMeta:
    with (CORPUS / "metadata.toml").open("rb") as handle:
        return DocumentMeta(**tomllib.load(handle)[name])


def _key(text: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text)).lstrip("—")


def make_issue(toc: list[tuple[str, int]], body: str) -> str:
    """A minimal issue: masthead, table of contents with dot leaders, page mark, body."""
    entries = "\n\n".join(f"{title}{'·' * 12} {page}" for title, page in toc)
    return (
        f"期（总第 9 期） 内部资料 2020年第 3\n\n主办单位：测试中心\n\n{entries}\n\n目录\n\n"
        f"《测试动态》编辑部\n\n-1-\n\n{body}"
    )


# --- Small inputs -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("2016 年 1 月 6 日，国务院常务会议决", "2016年1月6日，国务院常务会议决"),
        ("同 比 增 长 17.9%； 网 络 零 售", "同比增长17.9%；网络零售"),
        ("谷歌在深圳设立“Google AdWords 体验中心”", "谷歌在深圳设立“Google AdWords体验中心”"),
        ("百尺竿头续新篇   快马扬鞭再奋蹄", "百尺竿头续新篇 快马扬鞭再奋蹄"),  # a wide gap stays one space
        ("四、 我 市 出 台《 深 圳 市 信 息 化 发 展", "四、我市出台《深圳市信息化发展"),
        ("同比分别增长 292.6 % 和 150.7%", "同比分别增长292.6%和150.7%"),
    ],
)
def test_tidy_removes_pdf_spaces_next_to_cjk(raw: str, expected: str) -> None:
    assert _tidy(raw) == expected


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("类别 企业名称 领域 轮次 金额", True),
        ("动态科技 电商运营服务 A 轮 3 亿人民币", True),
        ("“大丰收农资商城” B2C 农资 A 轮 数千万人民币", True),
        ("用户 6.8 亿的腾讯 LBS 把海量的消费、物流", False),
        ("2016 年 上 海 电 子 商 务 交 易 额 首 次 突", False),  # justified prose
        ("模式启动  跨境电商通关试点范围扩大", False),  # heading with a gap
        ("累 计 完 成 312.8 亿 件， 同 比 增 长 51.4%。", False),
    ],
)
def test_table_rows_are_told_from_prose(line: str, expected: bool) -> None:
    assert _is_tabular(line) is expected


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("深圳市深入推进“互联网＋流通”行动计划实施方案", True),
        ("电子商务“十三五”发展规划", True),
        ("深圳市推进城市配送发展五年行动计划（2016-2020年）", True),
        ("深圳海关保税展示交易监管操作规程（试行）", True),
        ("关于鼓励规范互联网自行车的若干意见（征求意见稿）", True),
        ("深圳市电子商务统计制度", True),
        ("电子商务法（草案）", True),
        ("支付业务许可证", False),
        ("众信网", False),
        ("电子商务大讲堂", False),
        ("深圳市创建国家电子商务示范城市自评报告", False),
        ("方案", False),  # 《方案》提出…: a back-reference, not a title
        ("规划", False),
    ],
)
def test_policy_titles_end_with_a_policy_word(title: str, expected: bool) -> None:
    assert _is_policy_title(title) is expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2016 年 1 月 6 日，国务院常务会议决定", dt.date(2016, 1, 6)),
        ("配合综合试验区建设，2016 年 11 月 16\n日，市经贸信息委", dt.date(2016, 11, 16)),  # broken across lines
        ("2016 年 6 月，广东省经信委公布", dt.date(2016, 6, 1)),  # month only: the 1st
        ("2016 年资本市场遭遇寒冬", None),  # year only
        ("2016 年 1-9 月（前三季度）", None),  # a range is not a date
        ("", None),
    ],
)
def test_chronicle_date_is_the_first_date_mentioned(text: str, expected: dt.date | None) -> None:
    assert _chronicle_date(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("期（总第 26 期） 内部资料   免费交流2017年第 1\n主办单位：深圳市电子商务服务中心", True),
        ("风起扬帆正当时······ 1\n深圳快递业务量跻身全国前三······ 23\n市政府制定······ 24\n主办单位：某中心", True),
        ("深圳市人民政府关于印发若干措施的通知\n深府〔2013〕128号\n一、总体要求", False),
        ("", False),
    ],
)
def test_looks_like_periodical_needs_two_signs(text: str, expected: bool) -> None:
    assert looks_like_periodical(text) is expected


def test_small_issue_is_split_at_headings_and_attributions() -> None:
    text = make_issue(
        [("第一篇文章", 1), ("第二篇文章", 2)],
        "第一篇文章\n\n这是第一篇的正文，写到这一行的末尾\n\n还没有结束。\n\n（来源：本刊编辑部）\n\n"
        " 第二篇文章\n\n第二篇的正文。\n\n（文 / 某某）",
    )
    parts = parse_periodical(text, meta=DocumentMeta())
    assert [(a.ordinal, a.title, a.page) for a in parts.articles] == [(1, "第一篇文章", 1), (2, "第二篇文章", 2)]
    assert parts.articles[0].text == "这是第一篇的正文，写到这一行的末尾还没有结束。\n（来源：本刊编辑部）"
    assert parts.articles[1].text == "第二篇的正文。\n（文/某某）"
    assert parts.title == "测试动态 2020年第3期（总第9期）"
    assert parts.issuer == "测试中心"
    assert parts.year == 2020
    assert "主办单位：测试中心" in parts.preamble
    assert parts.warnings == ()


def test_toc_title_missing_from_body_is_a_warning_not_an_error() -> None:
    text = make_issue(
        [("第一篇文章", 1), ("正文里没有的标题", 2)],
        "第一篇文章\n\n第一篇的正文。\n\n（来源：本刊编辑部）",
    )
    parts = parse_periodical(text, meta=DocumentMeta())
    assert [a.title for a in parts.articles] == ["第一篇文章"]
    assert any("正文里没有的标题" in warning for warning in parts.warnings)


def test_meta_wins_and_a_disagreement_is_reported() -> None:
    text = make_issue([("第一篇文章", 1)], "第一篇文章\n\n正文。")
    meta = DocumentMeta(title="另一个刊名 2020年第3期", issuer="测试中心", issue_date=dt.date(2020, 3, 1))
    parts = parse_periodical(text, meta=meta)
    assert parts.title == "另一个刊名 2020年第3期"
    assert parts.issue_date == dt.date(2020, 3, 1)
    assert parts.year == 2020
    assert any("刊名与期号" in warning and "测试动态" in warning for warning in parts.warnings)
    assert not any("主办单位" in warning for warning in parts.warnings)


@pytest.mark.parametrize(
    ("text", "error", "message"),
    [
        ("", EmptyDocumentError, "文本为空"),
        ("  \n\n  ", EmptyDocumentError, "文本为空"),
        ("这不是期刊，只是一段话。\n\n没有目录，也没有页码。", PeriodicalStructureError, "没有找到期刊目录"),
        ("\x7f\x7f\x7f####!!!!", PeriodicalStructureError, "没有找到期刊目录"),
        (make_issue([("正文里没有的标题", 1)], "正文里只有别的内容。"), PeriodicalStructureError, "一篇也没有找到"),
    ],
)
def test_unusable_text_raises_an_ingest_error_in_chinese(text: str, error: type[IngestError], message: str) -> None:
    with pytest.raises(error, match=message) as raised:
        parse_periodical(text, meta=DocumentMeta())
    assert isinstance(raised.value, IngestError)


# --- Seed 004, end to end -----------------------------------------------------------------------

TOC_004 = [
    ("风起扬帆正当时", "", 1),
    ("引领经济发展新常态的深圳路径", "2016年深圳电子商务发展综述", 2),
    ("2016年深圳跨境电子商务发展回顾", "", 11),
    ("深圳市电子商务大事记（2016年）", "", 14),
    ("百尺竿头续新篇 快马扬鞭再奋蹄", "深圳跨境电子商务综合试验区工作综述", 20),
    ("深圳快递业务量跻身全国前三", "", 23),
    ("国家统计局：2016年全国网络零售交易额5.16万亿元", "", 23),
    ("市政府制定深入推进“互联网＋流通”行动计划实施方案", "", 24),
    ("三部门联合发布《电子商务“十三五”发展规划》及电商三年行动方案", "", 24),
]

CHRONICLE_004 = [
    (1, "一、", dt.date(2016, 1, 6), "国务院批准深圳成为国家跨境电子商务综合试验区"),
    (
        2,
        "二、",
        dt.date(2016, 5, 31),
        "市政府常务会议通过《深圳市人民政府贯彻落实国务院大力发展电子商务意见的行动计划》",
    ),
    (3, "三、", dt.date(2016, 3, 28), "第六届中国（深圳）电子商务发展论坛成功举行"),
    (4, "四、", dt.date(2016, 8, 30), "我市出台《深圳市信息化发展“十三五”规划》"),
    (5, "五、", dt.date(2016, 12, 15), "深圳市出台推进“互联网+流通”行动方案"),
    (6, "六、", None, "2016年深圳市电子商务领域投融资事件"),
    (7, "七、", dt.date(2016, 6, 1), "2016年深圳快递业务量和业务收入名列全国第三和第二位"),
    (8, "八、", dt.date(2016, 4, 13), "深企通过战略合作提升行业地位"),
    (9, "九、", dt.date(2016, 8, 8), "市政府鼓励开展中小微企业电商普及应用"),
    (10, "十、", dt.date(2016, 7, 8), "行业龙头企业在深布局业务战略拓展"),
    (11, "十一、", dt.date(2016, 9, 8), "顺丰、深商e天下等深圳电商争当电商援疆扶贫排头兵"),
    (12, "十二、", dt.date(2016, 9, 12), "跨境电商直购进口和一般出口模式启动 跨境电商通关试点范围扩大"),
    (13, "十三、", dt.date(2016, 11, 1), "2016年中国“电商百佳城市”榜单，深圳名列第二"),
    (14, "十四、", dt.date(2016, 6, 1), "高新技术产业园和坂田获广东省首批“互联网+”小镇荣誉称号"),
    (15, "十五、", dt.date(2016, 12, 7), "深圳多家企业荣获亚马逊“全球开店”项目相关奖项"),
    (16, "十六、", dt.date(2016, 10, 10), "“2016年天猫双11狂欢夜”在深举办"),
    (17, "十七、", dt.date(2016, 3, 24), "跨境电商进口4.8新政对深圳网购保税进口造成冲击"),
    (18, "十八、", dt.date(2016, 4, 1), "深圳发布国内首批跨境电商通关地方标准"),
    (19, "十九、", dt.date(2016, 12, 27), "共享经济管理相关文件出台"),
    (20, "二十、", dt.date(2016, 11, 24), "深圳推出“ODR+云上仲裁”线上线下一体化全流程纠纷解决方案"),
]

# Lines the layout repeats: section names and the running headers (titles, subtitles).
RUNNING_HEADERS = (
    {_key(t) for t, _s, _p in TOC_004}
    | {_key(s) for _t, s, _p in TOC_004 if s}
    | {_key(name) for name in ("卷首语", "特别报道", "业界交流", "数据观察", "行业动态", "区域数据", "行业数据")}
)


@pytest.fixture(scope="module")
def issue_004():
    return parse_periodical(_seed_text(SEED_004), meta=_seed_meta(SEED_004))


def test_004_articles_follow_the_table_of_contents(issue_004) -> None:
    assert [(a.title, a.subtitle, a.page) for a in issue_004.articles] == TOC_004
    assert [a.ordinal for a in issue_004.articles] == list(range(1, 10))


def test_004_first_article_is_the_editorial_without_the_front_matter(issue_004) -> None:
    editorial = issue_004.articles[0]
    assert editorial.text.startswith("光阴似水")
    assert "目录" not in editorial.text
    assert "主办单位" not in editorial.text
    assert editorial.text.endswith("文/夏 葵")


@pytest.mark.parametrize("ordinal", range(1, 10))
def test_004_article_text_has_no_page_marks_or_running_headers(issue_004, ordinal: int) -> None:
    article = issue_004.articles[ordinal - 1]
    assert article.text
    assert not re.search(r"-\s*\d+\s*-(?!\d)", article.text.replace("2016-2020", ""))
    for line in article.text.split("\n"):
        assert _key(line) not in RUNNING_HEADERS, line
        assert not line.startswith("◎"), line
        assert "上接第" not in line


@pytest.mark.parametrize(
    ("ordinal", "present", "absent"),
    [
        # the running header "卷首语" and the next article's opening stay out of the editorial
        (1, "撸起袖子加油干", "2016年，是我市电子商务践行新发展理念"),
        # re-joined across a running header and a page break, no space between CJK
        (2, "“支持电子商务与实体经济深度融合”", "12月26日，在深圳市跨境电子商务协会年会上"),
        # its tail printed on p. 22 ("上接第 13 页") is moved back and joined mid-word
        (3, "前海早日完成跨境电子商务综合服务平台建设，实现跨境电商要素在平台上集聚", "一、国务院批准深圳"),
        # re-joined across the running header "深圳市电子商务大事记（2016 年）"
        (4, "城市运营管理中心实现试运行", "自2016年1月12日国务院批复深圳设立"),
        (5, "（文/市经贸信息委 王毅）", "实现跨境电商要素在平台上集聚"),
        (6, "深圳快递业实现“十三五”开门红", "国家统计局发布统计公报"),
        (7, "全国2016年全年网上零售额51556亿元", "市政府办公厅印发"),
        (8, "市政府办公厅印发《深圳市深入推进“互联网+流通”行动计划实施方案》", "商务部、中央网信办"),
        (9, "商务部、中央网信办、发改委三部门联合发布", "征稿启事"),
    ],
)
def test_004_article_text_is_its_own(issue_004, ordinal: int, present: str, absent: str) -> None:
    text = issue_004.articles[ordinal - 1].text
    assert present in text
    assert absent not in text


def test_004_funding_table_stays_in_the_chronicle_article_as_lines(issue_004) -> None:
    chronicle_article = issue_004.articles[3]
    lines = chronicle_article.text.split("\n")
    assert "类别 企业名称 领域 轮次 金额" in lines
    assert "优私享 高端私人定制服务平台 天使轮 200 万人民币" in lines
    assert "类别" not in issue_004.chronicle[-1].text


def test_004_chronicle_has_twenty_dated_entries(issue_004) -> None:
    assert [(e.ordinal, e.number, e.date, e.title) for e in issue_004.chronicle] == CHRONICLE_004


@pytest.mark.parametrize("ordinal", range(1, 21))
def test_004_chronicle_titles_do_not_swallow_their_text(issue_004, ordinal: int) -> None:
    entry = issue_004.chronicle[ordinal - 1]
    assert "。" not in entry.title
    assert entry.text
    assert not entry.text.startswith(entry.title)
    assert "（来源" not in entry.text


def test_004_first_chronicle_entry_text(issue_004) -> None:
    first = issue_004.chronicle[0]
    assert first.text.startswith("2016年1月6日，国务院常务会议决定在深圳等12个城市新设跨境电子商务综合试验区。")
    assert "2016年11月16日，市经贸信息委" in first.text


def test_004_citations_are_the_policies_it_names(issue_004) -> None:
    by_title = {c.title: c.doc_number for c in issue_004.citations}
    assert "深圳市深入推进“互联网＋流通”行动计划实施方案" in by_title
    assert "电子商务“十三五”发展规划" in by_title
    assert "深圳市人民政府贯彻落实国务院大力发展电子商务意见的行动计划" in by_title
    assert "深圳市推进城市配送发展五年行动计划（2016-2020年）" in by_title
    assert by_title["广东省人民政府关于印发中国（深圳）跨境电子商务综合试验区实施方案的通知"] == "粤府函〔2016〕119号"
    for not_a_policy in ("支付业务许可证", "众信网", "电子商务大讲堂", "深商e天下", "方案", "规划", "意见"):
        assert not_a_policy not in by_title
    # ＋ and + spell the same policy: it is cited once
    assert "深圳市深入推进“互联网+流通”行动计划实施方案" not in by_title
    assert all(not re.search(r"\s", title) for title in by_title)


def test_004_issue_facts_are_read_from_the_text() -> None:
    parts = parse_periodical(_seed_text(SEED_004), meta=DocumentMeta())
    assert parts.title == "电子商务动态 2017年第1期（总第26期）"
    assert parts.issuer == "深圳市电子商务服务中心"
    assert parts.issue_date == dt.date(2017, 1, 31)
    assert parts.year == 2017


def test_004_metadata_agrees_with_the_text(issue_004) -> None:
    assert issue_004.title == "电子商务动态 2017年第1期（总第26期）"
    assert issue_004.issue_date == dt.date(2017, 1, 31)
    assert not any("采用导入时给出的" in warning for warning in issue_004.warnings)


def test_004_front_and_back_matter_are_kept_in_the_preamble(issue_004) -> None:
    preamble = issue_004.preamble
    assert "主办单位：深圳市电子商务服务中心" in preamble
    assert "2017年 1 月31日 第二十六期" in preamble
    assert "粤内登字B福田第1034号" in preamble
    assert "征稿启事" in preamble
    assert "光阴似水" not in preamble


def test_004_untitled_news_items_are_reported(issue_004) -> None:
    warnings = "\n".join(issue_004.warnings)
    assert "深圳现代物流业增加值2016年达1984.5亿元" in warnings
    assert "广东省出台推动跨境电商海外仓建设的意见" in warnings
    assert "正文中没有找到" not in warnings


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("000_55caf7c8ee19f35e.txt", False),
        ("001_50d1ea506c6b7cb2.txt", False),
        ("002_3c56c2009a91f803.txt", False),
        ("003_3c141879d7d9639f.txt", False),
        (SEED_004, True),
    ],
)
def test_only_seed_004_looks_like_a_periodical(name: str, expected: bool) -> None:
    assert looks_like_periodical(_seed_text(name)) is expected
