"""`/api/legal-stations/`, `/api/legal-sessions/` and `/api/consultations/`: every step of the stations'
pages, through the services the pages call; reads through selectors_stations (anything outside is 404).

- `GET /api/legal-stations/` / `{id}/`: the stations you run or live by, with their workers;
- `GET /api/legal-sessions/` (`?station=`): the upcoming occurrences of their sessions, booked/capacity and
  whether you booked; `POST …/{id}/book/` and `…/{id}/cancel/` (the gatherings' sign-up: a full occurrence
  is refused with its Chinese message);
- `GET /api/consultations/` / `{id}/`: the consultations of the stations you run; `POST` records one
  (`resident` of the station's community, `occurrence` of its sessions; `referral` mediation files a
  case at the station and links it)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action

from grassroots.accounts.models import User
from grassroots.api.fields import ScopedPrimaryKeyRelatedField
from grassroots.api.filters import int_param
from grassroots.api.scoping import ScopedViewSetMixin
from grassroots.gatherings.models import Gathering, Participant
from grassroots.lawgov import selectors_stations as selectors
from grassroots.lawgov import services_stations as services
from grassroots.lawgov.api_setup import StationSetupMixin
from grassroots.lawgov.models_stations import Consultation, LegalStation, LegalWorker, Referral, Topic
from grassroots.portal.submissions import API_HELP, MAX_LENGTH


class LegalWorkerSerializer(serializers.ModelSerializer):
    class Meta:
        model = LegalWorker
        fields = ["id", "name", "role", "organization"]
        read_only_fields = fields


class LegalStationSerializer(serializers.ModelSerializer):
    area_name = serializers.CharField(source="area.name", read_only=True)
    workers = serializers.SerializerMethodField()

    class Meta:
        model = LegalStation
        fields = ["id", "area", "area_name", "name", "place", "opening_hours", "phone", "workers"]
        read_only_fields = fields

    def get_workers(self, station) -> list[dict]:
        return LegalWorkerSerializer([w for w in station.workers.all() if w.active], many=True).data


class LegalStationViewSet(
    StationSetupMixin,
    ScopedViewSetMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.ReadOnlyModelViewSet,
):
    """Read the stations; their setup (create, change, workers, sessions, education): api_setup.py."""

    serializer_class = LegalStationSerializer
    queryset = LegalStation.objects.all()
    view_permission = services.MANAGE
    change_permission = services.MANAGE
    http_method_names = ["get", "post", "patch", "head", "options"]

    def scope_queryset(self, queryset):
        return (
            selectors.visible_stations(self.request.user).prefetch_related("workers").order_by("area__path")
        )


class LegalSessionSerializer(serializers.ModelSerializer):
    station = serializers.IntegerField(source="series.legal_session.station_id", read_only=True)
    provider = serializers.CharField(source="series.legal_session.provider", read_only=True)
    provider_name = serializers.CharField(source="series.legal_session.provider_name", read_only=True)
    booked = serializers.IntegerField(read_only=True)
    mine = serializers.SerializerMethodField()

    class Meta:
        model = Gathering
        fields = ["id", "station", "title", "provider", "provider_name", "starts_at", "ends_at", "place"]
        fields += ["capacity", "booked", "mine"]
        read_only_fields = fields

    def get_mine(self, occurrence) -> bool:
        return occurrence.pk in self.context.get("mine", ())


class LegalSessionViewSet(ScopedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    """The occurrences (gatherings) of the stations' recurring sessions."""

    serializer_class = LegalSessionSerializer
    queryset = Gathering.objects.all()
    view_permission = services.MANAGE
    services_decide = True

    def scope_queryset(self, queryset):
        stations = selectors.visible_stations(self.request.user)
        station = int_param(self.request, "station")
        if station is not None:
            stations = stations.filter(pk=station)
        return selectors.occurrences(stations.values("pk"), upcoming=self.action == "list")

    def get_serializer_context(self):
        context = super().get_serializer_context()
        user = self.request.user
        if user.is_authenticated:
            context["mine"] = set(
                Participant.objects.filter(user=user, signed_up_at__isnull=False).values_list(
                    "gathering_id", flat=True
                )
            )
        return context

    def _step(self, service):
        occurrence = self.get_object()
        try:
            service(user=self.request.user, occurrence=occurrence)
        except ValidationError as exc:
            raise serializers.ValidationError({"detail": exc.messages}) from exc
        return self.answer(occurrence)

    @extend_schema(request=None, responses={200: LegalSessionSerializer})
    @action(detail=True, methods=["post"])
    def book(self, request, pk=None):
        """Book a place (no overbooking: a full occurrence is refused)."""
        return self._step(services.book)

    @extend_schema(request=None, responses={200: LegalSessionSerializer})
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        """Cancel your booking."""
        return self._step(services.cancel_booking)


class ConsultationSerializer(serializers.ModelSerializer):
    dispute_number = serializers.CharField(source="dispute.number", read_only=True, default=None)

    class Meta:
        model = Consultation
        fields = [
            "id",
            "station",
            "occurrence",
            "resident",
            "topic",
            "question",
            "answer",
            "referral",
            "referred_to",
        ]
        fields += ["dispute", "dispute_number", "recorded_at"]
        read_only_fields = fields


def _residents(user):
    from grassroots.lawgov.selectors_filing import findable_residents

    return findable_residents(user)


def _occurrences(user):
    return selectors.occurrences(selectors.managed_stations(user).values("pk"), upcoming=False)


class ConsultationInput(serializers.Serializer):
    station = ScopedPrimaryKeyRelatedField(
        queryset=LegalStation.objects.all(), scope=selectors.managed_stations
    )
    resident = ScopedPrimaryKeyRelatedField(
        queryset=User.objects.all(),
        scope=_residents,
        required=False,
        allow_null=True,
        default=None,
        help_text=_("咨询人：本站所在社区的居民 id"),
    )
    occurrence = ScopedPrimaryKeyRelatedField(
        queryset=Gathering.objects.all(),
        scope=_occurrences,
        required=False,
        allow_null=True,
        default=None,
        help_text=_("服务场次 id（/api/legal-sessions/）"),
    )
    topic = serializers.ChoiceField(choices=Topic.choices)
    question = serializers.CharField(max_length=4000)
    answer = serializers.CharField(max_length=4000, required=False, allow_blank=True, default="")
    referral = serializers.ChoiceField(choices=Referral.choices, default=Referral.NONE)
    referred_to = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    respondent = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    submission = serializers.CharField(
        required=False, allow_blank=True, max_length=MAX_LENGTH, help_text=API_HELP
    )


class ConsultationViewSet(ScopedViewSetMixin, mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = ConsultationSerializer
    queryset = Consultation.objects.all()
    view_permission = services.MANAGE
    services_decide = True
    http_method_names = ["get", "post", "head", "options"]

    def scope_queryset(self, queryset):
        return selectors.visible_consultations(self.request.user)

    def get_serializer_class(self):
        return ConsultationInput if self.action == "create" else ConsultationSerializer

    @extend_schema(request=ConsultationInput, responses={201: ConsultationSerializer})
    def create(self, request, *args, **kwargs):
        """Record a consultation; `referral` mediation files a case at the station and links it."""
        data = self.input_of(ConsultationInput)
        respondent = data.pop("respondent")
        with transaction.atomic():
            consultation = services.record_consultation(actor=request.user, **data)
            if data["referral"] == Referral.MEDIATION:
                services.refer_to_mediation(
                    actor=request.user, consultation=consultation, respondent=respondent
                )
        return self.answer(consultation, status.HTTP_201_CREATED)
