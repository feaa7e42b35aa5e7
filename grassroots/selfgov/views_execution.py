"""Pages of steps 4 and 5 (the forms live on the matter's page: plan, milestone done, progress update,
spending, supervision check, rating), the files they carry (served by the scoped views), the supervision
committee's roster and a community's settings. Thin: the services decide; reads through the selectors (404
outside)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from grassroots.access.scoping import scoped
from grassroots.areas.models import Area, Level
from grassroots.files.serve import serve_file
from grassroots.forms import submitted
from grassroots.selfgov import selectors, selectors_execution
from grassroots.selfgov.exports import managed_communities, with_seats, with_settings
from grassroots.selfgov.forms_execution import (
    CheckForm,
    MilestoneDoneForm,
    PlanForm,
    RatingForm,
    SettingsForm,
    SpendingForm,
    SupervisorForm,
    UpdateForm,
)
from grassroots.selfgov.models import CommunitySetting, MatterState, Supervisor, community_staff
from grassroots.selfgov.services import evaluation, execution


def execution_context(request, matter) -> dict:
    """The matter page's steps 4 and 5: records and the forms the user may use."""
    user = request.user
    records = selectors_execution.execution_of(user, matter)
    staff = bool(community_staff(matter, user))
    runner = staff or (matter.owner_id is not None and matter.owner_id == user.pk)
    executing = matter.state == MatterState.EXECUTION
    context = {"execution": records, "is_staff_of_matter": staff}
    if staff and executing and not any(m.done_on for m in records.milestones):
        context["plan_form"] = PlanForm(
            matter=matter,
            initial={
                "owner": matter.owner_id,
                "owner_unit": matter.owner_unit,
                "budget": matter.budget,
                "milestones": "\n".join(
                    f"{m.title}，{m.weight}，{m.planned_on.isoformat()}" for m in records.milestones
                ),
            },
        )
    if runner and executing:
        if any(m.done_on is None for m in records.milestones):
            context["milestone_form"] = MilestoneDoneForm(matter=matter)
        context["update_form"] = UpdateForm()
    if runner and matter.state in (MatterState.EXECUTION, MatterState.EVALUATION):
        context["spending_form"] = SpendingForm()
    supervising = matter.state in (MatterState.EXECUTION, MatterState.EVALUATION, MatterState.DONE)
    if supervising and selectors_execution.is_supervisor(user, matter):
        context["check_form"] = CheckForm()
    current = records.current
    if (
        current is not None
        and current.is_open_at()
        and records.mine is None
        and selectors.may_take_part(user, matter)
    ):
        context["rating_form"] = RatingForm()
    return context


def _again(request, matter, **forms):
    from grassroots.selfgov.views import _matter_context

    matter.refresh_from_db()
    return render(
        request, "selfgov/matter_detail.html", _matter_context(request, matter, **forms), status=400
    )


@login_required
@require_POST
def matter_plan(request, pk):
    matter = selectors.get_matter_or_404(request.user, pk)
    form = PlanForm(request.POST, matter=matter)
    done = submitted(
        form,
        lambda data: execution.set_plan(
            actor=request.user,
            matter=matter,
            owner=data["owner"],
            owner_unit=data["owner_unit"],
            budget=data["budget"],
            milestones=execution.parse_milestones(data["milestones"]),
        ),
        matter.get_absolute_url() + "#execution",
    )
    return done or _again(request, matter, plan_form=form)


@login_required
@require_POST
def matter_milestone(request, pk):
    matter = selectors.get_matter_or_404(request.user, pk)
    form = MilestoneDoneForm(request.POST, matter=matter)
    done = submitted(
        form,
        lambda data: execution.complete_milestone(
            actor=request.user, matter=matter, milestone=data["milestone"]
        ),
        matter.get_absolute_url() + "#execution",
    )
    return done or _again(request, matter, milestone_form=form)


@login_required
@require_POST
def matter_update(request, pk):
    matter = selectors.get_matter_or_404(request.user, pk)
    form = UpdateForm(request.POST, request.FILES)
    done = submitted(
        form,
        lambda data: execution.post_update(
            actor=request.user,
            matter=matter,
            text=data["text"],
            photos=[data["photo"]] if data["photo"] else [],
        ),
        matter.get_absolute_url() + "#execution",
    )
    return done or _again(request, matter, update_form=form)


@login_required
@require_POST
def matter_spending(request, pk):
    matter = selectors.get_matter_or_404(request.user, pk)
    form = SpendingForm(request.POST, request.FILES)
    done = submitted(
        form,
        lambda data: execution.record_spending(actor=request.user, matter=matter, **data),
        matter.get_absolute_url() + "#spending",
    )
    return done or _again(request, matter, spending_form=form)


