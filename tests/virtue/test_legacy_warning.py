"""Warning education stores its leadership team (issue 17). A 警示教育 gathering made on the general 会议活动
form before the kind had a form of its own (no team's record) is given one by migration 0012 — the street or
community it was held in, the community above a grid; none at the county — and a session recorded now without
naming its team gets its area's team on write (`services.record_warning_education(area=…)`). The read paths
(警示教育's teams without it, its API, the figures) use the stored team only. Hand counts, clock pinned."""

import importlib
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError

from grassroots.figures import compute, registry
from grassroots.gatherings.services import authorized
from grassroots.virtue import selectors, services
from grassroots.virtue.kinds import WARNING
from grassroots.virtue.models import WarningEducation, WarningMode

TZ = ZoneInfo("Asia/Shanghai")
T0 = datetime(2027, 4, 12, 9, 0, tzinfo=TZ)
migration = importlib.import_module("grassroots.virtue.migrations.0012_warning_team_stored")


def _hours(starts):
    return {"starts_at": starts, "ends_at": starts + timedelta(hours=2)}


def test_the_migration_stores_each_legacy_sessions_team(time_machine, cast, tree, client_for, api_for):
    time_machine.move_to(T0, tick=False)
    starts = T0 + timedelta(days=1)

    def legacy(actor, area, title):
        hours = _hours(starts)
        return authorized.create_gathering(actor=actor, kind=WARNING, title=title, area=area, **hours)

    in_grid = legacy(cast.worker, tree.grid_a, "网格里的旧警示教育")  # → 桥楼社区's team
    in_street = legacy(cast.street_b, tree.street_b, "东城街道旧警示教育")  # → 东城街道's team
    at_county = legacy(cast.city, tree.county, "全区警示教育大会")  # no team
    planned = legacy(cast.street_b, tree.community_b, "育才未召开的旧警示教育")  # its team, not held
    time_machine.move_to(starts + timedelta(minutes=30), tick=False)
    for actor, gathering in ((cast.worker, in_grid), (cast.street_b, in_street), (cast.city, at_county)):
        authorized.mark_held(actor=actor, gathering=gathering)
    authorized.record_attendance_sheet(
        actor=cast.worker, gathering=in_grid, marks=[(cast.resident, True, "")], invite_missing=True
    )

    migration.fill_teams(apps, None)
    migration.fill_teams(apps, None)  # again: nothing twice
    stored = dict(WarningEducation.objects.values_list("gathering_id", "team__name"))
    community_a = tree.community_a
    assert stored == {
        in_grid.pk: community_a.name,
        in_street.pk: tree.street_b.name,
        planned.pk: tree.community_b.name,
    }
    assert set(WarningEducation.objects.values_list("mode", flat=True)) == {""}  # the form was not recorded

    without = {a.name for a in selectors.teams_without_warning(cast.city, 2027)}
    assert without == {"青江街道", "育才社区"}
    page = client_for(cast.street_a).get("/virtue/warning/", {"year": 2027})
    assert [t.name for t in page.context["without"]] == ["青江街道"]  # 桥楼社区 by the grid's session
    assert [e.gathering_id for e in page.context["page_obj"]] == [in_grid.pk]  # listed as a team's session
    assert f'data-warning="{WarningEducation.objects.get(gathering=in_grid).pk}"' in page.content.decode()
    answer = api_for(cast.street_b).get("/api/warning-educations/teams-without/", {"year": 2027})
    assert answer.status_code == 200
    assert "育才社区" in answer.content.decode() and "东城街道" not in answer.content.decode()
    listed = api_for(cast.street_b).get("/api/warning-educations/", {"year": 2027})
    assert listed.status_code == 200

    def figure(name):
        return compute.breakdown(registry.get(name), tree.county, 2027, T0.date())

    teams = figure("virtue.warning_teams")
    assert (teams.total.counts["teams"], teams.total.counts["covered"]) == (4, 2)
    assert figure("virtue.education_events").total.counts[WARNING] == 2  # not the county's, not the planned
    assert figure("virtue.warning_attendance").total.counts["present"] == 1


def test_a_session_recorded_without_its_team_gets_its_areas_team(time_machine, cast, tree):
    time_machine.move_to(T0, tick=False)
    common = {"mode": WarningMode.CASE, **_hours(T0 + timedelta(days=2))}
    education = services.record_warning_education(
        actor=cast.worker, area=tree.grid_a, title="网格警示教育", **common
    )
    assert education.team == tree.community_a  # the community above the grid, stored
    assert education.gathering.area == tree.grid_a  # held where it was held
    own = services.record_warning_education(actor=cast.street_b, team=tree.street_b, title="街道", **common)
    assert own.gathering.area == tree.street_b  # the team's area by default

    with pytest.raises(ValidationError) as refused:  # a county has no team
        services.record_warning_education(actor=cast.city, area=tree.county, title="全区", **common)
    assert "area" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:  # held outside the team named
        services.record_warning_education(
            actor=cast.city, team=tree.street_b, area=tree.grid_a, title="错位", **common
        )
    assert "area" in refused.value.message_dict
    assert WarningEducation.objects.count() == 2
