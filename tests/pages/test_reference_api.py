"""``GET /api/departments/`` and ``GET /api/regions/``: read-only, paginated like the other endpoints."""

import pytest

from documents.models import Region
from measures.models import MeasureDepartment
from tests.pages.factories import make_document, make_measure, make_organization, make_region

pytestmark = pytest.mark.django_db


@pytest.fixture
def departments():
    guangdong = make_region("广东省", "province")
    shenzhen = make_region("深圳市")
    shenzhen.parent = guangdong
    shenzhen.save()
    measure = make_measure(make_document(region="深圳市"), "支持跨境电商", "支持跨境电商。", lead="深圳市发展改革委")
    commerce = make_organization("深圳市商务局")
    commerce.region = shenzhen
    commerce.save()
    MeasureDepartment.objects.create(measure=measure, organization=commerce, role=MeasureDepartment.Role.RESPONSIBLE)
    make_organization("未列明的机构")  # on no measure: not listed
    return commerce


def test_departments_with_counts_by_role(client, departments, django_assert_max_num_queries):
    with django_assert_max_num_queries(2):  # count, page
        data = client.get("/api/departments/").json()
    assert set(data) >= {"count", "next", "previous", "results"}
    rows = {row["name"]: row for row in data["results"]}
    assert set(rows) == {"深圳市发展改革委", "深圳市商务局"}
    assert rows["深圳市商务局"] == {
        "id": departments.pk,
        "name": "深圳市商务局",
        "region": "深圳市",
        "kind": "department",
        "measure_counts": {"lead": 0, "cooperate": 0, "responsible": 1},
        "measure_count": 1,
    }
    filtered = client.get("/api/departments/", {"region": "深圳市"}).json()["results"]
    assert [row["name"] for row in filtered] == ["深圳市商务局"]
    assert client.get(f"/api/departments/{departments.pk}/").json()["measure_counts"]["responsible"] == 1
    assert client.post("/api/departments/", {"name": "x"}).status_code in (401, 403, 405)


def test_regions_with_level_and_parent(client, departments):
    data = client.get("/api/regions/").json()
    rows = {row["name"]: row for row in data["results"]}
    assert rows["深圳市"]["level"] == "city" and rows["深圳市"]["parent"] == "广东省"
    assert rows["广东省"]["parent"] is None
    assert data["count"] == Region.objects.count()
    provinces = client.get("/api/regions/", {"level": "province"}).json()["results"]
    assert [row["name"] for row in provinces] == ["广东省"]
