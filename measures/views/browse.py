"""Browsing pages: home, themes, a measure. Views stay thin: parse input, call a selector, render."""

from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, render

from documents.models import Document

from ..models import Theme
from ..selectors import measure_list, measure_queryset


def home(request):
    themes = Theme.objects.annotate(count=Count("measure_links", filter=Q(measure_links__active=True)))
    recent = (
        Document.objects.select_related("region").defer("raw_text", "clean_text").order_by("-year", "-issue_date")[:8]
    )
    return render(request, "measures/home.html", {"themes": themes, "recent": recent})


def measure_detail(request, pk: int):
    measure = get_object_or_404(measure_queryset(), pk=pk)
    return render(request, "measures/detail.html", {"measure": measure})


def theme_list(request):
    themes = Theme.objects.annotate(count=Count("measure_links", filter=Q(measure_links__active=True)))
    return render(request, "measures/themes.html", {"themes": themes})


def theme_detail(request, code: str):
    theme = get_object_or_404(Theme, code=code)
    page = Paginator(measure_list(filters={"theme": code}), 30).get_page(request.GET.get("page"))
    return render(request, "measures/theme.html", {"theme": theme, "page": page})
