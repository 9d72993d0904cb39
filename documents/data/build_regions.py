"""Write ``regions.csv`` from the statistics bureau's division codes, plus curated abbreviations.

Usage::

    python documents/data/build_regions.py PATH/TO/Administrative-divisions-of-China/dist

The argument is the ``dist`` directory of a checkout of
github.com/modood/Administrative-divisions-of-China (``provinces.csv``, ``cities.csv``,
``areas.csv``). Nothing is downloaded. The dataset gives codes, names and hierarchy; this
script adds the rows the statistics bureau does not publish (全国, 香港, 澳门, 台湾), keeps
the districts of ``DISTRICT_CITIES`` under their city's name, derives short names and adds
the abbreviations and aliases below. See README.md in this directory.
"""

from __future__ import annotations

import argparse
import csv
import re
import sys
from collections import Counter
from pathlib import Path

OUTPUT = Path(__file__).resolve().parent / "regions.csv"
HEADER = ("code", "name", "level", "parent_code", "abbr", "aliases")
LEVEL_RANK = {"national": 0, "province": 1, "city": 2, "district": 3}

NATIONAL = ("000000", "全国", "national", "", "", ("中国", "中华人民共和国", "国家"))
# GB/T 2260 codes of the province-level units the statistics bureau's tables leave out.
EXTRA_PROVINCES = {"710000": "台湾省", "810000": "香港特别行政区", "820000": "澳门特别行政区"}
# Cities whose districts are kept (as 深圳市南山区, level district).
DISTRICT_CITIES = ("440100", "440300")

# The State Council's abbreviations; where two are in use the first is abbr, the second an alias.
PROVINCE_ABBR = {
    "北京市": "京",
    "天津市": "津",
    "河北省": "冀",
    "山西省": "晋",
    "内蒙古自治区": "蒙",
    "辽宁省": "辽",
    "吉林省": "吉",
    "黑龙江省": "黑",
    "上海市": "沪",
    "江苏省": "苏",
    "浙江省": "浙",
    "安徽省": "皖",
    "福建省": "闽",
    "江西省": "赣",
    "山东省": "鲁",
    "河南省": "豫",
    "湖北省": "鄂",
    "湖南省": "湘",
    "广东省": "粤",
    "广西壮族自治区": "桂",
    "海南省": "琼",
    "重庆市": "渝",
    "四川省": "川|蜀",
    "贵州省": "贵|黔",
    "云南省": "云|滇",
    "西藏自治区": "藏",
    "陕西省": "陕|秦",
    "甘肃省": "甘|陇",
    "青海省": "青",
    "宁夏回族自治区": "宁",
    "新疆维吾尔自治区": "新",
    "台湾省": "台",
    "香港特别行政区": "港",
    "澳门特别行政区": "澳",
}

# The first character of the 文号 of the city's government and departments (深府, 穗府办, 甬政发 …),
# only where it is well established; a second abbreviation goes to the aliases.
CITY_ABBR = {
    "广州市": "穗",
    "深圳市": "深",
    "珠海市": "珠",
    "汕头市": "汕",
    "佛山市": "佛",
    "韶关市": "韶",
    "河源市": "河",
    "梅州市": "梅",
    "惠州市": "惠",
    "东莞市": "莞",
    "中山市": "中",
    "江门市": "江",
    "阳江市": "阳",
    "湛江市": "湛",
    "茂名市": "茂",
    "肇庆市": "肇",
    "清远市": "清",
    "潮州市": "潮",
    "揭阳市": "揭",
    "云浮市": "云",
    "杭州市": "杭",
    "宁波市": "甬",
    "温州市": "温",
    "南京市": "宁",
    "苏州市": "苏",
    "无锡市": "锡",
    "合肥市": "合",
    "福州市": "榕",
    "厦门市": "厦",
    "南昌市": "洪",
    "郑州市": "郑",
    "武汉市": "武",
    "成都市": "成|蓉",
    "贵阳市": "筑",
    "昆明市": "昆",
    "兰州市": "兰",
    "沈阳市": "沈",
    "太原市": "并",
}

EXTRA_ALIASES = {
    "深圳市": ("深圳经济特区",),
    "珠海市": ("珠海经济特区",),
    "汕头市": ("汕头经济特区",),
    "厦门市": ("厦门经济特区",),
}

# Former names of prefecture-level units renamed or converted in place.
FORMER_NAMES = {
    "襄阳市": ("襄樊市",),
    "普洱市": ("思茅市",),
    "铜仁市": ("铜仁地区",),
    "毕节市": ("毕节地区",),
    "海东市": ("海东地区",),
    "日喀则市": ("日喀则地区",),
    "昌都市": ("昌都地区",),
    "林芝市": ("林芝地区",),
    "山南市": ("山南地区",),
    "那曲市": ("那曲地区",),
    "吐鲁番市": ("吐鲁番地区",),
    "哈密市": ("哈密地区",),
    "巴彦淖尔市": ("巴彦淖尔盟",),
    "乌兰察布市": ("乌兰察布盟",),
    "深圳市龙华区": ("深圳市龙华新区",),
    "深圳市坪山区": ("深圳市坪山新区",),
    "深圳市光明区": ("深圳市光明新区",),
}

