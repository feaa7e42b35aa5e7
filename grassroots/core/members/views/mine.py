"""我的: a signed-in member's own record (masked), the corrections they may make themselves, their dual
registration and service, and the panels of study hours, dues and care (filled by the five precisions)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from grassroots.access.scoping import has_perm
from grassroots.core.members.forms.records import OwnRecordForm
from grassroots.core.members.models import TagKind
from grassroots.core.members.selectors import records as selectors
from grassroots.core.members.selectors import registration as registration_selectors
from grassroots.core.members.selectors import worklist as worklist_selectors
from grassroots.core.members.services import records as services
from grassroots.core.members.views.records import attach_member_errors, existing_templates

# Panels of the five precisions on 我的 (docs/members.md), each with `member` and `user` in its context.
MINE_PANELS = (
    "members/_mine_study.html",
    "members/_mine_dues.html",
    "members/_mine_care.html",
    "members/_mine_service.html",
)


def summary_of(member, user) -> dict:
    """What a member looks for first, on one card: this year's study hours against the requirement, the
    dues not yet paid, the next gathering (three queries)."""
    from grassroots.gatherings.selectors import upcoming_for

    upcoming = upcoming_for(user, limit=1)
    return {
        "study": worklist_selectors.study_panel(member, user),
        "dues": worklist_selectors.dues_panel(member, user),
        "next_gathering": upcoming[0] if upcoming else None,
    }


@login_required
def mine(request):
    user = request.user
    member = selectors.member_of(user)
    if member is None:
        return render(request, "members/mine_none.html", {"may_view": has_perm(user, selectors.VIEW)})
    tags = list(member.tags.order_by("kind", "name"))
    registrations, open_registration = registration_selectors.registrations_of(member)
    context = {
        "registrations": registrations,
        "open_registration": open_registration,
        "member": member,
        "missing": selectors.missing_labels(member),
        "tag_groups": [(label, [t for t in tags if t.kind == kind]) for kind, label in TagKind.choices],
        "panels": existing_templates(MINE_PANELS),
        "summary": summary_of(member, user),
        "may_view": has_perm(user, selectors.VIEW),
    }
    return render(request, "members/mine.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def mine_edit(request):
    """Correct phone, education, occupation, work unit and home address; applied at once, logged, and the
    branch secretary is told."""
    member = selectors.member_of(request.user)
    if member is None:
        raise Http404
    form = OwnRecordForm(request.POST if request.method == "POST" else None, member=member)
    if request.method == "POST" and form.is_valid():
        try:
            services.correct_own_record(actor=request.user, member=member, **form.changes())
        except ValidationError as exc:
            attach_member_errors(form, exc)
        else:
            messages.success(request, _("已更新，所在党支部会收到通知。"))
            return redirect("members:mine")
    return render(request, "members/mine_form.html", {"form": form, "member": member})
