"""Reads for measures, shared by the API and the pages: filtered lists, ranked search, facets."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models import Case, F, Prefetch, QuerySet, Value, When

from documents.models import Document, Organization

from . import search
from .filters import MeasureFilter, in_force_q
from .highlight import highlight, highlight_all
from .models import Measure, MeasureDepartment, MeasureTheme, Theme
from .query import ParsedQuery
from .tokenize import normalise

SORTS = {"relevance": "相关度", "date": "发布日期（新→旧）"}
DATE_ORDER = ("-document__year", F("document__issue_date").desc(nulls_last=True), "document_id", "ordinal")
FACET_LIMIT = 15


def measure_queryset() -> QuerySet[Measure]:
    """Measures with everything a list shows, in a fixed number of queries."""
    return (
        Measure.objects.select_related("document", "document__region")
        .prefetch_related(
            Prefetch(
                "theme_links",
                MeasureTheme.objects.filter(active=True)
                .select_related("theme")
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
    base = _filtered(Measure.objects.all(), filters)
    query = (query or "").strip()
    if not query:
        results = _filtered(measure_queryset().order_by(*DATE_ORDER), filters)
        if not facets:
            return SearchResult(results=results, total=-1)
        counts = facet_counts(filters=filters)
        return SearchResult(results=CountedQuerySet(results, counts["total"]), total=counts["total"], facets=counts)
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


def facet_counts(*, ids: list[int] | None = None, filters: dict | None = None) -> dict[str, list[tuple]]:
    """How many of the measures in view each filter value holds: ``ids`` (a search's candidates) or
    every measure ``filters`` (MeasureFilter's, validated) allow; ``"total"`` is how many are in view.

    One statement, a few dozen rows back. The measures in view are grouped per document once;
    region, year, type, validity and the top documents are sums over those groups joined to the
    documents (there are far fewer documents than measures), themes and lead departments counts of
    their link rows (each unique per measure, so a count of links is a count of measures), names
    joined after grouping. The measures in view are evaluated once, as a materialised set, not once
    per grouping (with a theme filter, re-evaluating took 1.5 s at 100k measures); with no
    restriction the groupings read the tables' own indexes.
    """
    measures = Measure.objects.all()
    if ids is not None:
        measures = measures.filter(search.in_ids(ids))
    if filters:
        measures = MeasureFilter(filters, queryset=measures).qs
    restricted = ids is not None or bool(measures.query.where)
    rows = _grouped_counts(measures if restricted else None)
    by_kind: dict[str, list[tuple]] = {}
    for kind, key, label, label2, n, sort in rows:
        by_kind.setdefault(kind, []).append((key, label, label2, int(n), sort))  # PostgreSQL sums are numeric
    doc_types = dict(Document.DocType.choices)
    total = sum(n for _, _, _, n, _ in by_kind.get("f", []))
    in_force = sum(n for key, _, _, n, _ in by_kind.get("f", []) if key == 1)
    return {
        "total": total,
        "region": sorted(((label, n) for _, label, _, n, _ in by_kind.get("r", [])), key=lambda i: (-i[1], i[0])),
        "year": sorted(((key, n) for key, _, _, n, _ in by_kind.get("y", [])), reverse=True),
        "doc_type": [
            (label, doc_types.get(label, label), n)
            for _, label, _, n, _ in sorted(by_kind.get("t", []), key=lambda row: (-row[3], row[1]))
        ],
        "document": [
            (key, label, n) for key, label, _, n, _ in sorted(by_kind.get("d", []), key=lambda row: (-row[3], row[0]))
        ],
        "theme": [
            (label, name, n) for _, label, name, n, _ in sorted(by_kind.get("h", []), key=lambda row: (-row[3], row[4]))
        ],
        "department": [
            (label, n) for _, label, _, n, _ in sorted(by_kind.get("l", []), key=lambda row: (-row[3], row[1]))
        ][:FACET_LIMIT],
        "in_force": [("true", "现行有效", in_force), ("false", "非现行有效", total - in_force)],
    }


def _grouped_counts(measures: QuerySet[Measure] | None) -> list[tuple]:
    """Rows ``(kind, key, label, label2, n, sort)`` counting ``measures`` (None: all) per region (r),
    year (y), document type (t), in force or not (f, key 1/0), top document (d), theme (h) and lead
    department (l)."""
    prelude, params = "", []
    measure_table, scope = Measure._meta.db_table, ""
    if measures is not None:
        scope_sql, params = measures.order_by().values("pk", "document_id").query.sql_with_params()
        # "IN (SELECT …)", not a join: SQLite then walks the links' measure index from the set rather
        # than scanning every link and probing the set (200 ms for a search's 200 candidates).
        prelude, measure_table, scope = (
            f"s AS MATERIALIZED ({scope_sql}),",
            "s",
            " AND l.measure_id IN (SELECT pk FROM s)",
        )
    # The documents' attributes, validity decided as everywhere else (filters.in_force_q).
    documents_sql, documents_params = (
        Document.objects.order_by()
        .annotate(in_force=Case(When(in_force_q(prefix=""), then=Value(1)), default=Value(0)))
        .values("pk", "title", "region__name", "year", "doc_type", "in_force")
        .query.sql_with_params()
    )
    theme_table, link_table = MeasureTheme._meta.db_table, MeasureDepartment._meta.db_table
    sql = f"""
        WITH {prelude}
        g AS MATERIALIZED (SELECT document_id, count(*) AS n FROM {measure_table} GROUP BY document_id),
        gd AS MATERIALIZED (SELECT g.n, dd.* FROM g JOIN ({documents_sql}) dd ON dd.pk = g.document_id)
        SELECT 'r', NULL, region__name, NULL, sum(n), 0 FROM gd GROUP BY region__name
        UNION ALL SELECT 'y', year, NULL, NULL, sum(n), 0 FROM gd GROUP BY year
        UNION ALL SELECT 't', NULL, doc_type, NULL, sum(n), 0 FROM gd GROUP BY doc_type
        UNION ALL SELECT 'f', in_force, NULL, NULL, sum(n), 0 FROM gd GROUP BY in_force
        UNION ALL SELECT * FROM (SELECT 'd', pk, title, NULL, n, 0 FROM gd ORDER BY n DESC, pk LIMIT {FACET_LIMIT}) top
        UNION ALL SELECT 'h', g.theme_id, t.code, t.name, g.n, t.sort_order
        FROM (SELECT l.theme_id, count(*) AS n FROM {theme_table} l WHERE l.active{scope} GROUP BY l.theme_id) g
        JOIN {Theme._meta.db_table} t ON t.id = g.theme_id
        UNION ALL SELECT 'l', g.organization_id, o.name, NULL, g.n, 0
        FROM (SELECT l.organization_id, count(*) AS n FROM {link_table} l WHERE l.role = %s{scope}
              GROUP BY l.organization_id) g
        JOIN {Organization._meta.db_table} o ON o.id = g.organization_id
    """
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, *documents_params, MeasureDepartment.Role.LEAD])
        return cursor.fetchall()
