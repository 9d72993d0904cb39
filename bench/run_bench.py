"""Search benchmark: import a synthetic corpus, build the index, then time search (API, raw engine, page) on each backend.

    python bench/run_bench.py --docs 10000            # both backends (make bench)
    python bench/run_bench.py --docs 1000 --backend sqlite

Generates the corpus with /work/shared/bench/make_corpus.py into bench/out/ (git-ignored),
imports it with ``manage.py import_documents`` into a fresh database per backend
(var/bench.sqlite3, PostgreSQL ``policybase_bench``), rebuilds the search index from the stored
tokens (timed), then for a fixed list of queries prints median and p95 of (a) the API search with
exact facets, (b) the same search straight on Tantivy in the same run (the ratio is printed), (c) the
selector and (d) the list page; then the browse pages, how long an edit takes to reach search with a
background applier, and the process's anonymous memory. Not a test: it prints figures.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "bench" / "out"
MAKE_CORPUS = Path(os.environ.get("MAKE_CORPUS", "/work/shared/bench/make_corpus.py"))
PG_BASE = os.environ.get("PG_URL", "postgres://postgres:postgres@127.0.0.1:5432/policybase").rsplit("/", 1)[0]
URLS = {"postgresql": f"{PG_BASE}/policybase_bench", "sqlite": f"sqlite:///{ROOT / 'var' / 'bench.sqlite3'}"}

# (query, filters): common and rare words, multi-word, phrases, OR, exclusion, traditional, with and without
# filters (document-level: region, years, type, validity; measure-level: theme, department and role)
QUERIES = [
    ("电子商务", {}),
    ("跨境电商", {}),
    ("海外仓", {}),
    ("农村电商", {}),
    ("人才培养", {}),
    ("上市 融资", {}),
    ("物流配送", {}),
    ("第三方支付", {}),
    ("税收优惠", {}),
    ("知识产权保护", {}),
    ('"跨境电子商务综合试验区"', {}),
    ('"人才培养"', {}),
    ("保险 OR 信贷", {}),
    ("电商 -农村", {}),
    ("跨境電商 海外倉", {}),
    ("Ｂ２Ｃ 网络零售", {}),
    ("云计算 大数据 人工智能", {}),
    ("电子商务", {"region": "深圳市"}),
    ("海外仓", {"year_min": "2020", "year_max": "2023"}),
    ("人才", {"doc_type": "measures"}),
    ("融资", {"in_force": "true"}),
    ("示范基地", {"region": "广州市", "year_min": "2018"}),
    ("电子商务", {"theme": "cross_border"}),
    ("融资", {"theme": "finance"}),
    ("人才培养", {"theme": "talent", "region": "广州市"}),
    ("电商", {"department": "广东省财政局", "role": "lead"}),
]


def machine() -> str:
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if "model name" in line
        ),
        platform.processor(),
    )
    mem = next(
        line.split()[1] for line in Path("/proc/meminfo").read_text().splitlines() if line.startswith("MemTotal")
    )
    return f"{os.cpu_count()} × {cpu}, {int(mem) // 1024} MB RAM, Python {platform.python_version()}"


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS"):
            return int(line.split()[1]) / 1024
    return 0.0


def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p * (len(ordered) - 1)))]


def run_backend(backend: str, corpus: Path, skip_import: bool, repeat: int, replicate: int = 0) -> dict:
    env = {
        **os.environ,
        "DATABASE_URL": URLS[backend],
        "DJANGO_SETTINGS_MODULE": "policybase.settings.dev",
        "POLICYBASE_API_RATE_ANON": "off",  # the benchmark is the load, not a client to hold back
    }
    result: dict = {"backend": backend}
    if not skip_import:
        if backend == "sqlite":
            for suffix in ("", "-wal", "-shm"):
                Path(str(ROOT / "var" / "bench.sqlite3") + suffix).unlink(missing_ok=True)
        else:
            import psycopg

            with psycopg.connect(f"{PG_BASE}/postgres", autocommit=True) as conn:
                conn.execute("DROP DATABASE IF EXISTS policybase_bench")
                conn.execute("CREATE DATABASE policybase_bench")
        manage = [sys.executable, str(ROOT / "manage.py")]
        subprocess.run([*manage, "migrate", "-v0"], env=env, check=True, cwd=ROOT)
        started = time.perf_counter()
        subprocess.run(
            [*manage, "import_documents", str(corpus)], env=env, check=True, cwd=ROOT, stdout=subprocess.DEVNULL
        )
        result["import_seconds"] = time.perf_counter() - started
        if backend == "postgresql":
            import psycopg

            # The import ends with ANALYZE; VACUUM sets the visibility map autovacuum would set minutes
            # later, so facet counts use index-only scans as they do on a server in its steady state.
            # CHECKPOINT writes out the pages the import and VACUUM dirtied, which the checkpointer
            # would otherwise be writing (and competing for the two cores) while searches are timed.
            with psycopg.connect(URLS[backend], autocommit=True) as conn:
                conn.execute("VACUUM ANALYZE")
                conn.execute("CHECKPOINT")
    done = subprocess.run(
        [sys.executable, __file__, "--measure", backend, "--repeat", str(repeat), "--replicate", str(replicate)],
        env=env,
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    if done.returncode:
        raise SystemExit(done.stderr[-3000:])
    result.update(json.loads(done.stdout.strip().splitlines()[-1]))
    return result


def rss_anon_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("RssAnon"):
            return int(line.split()[1]) / 1024
    return 0.0


def raw_engine_ms(query: str, filters: dict, searcher, schema) -> float:
    """The same search straight on Tantivy: the query's analyzer tokens, any of them, in title or body,
    within the filters' scope; top 20 with the count and the same facet aggregation. The floor the
    project's search is compared with (the ratio is printed)."""
    import tantivy

    from measures.tokenize import query_tokens
    from search import compile, engine
    from search.scope import scope_of

    started = time.perf_counter()
    tokens = [
        token
        for word in query.replace('"', " ").split()
        if not word.startswith("-") and word != "OR"
        for token in query_tokens(word)
    ]
    clauses = [(tantivy.Occur.Should, compile._token(schema, token)) for token in tokens]
    text = tantivy.Query.boolean_query(clauses) if clauses else tantivy.Query.all_query()
    scope = compile.scope_query(schema, scope_of(filters))
    combined = tantivy.Query.boolean_query([(tantivy.Occur.Must, text), (tantivy.Occur.Must, scope)])
    result = searcher.search(combined, 20, count=True)
    searcher.fast_field_values("id", [address for _, address in result.hits])
    searcher.aggregate(
        combined,
        {
            name: engine._terms(name, size)
            for name, size in (
                ("region", 10_000),
                ("year", 1000),
                ("doc_type", 100),
                ("themes", 10_000),
                ("document", 15),
                ("department", 15),
                ("lead", 15),
                ("responsible", 15),
                ("cooperate", 15),
            )
        },
    )
    return (time.perf_counter() - started) * 1000


