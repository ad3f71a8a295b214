"""CrisisDrill settings: one file, every knob from the environment with a safe embedded default.

Embedded default (no environment): SQLite in WAL mode, in-memory channel layer, in-process engine,
eager Celery. Services profile: DATABASE_URL and REDIS_URL set.
"""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
INSECURE_DEV_KEY = "django-insecure-crisisdrill-embedded-development-key"


def env_bool(name: str, default: bool) -> bool:
    """Only True/False (any case) are accepted, so a typo never silently flips a switch."""
    value = os.environ.get(name)
    if value is None:
        return default
    if value.lower() in ("true", "1"):
        return True
    if value.lower() in ("false", "0"):
        return False
    raise ImproperlyConfigured(f"{name} must be True or False, not {value!r}")


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    if value is None:
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}") from None


# Off unless asked for: a server started without the development switch never shows tracebacks or serves
# files from the source tree. `make run` and `make test` set DEBUG=True.
DEBUG = env_bool("DEBUG", False)
SECRET_KEY = os.environ.get("SECRET_KEY", INSECURE_DEV_KEY if DEBUG else "")
if not DEBUG and (not SECRET_KEY or SECRET_KEY == INSECURE_DEV_KEY):
    raise ImproperlyConfigured("SECRET_KEY must be set to a real secret when DEBUG is off")

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "http://127.0.0.1:8000,http://localhost:8000")

INSTALLED_APPS = [
    "daphne",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "channels",
    "accounts",
    "scenarios",
    "drills",
    "evaluation",
    "kit",
    "scoring",
    "frontend",
    "demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Production serves collected, hashed files itself; with DEBUG, config/asgi.py serves them from the apps.
    *([] if DEBUG else ["whitenoise.middleware.WhiteNoiseMiddleware"]),
    "frontend.middleware.ContentSecurityPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "config.urls"
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
                "frontend.context.membership",
            ],
        },
    },
]
ASGI_APPLICATION = "config.asgi.application"
WSGI_APPLICATION = None

DATABASE_URL = os.environ.get("DATABASE_URL", "")
if DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60, conn_health_checks=True)}
else:
    # WAL lets the engine write while pages read; the timeout rides out short write locks.
    DATABASES = {
        "default": {
            "ENGINE": "config.sqlite",  # Django's, with this process's writers in a queue (config/sqlite/base.py)
            "NAME": os.environ.get("SQLITE_PATH", str(BASE_DIR / "db.sqlite3")),
            # Kept open between engine steps: opening SQLite and running its PRAGMAs costs ~3 ms a time.
            "CONN_MAX_AGE": 60,
            "OPTIONS": {
                "timeout": 20,
                "transaction_mode": "IMMEDIATE",
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            },
        }
    }

AUTH_USER_MODEL = "accounts.User"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
LOGIN_URL = "/login/"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "/login/"

LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("he", "עברית"), ("fr", "Français")]
# locale: ours, written by `make messages`. locale_drf: Hebrew for DRF's own messages (DRF ships an empty he_IL
# catalog), kept by hand; makemessages writes only to the first entry, and the first entry wins a shared msgid.
LOCALE_PATHS = [BASE_DIR / "locale", BASE_DIR / "locale_drf"]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # Production: `collectstatic` writes hashed, compressed copies that WhiteNoise serves as immutable. With
    # DEBUG the files come straight from the apps, so `make run` and the tests need no collectstatic.
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage" if DEBUG else "config.static.Storage"
    },
}
# Nothing but collected files in production: no finders, no look-ups at request time, no unhashed copies
# (a page served before a deploy must never load a module of the next one).
WHITENOISE_USE_FINDERS = False
WHITENOISE_AUTOREFRESH = False
WHITENOISE_KEEP_ONLY_HASHED_FILES = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    # Sized for hundreds of sockets per process by not growing with them: each event loop's layer holds
    # one subscriber connection (every group of the process) and one publisher (its sends take turns on a
    # lock); the bound makes a leak fail loudly instead of opening connections without end.
    CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "config.layers.RedisGroupsChannelLayer",
            # A consumer that is behind gets the drill's waiting events as one message (config/layers.py).
            "CONFIG": {"hosts": [{"address": REDIS_URL, "max_connections": 4}], "merged": {"drill.events": "events"}},
        }
    }
    CACHES = {
        "default": {
            "BACKEND": "config.redis_pool.SharedRedisCache",  # one client per process, not one per call
            "LOCATION": REDIS_URL,
            "OPTIONS": {"pool_class": "config.redis_pool.SharedConnectionPool"},  # not one per socket: see there
        }
    }
else:
    CHANNEL_LAYERS = {"default": {"BACKEND": "config.layers.ThrottledInMemoryChannelLayer"}}
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

DRILL_ENGINE = os.environ.get("DRILL_ENGINE", "celery" if REDIS_URL else "inprocess")
if DRILL_ENGINE not in ("inprocess", "celery"):
    raise ImproperlyConfigured("DRILL_ENGINE must be inprocess or celery")

CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = None
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
# ETAs are earliest times: a finer timer keeps engine wake-ups close to their due moment (0.05 -> 0.01 s:
# bench.engine Celery p50 72 -> 58 ms, p99 234 -> 211 ms on 2026-11-23).
CELERY_WORKER_TIMER_PRECISION = 0.01
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_DEFAULT_QUEUE = os.environ.get("CELERY_QUEUE", "crisisdrill")
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600}

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # Token first: an anonymous caller then gets 401 with a WWW-Authenticate header, not 403.
        "accounts.tokens.ExpiringTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "config.schema.ApiSchema",
    "EXCEPTION_HANDLER": "config.errors.api_exception_handler",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
    # `?format=` belongs to the export endpoint (yaml/json), not to renderer negotiation.
    "URL_FORMAT_OVERRIDE": None,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "CrisisDrill API",
    "DESCRIPTION": "Scenarios, live drills, approval chains and scorecards. See docs/protocol.md.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    # Operation ids and tags from the path after /api/ (/healthz, outside it, would make "/" the common prefix).
    "SCHEMA_PATH_PREFIX": r"/api/",
    "ENUM_NAME_OVERRIDES": {
        "HealthStateEnum": "config.health.STATES",
        "ImprovementStatusEnum": "scoring.report.STATUSES",
        "PlatformEnum": "scenarios.spec.PLATFORMS",
        "TemplateKindEnum": "kit.models.TemplateKind",
    },
    # Served from our own static files: the docs work offline and under the strict CSP.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    # Requests are read whole (config.api_base.check_input): a PATCH needs what a PUT needs, and a field that
    # refuses "" says so (minLength 1) in the request's own component.
    "COMPONENT_SPLIT_PATCH": False,
    "COMPONENT_SPLIT_REQUEST": True,
    "POSTPROCESSING_HOOKS": ["drf_spectacular.hooks.postprocess_schema_enums", "config.schema.refuse_unknown_keys"],
}

DEMO_PASSWORD = os.environ.get("DEMO_PASSWORD", "drill-demo")
# The scenarios `seed_demo` publishes: the project's own library unless pointed elsewhere (the browser tests
# play the neighbouring shared examples they were written against).
DEMO_SCENARIOS_DIR = Path(os.environ.get("DEMO_SCENARIOS_DIR", BASE_DIR / "demo" / "scenarios"))
# A test fixture only (tests and benchmarks): the example scenarios beside this repository, if present.
SHARED_SCENARIOS_DIR = Path(os.environ.get("SHARED_SCENARIOS_DIR", BASE_DIR.parent / "shared" / "scenarios"))

SESSION_ENGINE = "accounts.sessions"  # Django's database sessions, read with one prebuilt statement
SESSION_COOKIE_HTTPONLY = True
# Production (README "Operating it"): cookies only over HTTPS, HTTPS enforced, browsers told to keep to it.
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", not DEBUG)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", not DEBUG)
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", False)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]  # load balancers probe the backend over plain HTTP
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", False)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
# Only behind a proxy that terminates TLS and sets this header itself: trusted from anyone else, a client
# could claim HTTPS.
if env_bool("BEHIND_TLS_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}
DRILL_ACTIONS_PER_MINUTE = int(os.environ.get("DRILL_ACTIONS_PER_MINUTE", "120"))
# A socket that drops and is back within this many wall seconds logs no seat.left / seat.joined pair
# (drills/presence.py): a reconnect storm would otherwise append two events per client.
DRILL_PRESENCE_GRACE_S = float(os.environ.get("DRILL_PRESENCE_GRACE_S", "2"))

# ---- Sign-in, tokens and sockets ------------------------------------------------------------------------
# Failed sign-ins per username (from any address) and per client address (any usernames) in a minute; each
# attempt is counted before its password is checked.
LOGIN_FAILURES_PER_MINUTE = int(os.environ.get("LOGIN_FAILURES_PER_MINUTE", "10"))
LOGIN_FAILURES_PER_ADDRESS_PER_MINUTE = int(os.environ.get("LOGIN_FAILURES_PER_ADDRESS_PER_MINUTE", "30"))
# Behind a reverse proxy: the header it writes the client's address to (e.g. X-Forwarded-For) and how many
# proxies of ours append to it. Unset: REMOTE_ADDR, and any such header a client sends is ignored.
TRUSTED_PROXY_HEADER = os.environ.get("TRUSTED_PROXY_HEADER", "")
TRUSTED_PROXY_HOPS = int(os.environ.get("TRUSTED_PROXY_HOPS", "1"))
if TRUSTED_PROXY_HOPS < 1:
    raise ImproperlyConfigured("TRUSTED_PROXY_HOPS must be 1 or more")
TOKEN_LIFETIME_S = int(os.environ.get("TOKEN_LIFETIME_S", str(24 * 3600)))
WS_TICKETS_PER_MINUTE = int(os.environ.get("WS_TICKETS_PER_MINUTE", "30"))
# Every this many seconds each server process reads the last seq of the drills its sockets watch (one query)
# and lets a socket that is behind read what it missed: a lost last event does not stay unseen.
DRILL_GAP_CHECK_S = float(os.environ.get("DRILL_GAP_CHECK_S", "5"))
