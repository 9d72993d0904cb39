"""Keeping the index a view of the database: applying logged changes, rebuilding, checking drift.

One writer at a time (``index.writer_lock``): the background applier of some server process, a
rebuild, or a process that searches without a background applier (a management command, the test
suite), which applies what is pending itself before it reads (``ensure_current``).

Applying is idempotent: each changed measure (or document) is deleted from the index by its key
and added again from the row the database holds now, or not at all if the row is gone. The new
position is written in the same index commit as the entries it covers, so a crash anywhere
re-applies from the last committed position.
"""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass

import tantivy
from django.db import close_old_connections, connection

from . import changelog, index, rows, schema

logger = logging.getLogger(__name__)

APPLY_INTERVAL = 0.5  # seconds between background rounds
PRUNE_INTERVAL = 3600
VALIDATE_INTERVAL = 5.0  # seconds between checks that the index is still this database's
POSITION_INTERVAL = 60.0  # seconds a position that moved with nothing to change may wait for its commit
ERROR_LOG_INTERVAL = 60.0
APPLY_HEAP = 50_000_000  # the writer of one round of changes (a rebuild has index.WRITER_HEAP)


@dataclass
class Applied:
    entries: int = 0  # index entries replaced or removed
    changes: int = 0  # logged changes read
    rebuilt: bool = False


def _stale(meta: index.Meta | None) -> str:
    """Why the index cannot be brought up to date from the log ("" when it can)."""
    if meta is None:
        return "索引为空"
    if meta.identity != changelog.identity():
        return "索引建自另一个数据库"
    if meta.last_change > changelog.last_change_id():
        return "数据库比索引旧（已从备份恢复？）"
    return ""


def apply_pending(*, blocking: bool = True) -> Applied | None:
    """Apply what the log holds beyond the index's position; rebuild instead when the index is not
    this database's. None when another writer holds the lock (and ``blocking`` is false)."""
    with index.writer_lock(blocking=blocking) as taken:
        if not taken:
            return None
        current = index.handle()
        meta = current.meta()
        rebuilt = False
        # Whose index this is, checked on opening and then every VALIDATE_INTERVAL (two queries).
        if time.monotonic() - current.validated_at > VALIDATE_INTERVAL and (reason := _stale(meta)):
            logger.info("rebuilding the search index: %s", reason)
            _rebuild_locked()
            current, rebuilt = index.handle(), True
            meta = current.meta()
        current.validated_at = time.monotonic()
        pending = changelog.pending(meta.position, skip=current.applied_above)
        if pending.empty and pending.position == meta.position:
            current.applied_above = pending.open_ids
            return Applied(rebuilt=rebuilt)
        changes = _Changes(current)
        changes.collect(pending)
        applied = Applied(entries=changes.entries, changes=len(pending.change_ids), rebuilt=rebuilt)
        if changes.writer is None and time.monotonic() - current.committed_at < POSITION_INTERVAL:
            # Nothing the index holds changed: no commit (each one is a new segment for every reader to
            # load); what was read is skipped until the position is next committed.
            current.applied_above = current.applied_above | set(pending.change_ids) | pending.open_ids
            return applied
        writer = changes.open_writer()
        last = max([meta.last_change, *pending.change_ids])
        writer.delete_documents_by_term("key", schema.META)
        writer.add_document(schema.meta_entry(identity=meta.identity, position=pending.position, last_change=last))
        writer.commit()
        writer.wait_merging_threads()
        current.reload()
        current.applied_above = pending.open_ids
        current.committed_at = time.monotonic()
        return applied


class _Changes:
    """Replaces the entries of what changed, one batch of rows at a time (memory stays one batch, whatever
    the round holds), opening the writer at the first entry that differs. An entry whose digest shows the
    same content is left as it is: changes read twice (open transactions, a horizon held back) or writes
    that change nothing the index holds (a version bump) cost no commit and leave no deleted entries."""

    def __init__(self, current: index.Handle):
        self.current = current
        self.searcher, self.schema = current.searcher(), current.index.schema
        self.writer: tantivy.IndexWriter | None = None
        self.entries = 0

    def open_writer(self) -> tantivy.IndexWriter:
        if self.writer is None:
            self.writer = self.current.index.writer(APPLY_HEAP, 1)
        return self.writer

    def replace(self, key: str, entry) -> None:
        writer = self.open_writer()
        writer.delete_documents_by_term("key", key)
        if entry is not None:
            writer.add_document(entry)
        self.entries += 1

    def collect(self, pending: changelog.Pending) -> None:
        measure_ids = sorted(pending.measures | rows.measures_of(documents=pending.documents, themes=pending.themes))
        self._batches(schema.MEASURE, measure_ids, rows.measure_rows, schema.measure_digest, schema.measure_entry)
        self._batches(
            schema.DOCUMENT,
            sorted(pending.documents),
            rows.document_rows,
            schema.document_digest,
            schema.document_entry,
        )

    def _batches(self, entity: str, ids: list[int], read, digest, entry) -> None:
        for start in range(0, len(ids), rows.BATCH):
            batch = ids[start : start + rows.BATCH]
            indexed = _indexed_digests(self.searcher, self.schema, entity, batch)
            found = read(batch)
            for row in found:
                if indexed.get(row.id) != (made_of := digest(row)):
                    self.replace(f"{entity}{row.id}", entry(row, digest=made_of))
            for gone in set(indexed) - {row.id for row in found}:
                self.replace(f"{entity}{gone}", None)


