"""Writes for documents: ingest parsed documents, resolve citations, merge organizations.

Every function here changes the database inside one transaction, so a failure
leaves the knowledge base as it was. Reads live in ``documents.selectors``.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from measures.derive import Derived, derive_all
from measures.models import Measure, MeasureDepartment
from measures.services import ThemeRules, measures_after_write, measures_themes_create, theme_rules
from measures.tokenize import ANALYZER_VERSION
from policybase import bulkload

from .identity import Identity, number_clash_warnings, same_document
from .ingest.citations import normalise_doc_number
from .ingest.types import DepartmentRef, ParsedDocument, ParsedMeasure
from .models import Article, ChronicleEntry, Citation, Document, Organization, OrganizationAlias, Region
from .organizations import canonical_name, organization_kind, region_of
from .regions import KNOWN_REGIONS, guess_level

logger = logging.getLogger(__name__)


@dataclass
class IngestResult:
    document: Document
    action: str  # "created" | "updated" | "unchanged"
    measures_created: int = 0
    measures_updated: int = 0
    measures_deleted: int = 0
    warnings: list[str] = field(default_factory=list)

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
    level, parent_name, order = KNOWN_REGIONS.get(name, (guess_level(name), None, 100))
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
    province = region.parent if region.level == Region.Level.CITY and region.parent else region
    province_name = province.name if province.level == Region.Level.PROVINCE else ""
    name = canonical_name(name_as_written, region_name=region.name, province_name=province_name)
    alias = OrganizationAlias.objects.filter(name=name, region=None).select_related("organization").first()
    if alias is not None:
        return alias.organization
    organization = Organization.objects.filter(name=name).first()
    if organization is None:
        home = region_of(name, region_name=region.name, province_name=province_name)
        organization = Organization(
            name=name, kind=organization_kind(name), region=region_get_or_create(name=home) if home else region
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
    match = next((c for c in candidates if same_document(identity, Identity.of_document(c))), None)
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
    }


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
) -> IngestResult:
    """Create or update the document ``parsed`` describes, with all its parts.

    A source already imported with the same content is left alone (``unchanged``)
    unless ``force``; a changed source updates the same document in place:
    measures are matched by ordinal, so their ids, history and the themes a person
    set stay (see ``_find_existing`` for how a document is recognised).

    ``derived`` are the measures' search tokens and theme scores when the caller computed them
    already (the importer does, in worker processes); ``context`` caches lookups over many files.
    New measures, their departments, themes and history rows are written set-based: a few
    queries per document, whatever its number of measures.
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
    if existing is not None and existing.content_hash == parsed.content_hash and not force:
        return IngestResult(document=existing, action="unchanged")

    values = document_fields(parsed, source_name=source_name, context=context)
    if existing is None:
        document = Document(**values)
        action = "created"
    else:
        document = existing
        action = "updated" if _assign(document, values) else "unchanged"
    document.full_clean(validate_unique=False, exclude=["issuer", "region"])  # both just resolved
    if action != "unchanged":
        document.save()

    result = IngestResult(document=document, action=action, warnings=warnings)
    created = action == "created"
    changed_measures = _write_measures(document, parsed.measures, derived, result, context, created=created)
    if not created or parsed.articles or parsed.chronicle:
        _write_periodical_parts(document, parsed)
    _write_citations(document, parsed, created=created)
    citations_resolve(documents=[document])
    measures_after_write(measure_ids=changed_measures)
    if action == "unchanged" and (result.measures_created or result.measures_updated or result.measures_deleted):
        result.action = "updated"
    return result


def measure_values(parsed: ParsedMeasure) -> dict:
    return {
        "number": parsed.number,
        "chapter": parsed.chapter,
        "title": parsed.title,
        "text": parsed.text,
        "kind": parsed.kind,
    }


def _write_measures(
    document: Document,
    parsed_measures: list[ParsedMeasure],
    derived: Sequence[Derived],
    result: IngestResult,
    context: IngestContext,
    *,
    created: bool,
) -> list[int]:
    """Bring the document's measures in line with ``parsed_measures``; return ids of changed existing ones.

    New measures go through ``measures_insert``, as in a batch import; existing ones changed by a
    re-import go through ``measures_after_write`` (which keeps the themes a person decided).
    """
    existing = {} if created else {measure.ordinal: measure for measure in document.measures.all()}
    new: list[tuple[Document, ParsedMeasure, Derived]] = []
    changed: list[int] = []
    for parsed, extra in zip(parsed_measures, derived, strict=True):
        measure = existing.pop(parsed.ordinal, None)
        if measure is None:
            new.append((document, parsed, extra))
            continue
        if _assign(measure, measure_values(parsed)):
            measure.full_clean(validate_unique=False, exclude=["document"])
            measure._change_reason = "重新导入"
            measure.save()
            result.measures_updated += 1
            changed.append(measure.pk)
        if _write_departments(measure, parsed.departments, document.region, context) and measure.pk not in changed:
            result.measures_updated += 1
    result.measures_created += len(measures_insert(new, context=context))
    for measure in existing.values():
        measure._change_reason = "重新导入：原文已无此条"
        measure.delete()
        result.measures_deleted += 1
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
