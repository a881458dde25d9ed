"""Settings for the INESS Day site, in one file.

DEBUG is off unless set: with no environment at all the site refuses to start without a
SECRET_KEY, so a forgotten variable can never serve a production site in development mode.
Development sets DEBUG=true (`make run` and `make test` do; or a `.env` file): then a SQLite
file, mail on the console, no other variable needed. Production sets the variables listed in
`.env.example` (django-environ).
"""

import datetime as dt
import importlib.util
import re
from pathlib import Path

import environ
from csp import constants as csp_constants
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
# A .env file beside manage.py is read when present; real environment variables win.
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DEBUG", default=False)

SECRET_KEY = env.str("SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. With DEBUG off the site refuses to start without a secret "
            "key: set SECRET_KEY in the environment (see .env.example). For development, set "
            "DEBUG=true instead (make run does)."
        )
    SECRET_KEY = "development-only-insecure-key-do-not-use-in-production"

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "crispy_forms",
    "crispy_bootstrap5",
    "csp",
    "django_ratelimit",
    "axes",
    "iness",
    "registrations",
    "proposals",
    "backoffice",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    # Before CSRF, which reads the posted form: file parts (unless the view takes files) and
    # undecodable bytes get a 400 before anything parses or stores them (iness.middleware).
    "iness.middleware.RequestBodyMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes asks: turns a locked-out admin login into its 429 page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "iness.urls"
WSGI_APPLICATION = "iness.wsgi.application"

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
                "iness.context_processors.site",
            ],
            # The site's one way of writing dates and times, in every template (iness.dates).
            "builtins": ["iness.templatetags.iness_dates"],
        },
    },
]

# Database: a SQLite file by default; PostgreSQL (or any other) through DATABASE_URL.
DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # IMMEDIATE takes the write lock when a transaction starts, so two sign-ups cannot both
    # count the seats before either writes; the timeout makes concurrent writers wait.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"transaction_mode": "IMMEDIATE", "timeout": 20}
    )
    # Threads cannot share pytest's in-memory database: tests use a file.
    DATABASES["default"]["TEST"] = {"NAME": str(BASE_DIR / "test-db.sqlite3")}
else:
    DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=60))
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Shared cache: rate-limit counters must be seen by every app server, so never a per-process
# cache. The database cache by default (its table is created by `migrate`, see iness/apps.py);
# Redis (or any django-environ cache URL) when CACHE_URL or REDIS_URL is set.
_cache_url = env.str("CACHE_URL", default="") or env.str("REDIS_URL", default="")
if _cache_url:
    CACHES = {"default": env.cache_url_config(_cache_url)}
else:
    CACHES = {"default": {"BACKEND": "iness.cache.AtomicDatabaseCache", "LOCATION": "iness_cache"}}
# Rendered page fragments (the empty sign-up form) stay in each process's memory: reading
# them from a shared cache would cost a round trip, and every process can render its own.
CACHES["fragments"] = {
    "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
    "LOCATION": "fragments",
}
if CACHES["default"]["BACKEND"] == "django.core.cache.backends.db.DatabaseCache":
    # Django's database cache increments with a read then a write; ours locks the row.
    CACHES["default"]["BACKEND"] = "iness.cache.AtomicDatabaseCache"
if CACHES["default"]["BACKEND"] == "iness.cache.AtomicDatabaseCache":
    # The cache culls a third of its rows past MAX_ENTRIES: keep room for many clients'
    # counters so that an attack from many addresses cannot wipe them.
    CACHES["default"].setdefault("OPTIONS", {}).setdefault("MAX_ENTRIES", 50_000)

