"""A gathering is a workflow record: planned → held / cancelled through `workflow.services.transition`, logged
on its timeline; other parts that checked their own rules go through `services.authorized` (the row lock, the
"has it begun" check and the log as for everyone); existing rows got their timelines from the migration."""

import ast
from datetime import timedelta
from pathlib import Path

import pytest
from django.apps import apps
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from grassroots.accounts.roles import Role
from grassroots.gatherings import services
from grassroots.gatherings.models import Gathering, Status, Visibility
from grassroots.gatherings.services import authorized
from grassroots.workflow.engine import workflow_models
from grassroots.workflow.selectors import available_transitions, timeline
from grassroots.workflow.services import TransitionRefused
from tests.factories import make_user

ROOT = Path(__file__).resolve().parents[2] / "grassroots"


def steps(gathering):
    return [(e.log.transition, e.log.from_state, e.log.to_state, e.log.actor) for e in timeline(gathering)]


def test_a_gathering_is_a_workflow_model():
    assert Gathering in workflow_models()


def test_the_buttons_follow_the_state_the_clock_and_the_permission(cast, make_gathering, ongoing):
    assert [t.name for t in available_transitions(make_gathering(), cast.street_a)] == ["cancel"]
    assert [t.name for t in available_transitions(ongoing, cast.street_a)] == ["mark_held", "cancel"]
    assert available_transitions(ongoing, cast.resident) == []  # sees it, does not manage it
    services.mark_held(actor=cast.worker, gathering=ongoing)
    ongoing.refresh_from_db()
    assert available_transitions(ongoing, cast.street_a) == []


@pytest.fixture
def secretary(tree):
    """Someone organizational life lets act (a branch secretary), without gatherings.manage."""
    return make_user("branch_sec", Role.MEMBER, tree.community_a)


def test_the_entry_point_for_callers_that_checked_keeps_every_other_rule(cast, tree, secretary):
    starts = timezone.now() + timedelta(hours=2)
    values = {
        "kind": "meeting",
        "title": "支委会",
        "area": tree.community_a,
        "ends_at": starts + timedelta(hours=1),
    }
    with pytest.raises(PermissionDenied):
        services.create_gathering(actor=secretary, starts_at=starts, **values)
    gathering = authorized.create_gathering(
        actor=secretary, starts_at=starts, visibility=Visibility.INVITED, **values
    )
    assert steps(gathering) == [("start", "", "planned", secretary)]
    with pytest.raises(TransitionRefused) as refused:  # "has it begun" is checked for everyone
        authorized.mark_held(actor=secretary, gathering=gathering)
    assert refused.value.code == "condition"
    with pytest.raises(ValidationError):  # presence only once it has begun
        authorized.record_attendance_sheet(
            actor=secretary, gathering=gathering, marks=[(cast.resident, True, "")], invite_missing=True
        )
    assert not gathering.participants.exists()
    # on the sheet as invited, absent with a reason, ahead of the start
    authorized.record_attendance_sheet(
        actor=secretary, gathering=gathering, marks=[(cast.resident, False, "外出")], invite_missing=True
    )
    assert gathering.participants.get().invited_by == secretary
    with pytest.raises(PermissionDenied):
        services.record_minutes(actor=secretary, gathering=gathering, minutes="x")
    authorized.record_minutes(actor=secretary, gathering=gathering, minutes="  学习党章。 ")
    gathering.refresh_from_db()
    assert gathering.minutes == "学习党章。"


def test_nothing_is_written_to_a_cancelled_gathering_through_the_entry_point(cast, make_gathering, secretary):
    gathering = services.cancel_gathering(actor=cast.street_a, gathering=make_gathering(), reason="改期")
    with pytest.raises(ValidationError):
        authorized.record_minutes(actor=secretary, gathering=gathering, minutes="x")
    with pytest.raises(TransitionRefused) as refused:
        authorized.mark_held(actor=secretary, gathering=gathering)
    assert refused.value.code == "state"


def test_no_other_part_imports_a_private_name_of_gatherings():
    """Other parts reach gatherings through its public names only (services, services.authorized,
    selectors, models, signals, kinds…)."""
    offenders = []
    for path in ROOT.rglob("*.py"):
        if "gatherings" in path.relative_to(ROOT).parts[:1] or "migrations" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("grassroots.gatherings"):
                private = [a.name for a in node.names if a.name.startswith("_")]
                if private or any(part.startswith("_") for part in node.module.split(".")):
                    offenders.append(f"{path.relative_to(ROOT)}: from {node.module} import {private}")
    assert offenders == []


def test_the_migration_gives_existing_gatherings_their_timelines(cast, tree):
    migration = __import__("grassroots.gatherings.migrations.0003_gathering_timelines", fromlist=["forwards"])
    starts = timezone.now() - timedelta(days=3)
    common = {"kind": "meeting", "area": tree.community_a, "organizer": cast.street_a}
    rows = Gathering.objects.bulk_create(
        [
            Gathering(title="计划中", starts_at=starts, ends_at=starts + timedelta(hours=1), **common),
            Gathering(
                title="已召开",
                starts_at=starts,
                ends_at=starts + timedelta(hours=1),
                status=Status.HELD,
                held_at=starts + timedelta(hours=1),
                **common,
            ),
            Gathering(
                title="已取消",
                starts_at=starts,
                ends_at=starts + timedelta(hours=1),
                status=Status.CANCELLED,
                cancel_reason="暴雨",
                **common,
            ),
        ]
    )
    migration.forwards(apps, None)
    migration.forwards(apps, None)  # again: rows already logged are skipped
    planned, held, cancelled = (Gathering.objects.get(pk=g.pk) for g in rows)
    assert steps(planned) == [("start", "", "planned", cast.street_a)]
    assert steps(held)[1:] == [("mark_held", "planned", "held", None)]
    assert timeline(held)[1].at == held.created_at  # held "before" it was recorded: not before its creation
    assert steps(cancelled)[1:] == [("cancel", "planned", "cancelled", None)]
    assert timeline(cancelled)[1].comment == "暴雨"
