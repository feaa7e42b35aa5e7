"""Start-up of the records part (档案, 识别, 我的, 双报到), called from the app's `ready()`: the change log of
members' records, the permission behind 我的, and the navigation entries."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

# The fields of a record the change log keeps. The ID number and the phone are logged through their masked
# copies (the encrypted values and the lookup hash never enter the log); derived fields are left out.
TRACKED_FIELDS = [
    "name",
    "gender",
    "ethnicity",
    "birth_date",
    "id_masked",
    "phone_masked",
    "education",
    "occupation",
    "work_unit",
    "in_service",
    "home_area",
    "branch",
    "joined_probationary_on",
    "joined_full_on",
    "status",
    "mobile_location",
    "mobile_work",
    "dues_monthly",
    "user",
]


def ready() -> None:
    from grassroots.accounts.roles import Role, register_permission
    from grassroots.audit.registry import track
    from grassroots.core.members.models import Member
    from grassroots.portal.navigation import NavEntry, register

    track(Member, include_fields=TRACKED_FIELDS)
    register_permission("members.mine", _("查看本人党员档案"), {Role.MEMBER})
    # 书记工作台 (first in the group: a secretary's day starts there) is the community secretaries' and the
    # Party organizations' secretaries' (a branch secretary: their branch's worklist; `org_secretary` entries,
    # told by the flag the user is loaded with, not by a query of every official's menu).
    register_permission("members.worklist", _("使用书记工作台"), {Role.COMMUNITY_SECRETARY})
    register(
        "members",
        NavEntry(
            _("书记工作台"),
            "members:worklist",
            "members.worklist",
            "bi-clipboard-check",
            phone=5,
            org_secretary=True,
        ),
    )
    register(
        "members",
        NavEntry(
            _("党员档案"), "members:list", "members.view", "bi-person-badge", phone=40, org_secretary=True
        ),
    )
    register("members", NavEntry(_("双报到"), "members:registrations", "members.view", "bi-house-heart"))
    register(
        "members",
        NavEntry(_("我的党员档案"), "members:mine", "members.mine", "bi-person-vcard", public=True, phone=10),
    )
