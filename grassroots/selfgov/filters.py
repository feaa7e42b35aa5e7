"""The opinions list's filter by channel, one definition for the page 居民意见 (and its export) and
`/api/opinions/`: `?channel=` one of `Channel` (居民提交, 随手拍, 网格员走访记录); an unknown value is a
field error on the page and a 400 on the API — never silently ignored."""

from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _

from grassroots.selfgov.models import Channel, Opinion


class OpinionFilter(django_filters.FilterSet):
    channel = django_filters.ChoiceFilter(label=_("来源"), choices=Channel.choices, empty_label=_("全部来源"))

    class Meta:
        model = Opinion
        fields = ["channel"]
