from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    name = "grassroots.search"
    label = "search"
    verbose_name = _("搜索")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from grassroots.search import backend, receivers

        receivers.connect()
        post_migrate.connect(backend.ensure_structures, sender=self, dispatch_uid="search.ensure_structures")
