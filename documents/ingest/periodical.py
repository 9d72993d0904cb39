"""Split one issue of a periodical (PDF-extracted magazine text) into records.

A magazine issue is not a policy document: it has a cover, a table of contents
(目录) with dot leaders and page numbers, a masthead/colophon, articles laid out
in columns with running headers and page numbers in between, sometimes a
chronicle (大事记) of numbered, dated items, and short news items naming other
policies in 《…》. This module turns such text into a ``PeriodicalParts``:
the issue's title, issuer and date, the front and back matter (``preamble``),
the articles listed in the table of contents, the chronicle entries, the
policies the issue cites, and warnings for everything it had to guess.

How articles are found: the table of contents gives each article's title and
start page. In the body, a title is either a real heading (it follows the end of
the previous article) or only a running header / title box that the extractor
dropped into the middle of the text. Articles here end with an attribution —
``（来源：…）``, ``（文 / …）``, ``文 / 作者`` — so an article starts at its
heading when the heading directly follows such an attribution, and otherwise at
the first line after the previous attribution, or at the first line of its
table-of-contents page when that is later (a table between two articles belongs
to the earlier one). Page starts are counted from the ``-1-`` page mark: the
extractor that produced our PDF texts begins every page with exactly one space.

Everything here is pure string work: no Django, no I/O.
"""

from __future__ import annotations

import datetime as dt
import itertools
import operator
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from .citations import extract_citations
from .errors import EmptyDocumentError, IngestError
from .types import Article, ChronicleEntry, CitationRef, DocumentMeta

_T = TypeVar("_T", str, dt.date)


class PeriodicalStructureError(IngestError):
    """The text is not laid out as a periodical issue we can split into articles."""


@dataclass(frozen=True)
class PeriodicalParts:
    """What one periodical issue yields.

    ``preamble`` keeps the front matter (cover, table of contents, masthead and
    colophon, i.e. everything before the first article) and, after a blank line,
    back matter such as a 征稿启事 that follows the last article.
    """

    title: str
    issuer: str
    issue_date: dt.date | None
    year: int | None
    preamble: str
    articles: tuple[Article, ...]
    chronicle: tuple[ChronicleEntry, ...]
    citations: tuple[CitationRef, ...]
    warnings: tuple[str, ...]


# --- Patterns -----------------------------------------------------------------------------------

# Ideographs and full-width punctuation: a space next to one of these is a PDF artefact
# ("2016 年", "同 比 增 长"), whereas a space between two Latin words is real ("Google AdWords").
_WIDE = r"\u2014\u2018-\u201f\u2026\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef"
_WIDE_GAP_RE = re.compile(r"(?<=[\u3400-\u4dbf\u4e00-\u9fff])[ \t]{2,}(?=[\u3400-\u4dbf\u4e00-\u9fff])")
_SPACE_NEXT_TO_WIDE_RE = re.compile(rf"(?<=[{_WIDE}])\s+|\s+(?=[{_WIDE}])|\s+(?=%)")
_SPACES_RE = re.compile(r"\s+")
_GAP_MARK = "\x00"

# A table-of-contents line: title, dot leaders (possibly spaced: "· · "), page number.
_TOC_LINE_RE = re.compile(r"^(?P<text>.*?\S)\s*(?:[·•…⋯.．]\s*){2,}(?P<page>\d{1,3})\s*$")
_TOC_HEADING_RE = re.compile(r"^目\s*录$")
_DASHES = "—–―-－"
_PAGE_MARK_RE = re.compile(r"^[-—–]\s*(?P<page>\d{1,3})\s*[-—–]$")
_SECTION_RE = re.compile(r"^◎\s*(?P<name>\S.*)$")
_CONTINUED_FROM_RE = re.compile(r"^[（(]\s*上接第\s*(?P<page>\d{1,3})\s*页\s*[）)]$")
_CONTINUED_ON_RE = re.compile(r"^[（(]\s*下转第\s*\d{1,3}\s*页\s*[）)]$")
# Back matter that follows the last article and belongs to no article.
_BACK_MATTER_KEYS = frozenset({"征稿启事", "征稿启示", "稿约", "投稿须知", "订阅启事"})

