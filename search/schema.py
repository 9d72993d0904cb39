"""The index's fields, and how a measure (or a document) becomes an index entry.

A measure's entry holds the analyzer's stored tokens (``title``/``body``, ranked by BM25), its
normalised characters with positions (``title_chars``/``body_chars``: phrases match the original
characters in order, not sub-word tokens), and every attribute a filter or facet reads, as fast
fields: document, region, year, type, validity dates (in force is decided at query time from
them), themes (every active link: ancestors are linked too), departments by role, kind, and the
date order as one sortable key. A document's entry (``entity`` "d") holds its title tokens and
its 文号, so a query naming a document finds it. One entry ("meta") holds the index's identity
and position.

Pure functions of rows: ``search.index`` reads the rows, this module shapes them.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from dataclasses import dataclass, field

import tantivy

from measures.tokenize import normalise

TOKENS = "tokens"  # whitespace: the stored tokens are already segmented and normalised
SCHEMA_VERSION = "2"  # bump when fields or entries change: every index is rebuilt

MEASURE, DOCUMENT, META = "m", "d", "meta"
NO_DATE = -(10**6)  # a validity date the text does not state (before every real day)
_EPOCH = dt.date(1970, 1, 1)
_CHAR_RE = re.compile(r"[0-9a-z\u3400-\u9fff]")
_DOC_NUMBER_RE = re.compile(r"^(.*?)[〔\[(（【﹝]?((?:19|20)\d\d)[〕\])）】﹞]?(?:第)?(\d+)号?$")

ROLES = ("lead", "responsible", "cooperate")


def build_schema() -> tantivy.Schema:
    builder = tantivy.SchemaBuilder()
    builder.add_text_field("key", stored=True, tokenizer_name="raw", index_option="basic")
    builder.add_text_field("entity", tokenizer_name="raw", index_option="basic", fast=True)
    builder.add_unsigned_field("id", stored=True, indexed=True, fast=True)
    builder.add_unsigned_field("document", indexed=True, fast=True)
    builder.add_unsigned_field("region", indexed=True, fast=True)
    builder.add_integer_field("year", indexed=True, fast=True)
    builder.add_text_field("doc_type", tokenizer_name="raw", index_option="basic", fast=True)
    builder.add_text_field("kind", tokenizer_name="raw", index_option="basic", fast=True)
    builder.add_integer_field("valid_from", indexed=True, fast=True)
    builder.add_integer_field("valid_until", indexed=True, fast=True)
    builder.add_unsigned_field("themes", indexed=True, fast=True)
    builder.add_unsigned_field("department", indexed=True, fast=True)
    for role in ROLES:
        builder.add_unsigned_field(role, indexed=True, fast=True)
    builder.add_integer_field("date_key", fast=True)
    builder.add_text_field("title", tokenizer_name=TOKENS, index_option="freq")
    builder.add_text_field("body", tokenizer_name=TOKENS, index_option="freq")
    builder.add_text_field("text", tokenizer_name=TOKENS, index_option="basic")  # both, for matching only
    builder.add_text_field("title_chars", tokenizer_name=TOKENS, index_option="position")
    builder.add_text_field("body_chars", tokenizer_name=TOKENS, index_option="position")
    builder.add_text_field("doc_number", tokenizer_name="raw", index_option="basic")
    builder.add_unsigned_field("digest", stored=True, fast=True)
    # The meta entry's fields.
    builder.add_text_field("identity", stored=True, tokenizer_name="raw", index_option="basic")
    builder.add_unsigned_field("position", stored=True)
    builder.add_unsigned_field("last_change", stored=True)
    return builder.build()


def register_tokenizers(index: tantivy.Index) -> None:
    index.register_tokenizer(TOKENS, tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.whitespace()).build())


# --- values ----------------------------------------------------------------------------------------


def day(value: dt.date | None) -> int:
    return (value - _EPOCH).days if value else NO_DATE


def chars(text: str) -> str:
    """The characters a phrase is matched against: normalised (width, traditional, case), letters,
    digits and CJK only, one token each."""
    return " ".join(_CHAR_RE.findall(normalise(text or "")))


def phrase_chars(text: str) -> list[str]:
    return chars(text).split()


def date_key(year: int, issue_date: dt.date | None, document_id: int, ordinal: int) -> int:
    """One integer whose descending order is the list's date order: year (newest first), issue date
    (newest first, unknown last), then document id and measure number ascending."""
    years = min(max(year - 1900, 0), 255)
    days = min(max((issue_date - dt.date(year - 1, 1, 1)).days + 1, 1), 1023) if issue_date else 0
    document = (2**31 - 1) - min(document_id, 2**31 - 1)
    number = 8191 - min(ordinal, 8191)
    return ((((years << 10) | days) << 31 | document) << 13) | number


def doc_number_key(text: str) -> str:
    """A 文号 as people type it, in one spelling: brackets, spaces and width do not matter
    (穗府办函〔2019〕2号 = 穗府办函[2019]2 = 穗府办函（2019）2号)."""
    value = re.sub(r"\s+", "", normalise(text or ""))
    match = _DOC_NUMBER_RE.match(value)
    if match and match[1]:
        return f"{match[1]}|{match[2]}|{int(match[3])}"
    return value


# --- entries ---------------------------------------------------------------------------------------


@dataclass
class MeasureRow:
    id: int
    document_id: int
    ordinal: int
    kind: str
    title: str
    text: str
    search_title: str
    search_body: str
    region_id: int
    year: int
    doc_type: str
    issue_date: dt.date | None
    valid_from: dt.date | None
    valid_until: dt.date | None
    themes: list[int] = field(default_factory=list)
    departments: dict[str, list[int]] = field(default_factory=dict)  # role → organisation ids


@dataclass
class DocumentRow:
    id: int
    title: str
    policy_title: str
    doc_number: str
    search_title: str  # the analyzer's tokens of the title (and policy title)
    region_id: int
    year: int
    doc_type: str
    issue_date: dt.date | None
    valid_from: dt.date | None
    valid_until: dt.date | None


def _common(document: tantivy.Document, row) -> None:
    document.add_unsigned("region", row.region_id)
    document.add_integer("year", row.year)
    document.add_text("doc_type", row.doc_type)
    document.add_integer("valid_from", day(row.valid_from))
    document.add_integer("valid_until", day(row.valid_until))


def measure_entry(row: MeasureRow, *, digest: int | None = None) -> tantivy.Document:
    """A measure's entry; ``digest``: its measure_digest, when the caller has it already."""
    document = tantivy.Document()
    document.add_text("key", f"{MEASURE}{row.id}")
    document.add_text("entity", MEASURE)
    document.add_unsigned("id", row.id)
    document.add_unsigned("document", row.document_id)
    _common(document, row)
    document.add_text("kind", row.kind)
    for theme in sorted(set(row.themes)):
        document.add_unsigned("themes", theme)
    everyone = set()
    for role in ROLES:
        for organisation in sorted(set(row.departments.get(role, ()))):
            document.add_unsigned(role, organisation)
            everyone.add(organisation)
    for organisation in sorted(everyone):
        document.add_unsigned("department", organisation)
    document.add_integer("date_key", date_key(row.year, row.issue_date, row.document_id, row.ordinal))
    document.add_text("title", row.search_title)
    document.add_text("body", row.search_body)
    document.add_text("text", f"{row.search_title} {row.search_body}")
    document.add_text("title_chars", chars(row.title))
    document.add_text("body_chars", chars(row.text))
    document.add_unsigned("digest", measure_digest(row) if digest is None else digest)
    return document


