"""The pairing pages (双报到, 结对子): the list of pairings in sight (a cadre's and a unit representative's
own), a pairing with its commitments and service record, the forms to register a unit with a community, pair,
add a commitment, record a service and end a pairing. Thin: the services decide; records are read through
selectors_pairings (404 outside)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from grassroots.access.scoping import has_perm
from grassroots.audit.actor import log_access
from grassroots.forms import submitted
from grassroots.lawgov import selectors_pairings as selectors
from grassroots.lawgov import services_pairings as services
from grassroots.lawgov.exports import pairing_rows
from grassroots.lawgov.forms_pairings import CommitmentForm, EndForm, PairingForm, RegisterForm, ServiceForm
from grassroots.lawgov.models_pairings import PairingKind, PairingState
from grassroots.pages import paginate


@login_required
def pairing_list(request):
    state, kind, rows = pairing_rows(request)
    may_manage = has_perm(request.user, services.MANAGE)
    registrations = list(selectors.unit_registrations(request.user)[:50]) if may_manage else []
    return render(
        request,
        "lawgov/pairing_list.html",
        {
            "page": paginate(request, rows),
            "state": state,
            "kind": kind,
            "states": PairingState.choices,
            "kinds": PairingKind.choices,
            "may_manage": may_manage,
            "registrations": registrations,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def pairing_new(request):
    if not has_perm(request.user, services.MANAGE):
        raise Http404
    form = PairingForm(request.POST or None, user=request.user)
    done = request.method == "POST" and submitted(
        form,
        lambda data: services.create_pairing(actor=request.user, **data),
        request=request,
        message=_("结对已登记。"),
    )
    return done or render(request, "lawgov/pairing_form.html", {"form": form, "title": _("登记结对")})


@login_required
@require_http_methods(["GET", "POST"])
def unit_register(request):
    form = RegisterForm(request.POST or None, user=request.user)
    done = request.method == "POST" and submitted(
        form,
        lambda data: services.register_unit(actor=request.user, **data),
        "lawgov:pairing_list",
        request=request,
        message=_("报到申请已提交，等待社区确认。"),
    )
    return done or render(request, "lawgov/pairing_form.html", {"form": form, "title": _("单位到社区报到")})


def _forms(data=None):
    return {"commitment": CommitmentForm(data), "service": ServiceForm(data), "end": EndForm(data)}


def _detail(request, pairing, forms, status=200):
    user = request.user
    live = pairing.state == PairingState.ACTIVE
    return render(
        request,
        "lawgov/pairing_detail.html",
        {
            "p": pairing,
            "commitments": list(pairing.commitments.all()),
            "services": list(pairing.services.select_related("recorded_by")),
            "forms": forms,
            "may_manage": live and has_perm(user, services.MANAGE, pairing.community),
            "may_commit": live
            and (has_perm(user, services.MANAGE, pairing.community) or services.represents(user, pairing)),
            "may_record": live and services.may_record(user, pairing),
        },
        status=status,
    )


@login_required
def pairing_detail(request, pk):
    pairing = get_object_or_404(selectors.visible_pairings(request.user), pk=pk)
    if pairing.cadre_id != request.user.pk:
        log_access(actor=request.user, instance=pairing)  # the cadre and the member or household paired: 查看
    return _detail(request, pairing, _forms())


STEPS = {
    "commitment": (services.add_commitment, gettext_lazy("承诺已添加。")),
    "service": (services.record_service, gettext_lazy("服务已记录。")),
    "end": (services.end_pairing, gettext_lazy("结对已结束。")),
}


@require_POST
@login_required
def pairing_step(request, pk, step):
    pairing = get_object_or_404(selectors.visible_pairings(request.user), pk=pk)
    if step not in STEPS:
        raise Http404
    forms = _forms()
    form = forms[step] = _forms(request.POST)[step]
    service, message = STEPS[step]
    done = submitted(
        form,
        lambda data: service(actor=request.user, pairing=pairing, **data),
        pairing,
        request=request,
        message=message,
    )
    return done or _detail(request, pairing, forms, status=400)
