"""The validity clause of a policy: when it takes effect and until when it holds.

``以上措施自发布之日起实施，有效期 5年。`` → from the issue date for five years (the
last day is the day before the fifth anniversary); ``有效期至 2022 年 12 月 31 日`` →
until that day; ``自2020年1月1日起施行`` → from that day. A period in the title,
``（2022-2025）``, stands for 1 January of the first year to 31 December of the last.
"""

from __future__ import annotations

import datetime as dt
import re

from .dates import add_months, add_years, cn_number, date_from_match, make_date
from .patterns import DATE_PATTERN, TITLE_PERIOD_RE
from .types import Validity

_SUBJECT = r"(?:本|以上|上述|此|该)"
_EFFECT = r"(?:施行|实施|执行|生效)"
# The first sentence of a clause: ``本措施自发布之日起施行，有效期至…`` / ``本办法有效期3年``.
_CLAUSE_RE = re.compile(
    rf"^{_SUBJECT}[\u4e00-\u9fff]{{0,12}}?(?:(?:自|从)[^。]{{0,30}}?起[^。]{{0,4}}?{_EFFECT}|有效期)"
)
# A clause written as the last sentence of a paragraph, after other sentences.
_TRAILING_CLAUSE_RE = re.compile(
    rf"(?<=[。；])\s*(?P<clause>{_SUBJECT}(?:措施|意见|方案|办法|规定|细则|通知|政策|计划)"
    rf"[^。]{{0,60}}?(?:{_EFFECT}|有效期)[^。]*。)$"
)
_FROM_ISSUE_RE = re.compile(r"(?:自|从)\s*(?:发布|印发|公布|颁布|发文|下发)之日起")
_FROM_DATE_RE = re.compile(rf"(?:自|从)\s*{DATE_PATTERN}\s*起")
_UNTIL_RE = re.compile(rf"(?:有效期(?:至|到)|至|到)\s*{DATE_PATTERN}\s*(?:止|废止|失效)?")
_DURATION_RE = re.compile(r"有效期\s*(?:为|是)?\s*(?P<count>\d{1,3}|[一二两三四五六七八九十]{1,3})\s*(?P<unit>年|个月)")


def is_validity_clause(text: str) -> bool:
    """Whether ``text`` opens with a validity clause (``本措施自发布之日起施行…``)."""
    return bool(_CLAUSE_RE.match(text.strip()))


def split_trailing_clause(paragraph: str) -> tuple[str, str]:
    """``"…推广应用。本意见自印发之日起实施。"`` → ``("…推广应用。", "本意见自印发之日起实施。")``.

    Returns ``(paragraph, "")`` when it does not end with a validity sentence.
    """
    match = _TRAILING_CLAUSE_RE.search(paragraph)
    if not match:
        return paragraph, ""
    return paragraph[: match.start()].rstrip(), match["clause"]


def parse_validity(clause: str, issue_date: dt.date | None) -> Validity:
    """Dates a clause states; ``自发布之日起`` counts from ``issue_date``."""
    valid_from: dt.date | None = None
    from_date = _FROM_DATE_RE.search(clause)
    if from_date:
        valid_from = date_from_match(from_date)
    elif _FROM_ISSUE_RE.search(clause):
        valid_from = issue_date

    valid_until: dt.date | None = None
    until = _UNTIL_RE.search(clause)
    duration = _DURATION_RE.search(clause)
    if until:
        valid_until = date_from_match(until)
    elif duration:
        start = valid_from or issue_date
        count = cn_number(duration["count"])
        if start and count:
            end = add_years(start, count) if duration["unit"] == "年" else add_months(start, count)
            # "Five years from 27 December 2013" ends on 26 December 2018, the day before the anniversary.
            valid_until = end - dt.timedelta(days=1) if end else None
    return Validity(clause=clause, valid_from=valid_from, valid_until=valid_until)


def validity_from_title(title: str) -> Validity | None:
    """``…行动方案（2022-2025）`` → 2022-01-01 to 2025-12-31; ``None`` without such a period."""
    match = TITLE_PERIOD_RE.search(title)
    if not match:
        return None
    start, end = int(match["start"]), int(match["end"])
    if end < start:
        return None
    return Validity(clause=match.group(), valid_from=make_date(start, 1, 1), valid_until=make_date(end, 12, 31))