# Article ends: an attribution in brackets at the end of a paragraph, or a byline "文 / 作者".
_ATTRIBUTION_END_RE = re.compile(r"[（(]\s*(?:来源|文\s*/|作者|供稿)[^（）()]{0,60}[）)]\s*$")
_ATTRIBUTION_OPEN_RE = re.compile(r"[（(]\s*来源\s*[:：][^（）()]{0,60}$")
_BYLINE_RE = re.compile(r"^文\s*/\s*\S")

# Numbered headings: 一、 （一） 1. — they start a paragraph and may wrap onto a short tail line.
_HEADING_NUMBER_RE = re.compile(
    r"^(?:[一二三四五六七八九十]{1,3}、|[（(][一二三四五六七八九十]{1,3}[）)]|\d{1,2}[.．](?!\d))"
)
# Other line starts that always open a new paragraph ("3、推行…" inside a list).
_ITEM_START_RE = re.compile(r"^(?:\d{1,2}、|◎)")
_CHRONICLE_ITEM_RE = re.compile(r"^(?P<number>[一二三四五六七八九十]{1,3})、\s*(?P<rest>.*)$")
_SENTENCE_END = "。！？；：!?;:"
_CLOSING_QUOTES = "”’」』"
_SENTENCE_PUNCT_RE = re.compile(r"[。！？；!?;]")
_BODY_PUNCT_RE = re.compile(r"[，。、；：！？,;:!?]")
_CLAUSE_PUNCT_RE = re.compile(r"[，。；！？,;!?]")
_PROSE_RE = re.compile(r"[。！？!?]")
_IDEOGRAPH_RE = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]")
_DATE_START_RE = re.compile(r"^(?:19|20)\d{2}\s*年")
# A wrapped heading's first line fills the column; a shorter heading did not wrap.
_FULL_HEADING_CHARS = 14
_SHORT_TAIL_CHARS = 8  # after a blank line, only a tail this short still belongs to the heading
_CLAUSE_TAIL_CHARS = 12  # a directly following tail this short may hold a comma: "榜单，深圳名列第二"
_MAX_TAIL_CHARS = 16

# Issue metadata as printed on the cover and masthead.
_ISSUE_LINE_RE = re.compile(
    r"(?P<y>(?:19|20)\d{2})\s*年\s*(?P<m>\d{1,2})\s*月\s*(?P<d>\d{1,2})\s*日\s*第\s*(?P<n>[一二三四五六七八九十百\d]+)\s*期"
)
_TOTAL_ISSUE_RE = re.compile(r"总第\s*(?P<n>\d{1,4})\s*期")
_YEAR_ISSUE_RE = re.compile(r"(?P<y>(?:19|20)\d{2})\s*年\s*第\s*(?P<n>\d{1,2})(?!\d)")
_HOST_RE = re.compile(r"主办(?:单位)?\s*[:：]\s*(?P<name>[^\s:：]{2,40})")
_MAGAZINE_NAME_RE = re.compile(r"《(?P<name>[^《》\s]{2,20})》\s*编辑部")
_MASTHEAD_RE = re.compile(r"主办|总第\s*\d+\s*期|内部资料|编辑部|准印证")
_INTERNAL_RE = re.compile(r"内部资料|准印证|本刊")

# Chronicle dates: the first date mentioned, to the day when written, else to the month.
_DATE_RE = re.compile(r"(?P<y>(?:19|20)\d{2})年(?P<m>\d{1,2})月(?:(?P<d>\d{1,2})日)?")

# A cited title counts as a policy when, without a trailing （试行）/（2016-2020 年）/（草案）,
# it ends with one of these words. Platforms, reports, licences and TV shows quoted in 《》
# (《众信网》, 《支付业务许可证》, 《…研究报告》) do not.
_POLICY_SUFFIXES = (
    "规划",
    "方案",
    "意见",
    "通知",
    "办法",
    "措施",
    "计划",
    "规定",
    "决定",
    "细则",
    "纲要",
    "条例",
    "制度",
    "规程",
    "规则",
    "规范",
    "指引",
    "清单",
    "法",
)
_TRAILING_QUALIFIER_RE = re.compile(r"[（(][^（）()]*[）)]$")
# "《方案》提出…": a short back-reference to a title already cited, not a title of its own.
_MIN_POLICY_TITLE_CHARS = 4

_CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}


