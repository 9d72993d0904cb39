"""Reads for measures, shared by the API and the pages: filtered lists, ranked search, facets."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models import F, Prefetch, QuerySet

from . import search
from .facets import facet_counts
from .filters import MeasureFilter
from .highlight import highlight, highlight_all
from .models import Measure, MeasureDepartment, MeasureTheme
from .query import ParsedQuery
from .tokenize import normalise

SORTS = {"relevance": "相关度", "date": "发布日期（新→旧）"}
DATE_ORDER = ("-document__year", F("document__issue_date").desc(nulls_last=True), "document_id", "ordinal")


def measure_queryset() -> QuerySet[Measure]:
    """Measures with everything a list shows, in a fixed number of queries."""
    return (
        Measure.objects.select_related("document", "document__region")
        .prefetch_related(
            Prefetch(
                "theme_links",
                MeasureTheme.objects.filter(active=True)
                .select_related("theme", "theme__parent")
                .order_by("-score", "theme__sort_order"),
                to_attr="active_theme_links",
            ),
            Prefetch(
                "department_links",
                MeasureDepartment.objects.select_related("organization").order_by("position"),
                to_attr="ordered_department_links",
            ),
        )
        .defer("document__raw_text", "document__clean_text", "document__preamble", "search_title", "search_body")
    )


def _filtered(queryset: QuerySet[Measure], filters: dict | None) -> QuerySet[Measure]:
    filterset = MeasureFilter(filters or {}, queryset=queryset)
    if not filterset.is_valid():
        raise ValidationError(filterset.errors)
    return filterset.qs


def measure_list(*, filters: dict | None = None) -> QuerySet[Measure]:
    """Measures matching ``filters`` (MeasureFilter's fields), newest documents first, in number order.

    Raises ``django.core.exceptions.ValidationError`` for filter values that are not valid.
    """
    return _filtered(measure_queryset().order_by("-document__year", "document_id", "ordinal"), filters)


class CountedQuerySet(Sequence):
    """A queryset whose length is already known (the facet counts summed it): the Paginator slices it
    without a ``COUNT(*)`` of its own, which at 100k measures repeats the facet statement's work."""

    def __init__(self, queryset: QuerySet, count: int):
        self.queryset, self.total = queryset, count

    def __len__(self) -> int:
        return self.total

    def count(self) -> int:
        return self.total

    def __getitem__(self, index):
        return self.queryset[index]

    def __iter__(self):
        return iter(self.queryset)


class RankedPage(Sequence):
    """A lazily fetched list of measures in a given id order; the Paginator slices it, one page is loaded."""

    def __init__(self, ids: list[int], terms: list[str]):
        self.ids, self.terms = ids, terms

    def __len__(self) -> int:
        return len(self.ids)

    def __getitem__(self, index):
        if isinstance(index, slice):
            page_ids = self.ids[index]
            by_id = {m.pk: m for m in measure_queryset().filter(pk__in=page_ids)}
            measures = [by_id[pk] for pk in page_ids if pk in by_id]
            return [annotate_highlight(m, self.terms) for m in measures]
        return self[index : index + 1][0]


def annotate_highlight(measure: Measure, terms: list[str]) -> Measure:
    measure.highlight = highlight(measure.text, terms, normalise)
    measure.title_highlight = highlight_all(measure.title, terms, normalise)
    return measure


@dataclass
class SearchResult:
    results: Sequence[Measure] | QuerySet[Measure]
    total: int
    query: str = ""
    parsed: ParsedQuery | None = None
    message: str = ""
    facets: dict = field(default_factory=dict)
    capped: bool = False  # more matches than were ranked: only the best ones can be paged through
    approximate: bool = False  # total is PostgreSQL's estimate, or on SQLite a floor (its count cap + 1)

    @property
    def total_display(self) -> str:
        if not self.approximate:
            return f"{self.total:,} 条"
        if connection.vendor == "postgresql":
            return f"约 {self.total:,} 条"
        return f"{self.total - 1:,} 条以上"

    @property
    def terms(self) -> list[str]:
        return self.parsed.highlight_terms() if self.parsed else []


def measure_search(
    *, query: str = "", filters: dict | None = None, sort: str = "relevance", facets: bool = True
) -> SearchResult:
    """Measures matching ``query`` and ``filters``; best first (or newest first with ``sort="date"``).

    Without a query, the filtered list in date order. Never raises on the query text; raises
    ``ValidationError`` for invalid filter values.
    """
    query = (query or "").strip()
    if not query:
        results = _filtered(measure_queryset().order_by(*DATE_ORDER), filters)
        if not facets:
            return SearchResult(results=results, total=-1)
        counts = facet_counts(filters=filters)
        return SearchResult(results=CountedQuerySet(results, counts["total"]), total=counts["total"], facets=counts)
    base = _filtered(Measure.objects.all(), filters) if filters else Measure.objects.all()
    parsed = search.parse(query)
    if parsed.is_empty:
        return SearchResult(
            results=[],
            total=0,
            query=query,
            parsed=parsed,
            message="查询中没有可检索的字词，请输入中文词语或字母数字。",
        )
    has_filters = bool(base.query.where)
    ranked = search.ranked_ids(parsed, base=base if has_filters else None, filters=filters if has_filters else None)
    ids = ranked.ids
    if sort == "date" and ids:
        order = dict.fromkeys(
            Measure.objects.filter(search.in_ids(ids)).order_by(*DATE_ORDER).values_list("pk", flat=True)
        )
        ids = list(order)
    message = " ".join(parsed.notes)
    if not ids:
        message = (message + " 没有找到匹配的措施，可以减少词语、去掉引号或筛选条件再试。").strip()
    # Facets count the ranked candidates (every match unless there are more than the ranking cap):
    # re-running the match inside each facet query costs a tsvector test per row at 100k measures.
    counts = facet_counts(ids=ids) if facets and ids else {}
    return SearchResult(
        results=RankedPage(ids, parsed.highlight_terms()),
        total=ranked.total,
        query=query,
        parsed=parsed,
        message=message,
        facets=counts,
        capped=ranked.total > len(ids),
        approximate=ranked.approximate,
    )
