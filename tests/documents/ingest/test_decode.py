"""Tests for decoding bytes into text: each encoding we accept, and binary input refused."""

from __future__ import annotations

import codecs

import pytest
from hypothesis import given
from hypothesis import strategies as st

from documents.ingest import DecodeError, EmptyDocumentError
from documents.ingest.decode import decode_bytes

TEXT = "关于支持某事的若干措施\n（一）加强领导。2019年1月1日起施行，“B2B”平台。\n"


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        (TEXT.encode(), "utf-8"),
        (codecs.BOM_UTF8 + TEXT.encode(), "utf-8-sig"),
        (TEXT.encode("gbk"), "gb18030"),
        (TEXT.encode("gb18030"), "gb18030"),
        (TEXT.encode("utf-16"), "utf-16"),
        (TEXT.encode("utf-32"), "utf-32"),
        (TEXT.encode("utf-16-le"), "utf-16-le"),
        (TEXT.encode("utf-16-be"), "utf-16-be"),
        ("（一）加强领导。\r\n（二）完善机制。".encode("utf-16-le"), "utf-16-le"),
        ("Article 1\n".encode("utf-16-be"), "utf-16-be"),
        # Chinese whose code points end in 00 puts NULs where ASCII would in the other byte order.
        (("一丐丙" * 20 + "\n").encode("utf-16-le"), "utf-16-le"),
        (("一丐丙" * 20 + "\n").encode("utf-16-be"), "utf-16-be"),
    ],
)
def test_accepted_encodings(data, encoding):
    text, found = decode_bytes(data)
    assert found == encoding
    assert text.replace("\r\n", "\n").strip() == data.decode(encoding).replace("\r\n", "\n").strip()


@pytest.mark.parametrize(
    ("data", "error", "message"),
    [
        (b"", EmptyDocumentError, "文件为空"),
        (" \n".encode("utf-16-le"), EmptyDocumentError, "文件为空"),
        (b"\x00\x01\x02binary", DecodeError, "二进制"),
        (bytes(range(256)) * 4, DecodeError, "二进制"),
        (b"\x00" * 64, DecodeError, "二进制"),
        (TEXT.encode("utf-16-le")[:-1], DecodeError, "二进制"),  # odd length: not UTF-16
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", DecodeError, "PNG"),
        ("中文".encode("utf-16-le") + b"\x00\xd8A\x00", DecodeError, "二进制"),  # a lone surrogate
    ],
)
def test_refused_input(data, error, message):
    with pytest.raises(error, match=message):
        decode_bytes(data)


_READABLE = st.sampled_from("关于支持企业发展的若干措施一二三四五六七八九十（）、，。；：“”《》 0123456789ABCabc")


@given(body=st.text(alphabet=_READABLE, min_size=1, max_size=200), encoding=st.sampled_from(["utf-16-le", "utf-16-be"]))
def test_utf16_without_bom_round_trips(body, encoding):
    text = f"{body}\n"
    if not body.strip():
        return
    assert decode_bytes(text.encode(encoding)) == (text, encoding)
