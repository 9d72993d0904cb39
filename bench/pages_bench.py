"""Page benchmark: time the list, theme, document, measure and compare pages on an imported corpus.

    DATABASE_URL=postgres://…/policybase_cmpbench python bench/pages_bench.py --repeat 3
    python bench/pages_bench.py --replicate 15      # PostgreSQL only: copy the corpus up to ~15× first

``bench/run_bench.py`` calls ``measure_pages()`` in its measuring process (the
database is imported and configured there), so ``make bench`` prints these
figures too. URLs are chosen from the data, deterministically: the biggest
themes, documents with the most measures, measures spread evenly over the ids.
Each round requests every URL once through the test client; the first round
warms caches (jieba, the frequency sample, PostgreSQL buffers) and is not
counted. Prints median and p95 per page kind and the most SQL queries any page
of that kind made, and the machine's load average (other work inflates times).
Not a test: it prints figures.

``--replicate N`` is for timing pages at the target size before the importer is
fast enough to import it: it copies every document with its measures, themes
and departments N-1 times in SQL, each copy moved to another region (so one
theme in one region holds N times as many measures). The copies' text repeats,
so similarity scores are higher than in a real corpus; query plans and sizes
are what they would be.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
KINDS = ("list", "list+filters", "theme", "document", "measure", "compare", "compare documents")


def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p * (len(ordered) - 1)))]


def page_urls() -> dict[str, list[str]]:
    """The URLs to time, by page kind, picked from the data in the database."""
    from urllib.parse import urlencode

    from django.db.models import Count, Max

    from documents.models import Document
    from measures.browse_selectors import themes_with_counts
    from measures.models import Measure

    themes = [theme.code for theme in sorted(themes_with_counts(), key=lambda theme: (-theme.count, theme.code))]
    big, middle = themes[:3], themes[len(themes) // 2 : len(themes) // 2 + 2]
    documents = list(
        Document.objects.annotate(n=Count("measures")).order_by("-n", "id").values_list("id", "region__name")[:200]
    )
    document_ids = list(Document.objects.order_by("id").values_list("id", flat=True))
    spread = document_ids[:: max(1, len(document_ids) // 4)][:4]
    latest = Measure.objects.aggregate(latest=Max("pk"))["latest"] or 0
    step = max(1, latest // 12)
    measures = list(Measure.objects.filter(pk__in=range(step, latest + 1, step)).values_list("pk", flat=True)[:12])
    regions = [region for _, region in documents]
    region = regions[0] if regions else "深圳市"
    urls = {
        "list": ["/measures/", "/measures/?page=3", "/measures/?sort=date"],
        "list+filters": [
            "/measures/?" + urlencode({"region": region}),
            "/measures/?" + urlencode({"theme": big[0] if big else "", "year_min": 2020}),
            "/measures/?" + urlencode({"doc_type": "measures", "in_force": "true"}),
            "/measures/?" + urlencode({"region": region, "theme": middle[0] if middle else "", "page": 2}),
        ],
        "theme": [f"/themes/{code}/" for code in big + middle] + ([f"/themes/{big[0]}/?page=5"] if big else []),
        "document": [f"/documents/{pk}/" for pk, _ in documents[:4]] + [f"/documents/{pk}/" for pk in spread],
        "measure": [f"/measures/{pk}/" for pk in measures],
        "compare": [f"/compare/?theme={code}" for code in big + middle]
        + ([f"/compare/?theme={big[0]}&year_min=2021"] if big else []),
    }
    # Two documents of the same region with measures on the biggest theme, compared side by side.
    pairs = []
    for pk, region_name in documents:
        same = [other for other, other_region in documents if other_region == region_name and other != pk]
        if same:
            pairs.append((pk, same[0]))
        if len(pairs) == 3:
            break
    urls["compare documents"] = [
        "/compare/?" + urlencode({"theme": code, "document": list(pair)}, doseq=True)
        for pair in pairs
        for code in big[:2]
    ]
    return {kind: found for kind, found in urls.items() if found}


def measure_pages(*, repeat: int = 3) -> dict[str, dict]:
    """Time every page kind (``repeat`` rounds after one warm-up); Django must be set up for the database."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client()
    urls = page_urls()
    timings: dict[str, list[float]] = {kind: [] for kind in urls}
    cpu: dict[str, list[float]] = {kind: [] for kind in urls}
    queries: dict[str, int] = dict.fromkeys(urls, 0)
    load_before = os.getloadavg()[0]
    for round_number in range(repeat + 1):
        for kind, kind_urls in urls.items():
            for url in kind_urls:
                with CaptureQueriesContext(connection) as captured:
                    started, cpu_started = time.perf_counter(), time.process_time()
                    response = client.get(url)
                    elapsed = (time.perf_counter() - started) * 1000
                    cpu_ms = (time.process_time() - cpu_started) * 1000
                if response.status_code != 200:
                    raise SystemExit(f"{url}: HTTP {response.status_code}")
                if round_number:  # the warm-up's extra queries (the frequency sample) are not counted
                    queries[kind] = max(queries[kind], len(captured))
                    timings[kind].append(elapsed)
                    cpu[kind].append(cpu_ms)
    load = (load_before + os.getloadavg()[0]) / 2
    return {
        kind: {
            "p50": statistics.median(values),
            "p95": pct(values, 0.95),
            "max": max(values),
            "cpu_p50": statistics.median(cpu[kind]),  # this process only: Python, not the database server
            "sql": queries[kind],
            "urls": len(urls[kind]),
            "samples": len(values),
            "load": load,  # 1-minute load average around the run: other work on the machine inflates times
        }
        for kind, values in timings.items()
    }


