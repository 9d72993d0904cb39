"""How a department name as written becomes an organization's canonical name (pure).

Documents write departments relative to their region: ``市商务委`` in a
Guangzhou document is 广州市商务委, ``省商务厅`` is 广东省商务厅, ``各区`` and
``各区政府`` are the city's district governments as a group. The canonical
name spells the region out, so one department page gathers everything a body
does across documents, and two cities' 市商务局 stay apart.
"""

from __future__ import annotations

import re

from .regions import GUANGDONG, province_of

_DISTRICT_GROUP_RE = re.compile(r"^各区(?:（新区）|\(新区\))?(?:人民)?政府?$|^各区$")


def canonical_name(name: str, *, region_name: str, province_name: str = GUANGDONG) -> str:
    """Spell out the region a relative department name leaves implicit."""
    name = re.sub(r"\s+", "", name)
    if _DISTRICT_GROUP_RE.match(name):
        return f"{region_name}各区政府"
    if name.startswith("市") and region_name.endswith("市") and not name.startswith("市场"):
        return region_name + name[1:]
    if name.startswith("省") and province_name:
        return province_name + name[1:]
    if name.startswith("区") and region_name.endswith("区"):
        return region_name + name[1:]
    return name


def canonical_department(name: str, *, region_name: str) -> str:
    """``canonical_name`` for a department written in a document of ``region_name`` (its province looked up)."""
    return canonical_name(name, region_name=region_name, province_name=province_of(region_name))


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


def region_of(name: str, *, region_name: str, province_name: str = GUANGDONG) -> str:
    """The region a canonical name belongs to: the province for 省 bodies, else the document's."""
    if name.startswith(province_name) and not name.startswith(region_name):
        return province_name
    return region_name
