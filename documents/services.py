"""Writes for documents: ingest parsed documents, resolve citations, merge organizations.

Every function here changes the database inside one transaction, so a failure
leaves the knowledge base as it was. Reads live in ``documents.selectors``.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from measures.derive import Derived, derive_all
from measures.models import Measure, MeasureDepartment
from measures.services import ThemeRules, measures_after_write, measures_themes_create, theme_rules
from measures.tokenize import ANALYZER_VERSION
from policybase import bulkload

from .identity import Identity, number_clash_warnings, same_document
from .ingest.citations import normalise_doc_number
from .ingest.types import DepartmentRef, ParsedDocument, ParsedMeasure
from .merge import Conflict, MeasureKey, align, content_fingerprint, fingerprint, merge
from .models import Article, ChronicleEntry, Citation, Document, Organization, OrganizationAlias, Region
from .organizations import canonical_department, home_region, organization_kind
from .regions import placement

logger = logging.getLogger(__name__)


@dataclass
class IngestResult:
    document: Document
    action: str  # "created" | "updated" | "unchanged"
    measures_created: int = 0
    measures_updated: int = 0
    measures_deleted: int = 0
    warnings: list[str] = field(default_factory=list)
    # Values both a person and the new source changed: the person's is kept unless the editor chose the source's.
    conflicts: list[Conflict] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)  # 「（三）正文」: a person's correction the source did not touch

    def summary(self) -> str:
        labels = {"created": "新建", "updated": "更新", "unchanged": "未变"}
        parts = [f"{labels[self.action]}《{self.document.title}》"]
        if self.document.doc_type == Document.DocType.PERIODICAL:
            parts.append(
                f"文章 {self.document.articles.count()} 篇，大事记 {self.document.chronicle_entries.count()} 条"
            )
        else:
            parts.append(
                f"措施 新增 {self.measures_created} / 更新 {self.measures_updated} / 删除 {self.measures_deleted}"
            )
        return "，".join(parts)


class IngestContext:
    """What one import run looks up again and again: regions, organisations, the theme rules.

    Lookups are cached for the run, so importing ten thousand documents resolves 市商务局 of 深圳市
    once, not once per measure. Rows created inside a transaction that later rolls back must not
    stay cached: the importer calls ``forget()`` after a failed file.
    """

    def __init__(self, rules: ThemeRules | None = None):
        self._rules = rules
        self._regions: dict[str, Region] = {}
        self._organizations: dict[tuple[str, int], Organization] = {}

    @property
    def rules(self) -> ThemeRules:
        if self._rules is None:
            self._rules = theme_rules()
        return self._rules

    def region(self, name: str) -> Region:
        if name not in self._regions:
            self._regions[name] = region_get_or_create(name=name)
        return self._regions[name]

    def organization(self, name_as_written: str, region: Region) -> Organization:
        key = (name_as_written.strip(), region.pk)
        if key not in self._organizations:
            self._organizations[key] = organization_resolve(name_as_written=name_as_written, region=region)
        return self._organizations[key]

    def forget(self) -> None:
        self._regions.clear()
        self._organizations.clear()


def region_get_or_create(*, name: str) -> Region:
    """The region named ``name``, created (with its known parents) if missing."""
    region = Region.objects.filter(name=name).first()
    if region is not None:
        return region
    level, parent_name, order = placement(name)
    parent = region_get_or_create(name=parent_name) if parent_name else None
    region = Region(name=name, level=level, parent=parent, sort_order=order)
    region.full_clean()
    region.save()
    return region


def organization_resolve(*, name_as_written: str, region: Region) -> Organization:
    """The organization a document of ``region`` means by ``name_as_written``.

    An alias recorded for the region (or for every region) wins, so a merge
    done by an administrator holds for later imports.
    """
    name_as_written = name_as_written.strip()
    alias = (
        OrganizationAlias.objects.filter(Q(region=region) | Q(region=None), name=name_as_written)
        .select_related("organization")
        .order_by("region")  # the region-scoped alias before the general one
        .first()
    )
    if alias is not None:
        return alias.organization
    name = canonical_department(name_as_written, region_name=region.name)
    alias = OrganizationAlias.objects.filter(name=name, region=None).select_related("organization").first()
    if alias is not None:
        return alias.organization
    organization = Organization.objects.filter(name=name).first()
    if organization is None:
        home = home_region(name, region_name=region.name)
        organization = Organization(
            name=name,
            kind=organization_kind(name),
            region=region if home == region.name else region_get_or_create(name=home),
        )
        organization.full_clean()
        organization.save()
    if name != name_as_written:
        OrganizationAlias.objects.get_or_create(name=name_as_written, region=region, organization=organization)
    return organization


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
    }


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
    from .ingest.errors import IngestError

    if not parsed.region:
        raise IngestError("无法确定文件所属地区：请用 --region 指定（如 深圳市）。")
    if not (parsed.year or parsed.issue_date):
        raise IngestError("无法确定文件年份：请用 --date 或 --year 指定。")
    context = context or IngestContext()
    if derived is None:
        derived = derive_all(parsed.measures, rules=context.rules.compiled)
    if len(derived) != len(parsed.measures):
        raise ValueError("derived must give one entry per parsed measure")

    warnings = list(parsed.warnings)
    existing = _find_existing(parsed, source_name, warnings)
    if existing is not None and existing.content_hash == parsed.content_hash and not (force or take_theirs):
        return IngestResult(document=existing, action="unchanged")

    values = document_fields(parsed, source_name=source_name, context=context)
    result = IngestResult(document=existing, action="updated", warnings=warnings)
    if existing is None:
        document = Document(**values, import_base=document_base(values))
        result.action = "created"
    else:
        document = existing
        if not _merge_document(document, values, result, take_theirs=set(take_theirs)):
            result.action = "unchanged"
    result.document = document
    document.full_clean(validate_unique=False, exclude=["issuer", "region"])  # both just resolved
    if result.action != "unchanged":
        document.save()
    _write_co_issuers(document, parsed, context)

    created = result.action == "created"
    changed_measures = _write_measures(
        document, parsed.measures, derived, result, context, created=created, take_theirs=set(take_theirs)
    )
    if not created or parsed.articles or parsed.chronicle:
        _write_periodical_parts(document, parsed)
    _write_citations(document, parsed, created=created)
    citations_resolve(documents=[document])
    measures_after_write(measure_ids=changed_measures)
    if result.action == "unchanged" and (result.measures_created or result.measures_updated or result.measures_deleted):
        result.action = "updated"
    return result


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


def _write_measures(
    document: Document,
    parsed_measures: list[ParsedMeasure],
    derived: Sequence[Derived],
    result: IngestResult,
    context: IngestContext,
    *,
    created: bool,
    take_theirs: set[str],
) -> list[int]:
    """Bring the document's measures in line with ``parsed_measures``; return ids of changed existing ones.

    Old and new measures are aligned by content (``documents.merge.align``); a matched measure is merged three
    ways, field by field, so a person's correction survives. A measure the new source no longer has is deleted,
    unless a person corrected it: then it stays (reported as a conflict) until the editor chooses to remove it.
    New measures go through ``measures_insert``, as in a batch import.
    """
    if created:
        result.measures_created += len(
            measures_insert(list(_triples(document, parsed_measures, derived)), context=context)
        )
        return []
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


def _triples(document: Document, parsed_measures: list[ParsedMeasure], derived: Sequence[Derived]):
    return ((document, parsed, extra) for parsed, extra in zip(parsed_measures, derived, strict=True))


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
    current_articles = list(document.articles.values_list("ordinal", "title", "subtitle", "text", "page"))
    wanted_articles = [(a.ordinal, a.title, a.subtitle, a.text, a.page) for a in parsed.articles]
    if current_articles != wanted_articles:
        document.articles.all().delete()
        Article.objects.bulk_create(
            Article(document=document, ordinal=o, title=t, subtitle=s, text=x, page=p)
            for o, t, s, x, p in wanted_articles
        )
    current_entries = list(document.chronicle_entries.values_list("ordinal", "number", "title", "text", "date"))
    wanted_entries = [(e.ordinal, e.number, e.title, e.text, e.date) for e in parsed.chronicle]
    if current_entries != wanted_entries:
        document.chronicle_entries.all().delete()
        ChronicleEntry.objects.bulk_create(
            ChronicleEntry(document=document, ordinal=o, number=n, title=t, text=x, date=d)
            for o, n, t, x, d in wanted_entries
        )


def citation_values(document: Document, parsed: ParsedDocument) -> list[tuple[str, str]]:
    """(cited title, cited 文号) in order, each title once, the document's own titles left out."""
    own_titles = {document.title, document.policy_title} - {""}
    wanted: list[tuple[str, str]] = []
    for citation in parsed.citations:
        if citation.title in own_titles or citation.title in {w[0] for w in wanted}:
            continue
        wanted.append((citation.title[:300], citation.doc_number))
    return wanted


