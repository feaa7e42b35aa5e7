"""API of culture brands, events and environmental actions (一化), every step of the pages:

- `/api/brands/`: the culture brands in scope (`?area=`, `?kind=`); POST creates, PATCH changes;
  `GET/POST …/{id}/activities/` lists the brand's activities (gatherings) and publishes one.
- `/api/events/`: the gatherings of the virtue kinds the user may see (education, brand activities,
  environmental actions), `?kind=`, `?area=`, `?month=YYYY-MM`; read only (their steps are
  `/api/gatherings/{id}/…`).
- `/api/environmental-actions/`: the actions of “绿美雅安·党员先行” (`{id}` is the gathering's); POST plans
  one; `POST …/{id}/sign-up/`, `…/cancel-sign-up/` (the gatherings' sign-up: capacity, deadline),
  `…/check-in/ {code}` (the resident, with the code shown on site; rate limited), `…/check-in-person/
  {username}` (the organizer marks a person on the list present), `…/renew-code/` (organizers). The code is
  shown only to those who manage the action."""

from __future__ import annotations

import re

from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError as DRFValidationError
from rest_framework.response import Response

from grassroots.access.scoping import area_from_request
from grassroots.accounts.models import User
from grassroots.api.fields import ScopedPrimaryKeyRelatedField
from grassroots.api.idempotency import IdempotencyKeyMixin, submission_input
from grassroots.api.scoping import ScopedViewSetMixin
from grassroots.areas.models import Area
from grassroots.gatherings import services as gatherings
from grassroots.gatherings.models import Gathering
from grassroots.gatherings.selectors import can_manage
from grassroots.virtue import limits_brands
from grassroots.virtue import selectors_brands as selectors
from grassroots.virtue import services_brands as services
from grassroots.virtue.api_lists import AreaKindFilterMixin
from grassroots.virtue.brands_setup import CALENDAR_KINDS, ENV_KIND_CHOICES
from grassroots.virtue.models_brands import BrandKind, CultureBrand

MONTH = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")


class BrandSerializer(serializers.ModelSerializer):
    area_name = serializers.CharField(source="area.name", read_only=True)
    activity_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = CultureBrand
        fields = ["id", "area", "area_name", "kind", "name", "description", "activity_count", "created_at"]
        read_only_fields = fields


class BrandInput(serializers.Serializer):
    area = ScopedPrimaryKeyRelatedField(
        queryset=Area.objects.all(), scope=selectors.brand_areas, help_text=_("社区的区域 id")
    )
    kind = serializers.ChoiceField(choices=BrandKind.choices)
    name = serializers.CharField(max_length=100)
    description = serializers.CharField(required=False, allow_blank=True, default="")


class EventSerializer(serializers.ModelSerializer):
    kind = serializers.CharField(read_only=True, help_text=_("会议活动类型代码"))
    area_name = serializers.CharField(source="area.name", read_only=True)
    kind_label = serializers.CharField(read_only=True)
    signed_up_count = serializers.IntegerField(read_only=True)
    present_count = serializers.IntegerField(read_only=True)
    brand = serializers.SerializerMethodField(help_text=_("所属文化品牌 id（品牌活动）"))

    class Meta:
        model = Gathering
        fields = [
            "id",
            "kind",
            "kind_label",
            "title",
            "area",
            "area_name",
            "starts_at",
            "ends_at",
            "place",
            "status",
            "capacity",
            "signup_open",
            "signed_up_count",
            "present_count",
            "brand",
        ]
        read_only_fields = fields

    def get_brand(self, gathering) -> int | None:
        activity = getattr(gathering, "brand_activity", None)
        return activity.brand_id if activity is not None else None


class ActivityInput(serializers.Serializer):
    title = serializers.CharField(max_length=200)
    starts_at = serializers.DateTimeField()
    ends_at = serializers.DateTimeField()
    place = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    description = serializers.CharField(required=False, allow_blank=True, default="")
    capacity = serializers.IntegerField(min_value=1, required=False, allow_null=True, default=None)
    signup_open = serializers.BooleanField(required=False, default=False)


