"""PostgreSQL's facet table (migration 0006) follows every kind of write, in the writer's transaction."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.db import connection
from django.urls import reverse

from documents.models import Document, Organization
from documents.services import organization_merge
from measures.facets import FACET_TABLE, facet_drift, facet_repair
from measures.models import Measure, MeasureDepartment, MeasureTheme, Theme
from measures.services import measures_classify

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif("connection.vendor != 'postgresql'", reason="the facet table is PostgreSQL's"),
]


def facet_row(measure: Measure) -> tuple:
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT document_id, theme_ids, lead_ids FROM {FACET_TABLE} WHERE measure_id = %s", [measure.pk]
        )
        return cursor.fetchone()


@pytest.fixture
def measure(seed):
    return Measure.objects.get(document__source_name="002_3c56c2009a91f803.txt", number="（一）")


def test_every_seed_measure_has_its_row(seed):
    assert facet_drift() == []
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM {FACET_TABLE}")
        assert cursor.fetchone()[0] == Measure.objects.count()


def test_theme_links_added_removed_and_deactivated(measure):
    theme = Theme.objects.exclude(measure_links__measure=measure).first()
    link = MeasureTheme.objects.create(measure=measure, theme=theme, source="manual")
    assert theme.pk in facet_row(measure)[1]
    link.active = False
    link.save()
    assert theme.pk not in facet_row(measure)[1]
    MeasureTheme.objects.filter(measure=measure).update(active=True)  # one statement, many rows
    assert sorted(facet_row(measure)[1]) == sorted(measure.theme_links.values_list("theme_id", flat=True))
    MeasureTheme.objects.filter(measure=measure).delete()
    assert facet_row(measure)[1] == []
    assert facet_drift() == []


def test_lead_departments_follow_role_changes_and_merges(measure):
    link = measure.department_links.first()
    link.role = MeasureDepartment.Role.LEAD
    link.save()
    assert link.organization_id in facet_row(measure)[2]
    link.role = MeasureDepartment.Role.COOPERATE
    link.save()
    assert facet_drift() == []
    target = Organization.objects.exclude(pk=link.organization_id).filter(region=link.organization.region).first()
    link.role = MeasureDepartment.Role.LEAD
    link.save()
    organization_merge(target=target, sources=[link.organization])
    assert target.pk in facet_row(measure)[2] and facet_drift() == []


def test_classification_and_deletes(seed):
    measures_classify()
    assert facet_drift() == []
    document = Document.objects.first()
    ids = list(document.measures.values_list("pk", flat=True))
    document.delete()
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM {FACET_TABLE} WHERE measure_id = ANY(%s)", [ids])
        assert cursor.fetchone()[0] == 0
    assert facet_drift() == []


def test_admin_theme_removal_reaches_the_facets(measure, client, django_user_model):
    client.force_login(django_user_model.objects.create_superuser("editor", "e@example.org", "pw"))
    from tests.documents.test_admin import _measure_form_data

    link = measure.theme_links.filter(active=True).first()
    data = _measure_form_data(measure)
    data[f"theme_links-{list(measure.theme_links.order_by('pk')).index(link)}-DELETE"] = "on"
    assert client.post(reverse("admin:measures_measure_change", args=[measure.pk]), data).status_code == 302
    assert link.theme_id not in facet_row(measure)[1]
    assert facet_drift() == []


def test_drift_is_reported_and_repaired_by_the_rebuild_command(measure, capsys):
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {FACET_TABLE} SET theme_ids = '{{}}' WHERE measure_id = %s", [measure.pk])
        cursor.execute(f"DELETE FROM {FACET_TABLE} WHERE measure_id = (SELECT max(id) FROM measures_measure)")
    assert len(facet_drift()) == 2
    with pytest.raises(Exception, match="rebuild_search_index"):
        call_command("rebuild_search_index", "--check")
    assert "不一致 2 条" in capsys.readouterr().out
    call_command("rebuild_search_index")
    assert facet_drift() == []
    facet_repair()  # idempotent
    assert facet_drift() == []
