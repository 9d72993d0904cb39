"""Departments in every role: cards, the list filter, the departments index and a department's page."""

import pytest
from django.urls import reverse

from measures.models import MeasureDepartment
from tests.pages.factories import make_document, make_measure, make_organization, make_region

pytestmark = pytest.mark.django_db


@pytest.fixture
def roles():
    """A Shenzhen measure whose department is 负责 (as its documents say), and a Guangzhou one with 牵头 + 配合."""
    sz = make_document(region="深圳市", year=2013, title="深圳市跨境电商措施")
    gz = make_document(region="广州市", year=2019, title="广州市跨境电商措施")
    responsible = make_measure(sz, "支持跨境电商平台", "支持建设跨境电商平台。")
    led = make_measure(gz, "培育跨境电商主体", "培育跨境电商企业。", lead="广州市商务局")
    commerce = make_organization("深圳市商务局")
    commerce.region = make_region("深圳市")
    commerce.save()
    MeasureDepartment.objects.create(
        measure=responsible, organization=commerce, role=MeasureDepartment.Role.RESPONSIBLE
    )
    MeasureDepartment.objects.create(
        measure=led, organization=make_organization("广州市财政局"), role=MeasureDepartment.Role.COOPERATE
    )
    return {"responsible": responsible, "led": led, "commerce": commerce}


def test_cards_show_every_role(client, roles):
    body = client.get(reverse("measures:list")).content.decode()
    assert "深圳市商务局（负责）" in body
    assert "广州市商务局（牵头）" in body
    assert "广州市财政局（配合）" in body
    body = client.get(reverse("measures:list"), {"q": "跨境电商"}).content.decode()
    assert "深圳市商务局（负责）" in body


def test_a_responsible_department_can_be_chosen_and_filtered(client, roles):
    response = client.get(reverse("measures:list"))
    names = [department.name for department in response.context["departments"]]
    assert {"深圳市商务局", "广州市商务局", "广州市财政局"} <= set(names)
    assert '<option value="深圳市商务局"' in response.content.decode()
    response = client.get(reverse("measures:list"), {"department": "深圳市商务局"})
    assert [measure.pk for measure in response.context["page"]] == [roles["responsible"].pk]
    assert response.context["department_chosen"]


def test_departments_index_by_region_with_role_counts(client, roles, django_assert_num_queries):
    with django_assert_num_queries(1):
        response = client.get(reverse("measures:departments"))
    assert response.status_code == 200
    departments = {department.name: department for department in response.context["departments"]}
    assert departments["深圳市商务局"].responsible == 1
    assert departments["深圳市商务局"].lead == 0
    assert departments["深圳市商务局"].region_name == "深圳市"
    assert departments["广州市财政局"].cooperate == 1
    body = response.content.decode()
    assert reverse("measures:department", args=[roles["commerce"].pk]) in body
    assert 'href="/departments/"' in client.get(reverse("measures:home")).content.decode()


def test_department_page_groups_by_role_then_document(client, roles, django_assert_num_queries):
    organization = make_organization("广州市商务局")
    extra = make_document(region="广州市", year=2021, title="广州市商务新措施")
    MeasureDepartment.objects.create(
        measure=make_measure(extra, "扩大开放", "扩大对外开放。"),
        organization=organization,
        role=MeasureDepartment.Role.COOPERATE,
    )
    with django_assert_num_queries(4):  # organization, count, page, role totals
        response = client.get(reverse("measures:department", args=[organization.pk]))
    groups = response.context["groups"]
    assert [group["label"] for group in groups] == ["牵头", "配合"]
    assert [entry["document"].title for entry in groups[0]["documents"]] == ["广州市跨境电商措施"]
    assert [entry["document"].title for entry in groups[1]["documents"]] == ["广州市商务新措施"]
    assert response.context["totals"] == [("牵头", 1), ("配合", 1)]
