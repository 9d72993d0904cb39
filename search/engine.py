"""The one entry point of search: ``search(query=…, filters=…)`` → a ``Search`` whose pages, exact
total, exact facet counts and full id list are read from the index on demand.

Every list of measures goes through here, with or without words: the list page, the API, both
exports, the facets beside the filters. Without words the filtered measures come in date order.

What the query is read for, besides its words (``search.query``): a 文号 in it names a document
(its measures first, the number no longer searched as words); a region name (「海外仓 深圳」)
ranks that region's measures first and is offered as a filter instead of being required as a word;
a query that spells most of a document's title names that document too. The summary says how many
measures contain every word, so a result of measures matching only some words is never presented
as a match of all.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
import re
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cached_property

import tantivy
from django.utils import timezone

from documents.models import Document, Organization, Region
from measures.models import Synonym, Theme
from measures.themes import tree_order
from measures.tokenize import decompound, normalise, query_tokens

from . import applier, compile, index, schema
from .query import Clause, ParsedQuery, expand_synonyms, parse_query, synonym_groups
from .scope import Scope, scope_of

FACET_LIMIT = 15
FIRST_PAGE = 64  # hits read with the count: the first pages of 20 and their ties come from that pass
TIE_WINDOW = 2_000  # hits past a page read to order equal scores by date and id
COMMON_SHARE = 0.5  # a word in more than this share of all measures does not count towards "matches more words"
MIN_WEIGHT = 0.25  # the least a word that does count weighs, against the query's rarest
DOCUMENT_HITS = 5
# A query that spells at least this share of a document's title (and this many characters) names it.
TITLE_SHARE, TITLE_MIN_CHARS = 0.5, 6
_DOC_NUMBER_IN_QUERY = re.compile(
    r"([\u3400-\u9fff]{1,15})\s*[〔\[(（【﹝]\s*((?:19|20)\d\d)\s*[〕\])）】﹞]\s*第?\s*(\d{1,5})\s*号?"
)
_REGION_SUFFIXES = ("特别行政区", "自治区", "自治州", "省", "市", "区", "县", "州", "盟")
SORTS = {"relevance": "相关度", "date": "发布日期（新→旧）"}


def active_synonym_groups() -> list[tuple[str, ...]]:
    return synonym_groups((s.term_list for s in Synonym.objects.filter(active=True).only("terms")), normalise=normalise)


def parse(raw: str, *, synonyms: list[tuple[str, ...]] | None = None) -> ParsedQuery:
    """User input → clauses with synonyms added and ranking units (compounds split)."""
    parsed = parse_query(raw, tokenize=query_tokens, normalise=normalise)
    if parsed.is_empty:
        return parsed
    groups = active_synonym_groups() if synonyms is None else synonyms
    return expand_synonyms(parsed, groups, tokenize=query_tokens, decompound=decompound)


# --- what a query names ----------------------------------------------------------------------------


def region_forms() -> dict[str, int]:
    """Every way a region is written in a query (深圳市, 深圳) → its id."""
    forms: dict[str, int] = {}
    for pk, name in Region.objects.values_list("pk", "name"):
        forms.setdefault(normalise(name), pk)
        for suffix in _REGION_SUFFIXES:
            if name.endswith(suffix) and len(name) - len(suffix) >= 2:
                forms.setdefault(normalise(name[: -len(suffix)]), pk)
                break
    return forms


def _single_word(unit: Clause) -> str | None:
    if len(unit.alternatives) == 1 and not unit.alternatives[0].phrase and len(unit.alternatives[0].tokens) == 1:
        return unit.alternatives[0].tokens[0]
    return None


def _without_regions(parsed: ParsedQuery) -> tuple[ParsedQuery, tuple[int, ...]]:
    """The query with its region words taken out of the ranking units (unless nothing else is left),
    and the regions they name."""
    forms = region_forms()
    regions, kept = [], []
    for unit in parsed.ranking_units:
        word = _single_word(unit)
        if word is not None and word in forms:
            regions.append(forms[word])
        else:
            kept.append(unit)
    if not regions or not kept:
        return parsed, ()
    return dataclasses.replace(parsed, units=tuple(kept)), tuple(dict.fromkeys(regions))


def _unit_weights(searcher: tantivy.Searcher, tschema: tantivy.Schema, parsed: ParsedQuery) -> tuple[float, ...]:
    """What matching each ranking unit counts for: its inverse document frequency over all measures,
    relative to the rarest unit's; 0 for a unit in more than COMMON_SHARE of measures (unless every
    unit is that common: then they are all the query has, and count alike)."""
    if len(parsed.ranking_units) < 2:
        return ()
    total = searcher.doc_freq("entity", schema.MEASURE) or 1
    frequencies = [_frequency(searcher, tschema, unit, total) for unit in parsed.ranking_units]
    if all(df > COMMON_SHARE * total for df in frequencies):
        return ()
    idf = [math.log(1 + (total - df + 0.5) / (df + 0.5)) for df in frequencies]
    rarest = max(idf) or 1.0
    return tuple(
        0.0 if df > COMMON_SHARE * total else max(value / rarest, MIN_WEIGHT)
        for df, value in zip(frequencies, idf, strict=True)
    )


def _frequency(searcher: tantivy.Searcher, tschema: tantivy.Schema, unit: Clause, total: int) -> int:
    """About how many measures have the unit, read from the term dictionary: for each alternative the
    count of its rarest token, the largest of those (a phrase: its rarest character). An estimate is
    enough to weigh by, and costs no pass over the matches."""
    counts = []
    for item in unit.alternatives:
        if item.phrase:
            counts.append(
                min((searcher.doc_freq("body_chars", char) for char in schema.phrase_chars(item.text)), default=0)
            )
        elif item.tokens:
            counts.append(min(searcher.doc_freq("text", token) for token in item.tokens))
    return min(total, max(counts, default=0))


def doc_number_in(raw: str) -> tuple[str, str] | None:
    """(the 文号 as found, its key) if the query contains one."""
    match = _DOC_NUMBER_IN_QUERY.search(normalise(raw or ""))
    if match is None:
        return None
    return match[0], schema.doc_number_key(f"{match[1]}〔{match[2]}〕{match[3]}号")


# --- the search ------------------------------------------------------------------------------------


@dataclass
class DocumentHit:
    id: int
    named: bool  # the query spells its 文号 or most of its title: its measures come first


@dataclass
class Search:
    """A prepared search: the query compiled once; the total, pages, facets read when asked for."""

    query: str
    parsed: ParsedQuery | None
    scope: Scope
    sort: str
    searcher: tantivy.Searcher
    schema: tantivy.Schema
    ranked: tantivy.Query  # scored: for pages in relevance order
    every: tantivy.Query | None
    matching: tantivy.Query | None = None  # the same measures unscored: totals, facets, date order
    regions: tuple[int, ...] = ()
    documents: list[DocumentHit] = field(default_factory=list)
    doc_number: str = ""
    notes: tuple[str, ...] = ()

    @property
    def has_words(self) -> bool:
        return self.parsed is not None and not self.parsed.is_empty

    @cached_property
    def total(self) -> int:
        """Every measure that matches (any word, within the filters): exact, counted in the same pass
        that reads the first page."""
        return self._read(FIRST_PAGE, count=True)[1]

    @property
    def unscored(self) -> tantivy.Query:
        return self.matching if self.matching is not None else self.ranked

    @property
    def by_date(self) -> bool:
        return self.sort == "date" or not self.has_words

    @cached_property
    def total_all_words(self) -> int:
        """How many of them contain every word (all of them without words, or with one word)."""
        if self.every is None or len(self.parsed.ranking_units) < 2:
            return self.total
        return self.searcher.search(self.every, 1, count=True).count

    def _read(self, fetch: int, *, count: bool = False) -> tuple[list, int | None]:
        """The first ``fetch`` hits in list order (and, with ``count``, how many match), read once."""
        cached = self.__dict__.setdefault("_hits", {})
        if fetch in cached and (not count or cached[fetch][1] is not None):
            return cached[fetch]
        if self.by_date:
            result = self.searcher.search(
                self.unscored, fetch, count=count, order_by_field="date_key", order=tantivy.Order.Desc
            )
        else:
            result = self.searcher.search(self.ranked, fetch, count=count)
        cached[fetch] = (result.hits, result.count if count else None)
        return cached[fetch]

    def ids(self, offset: int = 0, limit: int = 20) -> list[int]:
        """A page of measure ids, in the order the list shows them."""
        if limit <= 0 or offset >= self.total:
            return []
        if self.by_date:
            if offset + limit <= FIRST_PAGE:
                hits = self._read(FIRST_PAGE)[0][offset : offset + limit]
            else:
                hits = self.searcher.search(
                    self.unscored,
                    limit,
                    count=False,
                    order_by_field="date_key",
                    order=tantivy.Order.Desc,
                    offset=offset,
                ).hits
            return self.searcher.fast_field_values("id", [address for _, address in hits])
        return self._by_score(offset, limit)

    def _by_score(self, offset: int, limit: int) -> list[int]:
        """Best first; equal scores newest first, then by id: the same order however the index's
        segments happen to be laid out (two databases, a rebuilt index, a restored one)."""
        wanted = offset + limit
        fetch = max(wanted + 1, FIRST_PAGE)
        while True:
            hits = self._read(fetch)[0]
            # Read on while the hits past the page still tie with its last one (up to TIE_WINDOW more:
            # thousands of equal scores come from copies of one text, whose order then is the index's).
            if len(hits) < fetch or hits[-1][0] != hits[min(wanted, len(hits)) - 1][0] or fetch > wanted + TIE_WINDOW:
                break
            fetch = min(fetch * 2, wanted + TIE_WINDOW + 1)
        addresses = [address for _, address in hits]
        ids = self.searcher.fast_field_values("id", addresses)
        keys = self.searcher.fast_field_values("date_key", addresses)
        order = sorted(range(len(hits)), key=lambda i: (-hits[i][0], -keys[i], ids[i]))
        return [ids[i] for i in order[offset:wanted]]

    def all_ids(self, chunk: int = 10_000) -> Iterator[int]:
        """Every match, in page order (exports)."""
        for offset in range(0, self.total, chunk):
            yield from self.ids(offset, chunk)

    @cached_property
    def facets(self) -> dict:
        return _facets(self)

    def terms(self, field_name: str) -> dict[int, int]:
        """How many matches hold each value of one fast field (region, year, document …), every value."""
        result = self.searcher.aggregate(self.unscored, {field_name: _terms(field_name, SHORT_LIMIT)})
        return dict(_buckets(result, field_name))


def search(
    *, query: str = "", filters: dict | None = None, scope: Scope | None = None, sort: str = "relevance"
) -> Search:
    """Prepare the search of ``query`` within ``filters`` (validated here: raises ValidationError)."""
    applier.ensure_current()
    on = timezone.localdate()
    scope = scope if scope is not None else scope_of(filters, on=on)
    if scope.on is None:
        scope = dataclasses.replace(scope, on=on)
    current = index.handle()
    searcher, tschema = current.searcher(), current.index.schema
    sort = sort if sort in SORTS else "relevance"
    query = (query or "").strip()
    number = doc_number_in(query)
    words = normalise(query).replace(number[0], " ") if number else query
    documents: list[DocumentHit] = []
    if number:
        documents = [DocumentHit(pk, True) for pk in _documents_numbered(searcher, tschema, number[1], scope)]
    parsed = parse(words) if words.strip() else None
    if parsed is None or parsed.is_empty:
        if number and documents:
            return _numbered_only(query, scope, searcher, tschema, documents, number[0])
        # No words: the filtered list; words with nothing searchable in them (punctuation, emoji): nothing.
        ranked = tantivy.Query.empty_query() if query else compile.scope_query(tschema, scope)
        return Search(query, parsed, scope, "date", searcher, tschema, ranked, None)
    parsed, regions = _without_regions(parsed)
    numbered = {hit.id for hit in documents}
    documents += [hit for hit in _documents_titled(searcher, tschema, parsed, words, scope) if hit.id not in numbered]
    named = tuple(hit.id for hit in documents if hit.named)
    ranked = compile.ranked(
        tschema,
        parsed,
        scope,
        regions=regions,
        documents=named,
        weights=_unit_weights(searcher, tschema, parsed),
    )
    every = compile.every_unit(tschema, parsed, scope)
    matching = compile.matching(tschema, parsed, scope, documents=named)
    return Search(
        query,
        parsed,
        scope,
        sort,
        searcher,
        tschema,
        ranked,
        every,
        regions=regions,
        documents=documents,
        doc_number=number[0] if number else "",
        notes=parsed.notes,
        matching=matching,
    )


def _numbered_only(query, scope, searcher, tschema, documents, number) -> Search:
    """A query that is only a 文号: that document's measures, in their order."""
    ranked = tantivy.Query.boolean_query(
        [
            (tantivy.Occur.Must, compile._ids(tschema, "document", [hit.id for hit in documents])),
            (tantivy.Occur.Must, compile.scope_query(tschema, scope)),
        ]
    )
    return Search(query, None, scope, "date", searcher, tschema, ranked, None, documents=documents, doc_number=number)


