"""Writes for measures: theme taxonomy, automatic classification, manual theme edits.

``measures_after_write`` is the one hook every writer of measure text calls
(import, admin edit) inside its transaction, so derived data — themes and the search
index tokens — never goes stale.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.db import transaction

from policybase import bulkload

from .classify import Assignment, CompiledRules, MeasureText, ThemeRule, classify_document, compile_rules
from .derive import Derived
from .models import Measure, MeasureTheme, Theme
from .search_tokens import measures_index
from .taxonomy import FORMER_CODES, THEMES
from .tokenize import ANALYZER_VERSION


def themes_ensure() -> int:
    """Create the taxonomy's themes that do not exist yet and fill what an existing theme lacks (description,
    keywords, parent); never overwrite an edit. Returns how many themes were created."""
    existing = {theme.code: theme for theme in Theme.objects.all()}
    created = 0
    for order, entry in enumerate(THEMES):
        theme = existing.get(entry.code)
        if theme is None:
            theme = Theme(code=entry.code, name=entry.name, sort_order=(order + 1) * 10)
            created += 1
        elif (
            theme.keywords
            and theme.description
            and (theme.parent_id or not entry.parent)
            and _former_codes_of(entry.code) <= set(theme.former_codes.split())
        ):
            continue
        theme.facet = theme.facet if theme.pk and theme.keywords else entry.facet
        theme.description = theme.description or entry.description
        theme.keywords = theme.keywords or " ".join(entry.keywords)
        if entry.parent and theme.parent_id is None:
            theme.parent = existing.get(entry.parent) or Theme.objects.filter(code=entry.parent).first()
        # Old codes redirect on a fresh database too, not only on one migration 0010 moved.
        theme.former_codes = " ".join(sorted({*theme.former_codes.split(), *_former_codes_of(entry.code)}))
        theme.full_clean()
        theme.save()
        existing[entry.code] = theme
    return created


def _former_codes_of(code: str) -> set[str]:
    return {old for old, new in FORMER_CODES.items() if new == code and old != code}


@dataclass(frozen=True)
class ThemeRules:
    """The themes' keyword rules as stored now, compiled once for many measures."""

    compiled: CompiledRules
    theme_ids: dict[str, int]  # code → pk
    theme_names: dict[str, str]  # code → name

    def auto_links(self, measure_id: int, themes: tuple[Assignment, ...]) -> list[dict]:
        """The automatic MeasureTheme rows (by attname) of a measure nobody has decided anything about yet:
        its assigned themes, and each domain's ancestors, so a sub-domain counts under its parent too."""
        links: dict[int, dict] = {}
        for assignment in themes:
            if assignment.code not in self.theme_ids:
                continue
            links.setdefault(self.theme_ids[assignment.code], self._row(measure_id, assignment))
            for ancestor in self.compiled.ancestors(assignment.code):
                if ancestor in self.theme_ids:
                    inherited = Assignment(
                        ancestor, assignment.score, assignment.confidence, f"下级主题：{assignment.code}"
                    )
                    links.setdefault(self.theme_ids[ancestor], self._row(measure_id, inherited))
        return list(links.values())

    def _row(self, measure_id: int, assignment: Assignment) -> dict:
        return {
            "measure_id": measure_id,
            "theme_id": self.theme_ids[assignment.code],
            "source": MeasureTheme.Source.AUTO,
            "active": True,
            "score": assignment.score,
            "confidence": assignment.confidence,
            "reason": assignment.reason,
        }


def _rule(theme: Theme, codes: dict[int, str]) -> ThemeRule:
    topics = next((entry.topics for entry in THEMES if entry.code == theme.code), ())
    return ThemeRule(
        code=theme.code,
        keywords=theme.keyword_list,
        facet=theme.facet,
        parent=codes.get(theme.parent_id, ""),
        topics=topics,
    )


def theme_rules() -> ThemeRules:
    """Load (completing the taxonomy first) and compile the theme rules as stored now."""
    themes_ensure()
    themes = list(Theme.objects.all())
    codes = {t.pk: t.code for t in themes}
    return ThemeRules(
        compile_rules(_rule(t, codes) for t in themes), {t.code: t.pk for t in themes}, {t.code: t.name for t in themes}
    )


def measures_themes_create(*, measure_ids: Sequence[int], derived: Sequence[Derived], rules: ThemeRules) -> int:
    """Automatic themes for newly created measures from their precomputed scores; return rows written.

    Derived data, like the search tokens: no history rows (a person's decision gets them).
    """
    links = [link for pk, d in zip(measure_ids, derived, strict=True) for link in rules.auto_links(pk, d.themes)]
    return bulkload.insert(MeasureTheme, links)


CLASSIFY_BATCH = 200  # documents classified per round of queries


