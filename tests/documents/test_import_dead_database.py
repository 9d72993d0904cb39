"""``import_documents`` against a database that does not answer: one line and a non-zero exit."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(
    "database_url",
    ["postgres://postgres:postgres@127.0.0.1:1/policybase", "sqlite:////nonexistent-directory/db.sqlite3"],
    ids=["postgresql-refused", "sqlite-unopenable"],
)
def test_a_dead_database_is_one_line(tmp_path, database_url):
    source = tmp_path / "policy.txt"
    source.write_text("关于测试的通知\n一、总体要求\n（一）加强测试。\n", encoding="utf-8")
    env = {**os.environ, "DATABASE_URL": database_url, "DJANGO_SETTINGS_MODULE": "policybase.settings.dev"}
    result = subprocess.run(
        [sys.executable, "manage.py", "import_documents", str(source), "--workers", "1"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode != 0
    errors = result.stderr.strip().splitlines()
    assert len(errors) == 1, result.stderr
    assert errors[0].startswith("CommandError: 无法连接数据库：") and "Traceback" not in result.stderr
