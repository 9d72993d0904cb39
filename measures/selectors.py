"""Reads for measures, shared by the API, the pages and the exports: every list of measures, with or
without words, comes from the search index (``search.engine``); rows are then loaded by id."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field

from django.db.models import Prefetch, QuerySet

from documents.models import Document, Region
from search import engine
from search.engine import SORTS
from search.query import ParsedQuery

from .highlight import highlight, highlight_all
from .models import Measure, MeasureDepartment, MeasureTheme
from .tokenize import normalise

__all__ = ["SORTS", "SearchResult", "measure_queryset", "measure_search"]


def measure_queryset() -> QuerySet[Measure]:
    """Measures with everything a list shows, in a fixed number of queries."""
    return (
        Measure.objects.select_related("document", "document__region")
        .prefetch_related(
            Prefetch(
                "theme_links",
                MeasureTheme.objects.filter(active=True)
                .select_related("theme", "theme__parent")
                .order_by("-score", "theme__sort_order"),
                to_attr="active_theme_links",
            ),
            Prefetch(
                "department_links",
                MeasureDepartment.objects.select_related("organization").order_by("position"),
                to_attr="ordered_department_links",
            ),
        )
        .defer("document__raw_text", "document__clean_text", "document__preamble", "search_title", "search_body")
    )


class EnginePage(Sequence):
    """The matches of a search for the Paginator: its length is the exact total, and a slice reads
    that page's ids from the index, then its rows (``measure_queryset()``, highlighted) by id."""

    def __init__(self, found: engine.Search, terms: list[str], *, highlighted: bool = True):
        self.found, self.terms, self.highlighted = found, terms, highlighted

    def __len__(self) -> int:
        return self.found.total

    def count(self) -> int:
        return self.found.total

    @property
    def ids(self) -> list[int]:
        """Every match's id, in order (evaluations and tests; pages read only their own)."""
        return list(self.found.all_ids())

    def __getitem__(self, index):
        if not isinstance(index, slice):
            return self[index : index + 1][0]
        start, stop, _ = index.indices(len(self))
        return self.rows(self.found.ids(start, stop - start))

    def rows(self, ids: list[int]) -> list[Measure]:
        by_id = {m.pk: m for m in measure_queryset().filter(pk__in=ids)}
        measures = [by_id[pk] for pk in ids if pk in by_id]
        return [annotate_highlight(measure, self.terms) for measure in measures] if self.highlighted else measures

    def __iter__(self):
        for chunk in _chunks(self.found.all_ids()):
            yield from self.rows(chunk)


def _chunks(ids: Iterable[int], size: int = 1000) -> Iterator[list[int]]:
    chunk = []
    for pk in ids:
        chunk.append(pk)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def annotate_highlight(measure: Measure, terms: list[str]) -> Measure:
    # With no words to mark (a query that is only a 文号) these are the escaped text and title.
    measure.highlight = highlight(measure.text, terms, normalise)
    measure.title_highlight = highlight_all(measure.title, terms, normalise)
    return measure


@dataclass
class SearchResult:
    results: EnginePage
    total: int  # every match, exact
    query: str = ""
    parsed: ParsedQuery | None = None
    message: str = ""
    facets: dict = field(default_factory=dict)
    documents: list = field(default_factory=list)  # Documents the query names or whose title has its words
    named_documents: list = field(default_factory=list)  # of them, those whose measures come first
    regions: list = field(default_factory=list)  # Regions the query names (ranked first, offered as a filter)
    doc_number: str = ""

    @property
    def total_all_words(self) -> int:
        """Of the matches, how many contain every word (counted when first asked: an export never asks)."""
        return self.results.found.total_all_words

    def load_facets(self) -> dict:
        """Count the facets now (a search made with ``facets=False``)."""
        if not self.facets:
            self.facets = self.results.found.facets
        return self.facets

    @property
    def total_display(self) -> str:
        return f"{self.total:,} 条"

    @property
    def partial(self) -> bool:
        """Some results match only some of the words."""
        return bool(self.query) and self.parsed is not None and self.total_all_words < self.total

    @property
    def summary(self) -> str:
        """How many measures match, said the way it is: every word, or only some of them."""
        if not self.query or self.parsed is None or self.parsed.is_empty:
            return f"共 {self.total:,} 条措施"
        if not self.partial:
            return f"找到 {self.total:,} 条措施，均包含全部检索词"
        if not self.total_all_words:
            return f"没有措施同时包含全部检索词；以下 {self.total:,} 条只包含其中部分词语"
        return (
            f"找到 {self.total:,} 条措施：其中 {self.total_all_words:,} 条包含全部检索词（排在前面），"
            f"{self.total - self.total_all_words:,} 条只包含部分词语"
        )

    @property
    def terms(self) -> list[str]:
        return self.parsed.highlight_terms() if self.parsed else []


def measure_search(
    *, query: str = "", filters: dict | None = None, sort: str = "relevance", facets: bool = True
) -> SearchResult:
    """Measures matching ``query`` and ``filters``: best first (or newest first with ``sort="date"``),
    the exact total, and with ``facets`` exact counts per filter value over every match.

    Without a query, the filtered list in date order. Never raises on the query text; raises
    ``ValidationError`` for invalid filter values.
    """
    query = (query or "").strip()
    found = engine.search(query=query, filters=filters, sort=sort)
    terms = found.parsed.highlight_terms() if found.has_words else []
    message = " ".join(found.notes)
    if query and not found.has_words and not found.documents:
        message = "查询中没有可检索的字词，请输入中文词语或字母数字。"
    elif query and not found.total:
        message = (message + " 没有找到匹配的措施，可以减少词语、去掉引号或筛选条件再试。").strip()
    documents = _documents([hit.id for hit in found.documents])
    named = {hit.id for hit in found.documents if hit.named}
    return SearchResult(
        results=EnginePage(found, terms, highlighted=bool(query)),
        total=found.total,
        query=query,
        parsed=found.parsed if found.has_words else None,
        message=message,
        facets=found.facets if facets else {},
        documents=documents,
        named_documents=[document for document in documents if document.pk in named],
        regions=list(Region.objects.filter(pk__in=found.regions)) if found.regions else [],
        doc_number=found.doc_number,
    )


def _documents(ids: list[int]) -> list[Document]:
    if not ids:
        return []
    by_id = Document.objects.select_related("region").defer("raw_text", "clean_text", "preamble").in_bulk(ids)
    return [by_id[pk] for pk in ids if pk in by_id]
