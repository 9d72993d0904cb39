"""Reading the change log the database's triggers write (``search.models.Change``).

Which changes are still to apply, given the position the index has reached:

- PostgreSQL hands out change ids before commit, so a transaction that started earlier can commit a
  lower id after a higher one was applied. Positions are therefore transaction ids: the horizon is
  the oldest transaction still running when the read starts (``pg_snapshot_xmin``); every change of
  a transaction below it is visible by then. A read returns every change at or above the previous
  horizon (some already applied: applying is idempotent) and the new horizon to store.
- SQLite runs one writer at a time, so changes commit in id order and the position is the last id.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db import connection
from django.utils import timezone

from .models import Change, Identity

RETENTION = dt.timedelta(days=7)  # how long applied changes are kept for an index that was offline


@dataclass
class Pending:
    position: int  # what the index may store once these are applied
    change_ids: list[int] = field(default_factory=list)
    measures: set[int] = field(default_factory=set)
    documents: set[int] = field(default_factory=set)
    themes: set[int] = field(default_factory=set)
    open_ids: set[int] = field(default_factory=set)  # changes of transactions at or above the new position

    @property
    def empty(self) -> bool:
        return not self.change_ids


def _postgresql() -> bool:
    return connection.vendor == "postgresql"


def start_position() -> int:
    """The position an index built from rows read after this call may store."""
    if _postgresql():
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_snapshot_xmin(pg_current_snapshot())::text::bigint")
            return cursor.fetchone()[0]
    return last_change_id()


def pending(position: int, *, skip: set[int] = frozenset(), limit: int = 20_000) -> Pending:
    """Changes to apply after ``position``, at most ``limit`` (the rest on the next read)."""
    if _postgresql():
        # One statement: the horizon and the rows under the same snapshot (every transaction below the
        # horizon had ended when it was taken, so all their changes are among the rows).
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT NULL, NULL, NULL, NULL, NULL, pg_snapshot_xmin(pg_current_snapshot())::text::bigint"
                f" UNION ALL (SELECT id, measure_id, document_id, theme_id, txid, NULL FROM {Change._meta.db_table}"
                " WHERE txid >= %s ORDER BY id LIMIT %s)",
                [position, limit],
            )
            fetched = cursor.fetchall()
        new_position = next(row[5] for row in fetched if row[0] is None)
        rows = [row[:5] for row in fetched if row[0] is not None]
    else:
        new_position = position
        rows = list(
            Change.objects.filter(id__gt=position)
            .order_by("id")
            .values_list("id", "measure_id", "document_id", "theme_id", "txid")[:limit]
        )
    truncated = len(rows) == limit
    result = Pending(position=new_position)
    for change_id, measure_id, document_id, theme_id, txid in rows:
        if _postgresql() and (truncated or (txid is not None and txid >= new_position)):
            result.open_ids.add(change_id)
        if change_id in skip:
            continue
        result.change_ids.append(change_id)
        if measure_id is not None:
            result.measures.add(measure_id)
        if document_id is not None:
            result.documents.add(document_id)
        if theme_id is not None:
            result.themes.add(theme_id)
    if not _postgresql() and result.change_ids:
        result.position = max(result.change_ids)
    elif _postgresql() and truncated:
        # More to read, in transactions of any age: stay where we were; what was read is skipped next time.
        result.position = position
    return result


def last_change_id() -> int:
    """The highest change id the database has logged (kept when older changes are pruned)."""
    return Change.objects.order_by("-id").values_list("id", flat=True).first() or 0


def identity() -> str:
    """This database's identity, created on first use (a flushed database gets a new one)."""
    row = Identity.objects.order_by("id").first()
    if row is None:
        row = Identity.objects.create()
    return row.value


def renew_identity() -> str:
    """Give the database a new identity, so every index built before is rebuilt (after a restore)."""
    Identity.objects.all().delete()
    return identity()


def prune(*, older_than: dt.timedelta = RETENTION) -> int:
    """Delete applied changes older than ``older_than``, always keeping the last one (its id tells a
    restored, older database from the one the index was built from)."""
    last = last_change_id()
    deleted, _ = Change.objects.filter(created_at__lt=timezone.now() - older_than, id__lt=last).delete()
    return deleted
