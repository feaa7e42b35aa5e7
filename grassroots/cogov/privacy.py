"""Co-governance's share of a person's data (grassroots/privacy/registry.py): their volunteer record, the
hours credited to them (志愿服务时长), the partners they represent or are the contact of (the contact's
phone is a personal number), and their ratings of services. A deletion deletes the volunteer record and
its credits (skills, availability and hours are the person's), takes them off the partners'
representatives and blanks the contact they are (the partners stay: they are organizations), and unlinks
their ratings (the scores stay on the partners' records, 跟踪问效)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy

from grassroots.privacy.registry import Erasure, How, PersonalData, model_rows, register


def _volunteer(user):
    from grassroots.cogov.models import Volunteer

    return model_rows(
        Volunteer.objects.filter(user=user).select_related("area"),
        ["area", "skills", "availability", "hours", "active", "signed_up_at"],
    )


def _erase_volunteer(user, *, placeholder: str) -> Erasure:
    from grassroots.cogov.models import Volunteer

    count, _detail = Volunteer.objects.filter(user=user).delete()
    return Erasure(How.DELETED, count)


def _credits(user):
    """The hours credited to the person as a volunteer, reversals included (activity, times, hours)."""
    from grassroots.cogov.models import ServiceHours

    return model_rows(
        ServiceHours.objects.filter(volunteer__user=user).select_related("gathering"),
        [
            "gathering",
            "hours",
            "checked_in_at",
            "checked_out_at",
            "confirmed_at",
            "reversed_at",
            "reverse_reason",
        ],
    )


def _erase_credits(user, *, placeholder: str) -> Erasure:
    """Deleted with the volunteer record (the area's figures count the hours of the volunteers there)."""
    from grassroots.cogov.models import ServiceHours

    count, _detail = ServiceHours.objects.filter(volunteer__user=user).delete()
    return Erasure(How.DELETED, count)


def _as_contact(user):
    """The partners naming the person as their contact: by their phone (a personal number), or by their name
    on a partner they represent."""
    from django.db.models import Q

    from grassroots.accounts.pii import phone_hash
    from grassroots.cogov.models import Partner

    q = Q(representatives=user, contact_name=user.full_name) if user.full_name else Q(pk__in=[])
    if user.phone:
        q |= Q(contact_phone_hash=phone_hash(user.phone))  # the number itself is stored encrypted
    return Partner.objects.filter(q).distinct()


def _represented(user):
    from grassroots.cogov.models import Partner

    rows = model_rows(Partner.objects.filter(representatives=user).select_related("area"), ["name", "area"])
    return rows + model_rows(
        _as_contact(user).select_related("area"), ["name", "contact_name", "contact_phone"]
    )


def _erase_represented(user, *, placeholder: str) -> Erasure:
    from grassroots.cogov.models import Partner

    contacts = Partner.objects.filter(pk__in=list(_as_contact(user).values_list("pk", flat=True)))
    blanked = contacts.update(contact_name="", contact_phone="", contact_phone_hash="")
    through = Partner.representatives.through
    count, _detail = through.objects.filter(user=user).delete()
    return Erasure(How.DELETED, count + blanked)


def _ratings(user):
    from grassroots.cogov.models import Rating

    return model_rows(
        Rating.objects.filter(rater=user).select_related("claim"),
        ["claim", "rater_kind", "score", "verdict", "comment", "rated_at"],
    )


def _erase_ratings(user, *, placeholder: str) -> Erasure:
    """The scores stay on the partners' records (跟踪问效); who gave them and their words go."""
    from grassroots.cogov.models import Rating

    count = Rating.objects.filter(rater=user).update(rater=None, comment="")
    return Erasure(How.PSEUDONYMISED, count)


def register_personal_data() -> None:
    register(PersonalData("cogov.rating", gettext_lazy("服务评价"), _ratings, _erase_ratings, 58))
    register(PersonalData("cogov.service_hours", gettext_lazy("志愿服务时长"), _credits, _erase_credits, 55))
    register(PersonalData("cogov.volunteer", gettext_lazy("志愿者登记"), _volunteer, _erase_volunteer, 56))
    register(
        PersonalData(
            "cogov.representative", gettext_lazy("共建单位代表"), _represented, _erase_represented, 57
        )
    )
