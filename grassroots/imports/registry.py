"""Importers and exporters register here; the runner (runner.py), the task and the pages know them only by
their `kind`.

An importer validates a whole file first and returns a `Validation`: every row's errors, or a plan. Only
when there is no error does the runner open one transaction and call `write(plan)`. `validate` must not
write; `write` must write only through the database (the runner rolls the transaction back on any error).

    class MemberImporter(Importer):
        kind = "members"
        label = _("党员")
        permission = "members.import"
        rejected_permission = "people.view_pii"   # besides the uploader, who may download rejected rows
        upload_url_name = "members:import"

        def validate(self, file, progress) -> Validation: ...
        def write(self, plan, progress) -> dict[str, int]: ...

    register_importer(MemberImporter)

An exporter writes the rows a user may see for given filters into an xlsx file (see `Exporter`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, ClassVar

from grassroots.imports.xlsx import RowError


class Progress:
    """progress(done, total=None): called by importers and exporters as rows go by; the runner decides where
    it is shown (cheaply: calls are throttled)."""

    def __call__(self, done: int, total: int | None = None) -> None:  # pragma: no cover - interface
        raise NotImplementedError


class NoProgress(Progress):
    def __call__(self, done: int, total: int | None = None) -> None:
        return None


@dataclass
class Validation:
    total_rows: int = 0
    errors: list[RowError] = field(default_factory=list)
    plan: Any = None

    @property
    def ok(self) -> bool:
        return not self.errors


class ImportConflict(Exception):
    """Raised by `write` when the database changed since validation (e.g. someone else added the same
    record meanwhile): the transaction is rolled back and the job fails with this message."""


class Importer:
    kind: ClassVar[str]
    label: ClassVar[Any]  # a lazy Chinese string, e.g. _("党员")
    permission: ClassVar[str]  # needed to upload; who holds it on the job's area sees the job
    rejected_permission: ClassVar[str | None] = None  # besides the uploader, who may download rejected rows
    upload_url_name: ClassVar[str] = ""  # the page to upload another file
    # Files up to this size are imported while the upload request waits (None: settings default).
    sync_max_bytes: ClassVar[int | None] = None

    def __init__(self, *, actor) -> None:
        self.actor = actor

    def validate(self, file, progress: Progress) -> Validation:
        raise NotImplementedError

    def write(self, plan, progress: Progress) -> dict[str, int]:
        raise NotImplementedError

    def done_message(self, counts: dict[str, int]) -> str:
        """One line for the report and the notification, e.g. "写入 100000 名党员"."""
        return "，".join(f"{key} {value}" for key, value in counts.items())


class Exporter:
    kind: ClassVar[str]
    label: ClassVar[Any]
    permission: ClassVar[str]  # needed to export at all (the rows are scoped by the exporter)
    back_url_name: ClassVar[str] = ""

    def __init__(self, *, user, params: dict, unmasked: bool) -> None:
        self.user = user
        self.params = params
        self.unmasked = unmasked

    def count(self) -> int:
        raise NotImplementedError

    def write(self, handle, progress: Progress) -> int:
        """Write the workbook into the open binary file `handle`; return the number of rows."""
        raise NotImplementedError

    def filename(self) -> str:
        raise NotImplementedError

    def audit_label(self) -> str:
        return str(self.label)


_IMPORTERS: dict[str, type[Importer]] = {}
_EXPORTERS: dict[str, type[Exporter]] = {}


def register_importer(cls: type[Importer]) -> type[Importer]:
    existing = _IMPORTERS.get(cls.kind)
    if existing is not None and existing.__qualname__ != cls.__qualname__:
        raise ValueError(f"importer {cls.kind!r} is registered twice: {existing}, {cls}")
    _IMPORTERS[cls.kind] = cls
    return cls


def register_exporter(cls: type[Exporter]) -> type[Exporter]:
    existing = _EXPORTERS.get(cls.kind)
    if existing is not None and existing.__qualname__ != cls.__qualname__:
        raise ValueError(f"exporter {cls.kind!r} is registered twice: {existing}, {cls}")
    _EXPORTERS[cls.kind] = cls
    return cls


def importer_for(kind: str) -> type[Importer]:
    try:
        return _IMPORTERS[kind]
    except KeyError as exc:
        raise LookupError(f"no importer registered for {kind!r}") from exc


def exporter_for(kind: str) -> type[Exporter]:
    try:
        return _EXPORTERS[kind]
    except KeyError as exc:
        raise LookupError(f"no exporter registered for {kind!r}") from exc
