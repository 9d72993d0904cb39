"""Settings read from the environment, each failing with one line that says what to set.

``SettingError`` is an ``ImproperlyConfigured``; ``manage.py`` and ``policybase/wsgi.py`` print its
message alone (no traceback), so an operator who forgot ``SECRET_KEY`` reads what to do, in Chinese
and in English.
"""

from __future__ import annotations

import os

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


class SettingError(ImproperlyConfigured):
    """An environment variable is missing or unreadable; the message is meant for the operator as it is."""


def env_required(name: str, *, zh: str, en: str) -> str:
    """The variable's value; a missing or empty one fails with what it should hold (``zh`` / ``en``)."""
    value = os.environ.get(name, "").strip()
    if not value:
        raise SettingError(f"缺少环境变量 {name}：{zh} / {name} is not set: {en}")
    return value


def env_flag(name: str, *, default: bool) -> bool:
    """1/true/yes/on or 0/false/no/off (any case); unset means ``default``."""
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise SettingError(f"环境变量 {name} 应为 1 或 0，收到“{raw}” / {name} must be 1 or 0, got {raw!r}")


def env_int(name: str, *, default: int) -> int:
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    try:
        return int(raw)
    except ValueError:
        raise SettingError(f"环境变量 {name} 应为整数，收到“{raw}” / {name} must be an integer, got {raw!r}") from None


def env_list(name: str) -> list[str]:
    """Comma-separated values, blanks dropped."""
    return [item.strip() for item in os.environ.get(name, "").split(",") if item.strip()]


def database_config(url: str, *, conn_max_age: int) -> dict:
    """``DATABASES["default"]`` for a database URL, with the options each engine needs here."""
    try:
        config = dj_database_url.parse(url, conn_max_age=conn_max_age, conn_health_checks=True)
    except ValueError as exc:
        raise SettingError(
            f"DATABASE_URL 无法识别（{exc}）：应如 postgres://用户:密码@主机:5432/库名 或 sqlite:////绝对路径/db.sqlite3"
            f" / DATABASE_URL is not a database URL ({exc})"
        ) from None
    if config["ENGINE"] == "django.db.backends.sqlite3":
        # WAL lets readers proceed while an import writes; the timeout makes a concurrent writer wait
        # instead of failing at once with "database is locked". SQLite connections are cheap: none is kept.
        config["OPTIONS"] = {
            "timeout": 20,
            "transaction_mode": "IMMEDIATE",
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
        config["CONN_MAX_AGE"] = 0
    return config
