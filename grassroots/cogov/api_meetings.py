"""Joint meetings' API, each page step also here (docs/cogov.md):

- `/api/joint-meetings/bodies/` — the joint-meeting bodies in sight; POST sets one up, PATCH changes its name,
  members and note (`services_meetings.save_body`).
- `/api/joint-meetings/` — the meetings; POST schedules one (a gathering of kind 联席会议);
  `POST …/{id}/minutes/`, `…/{id}/held/`, `…/{id}/attendance/` (the member units'), `…/{id}/decisions/` (a
  decision → an action item).
- `/api/action-items/` — action items (`?state=`, `?overdue=1`, overdue first); the steps (report done with
  the note and evidence files, verify, send back with the reason) at `…/{id}/transitions/` as for every
  workflow record."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from grassroots.api.fields import ScopedPrimaryKeyRelatedField
from grassroots.api.filters import int_param
from grassroots.api.scoping import ScopedViewSetMixin
from grassroots.api.transitions import AvailableTransitionsField
from grassroots.areas.models import Area, PartyOrg
from grassroots.cogov import selectors_meetings as selectors
from grassroots.cogov import services_meetings as services
from grassroots.cogov.models import Partner
from grassroots.cogov.models_meetings import (
    MANAGE,
    VIEW,
    ActionItem,
    ActionState,
    JointBody,
    JointMeeting,
    UnitAttendance,
)
from grassroots.portal.submissions import API_HELP, MAX_LENGTH


class JointBodySerializer(serializers.ModelSerializer):
    area_name = serializers.CharField(source="area.name", read_only=True)
    host_name = serializers.CharField(source="host.name", read_only=True)

    class Meta:
        model = JointBody
        fields = ["id", "name", "area", "area_name", "host", "host_name", "members", "note", "created_at"]


class JointBodyInput(serializers.Serializer):
    area = ScopedPrimaryKeyRelatedField(queryset=Area.objects.all(), scope=selectors.host_areas)
    host = ScopedPrimaryKeyRelatedField(queryset=PartyOrg.objects.all(), scope=selectors.host_orgs)
    name = serializers.CharField(max_length=100)
    members = ScopedPrimaryKeyRelatedField(
        queryset=Partner.objects.all(), scope=selectors.member_candidates, many=True, required=False
    )
    note = serializers.CharField(required=False, allow_blank=True, default="")


class JointBodyChange(serializers.Serializer):
    name = serializers.CharField(max_length=100, required=False)
    members = ScopedPrimaryKeyRelatedField(
        queryset=Partner.objects.all(), scope=selectors.member_candidates, many=True, required=False
    )
    note = serializers.CharField(required=False, allow_blank=True)


class JointBodyViewSet(
    ScopedViewSetMixin, mixins.CreateModelMixin, mixins.UpdateModelMixin, viewsets.ReadOnlyModelViewSet
):
    view_permission = VIEW
    change_permission = MANAGE
    services_decide = True
    serializer_class = JointBodySerializer
    queryset = JointBody.objects.select_related("area", "host").prefetch_related("members")
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        return super().get_queryset().order_by("area__path", "name")

    def get_serializer_class(self):
        return {"create": JointBodyInput, "partial_update": JointBodyChange}.get(
            self.action, JointBodySerializer
        )

    @extend_schema(request=JointBodyInput, responses={201: JointBodySerializer})
    def create(self, request, *args, **kwargs):
        body = services.save_body(actor=request.user, **self.input_of(JointBodyInput))
        return self.answer(body, status.HTTP_201_CREATED)

    @extend_schema(request=JointBodyChange, responses={200: JointBodySerializer})
    def partial_update(self, request, *args, **kwargs):
        body = self.get_object()
        data = self.input_of(JointBodyChange, partial=True)
        return self.answer(services.save_body(actor=request.user, body=body, **data))


class UnitAttendanceSerializer(serializers.ModelSerializer):
    partner_name = serializers.CharField(source="partner.name", read_only=True)

    class Meta:
        model = UnitAttendance
        fields = ["partner", "partner_name", "present", "attendee", "note"]


class JointMeetingSerializer(serializers.ModelSerializer):
    body_name = serializers.CharField(source="body.name", read_only=True)
    gathering = serializers.PrimaryKeyRelatedField(read_only=True)
    title = serializers.CharField(source="gathering.title", read_only=True)
    starts_at = serializers.DateTimeField(source="gathering.starts_at", read_only=True)
    ends_at = serializers.DateTimeField(source="gathering.ends_at", read_only=True)
    place = serializers.CharField(source="gathering.place", read_only=True)
    agenda = serializers.CharField(source="gathering.description", read_only=True)
    minutes = serializers.CharField(source="gathering.minutes", read_only=True)
    status = serializers.CharField(source="gathering.status", read_only=True)
    attendance = UnitAttendanceSerializer(many=True, read_only=True)
    action_items = serializers.PrimaryKeyRelatedField(many=True, read_only=True)

    class Meta:
        model = JointMeeting
        fields = [
            "id",
            "body",
            "body_name",
            "gathering",
            "title",
            "starts_at",
            "ends_at",
            "place",
            "agenda",
            "minutes",
            "status",
            "attendance",
            "action_items",
        ]


class JointMeetingInput(serializers.Serializer):
    body = ScopedPrimaryKeyRelatedField(queryset=JointBody.objects.all(), scope=selectors.manageable_bodies)
    title = serializers.CharField(max_length=200)
    starts_at = serializers.DateTimeField()
    ends_at = serializers.DateTimeField()
    place = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    agenda = serializers.CharField(max_length=5000)
    submission = serializers.CharField(
        required=False, allow_blank=True, max_length=MAX_LENGTH, help_text=API_HELP
    )


class JointMinutesInput(serializers.Serializer):
    minutes = serializers.CharField(max_length=20000, allow_blank=True)


class JointAttendanceRowInput(serializers.Serializer):
    partner = serializers.IntegerField(min_value=1, help_text=_("成员单位的 id"))
    present = serializers.BooleanField()
    attendee = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    note = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")


class JointAttendanceInput(serializers.Serializer):
    rows = JointAttendanceRowInput(many=True)


class JointDecisionInput(serializers.Serializer):
    text = serializers.CharField(max_length=1000)
    due_on = serializers.DateField()
    owner_partner = serializers.IntegerField(required=False, allow_null=True, default=None)
    owner_user = serializers.IntegerField(required=False, allow_null=True, default=None)


class ActionItemSerializer(serializers.ModelSerializer):
    owner_partner_name = serializers.CharField(source="owner_partner.name", read_only=True, default="")
    owner_user_name = serializers.CharField(source="owner_user.full_name", read_only=True, default="")
    meeting_title = serializers.CharField(source="meeting.gathering.title", read_only=True)
    overdue = serializers.BooleanField(read_only=True)
    actions = AvailableTransitionsField()

    class Meta:
        model = ActionItem
        fields = [
            "id",
            "meeting",
            "meeting_title",
            "area",
            "text",
            "owner_partner",
            "owner_partner_name",
            "owner_user",
            "owner_user_name",
            "due_on",
            "state",
            "overdue",
            "done_at",
            "done_note",
            "verified_at",
            "sent_back_reason",
            "actions",
            "created_at",
        ]


class JointMeetingViewSet(ScopedViewSetMixin, mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    view_permission = VIEW
    change_permission = MANAGE
    services_decide = True
    serializer_class = JointMeetingSerializer
    queryset = JointMeeting.objects.select_related("body", "gathering").prefetch_related(
        "attendance__partner", "action_items"
    )

    def get_queryset(self):
        return super().get_queryset().order_by("-gathering__starts_at", "-pk")

    def get_serializer_class(self):
        return {
            "create": JointMeetingInput,
            "minutes": JointMinutesInput,
            "attendance": JointAttendanceInput,
            "decisions": JointDecisionInput,
            "held": serializers.Serializer,
        }.get(self.action, JointMeetingSerializer)

    @extend_schema(request=JointMeetingInput, responses={201: JointMeetingSerializer})
    def create(self, request, *args, **kwargs):
        meeting = services.schedule_meeting(actor=request.user, **self.input_of(JointMeetingInput))
        return self.answer(meeting, status.HTTP_201_CREATED)

    @extend_schema(request=JointMinutesInput, responses={200: JointMeetingSerializer})
    @action(detail=True, methods=["post"])
    def minutes(self, request, pk=None):
        meeting = self.get_object()
        services.record_minutes(actor=request.user, meeting=meeting, **self.input_of(JointMinutesInput))
        return self.answer(meeting)

    @extend_schema(request=None, responses={200: JointMeetingSerializer})
    @action(detail=True, methods=["post"])
    def held(self, request, pk=None):
        meeting = self.get_object()
        services.mark_held(actor=request.user, meeting=meeting)
        return self.answer(meeting)

    @extend_schema(request=JointAttendanceInput, responses={200: JointMeetingSerializer})
    @action(detail=True, methods=["post"])
    def attendance(self, request, pk=None):
        meeting = self.get_object()
        data = self.input_of(JointAttendanceInput)
        members = {p.pk: p for p in meeting.body.members.all()}
        rows = []
        for row in data["rows"]:
            partner = members.get(row["partner"])
            if partner is None:
                raise serializers.ValidationError({"rows": [_("只能登记该联席会议成员单位的出席情况。")]})
            rows.append((partner, row["present"], row["attendee"], row["note"]))
        services.record_attendance(actor=request.user, meeting=meeting, rows=rows)
        return self.answer(meeting)

    @extend_schema(request=JointDecisionInput, responses={201: ActionItemSerializer})
    @action(detail=True, methods=["post"])
    def decisions(self, request, pk=None):
        meeting = self.get_object()
        data = self.input_of(JointDecisionInput)
        partner = user = None
        if data["owner_partner"] is not None:
            partner = meeting.body.members.filter(pk=data["owner_partner"]).first()
            if partner is None:
                raise serializers.ValidationError(
                    {"owner_partner": [_("责任单位须是该联席会议的成员单位。")]}
                )
        if data["owner_user"] is not None:
            user = selectors.owner_candidates(meeting.body).filter(pk=data["owner_user"]).first()
            if user is None:
                raise serializers.ValidationError(
                    {"owner_user": [_("责任人须是牵头街道（社区）的工作人员或成员单位的代表。")]}
                )
        item = services.record_decision(
            actor=request.user,
            meeting=meeting,
            text=data["text"],
            due_on=data["due_on"],
            owner_partner=partner,
            owner_user=user,
        )
        fresh = selectors.visible_action_items(request.user).get(pk=item.pk)
        return Response(
            ActionItemSerializer(fresh, context=self.get_serializer_context()).data,
            status=status.HTTP_201_CREATED,
        )


STATE = OpenApiParameter("state", str, enum=ActionState.values, description="状态")
OVERDUE = OpenApiParameter("overdue", bool, description="只看逾期未完成的")
OWNER = OpenApiParameter(
    "partner", int, description="责任单位（共建单位 id）：该单位的督办事项，如共建单位页面所列"
)


class ActionItemViewSet(ScopedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    view_permission = VIEW
    serializer_class = ActionItemSerializer
    queryset = ActionItem.objects.all()

    def scope_queryset(self, queryset):
        params = self.request.query_params
        state = params.get("state", "")
        rows = selectors.action_item_list(
            self.request.user,
            state=state if state in ActionState.values else "",
            overdue=params.get("overdue") in ("1", "true"),
        )
        partner = int_param(self.request, "partner") if self.action == "list" else None
        if partner is not None:
            rows = rows.filter(owner_partner=partner)
        return rows

    @extend_schema(parameters=[STATE, OVERDUE, OWNER])
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)


def register(router) -> None:
    router.register("joint-meetings/bodies", JointBodyViewSet, basename="joint-body")
    router.register("joint-meetings", JointMeetingViewSet, basename="joint-meeting")
    router.register("action-items", ActionItemViewSet, basename="action-item")
