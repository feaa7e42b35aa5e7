"""Brand activities and environmental actions (一化): their gathering kinds, menu entries, home blocks and
audit, registered from VirtueConfig.ready()."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from grassroots.virtue.kinds import EDUCATION_KINDS
from grassroots.virtue.kinds import GROUP_LABEL as VIRTUE_GROUP

BRAND_ACTIVITY = "virtue_brand_activity"  # 品牌活动: an activity of a community's culture brand
ENV_CLEANUP = "virtue_env_cleanup"  # 清洁家园 (clean-up)
ENV_SORTING = "virtue_env_sorting"  # 垃圾分类 (waste sorting)
ENV_PUBLICITY = "virtue_env_publicity"  # 环保宣传 (publicity)

ENV_GROUP = _("绿美雅安·党员先行")
ENV_KINDS: dict[str, tuple] = {
    ENV_CLEANUP: (_("清洁家园"), "trash3"),
    ENV_SORTING: (_("垃圾分类"), "recycle"),
    ENV_PUBLICITY: (_("环保宣传"), "megaphone"),
}
ENV_KIND_CHOICES = [(code, label) for code, (label, _icon) in ENV_KINDS.items()]
# What the calendar of events shows: education events, brand activities and environmental actions.
CALENDAR_KINDS = (*EDUCATION_KINDS, BRAND_ACTIVITY, *ENV_KINDS)


def register_brands() -> None:
    from grassroots.audit.registry import track
    from grassroots.gatherings.kinds import OwnForm, register_kind
    from grassroots.portal.navigation import NavEntry, register
    from grassroots.virtue.blocks_brands import register_blocks
    from grassroots.virtue.models_brands import BrandActivity, CultureBrand, EnvironmentalAction

    # Kinds with a form of their own (a brand's activity needs its brand, an action its check-in code): the
    # general form does not offer them and the general create refuses them, naming these pages.
    brand_form = OwnForm("virtue:brand_list", _("文化品牌"), "/api/brands/{id}/activities/")
    action_form = OwnForm("virtue:action_list", _("绿美雅安"), "/api/environmental-actions/")
    register_kind(BRAND_ACTIVITY, _("品牌活动"), icon="flag", group=VIRTUE_GROUP, own_form=brand_form)
    for code, (label, icon) in ENV_KINDS.items():
        # A resident checks in with the code shown on site (services_brands.check_in_with_code).
        register_kind(code, label, icon=icon, group=ENV_GROUP, code_check_in=True, own_form=action_form)
    register(
        "virtue",
        NavEntry(_("活动日历"), "virtue:calendar", "gatherings.view", "bi-calendar3", public=True, phone=70),
    )
    register(
        "virtue",
        NavEntry(_("绿美雅安"), "virtue:action_list", "gatherings.view", "bi-tree", public=True, phone=75),
    )
    register("virtue", NavEntry(_("文化品牌"), "virtue:brand_list", "virtue.view", "bi-flag"))
    register(  # residents: their own community's venues (selectors.visible_venues)
        "virtue",
        NavEntry(
            _("阵地地图"), "virtue:venue_map", ("virtue.view", "virtue.venues"), "bi-geo-alt", public=True
        ),
    )
    register_blocks()
    track(CultureBrand)
    track(BrandActivity)
    track(EnvironmentalAction, exclude_fields=["check_in_code"])  # the code shown on site, not logged
