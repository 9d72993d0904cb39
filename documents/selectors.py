"""Reads for documents, shared by the API and the pages."""

from __future__ import annotations

from django.db.models import Count, QuerySet

from .models import Document


def document_queryset() -> QuerySet[Document]:
    return (
        Document.objects.select_related("region", "issuer")
        .annotate(measure_count=Count("measures"))
        .defer("raw_text", "clean_text", "preamble")
        .order_by("-year", "-issue_date", "title")
    )
