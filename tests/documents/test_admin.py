"""The admin: lists with filters and Chinese search, editing with history, theme decisions, merging."""

from __future__ import annotations

import pytest
from django.urls import reverse

from documents.models import Document, Organization, OrganizationAlias
from measures.models import Measure, MeasureDepartment, MeasureTheme, Theme

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(client, django_user_model):
    user = django_user_model.objects.create_superuser("editor", "editor@example.org", "pw")
    client.force_login(user)
    return client


@pytest.mark.parametrize(
    ("url_name", "query"),
    [
        ("admin:documents_document_changelist", {}),
        ("admin:documents_document_changelist", {"q": "电子商务", "doc_type": "measures"}),
        ("admin:documents_document_changelist", {"status": "expired"}),
        ("admin:measures_measure_changelist", {}),
        ("admin:measures_measure_changelist", {"q": "海外仓"}),
        ("admin:measures_measure_changelist", {"theme": "cross_border", "role": "lead"}),
        ("admin:documents_organization_changelist", {"q": "商务"}),
        ("admin:measures_theme_changelist", {}),
        ("admin:documents_region_changelist", {}),
    ],
)
def test_changelists_render(seed, staff, url_name, query):
    response = staff.get(reverse(url_name), query)
    assert response.status_code == 200


def test_chinese_search_in_measure_admin_finds_the_measure(seed, staff):
    response = staff.get(reverse("admin:measures_measure_changelist"), {"q": "海外仓"})
    titles = [measure.title for measure in response.context["cl"].result_list]
    assert titles and all("海外仓" in Measure.objects.get(title=t).text + t for t in titles)


def test_document_change_page_shows_measures_in_order(seed, staff):
    document = Document.objects.get(source_name="002_3c56c2009a91f803.txt")
    response = staff.get(reverse("admin:documents_document_change", args=[document.pk]))
    assert response.status_code == 200
    body = response.content.decode()
    assert body.index("加快培育电子商务集聚区") < body.index("优化用地支持")


def _measure_form_data(measure: Measure) -> dict[str, str]:
    data = {
        "document": str(measure.document_id),
        "ordinal": str(measure.ordinal),
        "number": measure.number,
        "chapter": measure.chapter,
        "title": measure.title,
        "text": measure.text,
        "kind": measure.kind,
    }
    themes = list(measure.theme_links.order_by("pk"))
    prefix = "theme_links"
    data.update(
        {
            f"{prefix}-TOTAL_FORMS": str(len(themes)),
            f"{prefix}-INITIAL_FORMS": str(len(themes)),
            f"{prefix}-MIN_NUM_FORMS": "0",
            f"{prefix}-MAX_NUM_FORMS": "1000",
        }
    )
    for index, link in enumerate(themes):
        data.update(
            {
                f"{prefix}-{index}-id": str(link.pk),
                f"{prefix}-{index}-measure": str(measure.pk),
                f"{prefix}-{index}-theme": str(link.theme_id),
                f"{prefix}-{index}-active": "on" if link.active else "",
            }
        )
    departments = list(measure.department_links.order_by("position"))
    prefix = "department_links"
    data.update(
        {
            f"{prefix}-TOTAL_FORMS": str(len(departments)),
            f"{prefix}-INITIAL_FORMS": str(len(departments)),
            f"{prefix}-MIN_NUM_FORMS": "0",
            f"{prefix}-MAX_NUM_FORMS": "1000",
        }
    )
    for index, link in enumerate(departments):
        data.update(
            {
                f"{prefix}-{index}-id": str(link.pk),
                f"{prefix}-{index}-measure": str(measure.pk),
                f"{prefix}-{index}-position": str(link.position),
                f"{prefix}-{index}-organization": str(link.organization_id),
                f"{prefix}-{index}-role": link.role,
                f"{prefix}-{index}-name_as_written": link.name_as_written,
                f"{prefix}-{index}-note": link.note,
            }
        )
    return data


