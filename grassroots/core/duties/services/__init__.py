"""Actions of the responsibility system's task lists. Taking a step of an assignment (accept, begin, submit,
resubmit, approve, send_back, rework) is `grassroots.workflow.services.transition(assignment, name, …)`."""

from grassroots.core.duties.services.reminders import REMIND_DAYS, remind_assignments
from grassroots.core.duties.services.tasks import (
    assign_office,
    copy_task_list,
    create_office,
    delete_draft,
    issue_task,
    retire_office,
    target_levels_below,
)

__all__ = [
    "REMIND_DAYS",
    "assign_office",
    "copy_task_list",
    "create_office",
    "delete_draft",
    "issue_task",
    "remind_assignments",
    "retire_office",
    "target_levels_below",
]
