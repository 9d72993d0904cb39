"""The compare page: one theme's measures side by side across regions or documents, and its Excel export.

All state is in the query string (``theme``, repeatable ``region`` or
``document``, optional ``year_min`` / ``year_max``) so a comparison can be
bookmarked, shared and exported. Each column shows its newest measures up to
``compare.per_column_limit`` and says how many more there are; the year range
or a comparison of documents narrows it, the measure list shows them all.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse

from documents.models import Document
from policybase.bounds import parse_id, parse_year
from policybase.text import CONTROL_RE

from ..browse_selectors import (
    compare_measures,
    corpus_frequencies,
    regions_with_documents,
    theme_lookup,
    themes_with_counts,
)
from ..compare import Column, Comparison, compare, per_column_limit
from ..exports import comparison_to_xlsx
from ..models import Theme
from ..themes import themes_tree

DEFAULT_REGIONS = ("深圳市", "广州市", "广东省")
MAX_COLUMNS = 6


@dataclass
class CompareRequest:
    theme: Theme | None
    theme_value: str
    region_names: list[str]
    document_ids: list[int]
    year_min: int | None = None
    year_max: int | None = None

    def list_url(self, column_key: str) -> str:
        """The measure list with every measure of one column (the page shows the newest only)."""
        if self.theme is None:
            params = {"theme": self.theme_value}
        else:  # the list page's own filter for the theme's facet
            params = {"instrument" if self.theme.facet == Theme.Facet.INSTRUMENT else "domain": self.theme.code}
        if column_key.startswith("document-"):
            params["document"] = column_key.removeprefix("document-")
        else:
            params["region"] = column_key
        params |= {key: value for key in ("year_min", "year_max") if (value := getattr(self, key)) is not None}
        return reverse("measures:list") + "?" + urlencode(params)


def _parse(request) -> CompareRequest:
    theme_value = CONTROL_RE.sub("", request.GET.get("theme", "")).strip()
    document_ids = [pk for pk in map(parse_id, request.GET.getlist("document")) if pk is not None]
    # A region is a name: a value with control characters (a NUL) names none and never reaches the database.
    region_names = [
        value.strip() for value in request.GET.getlist("region") if value.strip() and not CONTROL_RE.search(value)
    ]
    if not document_ids and not region_names:
        region_names = list(DEFAULT_REGIONS)
    return CompareRequest(
        theme=theme_lookup(theme_value),
        theme_value=theme_value,
        region_names=list(dict.fromkeys(region_names))[:MAX_COLUMNS],
        document_ids=list(dict.fromkeys(document_ids))[:MAX_COLUMNS],
        year_min=parse_year(request.GET.get("year_min")),
        year_max=parse_year(request.GET.get("year_max")),
    )


def _comparison(parsed: CompareRequest) -> Comparison | None:
    if parsed.theme is None:
        return None
    column_count = len(parsed.document_ids or parsed.region_names)
    measures, totals = compare_measures(
        theme=parsed.theme,
        region_names=parsed.region_names,
        document_ids=parsed.document_ids,
        year_min=parsed.year_min,
        year_max=parsed.year_max,
        per_column=per_column_limit(column_count),
    )
    if parsed.document_ids:
        documents = Document.objects.select_related("region").only("pk", "title", "policy_title", "year", "region")
        documents = {document.pk: document for document in documents.filter(pk__in=parsed.document_ids)}
        columns = [
            Column(
                key=f"document-{pk}",
                label=f"{documents[pk].display_title}（{documents[pk].region.name} {documents[pk].year}）",
                items=[measure for measure in measures if measure.document_id == pk],
                total=totals.get(f"document-{pk}", 0),
            )
            for pk in parsed.document_ids
            if pk in documents
        ]
    else:
        columns = [
            Column(
                key=name,
                label=name,
                items=[m for m in measures if m.document.region.name == name],
                total=totals.get(name, 0),
            )
            for name in parsed.region_names
        ]
    for column in columns:
        column.more_url = parsed.list_url(column.key)
    return compare(columns, frequencies=corpus_frequencies())


def compare_page(request):
    parsed = _parse(request)
    comparison = _comparison(parsed)
    themes = list(themes_with_counts())
    tree = themes_tree(themes)
    context = {
        "parsed": parsed,
        "comparison": comparison,
        "theme_groups": [(label, tree[facet]) for facet, label in Theme.Facet.choices],
        "popular": sorted((theme for theme in themes if theme.count), key=lambda theme: -theme.count)[:8],
        "regions": regions_with_documents(),
        "per_column": per_column_limit(len(parsed.document_ids or parsed.region_names)),
        "export_url": reverse("measures:compare_export") + "?" + request.GET.urlencode(),
    }
    return render(request, "measures/compare.html", context)


def compare_export(request):
    parsed = _parse(request)
    comparison = _comparison(parsed)
    if comparison is None:
        return HttpResponse("请先选择主题。", status=400, content_type="text/plain; charset=utf-8")
    link = request.build_absolute_uri(reverse("measures:compare")) + "?" + request.GET.urlencode()
    content = comparison_to_xlsx(
        comparison, theme=parsed.theme, page_url=link, base_url=request.build_absolute_uri("/")
    )
    response = HttpResponse(content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="compare-{parsed.theme.code}.xlsx"'
    return response
