"""The one way to move a workflow record through the API, given to every scoped viewset whose model is a
workflow model (`grassroots.workflow.models.WorkflowModel`):

- `GET  /api/<resource>/<id>/transitions/`        the steps the caller may take now (name, label, target,
  whether a comment is required, the extra fields the step takes);
- `POST /api/<resource>/<id>/transitions/<name>/`  take one: `comment`, `attachments` (files, multipart) and
  the step's extra fields; answers the record as the resource shows it.

The record is loaded through the viewset's scoped queryset (outside the scope: 404). Who may take a step is
the workflow's rule (`grassroots.workflow.engine.check`), not the viewset's `change_permission`. A plain step
goes through `grassroots.workflow.services.transition`, exactly as the page's button; a step whose page has a
form of its own (`step(form_url=…)`: a guidance sheet, a letter number, reviewers…) is declared by the
viewset in `transition_forms` with the serializer of its fields and the part's service the page calls.
Refusals: the workflow's message with 403 (permission), 400 on `comment` / `attachments` / the step's field,
409 when someone else moved the record first, 400 otherwise (wrong state, unmet condition).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.exceptions import APIException, NotFound, PermissionDenied, ValidationError
from rest_framework.response import Response

from grassroots.workflow import services
from grassroots.workflow.engine import TransitionRefused, available, check, transition_names
from grassroots.workflow.models import WorkflowModel

TRANSITION_ACTIONS = frozenset({"transitions", "take_transition"})


class StepSerializer(serializers.Serializer):
    """What every step takes. Send files as multipart (`attachments` repeated); JSON is fine without files."""

    comment = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000)
    attachments = serializers.ListField(child=serializers.FileField(), required=False, default=list)


class TransitionInfoSerializer(serializers.Serializer):
    name = serializers.CharField(help_text=gettext_lazy("步骤名，用于 POST …/transitions/<name>/"))
    label = serializers.CharField()
    target = serializers.CharField(help_text=gettext_lazy("执行后的状态"))
    target_label = serializers.CharField()
    comment_required = serializers.BooleanField()
    comment_label = serializers.CharField()
    attachments = serializers.BooleanField(help_text=gettext_lazy("是否可上传附件"))
    fields = serializers.ListField(
        child=serializers.CharField(), help_text=gettext_lazy("该步骤除 comment、attachments 外需要的字段")
    )


@dataclass(frozen=True)
class StepForm:
    """A step that takes more than a comment. `serializer` validates its extra fields (beside `comment` and
    `attachments`); `take(view, record, *, actor, comment, attachments, **fields)` calls the part's service
    the page's form calls."""

    serializer: type[serializers.Serializer]
    take: Callable[..., Any]


class Refused(APIException):
    """400 with the workflow's code (state, condition, unknown) and its message."""

    status_code = status.HTTP_400_BAD_REQUEST
    default_code = "refused"


class Conflict(APIException):
    status_code = status.HTTP_409_CONFLICT
    default_code = "concurrent"


def refusal(refused: TransitionRefused) -> APIException:
    """The API's answer to a refusal of the workflow: 403, 409 or 400 (on the field when there is one)."""
    if refused.code == "permission":
        return PermissionDenied(refused.message, code="permission")
    if refused.code == "concurrent":
        return Conflict(refused.message)
    field = {"comment_required": "comment", "attachment": "attachments"}.get(refused.code)
    if field:
        return ValidationError({field: [refused.message]}, code=refused.code)
    return Refused(refused.message, code=refused.code)


def _step_serializer(form: StepForm | None) -> type[serializers.Serializer]:
    if form is None:
        return StepSerializer
    return type(f"{form.serializer.__name__}Step", (form.serializer, StepSerializer), {})


NAME = OpenApiParameter(
    "name", OpenApiTypes.STR, OpenApiParameter.PATH, description="the step's name (see …/transitions/)"
)


