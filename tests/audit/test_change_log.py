"""Changes to personal data, role grants, areas and Party organizations are logged with old and new values,
and each entry remembers the area it concerns."""

from auditlog.context import set_actor
from auditlog.models import LogEntry

from grassroots.accounts.models import RoleGrant
from grassroots.accounts.roles import Role
from grassroots.audit.models import AuditScope
from grassroots.audit.services import record_change
from tests.factories import make_party_org


def entries_for(instance, action=None):
    qs = LogEntry.objects.get_for_object(instance).select_related("audit_scope")
    return qs if action is None else qs.filter(action=action)


def test_a_phone_change_is_logged_with_old_and_new_values(cast, tree):
    resident = cast.resident
    resident.phone = "13800000001"
    resident.save()
    with set_actor(cast.worker):
        resident.phone = "13900000002"
        resident.save()
    entry = entries_for(resident, LogEntry.Action.UPDATE).latest()
    assert entry.changes == {"phone": ["138****0001", "139****0002"]}  # masked, as everywhere
    assert entry.actor == cast.worker
    assert entry.audit_scope.area_path == tree.courtyard_a.path


def test_passwords_and_last_login_are_never_logged(cast, client_for):
    client_for(cast.worker)  # updates last_login
    cast.worker.set_password("another-password-456")
    cast.worker.save()
    for entry in entries_for(cast.worker):
        assert "password" not in entry.changes
        assert "last_login" not in entry.changes
    assert not entries_for(cast.worker, LogEntry.Action.UPDATE).exists()


def test_every_personal_field_is_tracked(cast, tree):
    user = cast.resident
    user.full_name, user.email, user.is_active = "王小明", "wang@example.cn", False
    user.home_area = tree.grid_a
    user.save()
    changes = entries_for(user, LogEntry.Action.UPDATE).latest().changes
    assert set(changes) == {"full_name", "email", "is_active", "home_area"}
    assert changes["home_area"] == [str(tree.courtyard_a.pk), str(tree.grid_a.pk)]


def test_a_grant_is_logged_with_its_area_as_scope(cast, tree):
    with set_actor(cast.street_a):
        grant = RoleGrant.objects.create(
            user=cast.resident, role=Role.GRID_WORKER, area=tree.grid_a, granted_by=cast.street_a
        )
    entry = entries_for(grant, LogEntry.Action.CREATE).get()
    assert entry.actor == cast.street_a
    assert entry.changes["role"] == ["None", Role.GRID_WORKER]
    assert entry.changes["area"] == ["None", str(tree.grid_a.pk)]
    assert entry.audit_scope.area_path == tree.grid_a.path


def test_a_revoked_grant_is_logged(cast, tree):
    grant = cast.worker.grants.get()
    pk = grant.pk
    grant.delete()
    entry = LogEntry.objects.get(content_type__model="rolegrant", object_id=pk, action=LogEntry.Action.DELETE)
    assert entry.changes["role"] == [Role.COMMUNITY_WORKER, "None"]
    assert entry.audit_scope.area_path == tree.community_a.path


def test_areas_and_party_orgs_are_logged(cast, tree):
    org = make_party_org("桥楼社区党委", tree.community_a, kind="committee")
    assert entries_for(org, LogEntry.Action.CREATE).get().audit_scope.area_path == tree.community_a.path
    tree.grid_a.name = "第一网格（新）"
    tree.grid_a.save()
    entry = entries_for(tree.grid_a, LogEntry.Action.UPDATE).get()
    assert entry.changes == {"name": ["第一网格", "第一网格（新）"]}
    assert entry.audit_scope.area_path == tree.grid_a.path


def test_a_user_who_belongs_nowhere_gets_an_empty_scope(db):
    from tests.factories import make_user

    loner = make_user("loner")
    assert entries_for(loner, LogEntry.Action.CREATE).get().audit_scope.area_path == ""


def test_the_highest_grant_scopes_an_official_without_a_home(cast, tree):
    RoleGrant.objects.create(user=cast.street_a, role=Role.COMMUNITY_WORKER, area=tree.community_b)
    cast.street_a.phone = "13700000000"
    cast.street_a.save()
    entry = entries_for(cast.street_a, LogEntry.Action.UPDATE).get()
    assert entry.audit_scope.area_path == tree.street_a.path


def test_record_change_logs_what_signals_cannot_see(cast, tree):
    entry = record_change(
        instance=tree.grid_a, changes={"path": ("00010001", "00010002")}, actor=cast.street_a
    )
    assert entry.action == LogEntry.Action.UPDATE
    assert entry.changes == {"path": ["00010001", "00010002"]}
    assert AuditScope.objects.get(entry=entry).area_path == tree.grid_a.path


def test_only_concrete_fields_are_tracked(tree):
    parent = make_party_org("雨城区委", tree.county, kind="committee")
    make_party_org("青江街道党工委", tree.street_a, kind="committee", parent=parent)
    parent.name = "中共雨城区委"
    parent.save()
    concrete = {"name", "kind", "area", "parent", "code", "secretary", "retired"}
    entries = LogEntry.objects.filter(content_type__model="partyorg")
    assert entries.count() == 3
    for entry in entries:
        assert set(entry.changes) <= concrete
