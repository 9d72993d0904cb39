"""Production: secrets, database and hosts from the environment with no default; HTTPS only.

Required: ``SECRET_KEY``, ``DATABASE_URL``, ``ALLOWED_HOSTS``; a missing one stops the start with one
line saying what to set. The server (gunicorn on 127.0.0.1) sits behind a reverse proxy that terminates
TLS and sets ``X-Forwarded-Proto``. Every optional variable is listed in docs/operations.md.
"""

from .base import *  # noqa: F403
from .base import VAR_DIR
from .environ import database_config, env_flag, env_int, env_list, env_required

DEBUG = False
SECRET_KEY = env_required(
    "SECRET_KEY",
    zh="设为至少 50 个字符的随机串，如 python -c 'import secrets; print(secrets.token_urlsafe(50))' 的输出",
    en="set it to 50+ random characters, e.g. the output of python -c 'import secrets; print(secrets.token_urlsafe(50))'",
)
DATABASES = {
    "default": database_config(
        env_required(
            "DATABASE_URL",
            zh="如 postgres://用户:密码@127.0.0.1:5432/policybase 或 sqlite:////srv/policybase/db.sqlite3",
            en="e.g. postgres://user:password@127.0.0.1:5432/policybase or sqlite:////srv/policybase/db.sqlite3",
        ),
        conn_max_age=600,
    )
}
env_required(
    "ALLOWED_HOSTS",
    zh="网站的域名，多个用逗号分隔，如 policy.example.cn,127.0.0.1",
    en="the site's host names, comma-separated, e.g. policy.example.cn,127.0.0.1",
)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

# HTTPS. The proxy in front sets X-Forwarded-Proto: https (and overwrites one a client sent), so Django
# knows the request came in over TLS. Behind a proxy that already redirects http:// to https://, Django's
# own redirect may be turned off with POLICYBASE_SSL_REDIRECT=0; check --deploy then stays quiet about it.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_flag("POLICYBASE_SSL_REDIRECT", default=True)
SECURE_HSTS_SECONDS = env_int("POLICYBASE_HSTS_SECONDS", default=365 * 24 * 3600)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_flag("POLICYBASE_HSTS_INCLUDE_SUBDOMAINS", default=True)
SECURE_HSTS_PRELOAD = env_flag("POLICYBASE_HSTS_PRELOAD", default=True)
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_CONTENT_TYPE_NOSNIFF = True

# A deliberate choice made in the environment is not a warning.
SILENCED_SYSTEM_CHECKS = [
    *(["security.W008"] if not SECURE_SSL_REDIRECT else []),
    *(["security.W004"] if not SECURE_HSTS_SECONDS else []),
]

# Client addresses for the login lockout and the API rate: the proxy appends the client's to X-Forwarded-For.
POLICYBASE_PROXY_COUNT = env_int("POLICYBASE_PROXY_COUNT", default=1)
REST_FRAMEWORK = {**REST_FRAMEWORK, "NUM_PROXIES": POLICYBASE_PROXY_COUNT}  # noqa: F405

# API throttling counts per client across every gunicorn worker: the counters live in files, not in one
# worker's memory.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": str(VAR_DIR / "cache"),
    }
}
