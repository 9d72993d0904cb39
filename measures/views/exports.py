"""Exports of the measure list: the same query and filters as /measures/, as CSV (streamed) or Excel.

The list page (``measures.views.search``) links here with its own query string,
so whatever a person searched and filtered is what they download, in the order
the page shows it (best first for a query, newest first otherwise): every match.
"""

from __future__ import annotations

import itertools
import tempfile
from collections.abc import Iterator

from django.core.exceptions import ValidationError
from django.http import FileResponse, HttpResponse, HttpResponseBadRequest, StreamingHttpResponse
from django.urls import reverse
from django.utils import timezone

from policybase.limits import ExportRefused, export_slot, released_after

from ..exports import measures_to_csv_lines, write_measures_xlsx
from ..filters import filter_errors_text
from ..selectors import SORTS, measure_search

# A workbook past this many rows is hard to open; the rest is in the CSV, which has no limit.
XLSX_MAX_ROWS = 20_000
NOT_FILTERS = ("q", "sort", "page", "format")


def _measures(request, *, limit: int | None = None) -> Iterator:
    """The measures the list page shows for this query string, every one of them, in its order.
    Raises ValidationError for bad filters."""
    filters = {key: value for key, value in request.GET.dict().items() if key not in NOT_FILTERS and value.strip()}
    sort = request.GET.get("sort") if request.GET.get("sort") in SORTS else "relevance"
    results = measure_search(query=request.GET.get("q", ""), filters=filters, sort=sort, facets=False).results
    return itertools.islice(results, limit) if limit else iter(results)


def _filename(extension: str) -> str:
    return f'attachment; filename="measures-{timezone.localdate():%Y%m%d}.{extension}"'


def _bad_request(error: ValidationError) -> HttpResponse:
    return HttpResponseBadRequest(
        f"筛选条件无效：{filter_errors_text(error)}", content_type="text/plain; charset=utf-8"
    )


def _refused(refusal: ExportRefused) -> HttpResponse:
    return HttpResponse(refusal.message, status=429, content_type="text/plain; charset=utf-8")


def measure_export_csv(request):
    """Every match, streamed row by row: a worker never holds the export."""
    try:
        measures = _measures(request)
        slot = export_slot(request)
    except ValidationError as error:
        return _bad_request(error)
    except ExportRefused as refusal:
        return _refused(refusal)
    lines = measures_to_csv_lines(measures, base_url=request.build_absolute_uri("/"))
    response = StreamingHttpResponse(released_after(lines, slot), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = _filename("csv")
    return response


def measure_export_xlsx(request):
    """Up to ``XLSX_MAX_ROWS`` matches, written in write-only mode to a temporary file that is then streamed;
    a longer list says in its last row that it was cut and where the complete CSV is."""
    try:
        measures = _measures(request, limit=XLSX_MAX_ROWS + 1)
        slot = export_slot(request)
    except ValidationError as error:
        return _bad_request(error)
    except ExportRefused as refusal:
        return _refused(refusal)
    try:
        # The workbook goes to a temporary file (never the worker's memory) and is streamed from there.
        target = tempfile.TemporaryFile()  # noqa: SIM115 - closed by _file_chunks once sent
        csv_url = request.build_absolute_uri(reverse("measures:export_csv")) + "?" + request.GET.urlencode()
        cut = write_measures_xlsx(
            measures,
            base_url=request.build_absolute_uri("/"),
            target=target,
            limit=XLSX_MAX_ROWS,
            note=f"仅导出前 {XLSX_MAX_ROWS:,} 条（Excel 行数上限）。完整结果请下载 CSV：{csv_url}",
        )
        target.seek(0)
    except BaseException:
        released_after((), slot).close()
        raise
    response = FileResponse(
        released_after(_file_chunks(target), slot),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = _filename("xlsx")
    if cut:
        response["X-Export-Truncated"] = str(XLSX_MAX_ROWS)
    return response


def _file_chunks(target, size: int = 64 * 1024) -> Iterator[bytes]:
    try:
        while chunk := target.read(size):
            yield chunk
    finally:
        target.close()
