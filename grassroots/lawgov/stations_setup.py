"""What the legal service stations register at start-up: the permission to run a station, audit."""

from django.utils.translation import gettext_lazy as _


def setup_stations() -> None:
    from grassroots.accounts.roles import OFFICIALS, Role, register_permission
    from grassroots.audit.registry import track
    from grassroots.lawgov.models_stations import Consultation, LegalSession, LegalStation, LegalWorker

    # Who runs a community's station (its workers, sessions, consultations): the community's staff and the
    # officials above, and the legal workers of the station's community.
    register_permission("lawgov.stations", _("管理法律服务站"), set(OFFICIALS | {Role.LEGAL_WORKER}))
    for model in (LegalStation, LegalWorker, LegalSession, Consultation):
        track(model)
    # Legal education events (法治宣传教育): gatherings of their own kind, with attendance, created from the
    # station page (services_stations.schedule_education). They are education events of cultivation by virtue
    # (一化) too: a study kind here (a Party member marked present gets one study record, through the members
    # part), and virtue's calendar and /api/events/ list the kind (virtue/kinds.py EDUCATION_KINDS).
    from grassroots.core.members.services.educate import register_study_kind
    from grassroots.gatherings.kinds import register_kind
    from grassroots.lawgov.services_stations import EDUCATION_KIND

    register_kind(EDUCATION_KIND, _("法治宣传教育"), icon="megaphone")
    register_study_kind(EDUCATION_KIND)
    # The station page (its calendar, booking) for everyone who lives by or runs one.
    from grassroots.portal.navigation import NavEntry, register

    register("lawgov", NavEntry(_("法律服务站"), "lawgov:station_list", None, "bi-bank", public=True))
