"""Text similarity between measures: TF-IDF over jieba tokens, cosine, shared terms, highlighting.

Pure functions with no database access: callers pass token lists (from
``measures.tokenize.index_tokens``) and get weights, scores and marked-up text
back. The compare page and the measure page's "similar provisions" both use it,
so "similar" means the same thing everywhere.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Hashable, Iterable, Mapping
from functools import lru_cache

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from .tokenize import index_tokens

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


@lru_cache(maxsize=50_000)
def measure_tokens(title: str, text: str) -> tuple[str, ...]:
    """Tokens of a measure for similarity: the title counts twice, it names the matter."""
    tokens = index_tokens(f"{title} {title} {text}")
    return tuple(token for token in tokens if len(token) >= 2 and token not in STOP_TERMS)


def tfidf_vectors(documents: Mapping[Hashable, Iterable[str]]) -> dict[Hashable, Vector]:
    """L2-normalised TF-IDF vectors (sublinear tf, smoothed idf) for each key's tokens."""
    counts = {key: Counter(tokens) for key, tokens in documents.items()}
    total = len(counts)
    document_frequency: Counter[str] = Counter()
    for counter in counts.values():
        document_frequency.update(counter.keys())
    idf = {term: math.log((1 + total) / (1 + df)) + 1 for term, df in document_frequency.items()}
    vectors: dict[Hashable, Vector] = {}
    for key, counter in counts.items():
        weights = {term: (1 + math.log(n)) * idf[term] for term, n in counter.items()}
        norm = math.sqrt(sum(w * w for w in weights.values())) or 1.0
        vectors[key] = {term: w / norm for term, w in weights.items()}
    return vectors


def cosine(a: Vector, b: Vector) -> float:
    """Cosine of two normalised vectors (iterate the smaller one)."""
    if len(a) > len(b):
        a, b = b, a
    return sum(weight * b.get(term, 0.0) for term, weight in a.items())


def shared_terms(a: Vector, b: Vector, *, limit: int = 8) -> list[str]:
    """The terms two vectors share, most telling (highest combined weight) first."""
    common = set(a) & set(b)
    return sorted(common, key=lambda term: (-(a[term] * b[term]), term))[:limit]


def highlight(text: str, terms: Iterable[str]) -> SafeString:
    """``text`` HTML-escaped, with each occurrence of ``terms`` wrapped in ``<mark>``.

    Longer terms are tried first so 跨境电商 is marked whole rather than as 跨境.
    """
    unique = sorted({term for term in terms if term}, key=len, reverse=True)
    if not unique:
        return escape(text)
    pattern = re.compile("|".join(re.escape(term) for term in unique), re.IGNORECASE)
    parts: list[str] = []
    last = 0
    for match in pattern.finditer(text):
        parts.append(escape(text[last : match.start()]))
        parts.append(f"<mark>{escape(match.group(0))}</mark>")
        last = match.end()
    parts.append(escape(text[last:]))
    return mark_safe("".join(parts))  # every piece above was escaped


def nearest(
    target: Hashable, vectors: Mapping[Hashable, Vector], *, limit: int = 5, threshold: float = 0.05
) -> list[tuple[Hashable, float]]:
    """The keys whose vectors are closest to ``target``'s, best first, above ``threshold``."""
    base = vectors[target]
    scored = [(key, cosine(base, vector)) for key, vector in vectors.items() if key != target]
    scored = [(key, score) for key, score in scored if score >= threshold]
    scored.sort(key=lambda pair: (-pair[1], str(pair[0])))
    return scored[:limit]
