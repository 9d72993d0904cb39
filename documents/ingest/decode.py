"""Turn uploaded bytes into text: UTF-8, UTF-16 (with or without BOM), or GB18030/GBK.

Binary input (PDF bytes, images, archives) is refused with a clear message
instead of being decoded into mojibake and imported.
"""

from __future__ import annotations

import codecs
import re

from .errors import DecodeError, EmptyDocumentError

# Bytes that never occur in text files of the encodings we accept.
_CONTROL_BYTES = set(range(0x00, 0x09)) | {0x0B, 0x0E, 0x0F} | set(range(0x10, 0x1B)) - {0x1A}

_BINARY_SIGNATURES = {
    b"%PDF": "PDF",
    b"PK\x03\x04": "ZIP/Office 文档",
    b"\x89PNG": "PNG 图片",
    b"\xff\xd8\xff": "JPEG 图片",
    b"GIF8": "GIF 图片",
    b"\xd0\xcf\x11\xe0": "旧版 Office 文档（.doc/.xls）",
    b"\x1f\x8b": "gzip 压缩包",
}


def decode_bytes(data: bytes) -> tuple[str, str]:
    """Return ``(text, encoding)`` for ``data``.

    Tries, in order: a byte-order mark (UTF-8/UTF-16/UTF-32), UTF-16 without a
    mark (when the bytes hold NULs and decode to readable text), strict UTF-8,
    then GB18030 (a superset of GBK and GB2312). Raises ``EmptyDocumentError``
    for empty or whitespace-only input and ``DecodeError`` for binary data or
    bytes that are valid in none of these encodings.
    """
    if not data or not data.strip():
        raise EmptyDocumentError("文件为空：没有可导入的文字。")
    for signature, kind in _BINARY_SIGNATURES.items():
        if data.startswith(signature):
            raise DecodeError(f"这是二进制文件（{kind}），不是文本：请先转换为 .txt 或 .md 再导入。")

    for bom, encoding in (
        (codecs.BOM_UTF32_LE, "utf-32"),
        (codecs.BOM_UTF32_BE, "utf-32"),
        (codecs.BOM_UTF8, "utf-8-sig"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
    ):
        if data.startswith(bom):
            try:
                return _checked(data.decode(encoding), encoding)
            except UnicodeDecodeError as exc:
                raise DecodeError(
                    f"文件以 {encoding} 字节序标记开头，但内容无法按 {encoding} 解码（第 {exc.start} 字节）。"
                ) from exc

    utf16 = _utf16_without_bom(data)
    if utf16 is not None:
        return utf16

    if _looks_binary(data):
        raise DecodeError("文件含有控制字符，像是二进制文件而不是文本：请导入 .txt 或 .md 文本。")

    try:
        return _checked(data.decode("utf-8"), "utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return _checked(data.decode("gb18030"), "gb18030")
    except UnicodeDecodeError as exc:
        raise DecodeError(
            f"无法识别文件编码：既不是 UTF-8，也不是 GBK/GB18030（第 {exc.start} 字节无效）。请另存为 UTF-8 后重试。"
        ) from exc


# What text in UTF-16 decodes to: ASCII and Latin-1, punctuation and symbols, CJK (with its
# punctuation, kana, bopomofo and full-width forms). Random or binary bytes read as UTF-16 land all
# over the code space: Hangul, Yi, private use, scripts a Chinese document never holds.
_READABLE_RE = re.compile(
    "[\t\n\r\f\x20-\x7e\xa0-\xff\u2000-\u206f\u2100-\u27bf\u2e80-\u2fdf"
    "\u3000-\u33ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef]"
)
_READABLE_SHARE = 0.95
_UTF16_SAMPLE = 8192


def _utf16_without_bom(data: bytes) -> tuple[str, str] | None:
    """``(text, "utf-16-le"/"utf-16-be")`` if ``data`` is UTF-16 without a byte-order mark, else None.

    Text in UTF-8 or GB18030 never holds a NUL byte, and UTF-16 text almost always does (every
    ASCII character, every line break, is a NUL plus a byte). Read in the wrong byte order, text
    turns into unreadable characters (a line break becomes U+0A00), so the order that reads as
    more readable text wins, and it must be nearly all readable; on a tie, the half of the pairs
    holding the NULs decides.
    """
    sample = data[:_UTF16_SAMPLE]
    if len(data) % 2 or b"\x00" not in sample:
        return None
    little_nuls = sample[1::2].count(0) >= sample[0::2].count(0)  # "A" is b"A\x00" in little-endian order
    shares = {encoding: _readable_share(sample, encoding) for encoding in ("utf-16-le", "utf-16-be")}
    encoding = max(shares, key=lambda name: (shares[name], (name == "utf-16-le") == little_nuls))
    if shares[encoding] < _READABLE_SHARE:
        return None
    try:
        return _checked(data.decode(encoding), encoding)
    except UnicodeDecodeError:  # a broken surrogate pair after the sample
        return None


def _readable_share(sample: bytes, encoding: str) -> float:
    text = sample.decode(encoding, errors="replace")  # a sample may end inside a surrogate pair
    return len(_READABLE_RE.findall(text)) / len(text)


_CONTROL_BYTE_RE = re.compile(b"[" + b"".join(re.escape(bytes([byte])) for byte in sorted(_CONTROL_BYTES)) + b"]")


def _looks_binary(data: bytes) -> bool:
    return _CONTROL_BYTE_RE.search(data, 0, 8192) is not None


def _checked(text: str, encoding: str) -> tuple[str, str]:
    if not text.strip():
        raise EmptyDocumentError("文件为空：没有可导入的文字。")
    if "\x00" in text:
        raise DecodeError("文件含有空字符（NUL），像是二进制文件而不是文本。")
    return text, encoding
