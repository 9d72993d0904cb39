"""Measure search: the index columns, query parsing, the ranked search (SQLite here, PostgreSQL in
``search_postgresql``) behind one interface, ``ranked_ids``.

Index: ``Measure.search_title`` / ``search_body`` hold the analyzer's tokens
(``measures.tokenize.index_tokens``), written by ``measures_index`` inside the
writer's transaction. The database indexes them (migration 0003): PostgreSQL a
generated weighted tsvector with GIN, SQLite an FTS5 table kept by triggers.

Ranking, the same on both backends: measures matching *more query clauses*
come first (so a measure matching most words still ranks, below those matching
all), then by the backend's text score (``ts_rank`` with title weight A / body
B; FTS5 ``bm25`` with a title weight). Ranking work is capped: a few pools of
``CANDIDATES`` measures are scored (PostgreSQL: title matches, matches of every
clause, of any, each read the cheapest way; FTS5 orders its pools by bm25
itself), so a word found in nearly all of 100k measures costs a bounded amount.
Totals are exact up to a cap; above it PostgreSQL shows an estimate and SQLite a
floor (``RankedIds.approximate``).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.core import checks
from django.db import connection
from django.db.models import Case, IntegerField, Q, QuerySet, Value, When
from django.db.models.expressions import RawSQL

from . import search_postgresql
from .derive import measure_tokens
from .filters import DOCUMENT_FIELDS, MeasureFilter, measure_sets, split_scope, sql_of
from .models import Measure, Synonym
from .query import (
    ParsedQuery,
    compile_fts5,
    compile_token_groups,
    expand_synonyms,
    parse_query,
    synonym_groups,
)
from .tokenize import ANALYZER_VERSION, decompound, normalise, query_tokens

SQLITE_COUNT_CAP = 5_000  # FTS5 counts from its index, cheaply: exact up to this, "5,000 条以上" beyond
SQLITE_WINDOW = 4_000  # more matches than this: bm25 ranks the newest this many (see _ranked_sqlite)
SQLITE_PROBE_SHARE = 0.2  # a filter passing this share of measures is tested per match (see _sqlite_scope)
CANDIDATES = 200  # per pool (PostgreSQL: title / all units / any unit; SQLite: all / any): at most 600 ranked
TITLE_WEIGHT_FTS = 5.0  # bm25 column weights: a word in the title counts five times one in the body


# --- index -----------------------------------------------------------------------------------------


def measures_index(*, measure_ids: Iterable[int] | None = None, batch_size: int = 500) -> int:
    """Recompute the token columns of the given measures (all when ``None``); return rows written."""
    queryset = Measure.objects.only("pk", "title", "text", "search_title", "search_body", "search_version")
    if measure_ids is not None:
        queryset = queryset.filter(pk__in=list(measure_ids))
    changed = []
    for measure in queryset.iterator(chunk_size=batch_size):
        title, body = measure_tokens(title=measure.title, text=measure.text)
        if (title, body, ANALYZER_VERSION) != (measure.search_title, measure.search_body, measure.search_version):
            measure.search_title, measure.search_body, measure.search_version = title, body, ANALYZER_VERSION
            changed.append(measure)
    # bulk_update skips save(): fine here, these columns are derived and the DB index follows via
    # the generated column (PostgreSQL) or the UPDATE trigger (SQLite).
    Measure.objects.bulk_update(changed, ["search_title", "search_body", "search_version"], batch_size=batch_size)
    return len(changed)


def index_drift(*, batch_size: int = 1000) -> list[int]:
    """Ids of measures whose stored tokens differ from what the analyzer gives now."""
    drifted = []
    queryset = Measure.objects.only("pk", "title", "text", "search_title", "search_body", "search_version")
    for measure in queryset.iterator(chunk_size=batch_size):
        title, body = measure_tokens(title=measure.title, text=measure.text)
        if (title, body, ANALYZER_VERSION) != (measure.search_title, measure.search_body, measure.search_version):
            drifted.append(measure.pk)
    return drifted


def stale_version_count() -> int:
    """Measures indexed by another analyzer version (a dictionary or rule change since)."""
    return Measure.objects.exclude(search_version=ANALYZER_VERSION).count()


def sqlite_fts_rebuild() -> None:
    """Rebuild the FTS5 table from the token columns (SQLite only; PostgreSQL's column is generated)."""
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("INSERT INTO measures_measure_fts(measures_measure_fts) VALUES ('rebuild')")


# --- query -----------------------------------------------------------------------------------------


def active_synonym_groups() -> list[tuple[str, ...]]:
    return synonym_groups((s.term_list for s in Synonym.objects.filter(active=True).only("terms")), normalise=normalise)


def parse(raw: str, *, synonyms: list[tuple[str, ...]] | None = None) -> ParsedQuery:
    """User input → clauses with synonyms added (one query for the synonym table unless given)."""
    parsed = parse_query(raw, tokenize=query_tokens, normalise=normalise)
    if parsed.is_empty:
        return parsed
    groups = active_synonym_groups() if synonyms is None else synonyms
    return expand_synonyms(parsed, groups, tokenize=query_tokens, decompound=decompound)


@dataclass
class RankedIds:
    ids: list[int] = field(default_factory=list)  # best first, at most 3 × CANDIDATES
    total: int = 0  # measures matching any clause, after filters: exact up to a cap, else estimated
    approximate: bool = False  # total is an estimate (PostgreSQL) or a floor (SQLite: its cap + 1)


def _phrases(parsed: ParsedQuery, alias: str) -> tuple[str, list]:
    """SQL keeping rows where each required phrase occurs literally, tested only on rows the index matched."""
    sql, params = "", []
    for phrases in parsed.required_phrases():
        tests = []
        for phrase in phrases:
            pattern = "%" + phrase.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
            tests.append(f"LOWER({alias}.title) LIKE %s ESCAPE '\\' OR LOWER({alias}.text) LIKE %s ESCAPE '\\'")
            params += [pattern, pattern]
        sql += " AND (" + " OR ".join(tests) + ")"
    return sql, params


def ranked_ids(
    parsed: ParsedQuery, *, base: QuerySet | None = None, filters: dict | None = None, limit: int = CANDIDATES
) -> RankedIds:
    """Ids matching ``parsed`` within ``base`` (a filtered Measure queryset), best first.

    ``filters`` (MeasureFilter's, already validated), when given, are what made ``base``, and are
    applied in the form each backend runs fastest (``base`` is then not used): the documents they
    allow, and measure-level filters as id sets or as index probes of each match.
    """
    if parsed.is_empty:
        return RankedIds()
    documents, sets = None, None
    if filters is not None:
        documents, rest = split_scope(filters)
        if (sets := measure_sets(rest, resolve=True)) is None:
            return RankedIds()  # a theme or department that does not exist
    if connection.vendor == "postgresql":
        if sets is not None:
            scope = search_postgresql.Filters.of(documents, sets)
        elif base is not None:
            scope = search_postgresql.Filters(sets=(sql_of(base.values("pk")),))  # no probes: materialised
        else:
            scope = search_postgresql.Filters()
        ids, total, approximate = search_postgresql.rank(parsed, scope, limit, _phrases(parsed, "m"))
        return RankedIds(ids=ids, total=total, approximate=approximate)
    probes = []
    if sets is not None:
        base, probes = _sqlite_scope(filters, documents, sets)
    return _ranked_sqlite(parsed, base, limit, probes)


def _sqlite_scope(filters: dict, documents: QuerySet | None, sets: list) -> tuple[QuerySet | None, list]:
    """SQLite: (a Measure queryset to materialise, or per-match probes) for ``filters``, split into
    the ``documents`` they allow and their measure-level ``sets``.

    Measure-level filters (theme, department, role, kind) that each let a big share of measures pass
    are tested on each FTS5 match by index (``EXISTS``): the statement's parts stop after a few
    thousand matches. Otherwise the filters are materialised once: the document filters as the
    FilterSet's join, the measure-level ones as ids read from their link tables (the FilterSet's
    form, an EXISTS per measure, tested all 100k measures: 60-120 ms). Document filters are never
    probed: a region's matches are few among many, and a probe per match cost 2-4x the join.
    """
    if sets and documents is None and _all_broad(sets):
        return None, [sql_of(measure_set.probe("f.rowid")) for measure_set in sets]
    document_filters = {key: value for key, value in filters.items() if key in DOCUMENT_FIELDS}
    base = MeasureFilter(document_filters, queryset=Measure.objects.all()).qs if documents is not None else None
    for measure_set in sets:
        base = (base if base is not None else Measure.objects.all()).filter(pk__in=measure_set.ids())
    return base, []


def _all_broad(sets: list) -> bool:
    """Whether every set passes at least SQLITE_PROBE_SHARE of the measures (counted up to that)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT max(id) FROM measures_measure")  # about the number of measures, at once
        cap = int((cursor.fetchone()[0] or 0) * SQLITE_PROBE_SHARE)
        queries = [sql_of(measure_set.ids()) for measure_set in sets]
        counts = ", ".join(f"(SELECT count(*) FROM ({sql} LIMIT {cap}))" for sql, _ in queries)
        cursor.execute(f"SELECT {counts}", [param for _, params in queries for param in params])
        return all(count >= cap for count in cursor.fetchone())


def _ranked_sqlite(
    parsed: ParsedQuery, base: QuerySet | None, limit: int, probes: list[tuple[str, list]] | None = None
) -> RankedIds:
    compiled = compile_fts5(parsed)
    prelude, prelude_params, where = "", [], ""
    probe_params = []
    for probe_sql, params in probes or []:
        where += f" AND EXISTS ({probe_sql})"
        probe_params += params
    if base is not None:
        # Filters evaluated once per search (a materialised id set), not once per statement part.
        # "+f.rowid": keeps SQLite from handing the id list to FTS5 as rowid constraints, which runs
        # the full-text query once per id (seconds with filters at 100k measures).
        base_sql, prelude_params = sql_of(base.values("pk"))
        prelude, where = f"b AS MATERIALIZED ({base_sql}),", where + " AND +f.rowid IN (SELECT b.pk FROM b)"
    phrase_sql, where_params = _phrases(parsed, "m")
    where_params = probe_params + where_params
    join = " JOIN measures_measure m ON m.id = f.rowid" if phrase_sql else ""
    where += phrase_sql
    matching = f"FROM measures_measure_fts f{join} WHERE measures_measure_fts MATCH %s{where}"
    # One statement: FTS5 counts from its index (13 ms for 100k matches); bm25 costs ~2 µs per match,
    # so a word in nearly every measure is ranked within its newest SQLITE_WINDOW matches (w.low: a
    # rowid FTS5 seeks to), not over all of them.
    coverage = " + ".join(
        "(c.id IN (SELECT rowid FROM measures_measure_fts WHERE measures_measure_fts MATCH %s"
        " AND rowid >= (SELECT low FROM w)))"
        for _ in compiled.each
    )
    pool = (
        f"SELECT f.rowid AS id, bm25(measures_measure_fts, {TITLE_WEIGHT_FTS}, 1.0) AS score "
        f"{matching} AND f.rowid >= (SELECT low FROM w) ORDER BY score LIMIT %s"
    )
    pools = [pool] if compiled.all == compiled.any else [pool, pool]
    sql = f"""
        WITH {prelude}
        w AS (SELECT COALESCE((SELECT f.rowid {matching} ORDER BY f.rowid DESC LIMIT 1 OFFSET {SQLITE_WINDOW - 1}), 0) AS low),
        t AS (SELECT count(*) AS n FROM (SELECT 1 {matching} LIMIT {SQLITE_COUNT_CAP + 1})),
        c AS ({" UNION ".join(f"SELECT * FROM ({p})" for p in pools)})
        SELECT c.id, {coverage} AS coverage, min(c.score) AS score, (SELECT n FROM t) FROM c GROUP BY c.id
        UNION ALL SELECT NULL, NULL, NULL, (SELECT n FROM t)
        ORDER BY 2 DESC, 3 ASC, 1
    """
    params = [*prelude_params, compiled.any, *where_params, compiled.any, *where_params]
    if len(pools) == 2:
        params += [compiled.all, *where_params, limit]
    params += [compiled.any, *where_params, limit, *compiled.each]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    total = rows[-1][3] if rows else 0
    ids = [row[0] for row in rows if row[0] is not None]
    return RankedIds(ids=ids, total=total, approximate=total > SQLITE_COUNT_CAP)


def order_by_ids(queryset: QuerySet, ids: list[int]) -> QuerySet:
    """``queryset`` limited to ``ids`` and kept in that order."""
    if not ids:
        return queryset.none()
    ranking = Case(*(When(pk=pk, then=Value(i)) for i, pk in enumerate(ids)), output_field=IntegerField())
    return queryset.filter(pk__in=ids).annotate(search_rank=ranking).order_by("search_rank")


def search_queryset(queryset: QuerySet, query: str) -> QuerySet:
    """``Measure.objects.search(q)``: the matches of ``q`` within ``queryset``, best first."""
    parsed = parse(query)
    ranked = ranked_ids(parsed, base=queryset if queryset.query.where else None)
    return order_by_ids(queryset, ranked.ids)


def check_analyzer_version(app_configs=None, **kwargs):
    """System check (``manage.py check --database default``): stored tokens from another analyzer version."""
    from django.core.checks import Warning
    from django.db.utils import DatabaseError

    try:
        stale = stale_version_count()
    except DatabaseError:  # not migrated yet
        return []
    if not stale:
        return []
    return [
        Warning(
            f"{stale} 条措施的检索分词来自旧版本（当前 {ANALYZER_VERSION}）。",
            hint="运行 python manage.py rebuild_search_index",
            id="measures.W001",
        )
    ]


# Registered here rather than in AppConfig.ready: this module is imported at start-up (services → admin).
checks.register(check_analyzer_version, checks.Tags.database)


def ids_with_tokens(groups: Sequence[Sequence[str]]) -> list[int]:
    """Ids of measures whose stored tokens (title or body) include every token of at least one group,
    read from the full-text index: the stored tokens are what both backends index, one lexeme each."""
    tsquery, fts5 = compile_token_groups(groups)
    if not tsquery:
        return []
    if connection.vendor == "postgresql":
        sql, params = "SELECT id FROM measures_measure WHERE search_vector @@ to_tsquery('simple', %s)", [tsquery]
    else:
        sql, params = "SELECT rowid FROM measures_measure_fts WHERE measures_measure_fts MATCH %s", [fts5]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [row[0] for row in cursor.fetchall()]


def in_ids(ids: list[int], field: str = "pk") -> Q:
    """``field IN ids`` for hundreds of ids; on PostgreSQL as one array parameter.

    psycopg parses the query text for placeholders on every new query string, and an IN list of
    1,000 placeholders made that ~4 ms per query — more than the query itself.
    """
    if connection.vendor == "postgresql":
        return Q(**{f"{field}__in": RawSQL("SELECT unnest(%s::bigint[])", (list(ids),))})
    return Q(**{f"{field}__in": list(ids)})
