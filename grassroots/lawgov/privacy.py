"""法治's share of a person's data (grassroots/privacy/registry.py): the disputes that name them as a party
through their account (`DisputeParty.user`), with the contact details recorded there. A deletion keeps the
case (a record of the mediation and its agreement), unlinks the account and replaces name, phone and
address with the placeholder. And the consultations they asked at a legal service station
(`Consultation.resident`): a deletion keeps the station's record (topic, referral), unlinks the account and
blanks the question and answer. And the pairings (结对子) naming them as the cadre or as the member paired
(`Pairing.cadre`, `Pairing.member.user`): a deletion keeps the unit's record of its service and unlinks
them."""

from __future__ import annotations

from django.utils.translation import gettext_lazy

from grassroots.privacy.registry import Erasure, How, PersonalData, model_rows, register


def _own(user):
    from grassroots.lawgov.models_disputes import DisputeParty

    return DisputeParty.objects.filter(user=user)


def _parties(user):
    return model_rows(_own(user).select_related("dispute"), ["dispute", "role", "name", "phone", "address"])


def _erase_parties(user, *, placeholder: str) -> Erasure:
    count = _own(user).update(name=placeholder, phone="", address="", user=None)
    return Erasure(How.PSEUDONYMISED, count)


def _consulted(user):
    from grassroots.lawgov.models_stations import Consultation

    return Consultation.objects.filter(resident=user)


def _consultations(user):
    """The consultations recorded at a legal service station with the person as the one who asked."""
    return model_rows(
        _consulted(user).select_related("station"),
        ["station", "topic", "question", "answer", "referral", "referred_to", "recorded_at"],
    )


def _erase_consultations(user, *, placeholder: str) -> Erasure:
    # the station's record of its work (topic, referral) stays; the question and answer, which tell the
    # person's affairs, are blanked with the link to the account
    count = _consulted(user).update(resident=None, question=placeholder, answer="")
    return Erasure(How.PSEUDONYMISED, count)


def _paired(user):
    from django.db.models import Q

    from grassroots.lawgov.models_pairings import Pairing

    return Pairing.objects.filter(Q(cadre=user) | Q(member__user=user))


def _pairings(user):
    """The pairings naming the person as the cadre, or as the Party member a cadre pairs with."""
    return model_rows(
        _paired(user).select_related("partner", "community", "cadre", "member"),
        ["partner", "community", "kind", "cadre", "member", "started_on", "state"],
    )


def _erase_pairings(user, *, placeholder: str) -> Erasure:
    # the unit's record of its pairing and services stays; the person is unlinked from it
    rows = _paired(user)
    count = rows.filter(cadre=user).update(cadre=None)
    count += rows.filter(member__user=user).update(member=None)
    return Erasure(How.PSEUDONYMISED, count)


def register_personal_data() -> None:
    register(
        PersonalData("lawgov.dispute_party", gettext_lazy("纠纷调解当事人"), _parties, _erase_parties, 59)
    )
    register(
        PersonalData(
            "lawgov.consultation", gettext_lazy("法律咨询"), _consultations, _erase_consultations, 60
        )
    )
    register(PersonalData("lawgov.pairing", gettext_lazy("结对帮扶"), _pairings, _erase_pairings, 61))
