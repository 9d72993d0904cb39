"""Health checks for a load balancer or a monitor, open to anyone and answered before any other middleware.

- ``/healthz``: the process answers (no database). A restart is what helps when this fails.
- ``/readyz``: the database answers and every migration is applied; otherwise 503 with what failed.
  Traffic should wait while this fails. A search index built by an older analyzer is reported as a
  warning (search still works; ``manage.py rebuild_search_index`` brings it up to date).

They sit before the host check, the HTTPS redirect and the login requirement because a probe asks by
IP address over plain HTTP, and neither answer says anything a visitor could not learn otherwise.
"""

from __future__ import annotations

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor
from django.http import HttpRequest, JsonResponse


def database_error(using: str = DEFAULT_DB_ALIAS) -> str | None:
    """None when the database answers a query, else why not, in one line."""
    try:
        with connections[using].cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception as exc:  # whatever the driver raises, the answer is "not reachable" and why
        return one_line(exc)
    return None


def unapplied_migrations(using: str = DEFAULT_DB_ALIAS) -> list[str]:
    """``app.migration`` names that ``migrate`` would apply now, in order."""
    executor = MigrationExecutor(connections[using])
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    return [f"{migration.app_label}.{migration.name}" for migration, _backwards in plan]


def one_line(exc: BaseException, limit: int = 300) -> str:
    """An exception as one line: drivers' messages span several (psycopg adds a hint on its own line)."""
    text = " ".join(str(exc).split()) or type(exc).__name__
    return text if len(text) <= limit else text[: limit - 1] + "…"


def healthz(request: HttpRequest) -> JsonResponse:
    return _no_store(JsonResponse({"status": "ok"}))


def readyz(request: HttpRequest) -> JsonResponse:
    checks: dict[str, dict] = {}
    warnings: list[str] = []
    error = database_error()
    checks["database"] = {"ok": error is None} | ({"error": f"无法连接数据库：{error}"} if error else {})
    if error:
        checks["migrations"] = {"ok": False, "error": "数据库不可用，未检查"}
    else:
        checks["migrations"] = _migrations_check()
        if checks["migrations"]["ok"]:
            warnings.extend(_search_index_warnings())
    ready = all(check["ok"] for check in checks.values())
    body = {"status": "ok" if ready else "unavailable", "checks": checks}
    if warnings:
        body["warnings"] = warnings
    return _no_store(JsonResponse(body, status=200 if ready else 503, json_dumps_params={"ensure_ascii": False}))


def _migrations_check() -> dict:
    try:
        pending = unapplied_migrations()
    except Exception as exc:
        return {"ok": False, "error": f"无法读取迁移记录：{one_line(exc)}"}
    if pending:
        return {"ok": False, "error": f"有 {len(pending)} 个迁移未执行：运行 manage.py migrate", "pending": pending}
    return {"ok": True}


def _search_index_warnings() -> list[str]:
    from measures.search_tokens import stale_version_count

    try:
        stale = stale_version_count()
    except Exception as exc:
        return [f"无法检查检索索引：{one_line(exc)}"]
    if stale:
        return [f"{stale} 条措施的检索分词来自旧版本：运行 manage.py rebuild_search_index"]
    return []


def _no_store(response: JsonResponse) -> JsonResponse:
    response["Cache-Control"] = "no-store"
    return response


class HealthCheckMiddleware:
    ROUTES = {"/healthz": healthz, "/readyz": readyz}

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest):
        view = self.ROUTES.get(request.path_info.rstrip("/"))
        if view is None or request.method not in ("GET", "HEAD"):
            return self.get_response(request)
        response = view(request)
        if request.method == "HEAD":
            response.content = b""  # the status is the answer; a body on HEAD makes gunicorn warn
        return response
