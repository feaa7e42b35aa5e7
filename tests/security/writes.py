"""A valid body for every API create route that takes a reference to a scoped record, pointing one reference
at street A's record (records.street_a_records) and the rest at street B's (b_side): an official of street B
who may create there must be refused (400 naming the field, or 404) and nothing written
(tests/security/test_cross_area_writes.py). A create route (a POST on an API list or collection action)
missing from both tables fails the test: whoever adds one says here which references its body takes.

CREATES     route name → [(field, body(r, b)[, who])]: one case per reference the body takes, sent by
            b.official (or b.<who>: residents rate their grid workers).
ALLOWED     (route, field) → why that reference may point anywhere (not sent).
NOT_SENT    route name → why no other area of its level exists in the fixed tree.
NO_REFERENCE  route name → why its body names no scoped record."""

from __future__ import annotations

from datetime import timedelta
from types import SimpleNamespace

from django.utils import timezone

from grassroots.accounts.roles import Role
from grassroots.areas.models import Area
from grassroots.cogov.models import Partner, Resource
from grassroots.core.admission.models import AdmittedAffair
from grassroots.core.assessments.models import Inspection, StationedAgency
from grassroots.core.members.models import Member
from grassroots.gatherings.models import Gathering
from tests.factories import Level, make_party_org, make_user
from tests.security.records import YEAR, _id_number

WHEN = "2025-06-10T09:00:00+08:00"
UNTIL = "2025-06-10T11:00:00+08:00"


def side(prefix: str, street, community, grid, user, resident, serial: int) -> SimpleNamespace:
    """One street's records a body's other references point at; `official` holds every creating role there.
    Built for street B (the outsider's side) and for street A (the control: the same body from inside is
    accepted, so a refusal is the reference's doing, not an invalid body's)."""
    street_org = make_party_org(f"{prefix}街道党工委", street, kind="committee")
    org = make_party_org(f"{prefix}社区党委", community, kind="committee", parent=street_org)
    branch = make_party_org(f"{prefix}第一支部", grid, parent=org)
    member = Member.objects.create(
        name=f"李{prefix}",
        gender="male",
        birth_date=f"1980-05-0{serial}",
        id_number=_id_number(serial),
        branch=branch,
        joined_probationary_on="2010-07-01",
        in_service=True,
    )
    official = make_user(f"{prefix}_official", Role.STREET_OFFICIAL, street)
    # the partner representative's role too: the official speaks for the side's partner (its claims)
    for role in (Role.COMMUNITY_SECRETARY, Role.COMMUNITY_WORKER, Role.PARTNER_REP):
        official.grants.create(role=role, area=community)
    resident.verified_at = timezone.now()
    resident.save(update_fields=["verified_at"])
    now = timezone.now()
    partner = Partner.objects.create(name=f"{prefix}驻区单位", kind="school", area=community)
    partner.representatives.add(official)
    from grassroots.voting.models import Household

    return SimpleNamespace(
        street=street,
        community=community,
        household=Household.objects.create(area=community, name=f"{prefix}结对户"),
        grid=grid,
        street_org=street_org,
        org=org,
        branch=branch,
        member=member,
        official=official,
        user=user,
        resident=resident,
        grid_worker=make_user(f"{prefix}_grid", Role.GRID_WORKER, grid, full_name=f"{prefix}网格员"),
        gathering=Gathering.objects.create(
            kind="orglife_general",
            title="党员大会",
            area=community,
            party_org=branch,
            organizer=official,
            starts_at=now - timedelta(days=2),
            ends_at=now - timedelta(days=2) + timedelta(hours=2),
        ),
        inspection=Inspection.objects.create(
            title="督察", area=community, by_area=street, inspected_on=now.date(), led_by=official
        ),
        agency=StationedAgency.objects.create(street=street, name=f"{prefix}派出所", department="公安"),
        partner=partner,
        resource=Resource.objects.create(partner=partner, kind="venue", name="礼堂", quantity=1),
        affair=AdmittedAffair.objects.create(
            area=street,
            name=f"{prefix}事项",
            legal_basis="条例",
            department="民政局",
            valid_from="2025-01-01",
        ),
    )


def b_side(tree, people) -> SimpleNamespace:
    grid = Area.objects.get(name="育才第一网格")
    return side("东城", tree.street_b, tree.community_b, grid, people.worker_b, people.resident_b, 7)


