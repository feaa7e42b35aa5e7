"""Django settings for Grassroots.

Every setting that differs between a laptop and production comes from the environment; see
docs/operations.md for the full list. The defaults give a working demo on SQLite with no set-up.
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("GRASSROOTS_VAR_DIR", BASE_DIR / "var"))
# The audit chain's head, appended hourly by the clock (audit.anchor_head) and compared by
# verify_audit_chain: keep it off the database server, or ship it to the log collector (docs/audit.md).
AUDIT_ANCHOR_FILE = Path(os.environ.get("AUDIT_ANCHOR_FILE", VAR_DIR / "audit-anchors.log"))
VAR_DIR.mkdir(parents=True, exist_ok=True)
(VAR_DIR / "static").mkdir(exist_ok=True)


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


# Fail closed: without DEBUG=1 in the environment this is production, and every key below must be given
# (`make run`, `make test` and the test settings set DEBUG=1 for the demo).
DEBUG = env_bool("DEBUG", False)
# Keys production must be given; the development values exist only while DEBUG is on.
PRODUCTION_KEYS = ("SECRET_KEY", "PERSONAL_DATA_HASH_KEY", "SALT_KEY")
missing_keys = [name for name in PRODUCTION_KEYS if not os.environ.get(name, "").strip()]
if missing_keys and not DEBUG:
    raise ImproperlyConfigured(
        "DEBUG is off (production), and these settings are missing from the environment: "
        + ", ".join(missing_keys)
        + ". Set them (docs/operations.md, 'First deployment'), or set DEBUG=1 for development."
    )
SECRET_KEY = os.environ.get("SECRET_KEY", "") or "dev-only-insecure-key-change-me-" + "x" * 32

ALLOWED_HOSTS = [h for h in os.environ.get("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",") if h]
CSRF_TRUSTED_ORIGINS = [o for o in os.environ.get("CSRF_TRUSTED_ORIGINS", "").split(",") if o]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.forms",  # Django's widget templates for FORM_RENDERER (TemplatesSetting)
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "treebeard",
    "auditlog",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "django_tasks",
    "django_tasks_db",
    "django_htmx",
    "csp",
    "axes",
    "grassroots.accounts",
    "grassroots.areas",
    "grassroots.workflow",
    "grassroots.gatherings",
    "grassroots.documents",
    "grassroots.voting",
    "grassroots.selfgov",
    "grassroots.gridwork",
    "grassroots.cogov",
    "grassroots.lawgov",
    "grassroots.virtue",
    "grassroots.audit",
    "grassroots.portal",
    "grassroots.figures",
    "grassroots.demo",
    "grassroots.imports",
    "grassroots.files",
    "grassroots.clock",
    "grassroots.privacy",
    "grassroots.core.members",
    "grassroots.core.admission",
    "grassroots.core.duties",
    "grassroots.core.orglife",
    "grassroots.core.coverage",
    "grassroots.core.assessments",
    "grassroots.operations",
    "grassroots.search",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "grassroots.portal.middleware.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # A view meeting the database away answers 503 (handler500 does the same for the middleware below).
    "grassroots.operations.middleware.DatabaseUnavailableMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "grassroots.audit.actor.AuditActorMiddleware",  # auditlog's, naming API users too
    "grassroots.accounts.middleware.CurrentAreaMiddleware",
    "grassroots.accounts.middleware.IdleTimeoutMiddleware",
    "grassroots.accounts.middleware.OfficialTwoFactorMiddleware",
    "grassroots.accounts.middleware.PasswordExpiryMiddleware",  # after two-factor: the code comes first
    "grassroots.privacy.middleware.PrivacyNoticeMiddleware",  # after two-factor: the notice comes second
    "axes.middleware.AxesMiddleware",  # last: turns a locked-out sign-in into the lockout answer
]

ROOT_URLCONF = "grassroots.urls"
WSGI_APPLICATION = "grassroots.wsgi.application"
ASGI_APPLICATION = "grassroots.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "grassroots" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "grassroots.portal.context_processors.shell",
            ],
        },
    },
]

# Bootstrap 5 on every form: templates/forms/ and the widgets' classes (grassroots/forms.py)
FORM_RENDERER = "grassroots.forms.FormRenderer"

# --- Database -------------------------------------------------------------------------------------------
# SQLite (WAL mode, see grassroots.portal.apps) is the embedded default; DATABASE_URL=postgres://… switches.
DATABASE_URL = os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'grassroots.sqlite3'}")
DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=0 if DEBUG else 60)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
else:
    # PostgreSQL's JIT compiles the large CASE expressions of the roll-ups for longer than they run (issue 11:
    # 3.8 s of a 4.1 s query); the platform's queries are short, so it is off (docs/decisions.md).
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault("options", "-c jit=off")
# A read replica of PostgreSQL (streaming replication): DATABASE_REPLICA_URL=postgres://… adds the alias
# `replica`, which the dashboard's figures, the list exports and the home's cached figures read from
# (grassroots/replica.py; up to the replication lag behind). Unset: everything on `default`.
DATABASE_REPLICA_URL = os.environ.get("DATABASE_REPLICA_URL", "")
if DATABASE_REPLICA_URL:
    DATABASES["replica"] = dj_database_url.parse(DATABASE_REPLICA_URL, conn_max_age=0 if DEBUG else 60)
    if DATABASES["replica"]["ENGINE"] != DATABASES["default"]["ENGINE"]:
        raise ImproperlyConfigured("DATABASE_REPLICA_URL must name the same kind of database as DATABASE_URL")
    DATABASES["replica"]["OPTIONS"] = dict(DATABASES["default"].get("OPTIONS", {}))
    DATABASE_ROUTERS = ["grassroots.replica.ReplicaRouter"]
# Past this lag (seconds) the reads asked for the replica go to the primary; the lag is measured on the
# replica (pg_last_xact_replay_timestamp()) at most every DATABASE_REPLICA_LAG_CHECK_SECONDS per process.
DATABASE_REPLICA_MAX_LAG_SECONDS = float(os.environ.get("DATABASE_REPLICA_MAX_LAG_SECONDS", "30"))
DATABASE_REPLICA_LAG_CHECK_SECONDS = float(os.environ.get("DATABASE_REPLICA_LAG_CHECK_SECONDS", "5"))
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache and background tasks -------------------------------------------------------------------------
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# The officials' home page counts whole subtrees (at the city: every area, organization, resident and staff
# member, and each key figure for every child area): those figures are kept this many seconds in the cache,
# and the page says when they were counted (0: counted on every view; docs/performance.md).
HOME_FIGURES_CACHE_SECONDS = int(os.environ.get("HOME_FIGURES_CACHE_SECONDS", "300"))
# Organizational-life compliance figures (the compliance page, its roll-ups) are kept in the cache under a
# version that a trigger changes on every write of what they are computed from, and today's date: exact, never
# stale (grassroots/core/orglife/kept.py). Kept this many seconds at most (0: computed on every view).
ORGLIFE_COMPLIANCE_CACHE_SECONDS = int(os.environ.get("ORGLIFE_COMPLIANCE_CACHE_SECONDS", "86400"))

TASKS = {
    "default": {
        "BACKEND": os.environ.get("TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
    }
}

# --- Accounts -------------------------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
# django-axes first: it refuses a locked-out account or address before any password is checked.
AUTHENTICATION_BACKENDS = [
    "grassroots.accounts.backends.LockoutBackend",
    "grassroots.accounts.backends.GrassrootsBackend",
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "portal:home"
LOGOUT_REDIRECT_URL = "accounts:login"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "grassroots.accounts.validators.PasswordHistoryValidator"},
]
# A new password may not be the current one or one of the last this many (0: no history).
PASSWORD_HISTORY_COUNT = int(os.environ.get("PASSWORD_HISTORY_COUNT", "5"))
# Web sessions one account may hold at once; signing in once more ends the oldest (0: no limit). On when
# DEBUG is off (the demo and the test suite sign one account in from many clients).
SESSIONS_PER_ACCOUNT = int(os.environ.get("SESSIONS_PER_ACCOUNT", "0" if DEBUG else "3"))
# Officials (street level and above, admins, auditors) must confirm a TOTP code when this is on.
REQUIRE_OFFICIAL_2FA = env_bool("REQUIRE_OFFICIAL_2FA", not DEBUG)
# Everyone must have agreed to the current privacy notice (and not withdrawn) before using the platform:
# accounts made by officials and members' accounts are asked at their first sign-in, everyone again after a
# new notice version (grassroots/privacy/consent.py).
PRIVACY_NOTICE_REQUIRED = env_bool("PRIVACY_NOTICE_REQUIRED", not DEBUG)
OTP_TOTP_ISSUER = "Grassroots"
# The demo password exists only for accounts created by the demo loader, and only while DEBUG is on.
DEMO_PASSWORD = "grassroots-demo"
# Password-reset mail. The console backend (the development default) would print reset links to the log, so
# with DEBUG off a real backend is required: the system check grassroots.E001 (accounts/checks.py) refuses
# to start without one. EMAIL_HOST, EMAIL_PORT, EMAIL_HOST_USER, EMAIL_HOST_PASSWORD, EMAIL_USE_TLS and
# EMAIL_USE_SSL configure Django's SMTP backend.
EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND", f"django.core.mail.backends.{'console' if DEBUG else 'smtp'}.EmailBackend"
)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "grassroots@localhost")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
EMAIL_TIMEOUT = 20

# Sign-in limits (django-axes; docs/accounts.md): after LOGIN_FAILURE_LIMIT failed passwords or one-time codes
# for one account, or from one address, sign-in (web, API token, two-factor step) is refused for
# LOGIN_LOCKOUT_MINUTES; a system admin can lift it earlier (/accounts/lockouts/).
AXES_FAILURE_LIMIT = int(os.environ.get("LOGIN_FAILURE_LIMIT", "10"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("LOGIN_LOCKOUT_MINUTES", "15")))
# Repeated lockouts grow (accounts/lockout_growth.py): the n-th within LOGIN_LOCKOUT_MEMORY_HOURS lasts
# LOGIN_LOCKOUT_MINUTES × 2^(n−1), at most LOGIN_LOCKOUT_MAX_MINUTES.
LOGIN_LOCKOUT_MAX_MINUTES = int(os.environ.get("LOGIN_LOCKOUT_MAX_MINUTES", str(24 * 60)))
LOGIN_LOCKOUT_MEMORY_HOURS = int(os.environ.get("LOGIN_LOCKOUT_MEMORY_HOURS", "24"))
AXES_HANDLER = "grassroots.accounts.lockout_growth.GrowingLockoutHandler"
AXES_ENABLE_ACCESS_FAILURE_LOG = True  # marks the failure that started each lockout: the strikes
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False  # one lockout, one strike
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]  # per account, and per address, each on its own
AXES_LOCKOUT_CALLABLE = "grassroots.accounts.lockout.lockout_response"
AXES_CLIENT_IP_CALLABLE = "grassroots.accounts.addresses.client_ip"
AXES_DISABLE_ACCESS_LOG = True  # successful sign-ins are in our audit log already
AXES_VERBOSE = False
# Backups on the clock (operations.backup, daily 02:30; docs/operations.md): `manage.py backup` into
# BACKUP_DIR, keeping the BACKUP_KEEP newest archives there (0: the clock makes none). BACKUP_MEDIA=0 leaves
# the uploaded files out of the nightly archive.
BACKUP_DIR = Path(os.environ.get("BACKUP_DIR", VAR_DIR / "backups"))
BACKUP_KEEP = int(os.environ.get("BACKUP_KEEP", "14"))
BACKUP_MEDIA = env_bool("BACKUP_MEDIA", True)
# Proxies whose X-Forwarded-For is believed (comma-separated addresses or networks, e.g. 127.0.0.1 for nginx
# on the same host). Empty: the header is ignored and REMOTE_ADDR is the client (accounts/addresses.py).
TRUSTED_PROXIES = [p.strip() for p in os.environ.get("TRUSTED_PROXIES", "").split(",") if p.strip()]

# API tokens (accounts/services/tokens.py): valid this many days after issue; revoked on a password change
# or when the account is disabled.
API_TOKEN_LIFETIME_DAYS = int(os.environ.get("API_TOKEN_LIFETIME_DAYS", "30"))

# --- Personal data -------------------------------------------------------------------------------------
# ID and phone numbers are encrypted with keys derived from SECRET_KEY (+ SECRET_KEY_FALLBACKS when rotating)
# and SALT_KEY; PERSONAL_DATA_HASH_KEY keys the lookup hash of ID numbers. Set all three in production and
# never change the hash key (lookups and "one person, one record" depend on it).
SECRET_KEY_FALLBACKS = [k for k in os.environ.get("SECRET_KEY_FALLBACKS", "").split(",") if k]
SALT_KEY = [k for k in (os.environ.get("SALT_KEY", "") or "grassroots-dev-salt").split(",") if k]
PERSONAL_DATA_HASH_KEY = os.environ.get("PERSONAL_DATA_HASH_KEY", "") or "dev-only-personal-data-hash-key"
# Required study hours per member per year (educate).
MEMBERS_REQUIRED_STUDY_HOURS = int(os.environ.get("MEMBERS_REQUIRED_STUDY_HOURS", "32"))
# Work reports (述职评议): the lowest average score of 好, 较好 and 一般 (below: 差);
# grid extension: the share of
# residents' ratings in a cadre's score (docs/assessments.md).
WORK_REPORT_GRADE_THRESHOLDS = {"good": 90, "fairly_good": 80, "average": 60}
GRID_EXTENSION_RATING_WEIGHT = "0.4"

# --- Audit ----------------------------------------------------------------------------------------------
AUDIT_RETENTION_DAYS = max(180, int(os.environ.get("AUDIT_RETENTION_DAYS", "365")))
AUDITLOG_INCLUDE_ALL_MODELS = False

# --- Internationalization -------------------------------------------------------------------------------
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "grassroots" / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

# --- Static and media -----------------------------------------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "grassroots" / "static"]
MEDIA_URL = "media/"
MEDIA_ROOT = VAR_DIR / "media"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
FILE_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 20 * 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FILES = 20

# --- Files (docs/files.md) -------------------------------------------------------------------------------
# MEDIA_URL has no route: every stored file is sent by a scoped view. Behind nginx, set
# FILES_ACCEL_REDIRECT to the prefix of an `internal` location aliasing MEDIA_ROOT (e.g. /protected-media/):
# the view then answers with X-Accel-Redirect and nginx sends the file.
FILES_ACCEL_REDIRECT = os.environ.get("FILES_ACCEL_REDIRECT", "")
# The limit of one uploaded file, enforced while it streams (views may declare their own: @upload_limit).
FILES_MAX_UPLOAD_BYTES = int(os.environ.get("FILES_MAX_UPLOAD_BYTES", str(10 * 1024 * 1024)))
FILES_MAX_IMAGE_PIXELS = 40_000_000
# Import files, rejected-rows workbooks and exports are deleted this many days after their job finished.
FILES_RETENTION_DAYS = int(os.environ.get("FILES_RETENTION_DAYS", "30"))
# A decided personal-data request keeps its kind, dates, decider and outcome (the proof that it was handled);
# its free text (the person's details, the reply) is blanked this many days after the decision:
# three years, the general limitation period for civil claims (Civil Code art. 188), docs/decisions.md.
PRIVACY_REQUESTS_RETENTION_DAYS = int(os.environ.get("PRIVACY_REQUESTS_RETENTION_DAYS", "1095"))
# 一化 points (docs/virtue.md, "Points"): points per real deed, the same in every area (docs/decisions.md).
# Only these deeds earn points: never logins, page views, reading time, likes or shares.
VIRTUE_POINTS_RULES = {
    "attendance": 2,  # present at a gathering (volunteer activities count by their hours instead)
    "service_hours": 5,  # per hour of volunteer service confirmed by the organizer (rounded, at least 1)
    "award": 20,  # an award won (e.g. a selection campaign), unless the awarding part names its points
}
VIRTUE_POINTS_ATTENDANCE_EXCLUDED_KINDS = ("volunteer_service",)
# 法治: the time limit of a mediation, in days, per kind (people's mediation: 30 days by the People's
# Mediation Law; docs/lawgov.md), and when the follow-up visit after a settlement is due.
LAWGOV_TIME_LIMITS = {
    "peoples": int(os.environ.get("LAWGOV_PEOPLES_DAYS", "30")),
    "administrative": int(os.environ.get("LAWGOV_ADMINISTRATIVE_DAYS", "30")),
    "judicial": int(os.environ.get("LAWGOV_JUDICIAL_DAYS", "30")),
}
LAWGOV_VISIT_AFTER_DAYS = int(os.environ.get("LAWGOV_VISIT_AFTER_DAYS", "30"))
LAWGOV_AT_RISK_DAYS = int(os.environ.get("LAWGOV_AT_RISK_DAYS", "7"))  # the fast path of 可能激化 cases
LAWGOV_REMIND_DAYS = int(os.environ.get("LAWGOV_REMIND_DAYS", "3"))  # remind this many days before the limit
# Members transferred out are pseudonymised this many years after the transfer (members.forget_departed).
MEMBERS_DEPARTED_RETENTION_YEARS = int(os.environ.get("MEMBERS_DEPARTED_RETENTION_YEARS", "5"))
# Deceased members are pseudonymised this many years after the death was recorded (members.forget_deceased;
# docs/decisions.md "Retention of departed and deceased members").
MEMBERS_DECEASED_RETENTION_YEARS = int(os.environ.get("MEMBERS_DECEASED_RETENTION_YEARS", "3"))
# Who was on a closed (held or cancelled) gathering's list is forgotten this many years after it ended
# (gatherings.forget_participants; docs/decisions.md "Retention of closed gatherings' participant lists").
GATHERINGS_PARTICIPANTS_RETENTION_YEARS = int(os.environ.get("GATHERINGS_PARTICIPANTS_RETENTION_YEARS", "3"))
# A grid worker's visit loses the person, what was heard and the notes this many years after it (follow-ups
# still open excepted; gridwork.forget_visits; docs/decisions.md "Retention of the visit log").
GRIDWORK_VISITS_RETENTION_YEARS = int(os.environ.get("GRIDWORK_VISITS_RETENTION_YEARS", "3"))
# The parts' business records (grassroots/privacy/retention.py; docs/decisions.md "Retention of business
# records", where each period is reasoned): the reasons members gave for missing an organizational-life
# meeting, this many years after it (the report itself is the Party's record and stays);
ORGLIFE_ABSENCES_RETENTION_YEARS = int(os.environ.get("ORGLIFE_ABSENCES_RETENTION_YEARS", "5"))
# what a finished duty assignment's work report and return reason say, this many years after it was approved
# (the archives' ten-year period of routine work records; the assignment, its dates and state stay);
DUTIES_REPORTS_RETENTION_YEARS = int(os.environ.get("DUTIES_REPORTS_RETENTION_YEARS", "10"))
# who gave a grid cadre's rating and what they wrote, this many years after the rated year (score kept);
ASSESSMENTS_RATINGS_RETENTION_YEARS = int(os.environ.get("ASSESSMENTS_RATINGS_RETENTION_YEARS", "3"))
# a residents' opinion's text, place and supporters, and the comments of matter ratings, this many years after
# it was decided (grouped into a matter or not adopted) or the rating round closed;
SELFGOV_OPINIONS_RETENTION_YEARS = int(os.environ.get("SELFGOV_OPINIONS_RETENTION_YEARS", "3"))
# a closed vote's list of electors and its paper codes (with who signed for them), this many years after it
# closed — a residents' committee's term; the ballots and their chain, the turnout and the result stay.
VOTING_RETENTION_YEARS = int(os.environ.get("VOTING_RETENTION_YEARS", "5"))
# How far ahead the clock materialises the occurrences of recurring gatherings (docs/gatherings.md).
GATHERINGS_SERIES_HORIZON_DAYS = int(os.environ.get("GATHERINGS_SERIES_HORIZON_DAYS", "60"))
FILE_UPLOAD_HANDLERS = [
    "grassroots.files.uploads.LimitedUploadHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]
FILE_UPLOAD_PERMISSIONS = 0o640
FILE_UPLOAD_DIRECTORY_PERMISSIONS = 0o750

# --- API ------------------------------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "grassroots.accounts.authentication.ApiTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": [
        "rest_framework.permissions.IsAuthenticated",
        "grassroots.privacy.permissions.NoticeAgreed",  # 403 `notice_not_agreed` / `consent_withdrawn`
        "grassroots.accounts.permissions.PasswordCurrent",  # 403 `password_expired`
    ],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": ["grassroots.api.search.PrivateSearchFilterBackend"],  # no number in ?q=
    "DEFAULT_SCHEMA_CLASS": "grassroots.api.idempotency.KeyedAutoSchema",  # + the Idempotency-Key header
    # One shape for every error of every endpoint: {"detail", "code", "errors"} (docs/api.md "Errors").
    "EXCEPTION_HANDLER": "grassroots.api.errors.exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Grassroots API",
    "DESCRIPTION": "一核三治一化 urban grassroots Party building and community governance",
    "VERSION": "0.1.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # The docs page (/api/docs/): without deep links Swagger UI draws each route's path as plain text, not
    # as a link inside the route's button (axe-core: nested-interactive, serious), and examples without
    # syntax colours (set inline, below 4.5:1 on their dark ground; docs/api.md).
    "SWAGGER_UI_SETTINGS": {"deepLinking": False, "syntaxHighlight": False},
    # Fields of the same name ("kind", "level", "role") carry different choices in different parts: name
    # each choice set after its class so that the schema stays stable (and free of warnings).
    "ENUM_NAME_OVERRIDES": {
        "AreaLevelEnum": "grassroots.areas.models.Level",
        "PartyOrgKindEnum": "grassroots.areas.models.PartyOrgKind",
        "CampaignKindEnum": "grassroots.virtue.models_campaigns.CampaignKind",
        "RoleEnum": "grassroots.accounts.roles.Role",
        "CareVisitKindEnum": "grassroots.core.members.models.CareVisitKind",
        "VerificationStateEnum": "grassroots.accounts.models.VerificationState",
        "GuidanceStateEnum": "grassroots.core.orglife.models.GuidanceState",
        "OfficeKindEnum": "grassroots.core.duties.models.OfficeKind",
        "ScoringMethodEnum": "grassroots.core.assessments.models.Method",
        "ContactMethodEnum": "grassroots.core.members.models.ContactMethod",
        "DataRequestKindEnum": "grassroots.privacy.models.RequestKind",
        "TagKindEnum": "grassroots.core.members.models.TagKind",
        "DutyTargetLevelEnum": "grassroots.core.duties.api.tasks.TARGET_LEVEL_CHOICES",
        "DocumentKindEnum": "grassroots.documents.models.Kind",
        "DocumentVersionStateEnum": "grassroots.documents.models.VersionState",
        "AppraisalGradeEnum": "grassroots.core.orglife.models.Grade",
        "WorkReportGradeEnum": "grassroots.core.assessments.models.reports.Grade",
        "GatheringStatusEnum": "grassroots.gatherings.models.Status",
        "OpinionStateEnum": "grassroots.selfgov.models.OpinionState",
        "MatterStateEnum": "grassroots.selfgov.models.MatterState",
        "ElectorateEnum": "grassroots.voting.models.Electorate",
        "MajorityEnum": "grassroots.voting.models.Majority",
        "MatterElectorateEnum": "grassroots.selfgov.models.MATTER_ELECTORATES",
        "MatterMajorityEnum": "grassroots.selfgov.models.MATTER_MAJORITIES",
        "PartnerKindEnum": "grassroots.cogov.models.PartnerKind",
        "PartnerResourceKindEnum": "grassroots.cogov.models.ResourceKind",
        "RulebookKindEnum": "grassroots.selfgov.models.RulebookKind",
        "OpinionCategoryEnum": "grassroots.selfgov.models.Category",
        "NegotiationPartyKindEnum": "grassroots.selfgov.models_negotiations.PartyKind",
        "NegotiationStateEnum": "grassroots.selfgov.models_negotiations.NegotiationState",
        # one choice set: selfgov evaluation ratings (level) and cogov service ratings (verdict)
        "SatisfactionEnum": "grassroots.cogov.models_items.Verdict",
        "DisputeLevelEnum": "grassroots.lawgov.models_disputes.DisputeLevel",
        "DisputeKindEnum": "grassroots.lawgov.models_disputes.DisputeKind",
        "DisputeCategoryEnum": "grassroots.lawgov.models_disputes.DisputeCategory",
        "VenueKindEnum": "grassroots.virtue.models.VenueKind",
        "WarningModeEnum": "grassroots.virtue.models.WarningMode",
        "BrandKindEnum": "grassroots.virtue.models_brands.BrandKind",
        "EnvironmentalActionKindEnum": "grassroots.virtue.brands_setup.ENV_KIND_CHOICES",
        "PairingKindEnum": "grassroots.lawgov.models_pairings.PairingKind",
        "JobStatusEnum": "grassroots.imports.models.JobStatus",  # import and export jobs
    },
}

# --- Security (production) ------------------------------------------------------------------------------
if not DEBUG:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_CONTENT_TYPE_NOSNIFF = True
SESSION_COOKIE_AGE = 8 * 3600
# Officials (and staff) are signed out after this many seconds without a request (0: never); others keep
# the cookie's age. Off by default in development and the test suite, like REQUIRE_OFFICIAL_2FA
# (grassroots/accounts/middleware.py IdleTimeoutMiddleware).
SESSION_IDLE_TIMEOUT = int(os.environ.get("SESSION_IDLE_TIMEOUT", "0" if DEBUG else str(30 * 60)))
# Residents and members (no console role) are signed out after this many seconds without a request (0:
# never; longer than officials': they hold only their own data and use the site in passing).
SESSION_IDLE_TIMEOUT_RESIDENTS = int(
    os.environ.get("SESSION_IDLE_TIMEOUT_RESIDENTS", "0" if DEBUG else str(2 * 3600))
)
# Console accounts (officials, auditors, system admins) must change a password older than this many days
# (0: never; MLPS 8.1.4.1 periodic change). Off in development and the test suite, like the idle timeout.
PASSWORD_MAX_AGE_DAYS = int(os.environ.get("PASSWORD_MAX_AGE_DAYS", "0" if DEBUG else "90"))

# Content-Security-Policy (django-csp): scripts only from our own static files — no inline script, no eval,
# no CDN (charts read their data from json_script blocks; behaviour hangs on data-* attributes, app.js).
# Inline styles stay allowed (style="" attributes; htmx and Swagger UI insert <style> elements).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF, "'unsafe-inline'"],
        "img-src": [SELF, "data:", "blob:"],
        "font-src": [SELF, "data:"],
        "connect-src": [SELF],
        "worker-src": [SELF, "blob:"],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
# Permissions-Policy (grassroots.portal.middleware): browser features no page uses, switched off; the
# position for our own pages only (随手拍's 使用当前位置, static/grassroots/locate.js).
PERMISSIONS_POLICY = {
    feature: []
    for feature in (
        "accelerometer",
        "camera",
        "display-capture",
        "gyroscope",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "usb",
    )
} | {"geolocation": ["self"]}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    # lockouts and repeated failures (WARNING) are worth reading; axes' housekeeping (INFO) is not
    "loggers": {"axes": {"level": "WARNING"}},
}
