"""Who does a duty assignment and who checks it: declared once, used by the transitions, the worklists, the
pending lists and the reminders alike.

- The **doer** of an assignment holds a working role on the target area itself (a grant on that very area,
  not above it): the community's secretary and workers for a community, the street's officials for a street.
  A street official therefore does the street's own assignments but does not do its communities' work.
- The **checker** holds an official role on the issuing area itself (`task.area`): the city's officials check
  what the city issued, a street's officials what the street issued (e.g. the tasks it broke down), a
  community's secretary what the community issued to its grids.
- A **grid**'s assignment is done by its grid workers (or the community staff holding a grant on the grid).

A grant counts when it is live and, with a working area picked in the header switcher, compatible with it (it
covers the working area or lies inside it), like the scoping function's grants (`access.rules.roles_at`).
"""

from __future__ import annotations

from grassroots.access.rules import roles_at
from grassroots.accounts.roles import LINE_OFFICIALS, SUPERVISORS, Role

DOER_ROLES = LINE_OFFICIALS | {Role.GRID_WORKER}
CHECKER_ROLES = SUPERVISORS | {Role.COMMUNITY_SECRETARY}

doer = roles_at("area", *DOER_ROLES)
checker = roles_at("task__area", *CHECKER_ROLES)