def a_side(tree, cast) -> SimpleNamespace:
    return side("青江", tree.street_a, tree.community_a, tree.grid_a, cast.worker, cast.resident, 8)


def _held() -> str:
    return (timezone.localdate() - timedelta(days=1)).isoformat()


def _member(branch):
    return {
        "name": "王新",
        "birth_date": "1980-05-09",
        "id_number": _id_number(9),
        "joined_probationary_on": "2012-07-01",
        "branch": branch,
    }


def _site_meeting(area, host_area, community):
    body = {"area": area, "title": "现场会", "starts_at": WHEN, "ends_at": UNTIL, "host_area": host_area}
    return body | {"shows": "practice", "practice_area": community, "practice": "做法"}


def _gathering(area, party_org=None):
    body = {"kind": "meeting", "title": "会议", "area": area, "starts_at": WHEN, "ends_at": UNTIL}
    return body | ({"party_org": party_org} if party_org else {})


def _series(area, party_org=None):
    body = {
        "kind": "legal_session",
        "title": "法律咨询日",
        "area": area,
        "frequency": "weekly",
        "weekday": 1,
        "starts_on": WHEN[:10],
        "count": 2,
        "start_time": "09:00",
        "duration_minutes": 60,
    }
    return body | ({"party_org": party_org} if party_org else {})


def _consultation(side, **refs):
    """A consultation at the side's own community's station (street A's is the records' own)."""
    from grassroots.lawgov.models_stations import LegalStation

    station, _new = LegalStation.objects.get_or_create(area=side.community, defaults={"name": "法律服务站"})
    return {"station": station.pk, "topic": "other", "question": "咨询"} | refs


def _later(days: int = 30) -> str:
    return (timezone.localdate() + timedelta(days=days)).isoformat()


def _task(**refs):
    year = timezone.localdate().year
    return {"title": "任务", "deadline": _later(), "target_level": Level.COMMUNITY, "year": year} | refs


def _plan(branch):
    item = {"kind": "orglife_general", "topic": "学习", "starts_at": WHEN, "ends_at": UNTIL}
    return {"branch": branch, "items": [item], "period_unit": "month", "period_start": "2025-06-01"}


def _need(community):
    return {"community": community, "year": timezone.localdate().year, "title": "需求", "category": "goods"}


def _commit(partner, community, **more):
    year = timezone.localdate().year
    body = {"partner": partner, "community": community, "year": year, "title": "场地", "category": "venue"}
    return body | {"planned_on": _later(5)} | more


def _negotiation(area, party_org, **more):
    return {"area": area, "party_org": party_org, "subject": "停车位争议"} | more


def _pairing(side, **more):
    """A cadre's pairing with a household of the side's community (the unit's pairing would need its
    confirmed dual registration first)."""
    body = {"kind": "cadre", "community": side.community.pk, "partner": side.partner.pk}
    body |= {"department": "court", "started_on": "2025-06-01", "cadre": side.official.pk}
    return {**body, "household": side.household.pk, **more}


def _agreement(party_org, partner):
    day = timezone.localdate().isoformat()
    commitments = [{"side": "org", "text": "场地"}, {"side": "partner", "text": "义诊"}]
    return {
        "party_org": party_org,
        "partner": partner,
        "title": "共建协议",
        "starts_on": day,
        "ends_on": _later(),
        "signed_on": day,
        "commitments": commitments,
    }


def _warning(team, **more):
    return {"team": team, "mode": "case", "title": "警示教育", "starts_at": WHEN, "ends_at": UNTIL} | more


def _cross(org, **refs):
    return {
        "person_name": "赵交叉",
        "org": org,
        "position": "委员",
        "other_position": "主任",
        "starts_on": "2025-01-01",
    } | refs


