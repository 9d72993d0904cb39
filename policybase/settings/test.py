"""Test settings: fast hashing, no manifest for static files, DATABASE_URL picks the backend."""

import os

from .base import *  # noqa: F403

DEBUG = False
SECRET_KEY = "test-only-insecure-key"
ALLOWED_HOSTS = ["*"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
LOGGING = {"version": 1, "disable_existing_loggers": False}
# Serve static files from the finders: tests never run collectstatic.
WHITENOISE_AUTOREFRESH = True
WHITENOISE_USE_FINDERS = True

# Several runs at once against one PostgreSQL (a developer's and a helper's) each need their own test database.
if _test_db := os.environ.get("TEST_DB_NAME"):
    DATABASES["default"]["TEST"] = {"NAME": _test_db}  # noqa: F405

# The suite decides these itself, whatever the developer's shell says.
POLICYBASE_LOGIN_REQUIRED = False
POLICYBASE_PROXY_COUNT = 0
# No API throttling unless a test sets rates (tests/policybase/test_access.py).
REST_FRAMEWORK = {**REST_FRAMEWORK, "NUM_PROXIES": 0, "DEFAULT_THROTTLE_RATES": {"anon": None, "user": None}}  # noqa: F405

# Tests export far more often than a person; the tests of the limits set their own.
POLICYBASE_EXPORTS_AT_ONCE = 1000
POLICYBASE_ANONYMOUS_EXPORTS_PER_HOUR = 100_000

# Each test gets its own index in memory (tests/conftest.py resets it): runs never share one.
SEARCH_INDEX_DIR = ":memory:"
