"""Tests for the entry points: errors, metadata precedence, periodical hand-off, fuzzing."""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import documents.ingest.parse as parse_module
from documents.ingest import (
    DecodeError,
    DocumentMeta,
    EmptyDocumentError,
    IngestError,
    NoMeasuresError,
    UnsupportedFormatError,
    parse_document,
    parse_text,
)

from .seed_helpers import POLICY_SEEDS, SEED_000, SEED_004, seed_bytes, seed_meta, seed_text

SMALL_POLICY = "关于支持某事的若干措施\n\n（一）加强领导。各区要重视。\n\n（二）完善机制。建立制度。\n"


@pytest.mark.parametrize(
    ("data", "error", "message"),
    [
        (b"", EmptyDocumentError, "文件为空"),
        (b"   \n\n  ", EmptyDocumentError, "文件为空"),
        (b"%PDF-1.4\n...", DecodeError, "PDF"),
        (b"PK\x03\x04rest-of-zip", DecodeError, "ZIP"),
        (b"\x00\x01\x02binary", DecodeError, "二进制"),
        ("只有一段话，没有任何编号条目。\n\n又一段话。".encode(), NoMeasuresError, "没有找到编号条目"),
        ("-1-\n\n公开属性：主动公开\n".encode(), EmptyDocumentError, "没有可导入的正文"),
    ],
)
def test_unusable_input_raises_a_chinese_ingest_error(data, error, message):
    with pytest.raises(error, match=message):
        parse_document(data)


@pytest.mark.parametrize("filename", ["政策.doc", "扫描件.jpg", "统计.xlsx"])
def test_unsupported_file_types_are_refused_by_name(filename):
    with pytest.raises(UnsupportedFormatError, match="暂不支持"):
        parse_document(SMALL_POLICY.encode(), filename=filename)


@pytest.mark.parametrize("text", ["", "  \n "])
def test_parse_text_refuses_empty_text(text):
    with pytest.raises(EmptyDocumentError):
        parse_text(text)


def test_parse_document_hashes_the_bytes():
    data = seed_bytes(SEED_000)
    assert parse_document(data).content_hash == hashlib.sha256(data).hexdigest()


def test_parse_text_hashes_the_text_when_no_hash_is_given():
    parsed = parse_text(SMALL_POLICY)
    assert parsed.content_hash == hashlib.sha256(SMALL_POLICY.encode()).hexdigest()
    assert parse_text(SMALL_POLICY, content_hash="abc").content_hash == "abc"


def test_utf16_with_bom_is_read():
    parsed = parse_document(SMALL_POLICY.encode("utf-16"))
    assert [measure.title for measure in parsed.measures] == ["加强领导", "完善机制"]


def test_small_policy():
    parsed = parse_text(SMALL_POLICY, filename="x.txt")
    assert parsed.title == "关于支持某事的若干措施"
    assert parsed.doc_type == "measures"
    assert [(m.ordinal, m.number, m.title, m.text) for m in parsed.measures] == [
        (1, "（一）", "加强领导", "各区要重视。"),
        (2, "（二）", "完善机制", "建立制度。"),
    ]


def test_meta_fills_gaps_and_wins():
    meta = DocumentMeta(
        title="覆盖的标题",
        doc_number="粤府办〔2012〕 131 号",
        issuer="某局",
        region="广东省",
        doc_type="other",
        issue_date=dt.date(2020, 5, 6),
        source_url="http://example.cn/",
    )
    parsed = parse_document(seed_bytes(SEED_000), meta=meta)
    assert parsed.title == "覆盖的标题"
    assert parsed.policy_title == "深圳市关于进一步促进电子商务发展的若干措施"
    assert parsed.doc_number == "粤府办〔2012〕131号"
    assert (parsed.issuer, parsed.region, parsed.doc_type) == ("某局", "广东省", "other")
    assert (parsed.issue_date, parsed.year) == (dt.date(2020, 5, 6), 2020)
    assert parsed.source_url == "http://example.cn/"
    # Validity counts from the issue date that won.
    assert parsed.validity is not None and parsed.validity.valid_until == dt.date(2025, 5, 5)


