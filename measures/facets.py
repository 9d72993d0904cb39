"""Facet counts: how many of the measures in view each filter value holds.

One statement, a few dozen rows back. The measures in view are grouped per document once; region,
year, type, validity and the top documents are sums over those groups joined to the documents
(there are far fewer documents than measures); themes and lead departments are counted per link,
names joined after grouping. The measures in view are evaluated once, as a materialised set, not
once per grouping.

Where the links are read from:
- PostgreSQL, a restricted view (filters or a search's candidates): ``measures_measurefacet``
  (migration 0006), one narrow row per measure with its active themes and lead departments as
  arrays, kept by triggers. The view is selected on it directly (documents allowed, theme overlap
  through its GIN index) and the arrays are unnested: no probe into the link tables per measure.
- Otherwise (SQLite, or every measure): the link tables, through their own indexes.
"""

from __future__ import annotations

from django.db import connection
from django.db.models import Case, QuerySet, Value, When

from documents.models import Document, Organization

from . import search
from .filters import MeasureFilter, in_force_q, measure_sets, split_scope, sql_of
from .models import Measure, MeasureDepartment, MeasureTheme, Theme
from .themes import tree_order

FACET_LIMIT = 15
THEME_KINDS = ("h", "i")  # domain, instrument
FACET_TABLE = "measures_measurefacet"


def facet_counts(*, ids: list[int] | None = None, filters: dict | None = None) -> dict[str, list[tuple]]:
    """Counts per filter value of the measures in view: ``ids`` (a search's candidates) and/or every
    measure ``filters`` (MeasureFilter's, validated) allow; ``"total"`` is how many are in view."""
    if connection.vendor == "postgresql":
        scope = _facet_table_scope(ids, filters)
    else:
        measures = Measure.objects.all()
        if ids is not None:
            measures = measures.filter(search.in_ids(ids))
        if filters:
            measures = MeasureFilter(filters, queryset=measures).qs
        scope = _link_scope(measures) if ids is not None or measures.query.where else None
    return _assemble(_grouped_counts(*(scope or _link_scope(None))))  # None: every measure


def _assemble(rows: list[tuple]) -> dict[str, list[tuple]]:
    by_kind: dict[str, list[tuple]] = {}
    parents: dict[int, int | None] = {}
    for kind, key, label, label2, n, sort, parent in rows:
        by_kind.setdefault(kind, []).append((key, label, label2, int(n), sort))  # PostgreSQL sums are numeric
        if kind in THEME_KINDS:
            parents[key] = parent
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
            (label, name, n)
            for _, label, name, n, _ in sorted(
                by_kind.get("h", []) + by_kind.get("i", []), key=lambda row: (-row[3], row[4])
            )
        ],
        # Domains as a tree, biggest first among siblings: (code, name, n, depth).
        "domain": [
            (label, name, n, depth)
            for (_, label, name, n, _), depth in tree_order(
                by_kind.get("h", []), key=lambda row: row[0], parent=lambda row: parents[row[0]], order=_biggest
            )
        ],
        "instrument": [(label, name, n) for _, label, name, n, _ in sorted(by_kind.get("i", []), key=_biggest)],
        "department": [
            (label, n) for _, label, _, n, _ in sorted(by_kind.get("l", []), key=lambda row: (-row[3], row[1]))
        ][:FACET_LIMIT],
        "in_force": [("true", "现行有效", in_force), ("false", "非现行有效", total - in_force)],
    }


def _biggest(row: tuple) -> tuple:
    """Theme rows ``(id, code, name, n, sort_order)``: most measures first, then in taxonomy order."""
    return -row[3], row[4], row[1]


# A scope is (CTE prelude, its params, the relation with a document_id per measure in view, the
# per-theme counts as SQL, the per-lead-department counts as SQL); each count yields (id, n).


def _link_scope(measures: QuerySet[Measure] | None) -> tuple[str, list, str, str, str]:
    """Counts from the link tables: of ``measures`` (materialised as ``s``), or of all (None)."""
    themes, links = MeasureTheme._meta.db_table, MeasureDepartment._meta.db_table
    if measures is None:
        prelude, params, relation, scope = "", [], Measure._meta.db_table, ""
    else:
        scope_sql, params = sql_of(measures.values("pk", "document_id"))
        prelude, relation = f"s AS MATERIALIZED ({scope_sql}),", "s"
        # "IN (SELECT …)", not a join: SQLite then walks the links' measure index from the set rather
        # than scanning every link and probing the set (200 ms for a search's 200 candidates).
        scope = " AND l.measure_id IN (SELECT pk FROM s)"
    theme_counts = f"SELECT l.theme_id AS id, count(*) AS n FROM {themes} l WHERE l.active{scope} GROUP BY l.theme_id"
    lead_counts = (
        f"SELECT l.organization_id AS id, count(*) AS n FROM {links} l"
        f" WHERE l.role = '{MeasureDepartment.Role.LEAD}'{scope} GROUP BY l.organization_id"
    )
    return prelude, list(params), relation, theme_counts, lead_counts


