"""The secretary's worklist (书记工作台) and the five panels the member page includes.

`worklist_for(user)`: lost contact to follow up, conversions due in the next 60 days, care visits due
(needing care, not visited this year), arrears — each a count and the first few items, linking to its list.
Two queries a section (count, items), eight in all, whatever the number of members.

The member page (views/records.py, another module) includes `members/_detail_find.html`,
`_detail_study.html`, `_detail_dues.html`, `_detail_care.html` and `_detail_transfers.html` with `member` and
`user` in the context. Each partial loads its own data with `{% load member_precisions %}{% precision_panel
"find" member user as panel %}`, which calls the matching function of `PANELS` below: a fixed number of
queries each (listed beside each function)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from grassroots.access.scoping import has_perm
from grassroots.core.members.models import Member, MemberStatus, TagKind
from grassroots.core.members.selectors import care, dues, educate, find, manage
from grassroots.core.members.selectors._precisions import year_bounds
from grassroots.core.members.services.manage import add_one_year

TOP = 5


@dataclass
class WorklistSection:
    key: str
    title: str
    icon: str
    url: str
    count: int
    items: list[Member] = field(default_factory=list)


def worklist_for(user, *, limit: int = TOP, today: date | None = None) -> list[WorklistSection]:
    today = today or timezone.localdate()
    lost = find.find_list(user, MemberStatus.LOST_CONTACT)
    conversions = manage.conversions_due(user, today=today)
    care_due = care.care_list(user, unvisited_only=True, today=today, tags=False)
    arrears = dues.arrears_list(user, today=today)
    find_url = reverse("members:find") + "?status=lost_contact"
    return [
        WorklistSection(
            "lost", _("失联党员待寻找"), "bi-question-circle", find_url, lost.count(), list(lost[:limit])
        ),
        WorklistSection(
            "conversions",
            _("60天内到期的预备党员转正"),
            "bi-hourglass-split",
            reverse("members:conversions"),
            conversions.count(),
            manage.with_due_dates(conversions[:limit], today),
        ),
        WorklistSection(
            "care",
            _("今年尚未走访的关爱对象"),
            "bi-heart",
            reverse("members:care") + "?unvisited=1",
            care_due.count(),
            list(care_due[:limit]),
        ),
        WorklistSection(
            "arrears",
            _("欠缴党费"),
            "bi-cash-coin",
            reverse("members:dues"),
            arrears.count(),
            list(arrears[:limit]),
        ),
    ]


# --- the member page's panels (context: member, user) ------------------------------------------------------
def find_panel(member: Member, user) -> dict[str, Any]:
    """1 query (the last 10 contact attempts with who made them)."""
    return {
        "attempts": list(find.contact_attempts_of(member, limit=10)),
        "can_change": has_perm(user, "members.change", member),
        "is_mobile": member.status == MemberStatus.MOBILE,
    }


def study_panel(member: Member, user, *, year: int | None = None) -> dict[str, Any]:
    """1 query (this year's study records)."""
    year = year or timezone.localdate().year
    records = list(educate.study_records_of(member, year))
    hours = sum((r.hours for r in records), Decimal(0))
    required = educate.required_hours()
    return {
        "year": year,
        "records": records,
        "hours": hours,
        "required": required,
        "compliant": hours >= required,
        "percent": min(100, round(100 * hours / required)) if required else 100,
        "can_change": has_perm(user, "members.change", member),
    }


def dues_panel(member: Member, user, *, today: date | None = None) -> dict[str, Any]:
    """1 query (this year's payments). Months unpaid counted as in `selectors.dues.with_arrears`."""
    today = today or timezone.localdate()
    payments = list(dues.payments_of(member, today.year))
    joined = member.joined_probationary_on
    if joined > today:
        start = 13
    elif joined >= date(today.year, 1, 1):
        start = joined.month
    else:
        start = 1
    paid = {p.month for p in payments if start <= p.month <= today.month}
    unpaid = [m for m in range(start, today.month + 1) if m not in paid]
    return {
        "year": today.year,
        "payments": payments,
        "unpaid_months": unpaid,
        "owed": member.dues_monthly * len(unpaid),
        "can_change": has_perm(user, "members.change", member),
    }


def care_panel(member: Member, user, *, today: date | None = None) -> dict[str, Any]:
    """2 queries (care tags, the last 10 visits)."""
    today = today or timezone.localdate()
    care_tags = [tag for tag in member.tags.all() if tag.kind == TagKind.CARE]
    aged = member.birth_date <= care.birth_cutoff(today)
    visits = list(care.visits_of(member, limit=10))
    first, last = year_bounds(today.year)
    return {
        "care_tags": care_tags,
        "aged": aged,
        "age": member.age_on(today),
        "needs_care": aged or bool(care_tags),
        "visits": visits,
        "visited_this_year": any(first <= v.visited_on <= last for v in visits),
        "party_birthday": member.joined_probationary_on,
        "party_years": care.party_years(member, today.year),
        "can_change": has_perm(user, "members.change", member),
    }


def transfers_panel(member: Member, user) -> dict[str, Any]:
    """1 query (the transfers of the member the user may see: each side its half)."""
    own = member.user_id is not None and member.user_id == getattr(user, "pk", None)
    transfers = list(manage.transfers_of(member, user))
    open_transfer = next((t for t in transfers if t.state in manage.OPEN_STATES), None)
    return {
        "transfers": transfers,
        "open_transfer": open_transfer,
        "can_request": (own or has_perm(user, "members.change", member))
        and open_transfer is None
        and member.status in ("normal", "mobile", "found"),
        "conversion_due_on": add_one_year(member.joined_probationary_on) if member.is_probationary else None,
    }


PANELS = {
    "find": find_panel,
    "study": study_panel,
    "dues": dues_panel,
    "care": care_panel,
    "transfers": transfers_panel,
}
