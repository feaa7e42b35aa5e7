"""`/api/agencies/`: agencies stationed in a street (派驻机构) and their heads, registered (POST) and changed
(PUT) through `services.people.create_agency` / `update_agency` as the agency pages' forms
(`assessments.manage` on the street, else 403 naming what is missing). `head` is the head's sign-in name, as
on the page."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets

from grassroots.api.fields import ScopedPrimaryKeyRelatedField
from grassroots.api.filters import SubtreeFilter
from grassroots.api.scoping import ScopedViewSetMixin
from grassroots.areas.models import Area, Level
from grassroots.core.assessments.api._common import VIEW
from grassroots.core.assessments.models import StationedAgency
from grassroots.core.assessments.rules import MANAGE
from grassroots.core.assessments.selectors import people as people_selectors
from grassroots.core.assessments.services import people as people_services


class AgencySerializer(serializers.ModelSerializer):
    street_name = serializers.CharField(source="street.name", read_only=True)
    head = serializers.CharField(source="head.username", read_only=True, allow_null=True)
    head_name = serializers.CharField(source="head.display_name", read_only=True, allow_null=True)

    class Meta:
        model = StationedAgency
        fields = ["id", "street", "street_name", "name", "department", "head", "head_name", "active"]
        read_only_fields = fields


def _head_field():
    return serializers.SlugRelatedField(
        slug_field="username",
        queryset=get_user_model().objects.filter(is_active=True),
        required=False,
        allow_null=True,
        default=None,
        error_messages={"does_not_exist": _("没有这个用户名的有效账号。")},
        help_text=_("负责人的用户名"),
    )


class AgencyEdit(serializers.Serializer):
    name = serializers.CharField(max_length=150)
    department = serializers.CharField(max_length=150, required=False, allow_blank=True, default="")
    head = _head_field()
    active = serializers.BooleanField(required=False, default=True)


class AgencyInput(serializers.Serializer):
    street = ScopedPrimaryKeyRelatedField(
        queryset=Area.objects.filter(level=Level.STREET), permission=MANAGE, help_text=_("所在街道的 id")
    )
    name = serializers.CharField(max_length=150)
    department = serializers.CharField(max_length=150, required=False, allow_blank=True, default="")
    head = _head_field()


class AgencyFilter(filters.FilterSet):
    area = SubtreeFilter(path_field="street__path", label=_("所在街道（含上级区域筛选）"))

    class Meta:
        model = StationedAgency
        fields = ["active"]


class AgencyViewSet(
    ScopedViewSetMixin, mixins.CreateModelMixin, mixins.UpdateModelMixin, viewsets.ReadOnlyModelViewSet
):
    """Stationed agencies in the caller's scope (and the one they head). POST registers one, PUT changes its
    name, department, head and whether it is still stationed."""

    view_permission = VIEW
    change_permission = MANAGE
    queryset = StationedAgency.objects.select_related("street", "head").order_by("street__path", "name", "pk")
    serializer_class = AgencySerializer
    filterset_class = AgencyFilter
    http_method_names = ["get", "post", "put", "head", "options"]

    def scope_queryset(self, queryset):
        return queryset & people_selectors.visible_agencies(self.request.user)

    def area_of(self, obj):
        return obj.street

    def get_serializer_class(self):
        return {"create": AgencyInput, "update": AgencyEdit}.get(self.action, AgencySerializer)

    @extend_schema(request=AgencyInput, responses={201: AgencySerializer})
    def create(self, request, *args, **kwargs):
        agency = people_services.create_agency(actor=request.user, **self.input_of(AgencyInput))
        return self.answer(agency, status.HTTP_201_CREATED)

    @extend_schema(request=AgencyEdit, responses=AgencySerializer)
    def update(self, request, *args, **kwargs):
        agency = self.get_object()
        people_services.update_agency(actor=request.user, agency=agency, **self.input_of(AgencyEdit))
        return self.answer(agency)


def register(router) -> None:
    router.register("agencies", AgencyViewSet, basename="agency")
