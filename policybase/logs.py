"""Structured logs: one JSON object per line, each carrying the id of the request it was logged in.

``RequestIdMiddleware`` takes the caller's ``X-Request-ID`` (a proxy's, or a client's that wants to
trace one call) or makes one, keeps it for the request's log records and returns it in the response
header, so a user's 「错误编号」, the access log line and the application's records meet on one id.
``JsonFormatter`` also turns gunicorn's access records into fields (method, path, status, duration,
request id read back from the response header). No Django import: gunicorn loads this module for its
own logs before Django is set up.
"""

from __future__ import annotations

import contextvars
import datetime as dt
import json
import logging
import re
import uuid
from collections.abc import Mapping

HEADER = "X-Request-ID"
# A caller's id is kept only when it is short and plain, so it can go into a log line and a header as it is.
_ACCEPTED = re.compile(r"[A-Za-z0-9._:-]{1,128}")
_current: contextvars.ContextVar[str | None] = contextvars.ContextVar("request_id", default=None)

# Attributes every LogRecord has; anything else on a record was passed in ``extra=`` and is logged too.
_STANDARD = set(vars(logging.LogRecord("", 0, "", 0, "", None, None))) | {"message", "asctime", "request_id"}

# gunicorn access-log atoms (glogging.Logger.atoms) → field names.
_ACCESS_FIELDS = {
    "m": "method",
    "U": "path",
    "q": "query",
    "s": "status",
    "B": "bytes",
    "h": "remote",
    "a": "user_agent",
    "f": "referer",
}


def current_request_id() -> str | None:
    """The id of the request being handled in this thread, or None outside a request."""
    return _current.get()


class RequestIdMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        incoming = request.headers.get(HEADER, "")
        request_id = incoming if _ACCEPTED.fullmatch(incoming) else uuid.uuid4().hex
        request.request_id = request_id
        token = _current.set(request_id)
        try:
            response = self.get_response(request)
        finally:
            _current.reset(token)
        response[HEADER] = request_id
        return response


class RequestIdFilter(logging.Filter):
    """Puts ``request_id`` on every record logged while a request is handled (None outside one).

    Django logs a 4xx response ("Not Found: …") after the middleware has returned, with the request
    attached to the record: its id is read from there.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "request_id", None) is None:
            record.request_id = _current.get() or getattr(getattr(record, "request", None), "request_id", None)
        return True


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry: dict = {
            "time": dt.datetime.fromtimestamp(record.created, tz=dt.UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
        }
        if record.name == "gunicorn.access" and isinstance(record.args, Mapping):
            entry.update(_access_fields(record.args))
        else:
            entry["message"] = record.getMessage()
            request_id = getattr(record, "request_id", None) or _current.get()  # set by RequestIdFilter
            if request_id:
                entry["request_id"] = request_id
        for key, value in vars(record).items():
            if key not in _STANDARD and key not in entry and isinstance(value, str | int | float | bool):
                entry[key] = value
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        if record.stack_info:
            entry["stack"] = self.formatStack(record.stack_info)
        return json.dumps(entry, ensure_ascii=False, default=str)


def _access_fields(atoms: Mapping) -> dict:
    def atom(key: str):
        try:
            value = atoms[key]
        except KeyError:
            return None
        return None if value in ("-", None) else value

    fields = {name: atom(key) for key, name in _ACCESS_FIELDS.items()}
    for name in ("status", "bytes"):
        if isinstance(fields[name], str) and fields[name].isdigit():
            fields[name] = int(fields[name])
    microseconds = atom("D")
    fields["duration_ms"] = round(microseconds / 1000, 1) if isinstance(microseconds, int) else None
    fields["request_id"] = atom("{x-request-id}o")
    return {name: value for name, value in fields.items() if value not in (None, "")}
