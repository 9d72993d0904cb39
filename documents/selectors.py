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
    """Documents matching ``filters`` (DocumentFilter's fields), sorted by one of DOCUMENT_SORTS.

    Raises ``django.core.exceptions.ValidationError`` for filter values that are not valid.
    """
    from django.core.exceptions import ValidationError

    from .filters import DocumentFilter

    filterset = DocumentFilter(filters or {}, queryset=document_queryset())
    if not filterset.is_valid():
        raise ValidationError(filterset.errors)
    query = (filterset.form.cleaned_data.get("q") or "").strip()
    if query and sort == "relevance":
        from search.engine import document_ids

        ranked = document_ids(query)
        order = Case(*(When(pk=pk, then=Value(rank)) for rank, pk in enumerate(ranked)), default=Value(len(ranked)))
        return filterset.qs.order_by(order, "-year") if ranked else filterset.qs
    return filterset.qs.order_by(*DOCUMENT_SORTS.get(sort, DOCUMENT_SORTS["newest"]))


def organization_duplicates() -> dict[int, list[tuple[int, str]]]:
    """Organisations that are probably another spelling of one body of the same region, each → the others
    (id, name), for an editor to merge (``services.organization_merge``)."""
    rows = list(Organization.objects.values_list("pk", "name", "region__name"))
    names = {pk: name for pk, name, _ in rows}
    found = likely_duplicates([(pk, name, region or "") for pk, name, region in rows])
    return {pk: [(other, names[other]) for other in others] for pk, others in found.items()}
