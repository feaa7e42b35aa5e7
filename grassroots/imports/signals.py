"""Signals of the import runner.

`batch_written(sender=<importer class>, job=ImportJob, done=int, total=int)` is sent inside the write
transaction after each batch an importer reports: what a progress display, or a test that kills the process
half-way, can hook on to. Receivers must not write to the database (the transaction is the import's).

`rows_written(sender=<model class>, pks=list[int])` is sent by an importer inside the write transaction after
it bulk-writes rows of a model (bulk writes send no post_save): derived data such as the search index
(grassroots/search/receivers.py) registers work for the commit (`transaction.on_commit`) — never row by row.
"""

from django.dispatch import Signal

batch_written = Signal()
rows_written = Signal()
