"""The assessments API, one module per resource, each with its own `register(router)`; this package's
`register` (found by grassroots/api/urls.py) calls them all.

Scoped like the pages (the same `visible_to` rules and the same scoping function: outside → 404), filtered,
paginated (50 a page, at most 500), a fixed number of queries a page. Work report scores are shown only once
published, or to the organizers. Writes go through the same services as the pages.

- `reports`      /api/work-reports/
- `inspections`  /api/inspections/, /api/findings/
- `meetings`     /api/site-meetings/, /api/site-meeting-lessons/
- `results`      /api/assessments/
- `schemes`      /api/assessment-schemes/
- `stationed`    /api/agencies/
- `agencies`     /api/agency-reviews/
- `ratings`      /api/grid-ratings/
- `cadres`       /api/cadre-scores/
- `standards`    /api/standard-items/{id}/compliance/ (which communities meet a standard's item)
"""

from grassroots.core.assessments.api import (
    agencies,
    cadres,
    inspections,
    meetings,
    ratings,
    reports,
    results,
    schemes,
    standards,
    stationed,
)


def register(router) -> None:
    for module in (
        reports,
        inspections,
        meetings,
        results,
        schemes,
        stationed,
        agencies,
        ratings,
        cadres,
        standards,
    ):
        module.register(router)
