"""Browsing pages: home, themes, a measure. Views stay thin: parse input, call a selector, render."""

import math

from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, render

from documents.models import Document, Organization

from ..browse_selectors import (
    measure_for_page,
    measure_neighbours,
    regions_with_documents,
    similar_provisions,
    theme_measures,
    theme_region_counts,
    themes_with_counts,
    yearly_counts_by_region,
)
from ..charts import yearly_chart
from ..exports import citation
from ..models import Measure, Theme

HEAT_LEVELS = 5


def _heat(count: int, peak: int) -> int:
    # Square-root scale, rounded up: one big cell must not wash every other cell out,
    # and any non-zero count stays visibly shaded.
    return 0 if not count else max(1, math.ceil(HEAT_LEVELS * math.sqrt(count / peak)))


def home(request):
    themes = list(themes_with_counts())
    regions = list(regions_with_documents())
    counts = theme_region_counts()
    peak = max(counts.values(), default=0) or 1
    matrix = [
        {
            "theme": theme,
            "cells": [
                {
                    "region": region,
                    "count": counts.get((theme.pk, region.pk), 0),
                    "level": _heat(counts.get((theme.pk, region.pk), 0), peak),
                }
                for region in regions
            ],
        }
        for theme in themes
    ]
    recent = (
        Document.objects.select_related("region")
        .defer("raw_text", "clean_text", "preamble")
        .order_by("-year", "-issue_date")[:8]
    )
    numbers = {
        "documents": Document.objects.count(),
        "measures": Measure.objects.count(),
        "regions": len(regions),
        "departments": Organization.objects.filter(measure_links__isnull=False).distinct().count(),
        "themes": len(themes),
    }
    context = {
        "regions": regions,
        "matrix": matrix,
        "recent": recent,
        "numbers": numbers,
        "chart": yearly_chart(yearly_counts_by_region()),
    }
    return render(request, "measures/home.html", context)


def measure_detail(request, pk: int):
    measure = get_object_or_404(measure_for_page(pk))
    previous, following = measure_neighbours(measure=measure)
    roles = {}
    for link in measure.ordered_department_links:
        roles.setdefault(link.get_role_display(), []).append(link)
    context = {
        "measure": measure,
        "previous": previous,
        "next": following,
        "similar": similar_provisions(measure=measure, limit=6),
        "roles": roles,
        "citation": citation(measure),
    }
    return render(request, "measures/detail.html", context)


def theme_list(request):
    return render(request, "measures/themes.html", {"themes": themes_with_counts()})


def theme_detail(request, code: str):
    theme = get_object_or_404(Theme, code=code)
    page = Paginator(theme_measures(theme=theme), 30).get_page(request.GET.get("page"))
    return render(request, "measures/theme.html", {"theme": theme, "page": page})
