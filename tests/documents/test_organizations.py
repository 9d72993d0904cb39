"""Department names spelled out in their document's region, and spellings of one body found for merging."""

from __future__ import annotations

import pytest

from documents.organizations import canonical_department, duplicate_key, home_region, likely_duplicates


@pytest.mark.parametrize(
    ("name", "region", "expected"),
    [
        ("市商务局", "广州市", "广州市商务局"),
        ("市商务委", "深圳市", "深圳市商务委"),
        ("省商务厅", "广州市", "广东省商务厅"),
        ("省财政厅", "浙江省", "浙江省财政厅"),
        ("市财政局", "杭州市", "杭州市财政局"),
        ("市商务局", "深圳市南山区", "深圳市商务局"),  # a district's document: the city's bureau
        ("区发展改革局", "深圳市南山区", "深圳市南山区发展改革局"),
        ("各区政府", "广州市", "广州市各区政府"),
        ("市场监管局", "广州市", "市场监管局"),  # 市场 is the market, not the city
        ("人力资源社会保障部", "全国", "人力资源社会保障部"),
        ("深圳海关", "深圳市", "深圳海关"),
    ],
)
def test_canonical_department(name, region, expected):
    assert canonical_department(name, region_name=region) == expected


@pytest.mark.parametrize(
    ("name", "region", "expected"),
    [
        ("广东省财政厅", "广州市", "广东省"),
        ("财政部", "广东省", "全国"),
        ("广州市商务局", "广州市", "广州市"),
        ("有关部门", "杭州市", "杭州市"),
    ],
)
def test_home_region(name, region, expected):
    assert home_region(name, region_name=region) == expected


def test_spellings_of_one_body_share_a_key():
    assert duplicate_key("广州市人力资源和社会保障局", region_name="广州市") == duplicate_key(
        "人力资源社会保障局", region_name="广州市"
    )
    assert duplicate_key("广州市商务委", region_name="广州市") == duplicate_key("广州商务局", region_name="广州市")
    assert duplicate_key("广州市商务局", region_name="广州市") != duplicate_key("广州市财政局", region_name="广州市")


def test_likely_duplicates_stay_within_a_region():
    rows = [
        (1, "广州市人力资源和社会保障局", "广州市"),
        (2, "人力资源社会保障局", "广州市"),
        (3, "深圳市人力资源和社会保障局", "深圳市"),
        (4, "广州市财政局", "广州市"),
    ]
    assert likely_duplicates(rows) == {1: [2], 2: [1]}
