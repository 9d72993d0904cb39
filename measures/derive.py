"""What is derived from a measure's words — search tokens and theme scores — as pure functions.

The import computes these in worker processes (segmentation is most of an import's CPU) and
the services store them in the same transaction as the text; an admin edit computes them in
its own process through the same functions, so a measure is indexed and classified the same
way whichever path wrote it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from .classify import CompiledRules, score_themes
from .tokenize import index_tokens


@dataclass(frozen=True)
class Derived:
    search_title: str  # space-joined index tokens of the title
    search_body: str  # … of the body text
    theme_scores: dict[str, float]  # theme code → rule score (themes that match)


def measure_tokens(*, title: str, text: str) -> tuple[str, str]:
    """The stored token columns for a measure's title and body."""
    return " ".join(index_tokens(title)), " ".join(index_tokens(text))


def derive(*, title: str, text: str, chapter: str, rules: CompiledRules) -> Derived:
    search_title, search_body = measure_tokens(title=title, text=text)
    return Derived(search_title, search_body, score_themes(title=title, text=text, chapter=chapter, rules=rules))


def derive_all(measures: Iterable, *, rules: CompiledRules) -> list[Derived]:
    """``derive`` for each of ``measures`` (anything with title, text and chapter: parsed or stored)."""
    return [derive(title=m.title, text=m.text, chapter=m.chapter, rules=rules) for m in measures]
