"""Ingestion evaluation: real public documents in, the records the parser gives, against hand-checked gold.

Each document of ``fixtures/real_corpus/`` has its gold in ``gold/<slug>.toml`` (title, issuers, region, year,
文号, how many measure records, the first and last measure, a sample of department attributions), written by
reading the document before the parser was tuned on it. A third of the documents (``split = "holdout"``) is kept
aside from tuning; the table reports both parts.

Every document is parsed exactly as an upload is, with no metadata typed. The checks:

- imported: the parser gives a title, a region, a year and at least one measure (nothing to type by hand);
- count: the number of measure records and of framing items (general provisions) are exact, and the first and
  last measures are the ones the gold names;
- region, year, 文号: equal to the gold;
- departments: each sampled measure's (department, role) set is exactly the gold's, names spelled out in the
  document's region as the importer stores them.

``python bench/eval/ingest_eval.py`` prints the table; ``tests/documents/ingest/test_real_corpus.py`` asserts each
document through the same functions.
"""

from __future__ import annotations

import argparse
import datetime as dt
import re
import sys
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT / "fixtures" / "real_corpus"
GOLD = CORPUS / "gold"

if str(ROOT) not in sys.path:  # run as a script from anywhere
    sys.path.insert(0, str(ROOT))

from documents.ingest import IngestError, ParsedDocument, parse_document  # noqa: E402
from documents.organizations import canonical_department  # noqa: E402

CHECKS = ("imported", "count", "region", "year", "doc_number")


@dataclass(frozen=True)
class DepartmentSample:
    number: str
    starts: str
    roles: frozenset[tuple[str, str]]  # (canonical name, role)


@dataclass(frozen=True)
class Gold:
    slug: str
    file: str
    split: str
    title: str
    region: str
    year: int
    doc_number: str
    measure_count: int
    general_count: int | None
    first: tuple[str, str]
    last: tuple[str, str]
    issuers: tuple[str, ...] = ()
    departments: tuple[DepartmentSample, ...] = ()
    issue_date: dt.date | None = None

    @property
    def path(self) -> Path:
        return CORPUS / self.file


@dataclass
class Outcome:
    gold: Gold
    checks: dict[str, bool] = field(default_factory=dict)
    departments_right: int = 0
    problems: list[str] = field(default_factory=list)
    error: str = ""

    @property
    def departments_total(self) -> int:
        return len(self.gold.departments)


def _date(value) -> dt.date | None:
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(value) if value else None


def load_gold(folder: Path = GOLD) -> list[Gold]:
    """Every gold file, sorted by slug."""
    golds = []
    for path in sorted(folder.glob("*.toml")):
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        samples = tuple(
            DepartmentSample(
                number=sample["number"],
                starts=sample.get("starts", ""),
                roles=frozenset(
                    (name, role) for role in ("lead", "cooperate", "responsible") for name in sample.get(role, [])
                ),
            )
            for sample in data.get("departments", [])
        )
        golds.append(
            Gold(
                slug=path.stem,
                file=data["file"],
                split=data.get("split", "tune"),
                title=data.get("title", ""),
                region=data["region"],
                year=int(data["year"]),
                doc_number=data.get("doc_number", ""),
                measure_count=int(data["measure_count"]),
                general_count=data.get("general_count"),
                first=(data["first_measure"]["number"], data["first_measure"].get("starts", "")),
                last=(data["last_measure"]["number"], data["last_measure"].get("starts", "")),
                issuers=tuple(data.get("issuers", ())),
                departments=samples,
                issue_date=_date(data.get("issue_date")),
            )
        )
    return golds


# The gold's first characters are compared without spaces and punctuation: whether the parser keeps the
# full stop between a measure's title and its text is not what the check is about.
_SPACE_RE = re.compile(r"[\s。，、；：:,;.！？!?“”\"]+")


def _squash(text: str) -> str:
    return _SPACE_RE.sub("", text)


def _starts(measure, prefix: str) -> bool:
    """The measure's content (title, then text) begins with the gold's first characters."""
    if not prefix:
        return True
    content = _squash(measure.title + measure.text)
    prefix = _squash(prefix)
    return content.startswith(prefix) or _squash(measure.text).startswith(prefix)


def _find(parsed: ParsedDocument, number: str, starts: str):
    return next((m for m in parsed.measures if m.number == number and _starts(m, starts)), None)


def parse_gold(gold: Gold) -> ParsedDocument:
    return parse_document(gold.path.read_bytes(), filename=gold.file)


