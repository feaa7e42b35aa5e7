"""POST-only actions of the detail page (cancelling and "held" are workflow steps: the page's buttons post to
the generic transition view). htmx requests get the participation panel back; other requests
are redirected to the detail page with a message."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from grassroots.gatherings import selectors, services
from grassroots.gatherings.forms import DecisionForm, GuestForm, InviteForm, MinutesForm, PhotoForm
from grassroots.gatherings.views._common import back_to_detail, error_messages, get_manageable


def _participation(action, success):
    """Run sign-up, cancel, check-in or check-out for the current user."""

    def view(request, pk):
        gathering = selectors.get_visible_or_404(request.user, pk)
        error = None
        try:
            action(user=request.user, gathering=gathering)
        except ValidationError as exc:
            error = exc
        if request.htmx:
            gathering = selectors.get_detail_or_404(request.user, pk)
            return render(
                request,
                "gatherings/_participation.html",
                {
                    "gathering": gathering,
                    "me": gathering.participants.filter(user=request.user).first(),
                    "errors": error_messages(error) if error else [],
                    "success": None if error else success,
                    "now": timezone.now(),
                },
            )
        return back_to_detail(request, gathering, error=error, success=success)

    return login_required(require_POST(view))


sign_up = _participation(services.sign_up, gettext_lazy("报名成功。"))
cancel_sign_up = _participation(services.cancel_sign_up, gettext_lazy("已取消报名。"))
check_in = _participation(services.check_in, gettext_lazy("签到成功。"))
check_out = _participation(services.check_out, gettext_lazy("签退成功。"))


def _manage_action(form_class=None, *, files=False, needs_gathering=False):
    """Wrap a manager's action: 404/403 first, then the form (if any), then the service."""

    def decorator(func):
        @login_required
        @require_POST
        def view(request, pk):
            gathering = get_manageable(request, pk)
            data = {}
            if form_class is not None:
                kwargs = {"gathering": gathering} if needs_gathering else {}
                form = form_class(request.POST, request.FILES if files else None, **kwargs)
                if not form.is_valid():
                    errors = [str(e) for field_errors in form.errors.values() for e in field_errors]
                    return back_to_detail(request, gathering, error=ValidationError(errors))
                data = form.cleaned_data
            try:
                message = func(request, gathering, data)
            except ValidationError as exc:
                return back_to_detail(request, gathering, error=exc)
            return back_to_detail(request, gathering, success=message)

        return view

    return decorator


@_manage_action(MinutesForm)
def minutes(request, gathering, data):
    services.record_minutes(actor=request.user, gathering=gathering, minutes=data["minutes"])
    return _("会议记录已保存。")


@_manage_action(DecisionForm, needs_gathering=True)
def add_decision(request, gathering, data):
    services.add_decision(actor=request.user, gathering=gathering, **data)
    return _("决定事项已添加。")


@_manage_action(PhotoForm, files=True)
def add_photo(request, gathering, data):
    services.add_photo(actor=request.user, gathering=gathering, **data)
    return _("照片已上传。")


@_manage_action(InviteForm)
def invite(request, gathering, data):
    invited = services.invite(actor=request.user, gathering=gathering, users=data["usernames"])
    return _("已邀请 %(count)d 人。") % {"count": len(invited)}


@_manage_action(GuestForm)
def add_guest(request, gathering, data):
    guest = services.add_guest(actor=request.user, gathering=gathering, **data)
    return _("已添加参会方：%(guest)s。") % {"guest": guest}


@login_required
@require_POST
def remove_guest(request, pk, guest_pk):
    gathering = get_manageable(request, pk)
    guest = get_object_or_404(gathering.guests, pk=guest_pk)
    try:
        services.remove_guest(actor=request.user, guest=guest)
    except ValidationError as exc:
        return back_to_detail(request, gathering, error=exc)
    return back_to_detail(request, gathering, success=_("已移除参会方：%(guest)s。") % {"guest": guest})
