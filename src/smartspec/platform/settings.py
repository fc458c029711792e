"""Django settings for the smartspec platform.

Development (default): SQLite in SMARTSPEC_HOME, a secret key generated once into the
workspace. Production: ``SMARTSPEC_ENV=production`` with ``SMARTSPEC_SECRET_KEY`` and
``SMARTSPEC_ALLOWED_HOSTS`` (the server refuses to start without a real secret key).
``DATABASE_URL`` selects PostgreSQL (``postgres://user:pass@host/db``).
"""

import os
import secrets
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from smartspec import config

BASE_DIR = Path(__file__).resolve().parent
HOME = config.home()
PRODUCTION = os.environ.get("SMARTSPEC_ENV") == "production"


def _secret_key() -> str:
    key = os.environ.get("SMARTSPEC_SECRET_KEY", "")
    if PRODUCTION:
        if len(key) < 40 or key.startswith("django-insecure") or key == "change-me":
            raise ImproperlyConfigured("SMARTSPEC_SECRET_KEY must be set to a long random value in production")
        return key
    if key:
        return key
    path = HOME / "secret_key.txt"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = _secret_key()
DEBUG = not PRODUCTION and os.environ.get("SMARTSPEC_DEBUG", "0") == "1"
ALLOWED_HOSTS = [h.strip() for h in os.environ.get("SMARTSPEC_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]").split(",") if h.strip()]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_htmx",
    "axes",
    "smartspec.platform.core",
    "smartspec.platform.edp",
    "smartspec.platform.policy",
    "smartspec.platform.onboarding",
]

MIDDLEWARE = [
    "smartspec.platform.core.middleware.RequestIdMiddleware",  # first: every later log record has the id
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "smartspec.platform.core.middleware.ContentSecurityPolicyMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "smartspec.platform.urls"
TEMPLATES = [{
    "BACKEND": "django.template.backends.django.DjangoTemplates",
    "DIRS": [BASE_DIR / "templates"],
    "APP_DIRS": True,
    "OPTIONS": {"context_processors": [
        "django.template.context_processors.request",
        "django.template.context_processors.i18n",
        "django.contrib.auth.context_processors.auth",
        "django.contrib.messages.context_processors.messages",
        "smartspec.platform.core.context_processors.navigation",
    ]},
}]
WSGI_APPLICATION = "smartspec.platform.wsgi.application"

DATABASES = {"default": dj_database_url.config(default=f"sqlite:///{HOME / 'platform.sqlite3'}",
                                              conn_max_age=int(os.environ.get("SMARTSPEC_DB_CONN_MAX_AGE", "0")))}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    DATABASES["default"].setdefault("OPTIONS", {})["timeout"] = 20
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend", "django.contrib.auth.backends.ModelBackend"]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = 0.25  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "registration/locked.html"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"

LANGUAGE_CODE = "sv"
LANGUAGES = [("sv", "Svenska"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR.parent / "locale"]  # one catalogue for the platform and the report
USE_I18N = True
TIME_ZONE = "Europe/Stockholm"
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = HOME / "static"
STATIC_ROOT.mkdir(exist_ok=True)
STATICFILES_DIRS = [BASE_DIR / "static", Path(__file__).resolve().parent.parent / "report" / "static"]
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

SESSION_COOKIE_AGE = 8 * 3600
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
if PRODUCTION:
    SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = os.environ.get("SMARTSPEC_SSL_REDIRECT", "1") == "1"
    SECURE_HSTS_SECONDS = 31536000
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# E-mail (invitations, reminders): an SMTP server when SMARTSPEC_EMAIL_HOST is set, else the console.
EMAIL_HOST = os.environ.get("SMARTSPEC_EMAIL_HOST", "")
EMAIL_BACKEND = ("django.core.mail.backends.smtp.EmailBackend" if EMAIL_HOST
                 else "django.core.mail.backends.console.EmailBackend")
EMAIL_PORT = int(os.environ.get("SMARTSPEC_EMAIL_PORT", "587"))
EMAIL_HOST_USER = os.environ.get("SMARTSPEC_EMAIL_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("SMARTSPEC_EMAIL_PASSWORD", "")
EMAIL_USE_TLS = os.environ.get("SMARTSPEC_EMAIL_USE_TLS", "1") == "1"
EMAIL_TIMEOUT = 20
DEFAULT_FROM_EMAIL = SERVER_EMAIL = os.environ.get("SMARTSPEC_EMAIL_FROM", "smartspec@localhost")

# Server errors (django.request) with their traceback and the request id, on the console and,
# with SMARTSPEC_LOG_FILE=1, in SMARTSPEC_HOME/logs/platform.log (rotated at 10 MB, 5 kept).
LOG_HANDLERS = ["console"]
LOGGING = {
    "version": 1, "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "smartspec.platform.core.middleware.RequestIdFilter"}},
    "formatters": {"request": {"format": "%(asctime)s %(levelname)s [%(request_id)s] %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["request_id"], "formatter": "request"}},
    "loggers": {"axes": {"handlers": LOG_HANDLERS, "level": "WARNING"},
                "django.request": {"handlers": LOG_HANDLERS, "level": "ERROR", "propagate": False}},
}
if os.environ.get("SMARTSPEC_LOG_FILE") == "1":
    (HOME / "logs").mkdir(exist_ok=True)
    LOGGING["handlers"]["file"] = {"class": "logging.handlers.RotatingFileHandler", "filename": str(HOME / "logs" / "platform.log"),
                                   "maxBytes": 10 * 1024 * 1024, "backupCount": 5, "encoding": "utf-8",
                                   "filters": ["request_id"], "formatter": "request"}
    LOG_HANDLERS.append("file")  # the loggers above share this list
