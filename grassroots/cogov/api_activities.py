"""`/api/activities/`: volunteer activities (gatherings of the kind `volunteer_service`), every step of the
pages (docs/cogov.md, 志愿活动):

- `GET /api/activities/` (`?view=near` open for sign-up around the caller, `mine` their sign-ups, `organize`
  those they manage) and `…/{id}/`: the activities the caller sees (the gatherings' visibility), with seats
  and the caller's own participation (`me`: signed up, check-in, check-out, confirmed hours);
- the caller's own steps: `POST …/{id}/sign-up/` (an active volunteer; capacity and double booking refused
  with code "full" / "overlap"), `…/cancel/`, `…/check-in/`, `…/check-out/`;
- the organizer's (gatherings.manage on the area): `GET …/{id}/roster/`, `POST …/{id}/times/ {user,
  checked_in_at, checked_out_at?}`, `POST …/{id}/check-in/ {user}` and `…/check-out/ {user}` (now),
  `POST …/{id}/confirm-hours/`, `POST …/{id}/reverse-hours/ {credit, reason}`;
- `GET /api/activities/hours/`: the caller's credited hours.
Outside the caller's sight: 404; seen but not managed: 403 on the organizer's requests."""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from grassroots.api.scoping import ScopedViewSetMixin
from grassroots.api.transitions import Refused
from grassroots.cogov import selectors_activities as selectors
from grassroots.cogov import services_activities as services
from grassroots.cogov.models import ServiceHours
from grassroots.gatherings.api.serializers import GatheringSerializer
from grassroots.gatherings.models import Gathering, Participant
from grassroots.gatherings.selectors import can_manage, with_counts

VIEWS = ("near", "mine", "organize")


class CreditSerializer(serializers.ModelSerializer):
    activity_title = serializers.CharField(source="gathering.title", read_only=True)
    volunteer_name = serializers.CharField(source="volunteer.user.display_name", read_only=True)

    class Meta:
        model = ServiceHours
        fields = [
            "id",
            "gathering",
            "activity_title",
            "volunteer",
            "volunteer_name",
            "hours",
            "checked_in_at",
            "checked_out_at",
            "confirmed_at",
            "reversed_at",
            "reverse_reason",
        ]
        read_only_fields = fields


class RosterRowSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="user.display_name", read_only=True)
    hours = serializers.DecimalField(
        source="attended_hours", max_digits=5, decimal_places=1, read_only=True, allow_null=True
    )
    credit = serializers.SerializerMethodField()

    class Meta:
        model = Participant
        fields = ["user", "name", "signed_up_at", "checked_in_at", "checked_out_at", "hours", "credit"]
        read_only_fields = fields

    def get_credit(self, row) -> int | None:
        return row.credit.pk if getattr(row, "credit", None) else None


class PersonInput(serializers.Serializer):
    user = serializers.IntegerField(required=False, help_text=_("组织者为他人签到、签退时填写"))


class TimesInput(serializers.Serializer):
    user = serializers.IntegerField()
    checked_in_at = serializers.DateTimeField()
    checked_out_at = serializers.DateTimeField(required=False, allow_null=True, default=None)


class ReverseInput(serializers.Serializer):
    credit = serializers.IntegerField()
    reason = serializers.CharField(max_length=200)


class ConfirmationSerializer(serializers.Serializer):
    credited = CreditSerializer(many=True)
    hours = serializers.DecimalField(max_digits=8, decimal_places=1)
    skipped = serializers.ListField(child=serializers.DictField(child=serializers.CharField()))


def _refused(exc: DjangoValidationError):
    if hasattr(exc, "error_dict"):
        return serializers.ValidationError(exc.message_dict)
    return Refused(" ".join(exc.messages), code=exc.code or "invalid")


