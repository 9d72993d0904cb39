"""Draw the measures to judge for the themes evaluation (run once; its output is committed and frozen).

Every policy seed and every document of the real corpus is parsed; from each, up to 12 measures spread
evenly over the document are taken (all of them when it has fewer). Documents are split in two halves by a
hash of their file name: ``tune`` (the classifier may be tuned on it) and ``report`` (figures are reported on
it). Output: ``to_judge.jsonl``, one measure a line, keyed so the key survives re-imports.
"""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
sys.path.insert(0, str(ROOT))

from bench.eval.ingest_eval import load_gold, parse_gold  # noqa: E402
from tests.documents.ingest.seed_helpers import POLICY_SEEDS, parse_seed  # noqa: E402

PER_DOCUMENT = 12


def measure_key(file: str, number: str, title: str) -> str:
    return f"{file}#{number}#{title[:16]}"


def spread(items: list, count: int) -> list:
    if len(items) <= count:
        return items
    step = len(items) / count
    return [items[int(i * step)] for i in range(count)]


def documents():
    for name in POLICY_SEEDS:
        yield name, parse_seed(name)
    for gold in load_gold():
        yield gold.file, parse_gold(gold)


def main() -> None:
    out = Path(__file__).with_name("to_judge.jsonl")
    rows = []
    for file, parsed in documents():
        half = "report" if int(hashlib.sha1(file.encode()).hexdigest(), 16) % 2 else "tune"
        for measure in spread(parsed.measures, PER_DOCUMENT):
            rows.append(
                {
                    "key": measure_key(file, measure.number, measure.title),
                    "split": half,
                    "document": parsed.policy_title or parsed.title,
                    "region": parsed.region,
                    "chapter": measure.chapter,
                    "number": measure.number,
                    "title": measure.title,
                    "text": measure.text[:800],
                }
            )
    out.write_text("".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows), encoding="utf-8")
    documents_count = len({row["key"].split("#")[0] for row in rows})
    print(f"{len(rows)} measures from {documents_count} documents -> {out}")


if __name__ == "__main__":
    main()
