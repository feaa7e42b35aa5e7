"""Co-governance's API, each page step also here (docs/cogov.md):

- `/api/partners/` — the partners the user sees (`cogov.view`: in scope, above it, signed with in it, or
  represented); POST creates, PATCH changes (`services.save_partner`); `POST /api/partners/{id}/resources/`
  adds or changes a resource it offers (its keepers and its representatives), `POST
  /api/partners/{id}/remove-resource/` `{resource}` removes one.
- `/api/agreements/` — co-building agreements; POST (JSON or multipart with `file`) records one with its
  commitments (`services.sign_agreement`); `POST …/{id}/renew/`, `POST …/{id}/end/`.
- `/api/volunteers/` — volunteers in scope (and one's own; `{id}/`: one, another's read audited as 查看);
  POST signs the caller up (or, with `person`, a resident of a community the caller keeps)."""

from __future__ import annotations

from django.db.models import Q
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from grassroots.accounts.api import UNMASKED
from grassroots.accounts.models import User
from grassroots.accounts.pii import UnmaskedReadsMixin, kept_phone, mask_phone, may_unmask
from grassroots.api.fields import ScopedPrimaryKeyRelatedField
from grassroots.api.scoping import ScopedViewSetMixin
from grassroots.areas.models import Area, PartyOrg
from grassroots.audit.actor import log_access
from grassroots.cogov import selectors, services
from grassroots.cogov.models import (
    Agreement,
    AgreementStatus,
    Availability,
    Commitment,
    Partner,
    PartnerKind,
    Resource,
    ResourceKind,
    Side,
    Volunteer,
)
from grassroots.core.coverage.models import Entity
from grassroots.portal.submissions import API_HELP, MAX_LENGTH


class ResourceSerializer(serializers.ModelSerializer):
    class Meta:
        model = Resource
        fields = ["id", "kind", "name", "quantity", "unit", "note"]


class PartnerSerializer(serializers.ModelSerializer):
    """A partner; its contact person's phone masked (138****5678) unless the viewer asks (`?unmasked=true`)
    and holds people.view_pii on the partner's area (the one rule, accounts/pii.py) — then the read is
    audited."""

    area_name = serializers.CharField(source="area.name", read_only=True)
    contact_phone = serializers.SerializerMethodField(help_text=_("联系人电话（默认脱敏）"))
    unmasked = serializers.SerializerMethodField(help_text=_("本条记录的联系人电话是否为完整值"))
    resources = ResourceSerializer(many=True, read_only=True)
    roles = serializers.SerializerMethodField()

    class Meta:
        model = Partner
        fields = [
            "id",
            "name",
            "kind",
            "area",
            "area_name",
            "address",
            "entity",
            "party_org",
            "contact_name",
            "contact_phone",
            "representatives",
            "resources",
            "roles",
            "retired",
            "created_at",
            "unmasked",
        ]

    def _unmasked(self, partner) -> bool:
        request = self.context.get("request")
        if request is None or not self.context.get("unmask") or not partner.contact_phone:
            return False
        return may_unmask(request.user, partner.area)

    def get_unmasked(self, partner) -> bool:
        return self._unmasked(partner)

    def get_contact_phone(self, partner) -> str:
        return partner.contact_phone if self._unmasked(partner) else mask_phone(partner.contact_phone)

    def get_roles(self, partner) -> list[str]:
        return selectors.roles_of_partner(partner)


class PartnerInput(serializers.Serializer):
    entity = ScopedPrimaryKeyRelatedField(
        queryset=Entity.objects.all(), scope=selectors.linkable_entities, required=False, allow_null=True
    )
    name = serializers.CharField(required=False, allow_blank=True, max_length=150)
    kind = serializers.ChoiceField(choices=PartnerKind.choices, required=False, allow_blank=True)
    area = ScopedPrimaryKeyRelatedField(
        queryset=Area.objects.all(), scope=selectors.partner_areas, required=False, allow_null=True
    )
    address = serializers.CharField(required=False, allow_blank=True, max_length=200)
    party_org = ScopedPrimaryKeyRelatedField(
        queryset=PartyOrg.objects.all(), scope=selectors.linkable_party_orgs, required=False, allow_null=True
    )
    contact_name = serializers.CharField(required=False, allow_blank=True, max_length=50)
    contact_phone = serializers.CharField(required=False, allow_blank=True, max_length=30)
    note = serializers.CharField(required=False, allow_blank=True)
    representatives = ScopedPrimaryKeyRelatedField(
        queryset=User.objects.all(), scope=selectors.representative_candidates, many=True, required=False
    )

    def validate_contact_phone(self, value: str) -> str:
        """As on the edit form (accounts/pii.py `kept_phone`): the masked number the API answered, sent back
        unchanged, keeps the stored one; a half-masked value is refused at the field."""
        partner = self.context.get("partner")
        kept = kept_phone(value, partner.contact_phone if partner is not None else "")
        if kept is None:
            raise serializers.ValidationError(_("请填写完整的手机号码，或保留原来显示的号码不变。"))
        return kept


