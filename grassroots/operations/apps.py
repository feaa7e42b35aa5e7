from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OperationsConfig(AppConfig):
    """Running the platform: backup and restore (backup.py, `manage.py backup` / `restore`) and the answer
    when the database is away (middleware.py). No models."""

    name = "grassroots.operations"
    label = "operations"
    verbose_name = _("运维")
