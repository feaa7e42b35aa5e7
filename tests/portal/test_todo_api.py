"""`/api/todo/` answers what the `/todo/` page shows: the same groups, lines and areas, scoped alike."""

from datetime import timedelta

from tests.duties import conftest as duties_fixtures

affair, issue, media_root, step = (
    duties_fixtures.affair,
    duties_fixtures.issue,
    duties_fixtures.media_root,
    duties_fixtures.step,
)


def test_the_todo_api_and_the_todo_page_agree(client_for, api_for, cast, tree, issue, step, today):
    task = issue(title="社区环境整治", deadline=today + timedelta(days=20))
    for street, official in ((tree.street_a, cast.street_a), (tree.street_b, cast.street_b)):
        assignment = task.assignments.get(area=street)
        for name in ("accept", "begin"):
            step(assignment, name, official)
        step(assignment, "submit", official, "已完成")

    page = client_for(cast.city).get("/todo/").context["todo"]["groups"]
    answer = api_for(cast.city).get("/api/todo/")
    assert answer.status_code == 200
    api = answer.json()
    assert [(g["kind"], g["total"]) for g in api] == [(g.kind, g.total) for g in page]
    assert [[line["subject"] for line in g["lines"]] for g in api] == [
        [x.subject for x in g.lines] for g in page
    ]
    duties = next(g for g in api if g["kind"] == "duties.dutyassignment")
    [line] = duties["lines"]
    assert sorted(a["label"] for a in line["areas"]) == ["雨城区 › 东城街道", "雨城区 › 青江街道"]
    assert line["deadline"] == (today + timedelta(days=20)).isoformat()
    # street A's official sees none of street B's work
    mine = api_for(cast.street_a).get("/api/todo/").json()
    labels = [a["label"] for g in mine for line in g["lines"] for a in line["areas"]]
    assert not any("东城街道" in label for label in labels)


def test_the_todo_api_needs_a_login(client):
    assert client.get("/api/todo/").status_code in (401, 403)
