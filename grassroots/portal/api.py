"""`/api/todo/`: what waits for the user, grouped by kind — the same selector as the `/todo/` page
(`selectors.todo_groups`, each workflow model's `pending_for(user)`: scoped by the workflow's rules)."""

from __future__ import annotations

from django.urls import path
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from grassroots.portal import selectors


class TodoAreaSerializer(serializers.Serializer):
    label = serializers.CharField(help_text="区域路径（从用户的范围顶端往下）")
    url = serializers.CharField()


class TodoLineSerializer(serializers.Serializer):
    subject = serializers.CharField()
    url = serializers.CharField()
    state_label = serializers.CharField()
    since = serializers.DateTimeField()
    deadline = serializers.DateField(allow_null=True)
    areas = serializers.SerializerMethodField()

    def get_areas(self, line) -> list[dict]:
        return [{"label": label, "url": url} for label, url in line.areas]


class TodoGroupSerializer(serializers.Serializer):
    kind = serializers.CharField(help_text="app_label.model")
    label = serializers.CharField()
    total = serializers.IntegerField()
    url = serializers.CharField()
    lines = TodoLineSerializer(many=True)


class TodoView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(responses={200: TodoGroupSerializer(many=True)}, summary="待我处理（按类分组）")
    def get(self, request):
        groups = selectors.todo_groups(request.user, limit=50)
        return Response(TodoGroupSerializer(groups, many=True).data)


extra_urls = [path("todo/", TodoView.as_view(), name="todo")]
