"""Double submission over the web pages: every page that creates a record a double click could repeat has an
idempotency rule — a submission token in its form (portal/submissions.py) or a natural unique key — and a
new create page that has neither fails `test_every_create_page_is_classified`.

The bodies are the controls of tests/security/forms.py (street A's official, or the role named, posting
about street A's records; a form on a record's page: ON_RECORDS): the same body with one token posted
three times writes one record, and the page shown carries a fresh token. On PostgreSQL, six identical posts
at the same moment write one record (representatives in CONCURRENT: a dispute filed by a grid worker, a
visit of the grid workers' log, a gathering's decision, a consultation, a station's session, an agreement, a
joint meeting, a matter, a campaign, a notice, a good's 入库). The API's `submission`:
test_submission_tokens_api.py."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from grassroots.cogov.models import Agreement, ServiceItem
from grassroots.core.admission.models import AdmissionRequest, AdmittedAffair
from grassroots.core.assessments.models import AssessmentItem, Inspection, SiteMeeting
from grassroots.core.coverage.models import Entity, Instructor, ServiceTeam
from grassroots.core.duties.models import DutyTask
from grassroots.core.members.models import CareVisit, ContactAttempt
from grassroots.core.orglife.models import OrgLifeReport
from grassroots.documents.models import Attachment, Document
from grassroots.gatherings.models import Decision, Gathering, Photo
from grassroots.gridwork.models import Visit
from grassroots.lawgov.models_disputes import Dispute
from grassroots.lawgov.models_pairings import Pairing, PairingService
from grassroots.lawgov.models_stations import Consultation, LegalSession
from grassroots.portal.models import Notice
from grassroots.selfgov.models import Matter, Opinion
from grassroots.selfgov.models_negotiations import Negotiation
from grassroots.virtue.models_campaigns import Campaign
from grassroots.virtue.models_points import StockEntry, StoreItem
from grassroots.voting.models import Vote
from tests.concurrency import race, server_db_only
from tests.gatherings.conftest import png_upload
from tests.security import edits, forms, writes
from tests.security.records import outsiders
from tests.security.test_cross_area_forms import web_post_routes
from tests.security.test_enumeration import enumerate_patterns

# route → the model whose records it creates, with the form's token (portal/submissions.py)
TOKENED = {
    "portal:notice_create": Notice,
    "members:care_visit_add": CareVisit,
    "members:contact_attempt_add": ContactAttempt,
    "lawgov:dispute_new": Dispute,
    "lawgov:dispute_intake": Dispute,
    "lawgov:station_dispute_new": Dispute,
    "selfgov:opinion_create": Opinion,
    "selfgov:opinion_record": Opinion,
    "gridwork:visit_list": Visit,
    "gatherings:create": Gathering,
    "duties:task_create": DutyTask,
    "duties:breakdown": DutyTask,
    "documents:create": Document,
    "gatherings:add_decision": Decision,
    "gatherings:add_photo": Photo,
    "lawgov:pairing_new": Pairing,
    "lawgov:pairing_step": PairingService,
    "lawgov:station_consultations": Consultation,
    "lawgov:session_create": LegalSession,
    "lawgov:education_create": Gathering,
    "cogov:agreement_create": Agreement,
    "cogov:need_create": ServiceItem,
    "cogov:joint_meeting_create": Gathering,
    "selfgov:matter_create": Matter,
    "selfgov:negotiation_create": Negotiation,
    "virtue:campaign_create": Campaign,
    "documents:attachment_add": Attachment,
    "admission:affair_create": AdmittedAffair,
    "admission:request_create": AdmissionRequest,
    "assessments:inspection_create": Inspection,
    "assessments:item_add": AssessmentItem,
    "assessments:site_meeting_create": SiteMeeting,
    "coverage:entity_create": Entity,
    "coverage:instructor_create": Instructor,
    "coverage:team_create": ServiceTeam,
    "orglife:report_unplanned": OrgLifeReport,
    "voting:create": Vote,
    "virtue:store_item_restock": StockEntry,
}
# tokened pages whose body is not in forms.FORMS: their repeat is proven where they live
ELSEWHERE = {
    "members:care_visit_add": "tests/members/test_double_submission.py",
    "members:contact_attempt_add": "tests/members/test_double_submission.py",
    "admission:affair_create": "tests/admission/test_double_submission.py",
    "admission:request_create": "tests/admission/test_double_submission.py",
    "documents:attachment_add": "tests/documents/test_double_submission.py",
    "orglife:report_unplanned": "tests/orglife/test_double_submission.py",
}
# tokened forms on a record's page (an action or a step, bodies not in forms.FORMS): route → (URL kwargs,
# body(a), who posts, the page showing the form: a route taking the same kwargs, or its URL(a))
ON_RECORDS = {
    "gatherings:add_decision": (
        forms.pk("planned"),
        lambda a: {"text": "修缮车棚"},
        "official",
        "gatherings:detail",
    ),
    "gatherings:add_photo": (
        forms.pk("planned"),
        lambda a: {"image": png_upload(), "caption": "现场"},
        "official",
        "gatherings:detail",
    ),
    "lawgov:pairing_step": (
        lambda a: {"pk": _pairing(a).pk, "step": "service"},
        lambda a: {"done_on": timezone.localdate().isoformat(), "content": "走访", "hours": "1.5"},
        "official",
        lambda a: reverse("lawgov:pairing_detail", args=[_pairing(a).pk]),
    ),
    "lawgov:session_create": (
        forms.pk("legal_station"),
        lambda a: {
            "provider": "bar",
            "title": "法律咨询日",
            "capacity": 5,
            "start_time": "09:00",
            "duration_minutes": 60,
            "frequency": "weekly",
            "weekday": 2,
            "interval": 1,
            "starts_on": timezone.localdate().isoformat(),
        },
        "official",
        "lawgov:session_create",
    ),
    "lawgov:education_create": (
        forms.pk("legal_station"),
        lambda a: {"title": "普法讲座", "starts_at": _at(days=10), "ends_at": _at(days=10, hours=2)},
        "official",
        "lawgov:education_create",
    ),
    "virtue:store_item_restock": (
        lambda a: {"pk": _store_item(a).pk},
        lambda a: {"quantity": 2},
        "official",
        "virtue:store_item_edit",
    ),
    "cogov:joint_meeting_create": (
        forms.pk("joint_body"),
        lambda a: {
            "title": "联席会议",
            "starts_at": _at(days=7),
            "ends_at": _at(days=7, hours=2),
            "agenda": "共建项目",
        },
        "official",
        "cogov:joint_meeting_create",
    ),
}


def _pairing(a) -> Pairing:
    """Street A's cadre pairing with a household (made once per test)."""
    if not hasattr(a, "pairing"):
        a.pairing = Pairing.objects.create(
            kind="cadre",
            community=a.community,
            partner=a.partner,
            department="court",
            cadre=a.official,
            household=a.household,
            started_on=timezone.localdate() - timedelta(days=30),
            created_by=a.official,
        )
    return a.pairing


