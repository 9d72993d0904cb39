"""Reads for the browse and compare pages (issue 4): theme, compare, measure, department, home.

Kept beside ``measures/selectors.py`` (which the search work owns) so the two
can change independently; each function returns in a fixed number of queries
whatever the data size, and builds on ``selectors.measure_queryset()``.
"""

from __future__ import annotations

from django.db.models import Count, Prefetch, Q, QuerySet

from documents.models import Document

from .models import Measure, MeasureDepartment, MeasureTheme, Theme
from .selectors import measure_queryset

_HEAVY_DOCUMENT_FIELDS = ("document__raw_text", "document__clean_text", "document__preamble")


def theme_lookup(value: str) -> Theme | None:
    """The theme whose code or name is ``value``, or None."""
    value = (value or "").strip()
    if not value:
        return None
    return Theme.objects.filter(Q(code=value) | Q(name=value)).first()


def _on_theme(theme) -> QuerySet:
    return MeasureTheme.objects.filter(theme=theme, active=True).values("measure_id")


def theme_measures(*, theme) -> QuerySet[Measure]:
    """A theme's measures grouped for display: region, then newest document first, then number."""
    return (
        measure_queryset()
        .filter(pk__in=_on_theme(theme))
        .order_by("document__region__sort_order", "document__region__name", "-document__year", "document_id", "ordinal")
    )


def compare_measures(*, theme, region_names=(), document_ids=()) -> list[Measure]:
    """The theme's measures in the given regions (or documents), newest document first, in one go."""
    queryset = measure_queryset().filter(pk__in=_on_theme(theme))
    if document_ids:
        queryset = queryset.filter(document_id__in=list(document_ids))
    else:
        queryset = queryset.filter(document__region__name__in=list(region_names))
    return list(queryset.order_by("-document__year", "document_id", "ordinal"))


def similar_candidates(*, measure, limit: int = 500) -> list[Measure]:
    """Measures of other regions sharing a theme with ``measure`` (the pool to rank by similarity)."""
    theme_ids = [link.theme_id for link in getattr(measure, "active_theme_links", [])]
    queryset = (
        Measure.objects.select_related("document", "document__region")
        .only(
            "pk",
            "number",
            "title",
            "text",
            "document__title",
            "document__policy_title",
            "document__year",
            "document__region__name",
        )
        .exclude(document__region_id=measure.document.region_id)
    )
    if theme_ids:
        queryset = queryset.filter(
            pk__in=MeasureTheme.objects.filter(theme_id__in=theme_ids, active=True).values("measure_id")
        )
    return list(queryset.order_by("-document__year", "document_id", "ordinal")[:limit])


def measure_neighbours(*, measure) -> tuple[Measure | None, Measure | None]:
    """The previous and next measure of the same document, in one query."""
    siblings = {
        sibling.ordinal: sibling
        for sibling in Measure.objects.filter(
            document_id=measure.document_id, ordinal__in=[measure.ordinal - 1, measure.ordinal + 1]
        ).only("pk", "ordinal", "number", "title", "document_id")
    }
    return siblings.get(measure.ordinal - 1), siblings.get(measure.ordinal + 1)


def department_links(*, organization) -> QuerySet[MeasureDepartment]:
    """An organization's roles on measures, with the measure, its document and active themes."""
    return (
        MeasureDepartment.objects.filter(organization=organization)
        .select_related("measure", "measure__document", "measure__document__region")
        .defer(
            *(f"measure__{field}" for field in _HEAVY_DOCUMENT_FIELDS), "measure__search_title", "measure__search_body"
        )
        .prefetch_related(
            Prefetch(
                "measure__theme_links",
                MeasureTheme.objects.filter(active=True).select_related("theme").order_by("-score"),
                to_attr="active_theme_links",
            )
        )
        .order_by("-measure__document__year", "measure__document_id", "measure__ordinal", "role")
    )


def theme_region_counts() -> dict[tuple[int, int], int]:
    """How many measures each region has on each theme: {(theme_id, region_id): count}."""
    rows = (
        MeasureTheme.objects.filter(active=True)
        .values("theme_id", "measure__document__region_id")
        .annotate(count=Count("measure_id", distinct=True))
        .order_by()
    )
    return {(row["theme_id"], row["measure__document__region_id"]): row["count"] for row in rows}


def yearly_counts_by_region() -> list[dict]:
    """Documents and measures per (year, region): [{year, region, documents, measures}]."""
    rows = (
        Document.objects.values("year", "region__name")
        .annotate(documents=Count("id", distinct=True), measures=Count("measures", distinct=True))
        .order_by("year", "region__name")
    )
    return [
        {"year": row["year"], "region": row["region__name"], "documents": row["documents"], "measures": row["measures"]}
        for row in rows
    ]