CREATES = {
    "grant-list": [
        ("user", lambda r, b: {"user": r.user.pk, "role": Role.GRID_WORKER, "area": b.grid.pk}),
        ("area", lambda r, b: {"user": b.user.pk, "role": Role.GRID_WORKER, "area": r.grid.pk}),
    ],
    "area-list": [("parent", lambda r, b: {"parent": r.area.pk, "name": "新网格", "level": Level.GRID})],
    "party-org-list": [
        ("area", lambda r, b: {"name": "新支部", "kind": "branch", "area": r.grid.pk, "parent": b.org.pk}),
        (
            "parent",
            lambda r, b: {"name": "新支部", "kind": "branch", "area": b.grid.pk, "parent": r.party_org.pk},
        ),
        (
            "secretary",
            lambda r, b: {
                "name": "新支部",
                "kind": "branch",
                "area": b.grid.pk,
                "parent": b.org.pk,
                "secretary": r.user.pk,
            },
        ),
    ],
    "gathering-list": [
        ("area", lambda r, b: _gathering(r.area.pk)),
        ("party_org", lambda r, b: _gathering(b.community.pk, r.party_org.pk)),
    ],
    "gathering-series-list": [
        ("area", lambda r, b: _series(r.area.pk)),
        ("party_org", lambda r, b: _series(b.community.pk, r.party_org.pk)),
    ],
    "member-list": [
        ("branch", lambda r, b: _member(r.branch.pk)),
        ("workplace", lambda r, b: {**_member(b.branch.pk), "workplace": r.entity.pk}),
    ],
    "registration-list": [
        ("member", lambda r, b: {"member": r.member.pk, "community": b.community.pk}),
    ],
    "contact-attempt-list": [("member", lambda r, b: {"member": r.member.pk, "method": "phone"})],
    "study-record-list": [
        (
            "member",
            lambda r, b: {"member": r.member.pk, "title": "学习", "studied_on": "2025-06-01", "hours": "2"},
        )
    ],
    "transfer-list": [("member", lambda r, b: {"member": r.member.pk, "to_branch": b.branch.pk})],
    "dues-payment-list": [
        ("member", lambda r, b: {"member": r.member.pk, "year": YEAR, "month": 2, "amount": "10.00"})
    ],
    "care-visit-list": [("member", lambda r, b: {"member": r.member.pk, "kind": "holiday"})],
    "duty-task-list": [
        ("area", lambda r, b: _task(area=r.street_org.area.pk, affair=b.affair.pk)),
        ("parent", lambda r, b: _task(parent=r.assignment.pk, target_level=Level.GRID)),
        ("office", lambda r, b: _task(area=b.street.pk, office=r.office.pk, affair=b.affair.pk)),
        ("affair", lambda r, b: _task(area=b.street.pk, affair=r.affair.pk)),
        ("targets", lambda r, b: _task(area=b.street.pk, targets=[r.area.pk], affair=b.affair.pk)),
    ],
    "duty-task-copy": [("area", lambda r, b: {"area": r.street_org.area.pk, "year": YEAR + 1})],
    "office-list": [("area", lambda r, b: {"area": r.street_org.area.pk, "kind": "services", "name": "办"})],
    "office-member-list": [("office", lambda r, b: {"office": r.office.pk, "user": b.official.pk})],
    "site-meeting-list": [
        ("host_area", lambda r, b: _site_meeting(b.street.pk, r.area.pk, b.community.pk)),
        ("practice_area", lambda r, b: _site_meeting(b.street.pk, b.street.pk, r.area.pk)),
    ],
    "site-meeting-lesson-list": [("meeting", lambda r, b: {"meeting": r.site_meeting.pk, "text": "经验"})],
    "orglife-plan-list": [("branch", lambda r, b: _plan(r.branch.pk))],
    "orglife-report-list": [("gathering", lambda r, b: {"gathering": r.meeting.pk})],
    "orglife-report-unplanned": [
        (
            "branch",
            lambda r, b: {
                "branch": r.branch.pk,
                "kind": "orglife_general",
                "title": "党员大会",
                "starts_at": WHEN,
                "ends_at": UNTIL,
            },
        )
    ],
    "study-plan-list": [("branch", lambda r, b: {"branch": r.branch.pk, "year": YEAR + 1, "title": "计划"})],
    "document-list": [
        ("area", lambda r, b: {"kind": "standard", "area": r.street_org.area.pk, "title": "规范"})
    ],
    "entity-list": [
        ("area", lambda r, b: {"name": "企业", "kind": "enterprise", "area": r.area.pk}),
        (
            "party_org",
            lambda r, b: {
                "name": "企业",
                "kind": "enterprise",
                "area": b.community.pk,
                "status": "joint",
                "party_org": r.branch.pk,
            },
        ),
    ],
    "instructor-list": [
        ("sent_by", lambda r, b: {"name": "指导员", "sent_by": r.street_org.pk, "area": b.community.pk}),
        ("area", lambda r, b: {"name": "指导员", "sent_by": b.street_org.pk, "area": r.area.pk}),
    ],
    "cross-appointment-list": [
        ("org", lambda r, b: _cross(r.party_org.pk, other_name="居委会")),
        ("other_org", lambda r, b: _cross(b.org.pk, other_org=r.branch.pk)),
        ("other_entity", lambda r, b: _cross(b.org.pk, other_entity=r.entity.pk)),
    ],
    "service-team-list": [
        ("area", lambda r, b: {"name": "服务队", "area": r.area.pk}),
        ("entities", lambda r, b: {"name": "服务队", "area": b.community.pk, "entities": [r.entity.pk]}),
    ],
    "work-report-list": [("party_org", lambda r, b: {"party_org": r.party_org.pk, "year": YEAR + 1})],
    "inspection-list": [
        ("area", lambda r, b: {"area": r.area.pk, "title": "督察", "inspected_on": "2025-06-01"}),
        (
            "party_org",
            lambda r, b: {
                "area": b.community.pk,
                "title": "督察",
                "inspected_on": "2025-06-01",
                "party_org": r.party_org.pk,
            },
        ),
    ],
    "finding-list": [
        (
            "inspection",
            lambda r, b: {
                "inspection": r.inspection.pk,
                "description": "问题",
                "owner": b.user.pk,
                "deadline": _later(),
            },
        ),
        (
            "owner",
            lambda r, b: {
                "inspection": b.inspection.pk,
                "description": "问题",
                "owner": r.user.pk,
                "deadline": _later(),
            },
        ),
        (
            "area",
            lambda r, b: {
                "inspection": b.inspection.pk,
                "description": "问题",
                "owner": b.user.pk,
                "deadline": _later(),
                "area": r.area.pk,
            },
        ),
    ],
    "assessment-scheme-list": [
        ("area", lambda r, b: {"area": r.street_org.area.pk, "year": YEAR + 1, "level": Level.COMMUNITY})
    ],
    "agency-list": [("street", lambda r, b: {"street": r.street_org.area.pk, "name": "派出所"})],
    "agency-review-list": [
        ("agency", lambda r, b: {"agency": r.agency.pk, "year": YEAR + 1, "score": "90", "comments": "好"})
    ],
    "vote-list": [
        (
            "area",
            lambda r, b: {
                "area": r.area.pk,
                "title": "表决",
                "options": ["同意", "不同意"],
                "electorate": "residents",
                "majority": "simple",
                "opens_at": f"{_later(1)}T09:00:00+08:00",
                "closes_at": f"{_later(3)}T09:00:00+08:00",
            },
        )
    ],
    "household-list": [
        ("area", lambda r, b: {"area": r.area.pk, "name": "1栋101"}),
        ("members", lambda r, b: {"area": b.community.pk, "name": "1栋101", "members": [r.resident.pk]}),
    ],
    "representative-list": [
        ("community", lambda r, b: {"community": r.community.pk, "user": b.resident.pk}),
        ("user", lambda r, b: {"community": b.community.pk, "user": r.resident.pk}),
    ],
    "representative-election-list": [
        (
            "community",
            lambda r, b: {"community": r.community.pk, "held_on": _held(), "gathering": b.gathering.pk},
        ),
        (
            "gathering",
            lambda r, b: {"community": b.community.pk, "held_on": _held(), "gathering": r.gathering.pk},
        ),
        ("vote", lambda r, b: {"community": b.community.pk, "held_on": _held(), "vote": r.vote.pk}),
        (
            "elected",
            lambda r, b: {
                "community": b.community.pk,
                "held_on": _held(),
                "gathering": b.gathering.pk,
                "elected": [r.resident.pk],
            },
        ),
    ],
    "opinion-list": [
        ("area", lambda r, b: {"area": r.area.pk, "category": "parking", "text": "乱停车"}, "resident")
    ],
    "opinion-record": [
        (
            "resident",
            lambda r, b: {"resident": r.resident.pk, "category": "parking", "text": "乱停车"},
            "grid_worker",
        )
    ],
    "matter-list": [("area", lambda r, b: {"area": r.area.pk, "title": "停车整治", "category": "parking"})],
    "supervisor-list": [
        ("community", lambda r, b: {"community": r.community.pk, "user": b.resident.pk}),
        ("user", lambda r, b: {"community": b.community.pk, "user": r.resident.pk}),
    ],
    "selfgov-setting-list": [
        (
            "community",
            lambda r, b: {
                "community": r.community.pk,
                "support_percent": "2",
                "hearing_notice_days": 7,
                "collection_days": 14,
                "evaluation_days": 7,
                "satisfaction_percent": "60",
            },
        )
    ],
    "rulebook-list": [("community", lambda r, b: {"community": r.area.pk, "kind": "supervision"})],
    "convention-list": [("courtyard", lambda r, b: {"courtyard": r.courtyard.pk})],
    "legal-station-list": [
        ("area", lambda r, b: {"area": r.free_community.pk, "name": "法律服务站"}),
    ],
    "pairing-list": [
        ("community", lambda r, b: _pairing(b, community=r.area.pk)),
        ("partner", lambda r, b: _pairing(b, partner=r.partner.pk)),
        ("community_org", lambda r, b: _pairing(b, community_org=r.party_org.pk)),
        ("household", lambda r, b: _pairing(b, household=r.household.pk)),
    ],
    "consultation-list": [
        ("station", lambda r, b: {"station": r.legal_station.pk, "topic": "other", "question": "咨询"}),
        ("resident", lambda r, b: _consultation(b, resident=r.resident.pk)),
        ("occurrence", lambda r, b: _consultation(b, occurrence=r.legal_occurrence.pk)),
    ],
    "dispute-list": [
        (
            "area",
            lambda r, b: {
                "area": r.area.pk,
                "title": "纠纷",
                "category": "other",
                "description": "经过",
                "channel": "station",
                "parties": [{"name": "甲"}],
            },
        )
    ],
    "negotiation-list": [
        ("area", lambda r, b: _negotiation(r.area.pk, b.org.pk)),
        ("party_org", lambda r, b: _negotiation(b.community.pk, r.party_org.pk)),
        ("matter", lambda r, b: _negotiation(b.community.pk, b.org.pk, matter=r.matter.pk)),
        (
            "parties",
            lambda r, b: _negotiation(
                b.community.pk, b.org.pk, parties=[{"kind": "unit", "partner": r.partner.pk}]
            ),
        ),
    ],
    "visit-list": [
        ("area", lambda r, b: {"area": r.area.pk, "visited_on": "2025-06-01", "heard": "民情"}),
        (
            "resident",
            lambda r, b: {
                "area": b.community.pk,
                "resident": r.visit.resident.pk,
                "visited_on": "2025-06-01",
                "heard": "民情",
            },
        ),
        (
            "household",
            lambda r, b: {
                "area": b.community.pk,
                "household": r.household.pk,
                "visited_on": "2025-06-01",
                "heard": "民情",
            },
        ),
    ],
    "warning-education-list": [
        ("team", lambda r, b: _warning(r.community.pk)),
        ("attendees", lambda r, b: _warning(b.community.pk, attendees=[r.resident.username])),
    ],
    "nomination-list": [
        (
            "campaign",
            lambda r, b: {
                "campaign": r.campaign.pk,
                "nominee": "张大姐",
                "reason": "热心",
                "nominating_org": b.org.pk,
            },
        )
    ],
    "campaign-list": [
        (
            "area",
            lambda r, b: {
                "area": r.area.pk,
                "kind": "other",
                "title": "评选",
                "places": 1,
                "nominations_close_at": "2099-01-01T09:00:00+08:00",
            },
        )
    ],
    "venue-list": [
        ("area", lambda r, b: {"kind": "reading_room", "name": "书屋", "area": r.area.pk, "address": "二楼"})
    ],
    "store-item-list": [
        ("area", lambda r, b: {"area": r.community.pk, "name": "毛巾", "price": 5, "stock": 1})
    ],
    "brand-list": [("area", lambda r, b: {"kind": "red", "name": "红色品牌", "area": r.community.pk})],
    "notice-list": [("area", lambda r, b: {"area": r.community.pk, "title": "通知", "body": "正文"})],
    "environmental-action-list": [
        (
            "area",
            lambda r, b: {
                "kind": "virtue_env_cleanup",
                "title": "清洁行动",
                "area": r.area.pk,
                "starts_at": WHEN,
                "ends_at": UNTIL,
            },
        )
    ],
    "partner-list": [
        ("area", lambda r, b: {"name": "单位甲", "kind": "other", "area": r.area.pk}),
        (
            "party_org",
            lambda r, b: {
                "name": "单位乙",
                "kind": "other",
                "area": b.community.pk,
                "party_org": r.branch.pk,
            },
        ),
        ("entity", lambda r, b: {"kind": "enterprise", "entity": r.entity.pk}),
    ],
    "agreement-list": [
        ("party_org", lambda r, b: _agreement(r.party_org.pk, b.partner.pk)),
        ("partner", lambda r, b: _agreement(b.org.pk, r.partner.pk)),
    ],
    "service-item-list": [("community", lambda r, b: _need(r.community.pk))],
    "service-item-commit": [
        ("partner", lambda r, b: _commit(r.partner.pk, b.community.pk)),
        ("community", lambda r, b: _commit(b.partner.pk, r.community.pk)),
        ("resource", lambda r, b: _commit(r.partner.pk, b.community.pk, resource=r.resource.pk)),
    ],
    "joint-body-list": [
        ("area", lambda r, b: {"area": r.area.pk, "host": b.org.pk, "name": "联席会议"}),
        ("host", lambda r, b: {"area": b.community.pk, "host": r.party_org.pk, "name": "联席会议"}),
        (
            "members",
            lambda r, b: {
                "area": b.community.pk,
                "host": b.org.pk,
                "name": "联席会议",
                "members": [r.partner.pk],
            },
        ),
    ],
    "joint-meeting-list": [
        (
            "body",
            lambda r, b: {
                "body": r.joint_body.pk,
                "title": "联席会议",
                "starts_at": WHEN,
                "ends_at": UNTIL,
                "agenda": "议程",
            },
        )
    ],
    "volunteer-list": [("person", lambda r, b: {"person": r.resident.pk, "skills": ["理发"]})],
    "grid-rating-list": [("worker", lambda r, b: {"worker": r.grid_worker.pk, "score": 5}, "resident")],
    "cadre-score-compute": [("street", lambda r, b: {"street": r.street_org.area.pk, "year": YEAR})],
}

