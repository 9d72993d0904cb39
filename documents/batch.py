"""Which files of a large import are certainly new, so they can be written a hundred at a time.

Importing ten thousand files one transaction each spends most of its time on round trips; new documents are
therefore written in batches by ``services.documents_create``. Only documents that are certainly new take
that path (no content hash, and no document of the region that ``documents.identity`` would call the same, in
the database or earlier in the batch). The caller sends everything else, and every file of a batch that
fails for any reason, through ``document_ingest`` one file at a time, so a bad file is still reported on its
own and leaves the database as it was, while the other files import.
"""

from __future__ import annotations

from collections.abc import Sequence

from .identity import Identity, candidates_lookup, number_clash_warnings, same_document
from .models import Document
from .services import NewDocument


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
