"""Fixtures of the audit tests: a second county beside the cast's 雨城区, with people in it, and auditors
scoped to each county."""

from types import SimpleNamespace

import pytest
from auditlog.models import LogEntry
from django.utils import timezone

from grassroots.accounts.roles import Role
from grassroots.audit.models import AuditEvent
from grassroots.audit.services import attach_scope
from tests.factories import Level, make_area, make_user


@pytest.fixture
def county2(tree):
    """名山区 (a second county of the city) with one street and one community."""
    county = make_area("名山区", Level.COUNTY, tree.city, code="511803")
    street = make_area("蒙阳街道", Level.STREET, county, code="511803001")
    community = make_area("城东社区", Level.COMMUNITY, street, code="511803001001")
    return SimpleNamespace(county=county, street=street, community=community)


@pytest.fixture
def people(cast, tree, county2):
    """county_auditor: auditor on 雨城区; mingshan_auditor: auditor on 名山区; mingshan_resident and
    mingshan_official live / work in 名山区."""
    return SimpleNamespace(
        county_auditor=make_user("county_auditor", Role.AUDITOR, tree.county),
        mingshan_auditor=make_user("mingshan_auditor", Role.AUDITOR, county2.county),
        mingshan_resident=make_user(
            "mingshan_resident", Role.RESIDENT, county2.community, home_area=county2.community
        ),
        mingshan_official=make_user("mingshan_official", Role.STREET_OFFICIAL, county2.street),
    )


def old_event(*, days: int, kind: str = AuditEvent.Kind.LOGIN, username: str = "old", scope_path: str = ""):
    return AuditEvent.objects.create(
        kind=kind,
        username=username,
        scope_path=scope_path,
        timestamp=timezone.now() - timezone.timedelta(days=days),
    )


def old_entry(instance, *, days: int) -> LogEntry:
    """A change entry about `instance` written `days` ago (with its scope row)."""
    entry = LogEntry.objects.log_create(
        instance,
        action=LogEntry.Action.UPDATE,
        changes={"name": ["旧", "新"]},
        force_log=True,
        timestamp=timezone.now() - timezone.timedelta(days=days),
    )
    attach_scope(entry=entry, instance=instance)
    return entry
