"""Names of the units in a department list: where one unit ends, what a unit looks like, whose it is.

A clause of a department list names a run of units: ``市发展改革委、工业和信息化委及财政局``.
Units are separated by 、 及 以及, and by 和 / 与 only where a complete name ends before
it — 和 inside a name (工业和信息化部, 文化和旅游部, 国家发展和改革委员会) never splits. A
closing 等 / 等部门 is not part of a name.

Inside a run the writer drops the level prefix the units share, so ``市发展改革委、工业和信息化委``
means 市工业和信息化委: the prefix is restored unless the unit is a full name — one that
already says whose it is (各区政府, 国家发展改革委, 浙江省经信厅, 广州海关, 财政部).
"""

from __future__ import annotations

import re

# How the name of an office or a body ends.
_NAME_END_CHARS = "局委关行办社府门区司所团部厅院会署处室心站位联协校组馆队市县省州盟镇乡网台检"
# Where 和 / 与 ends a unit: after the last character of a complete name, after 等, or after
# the placeholder of a 〈…〉 note — 商务部|和财政部, not 文化|和旅游部 or 中央|和国家机关工委.
# ``有关部门和单位`` is one collective, so 和 before a bare 单位 / 部门 does not split.
_CONJUNCTION_RE = re.compile(
    rf"(?<=[{_NAME_END_CHARS}等\x00])[和与](?!(?:有关|相关)?(?:部门|单位|机构)(?:$|[、和及与]))|以及|及|、"
)
# ``知识产权局等``, ``能源局等省有关部门``, ``民政部等有关部门和单位``: the rest of an open list.
_CLOSING_ETC_RE = re.compile(
    r"等(?:[省市区县]|国家)?(?:有关|相关|其他|其它)?(?:部门|单位|机构)?(?:[和及与](?:有关|相关)?(?:部门|单位|机构))?$"
)

_UNIT_CHARS_RE = re.compile(r"^[\u4e00-\u9fffA-Za-z0-9·]{2,30}$")
# A unit names an office or a body, so it ends like one (局, 委, 海关, 集团 …) or names a
# collective (各区, 有关部门). This keeps ``（鼓励社会资本参与）`` out of the department lists.
_UNIT_END_RE = re.compile(rf"[{_NAME_END_CHARS}央]$")  # 央: 共青团中央
_COLLECTIVE_RE = re.compile(r"^(?:各|有关|相关|所有|其他|其它)")
# Words that start or end a phrase of the text, never a name.
_NOT_A_UNIT_RE = re.compile(
    r"[的了在对和与]$|年$|\d{4}|(?<!自)由|^(?:[请对在将把要需不未已并]|由于|通过|加强|做好|强化|推动|鼓励|支持|引导|积极|主动|"
    r"予以|给予|实行|实施|建立|完善|开展)"
)

# 市场监管局 starts with 市 but names the market, not the city; 区域, 县域 likewise.
_SHORT_PREFIX_RE = re.compile(r"^[省市区县](?![场域])")
# A place with its level at the start of a name, carried to the bare units after it:
# 浙江省经信厅、商务厅 → 浙江省商务厅. 城市 is not a place.
_PLACE_PREFIX_RE = re.compile(r"^[\u4e00-\u9fff]{1,6}?(?:自治区|省|(?<!城)市|县)")
# A place with any level at the start: 延边州, 兴安盟, 南山区, 广西壮族自治区 (区 wants two
# characters before it so 园区, 社区 are not places).
_PLACE_START_RE = re.compile(
    r"^(?:[\u4e00-\u9fff]{1,8}?(?:自治区|自治州|省|州|盟|县|(?<!城)市)|[\u4e00-\u9fff]{2,8}?区)"
)
# Names that say whose they are by their first word.
_FULL_NAME_START_RE = re.compile(
    r"^(?:各|有关|相关|所有|其他|其它|全国|全省|全市|本|上级|中国|中共|中华|中央|国家|国务院|最高|香港|澳门|驻)"
)
# Names that are national bodies or institutions of their own: ministries (财政部), 海关总署,
# 税务总局, 证监会, banks, companies, courts.
_FULL_NAME_END_RE = re.compile(
    r"(?:部|总局|总署|证监会|银保监会|海关|银行|分行|支行|集团|公司|交易所|大学|学院|法院|检察院|协会|商会|联合会|"
    r"研究院|研究所|实验室|银保监局|证监局)$"
)


def split_units(text: str) -> list[str]:
    """The units of one run, in order, without a closing 等 / 等部门.

    ``"农业农村部、文化和旅游部等和各有关省级人民政府"`` →
    ``["农业农村部", "文化和旅游部", "各有关省级人民政府"]``.
    """
    units = (_CLOSING_ETC_RE.sub("", part).strip() for part in _CONJUNCTION_RE.split(text))
    return [unit for unit in units if unit]


def is_unit_name(name: str) -> bool:
    """Whether ``name`` (without its notes) reads as the name of a unit rather than a phrase."""
    return bool(
        _UNIT_CHARS_RE.match(name)
        and (_UNIT_END_RE.search(name) or _COLLECTIVE_RE.match(name))
        and not _NOT_A_UNIT_RE.search(name)
    )


def is_full_name(name: str) -> bool:
    """Whether ``name`` already says whose it is, so no shared prefix may be put before it."""
    return bool(_FULL_NAME_START_RE.match(name) or _FULL_NAME_END_RE.search(name) or _PLACE_START_RE.match(name))


def _prefix_of(name: str) -> str:
    """The prefix ``name`` shares with the bare units after it: 市, 省 …, or a place such as 杭州市."""
    if _SHORT_PREFIX_RE.match(name):
        return name[0]
    place = _PLACE_PREFIX_RE.match(name)
    return place.group() if place and not _FULL_NAME_START_RE.match(name) else ""


def restore_prefixes(run: list[str]) -> list[str]:
    """Give bare units of a run the prefix of the unit before them.

    ``["市发展改革委", "工业和信息化委"]`` → ``["市发展改革委", "市工业和信息化委"]``;
    full names (各区政府, 广州海关, 财政部) are kept and do not change the prefix.
    """
    prefix = ""
    restored = []
    for unit in run:
        own = _prefix_of(unit)
        if own:
            prefix = own
        elif prefix and not is_full_name(unit):
            unit = prefix + unit
        restored.append(unit)
    return restored