def _documents_numbered(
    searcher: tantivy.Searcher, tschema: tantivy.Schema, key: str, scope: Scope | None = None
) -> list[int]:
    query = tantivy.Query.term_query(tschema, "doc_number", key)
    if scope is not None:
        query = tantivy.Query.boolean_query(
            [
                (tantivy.Occur.Must, query),
                (tantivy.Occur.Must, compile._filter(compile.document_scope_query(tschema, scope))),
            ]
        )
    hits = searcher.search(query, DOCUMENT_HITS).hits
    return searcher.fast_field_values("id", [address for _, address in hits])


def _cjk_length(text: str) -> int:
    """Characters of a title that say what it is about: CJK only (not the years and brackets of 2022-2025)."""
    return sum(1 for char in schema.phrase_chars(text) if not char.isascii())


def _titled(
    searcher: tantivy.Searcher, tschema: tantivy.Schema, parsed: ParsedQuery, scope: Scope, limit: int
) -> list[int]:
    """Documents (within the scope's document filters) whose title has every word of the query, best first."""
    units = compile.units(tschema, parsed)
    if not units:
        return []
    query = tantivy.Query.boolean_query(
        [
            (tantivy.Occur.Must, compile._filter(compile.document_scope_query(tschema, scope))),
            *((tantivy.Occur.Must, unit) for unit in units),
        ]
    )
    hits = searcher.search(query, limit, count=False).hits
    return searcher.fast_field_values("id", [address for _, address in hits])


