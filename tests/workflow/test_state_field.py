"""The state field (grassroots/workflow/fields.py): the historical models `migrate` renders leave no
`class_prepared` receiver behind, while the real models keep their transitions."""

from django.db.migrations.loader import MigrationLoader
from django.db.models.signals import class_prepared

from grassroots.lawgov.models import Dispute


def _live_receivers() -> int:
    return sum(1 for _, receiver, _ in class_prepared.receivers if receiver() is not None)


def test_rendering_the_migrations_state_connects_no_receiver():
    state = MigrationLoader(None, ignore_no_migrations=True).project_state()
    before = _live_receivers()
    rendered = state.apps  # every model of every migration's end state, each state field among them
    assert rendered.get_model("lawgov", "Dispute")._meta.get_field("state").__class__.__name__ == "StateField"
    assert _live_receivers() == before


def test_the_real_models_keep_their_transitions():
    names = {t.name for t in Dispute._meta.get_field("state").get_all_transitions(Dispute)}
    assert {"start_mediation", "settle"} <= names


def test_the_state_fields_are_found_once_per_model():
    """django-fsm's ConcurrentTransitionMixin reads `state_fields` on every instance's creation; the
    workflow base finds them once per model (a tuple), the state field alone."""
    from grassroots.core.members.models import Member

    fields = Member().state_fields
    assert fields == (Member._meta.get_field("status"),)
    assert Member().state_fields is fields
    assert Dispute().state_fields == tuple(f for f in Dispute._meta.fields if f.name == Dispute.state_field)
