"""Theme rules as pure functions: compiled once, scored over tokens, not substrings."""

from __future__ import annotations

from measures.classify import (
    INSTRUMENT,
    MeasureText,
    ThemeRule,
    classify_document,
    compile_rules,
    score_themes,
    topic_domain,
)

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


FACETED = compile_rules(
    [
        ThemeRule("labour", ["就业", "失业", "创业"], topics=("劳动、人事、监察",)),
        ThemeRule("commerce", ["商贸", "贸易"]),
        ThemeRule("ecommerce", ["电子商务", "电商"], parent="commerce"),
        ThemeRule("science_tech", ["数据", "人工智能"]),
        ThemeRule("subsidy", ["补贴", "奖励", "资金"], facet=INSTRUMENT),
        ThemeRule("financing", ["贷款", "担保"], facet=INSTRUMENT),
        ThemeRule("planning", ["目标"], facet=INSTRUMENT),
        ThemeRule("supervision", ["处罚", "罚款"], facet=INSTRUMENT),
    ]
)


def codes(assignments):
    return [a.code for a in assignments]


def test_a_measure_with_no_signal_in_a_document_with_none_stays_unclassified():
    [themes] = classify_document([MeasureText("其他事项", "按有关规定执行。")], title="某某规定", rules=FACETED)
    assert themes == ()


def test_the_documents_field_files_a_measure_whose_own_words_say_nothing_of_it():
    measures = [
        MeasureText("数据开放", "推动公共数据开放，发展人工智能。"),
        MeasureText("数据交易", "规范数据交易。"),
        MeasureText("法律责任", "违反本条例规定的，处以罚款；情节严重的，依法处罚。"),
    ]
    themes = classify_document(measures, title="数据条例", rules=FACETED)
    assert [codes(t)[0] for t in themes] == ["science_tech"] * 3
    assert codes(themes[2]) == ["science_tech", "supervision"]


def test_the_pages_topic_names_the_documents_domain_and_says_so():
    assert topic_domain("劳动、人事、监察\\劳动就业", FACETED) == "labour"
    [themes] = classify_document(
        [MeasureText("做好工作", "加强统筹。")], topic="劳动、人事、监察\\劳动就业", rules=FACETED
    )
    assert codes(themes) == ["labour"]
    assert "主题分类" in themes[0].reason and 0 < themes[0].confidence <= 1


def test_a_measure_clearly_about_another_field_gets_it():
    measures = [
        MeasureText("稳定就业", "支持就业创业。"),
        MeasureText("发展电子商务", "支持电子商务企业开展电商业务，发展电子商务。"),
    ]
    themes = classify_document(measures, title="促进就业的意见", rules=FACETED)
    assert codes(themes[1])[0] == "ecommerce"
    assert "关键词" in themes[1][0].reason


def test_instruments_keep_the_best_and_close_seconds():
    [themes] = classify_document(
        [MeasureText("给予补贴", "给予资金奖励。支持银行发放贷款，提供贷款担保。")], title="就业意见", rules=FACETED
    )
    assert set(codes(themes)) >= {"subsidy", "financing"}


def test_a_framing_item_is_planning():
    [themes] = classify_document(
        [MeasureText("指导思想", "坚持稳中求进。", kind="general")], title="就业意见", rules=FACETED
    )
    assert "planning" in codes(themes)


def test_a_sub_domain_knows_its_ancestors():
    assert FACETED.ancestors("ecommerce") == ["commerce"]
