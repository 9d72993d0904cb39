"""No 500s from input: every page and API endpoint, any query string, answers below 500.

Hypothesis draws query strings from the parameters each endpoint takes (for the API, the names its OpenAPI
schema lists) with values people and scripts send: huge and negative numbers, exponents, NUL and control
characters, traditional characters, very long text.
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

pytestmark = pytest.mark.django_db

PAGES = {
    "/measures/": [
        "q",
        "region",
        "year",
        "year_min",
        "year_max",
        "document",
        "doc_type",
        "domain",
        "instrument",
        "theme",
        "department",
        "role",
        "kind",
        "in_force",
        "sort",
        "page",
    ],
    "/measures/export.csv": ["q", "region", "year_min", "year_max", "document", "theme", "domain", "sort"],
    "/measures/export.xlsx": ["q", "region", "year_min", "document", "instrument"],
    "/documents/": ["region", "issuer", "year_min", "year_max", "doc_type", "status", "sort", "page", "q"],
    "/compare/": ["theme", "region", "document", "year_min", "year_max"],
    "/themes/": ["facet"],
    "/": ["facet"],
}

VALUES = st.one_of(
    st.sampled_from(
        [
            "",
            "1",
            "0",
            "-1",
            "2020",
            "1e10",
            "2.5",
            "-99999",
            "99999999999999999999999999",
            "true",
            "maybe",
            "\x00",
            "人才",
            "深圳市",
            "talent",
            "fiscal",
            "财政资金补贴",
            "lead",
            "relevance",
            "國務院",
            "%",
            "'; DROP TABLE x; --",
            "<script>",
            "OR",
            "-海外仓",
            '"跨境电商',
        ]
    ),
    st.text(max_size=40),
    st.integers(min_value=-(10**30), max_value=10**30).map(str),
    st.text(min_size=300, max_size=2000),
)


def query(params: list[str]):
    return st.dictionaries(st.sampled_from(params), VALUES, max_size=5)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(path=st.sampled_from(sorted(PAGES)), data=st.data())
def test_pages_never_answer_500(seed, client, path, data):
    params = data.draw(query(PAGES[path]))
    response = client.get(path, params)
    assert response.status_code < 500, (path, params)


def _api_parameters(client) -> dict[str, list[str]]:
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/json").json()
    found = {}
    for path, operations in schema["paths"].items():
        if "{" in path or "get" not in operations:
            continue
        found[path] = [p["name"] for p in operations["get"].get("parameters", [])] + ["q", "page_size"]
    return found


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_the_api_never_answers_500(seed, client, data):
    endpoints = _api_parameters(client)
    path = data.draw(st.sampled_from(sorted(endpoints)))
    params = data.draw(query(endpoints[path]))
    response = client.get(path, params)
    assert response.status_code < 500, (path, params)
    assert response["Content-Type"].startswith("application/json")
