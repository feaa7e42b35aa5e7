"""`/api/transfers/`: transfers of the membership relation (manage 管理). Each side sees its half
(`Transfer.visible_to`); the steps are the workflow's transitions, taken through the same services as the
pages."""

from __future__ import annotations

from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets

from grassroots.access.scoping import scope_q
from grassroots.api.fields import ScopedPrimaryKeyRelatedField
from grassroots.api.scoping import ScopedViewSetMixin
from grassroots.api.transitions import StepForm
from grassroots.areas.models import PartyOrg
from grassroots.core.members.filters import TransferFilter
from grassroots.core.members.models import Member, Transfer
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
    letter_number = serializers.CharField(max_length=50, help_text=_("介绍信编号"))


def _release(view, transfer, *, actor, comment, attachments, letter_number):
    manage.release_transfer(actor=actor, transfer=transfer, letter_number=letter_number, comment=comment)


class TransferViewSet(
    ScopedViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Transfers of the membership relation. Each side sees its half (`Transfer.visible_to`): the old
    branch's scope from the request on, the new branch's from the release on. The steps are workflow
    transitions at `…/{id}/transitions/{name}/`: `release` (`letter_number`), `receive`,
    `refuse_release` / `refuse_receipt` (`comment` = the reason; the side whose turn it is), `cancel` (while
    requested)."""

    queryset = Transfer.objects.select_related("member", "from_branch", "to_branch").order_by(
        "-created_at", "-pk"
    )
    serializer_class = TransferSerializer
    filterset_class = TransferFilter
    view_permission = "members.view"

    def scope_queryset(self, queryset):
        return queryset.filter(Transfer.visibility_q(self.request.user))

    transition_forms = {"release": StepForm(ReleaseInput, _release)}

    def get_serializer_class(self):
        return TransferInput if self.action == "create" else TransferSerializer

    @extend_schema(request=TransferInput, responses=TransferSerializer)
    def create(self, request, *args, **kwargs):
        transfer = manage.request_transfer(actor=request.user, **self.input_of(TransferInput))
        return self.answer(transfer, status.HTTP_201_CREATED)


def register(router) -> None:
    router.register("transfers", TransferViewSet, basename="transfer")
