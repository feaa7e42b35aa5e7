"""The gatherings viewset (see the package's docstring)."""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.generics import get_object_or_404
from rest_framework.response import Response

from grassroots.api.scoping import ScopedViewSetMixin
from grassroots.api.transitions import TRANSITION_ACTIONS, Refused
from grassroots.gatherings import selectors, services
from grassroots.gatherings.api.serializers import (
    AttendanceInput,
    DecisionInput,
    DecisionSerializer,
    GatheringCreateInput,
    GatheringGuestInput,
    GatheringGuestSerializer,
    GatheringInput,
    GatheringSerializer,
    InviteInput,
    MinutesInput,
    ParticipantSerializer,
    PhotoInput,
    PhotoSerializer,
    RemoveGuestInput,
)
from grassroots.gatherings.filters import GatheringFilter
from grassroots.gatherings.models import Gathering

# The caller's own participation: the services decide (visibility, invitation, deadline, capacity).
PERSONAL_ACTIONS = frozenset({"sign_up", "cancel_sign_up", "check_in", "check_out"})


class GatheringViewSet(
    ScopedViewSetMixin, mixins.CreateModelMixin, mixins.UpdateModelMixin, viewsets.ReadOnlyModelViewSet
):
    serializer_class = GatheringSerializer
    filterset_class = GatheringFilter
    queryset = Gathering.objects.all()
    view_permission = "gatherings.view"
    change_permission = "gatherings.manage"
    http_method_names = ["get", "post", "put", "patch", "head", "options"]

    def scope_queryset(self, queryset):
        return selectors.list_for(self.request.user)

    def check_object_permissions(self, request, obj):
        if self.action in PERSONAL_ACTIONS or self.action in TRANSITION_ACTIONS:
            viewsets.GenericViewSet.check_object_permissions(self, request, obj)
        else:
            super().check_object_permissions(request, obj)

    def get_serializer_class(self):
        return {
            "create": GatheringCreateInput,
            "update": GatheringInput,
            "partial_update": GatheringInput,
        }.get(self.action, GatheringSerializer)

    # --- create and change -------------------------------------------------------------------------------
    @extend_schema(request=GatheringCreateInput, responses={201: GatheringSerializer})
    def create(self, request, *args, **kwargs):
        """Create a planned gathering (gatherings.manage on `area`); you are its organizer."""
        gathering = services.create_gathering(actor=request.user, **self.input_of(GatheringCreateInput))
        return self.answer(gathering, status.HTTP_201_CREATED)

    @extend_schema(request=GatheringInput, responses=GatheringSerializer)
    def update(self, request, *args, **kwargs):
        """Change a planned gathering (PUT: every field; PATCH: those sent)."""
        gathering = self.get_object()
        data = GatheringInput(
            data=request.data, partial=kwargs.get("partial", False), context=self.get_serializer_context()
        )
        data.is_valid(raise_exception=True)
        services.update_gathering(actor=request.user, gathering=gathering, **data.validated_data)
        return self.answer(gathering)

    # --- the caller's own participation ------------------------------------------------------------------
    def _act(self, service):
        gathering = self.get_object()
        try:
            service(user=self.request.user, gathering=gathering)
        except DjangoValidationError as exc:  # the rule's own code (full, closed, deadline…)
            raise Refused(" ".join(exc.messages), code=exc.code or "invalid") from exc
        return self.answer(gathering)

    @extend_schema(request=None, responses=GatheringSerializer)
    @action(detail=True, methods=["post"], url_path="sign-up")
    def sign_up(self, request, pk=None):
        """Sign yourself up (capacity enforced; 400 with a Chinese message and code "full" when full)."""
        return self._act(services.sign_up)

    @extend_schema(request=None, responses=GatheringSerializer)
    @action(detail=True, methods=["post"], url_path="cancel-sign-up")
    def cancel_sign_up(self, request, pk=None):
        """Give your seat back, before the start."""
        return self._act(services.cancel_sign_up)

    @extend_schema(request=None, responses=GatheringSerializer)
    @action(detail=True, methods=["post"], url_path="check-in")
    def check_in(self, request, pk=None):
        """Check yourself in, from 30 minutes before the start until the end."""
        return self._act(services.check_in)

    @extend_schema(request=None, responses=GatheringSerializer)
    @action(detail=True, methods=["post"], url_path="check-out")
    def check_out(self, request, pk=None):
        """Check yourself out after checking in, until two hours after the end (400 with code
        "not_checked_in", "already" or "closed"); check-in to check-out is what volunteer service counts."""
        return self._act(services.check_out)

    # --- the organizers' sheet ---------------------------------------------------------------------------
    @extend_schema(responses=ParticipantSerializer(many=True), filters=False)
    @action(detail=True, methods=["get"], pagination_class=None, filter_backends=[])
    def participants(self, request, pk=None):
        """The invited and signed-up people with their attendance (organizers only)."""
        gathering = self.get_object()
        self.check_change(gathering.area)
        return Response(ParticipantSerializer(selectors.participants_of(gathering), many=True).data)

    @extend_schema(request=InviteInput, responses=ParticipantSerializer(many=True), filters=False)
    @action(detail=True, methods=["post"], filter_backends=[])
    def invite(self, request, pk=None):
        """Invite people by username (those living or holding a role in the area, or a role above it); they
        are notified. Answers the newly invited."""
        gathering = self.get_object()
        users = self.input_of(InviteInput)["usernames"]
        invited = services.invite(actor=request.user, gathering=gathering, users=users)
        return Response(ParticipantSerializer(invited, many=True).data)

    @extend_schema(request=AttendanceInput, responses=ParticipantSerializer(many=True), filters=False)
    @action(detail=True, methods=["post"], filter_backends=[])
    def attendance(self, request, pk=None):
        """The 考勤登记 sheet: present, or absent with a reason, for people on the list (all or nothing;
        presence once it has begun). Answers the whole list."""
        gathering = self.get_object()
        marks = self.input_of(AttendanceInput, gathering=gathering)["marks"]
        services.record_attendance_sheet(
            actor=request.user,
            gathering=gathering,
            marks=[(m["user"], m["present"], m["absence_reason"]) for m in marks],
        )
        return Response(ParticipantSerializer(selectors.participants_of(gathering), many=True).data)

    @extend_schema(request=MinutesInput, responses=GatheringSerializer, filters=False)
    @action(detail=True, methods=["post"], filter_backends=[])
    def minutes(self, request, pk=None):
        """Write the minutes (not on a cancelled gathering)."""
        gathering = self.get_object()
        services.record_minutes(actor=request.user, gathering=gathering, **self.input_of(MinutesInput))
        return self.answer(gathering)

    @extend_schema(methods=["GET"], responses=DecisionSerializer(many=True), filters=False)
    @extend_schema(
        methods=["POST"], request=DecisionInput, responses={201: DecisionSerializer}, filters=False
    )
    @action(detail=True, methods=["get", "post"], pagination_class=None, filter_backends=[])
    def decisions(self, request, pk=None):
        """The decisions taken (GET: everyone who sees the gathering); POST adds one (organizers)."""
        gathering = self.get_object()
        if request.method == "GET":
            rows = gathering.decisions.select_related("owner")
            return Response(DecisionSerializer(rows, many=True).data)
        values = self.input_of(DecisionInput, gathering=gathering)
        decision = services.add_decision(actor=request.user, gathering=gathering, **values)
        return Response(DecisionSerializer(decision).data, status=status.HTTP_201_CREATED)

    @extend_schema(methods=["GET"], responses=PhotoSerializer(many=True), filters=False)
    @extend_schema(
        methods=["POST"],
        request={"multipart/form-data": PhotoInput},
        responses={201: PhotoSerializer},
        filters=False,
    )
    @action(detail=True, methods=["get", "post"], pagination_class=None, filter_backends=[])
    def photos(self, request, pk=None):
        """The photos, each at its scoped address (GET: everyone who sees the gathering); POST uploads one
        (organizers; checked by its content, re-encoded)."""
        gathering = self.get_object()
        context = self.get_serializer_context()
        if request.method == "GET":
            return Response(PhotoSerializer(gathering.photos.all(), many=True, context=context).data)
        photo = services.add_photo(actor=request.user, gathering=gathering, **self.input_of(PhotoInput))
        return Response(PhotoSerializer(photo, context=context).data, status=status.HTTP_201_CREATED)

    # --- participants without an account -----------------------------------------------------------------
    @extend_schema(methods=["GET"], responses=GatheringGuestSerializer(many=True), filters=False)
    @extend_schema(
        methods=["POST"],
        request=GatheringGuestInput,
        responses={201: GatheringGuestSerializer},
        filters=False,
    )
    @action(detail=True, methods=["get", "post"], pagination_class=None, filter_backends=[])
    def guests(self, request, pk=None):
        """The participants without an account (organizations, people such as resident representatives) —
        organizers only; POST adds one (not on a cancelled gathering; a name already listed is refused)."""
        gathering = self.get_object()
        self.check_change(gathering.area)
        if request.method == "GET":
            return Response(GatheringGuestSerializer(gathering.guests.all(), many=True).data)
        guest = services.add_guest(
            actor=request.user, gathering=gathering, **self.input_of(GatheringGuestInput)
        )
        return Response(GatheringGuestSerializer(guest).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=RemoveGuestInput, responses=GatheringGuestSerializer(many=True), filters=False)
    @action(detail=True, methods=["post"], url_path="remove-guest", filter_backends=[])
    def remove_guest(self, request, pk=None):
        """Take a participant without an account off the list (the guest among this gathering's own: 404
        otherwise). Answers the remaining list."""
        gathering = self.get_object()
        self.check_change(gathering.area)
        guest = get_object_or_404(gathering.guests.all(), pk=self.input_of(RemoveGuestInput)["guest"])
        services.remove_guest(actor=request.user, guest=guest)
        return Response(GatheringGuestSerializer(gathering.guests.all(), many=True).data)
