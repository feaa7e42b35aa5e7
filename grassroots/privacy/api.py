"""API of a person's data rights, the same as the pages (services.py):

- `GET /api/me/data/` — everything the platform holds about the caller, as the JSON download
  (`?format=xlsx` is not offered here: the page's download is the workbook);
- `/api/data-requests/` — the caller's own requests and, for handlers (`privacy.handle`), those of their
  areas; `POST` submits one (`kind`: correction | deletion, `details`); steps at
  `…/{id}/transitions/{name}/` (complete, refuse with `comment`) by the handlers of the person's area.
"""

from __future__ import annotations

import json

from django.urls import path
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from grassroots.api.scoping import ScopedViewSetMixin
from grassroots.privacy import services
from grassroots.privacy.models import PERMISSION, DataRequest, RequestKind


class MyDataView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(responses={200: OpenApiTypes.OBJECT}, summary="本人的全部个人信息")
    def get(self, request):
        return Response(json.loads(services.export_json(user=request.user, request=request)))


class DataRequestSerializer(serializers.ModelSerializer):
    state_label = serializers.CharField(read_only=True)

    class Meta:
        model = DataRequest
        fields = [
            "id",
            "kind",
            "details",
            "state",
            "state_label",
            "area",
            "submitted_at",
            "decided_at",
            "reply",
            "outcome",
        ]
        read_only_fields = ["state", "area", "submitted_at", "decided_at", "reply", "outcome"]


class DataRequestInput(serializers.Serializer):
    kind = serializers.ChoiceField(choices=RequestKind.choices)
    details = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000)


class DataRequestViewSet(ScopedViewSetMixin, mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """A person's correction and deletion requests: their own, and for handlers those of their areas."""

    queryset = DataRequest.objects.select_related("area").order_by("-submitted_at", "-pk")
    serializer_class = DataRequestSerializer
    view_permission = PERMISSION

    def scope_queryset(self, queryset):
        return queryset.filter(pk__in=DataRequest.visible_to(self.request.user).values("pk"))

    @extend_schema(request=DataRequestInput, responses={201: DataRequestSerializer})
    def create(self, request, *args, **kwargs):
        data = DataRequestInput(data=request.data)
        data.is_valid(raise_exception=True)
        record = services.submit_request(user=request.user, **data.validated_data)
        return Response(DataRequestSerializer(record).data, status=status.HTTP_201_CREATED)


def register(router) -> None:
    router.register("data-requests", DataRequestViewSet, basename="data-request")


extra_urls = [path("me/data/", MyDataView.as_view(), name="my-data")]
