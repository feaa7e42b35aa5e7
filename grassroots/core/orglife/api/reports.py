"""`/api/orglife-reports/`: report forms (报告单) with their attendance, written by the branch's side through
the services the report pages call:

- `POST /api/orglife-reports/ {gathering}` opens the report of a held gathering of organizational life
  (`services.reports.start_report`; the one already opened when there is one);
- `POST /api/orglife-reports/unplanned/ {branch, kind, title, starts_at, ends_at, place?}` reports a gathering
  that was not planned (`report_unplanned`);
- `PUT /api/orglife-reports/{id}/ {minutes, resolutions?, attendance: [{member, present, absence_reason?}]}`
  fills in a draft or returned report (`save_report`; a member left out keeps their earlier mark);
- `POST …/{id}/photos/ {image, caption?}` (multipart) adds a photo (`add_report_photo`);
- `POST …/{id}/appraisals/ {grades: [{member, grade, note?}]}` records the democratic appraisal at the
  organizational life meeting (`services.appraisal.record_appraisals`);
- the steps (submit, accept, return_report, resubmit) at `…/{id}/transitions/{name}/`.

Members are named from the branch's attendance list (`services.reports.roster`): any other id is "对象不存在".
Who may write is the services' rule (the branch's side, rules.py): 403 with its message otherwise.
"""

from __future__ import annotations

from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from grassroots.api.fields import ChoiceOfRecordField, ScopedPrimaryKeyRelatedField
from grassroots.api.idempotency import submission_input
from grassroots.api.pagination import KeysFirstMixin
from grassroots.api.scoping import ScopedViewSetMixin
from grassroots.areas.models import PartyOrg
from grassroots.core.orglife.api.appraisals import AppraisalSerializer
from grassroots.core.orglife.filters import ReportFilter
from grassroots.core.orglife.models import Appraisal, Grade, OrgLifeReport, ReportAttendance
from grassroots.core.orglife.selectors import forms as selectors
from grassroots.core.orglife.services import appraisal as appraisal_services
from grassroots.core.orglife.services import reports as services
from grassroots.gatherings.api.serializers import PhotoInput, PhotoSerializer
from grassroots.gatherings.models import Gathering


class AttendanceSerializer(serializers.ModelSerializer):
    member_name = serializers.CharField(source="member.name", read_only=True)

    class Meta:
        model = ReportAttendance
        fields = ["member", "member_name", "present", "absence_reason"]


# A mark as the schema's Attendance shows it: these columns, read as plain values (`marks_of`).
MARK_KEYS = ("member", "member_name", "present", "absence_reason")
_MARK_COLUMNS = ("report_id", "member_id", "member__name", "present", "absence_reason")


def marks_of(report_ids) -> dict[int, list[dict]]:
    """{report id: its marks as the API shows them, in the marks' order (the member's name, then the key)}:
    one query, the member's name read beside each mark and no model object built — neither the member's
    record (its ID number and phone decrypted, django-fsm's state read) nor the mark's."""
    out: dict[int, list[dict]] = {pk: [] for pk in report_ids}
    rows = ReportAttendance.objects.filter(report_id__in=list(out)).values_list(*_MARK_COLUMNS)
    for report_id, *values in rows:
        out[report_id].append(dict(zip(MARK_KEYS, values, strict=True)))
    return out


@extend_schema_field(AttendanceSerializer(many=True))
class AttendanceListField(serializers.Field):
    """A report's attendance as `AttendanceSerializer` shows it, written out directly: a list of 50 reports
    carries a thousand marks, and a nested serializer's per-field work made the list 7.5× the floor
    (docs/performance.md). The list reads the page's marks in one query (`marks_of`, set on each report as
    `shown_marks` by `ReportViewSet.paginate_queryset`); a single report reads its own."""

    def __init__(self, **kwargs):
        super().__init__(source="*", read_only=True, **kwargs)

    def to_representation(self, report):
        shown = getattr(report, "shown_marks", None)
        return shown if shown is not None else marks_of([report.pk])[report.pk]


class ReportSerializer(serializers.ModelSerializer):
    branch_name = serializers.CharField(source="branch.name", read_only=True)
    kind = serializers.CharField(read_only=True)
    kind_label = serializers.CharField(read_only=True)
    state_label = serializers.CharField(read_only=True)
    title = serializers.CharField(source="gathering.title", read_only=True)
    present_count = serializers.IntegerField(read_only=True)
    absent_count = serializers.IntegerField(read_only=True)
    attendance = AttendanceListField()

    class Meta:
        model = OrgLifeReport
        fields = [
            "id",
            "branch",
            "branch_name",
            "gathering",
            "title",
            "kind",
            "kind_label",
            "held_on",
            "minutes",
            "resolutions",
            "state",
            "state_label",
            "submitted_at",
            "decided_at",
            "review_comment",
            "present_count",
            "absent_count",
            "attendance",
        ]


def _roster(context):
    return services.roster(context["report"].branch)


class AttendanceMarkInput(serializers.Serializer):
    member = ChoiceOfRecordField(choices=_roster)
    present = serializers.BooleanField()
    absence_reason = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")


class ReportEdit(serializers.Serializer):
    minutes = serializers.CharField(allow_blank=True)
    resolutions = serializers.CharField(required=False, allow_blank=True, default="")
    attendance = AttendanceMarkInput(many=True, required=False, default=list)


