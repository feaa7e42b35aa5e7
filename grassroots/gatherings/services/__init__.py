"""Actions on gatherings. Views, the API, other parts and tests all go through these functions.

Each of them checks that the actor may (gatherings.manage on the gathering's area, or the person's own
sign-up and check-in). Another part's service that has checked by its own rules who may act calls
`authorized` instead (the one entry point for such callers; see its docstring)."""

from grassroots.gatherings.services import authorized
from grassroots.gatherings.services.authorized import clean_image
from grassroots.gatherings.services.lifecycle import (
    EDITABLE_FIELDS,
    add_decision,
    add_photo,
    cancel_gathering,
    create_gathering,
    mark_held,
    record_minutes,
    update_gathering,
)
from grassroots.gatherings.services.participation import (
    add_guest,
    cancel_sign_up,
    check_in,
    invite,
    record_attendance,
    record_attendance_sheet,
    remove_guest,
    sign_up,
)

__all__ = [
    "EDITABLE_FIELDS",
    "add_decision",
    "add_guest",
    "add_photo",
    "authorized",
    "cancel_gathering",
    "cancel_sign_up",
    "check_in",
    "clean_image",
    "create_gathering",
    "invite",
    "mark_held",
    "record_attendance",
    "record_attendance_sheet",
    "record_minutes",
    "remove_guest",
    "sign_up",
    "update_gathering",
]
