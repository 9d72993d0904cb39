"""Importing one parsed document: create it, or bring the stored one in line with the new source while
keeping what people corrected (``documents.merge``)."""

from __future__ import annotations

from collections.abc import Collection, Sequence

from django.db import transaction
from django.db.models import F

from measures.derive import Derived, derive_document
from measures.models import Measure, MeasureDepartment
from measures.services import measures_after_write
from policybase.concurrency import version_bump

from ..identity import Identity, number_clash_warnings, same_document
from ..ingest.errors import IngestError
from ..ingest.types import DepartmentRef, ParsedDocument, ParsedMeasure
from ..merge import Conflict, MeasureKey, align, fingerprint, merge
from ..models import Article, ChronicleEntry, Citation, Document, Region
from .citations import citations_resolve
from .context import IngestContext, IngestResult
from .create import NewDocument, citation_values, department_links, documents_create, measures_insert
from .values import (
    DOCUMENT_MERGED_FIELDS,
    MEASURE_MERGED_FIELDS,
    _assign,
    document_fields,
    document_values,
    measure_base,
    measure_source_values,
    source_key,
    stored_measure_values,
)


@transaction.atomic
def document_ingest(
    *,
    parsed: ParsedDocument,
    source_name: str = "",
    force: bool = False,
    derived: Sequence[Derived] | None = None,
    context: IngestContext | None = None,
    take_theirs: Collection[str] = (),
) -> IngestResult:
    """Create or update the document ``parsed`` describes, with all its parts.

    A source already imported with the same content is left alone (``unchanged``) unless ``force``; a
    changed source updates the same document in place (``_find_existing`` says how a document is
    recognised). Every value a person corrected since the last import is kept, and a value both the person
    and the new source changed is reported in ``conflicts``: the person's stays unless its key is in
    ``take_theirs``. Measures are matched to the new text by content (``documents.merge.align``), so their
    ids, history and the themes a person set stay with them when items are inserted, removed or moved.

    ``derived`` are the measures' search tokens and theme scores when the caller computed them already (the
    importer does, in worker processes); ``context`` caches lookups over many files. New measures, their
    departments, themes and history rows are written set-based: a few queries per document, whatever its
    number of measures.
    """
    if not parsed.region:
        raise IngestError("无法确定文件所属地区：请用 --region 指定（如 深圳市）。")
    if not (parsed.year or parsed.issue_date):
        raise IngestError("无法确定文件年份：请用 --date 或 --year 指定。")
    context = context or IngestContext()
    if derived is None:
        derived = derive_document(parsed, rules=context.rules.compiled)
    if len(derived) != len(parsed.measures):
        raise ValueError("derived must give one entry per parsed measure")

    clashes: list[str] = []
    existing = _find_existing(parsed, source_name, clashes)
    if existing is None:
        item = NewDocument(parsed, derived, source_name)
        return documents_create(items=[item], context=context, warnings={id(item): clashes})[0]
    if existing.content_hash == parsed.content_hash and not (force or take_theirs):
        return IngestResult(document=existing, action="unchanged")
    return _update(existing, parsed, derived, source_name, context, set(take_theirs), [*parsed.warnings, *clashes])


def _update(
    document: Document,
    parsed: ParsedDocument,
    derived: Sequence[Derived],
    source_name: str,
    context: IngestContext,
    take_theirs: set[str],
    warnings: list[str],
) -> IngestResult:
    """Bring a stored document and its parts in line with a new source, keeping people's corrections."""
    values = document_fields(parsed, source_name=source_name, context=context)
    result = IngestResult(document=document, action="updated", warnings=warnings)
    if _merge_document(document, values, result, take_theirs=take_theirs):
        document.full_clean(validate_unique=False, exclude=["issuer", "region"])  # both just resolved
        document.save()
    else:
        result.action = "unchanged"
    _write_co_issuers(document, parsed, context)
    changed_measures = _write_measures(document, parsed.measures, derived, result, context, take_theirs=take_theirs)
    _write_periodical_parts(document, parsed)
    _write_citations(document, parsed)
    citations_resolve(documents=[document])
    measures_after_write(measure_ids=changed_measures)
    if result.action == "unchanged" and (result.measures_created or result.measures_updated or result.measures_deleted):
        result.action = "updated"
    return result