def test_year_from_the_title_period_when_nothing_else_says():
    text = "某市行动方案（2022-2025）\n\n（一）甲。甲的内容。\n（二）乙。乙的内容。"
    parsed = parse_text(text)
    assert parsed.year == 2022
    assert parsed.issue_date is None
    assert parsed.provenance["year"] == "由标题中的期限推定"
    # Each value the text does not give is named, so the preview and the command can ask for it.
    assert parsed.warnings == [
        "未能从发文机关、文号或标题确定地区，请填写地区。",
        "正文中没有识别出发文日期。",
        "正文中没有识别出发文机关。",
    ]


def test_missing_title_falls_back_to_the_file_name_with_a_warning():
    parsed = parse_text("（一）甲。甲的内容。\n（二）乙。乙的内容。", filename="某某措施.txt")
    assert parsed.title == "某某措施"
    assert "正文中没有识别出标题，请在导入时填写标题。" in parsed.warnings


def test_periodical_is_handed_to_the_periodical_parser():
    parsed = parse_document(seed_bytes(SEED_004), filename=SEED_004, meta=seed_meta(SEED_004))
    assert parsed.doc_type == "periodical"
    assert parsed.measures == []
    assert parsed.title == "电子商务动态 2017年第1期（总第26期）"
    assert parsed.issuer == "深圳市电子商务服务中心"
    assert parsed.region == "深圳市"
    assert parsed.issue_date == dt.date(2017, 1, 31)
    assert parsed.year == 2017
    assert parsed.articles
    assert parsed.raw_text == seed_text(SEED_004)


def test_periodical_is_recognised_without_meta():
    assert parse_document(seed_bytes(SEED_004)).doc_type == "periodical"


def test_periodical_without_the_periodical_parser_is_refused(monkeypatch):
    monkeypatch.setattr(parse_module, "_periodical_module", lambda: None)
    with pytest.raises(UnsupportedFormatError, match="期刊"):
        parse_document(seed_bytes(SEED_004))
    # Policy parsing does not need it.
    assert len(parse_document(seed_bytes(SEED_000)).measures) == 24


def test_unexpected_periodical_failure_becomes_an_ingest_error(monkeypatch):
    class Broken:
        @staticmethod
        def looks_like_periodical(text):
            return True

        @staticmethod
        def parse_periodical(text, *, meta):
            raise IndexError("bug")

    monkeypatch.setattr(parse_module, "_periodical_module", lambda: Broken)
    with pytest.raises(IngestError, match="期刊内容无法解析"):
        parse_text("任何文本")


@pytest.mark.parametrize("name", POLICY_SEEDS)
def test_policy_seeds_are_not_taken_for_periodicals(name):
    assert parse_document(seed_bytes(name)).doc_type != "periodical"


# --- fuzzing: only IngestError may escape ------------------------------------------------

_ALPHABET = st.sampled_from(
    list("一二三十（）()、，。；：！？《》〔〕“”〈〉*#_\\-[]<>·… \n\u3000\t年月日第条章号牵头配合负责市省区各")
    + list("0123456789abcAB有效期自发布之日起施行本措施附錄以下全文可參閱http://")
)
_TEXTS = st.text(alphabet=_ALPHABET, max_size=400) | st.text(max_size=200)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=_TEXTS)
def test_fuzz_parse_text_raises_only_ingest_errors(text):
    try:
        parsed = parse_text(text)
    except IngestError as error:
        assert error.message
        return
    assert parsed.measures
    assert [measure.ordinal for measure in parsed.measures] == list(range(1, len(parsed.measures) + 1))


@settings(max_examples=200, deadline=None)
@given(data=st.binary(max_size=300))
def test_fuzz_parse_document_raises_only_ingest_errors(data):
    with contextlib.suppress(IngestError):
        parse_document(data)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    name=st.sampled_from(POLICY_SEEDS),
    start=st.integers(min_value=0, max_value=6000),
    length=st.integers(min_value=0, max_value=3000),
    insert=st.text(alphabet=_ALPHABET, max_size=30),
)
def test_fuzz_damaged_seed_texts(name, start, length, insert):
    text = seed_text(name)
    damaged = text[:start] + insert + text[start + length :]
    with contextlib.suppress(IngestError):
        parse_text(damaged)