def _store_item(a) -> StoreItem:
    """A good of street A's community (made once per test)."""
    if not hasattr(a, "store_item"):
        a.store_item = StoreItem.objects.create(area=a.community, name="洗衣液", price=10, stock=5)
    return a.store_item


def _at(*, days: int, hours: int = 0) -> str:
    return (timezone.localtime() + timedelta(days=days, hours=hours)).strftime("%Y-%m-%dT%H:%M")


POSTED = sorted(name for name in TOKENED if name not in ELSEWHERE)
# route → its natural key (the repeat is the same record, or refused at a field)
KEYED = {
    "members:study_add": "member, day, course (tests/members/test_double_submission.py)",
    "members:dues_pay": "member, year, month (one_dues_payment_per_month)",
    "members:transfer_request": "one open transfer per member",
    "members:register_me": "one open registration per person",
    "members:registration_org": "one open registration per person",
    "members:create": "the ID number's hash (Member.id_hash)",
    "accounts:register": "the username",
    "accounts:account_create": "the username",
    "accounts:grant_create": "user, role, area (unique_role_grant)",
    "areas:create": "the area's code",
    "areas:create_root": "the area's code",
    "areas:party_org_create": "the organization's code",
    "duties:task_issue_draft": "a draft is issued once (“该任务已经下发”)",
    "virtue:campaign_nominate": "campaign and nominee (virtue_nomination_*_once)",
    "cogov:partner_create": "name and area (cogov_one_partner_per_name_and_area)",
    "cogov:joint_body_create": "area and name (cogov_one_joint_body_per_name)",
    "coverage:cross_create": "one open assignment per instructor and entity",
    "assessments:agency_create": "street and name (unique_agency_name_per_street)",
    "assessments:report_create": "Party organization and year (one_work_report_per_org_and_year)",
    "assessments:scheme_create": "area, year, level (one_scheme_per_area_year_level)",
    "orglife:plan_create": "branch, period (orglife_one_plan_per_period)",
    "selfgov:rulebook_start": "community and kind (selfgov_one_rulebook)",
    "voting:household_create": "area and name (voting_household_name)",
    "documents:new_draft": "one draft per document (documents_one_draft)",
    "documents:publish": "one published version per document (documents_one_published)",
    "lawgov:station_create": "one station per community (LegalStation.area, one-to-one)",
    "lawgov:occurrence_book": "gathering and user (unique_gathering_participant; a repeat: “您已报名”)",
    "lawgov:unit_register": "party organization and community (one_open_registration_per_org_and_community)",
    "selfgov:convention_start": "one convention per courtyard (Convention.courtyard, one-to-one)",
    "gatherings:add_guest": "gathering and name (one_guest_per_name; a repeat: “…已在参会名单中”)",
    "admission:funds_create": "affair, community, year (admission_funds_once_a_year; refused at 社区)",
    "privacy:submit": "one open request of each kind per person (privacy_one_open_request)",
    "voting:publish": "a vote is published once (its state, under a row lock: “该投票已发布”)",
}
# create pages not yet given a rule (none left: a new create page goes into TOKENED or KEYED)
NOT_YET: dict[str, str] = {}
# what looks like a create page: a path ending in new/, a name saying so; and the list pages with a form
LOOKS_LIKE_CREATE = re.compile(
    r"(^|/)new/$|(^|[:_])(create|add|new|nominate|record|register|book|file|submit|intake|pay|request|"
    r"issue|publish|start)"
)
CREATE_FORMS_ON_OTHER_PAGES = {"gridwork:visit_list", "lawgov:station_consultations", "duties:breakdown"}
# routes the pattern matches that create nothing a double click could repeat
NOT_CREATES = {
    "accounts:verification_resubmit": "a step of the resident's own verification (one open per user)",
    "lawgov:dispute_file": "the agreement's file of one case, replaced",
    "selfgov:negotiation_file": "the agreement's file of one negotiation, replaced",
    "cogov:agreement_file": "the file of one agreement, replaced",
    "imports:file": "the import's file, replaced (a job's state)",
    "virtue:action_renew_code": "replaces one code",
    "orglife:report_start": "one report per gathering",
    "members:registration_member": "one open registration per person",
    "assessments:report_start_review": "a step of one report",
    "documents:confirm_read": "documents_read_once",
}


