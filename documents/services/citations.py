"""Citations between documents, linked to the documents they name."""

from __future__ import annotations

from django.db.models import Q

from ..ingest.citations import normalise_doc_number
from ..models import Citation, Document


def citations_resolve(*, documents: list[Document] | None = None) -> int:
    """Link citations to the documents they name; return how many links changed.

    Run after every import, in both directions: the new document's own citations, and older
    citations that name the new document (or pointed at it before its title or 文号 changed).
    A citation resolves by 文号 first, then by title; a document never cites itself. Only the
    candidates are read, so resolving after each of ten thousand imports stays cheap.
    """
    candidates = Citation.objects.all()
    if documents is not None:
        numbers = [d.doc_number for d in documents if d.doc_number]
        titles = [t for d in documents for t in (d.title, d.policy_title) if t]
        candidates = candidates.filter(
            Q(citing__in=documents)
            | Q(cited_doc_number__in=numbers)
            | Q(cited_title__in=titles)
            | Q(cited__in=documents)
        )
    citations = list(candidates.only("pk", "citing_id", "cited_id", "cited_title", "cited_doc_number"))
    if not citations:
        return 0
    numbers = {c.cited_doc_number for c in citations if c.cited_doc_number}
    titles = {c.cited_title for c in citations}
    by_number: dict[str, int] = {}
    by_title: dict[str, int] = {}
    targets = (
        Document.objects.filter(Q(doc_number__in=numbers) | Q(title__in=titles) | Q(policy_title__in=titles))
        .order_by("pk")
        .values_list("pk", "doc_number", "title", "policy_title")
    )
    for pk, number, title, policy_title in targets:
        if number:
            by_number.setdefault(normalise_doc_number(number) or number, pk)
        for name in (title, policy_title):
            if name:
                by_title.setdefault(name, pk)
    changed = []
    for citation in citations:
        target = by_number.get(citation.cited_doc_number) if citation.cited_doc_number else None
        target = target or by_title.get(citation.cited_title)
        if target == citation.citing_id:
            target = None
        if citation.cited_id != target:
            citation.cited_id = target
            changed.append(citation)
    Citation.objects.bulk_update(changed, ["cited"], batch_size=500)
    return len(changed)
