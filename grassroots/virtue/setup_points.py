"""Points and the community points store, wired in (called from apps.py `ready`): the deeds that earn points
(the gatherings' attendance signal, cogov's confirmed service hours), audit tracking of the store, personal
data, the menu entries of the 一化 group and the home blocks."""

from __future__ import annotations


def _on_attendance(sender, gathering, user, present, previous, **kwargs) -> None:
    from grassroots.virtue.services_points import earn_for_attendance

    earn_for_attendance(gathering=gathering, user=user, present=present, previous=previous)


def _on_service_hours(sender, instance, created, raw=False, **kwargs) -> None:
    if raw:
        return
    from grassroots.virtue.services_points import earn_for_service_hours

    earn_for_service_hours(instance)


def setup_points() -> None:
    from django.db.models.signals import post_save
    from django.utils.translation import gettext_lazy as _

    from grassroots.audit.registry import track
    from grassroots.gatherings.signals import attendance_recorded
    from grassroots.virtue.models_points import Exchange, StoreItem

    attendance_recorded.connect(_on_attendance, dispatch_uid="virtue_points_attendance")
    post_save.connect(_on_service_hours, sender="cogov.ServiceHours", dispatch_uid="virtue_points_hours")
    track(StoreItem)
    track(Exchange)
    from grassroots.virtue.privacy_points import register_personal_data

    register_personal_data()  # a person's own data (grassroots/privacy)
    from grassroots.portal.navigation import NavEntry, register
    from grassroots.virtue.blocks_points import register_blocks

    register("virtue", NavEntry(_("我的积分"), "virtue:my_points", None, "bi-coin", public=True))
    register("virtue", NavEntry(_("积分商城"), "virtue:store", None, "bi-shop", public=True))
    register("virtue", NavEntry(_("积分台账"), "virtue:points_ledger", "virtue.view", "bi-journal-text"))
    register("virtue", NavEntry(_("积分商城管理"), "virtue:store_admin", "virtue.manage", "bi-shop-window"))
    register_blocks()
    from django.apps import apps

    if apps.is_installed("grassroots.core.assessments"):
        from grassroots.virtue.figures_points import register_figures

        register_figures()  # the one figures registry: what assessments and homes read
