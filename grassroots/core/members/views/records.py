"""Pages of the records (档案) and identify (识别): the member list with its filters, a member's page (masked
unless the viewer may and asks to see more — that is logged), create and edit, tags and skills, the linked
account, and data completeness per branch. Everything is loaded through the scoping function: a record
outside the viewer's scope answers 404, a visible one the viewer may not change 403."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch, prefetch_related_objects
from django.shortcuts import redirect, render
from django.template import TemplateDoesNotExist
from django.template.loader import get_template
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from grassroots.access.scoping import has_perm
from grassroots.core.members.forms.records import LinkUserForm, MemberForm, TagsForm
from grassroots.core.members.models import MemberTag, TagKind
from grassroots.core.members.selectors import records as selectors
from grassroots.core.members.selectors import registration as registration_selectors
from grassroots.core.members.services import records as services
from grassroots.core.members.services.acting import log_access
from grassroots.pages import attach_errors, offer, paginate, paginate_by_pk
from grassroots.portal.search import search_params, search_redirect

PAGE_SIZE = 30
VIEW, CHANGE, VIEW_PII = selectors.VIEW, selectors.CHANGE, selectors.VIEW_PII

# The member page includes these panels of the five precisions when they exist (docs/members.md), each with
# `member` and `user` in its context.
DETAIL_PANELS = (
    "members/_detail_find.html",
    "members/_detail_study.html",
    "members/_detail_dues.html",
    "members/_detail_care.html",
    "members/_detail_transfers.html",
    "members/_detail_registration.html",
)


def existing_templates(names) -> list[str]:
    found = []
    for name in names:
        try:
            get_template(name)
        except TemplateDoesNotExist:
            continue
        found.append(name)
    return found


def require(user, permission: str, target=None) -> None:
    if not has_perm(user, permission, target):
        raise PermissionDenied


def attach_member_errors(form, exc: ValidationError) -> None:
    """A service's ValidationError on the form fields it names (or on the form as a whole); a duplicate
    gets a link to the first record when the viewer may open it."""
    if isinstance(exc, services.DuplicateMember) and exc.existing is not None:
        message = exc.message_dict["id_number"][0]
        link = format_html(
            '{} <a href="{}">{}</a>', message, exc.existing.get_absolute_url(), _("打开已有档案")
        )
        form.add_error("id_number", ValidationError(link, code="duplicate"))
        return
    attach_errors(form, exc)


# --- list -----------------------------------------------------------------------------------------------
def member_filter_form(form, user):
    """The list's filter form (`MemberFilter`'s, the API's) as the page offers it: organizations and areas in
    the viewer's scope to pick from, statuses, education and tags as boxes to tick. One query each for the
    organizations, the areas and the tags."""
    offer(form, "branch", selectors.branch_choices(user), empty_label=_("全部党组织"))
    offer(form, "area", selectors.area_options(user), empty_label=_("全部区域"))
    offer(form, "status", form.fields["status"].choices, widget=forms.CheckboxSelectMultiple)
    offer(form, "education", form.fields["education"].choices, widget=forms.CheckboxSelectMultiple)
    tags = MemberTag.objects.order_by("kind", "name").values_list("pk", "name")
    offer(form, "tag", tags, widget=forms.CheckboxSelectMultiple)
    form.fields["q"].widget.input_type = "search"
    form.fields["q"].widget.attrs["placeholder"] = _("姓名、拼音首字母或完整身份证号")
    return form


@login_required
@require_http_methods(["GET", "POST"])
def member_list(request):
    """The records in the viewer's scope, filtered (MemberFilter) and paged. Queries: the count, the page's
    keys (sorted over an index), its rows with branches and homes, the page's tags, and the choices of the
    filter form — none grows with rows."""
    user = request.user
    require(user, VIEW)
    if request.method == "POST":  # the search form: an ID number never goes in a URL (portal/search.py)
        return search_redirect(request)
    params = search_params(request)
    filterset = selectors.MemberFilter(params or None, queryset=selectors.members_for(user), request=request)
    page = paginate_by_pk(request, filterset.qs, selectors.for_list_page, PAGE_SIZE)
    context = {
        "filter": filterset,
        "form": member_filter_form(filterset.form, user),
        "page_obj": page,
        "can_create": has_perm(user, CHANGE),
    }
    return render(request, "members/list.html", context)


@login_required
def branch_overview(request):
    """Data completeness per branch: members, average, records below 60 %, and what is missing most."""
    user = request.user
    require(user, VIEW)
    # The branches' keys first, then the aggregates of the page's branches: the rows of its export
    # (members/exports.py, branch_rows), 30 at a time.
    page = paginate(request, selectors.branches_with_members(user), PAGE_SIZE)
    page.object_list = list(selectors.completeness_by_branch(user, branches=list(page.object_list)))
    columns = selectors.missing_columns()
    rows = [{**row, "missing": [row[key] for key, _label in columns]} for row in page.object_list]
    context = {"page_obj": page, "rows": rows, "columns": columns, "low": selectors.LOW_COMPLETENESS}
    return render(request, "members/branches.html", context)


# --- one record -----------------------------------------------------------------------------------------
@login_required
def member_detail(request, pk: int):
    """Every field of the record, masked; a viewer holding people.view_pii on it may open the full ID number
    and phone (`?show=pii`). Every view of another person's record is written to the audit trail (查看)."""
    user = request.user
    member = selectors.get_member_or_404(user, pk)
    can_view_pii = has_perm(user, VIEW_PII, member)
    show_pii = can_view_pii and request.GET.get("show") == "pii"
    if member.user_id != user.pk:
        log_access(actor=user, instance=member)
    # the tags in the order shown, kept on the record: the care panel reads them again (no second query)
    prefetch_related_objects([member], Prefetch("tags", queryset=MemberTag.objects.order_by("kind", "name")))
    tags = list(member.tags.all())
    registrations, open_registration = registration_selectors.registrations_of(member)
    context = {
        "registrations": registrations,
        "open_registration": open_registration,
        "member": member,
        "show_pii": show_pii,
        "can_view_pii": can_view_pii,
        "can_change": has_perm(user, CHANGE, member),
        "missing": selectors.missing_labels(member),
        "tag_groups": [(label, [t for t in tags if t.kind == kind]) for kind, label in TagKind.choices],
        "panels": existing_templates(DETAIL_PANELS),
    }
    return render(request, "members/detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def member_create(request):
    user = request.user
    require(user, CHANGE)
    form = MemberForm(request.POST if request.method == "POST" else None, user=user)
    if request.method == "POST" and form.is_valid():
        try:
            member = services.create_member(actor=user, **form.changes())
        except ValidationError as exc:
            attach_member_errors(form, exc)
        else:
            messages.success(request, _("已建立 %(name)s 的党员档案。") % {"name": member.name})
            return redirect(member.get_absolute_url())
    return render(request, "members/form.html", {"form": form, "member": None})


@login_required
@require_http_methods(["GET", "POST"])
def member_edit(request, pk: int):
    user = request.user
    member = selectors.get_member_or_404(user, pk)
    require(user, CHANGE, member)
    form = MemberForm(request.POST if request.method == "POST" else None, user=user, member=member)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_member(actor=user, member=member, **form.changes())
        except ValidationError as exc:
            member.refresh_from_db()
            attach_member_errors(form, exc)
        else:
            messages.success(request, _("已保存。"))
            return redirect(member.get_absolute_url())
    return render(request, "members/form.html", {"form": form, "member": member})


@login_required
@require_http_methods(["GET", "POST"])
def member_tags(request, pk: int):
    """Tags, skills and care situations of one record; a new catalogue entry can be added on the way."""
    user = request.user
    member = selectors.get_member_or_404(user, pk)
    require(user, CHANGE, member)
    form = TagsForm(request.POST if request.method == "POST" else None, member=member)
    if request.method == "POST" and form.is_valid():
        chosen = form.chosen()
        try:
            name = (form.cleaned_data.get("new_name") or "").strip()
            if name:
                chosen.append(
                    services.create_tag(
                        actor=user, name=name, kind=form.cleaned_data.get("new_kind") or TagKind.TAG
                    )
                )
            services.set_tags(actor=user, member=member, tags=chosen)
        except ValidationError as exc:
            for message in exc.messages:
                form.add_error("new_name", message)
        else:
            messages.success(request, _("标签已更新。"))
            return redirect(member.get_absolute_url())
    return render(request, "members/tags.html", {"form": form, "member": member})


@login_required
@require_http_methods(["GET", "POST"])
def member_account(request, pk: int):
    """Link the record to the member's platform account (so that they see it under 我的), or unlink it."""
    user = request.user
    member = selectors.get_member_or_404(user, pk)
    require(user, CHANGE, member)
    form = LinkUserForm(
        request.POST if request.method == "POST" else None,
        initial={"username": getattr(member.user, "username", "")},
    )
    if request.method == "POST" and form.is_valid():
        username = form.cleaned_data["username"].strip()
        account = get_user_model().objects.filter(username=username).first() if username else None
        if username and account is None:
            form.add_error("username", _("未找到该用户，或该用户不在您的管辖范围内。"))
        else:
            try:
                services.link_user(actor=user, member=member, user=account)
            except ValidationError as exc:
                attach_member_errors(
                    form, exc if "user" not in getattr(exc, "error_dict", {}) else _as_username(exc)
                )
            else:
                messages.success(request, _("已关联平台账号。") if account else _("已解除关联。"))
                return redirect(member.get_absolute_url())
    return render(request, "members/account.html", {"form": form, "member": member})


def _as_username(exc: ValidationError) -> ValidationError:
    return ValidationError({"username": exc.error_dict["user"]})
