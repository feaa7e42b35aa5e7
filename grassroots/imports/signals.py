"""Signals of the import runner.

`batch_written(sender=<importer class>, job=ImportJob, done=int, total=int)` is sent inside the write
transaction after each batch an importer reports: what a progress display, or a test that kills the process
half-way, can hook on to. Receivers must not write to the database (the transaction is the import's).
"""

from django.dispatch import Signal

batch_written = Signal()
