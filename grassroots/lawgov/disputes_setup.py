"""What the dispute platform registers at start-up: permissions, audit, menu entries."""

from django.utils.translation import gettext_lazy as _


def setup_disputes() -> None:
    from grassroots.accounts.roles import LINE_OFFICIALS, OFFICIALS, Role, register_permission
    from grassroots.audit.registry import track
    from grassroots.lawgov.models_disputes import Dispute, DisputeParty, MediationSession
    from grassroots.portal.navigation import NavEntry, register

    # Who sees the cases of their scope: officials, mediators, legal workers, auditors. The parties of a case
    # see their own case through the per-record clause of the scoping function (Dispute.scope_people).
    register_permission(
        "lawgov.disputes",
        _("查看矛盾纠纷案件"),
        set(OFFICIALS | {Role.MEDIATOR, Role.LEGAL_WORKER, Role.AUDITOR}),
    )
    # Mediators and the officials of the three mediating levels (community staff, street, county) take a
    # case's steps: assign, mediate, escalate, refer, settle, close, visit — and read its file
    # (selectors_disputes.case_file_q). The city and the system admin mediate at no level: they see the
    # cases' summaries and figures, not the files (issue 16, "who sees a case"; docs/decisions.md).
    register_permission(
        "lawgov.mediate",
        _("调解矛盾纠纷"),
        set((LINE_OFFICIALS - {Role.CITY_OFFICIAL}) | {Role.MEDIATOR}),
    )
    # Everyone may export their own cases (我的纠纷调解: the cases they are a party to or filed online); the
    # rows are theirs only (selectors_disputes.my_disputes), whatever their role.
    register_permission("lawgov.own_disputes", _("导出本人的纠纷调解案件"), set(Role))
    # Who records a dispute on someone's behalf: grid workers, legal workers at the station, staff.
    register_permission(
        "lawgov.intake",
        _("代当事人登记矛盾纠纷"),
        set(OFFICIALS | {Role.MEDIATOR, Role.LEGAL_WORKER, Role.GRID_WORKER}),
    )
    for model in (Dispute, MediationSession):
        track(model)
    # the party's phone is logged masked (138****5678), like every phone in the trail (accounts/pii.py)
    track(DisputeParty, mask_fields=["phone"], mask_callable="grassroots.accounts.pii.mask_phone")
    from grassroots.lawgov.privacy import register_personal_data

    register_personal_data()  # a person's own data (grassroots/privacy)
    from django_fsm.signals import post_transition

    from grassroots.lawgov import receivers
    from grassroots.selfgov.models_negotiations import Negotiation

    post_transition.connect(
        receivers.negotiation_handed_over,
        sender=Negotiation,
        dispatch_uid="lawgov_negotiation_handed_over",
    )
    register(
        "lawgov",
        NavEntry(_("我的纠纷调解"), "lawgov:my_disputes", None, "bi-chat-square-heart", public=True),
    )
    register("lawgov", NavEntry(_("调解案件"), "lawgov:caseload", "lawgov.mediate", "bi-briefcase"))
    register(
        "lawgov", NavEntry(_("登记矛盾纠纷"), "lawgov:dispute_intake", "lawgov.intake", "bi-pencil-square")
    )
