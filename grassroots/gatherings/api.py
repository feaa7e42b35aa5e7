"""`/api/gatherings/`: the gatherings the user may see (the same selector and filter as the list page),
with attendance counts, and the actions sign-up, cancel-sign-up and check-in for the current user.

The viewset does not use `ScopedViewSetMixin`: who sees a gathering is wider than the subtree rule (public
gatherings of the areas above, invitations), so the queryset comes from `selectors.list_for`, which is built
on the scoping function."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.urls import reverse
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from grassroots.api.transitions import WorkflowActionsMixin
from grassroots.gatherings import selectors, services
from grassroots.gatherings.filters import GatheringFilter
from grassroots.gatherings.models import Gathering


class AttendanceCountsSerializer(serializers.Serializer):
    invited = serializers.IntegerField(source="invited_count", read_only=True)
    signed_up = serializers.IntegerField(source="signed_up_count", read_only=True)
    present = serializers.IntegerField(source="present_count", read_only=True)
    absent = serializers.IntegerField(source="absent_count", read_only=True)


class MeSerializer(serializers.Serializer):
    invited = serializers.BooleanField(source="me_invited", read_only=True)
    signed_up = serializers.BooleanField(source="me_signed_up", read_only=True)


class GatheringSerializer(serializers.ModelSerializer):
    kind_label = serializers.CharField(read_only=True)
    area_name = serializers.CharField(source="area.name", read_only=True)
    organizer_name = serializers.CharField(source="organizer.display_name", read_only=True)
    party_org_name = serializers.CharField(source="party_org.name", read_only=True, default=None)
    attendance = AttendanceCountsSerializer(source="*", read_only=True)
    me = MeSerializer(source="*", read_only=True)
    url = serializers.SerializerMethodField()

    class Meta:
        model = Gathering
        fields = [
            "id",
            "kind",
            "kind_label",
            "title",
            "area",
            "area_name",
            "organizer",
            "organizer_name",
            "party_org",
            "party_org_name",
            "starts_at",
            "ends_at",
            "place",
            "description",
            "visibility",
            "capacity",
            "signup_open",
            "signup_deadline",
            "status",
            "minutes",
            "attendance",
            "me",
            "url",
        ]
        read_only_fields = fields

    def get_url(self, obj) -> str:
        return reverse("gatherings:detail", args=[obj.pk])


class GatheringViewSet(WorkflowActionsMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = GatheringSerializer
    filterset_class = GatheringFilter
    workflow_model = Gathering  # GET/POST …/{id}/transitions/: mark_held, cancel (its comment: the reason)

    def get_queryset(self):
        return selectors.list_for(self.request.user)

    def _act(self, service):
        gathering = self.get_object()  # 404 outside what the user may see
        try:
            service(user=self.request.user, gathering=gathering)
        except DjangoPermissionDenied as exc:
            raise PermissionDenied from exc
        except DjangoValidationError as exc:
            return Response(
                {"detail": " ".join(exc.messages), "code": getattr(exc, "code", None) or "invalid"},
                status=status.HTTP_400_BAD_REQUEST,
            )
        fresh = selectors.get_detail_or_404(self.request.user, gathering.pk)
        return Response(self.get_serializer(fresh).data)

    @extend_schema(request=None, responses=GatheringSerializer)
    @action(detail=True, methods=["post"], url_path="sign-up")
    def sign_up(self, request, pk=None):
        """Sign the current user up (capacity enforced; 400 with a Chinese message when full)."""
        return self._act(services.sign_up)

    @extend_schema(request=None, responses=GatheringSerializer)
    @action(detail=True, methods=["post"], url_path="cancel-sign-up")
    def cancel_sign_up(self, request, pk=None):
        return self._act(services.cancel_sign_up)

    @extend_schema(request=None, responses=GatheringSerializer)
    @action(detail=True, methods=["post"], url_path="check-in")
    def check_in(self, request, pk=None):
        """The current user checks in, from 30 minutes before the start until the end."""
        return self._act(services.check_in)


def register(router) -> None:
    router.register("gatherings", GatheringViewSet, basename="gathering")
