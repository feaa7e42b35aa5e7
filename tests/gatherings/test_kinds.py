"""The registry of kinds: later parts add kinds without a migration."""

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command

from grassroots.gatherings import kinds
from grassroots.gatherings.forms import GatheringForm
from grassroots.gatherings.models import Gathering


@pytest.fixture
def branch_meeting():
    kinds.register_kind("test_branch_meeting", "支部党员大会", icon="people", group="三会一课")
    yield "test_branch_meeting"
    kinds._REGISTRY.pop("test_branch_meeting", None)


def test_foundation_kinds_are_registered():
    codes = {kind.code for kind in kinds.all_kinds()}
    assert {"hearing", "joint_meeting", "legal_session", "lecture", "activity", "site_meeting"} <= codes
    assert str(kinds.kind_label("joint_meeting")) == "联席会议"


def test_a_registered_kind_is_usable_at_once_without_a_migration(cast, make_gathering, branch_meeting):
    gathering = make_gathering(kind=branch_meeting)
    gathering.full_clean()
    assert gathering.kind_label == "支部党员大会" and gathering.kind_icon == "people"
    # grouped in select boxes
    assert ("三会一课", [(branch_meeting, "支部党员大会")]) in kinds.kind_choices()
    form = GatheringForm(user=cast.street_a)
    assert branch_meeting in str(form["kind"])
    call_command("makemigrations", "gatherings", "--check", "--dry-run", verbosity=0)


def test_an_unknown_kind_is_refused_in_chinese(cast, tree):
    gathering = Gathering(kind="nope", title="x", area=tree.community_a, organizer=cast.street_a)
    with pytest.raises(ValidationError) as info:
        kinds.validate_kind(gathering.kind)
    assert info.value.messages == ["未登记的会议活动类型：nope"]


def test_registering_a_code_twice_with_another_label_is_an_error(branch_meeting):
    kinds.register_kind(branch_meeting, "支部党员大会")  # same label: idempotent
    with pytest.raises(ValueError):
        kinds.register_kind(branch_meeting, "别的名字")
    with pytest.raises(ValueError):
        kinds.register_kind("has space", "x")
