"""Actions of the responsibility system's task lists. Taking a step of an assignment (accept, begin, submit,
resubmit, approve, send_back, rework) is `grassroots.workflow.services.transition(assignment, name, …)`."""

from grassroots.core.duties.services.offices import (
    add_office_member,
    remove_office_member,
    staff_candidates,
)
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
    "add_office_member",
    "assign_office",
    "copy_task_list",
    "create_office",
    "delete_draft",
    "issue_task",
    "remind_assignments",
    "remove_office_member",
    "retire_office",
    "staff_candidates",
    "target_levels_below",
]
