"""The Content-Security-Policy header, and pages that work under it: no inline script, no event-handler
attribute, nothing loaded from another origin (a browser would refuse each)."""

from __future__ import annotations

import re

import pytest

from documents.models import Document
from measures.models import Measure

SCRIPT = re.compile(r"<script\b([^>]*)>", re.IGNORECASE)
HANDLER = re.compile(r"<[^>]+\son[a-z]+\s*=", re.IGNORECASE)
LOADED = re.compile(r"<(?:script|link|img|iframe)\b[^>]*?\b(?:src|href)=\"([^\"]*)\"", re.IGNORECASE)


def directives(response) -> dict[str, list[str]]:
    policy = response["Content-Security-Policy"]
    return {part.split()[0]: part.split()[1:] for part in policy.split(";") if part.strip()}


def assert_allowed_by_csp(page: str) -> None:
    for attributes in SCRIPT.findall(page):
        assert "src=" in attributes or 'type="application/json"' in attributes, f"inline script: {attributes}"
    assert not HANDLER.search(page), HANDLER.search(page).group(0)
    for url in LOADED.findall(page):
        assert url.startswith("/") and not url.startswith("//"), f"loaded from elsewhere: {url}"


@pytest.mark.django_db
def test_the_policy(client):
    policy = directives(client.get("/"))
    assert policy["default-src"] == ["'self'"] and policy["script-src"] == ["'self'"]
    assert policy["style-src"] == ["'self'", "'unsafe-inline'"]
    assert policy["object-src"] == ["'none'"] and policy["frame-ancestors"] == ["'none'"]
    assert policy["form-action"] == ["'self'"] and policy["base-uri"] == ["'self'"]


def test_error_pages_carry_it_too(client):
    assert "script-src 'self'" in client.get("/no-such-page/")["Content-Security-Policy"]


def test_site_pages_need_nothing_the_policy_refuses(client, seed):
    measure = Measure.objects.order_by("pk").first()
    document = Document.objects.order_by("pk").first()
    for path in (
        "/",
        "/measures/?q=%E4%BA%BA%E6%89%8D",
        f"/measures/{measure.pk}/",
        "/themes/",
        "/compare/?theme=talent&region=%E6%B7%B1%E5%9C%B3%E5%B8%82",
        "/documents/",
        f"/documents/{document.pk}/",
        "/accounts/login/",
        "/api/measures/?page_size=2",
    ):
        response = client.get(path, HTTP_ACCEPT="text/html")
        assert response.status_code == 200, path
        assert_allowed_by_csp(response.content.decode())


def test_admin_pages_need_nothing_the_policy_refuses(client, seed, admin_user):
    client.force_login(admin_user)
    measure = Measure.objects.order_by("pk").first()
    document = Document.objects.order_by("pk").first()
    for path in (
        "/admin/",
        "/admin/documents/document/",
        f"/admin/documents/document/{document.pk}/change/",
        "/admin/documents/document/upload/",
        f"/admin/measures/measure/{measure.pk}/change/",
        f"/admin/measures/measure/{measure.pk}/history/",
        "/admin/documents/organization/",
    ):
        response = client.get(path)
        assert response.status_code == 200, path
        assert_allowed_by_csp(response.content.decode())
