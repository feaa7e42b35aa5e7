"""Demo of steps 4 and 5 (called by demo.py for the matters adopted): a matter in execution (owner, plan with
a milestone done and one overdue, updates with a photo, spending with evidence, the supervision committee's
check), one in evaluation (ratings coming in), one done (its round closed above the threshold), and in
another community one sent back to execution after a poor evaluation (its second round planned). Every record
through the services."""

from __future__ import annotations

import io
from datetime import timedelta
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from grassroots.selfgov.models import Evaluation, Matter, Supervisor
from grassroots.selfgov.services import evaluation, execution, matters

PLAN = [("方案设计与材料采购", 30, -20), ("施工安装", 50, -2), ("验收与结果公示", 20, 20)]
RATINGS = {  # how far → the levels of the residents' ratings in turn
    "evaluation": ["satisfied", "satisfied", "basic", "unsatisfied", "satisfied", "basic"],
    "done": [
        "satisfied",
        "basic",
        "satisfied",
        "satisfied",
        "unsatisfied",
        "basic",
        "satisfied",
        "satisfied",
    ],
    "poor": ["unsatisfied", "basic", "unsatisfied", "unsatisfied", "satisfied"],
}


def photo(name: str, color=(90, 140, 90)) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (320, 240), color).save(buffer, "JPEG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


def _plan(worker, matter: Matter, *, all_done: bool) -> None:
    today = timezone.localdate()
    execution.set_plan(
        actor=worker,
        matter=matter,
        owner=worker,
        owner_unit="社区居委会",
        budget=Decimal("20000"),
        milestones=[
            {"title": title, "weight": weight, "planned_on": today + timedelta(days=days)}
            for title, weight, days in PLAN
        ],
    )
    for i, milestone in enumerate(matter.milestones.filter(round=matter.round).order_by("planned_on")):
        if all_done or i == 0:
            execution.complete_milestone(
                actor=worker, matter=matter, milestone=milestone, on=min(milestone.planned_on, today)
            )


def _records(worker, matter: Matter, people) -> None:
    execution.post_update(
        actor=worker,
        matter=matter,
        text="材料已进场，施工队完成现场勘查，居民代表参与了方案确认。",
        photos=[photo("进展.jpg")],
    )
    execution.record_spending(
        actor=worker,
        matter=matter,
        amount=Decimal("6800"),
        spent_on=timezone.localdate() - timedelta(days=15),
        note="材料采购",
        evidence=photo("发票.jpg", (200, 200, 200)),
    )
    execution.record_spending(
        actor=worker,
        matter=matter,
        amount=Decimal("3200.50"),
        spent_on=timezone.localdate() - timedelta(days=3),
        note="施工人工费",
    )
    seat = Supervisor.objects.filter(community=matter.community).select_related("user").first()
    if seat is None and len(people) > 6:
        seat = execution.add_supervisor(actor=worker, community=matter.community, user=people[6])
    if seat is not None:
        execution.record_check(
            user=seat.user,
            matter=matter,
            finding="现场查看：施工围挡规范，材料与公示清单一致；建议夜间停止施工。",
            photo=photo("检查.jpg", (120, 120, 180)),
        )


def _rate(matter: Matter, people, levels) -> Evaluation:
    current = matter.current_evaluation()
    for person, level in zip(people, levels, strict=False):
        comment = "施工期间噪音扰民，收尾不彻底。" if level == "unsatisfied" else ""
        evaluation.rate(user=person, evaluation=current, level=level, comment=comment)
    return current


def _close(current: Evaluation) -> None:
    """The demo's history: the window has passed; the clock's close settles it."""
    now = timezone.now()
    Evaluation.objects.filter(pk=current.pk).update(
        opens_at=now - timedelta(days=9), closes_at=now - timedelta(days=2)
    )
    evaluation.close_evaluation(current, now=now)


def carry(worker, matter: Matter, people, until: str) -> None:
    """Take an adopted matter (in execution) on to `until`: adopted (left without a plan), execution,
    evaluation, done or poor."""
    if until == "adopted":
        return
    matter.refresh_from_db()
    _plan(worker, matter, all_done=until != "execution")
    _records(worker, matter, people)
    if until == "execution":
        return
    matters.take_step(actor=worker, matter=matter, name="start_evaluation")
    matter.refresh_from_db()
    current = _rate(matter, people, RATINGS["poor" if until == "poor" else until])
    if until == "evaluation":
        return
    _close(current)
    matter.refresh_from_db()
    if until == "poor":  # back in execution: the second round's plan, nothing done yet
        _plan(worker, matter, all_done=False)
