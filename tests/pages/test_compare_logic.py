"""Pure comparison logic: TF-IDF similarity, alignment with gaps, highlighting, chart and citation."""

from dataclasses import dataclass

import pytest

from measures.charts import yearly_chart
from measures.compare import Column, compare
from measures.similarity import cosine, highlight, nearest, tfidf_vectors


@dataclass
class Item:
    pk: int
    title: str
    text: str


def test_tfidf_cosine_is_one_for_identical_and_zero_for_disjoint():
    vectors = tfidf_vectors({"a": ["海外仓", "物流"], "b": ["海外仓", "物流"], "c": ["融资", "担保"]})
    assert cosine(vectors["a"], vectors["b"]) == pytest.approx(1.0)
    assert cosine(vectors["a"], vectors["c"]) == 0
    assert nearest("a", vectors) == [("b", pytest.approx(1.0))]


@pytest.mark.parametrize(
    ("text", "terms", "expected"),
    [
        ("建设海外仓", ["海外仓"], "建设<mark>海外仓</mark>"),
        ("跨境电商与跨境", ["跨境", "跨境电商"], "<mark>跨境电商</mark>与<mark>跨境</mark>"),
        ("<b>海外仓</b>", ["海外仓"], "&lt;b&gt;<mark>海外仓</mark>&lt;/b&gt;"),
        ("无匹配", [], "无匹配"),
    ],
)
def test_highlight_escapes_and_marks_longest_terms_first(text, terms, expected):
    assert str(highlight(text, terms)) == expected


def test_compare_aligns_same_matter_and_leaves_gaps():
    columns = [
        Column(
            "深圳市",
            "深圳市",
            [
                Item(1, "海外仓建设", "支持企业建设海外仓，完善海外仓物流网络。"),
                Item(2, "直播基地", "建设直播电商孵化基地，培育主播。"),
            ],
        ),
        Column("广州市", "广州市", [Item(3, "海外仓布局", "鼓励企业在海外布局海外仓和物流网络。")]),
    ]
    result = compare(columns)
    aligned = [row for row in result.rows if row.is_aligned]
    assert len(aligned) == 1
    assert [cell.item.pk for cell in aligned[0].cells] == [1, 3]
    assert "海外仓" in aligned[0].terms
    assert "<mark>海外仓</mark>" in str(aligned[0].cells[0].text_html)
    lonely = [row for row in result.rows if not row.is_aligned]
    assert lonely[0].cells[1] is None  # the gap
    assert [item.pk for item in result.gaps[0].unique] == [2]
    assert result.gaps[1].unique == []


def test_compare_never_puts_two_measures_of_one_column_in_a_row():
    same = "支持企业建设海外仓，完善海外仓物流网络。"
    columns = [
        Column("a", "a", [Item(1, "海外仓", same), Item(2, "海外仓", same)]),
        Column("b", "b", [Item(3, "海外仓", same)]),
    ]
    result = compare(columns)
    for row in result.rows:
        assert sum(cell is not None for cell in row.cells) <= 2
    assert sum(row.is_aligned for row in result.rows) == 1


def test_yearly_chart_is_accessible_svg_with_escaped_names():
    svg = str(yearly_chart([{"year": 2020, "region": "<深圳>", "documents": 2, "measures": 10}]))
    assert svg.startswith("<svg") and 'role="img"' in svg and "<title" in svg
    assert "&lt;深圳&gt;" in svg and "<深圳>" not in svg
    assert str(yearly_chart([])) == ""
