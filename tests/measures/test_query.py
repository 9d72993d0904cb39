"""The query language as pure functions: parsing, synonyms, compilation (no database, no jieba)."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from measures.query import (
    MAX_QUERY_CHARS,
    Clause,
    Term,
    compile_fts5,
    compile_tsquery,
    expand_synonyms,
    parse_query,
    synonym_groups,
)


def fake_tokenize(text: str) -> list[str]:
    """Words are runs of letters/digits or CJK; a CJK run splits in pairs (a stand-in for jieba)."""
    tokens = []
    for run in re.findall(r"[0-9a-z]+|[\u4e00-\u9fff]+", text):
        tokens.extend([run] if run.isascii() or len(run) <= 3 else [run[i : i + 2] for i in range(0, len(run), 2)])
    return tokens


def parse(raw: str):
    return parse_query(raw, tokenize=fake_tokenize, normalise=str.lower)


def shape(raw: str) -> tuple:
    parsed = parse(raw)
    return (
        [[(t.text, t.phrase) for t in c.alternatives] for c in parsed.clauses],
        [t.text for t in parsed.excluded],
    )


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("海外仓", ([[("海外仓", False)]], [])),
        ("海外仓 物流", ([[("海外仓", False)], [("物流", False)]], [])),
        ("海外仓 OR 物流", ([[("海外仓", False), ("物流", False)]], [])),
        ("海外仓 | 物流", ([[("海外仓", False), ("物流", False)]], [])),
        ("电商 -农村", ([[("电商", False)]], ["农村"])),
        ('"人才培养"', ([[("人才培养", True)]], [])),
        ("“人才培养” 资金", ([[("人才培养", True)], [("资金", False)]], [])),
        ('"unbalanced quote', ([[("unbalanced quote", True)]], [])),
        ("OR 海外仓", ([[("海外仓", False)]], [])),  # a leading OR joins nothing
        ("海外仓 OR", ([[("海外仓", False)]], [])),
        ("B2B", ([[("b2b", False)]], [])),
        ("or 海外仓", ([[("or", False)], [("海外仓", False)]], [])),  # lower-case or is a word
        ("海外仓 海外仓", ([[("海外仓", False)]], [])),  # duplicates collapse
        ("", ([], [])),
        ("   ", ([], [])),
        ("！？。，", ([], [])),
        ("😀🎉", ([], [])),
        ("-", ([], [])),
        ('""', ([], [])),
        ('"海外\x00仓"', ([[("海外 仓", True)]], [])),  # control characters (NUL: PostgreSQL refuses it) are spaces
        ("\x00\x1f\x85", ([], [])),
    ],
)
def test_parse(raw, expected):
    assert shape(raw) == expected


def test_multi_token_word_keeps_tokens_together():
    (clause,) = parse("人才培养").clauses
    assert clause.alternatives == (Term(text="人才 培养", tokens=("人才", "培养")),)


def test_long_input_is_cut_and_said_so():
    parsed = parse("电" * (MAX_QUERY_CHARS + 500))
    assert parsed.truncated and parsed.notes
    assert sum(len(t) for c in parsed.clauses for a in c.alternatives for t in a.tokens) <= MAX_QUERY_CHARS


def test_only_phrase_clauses_are_required():
    parsed = parse('"海外仓" 物流')
    assert [c.required for c in parsed.clauses] == [True, False]
    assert parsed.required_phrases() == [["海外仓"]]


def test_synonyms_add_alternatives_also_inside_compounds():
    groups = synonym_groups([["电商", "电子商务"], ["x"]], normalise=str.lower)
    assert groups == [("电商", "电子商务")]  # a group of one term is no group
    parsed = expand_synonyms(parse("农村电商"), groups, tokenize=fake_tokenize)
    texts = [t.text for t in parsed.clauses[0].alternatives]
    assert texts == ["农村 电商", "农村 电子 商务"]


def test_synonyms_leave_phrases_alone():
    parsed = expand_synonyms(parse('"电商"'), [("电商", "电子商务")], tokenize=fake_tokenize)
    assert len(parsed.clauses[0].alternatives) == 1


def test_plain_words_rank_by_decompounded_units_but_synonym_clauses_stay_whole():
    parsed = expand_synonyms(
        parse("人才培养 电商"), [("电商", "电子商务")], tokenize=fake_tokenize, decompound=lambda t: [t]
    )
    assert [[a.text for a in u.alternatives] for u in parsed.ranking_units] == [
        ["人才"],
        ["培养"],
        ["电商", "电子 商务"],
    ]


def test_compile_postgresql_and_fts5():
    parsed = parse("海外仓 OR 物流 人才培养 -农村")
    pg, fts = compile_tsquery(parsed), compile_fts5(parsed)
    assert pg.any == "((('海外仓') | ('物流')) | (('人才' & '培养'))) & !(('农村'))"
    assert pg.all == "((('海外仓') | ('物流')) & (('人才' & '培养'))) & !(('农村'))"
    assert fts.any == '((("海外仓") OR ("物流")) OR (("人才" AND "培养"))) NOT (("农村"))'
    assert len(pg.each) == len(fts.each) == 2
    # the words in the title (weight A), the exclusion anywhere
    assert pg.in_title == "((('海外仓':A) | ('物流':A)) | (('人才':A & '培养':A))) & !(('农村'))"


@given(st.text(max_size=300))
def test_any_input_parses_and_compiles_to_quoted_lexemes_only(raw):
    parsed = parse(raw)
    if parsed.is_empty:
        return
    for compiled, quote in ((compile_tsquery(parsed), "'"), (compile_fts5(parsed), '"')):
        # every lexeme between quotes is an analyzer token: letters, digits, CJK only
        lexemes = re.findall(f"{quote}([^{quote}]*){quote}", compiled.any)
        assert lexemes and all(re.fullmatch(r"[0-9a-z\u4e00-\u9fff]+", lexeme) for lexeme in lexemes)
        outside = re.sub(f"{quote}[^{quote}]*{quote}", "", compiled.any)
        assert set(outside) <= set("()&|! ANDORT")


def test_clause_is_hashable_for_deduplication():
    assert len({Clause((Term("a", ("a",)),)), Clause((Term("a", ("a",)),))}) == 1
