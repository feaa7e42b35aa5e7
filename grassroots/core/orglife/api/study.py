"""`/api/study-plans/`: a branch's "two studies, one action" (两学一做) study plan of a year and its sessions,
written by the branch's side through the services the study plan page calls:

- `POST /api/study-plans/ {branch, year, title, content?}` (`services.appraisal.create_study_plan`);
- `POST …/{id}/sessions/ {topic, planned_on, gathering?}` (`add_study_session`; `gathering`: a gathering of
  the branch where the topic was studied).
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action

from grassroots.api.fields import ScopedPrimaryKeyRelatedField
from grassroots.api.scoping import ScopedViewSetMixin
from grassroots.areas.models import PartyOrg
from grassroots.core.orglife.filters import StudyPlanFilter
from grassroots.core.orglife.models import StudyPlan, StudySession
from grassroots.core.orglife.selectors import forms as selectors
from grassroots.core.orglife.services import appraisal as services
from grassroots.gatherings.models import Gathering


class StudySessionSerializer(serializers.ModelSerializer):
    class Meta:
        model = StudySession
        fields = ["id", "topic", "planned_on", "gathering"]


class StudyPlanSerializer(serializers.ModelSerializer):
    branch_name = serializers.CharField(source="branch.name", read_only=True)
    sessions = StudySessionSerializer(many=True, read_only=True)

    class Meta:
        model = StudyPlan
        fields = ["id", "branch", "branch_name", "year", "title", "content", "sessions"]


class StudyPlanInput(serializers.Serializer):
    branch = ScopedPrimaryKeyRelatedField(
        queryset=PartyOrg.objects.all(), scope=lambda user: selectors.visible_branches(user)
    )
    year = serializers.IntegerField(min_value=2000, max_value=2100)
    title = serializers.CharField(max_length=200)
    content = serializers.CharField(required=False, allow_blank=True, default="")


class StudySessionInput(serializers.Serializer):
    topic = serializers.CharField(max_length=200)
    planned_on = serializers.DateField()
    gathering = ScopedPrimaryKeyRelatedField(
        queryset=Gathering.objects.all(),
        scope=lambda user: selectors.meetings_for(user),
        required=False,
        allow_null=True,
        default=None,
        help_text=_("学习会议（本支部的组织生活会议）的 id"),
    )


class StudyPlanViewSet(ScopedViewSetMixin, mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Study plans (“两学一做”学习计划) with their sessions. POST creates a branch's plan of a year,
    `sessions/` adds a session (the branch's side; others 403 with who may)."""

    view_permission = "orglife.view"
    # who may write: the branch's side writes the plan (services.appraisal, rules.py)
    services_decide = True
    serializer_class = StudyPlanSerializer
    filterset_class = StudyPlanFilter
    queryset = selectors.study_plans()  # as the branch page's and the study plan page's

    def get_serializer_class(self):
        inputs = {"create": StudyPlanInput, "sessions": StudySessionInput}
        return inputs.get(self.action, StudyPlanSerializer)

    @extend_schema(request=StudyPlanInput, responses={201: StudyPlanSerializer})
    def create(self, request, *args, **kwargs):
        plan = services.create_study_plan(actor=request.user, **self.input_of(StudyPlanInput))
        return self.answer(plan, status.HTTP_201_CREATED)

    @extend_schema(request=StudySessionInput, responses={201: StudyPlanSerializer})
    @action(detail=True, methods=["post"])
    def sessions(self, request, pk=None):
        """Add a session: a topic, its date in the plan's year, the gathering where it was studied."""
        plan = self.get_object()
        services.add_study_session(actor=request.user, plan=plan, **self.input_of(StudySessionInput))
        return self.answer(plan, status.HTTP_201_CREATED)


def register(router) -> None:
    router.register("study-plans", StudyPlanViewSet, basename="study-plan")
