"""API of selection campaigns (评选), every step of the pages:

- `/api/campaigns/`: GET the campaigns the user sees (`selectors_campaigns.visible_campaigns`); POST starts
  one; `PATCH …/{id}/` edits it (the fields that may change now: services_campaign_changes);
  `POST …/{id}/close/`, `…/open-vote/ {opens_at, closes_at}`, `…/publicity/ {winners?}`, `…/award/`,
  `…/cancel/ {reason}`.
- `/api/nominations/`: GET (`?campaign=`); POST (multipart or JSON) `{campaign, nominee?, nominee_area?,
  reason, nominating_org?, materials?}` (`nominating_org` a Party organization's id: one the caller acts for,
  inside the campaign's area); `POST …/{id}/review/ {qualified, reason?}`; `POST
  …/{id}/withdraw/` (the nominator or the resident nominated); `GET …/{id}/materials/` (each at its scoped
  address), `POST …/{id}/materials/` (multipart `materials`) adds more until the review ends.
- `/api/campaign-votes/`: POST `{campaign, nominations: [id]}` casts the caller's ballot through
  grassroots.voting (`cast_ballot`; its rate limit) and answers the receipt code once.
- `/api/objections/`: GET (`?campaign=`), POST `{campaign, text, nomination?}`, `POST …/{id}/answer/
  {answer}`."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from grassroots.access.scoping import has_perm
from grassroots.api.fields import ScopedPrimaryKeyRelatedField
from grassroots.api.filters import int_param
from grassroots.api.scoping import ScopedViewSetMixin
from grassroots.areas.models import Area, PartyOrg
from grassroots.portal.submissions import API_HELP, MAX_LENGTH
from grassroots.virtue import selectors, selectors_campaigns, services_campaign_changes, services_campaigns
from grassroots.virtue.forms_campaigns import campaign_areas
from grassroots.virtue.models_campaigns import (
    Campaign,
    CampaignKind,
    Nomination,
    NominationMaterial,
    Objection,
)
from grassroots.voting import limits

CAMPAIGN = OpenApiParameter("campaign", OpenApiTypes.INT, description=str(_("评选活动 id")))


def _campaign_filter(request, queryset, path="campaign"):
    campaign = int_param(request, "campaign")
    return queryset if campaign is None else queryset.filter(**{f"{path}_id": campaign})


def _visible_campaign_field(**kwargs):
    return ScopedPrimaryKeyRelatedField(
        queryset=Campaign.objects.all(), scope=selectors_campaigns.visible_campaigns, **kwargs
    )


def _orgs(user):
    from grassroots.access.scoping import scoped

    return scoped(PartyOrg.objects.filter(retired=False), user, selectors.MANAGE)


class CampaignSerializer(serializers.ModelSerializer):
    area_name = serializers.CharField(source="area.name", read_only=True)
    nomination_count = serializers.IntegerField(read_only=True)
    open_objections = serializers.IntegerField(read_only=True)
    vote_opens_at = serializers.DateTimeField(source="vote.opens_at", read_only=True, allow_null=True)
    vote_closes_at = serializers.DateTimeField(source="vote.closes_at", read_only=True, allow_null=True)

    class Meta:
        model = Campaign
        fields = [
            "id",
            "area",
            "area_name",
            "organization",
            "kind",
            "title",
            "description",
            "places",
            "votes_per_voter",
            "nominations_close_at",
            "publicity_days",
            "status",
            "vote",
            "vote_opens_at",
            "vote_closes_at",
            "publicity_starts_at",
            "publicity_ends_at",
            "awarded_at",
            "cancelled_at",
            "cancel_reason",
            "nomination_count",
            "open_objections",
            "created_at",
        ]
        read_only_fields = fields


class CampaignInput(serializers.Serializer):
    area = ScopedPrimaryKeyRelatedField(queryset=Area.objects.all(), scope=campaign_areas)
    organization = ScopedPrimaryKeyRelatedField(
        queryset=PartyOrg.objects.all(), scope=_orgs, required=False, allow_null=True, default=None
    )
    kind = serializers.ChoiceField(choices=CampaignKind.choices)
    title = serializers.CharField(max_length=200)
    description = serializers.CharField(required=False, allow_blank=True, default="")
    places = serializers.IntegerField(min_value=1, max_value=1000)
    votes_per_voter = serializers.IntegerField(min_value=1, max_value=1000, default=1)
    nominations_close_at = serializers.DateTimeField()
    publicity_days = serializers.IntegerField(min_value=5, max_value=90, default=5)


class NewCampaignInput(CampaignInput):
    submission = serializers.CharField(
        required=False, allow_blank=True, max_length=MAX_LENGTH, help_text=API_HELP
    )


class OpenVoteInput(serializers.Serializer):
    opens_at = serializers.DateTimeField()
    closes_at = serializers.DateTimeField()


class WinnersInput(serializers.Serializer):
    winners = serializers.ListField(
        child=serializers.IntegerField(),
        required=False,
        allow_null=True,
        default=None,
        max_length=1000,
        help_text=_("仅末位得票相同时：拟评定的提名 id"),
    )


class CancelInput(serializers.Serializer):
    reason = serializers.CharField()


class CampaignViewSet(
    ScopedViewSetMixin, mixins.CreateModelMixin, mixins.UpdateModelMixin, viewsets.ReadOnlyModelViewSet
):
    view_permission = selectors_campaigns.TAKE_PART
    change_permission = selectors.MANAGE
    services_decide = True
    serializer_class = CampaignSerializer
    http_method_names = ["get", "post", "patch", "head", "options"]
    queryset = Campaign.objects.all()  # the model, for the schema; get_queryset reads the visibility

    def get_queryset(self):
        return selectors_campaigns.visible_campaigns(self.request.user)

    def scope_queryset(self, queryset):
        return queryset

    @extend_schema(request=NewCampaignInput, responses={201: CampaignSerializer})
    def create(self, request, *args, **kwargs):
        campaign = services_campaigns.create_campaign(actor=request.user, **self.input_of(NewCampaignInput))
        return self.answer(campaign, status.HTTP_201_CREATED)

    @extend_schema(request=CampaignInput, responses=CampaignSerializer, summary=_("修改评选"))
    def partial_update(self, request, *args, **kwargs):
        campaign = services_campaign_changes.update_campaign(
            actor=request.user, campaign=self.get_object(), **self.input_of(CampaignInput, partial=True)
        )
        return self.answer(campaign)

    @extend_schema(request=CancelInput, responses=CampaignSerializer, summary=_("取消评选"))
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        campaign = services_campaign_changes.cancel_campaign(
            actor=request.user, campaign=self.get_object(), **self.input_of(CancelInput)
        )
        return self.answer(campaign)

    @extend_schema(request=None, responses=CampaignSerializer, summary=_("截止提名"))
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        campaign = services_campaigns.close_nominations(actor=request.user, campaign=self.get_object())
        return self.answer(campaign)

    @extend_schema(request=OpenVoteInput, responses=CampaignSerializer, summary=_("开始群众投票"))
    @action(detail=True, methods=["post"], url_path="open-vote")
    def open_vote(self, request, pk=None):
        campaign = services_campaigns.open_vote(
            actor=request.user, campaign=self.get_object(), **self.input_of(OpenVoteInput)
        )
        return self.answer(campaign)

    @extend_schema(request=WinnersInput, responses=CampaignSerializer, summary=_("计票并公示结果"))
    @action(detail=True, methods=["post"])
    def publicity(self, request, pk=None):
        campaign = services_campaigns.start_publicity(
            actor=request.user, campaign=self.get_object(), **self.input_of(WinnersInput)
        )
        return self.answer(campaign)

    @extend_schema(request=None, responses=CampaignSerializer, summary=_("评定"))
    @action(detail=True, methods=["post"])
    def award(self, request, pk=None):
        campaign = services_campaigns.award(actor=request.user, campaign=self.get_object())
        return self.answer(campaign)


class MaterialSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField(help_text=_("材料的地址（按权限提供）"))

    class Meta:
        model = NominationMaterial
        fields = ["id", "name", "size", "uploaded_at", "url"]
        read_only_fields = fields

    def get_url(self, material) -> str:
        url = reverse("virtue:nomination_material", args=[material.nomination_id, material.pk])
        request = self.context.get("request")
        return request.build_absolute_uri(url) if request else url


class NominationSerializer(serializers.ModelSerializer):
    material_count = serializers.IntegerField(read_only=True)
    nominating_org_name = serializers.CharField(
        source="nominating_unit",
        read_only=True,
        help_text=str(_("提名单位的名称；早先填写的单位名称原样保留")),
    )

    class Meta:
        model = Nomination
        fields = [
            "id",
            "campaign",
            "nominee",
            "nominee_area",
            "reason",
            "nominating_org",
            "nominating_org_name",
            "nominated_at",
            "status",
            "review_reason",
            "reviewed_at",
            "number",
            "votes",
            "winner",
            "withdrawn_at",
            "material_count",
        ]
        read_only_fields = fields


class NominationInput(serializers.Serializer):
    campaign = _visible_campaign_field()
    nominee = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    nominee_area = serializers.PrimaryKeyRelatedField(
        queryset=Area.objects.all(), required=False, allow_null=True, default=None
    )
    reason = serializers.CharField()
    nominating_org = ScopedPrimaryKeyRelatedField(
        queryset=PartyOrg.objects.all(),
        scope=_orgs,
        required=False,
        allow_null=True,
        default=None,
        help_text=str(_("以之提名的党组织 id：您所在的、位于评选范围内的党组织；居民个人提名时不填")),
    )
    materials = serializers.ListField(
        child=serializers.FileField(), required=False, default=list, max_length=5
    )


class MaterialsInput(serializers.Serializer):
    materials = serializers.ListField(child=serializers.FileField(), max_length=5)


class ReviewInput(serializers.Serializer):
    qualified = serializers.BooleanField()
    reason = serializers.CharField(required=False, allow_blank=True, default="")


class NominationViewSet(ScopedViewSetMixin, mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    view_permission = selectors_campaigns.TAKE_PART
    change_permission = selectors.MANAGE
    services_decide = True
    serializer_class = NominationSerializer
    queryset = Nomination.objects.all()
    parser_classes = [JSONParser, MultiPartParser, FormParser]

    def get_queryset(self):
        queryset = selectors_campaigns.visible_nominations(self.request.user)
        if self.action == "list":
            queryset = _campaign_filter(self.request, queryset)
        return queryset

    def scope_queryset(self, queryset):
        return queryset

    @extend_schema(parameters=[CAMPAIGN])
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(
        request={"application/json": NominationInput, "multipart/form-data": NominationInput},
        responses={201: NominationSerializer},
    )
    def create(self, request, *args, **kwargs):
        data = self.input_of(NominationInput)
        if hasattr(request.data, "getlist"):
            data["materials"] = request.FILES.getlist("materials")
        nomination = services_campaigns.nominate(actor=request.user, **data)
        return Response(
            NominationSerializer(
                selectors_campaigns.visible_nominations(request.user).get(pk=nomination.pk)
            ).data,
            status=status.HTTP_201_CREATED,
        )

    @extend_schema(request=ReviewInput, responses=NominationSerializer, summary=_("资格审查"))
    @action(detail=True, methods=["post"])
    def review(self, request, pk=None):
        nomination = services_campaigns.review_nomination(
            actor=request.user, nomination=self.get_object(), **self.input_of(ReviewInput)
        )
        return self.answer(nomination)

    @extend_schema(request=None, responses=NominationSerializer, summary=_("撤回提名"))
    @action(detail=True, methods=["post"])
    def withdraw(self, request, pk=None):
        nomination = services_campaign_changes.withdraw_nomination(
            actor=request.user, nomination=self.get_object()
        )
        return self.answer(nomination)

    @extend_schema(methods=["GET"], responses=MaterialSerializer(many=True), filters=False)
    @extend_schema(
        methods=["POST"],
        request={"multipart/form-data": MaterialsInput},
        responses={201: MaterialSerializer(many=True)},
        summary=_("补充提名材料"),
    )
    @action(detail=True, methods=["get", "post"], pagination_class=None, filter_backends=[])
    def materials(self, request, pk=None):
        nomination = self.get_object()
        context = self.get_serializer_context()
        code = status.HTTP_200_OK
        if request.method == "POST":
            files = request.FILES.getlist("materials") if hasattr(request.data, "getlist") else []
            services_campaign_changes.add_materials(
                actor=request.user, nomination=nomination, materials=files
            )
            code = status.HTTP_201_CREATED
        return Response(
            MaterialSerializer(nomination.materials.all(), many=True, context=context).data, status=code
        )


class CampaignVoteInput(serializers.Serializer):
    campaign = _visible_campaign_field()
    nominations = serializers.ListField(child=serializers.IntegerField(), min_length=1, max_length=1000)


RECEIPT = inline_serializer(
    "CampaignVoteReceipt",
    fields={
        "campaign": serializers.IntegerField(),
        "vote": serializers.IntegerField(),
        "receipt": serializers.CharField(help_text=_("回执码（只显示这一次）")),
    },
)


class CampaignVoteViewSet(viewsets.GenericViewSet):
    """Casting a campaign vote: the caller's one ballot, through grassroots.voting."""

    serializer_class = CampaignVoteInput
    queryset = Campaign.objects.none()

    @extend_schema(request=CampaignVoteInput, responses={201: RECEIPT}, summary=_("评选投票"))
    def create(self, request):
        if not has_perm(request.user, selectors_campaigns.TAKE_PART):
            from rest_framework.exceptions import PermissionDenied

            raise PermissionDenied
        limits.check(request, "ballot")
        data = CampaignVoteInput(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        campaign = data.validated_data["campaign"]
        _ballot, code = services_campaigns.cast_vote(
            voter=request.user, campaign=campaign, nominations=data.validated_data["nominations"]
        )
        return Response(
            {"campaign": campaign.pk, "vote": campaign.vote_id, "receipt": code},
            status=status.HTTP_201_CREATED,
        )


class ObjectionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Objection
        fields = ["id", "campaign", "nomination", "text", "raised_at", "answer", "answered_at"]
        read_only_fields = fields


class ObjectionInput(serializers.Serializer):
    campaign = _visible_campaign_field()
    nomination = serializers.PrimaryKeyRelatedField(
        queryset=Nomination.objects.all(), required=False, allow_null=True, default=None
    )
    text = serializers.CharField()


class AnswerInput(serializers.Serializer):
    answer = serializers.CharField()


class ObjectionViewSet(ScopedViewSetMixin, mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    view_permission = selectors_campaigns.TAKE_PART
    change_permission = selectors.MANAGE
    services_decide = True
    serializer_class = ObjectionSerializer
    queryset = Objection.objects.all()

    def get_queryset(self):
        queryset = selectors_campaigns.visible_objections(self.request.user)
        if self.action == "list":
            queryset = _campaign_filter(self.request, queryset)
        return queryset

    def scope_queryset(self, queryset):
        return queryset

    @extend_schema(parameters=[CAMPAIGN])
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(request=ObjectionInput, responses={201: ObjectionSerializer})
    def create(self, request, *args, **kwargs):
        objection = services_campaigns.raise_objection(actor=request.user, **self.input_of(ObjectionInput))
        return self.answer(objection, status.HTTP_201_CREATED)

    @extend_schema(request=AnswerInput, responses=ObjectionSerializer, summary=_("答复异议"))
    @action(detail=True, methods=["post"], url_path="answer", url_name="answer")
    def answer_objection(self, request, pk=None):
        objection = services_campaigns.answer_objection(
            actor=request.user, objection=self.get_object(), **self.input_of(AnswerInput)
        )
        return self.answer(objection)


def register(router) -> None:
    router.register("campaigns", CampaignViewSet, basename="campaign")
    router.register("nominations", NominationViewSet, basename="nomination")
    router.register("campaign-votes", CampaignVoteViewSet, basename="campaign-vote")
    router.register("objections", ObjectionViewSet, basename="objection")