AUTHENTICATION_BACKENDS = [
    # django-axes first: it refuses a locked-out login before the password is even checked.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Languages: French first, English complete.
LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", "Français"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
# Our own date and time formats (iness/formats/<lang>/formats.py) win over Django's.
FORMAT_MODULE_PATH = ["iness.formats"]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True

# Static files: our own CSS, and Bootstrap from the bootstrap-wrapper wheel (never a CDN).
STATIC_URL = "/static/"
# Where `collectstatic` gathers the files that production serves.
STATIC_ROOT = Path(env.str("STATIC_ROOT", default=str(BASE_DIR / "staticfiles")))
_bootstrap = importlib.util.find_spec("bootstrap")
STATICFILES_DIRS = [
    BASE_DIR / "static",
    ("bootstrap", list(_bootstrap.submodule_search_locations)[0]),
]
# Development and tests serve static files straight from the finders; production from
# STATIC_ROOT after `collectstatic`.
WHITENOISE_USE_FINDERS = DEBUG
WHITENOISE_AUTOREFRESH = DEBUG
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        # Hashed names need `collectstatic`, which production runs; development does not.
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage",
    },
}

# Mail: printed to the console by default; SMTP (or another backend) through EMAIL_URL.
# Pages only record mail; the mail worker (`manage.py mail_worker`) sends it (iness.sending).
EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
if EMAIL_CONFIG["EMAIL_BACKEND"] == "django.core.mail.backends.smtp.EmailBackend":
    # The same, with a connection the worker can cut at MAIL_SEND_DEADLINE (iness.smtp).
    EMAIL_BACKEND = "iness.smtp.EmailBackend"
# Seconds the worker waits for each read from the mail server.
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=10)
# Seconds one message may take from connecting to the server's last reply: past that the
# worker cuts the connection (a server that drips bytes cannot hold it) and tries later.
MAIL_SEND_DEADLINE = env.int("MAIL_SEND_DEADLINE", default=60)
# Hours a message is retried while the mail server fails (down, password or sender refused)
# before it is marked failed; organisers see it in the admin meanwhile.
MAIL_GIVE_UP_HOURS = env.int("MAIL_GIVE_UP_HOURS", default=48)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="INESS <iness@listes.imt.fr>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# Where organisers are told of each sign-up and proposal.
ORGANISERS_EMAIL = env.str("ORGANISERS_EMAIL", default="iness@listes.imt.fr")

# Minutes a public sign-up holds a seat (or a waiting-list place) until its address is
# confirmed through the mailed link: the default of each new event (Event.verify_minutes).
VERIFY_MINUTES = env.int("VERIFY_MINUTES", default=30)

# Personal data of a day is anonymised this many days after it (the privacy notice says so).
RETENTION_DAYS = env.int("RETENTION_DAYS", default=90)
# Speakers' slides (proposals.services.slides): largest PDF accepted, in megabytes.
SLIDES_MAX_MB = env.int("SLIDES_MAX_MB", default=20)
# Contact of Institut Mines-Télécom's data protection officer, shown in the privacy notice.
DPO_EMAIL = env.str("DPO_EMAIL", default="")

# The address visitors are given to write to: footer, legal notice, accessibility statement.
CONTACT_EMAIL = env.str("CONTACT_EMAIL", default="iness@listes.imt.fr")
# Legal notice (iness/legal.py): facts only the site's operator knows. Empty, the page says
# "not stated yet" and `check --deploy` warns (the director of publication may stay empty:
# the page then names the role, Institut Mines-Télécom's legal representative).
LEGAL_PUBLISHER_ADDRESS = env.str("LEGAL_PUBLISHER_ADDRESS", default="")
LEGAL_PUBLISHER_PHONE = env.str("LEGAL_PUBLISHER_PHONE", default="")
LEGAL_DIRECTOR = env.str("LEGAL_DIRECTOR", default="")
LEGAL_HOST_NAME = env.str("LEGAL_HOST_NAME", default="")
LEGAL_HOST_ADDRESS = env.str("LEGAL_HOST_ADDRESS", default="")
LEGAL_HOST_PHONE = env.str("LEGAL_HOST_PHONE", default="")

