"""Settings for imp-assess, all read from environment variables.

Embedded default (no DATABASE_URL, no REDIS_URL): SQLite in the project folder,
Celery tasks run eagerly in-process, local-memory cache. Production and CI set
DATABASE_URL (PostgreSQL) and REDIS_URL (Celery broker, result backend, cache).
See the configuration table in README.md.
"""

import datetime
import os
import re
import tempfile
import zoneinfo
from pathlib import Path
from typing import Any

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from imp_assess.env import env_bool, env_email_url, env_int, env_list, env_str

# python-pptx (the briefing deck) brings lxml, with which openpyxl would write every XLSX cell
# through lxml and skip the data export's fast row path (exports/xlsx.py): 2.7 times slower.
# openpyxl reads this when first imported, so it is set before any app loads.
os.environ.setdefault("OPENPYXL_LXML", "False")

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = env_bool("DEBUG", default=False)

# Only a DEBUG (development) process may run without a real key.
_DEV_ONLY_SECRET_KEY = "dev-only-insecure-key-never-use-in-production"  # noqa: S105
SECRET_KEY = env_str("SECRET_KEY") or (_DEV_ONLY_SECRET_KEY if DEBUG else None)
if not SECRET_KEY:
    raise ImproperlyConfigured(
        "SECRET_KEY must be set when DEBUG is off. Generate one with: "
        "python -c 'import secrets; print(secrets.token_urlsafe(50))'"
    )

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"] if DEBUG else [])
if not DEBUG and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS must be set when DEBUG is off (comma-separated).")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
for _origin in CSRF_TRUSTED_ORIGINS:
    if not _origin.startswith(("http://", "https://")):
        raise ImproperlyConfigured(
            f"CSRF_TRUSTED_ORIGINS entry {_origin!r} must start with http:// or https://."
        )

TIME_ZONE = env_str("TIME_ZONE", "UTC")
try:
    zoneinfo.ZoneInfo(TIME_ZONE)
except (zoneinfo.ZoneInfoNotFoundError, ValueError):
    raise ImproperlyConfigured(f"TIME_ZONE={TIME_ZONE!r} is not a known time zone.") from None
USE_TZ = True

INSTALLED_APPS = [
    "security.admin_config.OTPAdminConfig",  # django.contrib.admin with the OTP admin site
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",  # recovery codes
    "csp",
    "crispy_forms",
    "crispy_bootstrap5",
    "simple_history",
    "health",
    "missions",
    "questionnaires",
    "assessments",
    "scoring",
    "actions",
    "dashboards",
    "exports",
    "notifications",
    "security",
    "home",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "api",
    "webhooks",
    "demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Pages compressed (WhiteNoise serves static files precompressed): on a team site's
    # slow link an answer page moves a fifth of its bytes. Django's gzip pads each response
    # at random against BREACH, and CSRF tokens are masked per response.
    "django.middleware.gzip.GZipMiddleware",
    # After WhiteNoise: static files keep their caching, everything else is no-store.
    "security.middleware.NoStoreMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # The profile's language wins over the browser's (LocaleMiddleware above).
    "security.middleware.UserLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "security.middleware.SessionPolicyMiddleware",
    "security.middleware.SecondFactorMiddleware",
    "security.middleware.NoRoleMiddleware",
    "security.middleware.RefusedAccessLogMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes asks: it answers locked-out log-in attempts.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "imp_assess.urls"
WSGI_APPLICATION = "imp_assess.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "missions.context_processors.navigation",
                "notifications.context_processors.unread",
            ],
        },
    },
]

# --- Database -----------------------------------------------------------------
DATABASE_URL = env_str("DATABASE_URL")
if DATABASE_URL:
    try:
        _database: dict[str, Any] = dict(
            dj_database_url.parse(
                DATABASE_URL, conn_max_age=env_int("DB_CONN_MAX_AGE", 60, minimum=0)
            )
        )
    except ValueError as exc:
        raise ImproperlyConfigured(f"DATABASE_URL is not understood: {exc}") from None
