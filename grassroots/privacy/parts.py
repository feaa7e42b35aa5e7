"""The foundation's personal data (accounts, workflow, gatherings and these requests), registered like any
part's (registry.py). The account itself is erased last (order 90)."""

from __future__ import annotations

from django.contrib.auth.hashers import make_password
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from grassroots.privacy.registry import Erasure, How, PersonalData, model_rows, register


def _account(user):
    from grassroots.accounts.models import User

    return model_rows(
        User.objects.filter(pk=user.pk).select_related("home_area"),
        ["username", "full_name", "phone", "email", "home_area", "verified_at", "date_joined", "last_login"],
    )


def erase_account(user, *, placeholder: str) -> Erasure:
    """Kept (the audit trail, workflow logs and kept records name it), pseudonymised: no name, no phone, no
    e-mail, no password, disabled (which ends its API tokens); two-factor devices deleted."""
    from django_otp import devices_for_user

    from grassroots.accounts.models import AccountSession, UsedPassword

    for device in list(devices_for_user(user, confirmed=None)):
        device.delete()
    UsedPassword.objects.filter(user=user).delete()  # the password history's hashes go with the password
    AccountSession.objects.filter(user=user).delete()
    user.username = f"deleted-{user.pk}"
    user.full_name, user.first_name, user.last_name = placeholder, "", ""
    user.phone, user.email = "", ""
    user.password = make_password(None)
    user.is_active = False
    user.save()
    return Erasure(How.PSEUDONYMISED, 1, _("账号停用"))


def account_identifiers(user, *, placeholder: str) -> dict[str, str]:
    from grassroots.accounts.pii import mask_phone

    found = {user.full_name: placeholder}  # the username: replaced only where it stands whole (redaction.py)
    if user.phone:
        found.update({user.phone: "", mask_phone(user.phone): ""})
    if user.email:
        found[user.email] = ""
    return found


def _grants(user):
    from grassroots.accounts.models import RoleGrant

    return model_rows(
        RoleGrant.objects.filter(user=user).select_related("area"), ["role", "area", "created_at"]
    )


def _erase_grants(user, *, placeholder: str) -> Erasure:
    from grassroots.accounts.models import RoleGrant

    grants = list(RoleGrant.objects.filter(user=user))
    for grant in grants:
        grant.delete()  # one by one: each revoke is a change entry of the audit trail
    return Erasure(How.DELETED, len(grants))


def _verifications(user):
    from grassroots.accounts.models import ResidentVerification

    return model_rows(
        ResidentVerification.objects.filter(user=user).select_related("area").order_by("submitted_at"),
        ["full_name", "phone", "area", "state", "submitted_at", "decided_at", "reason"],
    )


def _erase_verifications(user, *, placeholder: str) -> Erasure:
    """Kept with their log (the decision is evidence), pseudonymised: no name, no phone."""
    from grassroots.accounts.models import ResidentVerification

    count = ResidentVerification.objects.filter(user=user).update(full_name=placeholder, phone="")
    return Erasure(How.PSEUDONYMISED, count)


def _notifications(user):
    from grassroots.workflow.models import Notification

    return model_rows(Notification.objects.filter(recipient=user), ["verb", "created_at", "read_at"])


def _erase_notifications(user, *, placeholder: str) -> Erasure:
    from grassroots.workflow.models import Notification

    count, _by_model = Notification.objects.filter(recipient=user).delete()
    return Erasure(How.DELETED, count)


def _gatherings(user):
    from grassroots.gatherings.models import Participant

    return model_rows(
        Participant.objects.filter(user=user).select_related("gathering").order_by("gathering__starts_at"),
        ["gathering", "signed_up_at", "present", "absence_reason", "checked_in_at"],
    )


