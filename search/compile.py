"""A parsed query and a scope as Tantivy queries (pure: the schema is the only input besides them).

Ranking, in tiers then by BM25 over the analyzer's tokens (a title match counts ``TITLE_BOOST``
times a body match):

- measures of a document the query names (its 文号, most of its title) first;
- then by the ranking units they match, each counting ``COVERAGE`` times its weight: its rarity
  relative to the query's rarest unit, so a measure matching every word ranks above one matching
  some of them, and among those the rarer words count more (品牌建设: 品牌 before 建设); a unit found
  in most measures (电子商务 in a corpus of e-commerce policy) tells nothing apart and counts only
  in BM25 (as the "common terms" of Lucene-style engines);
- within a tier, measures of a region the query names (「海外仓 深圳」) first (``REGION_BOOST``).

Counting and facets read ``matching``: the same measures without any of the scoring, which costs
nothing to skip there.

Filters never score: they are wrapped in a zero constant score.
"""

from __future__ import annotations

import datetime as dt

import tantivy
from tantivy import Occur, Query

from .query import Clause, ParsedQuery, Term
from .schema import DOCUMENT, MEASURE, day, phrase_chars
from .scope import Scope

TITLE_BOOST = 3.0
COVERAGE = 1000.0
REGION_BOOST = 500.0
DOCUMENT_BOOST = 100_000.0


def _should(queries: list[Query]) -> Query:
    if len(queries) == 1:
        return queries[0]
    return Query.boolean_query([(Occur.Should, query) for query in queries])


def _must(queries: list[Query]) -> Query:
    if len(queries) == 1:
        return queries[0]
    return Query.boolean_query([(Occur.Must, query) for query in queries])


def _token(schema: tantivy.Schema, token: str, *, scored: bool = True) -> Query:
    """A token in the title or the body: scored by BM25 (title weighted), or, unscored, one posting
    list to read (the ``text`` field holds both)."""
    if not scored:
        return Query.term_query(schema, "text", token, index_option="basic")
    title = Query.boost_query(Query.term_query(schema, "title", token, index_option="freq"), TITLE_BOOST)
    return _should([title, Query.term_query(schema, "body", token, index_option="freq")])


def phrase(schema: tantivy.Schema, text: str) -> Query | None:
    """The characters of ``text`` in this order in the title or the body (None: nothing to match)."""
    characters = phrase_chars(text)
    if not characters:
        return None
    if len(characters) == 1:
        fields = [Query.term_query(schema, name, characters[0]) for name in ("title_chars", "body_chars")]
    else:
        fields = [Query.phrase_query(schema, name, characters) for name in ("title_chars", "body_chars")]
    return _should([Query.boost_query(fields[0], TITLE_BOOST), fields[1]])


def term(schema: tantivy.Schema, item: Term, *, scored: bool = True) -> Query | None:
    if item.phrase:
        return phrase(schema, item.text)
    if not item.tokens:
        return None
    return _must([_token(schema, token, scored=scored) for token in item.tokens])


def clause(schema: tantivy.Schema, unit: Clause, *, scored: bool = True) -> Query | None:
    alternatives = [query for item in unit.alternatives if (query := term(schema, item, scored=scored)) is not None]
    return _should(alternatives) if alternatives else None


def measures_only(schema: tantivy.Schema) -> Query:
    return Query.term_query(schema, "entity", MEASURE)


def documents_only(schema: tantivy.Schema) -> Query:
    return Query.term_query(schema, "entity", DOCUMENT)


def _ids(schema: tantivy.Schema, field: str, values) -> Query:
    values = list(values)
    if len(values) == 1:
        return Query.term_query(schema, field, values[0])
    return Query.term_set_query(schema, field, values)


def in_force(schema: tantivy.Schema, on: dt.date) -> Query:
    """In force on ``on``: started (or no start stated) and an end date stated, not passed — decided
    from the dates when searching, never stored as a status that would expire."""
    today = day(on)
    started = Query.range_query(schema, "valid_from", tantivy.FieldType.Integer, None, today)
    not_ended = Query.range_query(schema, "valid_until", tantivy.FieldType.Integer, today, None)
    return _must([started, not_ended])


def scope_query(schema: tantivy.Schema, scope: Scope) -> Query:
    """The measures ``scope`` lets through (every measure when it is empty)."""
    if scope.nothing:
        return Query.empty_query()
    parts = [measures_only(schema), *_document_parts(schema, scope)]
    for theme in scope.themes:
        parts.append(Query.term_query(schema, "themes", theme))
    if scope.departments:
        parts.append(_ids(schema, scope.role or "department", scope.departments))
    elif scope.role:
        parts.append(Query.exists_query(scope.role))
    if scope.kind:
        parts.append(Query.term_query(schema, "kind", scope.kind))
    return _must(parts)


