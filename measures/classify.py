"""Rule-based theme assignment over jieba tokens, in two facets: policy domain and policy instrument (pure).

Each theme has keywords. A keyword counts where it occurs as a token of the measure's title, text or chapter
(tokens, not substrings: 上市 must not be found in 线上市场); a keyword of three or more characters that jieba
splits counts where it occurs in the normalised text. Title hits weigh most, then the chapter heading, then
the body.

**Domains** are decided per document as much as per measure: a measure's own words are weighed together with
what its whole document is about — the 主题分类 its web page states, the words of its title and the domains
its measures mention most — so an article on fines in a data regulation is filed under the data regulation's
field, not under a generic theme. A measure whose own words point elsewhere clearly enough gets that domain
(and the document's, when both are strong). A measure with no signal at all, in a document with none, stays
unclassified (「未分类」) instead of falling into a catch-all.

**Instruments** are what the measure itself does, from its own words: the best one, and others that score
close to it, up to three; a framing item (总体要求, 指导思想) is ``planning``.

Every assignment carries a confidence and the reason a person can check: the words that matched, or the
document's 主题分类.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from .tokenize import index_tokens, keyword_tokens, normalise

DOMAIN = "domain"
INSTRUMENT = "instrument"

TITLE_WEIGHT, CHAPTER_WEIGHT, TEXT_WEIGHT = 4.0, 1.5, 1.0
TEXT_HITS_CAP = 4  # a word repeated throughout one body should not outweigh the title

MAX_INSTRUMENTS = 3
INSTRUMENT_CUTOFF = 0.3  # a second or third instrument must score at least this share of the best
INSTRUMENT_MIN = 2.0  # …and at least this much on its own

DOCUMENT_WEIGHT = 1.2  # how much the document's field counts against a measure's own words (both normalised)
SECOND_OWN_SHARE = 0.4  # a second field must hold this share of the measure's own domain words
SIBLING_SHARE = 0.3  # a second sub-domain of the same field must hold this share of the field's own words
OWN_SIGNAL_MIN = 4.0  # a domain the document does not favour needs at least this much of the measure's own words
OWN_FULL_STRENGTH = 8.0  # own words worth this much (two title hits) count fully against the document
TOPIC_WEIGHT = 3.0  # the 主题分类 stated on the page, against the title and the measures (each normalised to 1)
TITLE_PRIOR_WEIGHT = 1.5
MAX_REASON_WORDS = 5


@dataclass(frozen=True)
class ThemeRule:
    code: str
    keywords: Sequence[str]
    facet: str = DOMAIN
    parent: str = ""
    topics: Sequence[str] = ()  # 主题分类 names that mean this domain


@dataclass(frozen=True)
class CompiledRules:
    """Theme rules prepared once (keywords normalised and segmented), then applied to many measures.

    ``by_token``: normalised keyword → the (theme, specificity) pairs it scores for, counted where it is a
    token. ``literals``: keywords of 3+ characters that jieba splits (so they are never one token), counted
    where they occur in the normalised text.
    """

    by_token: dict[str, tuple[tuple[str, float], ...]]
    literals: tuple[tuple[str, str, float], ...]
    facets: dict[str, str] = field(default_factory=dict)
    parents: dict[str, str] = field(default_factory=dict)
    topics: tuple[tuple[str, str], ...] = ()  # (主题分类 name, domain code), longest name first

    def of_facet(self, facet: str) -> set[str]:
        return {code for code, own in self.facets.items() if own == facet}

    def ancestors(self, code: str) -> list[str]:
        found, parent = [], self.parents.get(code, "")
        while parent and parent not in found:
            found.append(parent)
            parent = self.parents.get(parent, "")
        return found


@dataclass(frozen=True)
class Assignment:
    """A theme a measure is given: the score behind it, how sure the rules are (0–1) and why."""

    code: str
    score: float
    confidence: float
    reason: str


def compile_rules(rules: Iterable[ThemeRule]) -> CompiledRules:
    by_token: dict[str, list[tuple[str, float]]] = {}
    literals = []
    facets, parents, topics = {}, {}, []
    for rule in rules:
        facets[rule.code] = rule.facet
        if rule.parent:
            parents[rule.code] = rule.parent
        topics += [(normalise(topic), rule.code) for topic in rule.topics]
        for keyword in rule.keywords:
            text = normalise(keyword)
            specificity = 1.0 + 0.25 * max(len(keyword) - 2, 0)  # longer keywords are more specific
            if len(text) >= 3 and len(keyword_tokens(text)) > 1:
                literals.append((text, rule.code, specificity))
            else:
                by_token.setdefault(text, []).append((rule.code, specificity))
    return CompiledRules(
        {k: tuple(v) for k, v in by_token.items()},
        tuple(literals),
        facets,
        parents,
        tuple(sorted(topics, key=lambda pair: -len(pair[0]))),
    )


def _compiled(rules: CompiledRules | Iterable[ThemeRule]) -> CompiledRules:
    return rules if isinstance(rules, CompiledRules) else compile_rules(rules)


def theme_hits(
    *,
    title: str,
    text: str,
    chapter: str,
    rules: CompiledRules | Iterable[ThemeRule],
    tokens: tuple[Sequence[str], Sequence[str]] | None = None,
) -> dict[str, tuple[float, tuple[str, ...]]]:
    """Every matching theme's score and the words that matched, best-weighted first.

    ``tokens``: the title's and the text's index tokens when the caller has them stored (the measure's
    search columns), which spares segmenting them again.
    """
    compiled = _compiled(rules)
    scores: dict[str, float] = {}
    words: dict[str, Counter] = {}

    def add(code: str, word: str, amount: float) -> None:
        scores[code] = scores.get(code, 0.0) + amount
        words.setdefault(code, Counter())[word] += amount

    given = {0: tokens[0], 2: tokens[1]} if tokens is not None else {}
    parts = ((title, TITLE_WEIGHT, None), (chapter, CHAPTER_WEIGHT, None), (text, TEXT_WEIGHT, TEXT_HITS_CAP))
    for index, (part, weight, cap) in enumerate(parts):
        if not part:
            continue
        counted = Counter(given[index] if index in given else index_tokens(part))
        for token, count in counted.items():
            for code, specificity in compiled.by_token.get(token, ()):
                add(code, token, (count if cap is None else min(count, cap)) * weight * specificity)
        normalised = normalise(part)
        for keyword, code, specificity in compiled.literals:
            count = counted.get(keyword, 0) or normalised.count(keyword)
            if count:
                add(code, keyword, (count if cap is None else min(count, cap)) * weight * specificity)
    return {
        code: (round(score, 2), tuple(word for word, _ in words[code].most_common(MAX_REASON_WORDS)))
        for code, score in scores.items()
        if score > 0
    }


def score_themes(
    *, title: str, text: str, chapter: str, rules: CompiledRules | Iterable[ThemeRule]
) -> dict[str, float]:
    """Every theme's score for one measure (themes that do not match are left out)."""
    return {
        code: score for code, (score, _) in theme_hits(title=title, text=text, chapter=chapter, rules=rules).items()
    }


