"""Reading what the index holds from the database: measure and document rows, by id or all in batches."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from documents.models import Document
from measures.models import Measure, MeasureDepartment, MeasureTheme, Theme
from measures.tokenize import index_tokens

from .schema import DocumentRow, MeasureRow

BATCH = 2_000
_ROLE_FIELDS = {
    MeasureDepartment.Role.LEAD: "lead",
    MeasureDepartment.Role.RESPONSIBLE: "responsible",
    MeasureDepartment.Role.COOPERATE: "cooperate",
}
_MEASURE_FIELDS = (
    "id",
    "document_id",
    "ordinal",
    "kind",
    "title",
    "text",
    "search_title",
    "search_body",
    "document__region_id",
    "document__year",
    "document__doc_type",
    "document__issue_date",
    "document__valid_from",
    "document__valid_until",
)
_DOCUMENT_FIELDS = (
    "id",
    "title",
    "policy_title",
    "doc_number",
    "region_id",
    "year",
    "doc_type",
    "issue_date",
    "valid_from",
    "valid_until",
)


def _with_ancestors(theme_ids: list[int], parents: dict[int, int | None]) -> list[int]:
    found = []
    for theme_id in theme_ids:
        seen = 0
        while theme_id is not None and theme_id not in found and seen < 10:  # a cycle the admin refuses
            found.append(theme_id)
            theme_id, seen = parents.get(theme_id), seen + 1
    return found


def measure_rows(ids: Iterable[int]) -> list[MeasureRow]:
    """The rows of the measures with these ids that exist (four queries). A measure's themes are its
    active links and every ancestor of them, so a domain's filter and count cover its sub-domains."""
    ids = sorted(set(ids))
    if not ids:
        return []
    rows = {
        values[0]: MeasureRow(*values)
        for values in Measure.objects.filter(pk__in=ids).order_by().values_list(*_MEASURE_FIELDS)
    }
    for measure_id, theme_id in MeasureTheme.objects.filter(measure_id__in=ids, active=True).values_list(
        "measure_id", "theme_id"
    ):
        if measure_id in rows:
            rows[measure_id].themes.append(theme_id)
    parents = dict(Theme.objects.values_list("pk", "parent_id"))
    for row in rows.values():
        row.themes = _with_ancestors(row.themes, parents)
    for measure_id, organisation_id, role in MeasureDepartment.objects.filter(measure_id__in=ids).values_list(
        "measure_id", "organization_id", "role"
    ):
        if measure_id in rows and role in _ROLE_FIELDS:
            rows[measure_id].departments.setdefault(_ROLE_FIELDS[role], []).append(organisation_id)
    return [rows[pk] for pk in ids if pk in rows]


def all_measure_rows(batch: int = BATCH) -> Iterator[list[MeasureRow]]:
    """Every measure's row, in id order, ``batch`` at a time."""
    return _in_batches(Measure, measure_rows, batch)


def _in_batches(model, read, batch: int) -> Iterator[list]:
    # Keyset paging (no OFFSET): each batch starts after the last id read.
    last = 0
    while True:
        ids = list(model.objects.filter(pk__gt=last).order_by("pk").values_list("pk", flat=True)[:batch])
        if not ids:
            return
        yield read(ids)
        last = ids[-1]


def document_rows(ids: Iterable[int]) -> list[DocumentRow]:
    ids = sorted(set(ids))
    if not ids:
        return []
    rows = []
    for values in Document.objects.filter(pk__in=ids).order_by("pk").values_list(*_DOCUMENT_FIELDS):
        pk, title, policy_title, doc_number, *rest = values
        tokens = " ".join(index_tokens(title + (" " + policy_title if policy_title and policy_title != title else "")))
        rows.append(DocumentRow(pk, title, policy_title or "", doc_number or "", tokens, *rest))
    return rows


def all_document_rows(batch: int = BATCH) -> Iterator[list[DocumentRow]]:
    return _in_batches(Document, document_rows, batch)


def measures_of(*, documents: Iterable[int] = (), themes: Iterable[int] = ()) -> set[int]:
    """Ids of the measures of these documents and of those linked to these themes (active or not)."""
    found: set[int] = set()
    if documents := list(documents):
        found.update(Measure.objects.filter(document_id__in=documents).values_list("pk", flat=True))
    if themes := list(themes):
        found.update(MeasureTheme.objects.filter(theme_id__in=themes).values_list("measure_id", flat=True))
    return found
