"""The coverage part's share of a person's data (grassroots/privacy/registry.py): the instructor records
linked to the person's account. A deletion pseudonymises the name (and the former position) and keeps the
record (the organization that sent the instructor and the visits made belong to the organizations' work)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy

from grassroots.privacy.registry import Erasure, How, PersonalData, model_rows, register


def _instructors(user):
    from grassroots.core.coverage.models import Instructor

    return model_rows(
        Instructor.objects.filter(user=user).select_related("sent_by", "area"),
        ["name", "sent_by", "area", "position", "appointed_on", "ended_on"],
    )


def _erase_instructors(user, *, placeholder: str) -> Erasure:
    from grassroots.core.coverage.models import Instructor

    return Erasure(
        How.PSEUDONYMISED, Instructor.objects.filter(user=user).update(name=placeholder, position="")
    )


def register_personal_data() -> None:
    register(
        PersonalData("coverage.instructor", gettext_lazy("党建指导员"), _instructors, _erase_instructors, 51)
    )
