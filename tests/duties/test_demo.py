"""The demo loader's steps `admission` and `duties` (tier S, seed 1): a catalog of about fifteen affairs,
requests in every state, a year of tasks down the levels with breakdowns by streets, a spread of states with
some overdue, THE RULE held by every task to communities, and timelines consistent with the states."""

from io import StringIO

import pytest
import time_machine
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import transaction
from django.db.models import Count
from django.test import override_settings
from django.utils import timezone

from grassroots.areas.models import Level
from grassroots.core.admission.models import AdmissionRequest, AdmittedAffair, CarriedAffair, RequestState
from grassroots.core.duties.models import AssignmentState, DutyAssignment, DutyTask, Office, overdue_q
from grassroots.core.duties.selectors import completion_figures, task_figures
from grassroots.workflow.models import TransitionLog
from tests.conftest import A_WORKDAY


@pytest.fixture(scope="module")
def _seeded(django_db_setup, django_db_blocker):
    """The demo seeded once for the module, with the clock pinned at A_WORKDAY for the module's tests: on
    1 January this year's figures are rightly nearly empty."""
    clock = time_machine.travel(A_WORKDAY, tick=True)
    clock.start()
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        with override_settings(
            DEBUG=True, PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]
        ):
            call_command("seed_demo", tier="S", seed=1, stdout=StringIO())
    yield
    with django_db_blocker.unblock():
        transaction.set_rollback(True)
        outer.__exit__(None, None, None)
    clock.stop()


@pytest.fixture
def seeded(_seeded, db):
    return None


def test_catalog_and_requests(seeded):
    assert 14 <= AdmittedAffair.objects.count() <= 20
    states = dict(AdmissionRequest.objects.values_list("state").annotate(n=Count("pk")))
    assert set(states) == set(RequestState.values)
    approved = AdmissionRequest.objects.filter(state=RequestState.APPROVED)
    assert all(r.affair.area == r.area for r in approved)
    for request in AdmissionRequest.objects.all():
        steps = TransitionLog.objects.filter(
            content_type=ContentType.objects.get_for_model(AdmissionRequest), object_id=request.pk
        ).order_by("at", "pk")
        assert steps.first().transition == "start" and steps.last().to_state == request.state


def test_a_year_of_tasks_down_the_levels(seeded):
    today = timezone.localdate()
    issuers = set(DutyTask.objects.values_list("area__level", "target_level").distinct())
    assert {
        (Level.CITY, Level.STREET),
        (Level.CITY, Level.COMMUNITY),
        (Level.COUNTY, Level.STREET),
    } <= issuers
    assert (Level.STREET, Level.COMMUNITY) in issuers
    breakdowns = DutyTask.objects.filter(parent__isnull=False)
    assert breakdowns.values("area").distinct().count() >= 5  # the demo street and a sample of others
    assert all(t.root_id == t.parent.task_id for t in breakdowns.select_related("parent"))
    assert Office.objects.filter(area__level=Level.STREET).count() == 3 * 96
    figures = completion_figures(DutyTask.objects.get(title__startswith="推进").area.path, today.year)
    assert figures["total"] > 1000 and 0.4 < figures["completion_rate"] < 0.9
    assert figures["overdue"] > 0 and figures["late"] > 0 and figures["submitted"] > 0
    states = set(DutyAssignment.objects.values_list("state", flat=True).distinct())
    assert states == set(AssignmentState.values)
    assert DutyAssignment.objects.filter(overdue_q(today)).exists()
    city_task = DutyTask.objects.filter(area__level=Level.CITY, descendants__isnull=False).first()
    assert task_figures(city_task, cascade=True)["total"] > task_figures(city_task)["total"]


def test_the_rule_held_in_the_demo(seeded):
    to_communities = DutyTask.objects.filter(target_level=Level.COMMUNITY).select_related(
        "affair", "affair__area"
    )
    assert to_communities.exists()
    for task in to_communities:
        assert task.affair is not None and task.affair.is_valid_on(task.deadline)
        paths = task.assignments.values_list("area__path", flat=True)
        assert all(path.startswith(task.affair.area.path) for path in paths)
    assert CarriedAffair.objects.count() > 600


def test_timelines_match_the_states(seeded):
    ct = ContentType.objects.get_for_model(DutyAssignment)
    last = {}
    for object_id, to_state in (
        TransitionLog.objects.filter(content_type=ct)
        .order_by("object_id", "at", "pk")
        .values_list("object_id", "to_state")
    ):
        last[object_id] = to_state
    rows = dict(DutyAssignment.objects.values_list("pk", "state"))
    assert last == rows
    approved = DutyAssignment.objects.filter(state=AssignmentState.APPROVED)
    assert not approved.filter(completed_on__isnull=True).exists()
    assert not DutyAssignment.objects.filter(submitted_at__gt=timezone.now()).exists()


def test_demo_accounts_have_work(seeded, settings):
    """Each demo account finds work on its lists (demo accounts sign in only while DEBUG is on)."""
    from django.test import Client

    from grassroots.accounts.models import User

    settings.DEBUG = True

    def client(username):
        c = Client()
        c.force_login(User.objects.get(username=username))
        return c

    street = client("street")
    assert len(street.get("/duties/").context["page_obj"]) > 0
    assert len(street.get("/duties/?tab=check").context["page_obj"]) > 0
    assert len(client("secretary").get("/duties/").context["page_obj"]) > 0
    assert len(client("county").get("/admission/requests/").context["page_obj"]) > 0  # to approve
    assert len(client("street").get("/admission/requests/").context["page_obj"]) > 0  # to review


def test_the_demo_street_offices_have_staff_and_work(seeded):
    from grassroots.accounts.models import User
    from grassroots.core.duties.selectors import office_workloads

    street = User.objects.get(username="street").grants.get().area
    loads = office_workloads(street)
    assert [load.office.name for load in loads if load.office] == ["党建办", "服务办", "综治办"]
    assert all(load.members for load in loads if load.office)
    assert sum(load.received["total"] for load in loads) > 0
