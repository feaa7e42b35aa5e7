"""The duties API, one module per resource, each with its own `register(router)`; this package's `register`
(found by grassroots/api/urls.py) calls them all. Scoped by `duties.view` like the pages; every form of the
pages is here too, through the same service.

- `tasks`        /api/duty-tasks/
- `assignments`  /api/duty-assignments/
- `offices`      /api/offices/ (and …/workload/), /api/office-members/
"""

from grassroots.core.duties.api import assignments, offices, tasks


def register(router) -> None:
    for module in (tasks, assignments, offices):
        module.register(router)
