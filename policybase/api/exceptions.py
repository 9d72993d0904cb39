"""JSON errors for API views: DRF's handler, with a Chinese message for throttling and a 400 (not a 500)
for a Django ``ValidationError`` raised by a filter or selector. Errors outside DRF views under /api/
(an unknown URL, an unhandled exception) are answered in JSON by ``policybase.errors``."""

import math

from django.core.exceptions import ValidationError
from rest_framework import exceptions
from rest_framework.views import exception_handler as drf_exception_handler


class Throttled(exceptions.Throttled):
    def __init__(self, wait: float | None):
        retry = f"请在 {math.ceil(wait)} 秒后重试。" if wait is not None else "请稍后重试。"
        super().__init__(detail=f"请求过于频繁，{retry}")
        self.wait = math.ceil(wait) if wait is not None else None  # sent as Retry-After


def exception_handler(exc, context):
    if isinstance(exc, exceptions.Throttled):
        exc = Throttled(exc.wait)
    elif isinstance(exc, ValidationError):
        exc = exceptions.ValidationError(detail=exc.message_dict if hasattr(exc, "error_dict") else exc.messages)
    return drf_exception_handler(exc, context)
