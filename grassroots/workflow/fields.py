"""The state field of every process with steps: django-fsm-2's `FSMField`, without the cost it puts on
`migrate`.

`FSMField.contribute_to_class` connects a receiver to `class_prepared` for every model class the field is
added to, the historical models that `migrate` renders included — tens of thousands of them for this
project's migrations. Those receivers stay connected until the garbage collector frees the models, so every
model class rendered afterwards calls hundreds of them: 24 million calls, about a third of a `migrate` from
scratch (docs/decisions.md, "The state field"). On a model of a migration's state
(an app registry of its own) the receiver is disconnected at once: transitions are collected for the real
models only, which keep the receiver as before."""

from __future__ import annotations

from django.apps import apps as global_apps
from django.db.models.signals import class_prepared
from django_fsm import FSMField


class StateField(FSMField):
    def contribute_to_class(self, cls, name, private_only=False, **kwargs):
        super().contribute_to_class(cls, name, private_only=private_only, **kwargs)
        if cls._meta.apps is not global_apps:
            class_prepared.disconnect(self._collect_transitions)
