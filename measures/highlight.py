"""Snippets with matched words marked, computed in Python on the original text.

The text is folded (width, traditional → simplified, case) character by
character so positions in the folded text map back to the original; matches
are found in the folded text and the original characters are escaped and
wrapped in ``<mark>``. Everything else is escaped too, so no stored text can
inject markup (unlike ``ts_headline``, whose output is not HTML-safe).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Sequence

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

SNIPPET_CHARS = 120


class _WidthTable(dict):
    """``str.translate`` table: each character's NFKC form, computed on first sight."""

    def __missing__(self, code: int) -> str:
        value = unicodedata.normalize("NFKC", chr(code))
        if len(value) != 1:
            _NOT_ONE_TO_ONE.add(chr(code))
        self[code] = value
        return value


_WIDTH = _WidthTable()
_NOT_ONE_TO_ONE: set[str] = set()  # characters whose NFKC form is not exactly one character (ﬁ, ㈱ …)


def _fold_with_map(text: str, fold: Callable[[str], str]) -> tuple[str, Sequence[int]]:
    """Folded text and, for each folded character, the index of the original character it came from."""
    joined = text.translate(_WIDTH)
    if not _NOT_ONE_TO_ONE.intersection(text):  # the usual case: one character for one, positions unchanged
        folded = fold(joined)
        if len(folded) == len(text):
            return folded, range(len(text))
    widened = [unicodedata.normalize("NFKC", ch) for ch in text]
    joined = "".join(widened)
    folded = fold(joined)
    positions = [i for i, part in enumerate(widened) for _ in part]
    if len(folded) != len(positions):  # the fold changed length (rare): fold each character on its own
        parts = [fold(part) for part in widened]
        folded = "".join(parts)
        positions = [i for i, part in enumerate(parts) for _ in part]
    return folded, positions


def find_spans(text: str, terms: Sequence[str], fold: Callable[[str], str]) -> list[tuple[int, int, str]]:
    """Non-overlapping (start, end, term) spans of ``terms`` in ``text``, in original positions; longest first."""
    if not text or not terms:
        return []
    folded, positions = _fold_with_map(text, fold)
    taken = [False] * len(folded)
    spans = []
    for term in sorted({t for t in terms if t}, key=len, reverse=True):
        start = folded.find(term)
        while start != -1:
            end = start + len(term)
            if not any(taken[start:end]):
                taken[start:end] = [True] * (end - start)
                spans.append((positions[start], positions[end - 1] + 1, term))
            start = folded.find(term, end)
    return sorted(spans)


def _best_window(spans: list[tuple[int, int, str]], size: int) -> int:
    """Start of the window of ``size`` characters holding the most distinct terms (then the most marks)."""
    best_start, best_key = 0, (-1, -1)
    for i, (start, _, _) in enumerate(spans):
        inside = [s for s in spans[i:] if s[1] <= start + size]
        key = (len({s[2] for s in inside}), len(inside))
        if key > best_key:
            best_start, best_key = start, key
    return best_start


def highlight(text: str, terms: Sequence[str], fold: Callable[[str], str], *, size: int = SNIPPET_CHARS) -> SafeString:
    """An escaped snippet of ``text`` around the best match, with matches in ``<mark>``."""
    spans = find_spans(text, terms, fold)
    if not spans:
        snippet = text[:size]
        return mark_safe(escape(snippet) + ("…" if len(text) > size else ""))
    start = max(0, _best_window(spans, size) - size // 6)
    end = min(len(text), start + size)
    start = max(0, min(start, end - size))
    return mark_safe(_render(text, spans, start, end))


def highlight_all(text: str, terms: Sequence[str], fold: Callable[[str], str]) -> SafeString:
    """The whole ``text``, escaped, with matches in ``<mark>`` (for titles)."""
    return mark_safe(_render(text, find_spans(text, terms, fold), 0, len(text)))


def _render(text: str, spans: list[tuple[int, int, str]], start: int, end: int) -> str:
    out = ["…"] if start > 0 else []
    cursor = start
    for s, e, _ in spans:
        if e <= start or s >= end:
            continue
        s, e = max(s, start), min(e, end)
        out.append(escape(text[cursor:s]))
        out.append("<mark>" + escape(text[s:e]) + "</mark>")
        cursor = e
    out.append(escape(text[cursor:end]))
    if end < len(text):
        out.append("…")
    return "".join(out)
