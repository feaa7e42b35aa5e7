"""System checks that keep a production start from going ahead in an unsafe state. They run before every
management command (migrate, runserver, db_worker…) and, through grassroots/wsgi.py, before gunicorn
serves."""

from django.conf import settings
from django.core import checks

# Backends that do not deliver mail: the console and file backends would write password-reset links to the
# log or the disk, the others drop them.
UNDELIVERED_MAIL_BACKENDS = {
    "django.core.mail.backends.console.EmailBackend",
    "django.core.mail.backends.filebased.EmailBackend",
    "django.core.mail.backends.locmem.EmailBackend",
    "django.core.mail.backends.dummy.EmailBackend",
}
SMTP_BACKEND = "django.core.mail.backends.smtp.EmailBackend"


@checks.register("grassroots")
def check_mail(app_configs=None, **kwargs):
    """With DEBUG off, password-reset mail must go to a real mail server (E001), never to the log."""
    if settings.DEBUG:
        return []
    backend = settings.EMAIL_BACKEND
    if backend in UNDELIVERED_MAIL_BACKENDS:
        return [
            checks.Error(
                f"EMAIL_BACKEND is {backend} while DEBUG is off: password-reset links would be written "
                "to the log (or dropped) instead of mailed.",
                hint="Set EMAIL_BACKEND=django.core.mail.backends.smtp.EmailBackend with EMAIL_HOST (and "
                "EMAIL_PORT, EMAIL_HOST_USER, EMAIL_HOST_PASSWORD, EMAIL_USE_TLS as your server needs).",
                id="grassroots.E001",
            )
        ]
    if backend == SMTP_BACKEND and not settings.EMAIL_HOST:
        return [
            checks.Error(
                "EMAIL_HOST is not set while DEBUG is off: password-reset mail cannot be sent.",
                hint="Set EMAIL_HOST (and EMAIL_PORT, EMAIL_HOST_USER, EMAIL_HOST_PASSWORD, EMAIL_USE_TLS).",
                id="grassroots.E001",
            )
        ]
    return []


def refuse_unsafe_start() -> None:
    """Raise if a grassroots check reports an error: gunicorn does not run system checks by itself."""
    from django.core.exceptions import ImproperlyConfigured

    errors = [message for message in checks.run_checks(tags=["grassroots"]) if message.is_serious()]
    if errors:
        raise ImproperlyConfigured("; ".join(f"{e.id}: {e.msg} {e.hint or ''}".strip() for e in errors))
