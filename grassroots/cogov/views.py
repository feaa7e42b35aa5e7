"""Co-governance's pages: the partner register, a partner's page (the roles it plays, its resources, its
agreements and dual registrations), agreements, volunteers and 我的志愿服务. Thin: selectors read through the
one scoping function, services decide."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from grassroots.access.scoping import get_scoped_or_404, has_perm
from grassroots.accounts.pii import may_unmask, shown_phone
from grassroots.audit.actor import log_access
from grassroots.cogov import exports, selectors, services
from grassroots.cogov.forms import (
    AgreementFilter,
    AgreementForm,
    EndForm,
    PartnerFilter,
    PartnerForm,
    RenewForm,
    ResourceForm,
    StaffVolunteerForm,
    VolunteerFilter,
    VolunteerForm,
)
from grassroots.cogov.models import Agreement, Resource, Volunteer
from grassroots.files.serve import serve_file
from grassroots.forms import submitted
from grassroots.ids import as_id
from grassroots.pages import attach_errors, paginate

VIEW, MANAGE = selectors.VIEW, selectors.MANAGE


def _need(user, permission: str) -> None:
    if not has_perm(user, permission):
        raise PermissionDenied


# --- partners ----------------------------------------------------------------------------------------------
@login_required
def partner_list(request):
    _need(request.user, VIEW)
    filters = PartnerFilter(request.GET or None)
    rows = exports.partner_rows(request)
    return render(
        request,
        "cogov/partner_list.html",
        {
            "filters": filters,
            "page_obj": paginate(request, rows),
            "may_manage": has_perm(request.user, MANAGE),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def partner_form(request, pk=None):
    partner = None
    if pk is not None:  # a partner out of sight is a 404 before anything else
        partner = get_object_or_404(selectors.visible_partners(request.user), pk=pk)
        if not has_perm(request.user, MANAGE, partner.area):
            raise PermissionDenied
    _need(request.user, MANAGE)
    form = PartnerForm(request.POST or None, instance=partner, user=request.user)
    done = request.method == "POST" and submitted(
        form,
        lambda data: services.save_partner(actor=request.user, partner=partner, **data),
        request=request,
        message=_("共建单位已保存。"),
    )
    return done or render(request, "cogov/partner_form.html", {"form": form, "partner": partner})


@login_required
@require_http_methods(["GET", "POST"])
def partner_detail(request, pk):
    partner = get_object_or_404(selectors.visible_partners(request.user), pk=pk)
    # the contact person's phone: masked, unless a holder of people.view_pii on the partner's area opens it
    # (`?show=pii`), which is written to the audit trail (the one rule, accounts/pii.py)
    can_view_pii = bool(partner.contact_phone) and may_unmask(request.user, partner.area)
    show_pii = can_view_pii and request.GET.get("show") == "pii"
    if show_pii:
        log_access(actor=request.user, instance=partner)
    may_offer = services.may_offer(request.user, partner)
    form = ResourceForm(request.POST or None) if may_offer else None
    if request.method == "POST":
        if form is None:
            raise PermissionDenied
        done = submitted(
            form,
            lambda data: services.set_resource(actor=request.user, partner=partner, **data),
            partner,
            request=request,
            message=_("资源已保存。"),
        )
        if done:
            return done
    return render(
        request,
        "cogov/partner_detail.html",
        {
            "partner": partner,
            "roles": selectors.roles_of_partner(partner),
            "resources": partner.resources.all(),
            "agreements": selectors.agreement_list(request.user, partner=partner),
            "registrations": selectors.registrations_of(partner)[:20],
            "representatives": partner.representatives.order_by("username"),
            "form": form,
            "may_offer": may_offer,
            "may_edit": has_perm(request.user, MANAGE, partner.area),
            "contact_phone": shown_phone(partner.contact_phone, unmasked=show_pii),
            "can_view_pii": can_view_pii,
            "show_pii": show_pii,
            **_partner_items(request.user, partner),
        },
    )


def _partner_items(user, partner) -> dict:
    """What the partner does anywhere (one record, one page): its service figures of the year and of all
    years over every community, the claims and commitments and the joint meetings' action items it owns
    that the viewer may open (overdue first)."""
    from django.utils import timezone

    from grassroots.cogov import selectors_items, selectors_meetings

    year = timezone.localdate().year
    return {
        "item_year": year,
        "item_figures": selectors_items.partner_figures([partner.pk], year)[partner.pk],
        "item_figures_all": selectors_items.partner_figures([partner.pk])[partner.pk],
        "participation": selectors_items.participation([partner.pk], year)[partner.pk],
        "partner_claims": selectors_items.visible_claims(user)
        .filter(partner=partner)
        .order_by("-claimed_at", "-pk")[:20],
        "partner_actions": list(selectors_meetings.action_item_list(user, partner=partner)[:20]),
    }


@login_required
@require_POST
def resource_remove(request, pk, resource_pk):
    partner = get_object_or_404(selectors.visible_partners(request.user), pk=pk)
    resource = get_object_or_404(Resource.objects.filter(partner=partner), pk=resource_pk)
    services.remove_resource(actor=request.user, resource=resource)
    messages.success(request, _("资源已删除。"))
    return redirect(partner)


# --- agreements --------------------------------------------------------------------------------------------
@login_required
def agreement_list(request):
    _need(request.user, VIEW)
    filters = AgreementFilter(request.GET or None)
    rows = exports.agreement_rows(request)
    return render(
        request,
        "cogov/agreement_list.html",
        {
            "filters": filters,
            "page_obj": paginate(request, rows),
            "may_manage": has_perm(request.user, MANAGE),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def agreement_create(request):
    _need(request.user, MANAGE)
    initial = {}
    if partner_id := as_id(request.GET.get("partner")):
        initial["partner"] = partner_id
    form = AgreementForm(request.POST or None, request.FILES or None, user=request.user, initial=initial)
    done = request.method == "POST" and submitted(
        form,
        lambda data: services.sign_agreement(actor=request.user, **form.service_kwargs()),
        request=request,
        message=_("共建协议已登记。"),
    )
    return done or render(request, "cogov/agreement_form.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def agreement_detail(request, pk):
    agreement = get_scoped_or_404(
        Agreement.objects.select_related("party_org__area", "partner"), request.user, VIEW, pk=pk
    )
    may_manage = has_perm(request.user, MANAGE, agreement.party_org.area)
    renew_form = RenewForm(prefix="renew")
    end_form = EndForm(prefix="end")
    if request.method == "POST":
        if not may_manage:
            raise PermissionDenied
        action = request.POST.get("action")
        try:
            if action == "renew":
                renew_form = RenewForm(request.POST, request.FILES, prefix="renew")
                if renew_form.is_valid():
                    renewal = services.renew_agreement(
                        actor=request.user, agreement=agreement, **renew_form.cleaned_data
                    )
                    messages.success(request, _("协议已续签。"))
                    return redirect(renewal)
            elif action == "end":
                end_form = EndForm(request.POST, prefix="end")
                if end_form.is_valid():
                    services.end_agreement(actor=request.user, agreement=agreement, **end_form.cleaned_data)
                    messages.success(request, _("协议已终止。"))
                    return redirect(agreement)
        except ValidationError as exc:
            attach_errors(renew_form if action == "renew" else end_form, exc)
    renewal = Agreement.objects.filter(renewed_from=agreement).first()
    return render(
        request,
        "cogov/agreement_detail.html",
        {
            "agreement": agreement,
            "commitments": agreement.commitments.all(),
            "renewal": renewal,
            "may_manage": may_manage,
            "renew_form": renew_form,
            "end_form": end_form,
        },
    )


@login_required
def agreement_file(request, pk):
    agreement = get_scoped_or_404(Agreement.objects.all(), request.user, VIEW, pk=pk)
    return serve_file(agreement.file, filename=agreement.file_name or "agreement")


# --- volunteers --------------------------------------------------------------------------------------------
@login_required
@require_http_methods(["GET", "POST"])
def volunteer_list(request):
    _need(request.user, MANAGE)
    form = StaffVolunteerForm(request.POST or None, user=request.user)
    done = request.method == "POST" and submitted(
        form,
        lambda data: services.sign_up_volunteer(actor=request.user, **data),
        "cogov:volunteer_list",
        request=request,
        message=_("志愿者已登记。"),
    )
    if done:
        return done
    filters = VolunteerFilter(request.GET or None)
    rows = exports.volunteer_rows(request)
    return render(
        request,
        "cogov/volunteer_list.html",
        {"form": form, "filters": filters, "page_obj": paginate(request, rows)},
    )


@login_required
def volunteer_detail(request, pk):
    """One volunteer's record (skills, availability, hours and the activities they served): the community's
    staff and those above, or the volunteer; out of scope a 404. Another person's view is in the audit
    trail (查看), as a member's record is."""
    volunteer = selectors.volunteer_of(request.user, pk)
    if volunteer.user_id != request.user.pk:
        log_access(actor=request.user, instance=volunteer)
    return render(
        request,
        "cogov/volunteer_detail.html",
        {"volunteer": volunteer, "credits": selectors.credits_of(volunteer)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def my_volunteering(request):
    _need(request.user, selectors.VOLUNTEER)
    volunteer = Volunteer.objects.filter(user=request.user).select_related("area").first()
    initial = {}
    if volunteer is not None:
        initial = {"skills": "，".join(volunteer.skills), "availability": volunteer.availability}
    form = VolunteerForm(request.POST or None, initial=initial)
    if request.method == "POST":
        if request.POST.get("action") == "leave" and volunteer is not None:
            services.leave_volunteering(actor=request.user, volunteer=volunteer)
            messages.success(request, _("您已退出志愿者队伍，服务时长仍保留。"))
            return redirect("cogov:my_volunteering")
        done = submitted(
            form,
            lambda data: services.sign_up_volunteer(actor=request.user, **data),
            "cogov:my_volunteering",
            request=request,
            message=_("志愿者信息已保存。"),
        )
        if done:
            return done
    return render(request, "cogov/my_volunteering.html", {"form": form, "volunteer": volunteer})
