"""A valid body for every web page that takes a POST (a form page, a step or an action on a record), pointing
one reference at street A's record and the rest at street B's: street B's official (or the role named) must
be refused — the form's error at that field, in Chinese, or a 404/403 — and nothing written
(tests/security/test_cross_area_forms.py). The same body from inside (street A's official, street A's
references and record) is accepted: the control, so a refusal is the reference's doing.

Another area's record in the URL is proven by tests/security/test_enumeration.py: every outsider's GET and
POST of a record route of street A's records answers 404.

A web route that takes a POST (a class-based view with `post`, a view decorated to allow POST, or one that
reads `request.POST`/`request.FILES`) missing from every table below fails
`test_every_web_post_is_listed`.

FORMS         route → (URL kwargs(s) or None, [(field, body(o, s)[, who])]): `o` the other side (street A),
              `s` the sender's own (street B; both street A in the control); sent by s.official or s.<who>.
ALLOWED       route → why its references may point anywhere (where that is proven).
NO_REFERENCE  route → why its body names no record outside the one in its URL (or only choices of that
              record, or of the user themselves).
EXEMPT        route → why it is not a record's form (signing in, the user's own settings).
NOT_SENT      route → why no other area of its level exists in the fixed tree (as writes.NOT_SENT).
NOT_YET       route → what is not yet sent (the remaining work, listed in docs/security.md "Not met")."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from django.utils import timezone

from grassroots.accounts.roles import Role
from grassroots.areas.models import Level
from grassroots.cogov.models import Claim, ServiceItem
from grassroots.core.coverage.models import ServiceTeam
from grassroots.core.duties.models import DutyAssignment, DutyTask, Office, TaskList
from grassroots.gatherings.models import Gathering
from grassroots.lawgov import services_stations as stations
from grassroots.portal.models import Notice
from tests.factories import make_area, make_user
from tests.security.records import _id_number

WHEN = "2025-06-10T09:00"
UNTIL = "2025-06-10T11:00"


def _later(days: int = 30) -> str:
    return (timezone.localdate() + timedelta(days=days)).isoformat()


def _year(offset: int = 0) -> int:
    return timezone.localdate().year + offset


def pk(attr: str):
    return lambda s: {"pk": getattr(s, attr).pk}


def _gathering(area, party_org=""):
    return {
        "kind": "meeting",
        "title": "会议",
        "area": area,
        "party_org": party_org,
        "starts_at": WHEN,
        "ends_at": UNTIL,
        "visibility": "invited",
    }


def _dispute(area, **more):
    body = {"area": area, "title": "纠纷", "category": "other", "description": "经过", "urgency": "normal"}
    return body | more


def _consultation(**refs):
    return {"topic": "other", "question": "咨询", "referral": "none"} | refs


def _member(branch):
    return {
        "name": "王新",
        "id_number": _id_number(9),
        "branch": branch,
        "joined_probationary_on": "2012-07-01",
        "ethnicity": "汉族",
    }


def _site_meeting(area, host_area, practice_area="", **more):
    return {
        "area": area,
        "title": "现场会",
        "starts_at": "2030-06-10T09:00",
        "ends_at": "2030-06-10T11:00",
        "host_area": host_area,
        "shows": "practice",
        "practice_area": practice_area,
        "practice": "新做法",
    } | more


def _election(community, **refs):
    return {"community": community, "held_on": (timezone.localdate() - timedelta(days=1)).isoformat()} | refs


def _correction(s, **refs):
    return {
        "held_on": s.election.held_on.isoformat(),
        "term_ends_on": s.election.term_ends_on.isoformat(),
        "reason": "登记错误",
    } | refs


def _vote(area):
    return {
        "area": area,
        "title": "表决",
        "electorate": "residents",
        "opens_at": f"{_later(1)}T09:00",
        "closes_at": f"{_later(3)}T09:00",
        "quorum_percent": 50,
        "majority": "simple",
        "min_choices": 1,
        "max_choices": 1,
        "options": "同意\n不同意",
    }


def _negotiation(area, party_org, **more):
    return {"area": area, "party_org": party_org, "subject": "停车位争议"} | more


def _task(**refs):
    return {
        "title": "任务",
        "deadline": _later(),
        "weight": "1",
        "target_level": Level.COMMUNITY,
        "year": _year(),
    } | refs


def _decision(**more):
    return {
        "electorate": "residents",
        "opens_at": f"{_later(1)}T09:00",
        "closes_at": f"{_later(3)}T09:00",
        "quorum_percent": 50,
        "majority": "simple",
        "secret": "on",
    } | more


def _cross(org, **refs):
    return {
        "person_name": "赵交叉",
        "org": org,
        "position": "委员",
        "other_position": "主任",
        "starts_on": "2025-01-01",
    } | refs


def _entity(area, **more):
    return {
        "name": "新企业",
        "kind": "enterprise",
        "area": area,
        "employees": 10,
        "party_members": 0,
        "full_members": 0,
        "status": "none",
    } | more


def _partner(area, **more):
    return {"name": "驻区学校", "kind": "school", "area": area} | more


def _agreement(party_org, partner):
    today = timezone.localdate()
    return {
        "party_org": party_org,
        "partner": partner,
        "title": "共建协议",
        "starts_on": today.isoformat(),
        "ends_on": _later(),
        "signed_on": today.isoformat(),
        "org_commitments": "场地",
        "partner_commitments": "义诊",
    }


def _witnessed(s, **people):
    return {"options": s.vote.options.first().pk} | people


def _pairing(side, **more) -> dict:
    """A cadre's pairing with a household of the side's community."""
    body = {"kind": "cadre", "community": side.community.pk, "partner": side.partner.pk}
    body |= {"department": "court", "started_on": "2025-06-01", "cadre": side.official.username}
    return {**body, "household": side.household.pk, **more}


FORMS = {
    "lawgov:dispute_new": (None, [("area", lambda o, s: _dispute(o.courtyard.pk), "resident")]),
    "lawgov:dispute_intake": (
        None,
        [
            ("area", lambda o, s: _dispute(o.courtyard.pk, applicant_name="张三"), "grid_worker"),
            ("applicant", lambda o, s: _dispute(s.courtyard.pk, applicant=o.resident.pk), "grid_worker"),
        ],
    ),
    "lawgov:station_dispute_new": (
        pk("legal_station"),
        [
            ("area", lambda o, s: _dispute(o.courtyard.pk, applicant_name="张三")),
            ("applicant", lambda o, s: _dispute(s.community.pk, applicant=o.resident.pk)),
        ],
    ),
    "lawgov:station_consultations": (
        pk("legal_station"),
        [
            ("resident", lambda o, s: _consultation(resident=o.resident.pk)),
            ("occurrence", lambda o, s: _consultation(occurrence=o.legal_occurrence.pk)),
        ],
    ),
    "lawgov:pairing_new": (
        None,
        [
            ("community", lambda o, s: _pairing(s, community=o.community.pk)),
            ("partner", lambda o, s: _pairing(s, partner=o.partner.pk)),
            ("community_org", lambda o, s: _pairing(s, community_org=o.org.pk)),
            ("household", lambda o, s: _pairing(s, household=o.household.pk)),
        ],
    ),
    "cogov:need_create": (
        None,
        [
            (
                "community",
                lambda o, s: {
                    "community": o.community.pk,
                    "year": _year(),
                    "title": "需求",
                    "category": "goods",
                    "shares": 1,
                },
            )
        ],
    ),
    "cogov:item_detail": (
        pk("need"),
        [
            (
                "partner",
                lambda o, s: {
                    "action": "claim",
                    "partner": o.partner.pk,
                    "shares": 1,
                    "planned_on": _later(5),
                },
            )
        ],
    ),
    "cogov:commit": (
        None,
        [
            ("partner", lambda o, s: _commit(o.partner.pk, s.community.pk)),
            ("community", lambda o, s: _commit(s.partner.pk, o.community.pk)),
            ("resource", lambda o, s: _commit(s.partner.pk, s.community.pk, resource=o.resource.pk)),
        ],
    ),
    "cogov:rate_services": (
        None,
        [("claim", lambda o, s: {"claim": o.confirmed.pk, "score": 4, "verdict": "satisfied"}, "resident")],
    ),
    "cogov:joint_body_create": (
        None,
        [
            ("area", lambda o, s: {"area": o.community.pk, "host": s.org.pk, "name": "联席会议"}),
            ("host", lambda o, s: {"area": s.community.pk, "host": o.org.pk, "name": "联席会议"}),
            (
                "members",
                lambda o, s: {
                    "area": s.community.pk,
                    "host": s.org.pk,
                    "name": "联席会议",
                    "members": [o.partner.pk],
                },
            ),
        ],
    ),
    "cogov:joint_body_edit": (
        pk("joint_body"),
        [("members", lambda o, s: {"name": "联席会议（新）", "members": [o.partner.pk]})],
    ),
    "cogov:joint_meeting_detail": (
        pk("joint_meeting"),
        [
            (
                "owner_partner",
                lambda o, s: {
                    "action": "decision",
                    "decision-text": "落实",
                    "decision-owner_partner": o.partner.pk,
                    "decision-due_on": _later(5),
                },
            ),
            (
                "owner_user",
                lambda o, s: {
                    "action": "decision",
                    "decision-text": "落实",
                    "decision-owner_user": o.official.pk,
                    "decision-due_on": _later(5),
                },
            ),
        ],
    ),
    "portal:notice_create": (
        None,
        [
            (
                "area",
                lambda o, s: {"area": o.community.pk, "title": "通知", "body": "内容", "published_at": WHEN},
            )
        ],
    ),
    "portal:notice_edit": (
        pk("notice"),
        [
            (
                "area",
                lambda o, s: {"area": o.community.pk, "title": "通知", "body": "内容", "published_at": WHEN},
            )
        ],
    ),
    "accounts:account_create": (
        None,
        [
            (
                "area",
                lambda o, s: {
                    "username": "newbie",
                    "full_name": "新人",
                    "password1": "Qz7#pLm2Xv9w",
                    "password2": "Qz7#pLm2Xv9w",
                    "role": "grid_worker",
                    "area": o.grid.pk,
                },
            )
        ],
    ),
    "accounts:grant_create": (
        pk("user"),
        [("area", lambda o, s: {"role": "grid_worker", "area": o.grid.pk})],
    ),
    "areas:move": (pk("grid"), [("new_parent", lambda o, s: {"new_parent": o.community_2.pk})]),
    "areas:party_org_create": (
        lambda s: {"area_pk": s.grid.pk},
        [
            ("parent", lambda o, s: {"name": "新支部", "kind": "branch", "parent": o.org.pk}),
            (
                "secretary",
                lambda o, s: {
                    "name": "新支部",
                    "kind": "branch",
                    "parent": s.org.pk,
                    "secretary": o.grid_worker.pk,
                },
            ),
        ],
    ),
    "areas:party_org_edit": (
        pk("branch"),
        [
            ("parent", lambda o, s: {"name": "支部", "kind": "branch", "parent": o.org.pk}),
            (
                "secretary",
                lambda o, s: {
                    "name": "支部",
                    "kind": "branch",
                    "parent": s.org.pk,
                    "secretary": o.grid_worker.pk,
                },
            ),
        ],
    ),
    "gatherings:create": (
        None,
        [
            ("area", lambda o, s: _gathering(o.community.pk)),
            ("party_org", lambda o, s: _gathering(s.community.pk, o.org.pk)),
        ],
    ),
    "lawgov:station_create": (
        None,
        [("area", lambda o, s: {"area": o.community_2.pk, "name": "法律服务站"})],
    ),
    "gatherings:edit": (
        pk("planned"),
        [
            ("area", lambda o, s: _gathering(o.community.pk)),
            ("party_org", lambda o, s: _gathering(s.community.pk, o.org.pk)),
        ],
    ),
    "documents:create": (
        None,
        [("area", lambda o, s: {"kind": "standard", "area": o.street.pk, "title": "规范"})],
    ),
    "voting:create": (None, [("area", lambda o, s: _vote(o.community.pk))]),
    "voting:elections": (
        None,
        [
            ("community", lambda o, s: _election(o.community.pk, gathering=s.gathering.pk)),
            ("gathering", lambda o, s: _election(s.community.pk, gathering=o.gathering.pk)),
            ("vote", lambda o, s: _election(s.community.pk, vote=o.vote.pk)),
            (
                "elected",
                lambda o, s: _election(s.community.pk, gathering=s.gathering.pk, elected=o.resident.username),
            ),
        ],
    ),
    "selfgov:matter_create": (
        None,
        [("area", lambda o, s: {"area": o.community.pk, "title": "停车整治", "category": "parking"})],
    ),
    "selfgov:opinion_create": (
        None,
        [
            (
                "area",
                lambda o, s: {"area": o.courtyard.pk, "category": "parking", "text": "乱停车"},
                "resident",
            )
        ],
    ),
    "selfgov:opinion_record": (
        None,
        [
            (
                "resident",
                lambda o, s: {"resident": o.resident.pk, "category": "parking", "text": "乱停车"},
                "grid_worker",
            )
        ],
    ),
    "selfgov:opinion_group": (pk("opinion"), [("matter", lambda o, s: {"matter": o.matter.pk})]),
    "selfgov:matter_plan": (
        pk("executing"),
        [("owner", lambda o, s: {"owner": o.resident.pk, "milestones": f"施工，100，{_later(10)}"})],
    ),
    "selfgov:supervisors": (None, [("user", lambda o, s: {"user": o.resident.pk})]),
    "selfgov:negotiation_create": (
        None,
        [
            ("area", lambda o, s: _negotiation(o.community.pk, s.org.pk)),
            ("party_org", lambda o, s: _negotiation(s.community.pk, o.org.pk)),
            ("matter", lambda o, s: _negotiation(s.community.pk, s.org.pk, matter=o.matter.pk)),
        ],
    ),
    "selfgov:negotiation_party": (
        pk("negotiation"),
        [("partner", lambda o, s: {"kind": "unit", "partner": o.partner.pk})],
    ),
    "gridwork:visit_list": (
        None,
        [
            (
                "area",
                lambda o, s: {"area": o.grid.pk, "visited_on": "2025-06-01", "heard": "民情"},
                "grid_worker",
            ),
            (
                "resident",
                lambda o, s: {
                    "area": s.grid.pk,
                    "resident": o.resident.pk,
                    "visited_on": "2025-06-01",
                    "heard": "民情",
                },
                "grid_worker",
            ),
        ],
    ),
    "virtue:warning_list": (
        None,
        [
            (
                "team",
                lambda o, s: {
                    "team": o.community.pk,
                    "mode": "case",
                    "title": "警示教育",
                    "starts_at": WHEN,
                    "ends_at": UNTIL,
                },
            )
        ],
    ),
    "virtue:venue_list": (
        None,
        [
            (
                "area",
                lambda o, s: {
                    "kind": "reading_room",
                    "name": "书屋",
                    "area": o.community.pk,
                    "address": "二楼",
                },
            )
        ],
    ),
    "virtue:campaign_create": (
        None,
        [
            (
                "area",
                lambda o, s: {
                    "title": "评选",
                    "kind": "other",
                    "area": o.community.pk,
                    "organization": "",
                    "places": 1,
                    "votes_per_voter": 1,
                    "nominations_close_at": "2099-01-01T09:00",
                    "publicity_days": 5,
                },
            ),
            (
                "organization",
                lambda o, s: {
                    "title": "评选",
                    "kind": "other",
                    "area": s.community.pk,
                    "organization": o.org.pk,
                    "places": 1,
                    "votes_per_voter": 1,
                    "nominations_close_at": "2099-01-01T09:00",
                    "publicity_days": 5,
                },
            ),
        ],
    ),
    "virtue:campaign_edit": (
        pk("campaign"),
        [
            (
                "organization",
                lambda o, s: {
                    "title": "评选",
                    "kind": "other",
                    "area": s.community.pk,
                    "organization": o.org.pk,
                    "places": 1,
                    "votes_per_voter": 1,
                    "nominations_close_at": "2099-01-01T09:00",
                    "publicity_days": 5,
                },
            ),
        ],
    ),
    "virtue:venue_detail": (
        pk("venue"),
        [
            (
                "area",
                lambda o, s: {
                    "save": "1",
                    "kind": "culture_wall",
                    "name": "墙",
                    "area": o.community.pk,
                    "address": "广场",
                },
            )
        ],
    ),
    "virtue:store_admin": (
        None,
        [
            (
                "area",
                lambda o, s: {"area": o.community.pk, "name": "毛巾", "price": 5, "stock": 1, "active": "on"},
            )
        ],
    ),
    "virtue:brand_list": (
        None,
        [("area", lambda o, s: {"area": o.community.pk, "kind": "red", "name": "红色品牌"})],
    ),
    "virtue:action_list": (
        None,
        [
            (
                "area",
                lambda o, s: {
                    "kind": "virtue_env_cleanup",
                    "title": "清洁行动",
                    "area": o.community.pk,
                    "starts_at": WHEN,
                    "ends_at": UNTIL,
                },
            )
        ],
    ),
    "virtue:brand_detail": (
        pk("brand"),
        [("area", lambda o, s: {"edit": "1", "area": o.community.pk, "kind": "red", "name": "品牌改"})],
    ),
    "members:create": (None, [("branch", lambda o, s: _member(o.branch.pk))]),
    "members:edit": (
        pk("member"),
        [
            ("branch", lambda o, s: _member(o.branch.pk) | {"id_number": ""}),
            ("workplace", lambda o, s: _member(s.branch.pk) | {"id_number": "", "workplace": o.entity.pk}),
        ],
    ),
    "members:registration_org": (
        None,
        [("party_org", lambda o, s: {"party_org": o.org.pk, "community": s.community.pk})],
    ),
    "duties:assign_office": (pk("assignment"), [("office", lambda o, s: {"office": o.community_office.pk})]),
    "duties:offices": (
        None,
        [
            (
                "office",
                lambda o, s: {
                    "form": "member",
                    "office": o.office.pk,
                    "user": s.official.pk,
                    "post": "staff",
                },
            )
        ],
    ),
    "coverage:entity_create": (
        None,
        [
            ("area", lambda o, s: _entity(o.community.pk)),
            ("party_org", lambda o, s: _entity(s.community.pk, status="joint", party_org=o.branch.pk)),
        ],
    ),
    "coverage:entity_edit": (
        pk("entity"),
        [
            ("area", lambda o, s: _entity(o.community.pk)),
            ("party_org", lambda o, s: _entity(s.community.pk, status="joint", party_org=o.branch.pk)),
        ],
    ),
    "coverage:instructor_create": (
        None,
        [
            (
                "sent_by",
                lambda o, s: {
                    "name": "指导员",
                    "sent_by": o.street_org.pk,
                    "area": s.community.pk,
                    "appointed_on": "2025-01-01",
                },
            ),
            (
                "area",
                lambda o, s: {
                    "name": "指导员",
                    "sent_by": s.street_org.pk,
                    "area": o.community.pk,
                    "appointed_on": "2025-01-01",
                },
            ),
        ],
    ),
    "coverage:instructor_detail": (
        pk("instructor"),
        [("entity", lambda o, s: {"action": "assign", "entity": o.entity.pk})],
    ),
    "coverage:cross_create": (
        None,
        [
            ("org", lambda o, s: _cross(o.org.pk, other_name="居委会")),
            ("other_org", lambda o, s: _cross(s.org.pk, other_org=o.branch.pk)),
            ("other_entity", lambda o, s: _cross(s.org.pk, other_entity=o.entity.pk)),
        ],
    ),
    "coverage:team_create": (
        None,
        [
            ("area", lambda o, s: {"name": "服务队", "area": o.community.pk}),
            ("entities", lambda o, s: {"name": "服务队", "area": s.community.pk, "entities": [o.entity.pk]}),
        ],
    ),
    "assessments:report_create": (
        None,
        [("party_org", lambda o, s: {"party_org": o.org.pk, "year": _year(-1)})],
    ),
    "assessments:report_start_review": (
        pk("work_report"),
        [
            ("meeting", lambda o, s: {"meeting": o.review_meeting.pk, "reviewers": [s.reviewer.pk]}),
            ("reviewers", lambda o, s: {"meeting": s.review_meeting.pk, "reviewers": [o.reviewer.pk]}),
        ],
    ),
    "assessments:inspection_create": (
        None,
        [
            ("area", lambda o, s: {"title": "督察", "area": o.community.pk, "inspected_on": "2025-06-01"}),
            (
                "party_org",
                lambda o, s: {
                    "title": "督察",
                    "area": s.community.pk,
                    "party_org": o.org.pk,
                    "inspected_on": "2025-06-01",
                },
            ),
        ],
    ),
    "assessments:inspection_detail": (
        pk("inspection"),
        [
            (
                "owner",
                lambda o, s: {"description": "问题", "owner": o.user.pk, "deadline": _later()},
            ),
            (
                "area",
                lambda o, s: {
                    "description": "问题",
                    "owner": s.user.pk,
                    "deadline": _later(),
                    "area": o.community.pk,
                },
            ),
        ],
    ),
    "assessments:site_meeting_create": (
        None,
        [
            ("area", lambda o, s: _site_meeting(o.street.pk, s.community.pk, s.community.pk)),
            ("host_area", lambda o, s: _site_meeting(s.street.pk, o.community.pk, s.community.pk)),
            ("practice_area", lambda o, s: _site_meeting(s.street.pk, s.community.pk, o.community.pk)),
            (
                "visiting_orgs",
                lambda o, s: _site_meeting(
                    s.street.pk, s.community.pk, s.community.pk, visiting_orgs=[o.org.pk]
                ),
            ),
        ],
    ),
    "assessments:site_meeting_edit": (
        pk("site_meeting"),
        [
            ("host_area", lambda o, s: _site_meeting(s.street.pk, o.community.pk, s.community.pk)),
            ("practice_area", lambda o, s: _site_meeting(s.street.pk, s.community.pk, o.community.pk)),
        ],
    ),
    "assessments:lesson_task": (
        pk("lesson"),
        [
            (
                "affair",
                lambda o, s: {"deadline": _later(), "target_level": Level.COMMUNITY, "affair": o.affair.pk},
            )
        ],
    ),
    "assessments:scheme_create": (
        None,
        [("area", lambda o, s: {"year": _year(-1), "area": o.street.pk, "level": Level.COMMUNITY})],
    ),
    "assessments:agency_create": (None, [("street", lambda o, s: {"street": o.street.pk, "name": "派出所"})]),
    "assessments:rate": (
        None,
        [("worker", lambda o, s: {"worker": o.grid_worker.pk, "score": 5}, "resident")],
    ),
    "duties:task_create": (
        None,
        [
            ("area", lambda o, s: _task(area=o.street.pk, affair=o.affair.pk)),
            ("office", lambda o, s: _task(area=s.street.pk, office=o.office.pk, affair=s.affair.pk)),
            ("targets", lambda o, s: _task(area=s.street.pk, targets=[o.community.pk], affair=s.affair.pk)),
        ],
    ),
    "duties:breakdown": (
        pk("assignment"),
        [("targets", lambda o, s: _task(target_level=Level.GRID, targets=[o.grid.pk]))],
    ),
    "duties:copy_list": (None, [("area", lambda o, s: {"area": o.street.pk, "year": _year(1)})]),
    "assessments:grid_extension_compute": (
        None,
        [("area", lambda o, s: {"area": o.street.pk, "year": _year()})],
    ),
    "selfgov:matter_decision": (
        pk("heard_matter"),
        [
            ("area", lambda o, s: _decision(area=o.courtyard.pk)),
            ("electors", lambda o, s: _decision(electorate="representatives", electors=o.resident.username)),
        ],
    ),
    "assessments:item_add": (
        pk("scheme"),
        [
            (
                "standard_item",
                lambda o, s: {
                    "name": "指标",
                    "weight": "10",
                    "method": "manual",
                    "standard_item": o.standard_item.pk,
                },
            )
        ],
    ),
    "orglife:study_plan": (
        lambda s: {"branch_pk": s.branch.pk, "year": s.study_plan.year},
        [
            (
                "gathering",
                lambda o, s: {
                    "topic": "学习",
                    "planned_on": f"{s.study_plan.year}-06-01",
                    "gathering": o.study_gathering.pk,
                },
            )
        ],
    ),
    "cogov:partner_create": (
        None,
        [
            ("area", lambda o, s: _partner(o.community.pk)),
            ("entity", lambda o, s: _partner(s.community.pk, entity=o.entity.pk)),
            ("party_org", lambda o, s: _partner(s.community.pk, party_org=o.branch.pk)),
            ("representatives", lambda o, s: _partner(s.community.pk, representatives=[o.partner_rep.pk])),
        ],
    ),
    "cogov:partner_edit": (
        pk("partner"),
        [
            ("area", lambda o, s: _partner(o.community.pk)),
            ("entity", lambda o, s: _partner(s.community.pk, entity=o.entity.pk)),
            ("party_org", lambda o, s: _partner(s.community.pk, party_org=o.branch.pk)),
            ("representatives", lambda o, s: _partner(s.community.pk, representatives=[o.partner_rep.pk])),
        ],
    ),
    "cogov:agreement_create": (
        None,
        [
            ("party_org", lambda o, s: _agreement(o.org.pk, s.partner.pk)),
            ("partner", lambda o, s: _agreement(s.org.pk, o.partner.pk)),
        ],
    ),
    "cogov:volunteer_list": (
        None,
        [("person", lambda o, s: {"person": o.resident.pk, "skills": "理发", "availability": ["weekend"]})],
    ),
    "voting:household_create": (
        None,
        [
            ("area", lambda o, s: {"area": o.community.pk, "name": "2栋101"}),
            ("members", lambda o, s: {"area": s.community.pk, "name": "2栋101", "members": [o.resident.pk]}),
        ],
    ),
    "voting:election_correct": (
        pk("election"),
        [
            ("gathering", lambda o, s: _correction(s, gathering=o.gathering.pk)),
            ("vote", lambda o, s: _correction(s, vote=o.vote.pk, gathering=s.gathering.pk)),
        ],
    ),
    "voting:household": (pk("household"), [("user", lambda o, s: {"add": "1", "user": o.resident.pk})]),
    "voting:representatives": (
        None,
        [
            ("community", lambda o, s: {"community": o.community.pk, "person": s.resident.username}),
            ("person", lambda o, s: {"community": s.community.pk, "person": o.resident.username}),
        ],
    ),
    "voting:paper_codes": (pk("vote"), [("voters", lambda o, s: {"voters": o.resident.username})]),
    "voting:witnessed": (
        pk("vote"),
        [
            ("voter", lambda o, s: _witnessed(s, voter=o.resident.username, witness="张三")),
            (
                "witness_user",
                lambda o, s: _witnessed(s, voter=s.resident.username, witness_user=o.user.username),
            ),
        ],
    ),
    "admission:funds_street_allot": (
        pk("street_funds"),
        [
            (
                "communities",
                lambda o, s: {
                    "communities": [o.community.pk],
                    "amount": "100",
                    "allotted_on": timezone.localdate().isoformat(),
                    "allot_document": "街道文",
                },
            )
        ],
    ),
    "selfgov:rulebook_start": (
        None,
        [("community", lambda o, s: {"community": o.community.pk, "kind": "deliberation"})],
    ),
    "selfgov:convention_start": (None, [("courtyard", lambda o, s: {"courtyard": o.courtyard.pk})]),
}

ALLOWED = {
    "imports:list_export": "the list's filters: the export runs the list's own scoped selector, and a filter"
    " naming another area's record is refused (tests/exports/test_list_exports.py"
    "::test_a_filter_naming_another_area_is_refused)",
    "lawgov:unit_register": "the community may be any (a county unit registers with the communities below;"
    " that community's staff confirm it); the partner is cut to the units one may register"
    " (tests/lawgov/test_pairings.py: another street's official is refused)",
    "accounts:register": "community and area: a resident registers where they live, anywhere in the city",
    "accounts:verification_resubmit": "community and area: the resident's own home, anywhere in the city",
    "members:transfer_request": "to_branch: a member moves to any branch of the platform; the receiving"
    " branch's officials accept or refuse (tests/members/test_transfers.py)",
    "members:mine_edit": "home_community and home_area: a member's own home, anywhere in the city",
    "members:register_me": "community: dual registration (双报到) with the community the member lives in",
    "members:registration_member": "community: as register_me, for a member of the official's branch",
    "gatherings:invite": "usernames: anyone may be invited to a gathering (as the API's gathering-invite)",
}

NOT_SENT = {
    "admission:affair_create": "area: a county's (one county in the fixed tree; as writes.NOT_SENT)",
    "admission:request_create": "area: a county's (as writes.NOT_SENT)",
    "admission:funds_create": "affair and community: the county's catalog (as writes.NOT_SENT)",
    "admission:funds_bulk": "affair and communities: as funds_create",
}

NO_REFERENCE = {
    "lawgov:pairing_step": "a step of the pairing in the URL: a commitment's text, a service's date, content"
    " and hours, or an end's reason",
    "lawgov:dispute_step": "a step of the case in the URL: text, dates, a file and choices (kind, advice);"
    " mediators: only the case's handling committee's own (another street's refused, test_dispute_steps.py)",
    "portal:notice_delete": "no body",
    "lawgov:occurrence_book": "no body",
    "lawgov:station_edit": "name, address, hours and phone only (a station keeps its community)",
    "lawgov:station_workers": "user: a choice among the legal workers of the station's own community"
    " (another community's refused, tests/lawgov/test_station_setup.py); name, role and organization as text",
    "lawgov:worker_remove": "no body (the worker in the URL, among the stations one runs)",
    "lawgov:session_create": "a body's name, times, the rule and a capacity only (a series of the station's"
    " own community)",
    "lawgov:education_create": "times, place, text and a capacity only (a gathering of the station's own"
    " community)",
    "gatherings:series_edit": "title, place, text, capacity and times only (a series keeps its area)",
    "gatherings:series_cancel": "a day and a reason only",
    "lawgov:occurrence_cancel": "no body",
    "accounts:user_list": "a search sent by POST (numbers never in URLs): writes nothing; its results scoped",
    "accounts:grant_revoke": "no body",
    "accounts:token_revoke": "no body",
    "areas:create_root": "name and code only (the operator's new city)",
    "areas:create": "name, level and code only; the parent is the area in the URL",
    "areas:edit": "name and code only",
    "areas:retire": "a reason only",
    "areas:party_org_retire": "no body",
    "areas:import": "a workbook: each row's parent is found by its code inside the importer's scope"
    " (tests/areas/test_import.py)",
    "workflow:transition": "a step's comment and attachments; steps with fields of their own have pages of"
    " their own (listed here)",
    "gatherings:attendance": "users of the gathering's own participant list",
    "gatherings:minutes": "text only",
    "gatherings:add_decision": "owner: a choice of the gathering's own participants",
    "gatherings:add_photo": "an upload only",
    "gatherings:sign_up": "no body",
    "gatherings:cancel_sign_up": "no body",
    "gatherings:check_in": "no body",
    "gatherings:check_out": "no body",
    "gatherings:add_guest": "name, organization and role as text (a participant without an account)",
    "gatherings:remove_guest": "no body (the guest in the URL, among the gathering's own)",
    "documents:draft": "sections' text only",
    "documents:new_draft": "a note only",
    "documents:publish": "no body",
    "documents:attachment_add": "an upload only",
    "documents:attachment_remove": "no body (the attachment in the URL)",
    "documents:confirm_read": "no body",
    "voting:cast": "an option of the vote itself",
    "voting:receipt": "a receipt code",
    "voting:publish": "no body",
    "voting:close": "no body",
    "selfgov:matter_hearing": "times, place, text and guests' names only",
    "selfgov:matter_comment": "text only",
    "selfgov:matter_milestone": "milestone: a choice among the matter's own milestones of the round",
    "selfgov:matter_update": "text and a photo only",
    "selfgov:matter_spending": "amount, date, note and evidence only",
    "selfgov:matter_check": "a finding and a photo only",
    "selfgov:matter_rate": "level and comment only",
    "selfgov:supervisor_remove": "no body (the member in the URL)",
    "selfgov:settings_edit": "the community's numbers only (the community in the URL)",
    "selfgov:negotiation_session": "times, place and agenda only (a gathering of the negotiation's own area)",
    "selfgov:negotiation_position": "session and party: choices of the negotiation's own",
    "selfgov:negotiation_agreement": "the agreement's text and file only",
    "selfgov:negotiation_follow_up": "owner: a choice of the negotiation's own parties",
    "selfgov:negotiation_follow_up_done": "item: a choice of the negotiation's own items",
    "selfgov:opinion_support": "no body",
    "members:list": "a search sent by POST (numbers never in URLs): writes nothing; its results scoped",
    "members:export": "filters of an export: the rows come from the user's scope"
    " (tests/members/test_export.py)",
    "members:import": "a workbook: each row's branch is looked up inside the importer's scope"
    " (tests/members/test_import*.py)",
    "members:tags": "tags of the city-wide list (name and kind, no area)",
    "voting:household_import": "a workbook: each row's address and residents are looked up in the importer's"
    " scope (tests/voting/test_household_import.py)",
    "members:account": "username: the member's own account, linked by its holder's username",
    "members:contact_attempt_add": "a method, date and note about the member in the URL",
    "members:mark_mobile": "free text only",
    "members:mine_whereabouts": "the caller's own record",
    "members:study_add": "a title, date and hours of the member in the URL",
    "members:study_delete": "no body",
    "members:transfer_release": "a letter number only",
    "members:dues_set": "category: a bracket of the national dues table (not an area's record)",
    "members:dues_pay": "a month and amount of the member in the URL",
    "members:care_visit_add": "a kind, date and note of the member in the URL",
    "duties:task_issue_draft": "the draft's own fields, checked as at creation (duties:task_create)",
    "duties:task_delete_draft": "no body",
    "duties:office_retire": "no body",
    "duties:office_member_remove": "no body",
    "admission:affair_end": "a date and reason only",
    "admission:funds_transfer": "a date and document number only",
    "admission:funds_receive": "a date only",
    "orglife:plan_create": "items' text and times; the branch is in the URL",
    "orglife:plan_edit": "items' text and times only",
    "orglife:plan_decide": "text only",
    "orglife:report_start": "no body (the gathering in the URL)",
    "orglife:report_unplanned": "kind, title and times; the branch is in the URL",
    "orglife:report_edit": "attendance and grades keyed by the report's own roster (posted ids of anyone"
    " else are not read)",
    "orglife:report_photo": "an upload only",
    "coverage:team_detail": "entity: a choice of the team's own entities",
    "assessments:report_edit": "title and content only",
    "gridwork:visit_detail": "a follow-up's note only (the visit in the URL)",
    "virtue:venue_photo_delete": "no body (the venue and its photo in the URL)",
    "virtue:exchange": "no body (the item in the URL; the caller spends their own points)",
    "virtue:exchange_pick_up": "no body (the exchange in the URL)",
    "virtue:exchange_cancel": "a reason only (the exchange in the URL)",
    "virtue:points_reverse": "a reason only (the ledger line in the URL; another area's line is a 404)",
    "virtue:store_item_edit": "name, description, price, on the shelf, a photo (the item keeps its community;"
    " the stock is added by virtue:store_item_restock)",
    "virtue:store_item_restock": "a quantity and its submission token only (the item in the URL; another"
    " area's item is a 404)",
    "virtue:campaign_detail": "the step and choices of the campaign in the URL (its candidates, its"
    " objections: another campaign's answer 404 or are refused as invalid; a cancellation's reason)",
    "virtue:campaign_nominate": "a name, text and files; a community only of the campaign's own area (else"
    " refused at nominee_area)",
    "virtue:nomination_detail": "the review's result and reason, a withdrawal, more materials (files) — the"
    " nomination in the URL",
    "virtue:action_check_in": "a check-in code only (the action in the URL)",
    "virtue:action_renew_code": "no body (the action in the URL)",
    "voting:representative_retire": "no body (the representative in the URL, read through `scoped`)",
    "voting:code": "a paper code and the options of the vote it belongs to",
    "cogov:my_volunteering": "the caller's own volunteer record: skills and availability",
    "cogov:activity_detail": "the caller's own steps on the activity in the URL (action only)",
    "cogov:activity_roster": "person: a person of the activity's own list (else 404); credit: a credit of"
    " that activity (else 404); times and a reason",
    "cogov:need_edit": "title, category, shares, unit and dates of the need in the URL (its community and"
    " year stay)",
    "cogov:claim_detail": "a score and a comment on the claim in the URL",
    "cogov:claim_deliver": "a date, a count, text and an upload, on the claim in the URL",
    "cogov:joint_meeting_create": "title, times, place and agenda; the body in the URL",
    "assessments:report_score": "a score only",
    "assessments:report_start_review": "",
    "assessments:site_meeting_detail": "a lesson's text only",
    "assessments:scheme_compute": "no body",
    "assessments:item_remove": "no body (the scheme's own item in the URL)",
    "assessments:scheme_copy": "a year only",
    "assessments:agency_edit": "street: disabled on edit (the posted value is ignored, the agency keeps its"
    " street); name, department and head as at creation (assessments:agency_create)",
    "assessments:agency_detail": "a year's score and comments about the agency in the URL",
    "assessments:assessment_detail": "hand scores of the scheme's own manual items",
    "cogov:partner_detail": "kind, name, quantity, unit and note of a resource of the partner in the URL",
    "cogov:resource_remove": "no body; the resource in the URL is looked up among the partner's own (404)",
    "cogov:agreement_detail": "renewal dates and file, or an end's reason, of the agreement in the URL (the"
    " same sides as the agreement renewed)",
    "selfgov:convention_comment": "text only",
    "selfgov:convention_discussion": "a time only",
    "selfgov:convention_vote": "window, quorum and rules only (the electorate is the convention's own"
    " courtyard)",
    "selfgov:convention_settle": "no body",
    "selfgov:convention_sign": "no body (the caller's own signature)",
    "selfgov:convention_amend": "no body",
}
del NO_REFERENCE["assessments:report_start_review"]

NOT_YET: dict[str, str] = {}

EXEMPT = {
    "accounts:login": "signing in: no record",
    "accounts:logout": "signing out: no record",
    "accounts:two_factor": "the user's own second factor",
    "accounts:password_change": "the user's own password",
    "accounts:password_reset": "an address to send a reset link to: no record",
    "accounts:password_reset_confirm": "the user's own new password, by the link's token",
    "accounts:lockout_unlock": "a username or address to unlock (accounts.unlock, system admins; no area)",
    "portal:switch_area": "the user's own working area, one of their own grants"
    " (tests/portal/test_switcher.py)",
    "set_language": "the user's language",
    "search:page": "the words searched for: no record; each kind's results come from its own scoped list"
    " (tests/search/test_search.py::test_an_outsider_finds_nothing_of_another_street)",
    "privacy:consent": "the user's own agreement to the notice",
    "privacy:withdraw": "the user's own withdrawal of consent",
    "privacy:submit": "a request about the caller's own data: the body names no record",
    "workflow:notifications_read_all": "the user's own notifications",
    "workflow:notification_read": "the user's own notification (its URL: 404 for anyone else's)",
}


def _commit(partner, community, **more):
    body = {"partner": partner, "community": community, "year": _year(), "title": "场地", "category": "venue"}
    return body | {"shares": 1, "planned_on": _later(5)} | more


def furnish(s, prefix: str) -> None:
    """What the web forms' bodies point at beyond writes.side and edits.furnish."""
    now = timezone.now()
    done = ServiceItem.objects.create(
        community=s.community,
        year=_year(),
        kind="need",
        title="已完成的需求",
        category="goods",
        published=True,
    )
    s.confirmed = Claim.objects.create(
        item=done, partner=s.partner, planned_on=now.date(), state="confirmed", delivered_on=now.date()
    )
    s.community_2 = make_area(f"{prefix}二社区", Level.COMMUNITY, s.street)
    s.notice = Notice.objects.create(
        area=s.community, title="通知", body="内容", author=s.official, published_at=now
    )
    s.planned = Gathering.objects.create(
        kind="meeting",
        title="会议",
        area=s.community,
        organizer=s.official,
        starts_at=now + timedelta(days=5),
        ends_at=now + timedelta(days=5, hours=2),
    )
    task = DutyTask.objects.create(
        task_list=TaskList.objects.create(area=s.street, year=_year()),
        area=s.street,
        title="任务",
        deadline=timezone.localdate() + timedelta(days=30),
        target_level=Level.COMMUNITY,
    )
    s.assignment = DutyAssignment.objects.create(task=task, area=s.community)
    s.team = ServiceTeam.objects.create(name="服务队", area=s.community)
    starts = timezone.make_aware(datetime(s.study_plan.year, 6, 1, 9))  # in the plan's year at every clock
    s.study_gathering = Gathering.objects.create(
        kind="orglife_general",
        title="学习会",
        area=s.community,
        party_org=s.branch,
        organizer=s.official,
        starts_at=starts,
        ends_at=starts + timedelta(hours=2),
    )
    s.community_office = Office.objects.create(area=s.community, kind="services", name=f"{prefix}社区办")
    s.legal_station = stations.create_station(actor=s.official, area=s.community, name=f"{prefix}法律服务站")
    session = stations.schedule_session(
        actor=s.official,
        station=s.legal_station,
        provider="bar",
        title="法律咨询",
        start_time=time(9, 0),
        duration_minutes=60,
        capacity=5,
        frequency="weekly",
        weekday=1,
        starts_on=timezone.localdate(),
    )
    s.legal_occurrence = session.series.occurrences.order_by("starts_at").first()
    s.partner_rep = make_user(f"{prefix}_partner_rep", Role.PARTNER_REP, s.community)