def change_latency_ms(samples: int = 15) -> list[float]:
    """Commit an edit of a measure's title, then search until it is found: what a person waits after saving.
    A background applier runs in this process, as in every server process."""
    from django.db import transaction

    from measures.models import Measure
    from measures.selectors import measure_search
    from measures.services import measures_after_write
    from search.applier import start_background

    start_background()
    measure_ids = list(
        Measure.objects.order_by("pk").values_list("pk", flat=True)[:: max(1, Measure.objects.count() // samples)][
            :samples
        ]
    )
    waits = []
    for number, pk in enumerate(measure_ids):
        marker = f"基准标记{number}号乙丙"
        measure = Measure.objects.get(pk=pk)
        original = measure.title
        with transaction.atomic():
            Measure.objects.filter(pk=pk).update(title=f"{original}{marker}")
            measures_after_write(measure_ids=[pk])
        started = time.perf_counter()
        while not measure_search(query=f'"{marker}"', facets=False).total:
            if time.perf_counter() - started > 30:
                break
            time.sleep(0.005)
        waits.append((time.perf_counter() - started) * 1000)
        with transaction.atomic():
            Measure.objects.filter(pk=pk).update(title=original)
            measures_after_write(measure_ids=[pk])
    return waits


def measure(repeat: int, replicate: int = 0) -> dict:
    """Run inside a process configured for one database: build the index, time the API, the raw engine,
    the selector and the page, and how long an edit takes to reach search."""
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, setup_test_environment

    from documents.models import Document
    from measures.models import Measure
    from measures.selectors import measure_search
    from policybase.startup import prepare_process
    from search import applier, index

    setup_test_environment()
    if replicate > 1:
        from pages_bench import replicate as copy_corpus

        copy_corpus(replicate)
    rebuilt = applier.rebuild()
    # As policybase/wsgi.py prepares a server process: dictionary loaded, gc.freeze(), a background applier
    # (so searches never apply changes themselves, as in a server).
    prepare_process(search_applier=True)
    current = index.handle()
    searcher, schema = current.searcher(), current.index.schema
    client = Client()
    search_ms, api_ms, api_plain_ms, raw_ms, page_ms, queries_per_page = [], [], [], [], [], []
    per_query: dict[str, list[float]] = {}
    for round_number in range(repeat + 1):
        # Interleaved, query by query: the API and the raw engine see the same machine at the same moment.
        for query, filters in QUERIES:
            raw_ms.append(raw_engine_ms(query, filters, searcher, schema))
            started = time.perf_counter()
            response = client.get("/api/measures/", {"q": query, "facets": "true", **filters})
            api_ms.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200, response.content[:300]
            started = time.perf_counter()
            response = client.get("/api/measures/", {"q": query, **filters})
            api_plain_ms.append((time.perf_counter() - started) * 1000)
            started = time.perf_counter()
            result = measure_search(query=query, filters=filters)
            page = list(result.results[:20])
            str([m.highlight for m in page])
            search_ms.append((time.perf_counter() - started) * 1000)
            if round_number:
                per_query.setdefault(
                    f"{query} {json.dumps(filters, ensure_ascii=False) if filters else ''}", []
                ).append(api_ms[-1])
            params = {"q": query, **filters}
            with CaptureQueriesContext(connection) as captured:
                started = time.perf_counter()
                response = client.get("/measures/", params)
                page_ms.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200
            queries_per_page.append(len(captured))
    warm = len(QUERIES)  # the first round warms caches and is not counted
    search_ms, api_ms, raw_ms, page_ms = search_ms[warm:], api_ms[warm:], raw_ms[warm:], page_ms[warm:]
    api_plain_ms = api_plain_ms[warm:]
    figures = {
        "documents": Document.objects.count(),
        "measures": Measure.objects.count(),
        "index_build_s": rebuilt.seconds,
        "index_mb": index.size_bytes() / 1e6,
        "api_p50": statistics.median(api_ms),
        "api_p95": pct(api_ms, 0.95),
        "api_plain_p50": statistics.median(api_plain_ms),
        "api_plain_p95": pct(api_plain_ms, 0.95),
        "raw_p50": statistics.median(raw_ms),
        "raw_p95": pct(raw_ms, 0.95),
        "search_p50": statistics.median(search_ms),
        "search_p95": pct(search_ms, 0.95),
        "page_p50": statistics.median(page_ms),
        "page_p95": pct(page_ms, 0.95),
        "queries_per_page": max(queries_per_page),
        "rss_mb": rss_mb(),
        "rss_anon_mb": rss_anon_mb(),
        "samples": len(search_ms),
        "slowest": sorted(((statistics.median(ms), q) for q, ms in per_query.items()), reverse=True)[:6],
        "db_version": connection.Database.sqlite_version
        if connection.vendor == "sqlite"
        else connection.cursor().connection.info.server_version,
    }
    # --- page timings: list, theme, document, measure and compare pages (bench/pages_bench.py) ---
    from pages_bench import measure_pages

    figures["pages"] = measure_pages(repeat=repeat)
    waits = change_latency_ms()
    figures["change_p50"], figures["change_p95"] = statistics.median(waits), pct(waits, 0.95)
    figures["rss_anon_after_mb"] = rss_anon_mb()
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--docs", type=int, default=10000, help="documents to generate (10000 ≈ 115k measures)")
    parser.add_argument("--backend", choices=["both", *URLS], default="both", help="which database(s)")
    parser.add_argument("--skip-import", action="store_true", help="reuse the databases of the last run")
    parser.add_argument("--repeat", type=int, default=3, help="timed rounds over the query list (after one warm-up)")
    parser.add_argument(
        "--replicate",
        type=int,
        default=0,
        help="PostgreSQL: copy the imported corpus up to N times first (see pages_bench)",
    )
    parser.add_argument("--measure", choices=sorted(URLS), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        print(json.dumps(measure(args.repeat, args.replicate)))
        return
    corpus = OUT / f"corpus{args.docs}"
    if not corpus.exists():
        subprocess.run([sys.executable, str(MAKE_CORPUS), "--docs", str(args.docs), "--out", str(corpus)], check=True)
    print(f"Machine: {machine()}")
    print(f"Corpus: {corpus} ({args.docs} documents); {len(QUERIES)} queries × {args.repeat} rounds\n")
    backends = list(URLS) if args.backend == "both" else [args.backend]
    rows = [run_backend(backend, corpus, args.skip_import, args.repeat, args.replicate) for backend in backends]
    header = (
        f"{'backend':<11}{'docs':>7}{'measures':>10}{'import s':>10}{'index s':>9}{'index MB':>10}"
        f"{'API p50':>9}{'p95':>8}{'raw p50':>9}{'p95':>8}{'ratio p95':>10}{'page p50':>10}{'p95':>8}{'RssAnon MB':>12}"
    )
    print(header)
    for r in rows:
        seconds = r.get("import_seconds")
        imported = f"{seconds:.0f}" if seconds else "-"
        print(
            f"{r['backend']:<11}{r['documents']:>7}{r['measures']:>10}{imported:>10}"
            f"{r['index_build_s']:>9.1f}{r['index_mb']:>10.0f}"
            f"{r['api_p50']:>7.1f}ms{r['api_p95']:>6.1f}ms{r['raw_p50']:>7.2f}ms{r['raw_p95']:>6.2f}ms"
            f"{r['api_p95'] / max(r['raw_p95'], 1e-6):>9.1f}x"
            f"{r['page_p50']:>8.1f}ms{r['page_p95']:>6.1f}ms{r['rss_anon_mb']:>12.0f}"
        )
    print(
        "\n(API = GET /api/measures/?q=…&facets=true through the test client: top 20, exact total and exact facet"
        " counts over every match;\n raw = the same tokens, filters, top 20, count and aggregation straight on Tantivy,"
        " interleaved with the API in the same run;\n page = GET /measures/?q=… with snippets; index s = a full"
        " rebuild from the stored tokens; RssAnon = the measuring process's anonymous memory)"
    )
    for r in rows:
        print(
            f"{r['backend']}: API without facets p50 {r['api_plain_p50']:.1f} ms, p95 {r['api_plain_p95']:.1f} ms;"
            f" search with facets through the selector p50 {r['search_p50']:.1f} ms, p95 {r['search_p95']:.1f} ms;"
            f" an edit reaches search in p50 {r['change_p50']:.0f} ms, p95 {r['change_p95']:.0f} ms"
            f" (background applier); RssAnon after all pages {r['rss_anon_after_mb']:.0f} MB; database {r['db_version']}"
        )
        print(
            f"slowest API searches on {r['backend']} (median): "
            + "; ".join(f"{q.strip()} {ms:.0f} ms" for ms, q in r["slowest"])
        )
    # --- page timings (bench/pages_bench.py) ---
    from pages_bench import print_pages

    for r in rows:
        print_pages(r["backend"], r["pages"])


if __name__ == "__main__":
    main()
