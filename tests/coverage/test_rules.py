"""Coverage rules: statuses and what each needs, the 3-full-member flag, instructors covering entities."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from grassroots.core.coverage import services
from grassroots.core.coverage.models import CoverageStatus, Entity
from grassroots.core.coverage.selectors import gaps
from tests.coverage.conftest import make_entity
from tests.factories import make_party_org


def test_an_entity_with_three_full_members_and_no_own_branch_is_flagged(tree, settings):
    small = make_entity("两名党员的公司", tree.community_a, party_members=3, full_members=2)
    joint = make_entity("联建企业", tree.community_a, party_members=5, full_members=3, status="none")
    own_area = make_party_org("某公司党支部", tree.community_a)
    own = make_entity(
        "自建企业", tree.community_a, party_members=6, full_members=4, status="own", party_org=own_area
    )
    assert (small.should_form_branch, joint.should_form_branch, own.should_form_branch) == (
        False,
        True,
        False,
    )
    assert list(gaps(Entity.objects.all()).values_list("name", "flagged")) == [
        ("联建企业", 1),
        ("两名党员的公司", 0),
    ]
    settings.COVERAGE_OWN_BRANCH_MIN_FULL_MEMBERS = 2
    assert Entity.objects.get(pk=small.pk).should_form_branch
    assert [e.name for e in gaps(Entity.objects.all())][:2] == ["联建企业", "两名党员的公司"]


def test_each_status_needs_what_it_says(tree, cast, orgs):
    fields = {"name": "星河商务楼", "kind": "building", "area": tree.community_a, "employees": 300}
    with pytest.raises(ValidationError) as error:
        services.create_entity(actor=cast.worker, status="own", party_members=2, full_members=2, **fields)
    assert "所属党组织" in str(error.value.message_dict["party_org"])
    assert "不足 3 人" in str(error.value.message_dict["status"])
    with pytest.raises(ValidationError) as error:
        services.create_entity(actor=cast.worker, status="instructor", **fields)
    assert error.value.message_dict["status"] == ["请先为该单位选派党建指导员。"]
    with pytest.raises(ValidationError) as error:
        services.create_entity(actor=cast.worker, party_members=2, full_members=3, **fields)
    assert error.value.message_dict["full_members"] == ["正式党员数不能多于党员数。"]
    entity = services.create_entity(
        actor=cast.worker, status="joint", party_org=orgs.community, party_members=4, full_members=3, **fields
    )
    assert entity.covered and entity.should_form_branch
    with pytest.raises(PermissionDenied):
        services.create_entity(actor=cast.street_b, **fields)
    with pytest.raises(PermissionDenied):
        services.update_entity(actor=cast.auditor, entity=entity, name="改名")


def test_an_instructor_covers_an_entity_until_the_guidance_ends(tree, cast, orgs):
    entity = make_entity("瑞丰农业公司", tree.grid_a)
    instructor = services.appoint_instructor(
        actor=cast.street_a, name="赵指导员", sent_by=orgs.street, area=tree.street_a
    )
    assignment = services.assign_instructor(actor=cast.street_a, instructor=instructor, entity=entity)
    entity.refresh_from_db()
    assert entity.status == CoverageStatus.INSTRUCTOR
    # Assigning twice keeps one open assignment.
    assert (
        services.assign_instructor(actor=cast.street_a, instructor=instructor, entity=entity).pk
        == assignment.pk
    )
    visit = services.log_visit(
        actor=cast.worker,
        instructor=instructor,
        entity=entity,
        visited_on=timezone.localdate(),
        content="指导建立党员活动室",
    )
    assert visit.entity == entity
    with pytest.raises(ValidationError) as error:
        services.log_visit(
            actor=cast.worker,
            instructor=instructor,
            entity=entity,
            visited_on=timezone.localdate() + timedelta(days=1),
            content="x",
        )
    assert "visited_on" in error.value.message_dict
    services.end_assignment(actor=cast.street_a, assignment=assignment)
    entity.refresh_from_db()
    assert entity.status == CoverageStatus.NONE
    # An entity outside the instructor's area cannot be assigned.
    outside = make_entity("东城企业", tree.community_b)
    with pytest.raises(PermissionDenied):
        services.assign_instructor(actor=cast.street_a, instructor=instructor, entity=outside)
    with pytest.raises(ValidationError):
        services.assign_instructor(actor=cast.city, instructor=instructor, entity=outside)


def test_an_entity_with_its_own_organization_keeps_its_status_when_an_instructor_comes_and_goes(
    tree, cast, orgs
):
    entity = make_entity(
        "自建企业", tree.grid_a, status="own", party_org=orgs.community, party_members=5, full_members=5
    )
    instructor = services.appoint_instructor(
        actor=cast.street_a, name="钱指导员", sent_by=orgs.street, area=tree.street_a
    )
    assignment = services.assign_instructor(actor=cast.street_a, instructor=instructor, entity=entity)
    services.end_assignment(actor=cast.street_a, assignment=assignment)
    entity.refresh_from_db()
    assert entity.status == CoverageStatus.OWN


def test_cross_appointments_and_service_teams(tree, cast, orgs):
    partner = make_entity("雅安银行", tree.community_a, kind="enterprise")
    with pytest.raises(ValidationError) as error:
        services.record_cross_appointment(
            actor=cast.street_a,
            person_name="孙书记",
            org=orgs.community,
            position="社区党委书记",
            other_position="兼职委员",
            starts_on=timezone.localdate(),
        )
    assert "other_org" in error.value.message_dict
    appointment = services.record_cross_appointment(
        actor=cast.street_a,
        person_name="孙书记",
        org=orgs.community,
        position="社区党委书记",
        other_entity=partner,
        other_position="党建工作兼职委员",
        starts_on=timezone.localdate(),
    )
    assert appointment.other_label == "雅安银行"
    team = services.create_team(
        actor=cast.worker,
        name="桥楼社区组团服务队",
        area=tree.community_a,
        members=[("刘医生", "全科医生"), ("陈律师", "法律顾问")],
        entities=[partner],
    )
    assert list(team.members.values_list("name", flat=True)) == ["刘医生", "陈律师"]
    services.record_service(
        actor=cast.worker, team=team, entity=partner, served_on=timezone.localdate(), content="义诊"
    )
    stranger = make_entity("东城企业", tree.community_b)
    with pytest.raises(ValidationError):
        services.record_service(
            actor=cast.worker, team=team, entity=stranger, served_on=timezone.localdate(), content="x"
        )
    with pytest.raises(ValidationError):
        services.create_team(actor=cast.city, name="跨区团队", area=tree.community_a, entities=[stranger])
