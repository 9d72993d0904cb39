"""Browsing pages: home, themes, a measure. Views stay thin: parse input, call a selector, render."""

import math

from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, render

from documents.models import Document, Organization, Region

from ..browse_selectors import (
    measure_neighbours,
    similar_candidates,
    theme_measures,
    theme_region_counts,
    yearly_counts_by_region,
)
from ..charts import yearly_chart
from ..exports import citation
from ..models import Measure, Theme
from ..selectors import measure_queryset
from ..similarity import measure_tokens, nearest, tfidf_vectors

HEAT_LEVELS = 5


def _heat(count: int, peak: int) -> int:
    # Square-root scale, rounded up: one big cell must not wash every other cell out,
    # and any non-zero count stays visibly shaded.
    return 0 if not count else max(1, math.ceil(HEAT_LEVELS * math.sqrt(count / peak)))


def _themes_with_counts():
    return Theme.objects.annotate(count=Count("measure_links", filter=Q(measure_links__active=True)))


def home(request):
    themes = list(_themes_with_counts())
    regions = list(Region.objects.filter(documents__isnull=False).distinct())
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
    measure = get_object_or_404(measure_queryset(), pk=pk)
    previous, following = measure_neighbours(measure=measure)
    pool = {m.pk: m for m in similar_candidates(measure=measure)}
    vectors = tfidf_vectors(
        {measure.pk: measure_tokens(measure.title, measure.text)}
        | {key: measure_tokens(m.title, m.text) for key, m in pool.items()}
    )
    similar = [(pool[key], score) for key, score in nearest(measure.pk, vectors, limit=6)]
    roles = {}
    for link in measure.ordered_department_links:
        roles.setdefault(link.get_role_display(), []).append(link)
    context = {
        "measure": measure,
        "previous": previous,
        "next": following,
        "similar": similar,
        "roles": roles,
        "citation": citation(measure),
    }
    return render(request, "measures/detail.html", context)


def theme_list(request):
    return render(request, "measures/themes.html", {"themes": _themes_with_counts()})


def theme_detail(request, code: str):
    theme = get_object_or_404(Theme, code=code)
    page = Paginator(theme_measures(theme=theme), 30).get_page(request.GET.get("page"))
    return render(request, "measures/theme.html", {"theme": theme, "page": page})
