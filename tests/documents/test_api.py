"""The read-only JSON API other issues and users build on."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


def test_documents_endpoint(seed, client):
    data = client.get("/api/documents/").json()
    assert data["count"] == 5
    item = next(d for d in data["results"] if d["doc_number"] == "穗府办函〔2019〕2号")
    assert set(item) >= {
        "id",
        "title",
        "region",
        "year",
        "issuer",
        "doc_number",
        "issue_date",
        "valid_until",
        "doc_type",
        "measure_count",
    }
    assert item["region"] == "广州市" and item["year"] == 2019 and item["measure_count"] == 29
    assert item["valid_until"] == "2022-12-31" and item["issuer"] == "广州市人民政府办公厅"


def test_measures_endpoint_shape(seed, client):
    data = client.get("/api/measures/", {"region": "广州市", "page_size": 5}).json()
    assert data["count"] == 29
    assert set(data) == {"count", "next", "previous", "results"}
    assert len(data["results"]) == 5
    item = data["results"][0]
    assert set(item) >= {"id", "document", "ordinal", "number", "title", "text", "kind", "themes", "departments"}
    assert set(item["document"]) >= {"id", "title", "region", "year"}
    assert item["themes"] and all(isinstance(name, str) for name in item["themes"])
    assert {d["role"] for r in data["results"] for d in r["departments"]} <= {"lead", "cooperate", "responsible"}


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"year": 2013}, 24),
        ({"region": "深圳市"}, 47),
        ({"department": "深圳海关"}, None),
        ({"department": "广州市商务委", "role": "lead"}, None),
        ({"theme": "cross_border"}, None),
    ],
)
def test_measure_filters(seed, client, params, expected):
    data = client.get("/api/measures/", params).json()
    if expected is not None:
        assert data["count"] == expected
    else:
        assert 0 < data["count"] < 104
    if "department" in params:
        for item in data["results"]:
            roles = [d["role"] for d in item["departments"] if d["name"] == params["department"]]
            assert roles and (params.get("role") is None or params["role"] in roles)
    if "theme" in params:
        for item in data["results"]:
            assert "跨境电子商务" in item["themes"]


def test_page_size_is_capped(seed, client):
    data = client.get("/api/measures/", {"page_size": 1000}).json()
    assert len(data["results"]) == min(200, data["count"])


def test_list_query_count_is_fixed(seed, search_ready, client, django_assert_max_num_queries):
    with django_assert_max_num_queries(6):
        client.get("/api/measures/", {"page_size": 200})
