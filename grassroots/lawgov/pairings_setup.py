"""What dual reporting and pairing register at start-up: permissions, audit, the menu entry."""

from django.utils.translation import gettext_lazy as _


def setup_pairings() -> None:
    from grassroots.accounts.roles import OFFICIALS, Role, register_permission
    from grassroots.audit.registry import track
    from grassroots.lawgov.models_pairings import Pairing, PairingCommitment, PairingService
    from grassroots.portal.navigation import NavEntry, register

    # Who sees the pairings of their scope: officials, community staff, auditors; a unit's representatives
    # see their unit's (partner clause), a cadre their own (Pairing.scope_people).
    register_permission(
        "lawgov.pairings", _("查看双报到结对"), set(OFFICIALS | {Role.AUDITOR}), partner_rep=True
    )
    # Who pairs, lists commitments and ends a pairing: the community's staff and the officials above.
    register_permission("lawgov.pair", _("管理双报到结对"), set(OFFICIALS))
    for model in (Pairing, PairingCommitment, PairingService):
        track(model)
    register("lawgov", NavEntry(_("双报到结对"), "lawgov:pairing_list", None, "bi-link-45deg", public=True))