else:
    _database = {"ENGINE": "django.db.backends.sqlite3", "NAME": BASE_DIR / "db.sqlite3"}
# --- SQLite (the embedded default) under concurrent users -----------------------
# WAL lets readers go on while one writer writes; IMMEDIATE takes the write lock at the
# start of every transaction (a deferred one that reads first and writes later fails with
# "database is locked" instead of waiting); the busy timeout is how long a writer waits.
if _database["ENGINE"] == "django.db.backends.sqlite3":
    _database.setdefault("OPTIONS", {}).update(
        {
            "transaction_mode": "IMMEDIATE",
            "timeout": env_int("SQLITE_BUSY_TIMEOUT", 20, minimum=1),
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )
    # Tests use a file too (not :memory:), so that the live server's threads each have
    # their own connection, as under runserver.
    _database.setdefault("TEST", {})["NAME"] = str(
        Path(tempfile.gettempdir()) / f"imp-assess-test-{os.getpid()}.sqlite3"
    )
# Reconnect transparently after a database restart instead of failing requests.
_database["CONN_HEALTH_CHECKS"] = True
_database["ATOMIC_REQUESTS"] = False
DATABASES = {"default": _database}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Redis: cache and Celery --------------------------------------------------
REDIS_URL = env_str("REDIS_URL")
if REDIS_URL and not REDIS_URL.startswith(("redis://", "rediss://", "unix://")):
    raise ImproperlyConfigured("REDIS_URL must start with redis://, rediss:// or unix://.")

if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "imp-assess",
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Celery (read by imp_assess/celery.py through the CELERY_ namespace).
# At-least-once delivery: a task is acknowledged only after it finished, and is
# redelivered if the worker dies; every task is written to be safe to run twice.
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = REDIS_URL or "cache+memory://"
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_SOFT_TIME_LIMIT = env_int("CELERY_TASK_SOFT_TIME_LIMIT", 300, minimum=1)
CELERY_TASK_TIME_LIMIT = env_int("CELERY_TASK_TIME_LIMIT", 360, minimum=1)
if CELERY_TASK_TIME_LIMIT <= CELERY_TASK_SOFT_TIME_LIMIT:
    raise ImproperlyConfigured("CELERY_TASK_TIME_LIMIT must exceed CELERY_TASK_SOFT_TIME_LIMIT.")
# Redis redelivers an unacknowledged task after the visibility timeout; it must
# be longer than the longest task (the hard time limit), or a slow task would be
# run twice while still running.
CELERY_VISIBILITY_TIMEOUT = env_int("CELERY_VISIBILITY_TIMEOUT", 3600, minimum=1)
if CELERY_VISIBILITY_TIMEOUT <= CELERY_TASK_TIME_LIMIT:
    raise ImproperlyConfigured("CELERY_VISIBILITY_TIMEOUT must exceed CELERY_TASK_TIME_LIMIT.")
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": CELERY_VISIBILITY_TIMEOUT,
    # Look for expired unacknowledged messages every N seconds (kombu's default
    # throttle would make it ten times longer).
    "unacked_restore_interval": env_int("CELERY_UNACKED_RESTORE_INTERVAL", 10, minimum=1),
    "unacked_restore_throttle": 1,
}
CELERY_RESULT_BACKEND_TRANSPORT_OPTIONS = {"visibility_timeout": CELERY_VISIBILITY_TIMEOUT}
CELERY_RESULT_EXPIRES = 24 * 3600
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TASK_TRACK_STARTED = True
# A separate queue name lets a benchmark or a second deployment share one Redis.
CELERY_TASK_DEFAULT_QUEUE = env_str("CELERY_TASK_DEFAULT_QUEUE", "celery")
CELERY_TIMEZONE = TIME_ZONE
CELERY_ENABLE_UTC = True
# Periodic schedules are declared in one place: imp_assess/schedules.py.
# A scoring request with no result after this long is considered lost and re-sent.
SCORING_SWEEP_AFTER_SECONDS = env_int("SCORING_SWEEP_AFTER_SECONDS", 180, minimum=0)

