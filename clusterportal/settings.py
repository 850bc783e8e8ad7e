"""ClusterPortal settings.

Every knob is an environment variable with a default that is safe for development: with no
variables at all the portal runs on a SQLite file and executes tasks in-process.
"""

import os
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from celery.schedules import crontab
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name, default):
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default):
    value = os.environ.get(name)
    if value is None:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


DEBUG = env_bool("DEBUG", True)
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    SECRET_KEY = "dev-only-insecure-key-do-not-use-in-production"
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
# Where people reach the portal; links in e-mails start with it.
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_htmx",
    "rules.apps.AutodiscoverRulesConfig",
    "allauth",
    "allauth.account",
    "csp",
    "axes",
    "partnerships",
    "matchmaking",
    "events",
    "clusterportal",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    # A body larger than any form may send gets a 413 before a byte of it is read.
    "clusterportal.middleware.RequestSizeMiddleware",
    # Before anything reads the input: NUL characters and invalid UTF-8 get a 400.
    "clusterportal.middleware.MalformedInputMiddleware",
    # Links in e-mails and calendar files point at the address that serves the request.
    "clusterportal.origin.RequestOriginMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    # Last, as django-axes asks: it turns a locked-out sign-in into its lockout response.
    "axes.middleware.AxesMiddleware",
]

# bench_web serves the portal with one extra, bare view through its own URLconf.
ROOT_URLCONF = os.environ.get("ROOT_URLCONF", "clusterportal.urls")
WSGI_APPLICATION = "clusterportal.wsgi.application"

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
                "partnerships.context_processors.notification_counts",
            ],
        },
    },
]

# A SQLite file by default, so `make run` works on a machine with nothing but Python.
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
USING_POSTGRES = DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"

