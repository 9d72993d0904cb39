"""Ranked search on PostgreSQL: candidate pools read the cheapest way, then ranked with ``ts_rank``.

A search ranks at most three capped pools of candidates, found without ranking:

- ``title``: measures with a query word in the title (they rank highest);
- ``all``: measures matching every clause (only for more than one clause);
- ``any``: measures matching any clause, read up to ``COUNT_CAP + 1``: it is also the count.

Each pool can be read three ways, priced from the planner's row estimates and per-row costs measured
at 100k measures (``plan_pools``); the cheapest is used:

- ``bitmap``: the GIN index's bitmap of every match, each match visited and tested against the filter.
  Cheap for a rare word; a word in most measures builds a bitmap of 100k entries (10 ms) to take 1,001;
- ``scan``: the table in order, each stored vector tested, until the pool is full: ~1,100 rows
  (1.5 ms) for that word; for a rare word, the whole table;
- ``filter``: the measures the filters allow, by index, each one's vector tested (only with filters).

Filters: document-level ones (region, years, type, validity) are the ids of the documents allowed,
materialised once (``d``), at most a few thousand. Measure-level ones (theme, department, role, kind)
are either intersected once into a materialised set ``b``, or tested per measure by index probes of
their link tables (``EXISTS``), when reading a big theme's 47k links would cost more than the few
thousand probes the pools need. The planner prices a tsvector test like an integer comparison and
chooses wrongly between these (2-5x, both ways), hence the choice here; each form is written so that
the planner has a single way to read the text (`` + 0`` keeps a filter from being an index path;
``ts_match_vq``, the function behind ``@@``, keeps the text test from being one). A probe's
``EXISTS`` it may still run as a semi-join driven by the links, when it prices that lower.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from django.db import connection, transaction
from django.db.backends.signals import connection_created
from django.db.models import QuerySet

from .filters import MeasureSet, sql_of
from .query import Compiled, ParsedQuery, compile_tsquery

COUNT_CAP = 1_000  # matches are counted exactly up to this; beyond, the estimate is shown ("约 …")
SINGLE_PASS_MAX = 20_000  # a single pass reads every measure the filters allow: bounded, whatever the estimates
SAMPLE_SIZE = 1_000  # measures tested to estimate a total above the cap with theme/department/role filters
PG_WEIGHTS = "{0.1, 0.2, 0.4, 1.0}"  # ts_rank weights for D, C, B (body), A (title)

RANKING_SETTINGS = ("enable_seqscan = off", "synchronize_seqscans = off", "max_parallel_workers_per_gather = 0")

TEXT_MATCH = "m.search_vector @@ to_tsquery('simple', %s)"
SCAN_MATCH = "ts_match_vq(m.search_vector, to_tsquery('simple', %s))"  # the same test, which no index serves
TITLE_INDEX_MATCH = "to_tsvector('simple', m.search_title) @@ to_tsquery('simple', %s)"

# Per-row costs measured at 100k measures (µs).
COST_BITMAP_MATCH = 0.1  # one match in a GIN bitmap
COST_VISIT_MATCH = 1.0  # a bitmap match's row visited (and probed against a hashed filter)
COST_SCAN_ROW = 1.4  # one row read in table order and its stored vector tested
COST_TEST_TSVECTOR = 2.0  # a measure the filter allows fetched by index and its vector tested
COST_SET_ROW = 0.6  # one id of a measure-level filter's set read and intersected
COST_EXTRA_TEST = 0.25  # one more tsquery tested on a vector already fetched, relative to the first
COST_HASH_ROW = 0.3  # one id of the materialised set hashed by a pool that probes it
COST_PROBE = 1.0  # one measure tested against a measure-level filter by index (its links)


@dataclass(frozen=True)
class Estimates:
    """The planner's row estimates (one EXPLAIN): measures, and matches of any clause, of every
    clause, and of any clause with its words in the title."""

    measures: int
    any: int
    all: int
    title: int


@dataclass(frozen=True)
class Filters:
    """A search's filters as SQL: the documents allowed, measure-level id sets and their probes."""

    documents: tuple[str, list] | None = None
    sets: tuple[tuple[str, list], ...] = ()
    probes: tuple[tuple[str, list], ...] | None = None  # one per set; None when a set cannot be probed
    facets: tuple[tuple[str, list] | None, ...] = ()  # per set: its test on a facet table row ``f``, if any

    @classmethod
    def of(cls, documents: QuerySet | None, sets: list[MeasureSet]) -> Filters:
        """The documents a search's filters allow (None: all) and its measure-level ``sets``."""
        return cls(
            documents=sql_of(documents.values("pk")) if documents is not None else None,
            sets=tuple(sql_of(measure_set.ids()) for measure_set in sets),
            probes=tuple(sql_of(measure_set.probe("m.id")) for measure_set in sets),
            facets=tuple(measure_set.facet for measure_set in sets),
        )

    @property
    def any(self) -> bool:
        return self.documents is not None or bool(self.sets)