class ActivityViewSet(ScopedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = GatheringSerializer  # as /api/gatherings/ shows it (seats: attendance.signed_up)
    queryset = Gathering.objects.all()
    view_permission = "gatherings.view"
    change_permission = "gatherings.manage"
    services_decide = True

    def scope_queryset(self, queryset):
        user = self.request.user
        view = self.request.query_params.get("view", "")
        now = timezone.now()
        if view == "near":
            return selectors.near_me(user, now).select_related("organizer", "party_org")
        if view == "mine":
            rows = selectors.my_sign_ups(user, now)
        elif view == "organize":
            rows = with_counts(selectors.managed_activities(user), user).order_by("-starts_at", "-pk")
        else:
            rows = with_counts(selectors.activities(user), user).order_by("-starts_at", "-pk")
        return rows.select_related("area", "organizer", "party_org")

    @extend_schema(
        parameters=[OpenApiParameter("view", str, enum=list(VIEWS), description="near | mine | organize")]
    )
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    def _organizer(self, activity) -> None:
        if not can_manage(self.request.user, activity):
            self.check_change(activity.area)
            raise PermissionDenied

    def _person(self, activity, pk):
        row = activity.participants.filter(user_id=pk).select_related("user").first()
        if row is None:
            raise serializers.ValidationError({"user": [_("该人员不在本活动的报名名单中。")]})
        return row

    # --- the caller's own steps --------------------------------------------------------------------------
    def _act(self, service):
        activity = self.get_object()
        try:
            service(user=self.request.user, gathering=activity)
        except DjangoValidationError as exc:
            raise _refused(exc) from exc
        return self.answer(activity)

    @extend_schema(request=None, responses=GatheringSerializer)
    @action(detail=True, methods=["post"], url_path="sign-up")
    def sign_up(self, request, pk=None):
        """Sign yourself up (an active volunteer; 400 "full" when no seat is left, "overlap" when you are
        signed up for another activity at the same time)."""
        return self._act(services.join_activity)

    @extend_schema(request=None, responses=GatheringSerializer)
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        """Give your seat back, before the start."""
        return self._act(services.leave_activity)

    def _times_now(self, request, which: str):
        person = self.input_of(PersonInput).get("user")
        if person is None:
            return self._act(services.check_in if which == "in" else services.check_out)
        activity = self.get_object()
        self._organizer(activity)
        row = self._person(activity, person)
        now = timezone.now()
        try:
            services.record_times(
                actor=request.user,
                gathering=activity,
                person=row.user,
                checked_in_at=now if which == "in" else row.checked_in_at,
                checked_out_at=now if which == "out" else row.checked_out_at,
                now=now,
            )
        except DjangoValidationError as exc:
            raise _refused(exc) from exc
        return self.answer(activity)

    @extend_schema(request=PersonInput, responses=GatheringSerializer)
    @action(detail=True, methods=["post"], url_path="check-in")
    def check_in(self, request, pk=None):
        """Check yourself in (30 minutes before the start until the end); an organizer checks in `user`."""
        return self._times_now(request, "in")

    @extend_schema(request=PersonInput, responses=GatheringSerializer)
    @action(detail=True, methods=["post"], url_path="check-out")
    def check_out(self, request, pk=None):
        """Check yourself out (after checking in, until two hours after the end); an organizer checks out
        `user`."""
        return self._times_now(request, "out")

    # --- the organizer's sheet ---------------------------------------------------------------------------
    @extend_schema(responses=RosterRowSerializer(many=True), filters=False, parameters=[])
    @action(detail=True, methods=["get"], pagination_class=None, filter_backends=[])
    def roster(self, request, pk=None):
        """Everyone on the list with their times, hours and live credit (organizers)."""
        activity = self.get_object()
        self._organizer(activity)
        return Response(RosterRowSerializer(selectors.roster(activity), many=True).data)

    @extend_schema(request=TimesInput, responses=RosterRowSerializer(many=True))
    @action(detail=True, methods=["post"])
    def times(self, request, pk=None):
        """Record or correct a participant's check-in and check-out (refused once their hours are
        credited: reverse first)."""
        activity = self.get_object()
        self._organizer(activity)
        data = self.input_of(TimesInput)
        row = self._person(activity, data.pop("user"))
        try:
            services.record_times(actor=request.user, gathering=activity, person=row.user, **data)
        except DjangoValidationError as exc:
            raise _refused(exc) from exc
        return Response(RosterRowSerializer(selectors.roster(activity), many=True).data)

    @extend_schema(request=None, responses=ConfirmationSerializer)
    @action(detail=True, methods=["post"], url_path="confirm-hours")
    def confirm_hours(self, request, pk=None):
        """Credit the hours of everyone checked in and out (once each: confirming again credits nothing
        more); answers what was credited and who was left out, with why."""
        activity = self.get_object()
        self._organizer(activity)
        try:
            result = services.confirm_hours(actor=request.user, gathering=activity)
        except DjangoValidationError as exc:
            raise _refused(exc) from exc
        return Response(
            {
                "credited": CreditSerializer(result.credited, many=True).data,
                "hours": str(result.hours),
                "skipped": [{"name": name, "reason": str(why)} for name, why in result.skipped],
            }
        )

    @extend_schema(request=ReverseInput, responses=CreditSerializer)
    @action(detail=True, methods=["post"], url_path="reverse-hours")
    def reverse_hours(self, request, pk=None):
        """Reverse a credit of this activity with a reason (the hours are taken back)."""
        activity = self.get_object()
        self._organizer(activity)
        data = self.input_of(ReverseInput)
        credit = ServiceHours.objects.filter(pk=data["credit"], gathering=activity).first()
        if credit is None:
            raise serializers.ValidationError({"credit": [_("本活动没有这条服务时长记录。")]})
        try:
            credit = services.reverse_hours(actor=request.user, credit=credit, reason=data["reason"])
        except DjangoValidationError as exc:
            raise _refused(exc) from exc
        return Response(CreditSerializer(credit).data)

    @extend_schema(responses=CreditSerializer(many=True), filters=False, parameters=[])
    @action(detail=False, methods=["get"], filter_backends=[])
    def hours(self, request):
        """Your credited hours (reversed ones marked), newest first."""
        rows = selectors.my_credits(request.user).select_related("volunteer__user")
        page = self.paginate_queryset(rows)
        return self.get_paginated_response(CreditSerializer(page, many=True).data)


def register(router) -> None:
    router.register("activities", ActivityViewSet, basename="activity")
