"""Tests for building measures from items: titles, kinds, departments, validity."""

from __future__ import annotations

import pytest

from documents.ingest.measures import build_measure, build_measures, split_title
from documents.ingest.structure import ItemBlock
from documents.ingest.types import DepartmentRef


@pytest.mark.parametrize(
    ("first", "rest", "title", "body"),
    [
        ("支持电子商务平台规模化。", ("鼓励大型平台。",), "支持电子商务平台规模化", ["鼓励大型平台。"]),
        ("指导思想。坚持以邓小平理论为指导。", (), "指导思想", ["坚持以邓小平理论为指导。"]),
        (
            "加强平台企业培育引进。大力培育。（市商务局负责）",
            (),
            "加强平台企业培育引进",
            ["大力培育。（市商务局负责）"],
        ),
        ("工作目标：到2025年，建成枢纽。", (), "工作目标", ["到2025年，建成枢纽。"]),
        ("加强组织领导", ("各区要重视。",), "加强组织领导", ["各区要重视。"]),
        ("对新引进企业给予奖励。", (), "对新引进企业给予奖励", ["对新引进企业给予奖励。"]),
        ("没有句号的一句话", (), "没有句号的一句话", ["没有句号的一句话"]),
    ],
)
def test_split_title(first, rest, title, body):
    assert split_title(first, rest) == (title, body)


@pytest.mark.parametrize(
    ("title_paragraph", "chapter", "kind"),
    [
        ("指导思想。坚持。", "一、总体要求", "general"),
        ("发展目标。到2015年。", "一、总体要求", "general"),
        ("基本原则。市场主导。", "", "general"),
        ("总体目标。建成。", "", "general"),
        ("主要目标。建成。", "", "general"),
        ("工作目标。建成。", "", "general"),
        ("加快发展网络零售平台。重点发展。", "二、加快培育", "measure"),
        ("任何标题。内容。", "一、总体要求", "general"),
    ],
)
def test_kind(title_paragraph, chapter, kind):
    assert build_measure(ItemBlock("（一）", chapter, (title_paragraph,)), 1).kind == kind


def test_build_measure_moves_departments_out_of_the_text():
    measure = build_measure(
        ItemBlock("（一）", "一、加速发展", ("加快培育集聚区。推动集聚。（市商务委牵头，市财政局配合）",)), 1
    )
    assert measure.title == "加快培育集聚区"
    assert measure.text == "推动集聚。"
    assert measure.departments == (DepartmentRef("市商务委", "lead"), DepartmentRef("市财政局", "cooperate"))


def test_validity_item_is_taken_out():
    items = (
        ItemBlock("（一）", "", ("甲。甲。",)),
        ItemBlock("（二）", "", ("以上措施自发布之日起实施，有效期 5年。实施", "期间适时调整。")),
    )
    split = build_measures(items)
    assert [measure.number for measure in split.measures] == ["（一）"]
    assert split.validity_clause == "以上措施自发布之日起实施，有效期 5年。实施\n期间适时调整。"


def test_validity_sentence_at_the_end_of_the_last_item():
    split = build_measures((ItemBlock("（一）", "", ("加强宣传。广泛宣传。本措施自发布之日起施行，有效期3年。",)),))
    assert split.measures[0].text == "广泛宣传。"
    assert split.validity_clause == "本措施自发布之日起施行，有效期3年。"


def test_validity_paragraph_at_the_end_of_the_last_item():
    split = build_measures((ItemBlock("（一）", "", ("加强宣传。", "广泛宣传。", "本意见自印发之日起实施。")),))
    assert split.measures[0].text == "广泛宣传。"
    assert split.validity_clause == "本意见自印发之日起实施。"


def test_validity_in_the_closing():
    split = build_measures(
        (ItemBlock("（一）", "", ("甲。甲。",)),), closing=("本意见自印发之日起实施。", "某某办公厅")
    )
    assert split.validity_clause == "本意见自印发之日起实施。"
    assert len(split.measures) == 1