# --- Lines --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Line:
    text: str  # stripped, otherwise as extracted
    index: int  # line number in the source, for adjacency
    gap: bool  # a blank line precedes it
    page_start: bool  # begins with exactly one space: the extractor's mark of a new page


@dataclass(frozen=True)
class _TocEntry:
    title: str
    subtitle: str
    page: int | None


@dataclass
class _Paragraph:
    text: str
    heading: bool = False  # a (possibly wrapped) heading, not running text
    ends_item: bool = False  # closes with an attribution: an article or news item ends here
    headline: bool = False  # first line of an item that follows an attribution


def _split_lines(text: str) -> list[_Line]:
    lines: list[_Line] = []
    gap = True
    for index, raw in enumerate(text.splitlines()):
        stripped = raw.strip()
        if not stripped:
            gap = True
            continue
        page_start = raw[:1] == " " and raw[1:2] not in (" ", "\u3000")
        lines.append(_Line(stripped, index, gap, page_start))
        gap = False
    return lines


def _tidy(text: str) -> str:
    """One line of running text: drop spaces the PDF put next to CJK, keep wide gaps as one space."""
    text = _WIDE_GAP_RE.sub(_GAP_MARK, text.strip())
    text = _SPACE_NEXT_TO_WIDE_RE.sub("", text)
    return _SPACES_RE.sub(" ", text).replace(_GAP_MARK, " ").strip()


def _key(text: str) -> str:
    """Comparison key for titles and headers: width-folded, no whitespace, no leading dashes."""
    return _SPACES_RE.sub("", unicodedata.normalize("NFKC", text)).lstrip(_DASHES)


def _join(left: str, right: str) -> str:
    """Re-join a line broken by the layout: no space, except between two Latin words or numbers."""
    if left and right and left[-1].isascii() and left[-1].isalnum() and right[0].isascii() and right[0].isalnum():
        return f"{left} {right}"
    return left + right


def _chars(text: str) -> int:
    return len(_SPACES_RE.sub("", text))


def _is_tabular(text: str) -> bool:
    """A table row: three or more cells that are words, with no sentence punctuation.

    What tells a row from prose is a space between two ideographs that opens a
    word ("动态科技 电商运营服务", "A 轮 数千万人民币"): prose has spaces only around
    Latin words and numbers ("用户 6.8 亿的腾讯 LBS"), and justified text ("同 比 增 长")
    has cells of one character.
    """
    cells = text.split()
    if len(cells) < 3 or _CLAUSE_PUNCT_RE.search(text):
        return False
    if sum(1 for cell in cells if len(_IDEOGRAPH_RE.findall(cell)) >= 2) < 3:
        return False
    return any(
        _IDEOGRAPH_RE.match(left[-1]) and _IDEOGRAPH_RE.match(right[0]) and len(_IDEOGRAPH_RE.findall(right)) >= 2
        for left, right in itertools.pairwise(cells)
    )


def _ends_sentence(text: str) -> bool:
    stripped = text.rstrip(_CLOSING_QUOTES)
    return bool(stripped) and stripped[-1] in _SENTENCE_END


def _ends_with_attribution(text: str) -> bool:
    return bool(_ATTRIBUTION_END_RE.search(text) or _BYLINE_RE.match(text))


def _continues_heading(last_line: str, candidate: _Line) -> bool:
    """Whether ``candidate`` is the wrapped tail of a heading whose last line is ``last_line``.

    A heading wraps only when its line is full; its tail is short, has no sentence
    punctuation and does not open with a date (news bodies do).
    """
    text = _tidy(candidate.text)
    if _chars(last_line) < _FULL_HEADING_CHARS or _SENTENCE_PUNCT_RE.search(text) or _DATE_START_RE.match(text):
        return False
    if _HEADING_NUMBER_RE.match(text) or _ITEM_START_RE.match(text):
        return False
    size = _chars(text)
    if _BODY_PUNCT_RE.search(text):
        return not candidate.gap and size <= _CLAUSE_TAIL_CHARS
    return size <= _SHORT_TAIL_CHARS or (not candidate.gap and size <= _MAX_TAIL_CHARS)


