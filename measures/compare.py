"""Side-by-side comparison of measures on one theme across regions or documents (pure logic).

Input: columns of items (anything with ``pk``, ``title`` and ``text``, in
reading order). Output: rows where measures on the same matter sit together.

Alignment is greedy over all cross-column pairs, best cosine first: a pair
joins two groups when the score clears ``threshold`` and the groups do not
already hold a measure from the same column. That is the classic greedy
approximation of an assignment: it can miss the global optimum by a little,
but it is fast, stable and easy to explain ("the most similar pairs first").
Rows keep the reading order of the columns: a row is placed by the mean
relative position of its measures.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.utils.safestring import SafeString

from .similarity import cosine, highlight, measure_tokens, shared_terms, tfidf_vectors

DEFAULT_THRESHOLD = 0.12


@dataclass
class Column:
    key: str  # the region name or "document-<id>"
    label: str
    items: Sequence[Any]


@dataclass
class Cell:
    item: Any
    score: float = 0.0  # best similarity to another cell of the row
    terms: list[str] = field(default_factory=list)
    title_html: SafeString | str = ""
    text_html: SafeString | str = ""


@dataclass
class Row:
    cells: list[Cell | None]
    terms: list[str]

    @property
    def is_aligned(self) -> bool:
        return sum(cell is not None for cell in self.cells) > 1


@dataclass
class Gap:
    column: Column
    unique: list[Any]  # items with no counterpart in any other column


@dataclass
class Comparison:
    columns: list[Column]
    rows: list[Row]
    gaps: list[Gap]

    @property
    def aligned_count(self) -> int:
        return sum(row.is_aligned for row in self.rows)


def _find(parent: dict, key):
    while parent[key] != key:
        parent[key] = parent[parent[key]]
        key = parent[key]
    return key


def compare(columns: Sequence[Column], *, threshold: float = DEFAULT_THRESHOLD) -> Comparison:
    columns = list(columns)
    keys = [(index, position) for index, column in enumerate(columns) for position in range(len(column.items))]
    item_of = {(c, p): columns[c].items[p] for c, p in keys}
    vectors = tfidf_vectors({key: measure_tokens(item.title, item.text) for key, item in item_of.items()})

    pairs = []
    for i, a in enumerate(keys):
        for b in keys[i + 1 :]:
            if a[0] == b[0]:
                continue
            score = cosine(vectors[a], vectors[b])
            if score >= threshold:
                pairs.append((score, a, b))
    pairs.sort(key=lambda pair: (-pair[0], pair[1], pair[2]))

    parent = {key: key for key in keys}
    members_columns = {key: {key[0]} for key in keys}
    for _score, a, b in pairs:
        root_a, root_b = _find(parent, a), _find(parent, b)
        if root_a == root_b or members_columns[root_a] & members_columns[root_b]:
            continue
        parent[root_b] = root_a
        members_columns[root_a] |= members_columns.pop(root_b)

    groups: dict[tuple, list[tuple[int, int]]] = {}
    for key in keys:
        groups.setdefault(_find(parent, key), []).append(key)

    def order(members: list[tuple[int, int]]) -> tuple[float, int, int]:
        relative = [p / max(len(columns[c].items), 1) for c, p in members]
        first = min(members)
        return (sum(relative) / len(relative), first[0], first[1])

    rows = []
    for members in sorted(groups.values(), key=order):
        cells: list[Cell | None] = [None] * len(columns)
        for key in members:
            others = [other for other in members if other != key]
            terms: list[str] = []
            best = 0.0
            for other in others:
                best = max(best, cosine(vectors[key], vectors[other]))
                terms.extend(term for term in shared_terms(vectors[key], vectors[other]) if term not in terms)
            item = item_of[key]
            cells[key[0]] = Cell(
                item=item,
                score=best,
                terms=terms,
                title_html=highlight(item.title, terms),
                text_html=highlight(item.text, terms),
            )
        row_terms: list[str] = []
        for cell in cells:
            if cell:
                row_terms.extend(term for term in cell.terms if term not in row_terms)
        rows.append(Row(cells=cells, terms=row_terms[:8]))

    gaps = [
        Gap(
            column=column,
            unique=[
                row.cells[index].item
                for row in rows
                if row.cells[index] is not None and not row.is_aligned and len(columns) > 1
            ],
        )
        for index, column in enumerate(columns)
    ]
    return Comparison(columns=columns, rows=rows, gaps=gaps)
