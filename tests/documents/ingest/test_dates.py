"""Table tests for Chinese numbers and dates."""

from __future__ import annotations

import datetime as dt

import pytest

from documents.ingest.dates import add_months, add_years, cn_number, parse_cn_date


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("5", 5),
        ("一", 1),
        ("十", 10),
        ("十二", 12),
        ("二十", 20),
        ("二十五", 25),
        ("一百零三", 103),
        ("两", 2),
        ("二〇一三", 2013),
        ("〇", 0),
        ("", None),
        ("五a", None),
        ("１２", None),  # full-width digits are folded by the normaliser, not here
    ],
)
def test_cn_number(text, expected):
    assert cn_number(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2013 年 12 月 27 日", dt.date(2013, 12, 27)),
        ("2019年1月2日", dt.date(2019, 1, 2)),
        ("有效期至 2022 年 12 月 31 日。", dt.date(2022, 12, 31)),
        ("二〇一三年十二月二十七日", dt.date(2013, 12, 27)),
        ("二〇二〇年一月一日", dt.date(2020, 1, 1)),
        ("2019年2月30日", None),  # no such day
        ("2019年13月1日", None),
        ("0000年1月1日", None),
        ("2019年", None),
        ("", None),
    ],
)
def test_parse_cn_date(text, expected):
    assert parse_cn_date(text) == expected


@pytest.mark.parametrize(
    ("start", "years", "expected"),
    [
        (dt.date(2013, 12, 27), 5, dt.date(2018, 12, 27)),
        (dt.date(2020, 2, 29), 1, dt.date(2021, 2, 28)),
        (dt.date(2020, 2, 29), 4, dt.date(2024, 2, 29)),
        (dt.date(9999, 1, 1), 1, None),
    ],
)
def test_add_years(start, years, expected):
    assert add_years(start, years) == expected


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        (dt.date(2019, 1, 31), 1, dt.date(2019, 2, 28)),
        (dt.date(2019, 11, 15), 6, dt.date(2020, 5, 15)),
        (dt.date(2019, 1, 2), 24, dt.date(2021, 1, 2)),
    ],
)
def test_add_months(start, months, expected):
    assert add_months(start, months) == expected
