"""Self-governance's share of a person's data (grassroots/privacy/registry.py): their ratings of matters
(step 5), their seats on a residents' supervision committee and the checks they recorded (step 4), and the
negotiations that name them as a party.

A deletion keeps each rating's level (a closed round's result and an open round's count stand; the account is
pseudonymised) and blanks their comment; takes them off the committees; keeps their checks (the committee's
record of the matter's execution, its finding and photo are evidence), now under the pseudonymised account.

Negotiations: A person without an account is a party by name and role (`NegotiationParty.name`); a person
with an account finds the parties of their own community's negotiations named as they are (namesakes in one
community are the limit of matching by name). A deletion keeps the negotiation (a record of the dispute
and its agreement) and replaces the name with the placeholder; the role stays."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from grassroots.privacy.registry import Erasure, How, PersonalData, model_rows, register


def _named_parties(user):
    """Named parties (no registered organization) called as the person is, in negotiations of the community
    their home lies in: one query (the home's path compared inside it)."""
    from django.contrib.auth import get_user_model
    from django.db.models import Exists, OuterRef

    from grassroots.selfgov.models_negotiations import NegotiationParty

    name = (user.full_name or "").strip()
    if not name or not user.home_area_id:
        return NegotiationParty.objects.none()
    lives_there = get_user_model().objects.filter(
        pk=user.pk, home_area__path__startswith=OuterRef("negotiation__community__path")
    )
    return NegotiationParty.objects.filter(partner__isnull=True, name=name).filter(Exists(lives_there))


def _parties(user):
    return model_rows(
        _named_parties(user).select_related("negotiation"), ["negotiation", "kind", "name", "role"]
    )


def _erase_parties(user, *, placeholder: str) -> Erasure:
    count = _named_parties(user).update(name=placeholder)
    return Erasure(How.PSEUDONYMISED, count)


def _ratings(user):
    from grassroots.selfgov.models import Rating

    rows = Rating.objects.filter(user=user).select_related("evaluation__matter").order_by("pk")
    return [
        {
            _("民生事项"): rating.evaluation.matter.title,
            _("轮次"): rating.evaluation.round,
            _("评价"): rating.get_level_display(),
            _("意见"): rating.comment,
            _("时间"): rating.created_at,
        }
        for rating in rows
    ]


def _erase_ratings(user, *, placeholder: str) -> Erasure:
    from grassroots.selfgov.models import Rating

    count = Rating.objects.filter(user=user).update(comment="")
    return Erasure(How.PSEUDONYMISED, count)


def _seats(user):
    from grassroots.selfgov.models import Supervisor

    rows = Supervisor.objects.filter(user=user).select_related("community").order_by("pk")
    return [{_("社区"): seat.community.name, _("加入时间"): seat.added_at} for seat in rows]


def _erase_seats(user, *, placeholder: str) -> Erasure:
    from grassroots.selfgov.models import Supervisor

    count, _detail = Supervisor.objects.filter(user=user).delete()
    return Erasure(How.DELETED, count)


def _checks(user):
    from grassroots.selfgov.models import SupervisionCheck

    rows = SupervisionCheck.objects.filter(supervisor=user).select_related("matter").order_by("pk")
    return [
        {_("民生事项"): check.matter.title, _("监督发现"): check.finding, _("时间"): check.created_at}
        for check in rows
    ]


def _keep_checks(user, *, placeholder: str) -> Erasure:
    from grassroots.selfgov.models import SupervisionCheck

    count = SupervisionCheck.objects.filter(supervisor=user).count()
    return Erasure(How.KEPT, count, _("事项执行的监督记录"))


def register_personal_data() -> None:
    register(PersonalData("selfgov.rating", gettext_lazy("民生事项评议"), _ratings, _erase_ratings, 58))
    register(PersonalData("selfgov.supervisor", gettext_lazy("居务监督委员会成员"), _seats, _erase_seats, 58))
    register(PersonalData("selfgov.check", gettext_lazy("监督检查记录"), _checks, _keep_checks, 58))
    register(
        PersonalData(
            "selfgov.negotiation_party", gettext_lazy("矛盾协商参与方"), _parties, _erase_parties, 58
        )
    )