def _indexed_digests(
    searcher: tantivy.Searcher, tschema: tantivy.Schema, entity: str, ids: list[int] | None = None
) -> dict[int, int]:
    """{id: digest} of the entries of ``entity`` the index holds: those with these ids, or all (None)."""
    if ids is not None and not ids:
        return {}
    query = tantivy.Query.term_query(tschema, "entity", entity)
    if ids is not None:
        query = query.and_must_match(tantivy.Query.term_set_query(tschema, "id", ids))
    found = searcher.search(query, 1, count=True).count
    if not found:
        return {}
    addresses = [address for _, address in searcher.search(query, found, count=False).hits]
    return dict(
        zip(
            searcher.fast_field_values("id", addresses),
            searcher.fast_field_values("digest", addresses),
            strict=True,
        )
    )


@dataclass
class Rebuilt:
    measures: int
    documents: int
    seconds: float
    generation: str


def rebuild() -> Rebuilt:
    """Build a new index from the database beside the one in use and switch to it atomically; the
    site keeps reading the old one meanwhile. Changes logged during the build are applied next (by
    the background applier, or by the next search where none runs)."""
    with index.writer_lock(blocking=True):
        return _rebuild_locked()


def _rebuild_locked() -> Rebuilt:
    started = time.perf_counter()
    position, last_change = changelog.start_position(), changelog.last_change_id()
    build = index.start_build()
    writer = build.writer()
    measures = documents = 0
    for batch in rows.all_measure_rows():
        for row in batch:
            writer.add_document(schema.measure_entry(row))
        measures += len(batch)
    for batch in rows.all_document_rows():
        for row in batch:
            writer.add_document(schema.document_entry(row))
        documents += len(batch)
    writer.add_document(schema.meta_entry(identity=changelog.identity(), position=position, last_change=last_change))
    writer.commit()
    writer.wait_merging_threads()
    index.switch(build).validated_at = time.monotonic()
    return Rebuilt(measures, documents, time.perf_counter() - started, build.generation)


def ensure_current() -> None:
    """Bring the index up to date before reading, unless a background applier does that here."""
    if not _background.is_set():
        apply_pending(blocking=True)


# --- status (the health endpoint) ------------------------------------------------------------------


@dataclass
class Status:
    entries: int  # measures the index holds
    measures: int  # measures the database holds
    pending: int  # changes logged after the last one the index has applied
    oldest_pending_seconds: float  # how long the oldest of them has waited
    reason: str  # why the index cannot serve this database ("" when it can)

    @property
    def ok(self) -> bool:
        return not self.reason and not (self.entries == 0 and self.measures > 0)


def status() -> Status:
    """How the index of this process stands against the database (reads only; a few small queries)."""
    from django.utils import timezone

    from measures.models import Measure

    from .models import Change

    current = index.handle()
    meta = current.meta()
    searcher = current.searcher()
    entries = searcher.search(tantivy.Query.term_query(current.index.schema, "entity", schema.MEASURE), 1).count
    measures = Measure.objects.count()
    last = meta.last_change if meta else 0
    waiting = Change.objects.filter(id__gt=last)
    oldest = waiting.order_by("id").values_list("created_at", flat=True).first()
    age = (timezone.now() - oldest).total_seconds() if oldest else 0.0
    reason = _stale(meta) if meta else ("索引尚未建立" if measures else "")
    return Status(entries, measures, waiting.count(), age, reason)


# --- drift -----------------------------------------------------------------------------------------


@dataclass
class Drift:
    missing: list[int]  # measures in the database, not in the index
    extra: list[int]  # in the index, not in the database
    differing: list[int]  # in both, indexed from other values

    @property
    def total(self) -> int:
        return len(self.missing) + len(self.extra) + len(self.differing)


def drift() -> Drift:
    """Compare every measure's entry with what the database says it should be (by digest)."""
    current = index.handle()
    indexed = _indexed_digests(current.searcher(), current.index.schema, schema.MEASURE)
    missing, differing, seen = [], [], set()
    for batch in rows.all_measure_rows():
        for row in batch:
            seen.add(row.id)
            if row.id not in indexed:
                missing.append(row.id)
            elif indexed[row.id] != schema.measure_digest(row):
                differing.append(row.id)
    extra = sorted(set(indexed) - seen)
    return Drift(missing, extra, differing)


# --- the background applier ------------------------------------------------------------------------

_background = threading.Event()
_stop = threading.Event()
_thread: threading.Thread | None = None


def start_background(*, interval: float = APPLY_INTERVAL) -> None:
    """Run an applier in this process (a daemon thread): every ``interval`` it tries the lock and, if
    no other process's applier holds it, applies what is pending. Searches here then never apply."""
    global _thread
    if _thread is not None and _thread.is_alive():
        return
    _background.set()
    _stop.clear()
    _thread = threading.Thread(target=_run, args=(interval,), name="search-applier", daemon=True)
    _thread.start()


def stop_background() -> None:
    """Stop this process's applier (tests; a server process simply exits)."""
    global _thread
    _stop.set()
    if _thread is not None:
        _thread.join(timeout=30)
    _thread = None
    _background.clear()


def _run(interval: float) -> None:
    pruned = time.monotonic()
    logged = float("-inf")
    while not _stop.is_set():
        try:
            close_old_connections()
            apply_pending(blocking=False)
            if time.monotonic() - pruned > PRUNE_INTERVAL:
                changelog.prune()
                pruned = time.monotonic()
        except Exception:  # the database restarting, a full disk, migrations not run: log, wait, try again
            if time.monotonic() - logged > ERROR_LOG_INTERVAL:  # once a minute, not every round
                logger.exception("search applier round failed (retrying every %.1f s)", interval)
                logged = time.monotonic()
            connection.close()  # reconnect on the next round
        _stop.wait(interval)
    connection.close()
