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
    check_out,
    invite,
    record_attendance,
    record_attendance_sheet,
    record_times,
    remove_guest,
    sign_up,
)
from grassroots.gatherings.services.series import (
    SERIES_FIELDS,
    authorized_create_series,
    cancel_series,
    create_series,
    materialise,
    materialise_all,
    update_series,
)

__all__ = [
    "EDITABLE_FIELDS",
    "SERIES_FIELDS",
    "add_decision",
    "add_guest",
    "add_photo",
    "authorized",
    "authorized_create_series",
    "cancel_gathering",
    "cancel_series",
    "cancel_sign_up",
    "check_in",
    "check_out",
    "clean_image",
    "create_gathering",
    "create_series",
    "invite",
    "mark_held",
    "materialise",
    "materialise_all",
    "record_attendance",
    "record_attendance_sheet",
    "record_minutes",
    "record_times",
    "remove_guest",
    "sign_up",
    "update_gathering",
    "update_series",
]