@pytest.fixture
def sides(tree, cast, settings, tmp_path):
    """Street A's and street B's records, as tests/security/test_cross_area_forms.py furnishes them."""
    settings.MEDIA_ROOT = tmp_path / "media"
    b = writes.b_side(tree, outsiders(tree))
    a = writes.a_side(tree, cast)
    edits.furnish(b, "东城")
    edits.furnish(a, "青江")
    forms.furnish(b, "东城")
    forms.furnish(a, "青江")
    return a, b


def _candidates() -> set[str]:
    posts = web_post_routes()
    routes = {name: route for route, name, _p in enumerate_patterns() if name in posts}
    found = {name for name, route in routes.items() if LOOKS_LIKE_CREATE.search(f"{name} {route}")}
    return (found | CREATE_FORMS_ON_OTHER_PAGES) - set(NOT_CREATES)


def test_every_create_page_is_classified():
    tables = set(TOKENED) | set(KEYED) | set(NOT_YET)
    missing = _candidates() - tables
    assert not missing, (
        f"create pages without a rule against double submission: {sorted(missing)} — give the form a "
        "SubmissionField (portal/submissions.py) and list it in TOKENED, or name its natural key in KEYED"
    )
    assert not set(TOKENED) & set(KEYED), "a page is either tokened or keyed"
    assert set(POSTED) <= set(forms.FORMS) | set(ON_RECORDS), (
        "a tokened page: its body in forms.FORMS or ON_RECORDS, or in ELSEWHERE"
    )


