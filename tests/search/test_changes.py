"""Every write reaches search through the change log the database's triggers keep, and the index stays
a view of the database: a crash while applying, another database's or an older database's index,
an index changed behind the applier's back."""

from __future__ import annotations

import datetime as dt
import json

import pytest
import tantivy
from django.core.management import call_command

from documents.models import Document, Organization
from documents.services.organization import organization_merge
from measures.models import Measure, MeasureDepartment, MeasureTheme, Theme
from measures.selectors import measure_search
from measures.services import measure_theme_set, measures_after_write
from search import applier, changelog, index, schema
from search.models import Change
from tests.pages.factories import make_document, make_measure, make_organization, make_theme

pytestmark = pytest.mark.django_db


def found(query: str = "", **filters) -> list[int]:
    return list(measure_search(query=query, filters=filters, facets=False).results.ids)


def titles(query: str, **filters) -> list[str]:
    return [m.title for m in measure_search(query=query, filters=filters, facets=False).results]


@pytest.fixture
def two():
    document = make_document(region="深圳市", year=2022, title="深圳市促进低空经济发展若干措施")
    first = make_measure(document, "发展元宇宙", "支持元宇宙应用场景。", lead="深圳市科技创新局")
    second = make_measure(document, "培育低空经济", "支持无人机物流。")
    return document, first, second


def test_a_new_measure_is_found_and_an_edit_replaces_its_old_text(two):
    _document, first, _ = two
    assert titles("元宇宙") == ["发展元宇宙"]
    first.title, first.text = "发展人工智能", "支持人工智能应用。"
    first.save()
    measures_after_write(measure_ids=[first.pk])
    assert titles("元宇宙") == [] and titles("人工智能") == ["发展人工智能"]


def test_a_deleted_measure_and_document_leave_search(two):
    document, first, _second = two
    first.delete()
    assert titles("元宇宙") == [] and titles("无人机") == ["培育低空经济"]
    document.delete()
    assert found() == [] and measure_search(query="低空经济").documents == []


def test_queryset_update_bypassing_save_reaches_search(two):
    _document, first, _ = two
    other = make_document(region="广州市", year=2019)
    Measure.objects.filter(pk=first.pk).update(document=other)
    assert found(region="广州市") == [first.pk]


def test_a_document_change_reindexes_its_measures(two):
    document, first, second = two
    assert set(found(region="深圳市", year="2022")) == {first.pk, second.pk}
    guangzhou = make_document(region="广州市").region
    Document.objects.filter(pk=document.pk).update(region=guangzhou, year=2018)
    assert set(found(region="广州市", year="2018")) == {first.pk, second.pk} and found(region="深圳市") == []
    Document.objects.filter(pk=document.pk).update(valid_until=dt.date.today() + dt.timedelta(days=30))
    assert set(found(in_force="true")) == {first.pk, second.pk}
    Document.objects.filter(pk=document.pk).update(title="关于推进无人驾驶的通知")
    assert measure_search(query="推进无人驾驶").documents[0].pk == document.pk


def test_theme_links_and_a_new_parent_reach_search(two):
    _, first, second = two
    domain = make_theme("science", "科技、教育", facet=Theme.Facet.DOMAIN)
    child = make_theme("digital", "数字经济", facet=Theme.Facet.DOMAIN)
    measure_theme_set(measure=first, theme=child, active=True)
    assert found(domain="digital") == [first.pk] and found(domain="science") == []
    Theme.objects.filter(pk=child.pk).update(parent=domain)  # the admin moves it under 科技、教育
    assert found(domain="science") == [first.pk]
    measure_theme_set(measure=first, theme=child, active=False)
    assert found(domain="digital") == []
    MeasureTheme.objects.create(measure=second, theme=child, active=True)
    assert found(domain="science") == [second.pk]


def test_an_organisation_merge_moves_its_measures_in_search(two):
    _, first, second = two
    duplicate = make_organization("深圳市科创局")
    MeasureDepartment.objects.create(measure=second, organization=duplicate, role=MeasureDepartment.Role.LEAD)
    target = Organization.objects.get(name="深圳市科技创新局")
    assert found(department="深圳市科创局") == [second.pk]
    organization_merge(target=target, sources=[duplicate])
    assert set(found(department="深圳市科技创新局", role="lead")) == {first.pk, second.pk}
    assert found(department=str(duplicate.pk)) == []