# --- Auth ---------------------------------------------------------------------
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # refuses locked-out username + address pairs
    # Django's ModelBackend, closed to all but the break-glass accounts when
    # LOCAL_PASSWORD_LOGIN=0.
    "security.backends.LocalPasswordBackend",
    # Organisation sign-in (OpenID Connect): answers only its own callback view.
    "security.oidc.OrganisationBackend",
]
# Login throttling (django-axes): lock a username + address pair after N failures.
AXES_ENABLED = env_bool("AXES_ENABLED", default=True)
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5, minimum=1)
AXES_COOLOFF_TIME = datetime.timedelta(minutes=env_int("AXES_COOLOFF_MINUTES", 30, minimum=1))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "security/locked_out.html"
# --- Client address behind a proxy, and the address-only rule (password spraying) ----
# The header our reverse proxy sets (e.g. X-Forwarded-For) and how many proxies of ours
# append to it; unset: REMOTE_ADDR. Read by security/network.py for axes and the log.
TRUSTED_PROXY_HEADER = env_str("TRUSTED_PROXY_HEADER", "")
if TRUSTED_PROXY_HEADER and not re.fullmatch(r"[A-Za-z0-9-]+", TRUSTED_PROXY_HEADER):
    raise ImproperlyConfigured(
        f"TRUSTED_PROXY_HEADER={TRUSTED_PROXY_HEADER!r} is not a header name "
        "(e.g. X-Forwarded-For)."
    )
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 1, minimum=1)
AXES_CLIENT_IP_CALLABLE = "security.network.client_ip"
# Failures from one address across every username before that address is locked.
AXES_ADDRESS_FAILURE_LIMIT = env_int("AXES_ADDRESS_FAILURE_LIMIT", 20, minimum=1)
AXES_HANDLER = "security.throttling.AxesHandler"
# Sessions: a new key at login (Django), an idle timeout and an absolute lifetime.
SESSION_IDLE_TIMEOUT = env_int("SESSION_IDLE_TIMEOUT", 1800, minimum=60)
SESSION_ABSOLUTE_LIFETIME = env_int("SESSION_ABSOLUTE_LIFETIME", 12 * 3600, minimum=60)
# Second factor (TOTP, with recovery codes) for HQ analysts, administrators and staff:
# on by default whenever DEBUG is off; OTP_REQUIRED_FOR_HQ=0 turns it off for a pilot.
# Anyone may enrol; whoever did must always use it.
OTP_REQUIRED_FOR_HQ = env_bool("OTP_REQUIRED_FOR_HQ", default=not DEBUG)
OTP_TOTP_ISSUER = "imp-assess"
SECURITY_LOG_RETENTION_DAYS = env_int("SECURITY_LOG_RETENTION_DAYS", 365, minimum=1)
# --- Organisation sign-in (OpenID Connect; security/oidc.py, docs/deployment.md) ---------
# On only when the issuer and client id are set; otherwise the login page is the local form.
OIDC_ISSUER = env_str("OIDC_ISSUER", "").rstrip("/")
OIDC_RP_CLIENT_ID = env_str("OIDC_CLIENT_ID", "")
OIDC_ENABLED = bool(OIDC_ISSUER and OIDC_RP_CLIENT_ID)
OIDC_RP_CLIENT_SECRET = env_str("OIDC_CLIENT_SECRET", "")
OIDC_DISCOVERY_URL = env_str("OIDC_DISCOVERY_URL", "") or (
    f"{OIDC_ISSUER}/.well-known/openid-configuration" if OIDC_ISSUER else ""
)
OIDC_RP_SCOPES = env_str("OIDC_SCOPES", "openid email profile")
# The claim that carries the provider's app roles (Entra: "roles") or groups ("groups").
OIDC_ROLES_CLAIM = env_str("OIDC_ROLES_CLAIM", "roles")
# The stable subject an account is keyed by: "sub" (any provider) or "oid" (Entra ID).
OIDC_SUBJECT_CLAIM = env_str("OIDC_SUBJECT_CLAIM", "sub")
OIDC_ROLE_MAPPING_FILE = env_str("OIDC_ROLE_MAPPING_FILE", "")
# acr values that mean a multi-factor sign-in (besides "mfa" in amr); empty: amr only.
OIDC_MFA_ACR_VALUES = env_list("OIDC_MFA_ACR", [])
# Seconds of clock difference with the provider accepted on exp, iat and nbf.
OIDC_CLOCK_SKEW = env_int("OIDC_CLOCK_SKEW", 60, minimum=0)
OIDC_TIMEOUT = env_int("OIDC_TIMEOUT", 10, minimum=1)
# Whom a signed-in person without any imp-assess role should ask (shown on their page).
OIDC_ACCESS_CONTACT = env_str("OIDC_ACCESS_CONTACT", "")
OIDC_RP_SIGN_ALGO = "RS256"
OIDC_USE_PKCE = True
OIDC_USE_NONCE = True
OIDC_AUTHENTICATION_CALLBACK_URL = "oidc_callback"
if OIDC_ENABLED:
    if not OIDC_RP_CLIENT_SECRET:
        raise ImproperlyConfigured("OIDC_CLIENT_SECRET must be set when OIDC_CLIENT_ID is.")
    if not OIDC_ROLE_MAPPING_FILE or not Path(OIDC_ROLE_MAPPING_FILE).is_file():
        raise ImproperlyConfigured(
            f"OIDC_ROLE_MAPPING_FILE={OIDC_ROLE_MAPPING_FILE!r} must name the role mapping "
            "file (YAML) when OIDC_CLIENT_ID is set (docs/deployment.md)."
        )
    if not OIDC_ISSUER.startswith(("https://", "http://")):
        raise ImproperlyConfigured("OIDC_ISSUER must start with https://.")
