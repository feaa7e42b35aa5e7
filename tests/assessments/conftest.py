"""Fixtures of the assessments tests: Party organizations on the cast's tree, a review meeting, a few more
officials, and helpers that go through the real services and workflow transitions."""

from __future__ import annotations

from datetime import date, timedelta
from types import SimpleNamespace

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from grassroots.accounts.roles import Role
from grassroots.core.assessments.services import inspections, reports
from grassroots.gatherings.services import create_gathering
from grassroots.workflow.services import transition
from tests.factories import Level, make_area, make_party_org, make_user

YEAR = 2025


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def orgs(tree, cast):
    """市委 › 区委 › 青江街道党工委 › 桥楼社区党总支 (secretary: cast.secretary) › 第一网格党支部;
    东城街道党工委 › 育才社区党总支."""
    city = make_party_org("中共雅安市委", tree.city, "committee")
    county = make_party_org("中共雨城区委", tree.county, "committee", city)
    street_a = make_party_org("青江街道党工委", tree.street_a, "committee", county)
    street_b = make_party_org("东城街道党工委", tree.street_b, "committee", county)
    community_a = make_party_org("桥楼社区党总支", tree.community_a, "general_branch", street_a)
    community_a.secretary = cast.secretary
    community_a.save()
    community_b = make_party_org("育才社区党总支", tree.community_b, "general_branch", street_b)
    grid_a = make_party_org("第一网格党支部", tree.grid_a, "branch", community_a)
    return SimpleNamespace(
        city=city,
        county=county,
        street_a=street_a,
        street_b=street_b,
        community_a=community_a,
        community_b=community_b,
        grid_a=grid_a,
    )


@pytest.fixture
def people(tree, cast):
    """More people: a second street official of 青江街道 (a reviewer), a county official, the grid worker of
    第一网格, and a verified resident of 育才社区's grid."""
    grid_b = make_area("育才第一网格", Level.GRID, tree.community_b)
    courtyard_b = make_area("育才院落", Level.COURTYARD, grid_b)
    return SimpleNamespace(
        street_a2=make_user("street_a2", Role.STREET_OFFICIAL, tree.street_a, full_name="李四"),
        county=make_user("county", Role.COUNTY_OFFICIAL, tree.county),
        grid=make_user("grid", Role.GRID_WORKER, tree.grid_a, full_name="杨帆"),
        resident_b=make_user(
            "resident_b", Role.RESIDENT, courtyard_b, home_area=courtyard_b, verified_at=timezone.now()
        ),
        courtyard_b=courtyard_b,
        grid_b=grid_b,
    )


@pytest.fixture
def meeting(tree, cast):
    """A review meeting (述职评议会) of 青江街道."""
    starts = timezone.now() + timedelta(days=2)
    return create_gathering(
        actor=cast.street_a,
        kind="review_meeting",
        title="青江街道党组织书记述职评议会",
        area=tree.street_a,
        starts_at=starts,
        ends_at=starts + timedelta(hours=3),
        visibility="invited",
    )


@pytest.fixture
def report(orgs, cast):
    """桥楼社区党总支's report of 2025: a draft by its secretary."""
    return reports.create_report(
        actor=cast.secretary, party_org=orgs.community_a, year=YEAR, content="一年来的党建工作情况。"
    )


@pytest.fixture
def publish(cast, people, meeting):
    """publish(report, scores) → submitted, reviewed at the meeting by street_a, street_a2 and the county
    official with `scores`, published by street_a."""

    def run(report, scores=(90, 80, 85), reviewers=None):
        reviewers = reviewers or [cast.street_a, people.street_a2, people.county][: len(scores)]
        transition(report, "submit", actor=report.reporter)
        reports.start_review(actor=cast.street_a, report=report, meeting=meeting, reviewers=reviewers)
        for reviewer, score in zip(reviewers, scores, strict=True):
            reports.score_report(reviewer=reviewer, report=report, score=score)
        report.refresh_from_db()
        transition(report, "publish", actor=cast.street_a)
        report.refresh_from_db()
        return report

    return run


@pytest.fixture
def inspection(tree, cast):
    """street_a's inspection of 桥楼社区, 60 days ago."""
    return inspections.create_inspection(
        actor=cast.street_a,
        area=tree.community_a,
        title="基层党建工作专项督察",
        inspected_on=timezone.localdate() - timedelta(days=60),
    )


@pytest.fixture
def add_finding(inspection, cast):
    """add_finding(**fields) → a finding of `inspection` owned by the community secretary, due in 30 days."""

    def make(**fields):
        values = {
            "description": "三会一课记录不完整",
            "owner": cast.secretary,
            "deadline": timezone.localdate() + timedelta(days=30),
        }
        values.update(fields)
        return inspections.add_finding(actor=cast.street_a, inspection=values.pop("of", inspection), **values)

    return make


def pdf(name="整改材料.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"%PDF-1.4\n% evidence\n", content_type="application/pdf")


def days(n: int) -> date:
    return timezone.localdate() + timedelta(days=n)


def add_children(parent, n: int, level: int, prefix: str):
    """`n` areas below `parent` written in bulk with treebeard's paths (as the demo loader does)."""
    from grassroots.areas.models import Area

    parent.refresh_from_db()
    start = parent.numchild
    rows = [
        Area(
            name=f"{prefix}{start + i + 1}",
            level=level,
            path=Area._get_path(parent.path, parent.depth + 1, start + i + 1),
            depth=parent.depth + 1,
            numchild=0,
        )
        for i in range(n)
    ]
    Area.objects.bulk_create(rows)
    Area.objects.filter(pk=parent.pk).update(numchild=start + n)
    parent.refresh_from_db()
    return list(Area.objects.filter(path__in=[r.path for r in rows]).order_by("path"))


@pytest.fixture
def providers():
    """Register figure providers for one test; the registry is restored afterwards."""
    from grassroots.core.assessments import figures

    saved = dict(figures._REGISTRY)
    yield figures
    figures._REGISTRY.clear()
    figures._REGISTRY.update(saved)
