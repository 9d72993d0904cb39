"""Regular expressions shared by the normaliser, the structure splitter and the metadata reader.

They describe the shapes of Chinese government documents: item numbers such as
``（三）``, ``1.`` or ``第十二条``, chapter headings such as ``一、…``, dates written
``2013 年 12 月 27 日``, 文号 lines and titles ending in a document kind. Keeping them
in one place means the line joiner and the structure splitter agree on what a
numbered item looks like.
"""

from __future__ import annotations

import re

CN_DIGITS = "一二三四五六七八九十百千零〇两"
_CN = f"[{CN_DIGITS}]"

# Item numbers, one pattern per style. Each captures the label in ``label``;
# the match ends after any spaces that follow the label.
# Labels as long as documents number: （一百一十一）, 第一千零二条, 5000.
CN_LABEL = rf"{_CN}{{1,7}}"
DIGIT_LABEL = r"\d{1,4}"
ITEM_PAREN_CN_RE = re.compile(rf"^[（(]\s*(?P<label>{CN_LABEL})\s*[）)]\s*")
# ``第三条的规定…`` at the start of a broken line is a reference, not an article.
ITEM_ARTICLE_RE = re.compile(rf"^第\s*(?P<label>(?:{CN_LABEL}|{DIGIT_LABEL}))\s*条(?![的中之规所第、，。；])\s*")
# ``1.`` / ``1、`` / ``1．`` but not a decimal number such as ``1.5 倍`` at a line start.
ITEM_DIGIT_RE = re.compile(rf"^(?P<label>{DIGIT_LABEL})\s*(?P<sep>[.．、])(?!\d)\s*")
ITEM_PAREN_DIGIT_RE = re.compile(rf"^[（(]\s*(?P<label>{DIGIT_LABEL})\s*[）)]\s*")

# Styles in the order in which one outranks another as the top item level:
# articles hold （一） points, （一） items hold 1. points, 1. items hold （1） points.
STYLE_ARTICLE = "article"
STYLE_PAREN_CN = "paren_cn"
STYLE_DIGIT = "digit"
STYLE_PAREN_DIGIT = "paren_digit"
STYLE_CHAPTER = "chapter"  # 一、… used as items when nothing finer is numbered
ITEM_STYLES: dict[str, re.Pattern[str]] = {
    STYLE_ARTICLE: ITEM_ARTICLE_RE,
    STYLE_PAREN_CN: ITEM_PAREN_CN_RE,
    STYLE_DIGIT: ITEM_DIGIT_RE,
    STYLE_PAREN_DIGIT: ITEM_PAREN_DIGIT_RE,
}

# Chapter headings: ``一、做大做强电子商务新业态`` and ``第一章 总则`` / ``第二部分``.
CHAPTER_CN_RE = re.compile(rf"^(?P<label>{_CN}{{1,4}})\s*[、．.]\s*(?=\S)")
CHAPTER_ZHANG_RE = re.compile(rf"^第\s*(?P<label>{_CN}{{1,4}}|\d{{1,2}})\s*(?:章|部分|篇)(?:\s+|(?=\S))")

# A heading is short; longer lines that start like one are a heading plus text.
MAX_HEADING_CHARS = 40

# Punctuation that ends a sentence, so the next physical line starts a new paragraph.
SENTENCE_END_RE = re.compile(r"[。！？：；…!?][”’」』）)]*$")
# A paragraph ending in a department parenthesis, e.g. ``…（市商务局负责）``.
DEPARTMENT_TAIL_RE = re.compile(r"(?:牵头|配合|负责)[〉>]?[）)]$")

_YEAR = r"(?P<year>\d{4}|[〇○零一二三四五六七八九]{4})"
_MONTH = r"(?P<month>\d{1,2}|[一二三四五六七八九十]{1,3})"
_DAY = r"(?P<day>\d{1,2}|[一二三四五六七八九十]{1,3})"
DATE_PATTERN = rf"{_YEAR}\s*年\s*{_MONTH}\s*月\s*{_DAY}\s*日"
DATE_RE = re.compile(DATE_PATTERN)
# A paragraph that is nothing but a date: the date under a signature.
DATE_LINE_RE = re.compile(rf"^\s*{DATE_PATTERN}\s*$")

# A line that is nothing but a 文号: ``穗府办函〔2019〕2号``.
DOC_NUMBER_LINE_RE = re.compile(r"^[\u4e00-\u9fff]{1,12}\s*[〔\[［【]\s*(?:19|20)\d{2}\s*[〕\]］】]\s*\d{1,5}\s*号$")

# Words a document title ends with, optionally followed by a period in brackets:
# ``…若干措施``, ``…行动方案（2022-2025）``.
DOC_KIND_END_RE = re.compile(
    r"(?:通知|意见|措施|方案|办法|规定|细则|决定|决议|规划|计划|纲要|条例|指引|通告|公告|批复|报告|要点|指南|政策|规则|准则|清单)"
    r"(?:[（(][^（）()]{1,20}[）)])?$"
)
# Punctuation never found inside a title line.
TITLE_FORBIDDEN_RE = re.compile(r"[，。；：！？,;:!?]")

# A period written in a title: ``（2022-2025）`` or ``（2016-2020 年）``.
TITLE_PERIOD_RE = re.compile(
    r"[（(]\s*(?P<start>(?:19|20)\d{2})\s*(?:年\s*)?[-—–－~～至到]\s*(?P<end>(?:19|20)\d{2})\s*年?\s*[）)]"
)

# Units that sign documents; a short line ending in one of these just above a date is a signature.
ORG_SUFFIX_RE = re.compile(r"(?:政府|办公厅|办公室|委员会|局|委|厅|部|署|院|中心|办|会|小组|公司|集团)$")

CJK_RE = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_PAIRS = (("《", "》"), ("（", "）"), ("“", "”"), ("〔", "〕"))


def match_item(paragraph: str) -> tuple[str, re.Match[str]] | None:
    """Return ``(style, match)`` for the item number ``paragraph`` starts with, or ``None``."""
    for style, pattern in ITEM_STYLES.items():
        match = pattern.match(paragraph)
        if match:
            return style, match
    return None


def match_chapter(paragraph: str) -> re.Match[str] | None:
    """Return the match of a chapter heading label at the start of ``paragraph``, or ``None``."""
    return CHAPTER_CN_RE.match(paragraph) or CHAPTER_ZHANG_RE.match(paragraph)


def is_short_heading(paragraph: str) -> bool:
    """A chapter heading standing alone on its line (no sentence after it)."""
    if not match_chapter(paragraph) or len(paragraph) > MAX_HEADING_CHARS:
        return False
    return not re.search(r"[，；,;]|。.", paragraph)


def is_title_like(paragraph: str) -> bool:
    """A line that reads like a document title: no sentence punctuation, ends in a document kind."""
    if not 4 <= len(paragraph) <= 120 or TITLE_FORBIDDEN_RE.search(paragraph):
        return False
    if match_item(paragraph) or match_chapter(paragraph) or DATE_LINE_RE.match(paragraph):
        return False
    # A line broken inside 《…》 (``为贯彻落实《…行动计划``) is a sentence fragment, not a title.
    if any(paragraph.count(left) != paragraph.count(right) for left, right in _PAIRS):
        return False
    return bool(DOC_KIND_END_RE.search(paragraph))