def _paragraphs(lines: list[_Line]) -> list[_Paragraph]:
    """Re-join layout lines into paragraphs.

    A line break is kept after a sentence end, an attribution, a finished heading,
    before a numbered item, and around table rows; otherwise the lines are joined
    (the break was the column edge).
    """
    paragraphs: list[_Paragraph] = []
    current: _Paragraph | None = None
    last_line = ""  # the current paragraph's last layout line, to tell whether a heading wrapped
    in_table = False  # inside a table a line break separates cells: keep every line
    for line in lines:
        tabular = _is_tabular(line.text)
        text = " ".join(line.text.split()) if tabular else _tidy(line.text)
        if tabular:
            in_table = True
        elif in_table and _PROSE_RE.search(text):
            in_table = False
        if current is not None and not in_table and not _breaks_before(current, last_line, line, text, tabular):
            current.text = _join(current.text, text)
            current.ends_item = _ends_with_attribution(current.text)
            last_line = text
            if _SENTENCE_PUNCT_RE.search(current.text):
                current.heading = False
            continue
        after_end = current is not None and current.ends_item
        current = _Paragraph(text)
        current.heading = not tabular and (
            bool(_HEADING_NUMBER_RE.match(text) and not _SENTENCE_PUNCT_RE.search(text))
            or (after_end and not _CLAUSE_PUNCT_RE.search(text))
        )
        current.headline = after_end
        paragraphs.append(current)
        last_line = text
        current.ends_item = _ends_with_attribution(text)
    return paragraphs


def _breaks_before(current: _Paragraph, last_line: str, line: _Line, text: str, tabular: bool) -> bool:
    if current.ends_item or tabular or _is_tabular(last_line):
        return True
    if _ATTRIBUTION_OPEN_RE.search(current.text):
        if line.page_start:
            # "（来源：本刊编辑" cut off by a page break: the attribution's end was lost in extraction.
            current.ends_item = True
            return True
        return False  # "（来源：" wrapped: its source is on the next line
    if _ends_sentence(current.text) or _HEADING_NUMBER_RE.match(text) or _ITEM_START_RE.match(text):
        return True
    if current.heading:
        return not _continues_heading(last_line, line)
    return False


# --- Table of contents --------------------------------------------------------------------------


def _parse_toc(lines: list[_Line]) -> tuple[list[_TocEntry], int]:
    """Entries of the table of contents and the position of its last line (-1 if none).

    A title that wraps sits on the line(s) just above its leader line; a line starting
    with —— is the subtitle. Above the first entry there is no earlier entry to stop
    at, only the cover or masthead: there, a line is taken only below a 目录 heading,
    or as the title of an entry whose leader line is its subtitle.
    """
    entries: list[_TocEntry] = []
    last = -1
    previous_leader = -1
    for pos, line in enumerate(lines):
        match = _TOC_LINE_RE.match(line.text)
        if not match:
            continue
        window = range(pos - 1, max(previous_leader, pos - 3), -1)
        if previous_leader < 0:
            below_heading = any(_TOC_HEADING_RE.match(lines[back].text) for back in range(max(0, pos - 3), pos))
            if not below_heading:
                window = range(pos - 1, pos - 2, -1) if match["text"][:1] in _DASHES else range(0)
        parts = [match["text"]]
        below = line
        for back in window:
            above = lines[back]
            if (
                back < 0
                or below.index - above.index > 2
                or _TOC_HEADING_RE.match(above.text)
                or _SECTION_RE.match(above.text)
                or _MASTHEAD_RE.search(above.text)
            ):
                break
            parts.insert(0, above.text)
            below = above
        title_parts: list[str] = []
        subtitle_parts: list[str] = []
        for part in parts:
            target = subtitle_parts if subtitle_parts or (part[:1] in _DASHES and title_parts) else title_parts
            target.append(part)
        subtitle = _tidy("".join(subtitle_parts).lstrip(_DASHES)) if subtitle_parts else ""
        entries.append(_TocEntry(_tidy(_join_raw(title_parts)), subtitle, int(match["page"])))
        previous_leader = last = pos
    return entries, last


def _join_raw(parts: list[str]) -> str:
    joined = ""
    for part in parts:
        joined = _join(joined, part.strip())
    return joined


# --- Pages --------------------------------------------------------------------------------------


