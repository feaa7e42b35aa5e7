"""Legal service stations: setting up a station and its workers, scheduling a body's recurring sessions,
residents booking and cancelling a place, consultations recorded with their referral. One function per
action, keyword-only, atomic; each checks who may act (`lawgov.stations` on the station's community) and its
rules (ValidationError in Chinese at the field). Booking is the gatherings' sign-up: the occurrence's row is
locked and the seats counted in the same transaction, so two residents never take one last place."""

from __future__ import annotations

from datetime import date, time

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from grassroots.access.scoping import has_perm
from grassroots.areas.models import Area, Level
from grassroots.areas.subtree import lies_under
from grassroots.gatherings import services as gatherings
from grassroots.gatherings.models import Gathering, Visibility
from grassroots.lawgov.models_stations import (
    Consultation,
    LegalSession,
    LegalStation,
    LegalWorker,
    Provider,
    Referral,
    WorkerRole,
)
from grassroots.portal.submissions import create_once

MANAGE = "lawgov.stations"


def require_manage(actor, area: Area) -> None:
    if not has_perm(actor, MANAGE, area):
        raise PermissionDenied(_("您无权管理该社区的法律服务站。"))


@transaction.atomic
def create_station(
    *, actor, area: Area, name: str, place: str = "", opening_hours: str = "", phone: str = ""
):
    """The community's station (one per community)."""
    require_manage(actor, area)
    errors = {}
    if area.level != Level.COMMUNITY:
        errors["area"] = _("法律服务站须设在社区。")
    elif LegalStation.objects.filter(area=area).exists():
        errors["area"] = _("该社区已设有法律服务站。")
    if not name.strip():
        errors["name"] = _("请填写名称。")
    if errors:
        raise ValidationError(errors)
    return LegalStation.objects.create(
        area=area,
        name=name.strip(),
        place=place.strip(),
        opening_hours=opening_hours.strip(),
        phone=phone.strip(),
    )


STATION_FIELDS = ("name", "place", "opening_hours", "phone")


@transaction.atomic
def update_station(*, actor, station: LegalStation, **changes) -> LegalStation:
    """Change the station's name, place, opening hours or phone (its community stays). The sessions to come
    keep their place: change a series on its own page."""
    unknown = set(changes) - set(STATION_FIELDS)
    if unknown:
        raise TypeError(f"update_station() cannot change {sorted(unknown)}")
    require_manage(actor, station.area)
    station = LegalStation.objects.select_for_update().get(pk=station.pk)
    for field, value in changes.items():
        setattr(station, field, (value or "").strip())
    if not station.name:
        raise ValidationError({"name": _("请填写名称。")})
    station.save(update_fields=[*changes])
    return station


def worker_candidates(station: LegalStation):
    """The accounts that may be the station's lawyer or legal adviser: active holders of the legal worker's
    role on the station's community or an area under it."""
    from grassroots.accounts.models import User
    from grassroots.accounts.roles import Role

    return (
        User.objects.filter(
            is_active=True,
            grants__role=Role.LEGAL_WORKER,
            grants__area__path__startswith=station.area.path,
        )
        .distinct()
        .order_by("username")
    )


@transaction.atomic
def add_worker(*, actor, station: LegalStation, name: str, role: str, organization: str = "", user=None):
    """A worker of the station: by name, perhaps with the account of a legal worker of its community."""
    require_manage(actor, station.area)
    errors = {}
    if user is not None:
        if not worker_candidates(station).filter(pk=user.pk).exists():
            errors["user"] = _("该账号不是本社区的法律工作者。")
        elif station.workers.filter(user=user, active=True).exists():
            errors["user"] = _("该账号已是本站的法律工作者。")
        name = name.strip() or user.full_name or user.username
    if not name.strip():
        errors["name"] = _("请填写姓名。")
    if role not in WorkerRole.values:
        errors["role"] = _("请选择身份。")
    if errors:
        raise ValidationError(errors)
    return LegalWorker.objects.create(
        station=station, name=name.strip(), role=role, organization=organization.strip(), user=user
    )


@transaction.atomic
def remove_worker(*, actor, worker: LegalWorker) -> LegalWorker:
    """The worker leaves the station (kept, no longer on duty: the consultations they recorded stay)."""
    require_manage(actor, worker.station.area)
    worker = LegalWorker.objects.select_for_update().get(pk=worker.pk)
    if not worker.active:
        raise ValidationError(_("该法律工作者已不在岗。"))
    worker.active = False
    worker.save(update_fields=["active"])
    return worker


EDUCATION_KIND = "legal_education"


@transaction.atomic
def schedule_education(
    *,
    actor,
    station: LegalStation,
    title: str,
    starts_at,
    ends_at,
    place: str = "",
    description: str = "",
    capacity: int | None = None,
    submission: str = "",
) -> Gathering:
    """A legal education event (法治宣传教育) in the station's community: a public gathering of the kind
    `legal_education`, sign-up open, its attendance kept on the gathering's attendance sheet. `submission`:
    the form's token (the gathering's, portal/submissions.py)."""
    require_manage(actor, station.area)
    if capacity is not None and capacity < 1:
        raise ValidationError({"capacity": _("名额至少为 1 人，或留空表示不限。")})
    return gatherings.authorized.create_gathering(
        actor=actor,
        kind=EDUCATION_KIND,
        title=title,
        area=station.area,
        starts_at=starts_at,
        ends_at=ends_at,
        place=place.strip() or station.place or station.name,
        description=description,
        visibility=Visibility.PUBLIC,
        capacity=capacity,
        signup_open=True,
        submission=submission,
    )