@dataclass(frozen=True)
class MeasureText:
    title: str
    text: str
    chapter: str = ""
    kind: str = "measure"
    tokens: tuple[Sequence[str], Sequence[str]] | None = None  # stored index tokens of title and text


@dataclass(frozen=True)
class DocumentField:
    """What a document as a whole is about: a share per domain (summing to 1) and why."""

    shares: dict[str, float]
    reasons: dict[str, str]


def topic_domain(topic: str, rules: CompiledRules) -> str:
    """The domain a page's 主题分类 names: ``劳动、人事、监察\\劳动就业`` → ``labour``; ``""`` when none does."""
    top = normalise(topic.replace("\\", "/").split("/")[0].strip())
    for name, code in rules.topics:
        if top and (top == name or top.startswith(name) or name.startswith(top)):
            return code
    return ""


def _normalised(scores: dict[str, float]) -> dict[str, float]:
    total = sum(scores.values())
    return {code: score / total for code, score in scores.items()} if total else {}


def document_field(
    measure_hits: Sequence[dict[str, tuple[float, tuple[str, ...]]]],
    *,
    title: str,
    topic: str,
    rules: CompiledRules,
) -> DocumentField:
    """The document's domains: its stated 主题分类, the words of its title and what its measures mention."""
    domains = rules.of_facet(DOMAIN)
    combined: dict[str, float] = {}
    reasons: dict[str, str] = {}
    stated = topic_domain(topic, rules) if topic else ""
    if stated:
        combined[stated] = TOPIC_WEIGHT
        reasons[stated] = f"文件主题分类：{topic}"
    title_hits = {c: h for c, h in theme_hits(title=title, text="", chapter="", rules=rules).items() if c in domains}
    for code, share in _normalised({c: s for c, (s, _) in title_hits.items()}).items():
        combined[code] = combined.get(code, 0.0) + TITLE_PRIOR_WEIGHT * share
        reasons.setdefault(code, f"文件标题含“{'、'.join(title_hits[code][1][:3])}”")
    mentioned: dict[str, float] = {}
    for hits in measure_hits:
        for code, share in _normalised({c: s for c, (s, _) in hits.items() if c in domains}).items():
            mentioned[code] = mentioned.get(code, 0.0) + share
    for code, share in _normalised(mentioned).items():
        combined[code] = combined.get(code, 0.0) + share
        reasons.setdefault(code, "所在文件的措施多属此领域")
    return DocumentField(_normalised(combined), reasons)