def _permission_first(record, name: str, user) -> None:
    """Before a form step's service: a caller the workflow refuses gets the workflow's own 403 message, as
    for a plain step (the service would refuse too, in its own words). Only the permission is decided here:
    the service sets the fields the rest of the checks read."""
    try:
        check(record, name, actor=user, comment="-")
    except TransitionRefused as refused:
        if refused.code == "permission":
            raise
    return None


class WorkflowActionsMixin:
    """Part of `ScopedViewSetMixin`: the two transition endpoints, offered only when the viewset's model is a
    workflow model (`workflow_model`, else `queryset.model`)."""

    workflow_model: type[WorkflowModel] | None = None
    # step name → StepForm, for the steps whose page has a form of its own
    transition_forms: dict[str, StepForm] = {}

    @classmethod
    def workflow_model_of(cls) -> type[WorkflowModel] | None:
        model = cls.workflow_model or getattr(getattr(cls, "queryset", None), "model", None)
        return model if isinstance(model, type) and issubclass(model, WorkflowModel) else None

    @classmethod
    def get_extra_actions(cls):
        extra = super().get_extra_actions()
        if cls.workflow_model_of() is None:
            extra = [a for a in extra if a.__name__ not in TRANSITION_ACTIONS]
        return extra

    def transition_response(self, record) -> Response:
        """The record after the step, as the resource shows it (re-read through the scoped queryset)."""
        fresh = self.get_queryset().filter(pk=record.pk).first()
        if fresh is None:  # the step moved it out of the caller's sight (e.g. a transfer received)
            return Response(status=status.HTTP_204_NO_CONTENT)
        serializer_class = type(self).serializer_class
        return Response(serializer_class(fresh, context=self.get_serializer_context()).data)

    @extend_schema(request=None, responses=TransitionInfoSerializer(many=True), filters=False)
    @action(detail=True, methods=["get"], url_path="transitions", pagination_class=None, filter_backends=[])
    def transitions(self, request, pk=None):
        """The steps you may take on this record now (state, role and conditions met)."""
        record = self.get_object()
        rows = [
            {
                **vars(info),
                "fields": list(self.transition_forms[info.name].serializer().fields)
                if info.name in self.transition_forms
                else [],
            }
            for info in available(record, request.user)
        ]
        return Response(TransitionInfoSerializer(rows, many=True).data)

    @extend_schema(request=StepSerializer, parameters=[NAME], filters=False)
    @action(
        detail=True,
        methods=["post"],
        url_path=r"transitions/(?P<name>[a-z_]+)",
        url_name="take-transition",
        filter_backends=[],
    )
    def take_transition(self, request, pk=None, name=None):
        """Take step `name` (comment, attachments and the step's own fields). 403 with the reason when you may
        not, 400 when the record is not in a state for it or a field is missing, 409 when someone else was
        faster."""
        record = self.get_object()
        if name not in transition_names(type(record)):
            raise NotFound(_("没有“%(name)s”这项操作。") % {"name": name})
        form = self.transition_forms.get(name)
        data = _step_serializer(form)(data=request.data, context=self.get_serializer_context())
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        comment = fields.pop("comment", "")
        fields.pop("attachments", None)
        attachments = request.FILES.getlist("attachments")
        step = {"actor": request.user, "comment": comment, "attachments": attachments}
        # a refusal is answered by the one exception handler (api.errors → refusal)
        if form is None:
            services.transition(record, name, **step)
        else:
            _permission_first(record, name, request.user)
            form.take(self, record, **step, **fields)
        return self.transition_response(record)


@extend_schema_field(serializers.ListField(child=serializers.CharField()))
class AvailableTransitionsField(serializers.Field):
    """`actions`: the names of the steps the caller may take on the row now (no query when the row's areas
    are joined). The full description of each is at …/transitions/."""

    def __init__(self, **kwargs):
        kwargs.setdefault("help_text", gettext_lazy("当前用户现在可以执行的步骤名"))
        super().__init__(source="*", read_only=True, **kwargs)

    def to_representation(self, value):
        request = self.context.get("request")
        return [t.name for t in available(value, request.user)] if request else []
