"""The generic transition view every workflow record uses, the scoped attachment download, and the
notification centre."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from grassroots.files.serve import serve_file
from grassroots.pages import paginate
from grassroots.workflow import selectors, services
from grassroots.workflow.engine import (
    TransitionRefused,
    transition_label,
    transition_names,
    workflow_model_for,
)
from grassroots.workflow.forms import TransitionForm
from grassroots.workflow.models import Notification, TransitionAttachment

NOTIFICATIONS_PER_PAGE = 20


def _safe_url(request, url: str, fallback: str) -> str:
    if url and url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return url
    return fallback


def _load_record(request, content_type_id: int, object_id: int):
    """The workflow record, through the model's scoped `visible_to`: outside the user's scope → 404."""
    model = workflow_model_for(content_type_id)
    if model is None:
        raise Http404
    return get_object_or_404(model.visible_to(request.user), pk=object_id)


@login_required
@require_POST
def take_transition(request, content_type_id: int, object_id: int, name: str):
    """POST comment (and attachments) to take transition `name` on a record; redirects back to `next`
    (or the record's page). Refused → 403 with the reason; a missing comment or a bad file → back with
    the message."""
    record = _load_record(request, content_type_id, object_id)
    if name not in transition_names(type(record)):
        raise Http404
    back = _safe_url(request, request.POST.get("next", ""), record.get_absolute_url())
    form = TransitionForm(request.POST, request.FILES)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect(back)
    try:
        services.transition(
            record,
            name,
            actor=request.user,
            comment=form.cleaned_data["comment"],
            attachments=form.cleaned_data["attachments"],
        )
    except TransitionRefused as refused:
        if refused.code in {"comment_required", "attachment"}:
            messages.error(request, refused.message)
            return redirect(back)
        context = {"message": refused.message, "record": record, "back": back}
        return render(request, "workflow/refused.html", context, status=403)
    label = transition_label(type(record), name)
    messages.success(request, _("已完成“%(label)s”。") % {"label": label})
    return redirect(back)


@login_required
@require_GET
def attachment(request, pk: int):
    """Download a transition's attachment, only for users who may see its record."""
    item = get_object_or_404(TransitionAttachment.objects.select_related("log"), pk=pk)
    _load_record(request, item.log.content_type_id, item.log.object_id)
    return serve_file(item.file, filename=item.name)


# --- notification centre ----------------------------------------------------------------------------------
def _list_context(request) -> dict:
    unread_only = request.GET.get("filter") == "unread"
    notifications = selectors.notifications_for(request.user, unread_only=unread_only)
    return {
        "page": paginate(request, notifications, NOTIFICATIONS_PER_PAGE),
        "unread_only": unread_only,
        "unread": selectors.unread_count(request.user),
    }


@login_required
@require_GET
def notifications(request):
    """The user's notifications, newest first, 20 a page (?filter=unread for the unread only). Queries:
    the count, the page, the unread count."""
    template = "workflow/_notification_list.html" if request.htmx else "workflow/notifications.html"
    return render(request, template, _list_context(request))


@login_required
@require_POST
def notification_read(request, pk: int):
    notification = get_object_or_404(Notification, pk=pk, recipient=request.user)
    services.mark_read(user=request.user, notification_ids=[notification.pk])
    if request.htmx:
        notification.refresh_from_db()
        context = {"n": notification, "unread": selectors.unread_count(request.user), "oob": True}
        return render(request, "workflow/_notification_row.html", context)
    return redirect(_safe_url(request, request.POST.get("next", ""), reverse("workflow:notifications")))


@login_required
@require_POST
def notifications_read_all(request):
    services.mark_read(user=request.user)
    if request.htmx:
        return render(request, "workflow/_notification_list.html", _list_context(request))
    return redirect("workflow:notifications")


@login_required
@require_GET
def notification_open(request, pk: int):
    """Follow a notification's link, marking it read."""
    notification = get_object_or_404(Notification, pk=pk, recipient=request.user)
    services.mark_read(user=request.user, notification_ids=[notification.pk])
    return redirect(_safe_url(request, notification.url, reverse("workflow:notifications")))


@login_required
@require_GET
def unread_badge(request):
    """The header's unread badge, for `hx-get` polling."""
    return render(request, "workflow/unread_badge.html", {"unread": selectors.unread_count(request.user)})
