"""Backup and restore: the seed corpus backed up, restored into a fresh database, searches the same."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from urllib.parse import quote

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from tests.policybase.backup_snapshot import snapshot

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def fresh_database(tmp_path):
    """The URL of a database no one uses: a new file for SQLite, a new database for PostgreSQL (dropped after)."""
    if connection.vendor == "sqlite":
        yield f"sqlite:///{tmp_path / 'restored.sqlite3'}"
        return
    if shutil.which("pg_dump") is None or shutil.which("pg_restore") is None:
        reason = "pg_dump / pg_restore are not installed (apt-get install postgresql-client; .ci/run does)"
        if os.environ.get("CI"):
            pytest.fail(reason)
        pytest.skip(reason)
    import psycopg
    from psycopg import sql

    params = connection.settings_dict
    name = f"{params['NAME']}_restore"
    server = {
        "host": params["HOST"] or "127.0.0.1",
        "port": params["PORT"] or 5432,
        "user": params["USER"],
        "password": params["PASSWORD"],
    }

    def admin(statement: str) -> None:
        with psycopg.connect(**server, dbname="postgres", autocommit=True) as conn:
            conn.execute(sql.SQL(statement).format(sql.Identifier(name)))

    admin("DROP DATABASE IF EXISTS {} WITH (FORCE)")
    admin("CREATE DATABASE {}")
    try:
        yield (
            f"postgres://{quote(server['user'], safe='')}:{quote(server['password'] or '', safe='')}"
            f"@{server['host']}:{server['port']}/{name}"
        )
    finally:
        admin("DROP DATABASE IF EXISTS {} WITH (FORCE)")


def run(args: list[str], database_url: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "policybase.settings.test", "DATABASE_URL": database_url}
    return subprocess.run(args, cwd=ROOT, env=env, capture_output=True, text=True, timeout=300, check=False)


def test_a_restored_backup_searches_and_counts_like_the_original(
    seeded_db, django_db_blocker, tmp_path, fresh_database, capsys
):
    # Outside a test transaction, as the command runs in production: SQLite's backup waits for open ones.
    backup = tmp_path / ("seed.sqlite3" if connection.vendor == "sqlite" else "seed.dump")
    with django_db_blocker.unblock():
        expected = snapshot()
        call_command("backup_database", "--output", str(backup))
    assert all(search["total"] > 0 for search in expected["searches"].values())  # the comparison means something
    assert expected["counts"]["measures.Measure"] > 0
    assert f"到 {backup}" in capsys.readouterr().out and backup.stat().st_size > 0

    restored = run([sys.executable, "manage.py", "restore_database", "--noinput", str(backup)], fresh_database)
    assert restored.returncode == 0, restored.stderr
    assert "已刷新统计信息（ANALYZE）" in restored.stdout and "已重建" in restored.stdout

    check = run([sys.executable, "-m", "tests.policybase.backup_snapshot"], fresh_database)
    assert check.returncode == 0, check.stderr
    got = json.loads(check.stdout.splitlines()[-1])
    for query, search in expected["searches"].items():
        assert got["searches"][query] == search, query
    assert got == expected


def test_restore_refuses_a_file_that_is_not_this_engines_backup(db, tmp_path):
    other = tmp_path / "other"
    other.write_bytes(b"SQLite format 3\x00" if connection.vendor == "postgresql" else b"PGDMP\x01")
    with pytest.raises(CommandError, match="的备份（应由 make backup"):
        call_command("restore_database", "--noinput", str(other))
    with pytest.raises(CommandError, match="找不到备份文件"):
        call_command("restore_database", "--noinput", str(tmp_path / "missing.dump"))


def test_restore_asks_first(db, tmp_path, monkeypatch):
    monkeypatch.setattr("builtins.input", lambda prompt: "no")
    with pytest.raises(CommandError, match="已取消，数据库未改动"):
        call_command("restore_database", str(tmp_path / "any.dump"))
