"""The 政府信息公开 block that government web pages put above a document (pure).

``索引号：000014349/2018-00212  主题分类：劳动、人事、监察\\劳动就业`` / ``发文机关：国务院  成文日期：2018年11月16日``
/ ``标题：…`` / ``发文字号：国发〔2018〕39号  发布日期：2018年12月05日``. Copied from a page, the labels and values
come one per line, or several per line separated by tabs or wide spaces, with spaces inside the labels
(``索 引 号``, ``标　　题``). The block is metadata, not text: it is read into fields and taken out of the text
before paragraphs are built, so it never glues onto the title or the preamble.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field

# Labels as pages write them (spaces removed), mapped to the field they give.
LABELS = {
    "索引号": "index_number",
    "主题分类": "topic",
    "主题": "topic",
    "信息分类": "topic",
    "发文机关": "issuer",
    "发布机构": "issuer",
    "发文单位": "issuer",
    "发布单位": "issuer",
    "成文日期": "written",
    "标题": "title",
    "名称": "title",
    "发文字号": "doc_number",
    "文号": "doc_number",
    "文件编号": "doc_number",
    "发布日期": "published",
    "发文日期": "published",
    "公布日期": "published",
    "生效日期": "effective",
    "实施日期": "effective",
    "废止日期": "repealed",
    "有效性": "validity",
    "时效性": "validity",
    "主题词": "keywords",
    "体裁分类": "genre",
    "组配分类": "genre",
    "公开方式": "",
    "公开范围": "",
    "所属机构": "",
}
# What a block needs at least to be one: two labels that only such a block has.
_DISTINCTIVE = {"index_number", "written", "published", "doc_number", "topic"}
_MAX_LINES = 60  # the block stands near the top of a page
# Any label, written with spaces between its characters or not, followed by its colon.
_ANY_LABEL_RE = re.compile(
    "|".join(r"[\s\u3000]*".join(map(re.escape, label)) for label in sorted(LABELS, key=len, reverse=True))
    + r"[\s\u3000]*[:：]"
)
_DATE_VALUE_RE = re.compile(r"^\d{4}\s*(?:年|-|/|\.)\s*\d{1,2}\s*(?:月|-|/|\.)\s*\d{1,2}\s*日?$")
# A value on the line after its label is taken only when it has the shape of that label's values: an empty
# label (``主题词：``) must not swallow the title that follows the block.
_NEXT_LINE_VALUE = {
    "index_number": re.compile(r"^[0-9A-Za-z][0-9A-Za-z/\-_.]{3,40}$"),
    "written": _DATE_VALUE_RE,
    "published": _DATE_VALUE_RE,
    "effective": _DATE_VALUE_RE,
    "doc_number": re.compile(r"^\S{1,20}[〔\[［【(（]\s*\d{4}\s*[〕\]］】)）]\s*\d{1,5}\s*号$"),
}
_LABEL_RE = re.compile(r"^(?P<label>[\u4e00-\u9fff](?:[\u4e00-\u9fff\s\u3000]{0,8}?))\s*[:：]\s*(?P<value>.*)$")


@dataclass(frozen=True)
class InfoBlock:
    """Fields read from the block (field name → value as written) and the text without the block."""

    fields: dict[str, str] = field(default_factory=dict)
    text: str = ""
    line_count: int = 0  # lines taken out


def _label(token: str) -> tuple[str, str] | None:
    match = _LABEL_RE.match(token.strip())
    if not match:
        return None
    label = re.sub(r"[\s\u3000]+", "", match["label"])
    if label not in LABELS:
        return None
    return LABELS[label], match["value"].strip()


def _cells(line: str) -> list[str]:
    """A line cut before every label and at tabs: ``发文机关：国务院  成文日期：…`` → two cells."""
    cells: list[str] = []
    for part in line.split("\t"):
        starts = [match.start() for match in _ANY_LABEL_RE.finditer(part)]
        bounds = [0, *[start for start in starts if start > 0], len(part)]
        cells += [part[a:b] for a, b in itertools.pairwise(bounds)]
    return cells


def _read_line(line: str, pending: str | None) -> tuple[list[tuple[str, str]], str | None] | None:
    """(field, value) pairs a line of the block gives and the label still waiting for its value;
    ``None`` when the line is not part of a block."""
    cells = [cell.strip() for cell in _cells(line) if cell.strip()]
    if not cells:
        return None
    pairs: list[tuple[str, str]] = []
    if pending is not None and not _NEXT_LINE_VALUE.get(pending, re.compile("$^")).match(cells[0]):
        pending = None
    for cell in cells:
        labelled = _label(cell)
        if labelled is not None:
            name, value = labelled
            if value:
                pairs.append((name, value))
                pending = None
            else:
                pending = name
        elif pending is not None:
            pairs.append((pending, cell))
            pending = None
        else:
            return None
    return pairs, pending


def extract_info_block(text: str) -> InfoBlock:
    """The block's fields and ``text`` without its lines; the text unchanged when it has no block."""
    lines = text.split("\n")
    start = end = None
    found: dict[str, str] = {}
    pending: str | None = None
    for index, line in enumerate(lines[:_MAX_LINES]):
        if not line.strip():
            continue
        read = _read_line(line, pending)
        if read is None:
            if start is not None:
                break
            continue
        pairs, pending = read
        if start is None:
            start = index
        end = index
        for name, value in pairs:
            if name and name not in found:
                found[name] = value
    if start is None or len(_DISTINCTIVE & found.keys()) < 2:
        return InfoBlock(text=text)
    kept = lines[:start] + lines[end + 1 :]
    return InfoBlock(fields=found, text="\n".join(kept), line_count=end + 1 - start)
