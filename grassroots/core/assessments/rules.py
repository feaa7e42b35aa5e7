"""Who may take which step, declared once (in the rules of `grassroots.access.rules`) and used by the
transitions, the pending lists, the services and the pages alike.

- Reviews are organized by whoever holds assessments.manage on the level above the reporting organization
  (`reviewing_area`); findings are verified by the inspecting level (`inspection__by_area`).
- The reporter submits their report; the finding's owner rectifies it.
- A review is concluded by its organizers once a score is in, or by a reviewer once every reviewer has
  scored (the last score concludes the review by itself).
"""

from __future__ import annotations

from django.apps import apps
from django.db.models import Q

from grassroots.access.rules import NOTHING, Rule, either, is_user, perm_on
from grassroots.access.scoping import has_perm, secretary_orgs

MANAGE = "assessments.manage"
VIEW = "assessments.view"


def may_write_report(user) -> bool:
    """May the user write a work report at all: they hold assessments.manage somewhere, or they are the
    secretary of a Party organization (the report form offers those organizations). No query beyond the
    grants and the led organizations, both cached on the user for the request."""
    return has_perm(user, MANAGE) or bool(secretary_orgs(user))


class _reviewer_when_all_scored(Rule):
    """A reviewer named for the report, once every reviewer named for it has scored."""

    def __call__(self, report, user) -> bool:
        scores = list(report.scores.values_list("reviewer_id", "score"))
        return any(r == user.pk for r, _s in scores) and all(s is not None for _r, s in scores)

    def q(self, user) -> Q:
        if user is None or not user.is_authenticated:
            return NOTHING
        scores = apps.get_model("assessments", "ReviewScore").objects
        return Q(pk__in=scores.filter(reviewer=user).values("report_id")) & ~Q(
            pk__in=scores.filter(score__isnull=True).values("report_id")
        )


# Work reports: the level above the reporting organization organizes the review and publishes it.
may_organize_review = perm_on("reviewing_area__path", MANAGE)
is_reporter = is_user("reporter")
may_conclude = either(may_organize_review, _reviewer_when_all_scored())

# Findings: the owner rectifies; the inspecting level verifies or sends back.
is_owner = is_user("owner")
may_verify_finding = perm_on("inspection__by_area__path", MANAGE)

# The grid cadre score: field workers (grid workers, mediators, legal workers) see their own.
OWN_SCORE = "assessments.own_score"

# On-site meetings: the organizing level (the gathering's area) keeps them, records lessons and turns them
# into tasks.
may_organize_site_meeting = perm_on("gathering__area__path", MANAGE)
