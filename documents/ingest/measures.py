"""Turn numbered items into measures: title, body, departments, kind, and the validity clause.

The title is the item's lead phrase: its own line (``支持电子商务平台规模化。``) or the
text up to the first full stop (``指导思想。坚持…``). The body is what follows, with
department parentheses moved into ``departments``. Items that state general
requirements (指导思想, 发展目标 …) are kind "general". The item that only says when
the policy takes effect is not a measure: it becomes the document's validity.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .departments import dedupe_departments, extract_departments
from .structure import ItemBlock
from .types import KIND_GENERAL, KIND_MEASURE, ParsedMeasure
from .validity import is_validity_clause, split_trailing_clause

_SENTENCE_END_RE = re.compile(r"[。！？!?]")
_MAX_COLON_TITLE = 30
_GENERAL_TITLE_RE = re.compile(
    r"^(?:指导思想|基本原则|工作原则|发展目标|总体目标|主要目标|工作目标|总体要求|总体思路|发展思路|目标任务|发展定位|总体考虑)"
    # the guiding-ideology item written as a sentence: 坚持以习近平新时代中国特色社会主义思想为指导 / 为引领
    r"|^坚持以[^，。]{0,40}思想为(?:指导|引领)"
)
_GENERAL_CHAPTER_RE = re.compile(r"总体要求|指导思想|总体思路|目标要求|基本原则|工作原则")
_TITLE_TRIM = "。；，、：:;,. "


@dataclass(frozen=True)
class MeasureSplit:
    """Measures of a document and the validity clause found among its items, if any."""

    measures: list[ParsedMeasure]
    validity_clause: str = ""


def split_title(first: str, rest: tuple[str, ...]) -> tuple[str, list[str]]:
    """Lead phrase of an item and its body paragraphs.

    ``("指导思想。坚持…", ())`` → ``("指导思想", ["坚持…"])``;
    ``("支持电子商务平台规模化。", ("鼓励…",))`` → ``("支持电子商务平台规模化", ["鼓励…"])``.
    An item that is one sentence keeps it as its body too, so no measure is empty.
    """
    end = _SENTENCE_END_RE.search(first)
    stop = end.start() if end else len(first)
    colon = first.find("：")
    if 0 < colon < stop and colon <= _MAX_COLON_TITLE:
        title, remainder = first[:colon], first[colon + 1 :]
    elif end:
        title, remainder = first[: end.start()], first[end.end() :]
    else:
        title, remainder = first, ""
    body = [paragraph for paragraph in (remainder.strip(), *rest) if paragraph]
    if not body:
        body = [first]
    return title.strip(_TITLE_TRIM), body


def _kind(title: str, chapter: str) -> str:
    if _GENERAL_TITLE_RE.match(title) or _GENERAL_CHAPTER_RE.search(chapter):
        return KIND_GENERAL
    return KIND_MEASURE


def build_measure(item: ItemBlock, ordinal: int) -> ParsedMeasure:
    """A measure from one item: departments extracted from title and body, then removed."""
    first, *rest = item.paragraphs
    title, body = split_title(first, tuple(rest))
    title, title_departments = extract_departments(title)
    text, departments = extract_departments("\n".join(body))
    return ParsedMeasure(
        ordinal=ordinal,
        number=item.number,
        title=title.strip(_TITLE_TRIM),
        text=text or title,
        chapter=item.chapter,
        kind=_kind(title, item.chapter),
        departments=dedupe_departments((*title_departments, *departments)),
    )


def _is_bare_heading(paragraph: str) -> bool:
    return len(paragraph) <= 20 and not _SENTENCE_END_RE.search(paragraph.rstrip("。"))


def _validity_item_index(items: tuple[ItemBlock, ...]) -> int | None:
    """The item (among the last two) that is nothing but a validity clause."""
    for index in range(len(items) - 1, max(len(items) - 3, -1), -1):
        if is_validity_clause(items[index].paragraphs[0]):
            return index
    return None


def build_measures(items: tuple[ItemBlock, ...], closing: tuple[str, ...] = ()) -> MeasureSplit:
    """Measures numbered 1…N, with the validity clause taken out wherever it is written.

    It may be an item of its own (``（二十五）以上措施自发布之日起实施…``), the last
    sentence of the last item, or a paragraph of the closing.
    """
    clause = ""
    blocks = list(items)
    index = _validity_item_index(items)
    if index is not None:
        clause = "\n".join(blocks.pop(index).paragraphs)
    elif blocks:
        last = blocks[-1]
        if len(last.paragraphs) > 1 and is_validity_clause(last.paragraphs[-1]):
            kept, clause = "", last.paragraphs[-1]
        else:
            kept, clause = split_trailing_clause(last.paragraphs[-1])
        if clause:
            paragraphs = (*last.paragraphs[:-1], kept) if kept else last.paragraphs[:-1]
            blocks[-1] = ItemBlock(number=last.number, chapter=last.chapter, paragraphs=paragraphs)
        # 八、其他事宜 whose only content was the clause: a heading with nothing left is no measure.
        last = blocks[-1]
        if clause and len(last.paragraphs) == 1 and _is_bare_heading(last.paragraphs[0]):
            blocks.pop()
    if not clause:
        clause = next((paragraph for paragraph in closing if is_validity_clause(paragraph)), "")
    measures = [build_measure(block, ordinal) for ordinal, block in enumerate(blocks, start=1)]
    return MeasureSplit(measures=measures, validity_clause=clause)
