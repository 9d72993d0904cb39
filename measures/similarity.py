"""Text similarity between measures: TF-IDF over the stored search tokens, cosine, shared terms, highlighting.

Pure functions with no database access. Callers pass token lists (normally the
analyzer tokens a measure stores in ``search_title`` / ``search_body``, see
``item_tokens``) and, optionally, corpus document frequencies; they get weights,
scores and marked-up text back. The compare page and the measure page's
"similar provisions" both use it, so "similar" means the same thing everywhere.
"""

from __future__ import annotations

import html
import math
import operator
import re
from collections import Counter
from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

Vector = dict[str, float]

# Single characters and very common policy boilerplate match everything and so
# tell nothing about whether two provisions deal with the same matter.
STOP_TERMS = frozenset(
    {
        "电子商务",
        "电子",
        "商务",
        "电商",
        "网络",
        "发展",
        "推动",
        "推进",
        "加快",
        "加强",
        "支持",
        "鼓励",
        "积极",
        "进一步",
        "有关",
        "相关",
        "以上",
        "开展",
        "建设",
        "工作",
        "企业",
        "提升",
        "促进",
        "完善",
        "实施",
        "各区",
        "政府",
        "部门",
        "负责",
        "牵头",
        "配合",
        "我市",
        "全省",
        "全市",
        "一批",
        "重点",
    }
)


def similarity_tokens(title_tokens: Iterable[str], body_tokens: Iterable[str]) -> tuple[str, ...]:
    """Tokens of a measure for similarity: the title counts twice (it names the matter), boilerplate dropped."""
    title_tokens = list(title_tokens)
    tokens = [*title_tokens, *title_tokens, *body_tokens]
    return tuple(token for token in tokens if len(token) >= 2 and token not in STOP_TERMS)


def item_tokens(item) -> tuple[str, ...]:
    """Similarity tokens of a measure from the analyzer tokens it stores (no segmentation per request).

    An item without stored tokens (not indexed yet, or a plain object in a test) is segmented here.
    """
    title, body = getattr(item, "search_title", ""), getattr(item, "search_body", "")
    if title or body:
        return similarity_tokens(title.split(), body.split())
    return measure_tokens(item.title, item.text)


@lru_cache(maxsize=4096)
def measure_tokens(title: str, text: str) -> tuple[str, ...]:
    """Similarity tokens of raw title and text, segmented with the analyzer (the fallback of ``item_tokens``)."""
    from .tokenize import index_tokens  # jieba loads only where text really has to be segmented

    return similarity_tokens(index_tokens(title), index_tokens(text))


@dataclass(frozen=True)
class Frequencies:
    """Document frequencies of terms among ``total`` measures (a corpus sample or the compared set)."""

    total: int
    counts: Mapping[str, int] = field(default_factory=dict)
    population: int = 0  # measures the sample stands for (``total`` when it is the whole set)

    @classmethod
    def of(cls, documents: Iterable[Iterable[str]], *, population: int = 0) -> Frequencies:
        counts: Counter[str] = Counter()
        total = 0
        for tokens in documents:
            counts.update(set(tokens))
            total += 1
        return cls(total=total, counts=dict(counts), population=max(population, total))

    def matches(self, term: str) -> float:
        """Estimated number of measures in the whole population that contain ``term``."""
        return self.share(term) * self.population

    def idf(self, term: str) -> float:
        """Smoothed idf: a term the sample never saw counts as rare (the highest weight)."""
        return math.log((1 + self.total) / (1 + self.counts.get(term, 0))) + 1

    def share(self, term: str) -> float:
        return self.counts.get(term, 0) / self.total if self.total else 0.0


def tfidf_vector(tokens: Iterable[str], frequencies: Frequencies, *, limit: int | None = None) -> Vector:
    """One L2-normalised TF-IDF vector (sublinear tf), of its ``limit`` heaviest terms if given.

    ``Frequencies.idf`` is inlined: a page builds a hundred of these.
    """
    counts, log = frequencies.counts, math.log
    top = log(1 + frequencies.total) + 1
    weights = {term: (1 + log(n)) * (top - log(1 + counts.get(term, 0))) for term, n in Counter(tokens).items()}
    if limit is not None and len(weights) > limit:
        weights = dict(sorted(weights.items(), key=lambda item: (-item[1], item[0]))[:limit])
    norm = math.sqrt(sum(w * w for w in weights.values())) or 1.0
    return {term: w / norm for term, w in weights.items()}