# Local password sign-in; 0 keeps it only for the break-glass accounts named below.
LOCAL_PASSWORD_LOGIN = env_bool("LOCAL_PASSWORD_LOGIN", default=True)
BREAK_GLASS_ACCOUNTS = env_list("BREAK_GLASS_ACCOUNTS", [])

CSRF_FAILURE_VIEW = "imp_assess.views.csrf_failure"  # JSON 403 for fetch/XHR
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# --- E-mail (password reset, notifications) ----------------------------------
# EMAIL_URL: smtp+tls://user:password@host:587, smtps://…, smtp://… or console:.
# Unset: e-mails are written to the console (the embedded default); `check --deploy`
# warns about it when DEBUG is off.
_email = env_email_url("EMAIL_URL")
EMAIL_CONFIGURED = _email is not None
_email = _email or {"EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend"}
EMAIL_BACKEND = _email["EMAIL_BACKEND"]
EMAIL_HOST = _email.get("EMAIL_HOST", "localhost")
EMAIL_PORT = _email.get("EMAIL_PORT", 25)
EMAIL_HOST_USER = _email.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = _email.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = _email.get("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = _email.get("EMAIL_USE_SSL", False)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "imp-assess <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 10, minimum=1)
# The address users reach the site at: links in notification e-mails are absolute.
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
if not SITE_URL.startswith(("http://", "https://")):
    raise ImproperlyConfigured("SITE_URL must start with http:// or https://.")
PASSWORD_RESET_TIMEOUT = env_int("PASSWORD_RESET_TIMEOUT", 3600, minimum=300)

