"""Exports of the measure list: the same query and filters as /measures/, as CSV (streamed) or Excel.

The list page (``measures.views.search``) links here with its own query string,
so whatever a person searched and filtered is what they download, in the order
the page shows it (best first for a query, newest first otherwise). A query
exports the ranked matches, as many as the page can page through.
"""

from __future__ import annotations

from collections.abc import Iterator

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpResponse, HttpResponseBadRequest, StreamingHttpResponse
from django.utils import timezone

from ..exports import measures_to_csv_lines, measures_to_xlsx
from ..filters import filter_errors_text
from ..selectors import SORTS, measure_search

# An Excel workbook is built in memory; past this many rows people should use CSV.
XLSX_MAX_ROWS = 20_000
# Ranked results are loaded this many at a time (one query and its two prefetches per chunk).
CHUNK = 1000
NOT_FILTERS = ("q", "sort", "page", "format")


def _measures(request, *, limit: int | None = None) -> Iterator:
    """The measures the list page shows for this query string. Raises ValidationError for bad filters."""
    filters = {key: value for key, value in request.GET.dict().items() if key not in NOT_FILTERS and value.strip()}
    sort = request.GET.get("sort") if request.GET.get("sort") in SORTS else "relevance"
    results = measure_search(query=request.GET.get("q", ""), filters=filters, sort=sort, facets=False).results
    if isinstance(results, QuerySet):
        # No query: a plain queryset, streamed without OFFSET paging.
        return (results[:limit] if limit else results).iterator(chunk_size=CHUNK)
    return _in_chunks(results, limit=limit)


def _in_chunks(results, *, limit: int | None) -> Iterator:
    total = min(len(results), limit) if limit else len(results)
    for start in range(0, total, CHUNK):
        yield from results[start : min(start + CHUNK, total)]


def _filename(extension: str) -> str:
    return f'attachment; filename="measures-{timezone.localdate():%Y%m%d}.{extension}"'


def _bad_request(error: ValidationError) -> HttpResponse:
    return HttpResponseBadRequest(
        f"筛选条件无效：{filter_errors_text(error)}", content_type="text/plain; charset=utf-8"
    )


def measure_export_csv(request):
    try:
        measures = _measures(request)
    except ValidationError as error:
        return _bad_request(error)
    lines = measures_to_csv_lines(measures, base_url=request.build_absolute_uri("/"))
    response = StreamingHttpResponse(lines, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = _filename("csv")
    return response


def measure_export_xlsx(request):
    try:
        measures = _measures(request, limit=XLSX_MAX_ROWS)
    except ValidationError as error:
        return _bad_request(error)
    content = measures_to_xlsx(measures, base_url=request.build_absolute_uri("/"))
    response = HttpResponse(content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = _filename("xlsx")
    return response
