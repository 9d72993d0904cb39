"""FilterSets for measure lists, shared by the API and the pages (through the selectors)."""

from __future__ import annotations

import datetime as dt

import django_filters
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from documents.models import Document

from .models import Measure, MeasureDepartment, MeasureTheme


class MeasureFilter(django_filters.FilterSet):
    document = django_filters.NumberFilter(field_name="document_id", label="文件 ID")
    region = django_filters.CharFilter(method="filter_region", label="地区（名称，可重复用逗号分隔）")
    year = django_filters.NumberFilter(field_name="document__year", label="年份")
    year_min = django_filters.NumberFilter(field_name="document__year", lookup_expr="gte", label="起始年份")
    year_max = django_filters.NumberFilter(field_name="document__year", lookup_expr="lte", label="截止年份")
    doc_type = django_filters.ChoiceFilter(
        field_name="document__doc_type", choices=Document.DocType.choices, label="文件类型"
    )
    theme = django_filters.CharFilter(method="filter_theme", label="主题（代码或名称）")
    department = django_filters.CharFilter(method="filter_department", label="部门（名称、别名或 ID）")
    role = django_filters.ChoiceFilter(method="filter_role", choices=MeasureDepartment.Role.choices, label="部门职责")
    kind = django_filters.ChoiceFilter(choices=Measure.Kind.choices, label="类别")
    in_force = django_filters.BooleanFilter(method="filter_in_force", label="现行有效（true/false）")

    class Meta:
        model = Measure
        fields = [
            "document",
            "region",
            "year",
            "year_min",
            "year_max",
            "doc_type",
            "theme",
            "department",
            "role",
            "kind",
            "in_force",
        ]

    def filter_region(self, queryset, name, value):
        names = region_names(value)
        return queryset.filter(document__region__name__in=names) if names else queryset

    # Theme, department and role filters are EXISTS over their link table, not a join (which needs
    # DISTINCT: the list sorted and counted every row twice) nor pk IN (…) (SQLite probed every pair
    # of that list and the region's documents: 10 s at 100k). ``measure_id_sets`` gives the same
    # links as id sets, for a search that wants the matching ids once.

    def filter_theme(self, queryset, name, value):
        links = theme_links(value)
        return queryset if links is None else queryset.filter(Exists(links.filter(measure=OuterRef("pk"))))

    def filter_department(self, queryset, name, value):
        links = department_links(value, self.data.get("role"))
        return queryset if links is None else queryset.filter(Exists(links.filter(measure=OuterRef("pk"))))

    def filter_role(self, queryset, name, value):
        if self.data.get("department"):
            return queryset  # applied together with the department
        return queryset.filter(Exists(MeasureDepartment.objects.filter(role=value, measure=OuterRef("pk"))))

    def filter_in_force(self, queryset, name, value):
        if value is None:
            return queryset
        condition = in_force_q()
        return queryset.filter(condition) if value else queryset.exclude(condition)


def theme_named(value: str, prefix: str = "") -> Q:
    """The theme a ``theme`` filter value names: by code or by name (``prefix`` to reach it from links)."""
    return Q(**{f"{prefix}code": value}) | Q(**{f"{prefix}name": value})


def theme_links(value: str) -> QuerySet[MeasureTheme] | None:
    """Active links to the theme named by code or name (None: no theme asked for)."""
    value = (value or "").strip()
    if not value:
        return None
    return MeasureTheme.objects.filter(theme_named(value, "theme__"), active=True)


def department_links(value: str, role: str | None) -> QuerySet[MeasureDepartment] | None:
    """Links to the department named by name, alias or id, in ``role`` when it is one (None: none asked for)."""
    value = (value or "").strip()
    if not value:
        return None
    match = Q(organization__name=value) | Q(organization__aliases__name=value)
    if value.isdigit():
        match |= Q(organization_id=int(value))
    links = MeasureDepartment.objects.filter(match)
    return links.filter(role=role) if role in MeasureDepartment.Role.values else links


def measure_id_sets(filters: dict) -> list[QuerySet]:
    """The measure-level filters of ``filters`` (theme, department, role, kind; validated), each as a
    query of measure ids read from its own table; a measure passes all filters if it is in every set."""
    sets: list[QuerySet] = []
    if (links := theme_links(filters.get("theme", ""))) is not None:
        sets.append(links.values("measure_id"))
    role = filters.get("role")
    if (links := department_links(filters.get("department", ""), role)) is not None:
        sets.append(links.values("measure_id"))
    elif role in MeasureDepartment.Role.values:
        sets.append(MeasureDepartment.objects.filter(role=role).values("measure_id"))
    if filters.get("kind") in Measure.Kind.values:
        sets.append(Measure.objects.filter(kind=filters["kind"]).values("pk"))
    return sets


def region_names(value: str) -> list[str]:
    """The region names of a ``region`` filter value: comma-separated, full- or half-width commas."""
    return [part.strip() for part in value.replace("，", ",").split(",") if part.strip()]


def in_force_q(on: dt.date | None = None, *, prefix: str = "document__") -> Q:
    """Measures (or, with ``prefix=""``, documents) in force on ``on`` (today), as Document.objects.in_force() decides."""
    on = on or timezone.localdate()
    return (Q(**{f"{prefix}valid_from__isnull": True}) | Q(**{f"{prefix}valid_from__lte": on})) & Q(
        **{f"{prefix}valid_until__isnull": False, f"{prefix}valid_until__gte": on}
    )


DOCUMENT_FIELDS = ("document", "region", "year", "year_min", "year_max", "doc_type", "in_force")


def split_scope(filters: dict | None) -> tuple[QuerySet[Document] | None, dict]:
    """The documents ``filters`` allow (None: all) and the filters that remain about measures themselves.

    Most filters are about documents (region, years, type, validity): the search restricts by
    document id, at most a few thousand of them, instead of joining documents for each candidate
    measure. Values are validated by MeasureFilter first (invalid ones raise there, not here).
    """
    filters = dict(filters or {})
    filterset = MeasureFilter(filters, queryset=Measure.objects.none())
    if not filterset.is_valid():
        return None, filters
    data = filterset.form.cleaned_data
    condition = Q()
    if data.get("document") is not None:
        condition &= Q(pk=int(data["document"]))
    if data.get("region") and (names := region_names(data["region"])):
        condition &= Q(region__name__in=names)
    for name, lookup in (("year", "year"), ("year_min", "year__gte"), ("year_max", "year__lte")):
        if data.get(name) is not None:
            condition &= Q(**{lookup: int(data[name])})
    if data.get("doc_type"):
        condition &= Q(doc_type=data["doc_type"])
    if data.get("in_force") is not None:
        in_force = in_force_q(prefix="")
        condition &= in_force if data["in_force"] else ~in_force
    rest = {key: value for key, value in filters.items() if key not in DOCUMENT_FIELDS}
    return (Document.objects.filter(condition) if condition else None), rest
