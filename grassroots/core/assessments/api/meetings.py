"""`/api/site-meetings/` and `/api/site-meeting-lessons/`: on-site meetings (现场会) with what they
show, their gathering's essentials (time, place, attendance; minutes and photos at
`/api/gatherings/{id}/…`), and the lessons drawn from them; POST/PUT and `…/{id}/task/` through
the services the pages call."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action

from grassroots.api.fields import ScopedPrimaryKeyRelatedField
from grassroots.api.idempotency import submission_input
from grassroots.api.scoping import ScopedViewSetMixin
from grassroots.areas.models import Area, Level, PartyOrg
from grassroots.core.admission.models import AdmittedAffair
from grassroots.core.assessments.api._common import VIEW
from grassroots.core.assessments.filters import SiteMeetingFilter
from grassroots.core.assessments.models import Inspection, Lesson, Shows, SiteMeeting
from grassroots.core.assessments.rules import MANAGE
from grassroots.core.assessments.selectors import meetings as selectors
from grassroots.core.assessments.selectors.inspections import visible_inspections
from grassroots.core.assessments.services import meetings as services
from grassroots.core.duties.models import DutyTask, Office
from grassroots.core.duties.selectors import visible_tasks


class LessonSerializer(serializers.ModelSerializer):
    task_title = serializers.CharField(source="task.title", read_only=True, default=None)

    class Meta:
        model = Lesson
        fields = ["id", "meeting", "text", "task", "task_title", "created_at"]
        read_only_fields = fields


class SiteMeetingSerializer(serializers.ModelSerializer):
    title = serializers.CharField(source="gathering.title", read_only=True)
    area = serializers.IntegerField(source="gathering.area_id", read_only=True)
    area_name = serializers.CharField(source="gathering.area.name", read_only=True)
    starts_at = serializers.DateTimeField(source="gathering.starts_at", read_only=True)
    ends_at = serializers.DateTimeField(source="gathering.ends_at", read_only=True)
    place = serializers.CharField(source="gathering.place", read_only=True)
    status = serializers.CharField(source="gathering.status", read_only=True)
    agenda = serializers.CharField(source="gathering.description", read_only=True)
    minutes = serializers.CharField(source="gathering.minutes", read_only=True)
    shows_label = serializers.CharField(source="get_shows_display", read_only=True)
    host_area_name = serializers.CharField(source="host_area.name", read_only=True)
    lesson_count = serializers.IntegerField(read_only=True)
    tasked_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = SiteMeeting
        fields = [
            "id",
            "gathering",
            "title",
            "area",
            "area_name",
            "starts_at",
            "ends_at",
            "place",
            "status",
            "agenda",
            "minutes",
            "shows",
            "shows_label",
            "task",
            "inspection",
            "practice_area",
            "practice",
            "host_area",
            "host_area_name",
            "visiting_orgs",
            "lesson_count",
            "tasked_count",
        ]
        read_only_fields = fields


class SiteMeetingEdit(serializers.Serializer):
    """What the meeting shows (exactly one of task, inspection, practice_area + practice, as `shows` says),
    its host and visitors, and its agenda (the gathering's description, while it is planned)."""

    host_area = ScopedPrimaryKeyRelatedField(queryset=Area.objects.all(), permission=VIEW)
    shows = serializers.ChoiceField(choices=Shows.choices)
    task = ScopedPrimaryKeyRelatedField(
        queryset=DutyTask.objects.all(), scope=visible_tasks, required=False, allow_null=True, default=None
    )
    inspection = ScopedPrimaryKeyRelatedField(
        queryset=Inspection.objects.all(),
        scope=visible_inspections,
        required=False,
        allow_null=True,
        default=None,
    )
    practice_area = ScopedPrimaryKeyRelatedField(
        queryset=Area.objects.all(), permission=VIEW, required=False, allow_null=True, default=None
    )
    practice = serializers.CharField(required=False, allow_blank=True, default="")
    visiting_orgs = ScopedPrimaryKeyRelatedField(
        queryset=PartyOrg.objects.all(), permission="party_orgs.view", many=True, required=False, default=list
    )
    agenda = serializers.CharField(
        required=False, allow_blank=True, help_text=_("议程（会议活动的说明；只在计划中时可改，不传则不变）")
    )


class SiteMeetingInput(SiteMeetingEdit):
    submission = submission_input()  # the token; a repeat gives the first record (api/idempotency.py)
    area = ScopedPrimaryKeyRelatedField(
        queryset=Area.objects.all(), permission=MANAGE, help_text=_("组织单位（下发经验启示任务的层级）")
    )
    title = serializers.CharField(max_length=200)
    starts_at = serializers.DateTimeField()
    ends_at = serializers.DateTimeField()
    place = serializers.CharField(required=False, allow_blank=True, default="")


class SiteMeetingViewSet(
    ScopedViewSetMixin, mixins.CreateModelMixin, mixins.UpdateModelMixin, viewsets.ReadOnlyModelViewSet
):
    """On-site meetings (现场会) in your scope (assessments.view on the organizing or the host area). POST
    creates one with its gathering (assessments.manage on `area`), PUT changes what it shows."""

    view_permission = VIEW
    change_permission = MANAGE
    queryset = SiteMeeting.objects.all()
    serializer_class = SiteMeetingSerializer
    filterset_class = SiteMeetingFilter
    http_method_names = ["get", "post", "put", "head", "options"]

    def scope_queryset(self, queryset):
        return selectors.site_meetings_for(self.request.user)

    def area_of(self, obj):
        return obj.gathering.area

    def get_serializer_class(self):
        return {"create": SiteMeetingInput, "update": SiteMeetingEdit}.get(self.action, SiteMeetingSerializer)

    @extend_schema(request=SiteMeetingInput, responses={201: SiteMeetingSerializer})
    def create(self, request, *args, **kwargs):
        meeting = services.create_site_meeting(actor=request.user, **self.input_of(SiteMeetingInput))
        return self.answer(meeting, status.HTTP_201_CREATED)

    @extend_schema(request=SiteMeetingEdit, responses=SiteMeetingSerializer)
    def update(self, request, *args, **kwargs):
        meeting = self.get_object()
        services.update_site_meeting(actor=request.user, meeting=meeting, **self.input_of(SiteMeetingEdit))
        return self.answer(meeting)


class LessonInput(serializers.Serializer):
    meeting = ScopedPrimaryKeyRelatedField(
        queryset=SiteMeeting.objects.select_related("gathering__area"),
        scope=selectors.visible_site_meetings,
    )
    text = serializers.CharField()


class LessonTaskInput(serializers.Serializer):
    deadline = serializers.DateField()
    target_level = serializers.ChoiceField(
        choices=[(lv, Level(lv).label) for lv in (Level.COUNTY, Level.STREET, Level.COMMUNITY)]
    )
    title = serializers.CharField(required=False, allow_blank=True, default="", max_length=150)
    description = serializers.CharField(required=False, allow_blank=True, default="")
    affair = serializers.PrimaryKeyRelatedField(
        queryset=AdmittedAffair.objects.all(), required=False, allow_null=True, default=None
    )
    office = serializers.PrimaryKeyRelatedField(
        queryset=Office.objects.all(), required=False, allow_null=True, default=None
    )


class LessonViewSet(ScopedViewSetMixin, mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Lessons drawn at the on-site meetings in your scope (`?meeting=`). POST records one (the organizing
    level), `…/{id}/task/` turns it into a duty task of the meeting's area (`lesson_to_task`: duties.issue
    there and THE RULE of admission for tasks to communities; 400 once it has a task)."""

    view_permission = VIEW
    change_permission = MANAGE
    queryset = Lesson.objects.select_related("task").order_by("meeting", "pk")
    serializer_class = LessonSerializer
    filterset_fields = ["meeting"]

    def scope_queryset(self, queryset):
        return queryset.filter(meeting__in=selectors.visible_site_meetings(self.request.user))

    def area_of(self, obj):
        return obj.meeting.gathering.area

    def get_serializer_class(self):
        return {"create": LessonInput, "task": LessonTaskInput}.get(self.action, LessonSerializer)

    @extend_schema(request=LessonInput, responses={201: LessonSerializer})
    def create(self, request, *args, **kwargs):
        lesson = services.add_lesson(actor=request.user, **self.input_of(LessonInput))
        return self.answer(lesson, status.HTTP_201_CREATED)

    @extend_schema(request=LessonTaskInput, responses={201: LessonSerializer})
    @action(detail=True, methods=["post"])
    def task(self, request, pk=None):
        """Turn the lesson into a task issued by the meeting's area; answers the lesson with its task."""
        lesson = self.get_object()
        services.lesson_to_task(actor=request.user, lesson=lesson, **self.input_of(LessonTaskInput))
        return self.answer(lesson, status.HTTP_201_CREATED)


def register(router) -> None:
    router.register("site-meetings", SiteMeetingViewSet, basename="site-meeting")
    router.register("site-meeting-lessons", LessonViewSet, basename="site-meeting-lesson")
