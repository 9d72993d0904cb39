"""The applier with real commits, an index on disk, a background thread and several processes: changes
committed out of order, two appliers at once, an applier killed while writing, a rebuild switching
generations while the old one is read. Outside a test transaction: each test commits and is flushed."""

from __future__ import annotations

import multiprocessing
import os
import signal
import threading
import time

import pytest
from django.db import connection, connections, transaction

from measures.models import Measure
from measures.selectors import measure_search
from search import applier, index, schema
from tests.pages.factories import make_document, make_measure

# serialized_rollback: each test starts from the rows migrations made (see database_as_migrated).
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)
postgresql_only = pytest.mark.skipif(
    "connection.vendor != 'postgresql'", reason="several writers (SQLite serialises them) or processes on one database"
)


@pytest.fixture(scope="module", autouse=True)
def database_as_migrated(django_db_blocker):
    """After the module, the rows migrations made, under their ids, for the tests that run next: each test's
    flush leaves the database empty (serialized_rollback keeps it from running post_migrate, whose role
    groups under new ids the end-to-end tests' own restore would meet as duplicates)."""
    yield
    with django_db_blocker.unblock():
        for alias in connections:
            contents = getattr(connections[alias], "_test_serialized_contents", None)
            if contents:
                connections[alias].creation.deserialize_db_from_string(contents)


@pytest.fixture
def on_disk(settings, tmp_path):
    settings.SEARCH_INDEX_DIR = tmp_path / "search"
    index.reset()
    yield tmp_path / "search"
    applier.stop_background()
    index.reset()


def titles(query: str) -> list[str]:
    return [m.title for m in measure_search(query=query, facets=False).results]


def wait_for(condition, seconds: float = 20.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.02)
    return False


def test_a_background_applier_brings_committed_writes_to_every_reader(on_disk):
    document = make_document()
    make_measure(document, "发展元宇宙", "支持元宇宙应用。")
    applier.start_background(interval=0.05)
    assert wait_for(lambda: titles("元宇宙") == ["发展元宇宙"])
    make_measure(document, "培育低空经济", "支持无人机物流。")
    assert wait_for(lambda: titles("无人机") == ["培育低空经济"])
    assert (on_disk / index.database_root().name / "CURRENT").exists()


def test_a_rebuild_switches_generations_while_the_old_one_is_read(on_disk):
    make_measure(make_document(), "发展元宇宙", "支持元宇宙应用。")
    applier.apply_pending()
    old = index.handle()
    reader = old.searcher()
    rebuilt = applier.rebuild()
    assert rebuilt.generation != old.generation and index.handle().generation == rebuilt.generation
    assert reader.num_docs > 0  # the searcher opened before the switch still answers
    assert [path.name for path in index.database_root().iterdir() if path.is_dir()] == [rebuilt.generation]
    assert titles("元宇宙") == ["发展元宇宙"]


@postgresql_only
def test_changes_committed_out_of_order_are_not_skipped(on_disk):
    document = make_document()
    applier.apply_pending()
    started, release = threading.Event(), threading.Event()

    def slow_writer():
        with transaction.atomic():
            make_measure(document, "发展元宇宙", "支持元宇宙应用。")  # logged first, committed last
            started.set()
            release.wait(30)
        connections.close_all()

    thread = threading.Thread(target=slow_writer)
    thread.start()
    started.wait(30)
    make_measure(make_document(), "培育低空经济", "支持无人机物流。")  # logged second, committed first
    applier.apply_pending()
    assert titles("无人机") == ["培育低空经济"] and titles("元宇宙") == []
    release.set()
    thread.join(30)
    applier.apply_pending()
    assert titles("元宇宙") == ["发展元宇宙"]


def _applier_process(seconds: float, results) -> None:
    connections.close_all()
    index.reset()
    applied = 0
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        done = applier.apply_pending(blocking=False)
        applied += bool(done and (done.changes or done.rebuilt))
        time.sleep(0.01)
    connections.close_all()
    results.put(applied)


@postgresql_only
def test_two_applier_processes_share_the_work_and_the_index_stays_exact(on_disk):
    document = make_document()
    connections.close_all()
    context = multiprocessing.get_context("fork")
    results = context.Queue()
    workers = [context.Process(target=_applier_process, args=(4.0, results)) for _ in range(2)]
    for worker in workers:
        worker.start()
    created = []
    for number in range(40):
        created.append(make_measure(document, f"措施{number}", f"第{number}项支持政策，培育新动能。"))
        if number % 3 == 0:
            Measure.objects.filter(pk=created[-1].pk).update(title=f"改写的措施{number}")
        time.sleep(0.05)
    for worker in workers:
        worker.join(30)
    assert sorted(results.get(timeout=5) for _ in workers) and all(worker.exitcode == 0 for worker in workers)
    applier.apply_pending()
    drift = applier.drift()
    assert drift.total == 0
    entries = (
        index.handle()
        .searcher()
        .search(__import__("tantivy").Query.term_query(index.handle().index.schema, "entity", schema.MEASURE), 1)
        .count
    )
    assert entries == Measure.objects.count() == 40  # applied twice somewhere: still one entry each


def _killed_midway(pk: int) -> None:
    connections.close_all()
    index.reset()

    def slow(**kwargs):  # killed here: the new entries are in the writer, nothing is committed
        time.sleep(60)

    schema.meta_entry = slow
    applier.apply_pending()


@postgresql_only
def test_an_applier_killed_while_writing_loses_nothing(on_disk):
    document = make_document()
    applier.apply_pending()
    measure = make_measure(document, "建设算力网络", "布局算力中心。")
    connections.close_all()
    process = multiprocessing.get_context("fork").Process(target=_killed_midway, args=(measure.pk,))
    process.start()
    time.sleep(2)
    os.kill(process.pid, signal.SIGKILL)
    process.join(10)
    index.reset()
    assert titles("算力") == ["建设算力网络"] and applier.drift().total == 0
    assert connection.vendor == "postgresql"
