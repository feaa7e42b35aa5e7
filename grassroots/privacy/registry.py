"""What the platform holds about a person, part by part. Each part that stores personal data registers a
`PersonalData` entry from its `AppConfig.ready()`:

    from grassroots.privacy.registry import PersonalData, register

    register(PersonalData(
        key="members.member",
        label=_("党员信息"),
        collect=lambda user: [...],        # rows about `user`: [{column label: value}, ...]
        erase=erase_member,                # (user, *, placeholder) -> Erasure, or None: nothing to erase
        order=40,
        identifiers=member_identifiers,    # (user, *, placeholder) -> {text as the audit trail has it: new}
    ))

`collect` feeds the person's page, the xlsx (one sheet per entry) and the JSON download; `erase` carries out a
deletion request within the retention rules: delete what may go, pseudonymise what the law or Party rules
require kept (name → placeholder, ID and phone hashes dropped, encrypted fields blanked). The account itself
(`accounts.user`) is erased last. `identifiers` names how the part's records identify the person in the
audit trail (a name, a masked number) and what replaces each there after a deletion (audit/redaction.py);
they are read before anything is erased. `records` (optional: (user, *, placeholder) -> [(record, its own
fields → placeholder)]) names the part's records further than one foreign key from the account, whose
change entries the redaction finds by identity (content type and primary key), never by name.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

Row = dict[str, Any]


class How:
    DELETED = "deleted"
    PSEUDONYMISED = "pseudonymised"
    KEPT = "kept"


@dataclass(frozen=True)
class Erasure:
    """What one part did with a person's records: `how` (deleted / pseudonymised / kept), how many, why."""

    how: str
    count: int
    note: str = ""


@dataclass(frozen=True)
class PersonalData:
    key: str
    label: Any
    collect: Callable[[Any], list[Row]]
    erase: Callable[..., Erasure] | None = None
    order: int = 50
    identifiers: Callable[..., dict[str, str]] | None = None
    records: Callable[..., list[tuple[Any, dict[str, str]]]] | None = None


_REGISTRY: dict[str, PersonalData] = {}


def register(entry: PersonalData) -> None:
    _REGISTRY[entry.key] = entry


def entries() -> list[PersonalData]:
    return sorted(_REGISTRY.values(), key=lambda e: (e.order, e.key))


def model_rows(queryset, fields: list[str]) -> list[Row]:
    """Rows of `queryset` as {field's verbose name: shown value}: choices by their label, related records by
    their name, for `collect` functions."""
    model = queryset.model
    rows = []
    for obj in queryset:
        row: Row = {}
        for name in fields:
            field = model._meta.get_field(name)
            value = getattr(obj, name)
            if getattr(field, "choices", None):
                value = getattr(obj, f"get_{name}_display")()
            elif field.is_relation and value is not None:
                value = str(value)
            row[str(field.verbose_name)] = value
        rows.append(row)
    return rows