AUTH_USER_MODEL = "partnerships.User"
AUTHENTICATION_BACKENDS = [
    # First, so a locked-out person is refused before any other backend checks a password.
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
# Named rather than inherited, so that the suite's fast test hasher cannot drift from this.
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.BCryptSHA256PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": int(os.environ.get("PASSWORD_MIN_LENGTH", "12"))},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"

# Login throttling (django-axes): after AXES_FAILURE_LIMIT failed sign-ins for one e-mail
# address from one IP address, that pair is locked out for AXES_COOLOFF_MINUTES. allauth
# signs in by e-mail, so the lockout is keyed on the form's "login" field.
AXES_ENABLED = env_bool("AXES_ENABLED", True)
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("AXES_COOLOFF_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
# Behind a reverse proxy every request comes from the proxy's address, so the lockout then
# holds per e-mail address: stricter, never weaker.
AXES_USERNAME_FORM_FIELD = "login"
AXES_RESET_ON_SUCCESS = True
AXES_USERNAME_CALLABLE = "clusterportal.security.axes_username"
# Per account, axes alone counts failures (recorded, shown to staff, unlocked in the admin);
# allauth keeps only its per-IP limit against password spraying over many accounts.
ACCOUNT_RATE_LIMITS = {"login_failed": "10/m/ip"}
# Signed in, a person lands where their work is, not on the public home page.
LOGIN_REDIRECT_URL = "partnerships:dashboard"

# Optional sign-in through an OpenID Connect provider (EU Login is one), on when OIDC_PROVIDER_ID
# is set. The provider's discovery document is read from OIDC_SERVER_URL; people who sign in
# there get an account with the e-mail address the provider vouches for.
OIDC_PROVIDER_ID = os.environ.get("OIDC_PROVIDER_ID", "")
if OIDC_PROVIDER_ID:
    _oidc_missing = [
        name
        for name in ("OIDC_SERVER_URL", "OIDC_CLIENT_ID", "OIDC_CLIENT_SECRET")
        if not os.environ.get(name)
    ]
    if _oidc_missing:
        raise ImproperlyConfigured(
            f"OIDC_PROVIDER_ID is set, so {', '.join(_oidc_missing)} must be set too."
        )
    INSTALLED_APPS += [
        "allauth.socialaccount",
        "allauth.socialaccount.providers.openid_connect",
    ]
    SOCIALACCOUNT_PROVIDERS = {
        "openid_connect": {
            "OAUTH_PKCE_ENABLED": True,
            "APPS": [
                {
                    "provider_id": OIDC_PROVIDER_ID,
                    "name": os.environ.get("OIDC_NAME") or OIDC_PROVIDER_ID,
                    "client_id": os.environ["OIDC_CLIENT_ID"],
                    "secret": os.environ["OIDC_CLIENT_SECRET"],
                    "settings": {"server_url": os.environ["OIDC_SERVER_URL"]},
                }
            ],
        }
    }
    # The provider is one the Commission trusts: an address it reports as verified is not
    # checked again, and it reaches the local account with that address instead of making a
    # second one. An address it does not vouch for is verified by e-mail, as at sign-up.
    SOCIALACCOUNT_EMAIL_AUTHENTICATION = True
    SOCIALACCOUNT_EMAIL_AUTHENTICATION_AUTO_CONNECT = True
    SOCIALACCOUNT_STORE_TOKENS = False

# Accounts (django-allauth): sign-in by e-mail, which must be verified before the first login.
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_SIGNUP_FORM_CLASS = "partnerships.forms.SignupForm"
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_LOGOUT_REDIRECT_URL = "/"
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[ClusterPortal] "
ACCOUNT_PRESERVE_USERNAME_CASING = False

# Data protection, shown on the privacy notice (/privacy/): who is responsible for the
# personal data on this installation and how to reach its data protection officer.
# Production sets the operator's legal name and postal address.
PRIVACY_CONTROLLER = os.environ.get("PRIVACY_CONTROLLER", "ClusterPortal")
DATA_PROTECTION_OFFICER_EMAIL = os.environ.get(
    "DATA_PROTECTION_OFFICER_EMAIL", "data-protection@clusterportal.eu"
)
# Days for which sign-in records (time, IP address, browser) are kept against account abuse.
SIGN_IN_RECORD_RETENTION_DAYS = int(os.environ.get("SIGN_IN_RECORD_RETENTION_DAYS", "90"))

LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("fr", _("French")), ("de", _("German"))]
# locale/: the portal's catalogues (make messages); locale/allauth/: our formal German (Sie)
# for the django-allauth pages and e-mails, which makemessages leaves alone.
LOCALE_PATHS = [BASE_DIR / "locale", BASE_DIR / "locale" / "allauth"]
# Dates in English as the EU writes them (24 November 2026, 14:30); see clusterportal/formats.
FORMAT_MODULE_PATH = ["clusterportal.formats"]
TIME_ZONE = os.environ.get("TIME_ZONE", "Europe/Brussels")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
# MEDIA_ROOT holds logos alone, which anyone may see; label certificates, attachments and
# uploads kept between two tries of a form live here, which no web server may serve.
PRIVATE_MEDIA_ROOT = Path(os.environ.get("PRIVATE_MEDIA_ROOT", BASE_DIR / "private_media"))
# "x-accel-redirect" (nginx) or "x-sendfile" (Apache, lighttpd): the front server sends
# private files once the portal has checked who asks; empty: the portal sends them itself.
PRIVATE_MEDIA_ACCEL = os.environ.get("PRIVATE_MEDIA_ACCEL", "").strip().lower()
if PRIVATE_MEDIA_ACCEL not in ("", "x-accel-redirect", "x-sendfile"):
    raise ImproperlyConfigured("PRIVATE_MEDIA_ACCEL is x-accel-redirect, x-sendfile or empty.")
# The front server's internal location for PRIVATE_MEDIA_ROOT (nginx: `internal;`).
PRIVATE_MEDIA_ACCEL_PREFIX = os.environ.get("PRIVATE_MEDIA_ACCEL_PREFIX", "/private-media/")
# Seconds a file chosen in a form that had errors is kept for the next try.
HELD_UPLOAD_SECONDS = int(os.environ.get("HELD_UPLOAD_SECONDS", str(6 * 60 * 60)))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# E-mail: printed to the console unless an SMTP host is configured, or written as files into
# EMAIL_FILE_PATH when that is set.
EMAIL_FILE_PATH = os.environ.get("EMAIL_FILE_PATH", "")
EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if os.environ.get("EMAIL_HOST")
    else "django.core.mail.backends.filebased.EmailBackend"
    if EMAIL_FILE_PATH
    else "django.core.mail.backends.console.EmailBackend",
)
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = os.environ.get(
    "DEFAULT_FROM_EMAIL", "ClusterPortal <noreply@clusterportal.eu>"
)