def _documents_titled(
    searcher: tantivy.Searcher, tschema: tantivy.Schema, parsed: ParsedQuery, words: str, scope: Scope
) -> list[DocumentHit]:
    """The documents of ``_titled``, each named when the query spells most of its title."""
    ids = _titled(searcher, tschema, parsed, scope, DOCUMENT_HITS)
    if not ids:
        return []
    typed = _cjk_length(words)
    titles = {
        pk: (policy or title)
        for pk, title, policy in Document.objects.filter(pk__in=ids).values_list("pk", "title", "policy_title")
    }
    found = []
    for pk in ids:
        if pk not in titles:
            continue
        length = _cjk_length(titles[pk]) or 1
        found.append(DocumentHit(pk, typed >= TITLE_MIN_CHARS and typed / length >= TITLE_SHARE))
    return found


# --- facets ----------------------------------------------------------------------------------------


def _terms(field_name: str, size: int) -> dict:
    # segment_size well above any cardinality here: counts are exact, not merged from per-segment tops.
    return {"terms": {"field": field_name, "size": size, "segment_size": 1_000_000}}


def _buckets(result: dict, name: str) -> list[tuple]:
    return [(bucket["key"], bucket["doc_count"]) for bucket in result.get(name, {}).get("buckets", [])]


FACET_FIELDS = ("region", "year", "doc_type", "themes", "document", "department", *schema.ROLES)
SHORT_LIMIT = 10_000  # regions, years, types, themes: every value (an aggregation may hold 65,000 buckets)
LONG_FIELDS = ("document", "department", *schema.ROLES)  # shown as their FACET_LIMIT biggest


