from django.apps import AppConfig, apps
from django.utils.module_loading import module_has_submodule
from django.utils.translation import gettext_lazy as _


class ImportsConfig(AppConfig):
    name = "grassroots.imports"
    label = "imports"
    verbose_name = _("导入与导出")

    def ready(self) -> None:
        # Importers and exporters register from each app's `transfer` package (see registry.py).
        from importlib import import_module

        from grassroots.files.services import retain
        from grassroots.imports.models import ExportJob, ImportJob, past_retention

        # uploads, rejected rows and exports are plaintext personal data: purged after the retention period
        retain(
            "imports", ImportJob, fields=("file", "rejected_file"), old=past_retention, folders=("imports",)
        )
        retain("exports", ExportJob, fields=("file",), old=past_retention, folders=("exports",))

        # ... and every list page's export from each app's `exports` module (lists.py)
        for config in apps.get_app_configs():
            if not config.name.startswith("grassroots."):
                continue
            for module in ("transfer", "exports"):
                if module_has_submodule(config.module, module):
                    import_module(f"{config.name}.{module}")
