"""Signal handlers of the members app, connected by `MembersConfig.ready()`.

Study hours from attendance (educate 教育): `grassroots.gatherings.signals.attendance_recorded` is sent after
commit, once per change of a person's presence; the record follows it (services.educate.sync_attendance),
entered once whatever the number of deliveries. When a gathering itself is saved (edited, cancelled), its
study records follow it (services.educate.sync_gathering)."""

from __future__ import annotations

from django.db.models.signals import post_save
from django.dispatch import receiver

from grassroots.core.members.services import educate
from grassroots.gatherings.models import Gathering
from grassroots.gatherings.signals import attendance_recorded


@receiver(attendance_recorded, dispatch_uid="members.study_hours_from_attendance")
def study_hours_from_attendance(sender, gathering, user, present, previous, **kwargs) -> None:
    educate.sync_attendance(gathering=gathering, user=user, present=bool(present))


@receiver(post_save, sender=Gathering, dispatch_uid="members.study_records_follow_gathering")
def study_records_follow_gathering(sender, instance, created, raw=False, **kwargs) -> None:
    if created or raw:
        return
    educate.sync_gathering(gathering=instance)
