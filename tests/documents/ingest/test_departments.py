"""Table tests for department parentheses."""

from __future__ import annotations

import pytest

from documents.ingest.departments import (
    extract_departments,
    parse_department_list,
    restore_prefixes,
    tidy_after_removal,
)
from documents.ingest.types import DepartmentRef

L, C, R = "lead", "cooperate", "responsible"


def refs(*pairs: tuple[str, str] | tuple[str, str, str]) -> list[DepartmentRef]:
    return [DepartmentRef(*pair) for pair in pairs]


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (
            "市商务委、各区政府牵头，市发展改革委、工业和信息化委、科技创新委、财政局、国土规划委、金融局配合",
            refs(
                ("市商务委", L),
                ("各区政府", L),
                ("市发展改革委", C),
                ("市工业和信息化委", C),
                ("市科技创新委", C),
                ("市财政局", C),
                ("市国土规划委", C),
                ("市金融局", C),
            ),
        ),
        (
            "市商务委牵头；市财政局、税务局，各区政府，广州海关，黄埔海关，中国人民银行广州分行配合",
            refs(
                ("市商务委", L),
                ("市财政局", C),
                ("市税务局", C),
                ("各区政府", C),
                ("广州海关", C),
                ("黄埔海关", C),
                ("中国人民银行广州分行", C),
            ),
        ),
        (
            "市商务局，各区〈含大鹏新区、深汕特别合作区，下同〉负责",
            refs(("市商务局", R), ("各区", R, "含大鹏新区、深汕特别合作区，下同")),
        ),
        ("深圳海关负责", refs(("深圳海关", R))),
        ("市商务委牵头，市财政局、各区政府配合", refs(("市商务委", L), ("市财政局", C), ("各区政府", C))),
        ("市商务委牵头,市财政局、各区政府配合", refs(("市商务委", L), ("市财政局", C), ("各区政府", C))),
        (
            "市市场监管局、司法局、商务局，市贸促委负责",
            refs(("市市场监管局", R), ("市司法局", R), ("市商务局", R), ("市贸促委", R)),
        ),
        ("市商务局、市场监管局负责", refs(("市商务局", R), ("市市场监管局", R))),  # 市场 is not the prefix
        (
            "市商务委牵头；广州市税务局、广州海关、黄埔海关、中国人民银行广州分行配合",
            refs(("市商务委", L), ("广州市税务局", C), ("广州海关", C), ("黄埔海关", C), ("中国人民银行广州分行", C)),
        ),
        ("市商务委牵头，各区政府、市有关部门配合", refs(("市商务委", L), ("各区政府", C), ("市有关部门", C))),
        ("市公安局、交委、邮政管理局负责", refs(("市公安局", R), ("市交委", R), ("市邮政管理局", R))),
        (
            "各区政府牵头；市国土规划委、交委、商务委、城市更新局、邮政管理局配合",
            refs(
                ("各区政府", L),
                ("市国土规划委", C),
                ("市交委", C),
                ("市商务委", C),
                ("市城市更新局", C),
                ("市邮政管理局", C),
            ),
        ),
        (
            "深圳市税务局，前海管理局，市商务局，深圳海关负责",
            refs(("深圳市税务局", R), ("前海管理局", R), ("市商务局", R), ("深圳海关", R)),
        ),
        (
            "国家外汇管理局深圳市分局、中国人民银行深圳市中心支行负责",
            refs(("国家外汇管理局深圳市分局", R), ("中国人民银行深圳市中心支行", R)),
        ),
        (
            "市交通运输局、商务局，深圳市邮政管理局，各区，深圳机场集团负责",
            refs(("市交通运输局", R), ("市商务局", R), ("深圳市邮政管理局", R), ("各区", R), ("深圳机场集团", R)),
        ),
        ("省商务厅牵头，发展改革委、财政厅配合", refs(("省商务厅", L), ("发展改革委", C), ("财政厅", C))),
        ("省商务厅、发展改革委配合", refs(("省商务厅", C), ("省发展改革委", C))),
        ("区商务局、财政局负责", refs(("区商务局", R), ("区财政局", R))),
        ("由市商务委牵头", refs(("市商务委", L))),
        ("各有关部门按职责分工负责", refs(("各有关部门", R))),
        ("市商务委牵头；市财政局配合。", refs(("市商务委", L), ("市财政局", C))),
    ],
)
def test_parse_department_list(body, expected):
    assert parse_department_list(body) == expected


@pytest.mark.parametrize(
    "body",
    [
        "企业对企业电子商务",
        "PPP",
        "O2O",
        "2016-2020 年",
        "快递",
        "知识产权等",
        "《药品经营质量管理规范》",
        "市商务委负责解释",  # role word not at the end
        "由分管市领导牵头的联席会议",
        "对符合条件的企业给予支持，由市财政局负责",
        "",
    ],
)
def test_not_a_department_list(body):
    assert parse_department_list(body) is None


@pytest.mark.parametrize(
    ("run", "expected"),
    [
        (["市发展改革委", "工业和信息化委"], ["市发展改革委", "市工业和信息化委"]),
        (["市商务委", "各区政府", "财政局"], ["市商务委", "各区政府", "市财政局"]),
        (["广州市税务局", "广州海关"], ["广州市税务局", "广州海关"]),
        (["交委", "商务委"], ["交委", "商务委"]),  # no prefix to restore
    ],
)
def test_restore_prefixes(run, expected):
    assert restore_prefixes(run) == expected


@pytest.mark.parametrize(
    ("text", "expected_text", "expected_names"),
    [
        (
            "宣传推介等服务。(市商务委、各区政府牵头，市金融局配合)",
            "宣传推介等服务。",
            [("市商务委", L), ("各区政府", L), ("市金融局", C)],
        ),
        (
            "继续认定一批示范企业(市商务委牵头，市财政局、各区政府配合)。完善政策",
            "继续认定一批示范企业。完善政策",
            [("市商务委", L), ("市财政局", C), ("各区政府", C)],
        ),
        (
            "合理化布局。（市邮政管理局牵头）鼓励物流（快递）企业",
            "合理化布局。鼓励物流（快递）企业",
            [("市邮政管理局", L)],
        ),
        ("贷款支持。（市商务委牵头） 深入分析", "贷款支持。深入分析", [("市商务委", L)]),
        ("加快发展。（市商务委牵头）。", "加快发展。", [("市商务委", L)]),
        (
            "第一句（市商务委牵头）。第二句（市商务委牵头，市财政局配合）。",
            "第一句。第二句。",
            [("市商务委", L), ("市财政局", C)],  # no duplicate (name, role)
        ),
        ("大型 B2B（企业对企业电子商务）平台", "大型 B2B（企业对企业电子商务）平台", []),
        ("第一段。\n（市商务局负责）\n第二段。", "第一段。\n第二段。", [("市商务局", R)]),
        ("采用 SaaS（市商务局负责） 模式", "采用 SaaS 模式", [("市商务局", R)]),
    ],
)
def test_extract_departments(text, expected_text, expected_names):
    cleaned, found = extract_departments(text)
    assert cleaned == expected_text
    assert [(ref.name, ref.role) for ref in found] == expected_names


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("服务。。", "服务。"),
        ("服务；。", "服务；"),
        ("。鼓励", "鼓励"),
        ("服务。 ", "服务。"),
    ],
)
def test_tidy_after_removal(text, expected):
    assert tidy_after_removal(text) == expected