def _page_starts(lines: list[_Line], body_from: int, first_article: tuple[int, int | None] | None) -> dict[int, int]:
    """Map page number → position of the page's first line, counted from a page mark.

    Without a ``-N-`` mark, counting starts at the first article's heading, which
    sits on its table-of-contents page.
    """
    starts: dict[int, int] = {}
    page: int | None = None
    for pos in range(body_from, len(lines)):
        line = lines[pos]
        mark = _PAGE_MARK_RE.match(line.text)
        if mark:
            page = int(mark["page"])
            starts.setdefault(page, pos + 1)
            continue
        if page is None and first_article and first_article[1] and pos == first_article[0]:
            page = first_article[1]
            starts.setdefault(page, pos)
            continue
        if page is not None and line.page_start and not _PAGE_MARK_RE.match(lines[pos - 1].text):
            page += 1
            starts.setdefault(page, pos)
    return starts


# --- Locating articles --------------------------------------------------------------------------


@dataclass(frozen=True)
class _Placed:
    entry: _TocEntry
    start: int  # first line of the article
    title_span: tuple[int, int] | None  # lines of its title in the body, dropped from the text


def _title_keys(entry: _TocEntry) -> set[str]:
    title = _key(entry.title)
    return {title, title + _key(entry.subtitle)} if entry.subtitle else {title}


def _find_title(lines: list[_Line], entry: _TocEntry, from_pos: int) -> tuple[int, int] | None:
    targets = _title_keys(entry)
    for pos in range(from_pos, len(lines)):
        for width in (3, 2, 1):
            window = lines[pos : pos + width]
            if len(window) == width and "".join(_key(line.text) for line in window) in targets:
                return pos, pos + width
    return None


def _is_end_at(lines: list[_Line], pos: int) -> bool:
    """Whether an attribution ends at line ``pos`` (it may have wrapped from the lines above)."""
    if _BYLINE_RE.match(_tidy(lines[pos].text)):
        return True
    joined = "".join(_tidy(line.text) for line in lines[max(0, pos - 2) : pos + 1])
    return bool(_ATTRIBUTION_END_RE.search(joined))


class _Furniture:
    """Lines that are layout, not text: page marks, section markers, running headers."""

    def __init__(self, entries: list[_TocEntry], lines: list[_Line]):
        keys: set[str] = set()
        for entry in entries:
            keys |= _title_keys(entry)
            if entry.subtitle:
                keys.add(_key(entry.subtitle))
        for line in lines:
            section = _SECTION_RE.match(line.text)
            if section:
                keys.add(_key(section["name"]))
        self.header_keys = frozenset(keys)

    def __contains__(self, line: _Line) -> bool:
        text = line.text
        return bool(
            _PAGE_MARK_RE.match(text)
            or _SECTION_RE.match(text)
            or _CONTINUED_FROM_RE.match(text)
            or _CONTINUED_ON_RE.match(text)
            or _key(text) in self.header_keys
        )


def _place_articles(
    lines: list[_Line], entries: list[_TocEntry], body_from: int, furniture: _Furniture, warnings: list[str]
) -> list[_Placed]:
    placed: list[_Placed] = []
    spans: list[tuple[int, int] | None] = []
    search_from = body_from
    for entry in entries:
        span = _find_title(lines, entry, search_from)
        spans.append(span)
        if span:
            search_from = span[1]
    first = next(((span[0], entry.page) for entry, span in zip(entries, spans, strict=True) if span), None)
    if first is None:
        return []  # not one title in the body: the table of contents is not this text's
    pages = _page_starts(lines, body_from, first)

    previous = body_from - 1
    for entry, span in zip(entries, spans, strict=True):
        page_start = pages.get(entry.page) if entry.page is not None else None
        if span is None:
            if page_start is not None and page_start > previous:
                warnings.append(
                    f"正文中没有找到目录中的文章标题「{entry.title}」：按目录页码第 {entry.page} 页定位其起点。"
                )
                placed.append(_Placed(entry, page_start, None))
                previous = page_start
            else:
                warnings.append(
                    f"正文中没有找到目录中的文章标题「{entry.title}」：该文未单独成篇，其内容留在上一篇文章中。"
                )
            continue
        start = span[0] if not placed else _article_start(lines, previous, span, page_start, furniture)
        if start is None:
            warnings.append(
                f"「{entry.title}」的标题出现在句子中间（可能是页眉），且无法按页码或文末署名确定起点：按标题所在行切分。"
            )
            start = span[0]
        placed.append(_Placed(entry, start, span))
        previous = start
    return placed


