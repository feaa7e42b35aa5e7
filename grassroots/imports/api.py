"""`/api/exports/`: a list's export in three steps, as on the pages (docs/exports.md).

- `POST /api/exports/` `{"kind": "coverage-entities", "params": {"status": ["none"]}}` starts the export of
  what that list shows the caller for those filters (the page's query string as a dict of lists): up to
  `EXPORTS_SYNC_MAX_ROWS` rows the file is written at once (`status` done), else the worker writes it
  (`status` pending, then writing). 201 with the export; 400 for an unknown kind; 403 without the list's
  permission.
- `GET /api/exports/{id}/`: its progress (`processed_rows` / `total_rows`, `percent`, `status`, `error`).
- `GET /api/exports/{id}/download/`: the xlsx, once done (404 before, and after the retention period).

`GET /api/exports/` lists the caller's own exports; another user's export is a 404 (also for its download),
as on the pages. `GET /api/exports/kinds/` lists the lists that export."""

from __future__ import annotations

from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from grassroots.access.scoping import has_perm
from grassroots.files.serve import serve_file
from grassroots.imports.lists import list_export_for, list_exports, params_of
from grassroots.imports.models import ExportJob
from grassroots.imports.runner import start_export
from grassroots.imports.selectors import export_jobs_for

MAX_PARAMS = 30
MAX_VALUE = 200


class ExportSerializer(serializers.ModelSerializer):
    percent = serializers.IntegerField(read_only=True)
    page_url = serializers.SerializerMethodField(help_text=_("导出页（进度与下载）"))
    download_url = serializers.SerializerMethodField(help_text=_("文件下载地址；未完成或已过保留期时为空"))

    class Meta:
        model = ExportJob
        fields = [
            "id",
            "kind",
            "params",
            "status",
            "total_rows",
            "processed_rows",
            "percent",
            "filename",
            "error",
            "created_at",
            "finished_at",
            "page_url",
            "download_url",
        ]
        read_only_fields = fields

    def get_page_url(self, job) -> str:
        return job.get_absolute_url()

    def get_download_url(self, job) -> str:
        if job.status != ExportJob.Status.DONE or not job.file:
            return ""
        return reverse("export-download", args=[job.pk])


class StartExportSerializer(serializers.Serializer):
    kind = serializers.CharField(max_length=30, help_text=_("列表的导出类型，见 /api/exports/kinds/"))
    params = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField(max_length=MAX_VALUE, allow_blank=True)),
        required=False,
        default=dict,
        help_text=_('列表页的筛选条件，如 {"status": ["none"]}'),
    )

    def validate_kind(self, value: str) -> str:
        if list_export_for(value) is None:
            raise serializers.ValidationError(_("没有这种导出"))
        return value

    def validate_params(self, value: dict) -> dict:
        if len(value) > MAX_PARAMS:
            raise serializers.ValidationError(_("筛选条件过多"))
        from django.http import QueryDict

        query = QueryDict(mutable=True)
        for key, values in value.items():
            query.setlist(str(key)[:50], list(values)[:MAX_PARAMS])
        return params_of(query)


class ExportViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = ExportSerializer

    def get_queryset(self):
        return export_jobs_for(self.request.user).order_by("-created_at", "-pk")

    @extend_schema(request=StartExportSerializer, responses={201: ExportSerializer})
    def create(self, request):
        data = StartExportSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        params = dict(data.validated_data["params"])
        job = start_export(
            kind=data.validated_data["kind"], user=request.user, params=params, request=request, keep=True
        )
        return Response(ExportSerializer(job).data, status=status.HTTP_201_CREATED)

    @extend_schema(responses={(200, "application/octet-stream"): OpenApiTypes.BINARY})
    @action(detail=True, methods=["get"])
    def download(self, request, pk=None):
        job = self.get_object()
        if job.status != ExportJob.Status.DONE or not job.file:
            raise Http404
        return serve_file(job.file, filename=job.filename or f"export-{job.pk}.xlsx", inline=False)

    @extend_schema(
        responses={
            200: inline_serializer(
                "ExportKind",
                many=True,
                fields={"kind": serializers.CharField(), "label": serializers.CharField()},
            )
        }
    )
    @action(detail=False, methods=["get"], pagination_class=None)
    def kinds(self, request):
        """The lists the caller may export."""
        kinds = [
            {"kind": kind, "label": str(cls.label)}
            for kind, cls in sorted(list_exports().items())
            if has_perm(request.user, cls.permission)
        ]
        return Response(kinds)


def register(router) -> None:
    router.register("exports", ExportViewSet, basename="export")
