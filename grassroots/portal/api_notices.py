"""`/api/notices/`: the 通知公告 of the pages, through the same selector and services.

- list and detail: `selectors.notices_for_list` (what the user may read — residents the notices of their home
  area and the areas above, officials those of their subtree — and, for managers, the scheduled notices they
  may edit); others answer 404;
- POST creates (`services.create_notice`; `area` must lie in the caller's "notices.manage" scope); the body's
  `submission` or the `Idempotency-Key` header makes a repeat answer the first notice (api/idempotency.py);
- PATCH changes (`services.update_notice`: the caller must manage the notice's area and the new one), DELETE
  removes (`services.delete_notice`); a reader who may not manage the notice's area gets 403."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets

from grassroots.api.fields import ScopedPrimaryKeyRelatedField
from grassroots.api.idempotency import submission_input
from grassroots.api.scoping import ScopedViewSetMixin
from grassroots.areas.models import Area
from grassroots.portal import selectors, services
from grassroots.portal.models import Notice

MANAGE = "notices.manage"


class NoticeSerializer(serializers.ModelSerializer):
    area_name = serializers.CharField(source="area.name", read_only=True)
    is_published = serializers.BooleanField(read_only=True, help_text=_("发布时间已到"))

    class Meta:
        model = Notice
        fields = [
            "id",
            "area",
            "area_name",
            "title",
            "body",
            "published_at",
            "is_published",
            "pinned",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class NoticeInput(serializers.Serializer):
    area = ScopedPrimaryKeyRelatedField(
        queryset=Area.objects.all(), permission=MANAGE, help_text=_("发布范围的区域 id")
    )
    title = serializers.CharField(max_length=120)
    body = serializers.CharField()
    published_at = serializers.DateTimeField(
        required=False, help_text=_("设为将来的时间即定时发布（不填为现在）")
    )
    pinned = serializers.BooleanField(required=False, default=False)


class NoticeCreateInput(NoticeInput):
    """A new notice: the fields of NoticeInput and the submission token (api/idempotency.py)."""

    submission = submission_input()  # the token; a repeat gives the first notice (api/idempotency.py)


class NoticeViewSet(
    ScopedViewSetMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.ReadOnlyModelViewSet,
):
    """通知公告: the notices the user may read (and the scheduled ones they manage); create, change, delete
    for those who manage notices in the notice's area."""

    view_permission = "notices.view"
    change_permission = MANAGE
    serializer_class = NoticeSerializer
    queryset = Notice.objects.all()  # the model, for the schema; get_queryset reads the page's selector
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Notice.objects.none()
        return selectors.notices_for_list(self.request.user)

    @extend_schema(request=NoticeCreateInput, responses={201: NoticeSerializer})
    def create(self, request, *args, **kwargs):
        notice = services.create_notice(author=request.user, **self.input_of(NoticeCreateInput))
        return self.answer(notice, status.HTTP_201_CREATED)

    @extend_schema(request=NoticeInput, responses={200: NoticeSerializer})
    def partial_update(self, request, *args, **kwargs):
        notice = self.get_object()
        current = {
            "area": notice.area,
            "title": notice.title,
            "body": notice.body,
            "published_at": notice.published_at,
            "pinned": notice.pinned,
        }
        changes = self.input_of(NoticeInput, partial=True)
        notice = services.update_notice(notice=notice, editor=request.user, **{**current, **changes})
        return self.answer(notice)

    def perform_destroy(self, instance):
        services.delete_notice(notice=instance, user=self.request.user)


def register(router) -> None:
    router.register("notices", NoticeViewSet, basename="notice")
