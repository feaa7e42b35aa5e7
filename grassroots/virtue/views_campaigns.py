"""Pages of selection campaigns (评选): the list; starting one and editing it (pages of their own: the
organizing organization searched, not listed); a campaign's page with each step its viewer may take now
(close nominations, open the vote, vote, start the publicity, object, answer, award, cancel) and the
results; nominating; a nomination's page with its review, its withdrawal and more materials; its materials,
served only after the scope check. Thin: services decide, selectors read."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from grassroots.access.scoping import has_perm
from grassroots.files.serve import serve_file
from grassroots.pages import attach_errors, paginate
from grassroots.virtue import selectors, selectors_campaigns, services_campaign_changes, services_campaigns
from grassroots.virtue.exports import campaign_rows
from grassroots.virtue.forms_campaigns import (
    ORG_OPTIONS_LIMIT,
    AnswerForm,
    BallotForm,
    CampaignForm,
    CancelForm,
    MaterialsForm,
    NominationForm,
    ObjectionForm,
    OpenVoteForm,
    ReviewForm,
    WinnersForm,
    org_options,
)
from grassroots.virtue.forms_campaigns import campaign_orgs as campaign_orgs_of
from grassroots.virtue.models_campaigns import CampaignStatus, NominationStatus
from grassroots.voting.models import Turnout
from grassroots.voting.views import throttled

ACTIONS = ("close", "open_vote", "vote", "publicity", "object", "answer", "award", "cancel")
LIVE = (CampaignStatus.NOMINATING, CampaignStatus.REVIEWING, CampaignStatus.VOTING, CampaignStatus.PUBLICITY)


@login_required
def campaign_list(request):
    """评选活动: the campaigns the user sees, newest first; managers get a link to start one."""
    if not has_perm(request.user, selectors_campaigns.TAKE_PART):
        raise PermissionDenied
    rows = campaign_rows(request)  # as its export (exports.py)
    return render(
        request,
        "virtue/campaign_list.html",
        {"may_manage": has_perm(request.user, selectors.MANAGE), "page_obj": paginate(request, rows)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def campaign_create(request):
    """发起评选: a page of its own (its area choices community level and above within the grant)."""
    if not has_perm(request.user, selectors.MANAGE):
        raise PermissionDenied
    form = CampaignForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            campaign = services_campaigns.create_campaign(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            attach_errors(form, exc)
        else:
            messages.success(request, _("评选活动已发起，现在可以提名。"))
            return redirect(campaign.get_absolute_url())
    return render(request, "virtue/campaign_form.html", {"form": form, "campaign": None})


@login_required
@require_http_methods(["GET", "POST"])
def campaign_edit(request, pk):
    """修改评选: only the fields that may change now (services_campaign_changes.editable_fields)."""
    campaign = selectors_campaigns.get_campaign_or_404(request.user, pk)
    if not services_campaigns.may_manage(request.user, campaign):
        raise PermissionDenied
    fields = services_campaign_changes.editable_fields(campaign)
    if not fields:
        raise PermissionDenied
    initial = {name: getattr(campaign, name) for name in fields}
    if "nominations_close_at" in initial:
        initial["nominations_close_at"] = timezone.localtime(campaign.nominations_close_at)
    form = CampaignForm(request.POST or None, user=request.user, fields=fields, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services_campaign_changes.update_campaign(
                actor=request.user, campaign=campaign, **form.cleaned_data
            )
        except ValidationError as exc:
            attach_errors(form, exc)
        else:
            messages.success(request, _("评选活动已修改。"))
            return redirect(campaign.get_absolute_url())
    return render(request, "virtue/campaign_form.html", {"form": form, "campaign": campaign})


@login_required
def campaign_orgs(request):
    """htmx: the <option>s of the organizing organization matching ?q= (within the user's grant)."""
    if not has_perm(request.user, selectors.MANAGE):
        raise PermissionDenied
    orgs = campaign_orgs_of(request.user)
    query = request.GET.get("q", "").strip()
    if query:
        orgs = orgs.filter(name__icontains=query)
    options = org_options(orgs[:ORG_OPTIONS_LIMIT])
    return render(request, "virtue/_org_options.html", {"options": options})


@login_required
def nominating_orgs(request, pk):
    """htmx: the <option>s of 提名单位 matching ?q= — the Party organizations the user may nominate for in
    this campaign (selectors_campaigns.nominating_orgs)."""
    campaign = selectors_campaigns.get_campaign_or_404(request.user, pk)
    orgs = selectors_campaigns.nominating_orgs(request.user, campaign)
    query = request.GET.get("q", "").strip()
    if query:
        orgs = orgs.filter(name__icontains=query)
    options = org_options(orgs[:ORG_OPTIONS_LIMIT])
    return render(
        request, "virtue/_org_options.html", {"options": options, "empty_label": _("（以居民个人身份提名）")}
    )


def _forms(request, campaign, staff: bool, candidates, action: str | None):
    data = request.POST if action else None

    def bound(name):
        return data if action == name else None

    now = timezone.now()
    forms = {}
    vote = campaign.vote
    if campaign.status == CampaignStatus.VOTING and vote is not None and vote.is_open_at(now):
        voted = Turnout.objects.filter(vote=vote, voter=request.user).exists()
        if not voted and request.user.identity_verified:
            forms["vote"] = BallotForm(bound("vote"), candidates=candidates)
    publicity = campaign.status == CampaignStatus.PUBLICITY and now < campaign.publicity_ends_at
    if publicity and request.user.identity_verified:
        forms["object"] = ObjectionForm(bound("object"), candidates=candidates)
    if staff:
        if campaign.status == CampaignStatus.REVIEWING:
            forms["open_vote"] = OpenVoteForm(bound("open_vote"))
        if campaign.status == CampaignStatus.VOTING:
            forms["publicity"] = WinnersForm(bound("publicity"), candidates=candidates)
        if campaign.status == CampaignStatus.PUBLICITY:
            forms["answer"] = AnswerForm(bound("answer"))
        if campaign.status in LIVE:
            forms["cancel"] = CancelForm(bound("cancel"))
    return forms


def _act(request, campaign, action: str, form):
    user = request.user
    data = form.cleaned_data if form is not None else {}
    if action == "close":
        services_campaigns.close_nominations(actor=user, campaign=campaign)
        return _("提名已截止，请进行资格审查。")
    if action == "open_vote":
        services_campaigns.open_vote(actor=user, campaign=campaign, **data)
        return _("群众投票已开始。")
    if action == "vote":
        _ballot, code = services_campaigns.cast_vote(
            voter=user, campaign=campaign, nominations=data["nominations"]
        )
        return _("投票成功。您的回执码是 %(code)s，请妥善保存（只显示这一次）。") % {"code": code}
    if action == "publicity":
        services_campaigns.start_publicity(actor=user, campaign=campaign, winners=data["winners"] or None)
        return _("评选结果已进入公示。")
    if action == "object":
        nomination = None
        if data.get("nomination"):
            nomination = get_object_or_404(campaign.nominations, pk=data["nomination"])
        services_campaigns.raise_objection(
            actor=user, campaign=campaign, text=data["text"], nomination=nomination
        )
        return _("异议已提交，组织单位答复后才会评定。")
    if action == "answer":
        objection = get_object_or_404(campaign.objections, pk=data["objection"])
        services_campaigns.answer_objection(actor=user, objection=objection, answer=data["answer"])
        return _("异议已答复。")
    if action == "cancel":
        services_campaign_changes.cancel_campaign(actor=user, campaign=campaign, reason=data["reason"])
        return _("评选活动已取消。")
    services_campaigns.award(actor=user, campaign=campaign)
    return _("评选结果已评定。")


@login_required
@require_http_methods(["GET", "POST"])
def campaign_detail(request, pk):
    campaign = selectors_campaigns.get_campaign_or_404(request.user, pk)
    staff = services_campaigns.may_manage(request.user, campaign)
    candidates = list(selectors_campaigns.candidates(campaign))
    action = request.POST.get("action") if request.method == "POST" else None
    if action is not None and action not in ACTIONS:
        raise PermissionDenied
    if action == "vote" and (limited := throttled(request, "ballot", back=campaign.get_absolute_url())):
        return limited  # every attempt to vote counts, before the form: scripted voting gets 429
    forms = _forms(request, campaign, staff, candidates, action)
    if action:
        form = forms.get(action)
        if form is None and action not in ("close", "award"):
            raise PermissionDenied
        if form is None or form.is_valid():
            try:
                message = _act(request, campaign, action, form)
            except ValidationError as exc:
                if form is not None:
                    attach_errors(form, exc)
                else:
                    messages.error(request, " ".join(exc.messages))
                    return redirect(campaign.get_absolute_url())
            else:
                messages.success(request, message)
                return redirect(campaign.get_absolute_url())
    nominations = selectors_campaigns.visible_nominations(request.user).filter(campaign=campaign)
    objections = selectors_campaigns.visible_objections(request.user).filter(campaign=campaign)
    may_nominate = campaign.status == CampaignStatus.NOMINATING and (
        staff
        or request.user.identity_verified
        or selectors_campaigns.nominating_orgs(request.user, campaign).exists()
    )
    return render(
        request,
        "virtue/campaign_detail.html",
        {
            "campaign": campaign,
            "staff": staff,
            "forms": forms,
            "candidates": candidates,
            "nominations": nominations,
            "objections": objections,
            "may_nominate": may_nominate,
            "may_edit": staff and bool(services_campaign_changes.editable_fields(campaign)),
            "now": timezone.now(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def campaign_nominate(request, pk):
    campaign = selectors_campaigns.get_campaign_or_404(request.user, pk)
    staff = services_campaigns.may_manage(request.user, campaign)
    orgs = selectors_campaigns.nominating_orgs(request.user, campaign)
    form = NominationForm(
        request.POST or None, request.FILES or None, campaign=campaign, staff=staff, orgs=orgs
    )
    if request.method == "POST" and form.is_valid():
        try:
            nomination = services_campaigns.nominate(
                actor=request.user, campaign=campaign, **form.cleaned_data
            )
        except ValidationError as exc:
            attach_errors(form, exc)
        else:
            messages.success(request, _("提名已提交，等待资格审查。"))
            return redirect(nomination.get_absolute_url())
    return render(request, "virtue/campaign_nominate.html", {"campaign": campaign, "form": form})


NOMINATION_ACTIONS = ("review", "withdraw", "materials")


def _nomination_forms(request, nomination, campaign, staff: bool, action: str | None) -> dict:
    data = request.POST if action else None
    files = request.FILES if action else None
    forms = {}
    before_vote = campaign.status in (CampaignStatus.NOMINATING, CampaignStatus.REVIEWING)
    live = before_vote and nomination.status != NominationStatus.WITHDRAWN
    own = request.user.pk in (nomination.nominated_by_id, nomination.nominee_user_id)
    if staff and live:
        forms["review"] = ReviewForm(data if action == "review" else None)
    if live and (own or staff):
        forms["materials"] = MaterialsForm(
            data if action == "materials" else None, files if action == "materials" else None
        )
    if live and own:
        forms["withdraw"] = None  # a button: no fields
    return forms


@login_required
@require_http_methods(["GET", "POST"])
def nomination_detail(request, pk):
    nomination = selectors_campaigns.get_nomination_or_404(request.user, pk)
    campaign = nomination.campaign
    staff = services_campaigns.may_manage(request.user, campaign)
    action = None
    if request.method == "POST":
        action = request.POST.get("action") or "review"
        if action not in NOMINATION_ACTIONS:
            raise PermissionDenied
    forms = _nomination_forms(request, nomination, campaign, staff, action)
    if action:
        if action not in forms:
            raise PermissionDenied
        form = forms[action]
        if form is None or form.is_valid():
            try:
                message = _nomination_act(request, nomination, action, form)
            except ValidationError as exc:
                if form is None:
                    messages.error(request, " ".join(exc.messages))
                    return redirect(nomination.get_absolute_url())
                attach_errors(form, exc)
            else:
                messages.success(request, message)
                target = campaign if action == "review" else nomination
                return redirect(target.get_absolute_url())
    return render(
        request,
        "virtue/nomination_detail.html",
        {
            "nomination": nomination,
            "campaign": campaign,
            "materials": nomination.materials.all(),
            "form": forms.get("review"),
            "materials_form": forms.get("materials"),
            "may_withdraw": "withdraw" in forms,
        },
    )


def _nomination_act(request, nomination, action: str, form) -> str:
    user = request.user
    if action == "review":
        services_campaigns.review_nomination(actor=user, nomination=nomination, **form.cleaned_data)
        return _("资格审查结果已保存。")
    if action == "withdraw":
        services_campaign_changes.withdraw_nomination(actor=user, nomination=nomination)
        return _("提名已撤回。")
    services_campaign_changes.add_materials(
        actor=user, nomination=nomination, materials=form.cleaned_data["materials"]
    )
    return _("材料已上传。")


@login_required
def nomination_material(request, pk, material_pk):
    """Serve a nomination's material to those who may see the nomination (never linked directly)."""
    nomination = selectors_campaigns.get_nomination_or_404(request.user, pk)
    material = get_object_or_404(nomination.materials, pk=material_pk)
    return serve_file(material.file, filename=material.name)
