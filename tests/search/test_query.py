"""The query language as pure functions: parsing, synonyms, ranking units (no database, no jieba)."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from search.query import (
    MAX_QUERY_CHARS,
    Clause,
    Term,
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


def halves(token: str) -> list[str]:
    """A stand-in for the dictionary's decompounding: four or more characters split in pairs."""
    return [token[i : i + 2] for i in range(0, len(token), 2)] if len(token) >= 4 else [token]


def test_compounds_split_into_units_wherever_they_occur():
    # the bug this guards against: 电商人才培养 required 人才培养 as one token
    parsed = expand_synonyms(
        parse_query("电商 人才培养", tokenize=lambda t: [t], normalise=str.lower),
        [("电商", "电子商务")],
        tokenize=lambda t: [t],
        decompound=halves,
    )
    assert [[" ".join(a.tokens) for a in u.alternatives] for u in parsed.ranking_units] == [
        ["电商", "电子 商务"],
        ["人才"],
        ["培养"],
    ]


def test_one_typed_word_of_several_tokens_gives_a_unit_per_token_with_its_synonyms():
    parsed = expand_synonyms(
        parse_query("电商人才培养", tokenize=lambda t: ["电商", "人才培养"], normalise=str.lower),
        [("电商", "电子商务")],
        tokenize=lambda t: {"电子商务": ["电子商务"]}.get(t, [t]),
        decompound=halves,
    )
    assert [[" ".join(a.tokens) for a in u.alternatives] for u in parsed.ranking_units] == [
        ["电商", "电子 商务"],
        ["人才"],
        ["培养"],
    ]


def test_or_clauses_and_phrases_stay_one_unit():
    parsed = expand_synonyms(parse('海外仓 OR 物流 "跨境电商"'), [], tokenize=fake_tokenize, decompound=halves)
    assert [[a.text for a in u.alternatives] for u in parsed.ranking_units] == [["海外仓", "物流"], ["跨境电商"]]


@given(st.text(max_size=300))
def test_any_input_parses_to_analyzer_tokens_only(raw):
    parsed = expand_synonyms(parse(raw), [("电商", "电子商务")], tokenize=fake_tokenize, decompound=halves)
    for clause in (*parsed.clauses, *parsed.ranking_units):
        for term in clause.alternatives:
            assert term.tokens and all(re.fullmatch(r"[0-9a-z\u4e00-\u9fff]+", token) for token in term.tokens)


def test_clause_is_hashable_for_deduplication():
    assert len({Clause((Term("a", ("a",)),)), Clause((Term("a", ("a",)),))}) == 1
