from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GatheringsConfig(AppConfig):
    name = "grassroots.gatherings"
    label = "gatherings"
    verbose_name = _("会议活动")
