"""`/api/negotiations/`: every step of the negotiations' pages, through the services the pages call. Reads go
through `selectors_negotiations.visible_negotiations` (anything else is 404).

- `GET /api/negotiations/` (`?state=`) / `{id}/`: with parties, sessions (and each party's positions),
  the agreement (text, file link), follow-up items (overdue flag), failure and handover reasons;
- `POST /api/negotiations/` start one (`area`, `party_org`, `subject`, `description`, `matter`, `parties`);
- `POST …/{id}/parties/ {kind, partner | name, role}`; `…/{id}/sessions/ {starts_at, ends_at, place,
  description}`; `…/{id}/positions/ {session, party, text}`; `…/{id}/follow-ups/ {text, owner, due_on}`;
  `…/{id}/follow-ups/done/ {item, note}`;
- the steps: `POST …/{id}/transitions/agree/ {text, file}` (multipart for the file), `fail` and `hand_over`
  (`comment`: the reason), `complete`, `close` (grassroots.api.transitions)."""

from __future__ import annotations

from django.db.models import Prefetch
from django.urls import reverse
from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser

from grassroots.api.fields import ChoiceOfRecordField, ScopedPrimaryKeyRelatedField
from grassroots.api.scoping import ScopedViewSetMixin
from grassroots.api.transitions import StepForm
from grassroots.areas.models import Area, PartyOrg
from grassroots.portal.submissions import API_HELP, MAX_LENGTH
from grassroots.selfgov import selectors, selectors_negotiations
from grassroots.selfgov.models import Matter
from grassroots.selfgov.models_negotiations import (
    FollowUp,
    Negotiation,
    NegotiationParty,
    NegotiationSession,
    NegotiationState,
    PartyKind,
    Position,
)
from grassroots.selfgov.services import negotiations as services


class PartySerializer(serializers.ModelSerializer):
    label = serializers.CharField(read_only=True)

    class Meta:
        model = NegotiationParty
        fields = ["id", "kind", "partner", "name", "role", "label"]
        read_only_fields = fields


class PositionSerializer(serializers.ModelSerializer):
    recorded_by = serializers.CharField(source="author.display_name", read_only=True)

    class Meta:
        model = Position
        fields = ["id", "party", "text", "recorded_by", "created_at"]
        read_only_fields = fields


class SessionSerializer(serializers.ModelSerializer):
    starts_at = serializers.DateTimeField(source="gathering.starts_at", read_only=True)
    ends_at = serializers.DateTimeField(source="gathering.ends_at", read_only=True)
    place = serializers.CharField(source="gathering.place", read_only=True)
    status = serializers.CharField(source="gathering.status", read_only=True)
    minutes = serializers.CharField(source="gathering.minutes", read_only=True)
    positions = PositionSerializer(many=True, read_only=True)

    class Meta:
        model = NegotiationSession
        fields = [
            "id",
            "number",
            "gathering",
            "starts_at",
            "ends_at",
            "place",
            "status",
            "minutes",
            "positions",
        ]
        read_only_fields = fields


class FollowUpSerializer(serializers.ModelSerializer):
    overdue = serializers.SerializerMethodField()

    class Meta:
        model = FollowUp
        fields = ["id", "text", "owner", "due_on", "done_at", "done_note", "overdue"]
        read_only_fields = fields

    def get_overdue(self, item) -> bool:
        return item.is_overdue(timezone.localdate())


class NegotiationSerializer(serializers.ModelSerializer):
    area_name = serializers.CharField(source="area.name", read_only=True)
    party_org_name = serializers.CharField(source="party_org.name", read_only=True)
    state_label = serializers.CharField(read_only=True)
    parties = PartySerializer(many=True, read_only=True)
    sessions = SessionSerializer(many=True, read_only=True)
    follow_ups = FollowUpSerializer(many=True, read_only=True)
    agreement_file = serializers.SerializerMethodField()
    url = serializers.CharField(source="get_absolute_url", read_only=True)

    class Meta:
        model = Negotiation
        fields = [
            "id",
            "community",
            "area",
            "area_name",
            "subject",
            "description",
            "party_org",
            "party_org_name",
            "matter",
            "state",
            "state_label",
            "parties",
            "sessions",
            "agreement_text",
            "agreement_file",
            "agreed_at",
            "follow_ups",
            "failure_reason",
            "handover_reason",
            "handed_over_at",
            "created_at",
            "url",
        ]
        read_only_fields = fields

    def get_agreement_file(self, negotiation) -> str | None:
        if not negotiation.agreement_file:
            return None
        return reverse("selfgov:negotiation_file", args=[negotiation.pk])


def _partners(context):
    return selectors_negotiations.pickable_partners(context["request"].user)


class PartyInput(serializers.Serializer):
    kind = serializers.ChoiceField(choices=PartyKind.choices)
    partner = ChoiceOfRecordField(choices=_partners, required=False, allow_null=True, default=None)
    name = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    role = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")


class NegotiationInput(serializers.Serializer):
    area = ScopedPrimaryKeyRelatedField(
        queryset=Area.objects.filter(retired=False), permission="selfgov.manage"
    )
    party_org = ScopedPrimaryKeyRelatedField(
        queryset=PartyOrg.objects.filter(retired=False), scope=selectors_negotiations.org_choices
    )
    subject = serializers.CharField(max_length=200)
    description = serializers.CharField(max_length=4000, required=False, allow_blank=True, default="")
    matter = ScopedPrimaryKeyRelatedField(
        queryset=Matter.objects.all(),
        scope=lambda user: selectors.visible_matters(user),
        required=False,
        allow_null=True,
        default=None,
    )
    parties = PartyInput(many=True, required=False, default=list)
    submission = serializers.CharField(
        required=False, allow_blank=True, max_length=MAX_LENGTH, help_text=API_HELP
    )


