"""How a department name as written becomes an organization's canonical name (pure).

Documents write departments relative to their region: ``市商务委`` in a
Guangzhou document is 广州市商务委, ``省商务厅`` is 广东省商务厅, ``各区`` and
``各区政府`` are the city's district governments as a group. The canonical
name spells the region out, so one department page gathers everything a body
does across documents, and two cities' 市商务局 stay apart.
"""

from __future__ import annotations

import re

from .ingest.places import region_in_name
from .regions import city_of, province_of

_DISTRICT_GROUP_RE = re.compile(r"^各区(?:（新区）|\(新区\))?(?:人民)?政府?$|^各区$")


def canonical_name(name: str, *, region_name: str, province_name: str = "", city_name: str = "") -> str:
    """Spell out the region a relative department name leaves implicit.

    ``市商务局`` is the city's (in a district's document, the district's city), ``省商务厅`` the province's,
    ``区商务局`` the district's.
    """
    name = re.sub(r"\s+", "", name)
    city_name = city_name or (region_name if region_name.endswith("市") else "")
    if _DISTRICT_GROUP_RE.match(name):
        return f"{city_name or region_name}各区政府"
    if name.startswith("市") and city_name and not name.startswith("市场"):
        return city_name + name[1:]
    if name.startswith("省") and province_name:
        return province_name + name[1:]
    if name.startswith("区") and region_name.endswith("区") and not name.startswith("区域"):
        return region_name + name[1:]
    return name


def canonical_department(name: str, *, region_name: str) -> str:
    """``canonical_name`` for a department written in a document of ``region_name``: the one rule the
    importer and the evaluation use (province and city looked up in the national gazetteer)."""
    return canonical_name(
        name, region_name=region_name, province_name=province_of(region_name), city_name=city_of(region_name)
    )


def home_region(name: str, *, region_name: str) -> str:
    """The region a canonical name belongs to: the one it names (广东省财政厅, 财政部 → 全国), else the document's."""
    place = region_in_name(name)
    return place.name if place is not None else region_name


# Spellings of one body that differ only by these: 和 (人力资源和社会保障局), 委员会 / 委 / 局 at the end.
_DUPLICATE_NOISE_RE = re.compile(r"和|(?:委员会|委|局)$")


def duplicate_key(name: str, *, region_name: str) -> str:
    """What two spellings of one body share: ``广州市人力资源和社会保障局`` and ``人力资源社会保障局`` (of 广州市)
    both give ``人力资源社会保障``; ``市商务委`` and ``市商务局`` both give ``商务``."""
    name = re.sub(r"\s+", "", name)
    short = re.sub(r"(?:市|省|自治区|特别行政区)$", "", region_name)
    for prefix in (region_name, short, "市", "省"):
        if prefix and name.startswith(prefix) and len(name) > len(prefix) + 1:
            name = name[len(prefix) :]
            break
    return _DUPLICATE_NOISE_RE.sub("", name)


def likely_duplicates(organizations: list[tuple[int, str, str]]) -> dict[int, list[int]]:
    """For (id, name, region name) rows, each id → the ids that are probably the same body (same region)."""
    groups: dict[tuple[str, str], list[int]] = {}
    for pk, name, region_name in organizations:
        key = duplicate_key(name, region_name=region_name)
        if len(key) >= 2:
            groups.setdefault((region_name, key), []).append(pk)
    return {pk: [other for other in ids if other != pk] for ids in groups.values() if len(ids) > 1 for pk in ids}


def organization_kind(name: str) -> str:
    """The kind of body a canonical name denotes (values of Organization.Kind)."""
    if name.endswith("各区政府"):
        return "district_governments"
    if name.endswith(("有关部门", "各部门", "有关单位")):
        return "group"
    if name.endswith("海关"):
        return "customs"
    if "银行" in name or name.endswith(("分行", "支行")):
        return "bank"
    if name.endswith(("办公厅", "办公室")) and "政府" in name:
        return "general_office"
    if name.endswith("人民政府") or name.endswith("政府"):
        return "government"
    if name.endswith(("中心", "协会", "学会", "研究院", "联合会")):
        return "institution"
    return "department"
