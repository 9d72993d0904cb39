"""Tests for reading titles, 文号, issuer, date, region and document type."""

from __future__ import annotations

import datetime as dt

import pytest

from documents.ingest.metadata import (
    classify_doc_type,
    extract_metadata,
    find_signature,
    issuer_from_title,
    read_titles,
    region_of,
)


@pytest.mark.parametrize(
    ("title", "policy_title", "expected"),
    [
        (
            "深圳市人民政府印发深圳市关于进一步促进电子商务发展的若干措施的通知",
            "深圳市关于进一步促进电子商务发展的若干措施",
            "measures",
        ),
        ("广州市人民政府办公厅关于印发推动电子商务跨越式发展若干措施的通知", "", "measures"),
        ("广东省人民政府办公厅关于加快发展电子商务的意见", "", "opinion"),
        ("深圳市推动跨境电子商务高质量发展行动方案（2022-2025）", "", "plan"),
        ("某市电子商务发展规划", "", "plan"),
        ("某市深入推进“互联网＋流通”行动计划实施方案", "", "plan"),
        ("某市电子商务专项资金管理办法", "", "regulation"),
        ("某市实施细则", "", "regulation"),
        ("某市关于开展电子商务示范评选的通知", "", "notice"),
        ("某市关于印发《某某工作要点》的通知", "", "notice"),
        ("电子商务动态", "", "other"),
    ],
)
def test_classify_doc_type(title, policy_title, expected):
    assert classify_doc_type(title, policy_title) == expected


@pytest.mark.parametrize(
    ("names", "expected"),
    [
        (("深圳市人民政府",), "深圳市"),
        (("广州市人民政府办公厅",), "广州市"),
        (("广东省人民政府办公厅",), "广东省"),
        (("", "深圳市推动跨境电子商务高质量发展行动方案"), "深圳市"),
        (("国务院办公厅", "关于推动电子商务的若干措施"), "全国"),
        (("广西壮族自治区人民政府",), "广西壮族自治区"),
    ],
)
def test_region_of(names, expected):
    assert region_of(*names) == expected


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("广州市人民政府办公厅关于印发推动电子商务跨越式发展若干措施的通知", "广州市人民政府办公厅"),
        ("深圳市人民政府印发深圳市关于进一步促进电子商务发展的若干措施的通知", "深圳市人民政府"),
        ("深圳市商务局关于开展评选的通知", "深圳市商务局"),
        ("深圳市推动跨境电子商务高质量发展行动方案（2022-2025）", ""),
    ],
)
def test_issuer_from_title(title, expected):
    assert issuer_from_title(title) == expected


@pytest.mark.parametrize(
    ("paragraphs", "expected"),
    [
        (
            ("通知正文。", "深圳市人民政府", "2013 年 12 月 27 日", "政策标题"),
            ("深圳市人民政府", dt.date(2013, 12, 27)),
        ),
        (("正文。", "广东省人民政府办公厅", "2012年12月25日"), ("广东省人民政府办公厅", dt.date(2012, 12, 25))),
        (("深圳市商务局 深圳市财政局", "2020年1月1日"), ("深圳市商务局、深圳市财政局", dt.date(2020, 1, 1))),
        (("正文。", "2019年1月2日"), ("", dt.date(2019, 1, 2))),
        (("正文。", "2019年2月30日"), ("", None)),
        (("没有日期。",), ("", None)),
    ],
)
def test_find_signature(paragraphs, expected):
    assert find_signature(paragraphs) == expected


@pytest.mark.parametrize(
    ("head", "expected"),
    [
        (
            (
                "深圳市人民政府印发深圳市关于进一步促进电子商务发展的若干措施的通知",
                "各区人民政府，市政府直属各单位：",
                "深圳市关于进一步促进电子商务发展的若干措施",
            ),
            (
                "深圳市人民政府印发深圳市关于进一步促进电子商务发展的若干措施的通知",
                "深圳市关于进一步促进电子商务发展的若干措施",
            ),
        ),
        (
            ("某市人民政府关于印发某某若干措施的通知", "现将《某某若干措施》印发给你们，请遵照执行。"),
            ("某市人民政府关于印发某某若干措施的通知", "某某若干措施"),
        ),
        (("某市关于印发某某实施方案的通知",), ("某市关于印发某某实施方案的通知", "某某实施方案")),
        (
            ("深圳市推动跨境电子商务高质量发展行动方案（2022-2025）", "为深入贯彻落实，制定本方案。"),
            ("深圳市推动跨境电子商务高质量发展行动方案（2022-2025）", ""),
        ),
        (("各地级以上市人民政府：", "电子商务是新业态。"), ("", "")),
    ],
)
def test_read_titles(head, expected):
    assert read_titles(head) == expected


def test_extract_metadata_of_a_notice():
    head = (
        "广州市人民政府办公厅关于印发推动电子商务跨越式发展若干措施的通知",
        "穗府办函〔2019〕 2 号",
        "各区人民政府：",
        "广州市人民政府办公厅",
        "2019年1月2日",
        "关于推动电子商务跨越式发展的若干措施",
    )
    found = extract_metadata(head, head)
    assert found.title == head[0]
    assert found.policy_title == head[-1]
    assert found.doc_number == "穗府办函〔2019〕2号"
    assert found.issuer == "广州市人民政府办公厅"
    assert found.issue_date == dt.date(2019, 1, 2)
    assert found.region == "广州市"
    assert found.used == {head[0], head[1], head[-1]}
