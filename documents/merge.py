"""Re-imports that keep what people did (pure: no database).

A re-import meets three versions of every value: what the source said when it was last imported (the *base*,
stored with the record), what the record holds now (*ours*: the base, or a person's correction) and what the new
source says (*theirs*). A value a person did not touch follows the source; a value a person corrected is kept
when the source did not change it; when both changed it differently, the person's value is kept and the
difference is reported as a conflict. The editor decides: a key in ``take_theirs`` takes the source's value,
whether the conflict is reported in the same preview or was reported by an earlier import.

Measures are matched between the old and the new source by content, not by position: runs of unchanged measures
are aligned first (``difflib`` over their fingerprints), then changed or moved measures are paired by
similarity, so inserting, deleting or reordering an item leaves every other measure's identity — its id, URL,
history and the themes people set — where it was.
"""

from __future__ import annotations

import difflib
import hashlib
import json
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

# Two measures whose text is at least this similar are one measure, changed.
SIMILAR = 0.5
# Bonus for keeping the same number: an item rewritten in place stays the same item.
SAME_NUMBER_BONUS = 0.25
# Beyond this many candidate pairs, changed measures are paired by number only (a file of thousands of items).
MAX_PAIRS = 250_000

_SPACE_RE = re.compile(r"\s+")


# Values up to this length are stored in an import base as they are; longer ones (a measure's text, a
# preamble) as a digest, so the base stays small: the merge only needs to know whether a value changed.
PLAIN_MAX = 120


def fingerprint(value) -> object:
    """What an import base stores of a value: the value itself when short, else its digest."""
    if isinstance(value, (list, tuple, dict)):
        value = json.dumps(value, ensure_ascii=False, sort_keys=True)
    if isinstance(value, str) and len(value) > PLAIN_MAX:
        return "sha1:" + hashlib.sha1(value.encode("utf-8", "surrogatepass")).hexdigest()
    return value


def content_fingerprint(title: str, text: str) -> str:
    """A measure's words, whitespace ignored, as a digest: what alignment compares."""
    return hashlib.sha1(_SPACE_RE.sub("", f"{title}{text}").encode("utf-8", "surrogatepass")).hexdigest()


@dataclass(frozen=True)
class MeasureKey:
    """What alignment looks at: the number, the digest of the source's words, and words to compare when the
    source changed them (the source's, or what the record holds)."""

    number: str
    content: str  # content_fingerprint of the source's title and text
    words: str = ""

    @classmethod
    def of(cls, number: str, title: str, text: str) -> MeasureKey:
        return cls(number, content_fingerprint(title, text), _SPACE_RE.sub("", f"{title}{text}"))


def align(old: Sequence[MeasureKey], new: Sequence[MeasureKey]) -> list[tuple[int | None, int | None]]:
    """Pairs (old index, new index) in new-document order; ``(i, None)`` removed, ``(None, j)`` added."""
    pairs: dict[int, int] = {}  # new index → old index
    matcher = difflib.SequenceMatcher(None, [m.content for m in old], [m.content for m in new], autojunk=False)
    for block in matcher.get_matching_blocks():
        for offset in range(block.size):
            pairs[block.b + offset] = block.a + offset
    _pair_moved_and_changed(old, new, pairs)
    taken = set(pairs.values())
    result: list[tuple[int | None, int | None]] = [(pairs.get(j), j) for j in range(len(new))]
    result += [(i, None) for i in range(len(old)) if i not in taken]
    return result


def _pair_moved_and_changed(old: Sequence[MeasureKey], new: Sequence[MeasureKey], pairs: dict[int, int]) -> None:
    """Pair what the aligned runs left: identical text moved elsewhere, then text that changed."""
    free_old = [i for i in range(len(old)) if i not in set(pairs.values())]
    free_new = [j for j in range(len(new)) if j not in pairs]
    by_content: dict[str, list[int]] = {}
    for i in free_old:
        by_content.setdefault(old[i].content, []).append(i)
    for j in list(free_new):
        same = by_content.get(new[j].content)
        if same:
            pairs[j] = same.pop(0)
            free_new.remove(j)
    free_old = [i for i in free_old if i not in set(pairs.values())]
    if not free_old or not free_new:
        return
    if len(free_old) * len(free_new) > MAX_PAIRS:
        by_number = {old[i].number: i for i in free_old}
        for j in free_new:
            i = by_number.pop(new[j].number, None)
            if i is not None:
                pairs[j] = i
        return
    scored = []
    for j in free_new:
        for i in free_old:
            score = similarity(old[i].words, new[j].words)
            if old[i].number == new[j].number:
                score += SAME_NUMBER_BONUS
            if score >= SIMILAR:
                scored.append((-score, abs(i - j), i, j))
    used_old: set[int] = set()
    for _, _, i, j in sorted(scored):
        if i not in used_old and j not in pairs:
            pairs[j] = i
            used_old.add(i)


def similarity(left: str, right: str) -> float:
    """How alike two texts are, 0…1 (difflib's ratio, skipped when even its upper bound is low)."""
    matcher = difflib.SequenceMatcher(None, left, right, autojunk=False)
    if matcher.real_quick_ratio() < SIMILAR - SAME_NUMBER_BONUS or matcher.quick_ratio() < SIMILAR - SAME_NUMBER_BONUS:
        return 0.0
    return matcher.ratio()


@dataclass(frozen=True)
class Conflict:
    """A value both a person and the new source changed, differently."""

    key: str  # stable name the editor's choice refers to, e.g. "document:doc_number" or "measure:12:text"
    label: str  # what people call it: "文号", "（三）正文"
    ours: object
    theirs: object


@dataclass
class Merged:
    values: dict  # what the record should hold now
    base: dict  # fingerprints of what the source says now: the base of the next re-import
    kept: list[str] = field(default_factory=list)  # fields where a person's correction was kept
    conflicts: list[Conflict] = field(default_factory=list)


def merge(
    base: Mapping,
    ours: Mapping,
    theirs: Mapping,
    *,
    key: str,
    labels: Mapping[str, str],
    take_theirs: Callable[[str], bool] = lambda key: False,
) -> Merged:
    """Three-way merge of the fields in ``theirs``; ``base`` holds fingerprints, and a field missing from it
    counts as never edited."""
    merged = Merged(values={}, base={name: fingerprint(value) for name, value in theirs.items()})
    for name, new in theirs.items():
        current = ours.get(name)
        before = base.get(name, fingerprint(current))
        if take_theirs(f"{key}:{name}"):
            merged.values[name] = new  # the editor chose the source's value, now or after an earlier report
        elif current == new or fingerprint(current) == before:
            merged.values[name] = new
        elif merged.base[name] == before:
            merged.values[name] = current
            merged.kept.append(name)
        else:
            conflict = Conflict(f"{key}:{name}", labels.get(name, name), current, new)
            merged.conflicts.append(conflict)
            merged.values[name] = current
            merged.kept.append(name)
    return merged
