"""`/api/entities/` writes: POST and PATCH through the entity form's services, with the same scoping
(outsiders 404, an area outside one's scope reads as missing) and permission (the auditor sees, may not
change: 403)."""

from grassroots.core.coverage.models import Entity, EntityKind

URL = "/api/entities/"


def test_create_and_change_an_entity_through_the_api(cast, tree, api_for):
    body = {
        "name": "桥楼商务楼宇",
        "kind": EntityKind.values[0],
        "area": tree.community_a.pk,
        "employees": 120,
    }
    assert api_for(cast.street_b).post(URL, body, format="json").json()["errors"].keys() == {"area"}
    response = api_for(cast.street_a).post(URL, {**body, "kind": "nonsense"}, format="json")
    assert response.status_code == 400 and "kind" in response.json()["errors"]
    response = api_for(cast.street_a).post(URL, body, format="json")
    assert response.status_code == 201, response.content
    pk = response.json()["id"]
    assert response.json()["area_name"] == "桥楼社区" and response.json()["employees"] == 120
    entity = Entity.objects.get(pk=pk)
    assert entity.created_by == cast.street_a

    assert api_for(cast.street_b).patch(f"{URL}{pk}/", {"employees": 5}, format="json").status_code == 404
    assert api_for(cast.auditor).patch(f"{URL}{pk}/", {"employees": 5}, format="json").status_code == 403
    response = api_for(cast.street_a).patch(
        f"{URL}{pk}/", {"employees": 150, "party_members": 4}, format="json"
    )
    assert response.status_code == 200 and response.json()["employees"] == 150
    entity.refresh_from_db()
    assert (entity.employees, entity.party_members, entity.name) == (150, 4, "桥楼商务楼宇")
