"""Browsing pages: home, themes, a measure. Views stay thin: parse input, call a selector, render."""

import math

from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render

from documents.models import Document, Organization

from ..browse_selectors import (
    measure_for_page,
    measure_neighbours,
    regions_with_documents,
    similar_provisions,
    theme_children,
    theme_measures,
    theme_region_counts,
    themes_with_counts,
    yearly_counts_by_region,
)
from ..charts import yearly_chart
from ..exports import citation
from ..models import Measure, Theme
from ..themes import nested, theme_by_former_code, themes_tree

HEAT_LEVELS = 5


def _heat(count: int, peak: int) -> int:
    # Square-root scale, rounded up: one big cell must not wash every other cell out,
    # and any non-zero count stays visibly shaded.
    return 0 if not count else max(1, math.ceil(HEAT_LEVELS * math.sqrt(count / peak)))


def home(request):
    """The overview; its theme × region matrix shows top-level domains, or instruments with ``?facet=instrument``."""
    facet = Theme.Facet.INSTRUMENT if request.GET.get("facet") == Theme.Facet.INSTRUMENT else Theme.Facet.DOMAIN
    all_themes = list(themes_with_counts())
    themes = [theme for theme in all_themes if theme.facet == facet and theme.parent_id is None and theme.count]
    regions = list(regions_with_documents())
    counts = theme_region_counts(themes=themes)
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
        "themes": len(all_themes),
    }
    context = {
        "facet": facet,
        "facets": Theme.Facet.choices,
        "filter_key": "instrument" if facet == Theme.Facet.INSTRUMENT else "domain",
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
    """Both facets: domains as a tree (each parent with its sub-domains), then instruments; with counts."""
    tree = themes_tree(themes_with_counts())
    sections = [(facet, label, nested(tree[facet]), len(tree[facet])) for facet, label in Theme.Facet.choices]
    return render(request, "measures/themes.html", {"sections": sections})


def theme_detail(request, code: str):
    theme = Theme.objects.select_related("parent").filter(code=code).first()
    if theme is None:
        # A code of the first taxonomy: its theme lives on under a new code (Theme.former_codes).
        if (moved := theme_by_former_code(code)) is not None:
            return redirect(moved, permanent=True)
        raise Http404("没有这个主题。")
    page = Paginator(theme_measures(theme=theme), 30).get_page(request.GET.get("page"))
    filter_key = "instrument" if theme.facet == Theme.Facet.INSTRUMENT else "domain"
    context = {"theme": theme, "children": theme_children(theme), "page": page, "filter_key": filter_key}
    return render(request, "measures/theme.html", context)
