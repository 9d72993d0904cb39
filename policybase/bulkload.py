"""Insert many rows fast, with their django-simple-history rows: the writer behind large imports.

``bulk_create`` builds a model instance per row and prepares every value through its field,
~100 µs of Python a row; a 10,000-document import writes about a million rows (measures,
departments, themes and the history of each). Here rows are plain dicts keyed by attribute
name (``document_id``), ids are reserved from the table's sequence up front, and the rows go
to the database in one statement per table: ``COPY`` on PostgreSQL, ``executemany`` on SQLite.

What the ORM would have done is done here explicitly: every concrete field gets its value or
its default (``auto_now``/``auto_now_add`` get the time of the load); dates and times go
through the backend's adapters; generated columns and the FTS triggers are the database's.
Validation is the caller's (``check_row`` does what ``full_clean`` does for a row's own fields).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from functools import cache

from django.db import connection, models
from django.utils import timezone

from policybase.history import current_user_id

_MISSING = object()  # a required field without default
_NOW = object()  # auto_now / auto_now_add: the time of the load


@cache
def _columns(model: type[models.Model]) -> tuple[tuple[str, str, object], ...]:
    """(attname, column, default) of each concrete, non-generated field (default ``_MISSING``: required)."""
    result = []
    for field in model._meta.concrete_fields:
        if getattr(field, "generated", False):
            continue
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            default = _NOW
        elif field.has_default() or field.null or field.empty_strings_allowed:
            default = field.get_default()
        else:
            default = _MISSING
        result.append((field.attname, field.column, default))
    return tuple(result)


@cache
def _checked_fields(model: type[models.Model]) -> tuple[models.Field, ...]:
    return tuple(f for f in model._meta.concrete_fields if not f.primary_key and not f.is_relation)


def check_row(model: type[models.Model], row: dict) -> None:
    """What ``full_clean`` checks of a row's own fields (blank, length, choices, validators), without the
    model instance and without queries: relations and uniqueness are the caller's (or the database's)."""
    from django.core.exceptions import ValidationError

    errors = {}
    for field in _checked_fields(model):
        if field.attname not in row:
            continue
        value = row[field.attname]
        if field.blank and value in field.empty_values:
            continue
        try:
            field.clean(value, None)
        except ValidationError as exc:
            errors[field.name] = exc.error_list
    if errors:
        raise ValidationError(errors)


def reserve_ids(model: type[models.Model], count: int) -> list[int]:
    """``count`` primary keys nobody else will get (call inside the writing transaction)."""
    if count == 0:
        return []
    table = model._meta.db_table
    pk = model._meta.pk.column
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)", [table, pk, count]
            )
            return [row[0] for row in cursor.fetchall()]
        # SQLite: writers are serialised (BEGIN IMMEDIATE), so the next ids are free until commit.
        cursor.execute(f'SELECT COALESCE(MAX("{pk}"), 0) FROM "{table}"')
        start = cursor.fetchone()[0]
        cursor.execute("SELECT seq FROM sqlite_sequence WHERE name = %s", [table])
        row = cursor.fetchone()
        start = max(start, row[0] if row else 0)
    return list(range(start + 1, start + 1 + count))


def insert(model: type[models.Model], rows: Sequence[dict], *, now: dt.datetime | None = None) -> int:
    """Insert ``rows`` (dicts by attname, all with the same keys; missing fields take their defaults)."""
    if not rows:
        return 0
    now = now or timezone.now()
    given = rows[0].keys()
    pk = model._meta.pk.attname
    missing = [name for name, _, default in _columns(model) if default is _MISSING and name not in given and name != pk]
    if missing:
        raise ValueError(f"{model.__name__}: no value for {', '.join(missing)}")
    # A primary key left out is the database's to fill.
    spec = [(name, column, default) for name, column, default in _columns(model) if name in given or name != pk]
    sqlite = connection.vendor == "sqlite"
    json_names = _json_fields(model)
    fixed = {}  # values that are the same in every row: defaults, adapted once
    for name, _, default in spec:
        if name not in given:
            value = now if default is _NOW else default
            fixed[name] = _as_json(value) if name in json_names else _adapt(value) if sqlite else value
    dated = {name for name, _, _ in spec if name in given} if sqlite else set()

    def value(row: dict, name: str):
        if name in fixed:
            return fixed[name]
        if name in json_names:
            return _as_json(row[name])
        return _adapt(row[name]) if name in dated else row[name]

    def values(row: dict) -> tuple:
        return tuple(value(row, name) for name, _, _ in spec)

    table = connection.ops.quote_name(model._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(column) for _, column, _ in spec)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(values(row))
        else:
            placeholders = ", ".join(["%s"] * len(spec))
            cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES ({placeholders})", [values(r) for r in rows])
    return len(rows)


@cache
def _json_fields(model: type[models.Model]) -> frozenset[str]:
    return frozenset(f.attname for f in model._meta.concrete_fields if isinstance(f, models.JSONField))


def _as_json(value) -> str:
    """A JSONField value as both backends store it (text the database parses), written as Django would."""
    return json.dumps(value, ensure_ascii=False)


def _adapt(value):
    """SQLite stores dates and times as Django's backend writes them (PostgreSQL's driver adapts them itself)."""
    if isinstance(value, dt.datetime):
        return connection.ops.adapt_datetimefield_value(value)
    if isinstance(value, dt.date):
        return connection.ops.adapt_datefield_value(value)
    return value


def insert_with_history(
    model: type[models.Model], rows: Sequence[dict], *, reason: str, now: dt.datetime | None = None
) -> int:
    """``insert`` plus one "created" history row per row (rows must carry their primary key), by the
    user the writes are for (``policybase.history``)."""
    now = now or timezone.now()
    user_id = current_user_id()
    inserted = insert(model, rows, now=now)
    history_model = model.history.model
    tracked = {attname for attname, _, _ in _columns(history_model)}
    history_rows = []
    for row in rows:
        values = {name: value for name, value in row.items() if name in tracked}
        for attname, _, default in _columns(model):
            if attname in tracked and attname not in values:
                values[attname] = now if default is _NOW else default
        values.update(history_date=now, history_change_reason=reason, history_type="+", history_user_id=user_id)
        history_rows.append(values)
    insert(history_model, history_rows, now=now)
    return inserted
