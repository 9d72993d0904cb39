"""FilterSets for measure lists, shared by the API and the pages (through the selectors)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.db.models.expressions import RawSQL
from django.utils import timezone

from documents.models import Document, Organization
from policybase.bounds import id_filter, parse_id, year_filter

from .models import Measure, MeasureDepartment, MeasureTheme, Theme
from .themes import themes_resolve

# The theme filters: each key and the facet its theme must be of (None: any theme).
THEME_FILTERS = {"theme": None, "domain": Theme.Facet.DOMAIN, "instrument": Theme.Facet.INSTRUMENT}


class MeasureFilterForm(forms.Form):
    """MeasureFilter's form: its theme filters name their themes, looked up together (one query).

    A theme filter's value is cleaned to the Theme it names by code, name or former code. With a facet
    (``domain``, ``instrument``) a value that names no theme, or a theme of the other facet, is invalid;
    ``theme=`` (either facet, as it always was) keeps an unknown value as a string, a theme no measure is on."""

    def clean(self):
        cleaned = super().clean()
        low, high = cleaned.get("year_min"), cleaned.get("year_max")
        if low is not None and high is not None and low > high:
            self.add_error(
                "year_max",
                ValidationError(
                    "年份范围颠倒：起始年份 %(low)s 晚于截止年份 %(high)s。",
                    code="reversed",
                    params={"low": low, "high": high},
                ),
            )
        values = {name: cleaned[name] for name in THEME_FILTERS if cleaned.get(name)}
        themes = themes_resolve(values.values()) if values else {}
        for name, value in values.items():
            theme, facet = themes.get(value), THEME_FILTERS[name]
            if facet is None:
                cleaned[name] = theme or value
            elif theme is None:
                self.add_error(
                    name,
                    ValidationError(
                        "没有名称或代码为“%(value)s”的%(facet)s。",
                        code="unknown",
                        params={"value": value, "facet": Theme.Facet(facet).label},
                    ),
                )
            elif theme.facet != facet:
                self.add_error(
                    name,
                    ValidationError(
                        "“%(name)s”是%(its)s，不是%(facet)s。",
                        code="facet",
                        params={
                            "name": theme.name,
                            "its": theme.get_facet_display(),
                            "facet": Theme.Facet(facet).label,
                        },
                    ),
                )
            else:
                cleaned[name] = theme
        return cleaned


class ThemeFilter(django_filters.CharFilter):
    """Measures actively on a theme (a domain's links include its sub-domains' measures: ancestors are linked);
    the form (MeasureFilterForm) has turned the value into the Theme."""

    def filter(self, qs, value):
        if value in (None, ""):
            return qs
        if not isinstance(value, Theme):
            # theme= names no theme: no measure is on it. A test that fails for every row rather than
            # .none(), which cannot be compiled into the SQL the facet counts embed.
            return qs.filter(pk__lt=0)
        # EXISTS over the link table, not a join (see MeasureFilter).
        return qs.filter(Exists(MeasureTheme.objects.filter(theme=value, active=True, measure=OuterRef("pk"))))


class MeasureFilter(django_filters.FilterSet):
    document = id_filter(field_name="document_id", label="文件 ID")
    region = django_filters.CharFilter(method="filter_region", label="地区（名称，可重复用逗号分隔）")
    year = year_filter(field_name="document__year", label="年份")
    year_min = year_filter(field_name="document__year", lookup_expr="gte", label="起始年份")
    year_max = year_filter(field_name="document__year", lookup_expr="lte", label="截止年份")
    doc_type = django_filters.ChoiceFilter(
        field_name="document__doc_type", choices=Document.DocType.choices, label="文件类型"
    )
    theme = ThemeFilter(label="主题（代码、名称或旧代码）")
    domain = ThemeFilter(label="政策领域（代码或名称；上级领域含其下级）")
    instrument = ThemeFilter(label="政策工具（代码或名称）")
    department = django_filters.CharFilter(method="filter_department", label="部门（名称、别名或 ID）")
    role = django_filters.ChoiceFilter(method="filter_role", choices=MeasureDepartment.Role.choices, label="部门职责")
    kind = django_filters.ChoiceFilter(choices=Measure.Kind.choices, label="类别")
    in_force = django_filters.BooleanFilter(method="filter_in_force", label="现行有效（true/false）")

    class Meta:
        model = Measure
        form = MeasureFilterForm
        fields = [
            "document",
            "region",
            "year",
            "year_min",
            "year_max",
            "doc_type",
            "theme",
            "domain",
            "instrument",
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
    # of that list and the region's documents: 10 s at 100k). ``measure_sets`` gives the same
    # links as id sets, for a search that wants the matching ids once.

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


def filter_errors_text(error: ValidationError) -> str:
    """The invalid filters of a ``ValidationError`` from MeasureFilter, in one line for people:
    「政策领域：没有名称或代码为“x”的政策领域。」"""
    parts = []
    for key, messages in error.message_dict.items():
        label = MeasureFilter.base_filters[key].label if key in MeasureFilter.base_filters else key
        parts.append(f"{label.split('（')[0]}：{''.join(messages)}")
    return "；".join(parts)


def department_named(value: str, prefix: str = "") -> Q:
    """The organisations a ``department`` filter value names: by name, alias or id."""
    match = Q(**{f"{prefix}name": value}) | Q(**{f"{prefix}aliases__name": value})
    if (pk := parse_id(value)) is not None:
        match |= Q(**{f"{prefix}pk": pk})
    return match


def department_links(value: str, role: str | None) -> QuerySet[MeasureDepartment] | None:
    """Links to the department named by name, alias or id, in ``role`` when it is one (None: none asked for)."""
    value = (value or "").strip()
    if not value:
        return None
    links = MeasureDepartment.objects.filter(department_named(value, "organization__"))
    return links.filter(role=role) if role in MeasureDepartment.Role.values else links


@dataclass(frozen=True)
class MeasureSet:
    """A measure-level filter: the rows of its own table (links, or measures) that let a measure pass."""

    rows: QuerySet
    field: str  # the rows' measure id
    # The same test on a row ``f`` of PostgreSQL's facet table (``measures_measurefacet``: a measure's
    # active themes and lead departments as arrays), when it can be written there.
    facet: tuple[str, list] | None = None

    def ids(self) -> QuerySet:
        """The ids of the measures that pass, as a query."""
        return self.rows.values(self.field)

    def probe(self, outer: str) -> QuerySet:
        """The test of one measure whose id is the SQL expression ``outer`` (``m.id``): a query that
        finds a row (``EXISTS``) by an index probe when the measure passes. For a search that visits
        a few thousand measures, where reading the whole set (47k links of a big theme) is waste."""
        return self.rows.filter(**{self.field: RawSQL(outer, ())}).values(self.field)


def measure_sets(filters: dict, *, resolve: bool = False) -> list[MeasureSet] | None:
    """The measure-level filters of ``filters`` (theme, domain, instrument, department, role, kind;
    validated); a measure passes all of them if it is in every set. None when a theme filter names no
    theme, so that no measure passes.

    Themes are looked up first (one small query for all three), so that their sets read the link table
    alone, by theme id. With ``resolve`` department names are looked up too (one more), for the same
    reason: there the planner knows how many rows each id has; None again when a name matches nothing.
    """
    sets: list[MeasureSet] = []
    values = {key: value.strip() for key in THEME_FILTERS if (value := filters.get(key) or "").strip()}
    themes = themes_resolve(values.values())
    for value in values.values():
        if value not in themes:
            return None
        theme_id = themes[value].pk
        links = MeasureTheme.objects.filter(theme_id=theme_id, active=True)
        sets.append(MeasureSet(links, "measure_id", ("f.theme_ids && %s::bigint[]", [[theme_id]])))
    role = filters.get("role")
    role = role if role in MeasureDepartment.Role.values else None
    lead = role == MeasureDepartment.Role.LEAD
    department = (filters.get("department") or "").strip()
    if department:
        named = Organization.objects.filter(department_named(department)).values("pk")
        if resolve:
            if not (organizations := sorted({row["pk"] for row in named})):
                return None
            links, facet = (
                MeasureDepartment.objects.filter(organization_id__in=organizations),
                ("%s::bigint[]", [organizations]),
            )
        else:
            named_sql, named_params = sql_of(named)
            links, facet = department_links(department, None), (f"ARRAY({named_sql})", named_params)
        leads = (f"f.lead_ids && {facet[0]}", facet[1]) if lead else None
        sets.append(MeasureSet(links.filter(role=role) if role else links, "measure_id", leads))
    elif role:
        leads = ("cardinality(f.lead_ids) > 0", []) if lead else None
        sets.append(MeasureSet(MeasureDepartment.objects.filter(role=role), "measure_id", leads))
    if filters.get("kind") in Measure.Kind.values:
        sets.append(MeasureSet(Measure.objects.filter(kind=filters["kind"]), "pk"))
    return sets


def sql_of(queryset: QuerySet) -> tuple[str, list]:
    """A queryset's SQL and parameters, unordered, to embed in hand-written SQL."""
    sql, params = queryset.order_by().query.sql_with_params()
    return sql, list(params)


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
