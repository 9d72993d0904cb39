"""Reads for the browse and compare pages: theme, compare, measure, departments, home.

Kept beside ``measures/selectors.py`` (which the search work owns) so the two
can change independently; every function builds on ``selectors.measure_queryset()``
and returns in a fixed number of queries whatever the data size:

- the compare page asks the search index for each column's newest ``per_column``
  measures and its exact total;
- "similar provisions" asks the search index for measures of other regions
  that share the measure's most distinctive terms (≤ ``SIMILAR_POOL``) and
  re-ranks only those by TF-IDF cosine;
- both weigh terms by document frequencies estimated once from an evenly spread
  sample of the corpus (``corpus_frequencies``), cached in the process.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Sequence
from dataclasses import replace
from functools import cached_property

from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    Max,
    Min,
    OuterRef,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.functions import Mod

from documents.models import Document, Organization, Region
from search import engine
from search.engine import similar_candidates
from search.scope import Scope

from .models import Measure, MeasureDepartment, MeasureTheme, Theme
from .selectors import measure_queryset
from .similarity import Frequencies, distinctive_terms, item_tokens, rank, similarity_tokens, tfidf_vector
from .themes import theme_resolve

_HEAVY_DOCUMENT_FIELDS = ("document__raw_text", "document__clean_text", "document__preamble")
COMPARE_ORDER = ("-document__year", "document_id", "ordinal")
SAMPLE_SIZE = 3_000  # measures read to estimate document frequencies (every k-th id)
FREQUENCIES_TTL = 3600  # seconds; the estimate is also redone when the ids grow by a tenth (an import)
SIMILAR_POOL = 100  # candidates the full-text index hands over for re-ranking
SIMILAR_TERMS = 8  # distinctive terms a measure is retrieved by (see similarity.distinctive_terms)


# --- shared pieces ----------------------------------------------------------------------------------


def theme_lookup(value: str) -> Theme | None:
    """The theme whose code, name or former code is ``value``, or None."""
    return theme_resolve(value) if (value or "").strip() else None


def _with_tokens(queryset: QuerySet[Measure]) -> QuerySet[Measure]:
    """``measure_queryset()`` rows that also load the stored search tokens (similarity reads them)."""
    return queryset.defer(None).defer(*_HEAVY_DOCUMENT_FIELDS)


def regions_with_documents() -> QuerySet[Region]:
    """Regions that have at least one document (the columns a comparison or the heat map can show)."""
    return Region.objects.filter(Exists(Document.objects.filter(region=OuterRef("pk"))))


def themes_with_counts() -> list[Theme]:
    """Every theme with ``count``, the number of measures actively on it (a domain's include its
    sub-domains'), in taxonomy order."""
    return counted(Theme.objects.select_related("parent").order_by("sort_order", "code"))


def counted(themes: QuerySet[Theme]) -> list[Theme]:
    """``themes`` (evaluated) with ``count``: from the search index, one aggregation over every measure,
    kept until the index changes."""
    counts = engine.theme_counts()
    themes = list(themes)
    for theme in themes:
        theme.count = counts.get(theme.pk, 0)
    return themes


def theme_children(theme: Theme) -> QuerySet[Theme]:
    """A theme's sub-themes with their counts."""
    return counted(Theme.objects.filter(parent=theme).order_by("sort_order", "code"))


# --- document frequencies ---------------------------------------------------------------------------

_frequencies_lock = threading.Lock()
_frequencies: dict = {}  # {"key": latest measure id, "expires": monotonic seconds, "value": Frequencies}


def corpus_frequencies() -> Frequencies:
    """Document frequencies of similarity terms, estimated from every k-th measure (≤ ``SAMPLE_SIZE``).

    One cheap query (the lowest and highest measure ids) per call; the sample itself (one more
    query) is read again after ``FREQUENCIES_TTL`` or when the ids grew by a tenth or shrank (an
    import, another database), not on every new measure: a running import would otherwise make
    every page redo it. An estimate is enough: idf only has to tell a term in one measure in a
    thousand from one in every other measure. The step is taken over the ids in use, not from 0:
    measures whose ids start high (PostgreSQL never reuses them) would otherwise be sampled
    sparsely, or not at all.
    """
    ids = Measure.objects.aggregate(earliest=Min("pk"), latest=Max("pk"))
    earliest, latest = ids["earliest"] or 0, ids["latest"] or 0
    cached = _frequencies
    if cached and cached["key"] <= latest <= cached["key"] * 1.1 and cached["expires"] > time.monotonic():
        return cached["value"]
    span = latest - earliest + 1 if latest else 0
    step = max(1, span // SAMPLE_SIZE)
    rows = (
        Measure.objects.annotate(bucket=Mod(F("pk") - earliest, step))
        .filter(bucket=0)
        .values_list("search_title", "search_body")
        .order_by()
    )
    value = Frequencies.of(
        (similarity_tokens(title.split(), body.split()) for title, body in rows.iterator()), population=span
    )
    with _frequencies_lock:
        _frequencies.update(key=latest, expires=time.monotonic() + FREQUENCIES_TTL, value=value)
    return value


def forget_frequencies() -> None:
    """Drop the cached estimate (tests, or after a bulk change that keeps the same ids)."""
    with _frequencies_lock:
        _frequencies.clear()


# --- theme and compare ------------------------------------------------------------------------------


class ThemeMeasures(Sequence):
    """A theme's measures for the Paginator, in display order: region (in the regions' order), then
    newest first. Read from the search index: each region's count in one aggregation, and a page's ids
    from the one or two regions it spans; then its rows by id (``measure_queryset()``, so with themes
    and departments). A parent domain includes its sub-domains' measures."""

    def __init__(self, theme):
        self.theme = theme

    @cached_property
    def _regions(self) -> list[tuple[int, int]]:
        """(region id, measures of the theme there), in display order."""
        counts = engine.search(scope=Scope(themes=(self.theme.pk,))).terms("region")
        order = {
            pk: i for i, pk in enumerate(Region.objects.order_by("sort_order", "name").values_list("pk", flat=True))
        }
        return sorted(counts.items(), key=lambda item: order.get(item[0], len(order)))

    def count(self) -> int:
        return sum(n for _, n in self._regions)

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, index):
        if not isinstance(index, slice):
            return self[index : index + 1][0]
        start, stop, _ = index.indices(self.count())
        ids, seen = [], 0
        for region, n in self._regions:
            if seen + n > start and seen < stop:
                local = max(start - seen, 0)
                scope = Scope(themes=(self.theme.pk,), regions=(region,))
                ids += engine.search(scope=scope).ids(local, min(stop, seen + n) - seen - local)
            seen += n
        by_id = {measure.pk: measure for measure in measure_queryset().filter(pk__in=ids)}
        return [by_id[pk] for pk in ids if pk in by_id]


def theme_measures(*, theme) -> ThemeMeasures:
    """A theme's measures grouped for display: region, then newest document first, then number."""
    return ThemeMeasures(theme)


def compare_measures(
    *,
    theme,
    region_names=(),
    document_ids=(),
    year_min: int | None = None,
    year_max: int | None = None,
    per_column: int,
) -> tuple[list[Measure], dict[str, int]]:
    """The theme's measures for the columns, newest first, at most ``per_column`` per column, and each
    column's exact total.

    Columns are regions (by name) or, when ``document_ids`` is given, documents (key ``document-<id>``).
    Each column is one search of the index (the theme, the column's region or document, the years), so
    a column counts every measure of a big theme exactly; one query and two prefetches then load the
    measures shown (``measure_queryset()`` rows with their stored tokens).
    """
    base = Scope(themes=(theme.pk,), year_min=year_min, year_max=year_max)
    if document_ids:
        columns = {f"document-{pk}": replace(base, document=pk) for pk in document_ids}
    else:
        regions = dict(Region.objects.filter(name__in=list(region_names)).values_list("name", "pk"))
        columns = {
            name: replace(base, regions=(regions[name],)) if name in regions else replace(base, nothing=True)
            for name in region_names
        }
    totals, shown = {}, []
    for key, scope in columns.items():
        found = engine.search(scope=scope)
        totals[key] = found.total
        shown += found.ids(0, per_column)
    if not shown:
        return [], totals
    measures = list(_with_tokens(measure_queryset()).filter(pk__in=shown).order_by(*COMPARE_ORDER))
    return measures, totals


# --- a measure and its neighbours -------------------------------------------------------------------


def measure_for_page(pk: int) -> QuerySet[Measure]:
    """The measure page's row: ``measure_queryset()`` plus its stored tokens (filter with ``pk``)."""
    return _with_tokens(measure_queryset()).filter(pk=pk)


def similar_provisions(
    *, measure: Measure, limit: int = 6, frequencies: Frequencies | None = None
) -> list[tuple[Measure, float]]:
    """Measures of other regions closest to ``measure`` by TF-IDF cosine, best first, with scores.

    Candidates come from the search index (up to ``SIMILAR_TERMS`` of the measure's most
    distinctive terms, found together in about 2,000 measures at most; any of them;
    ``SIMILAR_POOL`` best by the index's rank); only they are scored, so the cost does not grow
    with the corpus. Two queries (one more when the frequency sample is redone).
    """
    frequencies = frequencies or corpus_frequencies()
    base = tfidf_vector(item_tokens(measure), frequencies)
    terms = distinctive_terms(base, frequencies, limit=SIMILAR_TERMS)
    if not terms:
        return []
    pool = (
        Measure.objects.filter(
            pk__in=similar_candidates(tokens=terms, exclude_region=measure.document.region_id, limit=SIMILAR_POOL)
        )
        .select_related("document", "document__region")
        .only(
            "pk",
            "number",
            "title",
            "text",
            "search_title",
            "search_body",
            "document__title",
            "document__policy_title",
            "document__year",
            "document__region__name",
        )
        .order_by()  # re-ranked below: no need for the model's default ordering
    )
    candidates = {candidate.pk: candidate for candidate in pool}
    vectors = {pk: tfidf_vector(item_tokens(candidate), frequencies) for pk, candidate in candidates.items()}
    return [(candidates[pk], score) for pk, score in rank(base, vectors, limit=limit)]


def measure_neighbours(*, measure) -> tuple[Measure | None, Measure | None]:
    """The previous and next measure of the same document, in one query."""
    siblings = {
        sibling.ordinal: sibling
        for sibling in Measure.objects.filter(
            document_id=measure.document_id, ordinal__in=[measure.ordinal - 1, measure.ordinal + 1]
        ).only("pk", "ordinal", "number", "title", "document_id")
    }
    return siblings.get(measure.ordinal - 1), siblings.get(measure.ordinal + 1)


# --- departments and home ---------------------------------------------------------------------------


# Roles in the order pages list them: who leads, who is responsible, who cooperates.
ROLE_ORDER = (MeasureDepartment.Role.LEAD, MeasureDepartment.Role.RESPONSIBLE, MeasureDepartment.Role.COOPERATE)


def _role_rank():
    return Case(*(When(role=role, then=Value(rank)) for rank, role in enumerate(ROLE_ORDER)), default=Value(9))


def department_links(*, organization) -> QuerySet[MeasureDepartment]:
    """An organization's roles on measures, with the measure and its document: by role (牵头, 负责, 配合),
    then newest document first, then number."""
    return (
        MeasureDepartment.objects.filter(organization=organization)
        .select_related("measure", "measure__document", "measure__document__region")
        .defer(
            *(f"measure__{field}" for field in _HEAVY_DOCUMENT_FIELDS),
            "measure__text",
            "measure__search_title",
            "measure__search_body",
            "measure__import_base",
        )
        .annotate(role_rank=_role_rank())
        .order_by("role_rank", "-measure__document__year", "measure__document_id", "measure__ordinal")
    )


def role_totals(*, organization) -> list[tuple[str, int]]:
    """How many measures an organization has in each role: [(label, count)] in ``ROLE_ORDER``, non-zero only."""
    counts = dict(organization.measure_links.values_list("role").annotate(count=Count("id")).order_by())
    labels = dict(MeasureDepartment.Role.choices)
    return [(labels[role], counts[role]) for role in ROLE_ORDER if counts.get(role)]


def linked_departments(*, counts: bool = False) -> QuerySet[Organization]:
    """Organizations named on at least one measure in any role (牵头, 配合, 负责), by region then name, each
    with ``region_name``. With ``counts``, also its measures per role as ``lead``, ``cooperate``,
    ``responsible`` and ``total`` (one grouped query over the (organization, role) index); without, an
    index probe per organization."""
    organizations = Organization.objects.annotate(region_name=F("region__name"))
    if counts:
        organizations = organizations.annotate(
            **{
                str(role): Count("measure_links", filter=Q(measure_links__role=role))
                for role in MeasureDepartment.Role.values
            },
            total=Count("measure_links"),
        ).filter(total__gt=0)
    else:
        organizations = organizations.filter(Exists(MeasureDepartment.objects.filter(organization=OuterRef("pk"))))
    return organizations.order_by(F("region__sort_order").asc(nulls_last=True), "region__name", "name")


def theme_region_counts(*, themes: Sequence[Theme]) -> dict[tuple[int, int], int]:
    """How many measures each region has on each of ``themes``: {(theme_id, region_id): count}.

    Only the themes asked for: every link of every theme is 460k rows to join at 100k measures."""
    rows = (
        MeasureTheme.objects.filter(active=True, theme__in=themes)
        .values("theme_id", "measure__document__region_id")
        .annotate(count=Count("measure_id"))  # one link per (measure, theme): no DISTINCT needed
        .order_by()
    )
    return {(row["theme_id"], row["measure__document__region_id"]): row["count"] for row in rows}


def yearly_counts_by_region() -> list[dict]:
    """Documents and measures per (year, region): [{year, region, documents, measures}]."""
    rows = (
        Document.objects.values("year", "region__name")
        .annotate(documents=Count("id", distinct=True), measures=Count("measures", distinct=True))
        .order_by("year", "region__name")
    )
    return [
        {"year": row["year"], "region": row["region__name"], "documents": row["documents"], "measures": row["measures"]}
        for row in rows
    ]
