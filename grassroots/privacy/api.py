"""API of a person's data rights, the same as the pages (services.py):

- `GET /api/me/data/` — everything the platform holds about the caller, as the JSON download
  (`?format=xlsx` is not offered here: the page's download is the workbook);
- `GET /api/me/consent/` — where the caller stands with the privacy notice (`standing`: agreed | missing |
  withdrawn, the current `version`, the notice's `notice_url`); `POST` with the `version` read agrees;
  `POST /api/me/consent/withdraw/` withdraws (PIPL art. 15);
- `/api/data-requests/` — the caller's own requests and, for handlers (`privacy.handle`), those of their
  areas; `POST` submits one (`kind`: correction | deletion, `details`); steps at
  `…/{id}/transitions/{name}/` (complete, refuse with `comment`) by the handlers of the person's area.

Until the caller has agreed to the current notice (or after a withdrawal), every other endpoint answers 403
with the code `notice_not_agreed` (or `consent_withdrawn`): `NoticeAgreed`, a default permission of every
API view (settings.REST_FRAMEWORK; permissions.py), lets through only the views marked `open_without_consent`.
"""

from __future__ import annotations

import json

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.response import Response
from rest_framework.views import APIView

from grassroots.api.scoping import ScopedViewSetMixin
from grassroots.privacy import consent, services
from grassroots.privacy.models import PERMISSION, DataRequest, RequestKind
from grassroots.privacy.notice import NOTICE_VERSION


class MyDataView(APIView):
    open_without_consent = True

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

    open_without_consent = True  # a person's own requests: also after a withdrawal (not the steps)

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


class ConsentSerializer(serializers.Serializer):
    standing = serializers.ChoiceField(
        choices=[consent.AGREED, consent.MISSING, consent.WITHDRAWN], read_only=True
    )
    version = serializers.CharField(help_text=_("所阅读的规则版本（须为当前版本）"))
    notice_url = serializers.CharField(read_only=True)


class MyConsentView(APIView):
    """The caller's standing with the privacy notice; `POST` agrees to the version read."""

    open_without_consent = True

    def _answer(self, request) -> Response:
        return Response(
            {
                "standing": consent.standing(request.user),
                "version": NOTICE_VERSION,
                "notice_url": request.build_absolute_uri(reverse("privacy:notice")),
            }
        )

    @extend_schema(responses={200: ConsentSerializer}, summary="本人对个人信息处理规则的同意情况")
    def get(self, request):
        return self._answer(request)

    @extend_schema(
        request=ConsentSerializer, responses={200: ConsentSerializer}, summary="同意个人信息处理规则"
    )
    def post(self, request):
        data = ConsentSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.agree_to_notice(user=request.user, version=data.validated_data["version"], request=request)
        return self._answer(request)


class WithdrawConsentView(APIView):
    open_without_consent = True

    @extend_schema(request=None, responses={200: ConsentSerializer}, summary="撤回同意")
    def post(self, request):
        services.withdraw_consent(user=request.user, request=request)
        return MyConsentView()._answer(request)


def register(router) -> None:
    router.register("data-requests", DataRequestViewSet, basename="data-request")


extra_urls = [
    path("me/data/", MyDataView.as_view(), name="my-data"),
    path("me/consent/", MyConsentView.as_view(), name="my-consent"),
    path("me/consent/withdraw/", WithdrawConsentView.as_view(), name="my-consent-withdraw"),
]
