"""Create many new documents at once: the fast path of a large import.

Importing ten thousand files one transaction each spends most of its time on round trips and
per-statement overhead: each file is a dozen small INSERTs. Here a batch of new documents is
written with one set of statements — documents, measures, departments, themes, citations and
their history rows — in one transaction, so the cost per file is a share of ~15 statements.

Only documents that are certainly new take this path (no content hash, and no document of the
region that ``documents.identity`` would call the same, in the database or earlier in the
batch). The caller sends everything else, and every file of a batch that fails for any reason,
through ``document_ingest`` one file at a time, so a bad file is still reported on its own
and leaves the database as it was, while the other files import.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from measures.derive import Derived
from policybase import bulkload

from .identity import Identity, candidates_lookup, number_clash_warnings, same_document
from .ingest.types import ParsedDocument
from .models import Article, ChronicleEntry, Citation, Document
from .services import (
    IngestContext,
    IngestResult,
    citation_values,
    citations_resolve,
    document_base,
    document_fields,
    measures_insert,
)


@dataclass
class NewDocument:
    parsed: ParsedDocument
    derived: Sequence[Derived]
    source_name: str


def split_new(items: Sequence[NewDocument]) -> tuple[list[NewDocument], list[NewDocument], dict[int, list[str]]]:
    """(certainly new, to import one by one, warnings by item id) for ``items``, in their order.

    One by one: those whose content or identity matches a stored document or an earlier item, and
    those the parser could not place (no region or year: ``document_ingest`` says so).
    """
    placeable = [i for i in items if i.parsed.region and (i.parsed.year or i.parsed.issue_date)]
    stored_hashes = set(
        Document.objects.filter(content_hash__in=[i.parsed.content_hash for i in placeable]).values_list(
            "content_hash", flat=True
        )
    )
    identities = {id(i): Identity.of_parsed(i.parsed, i.source_name) for i in placeable}
    candidates = list(
        Document.objects.filter(candidates_lookup(list(identities.values())))
        .select_related("region")
        .only(*Identity.FIELDS)
        .order_by("pk")
    )
    # any region: same_document compares it
    stored = [(identity, c) for c in candidates for identity in Identity.all_of_document(c)]

    new, one_by_one, warnings = [], [], {}
    seen_hashes: set[str] = set()
    accepted: list[Identity] = []
    for item in items:
        identity = identities.get(id(item))
        if (
            identity is None
            or item.parsed.content_hash in stored_hashes
            or item.parsed.content_hash in seen_hashes
            or any(same_document(identity, other) for other, _ in stored)
            or any(same_document(identity, other) for other in accepted)
        ):
            one_by_one.append(item)
            continue
        seen_hashes.add(item.parsed.content_hash)
        accepted.append(identity)
        warnings[id(item)] = number_clash_warnings(identity, candidates)
        new.append(item)
    return new, one_by_one, warnings


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
        document = Document(pk=pk, **values, import_base=document_base(values))
        # Field checks in Python (no queries); the validity range is the database's CHECK: a violation
        # fails the batch, and the one-by-one retry reports it for its file.
        document.full_clean(validate_unique=False, validate_constraints=False, exclude=["issuer", "region"])
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
