"""Filing forms (备案单) and the guidance form (指导单)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from grassroots.core.orglife.forms import GuidanceForm, PlanEditForm, PlanForm, PlanItemForm, PlanItemFormSet
from grassroots.core.orglife.models import PlanState
from grassroots.core.orglife.selectors import forms as selectors
from grassroots.core.orglife.services import plans as services
from grassroots.core.orglife.views._common import require_branch_side, require_reviewer
from grassroots.pages import attach_errors
from grassroots.workflow.engine import TransitionRefused


def _items(formset) -> list:
    return [f.as_item() for f in formset.kept_forms]


@login_required
def plan_create(request, branch_pk):
    branch = selectors.get_branch_or_404(request.user, branch_pk)
    require_branch_side(request, branch)
    rows = PlanItemFormSet.rearranged(request.POST or None, prefix="items")
    if rows is not None:  # 添加一行 / 删除此行: the same page again, a row more or less, nothing saved
        form = PlanForm(initial=request.POST.dict())
        return render(request, "orglife/plan_form.html", {"branch": branch, "form": form, "formset": rows})
    form = PlanForm(request.POST or None)
    formset = PlanItemFormSet(request.POST or None, prefix="items")
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        try:
            plan = services.create_plan(
                actor=request.user,
                branch=branch,
                period_unit=form.cleaned_data["period_unit"],
                period_start=form.cleaned_data["period_start"],
                note=form.cleaned_data["note"],
                items=_items(formset),
            )
        except ValidationError as exc:
            attach_errors(form, exc)
        else:
            messages.success(request, _("备案单已保存为草稿，核对后请提交备案。"))
            return redirect(plan)
    return render(request, "orglife/plan_form.html", {"branch": branch, "form": form, "formset": formset})


@login_required
def plan_edit(request, pk):
    plan = selectors.get_plan_or_404(request.user, pk)
    require_branch_side(request, plan.branch)
    if plan.state not in services.EDITABLE:
        messages.error(request, _("只有草稿或被退回的备案单可以修改。"))
        return redirect(plan)
    rows = PlanItemFormSet.rearranged(request.POST or None, prefix="items")
    if rows is not None:
        context = {"branch": plan.branch, "plan": plan, "form": PlanEditForm(initial=request.POST.dict())}
        return render(request, "orglife/plan_form.html", {**context, "formset": rows})
    form = PlanEditForm(request.POST or None, initial={"note": plan.note})
    initial = [PlanItemForm.initial_from(item) for item in plan.items.all()]
    formset = PlanItemFormSet(request.POST or None, prefix="items", initial=initial)
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        try:
            services.update_plan(
                actor=request.user, plan=plan, note=form.cleaned_data["note"], items=_items(formset)
            )
        except ValidationError as exc:
            attach_errors(form, exc)
        else:
            messages.success(request, _("备案单已保存。"))
            return redirect(plan)
    return render(
        request,
        "orglife/plan_form.html",
        {"branch": plan.branch, "plan": plan, "form": form, "formset": formset},
    )


@login_required
def plan_detail(request, pk):
    plan = selectors.get_plan_or_404(request.user, pk)
    from grassroots.core.orglife import rules

    context = {
        "plan": plan,
        "can_edit": plan.state in services.EDITABLE and rules.may_act_for(request.user, plan.branch),
        "states": PlanState,
    }
    return render(request, "orglife/plan_detail.html", context)


@login_required
def plan_decide(request, pk):
    """The guidance form: comments and required changes, approving or returning the plan."""
    plan = selectors.get_plan_or_404(request.user, pk)
    require_reviewer(request, plan.branch)
    form = GuidanceForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.decide_plan(
                actor=request.user,
                plan=plan,
                attachments=request.FILES.getlist("attachments"),
                **form.cleaned_data,
            )
        except ValidationError as exc:
            attach_errors(form, exc)
        except TransitionRefused as refused:
            form.add_error(None, refused.message)
        else:
            messages.success(request, _("指导单已下发。"))
            return redirect(plan)
    return render(request, "orglife/plan_decide.html", {"plan": plan, "form": form})
