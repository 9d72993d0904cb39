"""The measure filters as the index reads them: ``MeasureFilter`` (measures/filters.py) declares and
validates each filter once for pages, API, exports and the OpenAPI schema; ``scope_of`` turns its
cleaned values into ids (region, theme, department names looked up here, nowhere else), and
``search.compile.scope_query`` into the index query. Facets, totals and pages all read that query.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import ValidationError

from documents.models import Organization, Region
from measures.filters import MeasureFilter, department_named, region_names
from measures.models import Measure, MeasureDepartment, Theme

ROLE_FIELDS = {
    MeasureDepartment.Role.LEAD: "lead",
    MeasureDepartment.Role.RESPONSIBLE: "responsible",
    MeasureDepartment.Role.COOPERATE: "cooperate",
}


@dataclass(frozen=True)
class Scope:
    """Which measures the filters let through; every field empty/None lets all through."""

    document: int | None = None
    regions: tuple[int, ...] = ()  # any of
    year_min: int | None = None
    year_max: int | None = None
    doc_type: str | None = None
    themes: tuple[int, ...] = ()  # every one (theme, domain, instrument)
    departments: tuple[int, ...] = ()  # any of (a name may match several organisations)
    role: str | None = None  # index field: lead / responsible / cooperate
    kind: str | None = None
    in_force: bool | None = None
    on: dt.date | None = None  # the day "in force" is decided for (today)
    nothing: bool = False  # a name that matches nothing: no measure passes

    @property
    def empty(self) -> bool:
        return self == Scope(on=self.on)


def cleaned_filters(filters: dict | None) -> dict:
    """MeasureFilter's cleaned values of ``filters``; raises ValidationError for invalid ones."""
    filterset = MeasureFilter(filters or {}, queryset=Measure.objects.none())
    if not filterset.is_valid():
        raise ValidationError(filterset.errors)
    return filterset.form.cleaned_data


def scope_of(filters: dict | None, *, on: dt.date | None = None) -> Scope:
    """The scope of query-string filters (raises ValidationError for invalid values)."""
    if not any(str(value).strip() for value in (filters or {}).values()):
        return Scope(on=on)  # nothing to validate: no form to build
    data = cleaned_filters(filters)
    values: dict = {"on": on}
    nothing = False
    if data.get("document") is not None:
        values["document"] = int(data["document"])
    if data.get("region") and (names := region_names(data["region"])):
        regions = tuple(sorted(Region.objects.filter(name__in=names).values_list("pk", flat=True)))
        values["regions"] = regions
        nothing |= not regions
    year = data.get("year")
    low, high = data.get("year_min"), data.get("year_max")
    if year is not None:
        low = max(int(year), int(low)) if low is not None else int(year)
        high = min(int(year), int(high)) if high is not None else int(year)
    values["year_min"] = int(low) if low is not None else None
    values["year_max"] = int(high) if high is not None else None
    if data.get("doc_type"):
        values["doc_type"] = data["doc_type"]
    themes = []
    for key in ("theme", "domain", "instrument"):
        value = data.get(key)
        if isinstance(value, Theme):
            themes.append(value.pk)
        elif value:
            nothing = True  # theme= names no theme: no measure is on it
    values["themes"] = tuple(sorted(set(themes)))
    role = data.get("role") or None
    if role in ROLE_FIELDS:
        values["role"] = ROLE_FIELDS[role]
    department = (data.get("department") or "").strip()
    if department:
        organisations = tuple(
            sorted(set(Organization.objects.filter(department_named(department)).values_list("pk", flat=True)))
        )
        values["departments"] = organisations
        nothing |= not organisations
    if data.get("kind"):
        values["kind"] = data["kind"]
    if data.get("in_force") is not None:
        values["in_force"] = bool(data["in_force"])
    return Scope(**values, nothing=nothing)
