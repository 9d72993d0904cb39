"""What a policy text says about itself: title, policy title, 文号, issuer, date, region, type.

Read from the head (the paragraphs before the first chapter or item) and from the
signature, a short line just above a date line (``深圳市人民政府`` / ``2013 年 12 月
27 日``). A 印发 notice has two titles: its own (``…印发…若干措施的通知``) and the
enclosed policy's (``…若干措施``); the second is ``policy_title``, and the document
type is read from it.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from .citations import normalise_doc_number
from .dates import parse_cn_date
from .patterns import (
    CJK_RE,
    DATE_LINE_RE,
    DOC_NUMBER_LINE_RE,
    TITLE_FORBIDDEN_RE,
    TITLE_PERIOD_RE,
    is_title_like,
)

DOC_TYPES = ("notice", "measures", "opinion", "plan", "regulation", "periodical", "other")

_DOC_TYPE_RULES = (
    (re.compile(r"措施$"), "measures"),
    (re.compile(r"意见$"), "opinion"),
    (re.compile(r"(?:方案|计划|规划|纲要)$"), "plan"),
    (re.compile(r"(?:办法|规定|细则|条例)$"), "regulation"),
    (re.compile(r"通知$"), "notice"),
)
_ENCLOSED_RE = re.compile(r"(?:印发|转发|颁布)《?(?P<name>.+?)》?的通知$")
_QUOTED_RE = re.compile(r"《(?P<name>[^《》]{4,120})》")
_ISSUER_IN_TITLE_RE = re.compile(
    r"^(?P<org>[\u4e00-\u9fff]{2,30}?(?:人民政府|办公厅|办公室|委员会|局|委|厅|部|署))(?:关于|印发|转发)"
)
_REGION_RE = re.compile(r"^(?P<region>[\u4e00-\u9fff]{2,7}?(?:省|自治区|特别行政区|市))")
_MAX_SIGNATURE_CHARS = 30


@dataclass(frozen=True)
class TextMetadata:
    title: str = ""
    policy_title: str = ""
    doc_number: str = ""
    issuer: str = ""
    issue_date: dt.date | None = None
    region: str = ""
    # Head paragraphs that are titles or the 文号, so not part of the preamble.
    used: frozenset[str] = field(default_factory=frozenset)


def classify_doc_type(title: str, policy_title: str = "") -> str:
    """One of ``DOC_TYPES`` from the policy's own title, else the document title."""
    name = TITLE_PERIOD_RE.sub("", policy_title or title).strip().rstrip("》")
    enclosed = _ENCLOSED_RE.search(name)
    if enclosed:
        inner = classify_doc_type(enclosed["name"])
        return inner if inner not in ("other", "notice") else "notice"
    for pattern, doc_type in _DOC_TYPE_RULES:
        if pattern.search(name):
            return doc_type
    return "other"


def region_of(*names: str) -> str:
    """The province or city a name starts with: ``广东省人民政府办公厅`` → ``广东省``."""
    for name in names:
        match = _REGION_RE.match(name)
        if match:
            return match["region"]
    return ""


def issuer_from_title(title: str) -> str:
    """``广州市人民政府办公厅关于印发…`` → ``广州市人民政府办公厅``."""
    match = _ISSUER_IN_TITLE_RE.match(title)
    return match["org"] if match else ""


def is_signature(paragraph: str) -> bool:
    """A short unpunctuated Chinese line, as a signature is."""
    return (
        len(paragraph) <= _MAX_SIGNATURE_CHARS
        and not TITLE_FORBIDDEN_RE.search(paragraph)
        and CJK_RE.search(paragraph) is not None
        and not DATE_LINE_RE.match(paragraph)
    )


def find_signature(paragraphs: tuple[str, ...]) -> tuple[str, dt.date | None]:
    """``(issuer, date)`` of the first signed date line; a date line alone gives ``("", date)``."""
    first_date: dt.date | None = None
    for index, paragraph in enumerate(paragraphs):
        if not DATE_LINE_RE.match(paragraph):
            continue
        date = parse_cn_date(paragraph)
        if date is None:
            continue
        if index > 0 and is_signature(paragraphs[index - 1]):
            return re.sub(r"\s+", "、", paragraphs[index - 1]), date  # joint issuers are written side by side
        first_date = first_date or date
    return "", first_date


def _policy_title_from_notice(title: str, head: tuple[str, ...]) -> str:
    """The enclosed policy named in a 印发 notice: ``现将《…若干措施》印发给你们`` or the title itself."""
    for paragraph in head:
        if "印发" in paragraph and paragraph != title:
            quoted = _QUOTED_RE.search(paragraph)
            if quoted:
                return quoted["name"]
    enclosed = _ENCLOSED_RE.search(title)
    return enclosed["name"] if enclosed else ""


def read_titles(head: tuple[str, ...]) -> tuple[str, str]:
    """``(title, policy_title)`` from the head paragraphs."""
    titles = [paragraph for paragraph in head if is_title_like(paragraph)]
    if not titles:
        return "", ""
    title = titles[0]
    is_notice = title.endswith("通知") or "印发" in title
    if not is_notice:
        return title, ""
    policy_title = next((candidate for candidate in titles[1:] if candidate != title), "")
    return title, policy_title or _policy_title_from_notice(title, head)


def extract_metadata(head: tuple[str, ...], paragraphs: tuple[str, ...]) -> TextMetadata:
    """Metadata from the head paragraphs and the whole text's signature."""
    title, policy_title = read_titles(head)
    doc_number_line = next((paragraph for paragraph in head if DOC_NUMBER_LINE_RE.match(paragraph)), "")
    issuer, issue_date = find_signature(paragraphs)
    issuer = issuer or issuer_from_title(title)
    return TextMetadata(
        title=title,
        policy_title=policy_title,
        doc_number=normalise_doc_number(doc_number_line),
        issuer=issuer,
        issue_date=issue_date,
        region=region_of(issuer, title, policy_title),
        used=frozenset(text for text in (title, policy_title, doc_number_line) if text),
    )
