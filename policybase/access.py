"""Who may see what: the site-wide login requirement, and for the login lockout (django-axes) the
client address it counts and the page it shows.

Roles (viewer, editor, administrator) are in ``policybase/roles.py``; API throttling in
``policybase/api/throttles.py``.
"""

from __future__ import annotations

import math

from django.conf import settings
from django.contrib.auth.middleware import LoginRequiredMiddleware as DjangoLoginRequiredMiddleware
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from rest_framework.views import APIView

from policybase.api import PREFIX as API_PREFIX


class LoginRequiredMiddleware(DjangoLoginRequiredMiddleware):
    """With ``POLICYBASE_LOGIN_REQUIRED`` on, a visitor who is not signed in is sent to the login page.

    The admin and the API answer for themselves: the admin sends to its own login page, the API answers
    403 in JSON (``policybase.api.permissions.SiteAccess``). The health checks and static files are
    served by middleware that runs before this one, so they stay open.
    """

    def process_view(self, request: HttpRequest, view_func, view_args, view_kwargs):
        if not settings.POLICYBASE_LOGIN_REQUIRED or _answers_for_itself(request, view_func):
            return None
        return super().process_view(request, view_func, view_args, view_kwargs)


def _answers_for_itself(request: HttpRequest, view_func) -> bool:
    view_class = getattr(view_func, "cls", None)
    if isinstance(view_class, type) and issubclass(view_class, APIView):
        return True
    match = request.resolver_match
    return match is not None and "admin" in match.app_names


def client_ip(request: HttpRequest) -> str | None:
    """The client's address for django-axes (``AXES_CLIENT_IP_CALLABLE``).

    Behind ``POLICYBASE_PROXY_COUNT`` reverse proxies, the entry the outermost one appended to
    X-Forwarded-For: a client can put anything at the front of that header but cannot append after
    its proxies. Without proxies, the socket's address.
    """
    proxies = settings.POLICYBASE_PROXY_COUNT
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
    if proxies > 0 and forwarded:
        return forwarded[-min(proxies, len(forwarded))]
    return request.META.get("REMOTE_ADDR")


def lockout_response(request: HttpRequest, original_response=None, credentials=None) -> HttpResponse:
    """What a locked-out login gets (``AXES_LOCKOUT_CALLABLE``): a Chinese page, or JSON for the API; 429."""
    minutes = math.ceil(settings.AXES_COOLOFF_TIME.total_seconds() / 60) if settings.AXES_COOLOFF_TIME else None
    message = f"连续 {settings.AXES_FAILURE_LIMIT} 次登录失败，登录已暂时锁定，" + (
        f"请 {minutes} 分钟后再试。" if minutes else "请联系管理员解锁。"
    )
    if request.path_info.startswith(f"/{API_PREFIX}"):
        return JsonResponse({"detail": message}, status=429, json_dumps_params={"ensure_ascii": False})
    return render(request, "registration/locked_out.html", {"message": message}, status=429)