# Pseudo-cities in the dataset that group a municipality's or province's county-level units.
_GROUPING_RE = re.compile(r"^(?:市辖区|县|(?:省|自治区)直辖县级行政区划)$")
_SUFFIX_RE = re.compile(r"(?:省|市|特别行政区|自治区|自治州|地区|盟)$")
# The peoples named in autonomous regions' and prefectures' names, after a place name of two or
# more characters (内蒙古 keeps its 蒙古); 蒙古, 哈萨克, 柯尔克孜 and 维吾尔 are written without 族.
_PEOPLES_RE = re.compile(
    r"(?<=..)(?:(?:朝鲜|土家|苗|藏|羌|彝|布依|侗|壮|哈尼|傣|白|景颇|傈僳|回|蒙古)族|蒙古|哈萨克|柯尔克孜|维吾尔)+$"
)


def read_rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def short_names(name: str, level: str) -> list[str]:
    """``深圳市`` → ``[深圳]``, ``延边朝鲜族自治州`` → ``[延边, 延边州]``; districts have none."""
    if level in ("national", "district"):
        return []
    stem = _PEOPLES_RE.sub("", _SUFFIX_RE.sub("", name))
    if len(stem) < 2 or "族" in stem:
        raise ValueError(f"no short name for {name}")
    return [stem, f"{stem}州"] if name.endswith("自治州") else [stem]


def places(dist: Path) -> list[tuple[str, str, str, str, str, list[str]]]:
    """Rows ``(code, name, level, parent_code, abbr, aliases)`` in code order."""
    provinces = {f"{row['code']}0000": row["name"] for row in read_rows(dist / "provinces.csv")}
    provinces.update(EXTRA_PROVINCES)
    rows = [(code, name, "province", NATIONAL[0]) for code, name in provinces.items()]
    city_names = {}
    for row in read_rows(dist / "cities.csv"):
        if not _GROUPING_RE.match(row["name"]):
            code = f"{row['code']}00"
            city_names[code] = row["name"]
            rows.append((code, row["name"], "city", f"{row['provinceCode']}0000"))
    for row in read_rows(dist / "areas.csv"):
        city_code = f"{row['cityCode']}00"
        if city_code in DISTRICT_CITIES and row["name"].endswith("区"):
            rows.append((row["code"], city_names[city_code] + row["name"], "district", city_code))

    abbrs = PROVINCE_ABBR | CITY_ABBR
    result = [(*NATIONAL[:5], list(NATIONAL[5]))]
    for code, name, level, parent in sorted(rows):
        abbr, *other_abbrs = abbrs.get(name, "").split("|")
        aliases = [*short_names(name, level), *EXTRA_ALIASES.get(name, ()), *FORMER_NAMES.get(name, ())]
        aliases += [short for former in FORMER_NAMES.get(name, ()) for short in short_names(former, level)]
        result.append((code, name, level, parent, abbr, [*dict.fromkeys(aliases), *other_abbrs]))
    return drop_shared_aliases(result)


def drop_shared_aliases(rows):
    """A name two places share stays with the one it names, else the higher level (吉林 is 吉林省, not 吉林市)."""
    owners: dict[str, list[int]] = {}
    for index, row in enumerate(rows):
        for key in {row[1], *row[5]}:
            owners.setdefault(key, []).append(index)
    for key, indexes in owners.items():
        if len(indexes) < 2:
            continue
        keeper = min(indexes, key=lambda index: (rows[index][1] != key, LEVEL_RANK[rows[index][2]]))
        for index in indexes:
            if index != keeper and key in rows[index][5]:
                rows[index][5].remove(key)
    counts = Counter(key for row in rows for key in (row[1], *row[5]))
    clashes = [key for key, count in counts.items() if count > 1]
    if clashes:
        raise ValueError(f"names shared by several places: {clashes}")
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("dist", type=Path, help="the dataset's dist directory (provinces.csv, cities.csv, areas.csv)")
    parser.add_argument("--output", type=Path, default=OUTPUT, help=f"CSV to write (default {OUTPUT.name})")
    args = parser.parse_args()
    rows = places(args.dist)
    missing = (set(PROVINCE_ABBR) | set(CITY_ABBR)) - {row[1] for row in rows}
    if missing:
        sys.exit(f"abbreviations for unknown places: {sorted(missing)}")
    with args.output.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(HEADER)
        writer.writerows((*row[:5], "|".join(row[5])) for row in rows)
    print(f"{len(rows)} places written to {args.output}")


if __name__ == "__main__":
    main()
