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


# The one list of what a member's records lose when the person is forgotten — by a deletion request
# (`_erase_member`, `_erase_care`, `_erase_contacts`) or by a retention run (services/retention.py,
# `forget_members`): field → value it becomes. The member record's name, ID number and hash are set per
# record (`blank_member`).
MEMBER_ERASED = {
    "pinyin_initials": "",
    "id_number": ERASED,  # the column is NOT NULL (the encrypted field stores "" as NULL)
    "id_masked": "",
    "phone": None,
    "phone_masked": "",
    "occupation": "",
    "work_unit": "",
    "workplace": None,
    "mobile_location": "",
    "mobile_work": "",
}
CARE_VISIT_ERASED = {"help_given": "", "notes": ""}
CONTACT_ERASED = {"result": ""}


def _changed_fields(erased: dict) -> dict[str, str]:
    """The same list as the audit trail's change entries name the fields: each becomes "" there."""
    return {field: "" for field in erased if field != "workplace"}


def blank_member(member, *, placeholder: str) -> None:
    """Pseudonymise one member record: the name becomes `placeholder`, ID number and phone (their hashes and
    masks) and the free-text fields go; branch, dates and status stay (Party rules; the counts)."""
    from grassroots.core.members.models import Member

    # an update, not save(): save() derives the hash from the ID number, and a blank one must not collide
    Member.objects.filter(pk=member.pk).update(
        name=placeholder, id_hash=f"erased:{member.pk}", **MEMBER_ERASED
    )


def member_records(members, *, placeholder) -> list[tuple]:
    """The records the audit trail may hold entries about when `members` are forgotten, each with its own
    fields and what their values become in its change entries: the member record (name → its placeholder,
    the deletion's list blanked), its care visits and contact attempts (their free text), its study records,
    dues payments and transfers (found by identity, their texts' names replaced). `placeholder(member)`."""
    from grassroots.core.members.models import CareVisit, ContactAttempt, DuesPayment, StudyRecord, Transfer

    own_member = {"name": "", **_changed_fields(MEMBER_ERASED)}
    records: list = [(member, {**own_member, "name": placeholder(member)}) for member in members]
    records += [(v, _changed_fields(CARE_VISIT_ERASED)) for v in CareVisit.objects.filter(member__in=members)]
    records += [
        (c, _changed_fields(CONTACT_ERASED)) for c in ContactAttempt.objects.filter(member__in=members)
    ]
    for model in (StudyRecord, DuesPayment, Transfer):
        records += [(row, {}) for row in model.objects.filter(member__in=members)]
    return records


def _records(user, *, placeholder: str) -> list[tuple]:
    """For a deletion request: the records of the person's member record (read before anything is erased)."""
    from grassroots.core.members.models import Member

    return member_records(list(Member.objects.filter(user=user)), placeholder=lambda _m: placeholder)


def forget_members(members, *, placeholder, actor=None, label: str) -> int:
    """Forget members who have no say in it any more (a retention run): each record pseudonymised
    (`blank_member`, `placeholder(member)` its new name), their care visits and contact attempts without
    their free text — the same fields as a deletion request —; a linked account closed on death or 出党
    (services/departure.py) is pseudonymised like a deleted person's, and what names it moves to a pseudonym
    account (privacy/pseudonym.py; a kept account, still used, is unlinked instead); and the audit trail's
    earlier entries about the record, its visits, contacts, study records, payments and transfers and about
    the closed account (its sign-ins too) are redacted, the hash chain still verifying (audit/redaction.py;
    found by identity, not by name: a namesake keeps theirs). Inside the caller's transaction. Returns the
    number of audit entries redacted."""
    from grassroots.audit.redaction import redact
    from grassroots.core.members.models import CareVisit, ContactAttempt, Member
    from grassroots.privacy.parts import account_identifiers, erase_account
    from grassroots.privacy.pseudonym import move_to_pseudonym, new_pseudonym

    identifiers: dict[str, str] = {}
    accounts: list = []
    account_fields: list = []
    for member in members:
        new_name = placeholder(member)
        identifiers.update({member.name: new_name, member.id_masked: "", member.phone_masked: ""})
        user = member.user
        if user is not None and not user.is_active:  # closed with the step: forgotten with the record
            identifiers.update(account_identifiers(user, placeholder=new_name))
            accounts.append((user, (user.get_username(), f"deleted-{user.pk}")))
            account_fields.append((user, {"full_name": new_name, "phone": "", "email": ""}))
    records = member_records(members, placeholder=placeholder) + account_fields
    visits = [r.pk for r, _f in records if isinstance(r, CareVisit)]
    contacts = [r.pk for r, _f in records if isinstance(r, ContactAttempt)]
    for member in members:
        blank_member(member, placeholder=placeholder(member))
    CareVisit.objects.filter(pk__in=visits).update(**CARE_VISIT_ERASED)
    ContactAttempt.objects.filter(pk__in=contacts).update(**CONTACT_ERASED)
    kept = [m.pk for m in members if m.user_id is not None and m.user_id not in {u.pk for u, _p in accounts}]
    Member.objects.filter(pk__in=kept).update(user=None)  # a kept account no longer leads to the record
    for member in members:
        if member.user_id is not None and member.pk not in kept:
            erase_account(member.user, placeholder=placeholder(member))
    if not members:
        return 0
    redacted = redact(
        user=None, identifiers=identifiers, actor=actor, label=label, records=records, accounts=accounts
    )
    # Last, as a deletion request does (privacy/services.erase_person): what still names a closed account —
    # the record itself, its grants, the steps and records it wrote — moves to a pseudonym account of its
    # own, so that the emptied account (its id, home, dates, sign-ins) is left to the audit trail alone
    # (after the redaction, which finds the entries through those links).
    for user, _names in accounts:
        move_to_pseudonym(user, new_pseudonym())
    return redacted


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

    count = CareVisit.objects.filter(member__user=user).update(**CARE_VISIT_ERASED)
    return Erasure(How.PSEUDONYMISED, count, _("走访记录留存，帮扶内容和备注已删除") if count else "")


def _contacts(user):
    from grassroots.core.members.models import ContactAttempt

    return model_rows(
        ContactAttempt.objects.filter(member__user=user).select_related("by").order_by("attempted_on", "pk"),
        ["attempted_on", "method", "by", "reached", "result"],
    )


def _erase_contacts(user, *, placeholder: str) -> Erasure:
    from grassroots.core.members.models import ContactAttempt

    count = ContactAttempt.objects.filter(member__user=user).update(**CONTACT_ERASED)
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
            records=_records,
        ),
        PersonalData("members.study", gettext_lazy("学习记录"), _study, _keep_study, order=41),
        PersonalData("members.care_visit", gettext_lazy("关爱走访"), _care, _erase_care, order=42),
        PersonalData("members.contact", gettext_lazy("联系记录"), _contacts, _erase_contacts, order=43),
        PersonalData("members.dues", gettext_lazy("党费缴纳"), _dues, _keep_dues, order=44),
    ):
        register(entry)