def test_removing_a_theme_in_the_admin_records_a_manual_exclusion(seed, staff):
    measure = Measure.objects.get(document__source_name="002_3c56c2009a91f803.txt", number="（一）")
    link = measure.theme_links.filter(active=True).first()
    data = _measure_form_data(measure)
    index = list(measure.theme_links.order_by("pk")).index(link)
    data[f"theme_links-{index}-DELETE"] = "on"

    response = staff.post(reverse("admin:measures_measure_change", args=[measure.pk]), data)

    assert response.status_code == 302, response.context and response.context["adminform"].form.errors
    link.refresh_from_db()
    assert link.active is False
    assert link.source == MeasureTheme.Source.MANUAL


def test_editing_a_measure_is_recorded_in_history_and_revertible(seed, staff):
    measure = Measure.objects.get(document__source_name="002_3c56c2009a91f803.txt", number="（二）")
    old_title = measure.title
    data = _measure_form_data(measure)
    data["title"] = "提升电子商务平台发展水平（已校对）"
    response = staff.post(reverse("admin:measures_measure_change", args=[measure.pk]), data)
    assert response.status_code == 302

    record = measure.history.latest()
    assert record.title == "提升电子商务平台发展水平（已校对）"
    assert record.history_user.username == "editor"
    history = staff.get(reverse("admin:measures_measure_history", args=[measure.pk]))
    assert history.status_code == 200

    previous = record.prev_record
    assert previous.title == old_title
    revert_url = reverse("admin:measures_measure_simple_history", args=[measure.pk, previous.history_id])
    assert staff.get(revert_url).status_code == 200


def test_merging_organizations_moves_links_and_keeps_the_old_name(seed, staff):
    target = Organization.objects.get(name="广州市商务委")
    duplicate = Organization.objects.create(name="广州市商务委员会", region=target.region)
    measure = Measure.objects.get(document__source_name="002_3c56c2009a91f803.txt", number="（二）")
    MeasureDepartment.objects.create(measure=measure, organization=duplicate, role="cooperate", position=99)

    url = reverse("admin:documents_organization_changelist")
    selected = [str(target.pk), str(duplicate.pk)]
    confirm = staff.post(url, {"action": "merge", "_selected_action": selected})
    assert confirm.status_code == 200 and "确认合并" in confirm.content.decode()
    done = staff.post(url, {"action": "merge", "_selected_action": selected, "apply": "1", "target": str(target.pk)})
    assert done.status_code == 302

    assert not Organization.objects.filter(pk=duplicate.pk).exists()
    assert MeasureDepartment.objects.filter(measure=measure, organization=target, role="cooperate").exists()
    assert OrganizationAlias.objects.filter(name="广州市商务委员会", organization=target).exists()


def test_theme_admin_edit(seed, staff):
    theme = Theme.objects.get(code="talent")
    response = staff.get(reverse("admin:measures_theme_change", args=[theme.pk]))
    assert response.status_code == 200


def test_theme_autocomplete_answers_without_counting_links(seed, staff):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    params = {"app_label": "measures", "model_name": "measuretheme", "field_name": "theme", "term": "人才"}
    with CaptureQueriesContext(connection) as captured:
        response = staff.get(reverse("admin:autocomplete"), params)
    assert response.status_code == 200
    theme_queries = [q["sql"] for q in captured.captured_queries if '"measures_theme"' in q["sql"]]
    assert theme_queries and not any("measures_measuretheme" in sql for sql in theme_queries)
    # The picker searches names, codes, keywords and descriptions (人才 is also a word of 劳动、人事、监察).
    assert "人才" in [item["text"] for item in response.json()["results"]]


def test_likely_duplicate_organisations_are_offered_for_merging(staff):
    from documents.services import region_get_or_create

    guangzhou = region_get_or_create(name="广州市")
    long_name = Organization.objects.create(name="广州市人力资源和社会保障局", region=guangzhou)
    short_name = Organization.objects.create(name="人力资源社会保障局", region=guangzhou)
    Organization.objects.create(name="广州市财政局", region=guangzhou)

    response = staff.get(reverse("admin:documents_organization_changelist"), {"duplicates": "yes"})

    assert response.status_code == 200
    listed = {obj.pk for obj in response.context["cl"].result_list}
    assert listed == {long_name.pk, short_name.pk}
    assert "人力资源社会保障局" in response.content.decode()
