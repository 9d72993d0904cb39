"""Facet counts (one hand-written statement) against the same counts computed the plain ORM way."""

from __future__ import annotations

from collections import Counter

import pytest
from django.db.models import Count

from documents.models import Document
from measures.facets import FACET_LIMIT, facet_counts
from measures.filters import MeasureFilter
from measures.models import Measure, MeasureDepartment, MeasureTheme
from measures.selectors import measure_search

pytestmark = pytest.mark.django_db

FILTERS = [
    {},
    {"region": "深圳市"},
    {"theme": "cross_border"},
    {"theme": "talent", "year_min": "2020"},
    {"in_force": "true"},
    {"doc_type": "measures", "in_force": "false"},
    {"department": "市商务局", "role": "lead"},
    {"department": "广州市商务委", "role": "lead"},
    {"department": "广州市商务委", "theme": "talent"},
    {"role": "lead", "region": "广州市"},
    {"kind": "general"},
    {"region": "不存在的地区"},
]


def expected(measures) -> dict:
    documents = Document.objects.in_bulk(set(measures.values_list("document_id", flat=True)))
    in_force = set(Document.objects.in_force().values_list("pk", flat=True))
    regions, years, types, per_document, force = Counter(), Counter(), Counter(), Counter(), Counter()
    for document_id in measures.values_list("document_id", flat=True):
        document = documents[document_id]
        regions[document.region.name] += 1
        years[document.year] += 1
        types[document.doc_type] += 1
        per_document[(document.pk, document.title)] += 1
        force["true" if document.pk in in_force else "false"] += 1
    themes = Counter(
        MeasureTheme.objects.filter(active=True, measure__in=measures).values_list("theme__code", flat=True)
    )
    leads = Counter(
        MeasureDepartment.objects.filter(role="lead", measure__in=measures).values_list("organization__name", flat=True)
    )
    return {
        "total": measures.count(),
        "region": dict(regions),
        "year": dict(years),
        "doc_type": dict(types),
        "document": dict(per_document),
        "theme": dict(themes),
        "department": dict(leads),
        "in_force": {key: force[key] for key in ("true", "false")},
    }


@pytest.mark.parametrize("filters", FILTERS, ids=lambda f: ",".join(f"{k}={v}" for k, v in f.items()) or "all")
def test_facets_equal_counts_made_the_plain_way(seed, filters):
    measures = MeasureFilter(filters, queryset=Measure.objects.all()).qs
    want = expected(measures)
    got = facet_counts(filters=filters)
    assert got["total"] == want["total"]
    assert dict(got["region"]) == want["region"]
    assert dict(got["year"]) == want["year"]
    assert {code: n for code, _, n in got["doc_type"]} == want["doc_type"]
    assert {code: n for code, _, n in got["theme"]} == want["theme"]
    assert {code: n for code, _, n in got["in_force"]} == want["in_force"]
    top_documents = sorted(want["document"].items(), key=lambda item: (-item[1], item[0][0]))[:FACET_LIMIT]
    assert [((pk, title), n) for pk, title, n in got["document"]] == top_documents
    leads = sorted(want["department"].items(), key=lambda item: (-item[1], item[0]))[:FACET_LIMIT]
    assert got["department"] == leads
    # best first: the lists are ordered by count
    assert [n for _, n in got["region"]] == sorted((n for _, n in got["region"]), reverse=True)
    assert [n for _, _, n in got["theme"]] == sorted((n for _, _, n in got["theme"]), reverse=True)


def test_facets_of_search_candidates_count_those_candidates(seed):
    result = measure_search(query="电子商务 人才")
    ids = list(result.results.ids)
    got = facet_counts(ids=ids)
    want = expected(Measure.objects.filter(pk__in=ids))
    assert got["total"] == len(ids) == want["total"]
    assert dict(got["region"]) == want["region"]
    assert {code: n for code, _, n in got["theme"]} == want["theme"]


def test_the_list_without_a_query_counts_once_for_the_paginator(seed, client):
    result = measure_search(query="", filters={"theme": "cross_border"})
    assert result.total == len(result.results) == result.results.count()
    assert (
        result.total
        == Measure.objects.filter(theme_links__theme__code="cross_border", theme_links__active=True).count()
    )
    page = client.get("/measures/", {"theme": "cross_border"}).context["page"]
    assert page.paginator.count == result.total and len(page.object_list) == min(20, result.total)


def test_theme_facet_has_every_theme_with_measures(seed):
    with_measures = set(
        MeasureTheme.objects.filter(active=True)
        .values("theme__code")
        .annotate(n=Count("pk"))
        .values_list("theme__code", flat=True)
    )
    assert {code for code, _, _ in facet_counts()["theme"]} == with_measures
