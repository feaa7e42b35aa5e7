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

from django.utils import timezone

from grassroots.accounts.roles import Role
from grassroots.core.assessments.models import Finding, SiteMeeting, WorkReport
from grassroots.core.coverage.models import Entity
from grassroots.core.orglife.models import OrgLifeReport
from grassroots.gatherings.models import Gathering
from tests.factories import make_user


def furnish(s, prefix: str) -> None:
    """The records a side's edits change, beyond writes.side's: an entity, a site meeting, an orglife report
    in draft, a submitted work report with a review meeting and an official of the street to review it."""
    now = timezone.now()
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


def _site_meeting(host_area, **shows):
    body = {"host_area": host_area, "shows": "practice", "practice": "做法"}
    return body | shows


def _review(meeting, reviewers):
    return {"meeting": meeting, "reviewers": reviewers}


EDITS = {
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
    "area-move": ("POST", lambda s: s.grid, [("new_parent", lambda o, s: {"new_parent": o.community.pk})]),
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
    "opinion-support": "no body",
    "opinion-take-transition": "steps without fields of their own",
    "matter-take-transition": "steps without fields of their own",
    "hearing-take-transition": "the gathering's steps: comment and attachments only",
    "matter-hearing": "times, place, text and guests' names only (a gathering of the matter's own area)",
    "matter-comments": "text only",
    "area-detail": "name and code only",
    "area-retire": "a reason only",
    "party-org-retire": "no body",
    "gathering-attendance": "usernames of the gathering's own participants",
    "gathering-cancel-sign-up": "no body",
    "gathering-check-in": "no body",
    "gathering-decisions": "owner: a ChoiceOfRecordField of the gathering's own participants",
    "gathering-minutes": "text only",
    "gathering-photos": "an upload only",
    "gathering-sign-up": "no body",
    "gathering-take-transition": "steps without fields of their own: comment and attachments only",
    "document-attachments": "an upload only",
    "document-draft": "sections' text only",
    "document-new-draft": "a note only",
    "document-publish": "no body",
    "document-read": "no reference",
    "document-remove-attachment": "attachment: one of the document's own",
    "vote-cast": "an option of the vote itself",
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

NOT_YET = {
    "opinion-group": "matter: read through selectors.visible_matters (404 outside) and refused at `matter`"
    " unless of the opinion's community (tests/selfgov; not sent yet)",
    "matter-decision": "area and electors: refused at their field unless inside the matter's community /"
    " voting area (tests/selfgov; not sent yet)",
    "orglife-report-appraisals": "grades' member: a ChoiceOfRecordField of the report's roster"
    " (not sent yet)",
    "study-plan-sessions": "gathering: ScopedPrimaryKeyRelatedField (not sent yet)",
    "instructor-assignments": "entity: ScopedPrimaryKeyRelatedField on visible entities (not sent yet)",
    "site-meeting-lesson-task": "affair, office, targets: checked by duties.issue_task as duty-task-list"
    " (not sent yet)",
    "assessment-scheme-items": "standard_item: ScopedPrimaryKeyRelatedField (not sent yet)",
}
