"""Search benchmark: import a synthetic corpus, then time search and the list page on each backend.

    python bench/run_bench.py --docs 10000            # both backends (make bench)
    python bench/run_bench.py --docs 1000 --backend sqlite

Generates the corpus with /work/shared/bench/make_corpus.py into bench/out/ (git-ignored),
imports it with ``manage.py import_documents`` into a fresh database per backend
(var/bench.sqlite3, PostgreSQL ``policybase_bench``), then for a fixed list of queries prints
median and p95 of (a) ranked top-20 search with snippets and facet counts through the selector
and (b) the whole page through the test client, with SQL queries per page and the process RSS.
Not a test: it prints figures.
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


def run_backend(backend: str, corpus: Path, skip_import: bool, repeat: int) -> dict:
    env = {**os.environ, "DATABASE_URL": URLS[backend], "DJANGO_SETTINGS_MODULE": "policybase.settings.dev"}
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
        [sys.executable, __file__, "--measure", backend, "--repeat", str(repeat)],
        env=env,
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    if done.returncode:
        raise SystemExit(done.stderr[-3000:])
    result.update(json.loads(done.stdout.strip().splitlines()[-1]))
    return result


def measure(repeat: int) -> dict:
    """Run inside a process configured for one database: time the selector and the page."""
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

    setup_test_environment()
    prepare_process()  # as policybase/wsgi.py prepares a server process: dictionary loaded, gc.freeze()
    client = Client()
    search_ms, page_ms, queries_per_page = [], [], []
    per_query: dict[str, list[float]] = {}
    for round_number in range(repeat + 1):
        for query, filters in QUERIES:
            started = time.perf_counter()
            result = measure_search(query=query, filters=filters)
            page = list(result.results[:20])
            str([m.highlight for m in page])
            search_ms.append((time.perf_counter() - started) * 1000)
            if round_number:
                per_query.setdefault(
                    f"{query} {json.dumps(filters, ensure_ascii=False) if filters else ''}", []
                ).append(search_ms[-1])
            params = {"q": query, **filters}
            with CaptureQueriesContext(connection) as captured:
                started = time.perf_counter()
                response = client.get("/measures/", params)
                page_ms.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200
            queries_per_page.append(len(captured))
    warm = len(QUERIES)  # the first round warms caches and is not counted
    search_ms, page_ms = search_ms[warm:], page_ms[warm:]
    figures = {
        "documents": Document.objects.count(),
        "measures": Measure.objects.count(),
        "search_p50": statistics.median(search_ms),
        "search_p95": pct(search_ms, 0.95),
        "page_p50": statistics.median(page_ms),
        "page_p95": pct(page_ms, 0.95),
        "queries_per_page": max(queries_per_page),
        "rss_mb": rss_mb(),
        "samples": len(search_ms),
        "slowest": sorted(((statistics.median(ms), q) for q, ms in per_query.items()), reverse=True)[:6],
        "db_version": connection.Database.sqlite_version
        if connection.vendor == "sqlite"
        else connection.cursor().connection.info.server_version,
    }
    # --- page timings: list, theme, document, measure and compare pages (bench/pages_bench.py) ---
    from pages_bench import measure_pages

    figures["pages"] = measure_pages(repeat=repeat)
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--docs", type=int, default=10000, help="documents to generate (10000 ≈ 115k measures)")
    parser.add_argument("--backend", choices=["both", *URLS], default="both", help="which database(s)")
    parser.add_argument("--skip-import", action="store_true", help="reuse the databases of the last run")
    parser.add_argument("--repeat", type=int, default=3, help="timed rounds over the query list (after one warm-up)")
    parser.add_argument("--measure", choices=sorted(URLS), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        print(json.dumps(measure(args.repeat)))
        return
    corpus = OUT / f"corpus{args.docs}"
    if not corpus.exists():
        subprocess.run([sys.executable, str(MAKE_CORPUS), "--docs", str(args.docs), "--out", str(corpus)], check=True)
    print(f"Machine: {machine()}")
    print(f"Corpus: {corpus} ({args.docs} documents); {len(QUERIES)} queries × {args.repeat} rounds\n")
    backends = list(URLS) if args.backend == "both" else [args.backend]
    rows = [run_backend(backend, corpus, args.skip_import, args.repeat) for backend in backends]
    header = (
        f"{'backend':<11}{'docs':>7}{'measures':>10}{'import s':>10}{'meas/s':>8}"
        f"{'search p50':>12}{'p95':>8}{'page p50':>10}{'p95':>8}{'SQL/page':>10}{'RSS MB':>8}"
    )
    print(header)
    for r in rows:
        seconds = r.get("import_seconds")
        imported = f"{seconds:.0f}" if seconds else "-"
        rate = f"{r['measures'] / seconds:.0f}" if seconds else "-"
        print(
            f"{r['backend']:<11}{r['documents']:>7}{r['measures']:>10}"
            f"{imported:>10}{rate:>8}"
            f"{r['search_p50']:>10.1f}ms{r['search_p95']:>6.1f}ms{r['page_p50']:>8.1f}ms{r['page_p95']:>6.1f}ms"
            f"{r['queries_per_page']:>10}{r['rss_mb']:>8.0f}"
        )
    print("\n(search = ranked top-20 with snippets and facet counts via measures.selectors.measure_search;")
    print(
        " page = GET /measures/?q=… through the test client; database versions: "
        + ", ".join(f"{r['backend']} {r['db_version']}" for r in rows)
        + ")"
    )
    for r in rows:
        print(
            f"slowest searches on {r['backend']} (median): "
            + "; ".join(f"{q.strip()} {ms:.0f} ms" for ms, q in r["slowest"])
        )
    # --- page timings (bench/pages_bench.py) ---
    from pages_bench import print_pages

    for r in rows:
        print_pages(r["backend"], r["pages"])


if __name__ == "__main__":
    main()
