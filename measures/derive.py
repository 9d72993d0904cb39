"""What is derived from a measure's words — search tokens and themes — as pure functions.

The import computes these in worker processes (segmentation is most of an import's CPU) and the services
store them in the same transaction as the text; an admin edit or ``classify_measures`` computes them through
the same functions, so a measure is indexed and classified the same way whichever path wrote it. Themes are
decided for a document's measures together: a measure's domain weighs what its whole document is about.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from .classify import Assignment, CompiledRules, MeasureText, classify_document
from .tokenize import index_tokens


@dataclass(frozen=True)
class Derived:
    search_title: str  # space-joined index tokens of the title
    search_body: str  # … of the body text
    themes: tuple[Assignment, ...]  # automatic themes, domains first (empty: 未分类)


def measure_tokens(*, title: str, text: str) -> tuple[str, str]:
    """The stored token columns for a measure's title and body."""
    return " ".join(index_tokens(title)), " ".join(index_tokens(text))


def derive_all(measures: Sequence, *, rules: CompiledRules, title: str = "", topic: str = "") -> list[Derived]:
    """Tokens and themes for the measures of one document (anything with title, text, chapter and kind).

    ``title`` and ``topic`` are the document's title and the 主题分类 its page states, if any.
    """
    texts = [MeasureText(m.title, m.text, m.chapter, getattr(m, "kind", "measure")) for m in measures]
    themes = classify_document(texts, title=title, topic=topic, rules=rules)
    return [
        Derived(*measure_tokens(title=m.title, text=m.text), assigned)
        for m, assigned in zip(measures, themes, strict=True)
    ]


def derive_document(parsed, *, rules: CompiledRules) -> list[Derived]:
    """``derive_all`` for a parsed document's measures, with its title and stated 主题分类."""
    return derive_all(
        parsed.measures, rules=rules, title=parsed.policy_title or parsed.title, topic=getattr(parsed, "topic", "")
    )
