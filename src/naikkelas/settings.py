"""Settings, all read from the environment so one build serves a laptop, CI and production.

DEBUG defaults to off; `make demo` and the test suite switch it as they need. Production is
`NAIKKELAS_ENV=production`, which turns on every transport-security setting `check --deploy` asks for.
"""

import os
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

PACKAGE_DIR = Path(__file__).resolve().parent
VAR_DIR = Path(os.environ.get("NAIKKELAS_VAR", Path.cwd() / "var"))


def env_bool(name: str, default: bool = False) -> bool:
    return os.environ.get(name, str(default)).strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


PRODUCTION = os.environ.get("NAIKKELAS_ENV", "development") == "production"
DEBUG = env_bool("DEBUG", False)

# A development key is fine on a laptop; production refuses to start without a real one.
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if PRODUCTION:
        raise RuntimeError("SECRET_KEY must be set in production")
    SECRET_KEY = "dev-only-naikkelas-not-secret-" + "x" * 40

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "" if PRODUCTION else "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "ninja",
    "django_tasks",
    "django_tasks_db",
    "naikkelas.core",
    "naikkelas.regions",
    "naikkelas.accounts",
    "naikkelas.registry",
    "naikkelas.ledger",
    "naikkelas.catalog",
    "naikkelas.orders",
    "naikkelas.payments",
    "naikkelas.partners",
    "naikkelas.earlywarning",
    "naikkelas.dashboard",
    "naikkelas.privacy",
    "naikkelas.demo",
]

MIDDLEWARE = [
    # Outermost: every request gets its id and its one log line, whatever answers it.
    "naikkelas.core.middleware.RequestIdMiddleware",
    # Above WhiteNoise, so the static files it answers with carry the policy too (an SVG opened on its own is a page).
    "naikkelas.core.middleware.SecurityHeadersMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "naikkelas.core.middleware.LanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    # A view that loses the database answers 503 (its process_exception runs after those below it).
    "naikkelas.core.middleware.DatabaseUnavailableMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "naikkelas.urls"
WSGI_APPLICATION = "naikkelas.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
            ],
        },
    },
]


def database_config() -> dict:
    url = os.environ.get("DATABASE_URL", "")
    if url:
        return dj_database_url.parse(url, conn_max_age=60, conn_health_checks=True)
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    return {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": VAR_DIR / "naikkelas.sqlite3",
        # Kept open between requests like PostgreSQL's: SQLite's page cache belongs to the connection, so a
        # new one per request would read the search index's upper pages again every time.
        "CONN_MAX_AGE": 60,
        "CONN_HEALTH_CHECKS": True,
        "OPTIONS": {
            # WAL lets readers run beside the one writer; IMMEDIATE takes the write lock at BEGIN so two
            # writers queue on the busy timeout instead of failing with "database is locked" mid-transaction.
            # Reads go through a memory map of the file (no copy into the page cache) up to 1 GiB.
            "init_command": (
                "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON; "
                "PRAGMA mmap_size=1073741824; PRAGMA cache_size=-16000;"
            ),
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
        },
    }


DATABASES = {"default": database_config()}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Background work: django-tasks with its database backend (no broker); `naikkelas worker` runs it.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
# Background jobs (core/jobs.py): attempts per job, the first retry's wait (×4 each time, capped), and how long a
# RUNNING job may go without a result before its worker is taken for dead.
TASK_MAX_ATTEMPTS = int(os.environ.get("TASK_MAX_ATTEMPTS", 5))
TASK_RETRY_BASE_SECONDS = float(os.environ.get("TASK_RETRY_BASE_SECONDS", 30))
TASK_RETRY_CAP_SECONDS = float(os.environ.get("TASK_RETRY_CAP_SECONDS", 3600))
TASK_LEASE_SECONDS = float(os.environ.get("TASK_LEASE_SECONDS", 1800))
# Who reacts to the events services write in the outbox (core/outbox.py), as dotted paths: core imports no edge.
OUTBOX_CONSUMERS = [
    "naikkelas.partners.webhooks.consume", "naikkelas.earlywarning.tasks.consume", "naikkelas.dashboard.tasks.consume",
    "naikkelas.core.housekeeping.consume",
]
# Retention limits, applied each night at 03:00 by the worker (core/housekeeping.py) or by `purge_expired`.
HOUSEKEEPING = [
    "naikkelas.accounts.services.otp_purge",  # one-time-code challenges a day after they expired
    "naikkelas.core.ratelimit.purge_old",  # rate-limit counters after a day
    "naikkelas.core.idempotency.idempotency_purge",  # partners' stored answers (buyers' details) after 24 h
    "naikkelas.core.housekeeping.clear_sessions",  # expired sessions
    "naikkelas.registry.importing.batches.import_batches_expire",  # uploads left in preview for a week
    "naikkelas.ledger.uploads.purge_old",  # owners' cash-book uploads never committed, after a day
    "naikkelas.privacy.services.erased_purge",  # erased owners' books after the ten years the law keeps them
]
# Set during a personal-data breach: housekeeping would delete evidence (docs/OPERATIONS.md).
HOUSEKEEPING_PAUSED = env_bool("HOUSEKEEPING_PAUSED", False)
# Webhooks to partners (partners/webhooks.py): the n-th failure in a row waits base × 2^(n−1) s (capped);
# switched off after WEBHOOK_MAX_FAILURES in a row; never into a private network in production.
WEBHOOK_RETRY_BASE_SECONDS = float(os.environ.get("WEBHOOK_RETRY_BASE_SECONDS", 30))
WEBHOOK_RETRY_CAP_SECONDS = float(os.environ.get("WEBHOOK_RETRY_CAP_SECONDS", 6 * 60 * 60))
WEBHOOK_MAX_FAILURES = int(os.environ.get("WEBHOOK_MAX_FAILURES", 10))
WEBHOOK_TIMEOUT_SECONDS = float(os.environ.get("WEBHOOK_TIMEOUT_SECONDS", 5))
WEBHOOK_ALLOW_PRIVATE_URLS = env_bool("WEBHOOK_ALLOW_PRIVATE_URLS", not PRODUCTION)
# Requests per minute per partner API key.
PARTNER_API_RATE_LIMIT = int(os.environ.get("PARTNER_API_RATE_LIMIT", 600))
# Catalogue sync stops this many seconds before now, so a change committed late is not skipped.
PARTNER_SYNC_SETTLE_SECONDS = int(os.environ.get("PARTNER_SYNC_SETTLE_SECONDS", 10))
# Told (mail_admins) when a partner's webhook is switched off after repeated failure: comma-separated addresses.
ADMINS = [("", address) for address in env_list("ADMINS")]
SERVER_EMAIL = os.environ.get("SERVER_EMAIL", "naikkelas@localhost")
EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend" if PRODUCTION else "django.core.mail.backends.console.EmailBackend",
)
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", 25))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = ["naikkelas.accounts.backends.PhoneBackend"]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "id"
LANGUAGES = [("id", _("Bahasa Indonesia")), ("en", _("English"))]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
USE_I18N = True
USE_TZ = True
# Stored in UTC; shown in each business's own zone. The server default is WIB, where most businesses are.
TIME_ZONE = "Asia/Jakarta"