@dataclass(frozen=True)
class PoolPlan:
    materialise: bool  # measure-level sets read once into b (else probed per measure)
    forms: dict  # pool name -> "bitmap" | "scan" | "filter"
    allowed: float  # measures the filters allow (estimated)
    single_pass: bool = False  # every measure the filters allow tested once, for all pools (exact count)


def estimates(compiled: Compiled) -> Estimates:
    branches = [
        "SELECT 1 FROM measures_measure m",
        f"SELECT 1 FROM measures_measure m WHERE {TEXT_MATCH}",
        f"SELECT 1 FROM measures_measure m WHERE {TEXT_MATCH}",
        f"SELECT 1 FROM measures_measure m WHERE {TITLE_INDEX_MATCH}",
    ]
    plan = _explain(" UNION ALL ".join(branches), [compiled.any, compiled.all, compiled.any])
    return Estimates(*(max(1, int(branch["Plan Rows"])) for branch in plan["Plans"]))


def _explain(sql: str, params: list) -> dict:
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}", params)
        plan = cursor.fetchone()[0]
    plan = json.loads(plan) if isinstance(plan, str) else plan
    return plan[0]["Plan"]


def _allowed(measures: int, filters: Filters) -> tuple[float, list[int]]:
    """(measures the filters allow, rows of each set), filters taken as independent."""
    allowed = float(measures)
    if filters.documents is not None:
        sql, params = filters.documents
        allowed = _explain(f"SELECT 1 FROM measures_measure m WHERE m.document_id IN ({sql})", params)["Plan Rows"]
    set_rows = [int(_explain(sql, params)["Plan Rows"]) for sql, params in filters.sets]
    for rows in set_rows:
        allowed *= min(1.0, rows / measures)
    return max(1.0, allowed), set_rows


def pool_costs(matches: int, wanted: int, measures: int, allowed: float, probe_cost: float) -> dict[str, float]:
    """Estimated µs to fill a pool of ``wanted`` from ``matches`` text matches, each way; ``allowed``
    measures pass the filters, at ``probe_cost`` per measure tested against them (beyond a hash)."""
    share = allowed / measures  # of measures, passing the filters
    passing = max(matches * share, 1e-9)  # matching and passing
    costs = {
        "bitmap": matches * COST_BITMAP_MATCH + min(matches, wanted / share) * (COST_VISIT_MATCH + probe_cost),
        "scan": min(measures, wanted * measures / passing) * (COST_SCAN_ROW + matches / measures * probe_cost),
    }
    if allowed < measures:
        costs["filter"] = min(allowed, wanted * measures / matches) * COST_TEST_TSVECTOR
    return costs


