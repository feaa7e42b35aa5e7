"""The coverage API, one module per resource, each with its own `register(router)`; this package's
`register` (found by grassroots/api/urls.py) calls them all. Scoped by `coverage.view` like the pages; every
form of the pages is here too, through the same service (`coverage.change`, checked by the services).

- `entities`     /api/entities/
- `instructors`  /api/instructors/
- `cross`        /api/cross-appointments/
- `teams`        /api/service-teams/
"""

from grassroots.core.coverage.api import cross, entities, instructors, teams


def register(router) -> None:
    for module in (entities, instructors, cross, teams):
        module.register(router)
