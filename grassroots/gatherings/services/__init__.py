"""Actions on gatherings. Views, the API, other parts and tests all go through these functions."""

from grassroots.gatherings.services.lifecycle import (
    EDITABLE_FIELDS,
    add_decision,
    add_photo,
    cancel_gathering,
    clean_image,
    create_gathering,
    mark_held,
    record_minutes,
    update_gathering,
)
from grassroots.gatherings.services.participation import (
    cancel_sign_up,
    check_in,
    invite,
    record_attendance,
    record_attendance_sheet,
    sign_up,
)

__all__ = [
    "EDITABLE_FIELDS",
    "add_decision",
    "add_photo",
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
    "sign_up",
    "update_gathering",
]
