"""Settings shared by every profile. The environment is read here and only here."""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import dj_database_url
from csp.constants import NONCE, NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from config import localdb

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = BASE_DIR / "var"


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DJANGO_DEBUG")


def _secret_key() -> str:
    key = os.environ.get("DJANGO_SECRET_KEY", "")
    if key:
        return key
    if not DEBUG:
        raise ImproperlyConfigured("DJANGO_SECRET_KEY must be set when DJANGO_DEBUG is off.")
    # Development only: a per-checkout random key kept in var/ (never in git).
    key_file = VAR_DIR / "secret_key"
    if not key_file.exists():
        VAR_DIR.mkdir(exist_ok=True)
        key_file.write_text(secrets.token_urlsafe(50))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


SECRET_KEY = _secret_key()
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost" if DEBUG else "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.gis",
    "django.contrib.postgres",
    "rest_framework",
    "rest_framework_gis",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "simple_history",
    "axes",
    "csp",
    "geo",
    "registry",
    "fairs",
    "api",
]

MIDDLEWARE = [
    "config.client_address.ClientAddressMiddleware",  # first: everything after sees the real client
    # Compresses last, once every other middleware has set its cookies (config/compression.py: BREACH).
    "config.compression.SecretFreeGZipMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "config.middleware.RejectNulMiddleware",
    "config.routers.ReplicaReadsMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",
    "django_ratelimit.middleware.RatelimitMiddleware",  # Ratelimited → RATELIMIT_VIEW (429)
]

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # first: refuses locked-out credentials before checking them
    "django.contrib.auth.backends.ModelBackend",
    "registry.auth.RolePermissionBackend",  # permissions follow the role (registry/roles.py)
]
# Lock a username+address pair out for an hour after 5 failed sign-ins (django-axes).
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = 1
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registry/team/locked_out.html"
# E-mail (invitations, password reset): SMTP in production from these variables (README.md); the
# console backend prints messages when DEBUG is on and no backend is named; tests use locmem.
EMAIL_BACKEND = os.environ.get(
    "DJANGO_EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = os.environ.get("DJANGO_EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("DJANGO_EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("DJANGO_EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("DJANGO_EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("DJANGO_EMAIL_USE_TLS")
EMAIL_USE_SSL = env_bool("DJANGO_EMAIL_USE_SSL")
EMAIL_TIMEOUT = 20
DEFAULT_FROM_EMAIL = os.environ.get("DJANGO_DEFAULT_FROM_EMAIL", "Карта сообществ <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# A password reset link and a team invitation stay valid this long.
PASSWORD_RESET_TIMEOUT = 3 * 24 * 3600
TEAM_INVITATION_VALID_DAYS = 14
AXES_CLIENT_IP_CALLABLE = "config.client_address.request_client_address"
# The site's own reverse proxies (addresses or networks, comma-separated), e.g. "127.0.0.1,::1" when
# nginx runs on the same machine: only from them is X-Forwarded-For believed (config/client_address.py).
TRUSTED_PROXIES = env_list("TRUSTED_PROXIES")
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "team"
LOGOUT_REDIRECT_URL = "home"

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

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

# With DATABASE_URL (postgis://user:password@host:port/dbname) use that server; without it,
# the project's own cluster in var/postgres/ (see config/localdb.py).
_database: dict[str, Any] = (
    dict(dj_database_url.parse(os.environ["DATABASE_URL"]))
    if os.environ.get("DATABASE_URL")
    else localdb.database_settings()
)
# JIT compilation costs tens of milliseconds and pays off only on long analytical queries, which the
# site does not run on its own connections (exports run in ogr2ogr's). Parallel plans stay on: the
# region map's counts over 1,000,000 communities take 0.42 s with them, 0.70 s without; the tiles,
# where they cost more than they save, turn them off per query (registry/selectors/tiles.py).
_SESSION_OPTIONS = os.environ.get("KARTA_PG_OPTIONS", "-c jit=off")
_database.update(ENGINE="django.contrib.gis.db.backends.postgis", CONN_MAX_AGE=60, CONN_HEALTH_CHECKS=True)
_database.setdefault("OPTIONS", {}).setdefault("options", _SESSION_OPTIONS)
# Another database on the same server (the tests run a command against their throwaway one).
if os.environ.get("KARTA_DB_NAME"):
    _database["NAME"] = os.environ["KARTA_DB_NAME"]
DATABASES = {"default": _database}
# A streaming replica of the primary for anonymous public reads (config/routers.py; docs/scaling.md).
if os.environ.get("DATABASE_REPLICA_URL"):
    DATABASES["replica"] = {
        **dj_database_url.parse(os.environ["DATABASE_REPLICA_URL"]),
        "ENGINE": "django.contrib.gis.db.backends.postgis",
        "CONN_MAX_AGE": 60,
        "CONN_HEALTH_CHECKS": True,
        "OPTIONS": {"options": _SESSION_OPTIONS},
        "TEST": {"MIRROR": "default"},
    }
DATABASE_ROUTERS = ["config.routers.PublicReadRouter"]

# A cache shared by every worker process (rate limits must count across them): PostgreSQL itself.
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "karta_cache"},
    # Rendered public pages (registry/pages.py), per worker process: keyed by the shared data
    # version, so no worker serves a stale one, and kept apart so that they never push the rate
    # limits' counters out of the shared cache.
    "pages": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "karta-pages",
        "OPTIONS": {"MAX_ENTRIES": int(os.environ.get("PAGE_CACHE_ENTRIES", "300"))},
    },
}
RATELIMIT_VIEW = "registry.views_team.rate_limited"
# Public forms (proposal, fair sign-up): submissions per client address.
PUBLIC_FORM_RATE = os.environ.get("PUBLIC_FORM_RATE", "10/h")
# The fair sign-up form (fairs.limits): one venue address sends hundreds an hour, so it is limited
# per device and per fair instead; a form sent sooner than FAIR_SIGNUP_MIN_SECONDS is a script.
FAIR_SIGNUP_DEVICE_RATE = os.environ.get("FAIR_SIGNUP_DEVICE_RATE", "20/h")
FAIR_SIGNUP_FAIR_RATE = os.environ.get("FAIR_SIGNUP_FAIR_RATE", "1500/h")
FAIR_SIGNUP_MIN_SECONDS = 3

# Django 6 default, adopted now: a scheme-less URL typed into a form means https.
FORMS_URLFIELD_ASSUME_HTTPS = True

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "ru"
LANGUAGES = [("ru", _("Русский")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Yekaterinburg"  # Ufa, UTC+5
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "media/"
MEDIA_ROOT = VAR_DIR / "media"

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",  # the browser, with CSRF
        "rest_framework.authentication.TokenAuthentication",  # scripts: POST /api/v1/auth/token/
    ],
    "DEFAULT_THROTTLE_CLASSES": ["api.throttling.AnonymousReadThrottle", "api.throttling.WriteThrottle"],
    "DEFAULT_THROTTLE_RATES": {
        "anonymous_read": os.environ.get("API_ANONYMOUS_READ_RATE", "300/min"),
        # OGC API and exports per address, as a burst budget (api/throttling.py GisReadThrottle): two
        # GDAL 3.6 syncs at limit=10 and a QGIS session right after them fit in it.
        "gis_read": os.environ.get("API_GIS_READ_RATE", "1200/min"),
        "write": os.environ.get("API_WRITE_RATE", "60/min"),
    },
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    # JSON nested deeper than api.parsers.MAX_DEPTH is refused before it is parsed
    "DEFAULT_PARSER_CLASSES": [
        "api.parsers.JSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "EXCEPTION_HANDLER": "api.exception_handler.exception_handler",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
    # REMOTE_ADDR is already the client's (ClientAddressMiddleware): never read X-Forwarded-For again.
    "NUM_PROXIES": 0,
}

SPECTACULAR_SETTINGS = {
    "TITLE": "Карта сообществ API",
    "DESCRIPTION": 'Реестр местных сообществ: GeoJSON, фильтры, ярмарки. Ошибки: {"errors": [{field, message, code}]}.',
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",  # served from our static files, no CDN
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "api.schema.document_common_errors",
    ],
}

# The programme's regions: geometry input far outside them is rejected (see geo/validation.py).
GEO_PROGRAMME_REGION_ISO = env_list(
    "GEO_PROGRAMME_REGION_ISO", "RU-BA,RU-TA,RU-UD,RU-PER,RU-ORE,RU-SVE,RU-CHE"
)
# Registry: a verification is valid this long; after it lapses a community stays public this long.
REGISTRY_VERIFICATION_VALID_DAYS = 365
REGISTRY_VERIFICATION_GRACE_DAYS = int(os.environ.get("REGISTRY_VERIFICATION_GRACE_DAYS", "60"))
# The personal-data operator (оператор персональных данных, 152-FZ) and the programme's operator:
# named on donor reports and on letters to people about their data.
PROGRAMME_OPERATOR = {
    "name": os.environ.get("KARTA_OPERATOR_NAME", "Фонд — оператор программы «Конструктор сообществ»"),
    "address": os.environ.get("KARTA_OPERATOR_ADDRESS", "Республика Башкортостан, г. Уфа"),
    "email": os.environ.get("KARTA_OPERATOR_EMAIL", "privacy@example.org"),
}
# Possible duplicates: names at least this similar (0..1) in the same municipality or within the radius.
REGISTRY_DUPLICATE_NAME_SIMILARITY = 0.75
REGISTRY_DUPLICATE_RADIUS_M = 1000
ADMIN_URL = os.environ.get("DJANGO_ADMIN_URL", "admin/")
# Fair sheet imports: limits with clear errors (whole file, rows, unpacked xlsx, one cell).
FAIRS_IMPORT_MAX_BYTES = int(os.environ.get("FAIRS_IMPORT_MAX_BYTES", str(10 * 2**20)))
FAIRS_IMPORT_MAX_ROWS = 50_000
FAIRS_IMPORT_MAX_UNPACKED_BYTES = 100 * 2**20
FAIRS_IMPORT_MAX_CELL_CHARS = 10_000
# Matching a sign-up to the registry: at or above AUTO a near-identical name in the same place links
# by itself; between REVIEW and AUTO a person decides.
FAIRS_MATCH_AUTO = 0.9
# Raw sign-up rows (names, phones as typed) are shredded this many days after the team resolved them.
FAIRS_SIGNUP_RETENTION_DAYS = int(os.environ.get("FAIRS_SIGNUP_RETENTION_DAYS", "180"))
FAIRS_MATCH_REVIEW = 0.75
# The personal-data operator named on the privacy notice (/privacy/): the programme's foundation.
PRIVACY_OPERATOR_NAME = os.environ.get("PRIVACY_OPERATOR_NAME", "")
PRIVACY_OPERATOR_ADDRESS = os.environ.get("PRIVACY_OPERATOR_ADDRESS", "")
PRIVACY_OPERATOR_CONTACT = os.environ.get("PRIVACY_OPERATOR_CONTACT", "")
# 152-FZ art. 14 part 3 (as amended by 266-FZ of 14.07.2022): an answer within ten working days.
PRIVACY_REQUEST_WORKING_DAYS = 10

# Background tiles of every map (any XYZ server; README «Подложка карты»). Empty: no tiles at all, the
# maps draw the project's own districts and settlements as their base (as when tiles fail to load).
MAP_TILE_URL = os.environ.get("MAP_TILE_URL", "https://tile.openstreetmap.org/{z}/{x}/{y}.png")
MAP_TILE_ATTRIBUTION = os.environ.get(
    "MAP_TILE_ATTRIBUTION",
    '© <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a> contributors',
)
GEO_HOME_REGION_ISO = os.environ.get("GEO_HOME_REGION_ISO", "RU-BA")


def _origin(url: str) -> str:
    parts = urlsplit(url.replace("{s}", "*"))  # {s}.tile… subdomains: a wildcard host
    return f"{parts.scheme}://{parts.netloc}"


# Content-Security-Policy on every page (django-csp): scripts only from this site, inline ones only
# with the request's nonce (folium's map scripts); images from here and the tile server. Styles
# allow inline attributes: Leaflet and the sphere swatches set them, and they cannot run code.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF, "'unsafe-inline'"],
        "img-src": [SELF, "data:", *([_origin(MAP_TILE_URL)] if MAP_TILE_URL else [])],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
# A point in a sliver gap between municipal polygons goes to the nearest one within this distance.
GEO_SLIVER_TOLERANCE_M = 1000
# Geometry input farther than this from every programme region is refused as a likely lon/lat swap.
GEO_PROGRAMME_MARGIN_M = 50_000
# GDAL 3.6 (Debian 12) cannot block file/network access in spatial references; geo.validation
# refuses any GeoJSON `crs` other than WGS 84 before GDAL sees it.
SILENCED_SYSTEM_CHECKS = ["gis.W001"]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "INFO")},
    # django-axes announces itself at INFO on every start, commands included.
    # WeasyPrint logs every rendering step at INFO: the PDF reports would flood the log.
    "loggers": {
        "axes": {"level": "WARNING"},
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}