def _aggregate(searcher: tantivy.Searcher, query: tantivy.Query, today: int) -> tuple[dict[str, list[tuple]], int]:
    """Per facet field, ``query``'s measures holding each value as (value, count), most first (the
    FACET_LIMIT biggest of the long lists: documents, departments); and how many of them are in force
    on ``today`` (started, or no start stated, and not ended)."""
    aggregations = {name: _terms(name, FACET_LIMIT if name in LONG_FIELDS else SHORT_LIMIT) for name in FACET_FIELDS}
    aggregations["in_force"] = {
        "range": {"field": "valid_from", "ranges": [{"to": today + 1}]},
        "aggs": {"current": {"range": {"field": "valid_until", "ranges": [{"from": today}]}}},
    }
    result = searcher.aggregate(query, aggregations)
    counts = {name: sorted(_buckets(result, name), key=lambda item: (-item[1], item[0])) for name in FACET_FIELDS}
    # A range aggregation also returns the buckets that complete its ranges: take the ones asked for.
    in_force = sum(
        current.get("doc_count", 0)
        for started in result.get("in_force", {}).get("buckets", [])
        if "to" in started and "from" not in started
        for current in started.get("current", {}).get("buckets", [])
        if "from" in current and "to" not in current
    )
    return counts, in_force


