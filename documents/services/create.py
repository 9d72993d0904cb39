"""Creating documents: the one path every new document takes, one file or a batch of a hundred.

A batch of new documents is written with one set of statements — documents, measures, departments, themes,
citations, co-issuers, periodical parts and their history rows — in one transaction, so the cost per file is a
share of a few statements. ``document_ingest`` creates a single new document through the same function.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from measures.derive import Derived
from measures.models import Measure, MeasureDepartment
from measures.services import measures_themes_create
from measures.tokenize import ANALYZER_VERSION
from policybase import bulkload

from ..ingest.types import DepartmentRef, ParsedDocument, ParsedMeasure
from ..models import Article, ChronicleEntry, Citation, Document, Region
from .citations import citations_resolve
from .context import IngestContext, IngestResult
from .values import document_base, document_fields, measure_base, measure_values


@dataclass
class NewDocument:
    parsed: ParsedDocument
    derived: Sequence[Derived]
    source_name: str


@transaction.atomic
def documents_create(
    *, items: Sequence[NewDocument], context: IngestContext, warnings: dict[int, list[str]] | None = None
) -> list[IngestResult]:
    """Write ``items`` — documents ``split_new`` found to be new — with all their parts; one result each.

    All or nothing: any error rolls the whole batch back (the caller then imports its files one by one).
    """
    warnings = warnings or {}
    now = timezone.now()
    documents = []
    for item, pk in zip(items, bulkload.reserve_ids(Document, len(items)), strict=True):
        values = document_fields(item.parsed, source_name=item.source_name, context=context)
        # The loader stamps the rows with ``now``; the instances returned say the same.
        document = Document(pk=pk, **values, import_base=document_base(values), created_at=now, updated_at=now)
        # Field checks in Python; a batch leaves the validity range to the database's CHECK (a violation fails
        # the batch, and the one-by-one retry reports it for its file), a single document checks it here.
        document.full_clean(validate_unique=False, validate_constraints=len(items) == 1, exclude=["issuer", "region"])
        documents.append(document)
    bulkload.insert_with_history(Document, [_row(d) for d in documents], reason="导入", now=now)

    measures_insert(
        [
            (document, parsed, derived)
            for document, item in zip(documents, items, strict=True)
            for parsed, derived in zip(item.parsed.measures, item.derived, strict=True)
        ],
        context=context,
        now=now,
    )

    Citation.objects.bulk_create(
        [
            Citation(citing=document, cited_title=title, cited_doc_number=number, position=position)
            for document, item in zip(documents, items, strict=True)
            for position, (title, number) in enumerate(citation_values(document, item.parsed))
        ],
        batch_size=1000,
    )
    Article.objects.bulk_create(
        [
            Article(document=document, ordinal=a.ordinal, title=a.title, subtitle=a.subtitle, text=a.text, page=a.page)
            for document, item in zip(documents, items, strict=True)
            for a in item.parsed.articles
        ]
    )
    ChronicleEntry.objects.bulk_create(
        [
            ChronicleEntry(
                document=document, ordinal=e.ordinal, number=e.number, title=e.title, text=e.text, date=e.date
            )
            for document, item in zip(documents, items, strict=True)
            for e in item.parsed.chronicle
        ]
    )
    co_issuers = []
    for document, item in zip(documents, items, strict=True):
        organizations = {context.organization(name, document.region).pk for name in item.parsed.co_issuers}
        co_issuers += [Document.co_issuers.through(document_id=document.pk, organization_id=pk) for pk in organizations]
    Document.co_issuers.through.objects.bulk_create(co_issuers)
    citations_resolve(documents=documents)
    return [
        IngestResult(
            document=document,
            action="created",
            measures_created=len(item.parsed.measures),
            warnings=[*item.parsed.warnings, *warnings.get(id(item), [])],
        )
        for document, item in zip(documents, items, strict=True)
    ]


def _row(instance) -> dict:
    """A model instance's concrete field values by attname (auto timestamps left to the loader)."""
    return {
        field.attname: getattr(instance, field.attname)
        for field in instance._meta.concrete_fields
        if not (getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False))
    }


def measures_insert(
    new: Sequence[tuple[Document, ParsedMeasure, Derived]], *, context: IngestContext, now: dt.datetime | None = None
) -> list[int]:
    """Insert new measures of saved documents, set-based; return their ids.

    Each gets its search tokens (already derived), a "导入" history row, its department links (with
    history) and its automatic themes: one statement per table whatever the number of measures.
    Rows are checked as ``full_clean`` would (``bulkload.check_row``); a ValidationError names the field.
    """
    if not new:
        return []
    now = now or timezone.now()
    ids = bulkload.reserve_ids(Measure, len(new))
    measure_rows, link_rows = [], []
    for pk, (document, parsed, derived) in zip(ids, new, strict=True):
        row = {
            "id": pk,
            "document_id": document.pk,
            "ordinal": parsed.ordinal,
            "search_title": derived.search_title,
            "search_body": derived.search_body,
            "search_version": ANALYZER_VERSION,
            "import_base": measure_base(parsed),
            **measure_values(parsed),
        }
        bulkload.check_row(Measure, row)
        measure_rows.append(row)
        link_rows += department_links(pk, parsed.departments, document.region, context)
    bulkload.insert_with_history(Measure, measure_rows, reason="导入", now=now)
    for pk, row in zip(bulkload.reserve_ids(MeasureDepartment, len(link_rows)), link_rows, strict=True):
        row["id"] = pk
        bulkload.check_row(MeasureDepartment, row)
    bulkload.insert_with_history(MeasureDepartment, link_rows, reason="导入", now=now)
    measures_themes_create(measure_ids=ids, derived=[d for _, _, d in new], rules=context.rules)
    return ids


def department_links(
    measure_id: int, refs: tuple[DepartmentRef, ...], region: Region, context: IngestContext
) -> list[dict]:
    """MeasureDepartment rows (by attname) in the order written; repeats of a unit in one role dropped."""
    links, seen = [], set()
    for ref in refs:
        organization = context.organization(ref.name, region)
        if (organization.pk, ref.role) in seen:
            continue
        seen.add((organization.pk, ref.role))
        links.append(
            {
                "measure_id": measure_id,
                "organization_id": organization.pk,
                "role": ref.role,
                "position": len(links),
                "name_as_written": ref.name,
                "note": ref.note,
            }
        )
    return links


def citation_values(document: Document, parsed: ParsedDocument) -> list[tuple[str, str]]:
    """(cited title, cited 文号) in order, each title once, the document's own titles left out."""
    own_titles = {document.title, document.policy_title} - {""}
    wanted: list[tuple[str, str]] = []
    for citation in parsed.citations:
        if citation.title in own_titles or citation.title in {w[0] for w in wanted}:
            continue
        wanted.append((citation.title[:300], citation.doc_number))
    return wanted
