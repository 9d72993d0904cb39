"""The measure list exports follow the list page: its query (q=), filters and order, in a bounded number of queries."""

from __future__ import annotations

import csv
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

pytestmark = pytest.mark.django_db

# synonyms, region names, documents named by the query; pending changes (no background applier in tests)
SEARCH_QUERIES = 6
ROW_QUERIES = 3  # one chunk of measures, its themes and its departments


def csv_rows(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))


def xlsx_rows(response) -> list[tuple]:
    return list(load_workbook(io.BytesIO(b"".join(response.streaming_content))).active.values)


def page_ids(client, params) -> list[int]:
    return [measure.pk for measure in client.get(reverse("measures:list"), params).context["page"]]


def test_list_page_links_to_both_exports_with_its_query_string(seed, client):
    html = client.get(reverse("measures:list"), {"q": "海外仓", "region": "深圳市"}).content.decode()
    query = "q=%E6%B5%B7%E5%A4%96%E4%BB%93&amp;region=%E6%B7%B1%E5%9C%B3%E5%B8%82"
    assert f'href="/measures/export.csv?{query}"' in html
    assert f'href="/measures/export.xlsx?{query}"' in html


def test_csv_export_has_the_matches_of_q_in_the_page_order(seed, search_ready, client, django_assert_max_num_queries):
    params = {"q": "海外仓"}
    with django_assert_max_num_queries(SEARCH_QUERIES + ROW_QUERIES):
        rows = csv_rows(client.get(reverse("measures:export_csv"), params))
    everything = csv_rows(client.get(reverse("measures:export_csv")))
    ids = [int(row[0]) for row in rows[1:]]
    assert 0 < len(ids) < len(everything) - 1  # q narrows the export
    title, text = rows[0].index("标题"), rows[0].index("正文")
    assert all("海外仓" in row[title] + row[text] for row in rows[1:])
    assert rows[1][title] == "提升海外仓发展水平"  # best match first, as on the page
    assert ids[:20] == page_ids(client, params)


def test_xlsx_export_combines_q_with_filters(seed, search_ready, client, django_assert_max_num_queries):
    params = {"q": "人才", "region": "广州市", "page": "2"}  # the page number is not a filter
    with django_assert_max_num_queries(SEARCH_QUERIES + ROW_QUERIES):
        rows = xlsx_rows(client.get(reverse("measures:export_xlsx"), params))
    assert rows[0][:2] == ("措施ID", "地区")
    assert len(rows) > 1 and {row[1] for row in rows[1:]} == {"广州市"}
    assert [row[0] for row in rows[1:21]] == page_ids(client, {"q": "人才", "region": "广州市"})
    unfiltered = xlsx_rows(client.get(reverse("measures:export_xlsx"), {"region": "广州市"}))
    assert len(rows) < len(unfiltered)


def test_query_without_searchable_words_exports_only_the_header(seed, client):
    rows = csv_rows(client.get(reverse("measures:export_csv"), {"q": "！？"}))
    assert len(rows) == 1 and rows[0][0] == "措施ID"


def test_export_without_q_keeps_the_date_order_and_a_fixed_query_count(
    seed, search_ready, client, django_assert_max_num_queries
):
    with django_assert_max_num_queries(ROW_QUERIES + 1):  # + pending changes (no background applier in tests)
        rows = csv_rows(client.get(reverse("measures:export_csv"), {"sort": "date"}))
    years = [int(row[2]) for row in rows[1:]]
    assert years == sorted(years, reverse=True) and len(rows) > 100


def test_invalid_filter_is_a_bad_request_even_with_q(seed, client):
    response = client.get(reverse("measures:export_xlsx"), {"q": "海外仓", "year_min": "abc"})
    assert response.status_code == 400


def test_a_workbook_past_its_row_limit_says_so_and_points_to_the_csv(seed, client, monkeypatch):
    from measures.views import exports

    monkeypatch.setattr(exports, "XLSX_MAX_ROWS", 2)
    response = client.get(reverse("measures:export_xlsx"))
    rows = list(load_workbook(io.BytesIO(b"".join(response.streaming_content))).active.values)
    assert len(rows) == 1 + 2 + 1  # header, two measures, the note
    assert "仅导出前 2 条" in rows[-1][0] and "export.csv" in rows[-1][0]
    assert response["X-Export-Truncated"] == "2"


@pytest.fixture
def fresh_limits():
    from django.core.cache import cache

    cache.clear()  # the counters of earlier tests' exports
    yield
    cache.clear()


def test_exports_at_once_are_limited_per_requester(seed, client, settings, fresh_limits):
    settings.POLICYBASE_EXPORTS_AT_ONCE = 1
    first = client.get(reverse("measures:export_csv"))  # streaming: its slot is held until it is read
    second = client.get(reverse("measures:export_csv"))
    assert second.status_code == 429 and "正在进行" in second.content.decode()
    b"".join(first.streaming_content)  # read to the end: the test client closes it, which frees the slot
    assert client.get(reverse("measures:export_csv")).status_code == 200


def test_anonymous_exports_are_rate_limited(seed, client, settings, fresh_limits):
    settings.POLICYBASE_ANONYMOUS_EXPORTS_PER_HOUR = 2
    for _ in range(2):
        b"".join(client.get(reverse("measures:export_csv")).streaming_content)
    refused = client.get(reverse("measures:export_csv"))
    assert refused.status_code == 429 and "上限" in refused.content.decode()
