"""Every workflow model's worklist (`Model.pending_for(user)`, derived from its transitions) is what the
hand-written lists of each model gave before they were derived: the old queries are restated here, from the
scoping primitives, and compared — rows and order — for every user of the whole demo (tier S, every part's
records in every state). Slow: it loads the whole demo once for the module."""

import pytest
from django.db.models import F, Q
from django.utils import timezone

from grassroots.access.rules import acting_area_ids
from grassroots.access.scoping import (
    has_perm,
    represented_partner_ids,
    role_paths,
    scope_paths,
    secretary_org_ids,
    secretary_orgs,
)
from grassroots.accounts.models import ResidentVerification, User
from grassroots.accounts.roles import Role, roles_with
from grassroots.areas.subtree import under_q as paths_q
from grassroots.cogov.models import ActionItem, Claim
from grassroots.core.admission.models import AdmissionRequest, FundsTransfer
from grassroots.core.assessments.models import Finding, ReviewScore, WorkReport
from grassroots.core.duties.models import DutyAssignment
from grassroots.core.members.models import Member, Registration, Transfer
from grassroots.core.orglife.models import OrgLifeGuidance, OrgLifePlan, OrgLifeReport
from grassroots.gatherings.models import Gathering
from grassroots.lawgov.models import Dispute
from grassroots.privacy.models import DataRequest
from grassroots.selfgov.models import Matter, Milestone, Negotiation, Opinion
from grassroots.workflow.engine import workflow_models
from tests.demo.conftest import whole_demo  # noqa: F401  (the fixture)

pytestmark = pytest.mark.usefixtures("whole_demo")
R = Role
OFFICIALS_ABOVE = (R.STREET_OFFICIAL, R.COUNTY_OFFICIAL, R.CITY_OFFICIAL)


def _verifications(user):
    mine = Q(state="pending") & paths_q(
        role_paths(user, (R.GRID_WORKER, R.COMMUNITY_WORKER, R.COMMUNITY_SECRETARY)), "area__path"
    )
    return ResidentVerification.objects.filter(mine | Q(state="rejected", user=user)).order_by(
        "submitted_at", "pk"
    )


def _acting(user, roles):
    return sorted({g.area_id for g in user.grants_cached() if g.role in roles})


def _assignments(user):
    # Grid workers do their grid's assignments; a community's secretary checks what the community issued
    # to its grids (the grid extension, issue 12).
    doers = {R.GRID_WORKER, R.COMMUNITY_WORKER, R.COMMUNITY_SECRETARY, *OFFICIALS_ABOVE}
    checkers = {R.COMMUNITY_SECRETARY, *OFFICIALS_ABOVE, R.SYSTEM_ADMIN}
    to_do = Q(state__in=["issued", "accepted", "in_progress", "returned"], area__in=_acting(user, doers))
    to_check = Q(state="submitted", task__area__in=_acting(user, checkers))
    return (
        DutyAssignment.objects.filter(to_do | to_check)
        .filter(task__issued_at__isnull=False)
        .order_by("task__deadline", "pk")
    )


def _branch_side(user):
    roles = (R.COMMUNITY_WORKER, R.COMMUNITY_SECRETARY, R.SYSTEM_ADMIN)
    return paths_q(role_paths(user, roles), "branch__area__path") | Q(branch__secretary=user)


def _above(user, filer):
    roles = (*OFFICIALS_ABOVE, R.SYSTEM_ADMIN)
    ids = sorted(secretary_orgs(user))
    secretary = Q(branch__in=ids) & ~Q(branch__secretary=user) if ids else Q(pk__in=[])
    return (paths_q(role_paths(user, roles), "branch__area__path") | secretary) & ~Q(**{filer: user})


def _plans(user):
    q = Q(state="filed") & _above(user, "filed_by")
    q |= Q(state__in=["draft", "returned"]) & _branch_side(user)
    return OrgLifePlan.objects.filter(q).order_by("state_changed_at", "pk")


def _reports(user):
    q = Q(state="submitted") & _above(user, "submitted_by")
    q |= Q(state__in=["draft", "returned"]) & _branch_side(user)
    return OrgLifeReport.objects.filter(q).order_by("state_changed_at", "pk")


def _findings(user):
    verify = paths_q(scope_paths(user, "assessments.manage"), "inspection__by_area__path")
    q = Q(state="rectifying", owner=user) | (Q(state="rectified") & verify)
    return Finding.objects.filter(q).order_by("updated_at", "pk")


def _work_reports(user):
    organize = paths_q(scope_paths(user, "assessments.manage"), "reviewing_area__path")
    unscored = ReviewScore.objects.filter(reviewer=user, score__isnull=True).values("report_id")
    q = (
        Q(state="draft", reporter=user)
        | (Q(state__in=["submitted", "scored"]) & organize)
        | Q(state="under_review", pk__in=unscored)
    )
    return WorkReport.objects.filter(q).order_by("updated_at", "pk")


