"""The change log names who acted also when the API authenticated a token (after auditlog's middleware ran)
— one token write in each part whose API writes a tracked record — and, for a background job, its
requester."""

import pytest
from auditlog.models import LogEntry
from django.core.files.base import ContentFile
from rest_framework.test import APIClient

from grassroots.accounts.models import RoleGrant
from grassroots.accounts.roles import Role
from grassroots.areas.models import Area, PartyOrg
from grassroots.areas.services import create_area
from grassroots.audit.actor import acting_for_job
from grassroots.core.assessments.models import AgencyHeadReview
from grassroots.core.assessments.services import people as assessment_people
from grassroots.core.members.models import ContactAttempt
from grassroots.imports.models import ImportJob
from grassroots.imports.runner import run_export_job, run_import_job
from tests.factories import api_token, make_party_org, make_user
from tests.members.fixtures_records import branch_x, general  # noqa: F401  (fixtures of `person`)
from tests.members.fixtures_records import person as person


def api_for(user) -> APIClient:
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {api_token(user)}")
    return api


def entry_for(instance) -> LogEntry:
    return LogEntry.objects.get_for_object(instance).latest("timestamp", "pk")


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def test_accounts_a_grant_by_token_names_the_grantor(cast, tree):
    body = {"user": cast.resident.pk, "role": Role.GRID_WORKER, "area": tree.grid_a.pk}
    response = api_for(cast.street_a).post("/api/grants/", body, format="json", REMOTE_ADDR="10.1.2.3")
    assert response.status_code == 201, response.content
    entry = entry_for(RoleGrant.objects.get(pk=response.json()["id"]))
    assert entry.actor == cast.street_a
    assert entry.remote_addr == "10.1.2.3"


def test_areas_an_area_and_an_organization_by_token_name_the_actor(cast, tree):
    api = api_for(cast.street_a)
    response = api.post(
        "/api/areas/", {"parent": tree.community_a.pk, "name": "第二网格", "level": 5}, format="json"
    )
    assert response.status_code == 201, response.content
    assert entry_for(Area.objects.get(pk=response.json()["id"])).actor == cast.street_a
    org = make_party_org("桥楼社区党委", tree.community_a, kind="committee")
    response = api.patch(f"/api/party-orgs/{org.pk}/", {"name": "桥楼社区党委（新）"}, format="json")
    assert response.status_code == 200, response.content
    assert entry_for(PartyOrg.objects.get(pk=org.pk)).actor == cast.street_a


def test_members_a_contact_attempt_by_token_names_the_actor(cast, tree, person):
    member = person("张晓")
    response = api_for(cast.secretary).post(
        "/api/contact-attempts/", {"member": member.pk, "method": "phone"}, format="json"
    )
    assert response.status_code == 201, response.content
    assert entry_for(ContactAttempt.objects.get()).actor == cast.secretary


def test_assessments_an_agency_review_by_token_names_the_reviewer(cast, tree):
    head = make_user("head", Role.STREET_OFFICIAL, tree.street_a)
    agency = assessment_people.create_agency(
        actor=cast.street_a, street=tree.street_a, name="青江司法所", head=head
    )
    body = {"agency": agency.pk, "year": 2025, "score": "90", "comments": "好"}
    response = api_for(cast.street_a).post("/api/agency-reviews/", body, format="json")
    assert response.status_code == 201, response.content
    assert entry_for(AgencyHeadReview.objects.get()).actor == cast.street_a


def test_a_rejected_token_names_nobody_and_writes_nothing(cast, tree):
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION="Token not-a-token")
    response = api.post(
        "/api/areas/", {"parent": tree.community_a.pk, "name": "第二网格", "level": 5}, format="json"
    )
    assert response.status_code == 401
    assert not Area.objects.filter(name="第二网格").exists()


def test_a_background_job_names_its_requester(cast, tree):
    """What the worker runs for a recorded job (`run_import_job`, `run_export_job`) is wrapped in
    `acting_for_job`: outside any request, every tracked write of the job names the job's requester."""
    job = ImportJob.objects.create(
        kind="areas", created_by=cast.street_a, file=ContentFile(b"x", name="a.xlsx")
    )

    @acting_for_job(ImportJob)
    def run(*, job_id):
        return create_area(parent=tree.community_a, name="第二网格", level=5, actor=None)

    area = run(job_id=job.pk)
    assert entry_for(area).actor == cast.street_a
    outside = create_area(parent=tree.community_a, name="第三网格", level=5, actor=None)
    assert entry_for(outside).actor is None  # the system, when no job names anyone
    assert run_import_job.__wrapped__ is not None and run_export_job.__wrapped__ is not None  # both wrapped


# --- the address ----------------------------------------------------------------------------------------


def grant_entry(cast, tree, **extra) -> LogEntry:
    """The change-log entry of a grant made by token with these request headers."""
    body = {"user": cast.resident.pk, "role": Role.GRID_WORKER, "area": tree.grid_a.pk}
    response = api_for(cast.street_a).post("/api/grants/", body, format="json", **extra)
    assert response.status_code == 201, response.content
    return entry_for(RoleGrant.objects.get(pk=response.json()["id"]))


def test_the_change_log_ignores_a_forwarded_for_from_an_untrusted_client(cast, tree, settings):
    settings.TRUSTED_PROXIES = []
    entry = grant_entry(
        cast,
        tree,
        REMOTE_ADDR="10.1.2.3",
        HTTP_X_FORWARDED_FOR="198.51.100.66",
        HTTP_X_FORWARDED_PORT="4444",
    )
    assert (entry.remote_addr, entry.remote_port) == ("10.1.2.3", None)


def test_behind_a_trusted_proxy_the_change_log_names_the_client(cast, tree, settings):
    settings.TRUSTED_PROXIES = ["10.0.0.1"]
    # the left entry is the client's own claim
    entry = grant_entry(cast, tree, REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="1.1.1.1, 203.0.113.9")
    assert entry.remote_addr == "203.0.113.9"
