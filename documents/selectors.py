"""Reads for documents, shared by the API and the pages."""

from __future__ import annotations

from django.db.models import Case, Count, QuerySet, Value, When

from .models import Document, Organization
from .organizations import likely_duplicates


def document_queryset() -> QuerySet[Document]:
    return (
        Document.objects.select_related("region", "issuer")
        .annotate(measure_count=Count("measures"))
        .defer("raw_text", "clean_text", "preamble")
        .order_by("-year", "-issue_date", "title")
    )


# --- Browse (issue 4): the filtered, sorted document list ------------------------

DOCUMENT_SORTS = {
    "relevance": ("-year", "-issue_date", "title"),  # with q=: best match first (document_list)
    "newest": ("-year", "-issue_date", "title"),
    "oldest": ("year", "issue_date", "title"),
    "title": ("title",),
    "measures": ("-measure_count", "-year"),
}


def document_list(*, filters: dict | None = None, sort: str = "newest") -> QuerySet[Document]:
    """Documents matching ``filters`` (DocumentFilter's fields), sorted by one of DOCUMENT_SORTS
    (``relevance``: with ``q``, the best match first).

    Raises ``django.core.exceptions.ValidationError`` for filter values that are not valid.
    """
    from django.core.exceptions import ValidationError

    from .filters import DocumentFilter

    filters = dict(filters or {})
    query = str(filters.pop("q", "") or "").strip()  # applied below, once, with its ranking
    filterset = DocumentFilter(filters, queryset=document_queryset())
    if not filterset.is_valid():
        raise ValidationError(filterset.errors)
    relevance = bool(query) and sort == "relevance"
    documents = documents_named(filterset.qs, query, ranked=relevance) if query else filterset.qs
    return documents if relevance else documents.order_by(*DOCUMENT_SORTS.get(sort, DOCUMENT_SORTS["newest"]))


def documents_named(documents: QuerySet[Document], query: str, *, ranked: bool = False) -> QuerySet[Document]:
    """``documents`` narrowed to those the search index finds for ``query`` by title words or 文号; with
    ``ranked``, best match first."""
    from search.engine import document_ids

    ids = document_ids(query)
    documents = documents.filter(pk__in=ids)
    if not ranked or not ids:
        return documents
    order = Case(*(When(pk=pk, then=Value(rank)) for rank, pk in enumerate(ids)), default=Value(len(ids)))
    return documents.order_by(order, "-year")


def organization_duplicates() -> dict[int, list[tuple[int, str]]]:
    """Organisations that are probably another spelling of one body of the same region, each → the others
    (id, name), for an editor to merge (``services.organization_merge``)."""
    rows = list(Organization.objects.values_list("pk", "name", "region__name"))
    names = {pk: name for pk, name, _ in rows}
    found = likely_duplicates([(pk, name, region or "") for pk, name, region in rows])
    return {pk: [(other, names[other]) for other in others] for pk, others in found.items()}
