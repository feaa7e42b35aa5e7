"""The dispute platform's pages: the resident's "my disputes" (file and follow, on the phone), the mediator's
caseload with the overdue list, the case page (parties masked where the role does not need them, sessions,
stages, the timeline across levels and kinds), the agreement file (scoped, every view audited) and the
printable documents drafted from the case. Thin: the services decide; everything is read through the
selectors (404 outside)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from grassroots.access.scoping import has_perm
from grassroots.audit.actor import log_access
from grassroots.files.serve import serve_file
from grassroots.forms import submitted
from grassroots.lawgov import forms_disputes as forms
from grassroots.lawgov import forms_filing as filing_forms
from grassroots.lawgov import selectors_disputes as selectors
from grassroots.lawgov import services_disputes as services
from grassroots.lawgov.exports import caseload_rows, my_dispute_rows
from grassroots.lawgov.models_disputes import DisputeState
from grassroots.pages import paginate

DOCUMENTS = ("application", "record", "agreement")


def _case(request, pk):
    return get_object_or_404(selectors.visible_disputes(request.user).select_related("filed_by"), pk=pk)


def _case_file(request, pk):
    """A case whose file the user reads (its documents, its agreement): 404 outside their scope, refused
    (403) to those who see its summary only (selectors.case_file_q)."""
    dispute = _case(request, pk)
    if not dispute.case_file:
        raise PermissionDenied
    return dispute


@login_required
def my_disputes(request):
    """A resident's own cases, newest first, each with its state, level and time limit."""
    cases = my_dispute_rows(request)  # as its export (exports.py)
    return render(
        request,
        "lawgov/my_disputes.html",
        {
            "page": paginate(request, cases),
            "today": timezone.localdate(),
            "may_file": services.may_file_online(request.user),
        },
    )


@login_required
def caseload(request):
    """The mediator's caseload: the cases at the levels they mediate (at-risk first, then by time limit),
    and the overdue ones of their scope."""
    if not has_perm(request.user, selectors.MEDIATE):
        raise PermissionDenied
    today = timezone.localdate()
    cases = caseload_rows(request)  # as its export (exports.py)
    return render(
        request,
        "lawgov/caseload.html",
        {
            "page": paginate(request, cases),
            "overdue": list(selectors.overdue(request.user, today=today)[:50]),
            "today": today,
        },
    )


OPEN = (DisputeState.RECEIVED, DisputeState.MEDIATING)

# step → (its form, the states the case page offers it in, the service it calls with the form's data)
STEPS = {
    "mediators": (
        forms.MediatorsForm,
        OPEN,
        lambda user, d, data: services.assign_mediators(actor=user, dispute=d, users=data["mediators"]),
    ),
    "session": (
        forms.SessionForm,
        OPEN,
        lambda user, d, data: services.record_session(actor=user, dispute=d, **data),
    ),
    "start": (
        forms.StartForm,
        (DisputeState.RECEIVED,),
        lambda user, d, data: services.start_mediation(actor=user, dispute=d, **data),
    ),
    "settle": (
        forms.SettleForm,
        (DisputeState.MEDIATING,),
        lambda user, d, data: services.settle(actor=user, dispute=d, **data),
    ),
    "escalate": (
        forms.EscalateForm,
        OPEN,
        lambda user, d, data: services.escalate(actor=user, dispute=d, **data),
    ),
    "refer": (forms.ReferForm, OPEN, lambda user, d, data: services.refer(actor=user, dispute=d, **data)),
    "close": (forms.CloseForm, OPEN, lambda user, d, data: services.close(actor=user, dispute=d, **data)),
    "visit": (
        forms.VisitForm,
        (DisputeState.SETTLED,),
        lambda user, d, data: services.visit(
            actor=user, dispute=d, note=data["note"], carried_out=data["carried_out"] == "yes"
        ),
    ),
    "confirm": (
        filing_forms.ConfirmForm,
        (DisputeState.SETTLED, DisputeState.VISITED),
        lambda user, d, data: services.confirm_judicially(actor=user, dispute=d, **data),
    ),
}