def _top(code: str, rules: CompiledRules) -> str:
    ancestors = rules.ancestors(code)
    return ancestors[-1] if ancestors else code


def _by_top(scores: dict[str, float], rules: CompiledRules) -> dict[str, float]:
    tops: dict[str, float] = {}
    for code, score in scores.items():
        tops[_top(code, rules)] = tops.get(_top(code, rules), 0.0) + score
    return tops


def assign_domains(
    hits: dict[str, tuple[float, tuple[str, ...]]], document: DocumentField, rules: CompiledRules
) -> list[Assignment]:
    """One or two domains for a measure.

    The field (a top-level domain) is decided by the measure's own words weighed with its document's field,
    the weight of its own words growing with how much they say; within that field the most specific domain is
    the measure's own (跨境电子商务 in an e-commerce document), else the document's.
    """
    domains = rules.of_facet(DOMAIN)
    own = {code: hit for code, hit in hits.items() if code in domains}
    own_scores = {code: score for code, (score, _) in own.items()}
    strength = min(1.0, sum(own_scores.values()) / OWN_FULL_STRENGTH)
    own_top = _normalised(_by_top(own_scores, rules))
    document_top = _by_top(document.shares, rules)
    combined = {
        top: strength * own_top.get(top, 0.0) + DOCUMENT_WEIGHT * document_top.get(top, 0.0)
        for top in {*own_top, *document_top}
    }
    own_top_scores = _by_top(own_scores, rules)
    # A field the document hardly touches needs words of its own to stand.
    combined = {
        top: value
        for top, value in combined.items()
        if document_top.get(top, 0.0) >= 0.2 or own_top_scores.get(top, 0.0) >= OWN_SIGNAL_MIN
    }
    if not combined:
        return []
    ranked = sorted(combined.items(), key=lambda item: (-item[1], item[0]))
    total = sum(combined.values())
    best_top, best = ranked[0]
    chosen = [(best_top, best)]
    # A second field when the measure's own words are largely about it (a tourism measure in a poverty-relief
    # opinion): its document's field and its own.
    others = sorted(((own_top.get(t, 0.0), t) for t in combined if t != best_top), reverse=True)
    if others:
        share, top = others[0]
        if share >= SECOND_OWN_SHARE and own_top_scores.get(top, 0.0) >= OWN_SIGNAL_MIN:
            chosen.append((top, combined[top]))
    result = []
    leaves = [(_leaf(top, own_scores, document.shares, rules), value) for top, value in chosen]
    # A second sub-domain of the same field when the measure's own words are largely about it (海外仓 logistics in
    # a cross-border plan), unless the measure already has two fields.
    if len(leaves) == 1:
        first = leaves[0][0]
        siblings = [
            code
            for code in own_scores
            if code != first
            and _top(code, rules) == best_top
            and code != best_top
            and code not in rules.ancestors(first)
        ]
        if siblings:
            sibling = max(siblings, key=lambda code: own_scores[code])
            in_field = own_scores[sibling] / sum(s for c, s in own_scores.items() if _top(c, rules) == best_top)
            if own_scores[sibling] >= OWN_SIGNAL_MIN and in_field >= SIBLING_SHARE:
                leaves.append((sibling, best))
    for code, value in leaves:
        result.append(
            Assignment(
                code,
                round(own_scores.get(code, 0.0), 2),
                round(min(1.0, value / total), 2),
                _reason(code, own, document),
            )
        )
    return result