def _write_citations(document: Document, parsed: ParsedDocument, *, created: bool = False) -> None:
    wanted = citation_values(document, parsed)
    if not created:
        current = list(document.citations.order_by("position").values_list("cited_title", "cited_doc_number"))
        if current == wanted:
            return
    elif not wanted:
        return
    document.citations.all().delete()
    Citation.objects.bulk_create(
        Citation(citing=document, cited_title=title, cited_doc_number=number, position=position)
        for position, (title, number) in enumerate(wanted)
    )


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


@transaction.atomic
def organization_merge(*, target: Organization, sources: list[Organization]) -> int:
    """Merge ``sources`` into ``target``: their documents, measures and names move over.

    Each source's name (and its aliases) becomes an alias of the target, so
    later imports that write the old spelling land on the target. Returns the
    number of organizations merged.
    """
    merged = 0
    for source in sources:
        if source.pk == target.pk:
            continue
        Document.objects.filter(issuer=source).update(issuer=target)
        for link in MeasureDepartment.objects.filter(organization=source):
            if MeasureDepartment.objects.filter(measure=link.measure_id, organization=target, role=link.role).exists():
                link.delete()
            else:
                link.organization = target
                link.save(update_fields=["organization"])
        for alias in source.aliases.all():
            if OrganizationAlias.objects.filter(name=alias.name, region=alias.region, organization=target).exists():
                alias.delete()
            else:
                alias.organization = target
                alias.save(update_fields=["organization"])
        source_name, source_region = source.name, source.region
        source.delete()
        OrganizationAlias.objects.get_or_create(name=source_name, region=None, defaults={"organization": target})
        if source_region is not None and source_region != target.region:
            logger.info("merged %s (%s) into %s", source_name, source_region, target)
        merged += 1
    return merged
