"""`GET /api/awaiting-me/`: 等待我参与 — what awaits the caller's vote, signature, comment or rating, the same
lines as the 议事协商 page (`/selfgov/`) and the resident's home block, from the same read
(`selectors_awaiting.awaiting_me`): the open votes of the matters they see still to cast, their courtyard
convention's adoption vote still to cast (by them or, counted per household, their household), the convention
in force still to sign (per household: by no member yet), the hearings taking comments, the evaluations still
to rate. Read only; an empty list for whoever has nothing awaiting (an official, a resident elsewhere)."""

from __future__ import annotations

from django.urls import path
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from grassroots.selfgov import selectors_awaiting as awaiting

KIND_LABELS = {
    awaiting.VOTE: _("事项表决"),
    awaiting.CONVENTION_VOTE: _("公约表决"),
    awaiting.CONVENTION_SIGN: _("签署公约"),
    awaiting.HEARING: _("听证意见"),
    awaiting.EVALUATION: _("评议"),
}


class AwaitingLineSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(
        choices=list(KIND_LABELS.items()), help_text=_("类别：事项表决、公约表决、签署公约、听证意见、评议")
    )
    kind_label = serializers.SerializerMethodField(help_text=_("类别名称"))
    title = serializers.CharField(help_text=_("事项或公约的名称"))
    url = serializers.CharField(help_text=_("去参与的页面（与“等待我参与”的链接相同）"))
    closes_at = serializers.DateTimeField(allow_null=True, help_text=_("截止时间（表决、评议；其他为空）"))
    matter = serializers.IntegerField(allow_null=True, help_text=_("民生事项 id（公约为空）"))
    convention = serializers.IntegerField(allow_null=True, help_text=_("居民公约 id（事项为空）"))
    vote = serializers.IntegerField(allow_null=True, help_text=_("投票 id（表决时）"))
    per_household = serializers.BooleanField(help_text=_("公约每户签署一次"))

    def get_kind_label(self, line) -> str:
        return str(KIND_LABELS[line.kind])


class AwaitingMeView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        responses={200: AwaitingLineSerializer(many=True)},
        summary=_("等待我参与（表决、签署、听证意见、评议）"),
    )
    def get(self, request):
        lines = awaiting.items(awaiting.awaiting_me(request.user))
        return Response(AwaitingLineSerializer(lines, many=True).data)


extra_urls = [path("awaiting-me/", AwaitingMeView.as_view(), name="awaiting-me")]
