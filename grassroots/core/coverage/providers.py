"""The figure "coverage.rate" for assessments (grassroots.core.assessments.figures), when that app is
installed: the share of the entities under each target area covered by a Party organization."""

from __future__ import annotations

from collections.abc import Sequence

from django.apps import apps
from django.urls import reverse
from django.utils.translation import gettext as _

from grassroots.core.coverage import selectors


def coverage_rate(targets: Sequence, year: int) -> dict:
    from grassroots.figures.registry import Figure

    out = {}
    for area_id, counts in selectors.per_area(targets).items():
        if not counts.total:
            continue
        out[area_id] = Figure(
            rate=counts.covered / counts.total,
            detail=_("已覆盖 %(covered)d / %(total)d 家")
            % {"covered": counts.covered, "total": counts.total},
            url=reverse("coverage:overview") + f"?area={area_id}",
        )
    return out


def _entities(year, today):
    from grassroots.core.coverage.models import Entity

    return Entity.objects.all()


def _entities_by_month(year, month, today):
    """The entities registered by the month's end, `covered_then` as it was then: their status at the month's
    end in their dated history (StatusChange, written by the services that change it; an entity without any
    history — written in bulk, not through the services — by its present status), or an instructor assigned
    over the month's end (an assignment dated back before the status that followed it)."""
    from datetime import datetime, timedelta

    from django.db.models import BooleanField, Exists, ExpressionWrapper, F, OuterRef, Q, Subquery
    from django.db.models.functions import Coalesce
    from django.utils import timezone

    from grassroots.core.coverage.models import COVERED, Entity, InstructorAssignment, StatusChange

    end = datetime(year + month // 12, month % 12 + 1, 1, tzinfo=timezone.get_current_timezone())
    last = (end - timedelta(days=1)).date()
    assigned = InstructorAssignment.objects.filter(entity=OuterRef("pk"), starts_on__lte=last).filter(
        Q(ends_on__isnull=True) | Q(ends_on__gt=last)
    )
    then = (
        StatusChange.objects.filter(entity=OuterRef("pk"), since__lt=end)
        .order_by("-since", "-pk")
        .values("status")[:1]
    )
    covered = ExpressionWrapper(Q(status_then__in=COVERED) | Q(Exists(assigned)), output_field=BooleanField())
    return (
        Entity.objects.filter(created_at__lt=end)
        .annotate(status_then=Coalesce(Subquery(then), F("status")))
        .annotate(covered_then=covered)
    )


def _counts_by_month(year, month, today):
    from django.db.models import Count, Q

    return {"total": Count("pk"), "covered": Count("pk", filter=Q(covered_then=True))}


def register_figures() -> None:
    from django.utils.translation import gettext_lazy

    from grassroots.figures.registry import Definition, rate, register

    register(
        Definition(
            name="coverage.rate",
            label=gettext_lazy("党组织覆盖率"),
            unit="%",
            definition=gettext_lazy(
                "新兴领域单位中已建立或覆盖党组织（单建、联建、派驻指导员）的比例；趋势为各月末已登记单位中"
                "当时已覆盖的比例（按各单位覆盖情况的变更记录及其生效时间，指导员按选派起止日期）"
            ),
            permission="coverage.view",
            part="coverage",
            rows=_entities,
            counts=lambda year, today: selectors._aggregates(),
            value=rate("covered", "total"),
            parts=(
                ("total", gettext_lazy("单位")),
                ("covered", gettext_lazy("已覆盖")),
                ("own", gettext_lazy("单独组建")),
                ("joint", gettext_lazy("联合组建")),
                ("instructor", gettext_lazy("派驻指导员")),
            ),
            month_rows=_entities_by_month,
            month_counts=_counts_by_month,
            url="coverage:overview",
        )
    )


def register_providers() -> None:
    register_figures()
    if not apps.is_installed("grassroots.core.assessments"):
        return
    from grassroots.figures.registry import register_provider

    register_provider("coverage.rate", coverage_rate)
