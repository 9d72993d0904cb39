"""Settings shared by every environment.

The database is SQLite in a local file unless ``DATABASE_URL`` names another
one (``postgres://user@127.0.0.1:5432/policybase`` for PostgreSQL via psycopg 3).
Operations settings (login, throttling, CSP, logs) are described in docs/operations.md.
"""

import datetime as dt
import os
from pathlib import Path

from csp.constants import NONE, SELF, UNSAFE_INLINE

from .environ import database_config, env_flag, env_int

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = BASE_DIR / "var"  # runtime files the app owns: SQLite database, jieba cache
VAR_DIR.mkdir(exist_ok=True)
# The search index (search/index.py): one folder per database under it; ":memory:" keeps it in the process.
SEARCH_INDEX_DIR = os.environ.get("SEARCH_INDEX_DIR") or VAR_DIR / "search"

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "django_filters",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "simple_history",
    "axes",
    "csp",
    "documents",
    "measures",
    "search",
    # Last: its post_migrate handler gives the role groups the permissions every app above has created.
    "policybase",
]

MIDDLEWARE = [
    # First, so every log record of the request carries its id.
    "policybase.logs.RequestIdMiddleware",
    # Before the host check, HTTPS redirect and login: a probe asks by IP over plain HTTP.
    "policybase.health.HealthCheckMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "policybase.access.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes requires: turns a locked-out login into its lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "policybase.urls"
WSGI_APPLICATION = "policybase.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

DATABASES = {
    "default": database_config(
        os.environ.get("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'db.sqlite3'}",
        conn_max_age=60,
    )
}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTHENTICATION_BACKENDS = [
    # django-axes first: it refuses a locked-out login before the password is checked.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "/"

# An internal deployment can make every page and the API require a signed-in user
# (policybase/access.py); the health checks and static files stay open.
POLICYBASE_LOGIN_REQUIRED = env_flag("POLICYBASE_LOGIN_REQUIRED", default=False)

# Login throttling (django-axes): after AXES_FAILURE_LIMIT wrong passwords for one user name from one
# address, that pair is refused for the cool-off period (a Chinese page or JSON, status 429). Keying on the pair
# means one person's typos do not lock out a whole office behind one NAT address.
AXES_FAILURE_LIMIT = env_int("POLICYBASE_LOGIN_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = dt.timedelta(minutes=env_int("POLICYBASE_LOGIN_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "policybase.access.lockout_response"
AXES_CLIENT_IP_CALLABLE = "policybase.access.client_ip"
# How many reverse proxies in front of the app append to X-Forwarded-For (0: use the socket's address).
# The login lockout and the API's per-address rate count the client's address this way.
POLICYBASE_PROXY_COUNT = env_int("POLICYBASE_PROXY_COUNT", default=0)

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文")]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# Where the project's own copy of the seed corpus lives (see fixtures/seed_corpus/).
SEED_CORPUS_DIR = BASE_DIR / "fixtures" / "seed_corpus"

# Largest file the importer accepts; a policy document is rarely over 1 MB of text.
IMPORT_MAX_BYTES = 20 * 1024 * 1024
# An upload in the admin is parsed in a child process stopped after this many seconds, so a pathological
# file fails with a message instead of running into the web server's timeout.
IMPORT_PARSE_SECONDS = 60
# Files one upload may carry: each is parsed while the request waits.
IMPORT_UPLOAD_MAX_FILES = 20

REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "policybase.api.pagination.PageNumberPagination",
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PERMISSION_CLASSES": ["policybase.api.permissions.SiteAccess"],
    "DEFAULT_RENDERER_CLASSES": [
        "rest_framework.renderers.JSONRenderer",
        "rest_framework.renderers.BrowsableAPIRenderer",
    ],
    # Requests per client address (anonymous) or per user; over the rate: 429 with a Chinese message.
    "DEFAULT_THROTTLE_CLASSES": [
        "policybase.api.throttles.AnonRateThrottle",
        "policybase.api.throttles.UserRateThrottle",
    ],
    # "off": no limit (the benchmark, which is the load rather than a client to hold back).
    "DEFAULT_THROTTLE_RATES": {
        scope: None if rate == "off" else rate
        for scope, rate in {
            "anon": os.environ.get("POLICYBASE_API_RATE_ANON") or "120/minute",
            "user": os.environ.get("POLICYBASE_API_RATE_USER") or "600/minute",
        }.items()
    },
    # The client's address: without it DRF keys on the whole X-Forwarded-For, which a client writes itself.
    "NUM_PROXIES": POLICYBASE_PROXY_COUNT,
    "EXCEPTION_HANDLER": "policybase.api.exceptions.exception_handler",
    "PAGE_SIZE": 20,
    "UNICODE_JSON": True,
}

# Content-Security-Policy (django-csp). Scripts, styles, images and fonts come from the site itself
# (static files); no inline script and no eval anywhere. Styles also allow 'unsafe-inline': pages set a
# few style attributes (the compare table's column count, the admin and the browsable API's own markup)
# and two admin previews carry a <style> block. Being framed (as X-Frame-Options: DENY says too), plugins
# and foreign form targets are refused.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF, UNSAFE_INLINE],
        "img-src": [SELF],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}

SIMPLE_HISTORY_REVERT_DISABLED = False

# One JSON object per line on stdout, each with the request id of the request it was logged in
# (policybase/logs.py); gunicorn's access and error logs use the same format (policybase/gunicorn.conf.py).
# manage.py sets POLICYBASE_LOG_STREAM=stderr: a command's stdout is its output (dumpdata > file.json).
LOG_STREAM = "ext://sys.stderr" if os.environ.get("POLICYBASE_LOG_STREAM") == "stderr" else "ext://sys.stdout"
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "policybase.logs.RequestIdFilter"}},
    "formatters": {"json": {"()": "policybase.logs.JsonFormatter"}},
    "handlers": {
        "stdout": {
            "class": "logging.StreamHandler",
            "stream": LOG_STREAM,
            "filters": ["request_id"],
            "formatter": "json",
        }
    },
    "root": {"handlers": ["stdout"], "level": os.environ.get("LOG_LEVEL") or "INFO"},
    "loggers": {
        # Django's own handlers print to stderr in DEBUG and mail admins: send its records to the root instead.
        "django": {"handlers": [], "level": "INFO", "propagate": True},
        "jieba": {"level": "WARNING"},
        "axes.apps": {"level": "WARNING"},  # its start-up banner, on every manage.py command
    },
}

# The API contract: OpenAPI at /api/schema/, a browsable page at /api/docs/ (Swagger UI served from our own
# static files by drf-spectacular-sidecar, so the CSP needs no outside origin).
SPECTACULAR_SETTINGS = {
    "TITLE": "政策文本知识库 API",
    "DESCRIPTION": "只读 JSON 接口：政策文件、措施（含检索）、主题。筛选参数与页面相同；错误以 JSON 返回中文说明。",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}

# Exports running at once per user or address, and anonymous exports per address and hour (policybase/limits.py).
POLICYBASE_EXPORTS_AT_ONCE = int(os.environ.get("POLICYBASE_EXPORTS_AT_ONCE") or 2)
POLICYBASE_ANONYMOUS_EXPORTS_PER_HOUR = int(os.environ.get("POLICYBASE_ANONYMOUS_EXPORTS_PER_HOUR") or 30)