@login_required
@require_POST
def matter_check(request, pk):
    matter = selectors.get_matter_or_404(request.user, pk)
    form = CheckForm(request.POST, request.FILES)
    done = submitted(
        form,
        lambda data: execution.record_check(user=request.user, matter=matter, **data),
        matter.get_absolute_url() + "#checks",
    )
    return done or _again(request, matter, check_form=form)


@login_required
@require_POST
def matter_rate(request, pk):
    matter = selectors.get_matter_or_404(request.user, pk)
    form = RatingForm(request.POST)

    def rate(data):
        current = matter.current_evaluation()
        if current is None:
            raise ValidationError({"level": _("该事项当前没有进行中的评议。")})
        return evaluation.rate(user=request.user, evaluation=current, **data)

    done = submitted(form, rate, matter.get_absolute_url() + "#evaluation")
    return done or _again(request, matter, rating_form=form)


# --- files, through the matter's scope ------------------------------------------------------------------
@login_required
def update_photo(request, pk, photo_pk):
    matter = selectors.get_matter_or_404(request.user, pk)
    from grassroots.selfgov.models import UpdatePhoto

    item = get_object_or_404(UpdatePhoto, pk=photo_pk, update__matter=matter)
    return serve_file(item.image, filename=item.image.name.rsplit("/", 1)[-1])


@login_required
def spending_evidence(request, pk, spending_pk):
    matter = selectors.get_matter_or_404(request.user, pk)
    item = get_object_or_404(matter.spendings.exclude(evidence=""), pk=spending_pk)
    return serve_file(item.evidence, filename=item.evidence.name.rsplit("/", 1)[-1])


@login_required
def check_photo(request, pk, check_pk):
    matter = selectors.get_matter_or_404(request.user, pk)
    item = get_object_or_404(matter.checks.exclude(photo=""), pk=check_pk)
    return serve_file(item.photo, filename=item.photo.name.rsplit("/", 1)[-1])


# --- the supervision committee and a community's settings -----------------------------------------------
def _communities(user):
    return scoped(Area.objects.filter(level=Level.COMMUNITY, retired=False), user, "selfgov.manage").order_by(
        "path"
    )


@login_required
@require_http_methods(["GET", "POST"])
def supervisors(request):
    """The residents' supervision committee of each community of the scope (`?area=`): its members, and a
    form to add one (a verified resident of the community)."""
    communities = with_seats(managed_communities(request)[:50])  # as its export (selfgov/exports.py)
    chosen = communities[0] if len(communities) == 1 else None
    if request.method == "POST":
        form = SupervisorForm(request.POST, community=None, keeper=request.user)

        def add(data):
            community = selectors.community_of(data["user"].home_area)
            execution.add_supervisor(actor=request.user, community=community, user=data["user"])
            return reverse("selfgov:supervisors") + f"?area={community.pk}"

        done = submitted(form, add)
        if done:
            return done
    else:
        form = SupervisorForm(community=chosen) if chosen else None
    return render(
        request,
        "selfgov/supervisors.html",
        {
            "rows": [(c, c.seats) for c in communities],
            "chosen": chosen,
            "form": form,
        },
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_POST
def supervisor_remove(request, pk):
    seat = get_object_or_404(
        scoped(Supervisor.objects.select_related("community"), request.user, "selfgov.manage"), pk=pk
    )
    execution.remove_supervisor(actor=request.user, seat=seat)
    return redirect(reverse("selfgov:supervisors") + f"?area={seat.community_id}")


@login_required
def settings_list(request):
    """The communities of the scope with their numbers (a community without a row: the defaults)."""
    communities = with_settings(managed_communities(request)[:200])  # as its export (selfgov/exports.py)
    return render(
        request,
        "selfgov/settings.html",
        {"rows": [(c, c.setting) for c in communities], "defaults": selectors.DEFAULTS},
    )


@login_required
@require_http_methods(["GET", "POST"])
def settings_edit(request, pk):
    community = get_object_or_404(_communities(request.user), pk=pk)
    current = CommunitySetting.objects.filter(area=community).first()
    initial = selectors.setting_for(community)
    form = SettingsForm(request.POST or None, instance=current, initial=None if current else initial)
    if request.method == "POST":
        done = submitted(
            form,
            lambda data: evaluation.update_settings(actor=request.user, community=community, **data),
            "selfgov:settings",
        )
        if done:
            return done
    return render(
        request,
        "selfgov/settings_form.html",
        {"form": form, "community": community},
        status=400 if request.method == "POST" else 200,
    )
