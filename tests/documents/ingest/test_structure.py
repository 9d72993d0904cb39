"""Tests for splitting paragraphs into head, chapters, items and closing."""

from __future__ import annotations

import pytest

from documents.ingest.patterns import ITEM_DIGIT_RE, ITEM_PAREN_CN_RE
from documents.ingest.structure import ItemBlock, choose_item_style, item_number, split_heading, split_structure


@pytest.mark.parametrize(
    ("paragraphs", "expected"),
    [
        (["一、总则", "（一）第一项。", "1. 第一点。"], "paren_cn"),
        (["第一条 总则。", "（一）第一项。"], "article"),
        (["1. 第一项。", "（1）第一点。"], "digit"),
        (["（1）第一项。"], "paren_digit"),
        (["一、加强领导。各区要…", "二、完善机制。"], "chapter"),
        (["只有一段话。", "又一段话。"], None),
        ([], None),
    ],
)
def test_choose_item_style(paragraphs, expected):
    assert choose_item_style(paragraphs) == expected


@pytest.mark.parametrize(
    ("pattern", "style", "paragraph", "expected"),
    [
        (ITEM_PAREN_CN_RE, "paren_cn", "(三)培育", "（三）"),
        (ITEM_DIGIT_RE, "digit", "1．全角点", "1."),
        (ITEM_DIGIT_RE, "digit", "2、顿号", "2、"),
    ],
)
def test_item_number(pattern, style, paragraph, expected):
    assert item_number(style, pattern.match(paragraph)) == expected


@pytest.mark.parametrize(
    ("paragraph", "expected"),
    [
        ("一、总体要求", ("一、总体要求", "")),
        (
            "一、总体要求。以习近平新时代中国特色社会主义思想为指导，深入贯彻。",
            ("一、总体要求", "以习近平新时代中国特色社会主义思想为指导，深入贯彻。"),
        ),
        ("二、主要任务：", ("二、主要任务", "")),
    ],
)
def test_split_heading(paragraph, expected):
    assert split_heading(paragraph) == expected


def test_split_structure_000_shape():
    structure = split_structure(
        [
            "某某的通知",
            "为贯彻落实，特制定以下措施。",
            "一、做大做强电子商务新业态",
            "（一）支持电子商务平台规模化。",
            "鼓励大型电子商务平台企业。",
            "（二）促进电子商务服务专业化。",
            "在电子信息等优势产业。",
            "二、深化普及电子商务应用",
            "（三）推动制造业电子商务扩大应用。",
            "引导传统制造企业。",
        ]
    )
    assert structure is not None
    assert structure.head == ("某某的通知", "为贯彻落实，特制定以下措施。")
    assert structure.items == (
        ItemBlock("（一）", "一、做大做强电子商务新业态", ("支持电子商务平台规模化。", "鼓励大型电子商务平台企业。")),
        ItemBlock("（二）", "一、做大做强电子商务新业态", ("促进电子商务服务专业化。", "在电子信息等优势产业。")),
        ItemBlock("（三）", "二、深化普及电子商务应用", ("推动制造业电子商务扩大应用。", "引导传统制造企业。")),
    )
    assert structure.chapter_text == ()
    assert structure.closing == ()


def test_chapter_without_items_is_kept_apart():
    structure = split_structure(
        ["方案", "一、总体要求", "以习近平为指导。", "——目标一。", "二、主要任务", "（一）任务一。内容。"]
    )
    assert structure is not None
    assert structure.chapter_text == ("一、总体要求", "以习近平为指导。", "——目标一。")
    assert [item.number for item in structure.items] == ["（一）"]


@pytest.mark.parametrize(
    "closing",
    [
        ("各地、各有关部门要根据本意见尽快出台政策措施。", "广东省人民政府办公厅", "2012年12月25日"),
        ("广东省人民政府办公厅", "2012年12月25日"),
        ("本意见由省商务厅负责解释。",),
        ("附件：1.申报表",),
    ],
)
def test_closing_is_not_part_of_the_last_item(closing):
    paragraphs = ["（一）甲。甲的内容。", "（二）乙。乙的内容。", "（三）丙。丙的内容。", *closing]
    structure = split_structure(paragraphs)
    assert structure is not None
    assert structure.items[-1].paragraphs == ("丙。丙的内容。",)
    assert structure.closing == closing


def test_single_paragraph_items_make_a_trailing_paragraph_closing():
    structure = split_structure(["（一）甲。甲。", "（二）乙。乙。", "（三）丙。丙。", "希望各单位认真落实。"])
    assert structure is not None
    assert structure.closing == ("希望各单位认真落实。",)


def test_multi_paragraph_items_keep_their_paragraphs():
    structure = split_structure(["（一）甲。", "甲的内容。", "（二）乙。", "乙的内容。", "乙的第二段。"])
    assert structure is not None
    assert structure.items[-1].paragraphs == ("乙。", "乙的内容。", "乙的第二段。")
    assert structure.closing == ()


def test_sub_points_stay_in_their_item():
    structure = split_structure(["（一）支持。", "1. 第一点。", "2. 第二点。", "（二）保障。"])
    assert structure is not None
    assert structure.items[0].paragraphs == ("支持。", "1. 第一点。", "2. 第二点。")


def test_articles_with_chapters():
    structure = split_structure(
        ["某某办法", "第一章 总则", "第一条 为了规范，制定本办法。", "一、适用范围", "第二条 本办法适用于本市。"]
    )
    assert structure is not None
    assert [(item.number, item.chapter) for item in structure.items] == [
        ("第一条", "第一章 总则"),
        ("第二条", "第一章 总则"),
    ]
    assert structure.items[0].paragraphs[-1] == "一、适用范围"  # a point of the article, not a chapter


def test_chapter_numbering_as_items():
    structure = split_structure(["通知", "一、加强领导。各区要重视。", "二、完善机制。建立制度。"])
    assert structure is not None
    assert [item.number for item in structure.items] == ["一、", "二、"]
    assert structure.items[0].chapter == ""


def test_nothing_numbered_gives_none():
    assert split_structure(["一段话。", "又一段话。"]) is None


def test_digit_items_under_group_headings_are_the_measures():
    structure = split_structure(
        [
            "一、主要任务",
            "（一）统筹两个市场",
            "1. 拓展市场。内容。",
            "2. 提前适用。内容。",
            "（二）培育新动能",
            "1. 支持外包。内容。",
        ]
    )
    assert structure is not None
    assert [item.number for item in structure.items] == ["1.", "2.", "1."]
    assert [item.chapter for item in structure.items] == [
        "一、主要任务 （一）统筹两个市场",
        "一、主要任务 （一）统筹两个市场",
        "一、主要任务 （二）培育新动能",
    ]


def test_an_attachment_after_the_signature_is_not_measures():
    structure = split_structure(
        [
            "（一）甲。甲的内容。",
            "（二）乙。乙的内容。",
            "国务院办公厅",
            "2019年1月16日",
            "附件",
            "1. 指标一",
            "2. 指标二",
        ]
    )
    assert structure is not None
    assert [item.number for item in structure.items] == ["（一）", "（二）"]
    assert structure.closing[-3:] == ("附件", "1. 指标一", "2. 指标二")