@transaction.atomic
def schedule_session(
    *,
    actor,
    station: LegalStation,
    provider: str,
    title: str,
    start_time: time,
    duration_minutes: int,
    capacity: int,
    frequency: str,
    starts_on: date,
    provider_name: str = "",
    submission: str = "",
    **rule,
) -> LegalSession:
    """A body's recurring session at the station: a gathering series (kind legal_session, public, sign-up
    open, at the station's place) with `capacity` places each time; its occurrences up to the horizon at
    once. `rule`: weekday, week_of_month, day_of_month, interval, until, count (gatherings' recurrence).
    `submission`: the form's token — the same form posted again gives the session it made, its series not
    made twice (portal/submissions.py)."""
    require_manage(actor, station.area)
    if provider not in Provider.values:
        raise ValidationError({"provider": _("请选择服务单位。")})
    if provider == Provider.OTHER and not provider_name.strip():
        raise ValidationError({"provider_name": _("请填写单位名称。")})
    if not capacity or capacity < 1:
        raise ValidationError({"capacity": _("每次名额至少为 1 人。")})

    def create(token: str) -> LegalSession:
        series = gatherings.authorized_create_series(
            actor=actor,
            area=station.area,
            kind="legal_session",
            title=title,
            place=station.place or station.name,
            visibility=Visibility.PUBLIC,
            capacity=capacity,
            signup_open=True,
            start_time=start_time,
            duration_minutes=duration_minutes,
            frequency=frequency,
            starts_on=starts_on,
            **rule,
        )
        return LegalSession.objects.create(
            station=station,
            series=series,
            provider=provider,
            provider_name=provider_name.strip(),
            submission=token,
        )

    return create_once(LegalSession, submission=submission, create=create, station=station)


def book(*, user, occurrence: Gathering):
    """A resident books a place at an occurrence of a session: the gatherings' sign-up (visibility,
    deadline, capacity under the row lock)."""
    return gatherings.sign_up(user=user, gathering=occurrence)


def cancel_booking(*, user, occurrence: Gathering):
    return gatherings.cancel_sign_up(user=user, gathering=occurrence)


@transaction.atomic
def record_consultation(
    *,
    actor,
    station: LegalStation,
    topic: str,
    question: str,
    answer: str = "",
    referral: str = Referral.NONE,
    referred_to: str = "",
    resident=None,
    occurrence: Gathering | None = None,
    submission: str = "",
) -> Consultation:
    """A consultation at the station. A referral to mediation is the hook to the dispute platform: the
    consultation keeps `dispute`, set by `refer_to_mediation` once the intake service of disputes takes it
    (docs/lawgov.md); a referral to another body names it. `submission`: the form's token — the same form
    posted again gives the consultation it made (and its case: the referral is idempotent)."""
    require_manage(actor, station.area)
    errors = {}
    if not question.strip():
        errors["question"] = _("请填写咨询问题。")
    if referral == Referral.OTHER_BODY and not referred_to.strip():
        errors["referred_to"] = _("请填写转交的单位。")
    if (
        occurrence is not None
        and not LegalSession.objects.filter(station=station, series_id=occurrence.series_id).exists()
    ):
        errors["occurrence"] = _("该场次不属于本法律服务站。")
    if resident is not None and not lies_under(
        resident.home_area.path if resident.home_area_id else None, station.area.path
    ):
        errors["resident"] = _("咨询人须是本社区的居民。")
    if errors:
        raise ValidationError(errors)

    def create(token: str) -> Consultation:
        return Consultation.objects.create(
            station=station,
            occurrence=occurrence,
            resident=resident,
            topic=topic,
            question=question.strip(),
            answer=answer.strip(),
            referral=referral,
            referred_to=referred_to.strip(),
            recorded_by=actor,
            submission=token,
        )

    return create_once(Consultation, submission=submission, create=create, recorded_by=actor)


# A consultation's topic → the dispute category its referral to mediation is filed under.
TOPIC_TO_CATEGORY = {
    "family": "family",
    "labour": "labour",
    "property": "property_management",
    "contract": "contract",
    "land": "land_housing",
}


@transaction.atomic
def refer_to_mediation(*, actor, consultation: Consultation, area: Area | None = None, respondent: str = ""):
    """A consultation referred to mediation becomes a case of the dispute platform (filed at the station,
    `lawgov.intake` on the area) and the consultation keeps it (`dispute`). Idempotent: a consultation
    already linked to a case returns it."""
    from grassroots.lawgov.services_disputes import file_dispute

    require_manage(actor, consultation.station.area)
    if consultation.dispute_id:
        return consultation.dispute
    resident = consultation.resident
    parties = [
        {
            "role": "applicant",
            "name": (resident.full_name or resident.username) if resident else _("咨询人"),
            "phone": getattr(resident, "phone", "") or "",
            "user": resident,
        }
    ]
    if respondent.strip():
        parties.append({"role": "respondent", "name": respondent.strip()})
    dispute = file_dispute(
        actor=actor,
        area=area or consultation.station.area,
        title=_("法律咨询转调解：%(topic)s") % {"topic": consultation.get_topic_display()},
        category=TOPIC_TO_CATEGORY.get(consultation.topic, "other"),
        description=consultation.question,
        channel="station",
        parties=parties,
    )
    consultation.dispute = dispute
    consultation.referral = Referral.MEDIATION
    consultation.save(update_fields=["dispute", "referral"])
    return dispute