def _article_start(
    lines: list[_Line], previous: int, span: tuple[int, int], page_start: int | None, furniture: _Furniture
) -> int | None:
    """Where an article begins, given where its title shows up in the body (see module docstring)."""
    title_at = span[0]
    end = next((pos for pos in range(title_at - 1, previous, -1) if _is_end_at(lines, pos)), None)
    if end is not None:
        body = [pos for pos in range(end + 1, title_at) if lines[pos] not in furniture]
        if not body:
            return title_at  # a real heading right after the previous article's attribution
        start = body[0]
        if page_start is not None and start < page_start <= title_at:
            start = page_start
        return start
    if page_start is not None and previous < page_start <= title_at:
        return page_start
    before = next((pos for pos in range(title_at - 1, previous, -1) if lines[pos] not in furniture), None)
    if before is None or _ends_sentence(_tidy(lines[before].text)):
        return title_at
    return None


# --- Cutting and cleaning -----------------------------------------------------------------------


def _segments(lines: list[_Line], placed: list[_Placed], stop: int) -> list[list[int]]:
    """Line positions of each article, title lines excluded, back matter excluded."""
    segments: list[list[int]] = []
    for number, item in enumerate(placed):
        end = placed[number + 1].start if number + 1 < len(placed) else stop
        dropped = set(range(*item.title_span)) if item.title_span else set()
        segments.append([pos for pos in range(item.start, end) if pos not in dropped])
    return segments


def _relocate_continuations(
    lines: list[_Line], placed: list[_Placed], segments: list[list[int]], warnings: list[str]
) -> None:
    """Move "（上接第 N 页）" blocks to the article they continue.

    The extractor puts the marker after the continued text, which sits after the
    attribution of the article printed on the same page.
    """
    for number, segment in enumerate(segments):
        for at, pos in enumerate(segment):
            marker = _CONTINUED_FROM_RE.match(lines[pos].text)
            if not marker:
                continue
            page = int(marker["page"])
            owners = [n for n, item in enumerate(placed) if item.entry.page is not None and item.entry.page <= page]
            target = owners[-1] if owners else None
            end = next((i for i in range(at - 2, -1, -1) if _is_end_at(lines, segment[i])), None)
            if target is None or target == number or end is None:
                warnings.append(
                    f"「{placed[number].entry.title}」中有“上接第 {page} 页”的续文，无法确定其归属：保留在原处。"
                )
                continue
            block = segment[end + 1 : at]
            segments[target].extend(block)
            del segment[end + 1 : at + 1]
            _relocate_continuations(lines, placed, segments, warnings)
            return


def _clean(lines: list[_Line], positions: list[int], furniture: _Furniture) -> list[_Line]:
    return [lines[pos] for pos in positions if lines[pos] not in furniture]


# --- Chronicle ----------------------------------------------------------------------------------


def _cn_number(numeral: str) -> int | None:
    """一…九十九 as an int."""
    if numeral.isdigit():
        return int(numeral)
    if "十" not in numeral:
        return _CN_DIGITS.get(numeral) if len(numeral) == 1 else None
    tens, _, ones = numeral.partition("十")
    tens_value = _CN_DIGITS.get(tens, 0) if tens else 1
    ones_value = _CN_DIGITS.get(ones, 0) if ones else 0
    return tens_value * 10 + ones_value


def _chronicle_date(text: str) -> dt.date | None:
    """The first date the item mentions.

    A full date (``2016 年 1 月 6 日``, also when broken across lines) gives that day;
    a date written only to the month (``2016 年 6 月``) gives the **1st of that month**;
    an item with no year-and-month date (``2016 年，…``) gets ``None``.
    """
    for match in _DATE_RE.finditer(_SPACES_RE.sub("", text)):
        try:
            return dt.date(int(match["y"]), int(match["m"]), int(match["d"] or 1))
        except ValueError:
            continue
    return None


