"""`/api/pairings/`: every step of the pairing pages, through the services the pages call; reads through
selectors_pairings (anything outside is 404).

- `GET /api/pairings/` (`?state=`, `?kind=`) / `{id}/`: the pairings in sight, with their commitments and
  service record (what, when, hours);
- `POST /api/pairings/`: pair a unit with the community's Party organization, or a cadre with a member or a
  household, with its commitments;
- `POST …/{id}/commitments/`, `…/{id}/services/`, `…/{id}/end/`: add a commitment, record a service, end;
- `POST /api/pairings/register/`: a unit's Party organization registers with a community (双报到; the
  members' dual registration, pending until the community confirms)."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from grassroots.api.fields import ScopedPrimaryKeyRelatedField
from grassroots.api.scoping import ScopedViewSetMixin
from grassroots.areas.models import Area, Level, PartyOrg
from grassroots.cogov.models import Partner
from grassroots.core.members.models import Member
from grassroots.lawgov import selectors_pairings as selectors
from grassroots.lawgov import services_pairings as services
from grassroots.lawgov.forms_pairings import _partners
from grassroots.lawgov.models_pairings import (
    Department,
    Pairing,
    PairingCommitment,
    PairingKind,
    PairingService,
    PairingState,
)
from grassroots.portal.submissions import API_HELP, MAX_LENGTH
from grassroots.voting.models import Household


class PairingCommitmentSerializer(serializers.ModelSerializer):
    class Meta:
        model = PairingCommitment
        fields = ["id", "text", "created_at"]
        read_only_fields = fields


class PairingServiceSerializer(serializers.ModelSerializer):
    class Meta:
        model = PairingService
        fields = ["id", "done_on", "content", "hours", "recorded_at"]
        read_only_fields = fields


class PairingSerializer(serializers.ModelSerializer):
    partner_name = serializers.CharField(source="partner.name", read_only=True)
    community_name = serializers.CharField(source="community.name", read_only=True)
    cadre_name = serializers.SerializerMethodField()
    paired_with = serializers.CharField(read_only=True)
    commitments = PairingCommitmentSerializer(many=True, read_only=True)
    services = PairingServiceSerializer(many=True, read_only=True)

    class Meta:
        model = Pairing
        fields = ["id", "kind", "state", "community", "community_name", "partner", "partner_name"]
        fields += ["department", "community_org", "cadre", "cadre_name", "member", "household", "paired_with"]
        fields += ["started_on", "ended_on", "end_reason", "commitments", "services"]
        read_only_fields = fields

    def get_cadre_name(self, pairing) -> str | None:
        cadre = pairing.cadre
        return (cadre.get_full_name() or cadre.username) if cadre is not None else None


def _users(user):
    return get_user_model().objects.filter(is_active=True)


class PairingInput(serializers.Serializer):
    kind = serializers.ChoiceField(choices=PairingKind.choices)
    community = ScopedPrimaryKeyRelatedField(
        queryset=Area.objects.all(), scope=selectors.manageable_communities
    )
    partner = ScopedPrimaryKeyRelatedField(queryset=Partner.objects.all(), scope=_partners)
    department = serializers.ChoiceField(choices=Department.choices)
    started_on = serializers.DateField()
    community_org = ScopedPrimaryKeyRelatedField(
        queryset=PartyOrg.objects.all(), scope=selectors.community_orgs, required=False, allow_null=True
    )
    cadre = ScopedPrimaryKeyRelatedField(
        queryset=get_user_model().objects.all(), scope=_users, required=False, allow_null=True
    )
    member = ScopedPrimaryKeyRelatedField(
        queryset=Member.objects.all(), scope=selectors.pairable_members, required=False, allow_null=True
    )
    household = ScopedPrimaryKeyRelatedField(
        queryset=Household.objects.all(),
        scope=selectors.pairable_households,
        required=False,
        allow_null=True,
    )
    commitments = serializers.ListField(
        child=serializers.CharField(max_length=200), required=False, default=list, max_length=50
    )
    submission = serializers.CharField(
        required=False, allow_blank=True, max_length=MAX_LENGTH, help_text=API_HELP
    )


class PairingCommitmentInput(serializers.Serializer):
    text = serializers.CharField(max_length=200)
    submission = serializers.CharField(
        required=False, allow_blank=True, max_length=MAX_LENGTH, help_text=API_HELP
    )


class PairingServiceInput(serializers.Serializer):
    done_on = serializers.DateField()
    content = serializers.CharField(max_length=300)
    hours = serializers.DecimalField(max_digits=5, decimal_places=1)
    submission = serializers.CharField(
        required=False, allow_blank=True, max_length=MAX_LENGTH, help_text=API_HELP
    )


class PairingEndInput(serializers.Serializer):
    reason = serializers.CharField(max_length=200)


class UnitRegisterInput(serializers.Serializer):
    partner = ScopedPrimaryKeyRelatedField(
        queryset=Partner.objects.all(), scope=selectors.registrable_partners
    )
    community = serializers.PrimaryKeyRelatedField(
        queryset=Area.objects.filter(level=Level.COMMUNITY, retired=False)
    )
    services_offered = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")


class PairingViewSet(ScopedViewSetMixin, mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = PairingSerializer
    queryset = Pairing.objects.all()
    view_permission = services.VIEW
    services_decide = True
    http_method_names = ["get", "post", "head", "options"]

    def scope_queryset(self, queryset):
        params = self.request.query_params
        state = params.get("state", "")
        kind = params.get("kind", "")
        rows = selectors.visible_pairings(self.request.user).prefetch_related("commitments", "services")
        if state in PairingState.values:
            rows = rows.filter(state=state)
        if kind in PairingKind.values:
            rows = rows.filter(kind=kind)
        return rows.order_by("-started_on", "-pk")

    def get_serializer_class(self):
        return PairingInput if self.action == "create" else PairingSerializer

    @extend_schema(request=PairingInput, responses={201: PairingSerializer})
    def create(self, request, *args, **kwargs):
        """Pair a unit (registered and confirmed in the community) or one of its cadres."""
        pairing = services.create_pairing(actor=request.user, **self.input_of(PairingInput))
        return self.answer(pairing, status.HTTP_201_CREATED)

    def _step(self, service, input_class, code=status.HTTP_200_OK):
        pairing = self.get_object()
        service(actor=self.request.user, pairing=pairing, **self.input_of(input_class))
        return self.answer(pairing, code)

    @extend_schema(request=PairingCommitmentInput, responses={201: PairingSerializer})
    @action(detail=True, methods=["post"])
    def commitments(self, request, pk=None):
        """Add a commitment (the community's staff or the unit's representatives)."""
        return self._step(services.add_commitment, PairingCommitmentInput, status.HTTP_201_CREATED)

    @extend_schema(request=PairingServiceInput, responses={201: PairingSerializer})
    @action(detail=True, methods=["post"])
    def services(self, request, pk=None):
        """Record a service: what was done, when, hours (the cadre, the unit's representatives, the
        community)."""
        return self._step(services.record_service, PairingServiceInput, status.HTTP_201_CREATED)

    @extend_schema(request=PairingEndInput, responses={200: PairingSerializer})
    @action(detail=True, methods=["post"])
    def end(self, request, pk=None):
        """End the pairing, with the reason."""
        return self._step(services.end_pairing, PairingEndInput)

    @extend_schema(
        request=UnitRegisterInput,
        responses={
            201: inline_serializer(
                "UnitRegistration", {"id": serializers.IntegerField(), "state": serializers.CharField()}
            )
        },
    )
    @action(detail=False, methods=["post"])
    def register(self, request):
        """A unit's Party organization registers with a community (双报到), pending its confirmation."""
        registration = services.register_unit(actor=request.user, **self.input_of(UnitRegisterInput))
        return Response({"id": registration.pk, "state": registration.state}, status=status.HTTP_201_CREATED)