def _transfers(user):
    keepers = (R.COMMUNITY_WORKER, R.COMMUNITY_SECRETARY, *OFFICIALS_ABOVE, R.SYSTEM_ADMIN)
    ids = secretary_org_ids(user, "members.change")

    def side(branch):
        by_org = Q(**{f"{branch}__in": ids}) if ids else Q(pk__in=[])
        return paths_q(role_paths(user, keepers), f"{branch}__area__path") | by_org

    q = (Q(state="requested") & side("from_branch")) | (Q(state="released") & side("to_branch"))
    return Transfer.objects.filter(q).order_by("created_at", "pk")


def _registrations(user):
    roles = (R.COMMUNITY_WORKER, R.COMMUNITY_SECRETARY)
    q = Q(state="pending") & paths_q(role_paths(user, roles), "community__path")
    return Registration.objects.filter(q).order_by("created_at", "pk")


def _admission(user):
    review = Q(state="submitted") & paths_q(role_paths(user, (R.STREET_OFFICIAL,)), "area__path")
    decide = (
        Q(state="reviewed")
        & paths_q(role_paths(user, (R.COUNTY_OFFICIAL,)), "area__path")
        & ~Q(filed_by=user)
    )
    return AdmissionRequest.objects.filter(review | decide).order_by("submitted_at", "pk")


def _funds(user):
    # the county and city pay what they allotted; a row a street allotted on (source) is the street's to pay
    county = Q(source__isnull=True) & paths_q(
        role_paths(user, (R.COUNTY_OFFICIAL, R.CITY_OFFICIAL)), "area__path"
    )
    street = Q(source__area__in=acting_area_ids(user, (R.STREET_OFFICIAL,)))
    pay = Q(state="allotted") & (county | street)
    confirm = Q(state="transferred") & paths_q(
        role_paths(user, (R.COMMUNITY_SECRETARY, R.COMMUNITY_WORKER)), "area__path"
    )
    return FundsTransfer.objects.filter(pay | confirm).order_by("allotted_at", "pk")


def _gatherings(user):
    managing = paths_q(role_paths(user, roles_with("gatherings.manage")), "area__path")
    begun = Q(status="planned", starts_at__lte=timezone.now())
    return Gathering.objects.filter(managing & begun).order_by("starts_at", "pk")


def _data_requests(user):
    roles = (R.COMMUNITY_SECRETARY, *OFFICIALS_ABOVE, R.SYSTEM_ADMIN)
    q = Q(state="submitted") & paths_q(role_paths(user, roles), "area__path")
    return DataRequest.objects.filter(q).exclude(user=user).order_by("submitted_at", "pk")


def _opinions(user):
    staff = paths_q(role_paths(user, (R.COMMUNITY_WORKER, R.COMMUNITY_SECRETARY)), "area__path")
    return Opinion.objects.filter(staff, state="submitted", threshold_reached_at__isnull=False).order_by(
        "threshold_reached_at", "pk"
    )


def _matters(user):
    staff = paths_q(role_paths(user, (R.COMMUNITY_WORKER, R.COMMUNITY_SECRETARY)), "area__path")
    now = timezone.now()
    due = (
        Q(state="collection", collection_ends_at__lte=now)
        | Q(state="hearing", hearing__starts_at__lte=now)
        | Q(state="decision", vote__status="closed")
        | Q(
            state="execution",
            pk__in=Milestone.objects.filter(
                done_on__isnull=True, planned_on__lt=timezone.localdate(), round=F("matter__round")
            ).values("matter"),
        )
    )
    return Matter.objects.filter(staff & due).order_by("step_since", "pk")


def _claims(user):
    # the community's staff accept a pending claim and confirm a delivered one; the claiming partner's
    # representatives deliver an accepted one
    staff = paths_q(role_paths(user, (R.COMMUNITY_WORKER, R.COMMUNITY_SECRETARY)), "item__community__path")
    ours = Q(partner__in=represented_partner_ids(user, "cogov.claim"))
    q = (Q(state__in=["pending", "delivered"]) & staff) | (Q(state="accepted") & ours)
    return Claim.objects.filter(q).order_by("step_since", "pk")