class BrandViewSet(
    AreaKindFilterMixin,
    ScopedViewSetMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.ReadOnlyModelViewSet,
):
    """Culture brands (文化品牌) in the caller's scope: list (`?area=`, `?kind=`), create, PATCH,
    activities."""

    area_permission = selectors.VIEW
    kinds = BrandKind.values
    unknown_kind = _("未知的品牌类型。")
    view_permission = selectors.VIEW
    change_permission = selectors.MANAGE
    serializer_class = BrandSerializer
    queryset = CultureBrand.objects.all()  # the model, for the schema; get_queryset reads the scope
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        queryset = selectors.brands(self.request.user)
        return self.filter_list(queryset) if self.action == "list" else queryset

    def scope_queryset(self, queryset):
        return queryset  # selectors.brands is scoped already

    @extend_schema(
        parameters=[
            OpenApiParameter("area", OpenApiTypes.INT, description=str(_("区域 id（含下级）"))),
            OpenApiParameter("kind", OpenApiTypes.STR, enum=BrandKind.values),
        ]
    )
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(request=BrandInput, responses={201: BrandSerializer})
    def create(self, request, *args, **kwargs):
        brand = services.create_brand(actor=request.user, **self.input_of(BrandInput))
        return self.answer(brand, status.HTTP_201_CREATED)

    @extend_schema(request=BrandInput, responses={200: BrandSerializer})
    def partial_update(self, request, *args, **kwargs):
        brand = self.get_object()
        brand = services.update_brand(
            actor=request.user, brand=brand, **self.input_of(BrandInput, partial=True)
        )
        return self.answer(brand)

    @extend_schema(methods=["GET"], responses=EventSerializer(many=True), filters=False)
    @extend_schema(methods=["POST"], request=ActivityInput, responses={201: EventSerializer}, filters=False)
    @action(detail=True, methods=["get", "post"], pagination_class=None, filter_backends=[])
    def activities(self, request, pk=None):
        """The brand's activities (gatherings the user may see); POST publishes one (managers)."""
        brand = self.get_object()
        if request.method == "GET":
            rows = selectors.brand_activities(brand, request.user)[:200]
            return Response(EventSerializer(rows, many=True).data)
        activity = services.add_brand_activity(
            actor=request.user, brand=brand, **self.input_of(ActivityInput)
        )
        gathering = selectors.events(request.user).get(pk=activity.gathering_id)
        return Response(EventSerializer(gathering).data, status=status.HTTP_201_CREATED)


def _month(request) -> tuple[int, int] | None:
    raw = request.query_params.get("month")
    if raw in (None, ""):
        return None
    match = MONTH.match(raw)
    if not match:
        raise DRFValidationError({"month": [_("请按“年-月”填写月份，如 2027-01。")]})
    return int(match.group(1)), int(match.group(2))


class EventViewSet(viewsets.ReadOnlyModelViewSet):
    """Gatherings of the virtue kinds, by the gatherings' visibility rule (public events of the areas above
    a resident's home, every event of a worker's scope)."""

    serializer_class = EventSerializer
    queryset = Gathering.objects.all()  # the model, for the schema; get_queryset reads the visibility

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Gathering.objects.none()
        queryset = selectors.events(self.request.user).order_by("starts_at", "pk")
        if self.action == "list":
            kind = self.request.query_params.get("kind")
            if kind:
                if kind not in CALENDAR_KINDS:
                    raise DRFValidationError({"kind": [_("未知的活动类型。")]})
                queryset = queryset.filter(kind=kind)
            area = area_from_request(self.request, "gatherings.view")
            if area is not None:
                queryset = queryset.filter(area__path__startswith=area.path)
            month = _month(self.request)
            if month is not None:
                queryset = selectors.events_in_month(queryset, *month)
        return queryset

    @extend_schema(
        parameters=[
            OpenApiParameter("kind", OpenApiTypes.STR, enum=list(CALENDAR_KINDS)),
            OpenApiParameter("area", OpenApiTypes.INT, description=str(_("区域 id（含下级）"))),
            OpenApiParameter("month", OpenApiTypes.STR, description=str(_("月份，如 2027-01"))),
        ]
    )
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)


class ActionSerializer(EventSerializer):
    check_in_code = serializers.SerializerMethodField(help_text=_("现场签到码（仅组织者可见）"))
    me_signed_up = serializers.BooleanField(read_only=True)
    me_present = serializers.BooleanField(read_only=True)

    class Meta(EventSerializer.Meta):
        fields = [f for f in EventSerializer.Meta.fields if f != "brand"] + [
            "signup_deadline",
            "me_signed_up",
            "me_present",
            "check_in_code",
        ]
        read_only_fields = fields

    def get_check_in_code(self, gathering) -> str | None:
        request = self.context.get("request")
        if request is None or not can_manage(request.user, gathering):
            return None
        action = getattr(gathering, "environmental_action", None)
        return action.check_in_code if action is not None else None