def _control(name: str, side):
    """The URL posted to, a new body for each post, the sender, and the page showing the form."""
    if name in ON_RECORDS:
        kwargs, body, who, page = ON_RECORDS[name]
        url = reverse(name, kwargs=kwargs(side))
        page = page(side) if callable(page) else reverse(page, kwargs=kwargs(side))
        return url, lambda: body(side), getattr(side, who), page
    kwargs, cases = forms.FORMS[name]
    _field, body, who = (*cases[0], "official")[:3]
    url = reverse(name, kwargs=kwargs(side) if kwargs else None)
    return url, lambda: body(side, side), getattr(side, who), url


@pytest.mark.parametrize("name", POSTED)
def test_the_same_form_posted_three_times_writes_one_record(sides, client_for, name):
    a, _b = sides
    model = TOKENED[name]
    url, body, user, _page = _control(name, a)
    client = client_for(user)
    before = model.objects.count()
    token = "one-form-token-" + name.replace(":", "-")
    codes = [client.post(url, body() | {"submission": token}).status_code for _ in range(3)]
    assert model.objects.count() == before + 1, f"{name}: {codes}"
    assert model.objects.filter(submission=token).count() == 1
    assert codes == [codes[0]] * 3 and codes[0] in (200, 302), codes  # the repeat answers as the first
    client.post(url, body() | {"submission": "another-form"})  # another form: another record
    assert model.objects.count() == before + 2


PAGE_QUERY = {"duties:task_create": lambda a: {"area": a.street.pk}}


@pytest.mark.parametrize("name", POSTED)
def test_each_page_shown_carries_a_fresh_token(sides, client_for, name):
    a, _b = sides
    url, _body, user, page = _control(name, a)
    client = client_for(user)
    query = PAGE_QUERY.get(name, lambda a: {})(a)
    # the form posting to the route, on a record's page among its other forms
    form = "" if page == url else rf'action="{re.escape(url)}"[^>]*>.*?'
    tokens = []
    for _ in range(2):
        html = client.get(page, query).content.decode()
        found = re.search(form + r'name="submission" value="([^"]+)"', html, re.S)
        assert found, f"{name}: no submission token in the page"
        tokens.append(found.group(1))
    assert tokens[0] != tokens[1] and len(tokens[0]) >= 20


CONCURRENT = [
    "lawgov:dispute_intake",
    "gridwork:visit_list",
    "gatherings:add_decision",
    "lawgov:station_consultations",
    "lawgov:session_create",
    "cogov:agreement_create",
    "cogov:joint_meeting_create",
    "selfgov:matter_create",
    "virtue:campaign_create",
    "voting:create",
    "assessments:site_meeting_create",
    "portal:notice_create",
    "virtue:store_item_restock",
]


@server_db_only
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("name", CONCURRENT)
def test_six_identical_posts_at_once_write_one_record(sides, client_for, name):
    a, _b = sides
    model = TOKENED[name]
    url, body, user, _page = _control(name, a)
    clients = [client_for(user) for _ in range(6)]
    bodies = [body() | {"submission": "one-form-token"} for _ in clients]
    before = model.objects.count()
    codes: list[int] = []

    def post(sender):
        client, body = sender
        codes.append(client.post(url, body).status_code)

    outcomes = race(post, zip(clients, bodies, strict=True))
    assert outcomes == ["ok"] * 6, outcomes
    assert len(set(codes)) == 1 and codes[0] in (200, 302), codes
    assert model.objects.count() == before + 1
