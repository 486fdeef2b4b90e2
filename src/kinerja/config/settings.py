"""Settings for Kinerja, read from environment variables.

Every variable is documented in the README ("Configuration"). Two modes exist:

* demo / debug (``KINERJA_DEMO=1`` set by ``kinerja demo``, or ``KINERJA_DEBUG=1``): a secret
  key is generated once and kept in the data folder, e-mail goes to the console;
* production (anything else): ``KINERJA_SECRET_KEY`` is required and the process refuses to
  start without it.
"""

from __future__ import annotations

import datetime as dt
import os
import secrets
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

PACKAGE_DIR = Path(__file__).resolve().parent.parent


def env(name: str, default: str | None = None) -> str | None:
    value = os.environ.get(f"KINERJA_{name}")
    return default if value in (None, "") else value


def env_bool(name: str, default: bool = False) -> bool:
    value = env(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on", "ya"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in (env(name, default) or "").split(",") if item.strip()]


DEMO = env_bool("DEMO")
DEBUG = env_bool("DEBUG")
# benchmarks/scale.py: answers /_bench/floor/ (a trivial page, the benchmark's floor)
KINERJA_BENCHMARK = env_bool("BENCHMARK")

DATA_DIR = Path(env("DATA_DIR", "var") or "var").resolve()
MEDIA_ROOT = Path(env("MEDIA_ROOT", str(DATA_DIR / "files")) or "").resolve()
STATIC_ROOT = Path(env("STATIC_ROOT", str(DATA_DIR / "static")) or "").resolve()


def _secret_key() -> str:
    key = env("SECRET_KEY")
    if key:
        return key
    if DEMO or DEBUG:
        # Demo and debug only: a random key kept in the data folder so sessions survive a
        # restart of `kinerja demo`.
        path = DATA_DIR / "secret_key"
        if path.exists():
            return path.read_text().strip()
        DATA_DIR.mkdir(parents=True, exist_ok=True)
        key = secrets.token_urlsafe(50)
        path.write_text(key)
        path.chmod(0o600)
        return key
    raise ImproperlyConfigured(
        "KINERJA_SECRET_KEY belum diatur. Atur variabel lingkungan KINERJA_SECRET_KEY "
        "(rahasia acak, misalnya hasil "
        "`python -c 'import secrets; print(secrets.token_urlsafe(50))'`) "
        "sebelum menjalankan Kinerja di luar mode demo. / KINERJA_SECRET_KEY is not set: set it "
        "to a long random secret before running Kinerja outside demo mode."
    )


SECRET_KEY = _secret_key()

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
# The public address used in links inside e-mails and on printed documents (QR codes).
SITE_URL = (env("SITE_URL", "http://127.0.0.1:8000") or "").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_htmx",
    "csp",
    "django_tasks",
    "django_tasks_db",
    "kinerja.core",
    "kinerja.accounts",
    "kinerja.organization",
    "kinerja.workcalendar",
    "kinerja.sop",
    "kinerja.workflow",
    "kinerja.performance",
    "kinerja.reports",
    "kinerja.notifications",
    "kinerja.web",
    "kinerja.api",
    "kinerja.demo",
    "ninja",  # the API's reference page (Swagger UI from the package's static files)
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "kinerja.core.bodylimit.RequestBodyLimitMiddleware",  # 413 before the body is read
    "kinerja.core.middleware.AuditSourceMiddleware",  # the API's token, forgotten after
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "kinerja.accounts.middleware.UserLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "kinerja.core.middleware.BadInputMiddleware",
    "kinerja.api.middleware.IdempotencyMiddleware",  # a retried API POST: the first answer
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

# Paths whose errors are the API's JSON shape, not an HTML page (kinerja.core.middleware).
JSON_ERROR_PATH_PREFIXES = ("/api/",)

ROOT_URLCONF = "kinerja.config.urls"
WSGI_APPLICATION = "kinerja.config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "kinerja.web.context_processors.nav",
            ],
        },
    }
]

