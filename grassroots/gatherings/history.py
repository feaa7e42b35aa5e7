"""The timeline of gatherings written in bulk, without the workflow service: the data migration that made a
gathering a workflow record (0003) and the demo data. A gathering's log is its creation by the organizer
("start", at `created_at`) and, for one held or cancelled, that step (when it was held or last changed, never
before its creation; by nobody known: the log keeps no invented actor)."""

from __future__ import annotations

from collections.abc import Iterable

STEPS = {"held": "mark_held", "cancelled": "cancel"}


def timeline_rows(gatherings: Iterable, *, log_model, content_type_id: int) -> list:
    """Unsaved `log_model` rows (TransitionLog, or its historical model in a migration) for `gatherings`."""
    rows = []
    for g in gatherings:
        common = {"content_type_id": content_type_id, "object_id": g.pk}
        rows.append(
            log_model(
                **common,
                actor_id=g.organizer_id,
                at=g.created_at,
                transition="start",
                from_state="",
                to_state="planned",
            )
        )
        if g.status in STEPS:
            rows.append(
                log_model(
                    **common,
                    actor_id=None,
                    at=max((g.held_at if g.status == "held" else None) or g.updated_at, g.created_at),
                    transition=STEPS[g.status],
                    from_state="planned",
                    to_state=g.status,
                    comment=g.cancel_reason if g.status == "cancelled" else "",
                )
            )
    return rows


def write_timelines(gatherings: Iterable) -> None:
    """Log the timelines of gatherings just written with `bulk_create` (demo data)."""
    from django.contrib.contenttypes.models import ContentType

    from grassroots.gatherings.models import Gathering
    from grassroots.workflow.models import TransitionLog

    content_type_id = ContentType.objects.get_for_model(Gathering).pk
    rows = timeline_rows(gatherings, log_model=TransitionLog, content_type_id=content_type_id)
    TransitionLog.objects.bulk_create(rows, batch_size=2000)