# --- Internationalisation -----------------------------------------------------
LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("fr", _("French"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
# Dates in each language's own format (imp_assess/formats: ISO dates in English).
FORMAT_MODULE_PATH = ["imp_assess.formats"]
USE_I18N = True

# --- Static files (served by WhiteNoise; no CDN) ------------------------------
STATIC_URL = "static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT") or BASE_DIR / "staticfiles")
# The dashboards' plotly.js is a partial bundle in static/vendor/plotly-dashboards/.
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES: dict[str, dict[str, Any]] = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# --- Security -----------------------------------------------------------------
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=not DEBUG)
# Behind a TLS-terminating proxy (nginx, a load balancer) that sets this header.
if env_bool("SECURE_PROXY_SSL_HEADER", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", default=not DEBUG)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", default=not DEBUG)
SESSION_COOKIE_HTTPONLY = True
# The language cookie (the switcher, for pages before login) follows the session cookie's rules.
LANGUAGE_COOKIE_SECURE = SESSION_COOKIE_SECURE
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 31536000, minimum=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=not DEBUG)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", default=not DEBUG)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_AGE = SESSION_ABSOLUTE_LIFETIME
# Content Security Policy: no inline scripts or styles anywhere; everything is served here.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
# /healthz answers plain HTTP to the load balancer inside the private network.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
# Anyone gets the status of /healthz alone; its details (database, Redis, worker mode) need a
# staff session with the second factor or this token (Authorization: Bearer …). Empty: no token.
HEALTH_MONITORING_TOKEN = env_str("HEALTH_MONITORING_TOKEN", "")
if HEALTH_MONITORING_TOKEN and len(HEALTH_MONITORING_TOKEN) < 32:
    raise ImproperlyConfigured(
        "HEALTH_MONITORING_TOKEN must be at least 32 characters. Generate one with: "
        "python -c 'import secrets; print(secrets.token_urlsafe(32))'"
    )

# --- Product ------------------------------------------------------------------
CLASSIFICATION_MARKING = env_str("CLASSIFICATION_MARKING", "UN CONFIDENTIAL")
# The marking in the other languages of the interface (imp_assess.marking); a language not
# listed shows CLASSIFICATION_MARKING.
CLASSIFICATION_MARKINGS = {
    "fr": env_str("CLASSIFICATION_MARKING_FR", "NATIONS UNIES — CONFIDENTIEL"),
}

# Exports (scorecards, briefing packs, data). Files go through Django's storage API (the
# "exports" alias) and are served only through a view that checks who asks, never by URL.
# The default keeps them on disk under EXPORTS_ROOT (outside every static folder; web and
# worker share it as one volume); EXPORTS_STORAGE_BACKEND and EXPORTS_STORAGE_OPTIONS (JSON)
# point it elsewhere, e.g. S3-compatible object storage (docs/deployment.md).
from imp_assess.env import env_json_object  # noqa: E402 (kept in this block)

EXPORTS_ROOT = Path(env_str("EXPORTS_ROOT") or BASE_DIR / "var" / "media" / "exports")
STORAGES["exports"] = {
    "BACKEND": env_str("EXPORTS_STORAGE_BACKEND") or "exports.storage.ExportsFileSystemStorage",
    "OPTIONS": env_json_object("EXPORTS_STORAGE_OPTIONS", {}),
}
# The browser that draws the PDFs' figures (kaleido): BROWSER_PATH, else the first chromium
# found. A browser that does not start fails the export after EXPORT_BROWSER_START_TIMEOUT s.
EXPORT_BROWSER_PATH = env_str("BROWSER_PATH") or None
EXPORT_BROWSER_START_TIMEOUT = env_int("EXPORT_BROWSER_START_TIMEOUT", 30, minimum=1)
EXPORT_FIGURE_TIMEOUT = env_int("EXPORT_FIGURE_TIMEOUT", 60, minimum=1)
EXPORT_RETENTION_HOURS = env_int("EXPORT_RETENTION_HOURS", 24, minimum=1)
EXPORT_BRIEFING_MAX_MISSIONS = env_int("EXPORT_BRIEFING_MAX_MISSIONS", 60, minimum=1)
# Export jobs may run longer than ordinary tasks (the full data set to XLSX takes a minute
# or two), but must still end before Redis would redeliver them.
EXPORT_TASK_TIME_LIMIT = env_int("EXPORT_TASK_TIME_LIMIT", 1800, minimum=1)
if EXPORT_TASK_TIME_LIMIT >= CELERY_VISIBILITY_TIMEOUT:
    raise ImproperlyConfigured("EXPORT_TASK_TIME_LIMIT must be below CELERY_VISIBILITY_TIMEOUT.")
# Keep one headless chromium (Plotly's kaleido) running per process once a figure was
# rendered, so the next scorecard does not pay its start-up (about two seconds).
EXPORT_FIGURE_PROCESS_KEEP_ALIVE = env_bool("EXPORT_FIGURE_PROCESS_KEEP_ALIVE", default=True)