def print_pages(backend: str, pages: dict[str, dict]) -> None:
    load = next(iter(pages.values()), {}).get("load", 0.0)
    print(f"\nPages on {backend} (load average {load:.1f} on {os.cpu_count()} CPUs during the run):")
    print(f"{'page':<20}{'URLs':>6}{'p50':>10}{'p95':>10}{'max':>10}{'CPU p50':>10}{'SQL/page':>10}")
    for kind in KINDS:
        if kind in pages:
            r = pages[kind]
            print(
                f"{kind:<20}{r['urls']:>6}{r['p50']:>8.1f}ms{r['p95']:>8.1f}ms{r['max']:>8.1f}ms"
                f"{r['cpu_p50']:>8.1f}ms{r['sql']:>10}"
            )
    print("(CPU = time the Django process spent per page; the rest is the database and waiting for a CPU)")


def replicate(copies: int) -> None:
    """Copy every document (measures, themes, departments) ``copies - 1`` times into other regions (PostgreSQL)."""
    from django.db import connection, transaction

    if connection.vendor != "postgresql":
        raise SystemExit("--replicate works on PostgreSQL only")
    tables = {
        "documents_document": ("id", None),
        "measures_measure": ("id", "document_id"),
        "measures_measuretheme": ("id", "measure_id"),
        "measures_measuredepartment": ("id", "measure_id"),
    }
    with transaction.atomic(), connection.cursor() as cursor:
        offsets = {}
        for table in tables:
            cursor.execute(f"SELECT coalesce(max(id), 0) FROM {table}")
            offsets[table] = cursor.fetchone()[0]
        cursor.execute("SELECT array_agg(DISTINCT region_id ORDER BY region_id) FROM documents_document")
        regions = cursor.fetchone()[0] or []
        parent_of = {"measures_measure": "documents_document", "measures_measuretheme": "measures_measure"}
        parent_of["measures_measuredepartment"] = "measures_measure"
        for table, (key, parent) in tables.items():
            cursor.execute(
                "SELECT column_name FROM information_schema.columns WHERE table_name = %s AND is_generated = 'NEVER' "
                "ORDER BY ordinal_position",
                [table],
            )
            columns = [row[0] for row in cursor.fetchall()]
            values = []
            for column in columns:
                if column == key:
                    values.append(f"{column} + k * {offsets[table]}")
                elif column == parent:
                    values.append(f"{column} + k * {offsets[parent_of[table]]}")
                elif table == "documents_document" and column == "content_hash":
                    values.append("left(md5(content_hash || k) || md5(k || content_hash), 64)")
                elif table == "documents_document" and column == "region_id":
                    values.append(
                        f"(%(regions)s::bigint[])[(array_position(%(regions)s::bigint[], region_id) - 1 + k) "
                        f"%% {len(regions)} + 1]"
                    )
                else:
                    values.append(column)
            cursor.execute(
                f"INSERT INTO {table} ({', '.join(columns)}) "
                f"SELECT {', '.join(values)} FROM {table}, generate_series(1, %(copies)s) k WHERE {key} <= %(top)s",
                {"regions": regions, "copies": copies - 1, "top": offsets[table]},
            )
            cursor.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))")
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")  # what autovacuum would reach: statistics and the visibility map


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=3, help="timed rounds over the URLs (after one warm-up)")
    parser.add_argument("--replicate", type=int, default=0, help="first copy the corpus up to this many times")
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "policybase.settings.dev")
    import django

    django.setup()
    from django.db import connection
    from django.test.utils import setup_test_environment

    from documents.models import Document
    from measures.models import Measure

    if args.replicate > 1:
        started = time.perf_counter()
        replicate(args.replicate)
        print(f"Replicated ×{args.replicate} in {time.perf_counter() - started:.0f} s")
    setup_test_environment()  # ALLOWED_HOSTS for the test client
    from policybase.startup import prepare_process

    prepare_process(search_applier=True)  # as policybase/wsgi.py prepares a server process, applier included
    pages = measure_pages(repeat=args.repeat)
    print(f"{Document.objects.count()} documents, {Measure.objects.count()} measures ({connection.vendor})")
    print_pages(connection.vendor, pages)


if __name__ == "__main__":
    main()
