"""The forms of a member's page and of 我的 that change one record, through the same services:

- `POST /api/members/{id}/account/ {username}` links the record to a platform account (`null` or "" unlinks;
  `services.records.link_user`);
- `POST /api/members/{id}/dues/ {income?, category?}` sets the monthly dues (`services.dues.set_dues`; the
  income is used once and not stored);
- `GET/POST /api/member-tags/ {name, kind}`: the catalogue of tags, skills and care situations, a new entry
  added as on the tags page (`create_tag`; a record's tags are set with `PATCH /api/members/{id}/ {tags}`);
- `GET/PATCH /api/mine/record/` the caller's own record, corrected as on 我的 (`correct_own_record`: phone,
  education, occupation, work unit, home address), `POST /api/mine/whereabouts/` a mobile member's new
  whereabouts (`update_whereabouts`).
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from grassroots.access.scoping import has_perm
from grassroots.accounts.services.verification import address_areas
from grassroots.api.scoping import ScopedViewSetMixin
from grassroots.core.members.identity import validate_mobile
from grassroots.core.members.models import DuesBracket, Education, Member, MemberStatus, MemberTag, TagKind
from grassroots.core.members.selectors import records as selectors
from grassroots.core.members.services import dues as dues_services
from grassroots.core.members.services import find as find_services
from grassroots.core.members.services import records as services


class AccountInput(serializers.Serializer):
    username = serializers.CharField(
        max_length=150, allow_blank=True, allow_null=True, help_text=_("平台账号的用户名；留空表示解除关联")
    )


class DuesInput(serializers.Serializer):
    income = serializers.DecimalField(
        max_digits=10, decimal_places=2, min_value=0, required=False, allow_null=True, default=None
    )
    category = serializers.PrimaryKeyRelatedField(
        queryset=DuesBracket.objects.filter(fixed_amount__isnull=False),
        required=False,
        allow_null=True,
        default=None,
        help_text=_("固定金额类别的 id（代替月收入）"),
    )


class MemberFormsMixin:
    """Part of `MemberViewSet`: the record forms that are not the record's own fields."""

    @extend_schema(request=AccountInput)
    @action(detail=True, methods=["post"])
    def account(self, request, pk=None):
        """Link the record to the member's platform account (one in your accounts.view scope)."""
        member = self.get_object()
        username = (self.input_of(AccountInput)["username"] or "").strip()
        user = get_user_model().objects.filter(username=username).first() if username else None
        if username and user is None:  # in the service's words: never whether the name exists elsewhere
            raise serializers.ValidationError({"username": [_("未找到该用户，或该用户不在您的管辖范围内。")]})
        try:
            services.link_user(actor=request.user, member=member, user=user)
        except ValidationError as exc:
            raise serializers.ValidationError(
                {"username": exc.message_dict.get("user", exc.messages)}
            ) from exc
        return self.answer(member)

    @extend_schema(request=DuesInput)
    @action(detail=True, methods=["post"])
    def dues(self, request, pk=None):
        """Set the monthly dues from the income (not stored) or a fixed-amount category."""
        member = self.get_object()
        values = self.input_of(DuesInput)
        dues_services.set_dues(
            actor=request.user, member=member, income=values["income"], bracket=values["category"]
        )
        return self.answer(member)


class TagSerializer(serializers.ModelSerializer):
    class Meta:
        model = MemberTag
        fields = ["id", "name", "kind"]


class TagViewSet(ScopedViewSetMixin, mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """The shared catalogue of tags, skills and care situations (names only, for whoever reads members'
    records; which members carry them is scoped with the records). POST adds an entry (members.change
    somewhere, else 403)."""

    view_permission = "members.view"
    queryset = MemberTag.objects.order_by("kind", "name", "pk")
    serializer_class = TagSerializer

    def scope_queryset(self, queryset):
        return queryset if has_perm(self.request.user, self.view_permission) else queryset.none()

    def create(self, request, *args, **kwargs):
        data = TagSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        tag = services.create_tag(actor=request.user, name=data.validated_data["name"], **_kind(data))
        return Response(TagSerializer(tag).data, status=status.HTTP_201_CREATED)


def _kind(data) -> dict:
    return {"kind": data.validated_data.get("kind") or TagKind.TAG}


class OwnRecordInput(serializers.Serializer):
    phone = serializers.CharField(
        max_length=20, required=False, allow_blank=True, validators=[validate_mobile]
    )
    education = serializers.ChoiceField(choices=Education.choices, required=False, allow_blank=True)
    occupation = serializers.CharField(max_length=50, required=False, allow_blank=True)
    work_unit = serializers.CharField(max_length=100, required=False, allow_blank=True)
    home_area = serializers.PrimaryKeyRelatedField(
        queryset=address_areas(), required=False, allow_null=True, help_text=_("院落、小区或楼栋的 id")
    )


class WhereaboutsInput(serializers.Serializer):
    mobile_location = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    mobile_work = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")


class MineViewSet(ScopedViewSetMixin, viewsets.GenericViewSet):
    """我的: the record linked to the caller's account (404 when there is none)."""

    view_permission = "members.view"  # not used: the scope is the caller's own record
    queryset = Member.objects.all()

    def scope_queryset(self, queryset):
        return selectors.with_pii_flag(
            selectors.for_listing(queryset.filter(user=self.request.user)), self.request.user
        )

    def get_serializer_class(self):
        from grassroots.core.members.api.members import MemberSerializer

        inputs = {"whereabouts": WhereaboutsInput}
        if self.action == "record" and self.request.method == "PATCH":
            return OwnRecordInput
        return inputs.get(self.action, MemberSerializer)

    def _mine(self) -> Member:
        member = self.get_queryset().first()
        if member is None:
            raise Http404
        return member

    def _show(self, member):
        from grassroots.core.members.api.members import MemberSerializer

        fresh = self.get_queryset().get(pk=member.pk)
        return Response(MemberSerializer(fresh, context=self.get_serializer_context()).data)

    @extend_schema(methods=["PATCH"], request=OwnRecordInput)
    @action(detail=False, methods=["get", "patch"])
    def record(self, request):
        """Your own record; PATCH corrects your phone, education, occupation, work unit or home address
        (applied at once, your branch secretary is told)."""
        member = self._mine()
        if request.method == "PATCH":
            data = OwnRecordInput(data=request.data, partial=True, context=self.get_serializer_context())
            data.is_valid(raise_exception=True)
            changes = {k: v for k, v in data.validated_data.items() if k != "phone" or v}
            services.correct_own_record(actor=request.user, member=member, **changes)
        return self._show(member)

    @extend_schema(request=WhereaboutsInput)
    @action(detail=False, methods=["post"])
    def whereabouts(self, request):
        """A mobile member's new whereabouts (where they live and work now)."""
        member = self._mine()
        if member.status != MemberStatus.MOBILE:
            raise Http404
        find_services.update_whereabouts(actor=request.user, member=member, **self.input_of(WhereaboutsInput))
        return self._show(member)


def register(router) -> None:
    router.register("member-tags", TagViewSet, basename="member-tag")
    router.register("mine", MineViewSet, basename="mine")
