"""Who a write is done for, so that history rows (the admin's 历史 pages) name them.

Inside a request django-simple-history's middleware knows the user. A management command
(``import_documents --user``) says it with ``acting_user``; the bulk writer (``bulkload``) reads
the same context with ``current_user_id``, so rows written set-based are attributed like rows
saved through the ORM.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from types import SimpleNamespace

from simple_history.models import HistoricalRecords

_UNSET = object()


@contextmanager
def acting_user(user) -> Iterator[None]:
    """Attribute the history rows written inside to ``user`` (``None``: leave them as they are)."""
    if user is None:
        yield
        return
    previous = getattr(HistoricalRecords.context, "request", _UNSET)
    HistoricalRecords.context.request = SimpleNamespace(user=user)  # what the middleware would set
    try:
        yield
    finally:
        if previous is _UNSET:
            del HistoricalRecords.context.request
        else:
            HistoricalRecords.context.request = previous


def current_user_id() -> int | None:
    """The id of the signed-in user the current writes are for (a request's, or ``acting_user``'s)."""
    user = getattr(getattr(HistoricalRecords.context, "request", None), "user", None)
    return user.pk if user is not None and user.is_authenticated else None