@transaction.atomic
def measures_classify(*, measure_ids: Iterable[int] | None = None, rules: ThemeRules | None = None) -> int:
    """Assign automatic themes to the given measures (all when ``None``); return rows changed.

    Measures are classified with their whole document (a domain weighs what the document is about), from
    their stored index tokens when those are current (no segmenting again). Rows a person set or removed
    (``source=manual``) are left as they are, and the themes they name are not proposed again automatically.
    """
    rules = rules or theme_rules()
    chosen = Measure.objects.all() if measure_ids is None else Measure.objects.filter(pk__in=list(measure_ids))
    document_ids = sorted(set(chosen.values_list("document_id", flat=True).distinct()))
    wanted_ids = None if measure_ids is None else set(chosen.values_list("pk", flat=True))
    changed = 0
    for start in range(0, len(document_ids), CLASSIFY_BATCH):
        changed += _classify_documents(document_ids[start : start + CLASSIFY_BATCH], wanted_ids, rules)
    return changed


def _classify_documents(document_ids: list[int], wanted_ids: set[int] | None, rules: ThemeRules) -> int:
    from documents.models import Document

    documents = Document.objects.filter(pk__in=document_ids).only("title", "policy_title", "topic").in_bulk()
    fields = ("pk", "document_id", "title", "text", "chapter", "kind", "search_title", "search_body", "search_version")
    by_document: dict[int, list[Measure]] = {}
    for measure in Measure.objects.filter(document_id__in=document_ids).only(*fields).order_by("ordinal"):
        by_document.setdefault(measure.document_id, []).append(measure)
    links: dict[int, dict[int, MeasureTheme]] = {}
    for link in MeasureTheme.objects.filter(measure__document_id__in=document_ids):
        links.setdefault(link.measure_id, {})[link.theme_id] = link
    plan = _LinkPlan()
    for document_id, measures in by_document.items():
        document = documents[document_id]
        themes = classify_document(
            [MeasureText(m.title, m.text, m.chapter, m.kind, _stored_tokens(m)) for m in measures],
            title=document.policy_title or document.title,
            topic=document.topic,
            rules=rules.compiled,
        )
        for measure, assigned in zip(measures, themes, strict=True):
            if wanted_ids is None or measure.pk in wanted_ids:
                plan.add(links.get(measure.pk, {}), rules.auto_links(measure.pk, assigned))
    return plan.apply()


def _stored_tokens(measure: Measure):
    if measure.search_version != ANALYZER_VERSION:
        return None
    return measure.search_title.split(), measure.search_body.split()


class _LinkPlan:
    """The automatic links to create, update and delete, collected for many measures and written at once."""

    def __init__(self) -> None:
        self.create: list[MeasureTheme] = []
        self.update: list[MeasureTheme] = []
        self.delete: list[int] = []

    def add(self, current: dict[int, MeasureTheme], rows: list[dict]) -> None:
        manual = {theme_id for theme_id, link in current.items() if link.source == MeasureTheme.Source.MANUAL}
        wanted = {row["theme_id"]: row for row in rows if row["theme_id"] not in manual}
        for theme_id, link in current.items():
            if link.source != MeasureTheme.Source.AUTO:
                continue
            row = wanted.get(theme_id)
            if row is None:
                self.delete.append(link.pk)
            elif (link.score, link.confidence, link.reason, link.active) != (
                row["score"],
                row["confidence"],
                row["reason"],
                True,
            ):
                link.score, link.confidence, link.reason, link.active = (
                    row["score"],
                    row["confidence"],
                    row["reason"],
                    True,
                )
                self.update.append(link)
        self.create += [MeasureTheme(**row) for theme_id, row in wanted.items() if theme_id not in current]

    def apply(self) -> int:
        MeasureTheme.objects.filter(pk__in=self.delete).delete()
        MeasureTheme.objects.bulk_update(self.update, ["score", "confidence", "reason", "active"], batch_size=1000)
        MeasureTheme.objects.bulk_create(self.create, batch_size=1000)
        return len(self.create) + len(self.update) + len(self.delete)


def measures_after_write(*, measure_ids: Iterable[int]) -> None:
    """Refresh what is derived from measure text, in the caller's transaction."""
    measure_ids = list(measure_ids)
    if measure_ids:
        measures_classify(measure_ids=measure_ids)
        # Search tokens in the same transaction: a measure is never findable by stale text.
        measures_index(measure_ids=measure_ids)


@transaction.atomic
def measure_theme_set(*, measure: Measure, theme: Theme, active: bool) -> MeasureTheme:
    """Record a person's decision that ``measure`` is (or is not) about ``theme``."""
    link, _ = MeasureTheme.objects.get_or_create(measure=measure, theme=theme, defaults={"active": active})
    link.source = MeasureTheme.Source.MANUAL
    link.active = active
    link.full_clean()
    link.save()
    return link
