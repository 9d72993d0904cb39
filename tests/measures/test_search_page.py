"""The measure list page and the API's ?q= search: state in the URL, highlights, fixed query counts."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

pytestmark = pytest.mark.django_db


def test_page_shows_ranked_highlighted_results_with_facets(seed, client):
    response = client.get("/measures/", {"q": "海外仓"})
    html = response.content.decode()
    assert response.status_code == 200
    assert html.index("提升<mark>海外仓</mark>发展水平") < html.index("完善综合服务体系")
    assert "<mark>海外仓</mark>" in html
    assert 'value="海外仓"' in html  # the query box keeps the query
    assert "深圳市（" in html  # region facet with its count
    assert '<label for="id_q">' in html and '<label for="id_region">' in html


def test_filters_and_sort_live_in_the_url(seed, client):
    html = client.get("/measures/", {"q": "电子商务", "region": "广州市", "sort": "date"}).content.decode()
    assert '<option value="广州市" selected>' in html
    assert '<option value="date" selected>' in html
    assert "深圳市推动跨境电子商务高质量发展行动方案" not in html


def test_pagination_keeps_the_query(seed, client):
    html = client.get("/measures/", {"q": "电子商务"}).content.decode()
    assert "q=%E7%94%B5%E5%AD%90%E5%95%86%E5%8A%A1&amp;page=2" in html


def test_markup_in_the_query_is_escaped(seed, client):
    html = client.get("/measures/", {"q": '<script>alert("x")</script> 海外仓'}).content.decode()
    assert "<script>alert" not in html and "&lt;script&gt;" in html


@pytest.mark.parametrize("query", ["", "😀", "'; DROP TABLE x; --", '"', "电" * 5000, "a & !b"])
def test_page_never_errors(seed, client, query):
    assert client.get("/measures/", {"q": query}).status_code == 200


def test_invalid_filter_is_a_message_not_an_error(seed, client):
    response = client.get("/measures/", {"q": "海外仓", "year_min": "abc"})
    assert response.status_code == 200 and "筛选条件无效" in response.content.decode()


def test_query_count_is_bounded(seed, client, django_assert_max_num_queries):
    # the search itself reads the index; the database is asked for the synonyms, the region names, the
    # labels of the facets, the page's rows with their themes and departments and the department filter's
    # options (and, where no background applier runs, for pending changes)
    from search.applier import apply_pending

    apply_pending()  # the index of this test built first: that is not the page's work
    with django_assert_max_num_queries(16):
        client.get("/measures/", {"q": "电子商务 人才", "region": "广州市"})
    with django_assert_max_num_queries(16):
        client.get("/measures/", {"q": "海外仓", "page": "1"})


def test_query_count_does_not_grow_with_page_size(seed, client):
    from search.applier import apply_pending

    apply_pending()
    client.get("/measures/", {"q": "保险"})  # region and theme names are read once, then reused
    with CaptureQueriesContext(connection) as few:
        client.get("/measures/", {"q": "保险"})
    with CaptureQueriesContext(connection) as many:
        client.get("/measures/", {"q": "融资"})  # many more matches, no document title among them
    assert len(few) == len(many)


def test_api_search_is_ranked_with_highlight(seed, client):
    data = client.get("/api/measures/", {"q": "海外仓"}).json()
    assert data["results"][0]["title"] == "提升海外仓发展水平"
    assert "<mark>海外仓</mark>" in data["results"][0]["highlight"]
    assert data["total"] >= len(data["results"]) and data["total"] == data["total_all_words"]


def test_api_search_gives_exact_totals_and_facets_on_request(seed, client):
    data = client.get("/api/measures/", {"q": "数字人民币", "facets": "true"}).json()
    assert data["total"] == data["count"] > 0 and data["total_all_words"] == 0
    assert data["summary"].startswith("没有措施同时包含全部检索词")
    assert sum(item["count"] for item in data["facets"]["region"]) == data["total"]
    assert "facets" not in client.get("/api/measures/", {"q": "海外仓"}).json()


def test_api_search_with_filters_and_friendly_message(seed, client):
    data = client.get("/api/measures/", {"q": "电子商务", "region": "深圳市"}).json()
    assert data["results"] and all(item["document"]["region"] == "深圳市" for item in data["results"])
    empty = client.get("/api/measures/", {"q": "😀"}).json()
    assert empty["count"] == 0 and empty["message"]
    assert client.get("/api/measures/", {"q": "海外仓", "year_min": "x"}).status_code == 400


def test_api_without_query_is_unchanged(seed, client):
    item = client.get("/api/measures/").json()["results"][0]
    assert item["highlight"] is None


def test_a_very_large_result_shows_first_and_counts_its_filters_in_a_second_request(seed, client, monkeypatch):
    from measures.views import search as search_views

    monkeypatch.setattr(search_views, "FACETS_INLINE_MAX", 10)
    html = client.get("/measures/", {"q": "电子商务", "region": "广州市"}).content.decode()
    assert 'data-facets-url="/measures/filters/?q=' in html and "各项计数加载中" in html
    assert "广州市（" not in html  # no counts yet
    fragment = client.get("/measures/filters/", {"q": "电子商务", "region": "广州市"}).content.decode()
    assert fragment.strip().startswith("<fieldset") and "广州市（" in fragment and "data-facets-url" not in fragment
    inline = client.get("/measures/", {"q": "电子商务", "region": "广州市", "facets": "1"}).content.decode()
    assert "广州市（" in inline  # without the script: the legend's link asks for them with the page