# Celery: without a broker every task runs in-process and its errors propagate, so the
# portal works (and fails loudly) without Redis.
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", "")
CELERY_RESULT_BACKEND = os.environ.get("CELERY_RESULT_BACKEND", "") or None
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_TIME_LIMIT = int(os.environ.get("CELERY_TASK_TIME_LIMIT", "900"))
CELERY_TASK_SOFT_TIME_LIMIT = int(os.environ.get("CELERY_TASK_SOFT_TIME_LIMIT", "840"))
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_DEFAULT_QUEUE = os.environ.get("CELERY_TASK_DEFAULT_QUEUE", "celery")
# Redis hands a task whose worker died (acks_late) to another worker once this many seconds
# have passed since delivery, so it must exceed the longest task.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": int(os.environ.get("CELERY_VISIBILITY_TIMEOUT", "3600")),
    "unacked_restore_throttle": 1,
}
# Periodic tasks (celery beat): organisations still marked for re-scoring after a lost task.
CELERY_BEAT_SCHEDULE = {
    # After a broker outage the sweep is what refreshes the lists of organisations changed
    # meanwhile: they are up to date within this interval plus the scoring time.
    "matchmaking-sweep-needs-rescoring": {
        "task": "matchmaking.sweep_needs_rescoring",
        "schedule": float(os.environ.get("RESCORING_SWEEP_INTERVAL", "30")),
    },
    # /healthz reads the time of the last heartbeat from the cache; one that waited longer than
    # its interval in the queue says nothing about the workers any more, hence the expiry.
    "clusterportal-heartbeat": {
        "task": "clusterportal.heartbeat",
        "schedule": float(os.environ.get("HEARTBEAT_INTERVAL", "30")),
        "options": {"expires": float(os.environ.get("HEARTBEAT_INTERVAL", "30"))},
    },
}
# Sign-in records and expired sessions older than their retention time are deleted daily.
CELERY_BEAT_SCHEDULE["partnerships-prune-sign-in-records"] = {
    "task": "partnerships.prune_sign_in_records",
    "schedule": 24 * 60 * 60.0,
}
# The weekly digest goes out on Monday morning; a run that is repeated sends nothing twice.
CELERY_BEAT_SCHEDULE["partnerships-weekly-digest"] = {
    "task": "partnerships.send_weekly_digest",
    "schedule": crontab(
        day_of_week=os.environ.get("DIGEST_DAY_OF_WEEK", "mon"),
        hour=int(os.environ.get("DIGEST_HOUR", "7")),
        minute=0,
    ),
}
# Calls closing within 7 days and labels ending within 60 are told once, found daily.
CELERY_BEAT_SCHEDULE["partnerships-reminders"] = {
    "task": "partnerships.send_reminders",
    "schedule": 24 * 60 * 60.0,
}
# Messages one person may send in an hour, across all conversations.
MESSAGES_PER_HOUR = int(os.environ.get("MESSAGES_PER_HOUR", "30"))


# Hourly, so a search leaves the board within the hour after its last day, whatever the zone.
CELERY_BEAT_SCHEDULE["partnerships-expire-partner-searches"] = {
    "task": "partnerships.expire_partner_searches",
    "schedule": 60 * 60.0,
}
# Online meetings at events: the address of a video room, with {room} replaced by a name no one
# can guess, e.g. a self-hosted Jitsi "https://meet.example.org/{room}". Empty: no links.
MEETING_ROOM_URL_TEMPLATE = os.environ.get("MEETING_ROOM_URL_TEMPLATE", "")
# Meeting requests that wait too long: reminders the day before, then they expire.
CELERY_BEAT_SCHEDULE["events-sweep-meeting-requests"] = {
    "task": "events.sweep_meeting_requests",
    "schedule": float(os.environ.get("MEETING_REQUEST_SWEEP_INTERVAL", "900")),
}
# Managers are reminded daily of labels that run out within 90 and 30 days (each one once).
CELERY_BEAT_SCHEDULE["partnerships-remind-label-renewals"] = {
    "task": "partnerships.remind_label_renewals",
    "schedule": 24 * 60 * 60.0,
}
# /healthz calls a heartbeat stale after three missed beats, and gives Redis this long to answer.
HEARTBEAT_STALE_AFTER = int(
    os.environ.get("HEARTBEAT_STALE_AFTER")
    or 3 * CELERY_BEAT_SCHEDULE["clusterportal-heartbeat"]["schedule"]
)
HEALTHZ_REDIS_TIMEOUT = float(os.environ.get("HEALTHZ_REDIS_TIMEOUT", "0.5"))

