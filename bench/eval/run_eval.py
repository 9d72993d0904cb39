"""Relevance evaluation over the seed corpus: nDCG@10 and MRR of our search vs a naive icontains.

Usage: ``python bench/eval/run_eval.py`` prints the table for both backends (each run in a
subprocess against its own database: var/eval.sqlite3 and PostgreSQL ``policybase_eval``).
``--backend sqlite|postgresql`` runs one and prints JSON. Judgments (bench/eval/judgments.json)
were written by reading the seed measures: 2 = the measure is about the topic, 1 = touches it;
keys are ``<source file prefix>/<ordinal>/<title>`` so they survive re-imports.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
JUDGMENTS = Path(__file__).with_name("judgments.json")
PG_BASE = os.environ.get("PG_URL", "postgres://postgres:postgres@127.0.0.1:5432/policybase").rsplit("/", 1)[0]
URLS = {"sqlite": f"sqlite:///{ROOT / 'var' / 'eval.sqlite3'}", "postgresql": f"{PG_BASE}/policybase_eval"}


def ndcg_at(ranking: list[str], grades: dict[str, int], k: int = 10) -> float:
    dcg = sum((2 ** grades.get(key, 0) - 1) / math.log2(i + 2) for i, key in enumerate(ranking[:k]))
    ideal = sorted(grades.values(), reverse=True)[:k]
    idcg = sum((2**g - 1) / math.log2(i + 2) for i, g in enumerate(ideal))
    return dcg / idcg if idcg else 0.0


def reciprocal_rank(ranking: list[str], grades: dict[str, int]) -> float:
    return next((1 / (i + 1) for i, key in enumerate(ranking) if grades.get(key, 0) > 0), 0.0)


def _run_backend(backend: str) -> dict:
    os.environ["DATABASE_URL"] = URLS[backend]
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "policybase.settings.dev")
    sys.path.insert(0, str(ROOT))
    if backend == "postgresql":
        import psycopg

        with psycopg.connect(f"{PG_BASE}/postgres", autocommit=True) as conn:
            if not conn.execute("SELECT 1 FROM pg_database WHERE datname = 'policybase_eval'").fetchone():
                conn.execute("CREATE DATABASE policybase_eval")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db.models import Q

    from measures.models import Measure
    from measures.selectors import measure_search

    call_command("migrate", verbosity=0)
    call_command("load_seed_corpus", verbosity=0)
    # The database is kept between runs and unchanged seeds are skipped: bring their tokens to this analyzer.
    call_command("rebuild_search_index", verbosity=0, stdout=open(os.devnull, "w"))  # noqa: SIM115
    keys = {
        m.pk: f"{m.document.source_name[:3]}/{m.ordinal}/{m.title}"
        for m in Measure.objects.select_related("document").only("pk", "ordinal", "title", "document__source_name")
    }
    rows = []
    for item in json.loads(JUDGMENTS.read_text()):
        query, grades = item["query"], item["judgments"]
        ours = [keys[pk] for pk in measure_search(query=query, facets=False).results.found.ids(0, 10)]
        naive = Measure.objects.order_by("document_id", "ordinal")
        for word in query.replace('"', " ").split():
            if word != "OR" and not word.startswith("-"):
                naive = naive.filter(Q(title__icontains=word) | Q(text__icontains=word))
        baseline = [keys[pk] for pk in naive.values_list("pk", flat=True)[:10]]
        rows.append(
            {
                "query": query,
                "kind": item.get("kind", ""),
                "ranking": ours,
                "ndcg": ndcg_at(ours, grades),
                "mrr": reciprocal_rank(ours, grades),
                "base_ndcg": ndcg_at(baseline, grades),
                "base_mrr": reciprocal_rank(baseline, grades),
            }
        )
    return {"backend": backend, "rows": rows}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--backend", choices=sorted(URLS), help="run one backend and print JSON")
    parser.add_argument("--per-query", action="store_true", help="also print each query's scores")
    args = parser.parse_args()
    if args.backend:
        print(json.dumps(_run_backend(args.backend), ensure_ascii=False))
        return
    results = {}
    for backend in URLS:
        env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
        done = subprocess.run(
            [sys.executable, __file__, "--backend", backend], capture_output=True, text=True, env=env, cwd=ROOT
        )
        if done.returncode:
            print(f"{backend}: failed\n{done.stderr[-2000:]}")
            continue
        results[backend] = json.loads(done.stdout.strip().splitlines()[-1])["rows"]
    if not results:
        sys.exit(1)
    n = len(next(iter(results.values())))
    print(f"Relevance on the seed corpus: {n} queries, graded judgments (2 about / 1 touches)\n")
    print(f"{'backend':<12}{'system':<12}{'nDCG@10':>9}{'MRR':>8}")
    for backend, rows in results.items():
        mean = lambda key, rows=rows: sum(r[key] for r in rows) / len(rows)  # noqa: E731
        print(f"{backend:<12}{'search':<12}{mean('ndcg'):>9.3f}{mean('mrr'):>8.3f}")
        print(f"{backend:<12}{'icontains':<12}{mean('base_ndcg'):>9.3f}{mean('base_mrr'):>8.3f}")
    if len(results) == 2:
        first, second = results.values()
        same = sum(a["ranking"] == b["ranking"] for a, b in zip(first, second, strict=True))
        print(f"\nidentical top 10 on both databases: {same} of {n} queries")
    rows = next(iter(results.values()))
    kinds = sorted({r["kind"] for r in rows})
    print(f"\n{'kind':<14}{'queries':>8}{'nDCG@10':>9}{'MRR':>8}  ({next(iter(results))})")
    for kind in kinds:
        chosen = [r for r in rows if r["kind"] == kind]
        ndcg = sum(r["ndcg"] for r in chosen) / len(chosen)
        mrr = sum(r["mrr"] for r in chosen) / len(chosen)
        print(f"{kind or '-':<14}{len(chosen):>8}{ndcg:>9.3f}{mrr:>8.3f}")
    if args.per_query:
        print()
        names = list(results)
        print(f"{'query':<24}" + "".join(f"{b[:8] + ' nDCG':>16}" for b in names) + f"{'icontains':>12}")
        for i in range(n):
            row = [results[b][i] for b in names]
            print(
                f"{row[0]['query']:<24}" + "".join(f"{r['ndcg']:>16.3f}" for r in row) + f"{row[0]['base_ndcg']:>12.3f}"
            )


if __name__ == "__main__":
    main()
