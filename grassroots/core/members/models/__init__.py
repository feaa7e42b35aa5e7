"""Party members and the five precisions (find, identify, educate, manage, care) and dual registration.
See docs/members.md."""

from grassroots.core.members.models.member import (
    Education,
    Gender,
    Member,
    MemberStatus,
    MemberTag,
    NameCharacter,
    TagKind,
)
from grassroots.core.members.models.precisions import (
    CareVisit,
    CareVisitKind,
    ContactAttempt,
    ContactMethod,
    ConversionReminder,
    DuesBracket,
    DuesPayment,
    StudyRecord,
    StudySource,
    Transfer,
    TransferState,
)
from grassroots.core.members.models.registration import Registration, RegistrationState

__all__ = [
    "CareVisit",
    "CareVisitKind",
    "ContactAttempt",
    "ContactMethod",
    "ConversionReminder",
    "DuesBracket",
    "DuesPayment",
    "Education",
    "Gender",
    "Member",
    "MemberStatus",
    "MemberTag",
    "NameCharacter",
    "Registration",
    "RegistrationState",
    "StudyRecord",
    "StudySource",
    "TagKind",
    "Transfer",
    "TransferState",
]
