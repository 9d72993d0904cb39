"""Highlighting: escaped text, only matched words in <mark>, snippet around the best match."""

from __future__ import annotations

from measures.highlight import find_spans, highlight, highlight_all
from measures.tokenize import normalise


def test_marks_only_matches_and_escapes_everything_else():
    html = highlight_all("<script>alert(1)</script>发展海外仓&物流", ["海外仓"], normalise)
    assert html == "&lt;script&gt;alert(1)&lt;/script&gt;发展<mark>海外仓</mark>&amp;物流"


def test_matched_text_is_escaped_inside_mark():
    assert highlight_all("a<b>c", ["<b>"], str.lower) == "a<mark>&lt;b&gt;</mark>c"


def test_traditional_and_full_width_text_is_marked_in_its_original_form():
    html = highlight_all("發展跨境電商與Ｂ２Ｂ", ["跨境电商", "b2b"], normalise)
    assert html == "發展<mark>跨境電商</mark>與<mark>Ｂ２Ｂ</mark>"


def test_longest_term_wins_overlaps():
    assert find_spans("跨境电子商务", ["电子商务", "跨境电子商务"], normalise) == [(0, 6, "跨境电子商务")]


def test_snippet_is_around_the_best_match():
    text = "开头" * 200 + "海外仓与物流" + "结尾" * 200
    html = highlight(text, ["海外仓", "物流"], normalise, size=60)
    assert "<mark>海外仓</mark>与<mark>物流</mark>" in html
    assert html.startswith("…") and html.endswith("…")
    assert len(html.replace("<mark>", "").replace("</mark>", "")) <= 62


def test_snippet_prefers_the_window_with_more_distinct_terms():
    text = "海外仓" + "。" * 300 + "海外仓和物流" + "。" * 300
    html = highlight(text, ["海外仓", "物流"], normalise, size=40)
    assert "<mark>物流</mark>" in html


def test_no_match_gives_the_escaped_beginning():
    assert highlight("<b>粗体</b>" + "字" * 200, ["海外仓"], normalise, size=10) == "&lt;b&gt;粗体&lt;/b&gt;字…"


def test_characters_that_widen_to_several_keep_their_positions():
    # ﬁ (one character) folds to "fi", ㈱ to "(株)": the marks still wrap the original characters
    html = highlight_all("㈱ﬁnance与跨境電商", ["finance", "跨境电商"], normalise)
    assert html == "㈱<mark>ﬁnance</mark>与<mark>跨境電商</mark>"
    assert highlight_all("ﬁnance", ["finance"], normalise) == "<mark>ﬁnance</mark>"  # the table remembers
