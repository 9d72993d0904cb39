"""Writes for documents: ingest parsed documents, resolve citations, merge organizations.

Every function here changes the database inside one transaction, so a failure
leaves the knowledge base as it was. Reads live in ``documents.selectors``.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Q

from measures.models import Measure, MeasureDepartment
from measures.services import measures_after_write

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


def _find_existing(parsed: ParsedDocument, source_name: str) -> Document | None:
    """The document a re-import of this source should update, if any."""
    existing = Document.objects.filter(content_hash=parsed.content_hash).first()
    if existing is None and parsed.doc_number:
        existing = Document.objects.filter(doc_number=parsed.doc_number).first()
    if existing is None and source_name:
        existing = Document.objects.filter(source_name=source_name).first()
    if existing is None and parsed.title and parsed.region:
        year = parsed.year or (parsed.issue_date.year if parsed.issue_date else None)
        existing = Document.objects.filter(title=parsed.title, region__name=parsed.region, year=year).first()
    return existing


def _document_fields(parsed: ParsedDocument, *, source_name: str) -> dict:
    region = region_get_or_create(name=parsed.region)
    issuer = organization_resolve(name_as_written=parsed.issuer, region=region) if parsed.issuer else None
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
def document_ingest(*, parsed: ParsedDocument, source_name: str = "", force: bool = False) -> IngestResult:
    """Create or update the document ``parsed`` describes, with all its parts.

    A source already imported with the same content is left alone (``unchanged``)
    unless ``force``; a changed source updates the same document in place:
    measures are matched by ordinal, so their ids, history and the themes a person
    set stay. A document is identified by content hash, else 文号, else source file name,
    else title + region + year.
    """
    if not parsed.region:
        from .ingest.errors import IngestError

        raise IngestError("无法确定文件所属地区：请用 --region 指定（如 深圳市）。")
    if not (parsed.year or parsed.issue_date):
        from .ingest.errors import IngestError

        raise IngestError("无法确定文件年份：请用 --date 或 --year 指定。")

    existing = _find_existing(parsed, source_name)
    if existing is not None and existing.content_hash == parsed.content_hash and not force:
        return IngestResult(document=existing, action="unchanged")

    values = _document_fields(parsed, source_name=source_name)
    if existing is None:
        document = Document(**values)
        action = "created"
    else:
        document = existing
        action = "updated" if _assign(document, values) else "unchanged"
    document.full_clean(validate_unique=False)
    if action != "unchanged":
        document.save()

    result = IngestResult(document=document, action=action, warnings=list(parsed.warnings))
    changed_measures = _write_measures(document, parsed.measures, result)
    _write_periodical_parts(document, parsed)
    _write_citations(document, parsed)
    citations_resolve(documents=[document])
    measures_after_write(measure_ids=changed_measures)
    if action == "unchanged" and (result.measures_created or result.measures_updated or result.measures_deleted):
        result.action = "updated"
    return result


def _write_measures(document: Document, parsed_measures: list[ParsedMeasure], result: IngestResult) -> list[int]:
    """Bring the document's measures in line with ``parsed_measures``; return ids to (re)classify."""
    existing = {measure.ordinal: measure for measure in document.measures.all()}
    changed: list[int] = []
    for parsed in parsed_measures:
        values = {
            "number": parsed.number,
            "chapter": parsed.chapter,
            "title": parsed.title,
            "text": parsed.text,
            "kind": parsed.kind,
        }
        measure = existing.pop(parsed.ordinal, None)
        if measure is None:
            measure = Measure(document=document, ordinal=parsed.ordinal, **values)
            measure.full_clean(validate_unique=False)
            measure._change_reason = "导入"
            measure.save()
            result.measures_created += 1
            changed.append(measure.pk)
        elif _assign(measure, values):
            measure.full_clean(validate_unique=False)
            measure._change_reason = "重新导入"
            measure.save()
            result.measures_updated += 1
            changed.append(measure.pk)
        if _write_departments(measure, parsed.departments, document.region) and measure.pk not in changed:
            result.measures_updated += 1
    for measure in existing.values():
        measure._change_reason = "重新导入：原文已无此条"
        measure.delete()
        result.measures_deleted += 1
    return changed


def _write_departments(measure: Measure, refs: tuple[DepartmentRef, ...], region: Region) -> bool:
    wanted = []
    seen = set()
    for ref in refs:
        organization = organization_resolve(name_as_written=ref.name, region=region)
        key = (organization.pk, ref.role)
        if key in seen:
            continue
        seen.add(key)
        wanted.append((organization.pk, ref.role, len(wanted), ref.name, ref.note))
    current = [
        (link.organization_id, link.role, link.position, link.name_as_written, link.note)
        for link in measure.department_links.order_by("position")
    ]
    if current == wanted:
        return False
    measure.department_links.all().delete()
    for organization_id, role, position, name, note in wanted:
        MeasureDepartment.objects.create(
            measure=measure,
            organization_id=organization_id,
            role=role,
            position=position,
            name_as_written=name,
            note=note,
        )
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


def _write_citations(document: Document, parsed: ParsedDocument) -> None:
    own_titles = {document.title, document.policy_title} - {""}
    wanted = []
    for citation in parsed.citations:
        if citation.title in own_titles or citation.title in {w[0] for w in wanted}:
            continue
        wanted.append((citation.title[:300], citation.doc_number))
    current = list(document.citations.order_by("position").values_list("cited_title", "cited_doc_number"))
    if current == wanted:
        return
    document.citations.all().delete()
    Citation.objects.bulk_create(
        Citation(citing=document, cited_title=title, cited_doc_number=number, position=position)
        for position, (title, number) in enumerate(wanted)
    )


def citations_resolve(*, documents: list[Document] | None = None) -> int:
    """Link citations to the documents they name; return how many links changed.

    Run after every import, in both directions: the new document's own
    citations, and older citations that name the new document.
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
    by_number = {
        normalise_doc_number(n): pk for pk, n in Document.objects.exclude(doc_number="").values_list("pk", "doc_number")
    }
    by_title = {}
    for pk, title, policy_title in Document.objects.values_list("pk", "title", "policy_title"):
        by_title.setdefault(title, pk)
        if policy_title:
            by_title.setdefault(policy_title, pk)
    changed = 0
    for citation in candidates:
        target = by_number.get(citation.cited_doc_number) if citation.cited_doc_number else None
        target = target or by_title.get(citation.cited_title)
        if target == citation.citing_id:
            target = None
        if citation.cited_id != target:
            citation.cited_id = target
            citation.save(update_fields=["cited"])
            changed += 1
    return changed


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
