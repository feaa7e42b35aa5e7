"""API of cultivation by virtue (一化), every step of the pages:

- `/api/warning-educations/`: GET the warning education sessions of the teams in scope (`?year=`), with the
  number marked present; POST `{team, mode, title, starts_at, ends_at, place?, case_summary?, attendees?}`
  records one (`services.record_warning_education`: a gathering of kind 警示教育 in the team's area; who
  attended is its attendance sheet, `/api/gatherings/{id}/attendance/`).
  `GET …/teams-without/?year=` lists the streets and communities without warning education held that year.
- `/api/venues/`: integrity venues (`?area=`, `?kind=`); POST creates, PATCH changes (`services`);
  `GET/POST …/{id}/photos/` lists and uploads photos (multipart; checked and re-encoded), `DELETE
  …/{id}/photos/{photo_id}/` removes one; `GET /api/venues/coverage/?area=` the communities with and without
  each kind per child area (the one roll-up)."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError as DRFValidationError
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from grassroots.access.scoping import area_from_request
from grassroots.accounts.models import User
from grassroots.api.fields import ScopedPrimaryKeyRelatedField
from grassroots.api.scoping import ScopedViewSetMixin
from grassroots.areas.models import Area
from grassroots.virtue import api_brands, selectors, services
from grassroots.virtue.api_lists import AreaKindFilterMixin
from grassroots.virtue.models import Venue, VenueKind, VenuePhoto, WarningEducation, WarningMode

YEAR = OpenApiParameter("year", OpenApiTypes.INT, description=str(_("年度，默认今年")))


def _year(request) -> int:
    raw = request.query_params.get("year")
    if raw in (None, ""):
        return timezone.localdate().year
    try:
        year = int(raw)
    except ValueError:
        year = 0
    if not 1900 <= year <= 2100:
        raise DRFValidationError({"year": [_("请填写 1900 到 2100 之间的年份。")]})
    return year


class WarningEducationSerializer(serializers.ModelSerializer):
    team_name = serializers.CharField(source="team.name", read_only=True)
    title = serializers.CharField(source="gathering.title", read_only=True)
    starts_at = serializers.DateTimeField(source="gathering.starts_at", read_only=True)
    ends_at = serializers.DateTimeField(source="gathering.ends_at", read_only=True)
    status = serializers.CharField(source="gathering.status", read_only=True)
    attended = serializers.IntegerField(read_only=True, help_text=_("出席人数"))

    class Meta:
        model = WarningEducation
        fields = [
            "id",
            "gathering",
            "team",
            "team_name",
            "mode",
            "title",
            "starts_at",
            "ends_at",
            "status",
            "case_summary",
            "attended",
            "created_at",
        ]
        read_only_fields = fields


class WarningEducationInput(serializers.Serializer):
    team = ScopedPrimaryKeyRelatedField(
        queryset=Area.objects.all(), scope=selectors.team_areas, help_text=_("街道或社区的区域 id")
    )
    mode = serializers.ChoiceField(choices=WarningMode.choices)
    title = serializers.CharField(max_length=200)
    starts_at = serializers.DateTimeField()
    ends_at = serializers.DateTimeField()
    place = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    case_summary = serializers.CharField(required=False, allow_blank=True, default="")
    attendees = serializers.ListField(
        child=serializers.SlugRelatedField(
            slug_field="username", queryset=User.objects.filter(is_active=True)
        ),
        required=False,
        default=list,
        max_length=200,
        help_text=_("受邀出席人员的用户名"),
    )


class TeamSerializer(serializers.ModelSerializer):
    class Meta:
        model = Area
        fields = ["id", "name", "level", "code"]
        read_only_fields = fields


class WarningEducationViewSet(ScopedViewSetMixin, mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    view_permission = selectors.VIEW
    change_permission = selectors.MANAGE
    scope_path = "team__path"
    serializer_class = WarningEducationSerializer
    queryset = WarningEducation.objects.all()  # the model, for the schema; get_queryset reads the scope

    def get_queryset(self):
        queryset = selectors.warning_educations(self.request.user)
        if self.action == "list" and self.request.query_params.get("year"):
            queryset = queryset.filter(gathering__starts_at__year=_year(self.request))
        return queryset

    def scope_queryset(self, queryset):
        return queryset  # selectors.warning_educations is scoped already

    def area_of(self, obj):
        return obj.team

    @extend_schema(parameters=[YEAR])
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(request=WarningEducationInput, responses={201: WarningEducationSerializer})
    def create(self, request, *args, **kwargs):
        education = services.record_warning_education(
            actor=request.user, **self.input_of(WarningEducationInput)
        )
        return self.answer(education, status.HTTP_201_CREATED)

    @extend_schema(
        parameters=[YEAR], responses=TeamSerializer(many=True), summary=_("本年度未开展警示教育的班子")
    )
    @action(detail=False, methods=["get"], url_path="teams-without")
    def teams_without(self, request):
        rows = selectors.teams_without_warning(request.user, _year(request))
        page = self.paginate_queryset(rows)
        return self.get_paginated_response(TeamSerializer(page, many=True).data)


class VenuePhotoSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField(help_text=_("照片的地址（按权限提供）"))

    class Meta:
        model = VenuePhoto
        fields = ["id", "caption", "uploaded_at", "url"]
        read_only_fields = fields

    def get_url(self, photo) -> str:
        url = reverse("virtue:venue_photo", args=[photo.venue_id, photo.pk])
        request = self.context.get("request")
        return request.build_absolute_uri(url) if request else url


class VenuePhotoInput(serializers.Serializer):
    image = serializers.FileField(help_text=_("JPEG、PNG、GIF 或 WebP，不超过 10 MB"))
    caption = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")


class VenueSerializer(serializers.ModelSerializer):
    area_name = serializers.CharField(source="area.name", read_only=True)
    photo_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = Venue
        fields = [
            "id",
            "kind",
            "name",
            "area",
            "area_name",
            "address",
            "latitude",
            "longitude",
            "description",
            "opened_on",
            "photo_count",
            "created_at",
        ]
        read_only_fields = fields


class VenueInput(serializers.Serializer):
    kind = serializers.ChoiceField(choices=VenueKind.choices)
    name = serializers.CharField(max_length=100)
    area = ScopedPrimaryKeyRelatedField(
        queryset=Area.objects.all(), scope=selectors.venue_areas, help_text=_("阵地所在区域的 id")
    )
    address = serializers.CharField(max_length=200)
    latitude = serializers.DecimalField(
        max_digits=9, decimal_places=6, required=False, allow_null=True, default=None
    )
    longitude = serializers.DecimalField(
        max_digits=9, decimal_places=6, required=False, allow_null=True, default=None
    )
    description = serializers.CharField(required=False, allow_blank=True, default="")
    opened_on = serializers.DateField(required=False, allow_null=True, default=None)


COVERAGE = inline_serializer(
    "VenueCoverageLine",
    fields={
        "area": serializers.IntegerField(allow_null=True),
        "area_name": serializers.CharField(allow_null=True),
        "total": serializers.BooleanField(),
        "communities": serializers.IntegerField(),
        "kinds": serializers.DictField(child=serializers.DictField(child=serializers.IntegerField())),
    },
    many=True,
)


class VenueViewSet(
    AreaKindFilterMixin,
    ScopedViewSetMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.ReadOnlyModelViewSet,
):
    """Integrity venues (廉洁文化阵地) in the caller's scope: list (`?area=`, `?kind=`), create, PATCH,
    photos."""

    area_permission = selectors.VIEW
    kinds = VenueKind.values
    unknown_kind = _("未知的阵地类型。")
    view_permission = selectors.VIEW
    change_permission = selectors.MANAGE
    serializer_class = VenueSerializer
    queryset = Venue.objects.all()  # the model, for the schema; get_queryset reads the scope
    parser_classes = [JSONParser, MultiPartParser, FormParser]
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def get_queryset(self):
        queryset = selectors.venues(self.request.user).order_by("area__path", "kind", "name", "pk")
        return self.filter_list(queryset) if self.action == "list" else queryset

    def scope_queryset(self, queryset):
        return queryset  # selectors.venues is scoped already

    @extend_schema(
        parameters=[
            OpenApiParameter("area", OpenApiTypes.INT, description=str(_("区域 id（含下级）"))),
            OpenApiParameter("kind", OpenApiTypes.STR, enum=VenueKind.values),
        ]
    )
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(request=VenueInput, responses={201: VenueSerializer})
    def create(self, request, *args, **kwargs):
        venue = services.create_venue(actor=request.user, **self.input_of(VenueInput))
        return self.answer(venue, status.HTTP_201_CREATED)

    @extend_schema(request=VenueInput, responses={200: VenueSerializer})
    def partial_update(self, request, *args, **kwargs):
        venue = self.get_object()
        venue = services.update_venue(
            actor=request.user, venue=venue, **self.input_of(VenueInput, partial=True)
        )
        return self.answer(venue)

    @extend_schema(methods=["GET"], responses=VenuePhotoSerializer(many=True), filters=False)
    @extend_schema(
        methods=["POST"],
        request={"multipart/form-data": VenuePhotoInput},
        responses={201: VenuePhotoSerializer},
        filters=False,
    )
    @action(detail=True, methods=["get", "post"], pagination_class=None, filter_backends=[])
    def photos(self, request, pk=None):
        """The photos, each at its scoped address; POST uploads one (managers; checked by its content)."""
        venue = self.get_object()
        context = self.get_serializer_context()
        if request.method == "GET":
            return Response(VenuePhotoSerializer(venue.photos.all(), many=True, context=context).data)
        photo = services.add_venue_photo(actor=request.user, venue=venue, **self.input_of(VenuePhotoInput))
        return Response(VenuePhotoSerializer(photo, context=context).data, status=status.HTTP_201_CREATED)

    @extend_schema(methods=["DELETE"], request=None, responses={204: None}, filters=False)
    @action(
        detail=True,
        methods=["delete"],
        url_path=r"photos/(?P<photo_pk>\d+)",
        pagination_class=None,
        filter_backends=[],
    )
    def remove_photo(self, request, pk=None, photo_pk=None):
        """Remove one of the venue's photos (managers)."""
        venue = self.get_object()
        photo = get_object_or_404(venue.photos, pk=photo_pk)
        services.remove_venue_photo(actor=request.user, photo=photo)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(
        parameters=[OpenApiParameter("area", OpenApiTypes.INT, description=str(_("区域 id，默认工作区域")))],
        responses=COVERAGE,
        filters=False,
        summary=_("阵地覆盖"),
    )
    @action(detail=False, methods=["get"], pagination_class=None, filter_backends=[])
    def coverage(self, request):
        area = area_from_request(request, selectors.VIEW, required=True)
        rows = selectors.coverage_lines(selectors.coverage(area))
        return Response(
            [
                {
                    "area": row["area"].pk if row["area"] else None,
                    "area_name": row["area"].name if row["area"] else None,
                    "total": row["total"],
                    "communities": row["communities"],
                    "kinds": {
                        cell["kind"]: {"with": cell["with"], "without": cell["without"]}
                        for cell in row["kinds"]
                    },
                }
                for row in rows
            ]
        )


def register(router) -> None:
    router.register("warning-educations", WarningEducationViewSet, basename="warning-education")
    router.register("venues", VenueViewSet, basename="venue")
    from grassroots.virtue import api_points

    api_points.register(router)  # /api/points/, /api/store-items/, /api/exchanges/
    from grassroots.virtue import api_campaigns

    api_campaigns.register(router)
    api_brands.register(router)  # brands, events, environmental actions
