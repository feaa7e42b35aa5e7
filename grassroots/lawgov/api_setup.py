"""The setup steps of `/api/legal-stations/` (the pages of views_setup.py, through the same services):

- `POST /api/legal-stations/ {area, name, place?, opening_hours?, phone?}`: set up a community's station;
- `PATCH …/{id}/ {name?, place?, opening_hours?, phone?}`: its name, address, hours, phone;
- `POST …/{id}/workers/ {user?, name?, role, organization?}`: a worker (an account among the community's
  legal workers, or a name); `POST …/{id}/remove-worker/ {worker}`: off duty;
- `POST …/{id}/sessions/ {provider, provider_name?, title, capacity, start_time, duration_minutes,
  frequency, weekday?, week_of_month?, day_of_month?, interval?, starts_on, until?, count?}`: a body's
  recurring session (a series; its occurrences in `/api/legal-sessions/`, the series in
  `/api/gathering-series/`);
- `POST …/{id}/education/ {title, starts_at, ends_at, place?, description?, capacity?}`: a legal education
  event (a gathering of the kind `legal_education`, in `/api/gatherings/?kind=legal_education`).
Each answers the station. Who: `lawgov.stations` on the station's community (403 on a station one sees as a
resident; 404 outside)."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.decorators import action

from grassroots.api.fields import ChoiceOfRecordField, ScopedPrimaryKeyRelatedField
from grassroots.areas.models import Area, Level
from grassroots.gatherings.recurrence import WEEK_OF_MONTH_CHOICES, WEEKDAY_CHOICES, Frequency
from grassroots.lawgov import services_stations as services
from grassroots.lawgov.models_stations import Provider, WorkerRole
from grassroots.portal.submissions import API_HELP, MAX_LENGTH


class LegalStationChangeInput(serializers.Serializer):
    name = serializers.CharField(max_length=100)
    place = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    opening_hours = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    phone = serializers.CharField(max_length=30, required=False, allow_blank=True, default="")


class LegalStationInput(LegalStationChangeInput):
    area = ScopedPrimaryKeyRelatedField(
        queryset=Area.objects.filter(level=Level.COMMUNITY, retired=False), permission=services.MANAGE
    )


class LegalWorkerInput(serializers.Serializer):
    user = ChoiceOfRecordField(
        choices=lambda context: services.worker_candidates(context["station"]),
        required=False,
        allow_null=True,
        default=None,
    )
    name = serializers.CharField(max_length=50, required=False, allow_blank=True, default="")
    role = serializers.ChoiceField(choices=WorkerRole.choices)
    organization = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")


class LegalRemoveWorkerInput(serializers.Serializer):
    worker = ChoiceOfRecordField(choices=lambda context: context["station"].workers.filter(active=True))


class LegalSessionInput(serializers.Serializer):
    provider = serializers.ChoiceField(choices=Provider.choices)
    provider_name = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    title = serializers.CharField(max_length=200)
    capacity = serializers.IntegerField(min_value=1, max_value=10000)
    start_time = serializers.TimeField()
    duration_minutes = serializers.IntegerField(min_value=1, max_value=1440)
    frequency = serializers.ChoiceField(choices=Frequency.choices)
    weekday = serializers.ChoiceField(choices=WEEKDAY_CHOICES, required=False, allow_null=True, default=None)
    week_of_month = serializers.ChoiceField(
        choices=WEEK_OF_MONTH_CHOICES, required=False, allow_null=True, default=None
    )
    day_of_month = serializers.IntegerField(
        min_value=1, max_value=31, required=False, allow_null=True, default=None
    )
    interval = serializers.IntegerField(min_value=1, max_value=12, default=1)
    starts_on = serializers.DateField()
    until = serializers.DateField(required=False, allow_null=True, default=None)
    count = serializers.IntegerField(
        min_value=1, max_value=500, required=False, allow_null=True, default=None
    )
    submission = serializers.CharField(
        required=False, allow_blank=True, max_length=MAX_LENGTH, help_text=API_HELP
    )


class LegalEducationInput(serializers.Serializer):
    title = serializers.CharField(max_length=200)
    starts_at = serializers.DateTimeField()
    ends_at = serializers.DateTimeField()
    place = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    description = serializers.CharField(max_length=4000, required=False, allow_blank=True, default="")
    capacity = serializers.IntegerField(
        min_value=1, max_value=100000, required=False, allow_null=True, default=None
    )
    submission = serializers.CharField(
        required=False, allow_blank=True, max_length=MAX_LENGTH, help_text=API_HELP
    )


class StationSetupMixin:
    """The writes of LegalStationViewSet (change_permission `lawgov.stations` on the station's area)."""

    SETUP_INPUTS = {
        "create": LegalStationInput,
        "partial_update": LegalStationChangeInput,
        "workers": LegalWorkerInput,
        "remove_worker": LegalRemoveWorkerInput,
        "sessions": LegalSessionInput,
        "education": LegalEducationInput,
    }

    def get_serializer_class(self):
        return self.SETUP_INPUTS.get(self.action) or super().get_serializer_class()

    @extend_schema(request=LegalStationInput, responses={201: None})
    def create(self, request, *args, **kwargs):
        """Set up a community's legal service station (one per community)."""
        station = services.create_station(actor=request.user, **self.input_of(LegalStationInput))
        return self.answer(station, status.HTTP_201_CREATED)

    @extend_schema(request=LegalStationChangeInput)
    def partial_update(self, request, *args, **kwargs):
        """Change the station's name, address, opening hours or phone."""
        station = self.get_object()
        changes = self.input_of(LegalStationChangeInput, partial=True)
        services.update_station(actor=request.user, station=station, **changes)
        return self.answer(station)

    @extend_schema(request=LegalWorkerInput)
    @action(detail=True, methods=["post"])
    def workers(self, request, pk=None):
        """Add a lawyer, legal adviser or legal worker (an account of the community's legal workers, or a
        name)."""
        station = self.get_object()
        services.add_worker(
            actor=request.user, station=station, **self.input_of(LegalWorkerInput, station=station)
        )
        return self.answer(station, status.HTTP_201_CREATED)

    @extend_schema(request=LegalRemoveWorkerInput)
    @action(detail=True, methods=["post"], url_path="remove-worker")
    def remove_worker(self, request, pk=None):
        """A worker leaves the station (kept, off duty)."""
        station = self.get_object()
        data = self.input_of(LegalRemoveWorkerInput, station=station)
        services.remove_worker(actor=request.user, worker=data["worker"])
        return self.answer(station)

    @extend_schema(request=LegalSessionInput)
    @action(detail=True, methods=["post"])
    def sessions(self, request, pk=None):
        """A body's recurring session at the station (a gathering series with capacity)."""
        station = self.get_object()
        services.schedule_session(actor=request.user, station=station, **self.input_of(LegalSessionInput))
        return self.answer(station, status.HTTP_201_CREATED)

    @extend_schema(request=LegalEducationInput)
    @action(detail=True, methods=["post"])
    def education(self, request, pk=None):
        """A legal education event (法治宣传教育) in the station's community."""
        station = self.get_object()
        services.schedule_education(actor=request.user, station=station, **self.input_of(LegalEducationInput))
        return self.answer(station, status.HTTP_201_CREATED)
