"""The members demo step: tier S loads a few thousand members in the foundation's branches with realistic
proportions, valid and unique ID numbers, the demo accounts' own records and a sample of the five
precisions' records; running the loader again adds nothing; the same seed gives the same members."""

from __future__ import annotations

from collections import Counter
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings
from django.utils import timezone

from grassroots.accounts.models import User
from grassroots.areas.models import Area, PartyOrgKind
from grassroots.core.members.identity import validate_id_number
from grassroots.core.members.models import (
    CareVisit,
    ContactAttempt,
    DuesPayment,
    Member,
    MemberStatus,
    StudyRecord,
)

RELATED = (ContactAttempt, StudyRecord, DuesPayment, CareVisit)


def _seed() -> str:
    out = StringIO()
    call_command("seed_demo", stdout=out, tier="S", seed=1)
    return out.getvalue()


@pytest.fixture(scope="module")
def _seeded_module(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        with override_settings(
            DEBUG=True, PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]
        ):
            output = _seed()
    yield output
    with django_db_blocker.unblock():
        transaction.set_rollback(True)
        outer.__exit__(None, None, None)


@pytest.fixture
def seeded(_seeded_module, db, settings):
    settings.DEBUG = True
    return _seeded_module


def snapshot() -> dict:
    return {
        "members": sorted(
            Member.objects.values_list("name", "id_hash", "branch__name", "status", "birth_date")
        ),
        "tags": Member.tags.through.objects.count(),
        **{model.__name__: model.objects.count() for model in RELATED},
    }


def test_tier_s_has_a_few_thousand_members_in_realistic_proportions(seeded):
    members = list(Member.objects.select_related("branch"))
    total = len(members)
    assert 2_500 <= total <= 4_200  # with the members of the entities' own branches (step coverage)
    today = timezone.localdate()
    statuses = Counter(m.status for m in members)
    assert 0.01 <= statuses[MemberStatus.MOBILE] / total <= 0.06  # a few percent mobile
    assert 0 < statuses[MemberStatus.LOST_CONTACT] / total < 0.01  # under one percent lost contact
    assert 0.16 <= sum(m.age_on(today) >= 70 for m in members) / total <= 0.25  # about a fifth aged 70+
    assert 0.07 <= sum(m.is_probationary for m in members) / total <= 0.13
    assert all(m.branch.kind == PartyOrgKind.BRANCH for m in members)
    assert all(m.age_on(m.joined_probationary_on) >= 18 for m in members)  # 18 or older when joining
    for member in members:
        validate_id_number(member.id_number)
        assert member.birth_date.strftime("%Y%m%d") == member.id_number[6:14]
    assert all(m.mobile_location for m in members if m.status == MemberStatus.MOBILE)
    city = Area.objects.get(code="511800")
    assert not Member.objects.exclude(branch__area__path__startswith=city.path).exists()


def test_the_sample_of_the_five_precisions_and_the_demo_accounts(seeded):
    assert (
        ContactAttempt.objects.exists()
        and not ContactAttempt.objects.exclude(
            member__status__in=[MemberStatus.MOBILE, MemberStatus.LOST_CONTACT]
        ).exists()
    )
    assert StudyRecord.objects.count() > 1_000 and DuesPayment.objects.count() > 1_000
    assert CareVisit.objects.exists()
    tagged = Counter(Member.tags.through.objects.values_list("membertag__kind", flat=True))
    assert tagged["tag"] and tagged["skill"] and tagged["care"]
    community = Area.objects.get(code="511802001001")  # 东大街社区
    for username in ("member", "secretary"):
        user = User.objects.get(username=username)
        record = Member.objects.get(user=user)
        assert record.name == user.full_name and record.branch.area.path.startswith(community.path)
    assert Member.objects.filter(branch__area__path__startswith=community.path).count() >= 50


def test_every_member_joined_as_an_adult_and_not_after_today(seeded):
    """No member of 95 who joined this year: the join date lies between the 18th birthday and the local
    today, and the join years spread over the decades."""
    today = timezone.localdate()
    rows = list(Member.objects.values_list("birth_date", "joined_probationary_on", "joined_full_on"))
    assert rows
    for birth, joined, full in rows:
        try:
            adult = birth.replace(year=birth.year + 18)
        except ValueError:  # born on 29 February
            adult = birth.replace(year=birth.year + 18, day=28)
        assert adult <= joined <= today, (birth, joined)
        assert full is None or joined < full <= today
        if full is None:  # a probationary member joined within the year: a young one
            assert (today - birth).days < 40 * 366, (birth, joined)
    assert len({joined.year for _b, joined, _f in rows}) >= 30


def test_running_the_loader_again_adds_nothing(seeded):
    before = snapshot()
    _seed()
    assert snapshot() == before


def test_the_same_seed_gives_the_same_members(seeded):
    """The generator draws everything from the step's own random stream: the same seed gives the same
    members for the same branches, another seed others (checked on the prepared records, before writing)."""
    from grassroots.core.members import demo
    from grassroots.demo.registry import SeedContext
    from grassroots.demo.tiers import TIERS

    city = Area.objects.get(code="511800")
    counties = list(Area.objects.filter(depth=city.depth + 1, path__startswith=city.path).order_by("path"))
    branches = list(demo._branches().order_by("area__path", "pk").values_list("id", "area__path")[:50])
    tags = demo._ensure_tags()

    def prepared(seed: int) -> list[tuple]:
        ctx = SeedContext(seed=seed, tier=TIERS["S"], counties=counties, log=lambda _m: None)
        ctx.rng = ctx.rng_for("members")
        writer = demo._Writer(ctx, tags)
        for branch_id, path in branches:
            for _ in range(4):
                writer.add(branch_id, path, [], False)
        return [
            (m.name, m.id_number, m.birth_date, m.status, m.branch_id, tuple(t))
            for m, t, _l in writer.pending
        ]

    first = prepared(1)
    assert len(first) == 200 and prepared(1) == first
    assert prepared(2) != first


def test_a_member_who_left_the_party_is_in_the_demo_with_a_closed_record(seeded, client):
    """One member of 东大街社区 left the Party (已出党): the step 登记出党 with its way and approval, on the
    record's page and its timeline."""
    community = Area.objects.get(code="511802001001")
    left = Member.objects.get(status=MemberStatus.LEFT, branch__area__path__startswith=community.path)
    client.force_login(User.objects.get(username="secretary"))
    page = client.get(left.get_absolute_url())
    assert page.status_code == 200
    text = page.content.decode()
    assert "已出党" in text and "东组〔2026〕12号" in text
