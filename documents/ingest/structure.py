"""Split clean paragraphs into the head, chapters, numbered items and the closing.

The top item level is chosen from the numbering the text uses: articles (第一条)
hold （一） points, （一） items hold ``1.`` points, ``1.`` items hold ``（1）`` points;
a text numbered only with ``一、`` uses those as items. Chapter headings (``一、…``,
``第一章 …``) set the chapter of the items under them. Text that belongs to no item
is kept apart, never appended to a measure: the head (title, notice, preamble), the
text of a chapter before its first item (a goals chapter without items), and the
closing after the last item (``各地、各有关部门要…``, signature, date).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .patterns import (
    CHAPTER_CN_RE,
    CHAPTER_ZHANG_RE,
    DATE_LINE_RE,
    ITEM_DIGIT_RE,
    ITEM_STYLES,
    MAX_HEADING_CHARS,
    STYLE_ARTICLE,
    STYLE_CHAPTER,
    STYLE_DIGIT,
    STYLE_PAREN_CN,
    STYLE_PAREN_DIGIT,
    TITLE_FORBIDDEN_RE,
)

_STYLE_PRIORITY = (STYLE_ARTICLE, STYLE_PAREN_CN, STYLE_DIGIT, STYLE_PAREN_DIGIT)

# Paragraphs after the last item that close the document rather than continue the item.
_CLOSING_RE = re.compile(
    r"^(?:各地|各区|各县|各市|各有关|各部门|各单位|各级|各相关|"
    r"本(?:意见|措施|方案|办法|通知|规定|细则|计划|政策|实施方案|行动方案)(?:由|自|从|所称|有效|执行中|中|在)|"
    r"以上(?:措施|意见|政策)由|附件\s*[:：\d]|附[:：])"
)
_HEADING_END_RE = re.compile(r"[。：:]")


@dataclass(frozen=True)
class ItemBlock:
    """One numbered item as found: its label, chapter and paragraphs (label removed)."""

    number: str  # normalised label: "（三）", "1.", "第十二条"
    chapter: str
    paragraphs: tuple[str, ...]


@dataclass(frozen=True)
class Structure:
    head: tuple[str, ...]  # before the first chapter or item
    chapter_text: tuple[str, ...]  # chapter headings with the text they hold outside any item
    items: tuple[ItemBlock, ...]
    closing: tuple[str, ...]  # after the last item
    style: str  # the numbering style used as items


def choose_item_style(paragraphs: tuple[str, ...] | list[str]) -> str | None:
    """The numbering style of the top item level, or ``None`` when nothing is numbered."""
    found = {style for paragraph in paragraphs for style, pattern in ITEM_STYLES.items() if pattern.match(paragraph)}
    for style in _STYLE_PRIORITY:
        if style in found:
            return style
    if any(CHAPTER_CN_RE.match(paragraph) for paragraph in paragraphs):
        return STYLE_CHAPTER
    return None


def item_number(style: str, match: re.Match[str]) -> str:
    """The label normalised: ``(一)`` → ``（一）``, ``1．`` → ``1.``, ``第 3 条`` → ``第3条``."""
    label = match["label"]
    if style in (STYLE_PAREN_CN, STYLE_PAREN_DIGIT):
        return f"（{label}）"
    if style == STYLE_ARTICLE:
        return f"第{label}条"
    if style == STYLE_DIGIT:
        return label + ("、" if match["sep"] == "、" else ".")
    return f"{label}、"


def _item_match(style: str, paragraph: str) -> re.Match[str] | None:
    pattern = CHAPTER_CN_RE if style == STYLE_CHAPTER else ITEM_STYLES[style]
    match = pattern.match(paragraph)
    # An item needs text after its label; a bare "（一）" line is joined by the normaliser anyway.
    return match if match and paragraph[match.end() :].strip() else None


def _chapter_match(style: str, paragraph: str) -> re.Match[str] | None:
    if style == STYLE_CHAPTER:
        return CHAPTER_ZHANG_RE.match(paragraph)
    if style == STYLE_ARTICLE:
        # In articles, 一、 lines are points of an article; only 第一章 heads a chapter.
        return CHAPTER_ZHANG_RE.match(paragraph)
    return CHAPTER_CN_RE.match(paragraph) or CHAPTER_ZHANG_RE.match(paragraph)


def split_heading(paragraph: str) -> tuple[str, str]:
    """``一、总体要求。以习近平…`` → ``("一、总体要求", "以习近平…")``; a short heading has no rest."""
    if len(paragraph) <= MAX_HEADING_CHARS and not re.search(r"[，；,;]|。.", paragraph):
        return paragraph.rstrip("。："), ""
    end = _HEADING_END_RE.search(paragraph)
    if end and end.start() <= MAX_HEADING_CHARS:
        return paragraph[: end.start()], paragraph[end.end() :].strip()
    return paragraph, ""


def _is_signature_at(paragraphs: tuple[str, ...], index: int) -> bool:
    return (
        index + 1 < len(paragraphs)
        and bool(DATE_LINE_RE.match(paragraphs[index + 1]))
        and len(paragraphs[index]) <= 30
        and not TITLE_FORBIDDEN_RE.search(paragraphs[index])
    )


def _closing_start(items: list[ItemBlock]) -> int | None:
    """Index in the last item's paragraphs where the document's closing begins, if it does."""
    paragraphs = items[-1].paragraphs
    for index in range(1, len(paragraphs)):
        paragraph = paragraphs[index]
        if _CLOSING_RE.match(paragraph) or DATE_LINE_RE.match(paragraph) or _is_signature_at(paragraphs, index):
            return index
    # When every other item is one paragraph, more paragraphs after the last one are not its own.
    if len(items) >= 3 and len(paragraphs) > 1 and all(len(item.paragraphs) == 1 for item in items[:-1]):
        return 1
    return None


_ATTACHMENT_RE = re.compile(r"^(?:附件|附表|附录)")
_MAX_GROUP_HEADING_CHARS = 60


def cut_attachments(paragraphs: tuple[str, ...] | list[str]) -> tuple[list[str], list[str]]:
    """``(document, attachments)``: what follows a signed date that closes numbered items, from the first
    附件 / 附表 line on, is an attachment (an indicator table, a task list), not more measures.

    A 印发 notice whose signature comes before the policy it carries keeps everything: no items precede it.
    """
    paragraphs = list(paragraphs)
    items_seen = 0
    for index, paragraph in enumerate(paragraphs):
        if ITEM_DIGIT_RE.match(paragraph) or any(p.match(paragraph) for p in ITEM_STYLES.values()):
            items_seen += 1
        if items_seen >= 2 and DATE_LINE_RE.match(paragraph):
            for later in range(index + 1, len(paragraphs)):
                if _ATTACHMENT_RE.match(paragraphs[later]):
                    return paragraphs[:later], paragraphs[later:]
            return paragraphs, []
    return paragraphs, []


def _is_group_heading(paragraph: str, following: str | None) -> bool:
    """A （一） line that only names a group of ``1.`` items: one short phrase, the items right after it.

    ``（一）支持。`` followed by ``1. 第一点。`` is an item with its points; a heading ending in a full stop
    counts as a group heading only when the ``1.`` after it is a measure of its own (a title and a body).
    """
    if following is None or not ITEM_DIGIT_RE.match(following) or len(paragraph) > _MAX_GROUP_HEADING_CHARS:
        return False
    if "。" in paragraph.rstrip("。"):
        return False
    return not paragraph.endswith("。") or bool(re.search(r"。.", following))


def split_structure(paragraphs: tuple[str, ...] | list[str]) -> Structure | None:
    """Split ``paragraphs`` into head, chapter text, items and closing; ``None`` if nothing is numbered.

    With （一） items, a （一） line that only heads a run of ``1.`` items is a group heading: those items are
    the measures (numbering often restarts in every group), while ``1.`` points inside a （一） item that
    has text of its own stay in it.
    """
    paragraphs, attachments = cut_attachments(paragraphs)
    style = choose_item_style(paragraphs)
    if style is None:
        return None
    head: list[str] = []
    # Text of chapters outside any item, as (heading, paragraphs) in order.
    chapter_groups: list[tuple[str, list[str]]] = []
    items: list[ItemBlock] = []
    chapter = ""
    group = ""  # the （一） group heading the current ``1.`` items stand under
    current: list[str] | None = None  # paragraphs of the item being read
    current_number = ""

    def close_item() -> None:
        nonlocal current
        if current is not None:
            where = f"{chapter} {group}".strip() if group else chapter
            items.append(ItemBlock(number=current_number, chapter=where, paragraphs=tuple(current)))
        current = None

    for index, paragraph in enumerate(paragraphs):
        following = paragraphs[index + 1] if index + 1 < len(paragraphs) else None
        item = _item_match(style, paragraph)
        digit = ITEM_DIGIT_RE.match(paragraph) if group and style == STYLE_PAREN_CN else None
        chapter_match = None if item or digit else _chapter_match(style, paragraph)
        if item and style == STYLE_PAREN_CN and _is_group_heading(paragraph, following):
            close_item()
            group = paragraph.rstrip("。：:")
        elif digit and paragraph[digit.end() :].strip():
            close_item()
            current_number = item_number(STYLE_DIGIT, digit)
            current = [paragraph[digit.end() :].strip()]
        elif item:
            close_item()
            group = ""
            current_number = item_number(style, item)
            current = [paragraph[item.end() :].strip()]
        elif chapter_match:
            close_item()
            group = ""
            chapter, rest = split_heading(paragraph)
            chapter_groups.append((chapter, [rest] if rest else []))
        elif current is not None:
            current.append(paragraph)
        elif chapter_groups:
            chapter_groups[-1][1].append(paragraph)
        else:
            head.append(paragraph)
    close_item()
    if not items:
        return None

    closing: tuple[str, ...] = ()
    cut = _closing_start(items)
    if cut is not None:
        last = items[-1]
        closing = last.paragraphs[cut:]
        items[-1] = ItemBlock(number=last.number, chapter=last.chapter, paragraphs=last.paragraphs[:cut])
    return Structure(
        head=tuple(head),
        chapter_text=tuple(text for heading, body in chapter_groups if body for text in (heading, *body)),
        items=tuple(items),
        closing=(*closing, *attachments),
        style=style,
    )
