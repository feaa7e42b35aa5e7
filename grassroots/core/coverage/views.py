"""Pages of coverage: the overview (rates per kind and per child area, with a chart), the gap list, entities,
instructors with their visits, cross-appointments, service teams with their records."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from grassroots.access.scoping import get_scoped_or_404, has_perm
from grassroots.core.coverage import forms, selectors, services
from grassroots.core.coverage.exports import (
    cross_rows,
    entity_rows,
    gap_rows,
    instructor_rows,
    overview_rows,
    team_rows,
)
from grassroots.core.coverage.models import (
    Entity,
    Instructor,
    InstructorAssignment,
    InstructorVisit,
    ServiceRecord,
    ServiceTeam,
)
from grassroots.pages import BAD, GOOD, attach_errors, paginate, stack_chart

VIEW, CHANGE = "coverage.view", "coverage.change"


def _require(request, permission, area) -> None:
    if not has_perm(request.user, permission, area):
        raise PermissionDenied


@login_required
def overview(request):
    area, entities, kinds, children = overview_rows(request)  # as its exports (coverage/exports.py)
    rate = (_("覆盖率"), [c.rate or 0 for c in children])
    chart = stack_chart(
        [c.label for c in children],
        [
            (_("已覆盖"), [c.covered for c in children], GOOD),
            (_("未覆盖"), [c.uncovered for c in children], BAD),
        ],
        rate,
        unit=_("单位"),
    )
    kind_chart = stack_chart(
        [k.label for k in kinds],
        [
            (_("单独建立"), [k.own for k in kinds], GOOD),
            (_("联合建立"), [k.joint for k in kinds], "#20c997"),
            (_("指导员覆盖"), [k.instructor for k in kinds], "#0dcaf0"),
            (_("未覆盖"), [k.uncovered for k in kinds], BAD),
        ],
        unit=_("单位"),
    )
    context = {
        "area": area,
        "summary": selectors.summary(entities, area),
        "kinds": kinds,
        "children": children,
        "chart": chart,
        "kind_chart": kind_chart,
    }
    return render(request, "coverage/overview.html", context)


@login_required
def gaps(request):
    area, rows = gap_rows(request)  # as its export (exports.py)
    page = paginate(request, rows, 50)
    return render(request, "coverage/gaps.html", {"area": area, "page": page})


@login_required
def entity_list(request):
    area, filterset, rows = entity_rows(request)  # as its export (exports.py)
    page = paginate(request, rows, 50)
    context = {
        "area": area,
        "page": page,
        "filters": filterset.form,
        "can_create": has_perm(request.user, CHANGE),
    }
    return render(request, "coverage/entity_list.html", context)


@login_required
def entity_form(request, pk=None):
    entity = (
        get_scoped_or_404(Entity.objects.select_related("area"), request.user, VIEW, pk=pk) if pk else None
    )
    if entity is not None:
        _require(request, CHANGE, entity.area)
    elif not has_perm(request.user, CHANGE):
        raise PermissionDenied
    form = forms.EntityForm(request.POST or None, instance=entity, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            if entity is None:
                entity = services.create_entity(actor=request.user, **form.cleaned_data)
            else:
                services.update_entity(actor=request.user, entity=entity, **form.cleaned_data)
        except ValidationError as exc:
            attach_errors(form, exc)
        else:
            messages.success(request, _("已保存。"))
            return redirect(entity)
    return render(request, "coverage/form.html", {"form": form, "title": _("新兴领域单位"), "back": entity})


@login_required
def entity_detail(request, pk):
    entity = get_scoped_or_404(
        selectors.with_flag(Entity.objects.select_related("area", "party_org")), request.user, VIEW, pk=pk
    )
    context = {
        "entity": entity,
        "assignments": list(
            InstructorAssignment.objects.filter(entity=entity)
            .select_related("instructor__sent_by")
            .order_by("-starts_on")
        ),
        "visits": list(InstructorVisit.objects.filter(entity=entity).select_related("instructor")[:50]),
        "teams": list(entity.service_teams.all()),
        "records": list(ServiceRecord.objects.filter(entity=entity).select_related("team")[:50]),
        "can_change": has_perm(request.user, CHANGE, entity.area),
    }
    return render(request, "coverage/entity_detail.html", context)


@login_required
def instructor_list(request):
    area, rows = instructor_rows(request)  # as its export (exports.py)
    page = paginate(request, rows, 50)
    return render(
        request,
        "coverage/instructor_list.html",
        {"area": area, "page": page, "can_create": has_perm(request.user, CHANGE)},
    )


@login_required
def instructor_create(request):
    if not has_perm(request.user, CHANGE):
        raise PermissionDenied
    form = forms.InstructorForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            instructor = services.appoint_instructor(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            attach_errors(form, exc)
        else:
            return redirect(instructor)
    return render(request, "coverage/form.html", {"form": form, "title": _("选派党建指导员")})


@login_required
def instructor_detail(request, pk):
    instructor = get_scoped_or_404(
        Instructor.objects.select_related("area", "sent_by"), request.user, VIEW, pk=pk
    )
    can_change = has_perm(request.user, CHANGE, instructor.area)
    is_self = instructor.user_id == request.user.pk
    assign_form = forms.AssignForm(user=request.user, instructor=instructor)
    visit_form = forms.VisitForm(instructor=instructor)
    if request.method == "POST":
        if not (can_change or is_self):
            raise PermissionDenied
        action = request.POST.get("action")
        try:
            if action == "assign" and can_change:
                assign_form = forms.AssignForm(request.POST, user=request.user, instructor=instructor)
                if assign_form.is_valid():
                    services.assign_instructor(
                        actor=request.user, instructor=instructor, **assign_form.cleaned_data
                    )
                    return redirect(instructor)
            elif action == "end" and can_change:
                assignment = get_object_or_404(
                    instructor.assignments, pk=request.POST.get("assignment"), ends_on__isnull=True
                )
                services.end_assignment(actor=request.user, assignment=assignment)
                return redirect(instructor)
            elif action == "visit":
                visit_form = forms.VisitForm(request.POST, instructor=instructor)
                if visit_form.is_valid():
                    services.log_visit(actor=request.user, instructor=instructor, **visit_form.cleaned_data)
                    return redirect(instructor)
        except ValidationError as exc:
            attach_errors(visit_form if action == "visit" else assign_form, exc)
    context = {
        "instructor": instructor,
        "assignments": list(
            instructor.assignments.select_related("entity").order_by("ends_on", "-starts_on")
        ),
        "visits": list(instructor.visits.select_related("entity")[:100]),
        "assign_form": assign_form,
        "visit_form": visit_form,
        "can_change": can_change,
        "can_visit": can_change or is_self,
    }
    return render(request, "coverage/instructor_detail.html", context)


@login_required
def cross_list(request):
    area, rows = cross_rows(request)  # as its export (exports.py)
    page = paginate(request, rows, 50)
    return render(
        request,
        "coverage/cross_list.html",
        {"area": area, "page": page, "can_create": has_perm(request.user, CHANGE)},
    )


@login_required
def cross_create(request):
    if not has_perm(request.user, CHANGE):
        raise PermissionDenied
    form = forms.CrossAppointmentForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.record_cross_appointment(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            attach_errors(form, exc)
        else:
            return redirect("coverage:cross_list")
    return render(request, "coverage/form.html", {"form": form, "title": _("双向交叉任职")})


@login_required
def team_list(request):
    area, rows = team_rows(request)  # as its export (exports.py)
    page = paginate(request, rows, 50)
    return render(
        request,
        "coverage/team_list.html",
        {"area": area, "page": page, "can_create": has_perm(request.user, CHANGE)},
    )


@login_required
def team_create(request):
    if not has_perm(request.user, CHANGE):
        raise PermissionDenied
    form = forms.TeamForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            team = services.create_team(
                actor=request.user,
                name=d["name"],
                area=d["area"],
                leader=d["leader"],
                description=d["description"],
                members=form.member_pairs(),
                entities=d["entities"],
                submission=d["submission"],
            )
        except ValidationError as exc:
            attach_errors(form, exc)
        else:
            return redirect(team)
    return render(request, "coverage/form.html", {"form": form, "title": _("组团服务团队")})


@login_required
def team_detail(request, pk):
    team = get_scoped_or_404(
        ServiceTeam.objects.select_related("area").prefetch_related(
            "members", Prefetch("entities", queryset=Entity.objects.select_related("area"))
        ),
        request.user,
        VIEW,
        pk=pk,
    )
    form = forms.ServiceRecordForm(request.POST or None, team=team)
    can_change = has_perm(request.user, CHANGE, team.area)
    if request.method == "POST":
        if not can_change:
            raise PermissionDenied
        if form.is_valid():
            try:
                services.record_service(actor=request.user, team=team, **form.cleaned_data)
            except ValidationError as exc:
                attach_errors(form, exc)
            else:
                return redirect(team)
    records = list(team.records.select_related("entity")[:100])
    return render(
        request,
        "coverage/team_detail.html",
        {"team": team, "records": records, "form": form, "can_change": can_change},
    )
