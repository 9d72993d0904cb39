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
class _Field:
    tokens: Counter
    text: str

    @classmethod
    def of(cls, text: str) -> _Field:
        return cls(Counter(index_tokens(text)), normalise(text))

    def hits(self, keyword: str) -> int:
        keyword = normalise(keyword)
        count = self.tokens.get(keyword, 0)
        if count or len(keyword) < 3 or len(keyword_tokens(keyword)) <= 1:
            return count
        return self.text.count(keyword)


def score_themes(*, title: str, text: str, chapter: str, rules: Iterable[ThemeRule]) -> dict[str, float]:
    """Every theme's score for one measure (themes that do not match are left out)."""
    fields = (
        (_Field.of(title), TITLE_WEIGHT, None),
        (_Field.of(chapter), CHAPTER_WEIGHT, None),
        (_Field.of(text), TEXT_WEIGHT, TEXT_HITS_CAP),
    )
    scores: dict[str, float] = {}
    for rule in rules:
        score = 0.0
        for keyword in rule.keywords:
            specificity = 1.0 + 0.25 * max(len(keyword) - 2, 0)
            for field, weight, cap in fields:
                hits = field.hits(keyword)
                if cap is not None:
                    hits = min(hits, cap)
                score += hits * weight * specificity
        if score > 0:
            scores[rule.code] = round(score, 2)
    return scores


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