# References that may point outside the sender's area by design: the case stays in CREATES' shape but is
# not sent (why, and where it is proven).
ALLOWED = {
    (
        "nomination-list",
        "nominee_area",
    ): "refused by the service unless a community of the campaign's own area"
    " (tests/virtue/test_campaigns.py)",
    (
        "registration-list",
        "community",
    ): "dual registration (双报到) is with the community the member lives in,"
    " anywhere; that community's officials confirm or reject it (tests/members/test_registration*.py)",
}

# Create routes whose references are areas above a street (counties): the fixed tree has one county, so no
# other area at that level exists to point at; the field is a ScopedPrimaryKeyRelatedField on the permission.
NOT_SENT = {
    "admitted-affair-list": "area: a county's (admission.manage, county and city officials)",
    "admission-request-list": "area: a county's (admission.request)",
    "funds-transfer-list": "affair and community: funds of the county's admission catalog (one county)",
    "funds-transfer-bulk": "affair and communities: as funds-transfer-list"
    " (tests/admission/test_funds_bulk.py: a street official's communities are refused)",
}

NO_REFERENCE = {
    "export-list": "a list's kind and its filters: the rows are the list's, through the scoping function; a"
    " filter naming another area (params area=…) is a 404, as on the page (tests/exports)",
    "campaign-vote-list": "campaign: a ScopedPrimaryKeyRelatedField of the caller's visible campaigns"
    " (another street's answers 400: tests/virtue/test_campaign_api.py); nominations: candidates of that"
    " campaign only; the fixed records hold no open vote for a control",
    "objection-list": "campaign: the caller's visible campaigns, as campaign-vote-list (only during its"
    " publicity, which the fixed records do not reach); nomination: refused unless of that campaign",
    "pairing-register": "a unit's dual registration: the members' Registration is written, not the route's"
    " Pairing; its partner is scoped (registrable_partners) and the community is any, confirmed by that"
    " community's staff (tests/lawgov/test_pairings.py: another street's official is refused)",
    "vote-code": "a paper code only: looks up its vote, writes nothing",
    "vote-code-ballot": "a paper code and options of the code's own vote",
    "user-search": "a search: writes nothing (tests/accounts/test_private_search)",
    "member-search": "a search: writes nothing; its results are scoped (tests/members)",
    "data-request-list": "a request about the caller's own data: the body names no record",
    "member-tag-list": "a tag's name and kind: no record of an area",
    "mine-whereabouts": "the caller's own member record: the body names no record",
    "household-import-list": "a workbook: each row's address and residents are looked up in the importer's"
    " scope (tests/voting/test_household_import.py)",
}