def _leaf(top: str, own: dict[str, float], document: dict[str, float], rules: CompiledRules) -> str:
    """The most specific domain of field ``top`` for a measure: its own best, else the document's best."""
    tree = [code for code in rules.of_facet(DOMAIN) if _top(code, rules) == top]
    below = [code for code in tree if code != top]
    for scores in (own, document):
        ranked = sorted(((scores.get(code, 0.0), code) for code in below if scores.get(code, 0.0) > 0), reverse=True)
        if ranked:
            return ranked[0][1]
    return top


def _reason(code: str, own: dict[str, tuple[float, tuple[str, ...]]], document: DocumentField) -> str:
    parts = []
    if code in own:
        parts.append("关键词：" + "、".join(own[code][1]))
    if code in document.reasons:
        parts.append(document.reasons[code])
    return "；".join(parts)[:200]


def assign_instruments(
    hits: dict[str, tuple[float, tuple[str, ...]]], *, kind: str, rules: CompiledRules
) -> list[Assignment]:
    """What the measure does: the best instrument and close seconds, up to three."""
    instruments = rules.of_facet(INSTRUMENT)
    own = {code: hit for code, hit in hits.items() if code in instruments}
    ranked = sorted(((code, score) for code, (score, _) in own.items()), key=lambda item: (-item[1], item[0]))
    chosen: list[tuple[str, float, str]] = []
    if kind == "general" and "planning" in instruments:
        chosen.append(("planning", own.get("planning", (0.0,))[0], "总体要求类条目"))
    if ranked and ranked[0][1] >= INSTRUMENT_MIN:
        best = ranked[0][1]
        for code, score in ranked:
            if len(chosen) >= MAX_INSTRUMENTS:
                break
            if code not in {c for c, _, _ in chosen} and score >= max(INSTRUMENT_MIN, INSTRUMENT_CUTOFF * best):
                chosen.append((code, score, "关键词：" + "、".join(own[code][1])))
    return [
        Assignment(code, round(score, 2), round(min(1.0, score / 12.0), 2), reason) for code, score, reason in chosen
    ]


def classify_document(
    measures: Sequence[MeasureText], *, title: str = "", topic: str = "", rules: CompiledRules | Iterable[ThemeRule]
) -> list[tuple[Assignment, ...]]:
    """The themes of each of a document's measures (domains first, then instruments), in order."""
    compiled = _compiled(rules)
    hits = [
        theme_hits(title=m.title, text=m.text, chapter=m.chapter, rules=compiled, tokens=m.tokens) for m in measures
    ]
    document = document_field(hits, title=title, topic=topic, rules=compiled)
    return [
        (*assign_domains(own, document, compiled), *assign_instruments(own, kind=m.kind, rules=compiled))
        for m, own in zip(measures, hits, strict=True)
    ]
