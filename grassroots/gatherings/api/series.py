"""`/api/gathering-series/`: recurring gatherings (docs/gatherings.md "Recurrence").

- `GET` the series of the areas where you see all gatherings (gatherings.view_all), with their occurrences;
- `POST` creates one and materialises its occurrences up to the horizon (gatherings.manage on `area`);
- `PATCH …/{id}/` changes what the occurrences still to come are (SERIES_FIELDS), except those changed on
  their own (change one occurrence at `/api/gatherings/{id}/`);
- `POST …/{id}/cancel/ {from_day, reason?}` cancels the series from that day.
Each occurrence is a gathering: sign-up, attendance and the steps are `/api/gatherings/`'s."""

from __future__ import annotations

from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action

from grassroots.api.fields import ScopedPrimaryKeyRelatedField
from grassroots.api.scoping import ScopedViewSetMixin
from grassroots.areas.models import Area, PartyOrg
from grassroots.gatherings import services
from grassroots.gatherings.models import Gathering, Series, Visibility
from grassroots.gatherings.recurrence import WEEK_OF_MONTH_CHOICES, WEEKDAY_CHOICES, Frequency

MANAGE = "gatherings.manage"


class OccurrenceSerializer(serializers.ModelSerializer):
    class Meta:
        model = Gathering
        fields = ["id", "occurrence_on", "starts_at", "ends_at", "status", "series_edited"]
        read_only_fields = fields


class SeriesSerializer(serializers.ModelSerializer):
    kind = serializers.CharField(read_only=True, help_text=_("会议活动类型代码"))
    kind_label = serializers.CharField(read_only=True)
    area_name = serializers.CharField(source="area.name", read_only=True)
    rule_label = serializers.CharField(read_only=True)
    occurrences = OccurrenceSerializer(many=True, read_only=True)

    class Meta:
        model = Series
        fields = [
            "id",
            "kind",
            "kind_label",
            "title",
            "area",
            "area_name",
            "organizer",
            "party_org",
            "place",
            "description",
            "visibility",
            "capacity",
            "signup_open",
            "start_time",
            "duration_minutes",
            "frequency",
            "interval",
            "weekday",
            "week_of_month",
            "day_of_month",
            "starts_on",
            "until",
            "count",
            "rule_label",
            "cancelled_from",
            "cancel_reason",
            "occurrences",
        ]
        read_only_fields = fields


class SeriesChangeInput(serializers.Serializer):
    title = serializers.CharField(max_length=200)
    place = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    description = serializers.CharField(required=False, allow_blank=True, default="")
    visibility = serializers.ChoiceField(choices=Visibility.choices, default=Visibility.PUBLIC)
    capacity = serializers.IntegerField(
        min_value=1, max_value=100000, required=False, allow_null=True, default=None
    )
    signup_open = serializers.BooleanField(required=False, default=False)
    start_time = serializers.TimeField(help_text=_("每次的开始时刻（北京时间）"))
    duration_minutes = serializers.IntegerField(min_value=1, max_value=1440)


class SeriesInput(SeriesChangeInput):
    kind = serializers.CharField(max_length=40, help_text=_("会议活动类型代码"))
    area = ScopedPrimaryKeyRelatedField(queryset=Area.objects.filter(retired=False), permission=MANAGE)
    party_org = ScopedPrimaryKeyRelatedField(
        queryset=PartyOrg.objects.filter(retired=False),
        permission=MANAGE,
        required=False,
        allow_null=True,
        default=None,
    )
    frequency = serializers.ChoiceField(choices=Frequency.choices)
    interval = serializers.IntegerField(min_value=1, max_value=12, default=1)
    weekday = serializers.ChoiceField(choices=WEEKDAY_CHOICES, required=False, allow_null=True, default=None)
    week_of_month = serializers.ChoiceField(
        choices=WEEK_OF_MONTH_CHOICES, required=False, allow_null=True, default=None
    )
    day_of_month = serializers.IntegerField(
        min_value=1, max_value=31, required=False, allow_null=True, default=None
    )
    starts_on = serializers.DateField()
    until = serializers.DateField(required=False, allow_null=True, default=None)
    count = serializers.IntegerField(
        min_value=1, max_value=500, required=False, allow_null=True, default=None
    )


class SeriesCancelInput(serializers.Serializer):
    from_day = serializers.DateField(help_text=_("自该日（含）起取消"))
    reason = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")


class SeriesViewSet(
    ScopedViewSetMixin, mixins.CreateModelMixin, mixins.UpdateModelMixin, viewsets.ReadOnlyModelViewSet
):
    queryset = Series.objects.select_related("area").prefetch_related(
        Prefetch("occurrences", queryset=Gathering.objects.order_by("occurrence_on"))
    )
    serializer_class = SeriesSerializer
    view_permission = "gatherings.view_all"
    change_permission = MANAGE
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_serializer_class(self):
        return {"create": SeriesInput, "partial_update": SeriesChangeInput, "cancel": SeriesCancelInput}.get(
            self.action, SeriesSerializer
        )

    @extend_schema(request=SeriesInput, responses={201: SeriesSerializer})
    def create(self, request, *args, **kwargs):
        """Create a series (gatherings.manage on `area`) and its occurrences up to the horizon."""
        series = services.create_series(actor=request.user, **self.input_of(SeriesInput))
        return self.answer(series, status.HTTP_201_CREATED)

    @extend_schema(request=SeriesChangeInput, responses=SeriesSerializer)
    def partial_update(self, request, *args, **kwargs):
        """Change the series and its occurrences still to come (not those changed on their own)."""
        series = self.get_object()
        services.update_series(
            actor=request.user, series=series, **self.input_of(SeriesChangeInput, partial=True)
        )
        return self.answer(series)

    @extend_schema(request=SeriesCancelInput, responses=SeriesSerializer)
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        """Cancel the series from `from_day`: its planned occurrences from that day are cancelled."""
        series = self.get_object()
        services.cancel_series(actor=request.user, series=series, **self.input_of(SeriesCancelInput))
        return self.answer(series)