class ResourceInput(serializers.Serializer):
    kind = serializers.ChoiceField(choices=ResourceKind.choices)
    name = serializers.CharField(max_length=60)
    quantity = serializers.DecimalField(max_digits=10, decimal_places=1)
    unit = serializers.CharField(max_length=10, required=False, allow_blank=True, default="")
    note = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")


class RemoveResourceInput(serializers.Serializer):
    resource = serializers.IntegerField(min_value=1, help_text=_("该单位一项资源的 id"))


@extend_schema_view(list=extend_schema(parameters=[UNMASKED]), retrieve=extend_schema(parameters=[UNMASKED]))
class PartnerViewSet(
    UnmaskedReadsMixin,
    ScopedViewSetMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.ReadOnlyModelViewSet,
):
    view_permission = selectors.VIEW
    change_permission = selectors.MANAGE
    services_decide = True
    serializer_class = PartnerSerializer
    queryset = Partner.objects.all()
    unmasked_export_label = _("API：共建单位联系人电话（未脱敏）")
    http_method_names = ["get", "post", "patch", "head", "options"]

    def scope_queryset(self, queryset):
        return (
            selectors.visible_partners(self.request.user)
            .prefetch_related("resources", "representatives")
            .order_by("area__path", "name")
        )

    def get_serializer_class(self):
        if self.action in ("create", "partial_update"):
            return PartnerInput
        if self.action == "resources":
            return ResourceInput
        if self.action == "remove_resource":
            return RemoveResourceInput
        return PartnerSerializer

    @extend_schema(request=PartnerInput, responses={201: PartnerSerializer})
    def create(self, request, *args, **kwargs):
        partner = services.save_partner(actor=request.user, **self.input_of(PartnerInput))
        return self.answer(partner, status.HTTP_201_CREATED)

    @extend_schema(request=PartnerInput, responses={200: PartnerSerializer})
    def partial_update(self, request, *args, **kwargs):
        partner = self.get_object()
        data = self.input_of(PartnerInput, partial=True, partner=partner)
        partner = services.save_partner(actor=request.user, partner=partner, **data)
        return self.answer(partner)

    @extend_schema(request=ResourceInput, responses={200: PartnerSerializer})
    @action(detail=True, methods=["post"])
    def resources(self, request, pk=None):
        partner = self.get_object()
        services.set_resource(actor=request.user, partner=partner, **self.input_of(ResourceInput))
        return self.answer(partner)

    @extend_schema(request=RemoveResourceInput, responses={200: PartnerSerializer})
    @action(detail=True, methods=["post"], url_path="remove-resource")
    def remove_resource(self, request, pk=None):
        partner = self.get_object()
        data = self.input_of(RemoveResourceInput)
        resource = get_object_or_404(Resource.objects.filter(partner=partner), pk=data["resource"])
        services.remove_resource(actor=request.user, resource=resource)
        return self.answer(partner)


class CommitmentSerializer(serializers.ModelSerializer):
    class Meta:
        model = Commitment
        fields = ["side", "text"]


class AgreementSerializer(serializers.ModelSerializer):
    party_org_name = serializers.CharField(source="party_org.name", read_only=True)
    partner_name = serializers.CharField(source="partner.name", read_only=True)
    status = serializers.ChoiceField(choices=AgreementStatus.choices, read_only=True)
    commitments = CommitmentSerializer(many=True, read_only=True)
    file = serializers.SerializerMethodField()

    class Meta:
        model = Agreement
        fields = [
            "id",
            "title",
            "party_org",
            "party_org_name",
            "partner",
            "partner_name",
            "starts_on",
            "ends_on",
            "signed_on",
            "status",
            "commitments",
            "file",
            "renewed_from",
            "terminated_on",
            "end_reason",
            "created_at",
        ]

    def get_file(self, agreement) -> str | None:
        from django.urls import reverse

        return reverse("cogov:agreement_file", args=[agreement.pk]) if agreement.file else None


class CommitmentInput(serializers.Serializer):
    side = serializers.ChoiceField(choices=Side.choices)
    text = serializers.CharField(max_length=300)


class AgreementInput(serializers.Serializer):
    party_org = ScopedPrimaryKeyRelatedField(queryset=PartyOrg.objects.all(), scope=selectors.signing_orgs)
    partner = ScopedPrimaryKeyRelatedField(queryset=Partner.objects.all(), scope=selectors.signable_partners)
    title = serializers.CharField(max_length=150)
    starts_on = serializers.DateField()
    ends_on = serializers.DateField()
    signed_on = serializers.DateField()
    commitments = CommitmentInput(many=True)
    file = serializers.FileField(required=False, allow_null=True, default=None)
    submission = serializers.CharField(
        required=False, allow_blank=True, max_length=MAX_LENGTH, help_text=API_HELP
    )


