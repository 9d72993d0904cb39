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

from .classify import CompiledRules, ThemeRule, compile_rules, pick_themes, score_themes
from .derive import Derived
from .models import Measure, MeasureTheme, Theme
from .search import measures_index
from .taxonomy import THEMES

FALLBACK_THEME = "organization"  # a measure no keyword matches is, in these texts, about how work is organised


def themes_ensure() -> int:
    """Create the taxonomy's themes that do not exist yet; never overwrite an edit."""
    existing = set(Theme.objects.values_list("code", flat=True))
    created = 0
    for order, seed in enumerate(THEMES):
        if seed.code in existing:
            continue
        theme = Theme(
            code=seed.code,
            name=seed.name,
            description=seed.description,
            keywords=" ".join(seed.keywords),
            sort_order=(order + 1) * 10,
        )
        theme.full_clean()
        theme.save()
        created += 1
    return created


@dataclass(frozen=True)
class ThemeRules:
    """The themes' keyword rules as stored now, compiled once for many measures."""

    compiled: CompiledRules
    theme_ids: dict[str, int]  # code → pk
    fallback: str  # the theme a measure no keyword matches gets

    def auto_links(self, measure_id: int, scores: dict[str, float]) -> list[dict]:
        """The automatic MeasureTheme rows (by attname) of a measure nobody has decided anything about yet."""
        known = {code: score for code, score in scores.items() if code in self.theme_ids}
        return [
            {
                "measure_id": measure_id,
                "theme_id": self.theme_ids[code],
                "source": MeasureTheme.Source.AUTO,
                "active": True,
                "score": score,
            }
            for code, score in pick_themes(known, fallback=self.fallback)
        ]


def theme_rules() -> ThemeRules:
    """Load (creating the taxonomy if the table is empty) and compile the theme rules."""
    if not Theme.objects.exists():
        themes_ensure()
    themes = list(Theme.objects.all())
    theme_ids = {t.code: t.pk for t in themes}
    fallback = FALLBACK_THEME if FALLBACK_THEME in theme_ids else themes[0].code
    return ThemeRules(
        compile_rules(ThemeRule(code=t.code, keywords=t.keyword_list) for t in themes), theme_ids, fallback
    )


def measures_themes_create(*, measure_ids: Sequence[int], derived: Sequence[Derived], rules: ThemeRules) -> int:
    """Automatic themes for newly created measures from their precomputed scores; return rows written.

    Derived data, like the search tokens: no history rows (a person's decision gets them).
    """
    links = [link for pk, d in zip(measure_ids, derived, strict=True) for link in rules.auto_links(pk, d.theme_scores)]
    return bulkload.insert(MeasureTheme, links)


@transaction.atomic
def measures_classify(*, measure_ids: Iterable[int] | None = None) -> int:
    """Assign automatic themes to the given measures (all when ``None``); return rows changed.

    Rows a person set or removed (``source=manual``) are left as they are, and
    the themes they name are not proposed again automatically.
    """
    loaded = theme_rules()
    rules, theme_ids, fallback = loaded.compiled, loaded.theme_ids, loaded.fallback
    measures = Measure.objects.all() if measure_ids is None else Measure.objects.filter(pk__in=list(measure_ids))
    measures = measures.only("pk", "title", "text", "chapter")
    links: dict[int, dict[int, MeasureTheme]] = {}
    for link in MeasureTheme.objects.filter(measure__in=measures):
        links.setdefault(link.measure_id, {})[link.theme_id] = link

    to_create, to_update, to_delete = [], [], []
    for measure in measures.iterator(chunk_size=2000):
        current = links.get(measure.pk, {})
        manual = {theme_id for theme_id, link in current.items() if link.source == MeasureTheme.Source.MANUAL}
        scores = score_themes(title=measure.title, text=measure.text, chapter=measure.chapter, rules=rules)
        scores = {code: score for code, score in scores.items() if theme_ids[code] not in manual}
        has_manual_active = any(current[t].active for t in manual)
        picked = pick_themes(scores, fallback=fallback) if (scores or not has_manual_active) else []
        wanted = {theme_ids[code]: score for code, score in picked if theme_ids[code] not in manual}
        for theme_id, link in current.items():
            if link.source != MeasureTheme.Source.AUTO:
                continue
            if theme_id not in wanted:
                to_delete.append(link.pk)
            elif link.score != wanted[theme_id] or not link.active:
                link.score, link.active = wanted[theme_id], True
                to_update.append(link)
        for theme_id, score in wanted.items():
            if theme_id not in current:
                to_create.append(
                    MeasureTheme(measure_id=measure.pk, theme_id=theme_id, source=MeasureTheme.Source.AUTO, score=score)
                )
    MeasureTheme.objects.filter(pk__in=to_delete).delete()
    MeasureTheme.objects.bulk_update(to_update, ["score", "active"], batch_size=1000)
    MeasureTheme.objects.bulk_create(to_create, batch_size=1000)
    return len(to_create) + len(to_update) + len(to_delete)


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