# Public address of the site, for the links in emails sent by commands (no request there).
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# Logs never show private-link tokens: the filter masks them in every line written.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"private_links": {"()": "iness.redaction.RedactPrivateLinks"}},
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "plain",
            "filters": ["private_links"],
        }
    },
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django": {"handlers": ["console"], "level": "INFO", "propagate": False},
        # These two log request paths ("Not Found: /mon-inscription/<token>/", runserver's
        # access lines): masked at the logger too, so any handler added later gets clean lines.
        "django.request": {
            "handlers": ["console"],
            "level": "INFO",
            "propagate": False,
            "filters": ["private_links"],
        },
        "django.server": {
            "handlers": ["console"],
            "level": "INFO",
            "propagate": False,
            "filters": ["private_links"],
        },
        # django-axes announces itself at every start; its lockout warnings still show.
        "axes.apps": {"level": "WARNING"},
    },
}

# Reverse proxy. Only when a proxy you run sits in front of the app servers are its headers
# believed: X-Forwarded-Proto for HTTPS, X-Forwarded-For for the client address (rate limits,
# admin login throttling). PROXY_COUNT is the number of proxies that append to X-Forwarded-For.
BEHIND_PROXY = env.bool("BEHIND_PROXY", default=False)
PROXY_COUNT = env.int("PROXY_COUNT", default=1)
if PROXY_COUNT < 1:
    raise ImproperlyConfigured("PROXY_COUNT counts the proxies in front: 1 or more.")

# Production security (DEBUG off): HTTPS only, HSTS, cookies over HTTPS only.
if not DEBUG:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if BEHIND_PROXY else None
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    LANGUAGE_COOKIE_SECURE = True
# The rest holds in development too, so that tests and browser tests see the real headers.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
CSRF_FAILURE_VIEW = "iness.errors.csrf_failure"

# Content-Security-Policy (django-csp 4): everything from our own origin, nothing inline.
# `data:` images only because Bootstrap's CSS draws its form controls (select arrow, check
# marks, validation icons) with data: SVGs.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [csp_constants.SELF],
        "img-src": [csp_constants.SELF, "data:"],
        "object-src": [csp_constants.NONE],
        "base-uri": [csp_constants.NONE],
        "form-action": [csp_constants.SELF],
        "frame-ancestors": [csp_constants.NONE],
    }
}

# Rate limits on public POSTs (django-ratelimit, counters in the shared cache above); see
# iness/abuse.py. RATE_LIMITS=false turns them off: for load benchmarks only, never in production.
RATELIMIT_ENABLE = env.bool("RATE_LIMITS", default=True)
RATELIMIT_USE_CACHE = "default"
RATELIMIT_IP_META_KEY = "iness.abuse.client_ip"
# A counter store that cannot count lets the post through rather than closing the forms.
RATELIMIT_FAIL_OPEN = True
# Accepted posts of one form allowed per client address (IPv4, or IPv6 /64) and period:
# generous, so that a room of colleagues behind one address gets through (iness.abuse).
PUBLIC_POST_RATE = env.str("PUBLIC_POST_RATE", default="120/h")
if not re.fullmatch(r"[1-9][0-9]*/[0-9]*[smhd]", PUBLIC_POST_RATE):
    raise ImproperlyConfigured(
        f"PUBLIC_POST_RATE={PUBLIC_POST_RATE!r} is not a rate: write count/period, "
        "e.g. 20/10m (s, m, h or d)."
    )
# django-ratelimit warns about any cache it has not listed. Ours are Django's RedisCache
# (atomic INCR) and iness.cache.AtomicDatabaseCache (row lock; tested under threads); its
# error for caches that really are unfit (local memory, plain database cache) stays on.
SILENCED_SYSTEM_CHECKS = ["django_ratelimit.W001"]

# Admin login throttling (django-axes, failures counted in the database, so every app server
# sees them): after 5 failures for one username from one address, that pair is locked out for
# an hour. `manage.py axes_reset_username NAME` lifts a lockout early.
AXES_HANDLER = "axes.handlers.database.AxesDatabaseHandler"
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = dt.timedelta(hours=1)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
# IPv6 clients grouped by /64, as the public forms' limits group them: one customer's /64
# does not give 2**64 series of tries.
AXES_CLIENT_IP_CALLABLE = "iness.abuse.client_network"
AXES_LOCKOUT_TEMPLATE = "admin_locked_out.html"
# Successful logins are not recorded: fewer personal data kept; failures are enough.
AXES_DISABLE_ACCESS_LOG = True
