"""Django settings. Everything that differs between machines comes from the environment."""

from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from planwatch.env import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent
REPO_DIR = BASE_DIR.parent
VAR_DIR = Path(env_str("PLANWATCH_VAR_DIR", str(REPO_DIR / "var")))

DEBUG = env_bool("DEBUG", False)

SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY must be set when DEBUG is off (export SECRET_KEY=... or DEBUG=1)."
        )
    SECRET_KEY = "django-insecure-planwatch-development-only"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "axes",
    "django_tasks",
    "django_tasks_db",
    "planwatch.org",
    "planwatch.catalog",
    "planwatch.accounts",
    "planwatch.audit",
    "planwatch.collection",
    "planwatch.monitoring",
    "planwatch.rectification",
    "planwatch.reports",
    "planwatch.api",
    "planwatch.exchange",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "planwatch.web",
]

MIDDLEWARE = [
    "planwatch.web.middleware.ServerTimingMiddleware",
    "planwatch.web.middleware.RejectNulMiddleware",
    "planwatch.web.middleware.SecurityHeadersMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Static files served by the application itself: an intranet has no CDN and often no
    # separate web server to configure.
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "planwatch.web.middleware.ChosenLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "planwatch.web.middleware.IdleSessionMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes requires: it answers locked-out logins.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "planwatch.urls"

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
                "planwatch.web.context_processors.role",
            ],
        },
    },
]

WSGI_APPLICATION = "planwatch.wsgi.application"

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'planwatch.sqlite3'}"),
        conn_max_age=env_int("DB_CONN_MAX_AGE", 60),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    # Concurrent readers while a report or an import writes.
    DATABASES["default"].setdefault("OPTIONS", {})["init_command"] = (
        "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"
    )
    DATABASES["default"]["OPTIONS"]["transaction_mode"] = "IMMEDIATE"
    # A writer waits this long for the write lock before "database is locked": checks hold
    # no lock (collection/importer.py), but storing a national file holds it for seconds.
    DATABASES["default"]["OPTIONS"]["timeout"] = env_int("SQLITE_BUSY_SECONDS", 30)

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTHENTICATION_BACKENDS = [
    # First, so that a locked-out user is refused before the password is even checked.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = env_int("AXES_COOLOFF_MINUTES", 15) / 60  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
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
# Uploaded files and built reports: app servers and workers on several hosts must see one
# folder (a network share), set here; var/ itself stays each host's own.
MEDIA_ROOT = Path(env_str("PLANWATCH_MEDIA_DIR", str(VAR_DIR / "media")))
# Uploads being received, and the importer's scratch files: under var/, where purge_uploads
# finds what a killed process left behind (the system temp folder is nobody's to clean).
FILE_UPLOAD_TEMP_DIR = str(VAR_DIR / "tmp")
Path(FILE_UPLOAD_TEMP_DIR).mkdir(parents=True, exist_ok=True)
# A running import batch whose process has not stamped it for this long is taken for dead:
# failed, with the reason, and retryable (collection/leases.py).
PLANWATCH_LEASE_SECONDS = env_int("LEASE_SECONDS", 60)
# Uploaded files are deleted this many days after upload; refused ones at once.
PLANWATCH_UPLOAD_RETENTION_DAYS = env_int("UPLOAD_RETENTION_DAYS", 30)
# In development the files are served straight from the apps; in production from
# `planwatch collectstatic`'s STATIC_ROOT.
WHITENOISE_USE_FINDERS = DEBUG
WHITENOISE_AUTOREFRESH = DEBUG

# Production hardening; each can be relaxed by environment for an HTTP-only intranet.
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", not DEBUG)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", not DEBUG)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", not DEBUG)
SECURE_PROXY_SSL_HEADER = (
    ("HTTP_X_FORWARDED_PROTO", "https") if env_bool("BEHIND_TLS_PROXY", False) else None
)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
# No inline script anywhere (templates pass data through data-attributes or json_script).
PLANWATCH_CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data:",
        "font-src 'self' data:",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)
X_FRAME_OPTIONS = "DENY"
# A session ends after this long without a request (web.middleware.IdleSessionMiddleware
# renews it, at most once a minute so that reading pages does not write on every request).
SESSION_COOKIE_AGE = env_int("SESSION_IDLE_MINUTES", 30) * 60

EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "planwatch@localhost")
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
# Links in mails point here (the address users open the site at).
PLANWATCH_SITE_URL = env_str("SITE_URL", "http://localhost:8000")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
}

