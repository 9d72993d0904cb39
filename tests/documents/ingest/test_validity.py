"""Table tests for validity clauses."""

from __future__ import annotations

import datetime as dt

import pytest

from documents.ingest.types import Validity
from documents.ingest.validity import is_validity_clause, parse_validity, split_trailing_clause, validity_from_title

ISSUED = dt.date(2013, 12, 27)


@pytest.mark.parametrize(
    ("clause", "valid_from", "valid_until"),
    [
        ("以上措施自发布之日起实施，有效期 5年。实施期间，根据产业发展需要适时调整。", ISSUED, dt.date(2018, 12, 26)),
        ("本措施自发布之日起施行，有效期至 2022 年 12 月 31 日。", ISSUED, dt.date(2022, 12, 31)),
        ("本办法自2020年1月1日起施行，有效期3年。", dt.date(2020, 1, 1), dt.date(2022, 12, 31)),
        ("本意见自印发之日起实施，有效期五年。", ISSUED, dt.date(2018, 12, 26)),
        ("本措施自印发之日起施行，有效期为 2 年。", ISSUED, dt.date(2015, 12, 26)),
        ("本措施有效期 18 个月。", None, dt.date(2015, 6, 26)),  # counted from the issue date
        ("本办法自2019年7月1日起施行，至2021年6月30日止。", dt.date(2019, 7, 1), dt.date(2021, 6, 30)),
        ("本意见自印发之日起实施。", ISSUED, None),
        ("本办法自二〇二〇年一月一日起施行。", dt.date(2020, 1, 1), None),
    ],
)
def test_parse_validity(clause, valid_from, valid_until):
    assert parse_validity(clause, ISSUED) == Validity(clause=clause, valid_from=valid_from, valid_until=valid_until)


def test_parse_validity_without_issue_date():
    assert parse_validity("以上措施自发布之日起实施，有效期5年。", None) == Validity(
        clause="以上措施自发布之日起实施，有效期5年。"
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("以上措施自发布之日起实施，有效期 5年。", True),
        ("本措施自发布之日起施行，有效期至 2022 年 12 月 31 日。", True),
        ("本办法自2020年1月1日起施行。", True),
        ("本意见有效期3年。", True),
        ("此通知自印发之日起执行。", True),
        ("加强用地支持。各地级以上市的用地计划指标要优先保障。", False),
        ("支持企业自建平台，自今年起实施奖励。", False),
        ("本措施由市商务局负责解释。", False),
    ],
)
def test_is_validity_clause(text, expected):
    assert is_validity_clause(text) is expected


@pytest.mark.parametrize(
    ("paragraph", "expected"),
    [
        ("推广普及电子商务应用。本意见自印发之日起实施。", ("推广普及电子商务应用。", "本意见自印发之日起实施。")),
        ("加强宣传。本措施自发布之日起施行，有效期3年。", ("加强宣传。", "本措施自发布之日起施行，有效期3年。")),
        ("加强宣传。本措施由市商务局负责解释。", ("加强宣传。本措施由市商务局负责解释。", "")),
        ("本意见自印发之日起实施。", ("本意见自印发之日起实施。", "")),
    ],
)
def test_split_trailing_clause(paragraph, expected):
    assert split_trailing_clause(paragraph) == expected


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        (
            "深圳市推动跨境电子商务高质量发展行动方案（2022-2025）",
            Validity("（2022-2025）", dt.date(2022, 1, 1), dt.date(2025, 12, 31)),
        ),
        ("规划纲要（2016-2020 年）", Validity("（2016-2020 年）", dt.date(2016, 1, 1), dt.date(2020, 12, 31))),
        ("若干措施", None),
        ("行动方案（2025-2022）", None),
    ],
)
def test_validity_from_title(title, expected):
    assert validity_from_title(title) == expected
