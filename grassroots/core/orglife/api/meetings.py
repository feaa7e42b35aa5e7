"""`/api/meetings/`: gatherings of organizational life (the gatherings selector filtered by kind); they are
written through `/api/gatherings/` and the filing forms."""

from __future__ import annotations

from rest_framework import viewsets

from grassroots.core.orglife import kinds
from grassroots.core.orglife.selectors import forms as selectors
from grassroots.gatherings.api import GatheringSerializer
from grassroots.gatherings.filters import GatheringFilter


class MeetingFilter(GatheringFilter):
    class Meta(GatheringFilter.Meta):
        pass

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["kind"].extra["choices"] = kinds.choices


class MeetingViewSet(viewsets.ReadOnlyModelViewSet):
    """Gatherings of organizational life (三会一课, 组织生活会, 主题党日) the user may see: the gatherings
    selector (its visibility rule) filtered to these kinds, with the gatherings filter."""

    serializer_class = GatheringSerializer
    filterset_class = MeetingFilter

    def get_queryset(self):
        return selectors.meetings_for(self.request.user)


def register(router) -> None:
    router.register("meetings", MeetingViewSet, basename="meeting")