class ReportStart(serializers.Serializer):
    submission = submission_input()  # the token; a repeat gives the first record (api/idempotency.py)
    gathering = ScopedPrimaryKeyRelatedField(
        queryset=Gathering.objects.all(),
        scope=lambda user: selectors.meetings_for(user),
        help_text=_("已召开的组织生活会议（活动）的 id"),
    )


class UnplannedInput(serializers.Serializer):
    submission = submission_input()  # the token; a repeat gives the first record (api/idempotency.py)
    branch = ScopedPrimaryKeyRelatedField(
        queryset=PartyOrg.objects.all(), scope=lambda user: selectors.visible_branches(user)
    )
    kind = serializers.CharField(help_text=_("会议类型代码（orglife_general、orglife_lesson 等）"))
    title = serializers.CharField(max_length=200)
    starts_at = serializers.DateTimeField()
    ends_at = serializers.DateTimeField()
    place = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")


class GradeInput(serializers.Serializer):
    member = ChoiceOfRecordField(choices=_roster)
    grade = serializers.ChoiceField(choices=Grade.choices)
    note = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")


class AppraisalsInput(serializers.Serializer):
    grades = GradeInput(many=True, allow_empty=False)


class ReportViewSet(
    KeysFirstMixin,
    ScopedViewSetMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.ReadOnlyModelViewSet,
):
    """Report forms (报告单). POST opens one for a held gathering, `unplanned/` reports an unplanned one, PUT
    fills one in, `photos/` and `appraisals/` add photos and grades (the branch's side); steps at
    `…/{id}/transitions/{name}/` (submit, resubmit: the branch; accept, return_report: the organization
    above)."""

    view_permission = "orglife.view"
    # who may write: the branch's side writes the report (services.reports, rules.py)
    services_decide = True
    serializer_class = ReportSerializer
    filterset_class = ReportFilter
    queryset = OrgLifeReport.objects.order_by("-held_on", "-pk")

    def row_extras(self, queryset):
        # The attendance counted: for the page's reports only (KeysFirstMixin); listed by `paginate_queryset`.
        return queryset.select_related("branch", "gathering").annotate(
            present_count=Count("attendance", filter=Q(attendance__present=True)),
            absent_count=Count("attendance", filter=Q(attendance__present=False)),
        )

    def paginate_queryset(self, queryset):
        # The page's marks in one query, as plain values (`marks_of`).
        reports = super().paginate_queryset(queryset)
        marks = marks_of([report.pk for report in reports])
        for report in reports:
            report.shown_marks = marks[report.pk]
        return reports

    http_method_names = ["get", "post", "put", "head", "options"]

    def get_serializer_class(self):
        inputs = {
            "create": ReportStart,
            "unplanned": UnplannedInput,
            "update": ReportEdit,
            "photos": PhotoInput,
            "appraisals": AppraisalsInput,
        }
        return inputs.get(self.action, ReportSerializer)

    @extend_schema(request=ReportStart, responses={201: ReportSerializer})
    def create(self, request, *args, **kwargs):
        """Open the report of a gathering of organizational life once it has begun (it is marked held); the
        report already opened for it when there is one."""
        report = services.start_report(actor=request.user, **self.input_of(ReportStart))
        return self.answer(report, status.HTTP_201_CREATED)

    @extend_schema(request=UnplannedInput, responses={201: ReportSerializer})
    @action(detail=False, methods=["post"])
    def unplanned(self, request):
        """Report a gathering that was not in a filing form (补报会议): the gathering is recorded first."""
        report = services.report_unplanned(actor=request.user, **self.input_of(UnplannedInput))
        return self.answer(report, status.HTTP_201_CREATED)

    @extend_schema(request=ReportEdit, responses=ReportSerializer)
    def update(self, request, *args, **kwargs):
        """Fill in a draft or returned report: minutes, resolutions, attendance (absent: a reason)."""
        report = self.get_object()
        values = self.input_of(ReportEdit, report=report)
        marks = [(m["member"], m["present"], m["absence_reason"]) for m in values.pop("attendance")]
        services.save_report(actor=request.user, report=report, marks=marks, **values)
        return self.answer(report)

    @extend_schema(request={"multipart/form-data": PhotoInput}, responses={201: PhotoSerializer})
    @action(detail=True, methods=["post"])
    def photos(self, request, pk=None):
        """Add a photo of the gathering (checked by its content, re-encoded)."""
        report = self.get_object()
        photo = services.add_report_photo(actor=request.user, report=report, **self.input_of(PhotoInput))
        context = self.get_serializer_context()
        return Response(PhotoSerializer(photo, context=context).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=AppraisalsInput, responses=AppraisalSerializer(many=True))
    @action(detail=True, methods=["post"])
    def appraisals(self, request, pk=None):
        """Record members' grades at the organizational life meeting this report reports (draft or
        returned); a member graded again that year gets the new grade. Answers the report's appraisals."""
        report = self.get_object()
        rows = self.input_of(AppraisalsInput, report=report)["grades"]
        appraisal_services.record_appraisals(
            actor=request.user,
            report=report,
            grades={row["member"]: row["grade"] for row in rows},
            notes={row["member"]: row["note"] for row in rows},
        )
        recorded = Appraisal.objects.filter(report=report).select_related("member", "branch")
        return Response(AppraisalSerializer(recorded.order_by("member__name", "pk"), many=True).data)


def register(router) -> None:
    router.register("orglife-reports", ReportViewSet, basename="orglife-report")
