"""Compare alignment against judged topic groups: precision and recall of the rows, and false 「独有」.

``bench/eval/align/groups.json`` groups the seed measures into topics a policy reader would put in one row
when comparing 深圳市, 广州市 and 广东省 (judged by reading, before any alignment change). Every theme that has
measures in at least two of the three regions is opened on the compare page (``/compare/?theme=…``, through
Django's test client, exactly as a user gets it), and its rows are read back:

- a predicted pair is two measures of different regions in one row; it is right when the judges put both in
  one topic (precision), and a judged pair counts as found when some theme's page shows it in one row (recall);
- a false 「独有」 is a measure the page shows alone in its row although the same page shows a measure of another
  region that the judges put in its topic.

Runs on SQLite in ``var/eval.sqlite3`` with the seed corpus and the shipped theme rules.
"""

from __future__ import annotations

import json
import os
import sys
from itertools import combinations
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
GROUPS = ROOT / "bench" / "eval" / "align" / "groups.json"
REGIONS = ("深圳市", "广州市", "广东省")


def _setup() -> None:
    sys.path.insert(0, str(ROOT))
    os.environ["DATABASE_URL"] = f"sqlite:///{ROOT / 'var' / 'eval.sqlite3'}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "policybase.settings.dev")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("load_seed_corpus", verbosity=0, stdout=open(os.devnull, "w"))  # noqa: SIM115
    call_command("classify_measures", verbosity=0, stdout=open(os.devnull, "w"))  # noqa: SIM115


def _topics() -> dict[str, str]:
    """measure key → the topic the judges put it in."""
    data = json.loads(GROUPS.read_text(encoding="utf-8"))
    return {key: topic["topic"] for topic in data["topics"] for key in topic["measures"]}


def evaluate() -> dict:
    _setup()
    from django.conf import settings
    from django.test import Client
    from django.test.utils import setup_test_environment

    from bench.eval.themes.sample import measure_key
    from measures.models import Measure, Theme

    setup_test_environment()  # the test client then hands back each page's template context
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    topic_of = _topics()
    measures = Measure.objects.select_related("document__region")
    key_of = {m.pk: measure_key(m.document.source_name, m.number, m.title) for m in measures}
    region_of = {m.pk: m.document.region.name for m in measures}
    gold_pairs = {
        frozenset((a, b))
        for a, b in combinations([pk for pk in key_of if key_of[pk] in topic_of], 2)
        if topic_of[key_of[a]] == topic_of[key_of[b]] and region_of[a] != region_of[b]
    }
    client = Client()
    predicted: set[frozenset[int]] = set()
    false_unique: set[int] = set()
    shown_unique = 0
    for theme in Theme.objects.all():
        response = client.get("/compare/", {"theme": theme.code, "region": list(REGIONS)})
        comparison = response.context["comparison"] if response.status_code == 200 else None
        if comparison is None:
            continue
        on_page = {cell.item.pk for row in comparison.rows for cell in row.cells if cell is not None}
        for row in comparison.rows:
            items = [cell.item.pk for cell in row.cells if cell is not None]
            for a, b in combinations(items, 2):
                if region_of[a] != region_of[b]:
                    predicted.add(frozenset((a, b)))
            if len(items) == 1:
                shown_unique += 1
                alone = items[0]
                if any(
                    frozenset((alone, other)) in gold_pairs for other in on_page if region_of[other] != region_of[alone]
                ):
                    false_unique.add(alone)
    right = predicted & gold_pairs
    return {
        "themes": Theme.objects.count(),
        "gold_pairs": len(gold_pairs),
        "predicted_pairs": len(predicted),
        "precision": len(right) / len(predicted) if predicted else 0.0,
        "recall": len(right) / len(gold_pairs) if gold_pairs else 0.0,
        "false_unique": len(false_unique),
        "unique_cells": shown_unique,
    }


def main() -> None:
    result = evaluate()
    print("Compare alignment against judged topic groups (seed corpus: 深圳市, 广州市, 广东省; every theme's page)\n")
    print(f"judged cross-region pairs   {result['gold_pairs']}")
    print(f"pairs shown in one row      {result['predicted_pairs']}")
    print(f"precision                   {result['precision']:.3f}")
    print(f"recall                      {result['recall']:.3f}")
    print(f"false 「独有」 (measures)     {result['false_unique']}  (of {result['unique_cells']} cells shown alone)")


if __name__ == "__main__":
    main()
