"""The attendance mechanism: one `Participant` row per person; a change of a person's presence sends
`signals.attendance_recorded` once, after commit. Called by the services of this package only (other parts
go through `authorized.record_attendance_sheet`)."""

from __future__ import annotations

from functools import partial

from django.db import transaction

from grassroots.gatherings.models import Gathering, Participant
from grassroots.gatherings.signals import attendance_recorded


def set_attendance(participant: Participant, *, present: bool, reason: str, by, now) -> bool:
    """Write a person's attendance; schedule the signal when it changed. Returns whether it changed."""
    reason = "" if present else reason.strip()[:200]
    previous = participant.present
    if previous == present and participant.absence_reason == reason:
        return False
    participant.present = present
    participant.absence_reason = reason
    participant.attendance_recorded_at = now
    participant.attendance_recorded_by = by
    if present and participant.checked_in_at is None and by == participant.user:
        participant.checked_in_at = now
    participant.save()
    if previous != present:
        transaction.on_commit(
            partial(
                attendance_recorded.send,
                sender=Gathering,
                gathering=participant.gathering,
                user=participant.user,
                present=present,
                previous=previous,
            )
        )
    return True
