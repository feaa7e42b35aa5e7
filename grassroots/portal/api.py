"""`/api/todo/`: what waits for the user, grouped by kind — the same selector as the `/todo/` page
(`selectors.todo_groups`, each workflow model's `pending_for(user)`: scoped by the workflow's rules, and the
registered worklists without steps, e.g. a grid worker's visits needing follow-up); `/api/notices/`
(api_notices.py)."""

from __future__ import annotations

from django.urls import path
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from grassroots.portal import selectors


class TodoAreaSerializer(serializers.Serializer):
    label = serializers.CharField(help_text=_("区域路径（从用户的范围顶端往下）"))
    url = serializers.CharField(help_text=_("该区域这条事项的页面"))


class TodoLineSerializer(serializers.Serializer):
    subject = serializers.CharField(help_text=_("事项（不含区域和期限）"))
    url = serializers.CharField(help_text=_("事项的页面"))
    state_label = serializers.CharField(help_text=_("当前状态"))
    since = serializers.DateTimeField(help_text=_("等待开始的时间"))
    deadline = serializers.DateField(allow_null=True, help_text=_("期限（没有时为空）"))
    areas = serializers.SerializerMethodField(help_text=_("涉及的区域：每个区域的路径和页面"))

    def get_areas(self, line) -> list[dict]:
        return [{"label": label, "url": url} for label, url in line.areas]


class TodoGroupSerializer(serializers.Serializer):
    kind = serializers.CharField(help_text=_("事项类别（app_label.model）"))
    label = serializers.CharField(help_text=_("类别名称"))
    total = serializers.IntegerField(help_text=_("这一类待处理的总数"))
    url = serializers.CharField(help_text=_("这一类的完整列表"))
    lines = TodoLineSerializer(many=True, help_text=_("这一类的前几条（同一事项在多个区域时合为一条）"))


class TodoView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(responses={200: TodoGroupSerializer(many=True)}, summary=_("待我处理（按类分组）"))
    def get(self, request):
        groups = selectors.todo_groups(request.user, limit=50)
        return Response(TodoGroupSerializer(groups, many=True).data)


extra_urls = [path("todo/", TodoView.as_view(), name="todo")]


def register(router) -> None:
    from grassroots.portal.api_notices import register as register_notices

    register_notices(router)
