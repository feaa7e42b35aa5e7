"""The members part's share of a person's data (grassroots/privacy/registry.py): the member record linked to
the person's account and its study records. A deletion pseudonymises the member record — Party rules keep
a member's record — : name → placeholder, ID number and phone (encrypted) blanked, their hash and masks
dropped, occupation, work unit and whereabouts blanked; birth date, gender, branch and dates stay for the
branch's statistics; study records stay with the pseudonymised record. Care visits and contact attempts
stay as the branch's work records without their free text (the help given, the notes, what the contact
found: health, hardship, whereabouts); dues payments stay as the branch's accounts. The free text is blanked
by an update, not save(): a change entry would copy the old text into the audit trail once more."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from grassroots.privacy.registry import Erasure, How, PersonalData, model_rows, register

ERASED = "ERASED"
MEMBER_FIELDS = [
    "name",
    "gender",
    "ethnicity",
    "birth_date",
    "id_number",
    "phone",
    "education",
    "occupation",
    "work_unit",
    "home_area",
    "branch",
    "joined_probationary_on",
    "joined_full_on",
    "status",
    "mobile_location",
    "mobile_work",
]


def _member(user):
    from grassroots.core.members.models import Member

    return model_rows(Member.objects.filter(user=user).select_related("home_area", "branch"), MEMBER_FIELDS)


def _member_identifiers(user, *, placeholder: str) -> dict[str, str]:
    """How the audit trail names the member record: its name, its masked ID and phone."""
    from grassroots.core.members.models import Member

    found: dict[str, str] = {}
    for name, id_masked, phone_masked in Member.objects.filter(user=user).values_list(
        "name", "id_masked", "phone_masked"
    ):
        found.update({name: placeholder, id_masked: "", phone_masked: ""})
    return found


def _study(user):
    from grassroots.core.members.models import StudyRecord

    return model_rows(
        StudyRecord.objects.filter(member__user=user).order_by("studied_on"),
        ["title", "studied_on", "hours", "source"],
    )


def blank_member(member, *, placeholder: str) -> None:
    """Pseudonymise one member record: the name becomes `placeholder`, ID number and phone (their hashes and
    masks) and the free-text fields go; branch, dates and status stay (Party rules; the counts)."""
    from grassroots.core.members.models import Member

    # an update, not save(): save() derives the hash from the ID number, and a blank one must not collide
    Member.objects.filter(pk=member.pk).update(
        name=placeholder,
        pinyin_initials="",
        id_number=ERASED,  # the column is NOT NULL (the encrypted field stores "" as NULL)
        id_hash=f"erased:{member.pk}",
        id_masked="",
        phone=None,
        phone_masked="",
        occupation="",
        work_unit="",
        workplace=None,
        mobile_location="",
        mobile_work="",
    )


def _erase_member(user, *, placeholder: str) -> Erasure:
    from grassroots.core.members.models import Member

    count = 0
    for member in Member.objects.filter(user=user):
        blank_member(member, placeholder=placeholder)
        count += 1
    return Erasure(How.PSEUDONYMISED, count, _("党员档案依党内规定留存") if count else "")


def _keep_study(user, *, placeholder: str) -> Erasure:
    from grassroots.core.members.models import StudyRecord

    return Erasure(How.KEPT, StudyRecord.objects.filter(member__user=user).count())


def _care(user):
    from grassroots.core.members.models import CareVisit

    return model_rows(
        CareVisit.objects.filter(member__user=user).select_related("visitor").order_by("visited_on", "pk"),
        ["visited_on", "kind", "visitor", "help_given", "notes"],
    )


def _erase_care(user, *, placeholder: str) -> Erasure:
    from grassroots.core.members.models import CareVisit

    count = CareVisit.objects.filter(member__user=user).update(help_given="", notes="")
    return Erasure(How.PSEUDONYMISED, count, _("走访记录留存，帮扶内容和备注已删除") if count else "")


def _contacts(user):
    from grassroots.core.members.models import ContactAttempt

    return model_rows(
        ContactAttempt.objects.filter(member__user=user).select_related("by").order_by("attempted_on", "pk"),
        ["attempted_on", "method", "by", "reached", "result"],
    )


def _erase_contacts(user, *, placeholder: str) -> Erasure:
    from grassroots.core.members.models import ContactAttempt

    count = ContactAttempt.objects.filter(member__user=user).update(result="")
    return Erasure(How.PSEUDONYMISED, count, _("联系记录留存，联系结果已删除") if count else "")


def _dues(user):
    from grassroots.core.members.models import DuesPayment

    return model_rows(
        DuesPayment.objects.filter(member__user=user).order_by("year", "month"),
        ["year", "month", "amount", "paid_on"],
    )


def _keep_dues(user, *, placeholder: str) -> Erasure:
    from grassroots.core.members.models import DuesPayment

    count = DuesPayment.objects.filter(member__user=user).count()
    return Erasure(How.KEPT, count, _("党费账目依党内规定留存") if count else "")


def register_member_data() -> None:
    for entry in (
        PersonalData(
            "members.member",
            gettext_lazy("党员信息"),
            _member,
            _erase_member,
            order=40,
            identifiers=_member_identifiers,
        ),
        PersonalData("members.study", gettext_lazy("学习记录"), _study, _keep_study, order=41),
        PersonalData("members.care_visit", gettext_lazy("关爱走访"), _care, _erase_care, order=42),
        PersonalData("members.contact", gettext_lazy("联系记录"), _contacts, _erase_contacts, order=43),
        PersonalData("members.dues", gettext_lazy("党费缴纳"), _dues, _keep_dues, order=44),
    ):
        register(entry)