def plan_pools(estimates: Estimates, filters: Filters, pools: dict[str, tuple[int, int]]) -> PoolPlan:
    """The cheapest way to read each of ``pools`` (name -> (estimated matches, wanted))."""
    measures = estimates.measures
    if not filters.any:
        forms = {name: _cheapest(pool_costs(n, wanted, measures, measures, 0.0)) for name, (n, wanted) in pools.items()}
        return PoolPlan(materialise=False, forms=forms, allowed=measures)
    allowed, set_rows = _allowed(measures, filters)
    # Sets materialised (or documents only): each pool driven by the filter, the bitmap or a scan.
    materialised = {name: pool_costs(n, wanted, measures, allowed, 0.0) for name, (n, wanted) in pools.items()}
    if filters.sets:  # a pool not driven by the set hashes it, each pool anew
        for costs in materialised.values():
            for form in ("bitmap", "scan"):
                costs[form] += allowed * COST_HASH_ROW
    best = {name: min(costs.values()) for name, costs in materialised.items()}
    cost_materialised = sum(set_rows) * COST_SET_ROW + sum(best.values())
    # Or every measure the filters allow read once, each tested for all pools at once: for a narrow
    # filter the pools would each read most of them (a third of the pages, and an exact count).
    cost_single = sum(set_rows) * COST_SET_ROW + allowed * COST_TEST_TSVECTOR * (1 + COST_EXTRA_TEST * (len(pools) - 1))
    if filters.sets and filters.probes is not None:
        # Sets probed per measure: bitmap or scan, each measure tested by index.
        probe_cost = len(filters.probes) * COST_PROBE
        probed = {name: pool_costs(n, wanted, measures, allowed, probe_cost) for name, (n, wanted) in pools.items()}
        for costs in probed.values():
            costs.pop("filter", None)
        if sum(min(costs.values()) for costs in probed.values()) < min(cost_materialised, cost_single):
            return PoolPlan(materialise=False, forms={n: _cheapest(c) for n, c in probed.items()}, allowed=allowed)
    if cost_single < cost_materialised and allowed <= SINGLE_PASS_MAX:
        return PoolPlan(materialise=True, forms=dict.fromkeys(pools, "filter"), allowed=allowed, single_pass=True)
    return PoolPlan(materialise=True, forms={n: _cheapest(c) for n, c in materialised.items()}, allowed=allowed)


def _cheapest(costs: dict[str, float]) -> str:
    return min(costs, key=costs.get)