def _parse_chronicle(lines: list[_Line]) -> list[ChronicleEntry]:
    """Items 一、二、… of a chronicle, numbered in sequence; the last ends at its attribution."""
    starts: list[tuple[int, re.Match[str]]] = []
    for pos, line in enumerate(lines):
        match = _CHRONICLE_ITEM_RE.match(_tidy(line.text))
        # Only the next number in sequence opens an item: "一、" inside an item's text does not.
        if match and _cn_number(match["number"]) == len(starts) + 1:
            starts.append((pos, match))

    entries: list[ChronicleEntry] = []
    for ordinal, (start, match) in enumerate(starts, start=1):
        end = starts[ordinal][0] if ordinal < len(starts) else len(lines)
        title = match["rest"]
        last_line = _tidy(lines[start].text)
        body_from = start + 1
        while body_from < end and body_from - start <= 2 and _continues_heading(last_line, lines[body_from]):
            last_line = _tidy(lines[body_from].text)
            title = _join(title, last_line)
            body_from += 1
        paragraphs: list[str] = []
        for paragraph in _paragraphs(lines[body_from:end]):
            paragraphs.append(_ATTRIBUTION_END_RE.sub("", paragraph.text).strip())
            if paragraph.ends_item:
                break  # what follows (a table, the next article) is not part of the item
        text = "\n".join(p for p in paragraphs if p)
        entries.append(
            ChronicleEntry(
                ordinal=ordinal,
                number=f"{match['number']}、",
                title=title.strip(),
                text=text,
                date=_chronicle_date(text),
            )
        )
    return entries


# --- Citations ----------------------------------------------------------------------------------


def _is_policy_title(title: str) -> bool:
    """A policy title ends with a policy word (规划, 方案, 意见 …) once trailing （…） are removed."""
    stem = title
    while _TRAILING_QUALIFIER_RE.search(stem):
        stem = _TRAILING_QUALIFIER_RE.sub("", stem)
    return len(stem) >= _MIN_POLICY_TITLE_CHARS and stem.endswith(_POLICY_SUFFIXES)


def _policy_citations(text: str) -> list[CitationRef]:
    """Policies cited in ``text``, once each: titles differing only in width (＋/+) are one policy."""
    kept: dict[str, CitationRef] = {}
    for citation in extract_citations(text):
        if not _is_policy_title(citation.title):
            continue
        key = _key(citation.title)
        if key not in kept or (citation.doc_number and not kept[key].doc_number):
            title = kept[key].title if key in kept else citation.title
            kept[key] = CitationRef(title=title, doc_number=citation.doc_number)
    return list(kept.values())


# --- Metadata -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class _IssueFacts:
    name: str = ""
    year: int | None = None
    number: int | None = None
    total: int | None = None
    date: dt.date | None = None
    issuer: str = ""

    @property
    def title(self) -> str:
        issue = f"{self.year}年第{self.number}期" if self.year and self.number else ""
        total = f"（总第{self.total}期）" if self.total else ""
        return " ".join(part for part in (self.name, issue + total) if part)


def _issue_facts(text: str) -> _IssueFacts:
    date: dt.date | None = None
    number: int | None = None
    year: int | None = None
    issue_line = _ISSUE_LINE_RE.search(text)
    if issue_line:
        try:
            date = dt.date(int(issue_line["y"]), int(issue_line["m"]), int(issue_line["d"]))
        except ValueError:
            date = None
        year = int(issue_line["y"])
    year_issue = _YEAR_ISSUE_RE.search(text)
    if year_issue:
        year = int(year_issue["y"])
        number = int(year_issue["n"])
    total = _TOTAL_ISSUE_RE.search(text)
    total_number = int(total["n"]) if total else None
    if total_number is None and issue_line:
        total_number = _cn_number(issue_line["n"])  # "第二十六期" next to the date is the running number
    name = _MAGAZINE_NAME_RE.search(text)
    host = _HOST_RE.search(text)
    return _IssueFacts(
        name=name["name"] if name else "",
        year=year,
        number=number,
        total=total_number,
        date=date,
        issuer=host["name"] if host else "",
    )


# --- Public API ---------------------------------------------------------------------------------


def looks_like_periodical(text: str) -> bool:
    """Whether ``text`` reads like an issue of a magazine rather than a policy document.

    Counts independent signs — issue numbering (``总第 26 期``, ``2017年第 1 期``),
    a table of contents with dot leaders, a masthead (``主办单位``), internal-publication
    wording (``内部资料``, ``准印证``, ``本刊``) — and needs two of them.
    """
    signs = 0
    if _TOTAL_ISSUE_RE.search(text) or _ISSUE_LINE_RE.search(text):
        signs += 1
    if sum(1 for line in text.splitlines() if _TOC_LINE_RE.match(line.strip())) >= 3:
        signs += 1
    if _HOST_RE.search(text):
        signs += 1
    if _INTERNAL_RE.search(text):
        signs += 1
    return signs >= 2


