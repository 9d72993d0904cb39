"""Exports: the measure list to CSV and Excel, and a comparison to Excel.

Pure functions over measures (as given by ``measure_queryset()``, with
``active_theme_links`` and ``ordered_department_links`` prefetched) and
comparisons; the views only set headers. Every row carries its source
(document, 文号, link back) so a spreadsheet can be checked against the original.
"""

from __future__ import annotations

import csv
import io
import itertools
from collections.abc import Iterable, Iterator
from urllib.parse import urljoin

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from .compare import Comparison
from .models import MeasureDepartment
from .themes import facets_text

MEASURE_HEADERS = [
    "措施ID",
    "地区",
    "年份",
    "文件",
    "文号",
    "效力",
    "编号",
    "标题",
    "章节",
    "政策领域",
    "政策工具",
    "牵头部门",
    "配合部门",
    "负责部门",
    "正文",
    "链接",
]
MEASURE_WIDTHS = [8, 8, 6, 40, 18, 22, 8, 30, 20, 24, 20, 24, 24, 24, 80, 36]
Role = MeasureDepartment.Role


def departments_by_role(measure, role: str) -> str:
    return "、".join(link.organization.name for link in measure.ordered_department_links if link.role == role)


def validity_text(document) -> str:
    """The document's status today, with its valid-until date when it has one: 「已失效（有效期至2017年12月31日）」."""
    until = document.valid_until
    return document.get_status_display() + (f"（有效期至{until.year}年{until.month}月{until.day}日）" if until else "")


def citation(measure) -> str:
    """The copy-ready citation: 《document title》（文号）第（三）项."""
    document = measure.document
    number = f"（{document.doc_number}）" if document.doc_number else ""
    item = measure.number if measure.number.startswith(("（", "(")) else f"（{measure.number}）"
    return f"《{document.display_title}》{number}第{item}项"


def measure_row(measure, base_url: str) -> list:
    document = measure.document
    return [
        measure.pk,
        document.region.name,
        document.year,
        document.display_title,
        document.doc_number,
        validity_text(document),
        measure.number,
        measure.title,
        measure.chapter,
        *facets_text(measure.active_theme_links),
        departments_by_role(measure, Role.LEAD),
        departments_by_role(measure, Role.COOPERATE),
        departments_by_role(measure, Role.RESPONSIBLE),
        measure.text,
        urljoin(base_url, measure.get_absolute_url()),
    ]


def _safe_cell(value):
    # A cell starting with = + - @ would run as a formula in Excel (CSV injection).
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@"):
        return "'" + value
    return value


class _Echo:
    """A file-like object whose write() returns the line, so csv.writer can feed a stream."""

    def write(self, value: str) -> str:
        return value


def measures_to_csv_lines(measures: Iterable, *, base_url: str) -> Iterator[str]:
    """CSV lines (a BOM first so Excel opens the Chinese as UTF-8), one measure at a time."""
    writer = csv.writer(_Echo())
    yield "\ufeff" + writer.writerow(MEASURE_HEADERS)
    for measure in measures:
        yield writer.writerow([_safe_cell(value) for value in measure_row(measure, base_url)])


HEADER_FONT = Font(bold=True, color="FFFFFF")
HEADER_FILL = PatternFill("solid", fgColor="0B5CAD")
WRAP = Alignment(wrap_text=True, vertical="top")


def _header(sheet, headers: list[str], widths: list[int]) -> None:
    sheet.append(headers)
    for index, width in enumerate(widths, start=1):
        cell = sheet.cell(row=1, column=index)
        cell.font, cell.fill = HEADER_FONT, HEADER_FILL
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A2"


def _to_bytes(workbook: Workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def write_measures_xlsx(measures: Iterable, *, base_url: str, target, limit: int | None = None, note: str = "") -> bool:
    """The measure list as a workbook written to ``target`` (a file) in openpyxl's write-only mode: rows go
    out as they come instead of being held as cell objects, so memory stays flat for tens of thousands.

    At most ``limit`` measures; when there are more, a last line says so (``note``: where to get all of
    them). Returns whether the list was cut.
    """
    measures = iter(measures)
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("措施")
    for index, width in enumerate(MEASURE_WIDTHS, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A2"
    header = []
    for title in MEASURE_HEADERS:
        cell = WriteOnlyCell(sheet, value=title)
        cell.font, cell.fill = HEADER_FONT, HEADER_FILL
        header.append(cell)
    sheet.append(header)
    for measure in itertools.islice(measures, limit):
        row = []
        for value in measure_row(measure, base_url):
            cell = WriteOnlyCell(sheet, value=_safe_cell(value))
            cell.alignment = WRAP
            row.append(cell)
        sheet.append(row)
    cut = limit is not None and next(measures, None) is not None
    if cut:
        cell = WriteOnlyCell(sheet, value=note or f"仅导出前 {limit:,} 条。")
        cell.font = Font(bold=True, color="B00020")
        sheet.append([cell])
    workbook.save(target)
    return cut


def _cell_text(cell) -> str:
    if cell is None:
        return "无对应措施"
    measure = cell.item
    lead = departments_by_role(measure, Role.LEAD) or departments_by_role(measure, Role.RESPONSIBLE)
    lines = [
        f"{measure.number}{measure.title}",
        measure.text,
        "",
        f"来源：{citation(measure)}（{measure.document.year}年）",
        f"效力：{validity_text(measure.document)}",
    ]
    if lead:
        lines.append(f"牵头/负责：{lead}")
    return "\n".join(lines)


def comparison_to_xlsx(comparison: Comparison, *, theme, page_url: str, base_url: str) -> bytes:
    """Sheet 1: the aligned rows; sheet 2: gaps; sheet 3: every measure with its source."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "对比"
    headers = ["行", *[column.label for column in comparison.columns], "共同用语"]
    _header(sheet, headers, [5, *[60] * len(comparison.columns), 24])
    for number, row in enumerate(comparison.rows, start=1):
        sheet.append([number, *[_safe_cell(_cell_text(cell)) for cell in row.cells], "、".join(row.terms)])
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = WRAP
            if cell.value == "无对应措施":
                cell.font = Font(italic=True, color="7A4B00")
    sheet.append([])
    sheet.append([f"主题：{theme.name}", f"对比页面：{page_url}"])

    gaps = workbook.create_sheet("差异")
    _header(gaps, ["地区/文件", "其他列没有对应的措施", "来源"], [24, 50, 60])
    for gap in comparison.gaps:
        for measure in gap.unique:
            gaps.append([gap.column.label, f"{measure.number}{measure.title}", citation(measure)])

    sources = workbook.create_sheet("措施来源")
    _header(sources, MEASURE_HEADERS, MEASURE_WIDTHS)
    for column in comparison.columns:
        for measure in column.items:
            sources.append([_safe_cell(value) for value in measure_row(measure, base_url)])
    return _to_bytes(workbook)
