"""Theme classification against judged measures: per-theme precision and recall, macro-F1 per facet.

The judged set (``bench/eval/themes/``) is 570 measures of 51 documents — the policy seeds and the real corpus
— each with its policy domain(s) and instruments written from the text before the classifier was built
(``GUIDE.md``). Documents are split in halves: the classifier may be tuned on ``tune``; figures are reported on
``report``. Every document is parsed as an import parses it and classified by the taxonomy's rules
(``measures.taxonomy``), without the database, so the figures are those of the shipped rules.

Domains are compared at the level judged (a sub-domain such as 跨境电子商务 where one fits) and at the
top level of the State Council's 主题分类 (跨境电子商务 counts as 商贸、海关、旅游). Also printed: the share of
measures left 「未分类」, and for each document whether its most frequent domain is the field the judges gave
it and whether any other domain holds more than a quarter of its measures.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.eval.ingest_eval import load_gold, parse_gold  # noqa: E402
from bench.eval.themes.sample import measure_key  # noqa: E402
from measures.classify import DOMAIN, INSTRUMENT, ThemeRule, compile_rules  # noqa: E402
from measures.derive import derive_document  # noqa: E402
from measures.taxonomy import THEMES  # noqa: E402
from tests.documents.ingest.seed_helpers import POLICY_SEEDS, parse_seed  # noqa: E402

JUDGED = ROOT / "bench" / "eval" / "themes"
MAX_OTHER_SHARE = 0.25


@dataclass
class Judged:
    key: str
    split: str
    document: str
    gold_domains: set[str]
    gold_instruments: set[str]
    domains: set[str]
    instruments: set[str]


def rules():
    return compile_rules(ThemeRule(t.code, t.keywords, t.facet, t.parent, t.topics) for t in THEMES)


def top(code: str, compiled) -> str:
    ancestors = compiled.ancestors(code)
    return ancestors[-1] if ancestors else code


def load_judgments() -> dict[str, dict]:
    rows = [json.loads(line) for line in (JUDGED / "to_judge.jsonl").read_text(encoding="utf-8").splitlines()]
    judged = {}
    for part in sorted((JUDGED / "judgments").glob("*.jsonl")):
        for line in part.read_text(encoding="utf-8").splitlines():
            item = json.loads(line)
            judged[item["key"]] = item
    return {row["key"]: {**row, **judged[row["key"]]} for row in rows if row["key"] in judged}


def _documents():
    for name in POLICY_SEEDS:
        yield name, parse_seed(name)
    for gold in load_gold():
        yield gold.file, parse_gold(gold)


def classify_judged() -> list[Judged]:
    judgments = load_judgments()
    compiled = rules()
    domains, instruments = compiled.of_facet(DOMAIN), compiled.of_facet(INSTRUMENT)
    judged = []
    for file, parsed in _documents():
        derived = derive_document(parsed, rules=compiled)
        for measure, extra in zip(parsed.measures, derived, strict=True):
            item = judgments.get(measure_key(file, measure.number, measure.title))
            if item is None:
                continue
            codes = {a.code for a in extra.themes}
            judged.append(
                Judged(
                    item["key"],
                    item["split"],
                    file,
                    set(item["domains"]),
                    set(item["instruments"]),
                    codes & domains,
                    codes & instruments,
                )
            )
    return judged


def per_theme(pairs: list[tuple[set[str], set[str]]]) -> dict[str, tuple[float, float, float, int]]:
    """code → (precision, recall, F1, gold count) over (gold, predicted) label sets."""
    counts: dict[str, list[int]] = {}
    for gold, predicted in pairs:
        for code in gold | predicted:
            tp_fp_fn = counts.setdefault(code, [0, 0, 0])
            tp_fp_fn[0] += code in gold and code in predicted
            tp_fp_fn[1] += code in predicted and code not in gold
            tp_fp_fn[2] += code in gold and code not in predicted
    result = {}
    for code, (tp, fp, fn) in counts.items():
        precision = tp / (tp + fp) if tp + fp else 0.0
        recall = tp / (tp + fn) if tp + fn else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        result[code] = (precision, recall, f1, tp + fn)
    return result


def macro_f1(scores: dict[str, tuple[float, float, float, int]]) -> float:
    judged = [f1 for _, _, f1, gold in scores.values() if gold]
    return sum(judged) / len(judged) if judged else 0.0


@dataclass(frozen=True)
class Summary:
    measures: int
    domain_f1: float
    domain_top_f1: float
    instrument_f1: float
    unclassified: float
    documents: int
    field_right: int
    dominated: int  # documents where another domain holds more than a quarter


def summarise(items: list[Judged], compiled) -> Summary:
    domains = per_theme([(i.gold_domains, i.domains) for i in items])
    tops = per_theme(
        [({top(c, compiled) for c in i.gold_domains}, {top(c, compiled) for c in i.domains}) for i in items]
    )
    instruments = per_theme([(i.gold_instruments, i.instruments) for i in items])
    by_document: dict[str, list[Judged]] = {}
    for item in items:
        by_document.setdefault(item.document, []).append(item)
    right = dominated = 0
    for members in by_document.values():
        gold_field = Counter(c for m in members for c in m.gold_domains).most_common(1)[0][0]
        predicted = Counter(c for m in members for c in m.domains)
        if predicted and predicted.most_common(1)[0][0] == gold_field:
            right += 1
        if any(n / len(members) > MAX_OTHER_SHARE for c, n in predicted.items() if c != gold_field):
            dominated += 1
    return Summary(
        len(items),
        macro_f1(domains),
        macro_f1(tops),
        macro_f1(instruments),
        sum(1 for i in items if not i.domains) / len(items) if items else 0.0,
        len(by_document),
        right,
        dominated,
    )


def print_report(items: list[Judged], *, verbose: bool) -> None:
    compiled = rules()
    print(f"Themes against {len(items)} judged measures (judgments frozen before the classifier was built)\n")
    print(
        f"{'part':<10}{'measures':>9}{'domain F1':>11}{'top F1':>8}{'instr. F1':>11}{'未分类':>8}{'field right':>13}{'>25% other':>12}"
    )
    for label in ("tune", "report", "all"):
        part = [i for i in items if label == "all" or i.split == label]
        s = summarise(part, compiled)
        print(
            f"{label:<10}{s.measures:>9}{s.domain_f1:>11.3f}{s.domain_top_f1:>8.3f}{s.instrument_f1:>11.3f}"
            f"{s.unclassified:>8.1%}{f'{s.field_right}/{s.documents}':>13}{s.dominated:>12}"
        )
    report = [i for i in items if i.split == "report"]
    for facet, pairs in (
        ("domain", [(i.gold_domains, i.domains) for i in report]),
        ("instrument", [(i.gold_instruments, i.instruments) for i in report]),
    ):
        print(f"\n{facet} (report half): precision / recall / F1 (gold count)")
        for code, (p, r, f1, gold) in sorted(per_theme(pairs).items(), key=lambda kv: -kv[1][3]):
            print(f"  {code:<20}{p:>6.2f}{r:>6.2f}{f1:>6.2f}  ({gold})")
    if verbose:
        print("\nmisses (tune half):")
        for item in items:
            if item.split == "tune" and (item.domains != item.gold_domains):
                print(f"  {item.key[:60]:<62} gold {sorted(item.gold_domains)} got {sorted(item.domains)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--verbose", "-v", action="store_true", help="list the domain misses of the tune half")
    args = parser.parse_args()
    print_report(classify_judged(), verbose=args.verbose)


if __name__ == "__main__":
    main()