def tfidf_vectors(
    documents: Mapping[Hashable, Iterable[str]], *, frequencies: Frequencies | None = None, limit: int | None = None
) -> dict[Hashable, Vector]:
    """L2-normalised TF-IDF vectors for each key's tokens (each cut to ``limit`` terms if given).

    Document frequencies come from ``frequencies`` (e.g. the corpus sample) or, without it,
    from ``documents`` themselves.
    """
    token_lists = {key: list(tokens) for key, tokens in documents.items()}
    if frequencies is None:
        frequencies = Frequencies.of(token_lists.values())
    return {key: tfidf_vector(tokens, frequencies, limit=limit) for key, tokens in token_lists.items()}


def cosine(a: Vector, b: Vector) -> float:
    """Cosine of two normalised vectors, summed over their shared terms only."""
    common = a.keys() & b.keys()
    return sum(map(operator.mul, map(a.__getitem__, common), map(b.__getitem__, common)))


def shared_terms(a: Vector, b: Vector, *, limit: int = 8) -> list[str]:
    """The terms two vectors share, most telling (highest combined weight) first."""
    common = a.keys() & b.keys()
    return sorted(common, key=lambda term: (-(a[term] * b[term]), term))[:limit]


def distinctive_terms(
    vector: Vector, frequencies: Frequencies, *, limit: int = 8, max_matches: int = 2_000
) -> list[str]:
    """The heaviest terms of ``vector`` found together in at most ``max_matches`` measures: what to retrieve by.

    The terms are looked up in the full-text index with OR and every match is ranked, so
    their estimated matches bound the work (2,000 is under 2% of 115k measures). A term that
    alone exceeds what is left is skipped; if even the rarest term exceeds it, that one is
    taken anyway (a measure made only of common words still gets candidates).
    """
    chosen: list[str] = []
    spent = 0.0
    for term in sorted(vector, key=lambda term: (-vector[term], term)):
        matches = frequencies.matches(term)
        if spent + matches <= max_matches:
            chosen.append(term)
            spent += matches
            if len(chosen) == limit:
                break
    if not chosen and vector:
        chosen = [min(vector, key=lambda term: (frequencies.counts.get(term, 0), term))]
    return chosen


def highlight(text: str, terms: Iterable[str]) -> SafeString:
    """``text`` HTML-escaped, with each occurrence of ``terms`` wrapped in ``<mark>``.

    Longer terms are tried first so 跨境电商 is marked whole rather than as 跨境.
    """
    unique = tuple(sorted({term for term in terms if term}, key=lambda term: (-len(term), term)))
    if not unique:
        return escape(text)
    parts: list[str] = []
    last = 0
    for match in _pattern(unique).finditer(text):
        parts.append(html.escape(text[last : match.start()]))
        parts.append(f"<mark>{html.escape(match.group(0))}</mark>")
        last = match.end()
    parts.append(html.escape(text[last:]))
    return mark_safe("".join(parts))  # every piece above was escaped (html.escape is what escape() calls)


@lru_cache(maxsize=1024)
def _pattern(terms: tuple[str, ...]) -> re.Pattern:
    return re.compile("|".join(re.escape(term) for term in terms), re.IGNORECASE)


def rank(
    base: Vector, vectors: Mapping[Hashable, Vector], *, limit: int = 5, threshold: float = 0.05
) -> list[tuple[Hashable, float]]:
    """The keys whose vectors are closest to ``base``, best first, at or above ``threshold``."""
    scored = [(key, cosine(base, vector)) for key, vector in vectors.items()]
    scored = [(key, score) for key, score in scored if score >= threshold]
    scored.sort(key=lambda pair: (-pair[1], str(pair[0])))
    return scored[:limit]


def nearest(
    target: Hashable, vectors: Mapping[Hashable, Vector], *, limit: int = 5, threshold: float = 0.05
) -> list[tuple[Hashable, float]]:
    """The keys whose vectors are closest to ``target``'s, best first, above ``threshold``."""
    others = {key: vector for key, vector in vectors.items() if key != target}
    return rank(vectors[target], others, limit=limit, threshold=threshold)
