"""Error pages in Chinese, JSON errors under /api/, and a 500 page that needs no database."""

from __future__ import annotations

import pytest
from django.template.loader import render_to_string
from django.test import Client

pytestmark = pytest.mark.urls("tests.policybase.urls_errors")


@pytest.fixture
def client():
    return Client(raise_request_exception=False)


def test_a_missing_page_is_chinese_and_keeps_the_site_around_it(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    page = response.content.decode()
    assert "<h1>页面不存在</h1>" in page and "/no-such-page/" in page
    assert 'class="site-header"' in page and 'name="q"' in page  # base.html's header and a search box


def test_a_missing_api_url_is_json(client):
    response = client.get("/api/no-such-endpoint/")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json" and response.json() == {"detail": "未找到。"}


def test_a_missing_api_record_is_json(client, db):
    response = client.get("/api/measures/999999999/")
    assert response.status_code == 404 and "detail" in response.json()


def test_a_failing_page_shows_the_chinese_500_page_with_the_request_id(client):
    response = client.get("/boom/", HTTP_X_REQUEST_ID="trace-42")
    assert response.status_code == 500
    page = response.content.decode()
    assert "服务器出错了" in page and "trace-42" in page
    assert response["X-Request-ID"] == "trace-42"


def test_the_500_page_renders_when_the_database_is_down(client):
    # No django_db mark: the view's query fails as it would against a dead database, and so would
    # anything the error page tried to read.
    response = client.get("/boom/database/")
    assert response.status_code == 500 and "服务器出错了" in response.content.decode()


def test_the_500_template_stands_alone():
    page = render_to_string("500.html", {"request_id": "abc"})
    assert "{% block" not in page and "/static/css/site.css" in page and "错误编号：<code>abc</code>" in page


def test_an_api_view_that_fails_answers_json(client):
    response = client.get("/api/boom/", HTTP_X_REQUEST_ID="trace-43")
    assert response.status_code == 500
    assert response.json() == {"detail": "服务器内部错误，请稍后重试。", "request_id": "trace-43"}


def test_a_validation_error_in_an_api_view_is_a_400(client):
    response = client.get("/api/invalid/")
    assert response.status_code == 400 and response.json() == ["年份超出范围"]


def test_a_bad_host_gets_the_chinese_400_page(client, settings):
    settings.ALLOWED_HOSTS = ["policy.example.cn"]
    response = client.get("/no-such-page/", HTTP_HOST="evil.example.com")
    assert response.status_code == 400 and "请求无效" in response.content.decode()
