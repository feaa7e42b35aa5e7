"""The one organization register and the partner representatives' clause of the scoping function."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from grassroots.access.scoping import has_perm, scoped
from grassroots.cogov import selectors, services
from grassroots.cogov.models import Agreement, Partner, Resource
from grassroots.core.members.models import Registration

pytestmark = pytest.mark.django_db


def test_a_partner_made_from_an_entity_is_that_entity_and_follows_it(co, cast, tree):
    assert (co.tea.name, co.tea.area, co.tea.kind) == ("雅安茶业有限公司", tree.grid_a, "enterprise")
    co.entity.name = "雅安茶业集团有限公司"
    co.entity.area = tree.courtyard_a
    co.entity.save()
    co.tea.refresh_from_db()
    assert (co.tea.name, co.tea.area) == ("雅安茶业集团有限公司", tree.courtyard_a)
    # one partner per entity and per Party organization: no second copy
    with pytest.raises(ValidationError) as exc:
        services.save_partner(actor=cast.secretary, entity=co.entity, kind="enterprise")
    assert "entity" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        services.save_partner(
            actor=cast.secretary, name="另一家", kind="other", area=tree.community_a, party_org=co.unit_org
        )
    assert "party_org" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        services.save_partner(actor=cast.secretary, name="桥楼小学", kind="school", area=tree.community_a)
    assert "name" in exc.value.message_dict
    assert Partner.objects.count() == 4


def test_the_partner_page_shows_the_roles_the_one_organization_plays(co, cast, client_for):
    Registration.objects.create(
        party_org=co.unit_org, community=co.org.area, registered_by=cast.secretary, state="confirmed"
    )
    page = client_for(cast.secretary).get(co.tea.get_absolute_url())
    assert page.status_code == 200
    roles = page.content.decode().split("data-roles>")[1].split("</div>")[0]
    assert "新兴领域单位" in roles and "双报到单位" in roles and "共建单位" in roles
    school = client_for(cast.secretary).get(co.school.get_absolute_url()).content.decode()
    assert "新兴领域单位" not in school.split("data-roles>")[1].split("</div>")[0]


def test_who_sees_which_partner(co, cast, tree):
    seen = lambda user: set(selectors.visible_partners(user).values_list("name", flat=True))  # noqa: E731
    # community A: its own partners and the county's bureau above it; not street B's
    assert seen(cast.secretary) == {"雅安茶业有限公司", "桥楼小学", "雨城区卫健局"}
    assert seen(cast.street_b) == {"育才医院", "雨城区卫健局"}
    # the representative: only their own partner, by the partner clause (no area grant carries cogov.view)
    assert seen(co.rep) == {"雅安茶业有限公司"}
    assert seen(cast.resident) == set()
    # a partner present in another street's community through an agreement is seen there too
    services.sign_agreement(
        actor=cast.street_b,
        party_org=co.org_b,
        partner=co.bureau,
        title="育才社区—卫健局共建",
        starts_on=co.agreement.starts_on,
        ends_on=co.agreement.ends_on,
        signed_on=co.agreement.signed_on,
        commitments=[("org", "提供场地"), ("partner", "义诊")],
    )
    assert "雨城区卫健局" in seen(cast.street_b)


def test_representatives_clause_in_the_one_scoping_function(co, cast):
    assert has_perm(co.rep, "cogov.view")
    assert has_perm(co.rep, "cogov.view", co.tea)
    assert not has_perm(co.rep, "cogov.view", co.school)
    assert has_perm(co.rep, "cogov.offer", co.tea) and not has_perm(co.rep, "cogov.offer", co.school)
    assert not has_perm(co.rep, "cogov.manage", co.tea)
    assert list(scoped(Agreement.objects.all(), co.rep, "cogov.view")) == [co.agreement]
    # a representative no longer named loses it at once (a new request)
    co.tea.representatives.clear()
    co.rep._partner_ids_cache = None
    assert not has_perm(co.rep, "cogov.view")


def test_resources_kept_by_the_keepers_and_the_representatives(co, cast):
    services.set_resource(
        actor=co.rep, partner=co.tea, kind="venue", name="会议室", quantity=Decimal(2), unit="间"
    )
    services.set_resource(
        actor=co.rep, partner=co.tea, kind="venue", name="会议室", quantity=Decimal(3), unit="间"
    )
    services.set_resource(
        actor=cast.worker, partner=co.tea, kind="volunteers", name="职工志愿者", quantity=20
    )
    assert [str(r) for r in co.tea.resources.all()] == ["会议室 3间", "职工志愿者 20"]
    with pytest.raises(PermissionDenied):
        services.set_resource(actor=co.rep, partner=co.school, kind="funds", name="助学金", quantity=1)
    with pytest.raises(PermissionDenied):
        services.set_resource(actor=cast.street_b, partner=co.tea, kind="funds", name="资金", quantity=1)
    with pytest.raises(ValidationError) as exc:
        services.set_resource(actor=co.rep, partner=co.tea, kind="funds", name="", quantity=0)
    assert set(exc.value.message_dict) == {"name", "quantity"}


def test_pages_by_cast(co, cast, client_for):
    rep = client_for(co.rep)
    assert rep.get(co.tea.get_absolute_url()).status_code == 200
    assert rep.get(co.school.get_absolute_url()).status_code == 404
    assert rep.get("/cogov/partners/new/").status_code == 403
    assert rep.get(f"/cogov/partners/{co.tea.pk}/edit/").status_code == 403
    listing = rep.get("/cogov/partners/").content.decode()
    assert "雅安茶业有限公司" in listing and "桥楼小学" not in listing
    # the representative adds a resource on their partner's page
    answer = rep.post(
        co.tea.get_absolute_url(), {"kind": "professional", "name": "茶艺培训", "quantity": "4", "unit": "次"}
    )
    assert answer.status_code == 302 and Resource.objects.filter(partner=co.tea, name="茶艺培训").exists()
    outsider = client_for(cast.street_b)
    for url in (
        co.tea.get_absolute_url(),
        f"/cogov/partners/{co.tea.pk}/edit/",
        co.agreement.get_absolute_url(),
    ):
        assert outsider.get(url).status_code == 404, url
    resource = Resource.objects.get(name="茶艺培训")
    assert outsider.post(f"/cogov/partners/{co.tea.pk}/resources/{resource.pk}/remove/").status_code == 404
    assert (
        outsider.post(co.tea.get_absolute_url(), {"kind": "funds", "name": "x", "quantity": "1"}).status_code
        == 404
    )
    assert Resource.objects.filter(partner=co.tea).count() == 1


def test_the_secretary_registers_a_partner_on_the_page(co, cast, client_for, tree):
    client = client_for(cast.secretary)
    assert client.get("/cogov/partners/new/").status_code == 200
    answer = client.post(
        "/cogov/partners/new/",
        {
            "name": "桥楼卫生服务站",
            "kind": "hospital",
            "area": tree.community_a.pk,
            "representatives": [co.rep.pk],
        },
    )
    assert answer.status_code == 302
    partner = Partner.objects.get(name="桥楼卫生服务站")
    assert list(partner.representatives.all()) == [co.rep]
    refused = client.post(
        "/cogov/partners/new/", {"name": "外区单位", "kind": "other", "area": tree.community_b.pk}
    )
    assert refused.status_code == 200 and not Partner.objects.filter(name="外区单位").exists()


def test_partner_list_query_count(co, cast, client_for, django_assert_max_num_queries):
    client = client_for(cast.city)
    client.get("/cogov/partners/")
    with django_assert_max_num_queries(14):
        assert client.get("/cogov/partners/").status_code == 200


def test_api_partners(co, cast, api_for, tree):
    rep = api_for(co.rep)
    names = [row["name"] for row in rep.get("/api/partners/").json()["results"]]
    assert names == ["雅安茶业有限公司"]
    assert rep.get(f"/api/partners/{co.school.pk}/").status_code == 404
    answer = rep.post(
        f"/api/partners/{co.tea.pk}/resources/",
        {"kind": "venue", "name": "礼堂", "quantity": "1"},
        format="json",
    )
    assert answer.status_code == 200 and [r["name"] for r in answer.json()["resources"]] == ["礼堂"]
    assert rep.patch(f"/api/partners/{co.tea.pk}/", {"address": "x"}, format="json").status_code == 403
    assert rep.post(
        "/api/partners/", {"name": "x", "kind": "other", "area": tree.community_a.pk}, format="json"
    ).status_code in (400, 403)
    secretary = api_for(cast.secretary)
    created = secretary.post(
        "/api/partners/", {"name": "桥楼幼儿园", "kind": "school", "area": tree.community_a.pk}, format="json"
    )
    assert created.status_code == 201, created.json()
    changed = secretary.patch(
        f"/api/partners/{created.json()['id']}/", {"contact_name": "王老师"}, format="json"
    )
    assert changed.status_code == 200 and changed.json()["contact_name"] == "王老师"
    assert (
        api_for(cast.street_b)
        .patch(f"/api/partners/{co.tea.pk}/", {"address": "x"}, format="json")
        .status_code
        == 404
    )
