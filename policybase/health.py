"""Health checks for a load balancer or a monitor, open to anyone and answered before any other middleware.

- ``/healthz``: the process answers (no database). A restart is what helps when this fails.
- ``/readyz``: the database answers and every migration is applied; otherwise 503 with what failed.
  Traffic should wait while this fails, also while the search index cannot serve this database
  (being built, or built from another one). Changes waiting long for the index, and stored tokens
  of an older analyzer, are reported as warnings (search still works).

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
            checks["search"], search_warnings = _search_check()
            warnings.extend(search_warnings + _search_index_warnings())
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


SEARCH_LAG_WARNING = 60  # seconds a logged change may wait for the index before readyz says so


def _search_check() -> tuple[dict, list[str]]:
    """Whether the search index can serve this database (an index being rebuilt, or one of another
    database, cannot: traffic should wait), and how far it lags behind the database's writes."""
    from search.applier import status

    try:
        state = status()
    except Exception as exc:
        return {"ok": False, "error": f"无法读取检索索引：{one_line(exc)}"}, []
    check = {"ok": state.ok, "entries": state.entries, "measures": state.measures, "pending": state.pending}
    if not state.ok:
        check["error"] = (
            f"检索索引不可用（{state.reason or '索引为空'}），正在重建：运行 manage.py rebuild_search_index 可立即重建"
        )
    warnings = []
    if state.ok and state.oldest_pending_seconds > SEARCH_LAG_WARNING:
        warnings.append(
            f"检索索引有 {state.pending} 条变更未写入，最早的已等待 {state.oldest_pending_seconds:.0f} 秒："
            "检查网站进程中的检索更新线程或运行 manage.py search_applier"
        )
    return check, warnings


def _search_index_warnings() -> list[str]:
    from measures.search_tokens import stale_version_count

    try:
        stale = stale_version_count()
    except Exception as exc:
        return [f"无法检查检索索引：{one_line(exc)}"]
    if stale:
        return [f"{stale} 条措施的检索分词来自旧版本：运行 manage.py rebuild_search_index --reanalyze"]
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
