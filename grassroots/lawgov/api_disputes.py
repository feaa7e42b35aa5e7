"""`/api/disputes/` and `/api/mediation-sessions/`: every step of the dispute pages, through the services the
pages call. Reads go through `selectors_disputes.visible_disputes` (the parties see their own case; anything
outside is 404); the parties' phone numbers and addresses are masked as on the page.

- `GET /api/disputes/` (`?state=`, `?overdue=true`) / `{id}/`: with parties, stages (the timeline across
  levels and kinds), sessions, the agreement (text, file link);
- `POST /api/disputes/` file one (`channel` online for a resident of the community; grid or station with
  `lawgov.intake`, optionally received at a `level` above the community and as another `kind`);
- `POST …/{id}/sessions/ {held_at, place, mediator_names, record}`;
- `POST …/{id}/confirmation/ {on, court}`: a settled agreement's judicial confirmation;
- the steps (grassroots.api.transitions): `start_mediation`; `settle {text, file}`; `escalate` (`comment`: the
  reason); `refer {kind}` (`comment`: the reason); `close {advice}` (`comment`: the reason);
  `visit {note, carried_out}`;
- `GET /api/mediation-sessions/`: the sessions of the cases whose file you read.

Who reads a case's file (its text, parties, sessions, agreement; `case_file` true) and who its summary only
(the text fields empty): selectors_disputes.case_file_q."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from grassroots.api.fields import ChoiceOfRecordField, ScopedPrimaryKeyRelatedField
from grassroots.api.scoping import ScopedViewSetMixin
from grassroots.api.transitions import StepForm
from grassroots.areas.models import Area
from grassroots.audit.actor import log_access, log_access_many
from grassroots.lawgov import selectors_disputes as selectors
from grassroots.lawgov import services_disputes as services
from grassroots.lawgov.models_disputes import (
    Advice,
    Channel,
    Dispute,
    DisputeCategory,
    DisputeKind,
    DisputeLevel,
    DisputeStage,
    DisputeState,
    MediationSession,
    PartyRole,
    Urgency,
)
from grassroots.portal.submissions import API_HELP, MAX_LENGTH


class DisputeStageSerializer(serializers.ModelSerializer):
    handler_name = serializers.CharField(source="handler.name", read_only=True)

    class Meta:
        model = DisputeStage
        fields = ["id", "level", "kind", "handler", "handler_name", "started_at", "due_on", "ended_at"]
        fields += ["outcome", "reason"]
        read_only_fields = fields


class MediationSessionSerializer(serializers.ModelSerializer):
    class Meta:
        model = MediationSession
        fields = ["id", "dispute", "level", "kind", "held_at", "place", "mediator_names", "record"]
        fields += ["created_at"]
        read_only_fields = fields


class DisputePartyOut(serializers.Serializer):
    role = serializers.CharField()
    name = serializers.CharField()
    phone = serializers.CharField()
    address = serializers.CharField()


class DisputeSerializer(serializers.ModelSerializer):
    state_label = serializers.CharField(read_only=True)
    handler_name = serializers.CharField(source="handler.name", read_only=True)
    parties = serializers.SerializerMethodField()
    stages = DisputeStageSerializer(many=True, read_only=True)
    sessions = MediationSessionSerializer(many=True, read_only=True)
    agreement_file = serializers.SerializerMethodField()
    overdue = serializers.SerializerMethodField()
    case_file = serializers.SerializerMethodField(
        help_text=_("是否可查阅案件材料；否则只有案件概况，案情、当事人、调解记录、协议等为空")
    )
    url = serializers.CharField(source="get_absolute_url", read_only=True)

    class Meta:
        model = Dispute
        fields = [
            "id",
            "number",
            "community",
            "area",
            "title",
            "category",
            "description",
            "request",
            "urgency",
            "at_risk",
            "channel",
            "level",
            "start_level",
            "kind",
            "handler",
            "handler_name",
            "due_on",
            "overdue",
            "state",
            "state_label",
            "parties",
            "stages",
            "sessions",
            "agreement_text",
            "agreement_file",
            "settled_at",
            "confirmed_on",
            "confirmed_by",
            "advice",
            "close_reason",
            "closed_at",
            "visit_due_on",
            "visited_at",
            "visit_note",
            "carried_out",
            "negotiation",
            "created_at",
            "case_file",
            "url",
        ]
        read_only_fields = fields

    # What a reader of the summary only gets empty (selectors.case_file_q): the case's text, its parties,
    # its sessions' records, the reasons given at each stage, the agreement and the visit.
    CASE_TEXT = ("title", "description", "request", "agreement_text", "close_reason", "visit_note")

    def to_representation(self, dispute):
        data = super().to_representation(dispute)
        if self.get_case_file(dispute):
            return data
        data.update(dict.fromkeys(self.CASE_TEXT, ""), parties=[], sessions=[], agreement_file=None)
        for stage in data["stages"]:
            stage["reason"] = ""
        return data

    def get_case_file(self, dispute) -> bool:
        return selectors.reads_case_file(self.context["request"].user, dispute)

    @extend_schema(responses=DisputePartyOut(many=True))
    def get_parties(self, dispute) -> list[dict]:
        user = self.context["request"].user
        if not self.get_case_file(dispute):
            return []
        return [
            {"role": p.party.role, "name": p.name, "phone": p.phone, "address": p.address}
            for p in selectors.party_rows(user, dispute)
        ]

    def get_agreement_file(self, dispute) -> str | None:
        return reverse("lawgov:dispute_file", args=[dispute.pk]) if dispute.agreement_file else None

    def get_overdue(self, dispute) -> bool:
        return dispute.is_overdue(timezone.localdate())


class DisputePartyInput(serializers.Serializer):
    role = serializers.ChoiceField(choices=PartyRole.choices, default=PartyRole.RESPONDENT)
    name = serializers.CharField(max_length=100)
    phone = serializers.CharField(max_length=20, required=False, allow_blank=True, default="")
    address = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")


def _areas(user):
    from grassroots.access.scoping import scoped

    home = [user.home_area.path] if getattr(user, "home_area_id", None) else []
    mine = Area.objects.filter(path__in=home)
    return scoped(Area.objects.all(), user, "lawgov.intake", path_field="path") | mine


class DisputeInput(serializers.Serializer):
    area = ScopedPrimaryKeyRelatedField(queryset=Area.objects.filter(retired=False), scope=_areas)
    title = serializers.CharField(max_length=200)
    category = serializers.ChoiceField(choices=DisputeCategory.choices)
    description = serializers.CharField(max_length=8000)
    request = serializers.CharField(max_length=4000, required=False, allow_blank=True, default="")
    urgency = serializers.ChoiceField(choices=Urgency.choices, default=Urgency.NORMAL)
    at_risk = serializers.BooleanField(default=False)
    channel = serializers.ChoiceField(
        choices=[(c, label) for c, label in Channel.choices if c != Channel.NEGOTIATION]
    )
    parties = DisputePartyInput(many=True, required=False, default=list)
    level = serializers.ChoiceField(
        choices=DisputeLevel.choices,
        default=DisputeLevel.COMMUNITY,
        help_text=_(
            "受理层级（登记时可选街道或县（区）级，需在该层级有调解或登记权限；网上申请只能是社区级）"
        ),
    )
    kind = serializers.ChoiceField(
        choices=DisputeKind.choices,
        default=DisputeKind.PEOPLES,
        help_text=_("调解类型（网上申请只能是人民调解）；调解期限按类型计算"),
    )
    submission = serializers.CharField(
        required=False, allow_blank=True, max_length=MAX_LENGTH, help_text=API_HELP
    )


class MediationSessionInput(serializers.Serializer):
    held_at = serializers.DateTimeField()
    place = serializers.CharField(max_length=200)
    mediator_names = serializers.CharField(max_length=200)
    record = serializers.CharField(max_length=8000, required=False, allow_blank=True, default="")


class DisputeSettleInput(serializers.Serializer):
    text = serializers.CharField(max_length=8000)
    file = serializers.FileField(required=False, allow_null=True, default=None)


class DisputeReferInput(serializers.Serializer):
    kind = serializers.ChoiceField(choices=DisputeKind.choices)


class DisputeCloseInput(serializers.Serializer):
    advice = serializers.ChoiceField(choices=Advice.choices)


class DisputeVisitInput(serializers.Serializer):
    note = serializers.CharField(max_length=4000)
    carried_out = serializers.BooleanField()


def _mediator_choices(context):
    return selectors.mediator_choices(context["dispute"])


class DisputeMediatorsInput(serializers.Serializer):
    users = serializers.ListField(
        child=ChoiceOfRecordField(choices=_mediator_choices),
        allow_empty=False,
        help_text=_("承办调解组织的调解员 id"),
    )


class DisputeConfirmationInput(serializers.Serializer):
    on = serializers.DateField(help_text=_("司法确认日期"))
    court = serializers.CharField(max_length=100, help_text=_("作出确认的法院"))


class DisputeEscalateInput(serializers.Serializer):
    pass


def _settle(view, record, *, actor, comment, attachments, text, file=None):
    services.settle(
        actor=actor, dispute=record, text=text, file=file, comment=comment, attachments=attachments
    )


def _escalate(view, record, *, actor, comment, attachments):
    services.escalate(actor=actor, dispute=record, reason=comment)


def _refer(view, record, *, actor, comment, attachments, kind):
    services.refer(actor=actor, dispute=record, kind=kind, reason=comment)


def _close(view, record, *, actor, comment, attachments, advice):
    services.close(actor=actor, dispute=record, advice=advice, reason=comment)


def _visit(view, record, *, actor, comment, attachments, note, carried_out):
    services.visit(actor=actor, dispute=record, note=note, carried_out=carried_out)


class DisputeViewSet(ScopedViewSetMixin, mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = DisputeSerializer
    queryset = Dispute.objects.all()
    view_permission = selectors.VIEW
    services_decide = True
    parser_classes = [JSONParser, MultiPartParser, FormParser]
    http_method_names = ["get", "post", "head", "options"]
    transition_forms = {
        "settle": StepForm(DisputeSettleInput, _settle),
        "escalate": StepForm(DisputeEscalateInput, _escalate),
        "refer": StepForm(DisputeReferInput, _refer),
        "close": StepForm(DisputeCloseInput, _close),
        "visit": StepForm(DisputeVisitInput, _visit),
    }

    def scope_queryset(self, queryset):
        queryset = selectors.visible_disputes(self.request.user).prefetch_related(
            "parties", "stages__handler", "sessions"
        )
        state = self.request.query_params.get("state")
        if state in DisputeState.values:
            queryset = queryset.filter(state=state)
        if self.action == "list" and self.request.query_params.get("overdue") == "true":
            queryset = queryset.filter(state__in=selectors.OPEN_STATES, due_on__lt=timezone.localdate())
        return queryset.order_by("-created_at", "-pk")

    def get_serializer_class(self):
        return {
            "create": DisputeInput,
            "sessions": MediationSessionInput,
            "mediators": DisputeMediatorsInput,
            "confirmation": DisputeConfirmationInput,
        }.get(self.action, DisputeSerializer)

    def list(self, request, *args, **kwargs):
        """The cases the reader sees, each with its whole file: one 查看 entry per case on the page returned,
        written in bulk (issue 16: "every view of a case file is audited")."""
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        log_access_many(actor=request.user, instances=page)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    def retrieve(self, request, *args, **kwargs):
        """One case file: every read written to the audit trail (查看), as its page's."""
        dispute = self.get_object()
        log_access(actor=request.user, instance=dispute)
        return Response(self.get_serializer(dispute).data)

    @extend_schema(request=DisputeInput, responses={201: DisputeSerializer})
    def create(self, request, *args, **kwargs):
        """File a dispute: online as a resident of the community (you are its applicant), or as a grid
        worker or at a station (`lawgov.intake` on the area), then optionally received at the street or the
        county (`level`, where you mediate or take cases in) and as another kind of mediation (`kind`)."""
        data = self.input_of(DisputeInput)
        parties = [dict(p) for p in data.pop("parties")]
        dispute = services.file_dispute(actor=request.user, parties=parties, **data)
        return self.answer(dispute, status.HTTP_201_CREATED)

    @extend_schema(request=MediationSessionInput, responses={201: DisputeSerializer})
    @action(detail=True, methods=["post"])
    def sessions(self, request, pk=None):
        """Record a mediation session at the case's present level and kind."""
        dispute = self.get_object()
        data = self.input_of(MediationSessionInput, dispute=dispute)
        services.record_session(actor=request.user, dispute=dispute, **data)
        return self.answer(dispute, status.HTTP_201_CREATED)

    @extend_schema(request=DisputeMediatorsInput, responses={200: DisputeSerializer})
    @action(detail=True, methods=["post"])
    def mediators(self, request, pk=None):
        """Assign the case to mediators of the committee handling it now (replaces those assigned)."""
        dispute = self.get_object()
        data = self.input_of(DisputeMediatorsInput, dispute=dispute)
        services.assign_mediators(actor=request.user, dispute=dispute, users=data["users"])
        return self.answer(dispute)

    @extend_schema(request=DisputeConfirmationInput, responses={200: DisputeSerializer})
    @action(detail=True, methods=["post"])
    def confirmation(self, request, pk=None):
        """The settled agreement's judicial confirmation (司法确认): the date and the court."""
        dispute = self.get_object()
        data = self.input_of(DisputeConfirmationInput, dispute=dispute)
        services.confirm_judicially(actor=request.user, dispute=dispute, **data)
        return self.answer(dispute)


class MediationSessionViewSet(ScopedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = MediationSessionSerializer
    queryset = MediationSession.objects.all()
    view_permission = selectors.VIEW

    def scope_queryset(self, queryset):
        # a session's record is the case's text: the sessions of the cases whose file the reader reads
        return (
            MediationSession.objects.filter(
                dispute__in=selectors.readable_disputes(self.request.user).values("pk")
            )
            .select_related("dispute__area")
            .order_by("-held_at", "-pk")
        )

    def list(self, request, *args, **kwargs):
        """Mediation records are part of their case's file: one 查看 entry per case on the page returned."""
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        log_access_many(actor=request.user, instances=[s.dispute for s in page])
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    def retrieve(self, request, *args, **kwargs):
        """One mediation record: a 查看 entry about its case."""
        record = self.get_object()
        log_access(actor=request.user, instance=record.dispute)
        return Response(self.get_serializer(record).data)