# Imports: one limit for every channel, so a file refused on the web is refused on the CLI too.
PLANWATCH_IMPORT_MAX_BYTES = env_int("IMPORT_MAX_MB", 512) * 1024 * 1024
# What a file may hold, checked before it is parsed (a zip bomb is small only packed): a
# workbook's unpacked size, its members' compression ratio, shared strings, rows and columns.
# An Excel sheet holds at most 1,048,576 rows; a long-format row unpacks to ~400 bytes.
PLANWATCH_IMPORT_LIMITS = {
    "rows": env_int("IMPORT_MAX_ROWS", 5_000_000),
    "columns": env_int("IMPORT_MAX_COLUMNS", 64),
    "xlsx_unpacked_bytes": env_int("IMPORT_MAX_XLSX_UNPACKED_MB", 800) * 1024 * 1024,
    "xlsx_shared_strings_bytes": env_int("IMPORT_MAX_XLSX_SHARED_STRINGS_MB", 64) * 1024 * 1024,
    "xlsx_ratio": env_int("IMPORT_MAX_XLSX_RATIO", 100),
    "xlsx_members": 1000,
}
# Years anything may be reported or published for: the plans' period widened by this many years
# on each side (baselines before the plan, forecasts after it), see collection/strict.py.
PLANWATCH_YEAR_MARGIN = env_int("YEAR_MARGIN", 10)

# Background work (big imports, recomputation, report builds) goes through django-tasks with
# its database backend: no extra server; `planwatch worker` is the worker.
TASKS = {
    "default": {
        "BACKEND": env_str("TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
        "QUEUES": ["default"],
    }
}

# Cross-process scratch space (import progress seen by the page while the worker runs).
# The cache holds small facts every process must agree on: the years that have results
# (forgotten by each recompute, wherever it runs), an import's progress, API throttle counts.
# Several app servers and workers on several hosts share it only through what they share
# already, the database: PostgreSQL deployments use the database cache (a table that
# `planwatch init` creates). On SQLite, one host by nature, the file cache under var/ keeps
# progress updates off SQLite's single write lock. PLANWATCH_CACHE=file|database overrides.
CACHE_KIND = env_str(
    "PLANWATCH_CACHE",
    "database" if DATABASES["default"]["ENGINE"].endswith("postgresql") else "file",
)
if CACHE_KIND not in {"file", "database"}:
    raise ImproperlyConfigured("PLANWATCH_CACHE 只能是 file 或 database")
CACHES = {
    "default": (
        {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "planwatch_cache",
        }
        if CACHE_KIND == "database"
        else {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(VAR_DIR / "cache"),
        }
    )
}

REST_FRAMEWORK = {
    # Token first: an unauthenticated call is then told 401 with WWW-Authenticate: Token.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["planwatch.api.permissions.HasRole"],
    "DEFAULT_THROTTLE_CLASSES": ["planwatch.api.permissions.TokenRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {"token": env_str("API_TOKEN_RATE", "600/minute")},
    "DEFAULT_PAGINATION_CLASS": "planwatch.api.pagination.StrictLimitOffsetPagination",
    "PAGE_SIZE": 200,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
    # ?format= chooses an export file format here, not a DRF renderer.
    "URL_FORMAT_OVERRIDE": None,
    "DEFAULT_PARSER_CLASSES": [
        "planwatch.api.parsers.SafeJSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "EXCEPTION_HANDLER": "planwatch.api.errors.handle",
}
# A request body held in memory: POST /api/values/ takes up to 50,000 rows (its documented
# limit), some 300 bytes each in JSON; Django's default of 2.5 MB would cut that at ~8,000.
DATA_UPLOAD_MAX_MEMORY_SIZE = env_int("MAX_BODY_MB", 20) * 1024 * 1024
SPECTACULAR_SETTINGS = {
    "TITLE": "planwatch API",
    "DESCRIPTION": "妇女儿童发展规划监测评估平台: catalog, values, workflow, evaluation results.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    # Swagger UI and Redoc from the sidecar package: no CDN on an offline intranet.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "planwatch.api.schema.add_common_errors",
    ],
    # The schema describes the API's shape, not its data: readable without signing in.
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
    "SERVE_AUTHENTICATION": [],
}

# The district this installation monitors; other units are its townships, or references.
PLANWATCH_DISTRICT_CODE = env_str("DISTRICT_CODE", "220112")
# 发文字号 prefix of the plan office's 预警通报: 双妇儿工委办〔2026〕3号.
PLANWATCH_BULLETIN_PREFIX = env_str("BULLETIN_PREFIX", "双妇儿工委办")
