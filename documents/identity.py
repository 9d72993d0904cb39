"""When two sources are the same document: the rule a re-import and a batch import share.

The same bytes (content hash) are the same document. Otherwise a document of the same region
is the same one when at least two of 文号, title, source file name and issue date agree and
none of 文号, title and issue date that both sides know differs. One agreeing field is not
enough: an office issues notices of the same title year after year, and a 文号 is sometimes
reused or mistyped. A differing 文号, title or date says "another document": merging two
documents would overwrite one with the other, while a duplicate is visible and easy to remove.
An edited re-export of a file keeps its 文号, title and date (the file name may change).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Q

from .ingest.types import ParsedDocument


@dataclass(frozen=True)
class Identity:
    region: str
    doc_number: str = ""
    title: str = ""
    source_name: str = ""
    issue_date: dt.date | None = None

    # what of_document and all_of_document read
    FIELDS = ("pk", "region__name", "doc_number", "title", "source_name", "issue_date", "import_base")

    @classmethod
    def of_parsed(cls, parsed: ParsedDocument, source_name: str) -> Identity:
        return cls(parsed.region, parsed.doc_number, parsed.title, source_name, parsed.issue_date)

    @classmethod
    def of_document(cls, document) -> Identity:
        return cls(document.region.name, document.doc_number, document.title, document.source_name, document.issue_date)

    @classmethod
    def all_of_document(cls, document) -> list[Identity]:
        """The stored document as it is now and as its source said at the last import.

        After an editor corrects a 文号 or a title, the next import of the (changed) source still
        carries the old value: it must find the document by what the source said, not create a twin.
        """
        current = cls.of_document(document)
        base = document.import_base or {}
        if not base:
            return [current]
        source = cls(
            base.get("region") or current.region,
            _plain(base.get("doc_number", current.doc_number)),
            _plain(base.get("title", current.title)),
            current.source_name,
            dt.date.fromisoformat(base["issue_date"]) if base.get("issue_date") else current.issue_date,
        )
        return [current] if source == current else [current, source]

    def lookup(self) -> Q:
        """Rows that could be the same document, for the database to narrow (see ``candidates_lookup``)."""
        return candidates_lookup([self])


def candidates_lookup(identities: list[Identity]) -> Q:
    """Documents that could be the same as any of ``identities``: sharing a 文号 or a file name, or a
    title and an issue date. A superset (the region and the two-field rule are checked by
    ``same_document``), in three plain index look-ups rather than one condition per identity.
    """
    numbers = {i.doc_number for i in identities if i.doc_number}
    names = {i.source_name for i in identities if i.source_name}
    titles = {i.title for i in identities if i.title and i.issue_date}
    dates = {i.issue_date for i in identities if i.title and i.issue_date}
    found = Q(pk__in=[])
    if numbers:
        found |= Q(doc_number__in=sorted(numbers))
    if names:
        found |= Q(source_name__in=sorted(names))
    if titles:
        found |= Q(title__in=sorted(titles), issue_date__in=sorted(dates))
    return found


def agreements(a: Identity, b: Identity) -> int:
    return sum(
        1 for x, y in ((a.doc_number, b.doc_number), (a.title, b.title), (a.source_name, b.source_name)) if x and x == y
    ) + (1 if a.issue_date and a.issue_date == b.issue_date else 0)


def conflicts(a: Identity, b: Identity) -> bool:
    """A 文号, title or issue date both sides know, and differently."""
    return any(
        x and y and x != y for x, y in ((a.doc_number, b.doc_number), (a.title, b.title), (a.issue_date, b.issue_date))
    )


def same_document(a: Identity, b: Identity) -> bool:
    return a.region == b.region and agreements(a, b) >= 2 and not conflicts(a, b)


def number_clash_warnings(identity: Identity, candidates) -> list[str]:
    """A warning when another document of the region already has this 文号 (but is not this one).

    ``candidates``: documents with their region loaded (``select_related``).
    """
    clash = next(
        (
            c
            for c in candidates
            if identity.doc_number and c.doc_number == identity.doc_number and c.region.name == identity.region
        ),
        None,
    )
    if clash is None:
        return []
    return [
        f"文号 {identity.doc_number} 已用于《{clash.title}》（ID {clash.pk}）；"
        "标题或日期不同，按另一份文件导入。请核对文号。"
    ]


def _plain(value) -> str:
    """A base value as text to compare; a digest (a title too long to keep) compares as unknown."""
    return "" if not isinstance(value, str) or value.startswith("sha1:") else value