def rank(parsed: ParsedQuery, filters: Filters, limit: int, phrases: tuple[str, list]) -> tuple[list[int], int, bool]:
    """(ids best first, total, whether the total is an estimate) for ``parsed`` within ``filters``;
    ``phrases`` is SQL on ``m`` keeping the rows where each required phrase occurs literally."""
    compiled = compile_tsquery(parsed)
    estimated = estimates(compiled)
    pools = {"title": (estimated.title, limit), "any": (estimated.any, COUNT_CAP + 1)}
    if compiled.all != compiled.any:  # one clause: "every clause" is "any clause"
        pools["all"] = (estimated.all, limit)
    plan = plan_pools(estimated, filters, pools)

    prelude, prelude_params = "", []
    if filters.documents is not None:
        prelude += f"d AS MATERIALIZED ({filters.documents[0]}),"
        prelude_params += filters.documents[1]
    if filters.sets and plan.materialise:
        intersected, intersected_params = [], []
        facets = filters.facets or (None,) * len(filters.sets)
        in_facets = [facet for facet in facets if facet is not None] if filters.documents is not None else []
        for (sql, params), facet in zip(filters.sets, facets, strict=True):
            if facet is None or not in_facets:
                intersected.append(sql)
                intersected_params += params
        if filters.documents is not None:
            # The allowed documents' measures too (from the narrow facet table, by document), so that
            # a pool the filter drives fetches and tests only measures that pass every filter; theme
            # and lead-department filters are tested on those rows' arrays instead of intersecting
            # their sets (10k links of a theme read and hashed to keep the few in a region).
            facet_sql = "".join(f" AND {sql}" for sql, _ in in_facets)
            intersected.append(
                f"SELECT f.measure_id FROM measures_measurefacet f WHERE f.document_id IN (SELECT pk FROM d){facet_sql}"
            )
            intersected_params += [param for _, params in in_facets for param in params]
        prelude += f"b(id) AS MATERIALIZED ({' INTERSECT '.join(f'({sql})' for sql in intersected)}),"
        prelude_params += intersected_params

    def restrict(form: str) -> tuple[str, list]:
        """The filters' SQL for a pool read ``form``: an index path only when the filter drives."""
        drive = "" if form == "filter" else " + 0"
        sql, params = "", []
        if filters.documents is not None and not (filters.sets and plan.materialise and form == "filter"):
            sql += f" AND m.document_id{drive} IN (SELECT d.pk FROM d)"
        if filters.sets and plan.materialise:
            sql += f" AND m.id{drive} IN (SELECT b.id FROM b)"
        elif filters.sets:
            for probe_sql, probe_params in filters.probes:
                sql += f" AND EXISTS ({probe_sql})"
                params += probe_params
        return sql + phrases[0], params + phrases[1]

    def pool(name: str, wanted: int) -> tuple[str, list]:
        form = plan.forms[name]
        where, params = restrict(form)
        if name == "title" and form == "bitmap":
            # Titles through the title index; the whole-text condition (exclusions, the other
            # clauses) tested on the rows fetched, not as a second bitmap of every match.
            test, test_params = f"{TITLE_INDEX_MATCH} AND {SCAN_MATCH}", [compiled.any, compiled.any]
        elif name == "title":  # the stored vector tested for the words with title weight (A)
            test, test_params = SCAN_MATCH, [compiled.in_title]
        else:
            tsquery = compiled.any if name == "any" else compiled.all
            test, test_params = (TEXT_MATCH if form == "bitmap" else SCAN_MATCH), [tsquery]
        return f"SELECT m.id FROM measures_measure m WHERE {test}{where} LIMIT {wanted}", test_params + params

    if plan.single_pass:
        where, where_params = restrict("filter")
        every = f", {SCAN_MATCH} AS every_clause" if "all" in pools else ""
        counted_sql = f"SELECT m.id, {SCAN_MATCH} AS in_title{every} FROM measures_measure m WHERE {SCAN_MATCH}{where}"
        counted_params = [compiled.in_title, *([compiled.all] if every else []), compiled.any, *where_params]
        parts = [(f"SELECT n.id FROM n WHERE n.in_title LIMIT {limit}", [])]
        if every:
            parts.append((f"SELECT n.id FROM n WHERE n.every_clause LIMIT {limit}", []))
    else:
        counted_sql, counted_params = pool("any", COUNT_CAP + 1)
        parts = [pool(name, limit) for name in ("title", "all") if name in pools]
    parts.append((f"SELECT n.id FROM n LIMIT {limit}", []))
    coverage = " + ".join("(c.v @@ to_tsquery('simple', %s))::int" for _ in compiled.each)
    sql = f"""
        WITH {prelude} n AS MATERIALIZED ({counted_sql}),
        c AS ({" UNION ".join(f"({part})" for part, _ in parts)})
        SELECT c.id, {coverage} AS coverage, ts_rank('{PG_WEIGHTS}', c.v, to_tsquery('simple', %s)) AS score,
               (SELECT count(*) FROM n)
        FROM (SELECT m.id, m.search_vector AS v FROM measures_measure m JOIN c ON c.id = m.id) c
        UNION ALL SELECT NULL, NULL, NULL, (SELECT count(*) FROM n)
        ORDER BY 2 DESC NULLS LAST, 3 DESC, 1
    """
    params = [*prelude_params, *counted_params, *(p for _, ps in parts for p in ps), *compiled.each, compiled.any]
    with transaction.atomic(savepoint=False), connection.cursor() as cursor:
        # Each pool has one way to run (see the module's docstring), but the planner would still
        # price a scan below a bitmap pool's index because of the LIMITs: sequential scans are
        # disabled, and a scan pool, having no other way, still scans. A pool takes the first rows
        # it finds, and must find the same ones every time: scans start at the table's first page (a
        # synchronised scan starts where a concurrent one is) and run in one process (parallel
        # workers deliver rows in whatever order they finish). (RESET: inside a caller's
        # transaction the settings must not outlive this statement.)
        cursor.execute(f"SET LOCAL {'; SET LOCAL '.join(RANKING_SETTINGS)}")
        cursor.execute(sql, params)
        rows = cursor.fetchall()
        cursor.execute("; ".join(f"RESET {setting.split(' = ')[0]}" for setting in RANKING_SETTINGS))
    ids, total = [row[0] for row in rows if row[0] is not None], rows[-1][3]
    if total <= COUNT_CAP or plan.single_pass:  # a single pass counts every match
        return ids, total, False
    # Counting 100k matches of a common word reads every matching row (~0.4 s): above the cap the
    # total is estimated. The planner's count of the matches, from the column statistics (most
    # common lexemes), is within a few percent; so is the share of measures document filters allow,
    # applied as if independent of the words. Themes are not: they are assigned from the very words
    # people search (融资 in the finance theme: 9,532 matches, 2,765 if independent), so with
    # measure-level filters the total is measured on a sample of the measures instead.
    if filters.sets:
        return ids, max(COUNT_CAP + 1, _sampled_total(compiled, filters, estimated.measures, phrases)), True
    return ids, max(COUNT_CAP + 1, round(estimated.any * plan.allowed / estimated.measures)), True