def _facet_table_scope(ids: list[int] | None, filters: dict | None) -> tuple[str, list, str, str, str] | None:
    """PostgreSQL: the measures in view selected on ``measures_measurefacet``, arrays unnested
    (None when nothing restricts them)."""
    conditions, params, documents_cte = [], [], ""
    if ids is not None:
        conditions.append("f.measure_id = ANY(%s::bigint[])")
        params.append(list(ids))
    if filters:
        documents, rest = split_scope(filters)
        if documents is not None:
            documents_sql, documents_params = sql_of(documents.values("pk"))
            # Materialised first: a hash of the allowed documents, not a probe per measure.
            documents_cte = f"d AS MATERIALIZED ({documents_sql}),"
            conditions.append("f.document_id IN (SELECT pk FROM d)")
            params = [*documents_params, *params]
        sets = measure_sets(rest)
        if sets is None:  # theme= names no theme
            conditions.append("false")
        for measure_set in sets or []:
            if measure_set.facet is not None:  # theme, lead department: the row's own arrays
                condition, condition_params = measure_set.facet
            else:  # department in any role, kind: measure ids, read as the search reads them
                ids_sql, condition_params = sql_of(measure_set.ids())
                condition = f"f.measure_id IN ({ids_sql})"
            conditions.append(condition)
            params += condition_params
    if not conditions:
        return None
    where = " AND ".join(conditions)
    prelude = (
        f"{documents_cte} s AS MATERIALIZED"
        f" (SELECT f.document_id, f.theme_ids, f.lead_ids FROM {FACET_TABLE} f WHERE {where}),"
    )
    theme_counts = "SELECT x AS id, count(*) AS n FROM s, unnest(s.theme_ids) x GROUP BY x"
    lead_counts = "SELECT x AS id, count(*) AS n FROM s, unnest(s.lead_ids) x GROUP BY x"
    return prelude, params, "s", theme_counts, lead_counts


def _grouped_counts(prelude: str, params: list, relation: str, theme_counts: str, lead_counts: str) -> list[tuple]:
    """Rows ``(kind, key, label, label2, n, sort, parent)``: measures per region (r), year (y), document
    type (t), in force or not (f, key 1/0), top document (d), domain (h) and instrument (i) theme with its
    parent theme, and lead department (l)."""
    # The documents' attributes, validity decided as everywhere else (filters.in_force_q).
    documents_sql, documents_params = (
        Document.objects.order_by()
        .annotate(in_force=Case(When(in_force_q(prefix=""), then=Value(1)), default=Value(0)))
        .values("pk", "title", "region__name", "year", "doc_type", "in_force")
        .query.sql_with_params()
    )
    sql = f"""
        WITH {prelude}
        g AS MATERIALIZED (SELECT document_id, count(*) AS n FROM {relation} GROUP BY document_id),
        gd AS MATERIALIZED (SELECT g.n, dd.* FROM g JOIN ({documents_sql}) dd ON dd.pk = g.document_id)
        SELECT 'r', NULL, region__name, NULL, sum(n), 0, CAST(NULL AS BIGINT) FROM gd GROUP BY region__name
        UNION ALL SELECT 'y', year, NULL, NULL, sum(n), 0, NULL FROM gd GROUP BY year
        UNION ALL SELECT 't', NULL, doc_type, NULL, sum(n), 0, NULL FROM gd GROUP BY doc_type
        UNION ALL SELECT 'f', in_force, NULL, NULL, sum(n), 0, NULL FROM gd GROUP BY in_force
        UNION ALL SELECT * FROM (
            SELECT 'd', pk, title, NULL, n, 0, CAST(NULL AS BIGINT) FROM gd ORDER BY n DESC, pk LIMIT {FACET_LIMIT}
        ) top
        UNION ALL SELECT CASE WHEN t.facet = '{Theme.Facet.INSTRUMENT}' THEN 'i' ELSE 'h' END,
            c.id, t.code, t.name, c.n, t.sort_order, t.parent_id
        FROM ({theme_counts}) c JOIN {Theme._meta.db_table} t ON t.id = c.id
        UNION ALL SELECT 'l', c.id, o.name, NULL, c.n, 0, NULL
        FROM ({lead_counts}) c JOIN {Organization._meta.db_table} o ON o.id = c.id
    """
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, *documents_params])
        return cursor.fetchall()


# --- the facet table's consistency (PostgreSQL) ------------------------------------------------------

_WANTED = f"""
    SELECT m.id, m.document_id,
        COALESCE((SELECT array_agg(l.theme_id ORDER BY l.theme_id) FROM {MeasureTheme._meta.db_table} l
                  WHERE l.measure_id = m.id AND l.active), '{{}}') AS theme_ids,
        COALESCE((SELECT array_agg(DISTINCT l.organization_id) FROM {MeasureDepartment._meta.db_table} l
                  WHERE l.measure_id = m.id AND l.role = '{MeasureDepartment.Role.LEAD}'), '{{}}') AS lead_ids
    FROM {Measure._meta.db_table} m
"""


def facet_drift() -> list[int]:
    """PostgreSQL: ids of measures whose facet row is missing, left over or differs from the links."""
    if connection.vendor != "postgresql":
        return []
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            WITH w AS ({_WANTED})
            SELECT COALESCE(w.id, f.measure_id) FROM w FULL JOIN {FACET_TABLE} f ON f.measure_id = w.id
            WHERE w.id IS NULL OR f.measure_id IS NULL OR f.document_id <> w.document_id
               OR f.theme_ids <> w.theme_ids OR f.lead_ids <> w.lead_ids
            ORDER BY 1
            """
        )
        return [row[0] for row in cursor.fetchall()]


def facet_repair() -> None:
    """PostgreSQL: rewrite the facet table from the measures and their links (the triggers keep it so)."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {FACET_TABLE}")
        cursor.execute(
            f"INSERT INTO {FACET_TABLE} (measure_id, document_id, theme_ids, lead_ids)"
            f" SELECT id, document_id, theme_ids, lead_ids FROM ({_WANTED}) w"
        )