DATABASES = {
    "default": dj_database_url.parse(
        env("DATABASE_URL", f"sqlite:///{DATA_DIR / 'kinerja.sqlite3'}") or "",
        conn_max_age=int(env("DB_CONN_MAX_AGE", "60") or 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL + a busy timeout let the web server and the worker share one SQLite file.
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "kinerja.accounts.backends.UsernameOrNipBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "login"

# Lockout (kinerja.accounts.lockout): failed sign-ins and reset requests are counted per
# account (whatever spelling of the username or NIP) and per client address; reaching either
# limit within the cool-off time locks the account or the address until it has passed.
LOGIN_FAILURE_LIMIT = int(env("LOGIN_FAILURE_LIMIT", "5") or 5)
LOGIN_FAILURE_LIMIT_PER_ADDRESS = int(env("LOGIN_FAILURE_LIMIT_PER_ADDRESS", "30") or 30)
LOGIN_COOLOFF = dt.timedelta(hours=float(env("LOGIN_COOLOFF_HOURS", "0.5") or 0.5))
PASSWORD_RESET_TIMEOUT = int(float(env("PASSWORD_RESET_HOURS", "24") or 24) * 3600)

LANGUAGE_CODE = "id"
LANGUAGES = [("id", _("Bahasa Indonesia")), ("en", _("English"))]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = env("TIME_ZONE", "Asia/Makassar") or "Asia/Makassar"

STATIC_URL = "static/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
if DEBUG:
    STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
# Bootstrap comes from the xstatic-bootstrap package (PyPI), served as /static/bootstrap/...
import xstatic.pkg.bootstrap  # noqa: E402

STATICFILES_DIRS = [("bootstrap", xstatic.pkg.bootstrap.BASE_DIR)]
STATICFILES_FINDERS = [
    "django.contrib.staticfiles.finders.FileSystemFinder",
    "django.contrib.staticfiles.finders.AppDirectoriesFinder",
]
# An optional logo (PNG/JPEG) printed in the header of generated documents.
KINERJA_LOGO_PATH = env("LOGO_PATH")

# Uploaded files (evidence, report materials) live outside the static root and are served
# only through views that check access.
MEDIA_URL = None  # never served directly
FILE_UPLOAD_PERMISSIONS = 0o640
KINERJA_MAX_UPLOAD_MB = int(env("MAX_UPLOAD_MB", "10") or 10)
# Limits on what people send (docs/limits.md): files as unpacked, rows and cells of an
# import, the anonymous verification upload, and any request body.
KINERJA_MAX_UNPACKED_MB = int(env("MAX_UNPACKED_MB", "50") or 50)
KINERJA_MAX_IMPORT_ROWS = int(env("MAX_IMPORT_ROWS", "20000") or 20000)
KINERJA_MAX_IMPORT_CELLS = int(env("MAX_IMPORT_CELLS", "500000") or 500000)
KINERJA_MAX_VERIFY_MB = int(env("MAX_VERIFY_MB", "20") or 20)
KINERJA_MAX_REQUEST_MB = int(env("MAX_REQUEST_MB", "100") or 100)
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
# Uploaded files above this size go to a temporary file, never whole into memory.
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024

# E-mail: SMTP when KINERJA_EMAIL_HOST is set, the console otherwise (demo).
EMAIL_HOST = env("EMAIL_HOST")
if EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_PORT = int(env("EMAIL_PORT", "587") or 587)
    EMAIL_HOST_USER = env("EMAIL_USER", "") or ""
    EMAIL_HOST_PASSWORD = env("EMAIL_PASSWORD", "") or ""
    EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
    EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
    EMAIL_TIMEOUT = 20
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
DEFAULT_FROM_EMAIL = env("EMAIL_FROM", "kinerja@localhost")

# Background work through Django's tasks interface, stored in the database (no broker).
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False  # htmx reads the token from the page, not the cookie
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
# Content-Security-Policy on every response (django-csp): scripts, styles and everything
# else from this site only; no inline scripts, on*= handlers or style= attributes (the
# templates have none: behaviour in static/kinerja/kinerja.js, styles in kinerja.css);
# no framing by other sites; forms post to this site only.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    }
}

# Behind a reverse proxy: its address(es) or networks. `kinerja serve` then takes the client
# address from X-Forwarded-For and the scheme from X-Forwarded-Proto of requests from them
# (and strips those headers from everyone else); see kinerja.core.proxy and docs/security.md.
TRUSTED_PROXIES = env_list("TRUSTED_PROXY")
if not (DEMO or DEBUG):
    SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", True)
    CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    # HSTS: browsers keep to https for this host once they saw it over https (production only).
    SECURE_HSTS_SECONDS = int(env("HSTS_SECONDS", "31536000") or 0)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("HSTS_INCLUDE_SUBDOMAINS", False)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "INFO")},
    "loggers": {"waitress.queue": {"level": "ERROR"}},
}
