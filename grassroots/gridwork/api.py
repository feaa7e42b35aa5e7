"""`/api/visits/`: the visit log (走访日志). GET lists the visits in the user's scope for `gridwork.view`
(`?mine=1`: only the user's own; `?month=YYYY-MM`, anything else a 400 on `month`);
POST `{area, visited_on, heard, resident?, household?,
follow_up?, follow_up_note?}` logs the user's visit (`services.record_visit`: the area must lie within their
grant for `gridwork.record`, else 400 at `area`); POST `/{id}/close/ {note}` closes its follow-up
(`services.close_follow_up`)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action

from grassroots.accounts.models import User
from grassroots.api.fields import ScopedPrimaryKeyRelatedField
from grassroots.api.scoping import ScopedViewSetMixin
from grassroots.areas.models import Area
from grassroots.gridwork import selectors, services
from grassroots.gridwork.filters import VisitFilter
from grassroots.gridwork.models import Visit
from grassroots.portal.submissions import API_HELP, MAX_LENGTH
from grassroots.voting.models import Household


class GridVisitSerializer(serializers.ModelSerializer):
    worker_name = serializers.StringRelatedField(source="worker")
    area_name = serializers.CharField(source="area.name", read_only=True)
    household_name = serializers.CharField(source="household.name", read_only=True, default=None)

    class Meta:
        model = Visit
        fields = [
            "id",
            "worker",
            "worker_name",
            "area",
            "area_name",
            "resident",
            "household",
            "household_name",
            "visited_on",
            "heard",
            "follow_up",
            "follow_up_note",
            "closed_at",
            "closed_by",
            "closing_note",
            "created_at",
        ]


class GridVisitInput(serializers.Serializer):
    area = ScopedPrimaryKeyRelatedField(
        queryset=Area.objects.all(),
        scope=selectors.recordable_areas,
        help_text=_("您负责的区域（网格、院落、楼栋）的 id"),
    )
    resident = ScopedPrimaryKeyRelatedField(
        queryset=User.objects.all(),
        scope=selectors.visitable_residents,
        required=False,
        allow_null=True,
        default=None,
    )
    household = ScopedPrimaryKeyRelatedField(
        queryset=Household.objects.all(),
        scope=selectors.visitable_households,
        required=False,
        allow_null=True,
        default=None,
    )
    visited_on = serializers.DateField()
    heard = serializers.CharField()
    follow_up = serializers.BooleanField(required=False, default=False)
    follow_up_note = serializers.CharField(required=False, allow_blank=True, default="")
    submission = serializers.CharField(
        required=False, allow_blank=True, max_length=MAX_LENGTH, help_text=API_HELP
    )


class CloseFollowUpInput(serializers.Serializer):
    note = serializers.CharField(help_text=_("跟进结果：办了什么、结果如何"))


class VisitViewSet(ScopedViewSetMixin, mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    view_permission = selectors.VIEW
    change_permission = selectors.RECORD
    serializer_class = GridVisitSerializer
    queryset = Visit.objects.select_related("area", "worker", "household").order_by("-visited_on", "-pk")
    filterset_class = VisitFilter

    def get_serializer_class(self):
        return GridVisitInput if self.action == "create" else GridVisitSerializer

    @extend_schema(request=GridVisitInput, responses={201: GridVisitSerializer})
    def create(self, request, *args, **kwargs):
        visit = services.record_visit(actor=request.user, **self.input_of(GridVisitInput))
        return self.answer(visit, status.HTTP_201_CREATED)

    @extend_schema(
        request=CloseFollowUpInput, responses={200: GridVisitSerializer}, summary=_("办结走访跟进")
    )
    @action(detail=True, methods=["post"], url_path="close")
    def close(self, request, pk=None):
        """Close the visit's follow-up with a note (services.close_follow_up): it leaves the worker's to-do.
        400 at `note` when empty, or when the visit needs no follow-up or is closed already."""
        visit = services.close_follow_up(
            actor=request.user, visit=self.get_object(), **self.input_of(CloseFollowUpInput)
        )
        return self.answer(visit, status.HTTP_200_OK)


def register(router) -> None:
    router.register("visits", VisitViewSet, basename="visit")