def _sampled_total(compiled: Compiled, filters: Filters, measures: int, phrases: tuple[str, list]) -> int:
    """The matches within ``filters``, estimated on a sample of about SAMPLE_SIZE measures: whole
    table pages picked at random but always the same ones (``TABLESAMPLE SYSTEM … REPEATABLE``),
    each measure tested for the words and, if it has them, against the filters: a few ms, whatever
    the sizes of the filters' sets."""
    percent = min(100.0, 100.0 * SAMPLE_SIZE / measures)
    prelude, where, params = "", "", []
    if filters.documents is not None:
        prelude, where = (
            f"WITH d AS MATERIALIZED ({filters.documents[0]})",
            " AND m.document_id IN (SELECT d.pk FROM d)",
        )
        params += filters.documents[1]
    tests: list[tuple[str, list]] = list(filters.probes or [])
    if filters.probes is None:  # a queryset's ids (``Measure.objects.search``): tested as a set
        tests = [(f"SELECT 1 WHERE m.id IN ({sql})", set_params) for sql, set_params in filters.sets]
    sql = (
        f"{prelude} SELECT count(*) FROM measures_measure m TABLESAMPLE SYSTEM ({percent}) REPEATABLE (0)"
        f" WHERE {SCAN_MATCH}{where}{phrases[0]}" + "".join(f" AND EXISTS ({test})" for test, _ in tests)
    )
    params += [compiled.any, *phrases[1], *(param for _, test_params in tests for param in test_params)]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        found = cursor.fetchone()[0]
    return round(found * 100 / percent)  # each page was taken with this probability


def _planner_costs(sender, connection, **kwargs):
    """PostgreSQL: price random reads as on SSD/cached data (1.1, the usual advice, instead of 4).

    With the default the planner prefers a sequential scan that de-TOASTs every tsvector over the
    GIN bitmap scan as soon as a word matches a few percent of measures (21 ms vs 2.5 ms at 8k
    measures, growing linearly). Belongs in DATABASES OPTIONS (``-c random_page_cost=1.1``) once
    the settings owner agrees; kept here so search does not depend on it.

    JIT is off: it compiles any plan whose estimated cost passes a threshold, and a search with
    ``enable_seqscan`` off (see ``rank``) or a big facet count does; compiling took
    250 ms for a query that runs in 20.
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET random_page_cost = 1.1; SET jit = off")


connection_created.connect(_planner_costs, dispatch_uid="measures.search_postgresql.planner_costs")
