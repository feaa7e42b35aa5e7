"""Production fails closed: DEBUG defaults to off, every key must be given, and password-reset mail must go
to a real mail server (never to the log). Processes are started for real, with the environment a careless
operator would give them."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from grassroots.accounts.checks import check_mail

ROOT = Path(__file__).resolve().parents[2]
KEYS = {"SECRET_KEY": "k" * 50, "PERSONAL_DATA_HASH_KEY": "hash-key", "SALT_KEY": "salt"}
SMTP = {"EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend", "EMAIL_HOST": "127.0.0.1"}


def start(code: str, tmp_path, **env) -> subprocess.CompletedProcess:
    """Run `code` in a fresh Python with the production settings module and only the given variables."""
    clean = {
        k: v for k, v in os.environ.items() if k not in {"DEBUG", *KEYS, *SMTP, "DJANGO_SETTINGS_MODULE"}
    }
    clean.update(DJANGO_SETTINGS_MODULE="grassroots.settings", GRASSROOTS_VAR_DIR=str(tmp_path), **env)
    return subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=clean, capture_output=True, text=True, timeout=120
    )


SETTINGS = "import django; django.setup(); from django.conf import settings; print('DEBUG', settings.DEBUG)"
WSGI = "import grassroots.wsgi; print('serving')"


def test_debug_defaults_to_off_and_then_every_key_is_required(tmp_path):
    started = start(SETTINGS, tmp_path)
    assert started.returncode != 0
    assert "SECRET_KEY, PERSONAL_DATA_HASH_KEY, SALT_KEY" in started.stderr
    assert "DEBUG=1" in started.stderr  # says how to get the development defaults


@pytest.mark.parametrize("missing", sorted(KEYS))
def test_each_production_key_is_required(missing, tmp_path):
    given = {k: v for k, v in KEYS.items() if k != missing}
    started = start(SETTINGS, tmp_path, DEBUG="0", **given, **SMTP)
    assert started.returncode != 0
    assert "ImproperlyConfigured" in started.stderr and missing in started.stderr


def test_the_demo_runs_with_debug_on_and_no_keys(tmp_path):
    started = start(SETTINGS, tmp_path, DEBUG="1")
    assert started.returncode == 0, started.stderr
    assert "DEBUG True" in started.stdout


def test_production_asks_for_the_notice_and_ends_idle_sessions(tmp_path):
    code = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.PRIVACY_NOTICE_REQUIRED, s.SESSION_IDLE_TIMEOUT, s.REQUIRE_OFFICIAL_2FA)"
    )
    production = start(code, tmp_path, DEBUG="0", **KEYS, **SMTP)
    assert production.returncode == 0, production.stderr
    assert production.stdout.split() == ["True", "1800", "True"]
    development = start(code, tmp_path, DEBUG="1")
    assert development.stdout.split() == ["False", "0", "False"]


def test_the_web_server_refuses_to_start_without_a_real_mail_setting(tmp_path):
    started = start(WSGI, tmp_path, DEBUG="0", **KEYS)  # no EMAIL_* at all
    assert started.returncode != 0
    assert "grassroots.E001" in started.stderr
    console = start(
        WSGI, tmp_path, DEBUG="0", EMAIL_BACKEND="django.core.mail.backends.console.EmailBackend", **KEYS
    )
    assert console.returncode != 0
    assert "grassroots.E001" in console.stderr and "log" in console.stderr
    ready = start(WSGI, tmp_path, DEBUG="0", **KEYS, **SMTP)
    assert ready.returncode == 0, ready.stderr
    assert "serving" in ready.stdout


def test_management_commands_refuse_too(tmp_path):
    command = (
        "import sys; from django.core.management import execute_from_command_line; "
        "execute_from_command_line(sys.argv[:1] + ['check'])"
    )
    started = start(command, tmp_path, DEBUG="0", **KEYS)
    assert started.returncode != 0
    assert "grassroots.E001" in started.stderr


def test_the_mail_check(settings):
    settings.DEBUG = False
    settings.EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
    assert [e.id for e in check_mail()] == ["grassroots.E001"]
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = ""
    assert [e.id for e in check_mail()] == ["grassroots.E001"]
    settings.EMAIL_HOST = "mail.grassroots.example"
    assert check_mail() == []
    settings.DEBUG = True
    settings.EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
    assert check_mail() == []  # the demo prints its mail; production never does