# --- The read-only REST API (api/, docs/api.md) and webhooks (webhooks/) ---------------------
# Requests per minute (or /hour, /day) for one personal access token (or one signed-in user);
# counted in the default cache: Redis in production, local memory in the embedded default.
API_THROTTLE_RATE = env_str("API_THROTTLE_RATE", "600/min")
if not re.fullmatch(r"[1-9][0-9]*/(s|sec|m|min|h|hour|d|day)", API_THROTTLE_RATE):
    raise ImproperlyConfigured(
        f"API_THROTTLE_RATE={API_THROTTLE_RATE!r} is not a rate like 600/min or 10000/day."
    )
API_PAGE_SIZE_MAX = 1000
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "api.authentication.PersonalTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_RENDERER_CLASSES": [
        "rest_framework.renderers.JSONRenderer",
        "api.renderers.CSVRenderer",
    ],
    "DEFAULT_PARSER_CLASSES": [],
    "DEFAULT_THROTTLE_CLASSES": ["api.throttling.TokenRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {"api": API_THROTTLE_RATE},
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
    "URL_FORMAT_OVERRIDE": "format",
}
SPECTACULAR_SETTINGS = {
    "TITLE": _("imp-assess API"),
    "DESCRIPTION": _(
        "Read-only access to missions, quarters, questionnaires, assessments and "
        "scores for analysts' tools (docs/api.md). Authenticate with a personal access token: "
        "`Authorization: Bearer <token>`."
    ),
    "VERSION": "1",
    "OAS_VERSION": "3.1.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    # No deep links: they would put a link inside each operation's button (axe: nested-interactive).
    "SWAGGER_UI_SETTINGS": {"validatorUrl": None, "deepLinking": False},
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {},
}
# Webhooks: attempts per event and receiver (the first and the retries, with exponential
# backoff from WEBHOOK_RETRY_BACKOFF seconds), the timeout of one POST, and how many events in
# a row may fail (every attempt) before the webhook is switched off.
WEBHOOK_MAX_ATTEMPTS = env_int("WEBHOOK_MAX_ATTEMPTS", 5, minimum=1)
WEBHOOK_RETRY_BACKOFF = env_int("WEBHOOK_RETRY_BACKOFF", 30, minimum=0)
WEBHOOK_TIMEOUT = env_int("WEBHOOK_TIMEOUT", 10, minimum=1)
WEBHOOK_DISABLE_AFTER = env_int("WEBHOOK_DISABLE_AFTER", 5, minimum=1)
# Only for tests and development: also accept http:// URLs on this machine (127.0.0.1).
WEBHOOK_ALLOW_LOCAL_HTTP = env_bool("WEBHOOK_ALLOW_LOCAL_HTTP", default=False)
# Webhooks never reach internal addresses (loopback, private, link-local, cloud metadata, …)
# except these networks, e.g. "10.20.0.5/32" for a receiver inside the organisation's network.
WEBHOOK_INTERNAL_RECEIVERS = env_list("WEBHOOK_INTERNAL_RECEIVERS", [])
# Fernet keys (comma-separated, newest first) that encrypt webhook signing secrets at rest;
# older keys still decrypt. Generate one with: python -c "from cryptography.fernet import
# Fernet; print(Fernet.generate_key().decode())". Empty: a key derived from SECRET_KEY.
WEBHOOK_SECRET_KEYS = env_list("WEBHOOK_SECRET_KEYS", [])
# The address the application is reached at, for the links in webhook events.
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000" if DEBUG else "").rstrip("/")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
}

# The report's text the questionnaire loader checks quotes against (a quote of the report must
# be verbatim in the paragraph its source cites). Where the file is absent the check is skipped.
QUESTIONNAIRE_REPORT_FILE = Path(
    env_str(
        "IMP_QUESTIONNAIRE_REPORT_FILE",
        str(BASE_DIR.parent / "shared" / "seeds" / "integrated-missions-revisited-oslo-2007.txt"),
    )
)