_labels_lock = threading.Lock()
LABELS_TTL = 30.0  # seconds the names of regions and themes are reused (they change in the admin, rarely)
_labels_cache: dict = {}


def _labels() -> tuple[dict[int, str], dict[int, Theme]]:
    """Region names and themes by id, read at most every LABELS_TTL seconds per process."""
    now = time.monotonic()
    with _labels_lock:
        cached = _labels_cache.get("value")
        if cached is not None and now - _labels_cache["at"] < LABELS_TTL:
            return cached
    value = (dict(Region.objects.values_list("pk", "name")), {theme.pk: theme for theme in Theme.objects.all()})
    with _labels_lock:
        _labels_cache.update(value=value, at=now)
    return value


def forget_labels() -> None:
    """Read region and theme names anew on the next search (tests; after a rename that must show now)."""
    with _labels_lock:
        _labels_cache.clear()


def _facets(found: Search) -> dict:
    """Counts per filter value over every match: region, year, type, validity, domain and instrument
    (each ancestor counted), department overall and by role, and the documents with most matches."""
    counts, in_force = _aggregate(found.searcher, found.unscored, schema.day(found.scope.on or dt.date.today()))
    total = found.total
    regions, themes = _labels()
    documents = counts["document"]
    titles = {
        pk: policy or title
        for pk, title, policy in Document.objects.filter(pk__in=[pk for pk, _ in documents]).values_list(
            "pk", "title", "policy_title"
        )
    }
    organisation_ids = {pk for name in LONG_FIELDS if name != "document" for pk, _ in counts[name]}
    names = dict(Organization.objects.filter(pk__in=organisation_ids).values_list("pk", "name"))
    doc_types = dict(Document.DocType.choices)
    theme_counts = [(themes[pk], n) for pk, n in counts["themes"] if pk in themes]

    def biggest(item):
        return -item[1], item[0].sort_order, item[0].code

    domains = [(theme, n) for theme, n in theme_counts if theme.facet == Theme.Facet.DOMAIN]
    instruments = sorted((item for item in theme_counts if item[0].facet == Theme.Facet.INSTRUMENT), key=biggest)
    domain_tree = tree_order(domains, key=lambda item: item[0].pk, parent=lambda item: item[0].parent_id, order=biggest)
    return {
        "total": total,
        "region": sorted(((regions.get(pk, str(pk)), n) for pk, n in counts["region"]), key=lambda i: (-i[1], i[0])),
        "year": sorted(counts["year"], reverse=True),
        "doc_type": sorted(
            ((code, doc_types.get(code, code), n) for code, n in counts["doc_type"]),
            key=lambda i: (-i[2], i[0]),
        ),
        "document": [(pk, titles.get(pk, ""), n) for pk, n in documents],
        "theme": [(theme.code, theme.name, n) for theme, n in sorted(theme_counts, key=biggest)],
        "domain": [(theme.code, theme.name, n, depth) for (theme, n), depth in domain_tree],
        "instrument": [(theme.code, theme.name, n) for theme, n in instruments],
        "department": [(names.get(pk, str(pk)), n) for pk, n in counts["department"]],
        "department_roles": {role: [(names.get(pk, str(pk)), n) for pk, n in counts[role]] for role in schema.ROLES},
        "in_force": [("true", "现行有效", in_force), ("false", "非现行有效", total - in_force)],
    }


