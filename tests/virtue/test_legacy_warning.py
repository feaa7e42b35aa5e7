"""Warning education recorded on the general 会议活动 form before the kind had a form of its own (no team's
record, issue 17) counts for its area's leadership team — the street or community it was held in, the
community above a grid — on 警示教育 (the teams without it, the page's list of such sessions), its API and
the figures; one held at the county counts for no team; one not held counts for none. Hand counts."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from grassroots.figures import compute, registry
from grassroots.gatherings.services import authorized
from grassroots.virtue import selectors
from grassroots.virtue.kinds import WARNING

TZ = ZoneInfo("Asia/Shanghai")
T0 = datetime(2027, 4, 12, 9, 0, tzinfo=TZ)


def test_a_legacy_session_counts_for_its_areas_team(time_machine, cast, tree, client_for, api_for):
    time_machine.move_to(T0, tick=False)
    starts = T0 + timedelta(days=1)
    hours = {"starts_at": starts, "ends_at": starts + timedelta(hours=2)}

    def legacy(actor, area, title):
        return authorized.create_gathering(actor=actor, kind=WARNING, title=title, area=area, **hours)

    in_grid = legacy(cast.worker, tree.grid_a, "网格里的旧警示教育")  # → 桥楼社区's team
    in_street = legacy(cast.street_b, tree.street_b, "东城街道旧警示教育")  # → 东城街道's team
    at_county = legacy(cast.city, tree.county, "全区警示教育大会")  # no team
    legacy(cast.street_b, tree.community_b, "育才未召开的旧警示教育")  # planned only: counts for none
    time_machine.move_to(starts + timedelta(minutes=30), tick=False)
    for actor, gathering in ((cast.worker, in_grid), (cast.street_b, in_street), (cast.city, at_county)):
        authorized.mark_held(actor=actor, gathering=gathering)
    authorized.record_attendance_sheet(
        actor=cast.worker, gathering=in_grid, marks=[(cast.resident, True, "")], invite_missing=True
    )

    without = {a.name for a in selectors.teams_without_warning(cast.city, 2027)}
    assert without == {"青江街道", "育才社区"}
    page = client_for(cast.street_a).get("/virtue/warning/", {"year": 2027})
    assert [t.name for t in page.context["without"]] == ["青江街道"]  # 桥楼社区 counted by the grid's
    assert [g.pk for g in page.context["legacy"]] == [in_grid.pk]  # the street's scope only
    html = page.content.decode()
    assert "未登记班子的警示教育" in html and f'data-legacy-warning="{in_grid.pk}"' in html
    answer = api_for(cast.street_b).get("/api/warning-educations/teams-without/", {"year": 2027})
    assert answer.status_code == 200
    assert "育才社区" in answer.content.decode() and "东城街道" not in answer.content.decode()

    def figure(name):
        return compute.breakdown(registry.get(name), tree.county, 2027, T0.date())

    teams = figure("virtue.warning_teams")
    assert (teams.total.counts["teams"], teams.total.counts["covered"]) == (4, 2)
    events = figure("virtue.education_events")
    assert events.total.counts[WARNING] == 2  # not the county's, not the one not held
    assert figure("virtue.warning_attendance").total.counts["present"] == 1