def evaluate(gold: Gold) -> Outcome:
    """Parse one document as an upload would (no metadata typed) and compare it with its gold."""
    outcome = Outcome(gold)
    try:
        parsed = parse_gold(gold)
    except IngestError as exc:
        outcome.error = exc.message
        outcome.checks = dict.fromkeys(CHECKS, False)
        outcome.problems.append(f"refused: {exc.message}")
        return outcome
    year = parsed.year or (parsed.issue_date.year if parsed.issue_date else None)
    checks = outcome.checks
    checks["imported"] = bool(parsed.title and parsed.region and year and parsed.measures)
    general = sum(1 for m in parsed.measures if m.kind == "general")
    checks["count"] = (
        len(parsed.measures) == gold.measure_count
        and (gold.general_count is None or general == gold.general_count)
        and _find_at(parsed, 0, gold.first)
        and _find_at(parsed, -1, gold.last)
    )
    checks["region"] = parsed.region == gold.region
    checks["year"] = year == gold.year
    checks["doc_number"] = parsed.doc_number == gold.doc_number
    if not checks["count"]:
        first = parsed.measures[0] if parsed.measures else None
        last = parsed.measures[-1] if parsed.measures else None
        outcome.problems.append(
            f"count: {len(parsed.measures)} ({general} general) vs {gold.measure_count} ({gold.general_count}); "
            f"first {first.number + first.title[:12] if first else '—'}, last {last.number + last.title[:12] if last else '—'}"
        )
    for name, got, want in (
        ("region", parsed.region, gold.region),
        ("year", year, gold.year),
        ("doc_number", parsed.doc_number, gold.doc_number),
    ):
        if not checks[name]:
            outcome.problems.append(f"{name}: {got!r} vs {want!r}")
    if not checks["imported"]:
        outcome.problems.append(f"not importable without typing: title={parsed.title!r} region={parsed.region!r}")
    for sample in gold.departments:
        measure = _find(parsed, sample.number, sample.starts)
        got = (
            frozenset(
                (canonical_department(ref.name, region_name=gold.region), ref.role) for ref in measure.departments
            )
            if measure
            else None
        )
        if got == sample.roles:
            outcome.departments_right += 1
        else:
            outcome.problems.append(
                f"departments {sample.number}{sample.starts}: {sorted(got) if got is not None else 'measure not found'} "
                f"vs {sorted(sample.roles)}"
            )
    return outcome


def _find_at(parsed: ParsedDocument, index: int, expected: tuple[str, str]) -> bool:
    if not parsed.measures:
        return False
    measure = parsed.measures[index]
    return measure.number == expected[0] and _starts(measure, expected[1])


def _share(outcomes: list[Outcome], check: str) -> str:
    if not outcomes:
        return "—"
    right = sum(1 for o in outcomes if o.checks.get(check))
    return f"{right}/{len(outcomes)} {right / len(outcomes):.0%}"


def _department_share(outcomes: list[Outcome]) -> str:
    total = sum(o.departments_total for o in outcomes)
    right = sum(o.departments_right for o in outcomes)
    return f"{right}/{total} {right / total:.0%}" if total else "—"


def summary_rows(outcomes: list[Outcome]) -> list[tuple[str, list[str]]]:
    rows = []
    for label, part in (
        ("tune", [o for o in outcomes if o.gold.split != "holdout"]),
        ("holdout", [o for o in outcomes if o.gold.split == "holdout"]),
        ("all", outcomes),
    ):
        rows.append((f"{label} ({len(part)})", [*(_share(part, c) for c in CHECKS), _department_share(part)]))
    return rows


def print_table(outcomes: list[Outcome], *, verbose: bool) -> None:
    mark = {True: "✓", False: "✗"}
    print(f"Ingestion of the real corpus: {len(outcomes)} documents, parsed with no metadata typed\n")
    header = f"{'document':<52}{'split':<9}" + "".join(f"{c:>11}" for c in CHECKS) + f"{'depts':>8}"
    print(header)
    for outcome in outcomes:
        departments = f"{outcome.departments_right}/{outcome.departments_total}" if outcome.departments_total else "—"
        print(
            f"{outcome.gold.slug[:51]:<52}{outcome.gold.split:<9}"
            + "".join(f"{mark[outcome.checks.get(c, False)]:>11}" for c in CHECKS)
            + f"{departments:>8}"
        )
        if verbose:
            for problem in outcome.problems:
                print(f"    {problem}")
    print()
    print(f"{'overall':<22}" + "".join(f"{c:>14}" for c in (*CHECKS, "departments")))
    for label, cells in summary_rows(outcomes):
        print(f"{label:<22}" + "".join(f"{cell:>14}" for cell in cells))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--verbose", "-v", action="store_true", help="print what differs for each document")
    parser.add_argument("--split", choices=["tune", "holdout"], help="only this part of the corpus")
    parser.add_argument("slugs", nargs="*", help="only these documents")
    args = parser.parse_args()
    golds = [
        g for g in load_gold() if (not args.split or g.split == args.split) and (not args.slugs or g.slug in args.slugs)
    ]
    print_table([evaluate(g) for g in golds], verbose=args.verbose)


if __name__ == "__main__":
    main()
