"""Signals other parts hook into.

`attendance_recorded` is sent with `gathering`, `user` (the person whose attendance changed), `present`
(True or False) and `previous` (True, False or None before the change). It is sent after the transaction
commits, once for every change of a person's attendance: recording the same state again sends nothing, and
nothing is sent when the transaction rolls back. Receivers (e.g. Party members' study hours) may therefore
add on `present=True` and subtract on `previous=True`.

    from grassroots.gatherings.signals import attendance_recorded

    @receiver(attendance_recorded)
    def count_study_hours(sender, gathering, user, present, previous, **kwargs): ...
"""

from django.dispatch import Signal

attendance_recorded = Signal()
