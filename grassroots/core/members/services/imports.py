"""Import members from an xlsx workbook, all or nothing (grassroots.imports runs it; the members importer is
in transfer/). `start_member_import` is what the upload page calls: a small file is imported while the
request waits, a large one by the worker while the job page shows its progress."""

from __future__ import annotations

from grassroots.imports.models import ImportJob
from grassroots.imports.runner import start_import

KIND = "members"


def start_member_import(*, file, actor) -> ImportJob:
    """Record the upload of `file` by `actor` (needs members.import) and run it or queue it."""
    return start_import(kind=KIND, file=file, actor=actor)
