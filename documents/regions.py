"""The region hierarchy the knowledge base knows from the start (pure data).

Guangdong's prefecture-level cities sit under 广东省, which sits under 全国.
Every other region is placed by the national gazetteer (documents/data/regions.csv)
when first used; a name the gazetteer does not know gets a level guessed from its
name, and an administrator can attach it to a parent in the admin.
"""

from __future__ import annotations

from .ingest.places import gazetteer

NATIONAL = "全国"
GUANGDONG = "广东省"

GUANGDONG_CITIES = (
    "广州市",
    "深圳市",
    "珠海市",
    "汕头市",
    "佛山市",
    "韶关市",
    "河源市",
    "梅州市",
    "惠州市",
    "汕尾市",
    "东莞市",
    "中山市",
    "江门市",
    "阳江市",
    "湛江市",
    "茂名市",
    "肇庆市",
    "清远市",
    "潮州市",
    "揭阳市",
    "云浮市",
)

# name → (level, parent name, sort order); sort order puts the cities users compare first.
KNOWN_REGIONS: dict[str, tuple[str, str | None, int]] = {
    NATIONAL: ("national", None, 0),
    GUANGDONG: ("province", NATIONAL, 10),
    **{city: ("city", GUANGDONG, 20 + index) for index, city in enumerate(GUANGDONG_CITIES)},
}


def guess_level(name: str) -> str:
    if name.endswith(("省", "自治区")) or name in {"北京市", "天津市", "上海市", "重庆市"}:
        return "province"
    if name.endswith(("区", "县")):
        return "district"
    if name in {NATIONAL, "中国", "国家"}:
        return "national"
    return "city"


def placement(name: str) -> tuple[str, str | None, int]:
    """(level, parent name, sort order) of a region: the national gazetteer's, else a guess from the name."""
    if name in KNOWN_REGIONS:
        return KNOWN_REGIONS[name]
    place = gazetteer().get(name)
    if place is None:
        return guess_level(name), None, 100
    parent = gazetteer().parent(place)
    return place.level, parent.name if parent else None, 100


def province_of(name: str) -> str:
    """The province-level region ``name`` lies in (itself for a province), or ``""``."""
    place = gazetteer().get(name)
    if place is None:
        return ""
    province = gazetteer().province_of(place)
    return province.name if province else ""


def city_of(name: str) -> str:
    """The city ``name`` is or lies in (a district's city), or ``""``."""
    place = gazetteer().get(name)
    if place is None:
        return name if name.endswith("市") and guess_level(name) == "city" else ""
    if place.level == "city":
        return place.name
    parent = gazetteer().parent(place) if place.level == "district" else None
    return parent.name if parent is not None and parent.level == "city" else ""
