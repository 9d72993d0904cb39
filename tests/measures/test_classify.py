"""Theme rules as pure functions: compiled once, scored over tokens, not substrings."""

from __future__ import annotations

from measures.classify import ThemeRule, compile_rules, pick_themes, score_themes

RULES = [
    ThemeRule(code="finance", keywords=["上市", "融资", "贷款"]),
    ThemeRule(code="logistics", keywords=["物流", "海外仓", "冷链物流配送"]),
    ThemeRule(code="talent", keywords=["人才", "培训"]),
]


def test_a_keyword_counts_as_a_token_not_as_a_substring():
    scores = score_themes(title="", text="发展线上市场。", chapter="", rules=RULES)
    assert "finance" not in scores  # 线上市场 does not contain the word 上市
    assert score_themes(title="", text="支持企业上市。", chapter="", rules=RULES)["finance"] == 1.0


def test_title_outweighs_chapter_outweighs_body():
    title = score_themes(title="支持海外仓", text="", chapter="", rules=RULES)["logistics"]
    chapter = score_themes(title="", text="", chapter="支持海外仓", rules=RULES)["logistics"]
    body = score_themes(title="", text="支持海外仓", chapter="", rules=RULES)["logistics"]
    assert title > chapter > body > 0


def test_a_word_repeated_in_the_body_is_capped():
    once = score_themes(title="", text="人才" * 4, chapter="", rules=RULES)["talent"]
    often = score_themes(title="", text="人才，" * 20, chapter="", rules=RULES)["talent"]
    assert often == once


def test_a_keyword_jieba_splits_is_found_literally():
    scores = score_themes(title="", text="完善冷链物流配送体系", chapter="", rules=RULES)
    # 冷链物流配送 is several tokens: counted where it occurs, with the weight of a long keyword
    assert scores["logistics"] > score_themes(title="", text="完善物流体系", chapter="", rules=RULES)["logistics"]


def test_compiled_rules_score_like_the_plain_ones():
    compiled = compile_rules(RULES)
    for title, text in [("支持人才培训", "对上市融资企业给予贷款贴息。"), ("海外仓", "冷链物流配送，人才。")]:
        assert score_themes(title=title, text=text, chapter="一、总则", rules=compiled) == score_themes(
            title=title, text=text, chapter="一、总则", rules=RULES
        )


def test_pick_keeps_the_best_and_close_seconds_or_falls_back():
    assert pick_themes({}, fallback="organization") == [("organization", 0.0)]
    assert pick_themes({"a": 10.0, "b": 6.0, "c": 4.0, "d": 9.0}, fallback="x") == [("a", 10.0), ("d", 9.0), ("b", 6.0)]
    assert pick_themes({"a": 10.0, "b": 1.0}, fallback="x") == [("a", 10.0)]