def test_a_history_revert_restores_what_search_finds(two):
    _, first, _ = two
    first.title, first.text = "发展人工智能", "支持人工智能应用。"
    first.save()
    measures_after_write(measure_ids=[first.pk])
    assert titles("元宇宙") == []
    earliest = first.history.earliest()
    reverted = earliest.instance
    reverted.version = Measure.objects.get(pk=first.pk).version
    reverted.save()
    measures_after_write(measure_ids=[first.pk])
    assert titles("元宇宙") == ["发展元宇宙"]


def test_loaddata_reaches_search(two, tmp_path):
    _, first, _ = two
    fixture = tmp_path / "measure.json"
    call_command("dumpdata", "measures.measure", f"--pks={first.pk}", output=str(fixture))
    data = json.loads(fixture.read_text())
    first.delete()
    assert titles("元宇宙") == []
    fixture.write_text(json.dumps(data))
    call_command("loaddata", str(fixture), verbosity=0)
    assert titles("元宇宙") == ["发展元宇宙"]


def test_changes_are_logged_by_the_database_in_the_writers_transaction(two):
    _, first, _ = two
    before = changelog.last_change_id()
    Measure.objects.filter(pk=first.pk).update(title="x")
    MeasureTheme.objects.create(measure=first, theme=make_theme(), active=True)
    logged = list(Change.objects.filter(id__gt=before).values_list("measure_id", flat=True))
    assert logged == [first.pk, first.pk]


def test_applying_twice_is_harmless_and_a_crash_loses_nothing(two, monkeypatch):
    _, first, _ = two
    applier.apply_pending()
    position = index.handle().meta().position
    measure = make_measure(first.document, "建设算力网络", "布局算力中心。")

    def crash(**kwargs):  # the new entries are in the writer, the commit is next
        raise RuntimeError("killed while applying")

    monkeypatch.setattr(schema, "meta_entry", crash)
    with pytest.raises(RuntimeError):
        applier.apply_pending()
    # nothing committed: not the entry, not the position
    current = index.handle()
    key = tantivy.Query.term_query(current.index.schema, "key", f"{schema.MEASURE}{measure.pk}")
    assert current.meta().position == position and current.searcher().search(key, 1).count == 0
    monkeypatch.undo()
    assert titles("算力") == ["建设算力网络"]
    applier.apply_pending()
    current = index.handle()
    current.applied_above = set()
    original = changelog.pending
    monkeypatch.setattr(changelog, "pending", lambda position, skip=frozenset(), limit=0: _replay_all(original))
    applier.apply_pending()  # every change applied again: still one entry per measure
    monkeypatch.undo()
    assert titles("算力") == ["建设算力网络"] and applier.drift().total == 0


def _replay_all(pending_after) -> changelog.Pending:
    pending = pending_after(0)
    pending.position = index.handle().meta().position
    return pending


def test_an_index_of_another_database_is_rebuilt(two):
    applier.apply_pending()
    assert changelog.renew_identity()
    index.handle().validated_at = float("-inf")  # checked every few seconds, not on each search
    result = applier.apply_pending()
    assert result.rebuilt and titles("元宇宙") == ["发展元宇宙"]


def test_an_index_ahead_of_the_database_a_restored_older_one_is_rebuilt(two, monkeypatch):
    _, _first, _ = two
    applier.apply_pending()
    ahead = index.handle().meta().last_change
    # what a restore of an older backup looks like: the log ends before what the index has applied
    monkeypatch.setattr(changelog, "last_change_id", lambda: ahead - 1)
    index.handle().validated_at = float("-inf")
    assert applier.apply_pending().rebuilt


def test_drift_is_found_and_a_rebuild_repairs_it(two, capsys):
    _, first, _ = two
    applier.apply_pending()
    writer = index.handle().index.writer(50_000_000, 1)
    writer.delete_documents_by_term("key", f"{schema.MEASURE}{first.pk}")  # behind the applier's back
    writer.commit()
    del writer  # releases the index's writer lock
    index.handle().index.reload()
    drift = applier.drift()
    assert drift.missing == [first.pk] and drift.total == 1
    with pytest.raises(Exception, match="rebuild_search_index"):
        call_command("rebuild_search_index", "--check")
    assert "缺少 1 条" in capsys.readouterr().out
    call_command("rebuild_search_index")
    assert applier.drift().total == 0 and titles("元宇宙") == ["发展元宇宙"]


def test_pruning_keeps_the_last_change(two):
    last = changelog.last_change_id()
    Change.objects.update(created_at=dt.datetime(2000, 1, 1, tzinfo=dt.UTC))
    assert changelog.prune() > 0
    assert list(Change.objects.values_list("id", flat=True)) == [last]