class RenewInput(serializers.Serializer):
    ends_on = serializers.DateField()
    signed_on = serializers.DateField()
    file = serializers.FileField(required=False, allow_null=True, default=None)


class EndInput(serializers.Serializer):
    reason = serializers.CharField(help_text=_("终止原因"))


class AgreementViewSet(ScopedViewSetMixin, mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    view_permission = selectors.VIEW
    change_permission = selectors.MANAGE
    services_decide = True
    serializer_class = AgreementSerializer
    queryset = Agreement.objects.select_related("party_org", "partner").prefetch_related("commitments")
    parser_classes = [JSONParser, MultiPartParser, FormParser]

    def get_queryset(self):
        queryset = super().get_queryset().order_by("ends_on", "pk")
        status_ = self.request.query_params.get("status", "")
        if status_ in AgreementStatus.values:
            queryset = queryset.with_status(status_)
        return queryset

    def area_of(self, obj):
        return obj.party_org.area

    def get_serializer_class(self):
        return {"create": AgreementInput, "renew": RenewInput, "end": EndInput}.get(
            self.action, AgreementSerializer
        )

    @extend_schema(request=AgreementInput, responses={201: AgreementSerializer})
    def create(self, request, *args, **kwargs):
        data = self.input_of(AgreementInput)
        data["commitments"] = [(c["side"], c["text"]) for c in data["commitments"]]
        agreement = services.sign_agreement(actor=request.user, **data)
        return self.answer(agreement, status.HTTP_201_CREATED)

    @extend_schema(request=RenewInput, responses={201: AgreementSerializer})
    @action(detail=True, methods=["post"])
    def renew(self, request, pk=None):
        agreement = self.get_object()
        self.check_change(agreement.party_org.area)
        renewal = services.renew_agreement(
            actor=request.user, agreement=agreement, **self.input_of(RenewInput)
        )
        return self.answer(renewal, status.HTTP_201_CREATED)

    @extend_schema(request=EndInput, responses={200: AgreementSerializer})
    @action(detail=True, methods=["post"])
    def end(self, request, pk=None):
        agreement = self.get_object()
        agreement = services.end_agreement(actor=request.user, agreement=agreement, **self.input_of(EndInput))
        return self.answer(agreement)


class VolunteerSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="user.full_name", read_only=True)
    area_name = serializers.CharField(source="area.name", read_only=True)

    class Meta:
        model = Volunteer
        fields = [
            "id",
            "user",
            "name",
            "area",
            "area_name",
            "skills",
            "availability",
            "hours",
            "active",
            "signed_up_at",
        ]


class VolunteerInput(serializers.Serializer):
    person = ScopedPrimaryKeyRelatedField(
        queryset=User.objects.all(),
        scope=selectors.volunteer_candidates,
        required=False,
        allow_null=True,
        default=None,
    )
    skills = serializers.ListField(child=serializers.CharField(max_length=20), max_length=10)
    availability = serializers.ListField(
        child=serializers.ChoiceField(choices=Availability.choices), required=False, default=list
    )


class VolunteerViewSet(ScopedViewSetMixin, mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    view_permission = selectors.VIEW
    services_decide = True
    serializer_class = VolunteerSerializer
    queryset = Volunteer.objects.select_related("user", "area").order_by("area__path", "-signed_up_at", "pk")

    def scope_queryset(self, queryset):
        mine = Q(user=self.request.user) if self.request.user.is_authenticated else Q(pk__in=[])
        return queryset.filter(Q(pk__in=selectors.visible_volunteers(self.request.user).values("pk")) | mine)

    def get_serializer_class(self):
        return VolunteerInput if self.action == "create" else VolunteerSerializer

    def retrieve(self, request, *args, **kwargs):
        """One volunteer; another person's read is in the audit trail (查看), as on the page."""
        volunteer = self.get_object()
        if volunteer.user_id != request.user.pk:
            log_access(actor=request.user, instance=volunteer)
        return Response(VolunteerSerializer(volunteer, context=self.get_serializer_context()).data)

    @extend_schema(request=VolunteerInput, responses={201: VolunteerSerializer})
    def create(self, request, *args, **kwargs):
        volunteer = services.sign_up_volunteer(actor=request.user, **self.input_of(VolunteerInput))
        return self.answer(volunteer, status.HTTP_201_CREATED)


def register(router) -> None:
    router.register("partners", PartnerViewSet, basename="partner")
    router.register("agreements", AgreementViewSet, basename="agreement")
    router.register("volunteers", VolunteerViewSet, basename="volunteer")
    from grassroots.cogov import api_activities

    api_activities.register(router)
    from grassroots.cogov import api_items

    api_items.register(router)

    from grassroots.cogov import api_meetings

    api_meetings.register(router)