def _action_items(user):
    # the owner (the person named, or the owning unit's representatives) reports an open item done; the
    # staff of the body's own area (not above it) verify or send back a done one; nothing for those without
    # cogov.view
    if not has_perm(user, "cogov.view"):
        return ActionItem.objects.none()
    owner = Q(owner_user=user) | Q(owner_partner__in=represented_partner_ids(user, "cogov.view"))
    host = Q(area__in=acting_area_ids(user, (R.COMMUNITY_WORKER, R.COMMUNITY_SECRETARY, *OFFICIALS_ABOVE)))
    q = (Q(state="open") & owner) | (Q(state="done") & host)
    return ActionItem.objects.filter(q).order_by("due_on", "pk")


def _negotiations(user):
    leading = paths_q(role_paths(user, roles_with("selfgov.manage")), "area__path")
    return Negotiation.objects.filter(leading, state__in=("failed", "followed_up")).order_by(
        "state_since", "pk"
    )


def _disputes(user):
    # the mediators of the committee handling the case now: start after a session, settle, visit
    handling = paths_q(role_paths(user, roles_with("lawgov.mediate")), "handler__path")
    return Dispute.objects.filter(handling, state__in=("received", "mediating", "settled")).order_by(
        "due_on", "pk"
    )


BEFORE = {
    Dispute: _disputes,
    Negotiation: _negotiations,
    Opinion: _opinions,
    Matter: _matters,
    ResidentVerification: _verifications,
    DutyAssignment: _assignments,
    OrgLifePlan: _plans,
    OrgLifeReport: _reports,
    Finding: _findings,
    WorkReport: _work_reports,
    Transfer: _transfers,
    Registration: _registrations,
    AdmissionRequest: _admission,
    FundsTransfer: _funds,
    DataRequest: _data_requests,
    Gathering: _gatherings,
    Claim: _claims,
    ActionItem: _action_items,
}
WITHOUT = {Member, OrgLifeGuidance}  # no worklist, before and after


@pytest.fixture
def users(db):
    return list(User.objects.filter(is_active=True).order_by("pk"))


NOT_YET: set[str] = set()


def test_every_workflow_model_is_compared():
    models = {m for m in workflow_models() if m._meta.label_lower not in NOT_YET}
    assert models == set(BEFORE) | WITHOUT


@pytest.mark.parametrize("model", sorted(WITHOUT, key=lambda m: m.__name__), ids=lambda m: m.__name__)
def test_models_without_a_worklist_have_none(users, model):
    assert all(model.pending_for(user) is None for user in users[:20])


@pytest.mark.parametrize("model", list(BEFORE), ids=lambda m: m.__name__)
def test_the_worklist_is_what_it_was_for_every_demo_user(users, model):
    before = BEFORE[model]
    waiting = 0
    for user in users:
        expected = list(before(user).values_list("pk", flat=True))
        assert list(model.pending_for(user).values_list("pk", flat=True)) == expected, user.username
        waiting += bool(expected)
    assert waiting, f"no {model.__name__} waits for anyone in the demo: the comparison would prove nothing"


def test_the_totals_statement_counts_what_each_worklist_holds(users, django_assert_num_queries):
    """The to-do's totals (home, /todo/, /api/todo/) come from one UNION ALL of counts: for every demo user
    the same numbers as counting each worklist on its own, in one statement however many worklists."""
    from grassroots.workflow.selectors import _worklists, pending_groups, pending_totals

    some = 0
    for user in users:
        lists = _worklists(user)
        expected = [qs.count() for _model, qs in lists]
        with django_assert_num_queries(1 if lists else 0):
            assert pending_totals([qs for _model, qs in lists]) == expected, user.username
        groups = {g.kind: g.total for g in pending_groups(user, limit=2)}
        counted = {m._meta.label_lower: n for (m, _qs), n in zip(lists, expected, strict=True) if n}
        assert groups == counted, user.username
        some += len(counted) > 1
    assert some, "no demo user waits on two kinds of work: the union would prove nothing"


def test_the_totals_statement_reads_keys_only_and_leaves_out_what_matches_nothing(
    users, django_assert_num_queries
):
    """Each part of the totals' statement is the worklist reduced to its keys — no GROUP BY, no joins that
    its select_related would add — counted once; a queryset that can match nothing is not in it."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from grassroots.workflow.selectors import pending_totals

    with django_assert_num_queries(0):
        assert pending_totals([User.objects.none(), User.objects.filter(pk__in=[])]) == [0, 0]
    transfers = Transfer.objects.select_related("member", "from_branch", "to_branch")
    with CaptureQueriesContext(connection) as captured:
        totals = pending_totals([User.objects.none(), transfers, User.objects.filter(pk__in=[]), transfers])
    assert totals == [0, Transfer.objects.count(), 0, Transfer.objects.count()] and totals[1]
    (statement,) = [q["sql"] for q in captured.captured_queries]
    assert statement.count("COUNT(*)") == 2 and "GROUP BY" not in statement
    assert "JOIN" not in statement and "members_member" not in statement  # select_related dropped
