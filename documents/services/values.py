"""Records as plain values: the fields an import writes and the forms the three-way merge compares."""

from __future__ import annotations

import datetime as dt

from measures.models import Measure

from ..ingest.types import ParsedDocument, ParsedMeasure
from ..merge import MeasureKey, content_fingerprint, fingerprint
from ..models import Organization, Region
from .context import IngestContext

# Document fields a person may correct in the admin, which a re-import therefore merges three ways.
DOCUMENT_MERGED_FIELDS = {
    "title": "标题",
    "policy_title": "政策名称",
    "doc_number": "文号",
    "doc_type": "类型",
    "issuer": "发文机关",
    "region": "地区",
    "issue_date": "成文日期",
    "year": "年份",
    "valid_from": "有效期起",
    "valid_until": "有效期止",
    "validity_clause": "有效期条款",
    "source_url": "来源网址",
    "preamble": "前言",
}


MEASURE_MERGED_FIELDS = {
    "number": "编号",
    "chapter": "章节",
    "title": "标题",
    "text": "正文",
    "kind": "类别",
    "departments": "责任部门",
}


def document_fields(parsed: ParsedDocument, *, source_name: str, context: IngestContext) -> dict:
    region = context.region(parsed.region)
    issuer = context.organization(parsed.issuer, region) if parsed.issuer else None
    validity = parsed.validity
    year = parsed.year or (parsed.issue_date.year if parsed.issue_date else None)
    return {
        "title": parsed.title,
        "policy_title": parsed.policy_title if parsed.policy_title != parsed.title else "",
        "doc_number": parsed.doc_number,
        "doc_type": parsed.doc_type,
        "issuer": issuer,
        "region": region,
        "issue_date": parsed.issue_date,
        "year": year,
        "valid_from": validity.valid_from if validity else None,
        "valid_until": validity.valid_until if validity else None,
        "validity_clause": validity.clause if validity else "",
        "source_name": source_name,
        "source_url": parsed.source_url,
        "content_hash": parsed.content_hash,
        "encoding": parsed.encoding,
        "raw_text": parsed.raw_text,
        "clean_text": parsed.clean_text,
        "preamble": parsed.preamble,
        "import_warnings": "\n".join(parsed.warnings),
        "provenance": dict(parsed.provenance),
        "topic": parsed.topic[:100],
    }


def _plain(value):
    """A field value as the JSON an import base stores: names for related rows, ISO dates."""
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, (Organization, Region)):
        return value.name
    return value


def document_values(values: dict) -> dict:
    """A document's mergeable fields in plain form (names for related rows, ISO dates)."""
    return {name: _plain(values.get(name)) for name in DOCUMENT_MERGED_FIELDS}


def document_base(values: dict) -> dict:
    """The import base of a document: fingerprints of its mergeable fields as the source gives them."""
    return {name: fingerprint(value) for name, value in document_values(values).items()}


def _assign(instance, values: dict) -> bool:
    """Set ``values`` on ``instance``; True if anything changed."""
    changed = False
    for name, value in values.items():
        if getattr(instance, name) != value:
            setattr(instance, name, value)
            changed = True
    return changed


def measure_values(parsed: ParsedMeasure) -> dict:
    return {
        "number": parsed.number,
        "chapter": parsed.chapter,
        "title": parsed.title,
        "text": parsed.text,
        "kind": parsed.kind,
    }


def measure_source_values(parsed: ParsedMeasure) -> dict:
    """A parsed measure's fields and departments (as written), in the form the merge compares."""
    return {**measure_values(parsed), "departments": [[ref.name, ref.role, ref.note] for ref in parsed.departments]}


def measure_base(parsed: ParsedMeasure) -> dict:
    """The import base of a measure: fingerprints of what the source gives, and of its words for alignment."""
    values = measure_source_values(parsed)
    return {
        **{name: fingerprint(value) for name, value in values.items()},
        "content": content_fingerprint(parsed.title, parsed.text),
    }


def stored_measure_values(measure: Measure) -> dict:
    """A stored measure in the form of ``measure_base``: what it holds now, corrections included."""
    links = sorted(measure.department_links.all(), key=lambda link: link.position)
    return {
        **{name: getattr(measure, name) for name in MEASURE_MERGED_FIELDS if name != "departments"},
        "departments": [[link.name_as_written or link.organization.name, link.role, link.note] for link in links],
    }


def source_key(measure: Measure, current: dict) -> MeasureKey:
    """What alignment knows of ``measure``: the old source's words (by digest) when it has an import base,
    and the words it holds now to compare a changed measure with."""
    key = MeasureKey.of(current["number"], current["title"], current["text"])
    base = measure.import_base or {}
    return MeasureKey(base.get("number", key.number), base.get("content", key.content), key.words)
