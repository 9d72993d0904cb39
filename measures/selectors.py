"""Reads for measures, shared by the API and the pages."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet

from .filters import MeasureFilter
from .models import Measure, MeasureDepartment, MeasureTheme


def measure_queryset() -> QuerySet[Measure]:
    """Measures with everything a list shows, in a fixed number of queries."""
    return (
        Measure.objects.select_related("document", "document__region")
        .prefetch_related(
            Prefetch(
                "theme_links",
                MeasureTheme.objects.filter(active=True)
                .select_related("theme")
                .order_by("-score", "theme__sort_order"),
                to_attr="active_theme_links",
            ),
            Prefetch(
                "department_links",
                MeasureDepartment.objects.select_related("organization").order_by("position"),
                to_attr="ordered_department_links",
            ),
        )
        .defer("document__raw_text", "document__clean_text", "document__preamble")
    )


def measure_list(*, filters: dict | None = None) -> QuerySet[Measure]:
    """Measures matching ``filters`` (MeasureFilter's fields), in document and number order.

    Raises ``django.core.exceptions.ValidationError`` for filter values that are not valid.
    """
    queryset = measure_queryset().order_by("-document__year", "document_id", "ordinal")
    filterset = MeasureFilter(filters or {}, queryset=queryset)
    if not filterset.is_valid():
        from django.core.exceptions import ValidationError

        raise ValidationError(filterset.errors)
    return filterset.qs
