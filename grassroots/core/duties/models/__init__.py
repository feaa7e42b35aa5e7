from grassroots.core.duties.models.assignment import (
    NOT_DONE_STATES,
    OPEN_STATES,
    AssignmentState,
    DutyAssignment,
    on_time_q,
    overdue_q,
    users_acting_on,
)
from grassroots.core.duties.models.tasks import (
    DutyTask,
    Office,
    OfficeKind,
    OfficeMember,
    OfficePost,
    TaskList,
)

__all__ = [
    "NOT_DONE_STATES",
    "OPEN_STATES",
    "AssignmentState",
    "DutyAssignment",
    "DutyTask",
    "Office",
    "OfficeKind",
    "OfficeMember",
    "OfficePost",
    "TaskList",
    "on_time_q",
    "overdue_q",
    "users_acting_on",
]
