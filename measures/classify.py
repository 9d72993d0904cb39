"""Rule-based theme assignment over jieba tokens (pure: no database).

Each theme has keywords. A keyword counts where it occurs as a token of the
measure's title, text or chapter (tokens, not substrings: 上市 must not be found
in 线上市场); a keyword of three or more characters that jieba splits counts
where it occurs in the normalised text. Title hits weigh most, then the
chapter heading, then the body. The best theme is always kept; others follow
when they score at least half of it, up to three.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from .tokenize import index_tokens, keyword_tokens, normalise

MAX_THEMES = 3
RELATIVE_CUTOFF = 0.5  # a second or third theme must score at least this share of the best
MIN_SCORE = 2.0  # …and at least this much on its own
TITLE_WEIGHT, CHAPTER_WEIGHT, TEXT_WEIGHT = 4.0, 1.5, 1.0
TEXT_HITS_CAP = 4  # a word repeated throughout one body should not outweigh the title


@dataclass(frozen=True)
class ThemeRule:
    code: str
    keywords: Sequence[str]


@dataclass(frozen=True)
class CompiledRules:
    """Theme rules prepared once (keywords normalised and segmented), then applied to many measures.

    ``by_token``: normalised keyword → the (theme, specificity) pairs it scores for, counted where it is
    a token. ``literals``: keywords of 3+ characters that jieba splits (so they are never one token),
    counted where they occur in the normalised text.
    """

    by_token: dict[str, tuple[tuple[str, float], ...]]
    literals: tuple[tuple[str, str, float], ...]


def compile_rules(rules: Iterable[ThemeRule]) -> CompiledRules:
    by_token: dict[str, list[tuple[str, float]]] = {}
    literals = []
    for rule in rules:
        for keyword in rule.keywords:
            text = normalise(keyword)
            specificity = 1.0 + 0.25 * max(len(keyword) - 2, 0)  # longer keywords are more specific
            if len(text) >= 3 and len(keyword_tokens(text)) > 1:
                literals.append((text, rule.code, specificity))
            else:
                by_token.setdefault(text, []).append((rule.code, specificity))
    return CompiledRules({k: tuple(v) for k, v in by_token.items()}, tuple(literals))


def score_themes(
    *, title: str, text: str, chapter: str, rules: CompiledRules | Iterable[ThemeRule]
) -> dict[str, float]:
    """Every theme's score for one measure (themes that do not match are left out).

    Pass ``compile_rules(...)`` when scoring many measures: compiling is most of the cost otherwise.
    """
    compiled = rules if isinstance(rules, CompiledRules) else compile_rules(rules)
    scores: dict[str, float] = {}
    for field, weight, cap in (
        (title, TITLE_WEIGHT, None),
        (chapter, CHAPTER_WEIGHT, None),
        (text, TEXT_WEIGHT, TEXT_HITS_CAP),
    ):
        if not field:
            continue
        tokens = Counter(index_tokens(field))
        for token, count in tokens.items():
            for code, specificity in compiled.by_token.get(token, ()):
                hits = count if cap is None else min(count, cap)
                scores[code] = scores.get(code, 0.0) + hits * weight * specificity
        normalised = normalise(field)
        for keyword, code, specificity in compiled.literals:
            count = tokens.get(keyword, 0) or normalised.count(keyword)
            if count:
                hits = count if cap is None else min(count, cap)
                scores[code] = scores.get(code, 0.0) + hits * weight * specificity
    return {code: round(score, 2) for code, score in scores.items() if score > 0}


def pick_themes(scores: dict[str, float], *, fallback: str) -> list[tuple[str, float]]:
    """The 1–3 themes to assign, best first; ``fallback`` when nothing matched."""
    ranked = sorted(scores.items(), key=lambda item: (-item[1], item[0]))
    if not ranked:
        return [(fallback, 0.0)]
    best = ranked[0][1]
    chosen = [ranked[0]]
    for code, score in ranked[1:MAX_THEMES]:
        if score >= best * RELATIVE_CUTOFF and score >= MIN_SCORE:
            chosen.append((code, score))
    return chosen
