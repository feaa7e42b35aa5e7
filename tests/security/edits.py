"""A valid body for every API route that changes a record or takes a step on it (PATCH/PUT on a record, a POST
action on a record, a workflow step with fields of its own), pointing one reference at street A's record and
the rest at street B's: street B's official, changing street B's record, must be refused (400 naming the
field, or 404) and the record left as it was (tests/security/test_cross_area_edits.py). The same body from
inside (street A's official, street A's record and references) is accepted: the control.

A record-write route (or a step of `take-transition` with fields) missing from every table below fails
`test_every_record_write_route_is_listed`.

EDITS         route[:step] → (method, record(s) on the sender's side, [(field, body(o, s))]): `o` is the
              other side (street A), `s` the sender's own (street B; both street A in the control).
ALLOWED       route → why its references may point anywhere (where that is proven).
NO_REFERENCE  route → why its body names no record outside the one in its URL (or only choices of that
              record: ChoiceOfRecordField takes its choices from the record itself).
NOT_YET       route → what is not yet sent (the remaining work, listed in docs/security.md "Not met")."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from grassroots.accounts.roles import Role
from grassroots.areas.models import Level
from grassroots.cogov.models import JointBody, JointMeeting, ServiceItem
from grassroots.core.admission.models import FundsState, FundsTransfer
from grassroots.core.assessments.models import AssessmentScheme, Finding, Lesson, SiteMeeting, WorkReport
from grassroots.core.coverage.models import Entity, Instructor
from grassroots.core.duties.models import Office
from grassroots.core.orglife import kinds
from grassroots.core.orglife.models import OrgLifeReport, StudyPlan
from grassroots.documents.models import Document, DocumentVersion, Item, Section
from grassroots.gatherings.models import Gathering
from grassroots.portal.models import Notice
from grassroots.selfgov.models import Matter, Negotiation, Opinion
from grassroots.virtue.models import Campaign, CultureBrand, Venue
from grassroots.voting.models import Electorate, Majority, RepresentativeElection
from grassroots.voting.services import households, votes
from tests.factories import make_area, make_user


def _soon() -> str:
    return (timezone.localdate() + timedelta(days=5)).isoformat()


def furnish(s, prefix: str) -> None:
    """The records a side's edits change, beyond writes.side's: an entity, a site meeting, an orglife report
    in draft, a submitted work report with a review meeting and an official of the street to review it, and
    funds the street received to allot on to its communities."""
    now = timezone.now()
    s.campaign = Campaign.objects.create(  # nominating, nobody nominated: every field may change
        area=s.community,
        kind="other",
        title="评选",
        places=1,
        nominations_close_at=now + timedelta(days=7),
        created_by=s.official,
    )
    s.member.gender = "male" if int(s.member.id_number[16]) % 2 else "female"
    s.member.save(update_fields=["gender"])
    Finding.objects.create(
        inspection=s.inspection,
        area=s.community,
        description="问题",
        owner=s.user,
        deadline=timezone.localdate(),
        state="rectified",
    )
    s.entity = Entity.objects.create(name=f"{prefix}企业", kind="enterprise", area=s.community)
    s.venue = Venue.objects.create(
        kind="culture_wall", name=f"{prefix}文化墙", area=s.community, address="广场"
    )
    s.brand = CultureBrand.objects.create(area=s.community, kind="red", name=f"{prefix}品牌")
    s.notice = Notice.objects.create(area=s.community, title=f"{prefix}通知", body="正文")
    site = Gathering.objects.create(
        kind="site_meeting",
        title="现场会",
        area=s.street,
        organizer=s.official,
        starts_at=now + timedelta(days=5),
        ends_at=now + timedelta(days=5, hours=2),
    )
    s.site_meeting = SiteMeeting.objects.create(
        gathering=site, shows="practice", practice_area=s.community, practice="做法", host_area=s.community
    )
    s.report = OrgLifeReport.objects.create(
        branch=s.branch,
        gathering=s.gathering,
        kind="orglife_general",
        held_on=timezone.localdate(),
        created_by=s.official,
    )
    s.work_report = WorkReport.objects.create(
        party_org=s.org,
        area=s.community,
        reviewing_area=s.street,
        year=timezone.localdate().year,
        reporter=s.user,
        title="述职",
        content="内容",
        state="submitted",
    )
    s.review_meeting = Gathering.objects.create(
        kind="review_meeting",
        title="述职评议会",
        area=s.street,
        organizer=s.official,
        starts_at=now + timedelta(days=3),
        ends_at=now + timedelta(days=3, hours=2),
    )
    s.reviewer = make_user(f"{prefix}_reviewer", Role.STREET_OFFICIAL, s.street)
    s.vote = votes.publish_vote(
        actor=s.official,
        vote=votes.create_vote(
            actor=s.official,
            area=s.community,
            title="表决",
            options=["同意", "不同意"],
            electorate=Electorate.RESIDENTS,
            opens_at=now - timedelta(hours=1),
            closes_at=now + timedelta(days=2),
            majority=Majority.SIMPLE,
        ),
    )
    s.neighbour = make_user(
        f"{prefix}_neighbour", Role.RESIDENT, s.community, home_area=s.community, verified_at=now
    )
    s.household = households.create_household(
        actor=s.official, area=s.community, name="1栋101", members=[s.neighbour]
    )
    s.election = RepresentativeElection.objects.create(  # an election record to correct (更正)
        community=s.community,
        held_on=now.date() - timedelta(days=3),
        term_ends_on=now.date() + timedelta(days=1800),
        vote=s.vote,
    )
    s.street_funds = FundsTransfer.objects.create(  # funds the street received, to pass on (街道下达)
        affair=s.affair,
        area=s.street,
        year=now.year,
        amount=Decimal("100000.00"),
        department="民政局",
        allotted_by=s.official,
        allotted_on=now.date(),
        allot_document="文号",
        state=FundsState.RECEIVED,
    )
    s.review_report = OrgLifeReport.objects.create(
        branch=s.branch,
        gathering=Gathering.objects.create(
            kind=kinds.REVIEW_MEETING,
            title="组织生活会",
            area=s.community,
            party_org=s.branch,
            organizer=s.official,
            starts_at=now - timedelta(days=1),
            ends_at=now - timedelta(days=1, hours=-2),
        ),
        kind=kinds.REVIEW_MEETING,
        held_on=timezone.localdate(),
        created_by=s.official,
    )
    s.need = ServiceItem.objects.create(
        community=s.community,
        year=now.year,
        kind="need",
        title="需求",
        category="goods",
        shares=2,
        published=True,
    )
    s.study_plan = StudyPlan.objects.create(
        branch=s.branch, year=timezone.localdate().year, title="学习计划", created_by=s.official
    )
    s.instructor = Instructor.objects.create(name="指导员", sent_by=s.street_org, area=s.community)
    s.lesson = Lesson.objects.create(meeting=s.site_meeting, text="经验")
    s.office = Office.objects.create(area=s.street, kind="services", name=f"{prefix}办")
    s.scheme = AssessmentScheme.objects.create(
        name="考核",
        year=timezone.localdate().year,
        area=s.street,
        level=Level.COMMUNITY,
        created_by=s.official,
    )
    standard = Document.objects.create(area=s.street, kind="standard", title=f"{prefix}标准")
    version = DocumentVersion.objects.create(document=standard, number=1, state="published")
    section = Section.objects.create(version=version, number="1", title="章")
    s.standard_item = Item.objects.create(section=section, number="1.1", text="条目")
    s.courtyard = make_area(f"{prefix}院落", Level.COURTYARD, s.grid)
    s.matter = Matter.objects.create(
        community=s.community,
        area=s.courtyard,
        title="事项",
        category="parking",
        collection_ends_at=now + timedelta(days=7),
        created_by=s.official,
    )
    s.negotiation = Negotiation.objects.create(
        community=s.community, area=s.community, party_org=s.org, subject="争议", created_by=s.official
    )
    s.opinion = Opinion.objects.create(
        community=s.community, area=s.courtyard, author=s.resident, category="parking", text="乱停车"
    )
    hearing = Gathering.objects.create(
        kind="hearing",
        title="听证会",
        area=s.community,
        organizer=s.official,
        starts_at=now - timedelta(days=1),
        ends_at=now - timedelta(days=1, hours=-2),
        status="held",
    )
    s.executing = Matter.objects.create(
        community=s.community,
        area=s.community,
        title="执行中事项",
        category="parking",
        collection_ends_at=now - timedelta(days=30),
        created_by=s.official,
        state="execution",
    )
    s.heard_matter = Matter.objects.create(
        community=s.community,
        area=s.community,
        title="已听证事项",
        category="parking",
        collection_ends_at=now - timedelta(days=7),
        created_by=s.official,
        hearing=hearing,
        state="hearing",
    )
    s.joint_body = JointBody.objects.create(area=s.community, host=s.org, name=f"{prefix}联席会议")
    s.joint_body.members.add(s.partner)
    s.joint_meeting = JointMeeting.objects.create(
        body=s.joint_body,
        gathering=Gathering.objects.create(
            kind="joint_meeting",
            title="联席会议",
            area=s.community,
            organizer=s.official,
            starts_at=now - timedelta(hours=1),
            ends_at=now + timedelta(hours=1),
        ),
    )


def _site_meeting(host_area, **shows):
    body = {"host_area": host_area, "shows": "practice", "practice": "做法"}
    return body | shows


def _later(days: int = 30) -> str:
    return (timezone.localdate() + timedelta(days=days)).isoformat()


def _decision(**more):
    now = timezone.now()
    times = {
        "opens_at": (now + timedelta(days=1)).isoformat(),
        "closes_at": (now + timedelta(days=3)).isoformat(),
    }
    return times | more


def _review(meeting, reviewers):
    return {"meeting": meeting, "reviewers": reviewers}


def _witnessed(vote, voter, **witness):
    return {"voter": voter, "options": [vote.options.first().pk]} | witness


def _street_allot(communities):
    return {
        "communities": communities,
        "amount": "100",
        "allotted_on": "2026-03-01",
        "allot_document": "街道文",
    }


EDITS = {
    "funds-transfer-allot": (
        "POST",
        lambda s: s.street_funds,
        [("communities", lambda o, s: _street_allot([o.community.pk]))],
    ),
    "vote-witnessed": (
        "POST",
        lambda s: s.vote,
        [
            ("voter", lambda o, s: _witnessed(s.vote, o.resident.pk, witness="张三")),
            ("witness_user", lambda o, s: _witnessed(s.vote, s.resident.pk, witness_user=o.user.pk)),
        ],
    ),
    "vote-paper-codes": ("POST", lambda s: s.vote, [("voters", lambda o, s: {"voters": [o.resident.pk]})]),
    "representative-election-correct": (
        "POST",
        lambda s: s.election,
        [
            ("gathering", lambda o, s: {"gathering": o.gathering.pk, "reason": "会议登记错误"}),
            ("vote", lambda o, s: {"vote": o.vote.pk, "note": "更正", "reason": "投票登记错误"}),
        ],
    ),
    "household-members": ("POST", lambda s: s.household, [("user", lambda o, s: {"user": o.resident.pk})]),
    "household-remove-member": (
        "POST",
        lambda s: s.household,
        [("user", lambda o, s: {"user": o.neighbour.pk})],
    ),
    "party-org-detail": (
        "PATCH",
        lambda s: s.branch,
        [
            ("area", lambda o, s: {"area": o.grid.pk}),
            ("parent", lambda o, s: {"parent": o.org.pk}),
            ("secretary", lambda o, s: {"secretary": o.user.pk}),
        ],
    ),
    "gathering-detail": (
        "PATCH",
        lambda s: s.review_meeting,
        [("area", lambda o, s: {"area": o.street.pk})],
    ),
    "venue-detail": ("PATCH", lambda s: s.venue, [("area", lambda o, s: {"area": o.community.pk})]),
    "campaign-detail": (
        "PATCH",
        lambda s: s.campaign,
        [
            ("area", lambda o, s: {"area": o.community.pk}),
            ("organization", lambda o, s: {"organization": o.branch.pk}),
        ],
    ),
    "brand-detail": ("PATCH", lambda s: s.brand, [("area", lambda o, s: {"area": o.community.pk})]),
    "notice-detail": ("PATCH", lambda s: s.notice, [("area", lambda o, s: {"area": o.community.pk})]),
    "member-detail": ("PATCH", lambda s: s.member, [("branch", lambda o, s: {"branch": o.branch.pk})]),
    "entity-detail": (
        "PATCH",
        lambda s: s.entity,
        [
            ("area", lambda o, s: {"area": o.community.pk}),
            ("party_org", lambda o, s: {"status": "joint", "party_org": o.branch.pk}),
        ],
    ),
    "site-meeting-detail": (
        "PUT",
        lambda s: s.site_meeting,
        [
            ("host_area", lambda o, s: _site_meeting(o.community.pk, practice_area=s.community.pk)),
            ("practice_area", lambda o, s: _site_meeting(s.community.pk, practice_area=o.community.pk)),
            (
                "visiting_orgs",
                lambda o, s: _site_meeting(
                    s.community.pk, practice_area=s.community.pk, visiting_orgs=[o.org.pk]
                ),
            ),
            (
                "inspection",
                lambda o, s: {
                    "host_area": s.community.pk,
                    "shows": "rectification",
                    "inspection": o.inspection.pk,
                },
            ),
        ],
    ),
    "orglife-report-detail": (
        "PUT",
        lambda s: s.report,
        [
            (
                "attendance",
                lambda o, s: {"minutes": "纪要", "attendance": [{"member": o.member.pk, "present": True}]},
            )
        ],
    ),
    "work-report-take-transition:start_review": (
        "POST",
        lambda s: s.work_report,
        [
            ("meeting", lambda o, s: _review(o.review_meeting.pk, [s.reviewer.pk])),
            ("reviewers", lambda o, s: _review(s.review_meeting.pk, [o.reviewer.pk])),
        ],
    ),
    "service-item-claim": (
        "POST",
        lambda s: s.need,
        [("partner", lambda o, s: {"partner": o.partner.pk, "planned_on": _soon()})],
    ),
    "partner-detail": (
        "PATCH",
        lambda s: s.partner,
        [
            ("area", lambda o, s: {"area": o.community.pk}),
            ("party_org", lambda o, s: {"party_org": o.branch.pk}),
            ("entity", lambda o, s: {"entity": o.entity.pk}),
        ],
    ),
    "joint-body-detail": (
        "PATCH",
        lambda s: s.joint_body,
        [("members", lambda o, s: {"members": [o.partner.pk]})],
    ),
    "joint-meeting-decisions": (
        "POST",
        lambda s: s.joint_meeting,
        [
            (
                "owner_partner",
                lambda o, s: {"text": "落实", "due_on": _later(5), "owner_partner": o.partner.pk},
            ),
            ("owner_user", lambda o, s: {"text": "落实", "due_on": _later(5), "owner_user": o.official.pk}),
        ],
    ),
    "joint-meeting-attendance": (
        "POST",
        lambda s: s.joint_meeting,
        [("rows", lambda o, s: {"rows": [{"partner": o.partner.pk, "present": True}]})],
    ),
    "area-move": ("POST", lambda s: s.grid, [("new_parent", lambda o, s: {"new_parent": o.community.pk})]),
    "orglife-report-appraisals": (
        "POST",
        lambda s: s.review_report,
        [("grades", lambda o, s: {"grades": [{"member": o.member.pk, "grade": "excellent"}]})],
    ),
    "study-plan-sessions": (
        "POST",
        lambda s: s.study_plan,
        [
            (
                "gathering",
                lambda o, s: {
                    "topic": "学习",
                    "planned_on": f"{o.study_plan.year}-06-30",  # inside the plan's year on any date
                    "gathering": o.gathering.pk,
                },
            )
        ],
    ),
    "instructor-assignments": (
        "POST",
        lambda s: s.instructor,
        [("entity", lambda o, s: {"entity": o.entity.pk})],
    ),
    "site-meeting-lesson-task": (
        "POST",
        lambda s: s.lesson,
        [
            (
                "affair",
                lambda o, s: {"deadline": _later(), "target_level": Level.COMMUNITY, "affair": o.affair.pk},
            ),
            (
                "office",
                lambda o, s: {
                    "deadline": _later(),
                    "target_level": Level.COMMUNITY,
                    "office": o.office.pk,
                    "affair": s.affair.pk,
                },
            ),
        ],
    ),
    "assessment-scheme-items": (
        "POST",
        lambda s: s.scheme,
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
    "opinion-group": ("POST", lambda s: s.opinion, [("matter", lambda o, s: {"matter": o.matter.pk})]),
    "matter-plan": (
        "POST",
        lambda s: s.executing,
        [
            (
                "owner",
                lambda o, s: {
                    "owner": o.resident.pk,
                    "milestones": [{"title": "施工", "weight": 100, "planned_on": _later(10)}],
                },
            )
        ],
    ),
    "negotiation-parties": (
        "POST",
        lambda s: s.negotiation,
        [("partner", lambda o, s: {"kind": "unit", "partner": o.partner.pk})],
    ),
    "matter-decision": (
        "POST",
        lambda s: s.heard_matter,
        [
            ("area", lambda o, s: _decision(area=o.courtyard.pk)),
            ("electors", lambda o, s: _decision(electorate="representatives", electors=[o.resident.pk])),
        ],
    ),
}

ALLOWED = {
    "gathering-invite": "usernames: anyone may be invited to a gathering (the page's invitation form"
    " takes the same names; tests/gatherings)",
    "agency-detail": "head: a stationed agency's head is sent by a county department and holds no grant in"
    " the street (any active account by username, as the page's form)",
    "member-account": "username: the member's own account, linked by its holder's username",
    "verification-take-transition:resubmit": "area: the resident's own home area, anywhere in the city",
}

NO_REFERENCE = {
    "campaign-close": "no body (the campaign in the URL)",
    "campaign-award": "no body (the campaign in the URL)",
    "campaign-open-vote": "the window's times only",
    "campaign-publicity": "winners: ids among the campaign's own candidates (others refused,"
    " tests/virtue/test_campaigns.py)",
    "nomination-review": "the review's result and reason",
    "nomination-withdraw": "no body (the nomination in the URL)",
    "nomination-materials": "files only (the nomination in the URL)",
    "campaign-cancel": "a reason only",
    "objection-answer": "the answer's text",
    "legal-station-detail": "name, address, hours and phone only (a station keeps its community)",
    "legal-station-workers": "user: a ChoiceOfRecordField of the legal workers of the station's own community"
    " (another community's refused, tests/lawgov/test_station_setup.py); name, role, organization as text",
    "legal-station-remove-worker": "worker: a ChoiceOfRecordField of the station's own workers",
    "legal-station-sessions": "a body's name, times, the rule and a capacity only (the station's community)",
    "legal-station-education": "times, place, text and a capacity only (the station's community)",
    "pairing-commitments": "a commitment's text only",
    "pairing-services": "a service's date, content and hours only",
    "pairing-end": "the reason only",
    "gathering-series-detail": "title, place, text, capacity and times only (a series keeps its area)",
    "gathering-series-cancel": "a day and a reason only",
    "partner-resources": "kind, name, quantity, unit and note of the partner's own resource",
    "partner-remove-resource": "resource: looked up among the partner's own resources only (404 otherwise)",
    "agreement-renew": "dates and the signed file only (the same sides as the agreement renewed)",
    "agreement-end": "the reason only",
    "service-item-detail": "title, category, shares, unit and dates only (a need keeps its community, year)",
    "service-item-publish": "no body",
    "claim-rate": "a score and a comment only",
    "dispute-sessions": "a time, place, mediators' names and the record: text only",
    "dispute-confirmation": "a date and the court's name only (the judicial confirmation of the case's own"
    " agreement)",
    "dispute-take-transition": "steps without fields of their own (start_mediation: a comment)",
    "dispute-take-transition:settle": "the agreement's text and an upload only",
    "dispute-take-transition:escalate": "the reason only (the next level is the case's own)",
    "dispute-take-transition:refer": "kind: a choice among the kinds of mediation",
    "dispute-take-transition:close": "advice: a choice (litigation, arbitration, other)",
    "dispute-take-transition:visit": "a note and a yes/no only",
    "claim-take-transition": "steps without fields of their own",
    "claim-take-transition:deliver": "a date, a count, text and an upload only",
    "joint-meeting-minutes": "text only",
    "joint-meeting-held": "no body",
    "action-item-take-transition": "steps without fields of their own (the note and evidence files)",
    "opinion-support": "no body",
    "venue-photos": "an image and a caption only",
    "store-item-detail": "name, description, price, on the shelf only (the item keeps its community; the"
    " stock only by store-item-restock)",
    "store-item-restock": "a quantity and its submission token only (the item in the URL)",
    "store-item-exchange": "no body (the caller spends their own points on the item in the URL)",
    "store-item-photo": "an image only (the item in the URL)",
    "exchange-pick-up": "no body",
    "exchange-cancel": "a reason only",
    "points-entry-reverse-entry": "a reason only",
    "brand-activities": "title, times, place, text, capacity, a yes/no (in the brand's own area)",
    "environmental-action-sign-up": "no body",
    "environmental-action-cancel-sign-up": "no body",
    "environmental-action-check-in": "a check-in code only",
    "environmental-action-check-in-person": "username: a person on the action's own list (refused otherwise)",
    "environmental-action-renew-code": "no body",
    "visit-close": "a note only (the follow-up's result)",
    "opinion-take-transition": "steps without fields of their own",
    "matter-take-transition": "steps without fields of their own",
    "hearing-take-transition": "the gathering's steps: comment and attachments only",
    "matter-hearing": "times, place, text and guests' names only (a gathering of the matter's own area)",
    "matter-comments": "text only",
    "matter-complete-milestone": "milestone: looked up among the matter's own milestones (404 otherwise)",
    "matter-updates": "text and a photo only",
    "matter-spending": "amount, date, note and evidence only",
    "matter-checks": "a finding and a photo only",
    "evaluation-ratings": "level and comment only (the round in the URL)",
    "supervisor-remove": "no body",
    "dispute-mediators": "users: the mediators of the committee handling the case (ChoiceOfRecordField;"
    " another street's mediator refused, tests/lawgov/test_dispute_steps.py)",
    "negotiation-sessions": "times, place and agenda only (a gathering of the negotiation's own area)",
    "negotiation-positions": "session and party: ChoiceOfRecordFields of the negotiation's own",
    "negotiation-follow-ups": "owner: a ChoiceOfRecordField of the negotiation's own parties",
    "negotiation-follow-up-done": "item: a ChoiceOfRecordField of the negotiation's own items",
    "negotiation-take-transition": "steps without fields of their own (the reason is the comment)",
    "negotiation-take-transition:agree": "the agreement's text and file only",
    "convention-discussion": "a time only",
    "convention-comments": "text only",
    "convention-vote": "window, quorum and rules only (the electorate is the convention's own courtyard)",
    "convention-settle": "no body",
    "convention-amend": "no body",
    "convention-sign": "no body",
    "area-detail": "name and code only",
    "area-retire": "a reason only",
    "party-org-retire": "no body",
    "gathering-attendance": "usernames of the gathering's own participants",
    "legal-session-book": "no body (the resident books a place for themself)",
    "legal-session-cancel": "no body",
    "legal-session-take-transition": "the gathering's steps: comment and attachments only",
    "gathering-cancel-sign-up": "no body",
    "gathering-check-in": "no body",
    "gathering-check-out": "no body",
    "gathering-decisions": "owner: a ChoiceOfRecordField of the gathering's own participants",
    "gathering-minutes": "text only",
    "gathering-guests": "name, organization and role as text (a participant without an account)",
    "gathering-remove-guest": "guest: looked up among the gathering's own guests only (404 otherwise)",
    "gathering-photos": "an upload only",
    "gathering-sign-up": "no body",
    "gathering-take-transition": "steps without fields of their own: comment and attachments only",
    "activity-sign-up": "no body",
    "activity-cancel": "no body",
    "activity-check-in": "user (organizers): a person of the activity's own list, else 400 (tests/cogov)",
    "activity-check-out": "user (organizers): a person of the activity's own list, else 400 (tests/cogov)",
    "activity-times": "user: a person of the activity's own list, else 400; times only",
    "activity-confirm-hours": "no body",
    "activity-reverse-hours": "credit: a credit of the activity in the URL, else 400; a reason",
    "activity-take-transition": "the gathering's steps without fields of their own: comment and attachments",
    "document-attachments": "an upload only",
    "document-draft": "sections' text only",
    "document-new-draft": "a note only",
    "document-publish": "no body",
    "document-read": "no reference",
    "document-remove-attachment": "attachment: one of the document's own",
    "vote-ballots": "options of the vote itself",
    "vote-paper-ballots": "a paper code and options of the vote itself",
    "representative-retire": "a date only",
    "vote-close": "no body",
    "vote-publish": "no body",
    "vote-receipt": "a receipt code",
    "data-request-take-transition": "steps without fields of their own",
    "member-dues": "category: a dues bracket of the national table (not an area's record)",
    "member-take-transition": "steps without fields of their own",
    "member-take-transition:mark_mobile": "free text only",
    "registration-take-transition": "steps without fields of their own",
    "transfer-take-transition": "steps without fields of their own",
    "transfer-take-transition:release": "a letter number only",
    "mine-take-transition": "steps without fields of their own",
    "admitted-affair-end": "a date and reason only",
    "admission-request-take-transition": "steps without fields of their own",
    "funds-transfer-take-transition": "steps without fields of their own",
    "funds-transfer-take-transition:transfer": "a date and document number only",
    "funds-transfer-take-transition:receive": "a date only",
    "duty-task-issue": "the draft's own fields, checked as at creation (duty-task-list in writes.py)",
    "duty-assignment-office": "office: a ChoiceOfRecordField of the assignment's area's offices",
    "duty-assignment-take-transition": "steps without fields of their own",
    "office-retire": "no body",
    "orglife-plan-detail": "items' text and times only",
    "orglife-plan-take-transition": "steps without fields of their own",
    "orglife-guidance-take-transition": "steps without fields of their own",
    "orglife-plan-take-transition:approve": "text only",
    "orglife-plan-take-transition:return_plan": "text only",
    "orglife-report-photos": "an upload only",
    "orglife-report-take-transition": "steps without fields of their own",
    "verification-take-transition": "steps without fields of their own",
    "work-report-detail": "title and content only",
    "work-report-score": "a score only",
    "work-report-take-transition": "steps without fields of their own",
    "finding-take-transition": "steps without fields of their own",
    "assessment-score": "item: a ChoiceOfRecordField of the scheme's manual items",
    "assessment-scheme-compute": "no body",
    "assessment-scheme-copy": "a year only",
    "assessment-scheme-remove-item": "item: a ChoiceOfRecordField of the scheme's own items",
    "instructor-end-assignment": "assignment: a ChoiceOfRecordField of the instructor's open assignments",
    "instructor-visits": "entity: a ChoiceOfRecordField of the instructor's assigned entities",
    "service-team-records": "entity: a ChoiceOfRecordField of the team's entities",
}

NOT_YET: dict[str, str] = {}
