"""The points ledger is append-only in the database too (the audit trail's triggers, audit/dbguard.py;
`LEDGER_GUARD`, migrations virtue.0006 and 0009): an UPDATE or DELETE of a line (and on PostgreSQL a
TRUNCATE), through the ORM past the model's own guard or by plain SQL, is refused on SQLite and on
PostgreSQL alike; a correction is a reversal line; the recorder's id set to NULL when that user is deleted
passes; a person with lines cannot be deleted.
(The triggers come with the migrations: under --nomigrations these tests fail.)"""

from __future__ import annotations

import pytest
from django.db import connection, models, transaction
from django.db.models import ProtectedError

from grassroots.virtue import services_points as points
from grassroots.virtue.models_points import LEDGER_GUARD, PointsEntry
from tests.dbguard import raw, refused
from tests.factories import make_user

TABLE = PointsEntry._meta.db_table


def test_a_raw_update_or_delete_of_a_line_is_refused(cast, tree):
    line = points.award_points(
        cast.resident, "award", tree.city, area=tree.community_a, reason="奖励", points=20
    )
    assert refused(lambda: models.QuerySet(PointsEntry).filter(pk=line.pk).update(points=999))
    assert refused(lambda: models.QuerySet(PointsEntry).filter(pk=line.pk).delete())
    assert refused(raw(f"UPDATE {TABLE} SET points = 999 WHERE id = %s", line.pk))
    assert refused(raw(f"UPDATE {TABLE} SET reason = 'x', created_by_id = NULL WHERE id = %s", line.pk))
    assert refused(raw(f"DELETE FROM {TABLE} WHERE id = %s", line.pk))
    assert refused(raw(f"DELETE FROM {TABLE}"))
    # the audit trail's opening is not the ledger's
    from grassroots.audit.dbguard import opened

    with opened():
        assert refused(raw(f"DELETE FROM {TABLE} WHERE id = %s", line.pk))
    # a correction is a new line
    points.reverse_entry(actor=cast.worker, entry=line, reason="误记")
    assert PointsEntry.objects.filter(pk=line.pk, points=20).exists()
    assert points.balance(cast.resident) == 0 and PointsEntry.objects.count() == 2
    assert not LEDGER_GUARD.is_open()


def test_a_deleted_recorder_is_set_null_and_a_person_with_lines_stays(cast, tree):
    recorder = make_user("recorder")
    line = points.award_points(
        cast.resident, "award", tree.city, area=tree.community_a, reason="奖励", points=5, actor=recorder
    )
    assert line.created_by == recorder
    recorder.delete()  # SET_NULL on created_by: allowed
    assert PointsEntry.objects.get(pk=line.pk).created_by is None
    with pytest.raises(ProtectedError), transaction.atomic():
        cast.resident.delete()
    assert PointsEntry.objects.filter(pk=line.pk).exists()


@pytest.mark.skipif("connection.vendor != 'sqlite'")
def test_a_client_without_the_platforms_function_cannot_change_the_ledger(tree):
    import sqlite3

    name = connection.settings_dict["NAME"]
    if "memory" in str(name):
        pytest.skip("an in-memory test database has no second client")
    other = sqlite3.connect(name)
    with pytest.raises(sqlite3.OperationalError):
        other.execute(f"DELETE FROM {TABLE}")
    other.close()


@pytest.mark.skipif("connection.vendor != 'postgresql'")
def test_truncate_of_the_ledger_is_refused_on_postgresql(cast, tree):
    """TRUNCATE fires no row trigger: a statement trigger refuses it (virtue.0009), the line stays."""
    line = points.award_points(
        cast.resident, "award", tree.city, area=tree.community_a, reason="奖励", points=20
    )
    raw("SET CONSTRAINTS ALL IMMEDIATE")()  # the insert's deferred checks, which TRUNCATE would wait for
    assert refused(raw(f'TRUNCATE "{TABLE}" CASCADE'))
    assert PointsEntry.objects.filter(pk=line.pk).exists()
