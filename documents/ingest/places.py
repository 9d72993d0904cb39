"""China's regions and the region a name or a 文号 points to (pure: no Django).

The gazetteer holds 全国, the 34 province-level units, every prefecture-level unit
and the districts of 深圳市 and 广州市, read once from ``documents/data/regions.csv``
(see the README there for its source). Two readers use it:

- ``region_in_name`` reads the start of an issuing body or a title:
  ``深圳市南山区人民政府`` → 深圳市南山区, ``国家发展改革委`` → 全国;
- ``region_of_doc_number`` reads a 文号's prefix: ``粤府办〔2019〕3号`` → 广东省.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

DATA_PATH = Path(__file__).resolve().parent.parent / "data" / "regions.csv"
NATIONAL = "national"
PROVINCE = "province"
CITY = "city"
DISTRICT = "district"
LEVELS = (NATIONAL, PROVINCE, CITY, DISTRICT)

# Bodies of the central party, state and ministries; a name starting with one is national.
_NATIONAL_BODIES = (
    "国务院",
    "国家",
    "全国",
    "中共中央",
    "中国共产党中央",
    "中央",
    "中华人民共和国",
    "中华全国",
    "共青团中央",
    "最高人民法院",
    "最高人民检察院",
    "中国人民银行",
    "中国证券监督管理委员会",
    "中国证监会",
    "中国银行保险监督管理委员会",
    "中国银保监会",
    "中国银行业监督管理委员会",
    "中国银监会",
    "中国保险监督管理委员会",
    "中国保监会",
    "中国民用航空局",
    "中国民航局",
    "中国气象局",
    "中国地震局",
    "海关总署",
    "审计署",
    "税务总局",
    "市场监管总局",
    "金融监管总局",
    "国资委",
    "外交部",
    "国防部",
    "教育部",
    "科学技术部",
    "科技部",
    "工业和信息化部",
    "工信部",
    "公安部",
    "民政部",
    "司法部",
    "财政部",
    "人力资源和社会保障部",
    "人力资源社会保障部",
    "人社部",
    "自然资源部",
    "生态环境部",
    "住房和城乡建设部",
    "住房城乡建设部",
    "住建部",
    "交通运输部",
    "水利部",
    "农业农村部",
    "商务部",
    "文化和旅游部",
    "文旅部",
    "退役军人事务部",
    "应急管理部",
    # Ministries since merged or renamed, still issuers of documents in force.
    "人事部",
    "劳动和社会保障部",
    "劳动部",
    "建设部",
    "国土资源部",
    "环境保护部",
    "环保部",
    "农业部",
    "文化部",
    "卫生部",
    "铁道部",
    "监察部",
    "信息产业部",
    "对外贸易经济合作部",
    "外经贸部",
)
# Words before a region in an issuer or a title: 中共深圳市委, 关于深圳市…
_LEADS = ("中国共产党", "中共", "关于")
# A pilot zone named after its province: 中国（广东）自由贸易试验区.
_BRACKETED_REGION_RE = re.compile(r"^中国[（(](?P<name>[^（）()]{2,8})[）)]")
_OPENING_PUNCTUATION = "《“「 \t\u3000"

# 文号 prefixes of central bodies: 国发, 国办函, 国令, 人社部发, 财税, 商资发, 发改, 教发, 银发 …
_NATIONAL_DOC_PREFIXES = (
    "国",
    "厅字",
    "人社部",
    "人社厅",
    "财",
    "商务部",
    "商资",
    "商财",
    "商建",
    "商服贸",
    "商流通",
    "商运",
    "商产",
    "工信",
    "发改",
    "教",
    "科技部",
    "民发",
    "民函",
    "公通字",
    "司发",
    "自然资",
    "环发",
    "环办",
    "建",
    "交",
    "水",
    "农",
    "卫",
    "文旅",
    "应急",
    "审计",
    "署",
    "税总",
    "海关总署",
    "银发",
    "银办",
    "银保监",
    "银监",
    "证监",
    "法释",
    "法发",
    "高检发",
)
# Central party prefixes that a city abbreviation would otherwise claim (中山's 中府 vs 中发).
_NATIONAL_DOC_NUMBERS = frozenset({"中发", "中办发"})
# Prefixes that name a place the abbreviation rule would miss or give to another place
# sharing the abbreviation: 苏政发 is 江苏省's but 苏府 is 苏州市's; 东莞 writes 东府, 东委发.
_DOC_PREFIX_PLACES = {
    "苏府": "苏州市",
    "云府": "云浮市",
    "东府": "东莞市",
    "东委": "东莞市",
    "内政": "内蒙古自治区",
}
_DOC_PREFIX_RE = re.compile(r"[^〔\[［【(（\d第]+")


@dataclass(frozen=True)
class Place:
    code: str  # GB/T 2260
    name: str
    level: str  # one of LEVELS
    parent_code: str
    abbr: str = ""
    aliases: tuple[str, ...] = ()


class Gazetteer:
    """Places by code and by name or alias; names and aliases are unique across the file."""

    def __init__(self, places: tuple[Place, ...]) -> None:
        self.places = places
        self._by_code = {place.code: place for place in places}
        self._by_name = {name: place for place in places for name in (*place.aliases, place.name)}
        self.national = next(place for place in places if place.level == NATIONAL)

    def get(self, name: str) -> Place | None:
        """The place a full name or an alias names: ``深圳`` → 深圳市."""
        return self._by_name.get(name.strip())

    def by_code(self, code: str) -> Place | None:
        return self._by_code.get(code)

    def of_level(self, level: str) -> tuple[Place, ...]:
        return tuple(place for place in self.places if place.level == level)

    def children(self, place: Place) -> tuple[Place, ...]:
        return tuple(child for child in self.places if child.parent_code == place.code)

    def parent(self, place: Place) -> Place | None:
        return self._by_code.get(place.parent_code)

    def ancestors(self, place: Place) -> tuple[Place, ...]:
        """Parent first, 全国 last: 深圳市南山区 → (深圳市, 广东省, 全国)."""
        found = []
        parent = self.parent(place)
        while parent is not None:
            found.append(parent)
            parent = self.parent(parent)
        return tuple(found)

    def province_of(self, place: Place) -> Place | None:
        """The province-level unit a place is in or is; ``None`` for 全国."""
        return next((p for p in (place, *self.ancestors(place)) if p.level == PROVINCE), None)


@cache
def gazetteer() -> Gazetteer:
    with DATA_PATH.open(encoding="utf-8", newline="") as handle:
        places = tuple(
            Place(
                code=row["code"],
                name=row["name"],
                level=row["level"],
                parent_code=row["parent_code"],
                abbr=row["abbr"],
                aliases=tuple(row["aliases"].split("|")) if row["aliases"] else (),
            )
            for row in csv.DictReader(handle)
        )
    return Gazetteer(places)


def level_of(place: Place | str | None) -> str:
    """``"city"`` for 深圳市 (given as a ``Place`` or a name); ``""`` for an unknown name."""
    if isinstance(place, str):
        place = gazetteer().get(place)
    return place.level if place else ""


def display_name(place: Place) -> str:
    """The short name people write where the context is clear: 深圳, 广东, 内蒙古, 延边; 南山区 for a district."""
    if place.level == DISTRICT:
        parent = gazetteer().parent(place)
        return place.name.removeprefix(parent.name) if parent else place.name
    return next((alias for alias in place.aliases if place.name.startswith(alias)), place.name)


@cache
def _names_for_text() -> tuple[dict[str, Place], int]:
    """Names that may open an issuer or a title: full names and long aliases (深圳经济特区, 襄樊市).

    Short names (深圳, 中山) are left out: at the start of a name they are as often part of
    something else (中山大学, 深圳证券交易所) as the place itself.
    """
    names = {}
    for place in gazetteer().places:
        if place.level == NATIONAL:
            continue
        names[place.name] = place
        for alias in place.aliases:
            if len(alias) > 2 and not place.name.startswith(alias):
                names[alias] = place
    return names, max(map(len, names))


def _place_at(text: str, start: int) -> tuple[Place, int] | None:
    """The place whose longest name begins ``text`` at ``start``, and where that name ends."""
    names, longest = _names_for_text()
    for end in range(min(len(text), start + longest), start, -1):
        place = names.get(text[start:end])
        if place is not None:
            return place, end
    return None


def region_in_name(text: str) -> Place | None:
    """The region an issuing body or a title names at its start; ``None`` if it names none there.

    ``国务院办公厅`` → 全国, ``中共深圳市委`` → 深圳市, ``广州市天河区人民政府`` → 广州市天河区;
    the most specific of nested names wins (``广东省深圳市…`` → 深圳市).
    """
    text = text.lstrip(_OPENING_PUNCTUATION)
    if text.startswith(_NATIONAL_BODIES):
        return gazetteer().national
    bracketed = _BRACKETED_REGION_RE.match(text)
    if bracketed:
        return gazetteer().get(bracketed["name"])
    lead = next((lead for lead in _LEADS if text.startswith(lead)), "")
    place, position = None, len(lead)
    while (found := _place_at(text, position)) is not None:
        if place is not None and place not in gazetteer().ancestors(found[0]):
            break
        place, position = found
    return place


@cache
def _abbreviations() -> tuple[dict[str, Place], int]:
    """Abbreviations and short names that open a 文号, each given to its highest-level place.

    Two places share an abbreviation (宁 is 宁夏 and 南京, 苏 is 江苏 and 苏州): the
    province keeps it, as ``region_of_doc_number`` reads a province's 宁政发 by default.
    """
    rank = {level: index for index, level in enumerate(LEVELS)}
    keys: dict[str, Place] = {}
    for place in sorted(gazetteer().places, key=lambda place: rank[place.level], reverse=True):
        if place.level == NATIONAL:
            continue
        short = [alias for alias in place.aliases if len(alias) == 1 or place.name.startswith(alias)]
        for key in filter(None, (place.abbr, *short)):
            keys[key] = place
    return keys, max(map(len, keys))


def region_of_doc_number(doc_number: str) -> Place | None:
    """The region whose body issued a 文号, read from its prefix; ``None`` for an unknown prefix.

    ``国办发〔2019〕1号`` and ``国务院令第708号`` → 全国, ``粤府〔2020〕1号`` → 广东省,
    ``穗府办函〔2019〕2号`` → 广州市, ``苏政发…`` → 江苏省 but ``苏府…`` → 苏州市.
    """
    match = _DOC_PREFIX_RE.match(re.sub(r"\s+", "", doc_number))
    if not match:
        return None
    prefix = match.group()
    if prefix in _NATIONAL_DOC_NUMBERS or prefix.startswith(_NATIONAL_DOC_PREFIXES):
        return gazetteer().national
    named = region_in_name(prefix)
    if named is not None:
        return named
    for start, name in _DOC_PREFIX_PLACES.items():
        if prefix.startswith(start):
            return gazetteer().get(name)
    keys, longest = _abbreviations()
    for end in range(min(len(prefix), longest), 0, -1):
        if prefix[:end] in keys:
            return keys[prefix[:end]]
    return None
