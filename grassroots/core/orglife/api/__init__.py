"""The organizational-life API, one module per resource, each with its own `register(router)`; this
package's `register` (found by grassroots/api/urls.py) calls them all. Everything is scoped by `orglife.view`
with the organization secretaries' clause; every write goes through the service the page calls.

- `plans`       /api/orglife-plans/, /api/orglife-guidance/
- `reports`     /api/orglife-reports/
- `appraisals`  /api/appraisals/ (written at /api/orglife-reports/{id}/appraisals/)
- `study`       /api/study-plans/
- `meetings`    /api/meetings/
"""

from grassroots.core.orglife.api import appraisals, meetings, plans, reports, study


def register(router) -> None:
    for module in (plans, reports, appraisals, study, meetings):
        module.register(router)