# step → (its anchor on the page, as the workflow's buttons link to it; its heading)
HEADINGS = {
    "mediators": ("mediators", _("指派调解员")),
    "session": ("sessions", _("记录调解会")),
    "start": ("start", _("开始调解")),
    "settle": ("agreement", _("调解成功：填写调解协议")),
    "escalate": ("escalate", _("上移上一级调解")),
    "refer": ("refer", _("转其他类型调解")),
    "close": ("close", _("终结调解")),
    "visit": ("visit", _("回访")),
    "confirm": ("confirmation", _("司法确认")),
}


def _context(request, dispute, bound=None) -> dict:
    may_mediate = selectors.may_mediate(request.user, dispute)
    case_file = dispute.case_file
    step_forms = {}
    if may_mediate:
        for name, (form_class, states, _act) in STEPS.items():
            if dispute.state in states and not (name == "confirm" and dispute.confirmed_on):
                form = bound if bound is not None and bound.id_prefix == name else form_class(dispute=dispute)
                step_forms[name] = (*HEADINGS[name], form)
    return {
        "dispute": dispute,
        "case_file": case_file,
        "parties": selectors.party_rows(request.user, dispute) if case_file else [],
        "stages": list(dispute.stages.select_related("handler")),
        "timeline": selectors.timeline(dispute, case_file=case_file),
        "may_mediate": may_mediate,
        "today": timezone.localdate(),
        "documents": DOCUMENTS,
        "step_forms": step_forms,
    }


@login_required
def dispute_detail(request, pk):
    """The case file: for those who see the case (404 otherwise), its text for those who read its file and
    its summary for the others (selectors.case_file_q); every view written to the audit trail (查看, issue
    16: "every view of a case file is audited")."""
    dispute = _case(request, pk)
    log_access(actor=request.user, instance=dispute)
    return render(request, "lawgov/dispute_detail.html", _context(request, dispute))


@login_required
@require_POST
def dispute_step(request, pk, step):
    """A step's form posted on the case page: accepted → back to the case; else the page again with the
    refusal at the form's fields (400). Only for those who see the case (404 otherwise)."""
    dispute = _case(request, pk)
    if step not in STEPS:
        raise Http404
    form_class, _states, act = STEPS[step]
    form = form_class(request.POST, request.FILES, dispute=dispute)
    if done := submitted(form, lambda data: act(request.user, dispute, data), dispute.get_absolute_url()):
        return done
    dispute = _case(request, pk)
    context = _context(request, dispute, bound=form)
    if step not in context["step_forms"]:
        context["step_forms"][step] = (*HEADINGS[step], form)
    return render(request, "lawgov/dispute_detail.html", context, status=400)


@login_required
def dispute_file(request, pk):
    """The signed agreement: for those who read the case's file; every view written to the audit trail."""
    dispute = _case_file(request, pk)
    if not dispute.agreement_file:
        raise Http404
    log_access(actor=request.user, instance=dispute)
    return serve_file(dispute.agreement_file, filename=dispute.agreement_file_name or "agreement")


@login_required
def dispute_document(request, pk, document):
    """A printable document drafted from the case in the usual form: the application (申请书), the record
    of mediation (调解笔录) or the agreement (调解协议书), for printing and signing, for those who read
    the case's file (403 for those who see its summary only). Contacts unmasked only for those who mediate
    it; every view audited (查看), a party's too: it is the case file."""
    if document not in DOCUMENTS:
        raise Http404
    dispute = _case_file(request, pk)
    if document == "agreement" and dispute.state not in (DisputeState.SETTLED, DisputeState.VISITED):
        raise Http404
    parties = selectors.party_rows(request.user, dispute)
    log_access(actor=request.user, instance=dispute)
    return render(
        request,
        f"lawgov/document_{document}.html",
        {
            "dispute": dispute,
            "applicants": [p for p in parties if p.party.role == "applicant"],
            "respondents": [p for p in parties if p.party.role != "applicant"],
            "sessions": list(dispute.sessions.all()),
            "today": timezone.localdate(),
        },
    )
