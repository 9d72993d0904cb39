"""Exports of the measure list: the same filters as /measures/, as CSV (streamed) or Excel.

The list page (``measures.views.search``) links here with its own query string,
so whatever a person filtered is what they download.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import HttpResponse, HttpResponseBadRequest, StreamingHttpResponse
from django.utils import timezone

from ..exports import measures_to_csv_lines, measures_to_xlsx
from ..selectors import measure_list

# An Excel workbook is built in memory; past this many rows people should use CSV.
XLSX_MAX_ROWS = 20_000


def _filters(request) -> dict:
    return {key: value for key, value in request.GET.dict().items() if key not in ("page", "format")}


def _filename(extension: str) -> str:
    return f'attachment; filename="measures-{timezone.localdate():%Y%m%d}.{extension}"'


def measure_export_csv(request):
    try:
        measures = measure_list(filters=_filters(request))
    except ValidationError:
        return HttpResponseBadRequest("筛选条件无效。", content_type="text/plain; charset=utf-8")
    lines = measures_to_csv_lines(measures.iterator(chunk_size=1000), base_url=request.build_absolute_uri("/"))
    response = StreamingHttpResponse(lines, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = _filename("csv")
    return response


def measure_export_xlsx(request):
    try:
        measures = measure_list(filters=_filters(request))
    except ValidationError:
        return HttpResponseBadRequest("筛选条件无效。", content_type="text/plain; charset=utf-8")
    content = measures_to_xlsx(
        measures[:XLSX_MAX_ROWS].iterator(chunk_size=1000), base_url=request.build_absolute_uri("/")
    )
    response = HttpResponse(content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = _filename("xlsx")
    return response