def document_entry(row: DocumentRow, *, digest: int | None = None) -> tantivy.Document:
    document = tantivy.Document()
    document.add_text("key", f"{DOCUMENT}{row.id}")
    document.add_text("entity", DOCUMENT)
    document.add_unsigned("id", row.id)
    document.add_unsigned("document", row.id)
    _common(document, row)
    document.add_integer("date_key", date_key(row.year, row.issue_date, row.id, 0))
    document.add_text("title", row.search_title)
    document.add_text("text", row.search_title)
    document.add_text("title_chars", chars(row.policy_title or row.title))
    if row.policy_title and row.policy_title != row.title:
        document.add_text("body_chars", chars(row.title))
    if row.doc_number:
        document.add_text("doc_number", doc_number_key(row.doc_number))
    document.add_unsigned("digest", document_digest(row) if digest is None else digest)
    return document


def meta_entry(*, identity: str, position: int, last_change: int) -> tantivy.Document:
    document = tantivy.Document()
    document.add_text("key", META)
    document.add_text("entity", META)
    document.add_text("identity", identity)
    document.add_unsigned("position", position)
    document.add_unsigned("last_change", last_change)
    return document


def _digest(*parts) -> int:
    text = "\x1f".join(str(part) for part in parts)
    return int.from_bytes(hashlib.blake2b(text.encode(), digest_size=8).digest(), "big") >> 1


def measure_digest(row: MeasureRow) -> int:
    """What the entry was made from, in one number: ``rebuild_search_index --check`` compares it."""
    departments = [sorted(set(row.departments.get(role, ()))) for role in ROLES]
    return _digest(
        SCHEMA_VERSION,
        row.document_id,
        row.ordinal,
        row.kind,
        row.title,
        row.text,
        row.search_title,
        row.search_body,
        row.region_id,
        row.year,
        row.doc_type,
        row.issue_date,
        row.valid_from,
        row.valid_until,
        sorted(set(row.themes)),
        departments,
    )


def document_digest(row: DocumentRow) -> int:
    return _digest(
        SCHEMA_VERSION,
        row.title,
        row.policy_title,
        row.doc_number,
        row.search_title,
        row.region_id,
        row.year,
        row.doc_type,
        row.issue_date,
        row.valid_from,
        row.valid_until,
    )
