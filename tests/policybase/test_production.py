"""Production start-up: what a missing variable says, ``check --deploy``, and the gunicorn configuration."""

from __future__ import annotations

import json
import os
import runpy
import secrets
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from policybase.settings.environ import SettingError, database_config, env_flag, env_int, env_list, env_required

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION = "policybase.settings.production"


def production_env(tmp_path: Path, **overrides: str | None) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith(("POLICYBASE_", "DJANGO_"))}
    env |= {
        "DJANGO_SETTINGS_MODULE": PRODUCTION,
        "SECRET_KEY": secrets.token_urlsafe(50),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "ALLOWED_HOSTS": "policy.example.cn,127.0.0.1",
        "SEARCH_INDEX_DIR": str(tmp_path / "search"),  # the workers' appliers build it there, not in var/
    }
    for key, value in overrides.items():
        if value is None:
            env.pop(key, None)
        else:
            env[key] = value
    return env


def run(args: list[str], env: dict[str, str], timeout: int = 120) -> subprocess.CompletedProcess:
    return subprocess.run(args, cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout, check=False)


# --- reading the environment ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [(None, True), ("1", True), ("true", True), ("YES", True), ("0", False), ("off", False), ("", False)],
)
def test_env_flag(monkeypatch, raw, expected):
    if raw is None:
        monkeypatch.delenv("PB_FLAG", raising=False)
    else:
        monkeypatch.setenv("PB_FLAG", raw)
    assert env_flag("PB_FLAG", default=True) is expected


def test_unreadable_values_say_what_is_wrong(monkeypatch):
    monkeypatch.setenv("PB_FLAG", "perhaps")
    monkeypatch.setenv("PB_INT", "ten")
    with pytest.raises(SettingError, match="PB_FLAG 应为 1 或 0"):
        env_flag("PB_FLAG", default=False)
    with pytest.raises(SettingError, match="PB_INT 应为整数"):
        env_int("PB_INT", default=1)
    with pytest.raises(SettingError, match="DATABASE_URL 无法识别"):
        database_config("mysqlx://nowhere", conn_max_age=0)


def test_required_and_list_values(monkeypatch):
    monkeypatch.setenv("PB_HOSTS", " a.cn, ,b.cn ")
    monkeypatch.setenv("PB_EMPTY", "  ")
    assert env_list("PB_HOSTS") == ["a.cn", "b.cn"]
    assert env_required("PB_HOSTS", zh="…", en="…") == "a.cn, ,b.cn"
    with pytest.raises(SettingError, match=r"缺少环境变量 PB_EMPTY：域名 / PB_EMPTY is not set: host names"):
        env_required("PB_EMPTY", zh="域名", en="host names")


def test_sqlite_gets_wal_and_a_busy_timeout_postgresql_keeps_its_connections():
    sqlite = database_config("sqlite:////srv/db.sqlite3", conn_max_age=600)
    postgres = database_config("postgres://u:p@127.0.0.1:5432/pb", conn_max_age=600)
    assert "journal_mode=WAL" in sqlite["OPTIONS"]["init_command"] and sqlite["CONN_MAX_AGE"] == 0
    assert postgres["CONN_MAX_AGE"] == 600 and postgres["CONN_HEALTH_CHECKS"] is True


# --- start-up ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("missing", ["SECRET_KEY", "DATABASE_URL", "ALLOWED_HOSTS"])
def test_a_missing_variable_is_one_line_not_a_traceback(tmp_path, missing):
    result = run([sys.executable, "manage.py", "migrate"], production_env(tmp_path, **{missing: None}))
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith(f"缺少环境变量 {missing}：") and f"{missing} is not set" in lines[0]
    assert "Traceback" not in result.stderr + result.stdout


def test_the_wsgi_module_stops_with_the_same_line(tmp_path):
    result = run([sys.executable, "-c", "import policybase.wsgi"], production_env(tmp_path, SECRET_KEY=""))
    assert result.returncode == 1
    assert result.stderr.strip().startswith("缺少环境变量 SECRET_KEY：") and "Traceback" not in result.stderr