def _find_existing(parsed: ParsedDocument, source_name: str, result_warnings: list[str]) -> Document | None:
    """The document a re-import of this source should update, if any (see ``documents.identity``)."""
    existing = Document.objects.filter(content_hash=parsed.content_hash).first()
    if existing is not None:
        return existing
    identity = Identity.of_parsed(parsed, source_name)
    candidates = list(
        Document.objects.filter(identity.lookup()).select_related("region").only(*Identity.FIELDS).order_by("pk")
    )
    match = next(
        (c for c in candidates if any(same_document(identity, other) for other in Identity.all_of_document(c))), None
    )
    if match is not None:
        return Document.objects.get(pk=match.pk)
    result_warnings.extend(number_clash_warnings(identity, candidates))
    return None


def _merge_document(document: Document, values: dict, result: IngestResult, *, take_theirs: set[str]) -> bool:
    """Bring ``document`` to the new source's ``values`` keeping people's corrections; True if anything changed."""
    theirs = document_values(values)
    ours = document_values({name: getattr(document, name) for name in DOCUMENT_MERGED_FIELDS})
    merged = merge(
        document.import_base or {},
        ours,
        theirs,
        key="document",
        labels=DOCUMENT_MERGED_FIELDS,
        take_theirs=take_theirs.__contains__,
    )
    result.conflicts += merged.conflicts
    result.kept += [DOCUMENT_MERGED_FIELDS[name] for name in merged.kept]
    wanted = {name: value for name, value in values.items() if name not in DOCUMENT_MERGED_FIELDS}
    wanted |= {name: values[name] for name in DOCUMENT_MERGED_FIELDS if merged.values[name] == theirs[name]}
    wanted["import_base"] = merged.base
    return _assign(document, wanted)


def _write_co_issuers(document: Document, parsed: ParsedDocument, context: IngestContext) -> None:
    wanted = [context.organization(name, document.region) for name in parsed.co_issuers]
    current = list(document.co_issuers.all()) if document.pk else []
    if {o.pk for o in wanted} != {o.pk for o in current}:
        document.co_issuers.set(wanted)


def _write_measures(
    document: Document,
    parsed_measures: list[ParsedMeasure],
    derived: Sequence[Derived],
    result: IngestResult,
    context: IngestContext,
    *,
    take_theirs: set[str],
) -> list[int]:
    """Bring the document's measures in line with ``parsed_measures``; return ids of changed existing ones.

    Old and new measures are aligned by content (``documents.merge.align``); a matched measure is merged three
    ways, field by field, so a person's correction survives. A measure the new source no longer has is deleted,
    unless a person corrected it: then it stays (reported as a conflict) until the editor chooses to remove it.
    New measures go through ``measures_insert``, as in a batch import.
    """
    stored = list(document.measures.prefetch_related("department_links__organization").order_by("ordinal"))
    current = [stored_measure_values(measure) for measure in stored]
    pairs = align(
        [source_key(measure, values) for measure, values in zip(stored, current, strict=True)],
        [MeasureKey.of(p.number, p.title, p.text) for p in parsed_measures],
    )
    kept_removed = _remove_measures(
        [(stored[i], current[i]) for i, j in pairs if j is None], result, take_theirs=take_theirs
    )
    matched = [(stored[i], current[i], j) for i, j in pairs if i is not None and j is not None]
    _renumber(
        [(measure, parsed_measures[j].ordinal) for measure, _, j in matched]
        + [(measure, len(parsed_measures) + n) for n, measure in enumerate(kept_removed, start=1)]
    )
    changed: list[int] = []
    for measure, values, j in matched:
        if _merge_measure(
            measure, values, parsed_measures[j], result, context, region=document.region, take_theirs=take_theirs
        ):
            result.measures_updated += 1
            changed.append(measure.pk)
    new = [(document, parsed_measures[j], derived[j]) for i, j in pairs if i is None and j is not None]
    result.measures_created += len(measures_insert(new, context=context))
    return changed


def _remove_measures(
    removed: list[tuple[Measure, dict]], result: IngestResult, *, take_theirs: set[str]
) -> list[Measure]:
    """Delete measures the new source no longer has; keep (and report) those a person corrected."""
    kept = []
    for measure, values in removed:
        base = measure.import_base or {}
        edited = any(fingerprint(values[name]) != base[name] for name in MEASURE_MERGED_FIELDS if name in base)
        key = f"measure:{measure.pk}:removed"
        if edited and key not in take_theirs:
            result.conflicts.append(
                Conflict(key, f"{measure.number}{measure.title}", "保留（有人工修改）", "删除（新原文已无此条）")
            )
            kept.append(measure)
            continue
        measure._change_reason = "重新导入：原文已无此条"
        measure.delete()
        result.measures_deleted += 1
    return kept


