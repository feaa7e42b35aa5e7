"""API of the area tree (`/api/areas/`) and Party organizations (`/api/party-orgs/`). Reads are scoped by
"areas.view" / "party_orgs.view"; writes need "areas.change" / "party_orgs.change" and go through the
services of `grassroots.areas.services`, as the pages do."""

from django.contrib.auth import get_user_model
from django.db.models import OuterRef, Subquery
from django.db.models.functions import Length, Substr
from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from grassroots.access.scoping import area_from_request
from grassroots.accounts.services.grants import users_in_scope
from grassroots.api.fields import ScopedPrimaryKeyRelatedField
from grassroots.api.filters import IdFilter, SubtreeFilter
from grassroots.api.scoping import ScopedViewSetMixin
from grassroots.areas import services
from grassroots.areas.filters import PartyOrgFilter
from grassroots.areas.models import Area, Level, PartyOrg, PartyOrgKind
from grassroots.areas.subtree import children_q

# --- areas ----------------------------------------------------------------------------------------------


def with_parent_id(queryset):
    """Annotate `parent_id`: the area whose path is this path minus its last step (one indexed lookup per
    row inside the same query, so a page costs one query whatever its size)."""
    parent = Area.objects.filter(path=Substr(OuterRef("path"), 1, Length(OuterRef("path")) - Area.steplen))
    return queryset.annotate(parent_id=Subquery(parent.values("pk")[:1]))


class AreaSerializer(serializers.ModelSerializer):
    level_label = serializers.CharField(read_only=True)
    parent = serializers.IntegerField(
        source="parent_id", read_only=True, allow_null=True, help_text=_("上级区域的 id（根为 null）")
    )

    class Meta:
        model = Area
        fields = [
            "id",
            "name",
            "level",
            "level_label",
            "code",
            "parent",
            "depth",
            "numchild",
            "retired",
            "path",
        ]
        read_only_fields = ["depth", "numchild", "retired", "path"]


class AreaFilter(filters.FilterSet):
    under = SubtreeFilter(path_field="path", label=_("该区域及其全部下级（含该区域本身）"))
    parent = IdFilter(method="children", label=_("该区域的直接下级"))
    q = filters.CharFilter(field_name="name", lookup_expr="icontains", label=_("名称包含"))
    code = filters.CharFilter(field_name="code", lookup_expr="startswith", label=_("区划代码开头"))

    class Meta:
        model = Area
        fields = ["level", "retired"]

    def children(self, queryset, name, value):
        area = area_from_request(self.request, "areas.view", param=name)
        return queryset.filter(children_q(area.path))


class AreaCreateSerializer(serializers.Serializer):
    parent = ScopedPrimaryKeyRelatedField(
        queryset=Area.objects.all(), permission="areas.view", help_text=_("上级区域的 id")
    )
    name = serializers.CharField(max_length=100)
    level = serializers.ChoiceField(choices=Level.choices)
    code = serializers.CharField(max_length=12, required=False, allow_null=True, allow_blank=True)


class AreaUpdateSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=100, required=False)
    code = serializers.CharField(max_length=12, required=False, allow_null=True, allow_blank=True)


class AreaMoveSerializer(serializers.Serializer):
    new_parent = ScopedPrimaryKeyRelatedField(
        queryset=Area.objects.all(), permission="areas.view", help_text=_("新的上级区域的 id")
    )


class AreaRetireSerializer(serializers.Serializer):
    cascade = serializers.BooleanField(
        default=False, help_text=_("同时撤销其全部下级区域和党组织（否则有下级时拒绝）")
    )