@pytest.mark.parametrize(
    ("extra", "silenced"),
    [({}, 0), ({"POLICYBASE_SSL_REDIRECT": "0"}, 1)],
    ids=["defaults", "redirect-off-behind-a-proxy"],
)
def test_check_deploy_is_clean(tmp_path, extra, silenced):
    result = run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        production_env(tmp_path, **extra),
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"System check identified no issues ({silenced} silenced)." in result.stdout


def test_production_settings_values(tmp_path):
    code = (
        "from django.conf import settings as s;"
        "print(s.SECURE_SSL_REDIRECT, s.SECURE_HSTS_SECONDS, s.SECURE_PROXY_SSL_HEADER[0],"
        " s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.ALLOWED_HOSTS, s.DEBUG)"
    )
    result = run(
        [sys.executable, "-c", f"import django; django.setup(); {code}"],
        production_env(tmp_path, POLICYBASE_SSL_REDIRECT="0", POLICYBASE_HSTS_SECONDS="3600"),
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split("\n")[-2] == (
        "False 3600 HTTP_X_FORWARDED_PROTO True True ['policy.example.cn', '127.0.0.1'] False"
    )


# --- gunicorn ------------------------------------------------------------------------------------------


def test_gunicorn_config(monkeypatch):
    monkeypatch.delenv("WEB_CONCURRENCY", raising=False)
    monkeypatch.setenv("PORT", "9123")
    config = runpy.run_path(str(ROOT / "policybase" / "gunicorn.conf.py"))
    assert config["bind"] == "127.0.0.1:9123"
    assert config["workers"] == 2 * len(os.sched_getaffinity(0)) + 1
    assert config["preload_app"] is True and config["timeout"] >= 60
    assert config["accesslog"] == "-"
    access = config["logconfig_dict"]["loggers"]["gunicorn.access"]
    assert (
        access["propagate"] is False and config["logconfig_dict"]["handlers"]["stdout"]["stream"] == "ext://sys.stdout"
    )
    monkeypatch.setenv("WEB_CONCURRENCY", "3")
    assert runpy.run_path(str(ROOT / "policybase" / "gunicorn.conf.py"))["workers"] == 3


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_gunicorn_serves_health_and_logs_json_with_the_request_id(tmp_path):
    port = _free_port()
    env = production_env(tmp_path, PORT=str(port), WEB_CONCURRENCY="1", POLICYBASE_SSL_REDIRECT="0")
    gunicorn = Path(sys.executable).with_name("gunicorn")
    log = (tmp_path / "server.log").open("w")
    server = subprocess.Popen(
        [str(gunicorn), "--config", "policybase/gunicorn.conf.py", "policybase.wsgi"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        body = None
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and body is None:
            try:
                request = urllib.request.Request(
                    f"http://127.0.0.1:{port}/healthz", headers={"X-Request-ID": "probe-1"}
                )
                with urllib.request.urlopen(request, timeout=5) as response:
                    body = json.load(response)
                    assert response.headers["X-Request-ID"] == "probe-1"
            except OSError:
                assert server.poll() is None, (tmp_path / "server.log").read_text()
                time.sleep(0.3)
        assert body == {"status": "ok"}
    finally:
        server.terminate()
        server.wait(timeout=30)
        log.close()
    records = [json.loads(line) for line in (tmp_path / "server.log").read_text().splitlines() if line.startswith("{")]
    access = [record for record in records if record["logger"] == "gunicorn.access"]
    assert access and access[-1]["path"] == "/healthz" and access[-1]["status"] == 200
    assert access[-1]["request_id"] == "probe-1" and access[-1]["duration_ms"] >= 0
    assert any(record["logger"] == "gunicorn.error" and "Listening at" in record["message"] for record in records)