# --- for other readers: theme counts, documents, similar provisions, theme keyword previews --------


def theme_counts() -> dict[int, int]:
    """How many measures each theme has (a parent domain counts its sub-domains' measures): one
    aggregation over every measure, kept until the index changes."""
    applier.ensure_current()
    current = index.handle()
    cached = current.cache.get("theme_counts")
    if cached is not None and cached[0] == current.version:
        return cached[1]
    searcher = current.searcher()
    result = searcher.aggregate(compile.measures_only(current.index.schema), {"themes": _terms("themes", SHORT_LIMIT)})
    counts = dict(_buckets(result, "themes"))
    current.cache["theme_counts"] = (current.version, counts)
    return counts


def document_ids(query: str, limit: int = 500) -> list[int]:
    """Documents a query names: its 文号 first, then those whose title has every word, best first."""
    applier.ensure_current()
    current = index.handle()
    searcher, tschema = current.searcher(), current.index.schema
    query = (query or "").strip()
    found: list[int] = []
    number = doc_number_in(query)
    if number:
        found += _documents_numbered(searcher, tschema, number[1])
        query = normalise(query).replace(number[0], " ")
    parsed = parse(query) if query.strip() else None
    if parsed is not None and not parsed.is_empty:
        found += [pk for pk in _titled(searcher, tschema, parsed, Scope(), limit) if pk not in found]
    return found


def similar_candidates(*, tokens: list[str], exclude_region: int | None, limit: int) -> list[int]:
    """Measures sharing any of ``tokens`` (outside a region), best first by BM25."""
    applier.ensure_current()
    current = index.handle()
    tschema, searcher = current.index.schema, current.searcher()
    if not tokens:
        return []
    clauses = [(tantivy.Occur.Should, compile._token(tschema, token)) for token in tokens]
    query = tantivy.Query.boolean_query(
        [
            (tantivy.Occur.Must, tantivy.Query.boolean_query(clauses)),
            (tantivy.Occur.Must, compile._filter(compile.measures_only(tschema))),
            *(
                [(tantivy.Occur.MustNot, tantivy.Query.term_query(tschema, "region", exclude_region))]
                if exclude_region is not None
                else []
            ),
        ]
    )
    hits = searcher.search(query, limit, count=False).hits
    return searcher.fast_field_values("id", [address for _, address in hits])


def ids_with_tokens(groups: list[list[str]]) -> list[int]:
    """Ids of measures whose tokens (title or body) include every token of at least one group."""
    applier.ensure_current()
    current = index.handle()
    tschema, searcher = current.index.schema, current.searcher()
    alternatives = [
        compile._must([compile._token(tschema, token, scored=False) for token in group]) for group in groups if group
    ]
    if not alternatives:
        return []
    query = tantivy.Query.boolean_query(
        [(tantivy.Occur.Must, compile._should(alternatives)), (tantivy.Occur.Must, compile.measures_only(tschema))]
    )
    total = searcher.search(query, 1, count=True).count
    if not total:
        return []
    hits = searcher.search(query, total, count=False, order_by_field="id", order=tantivy.Order.Asc).hits
    return searcher.fast_field_values("id", [address for _, address in hits])
