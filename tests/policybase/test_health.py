"""/healthz and /readyz."""

from __future__ import annotations

import pytest
from django.db.migrations.recorder import MigrationRecorder

from policybase.health import database_error, one_line, unapplied_migrations


def test_healthz_answers_without_the_database(client):
    # No django_db mark: any query would fail this test.
    response = client.get("/healthz")
    assert response.status_code == 200 and response.json() == {"status": "ok"}
    assert response["Cache-Control"] == "no-store"


def test_readyz_says_the_database_is_unreachable(client):
    # Without the django_db mark the database refuses every query, as a dead one would.
    response = client.get("/readyz")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "unavailable"
    assert body["checks"]["database"]["ok"] is False
    assert body["checks"]["database"]["error"].startswith("无法连接数据库：")
    assert body["checks"]["migrations"] == {"ok": False, "error": "数据库不可用，未检查"}


@pytest.mark.django_db
def test_readyz_is_ready_on_a_migrated_database(client):
    response = client.get("/readyz/")
    assert response.status_code == 200
    checks = response.json()["checks"]
    assert checks["database"] == {"ok": True} and checks["migrations"] == {"ok": True}
    assert checks["search"] == {"ok": True, "entries": 0, "measures": 0, "pending": 0}
    assert database_error() is None and unapplied_migrations() == []


@pytest.mark.django_db
def test_readyz_lists_the_migrations_not_applied(client):
    MigrationRecorder.Migration.objects.filter(app="search", name="0002_change_triggers").delete()
    response = client.get("/readyz")
    assert response.status_code == 503
    migrations = response.json()["checks"]["migrations"]
    assert migrations["ok"] is False and migrations["pending"] == ["search.0002_change_triggers"]
    assert "运行 manage.py migrate" in migrations["error"]


@pytest.mark.django_db
def test_readyz_warns_of_a_stale_search_index_but_stays_ready(client, monkeypatch):
    monkeypatch.setattr("measures.search_tokens.stale_version_count", lambda: 7)
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json()["warnings"] == [
        "7 条措施的检索分词来自旧版本：运行 manage.py rebuild_search_index --reanalyze"
    ]


def test_health_checks_come_before_host_check_https_redirect_and_login(client, settings):
    settings.ALLOWED_HOSTS = ["policy.example.cn"]
    settings.SECURE_SSL_REDIRECT = True
    settings.POLICYBASE_LOGIN_REQUIRED = True
    assert client.get("/healthz", HTTP_HOST="10.0.0.7").status_code == 200
    assert client.get("/", HTTP_HOST="policy.example.cn").status_code == 301  # the redirect is on for pages
    assert client.get("/", HTTP_HOST="10.0.0.7").status_code == 400


def test_only_reads_are_health_checks(client):
    assert client.post("/healthz").status_code == 404


def test_one_line():
    error = OSError('connection failed: connection to server at "127.0.0.1", port 1 failed\n\tIs the server running?')
    assert (
        one_line(error)
        == 'connection failed: connection to server at "127.0.0.1", port 1 failed Is the server running?'
    )
    assert one_line(ValueError()) == "ValueError"
    assert len(one_line(ValueError("x" * 1000))) == 300


def test_a_head_request_gets_the_status_alone(client):
    response = client.head("/healthz")
    assert response.status_code == 200 and response.content == b""


@pytest.mark.django_db
def test_readyz_waits_while_the_search_index_cannot_serve_the_database(client):
    from search import applier, changelog, index
    from tests.pages.factories import make_document, make_measure

    make_measure(make_document(), "发展元宇宙", "支持元宇宙应用。")
    response = client.get("/readyz")  # nothing built the index yet: it would answer with nothing
    assert response.status_code == 503 and "检索索引不可用" in response.json()["checks"]["search"]["error"]
    applier.apply_pending()
    assert client.get("/readyz").json()["checks"]["search"] == {"ok": True, "entries": 1, "measures": 1, "pending": 0}
    changelog.renew_identity()  # as after a restore: the index is another database's until rebuilt
    index.handle().validated_at = float("-inf")
    assert client.get("/readyz").status_code == 503
