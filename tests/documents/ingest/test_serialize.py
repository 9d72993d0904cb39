"""A parse kept as JSON (an upload waiting for its preview to be confirmed) comes back exactly as it was."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from documents.ingest import (
    Article,
    ChronicleEntry,
    CitationRef,
    DepartmentRef,
    ParsedDocument,
    ParsedMeasure,
    Validity,
)
from documents.ingest.serialize import parsed_from_json, parsed_to_json

from .seed_helpers import SEED_000, SEED_001, SEED_002, SEED_003, SEED_004, parse_seed


def through_json(parsed: ParsedDocument) -> ParsedDocument:
    """What a JSONField gives back: the dict written as JSON text and read again."""
    return parsed_from_json(json.loads(json.dumps(parsed_to_json(parsed), ensure_ascii=False)))


@pytest.mark.parametrize("name", [SEED_000, SEED_001, SEED_002, SEED_003, SEED_004])
def test_seed_documents_round_trip_exactly(name):
    parsed = parse_seed(name)

    again = through_json(parsed)

    assert again == parsed
    assert [type(m.departments) for m in again.measures] == [tuple] * len(parsed.measures)
    assert type(again.validity) is type(parsed.validity)


def test_periodical_seed_keeps_its_articles_and_dated_chronicle():
    parsed = parse_seed(SEED_004)
    assert parsed.articles and any(entry.date for entry in parsed.chronicle)  # the fixture exercises both

    again = through_json(parsed)

    assert again.articles == parsed.articles
    assert [entry.date for entry in again.chronicle] == [entry.date for entry in parsed.chronicle]
    assert all(isinstance(entry.date, dt.date) for entry in again.chronicle if entry.date)


def every_field_set() -> ParsedDocument:
    """A parse with every optional part filled, including those the seed texts never have."""
    return ParsedDocument(
        title="关于印发《深圳市支持海外仓建设若干措施》的通知",
        doc_type="notice",
        raw_text="原文\r\n（一）……",
        clean_text="原文\n（一）……",
        encoding="gb18030",
        content_hash="a" * 64,
        policy_title="深圳市支持海外仓建设若干措施",
        doc_number="深商〔2023〕8号",
        issuer="深圳市商务局",
        co_issuers=("深圳市财政局", "深圳海关"),
        region="深圳市",
        issue_date=dt.date(2023, 5, 6),
        year=2023,
        source_url="https://example.gov.cn/a.html",
        preamble="为贯彻落实……",
        validity=Validity("自发布之日起实施，有效期3年。", dt.date(2023, 5, 6), dt.date(2026, 5, 5)),
        measures=[
            ParsedMeasure(
                1,
                "（一）",
                "支持企业建设海外仓",
                "给予资金支持。\n第二段。",
                chapter="一、总体安排",
                kind="measure",
                departments=(DepartmentRef("市商务局", "lead"), DepartmentRef("市财政局", "cooperate", "下同")),
            )
        ],
        citations=[CitationRef("关于推进海外仓建设的意见", "国办发〔2021〕24号")],
        articles=[Article(1, "海外仓观察", "正文", subtitle="副题", page=3), Article(2, "无页码", "正文")],
        chronicle=[
            ChronicleEntry(1, "一、", "举办论坛", "内容", date=dt.date(2023, 1, 2)),
            ChronicleEntry(2, "二、", "无日期", ""),
        ],
        warnings=["正文中没有识别出发文日期。"],
        provenance={"title": "取自正文第1段", "region": "由发文机关“深圳市商务局”推定"},
    )


def test_every_field_round_trips_with_its_type():
    parsed = every_field_set()

    again = through_json(parsed)

    assert again == parsed
    assert isinstance(again.co_issuers, tuple) and isinstance(again.measures[0].departments, tuple)
    assert again.validity.valid_until == dt.date(2026, 5, 5)


def test_json_is_plain():
    data = parsed_to_json(every_field_set())

    assert data["issue_date"] == "2023-05-06"
    assert data["co_issuers"] == ["深圳市财政局", "深圳海关"]
    assert data["measures"][0]["departments"][1] == {"name": "市财政局", "role": "cooperate", "note": "下同"}
    assert json.loads(json.dumps(data)) == data


def test_a_parse_stored_before_a_field_existed_still_loads():
    data = parsed_to_json(every_field_set())
    del data["co_issuers"]
    data["field_since_removed"] = "x"

    again = parsed_from_json(data)

    assert again.co_issuers == ()
    assert again.title == every_field_set().title
