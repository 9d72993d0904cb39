"""Whole-file tests over the real corpus: each document, parsed with no metadata typed, against its gold.

The comparison is the one ``make eval-ingest`` prints (bench/eval/ingest_eval.py), so a test failing here is a
cell of that table turning red. A document the parser is known to misread is listed in ``KNOWN_MISSES`` with the
reason, as a strict xfail: fixing it makes the test fail until the entry is removed.
"""

from __future__ import annotations

import pytest

from bench.eval.ingest_eval import CHECKS, evaluate, load_gold

GOLDS = load_gold()

# slug → why the parser still misreads it (each entry is a known defect, not an expectation).
KNOWN_MISSES: dict[str, str] = {
    "more-guangzhou-2021-tekun-gongyang": "八、其他事宜 holds only the validity and repeal clause and is kept as a measure",
}


def _param(gold):
    marks = []
    if gold.slug in KNOWN_MISSES:
        marks.append(pytest.mark.xfail(reason=KNOWN_MISSES[gold.slug], strict=True))
    return pytest.param(gold, id=gold.slug, marks=marks)


def test_corpus_is_large_enough():
    assert len(GOLDS) >= 30
    assert sum(1 for gold in GOLDS if gold.split == "holdout") >= len(GOLDS) // 4
    assert {gold.region for gold in GOLDS} >= {"全国", "广东省", "深圳市", "广州市"}


def test_every_gold_names_an_existing_file():
    missing = [gold.file for gold in GOLDS if not gold.path.is_file()]
    assert missing == []


@pytest.mark.parametrize("gold", [_param(gold) for gold in GOLDS])
def test_document(gold):
    outcome = evaluate(gold)
    failed = [check for check in CHECKS if not outcome.checks.get(check)]
    wrong_departments = outcome.departments_total - outcome.departments_right
    assert (failed, wrong_departments) == ([], 0), "\n".join(outcome.problems)