class AreaViewSet(
    ScopedViewSetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """Areas inside your "areas.view" scope, in tree order (by `path`). Writes need "areas.change" and go
    through the area services (the same rules as the pages); areas are retired, never deleted."""

    queryset = Area.objects.order_by("path")
    serializer_class = AreaSerializer
    filterset_class = AreaFilter
    view_permission = "areas.view"
    change_permission = "areas.change"
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        return with_parent_id(super().get_queryset())

    def _answer(self, area: Area, status_code=status.HTTP_200_OK) -> Response:
        fresh = self.get_queryset().get(pk=area.pk)  # with its parent id, as the list shows it
        return Response(AreaSerializer(fresh, context=self.get_serializer_context()).data, status=status_code)

    def _input(self, serializer_class):
        serializer = serializer_class(data=self.request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        return serializer.validated_data

    @extend_schema(request=AreaCreateSerializer, responses={201: AreaSerializer})
    def create(self, request):
        """Create an area as the last child of `parent` (needs "areas.change" on the parent)."""
        data = self._input(AreaCreateSerializer)
        area = services.create_area(
            parent=data["parent"],
            name=data["name"],
            level=data["level"],
            code=data.get("code"),
            actor=request.user,
        )
        return self._answer(area, status.HTTP_201_CREATED)

    @extend_schema(request=AreaUpdateSerializer, responses=AreaSerializer)
    def partial_update(self, request, pk=None):
        """Rename an area or change its code."""
        area = self.get_object()
        data = self._input(AreaUpdateSerializer)
        services.update_area(area=area, actor=request.user, **data)
        return self._answer(area)

    @extend_schema(request=AreaMoveSerializer, responses=AreaSerializer)
    @action(detail=True, methods=["post"])
    def move(self, request, pk=None):
        """Move the area and its whole subtree under `new_parent` (needs "areas.change" on the old and the
        new parent)."""
        area = self.get_object()
        data = self._input(AreaMoveSerializer)
        services.move_area(area=area, new_parent=data["new_parent"], actor=request.user)
        return self._answer(area)

    @extend_schema(request=AreaRetireSerializer, responses=AreaSerializer)
    @action(detail=True, methods=["post"])
    def retire(self, request, pk=None):
        """Retire the area (needs "areas.change" on its parent). Refused while it has live children or
        Party organizations, unless `cascade` is true."""
        area = self.get_object()
        data = self._input(AreaRetireSerializer)
        services.retire_area(area=area, actor=request.user, cascade=data["cascade"])
        return self._answer(area)


# --- Party organizations --------------------------------------------------------------------------------


class PartyOrgSerializer(serializers.ModelSerializer):
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    area_name = serializers.CharField(source="area.name", read_only=True)
    secretary_name = serializers.CharField(source="secretary.display_name", read_only=True, default=None)

    class Meta:
        model = PartyOrg
        fields = [
            "id",
            "name",
            "kind",
            "kind_label",
            "code",
            "area",
            "area_name",
            "parent",
            "secretary",
            "secretary_name",
            "retired",
        ]
        read_only_fields = ["retired"]


class PartyOrgWriteSerializer(serializers.Serializer):
    """What a client sends to create (all of name, kind, area) or change (any of them) an organization."""

    name = serializers.CharField(max_length=150)
    kind = serializers.ChoiceField(choices=PartyOrgKind.choices)
    area = ScopedPrimaryKeyRelatedField(queryset=Area.objects.all(), permission="areas.view")
    parent = ScopedPrimaryKeyRelatedField(
        queryset=PartyOrg.objects.select_related("area"),
        permission="party_orgs.view",
        required=False,
        allow_null=True,
    )
    code = serializers.CharField(max_length=30, required=False, allow_null=True, allow_blank=True)
    secretary = ScopedPrimaryKeyRelatedField(
        queryset=get_user_model().objects.all(), scope=users_in_scope, required=False, allow_null=True
    )


class PartyOrgViewSet(
    ScopedViewSetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """Party organizations whose area lies inside your "party_orgs.view" scope. Writes need
    "party_orgs.change" and go through the Party organization services; organizations are retired, never
    deleted."""

    queryset = PartyOrg.objects.select_related("area", "secretary").order_by("area__path", "name", "pk")
    serializer_class = PartyOrgSerializer
    filterset_class = PartyOrgFilter
    view_permission = "party_orgs.view"
    change_permission = "party_orgs.change"
    http_method_names = ["get", "post", "patch", "head", "options"]

    def _answer(self, org: PartyOrg, status_code=status.HTTP_200_OK) -> Response:
        fresh = self.get_queryset().get(pk=org.pk)
        return Response(
            PartyOrgSerializer(fresh, context=self.get_serializer_context()).data, status=status_code
        )

    def _input(self, *, partial: bool) -> dict:
        serializer = PartyOrgWriteSerializer(
            data=self.request.data, partial=partial, context=self.get_serializer_context()
        )
        serializer.is_valid(raise_exception=True)
        return dict(serializer.validated_data)

    @extend_schema(request=PartyOrgWriteSerializer, responses={201: PartyOrgSerializer})
    def create(self, request):
        """Attach a new organization to `area` (needs "party_orgs.change" there)."""
        data = self._input(partial=False)
        org = services.create_party_org(actor=request.user, **data)
        return self._answer(org, status.HTTP_201_CREATED)

    @extend_schema(request=PartyOrgWriteSerializer(partial=True), responses=PartyOrgSerializer)
    def partial_update(self, request, pk=None):
        """Change any of the fields sent (null clears parent, code or secretary)."""
        org = self.get_object()
        data = self._input(partial=True)
        services.update_party_org(org=org, actor=request.user, **data)
        return self._answer(org)

    @extend_schema(request=None, responses=PartyOrgSerializer)
    @action(detail=True, methods=["post"])
    def retire(self, request, pk=None):
        """Retire the organization (refused while it has live child organizations)."""
        org = self.get_object()
        services.retire_party_org(org=org, actor=request.user)
        return self._answer(org)


def register(router) -> None:
    router.register("areas", AreaViewSet, basename="area")
    router.register("party-orgs", PartyOrgViewSet, basename="party-org")
