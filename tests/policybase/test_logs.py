"""Structured logs with request ids."""

from __future__ import annotations

import json
import logging
import sys

import pytest
from django.http import HttpResponse
from django.test import RequestFactory

from policybase.logs import JsonFormatter, RequestIdFilter, RequestIdMiddleware, current_request_id


def _format(record: logging.LogRecord) -> dict:
    RequestIdFilter().filter(record)
    return json.loads(JsonFormatter().format(record))


def _record(message: str = "hello %s", args=("world",), **extra) -> logging.LogRecord:
    record = logging.LogRecord("policybase.test", logging.WARNING, __file__, 1, message, args, None)
    for key, value in extra.items():
        setattr(record, key, value)
    return record


def test_the_middleware_makes_an_id_and_logs_carry_it():
    seen = {}

    def view(request):
        seen["inside"] = current_request_id()
        seen["record"] = _format(_record())
        return HttpResponse("ok")

    response = RequestIdMiddleware(view)(RequestFactory().get("/"))
    request_id = response["X-Request-ID"]
    assert len(request_id) == 32 and seen["inside"] == request_id
    assert seen["record"]["request_id"] == request_id and seen["record"]["message"] == "hello world"
    assert current_request_id() is None  # nothing leaks into the next request on this thread
    assert "request_id" not in _format(_record())


@pytest.mark.parametrize(
    ("incoming", "kept"),
    [
        ("abc-123", True),
        ("7f9e2b1c.4:upstream_1", True),
        ("x" * 129, False),
        ("a b", False),
        ("a\nb", False),
        ("", False),
    ],
)
def test_a_callers_id_is_kept_only_when_plain(incoming, kept):
    response = RequestIdMiddleware(lambda request: HttpResponse())(
        RequestFactory().get("/", HTTP_X_REQUEST_ID=incoming)
    )
    assert (response["X-Request-ID"] == incoming) is kept


def test_every_record_of_a_request_through_the_site_carries_its_id(client, caplog):
    # Django logs "Not Found" after the middleware returned: the id comes from the request on the record.
    with caplog.at_level(logging.WARNING, logger="django.request"):
        response = client.get("/no-such-page/", HTTP_X_REQUEST_ID="req-7")
    assert response.status_code == 404
    (record,) = [r for r in caplog.records if r.name == "django.request"]
    assert _format(record)["request_id"] == "req-7" and _format(record)["status_code"] == 404


def test_json_lines_have_time_level_logger_extras_and_the_exception():
    try:
        raise ValueError("坏的值")
    except ValueError:
        record = _record("导入失败：%s", ("文件.txt",), exc_info=sys.exc_info(), documents=3, request=object())
    entry = _format(record)
    assert entry["level"] == "WARNING" and entry["logger"] == "policybase.test"
    assert entry["message"] == "导入失败：文件.txt" and entry["documents"] == 3
    assert entry["time"].endswith("+00:00") and "ValueError: 坏的值" in entry["exception"]
    assert "request" not in entry  # objects are not logged


def test_gunicorn_access_records_become_fields():
    atoms = {
        "m": "GET",
        "U": "/measures/",
        "q": "q=%E4%BA%BA%E6%89%8D",
        "s": "200",
        "B": 20118,
        "h": "127.0.0.1",
        "a": "curl/8",
        "f": "-",
        "D": 76432,
        "{x-request-id}o": "abc",
    }
    record = logging.LogRecord("gunicorn.access", logging.INFO, __file__, 1, "%(h)s", (atoms,), None)
    entry = json.loads(JsonFormatter().format(record))
    assert entry | {"time": None} == {
        "time": None,
        "level": "INFO",
        "logger": "gunicorn.access",
        "method": "GET",
        "path": "/measures/",
        "query": "q=%E4%BA%BA%E6%89%8D",
        "status": 200,
        "bytes": 20118,
        "remote": "127.0.0.1",
        "user_agent": "curl/8",
        "duration_ms": 76.4,
        "request_id": "abc",
    }
