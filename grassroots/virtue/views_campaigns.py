"""Pages of selection campaigns (评选): the list (and the form that starts one), a campaign's page with each
step its viewer may take now (close nominations, open the vote, vote, start the publicity, object, answer,
award) and the results; nominating; a nomination's page with its review; its materials, served only after
the scope check. Thin: services decide, selectors read."""

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
from grassroots.virtue import selectors, selectors_campaigns, services_campaigns
from grassroots.virtue.forms_campaigns import (
    AnswerForm,
    BallotForm,
    CampaignForm,
    NominationForm,
    ObjectionForm,
    OpenVoteForm,
    ReviewForm,
    WinnersForm,
)
from grassroots.virtue.models_campaigns import CampaignStatus
from grassroots.voting import limits
from grassroots.voting.models import Turnout

ACTIONS = ("close", "open_vote", "vote", "publicity", "object", "answer", "award")


@login_required
@require_http_methods(["GET", "POST"])
def campaign_list(request):
    """评选活动: the campaigns the user sees, newest first; managers get the form that starts one."""
    if not has_perm(request.user, selectors_campaigns.TAKE_PART):
        raise PermissionDenied
    may_manage = has_perm(request.user, selectors.MANAGE)
    form = CampaignForm(request.POST or None, user=request.user) if may_manage else None
    if request.method == "POST":
        if form is None:
            raise PermissionDenied
        if form.is_valid():
            try:
                campaign = services_campaigns.create_campaign(actor=request.user, **form.cleaned_data)
            except ValidationError as exc:
                attach_errors(form, exc)
            else:
                messages.success(request, _("评选活动已发起，现在可以提名。"))
                return redirect(campaign.get_absolute_url())
    rows = selectors_campaigns.visible_campaigns(request.user)
    return render(request, "virtue/campaign_list.html", {"form": form, "page_obj": paginate(request, rows)})


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
        limits.check(request, "ballot")
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
    may_nominate = campaign.status == CampaignStatus.NOMINATING and (staff or request.user.identity_verified)
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
            "now": timezone.now(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def campaign_nominate(request, pk):
    campaign = selectors_campaigns.get_campaign_or_404(request.user, pk)
    staff = services_campaigns.may_manage(request.user, campaign)
    form = NominationForm(request.POST or None, request.FILES or None, campaign=campaign, staff=staff)
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


@login_required
@require_http_methods(["GET", "POST"])
def nomination_detail(request, pk):
    nomination = selectors_campaigns.get_nomination_or_404(request.user, pk)
    campaign = nomination.campaign
    staff = services_campaigns.may_manage(request.user, campaign)
    reviewable = staff and campaign.status in (CampaignStatus.NOMINATING, CampaignStatus.REVIEWING)
    form = ReviewForm(request.POST or None) if reviewable else None
    if request.method == "POST":
        if form is None:
            raise PermissionDenied
        if form.is_valid():
            try:
                services_campaigns.review_nomination(
                    actor=request.user, nomination=nomination, **form.cleaned_data
                )
            except ValidationError as exc:
                attach_errors(form, exc)
            else:
                messages.success(request, _("资格审查结果已保存。"))
                return redirect(campaign.get_absolute_url())
    return render(
        request,
        "virtue/nomination_detail.html",
        {
            "nomination": nomination,
            "campaign": campaign,
            "materials": nomination.materials.all(),
            "form": form,
        },
    )


@login_required
def nomination_material(request, pk, material_pk):
    """Serve a nomination's material to those who may see the nomination (never linked directly)."""
    nomination = selectors_campaigns.get_nomination_or_404(request.user, pk)
    material = get_object_or_404(nomination.materials, pk=material_pk)
    return serve_file(material.file, filename=material.name)
