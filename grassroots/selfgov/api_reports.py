"""随手拍统计 in the API: `GET /api/opinions/quick-reports/?area=&year=` — the same figures as the page
/selfgov/quick-reports/ (`selectors_reports.quick_report_table`, the one roll-up): the residents' quick
reports per child area of the area (the working area by default; outside the scope 404), by category and by
state, ranked most first, with the total; the counts by category and state together (`by_category_state`,
the page's bar chart) and the newest reports with the phone's position (`points`, the page's map, at most
`selectors_reports.MAP_POINTS`, each with its page); this year by default, `year=0` every year. For the
working roles that see opinions (`selfgov.view`, not residents: 403)."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from grassroots.access.scoping import area_from_request
from grassroots.pages import YEARS
from grassroots.selfgov import selectors_reports
from grassroots.selfgov.models import Category, OpinionState


class QuickReportQuery(serializers.Serializer):
    year = serializers.IntegerField(
        required=False, min_value=0, max_value=YEARS[-1], help_text=_("年度；0 为全部年度，默认本年")
    )

    def validate_year(self, value):
        if value and value not in YEARS:
            raise serializers.ValidationError(
                _("请填写 %(first)s–%(last)s 之间的年度，或 0。") % {"first": YEARS[0], "last": YEARS[-1]}
            )
        return value


def _counts(choices, values) -> dict:
    return dict(zip(choices, values, strict=True))


LINE_FIELDS = {
    "by_category": serializers.DictField(
        child=serializers.IntegerField(), help_text=_("按类别：类别代码 → 件数")
    ),
    "by_state": serializers.DictField(
        child=serializers.IntegerField(), help_text=_("按状态：状态代码 → 件数")
    ),
    "total": serializers.IntegerField(),
}
QUICK_REPORTS = inline_serializer(
    "QuickReportStats",
    fields={
        "area": serializers.IntegerField(),
        "area_name": serializers.CharField(),
        "year": serializers.IntegerField(help_text=_("0 为全部年度")),
        "categories": serializers.DictField(child=serializers.CharField(), help_text=_("类别代码 → 名称")),
        "states": serializers.DictField(child=serializers.CharField(), help_text=_("状态代码 → 名称")),
        "rows": inline_serializer(
            "QuickReportLine",
            fields={
                "area": serializers.IntegerField(help_text=_("下级区域 id；本级的随手拍为本区域 id")),
                "area_name": serializers.CharField(),
                "own": serializers.BooleanField(help_text=_("本级（区域自身）的随手拍")),
                **LINE_FIELDS,
            },
            many=True,
        ),
        "total": inline_serializer("QuickReportTotal", fields=LINE_FIELDS),
        "by_category_state": serializers.DictField(
            child=serializers.DictField(child=serializers.IntegerField()),
            help_text=_("按类别和状态：类别代码 → {状态代码 → 件数}"),
        ),
        "points": inline_serializer(
            "QuickReportPoint",
            fields={
                "id": serializers.IntegerField(help_text=_("意见 id")),
                "lng": serializers.FloatField(),
                "lat": serializers.FloatField(),
                "category": serializers.CharField(),
                "state": serializers.CharField(),
                "area_name": serializers.CharField(),
                "created_at": serializers.DateTimeField(),
                "url": serializers.CharField(help_text=_("该条意见的页面")),
            },
            many=True,
        ),
    },
)


class QuickReportActions:
    """The OpinionViewSet's read of 随手拍统计."""

    @extend_schema(
        parameters=[
            OpenApiParameter("area", OpenApiTypes.INT, description=str(_("区域 id，默认工作区域"))),
            QuickReportQuery,
        ],
        responses=QUICK_REPORTS,
        filters=False,
        summary=_("随手拍统计"),
    )
    @action(
        detail=False,
        methods=["get"],
        url_path="quick-reports",
        url_name="quick-reports",
        pagination_class=None,
        filter_backends=[],
    )
    def quick_reports(self, request):
        """The residents' quick reports per child area of the area, by category and by state, ranked most
        first, with the total (the page 随手拍统计's figures)."""
        if not selectors_reports.may_read(request.user):
            raise PermissionDenied(_("随手拍统计仅供工作人员查看。"))
        query = QuickReportQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        year = query.validated_data.get("year", timezone.localdate().year)
        area = area_from_request(request, selectors_reports.VIEW, required=True)
        table = selectors_reports.quick_report_table(area, year or None)
        categories, states = Category.values, OpinionState.values

        def line(by_category, by_state, total) -> dict:
            return {
                "by_category": _counts(categories, by_category),
                "by_state": _counts(states, by_state),
                "total": total,
            }

        return Response(
            {
                "area": area.pk,
                "area_name": area.name,
                "year": year,
                "categories": dict(Category.choices),
                "states": dict(OpinionState.choices),
                "rows": [
                    {
                        "area": (child or area).pk,
                        "area_name": (child or area).name,
                        "own": child is None,
                        **line(*figures),
                    }
                    for child, *figures in table["rows"]
                ],
                "total": line(*table["total"]),
                "by_category_state": selectors_reports.by_category_and_state(area, year or None),
                "points": [
                    {
                        "id": p["id"],
                        "lng": float(p["lng"]),
                        "lat": float(p["lat"]),
                        "category": p["category"],
                        "state": p["state"],
                        "area_name": p["area_name"],
                        "created_at": p["created_at"],
                        "url": reverse("selfgov:opinion_detail", args=[p["id"]]),
                    }
                    for p in selectors_reports.map_points(area, year or None)
                ],
            }
        )
