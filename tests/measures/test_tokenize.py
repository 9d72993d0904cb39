"""Normalisation and segmentation: the analyzer both the index and the queries go through."""

from __future__ import annotations

import pytest

from measures.tokenize import decompound, index_tokens, normalise, query_tokens


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("跨境電商", "跨境电商"),
        ("國務院關於", "国务院关于"),
        ("Ｂ２Ｂ", "b2b"),
        ("B2B", "b2b"),
        ("ＡＢＣ　ｄｅｆ", "abc def"),
    ],
)
def test_normalise(raw, expected):
    assert normalise(raw) == expected


@pytest.mark.parametrize(
    ("query", "text"),
    [
        ("跨境電商", "优化跨境电商海外仓建设布局"),
        ("电子商务", "支持跨境电子商务企业"),  # a dictionary sub-word is indexed
        ("Ｂ２Ｂ", "发展B2B电子商务"),
        ("海外仓", "提升海外仓数字化水平"),
    ],
)
def test_query_tokens_are_found_among_index_tokens(query, text):
    assert set(query_tokens(query)) <= set(index_tokens(text))


def test_上市_is_not_found_in_线上市场():
    # the reason plain icontains fails: 上市 inside 线上市场 is not the word 上市
    assert "上市" not in index_tokens("开展线上市场与线下市场互动")
    assert "上市" in index_tokens("推动重点电子商务企业上市融资")


def test_punctuation_and_emoji_give_no_tokens():
    assert query_tokens("！？，。😀 ()&|") == []


@pytest.mark.parametrize(
    ("token", "parts"),
    [("人才培养", ["人才", "培养"]), ("物流配送", ["物流", "配送"]), ("海外仓", ["海外仓"]), ("b2b2c", ["b2b2c"])],
)
def test_decompound(token, parts):
    assert decompound(token) == parts
