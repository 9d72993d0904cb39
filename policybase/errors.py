"""Error responses: Chinese pages for the site, JSON under /api/.

Django calls these (``handler400`` … ``handler500`` in ``policybase/urls.py``) when ``DEBUG`` is off.
Inside DRF views, API errors are DRF's (``policybase.api.exceptions``); these cover what happens
outside them, such as an unknown URL under /api/ or an exception DRF does not handle. The 500 page is
rendered without a request context and extends nothing that could need the database, so it still
shows when the database is down; it gives the request id to quote to an administrator.
"""

from __future__ import annotations

import logging

from django.http import HttpRequest, HttpResponse, HttpResponseServerError, JsonResponse
from django.template import loader
from django.views import defaults

from policybase.api import PREFIX as API_PREFIX
from policybase.logs import current_request_id

logger = logging.getLogger(__name__)

MESSAGES = {
    400: "请求无效。",
    403: "没有权限访问。",
    404: "未找到。",
    500: "服务器内部错误，请稍后重试。",
}


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    return _json(request, 400) or defaults.bad_request(request, exception)


def permission_denied(request: HttpRequest, exception: Exception) -> HttpResponse:
    return _json(request, 403) or defaults.permission_denied(request, exception)


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    return _json(request, 404) or defaults.page_not_found(request, exception)


def server_error(request: HttpRequest) -> HttpResponse:
    if response := _json(request, 500):
        return response
    request_id = getattr(request, "request_id", None) or current_request_id()
    try:
        return HttpResponseServerError(loader.get_template("500.html").render({"request_id": request_id}))
    except Exception:  # the page must not fail in turn: fall back to one line of text
        logger.exception("500.html could not be rendered")
        return HttpResponseServerError("服务器内部错误，请稍后重试。", content_type="text/plain; charset=utf-8")


def _json(request: HttpRequest, status: int) -> JsonResponse | None:
    if not request.path_info.startswith(f"/{API_PREFIX}"):
        return None
    body = {"detail": MESSAGES[status]}
    if status == 500 and (request_id := getattr(request, "request_id", None)):
        body["request_id"] = request_id
    return JsonResponse(body, status=status, json_dumps_params={"ensure_ascii": False})
