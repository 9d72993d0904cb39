"""What one import run resolves again and again, and what it reports: regions, organisations, results."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Q

from measures.services import ThemeRules, theme_rules

from ..merge import Conflict
from ..models import Document, Organization, OrganizationAlias, Region
from ..organizations import canonical_department, home_region, organization_kind
from ..regions import placement


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