def parse_periodical(text: str, *, meta: DocumentMeta) -> PeriodicalParts:
    """Split one periodical issue into articles, chronicle entries and citations.

    ``meta`` wins over the text for title, issuer and issue date (a disagreement is
    reported in ``warnings``). Raises ``EmptyDocumentError`` for empty text and
    ``PeriodicalStructureError`` when there is no table of contents to go by, or
    none of its titles is in the body.
    """
    if not text or not text.strip():
        raise EmptyDocumentError("文本为空：没有可导入的期刊内容。")
    lines = _split_lines(text)
    entries, toc_last = _parse_toc(lines)
    if not entries:
        raise PeriodicalStructureError(
            "没有找到期刊目录（带点线和页码的标题行，如“风起扬帆正当时······ 1”）：无法把这份文本按文章切分。"
            "请确认导入的是一期期刊的全文；政策文件请按政策文件导入。"
        )
    warnings: list[str] = []
    furniture = _Furniture(entries, lines)
    placed = _place_articles(lines, entries, toc_last + 1, furniture, warnings)
    if not placed:
        raise PeriodicalStructureError(
            f"目录列出了 {len(entries)} 篇文章，但正文中一篇也没有找到：文本可能不完整，或目录与正文不属于同一期。"
        )

    back_matter = next(
        (pos for pos in range(placed[-1].start + 1, len(lines)) if _key(lines[pos].text) in _BACK_MATTER_KEYS),
        len(lines),
    )
    segments = _segments(lines, placed, back_matter)
    _relocate_continuations(lines, placed, segments, warnings)

    articles: list[Article] = []
    chronicle: list[ChronicleEntry] = []
    for ordinal, (item, segment) in enumerate(zip(placed, segments, strict=True), start=1):
        body = _clean(lines, segment, furniture)
        paragraphs = _paragraphs(body)
        headlines = [p.text for p in paragraphs if p.headline]
        if headlines:
            warnings.append(
                f"「{item.entry.title}」的署名之后还有 {len(headlines)} 段目录未列出的内容（短讯或表格），已并入该文章："
                + "；".join(headlines)
            )
        articles.append(
            Article(
                ordinal=ordinal,
                title=item.entry.title,
                subtitle=item.entry.subtitle,
                text="\n".join(p.text for p in paragraphs),
                page=item.entry.page,
            )
        )
        if "大事记" in item.entry.title and not chronicle:
            chronicle = _parse_chronicle(body)

    preamble_lines = [line.text for line in lines[: placed[0].start] if not _PAGE_MARK_RE.match(line.text)]
    preamble = "\n".join(preamble_lines)
    if back_matter < len(lines):
        preamble += "\n\n" + "\n".join(line.text for line in lines[back_matter:])

    citations = _policy_citations("\n".join(article.text for article in articles))

    facts = _issue_facts(text)
    title = _pick(meta.title, facts.title, "刊名与期号", warnings, same=lambda a, b: _key(a) == _key(b)) or ""
    issuer = _pick(meta.issuer, facts.issuer, "主办单位", warnings) or ""
    issue_date = _pick(meta.issue_date, facts.date, "出版日期", warnings)
    if not title:
        warnings.append("没有找到刊名与期号（如“电子商务动态 2017年第1期（总第26期）”），标题为空。")
    year = meta.year or (issue_date.year if issue_date else None) or facts.year

    return PeriodicalParts(
        title=title,
        issuer=issuer,
        issue_date=issue_date,
        year=year,
        preamble=preamble,
        articles=tuple(articles),
        chronicle=tuple(chronicle),
        citations=tuple(citations),
        warnings=tuple(warnings),
    )


def _pick(
    given: _T | None,
    found: _T | None,
    label: str,
    warnings: list[str],
    *,
    same: Callable[[_T, _T], bool] = operator.eq,
) -> _T | None:
    """The caller's value when set, else the one read from the text; say so when they differ."""
    if given and found and not same(given, found):
        warnings.append(f"{label}：采用导入时给出的「{given}」，正文中写的是「{found}」。")
    return given or found
