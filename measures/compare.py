"""Side-by-side comparison of measures on one theme across regions or documents (pure logic).

Input: columns of items (anything with ``pk``, ``title`` and ``text``, and
normally the stored ``search_title`` / ``search_body`` tokens, in reading
order). Output: rows where measures on the same matter sit together.

Alignment is greedy over all cross-column pairs, best cosine first: a pair
joins two groups when the score clears ``threshold`` and the groups do not
already hold a measure from the same column. That is the classic greedy
approximation of an assignment: it can miss the global optimum by a little,
but it is fast, stable and easy to explain ("the most similar pairs first").
Rows keep the reading order of the columns: a row is placed by the mean
relative position of its measures.

Cost is quadratic in the number of items, so callers cap it: the compare page
shows at most ``ITEM_BUDGET`` measures in all (``per_column_limit``), and says
how many more each column has; each measure is scored by its ``ALIGN_TERMS``
heaviest terms.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.utils.safestring import SafeString

from .similarity import Frequencies, cosine, highlight, item_tokens, shared_terms, tfidf_vectors

DEFAULT_THRESHOLD = 0.12
# At most this many measures are aligned and shown at once (three columns of 20, two of 30;
# six columns of 15 go over it): 1,200 cross-column pairs for three columns and a page of
# ~60 ms of Python on a slow vCPU, half of it rendering. All pairs over the thousands of
# measures a theme can hold in one region would take seconds.
ITEM_BUDGET = 60
MIN_PER_COLUMN = 15
# Each measure is aligned by its 30 heaviest terms: the tail barely moves a cosine but makes
# each of the thousands of comparisons longer.
ALIGN_TERMS = 30


def per_column_limit(columns: int) -> int:
    """How many measures each of ``columns`` columns shows (the budget shared out, never fewer than 15)."""
    return max(MIN_PER_COLUMN, ITEM_BUDGET // max(columns, 1))


@dataclass
class Column:
    key: str  # the region name or "document-<id>"
    label: str
    items: Sequence[Any]
    total: int | None = None  # measures the column has before the cap (None: all are shown)
    more_url: str = ""  # where all of the column's measures are listed

    @property
    def hidden(self) -> int:
        """Measures of this column not shown because of the cap."""
        return max(0, (self.total or 0) - len(self.items))


@dataclass
class Cell:
    item: Any
    score: float = 0.0  # best similarity to another cell of the row
    terms: list[str] = field(default_factory=list)
    title_html: SafeString | str = ""
    text_html: SafeString | str = ""

    @property
    def score_text(self) -> str:
        return f"{self.score:.2f}"  # floatformat goes through Decimal and locale: 90 cells a page


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

    @property
    def capped_columns(self) -> list[Column]:
        """Columns with more measures than are shown."""
        return [column for column in self.columns if column.hidden]


def _find(parent: dict, key):
    while parent[key] != key:
        parent[key] = parent[parent[key]]
        key = parent[key]
    return key


def compare(
    columns: Sequence[Column], *, threshold: float = DEFAULT_THRESHOLD, frequencies: Frequencies | None = None
) -> Comparison:
    """Align ``columns``; idf from ``frequencies`` (the corpus) or, without it, from the items themselves."""
    columns = list(columns)
    keys = [(index, position) for index, column in enumerate(columns) for position in range(len(column.items))]
    item_of = {(c, p): columns[c].items[p] for c, p in keys}
    vectors = tfidf_vectors(
        {key: item_tokens(item) for key, item in item_of.items()}, frequencies=frequencies, limit=ALIGN_TERMS
    )

    by_column = [[key for key in keys if key[0] == index] for index in range(len(columns))]
    pairs = []
    for index, left in enumerate(by_column):
        for right in by_column[index + 1 :]:
            for a in left:
                vector = vectors[a]
                for b in right:
                    score = cosine(vector, vectors[b])
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