STATIC_URL = "/static/"
STATICFILES_DIRS = [PACKAGE_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", VAR_DIR / "static"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = not PRODUCTION
if not PRODUCTION:
    STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # WhiteNoise serves from finders here; it wants the folder.
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
# The early-warning snapshot (earlywarning/snapshot.py): Parquet files the engine reads.
SNAPSHOT_DIR = Path(os.environ.get("SNAPSHOT_DIR", VAR_DIR / "snapshot"))
MEDIA_URL = "/media/"

# Uploaded spreadsheets are streamed to disk, never held in memory.
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
IMPORT_MAX_BYTES = int(os.environ.get("IMPORT_MAX_BYTES", 200 * 1024 * 1024))

# One-time codes: where they go. Console on a laptop; a file for tests and the demo; a provider in production.
SMS_BACKEND = os.environ.get("SMS_BACKEND", "naikkelas.accounts.sms.ConsoleBackend")
SMS_FILE_PATH = Path(os.environ.get("SMS_FILE_PATH", VAR_DIR / "sms"))

# Keys for identity numbers (NIK). Comma-separated Fernet keys, newest first, so keys can rotate.
# Without them a key is derived from SECRET_KEY, which is fine for development only.
NIK_ENCRYPTION_KEYS = env_list("NIK_ENCRYPTION_KEYS")
NIK_HASH_KEY = os.environ.get("NIK_HASH_KEY", "")
if PRODUCTION and (not NIK_ENCRYPTION_KEYS or not NIK_HASH_KEY):
    raise RuntimeError("NIK_ENCRYPTION_KEYS and NIK_HASH_KEY must be set in production")

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
# Every page's scripts and stylesheets are files of this site: no inline <script>, no on…= handlers, no style=
# attributes or <style> blocks (tests/core/test_security_headers.py keeps it so). The Django admin and the API
# docs (Swagger UI from django-ninja's static files) work under it as they are. core.middleware sets it.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; object-src 'none'; base-uri 'self'; frame-ancestors 'none'; "
    "form-action 'self'; img-src 'self' data:; style-src 'self'"
)
# Proxies in front that append the client's address to X-Forwarded-For (rate limits count per client):
# production runs behind one (it also terminates HTTPS); without one the header is the client's own words.
TRUSTED_PROXY_HOPS = int(os.environ.get("TRUSTED_PROXY_HOPS", 1 if PRODUCTION else 0))
# Browser features no page uses. Photos are chosen with a file input, which needs no camera permission.
PERMISSIONS_POLICY = (
    "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), microphone=(), payment=(), usb=()"
)
if PRODUCTION:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    LANGUAGE_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", 31536000))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

# Reports of server errors (mailed to ADMINS) keep the traceback but no POST value or local variable.
DEFAULT_EXCEPTION_REPORTER_FILTER = "naikkelas.core.reporting.PrivateExceptionReporterFilter"
# One JSON object per line on stderr (core.logging): every record carries the request id while a request runs,
# and NIK-like and phone-like numbers are masked on every handler. `naikkelas.request` writes one line per
# request (core.middleware.RequestIdMiddleware) whatever LOG_LEVEL says.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "request_id": {"()": "naikkelas.core.logging.RequestIdFilter"},
        "mask_personal_data": {"()": "naikkelas.core.logging.MaskPersonalDataFilter"},
    },
    "formatters": {"json": {"()": "naikkelas.core.logging.JsonFormatter"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stderr",
            "formatter": "json",
            "filters": ["request_id", "mask_personal_data"],
        },
    },
    "loggers": {
        "naikkelas.request": {"handlers": ["console"], "level": "INFO", "propagate": False},
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}
