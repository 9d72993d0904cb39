"""Validity everywhere: a status label and the valid-until date on cards, the measure, compare and document
pages; ``status`` and ``valid_until`` in the API; a 效力 column in exports."""

import csv
import datetime as dt
import io

import pytest
from django.urls import reverse

from measures.browse_selectors import forget_frequencies
from tests.pages.factories import make_document, make_measure, make_theme

pytestmark = pytest.mark.django_db


@pytest.fixture
def measures():
    forget_frequencies()
    theme = make_theme()
    old = make_document(region="深圳市", year=2012, title="深圳市旧措施", valid_until=dt.date(2017, 12, 31))
    current = make_document(region="广州市", year=2024, title="广州市新措施", valid_until=dt.date(2099, 12, 31))
    unknown = make_document(region="广东省", year=2020, title="广东省措施")
    yield {
        "expired": make_measure(old, "培养跨境电商人才", "培养跨境电商人才，建设实训基地。", theme=theme),
        "in_force": make_measure(current, "培养跨境电商人才队伍", "培养跨境电商人才，开展培训。", theme=theme),
        "unknown": make_measure(unknown, "支持电商人才培训", "支持跨境电商人才培训。", theme=theme),
    }
    forget_frequencies()


def test_cards_and_pages_show_status_and_valid_until(client, measures):
    expired = measures["expired"]
    for url in (
        reverse("measures:list"),
        reverse("measures:list") + "?q=跨境电商",
        reverse("measures:theme", args=["talent"]),
        expired.get_absolute_url(),
        expired.document.get_absolute_url(),
        reverse("measures:compare") + "?theme=talent",
    ):
        body = client.get(url).content.decode()
        assert "已失效 · 有效期至 2017年12月31日" in body, url
    listing = client.get(reverse("measures:list")).content.decode()
    assert "现行有效 · 有效期至 2099年12月31日" in listing and "有效期未知" in listing


def test_api_gives_each_measure_status_and_valid_until(client, measures):
    results = {row["id"]: row for row in client.get("/api/measures/").json()["results"]}
    expired, in_force, unknown = (results[measures[key].pk] for key in ("expired", "in_force", "unknown"))
    assert (expired["status"], expired["valid_until"]) == ("expired", "2017-12-31")
    assert (in_force["status"], in_force["status_display"]) == ("in_force", "现行有效")
    assert (unknown["status"], unknown["valid_until"]) == ("unknown", None)
    searched = client.get("/api/measures/", {"q": "跨境电商"}).json()["results"]
    assert {row["status"] for row in searched} >= {"expired", "in_force"}


def test_exports_have_a_validity_column(client, measures):
    response = client.get(reverse("measures:export_csv"))
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    column = rows[0].index("效力")
    by_id = {int(row[0]): row[column] for row in rows[1:]}
    assert by_id[measures["expired"].pk] == "已失效（有效期至2017年12月31日）"
    assert by_id[measures["unknown"].pk] == "有效期未知"
