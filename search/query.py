"""The search query language, as pure functions: parse and expand synonyms (``search.compile`` turns
the result into an index query).

Syntax people already know: words separated by spaces (all should match, but a
measure matching most of them still ranks, below), ``"exact phrase"`` (also
“中文引号”), ``OR`` between words, ``-word`` to exclude. Nothing here raises on
user input: unbalanced quotes close at the end, operators in odd places are
read as nothing, and every lexeme reaching a database is a quoted analyzer token
(letters, digits and CJK only), so no query syntax of the engine in the input does anything.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

MAX_QUERY_CHARS = 200  # longer input is cut: nobody types more, and it bounds segmentation and SQL size
MAX_CLAUSES = 12
MAX_ALTERNATIVES = 8

Tokenizer = Callable[[str], list[str]]
Normaliser = Callable[[str], str]

_LEXEME_RE = re.compile(r'-?"[^"]*(?:"|$)|\S+')
# Control characters become spaces: PostgreSQL refuses NUL in a string, and none of them is searchable.
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
_QUOTES = str.maketrans({"“": '"', "”": '"', "「": '"', "」": '"', "『": '"', "』": '"'})


@dataclass(frozen=True)
class Term:
    """One thing to look for: its normalised text and the analyzer tokens that must all occur."""

    text: str
    tokens: tuple[str, ...]
    phrase: bool = False


@dataclass(frozen=True)
class Clause:
    """Alternatives joined by OR (synonyms included); a measure matches the clause if any matches."""

    alternatives: tuple[Term, ...]

    @property
    def required(self) -> bool:
        # A clause of phrases only is a hard constraint: the user asked for exactly this wording.
        return all(term.phrase for term in self.alternatives)


@dataclass(frozen=True)
class ParsedQuery:
    clauses: tuple[Clause, ...] = ()
    excluded: tuple[Term, ...] = ()
    truncated: bool = False
    notes: tuple[str, ...] = field(default=())
    # What ranking counts (see expand_synonyms): a measure matching some units still ranks, below
    # those matching all. Empty means "the clauses".
    units: tuple[Clause, ...] = ()

    @property
    def ranking_units(self) -> tuple[Clause, ...]:
        return self.units or self.clauses

    @property
    def is_empty(self) -> bool:
        return not self.clauses

    def highlight_terms(self) -> list[str]:
        """Strings to mark in text: whole terms and their tokens, longest first."""
        found: set[str] = set()
        for clause in self.clauses:
            for term in clause.alternatives:
                if term.phrase:
                    found.add(term.text)
                found.update(term.tokens)
        return sorted(found, key=lambda s: (-len(s), s))

    def required_phrases(self) -> list[list[str]]:
        """For each required clause, the phrase texts of which one must occur literally."""
        return [[term.text for term in clause.alternatives] for clause in self.clauses if clause.required]


def _lexemes(raw: str) -> list[str]:
    return _LEXEME_RE.findall(raw)


def parse_query(raw: str, *, tokenize: Tokenizer, normalise: Normaliser) -> ParsedQuery:
    """Read user input into clauses; ``tokenize``/``normalise`` are the analyzer's (injected for tests)."""
    raw = raw or ""
    truncated = len(raw) > MAX_QUERY_CHARS
    raw = _CONTROL.sub(" ", unicodedata.normalize("NFKC", raw[:MAX_QUERY_CHARS])).translate(_QUOTES)
    clauses: list[list[Term]] = []
    excluded: list[Term] = []
    join_next = False
    for lexeme in _lexemes(raw):
        if lexeme in ("OR", "|", "||"):
            join_next = bool(clauses)
            continue
        negative = lexeme.startswith("-") and len(lexeme) > 1
        body = lexeme[1:] if negative else lexeme
        phrase = body.startswith('"')
        text = normalise(body.strip('"')).strip()
        tokens = tuple(tokenize(text)) if text else ()
        if not tokens:
            continue  # punctuation, emoji, lone operators: nothing to search for
        term = Term(text=" ".join(tokens) if not phrase else text, tokens=tokens, phrase=phrase and len(tokens) > 0)
        if negative:
            excluded.append(term)
            join_next = False
            continue
        if join_next and clauses:
            clauses[-1].append(term)
        else:
            clauses.append([term])
        join_next = False
    built = tuple(dict.fromkeys(Clause(tuple(dict.fromkeys(alts))[:MAX_ALTERNATIVES]) for alts in clauses))
    built = built[:MAX_CLAUSES]
    notes = []
    if truncated:
        notes.append(f"查询过长，只使用了前 {MAX_QUERY_CHARS} 个字符。")
    if len(clauses) > MAX_CLAUSES:
        notes.append(f"查询词过多，只使用了前 {MAX_CLAUSES} 个。")
    return ParsedQuery(clauses=built, excluded=tuple(excluded), truncated=truncated, notes=tuple(notes))