class SessionInput(serializers.Serializer):
    starts_at = serializers.DateTimeField()
    ends_at = serializers.DateTimeField()
    place = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    description = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")


class PositionInput(serializers.Serializer):
    session = ChoiceOfRecordField(choices=lambda c: c["negotiation"].sessions.all())
    party = ChoiceOfRecordField(choices=lambda c: c["negotiation"].parties.all())
    text = serializers.CharField(max_length=2000)


class FollowUpInput(serializers.Serializer):
    text = serializers.CharField(max_length=300)
    owner = ChoiceOfRecordField(choices=lambda c: c["negotiation"].parties.all())
    due_on = serializers.DateField()


class FollowUpDoneInput(serializers.Serializer):
    item = ChoiceOfRecordField(choices=lambda c: c["negotiation"].follow_ups.all())
    note = serializers.CharField(max_length=2000)


class AgreementInput(serializers.Serializer):
    text = serializers.CharField(max_length=8000)
    file = serializers.FileField(required=False, allow_null=True, default=None)


def _agree(view, record, *, actor, comment, attachments, text, file=None):
    services.reach_agreement(
        actor=actor, negotiation=record, text=text, file=file, comment=comment, attachments=attachments
    )


class NegotiationViewSet(ScopedViewSetMixin, mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = NegotiationSerializer
    queryset = Negotiation.objects.all()
    view_permission = selectors_negotiations.VIEW
    services_decide = True
    parser_classes = [JSONParser, MultiPartParser, FormParser]
    http_method_names = ["get", "post", "head", "options"]
    transition_forms = {"agree": StepForm(AgreementInput, _agree)}

    def scope_queryset(self, queryset):
        queryset = (
            selectors_negotiations.visible_negotiations(self.request.user)
            .select_related("area", "party_org")
            .prefetch_related(
                Prefetch("parties", queryset=NegotiationParty.objects.select_related("partner")),
                Prefetch(
                    "sessions",
                    queryset=NegotiationSession.objects.select_related("gathering").prefetch_related(
                        Prefetch("positions", queryset=Position.objects.select_related("author"))
                    ),
                ),
                "follow_ups",
            )
        )
        state = self.request.query_params.get("state")
        if state in NegotiationState.values:
            queryset = queryset.filter(state=state)
        return queryset.order_by("-created_at", "-pk")

    def get_serializer_class(self):
        return {
            "create": NegotiationInput,
            "parties": PartyInput,
            "sessions": SessionInput,
            "positions": PositionInput,
            "follow_ups": FollowUpInput,
            "follow_up_done": FollowUpDoneInput,
        }.get(self.action, NegotiationSerializer)

    @extend_schema(request=NegotiationInput, responses={201: NegotiationSerializer})
    def create(self, request, *args, **kwargs):
        """Start a negotiation (selfgov.manage on `area`), perhaps from a matter, with its first parties."""
        data = self.input_of(NegotiationInput)
        parties = [dict(p) for p in data.pop("parties")]
        negotiation = services.start_negotiation(actor=request.user, parties=parties, **data)
        return self.answer(negotiation, status.HTTP_201_CREATED)

    def _act(self, serializer_class, service, code=status.HTTP_200_OK):
        negotiation = self.get_object()
        data = self.input_of(serializer_class, negotiation=negotiation)
        service(actor=self.request.user, negotiation=negotiation, **data)
        return self.answer(negotiation, code)

    @extend_schema(request=PartyInput, responses={201: NegotiationSerializer})
    @action(detail=True, methods=["post"])
    def parties(self, request, pk=None):
        """Add a party: an organization of the register you see (`partner`), or one by name."""
        return self._act(PartyInput, services.add_party, status.HTTP_201_CREATED)

    @extend_schema(request=SessionInput, responses={201: NegotiationSerializer})
    @action(detail=True, methods=["post"])
    def sessions(self, request, pk=None):
        """Schedule a session (a gathering of kind negotiation; the parties its guests)."""
        return self._act(SessionInput, services.schedule_session, status.HTTP_201_CREATED)

    @extend_schema(request=PositionInput, responses=NegotiationSerializer)
    @action(detail=True, methods=["post"])
    def positions(self, request, pk=None):
        """Record what a party holds at a session (again: replaces it)."""
        return self._act(PositionInput, services.record_position)

    @extend_schema(request=FollowUpInput, responses={201: NegotiationSerializer})
    @action(detail=True, methods=["post"], url_path="follow-ups")
    def follow_ups(self, request, pk=None):
        """Add a follow-up item of the agreement: a party owns it, by a date."""
        return self._act(FollowUpInput, services.add_follow_up, status.HTTP_201_CREATED)

    @extend_schema(request=FollowUpDoneInput, responses=NegotiationSerializer)
    @action(detail=True, methods=["post"], url_path="follow-ups/done", url_name="follow-up-done")
    def follow_up_done(self, request, pk=None):
        """Mark a follow-up item done, with a note."""
        return self._act(FollowUpDoneInput, services.complete_follow_up)
