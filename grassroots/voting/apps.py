from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VotingConfig(AppConfig):
    name = "grassroots.voting"
    label = "voting"
    verbose_name = _("投票表决")

    def ready(self) -> None:
        from grassroots.accounts.roles import OFFICIALS, PUBLIC, Role, register_permission
        from grassroots.audit.registry import track
        from grassroots.portal.navigation import NavEntry, register
        from grassroots.voting.models import (
            ElectionCorrection,
            Household,
            HouseholdMember,
            PaperCode,
            Representative,
            RepresentativeElection,
            Vote,
        )

        # Community staff and the officials above them run votes and keep the households of their areas.
        register_permission("voting.manage", _("组织投票、登记住户"), set(OFFICIALS))
        # Everyone may open the votes page; what each sees is decided by selectors.visible_votes.
        register_permission("voting.view", _("查看投票"), set(OFFICIALS | PUBLIC | {Role.AUDITOR}))
        # Households and votes are audited; ballots and who voted never are: the trail names the actor, and
        # a secret ballot must not be tied to its voter anywhere (docs/voting.md).
        track(Household)
        track(HouseholdMember)
        track(Vote)
        track(Representative)
        track(RepresentativeElection)
        track(ElectionCorrection)
        # Who printed a code for whom and who received it; not when it was spent (that moment, beside the
        # chain's order, could point at a secret ballot), nor its digest.
        track(PaperCode, exclude_fields=["used", "digest"])
        register(
            "voting",
            NavEntry(_("投票"), "voting:list", "voting.view", "bi-check2-square", public=True, phone=45),
        )
        register("voting", NavEntry(_("住户"), "voting:households", "voting.manage", "bi-house"))
        register("voting", NavEntry(_("居民代表"), "voting:representatives", "voting.manage", "bi-people"))
        from grassroots.voting.blocks import register_blocks

        register_blocks()
        register("voting", NavEntry(_("录入纸质选票"), "voting:code", "voting.manage", "bi-keyboard"))
