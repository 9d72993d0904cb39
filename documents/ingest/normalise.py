"""Turn raw document text (PDF extraction, web copy, markdown) into clean paragraphs.

Each step is a small pure function with its own table test:

* character folding: full-width letters and digits to ASCII, odd spaces to plain spaces,
  while Chinese punctuation stays full-width and half-width ``(一)`` or ``落地,实现``
  written inside Chinese text becomes ``（一）`` / ``落地，实现``;
* markdown removal (headings, bold, escapes, links) and the web header that says where
  a page was copied from, whose URL is kept as the source;
* page numbers and print footers (公开属性, 抄送, ``……印发``) are dropped;
* lines broken by PDF extraction are joined again, while numbered items, headings,
  dates, signatures and lines after a sentence end start new paragraphs.

The result is one paragraph per line; everything downstream reads that.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .patterns import (
    CJK_RE,
    CN_LABEL,
    DATE_LINE_RE,
    DATE_PATTERN,
    DEPARTMENT_TAIL_RE,
    DIGIT_LABEL,
    DOC_NUMBER_LINE_RE,
    SENTENCE_END_RE,
    TITLE_FORBIDDEN_RE,
    is_short_heading,
    is_title_like,
    match_chapter,
    match_item,
)


@dataclass(frozen=True)
class NormalisedText:
    """Clean text, its paragraphs and what was learnt on the way (the source URL)."""

    text: str  # paragraphs joined by "\n"
    paragraphs: tuple[str, ...]
    source_url: str = ""


@dataclass(frozen=True)
class Line:
    """One cleaned physical line and what its markup said about paragraph boundaries."""

    text: str
    standalone: bool = False  # a markdown heading: a paragraph on its own
    starts_paragraph: bool = False  # a list bullet or ``——`` item: never continues the line before


# --- characters -----------------------------------------------------------------------

_FULL_WIDTH_ALNUM_RE = re.compile(r"[０-９Ａ-Ｚａ-ｚ]")
_ODD_SPACES_RE = re.compile(r"[\u3000\u00a0\u2002-\u200a\u202f\u205f\t]")
# Zero-width marks and control characters (a \x0b pasted from Word becomes a line break earlier).
_INVISIBLE_RE = re.compile(r"[\u200b-\u200d\u2060\ufeff\u00ad\x00-\x08\x0e-\x1f\x7f-\x9f]")
_SPACE_RUN_RE = re.compile(r" {2,}")


def fold_width(text: str) -> str:
    """Full-width letters and digits to ASCII, odd spaces to plain spaces, invisible marks removed.

    Only letters and digits are folded: Chinese punctuation such as （）、，；：《》〔〕
    is the normal form in these documents and stays as it is.
    """
    text = _FULL_WIDTH_ALNUM_RE.sub(lambda match: chr(ord(match.group()) - 0xFEE0), text)
    text = _ODD_SPACES_RE.sub(" ", text)
    return _INVISIBLE_RE.sub("", text)


# Half-width brackets around Chinese text: ``(一)``, ``(市商务委牵头)``, ``物流(快递)``.
_HALF_PARENS_RE = re.compile(r"\(([^()（）\n]*[\u3400-\u9fff][^()（）\n]*)\)")
# Mixed pairs that web copies produce: ``(市商务委牵头）`` / ``（市商务委牵头)``.
_MIXED_PARENS_RE = re.compile(r"[(（]([^()（）\n]*[\u3400-\u9fff][^()（）\n]*)[)）]")
_PAREN_DIGIT_START_RE = re.compile(rf"^\(({DIGIT_LABEL})\)")
# Half-width sentence punctuation right after Chinese text or a closing mark.
_HALF_PUNCT_RE = re.compile(r"(?<=[\u3400-\u9fff）》”’〕】」])([,;:?!])(?!//)")
_FULL_PUNCT = {",": "，", ";": "；", ":": "：", "?": "？", "!": "！"}
_SPACE_AFTER_LABEL_RE = re.compile(rf"^(（(?:{CN_LABEL}|{DIGIT_LABEL})）)\s+")


def normalise_punctuation(text: str) -> str:
    """Half-width punctuation written inside Chinese text becomes full-width.

    ``(一) 加快`` → ``（一）加快``; ``落地,实现`` → ``落地，实现``; ``(CA)`` and
    ``3,000`` stay as they are because nothing Chinese is around them.
    """
    text = _MIXED_PARENS_RE.sub(r"（\1）", text)
    text = _HALF_PARENS_RE.sub(r"（\1）", text)
    text = _PAREN_DIGIT_START_RE.sub(r"（\1）", text)
    text = _HALF_PUNCT_RE.sub(lambda match: _FULL_PUNCT[match.group(1)], text)
    return _SPACE_AFTER_LABEL_RE.sub(r"\1", text)


def collapse_spaces(text: str) -> str:
    """Runs of spaces become one; spaces at both ends go."""
    return _SPACE_RUN_RE.sub(" ", text).strip()


# --- markdown -------------------------------------------------------------------------

_HEADING_RE = re.compile(r"^#{1,6}\s*(?P<text>.*?)\s*#*\s*$")
_RULE_RE = re.compile(r"^(?:\*\s*){3,}$|^(?:-\s*){3,}$|^(?:_\s*){3,}$")
_DASH_ITEM_RE = re.compile(r"^-{2,}\s*(?=[^\s-])")
_BULLET_RE = re.compile(r"^[-*+]\s+(?=\S)")
_QUOTE_RE = re.compile(r"^>\s?")
_IMAGE_RE = re.compile(r"!\[(?P<alt>[^\]]*)\]\([^)]*\)")
_LINK_RE = re.compile(r"\[(?P<text>[^\]]*)\]\((?P<url>[^)\s]+)(?:\s+\"[^\"]*\")?\)")
_AUTOLINK_RE = re.compile(r"<(?P<url>https?://[^>\s]+)>")
_ESCAPE_RE = re.compile(r"\\+(?=[\\`*_{}\[\]()#+\-.!<>|~])")
_BOLD_RE = re.compile(r"(\*\*|__)(?=\S)(?P<text>.+?)(?<=\S)\1")
_ITALIC_RE = re.compile(r"(?<![A-Za-z0-9*\\])\*(?=[^\s*])(?P<text>[^*\n]+?)(?<=[^\s*])\*(?![A-Za-z0-9*])")
# ``(一)**加强平台企业培育引进**大力…``: a bold title with no punctuation after it gets a 。
# so the title stays separable once the bold marks are gone.
_BOLD_TITLE_NO_STOP_RE = re.compile(
    rf"^(?P<label>[（(]{CN_LABEL}[）)]|{DIGIT_LABEL}[.．、])\s*\*\*(?P<title>[^*。！？]+?)\*\*(?=[^\s。，；：！？*])"
)


def unescape_markdown(text: str) -> str:
    """``post\\_10194106`` and ``post\\\\_10194106`` → ``post_10194106``."""
    return _ESCAPE_RE.sub("", text)


def _link_text(match: re.Match[str]) -> str:
    text, url = unescape_markdown(match["text"]).strip(), unescape_markdown(match["url"])
    if not text or text == url:
        return url
    return f"{text}（{url}）"


def strip_inline_markdown(text: str) -> str:
    """Bold, italics, escapes and links removed; link text and URL kept."""
    text = _BOLD_TITLE_NO_STOP_RE.sub(r"\g<label>\g<title>。", text)
    text = _IMAGE_RE.sub(lambda match: match["alt"], text)
    text = _LINK_RE.sub(_link_text, text)
    text = _AUTOLINK_RE.sub(lambda match: match["url"], text)
    text = _BOLD_RE.sub(lambda match: match["text"], text)
    text = text.replace("**", "").replace("__", "")
    text = _ITALIC_RE.sub(lambda match: match["text"], text)
    return unescape_markdown(text)


_HTML_COMMENT_RE = re.compile(r"<!--.*?-->")


def markdown_line(text: str) -> Line | None:
    """Clean one stripped line of markdown; ``None`` for a horizontal rule or a comment.

    Headings become standalone paragraphs; ``---**目标**…`` (a dash list written
    with hyphens) becomes ``——目标…``.
    """
    text = _HTML_COMMENT_RE.sub("", text).strip()
    if not text or _RULE_RE.match(text):
        return None
    heading = _HEADING_RE.match(text)
    if heading:
        return Line(strip_inline_markdown(heading["text"]), standalone=True)
    text = _QUOTE_RE.sub("", text)
    if _DASH_ITEM_RE.match(text):
        return Line("——" + strip_inline_markdown(_DASH_ITEM_RE.sub("", text)), starts_paragraph=True)
    if _BULLET_RE.match(text):
        return Line(strip_inline_markdown(_BULLET_RE.sub("", text)), starts_paragraph=True)
    return Line(strip_inline_markdown(text), starts_paragraph=text.startswith("——"))


# --- web header, page numbers, footers -----------------------------------------------------

_WEB_HEADER_RE = re.compile(
    r"^[ \t]*[（(]以下附[錄录].{0,200}?全文可[參参][閱阅](?P<link>.{0,600}?)[）)][ \t]*$"
    r"(?:\s*^[ \t]*附[錄录][ \t]*$)?",
    re.S | re.M,
)
_URL_IN_LINK_RE = re.compile(r"\]\((?P<url>[^)\s]+)\)|<(?P<angle>[^>\s]+)>|(?P<bare>https?://[^\s<>()\[\]]+)")


def extract_web_header(text: str) -> tuple[str, str]:
    """Remove the ``(以下附錄節錄自…全文可參閱 <url>)`` header and its ``附錄`` line.

    Returns ``(text without the header, source URL or "")``. The header is written in
    traditional characters by the tool that saved these pages; it is not part of the
    document, but its URL says where the document came from.
    """
    match = _WEB_HEADER_RE.search(text)
    if not match:
        return text, ""
    url = ""
    found = _URL_IN_LINK_RE.search(match["link"])
    if found:
        url = unescape_markdown(found["url"] or found["angle"] or found["bare"])
    return text[: match.start()] + text[match.end() :], url


_PAGE_NUMBER_RE = re.compile(
    r"^(?:[-－—–]\s*\d{1,4}\s*[-－—–]|第\s*\d{1,4}\s*页(?:\s*[,，/]?\s*共\s*\d{1,4}\s*页)?|\d{1,4}\s*/\s*\d{1,4})$"
)
_FOOTER_LINE_RE = re.compile(r"^(?:公开属性|公开方式|信息公开选项)\s*[:：]|^[（(]此[件页][^（）()]{0,12}[）)]$")
# What a government web page puts around a document: share, print and font buttons, the QR-code prompt.
_WEB_NOISE_RE = re.compile(
    r"^(?:扫一扫在手机(?:上)?打开当前页|【?\s*(?:打印本页|打印|关闭窗口|关闭|收藏|返回顶部)\s*】?"
    r"|(?:【\s*(?:打印|关闭|收藏)\s*】\s*){2,}|【?\s*字(?:体|号)\s*[:：]?\s*大\s*中\s*小\s*】?|分享到\s*[:：]?.{0,20}"
    r"|当前位置\s*[:：].{0,60}|相关链接|附件下载)$"
)
_PRINTED_RE = re.compile(r"^.{0,40}\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日\s*印发?$")
_COPY_TO_RE = re.compile(r"^(?:抄送|分送|抄报|主题词)\s*[:：]")
_MAX_COPY_TO_LINES = 4


def is_page_number(line: str) -> bool:
    """``-1-``, ``— 2 —``, ``第 3 页 共 10 页``, ``3/10``."""
    return bool(_PAGE_NUMBER_RE.match(line.strip()))


def is_footer_line(line: str) -> bool:
    """Print and page matter that is not the document: 公开属性, ``……2013年12月31日印发``, （此件公开发布）,
    扫一扫在手机打开当前页, 【打印】【关闭】."""
    line = line.strip()
    return bool(
        _FOOTER_LINE_RE.match(line) or _WEB_NOISE_RE.match(line) or (len(line) <= 60 and _PRINTED_RE.match(line))
    )


def drop_print_matter(lines: list[str]) -> list[str]:
    """Remove page numbers and footers from stripped, non-empty lines.

    A 抄送 list may wrap onto following lines (``市纪委办`` / ``公厅，市中级法院…。``);
    those continuation lines go with it, up to the line that ends it with 。.
    """
    kept: list[str] = []
    continuing = 0
    for line in lines:
        if continuing:
            continuing -= 1
            if not (match_item(line) or match_chapter(line) or DATE_LINE_RE.match(line)):
                if line.endswith("。"):
                    continuing = 0
                continue
            continuing = 0
        if is_page_number(line) or is_footer_line(line):
            continue
        if _COPY_TO_RE.match(line):
            continuing = 0 if line.endswith("。") else _MAX_COPY_TO_LINES
            continue
        kept.append(line)
    return kept


# --- joining broken lines -------------------------------------------------------------


def _glue(left: str, right: str) -> str:
    """Join two pieces of one paragraph: no space, except between two Latin words or numbers."""
    if left and right and left[-1].isascii() and left[-1].isalnum() and right[0].isascii() and right[0].isalnum():
        return f"{left} {right}"
    return left + right


def _is_signature(text: str, next_text: str | None) -> bool:
    """A short unpunctuated line right above a date line: ``深圳市人民政府``."""
    return (
        next_text is not None
        and bool(DATE_LINE_RE.match(next_text))
        and len(text) <= 30
        and not TITLE_FORBIDDEN_RE.search(text)
        and CJK_RE.search(text) is not None
    )


# A dated record line of a regulation: ``2020年12月24日 浙江省…会议通过`` / ``2021年5月1日 施行``.
_RECORD_LINE_RE = re.compile(rf"^[（(]?\s*{DATE_PATTERN}[^。]{{0,120}}(?:通过|公布|发布|施行|批准|修正|修订)\s*[）)]?$")


def _ends_paragraph(paragraph: str, *, in_head: bool) -> bool:
    if SENTENCE_END_RE.search(paragraph) or DEPARTMENT_TAIL_RE.search(paragraph):
        return True
    # Before the first item, a title line ends where the document kind is named
    # (``…若干措施的通知``), even though it has no full stop.
    return in_head and is_title_like(paragraph)


def join_lines(lines: list[Line]) -> list[str]:
    """Re-join physical lines into paragraphs.

    A line starts a new paragraph when it is a numbered item, a chapter heading, a
    date, a 文号, a signature, a markdown heading or list item, or when the paragraph
    before it has ended (sentence punctuation, a department parenthesis, a title).
    Otherwise it continues the paragraph: PDF extraction broke it, and it is joined
    without a space.
    """
    paragraphs: list[str] = []
    current = ""
    closed = True
    in_head = True
    for index, line in enumerate(lines):
        text = line.text
        next_text = lines[index + 1].text if index + 1 < len(lines) else None
        numbered = match_item(text) is not None or match_chapter(text) is not None
        if numbered:
            in_head = False
        standalone = (
            line.standalone
            or is_short_heading(text)
            or bool(DATE_LINE_RE.match(text))
            or bool(DOC_NUMBER_LINE_RE.match(text))
            or bool(_RECORD_LINE_RE.match(text))
            or _is_signature(text, next_text)
        )
        if closed or numbered or standalone or line.starts_paragraph:
            if current:
                paragraphs.append(current)
            current = text
        else:
            current = _glue(current, text)
        closed = standalone or _ends_paragraph(current, in_head=in_head)
    if current:
        paragraphs.append(current)
    return paragraphs


# --- whole text -----------------------------------------------------------------------


def _split_lines(text: str) -> list[str]:
    return text.replace("\r\n", "\n").replace("\r", "\n").replace("\f", "\n").replace("\v", "\n").split("\n")


def clean_lines(text: str) -> list[Line]:
    """Physical lines, each cleaned of markdown, width and spacing quirks; empty lines dropped."""
    stripped = [collapse_spaces(fold_width(raw)) for raw in _split_lines(text)]
    lines: list[Line] = []
    for raw in drop_print_matter([line for line in stripped if line]):
        line = markdown_line(raw)
        if line is None:
            continue
        cleaned = collapse_spaces(normalise_punctuation(line.text))
        if cleaned:
            lines.append(Line(cleaned, line.standalone, line.starts_paragraph))
    return lines


def normalise_text(text: str) -> NormalisedText:
    """Clean ``text`` into one paragraph per line (see the module docstring)."""
    body, source_url = extract_web_header(text)
    paragraphs = tuple(collapse_spaces(paragraph) for paragraph in join_lines(clean_lines(body)))
    paragraphs = tuple(paragraph for paragraph in paragraphs if paragraph)
    return NormalisedText(text="\n".join(paragraphs), paragraphs=paragraphs, source_url=source_url)


def normalise_layout(text: str) -> tuple[str, str]:
    """Light cleaning that keeps every line where it was, for laid-out texts (periodicals).

    Width folding, markdown and trailing spaces are dealt with and runs of blank lines
    become one, but lines are not joined and page numbers stay: a magazine's table of
    contents and page markers are information there. Returns ``(text, source URL)``.
    """
    body, source_url = extract_web_header(text)
    out: list[str] = []
    for raw in _split_lines(body):
        line = collapse_spaces(fold_width(raw))
        if not line:
            if out and out[-1]:
                out.append("")
            continue
        out.append(strip_inline_markdown(_HEADING_RE.sub(r"\g<text>", line)))
    return "\n".join(out).strip("\n"), source_url
