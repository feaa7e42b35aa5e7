"""The households import page (upload, template) and `/api/household-imports/`: the job, its progress, report
and rejected rows are the generic pages of grassroots.imports (`imports:detail`, `imports:rejected`)."""

from __future__ import annotations

from urllib.parse import quote

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.validators import FileExtensionValidator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response

from grassroots.access.scoping import has_perm
from grassroots.api.scoping import ScopedViewSetMixin
from grassroots.files.checks import SPREADSHEETS
from grassroots.files.fields import CheckedFileField
from grassroots.files.uploads import upload_limit
from grassroots.imports.models import ImportJob
from grassroots.imports.selectors import import_jobs_for
from grassroots.voting.services import households
from grassroots.voting.transfer.importer import HouseholdImporter
from grassroots.voting.transfer.layout import template_workbook

MAX_UPLOAD_BYTES = 20 * 1024 * 1024
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class ImportForm(forms.Form):
    file = CheckedFileField(
        allowed=SPREADSHEETS,
        max_bytes=MAX_UPLOAD_BYTES,
        label=_("xlsx 文件"),
        validators=[FileExtensionValidator(["xlsx"], message=_("请上传 .xlsx 文件"))],
        help_text=_("使用导入模板的格式：工作表“住户”"),
    )


def _require_manage(user) -> None:
    if not has_perm(user, HouseholdImporter.permission):
        raise PermissionDenied


@login_required
@upload_limit(MAX_UPLOAD_BYTES)
def household_import(request):
    _require_manage(request.user)
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        job = households.start_import(file=form.cleaned_data["file"], actor=request.user)
        return redirect("imports:detail", pk=job.pk)
    recent = import_jobs_for(request.user, HouseholdImporter.kind)[:10]
    return render(request, "voting/household_import.html", {"form": form, "recent": recent})


@login_required
@require_GET
def household_import_template(request):
    _require_manage(request.user)
    response = HttpResponse(template_workbook(), content_type=XLSX)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote('住户导入模板.xlsx')}"
    return response


class ImportJobSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField()

    class Meta:
        model = ImportJob
        fields = [
            "id",
            "status",
            "original_name",
            "total_rows",
            "processed_rows",
            "counts",
            "error_count",
            "created_at",
            "finished_at",
            "url",
        ]
        read_only_fields = fields

    def get_url(self, job) -> str:
        return reverse("imports:detail", args=[job.pk])


class ImportInput(serializers.Serializer):
    file = serializers.FileField(help_text="an xlsx workbook in the template's layout (sheet 住户)")

    def validate_file(self, upload):
        from django.core.exceptions import ValidationError as DjangoValidationError

        try:
            return ImportForm.base_fields["file"].clean(upload)
        except DjangoValidationError as exc:
            raise serializers.ValidationError(exc.messages) from exc


class HouseholdImportViewSet(
    ScopedViewSetMixin, mixins.CreateModelMixin, mixins.ListModelMixin, viewsets.GenericViewSet
):
    """Households imports (voting.manage): `GET` your (and your scope's) households import jobs, newest first;
    `POST` (multipart, `file`) uploads a workbook — a small one is imported at once (201 with the job, `done`
    or `rejected` with `error_count`), a larger one is queued (`pending`). The report and the rejected rows
    are the job's page (`url`). Template: `/voting/households/import/template/`."""

    serializer_class = ImportJobSerializer
    queryset = ImportJob.objects.none()
    view_permission = "voting.manage"
    services_decide = True
    parser_classes = [MultiPartParser]
    http_method_names = ["get", "post", "head", "options"]

    def scope_queryset(self, queryset):
        return import_jobs_for(self.request.user, HouseholdImporter.kind).order_by("-created_at", "-pk")

    def get_serializer_class(self):
        return ImportInput if self.action == "create" else ImportJobSerializer

    @extend_schema(request={"multipart/form-data": ImportInput}, responses={201: ImportJobSerializer})
    def create(self, request, *args, **kwargs):
        job = households.start_import(file=self.input_of(ImportInput)["file"], actor=request.user)
        job.refresh_from_db()
        return Response(ImportJobSerializer(job).data, status=status.HTTP_201_CREATED)
