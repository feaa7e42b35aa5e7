"""New accounts created by an official: how a person who has no account yet gets one together with their
first role (the first official of a new city, set up by the operator; a new street official; a worker).
Residents register themselves (verification.py)."""

from __future__ import annotations

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from grassroots.accounts.models import User
from grassroots.accounts.services.grants import grant_role
from grassroots.accounts.services.verification import phone_validator
from grassroots.areas.models import Area


def create_account(
    *,
    grantor: User,
    username: str,
    password: str,
    role: str,
    area: Area,
    full_name: str = "",
    phone: str = "",
    email: str = "",
) -> User:
    """Create an account holding `role` on `area`. Whoever may grant that role there (services/grants.py)
    may create it; the account and its grant are written together or not at all. Raises `AreaOutOfScope` /
    `GrantRefused` like `grant_role`, and a ValidationError naming the field for a taken username, a weak
    password or a malformed phone number. The password is the initial one: the person changes it after
    signing in (officials then enrol their authenticator app)."""
    username = username.strip()
    errors: dict[str, list] = {}
    if not username:
        errors["username"] = [_("请填写用户名")]
    elif User.objects.filter(username__iexact=username).exists():
        errors["username"] = [_("用户名“%(name)s”已被使用") % {"name": username}]
    if phone:
        try:
            phone_validator(phone)
        except ValidationError as exc:
            errors["phone"] = exc.messages
    user = User(username=username, full_name=full_name.strip(), phone=phone, email=email.strip())
    try:
        validate_password(password, user)
    except ValidationError as exc:
        errors["password"] = exc.messages
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        user.set_password(password)
        user.save()
        grant_role(grantor=grantor, user=user, role=role, area=area)
    return user
