"""API rate limits: per client address for anonymous callers, per user for signed-in ones.

Rates come from ``REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]`` (env ``POLICYBASE_API_RATE_ANON`` /
``POLICYBASE_API_RATE_USER``), read on each request rather than once at import as DRF's own classes
do, so a changed setting applies at once. The counters live in the default cache: a file cache shared
by the gunicorn workers in production. Over the rate: 429, ``Retry-After`` and a Chinese message
(``policybase.api.exceptions``).
"""

from rest_framework import throttling
from rest_framework.settings import api_settings


class _RateFromSettings:
    scope: str

    def get_rate(self):
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)


class AnonRateThrottle(_RateFromSettings, throttling.AnonRateThrottle):
    pass


class UserRateThrottle(_RateFromSettings, throttling.UserRateThrottle):
    def get_cache_key(self, request, view):
        # DRF's counts anonymous callers by address too; here they have the anonymous rate only.
        if not (request.user and request.user.is_authenticated):
            return None
        return super().get_cache_key(request, view)