def document_scope_query(schema: tantivy.Schema, scope: Scope) -> Query:
    """The documents ``scope``'s document filters (region, years, type, validity) let through."""
    if scope.nothing:
        return Query.empty_query()
    return _must([documents_only(schema), *_document_parts(schema, scope)])


def _document_parts(schema: tantivy.Schema, scope: Scope) -> list[Query]:
    """The filters on a measure's document, which a document's own entry answers too."""
    parts = []
    if scope.document is not None:
        parts.append(Query.term_query(schema, "document", scope.document))
    if scope.regions:
        parts.append(_ids(schema, "region", scope.regions))
    if scope.year_min is not None or scope.year_max is not None:
        parts.append(Query.range_query(schema, "year", tantivy.FieldType.Integer, scope.year_min, scope.year_max))
    if scope.doc_type:
        parts.append(Query.term_query(schema, "doc_type", scope.doc_type))
    if scope.in_force is not None:
        current = in_force(schema, scope.on or dt.date.today())
        parts.append(current if scope.in_force else Query.all_query().and_must_not_match(current))
    return parts


def _filter(query: Query) -> Query:
    return Query.const_score_query(query, 0.0)


def units(schema: tantivy.Schema, parsed: ParsedQuery, *, scored: bool = True) -> list[Query]:
    return [query for unit in parsed.ranking_units if (query := clause(schema, unit, scored=scored)) is not None]


def excluded(schema: tantivy.Schema, parsed: ParsedQuery) -> list[Query]:
    return [query for item in parsed.excluded if (query := term(schema, item, scored=False)) is not None]


def ranked(
    schema: tantivy.Schema,
    parsed: ParsedQuery,
    scope: Scope,
    *,
    regions: tuple[int, ...] = (),
    documents: tuple[int, ...] = (),
    weights: tuple[float, ...] = (),
) -> Query:
    """Measures matching any unit of ``parsed`` within ``scope``, scored for the tiers above.
    ``regions``/``documents``: what the query names; ``weights``: what
    matching each unit counts for (1 when not given; 0 for a unit found in most measures)."""
    unit_queries = units(schema, parsed)
    matching = []
    for position, query in enumerate(unit_queries):
        weight = weights[position] if position < len(weights) else 1.0
        if weight > 0 and len(unit_queries) > 1:  # one unit: every match has it, no tier to make
            matching.append(Query.const_score_query(query, COVERAGE * weight))
        matching.append(query)
    if documents:
        matching.append(Query.const_score_query(_ids(schema, "document", documents), DOCUMENT_BOOST))
    clauses = [(Occur.Must, _should(matching) if matching else Query.empty_query())]
    clauses.append((Occur.Must, _filter(scope_query(schema, scope))))
    clauses += [(Occur.MustNot, query) for query in excluded(schema, parsed)]
    if regions:
        clauses.append((Occur.Should, Query.const_score_query(_ids(schema, "region", regions), REGION_BOOST)))
    return Query.boolean_query(clauses)


def matching(schema: tantivy.Schema, parsed: ParsedQuery, scope: Scope, *, documents: tuple[int, ...] = ()) -> Query:
    """The measures ``ranked`` returns, unscored: any unit (or a named document), within the scope."""
    alternatives = units(schema, parsed, scored=False)
    if documents:
        alternatives.append(_ids(schema, "document", documents))
    clauses = [(Occur.Must, _should(alternatives) if alternatives else Query.empty_query())]
    clauses.append((Occur.Must, scope_query(schema, scope)))
    clauses += [(Occur.MustNot, query) for query in excluded(schema, parsed)]
    return Query.boolean_query(clauses)


def every_unit(schema: tantivy.Schema, parsed: ParsedQuery, scope: Scope) -> Query:
    """Measures matching every unit (for the honest summary: how many contain every word)."""
    unit_queries = units(schema, parsed, scored=False)
    clauses = [(Occur.Must, query) for query in unit_queries] or [(Occur.Must, Query.empty_query())]
    clauses.append((Occur.Must, _filter(scope_query(schema, scope))))
    clauses += [(Occur.MustNot, query) for query in excluded(schema, parsed)]
    return Query.boolean_query(clauses)
