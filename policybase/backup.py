"""Back up and restore the whole database, the way its engine does it best.

- PostgreSQL: ``pg_dump --format=custom`` and ``pg_restore --clean --single-transaction`` (a restore
  that fails leaves the database as it was). Needs the PostgreSQL client programs, of a version at
  least the server's.
- SQLite: the online backup API, which copies a consistent snapshot while the site keeps running,
  and copies a backup back into the live database the same way.

After a restore, ``database_analyze`` refreshes the planner's statistics (a restored PostgreSQL has
none, and its search totals are estimated from them) and the caller rebuilds the search index from
the restored rows (``manage.py restore_database`` does both).
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import sqlite3
import subprocess
from contextlib import closing
from pathlib import Path

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections


class BackupError(Exception):
    """A backup or restore could not be done; the message says why, for the operator."""


def database_backup(*, path: Path | None = None, using: str = DEFAULT_DB_ALIAS) -> Path:
    """Write a backup of the database to ``path`` (default: var/backups/, named by engine and time)."""
    engine = _engine(using)
    if path is None:
        stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
        path = Path(settings.VAR_DIR) / "backups" / f"policybase-{stamp}{engine.suffix}"
    path.parent.mkdir(parents=True, exist_ok=True)
    engine.backup(connections[using], path)
    return path


def database_restore(*, path: Path, using: str = DEFAULT_DB_ALIAS) -> None:
    """Replace the database's contents with the backup at ``path``."""
    engine = _engine(using)
    if not path.is_file():
        raise BackupError(f"找不到备份文件：{path}")
    with path.open("rb") as file:
        head = file.read(len(engine.magic))
    if head != engine.magic:
        raise BackupError(f"{path} 不是{engine.label}的备份（应由 make backup / manage.py backup_database 生成）")
    engine.restore(connections[using], path)


def database_analyze(*, using: str = DEFAULT_DB_ALIAS) -> None:
    """Refresh the query planner's statistics for every table."""
    with connections[using].cursor() as cursor:
        cursor.execute("ANALYZE")


def database_label(using: str = DEFAULT_DB_ALIAS) -> str:
    """Engine and database name, for messages: 「PostgreSQL policybase」."""
    connection = connections[using]
    return f"{_engine(using).label} {connection.settings_dict['NAME']}"


def _engine(using: str):
    vendor = connections[using].vendor
    if vendor == "postgresql":
        return _PostgreSQL()
    if vendor == "sqlite":
        return _SQLite()
    raise BackupError(f"不支持备份 {vendor} 数据库（支持 PostgreSQL 与 SQLite）")


class _SQLite:
    label = "SQLite"
    suffix = ".sqlite3"
    magic = b"SQLite format 3\x00"

    def backup(self, connection, path: Path) -> None:
        connection.ensure_connection()
        with closing(sqlite3.connect(path)) as target:
            connection.connection.backup(target)

    def restore(self, connection, path: Path) -> None:
        connection.ensure_connection()
        if connection.in_atomic_block:
            raise BackupError("不能在事务中恢复 SQLite 数据库")
        with closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as source:
            source.backup(connection.connection)


class _PostgreSQL:
    label = "PostgreSQL"
    suffix = ".dump"
    magic = b"PGDMP"

    def backup(self, connection, path: Path) -> None:
        self._run("pg_dump", connection, ["--format=custom", "--file", str(path)])

    def restore(self, connection, path: Path) -> None:
        connection.close()  # hold no lock the restore must wait for
        self._run(
            "pg_restore",
            connection,
            ["--clean", "--if-exists", "--no-owner", "--no-privileges", "--single-transaction", "--exit-on-error"],
            target=str(path),
        )

    def _run(self, program: str, connection, options: list[str], target: str | None = None) -> None:
        executable = shutil.which(program)
        if executable is None:
            raise BackupError(
                f"找不到 {program}：请安装 PostgreSQL 客户端（Debian：apt-get install postgresql-client）"
            )
        params = connection.settings_dict
        env = {**os.environ, **_libpq_env(params)}
        args = [executable, *options, "--dbname", params["NAME"]]
        if target:
            args.append(target)
        result = subprocess.run(args, env=env, capture_output=True, text=True, check=False)
        if result.returncode != 0:
            detail = " ".join(result.stderr.split()) or f"退出码 {result.returncode}"
            raise BackupError(f"{program} 失败：{detail}")


def _libpq_env(params: dict) -> dict[str, str]:
    """Connection settings as libpq environment variables, so the password never shows in a process list."""
    env = {
        "PGHOST": params.get("HOST") or "",
        "PGPORT": str(params.get("PORT") or ""),
        "PGUSER": params.get("USER") or "",
        "PGPASSWORD": params.get("PASSWORD") or "",
    }
    options = params.get("OPTIONS") or {}
    for option, variable in (("sslmode", "PGSSLMODE"), ("sslrootcert", "PGSSLROOTCERT"), ("service", "PGSERVICE")):
        if options.get(option):
            env[variable] = str(options[option])
    return {name: value for name, value in env.items() if value}