class ActionInput(serializers.Serializer):
    submission = submission_input()  # the token; a repeat gives the first record (api/idempotency.py)
    kind = serializers.ChoiceField(choices=ENV_KIND_CHOICES)
    title = serializers.CharField(max_length=200)
    area = ScopedPrimaryKeyRelatedField(
        queryset=Area.objects.all(), scope=selectors.action_areas, help_text=_("区域 id")
    )
    starts_at = serializers.DateTimeField()
    ends_at = serializers.DateTimeField()
    place = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    description = serializers.CharField(required=False, allow_blank=True, default="")
    capacity = serializers.IntegerField(min_value=1, required=False, allow_null=True, default=None)
    signup_deadline = serializers.DateTimeField(required=False, allow_null=True, default=None)


class CheckInCodeInput(serializers.Serializer):
    code = serializers.CharField(max_length=6, help_text=_("现场公布的签到码"))


class ActionPersonInput(serializers.Serializer):
    username = serializers.SlugRelatedField(
        slug_field="username", queryset=User.objects.filter(is_active=True), help_text=_("参会人员的用户名")
    )


class EnvironmentalActionViewSet(IdempotencyKeyMixin, mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """The environmental actions the user may see (the gatherings' visibility rule); each step is a service
    that checks who may take it."""

    serializer_class = ActionSerializer
    queryset = Gathering.objects.all()  # the model, for the schema; get_queryset reads the visibility

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Gathering.objects.none()
        return selectors.environmental_actions(self.request.user).select_related("environmental_action")

    def _answer(self, gathering, code=status.HTTP_200_OK):
        row = self.get_queryset().get(pk=gathering.pk)
        return Response(self.get_serializer(row).data, status=code)

    @extend_schema(request=ActionInput, responses={201: ActionSerializer})
    def create(self, request, *args, **kwargs):
        context = self.get_serializer_context()
        data = ActionInput(data=self.keyed(request.data, ActionInput, context), context=context)
        data.is_valid(raise_exception=True)
        action = services.create_environmental_action(actor=request.user, **data.validated_data)
        return self._answer(action.gathering, status.HTTP_201_CREATED)

    @extend_schema(request=None, responses={200: ActionSerializer})
    @action(detail=True, methods=["post"], url_path="sign-up")
    def sign_up(self, request, pk=None):
        gathering = self.get_object()
        gatherings.sign_up(user=request.user, gathering=gathering)
        return self._answer(gathering)

    @extend_schema(request=None, responses={200: ActionSerializer})
    @action(detail=True, methods=["post"], url_path="cancel-sign-up")
    def cancel_sign_up(self, request, pk=None):
        gathering = self.get_object()
        gatherings.cancel_sign_up(user=request.user, gathering=gathering)
        return self._answer(gathering)

    @extend_schema(request=CheckInCodeInput, responses={200: ActionSerializer})
    @action(detail=True, methods=["post"], url_path="check-in")
    def check_in(self, request, pk=None):
        gathering = self.get_object()
        limits_brands.check(request)
        data = CheckInCodeInput(data=request.data)
        data.is_valid(raise_exception=True)
        services.check_in_with_code(user=request.user, gathering=gathering, code=data.validated_data["code"])
        return self._answer(gathering)

    @extend_schema(request=ActionPersonInput, responses={200: ActionSerializer})
    @action(detail=True, methods=["post"], url_path="check-in-person")
    def check_in_person(self, request, pk=None):
        gathering = self.get_object()
        data = ActionPersonInput(data=request.data)
        data.is_valid(raise_exception=True)
        gatherings.record_attendance(
            actor=request.user, gathering=gathering, person=data.validated_data["username"], present=True
        )
        return self._answer(gathering)

    @extend_schema(request=None, responses={200: ActionSerializer})
    @action(detail=True, methods=["post"], url_path="renew-code")
    def renew_code(self, request, pk=None):
        gathering = self.get_object()
        services.renew_check_in_code(actor=request.user, gathering=gathering)
        return self._answer(gathering)


def register(router) -> None:
    router.register("brands", BrandViewSet, basename="brand")
    router.register("events", EventViewSet, basename="event")
    router.register("environmental-actions", EnvironmentalActionViewSet, basename="environmental-action")
