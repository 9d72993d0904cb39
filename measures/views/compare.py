"""The compare page: one theme's measures side by side across regions or documents, and its Excel export.

All state is in the query string (``theme``, repeatable ``region`` or
``document``) so a comparison can be bookmarked, shared and exported.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse

from documents.models import Document, Region

from ..browse_selectors import compare_measures, theme_lookup
from ..compare import Column, Comparison, compare
from ..exports import comparison_to_xlsx
from ..models import Theme

DEFAULT_REGIONS = ("深圳市", "广州市", "广东省")
MAX_COLUMNS = 6


@dataclass
class CompareRequest:
    theme: Theme | None
    theme_value: str
    region_names: list[str]
    document_ids: list[int]


def _parse(request) -> CompareRequest:
    theme_value = request.GET.get("theme", "").strip()
    document_ids = [int(value) for value in request.GET.getlist("document") if value.strip().isdigit()]
    region_names = [value.strip() for value in request.GET.getlist("region") if value.strip()]
    if not document_ids and not region_names:
        region_names = list(DEFAULT_REGIONS)
    return CompareRequest(
        theme=theme_lookup(theme_value),
        theme_value=theme_value,
        region_names=list(dict.fromkeys(region_names))[:MAX_COLUMNS],
        document_ids=list(dict.fromkeys(document_ids))[:MAX_COLUMNS],
    )


def _comparison(parsed: CompareRequest) -> Comparison | None:
    if parsed.theme is None:
        return None
    measures = compare_measures(theme=parsed.theme, region_names=parsed.region_names, document_ids=parsed.document_ids)
    if parsed.document_ids:
        documents = Document.objects.select_related("region").only("pk", "title", "policy_title", "year", "region")
        documents = {document.pk: document for document in documents.filter(pk__in=parsed.document_ids)}
        columns = [
            Column(
                key=f"document-{pk}",
                label=f"{documents[pk].display_title}（{documents[pk].region.name} {documents[pk].year}）",
                items=[measure for measure in measures if measure.document_id == pk],
            )
            for pk in parsed.document_ids
            if pk in documents
        ]
    else:
        columns = [
            Column(key=name, label=name, items=[m for m in measures if m.document.region.name == name])
            for name in parsed.region_names
        ]
    return compare(columns)


def compare_page(request):
    parsed = _parse(request)
    comparison = _comparison(parsed)
    context = {
        "parsed": parsed,
        "comparison": comparison,
        "themes": Theme.objects.only("code", "name"),
        "regions": Region.objects.filter(documents__isnull=False).distinct(),
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
