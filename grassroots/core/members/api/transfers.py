"""`/api/transfers/`: transfers of the membership relation (manage 管理). Each side sees its half
(`Transfer.visible_to`); the steps are the workflow's transitions, taken through the same services as the
pages."""

from __future__ import annotations

from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from grassroots.accounts.scoping import scope_q
from grassroots.api.fields import ScopedPrimaryKeyRelatedField
from grassroots.api.scoping import ScopedViewSetMixin
from grassroots.areas.models import PartyOrg
from grassroots.core.members.models import Member, Transfer, TransferState
from grassroots.core.members.services import manage


class TransferSerializer(serializers.ModelSerializer):
    member_name = serializers.CharField(source="member.name", read_only=True)
    from_branch_name = serializers.CharField(source="from_branch.name", read_only=True)
    to_branch_name = serializers.CharField(source="to_branch.name", read_only=True)
    state_label = serializers.CharField(read_only=True)

    class Meta:
        model = Transfer
        fields = [
            "id",
            "member",
            "member_name",
            "from_branch",
            "from_branch_name",
            "to_branch",
            "to_branch_name",
            "state",
            "state_label",
            "letter_number",
            "reason",
            "refusal_reason",
            "requested_by",
            "created_at",
            "released_at",
            "received_at",
        ]
        read_only_fields = fields


def own_or_scoped_members(user):
    """A transfer may be asked by the old branch's side, or by the member for their own record."""
    visible = scope_q(user, "members.view", "branch__area__path", "branch") | Q(user=user)
    return Member.objects.select_related("branch", "branch__area").filter(visible)


class TransferInput(serializers.Serializer):
    member = ScopedPrimaryKeyRelatedField(
        scope=own_or_scoped_members, queryset=Member.objects.all(), help_text=_("党员的 id")
    )
    to_branch = serializers.PrimaryKeyRelatedField(
        queryset=PartyOrg.objects.filter(retired=False), help_text=_("转入党组织的 id（可在本辖区之外）")
    )
    reason = serializers.CharField(required=False, allow_blank=True, max_length=2000)


class ReleaseInput(serializers.Serializer):
    letter_number = serializers.CharField(max_length=50)
    comment = serializers.CharField(required=False, allow_blank=True, max_length=2000)


class StepInput(serializers.Serializer):
    comment = serializers.CharField(required=False, allow_blank=True, max_length=2000)


class RefuseInput(serializers.Serializer):
    reason = serializers.CharField(max_length=2000)


class TransferFilter(filters.FilterSet):
    member = filters.NumberFilter(field_name="member_id")
    direction = filters.ChoiceFilter(
        method="by_direction",
        choices=[("out", _("转出")), ("in", _("转入"))],
        label=_("out：从该支部转出；in：转入该支部（配合 branch 使用）"),
    )
    branch = filters.NumberFilter(method="by_branch", label=_("党支部的 id（转出或转入）"))

    class Meta:
        model = Transfer
        fields = ["state"]

    def by_direction(self, queryset, name, value):
        return queryset  # applied together with `branch`

    def by_branch(self, queryset, name, value):
        direction = self.form.cleaned_data.get("direction")
        if direction == "out":
            return queryset.filter(from_branch_id=value)
        if direction == "in":
            return queryset.filter(to_branch_id=value)
        return queryset.filter(from_branch_id=value) | queryset.filter(to_branch_id=value)


class TransferViewSet(
    ScopedViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Transfers of the membership relation. Each side sees its half (`Transfer.visible_to`): the old
    branch's scope from the request on, the new branch's from the release on. The steps are workflow
    transitions: `release` (letter number), `receive`, `refuse` (reason; by the side whose turn it is),
    `cancel` (while requested)."""

    queryset = Transfer.objects.select_related("member", "from_branch", "to_branch").order_by(
        "-created_at", "-pk"
    )
    serializer_class = TransferSerializer
    filterset_class = TransferFilter
    view_permission = "members.view"

    def scope_queryset(self, queryset):
        return queryset.filter(Transfer.visibility_q(self.request.user))

    def check_object_permissions(self, request, obj):
        # Who may take a step is the workflow's decision (old side, new side, requester), not an area test.
        viewsets.GenericViewSet.check_object_permissions(self, request, obj)

    def get_serializer_class(self):
        return {"create": TransferInput, "release": ReleaseInput, "refuse": RefuseInput}.get(
            self.action, StepInput if self.action in ("receive", "cancel") else TransferSerializer
        )

    def _answer(self, transfer, code=status.HTTP_200_OK):
        fresh = self.get_queryset().get(pk=transfer.pk)
        return Response(TransferSerializer(fresh, context=self.get_serializer_context()).data, status=code)

    @extend_schema(request=TransferInput, responses=TransferSerializer)
    def create(self, request, *args, **kwargs):
        data = TransferInput(data=request.data, context=self.get_serializer_context())
        data.is_valid(raise_exception=True)
        transfer = manage.request_transfer(actor=request.user, **data.validated_data)
        return self._answer(transfer, status.HTTP_201_CREATED)

    def _input(self, serializer_class):
        data = serializer_class(data=self.request.data)
        data.is_valid(raise_exception=True)
        return data.validated_data

    @extend_schema(request=ReleaseInput, responses=TransferSerializer)
    @action(detail=True, methods=["post"])
    def release(self, request, pk=None):
        transfer = self.get_object()
        manage.release_transfer(actor=request.user, transfer=transfer, **self._input(ReleaseInput))
        return self._answer(transfer)

    @extend_schema(request=StepInput, responses=TransferSerializer)
    @action(detail=True, methods=["post"])
    def receive(self, request, pk=None):
        transfer = self.get_object()
        comment = self._input(StepInput).get("comment", "")
        manage.take_transfer_step(actor=request.user, transfer=transfer, name="receive", comment=comment)
        return self._answer(transfer)

    @extend_schema(request=RefuseInput, responses=TransferSerializer)
    @action(detail=True, methods=["post"])
    def refuse(self, request, pk=None):
        transfer = self.get_object()
        name = "refuse_receipt" if transfer.state == TransferState.RELEASED else "refuse_release"
        reason = self._input(RefuseInput)["reason"]
        manage.take_transfer_step(actor=request.user, transfer=transfer, name=name, comment=reason)
        return self._answer(transfer)

    @extend_schema(request=StepInput, responses=TransferSerializer)
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        transfer = self.get_object()
        comment = self._input(StepInput).get("comment", "")
        manage.take_transfer_step(actor=request.user, transfer=transfer, name="cancel", comment=comment)
        return self._answer(transfer)


def register(router) -> None:
    router.register("transfers", TransferViewSet, basename="transfer")