# One cache for every worker on every machine when Redis is there: the directory's index
# version lives in it, so a write on one machine refreshes the directory on all of them.
CACHE_URL = os.environ.get("CACHE_URL") or os.environ.get("REDIS_URL", "")
if CACHE_URL:
    # A Redis outage makes the cache miss instead of failing requests; a Redis that hangs is
    # given up on after CACHE_TIMEOUT seconds.
    _cache_timeout = float(os.environ.get("CACHE_TIMEOUT", "0.5"))
    CACHES = {
        "default": {
            "BACKEND": "clusterportal.cache.ResilientRedisCache",
            "LOCATION": CACHE_URL,
            "OPTIONS": {
                "socket_connect_timeout": _cache_timeout,
                "socket_timeout": _cache_timeout,
            },
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Seconds after which a directory index is rebuilt even if no write announced a change.
DIRECTORY_INDEX_MAX_AGE = int(os.environ.get("DIRECTORY_INDEX_MAX_AGE", "300"))
# Seconds a directory page or API list is kept for visitors who are not signed in (0: never);
# a write through the services replaces the data version, and with it every stored page.
PUBLIC_PAGE_CACHE_SECONDS = int(
    os.environ.get("PUBLIC_PAGE_CACHE_SECONDS", str(DIRECTORY_INDEX_MAX_AGE))
)

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["clusterportal.api.RulesPermission"],
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "clusterportal.api.SearchFilter",
        "clusterportal.api.OrderingFilter",
    ],
    "DEFAULT_PAGINATION_CLASS": "clusterportal.api.StandardPagination",
    "PAGE_SIZE": 25,
    "DEFAULT_SCHEMA_CLASS": "clusterportal.api_schema.PortalAutoSchema",
    "EXCEPTION_HANDLER": "clusterportal.api_errors.exception_handler",
    "DEFAULT_THROTTLE_CLASSES": [
        "rest_framework.throttling.AnonRateThrottle",
        "rest_framework.throttling.UserRateThrottle",
    ],
    # "off" lifts a limit (DRF lets every request through a throttle without a rate).
    "DEFAULT_THROTTLE_RATES": {
        scope: None if rate == "off" else rate
        for scope, rate in (
            ("anon", os.environ.get("API_THROTTLE_ANON", "120/min")),
            ("user", os.environ.get("API_THROTTLE_USER", "600/min")),
        )
    },
}
SPECTACULAR_SETTINGS = {
    "TITLE": "ClusterPortal API",
    "DESCRIPTION": "European cluster organisations, partnership calls and matchmaking.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # One schema name per choice set, however many fields use it (check --deploy is clean).
    "ENUM_NAME_OVERRIDES": {
        "LabelLevelEnum": "partnerships.enums.LabelLevel",
        "OrganisationTypeEnum": "partnerships.enums.OrganisationType",
        "CallTypeEnum": "partnerships.enums.CallType",
        "EventTypeEnum": "events.enums.EventType",
    },
}

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", False)
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "0" if DEBUG else "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE_HSTS_SECONDS > 0
SECURE_HSTS_PRELOAD = SECURE_HSTS_SECONDS > 0
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SECURE_REFERRER_POLICY = "same-origin"

_oidc_origins = (
    [urlsplit(os.environ["OIDC_SERVER_URL"])._replace(path="", query="", fragment="").geturl()]
    if OIDC_PROVIDER_ID
    else []
)
# Content Security Policy (django-csp): our pages load scripts, styles and images from the
# portal alone and carry no inline script or style. The Swagger UI page relaxes style-src
# for itself only (see clusterportal/urls.py).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "img-src": [SELF, "data:"],
        "object-src": [NONE],
        "base-uri": [SELF],
        # Signing in through the OpenID Connect provider posts a form that redirects there.
        "form-action": [SELF, *_oidc_origins],
        "frame-ancestors": [NONE],
    }
}

# Bare domains typed into URL fields are taken as https (Django 6's default).
FORMS_URLFIELD_ASSUME_HTTPS = True

# Upload sizes, enforced while the body streams in, never after it was read whole: a request
# whose Content-Length passes UPLOAD_REQUEST_MAX_BYTES gets a 413 before any of it is read;
# a file past UPLOAD_MAX_BYTES is dropped chunk by chunk and its field says it is too large;
# form fields besides files may take DATA_UPLOAD_MAX_MEMORY_SIZE; files above
# FILE_UPLOAD_MAX_MEMORY_SIZE go to a temporary file instead of memory. The proxy's own
# limit (nginx client_max_body_size) should equal UPLOAD_REQUEST_MAX_BYTES.
UPLOAD_MAX_BYTES = int(os.environ.get("UPLOAD_MAX_BYTES", str(5 * 1024 * 1024)))
UPLOAD_REQUEST_MAX_BYTES = int(
    os.environ.get("UPLOAD_REQUEST_MAX_BYTES", str(2 * UPLOAD_MAX_BYTES + 1024 * 1024))
)
DATA_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FILES = 10
FILE_UPLOAD_HANDLERS = [
    "partnerships.uploads.handlers.LimitedUploadHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]

LOG_FORMAT = os.environ.get("LOG_FORMAT", "plain")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
        "json": {"()": "clusterportal.jsonlog.JsonFormatter"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            # LOG_FORMAT=json: one JSON object a line, for the log collector in production.
            "formatter": "json" if LOG_FORMAT == "json" else "plain",
        }
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "INFO"}},
}
# With JSON logs, Celery workers and beat log through the handlers above, not in their own format.
CELERY_WORKER_HIJACK_ROOT_LOGGER = LOG_FORMAT != "json"
