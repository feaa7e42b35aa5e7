"""Reads of on-site meetings: the scoped list (with the counts of their lessons) and one meeting."""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet
from django.http import Http404

from grassroots.access.scoping import scope_q
from grassroots.core.assessments.models import FindingState, Lesson, SiteMeeting
from grassroots.core.assessments.rules import VIEW

RELATED = ("gathering", "gathering__area", "host_area", "task", "inspection", "practice_area")


def visible_site_meetings(user) -> QuerySet[SiteMeeting]:
    """assessments.view on the organizing area (the gathering's) or on the host area: the street's
    meetings, and the host community's own."""
    if user is None or not user.is_authenticated:
        return SiteMeeting.objects.none()
    q = scope_q(user, VIEW, "gathering__area__path") | scope_q(user, VIEW, "host_area__path")
    return SiteMeeting.objects.filter(q)


def site_meetings_for(user) -> QuerySet[SiteMeeting]:
    """With `lesson_count` and `tasked_count` (lessons turned into tasks); filters.SiteMeetingFilter narrows
    it for the page and the API alike."""
    return (
        visible_site_meetings(user)
        .select_related(*RELATED)
        .prefetch_related("visiting_orgs")
        .annotate(
            lesson_count=Count("lessons"),
            tasked_count=Count("lessons", filter=Q(lessons__task__isnull=False)),
        )
        .order_by("-gathering__starts_at", "-pk")
    )


def site_meeting_or_404(user, pk) -> SiteMeeting:
    try:
        return site_meetings_for(user).get(pk=pk)
    except (SiteMeeting.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def lessons_of(meeting: SiteMeeting) -> QuerySet[Lesson]:
    return meeting.lessons.select_related("task", "created_by").order_by("pk")


def visible_lessons(user) -> QuerySet[Lesson]:
    return Lesson.objects.filter(meeting__in=visible_site_meetings(user))


def shown_findings(meeting: SiteMeeting):
    """The rectified (reported or verified) findings of the inspection the meeting shows."""
    if meeting.inspection_id is None:
        return []
    return meeting.inspection.findings.exclude(state=FindingState.RECTIFYING).select_related("area", "owner")
