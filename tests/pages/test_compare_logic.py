"""Pure comparison logic: TF-IDF similarity, alignment with gaps, highlighting, chart and citation."""

from dataclasses import dataclass

import pytest

from measures.charts import yearly_chart
from measures.compare import Column, compare, per_column_limit
from measures.similarity import (
    Frequencies,
    cosine,
    distinctive_terms,
    highlight,
    item_tokens,
    nearest,
    tfidf_vector,
    tfidf_vectors,
)


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


@dataclass
class Indexed(Item):
    search_title: str = ""
    search_body: str = ""


def test_item_tokens_read_the_stored_tokens_title_twice_without_boilerplate():
    item = Indexed(1, "不会被切分的标题", "正文", search_title="海外仓 建设", search_body="支持 企业 海外仓 物流 x")
    # 建设, 支持, 企业 are stop terms; single characters tell nothing
    assert item_tokens(item) == ("海外仓", "海外仓", "海外仓", "物流")
    assert "海外仓" in item_tokens(Item(2, "海外仓", "建设海外仓"))  # nothing stored: segmented instead


def test_corpus_frequencies_weigh_rare_terms_and_pick_them_for_retrieval():
    frequencies = Frequencies.of([["人才", "培训"], ["人才", "住房"], ["人才", "融资"], ["人才"]])
    assert frequencies.total == 4 and frequencies.share("人才") == 1.0
    assert frequencies.idf("住房") > frequencies.idf("人才") and frequencies.idf("未见过") > frequencies.idf("住房")
    vector = tfidf_vector(["人才", "人才", "住房", "补贴"], frequencies)
    assert distinctive_terms(vector, frequencies, limit=2) == ["补贴", "住房"]
    # A sample of 4 standing for 4,000 measures: 住房 and 融资 are in ~1,000 each, 人才 in all.
    sample = Frequencies.of([["人才", "培训"], ["人才", "住房"], ["人才", "融资"], ["人才"]], population=4000)
    assert sample.matches("住房") == 1000 and sample.matches("未见过") == 0
    vector = tfidf_vector(["融资", "融资", "住房", "补贴"], sample)
    assert distinctive_terms(vector, sample, max_matches=1500) == ["融资", "补贴"]  # no room left for 住房
    only_common = tfidf_vector(["人才"], sample)
    assert distinctive_terms(only_common, sample, max_matches=1500) == ["人才"]  # better than nothing


def test_corpus_idf_changes_the_weights_not_the_alignment_of_clear_matches():
    columns = [
        Column("a", "a", [Indexed(1, "海外仓", "", search_title="海外仓", search_body="物流 仓储")]),
        Column("b", "b", [Indexed(2, "海外仓", "", search_title="海外仓", search_body="物流 通关")]),
    ]
    frequencies = Frequencies.of([["海外仓"], ["物流"], ["物流"], ["物流"], ["仓储"], ["通关"]] * 10)
    result = compare(columns, frequencies=frequencies)
    assert result.aligned_count == 1
    assert result.rows[0].terms[0] == "海外仓"  # rarer in the corpus than 物流, so it leads


def test_vectors_can_keep_only_the_heaviest_terms():
    tokens, frequencies = ["海外仓", "海外仓", "物流", "通关", "仓储"], Frequencies.of([["物流"], ["通关"], ["仓储"]])
    cut = tfidf_vector(tokens, frequencies, limit=2)
    assert next(iter(cut)) == "海外仓" and len(cut) == 2
    assert cosine(cut, cut) == pytest.approx(1.0)  # normalised again
    assert tfidf_vector(tokens, frequencies, limit=10) == tfidf_vector(tokens, frequencies)


@pytest.mark.parametrize(("columns", "expected"), [(1, 60), (2, 30), (3, 20), (4, 15), (6, 15)])
def test_per_column_limit_shares_the_budget(columns, expected):
    assert per_column_limit(columns) == expected


def test_column_reports_what_the_cap_hides():
    assert Column("a", "a", [Item(1, "t", "x")], total=40).hidden == 39
    assert Column("a", "a", [Item(1, "t", "x")]).hidden == 0
    result = compare([Column("a", "a", [Item(1, "t", "x")], total=5), Column("b", "b", [])])
    assert [column.key for column in result.capped_columns] == ["a"]