def _keep_gatherings(user, *, placeholder: str) -> Erasure:
    """Kept (attendance is the organizations' record), linked to the pseudonymised account, without the
    reasons given for an absence (PARTICIPANT_ERASED, the list the retention of closed gatherings uses)."""
    from grassroots.gatherings.models import PARTICIPANT_ERASED, Participant

    count = Participant.objects.filter(user=user).update(**PARTICIPANT_ERASED)
    return Erasure(
        How.PSEUDONYMISED, count, _("会议活动的出席记录须留存，关联已假名化的账号，缺席原因已删除")
    )


def _photos(user):
    from grassroots.gatherings.models import Photo

    return model_rows(
        Photo.objects.filter(uploaded_by=user).select_related("gathering").order_by("uploaded_at", "pk"),
        ["gathering", "caption", "uploaded_at"],
    )


def _erase_photos(user, *, placeholder: str) -> Erasure:
    """Deleted with their files (after the commit): a photo shows the people who were there, and the one who
    took it asks for it to go; the gathering's minutes and attendance remain its record."""
    from django.core.files.storage import default_storage
    from django.db import transaction

    from grassroots.gatherings.models import Photo

    photos = list(Photo.objects.filter(uploaded_by=user))
    names = [photo.image.name for photo in photos if photo.image.name]
    for photo in photos:
        photo.delete()
    transaction.on_commit(lambda: [default_storage.delete(name) for name in names])
    return Erasure(How.DELETED, len(photos))


def _attachments(user):
    from grassroots.workflow.models import TransitionAttachment

    return model_rows(TransitionAttachment.objects.filter(log__actor=user).order_by("pk"), ["name", "size"])


def _keep_attachments(user, *, placeholder: str) -> Erasure:
    from grassroots.workflow.models import TransitionAttachment

    count = TransitionAttachment.objects.filter(log__actor=user).count()
    return Erasure(How.KEPT, count, _("流程附件是办理记录的凭证，须留存") if count else "")


def _requests(user):
    from grassroots.privacy.models import DataRequest

    return model_rows(
        DataRequest.objects.filter(user=user).order_by("submitted_at"),
        ["kind", "details", "state", "submitted_at", "decided_at", "reply"],
    )


def _keep_requests(user, *, placeholder: str) -> Erasure:
    from grassroots.privacy.models import DataRequest

    count = DataRequest.objects.filter(user=user).count()
    return Erasure(How.KEPT, count, _("个人信息申请的办理记录须留存"))


def _consents(user):
    from grassroots.privacy.models import Consent

    return model_rows(
        Consent.objects.filter(user=user).order_by("given_at"), ["version", "purpose", "given_at"]
    )


def _keep_consents(user, *, placeholder: str) -> Erasure:
    from grassroots.privacy.models import Consent

    count = Consent.objects.filter(user=user).count()
    return Erasure(How.KEPT, count, _("同意记录须留存"))


def register_foundation() -> None:
    for entry in (
        PersonalData(
            "accounts.user",
            gettext_lazy("账号"),
            _account,
            erase_account,
            order=90,
            identifiers=account_identifiers,
        ),
        PersonalData("accounts.grants", gettext_lazy("角色授权"), _grants, _erase_grants, order=10),
        PersonalData(
            "accounts.verification", gettext_lazy("实名核验"), _verifications, _erase_verifications, order=20
        ),
        PersonalData(
            "gatherings.participant", gettext_lazy("参加的会议活动"), _gatherings, _keep_gatherings, order=30
        ),
        PersonalData("gatherings.photo", gettext_lazy("上传的现场照片"), _photos, _erase_photos, order=31),
        PersonalData("workflow.notification", gettext_lazy("通知"), _notifications, _erase_notifications, 60),
        PersonalData(
            "workflow.attachment", gettext_lazy("上传的流程附件"), _attachments, _keep_attachments, order=61
        ),
        PersonalData("privacy.request", gettext_lazy("个人信息申请"), _requests, _keep_requests, order=80),
        PersonalData("privacy.consent", gettext_lazy("同意记录"), _consents, _keep_consents, order=81),
    ):
        register(entry)