def _renumber(wanted: list[tuple[Measure, int]]) -> None:
    """Give kept measures their new ordinals (bookkeeping: no history rows).

    The rows that move are first lifted above every ordinal in play, so no step collides on (document, ordinal).
    """
    moving = [(measure, ordinal) for measure, ordinal in wanted if measure.ordinal != ordinal]
    if not moving:
        return
    offset = 1 + max(max(m.ordinal for m, _ in wanted), max(ordinal for _, ordinal in wanted))
    Measure.objects.filter(pk__in=[m.pk for m, _ in moving]).update(ordinal=F("ordinal") + offset)
    for measure, ordinal in moving:
        measure.ordinal = ordinal
    Measure.objects.bulk_update([m for m, _ in moving], ["ordinal"], batch_size=500)
    Measure.objects.filter(pk__in=[m.pk for m, _ in moving]).update(**version_bump())


def _merge_measure(
    measure: Measure,
    current: dict,
    parsed: ParsedMeasure,
    result: IngestResult,
    context: IngestContext,
    *,
    region: Region,
    take_theirs: set[str],
) -> bool:
    """Merge one matched measure three ways; True if its text fields changed."""
    theirs = measure_source_values(parsed)
    labels = {name: f"{measure.number}{label}" for name, label in MEASURE_MERGED_FIELDS.items()}
    merged = merge(
        measure.import_base or {},
        current,
        theirs,
        key=f"measure:{measure.pk}",
        labels=labels,
        take_theirs=take_theirs.__contains__,
    )
    result.conflicts += merged.conflicts
    result.kept += [labels[name] for name in merged.kept]
    text_values = {name: merged.values[name] for name in MEASURE_MERGED_FIELDS if name != "departments"}
    changed = _assign(measure, text_values)
    if changed:
        measure.full_clean(validate_unique=False, exclude=["document"])
        measure._change_reason = "重新导入"
        measure.import_base = measure_base(parsed)
        measure.save()
    elif measure.import_base != measure_base(parsed):
        Measure.objects.filter(pk=measure.pk).update(import_base=measure_base(parsed))
    if merged.values["departments"] == theirs["departments"] and current["departments"] != theirs["departments"]:
        _write_departments(measure, parsed.departments, region, context)
        if not changed:
            result.measures_updated += 1
    return changed


def _write_departments(
    measure: Measure, refs: tuple[DepartmentRef, ...], region: Region, context: IngestContext
) -> bool:
    """Replace an existing measure's department rows when they differ from ``refs``; True if changed."""
    wanted = [MeasureDepartment(**row) for row in department_links(measure.pk, refs, region, context)]
    as_tuples = [(w.organization_id, w.role, w.position, w.name_as_written, w.note) for w in wanted]
    current = [
        (link.organization_id, link.role, link.position, link.name_as_written, link.note)
        for link in measure.department_links.order_by("position")
    ]
    if current == as_tuples:
        return False
    measure.department_links.all().delete()
    for link in wanted:
        link.save()
    return True


def _write_periodical_parts(document: Document, parsed: ParsedDocument) -> None:
    _replace_rows(
        document.articles.order_by("ordinal"),
        ("ordinal", "title", "subtitle", "text", "page"),
        [(a.ordinal, a.title, a.subtitle, a.text, a.page) for a in parsed.articles],
        lambda o, t, s, x, p: Article(document=document, ordinal=o, title=t, subtitle=s, text=x, page=p),
    )
    _replace_rows(
        document.chronicle_entries.order_by("ordinal"),
        ("ordinal", "number", "title", "text", "date"),
        [(e.ordinal, e.number, e.title, e.text, e.date) for e in parsed.chronicle],
        lambda o, n, t, x, d: ChronicleEntry(document=document, ordinal=o, number=n, title=t, text=x, date=d),
    )


def _write_citations(document: Document, parsed: ParsedDocument) -> None:
    _replace_rows(
        document.citations.order_by("position"),
        ("cited_title", "cited_doc_number"),
        citation_values(document, parsed),
        lambda title, number, position: Citation(
            citing=document, cited_title=title, cited_doc_number=number, position=position
        ),
        numbered=True,
    )


def _replace_rows(rows, fields: tuple[str, ...], wanted: list[tuple], make, *, numbered: bool = False) -> None:
    """Replace a document's rows of one kind (articles, chronicle, citations) when the new source's differ.

    ``numbered``: ``make`` also takes the row's position.
    """
    if list(rows.values_list(*fields)) == wanted:
        return
    rows.model.objects.filter(pk__in=rows.values("pk")).delete()
    rows.model.objects.bulk_create(
        make(*values, position) if numbered else make(*values) for position, values in enumerate(wanted)
    )