def synonym_groups(groups: Iterable[Sequence[str]], *, normalise: Normaliser) -> list[tuple[str, ...]]:
    """Normalised, de-duplicated groups of two or more terms."""
    result = []
    for group in groups:
        terms = tuple(dict.fromkeys(t for t in (normalise(term).strip() for term in group) if t))
        if len(terms) > 1:
            result.append(terms)
    return result


def expand_synonyms(
    query: ParsedQuery,
    groups: Sequence[Sequence[str]],
    *,
    tokenize: Tokenizer,
    decompound: Callable[[str], list[str]] = lambda token: [token],
) -> ParsedQuery:
    """Add each synonym of a word as an alternative, also inside compounds (农村电商 → 农村电子商务),
    and cut the query into ranking units.

    A plain word becomes one unit per token it segments into, each token with its synonyms as
    alternatives, and a compound token without synonyms one unit per dictionary word it is made of:
    电商人才培养 → [电商 | 电子商务] [人才] [培养], so a measure saying 培养……人才 matches every unit.
    A clause the user joined with OR, and a phrase, stays one unit. Phrases are left alone: quoting
    asks for exactly that wording.
    """
    clauses, units = [], []
    for clause in query.clauses:
        alternatives = list(clause.alternatives)
        for term in clause.alternatives:
            if term.phrase:
                continue
            word = term.text.replace(" ", "")
            for variant in _variants(word, groups):
                tokens = tuple(tokenize(variant))
                if tokens:
                    alternatives.append(Term(text=" ".join(tokens), tokens=tokens))
        clauses.append(Clause(tuple(dict.fromkeys(alternatives))[:MAX_ALTERNATIVES]))
        if len(clause.alternatives) == 1 and not clause.alternatives[0].phrase:
            units.extend(_token_units(clause.alternatives[0], groups, tokenize, decompound))
        else:
            units.append(Clause(tuple(_split(term, decompound) for term in clauses[-1].alternatives)))
    units = list(dict.fromkeys(units))[:MAX_CLAUSES]
    return ParsedQuery(tuple(clauses), query.excluded, query.truncated, query.notes, tuple(units))


def _token_units(term: Term, groups, tokenize: Tokenizer, decompound) -> list[Clause]:
    word = "".join(term.tokens)
    if _variants(word, groups) and not any(_variants(token, groups) for token in term.tokens):
        # A synonym spanning several tokens (境外仓库 = 海外仓): the whole word is one unit.
        variants = [tuple(tokenize(variant)) for variant in _variants(word, groups)]
        alternatives = [term, *(Term(" ".join(v), v) for v in variants if v)]
        return [Clause(tuple(_split(t, decompound) for t in dict.fromkeys(alternatives))[:MAX_ALTERNATIVES])]
    units = []
    for token in term.tokens:
        parts = decompound(token)
        # A compound is cut first and each part gets its own synonyms (上市融资 → 上市|ipo, 融资|贷款|信贷),
        # unless a synonym spans its parts (the whole token then keeps its variants).
        if len(parts) > 1 and _variants(token, groups) and not any(_variants(part, groups) for part in parts):
            parts = [token]
        for part in dict.fromkeys(parts):
            variants = [tuple(tokenize(variant)) for variant in _variants(part, groups)]
            alternatives = [Term(text=part, tokens=(part,)), *(Term(" ".join(v), v) for v in variants if v)]
            unit = tuple(_split(t, decompound) for t in dict.fromkeys(alternatives))[:MAX_ALTERNATIVES]
            units.append(Clause(unit))
    return units


def _split(term: Term, decompound) -> Term:
    """``term`` with its compound tokens cut into their dictionary words (phrases stay as typed)."""
    if term.phrase:
        return term
    return Term(
        text=term.text, tokens=tuple(dict.fromkeys(part for token in term.tokens for part in decompound(token)))
    )


def _variants(word: str, groups: Sequence[Sequence[str]]) -> list[str]:
    variants: list[str] = []
    for group in groups:
        for member in sorted(group, key=len, reverse=True):
            if member and member in word:
                for other in group:
                    if other != member:
                        variants.append(word.replace(member, other))
                break
    return [v for v in dict.fromkeys(variants) if v != word]
