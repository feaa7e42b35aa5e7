"""The registry of gathering kinds. Each part of the platform registers its own kinds (with a Chinese label)
from its `AppConfig.ready()`; `Gathering.kind` stores the code and is checked against this registry, so a new
kind never needs a migration.

    from grassroots.gatherings.kinds import register_kind
    register_kind("branch_meeting", _("支部党员大会"), icon="people", group=_("三会一课"))
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class OwnForm:
    """Where a kind with a form of its own is created: `url` the URL name of the page (no arguments), `page`
    its name in the menu, `api` the endpoint that creates it. Such a kind carries a record of its part beside
    the gathering (a warning education's team, a brand, a check-in code): the general form does not offer it
    and the general create (page, API, series) refuses it at `kind`, naming this page and endpoint."""

    url: str
    page: str | Promise
    api: str


@dataclass(frozen=True)
class GatheringKind:
    code: str
    label: str | Promise
    icon: str = "calendar-event"  # a bootstrap-icons name
    group: str | Promise | None = None  # groups the kind in select boxes (e.g. 三会一课)
    # One person cannot be signed up to two gatherings of exclusive kinds at overlapping times (volunteer
    # service: the volunteer is in one place at a time). Checked by `services.sign_up` under a lock.
    exclusive: bool = False
    # A person checks in themselves only with the code shown on site (`authorized.check_in_with_code`, called
    # by the part that keeps the code: 一化's environmental actions); the plain self check-in is refused.
    code_check_in: bool = False
    # Created only by its own part's page and endpoint (see OwnForm); None: the general form's kind.
    own_form: OwnForm | None = None


_REGISTRY: dict[str, GatheringKind] = {}


def register_kind(
    code: str,
    label,
    *,
    icon: str = "calendar-event",
    group=None,
    exclusive: bool = False,
    code_check_in: bool = False,
    own_form: OwnForm | None = None,
) -> GatheringKind:
    """Add a kind (idempotent for the same code and label). A code may be at most 40 characters."""
    if not code or len(code) > 40 or not code.replace("_", "").isalnum():
        raise ValueError(f"invalid gathering kind code {code!r}")
    existing = _REGISTRY.get(code)
    if existing is not None and str(existing.label) != str(label):
        raise ValueError(f"gathering kind {code!r} is already registered as {existing.label!r}")
    kind = GatheringKind(
        code=code,
        label=label,
        icon=icon,
        group=group,
        exclusive=exclusive,
        code_check_in=code_check_in,
        own_form=own_form,
    )
    _REGISTRY[code] = kind
    return kind


def get_kind(code: str) -> GatheringKind | None:
    return _REGISTRY.get(code)


def all_kinds() -> list[GatheringKind]:
    return list(_REGISTRY.values())


def exclusive_codes() -> list[str]:
    """The kinds of which one person may hold only one sign-up at a time."""
    return [code for code, kind in _REGISTRY.items() if kind.exclusive]


def kind_label(code: str):
    kind = _REGISTRY.get(code)
    return kind.label if kind else code


def kind_choices(*, general: bool = False) -> list:
    """Choices for model fields and forms: ungrouped kinds first, then one optgroup per group. `general`: only
    the kinds the general form creates (not those with a form of their own)."""
    plain: list[tuple[str, object]] = []
    groups: dict[str, tuple[object, list]] = {}
    for kind in _REGISTRY.values():
        if general and kind.own_form is not None:
            continue
        if kind.group is None:
            plain.append((kind.code, kind.label))
        else:
            groups.setdefault(str(kind.group), (kind.group, []))[1].append((kind.code, kind.label))
    return plain + [(label, options) for label, options in groups.values()]


def validate_kind(value: str) -> None:
    if value not in _REGISTRY:
        raise ValidationError(
            _("未登记的会议活动类型：%(kind)s"), code="unknown_kind", params={"kind": value}
        )


def general_kind_choices() -> list:
    """The kinds the general form and the general create offer (see OwnForm)."""
    return kind_choices(general=True)


def own_form_message(code: str) -> str | None:
    """Why the general create refuses `code` (a kind with a form of its own), naming its page and endpoint;
    None for a kind the general create takes."""
    kind = _REGISTRY.get(code)
    if kind is None or kind.own_form is None:
        return None
    own = kind.own_form
    return gettext(
        "“%(kind)s”须在“%(page)s”页面（%(url)s）创建，接口为 POST %(api)s；此处不能创建该类型。"
    ) % {"kind": kind.label, "page": own.page, "url": reverse(own.url), "api": own.api}


def register_foundation_kinds() -> None:
    """The starting set. Core adds 三会一课; self-governance, co-governance, rule of law and virtue add
    theirs."""
    register_kind("meeting", _("工作会议"), icon="briefcase")
    register_kind("hearing", _("听证会"), icon="megaphone")
    register_kind("deliberation", _("议事协商会"), icon="chat-square-text")
    register_kind("joint_meeting", _("联席会议"), icon="diagram-3")
    register_kind("site_meeting", _("现场会"), icon="geo-alt")
    register_kind("legal_session", _("法律服务活动"), icon="bank")
    register_kind("lecture", _("讲座"), icon="easel")
    register_kind("training", _("培训"), icon="mortarboard")
    register_kind("activity", _("活动"), icon="balloon-heart")
    register_kind("volunteer_service", _("志愿服务"), icon="heart", exclusive=True)
