"""Limits that keep one person's big export from stalling the site for everyone.

Each user (or, signed out, each address) may run ``EXPORTS_AT_ONCE`` exports at a time, and an anonymous
address ``ANONYMOUS_EXPORTS_PER_HOUR`` an hour. The counts live in the cache, which production shares between
gunicorn workers (a file cache); a slot is released when its response has been sent or abandoned, and expires
on its own should a worker die mid-export.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone

from .access import client_ip

EXPORTS_AT_ONCE = 2
ANONYMOUS_EXPORTS_PER_HOUR = 30
SLOT_SECONDS = 15 * 60  # a slot a dead worker never released frees itself after this


class ExportRefused(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def _who(request) -> str:
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return f"user:{user.pk}"
    return f"ip:{client_ip(request) or 'unknown'}"


def export_slot(request) -> str:
    """Take an export slot for the requester; ``ExportRefused`` (with a Chinese message) when none is free."""
    who = _who(request)
    if who.startswith("ip:"):
        hour = f"exports-hour:{who}:{timezone.now():%Y%m%d%H}"
        cache.add(hour, 0, timeout=3600)
        if cache.incr(hour) > getattr(settings, "POLICYBASE_ANONYMOUS_EXPORTS_PER_HOUR", ANONYMOUS_EXPORTS_PER_HOUR):
            raise ExportRefused("导出次数已达本小时上限，请稍后再试，或登录后导出。")
    key = f"exports-running:{who}"
    cache.add(key, 0, timeout=SLOT_SECONDS)
    if cache.incr(key) > getattr(settings, "POLICYBASE_EXPORTS_AT_ONCE", EXPORTS_AT_ONCE):
        _release(key)
        raise ExportRefused("您已有导出正在进行，请等它完成后再导出。")
    return key


def _release(key: str) -> None:
    try:
        if cache.decr(key) < 0:
            cache.set(key, 0, timeout=SLOT_SECONDS)
    except ValueError:  # expired meanwhile
        pass


def released_after(chunks: Iterable, key: str) -> Iterator:
    """``chunks``, releasing the export slot when they are all sent or the client goes away."""
    try:
        yield from chunks
    finally:
        _release(key)
