"""Dates and numbers as Chinese documents write them.

``2013 年 12 月 27 日``, ``2019年1月2日`` and ``二〇一三年十二月二十七日`` all become
``datetime.date``; impossible dates (``2019年2月30日``) become ``None`` rather than an
exception, because they come from untrusted text.
"""

from __future__ import annotations

import datetime as dt
import re

from .patterns import DATE_RE

_DIGIT_VALUES = {
    "〇": 0,
    "○": 0,
    "零": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
_UNIT_VALUES = {"十": 10, "百": 100, "千": 1000}


def cn_number(text: str) -> int | None:
    """Value of ``text`` written in Arabic digits or Chinese numerals (``二十五`` → 25), or ``None``.

    Numerals without units (``二〇一三``) are read digit by digit, as years are written.
    """
    text = text.strip()
    if not text:
        return None
    if text.isdigit() and text.isascii():
        return int(text)
    if any(char not in _DIGIT_VALUES and char not in _UNIT_VALUES for char in text):
        return None
    if not any(char in _UNIT_VALUES for char in text):
        value = 0
        for char in text:
            value = value * 10 + _DIGIT_VALUES[char]
        return value
    total, digit = 0, 0
    for char in text:
        if char in _DIGIT_VALUES:
            digit = _DIGIT_VALUES[char]
        else:
            # A bare 十 at the start means 一十 (十二 = 12).
            total += (digit or 1) * _UNIT_VALUES[char]
            digit = 0
    return total + digit


def make_date(year: int | None, month: int | None, day: int | None) -> dt.date | None:
    """``datetime.date`` for the parts, or ``None`` if any is missing or the date does not exist."""
    if year is None or month is None or day is None:
        return None
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def date_from_match(match: re.Match[str]) -> dt.date | None:
    """Date from a match of ``patterns.DATE_PATTERN`` (groups ``year``, ``month``, ``day``)."""
    return make_date(cn_number(match["year"]), cn_number(match["month"]), cn_number(match["day"]))


def parse_cn_date(text: str) -> dt.date | None:
    """The first date written in ``text`` (``2013 年 12 月 27 日``), or ``None``."""
    match = DATE_RE.search(text)
    return date_from_match(match) if match else None


def add_years(day: dt.date, years: int) -> dt.date | None:
    """``day`` moved ``years`` years on; 29 February becomes 28 February. ``None`` past year 9999."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        if day.month == 2 and day.day == 29:
            return add_years(day.replace(day=28), years)
        return None


def add_months(day: dt.date, months: int) -> dt.date | None:
    """``day`` moved ``months`` months on, clamped to the end of a shorter month."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    for candidate in (day.day, 30, 29, 28):
        result = make_date(year, month, min(day.day, candidate))
        if result:
            return result
    return None
