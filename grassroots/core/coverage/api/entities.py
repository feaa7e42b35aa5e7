"""`/api/entities/`: entities of the emerging sectors with `should_form_branch` (the 3-full-member rule);
created (POST) and changed (PATCH) through the same services as the entity form (`coverage.change`)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import mixins, serializers, status, viewsets

from grassroots.api.fields import ScopedPrimaryKeyRelatedField
from grassroots.api.idempotency import submission_input
from grassroots.api.scoping import ScopedViewSetMixin
from grassroots.areas.models import Area, PartyOrg
from grassroots.core.coverage import services
from grassroots.core.coverage.filters import EntityFilter
from grassroots.core.coverage.models import CoverageStatus, Entity, EntityKind
from grassroots.core.coverage.selectors import with_flag


class EntitySerializer(serializers.ModelSerializer):
    # Plain strings (the choices are listed in docs/coverage.md), so that the schema's enums named "kind" and
    # "status" do not collide with other parts'.
    kind = serializers.CharField(read_only=True)
    status = serializers.CharField(read_only=True)
    area_name = serializers.CharField(source="area.name", read_only=True)
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    covered = serializers.BooleanField(read_only=True)
    should_form_branch = serializers.BooleanField(read_only=True)
    party_members = serializers.IntegerField(
        source="member_total", read_only=True, help_text=_("党员数（见 members_source）")
    )
    full_members = serializers.IntegerField(
        source="full_total", read_only=True, help_text=_("其中正式党员数（见 members_source）")
    )
    members_source = serializers.CharField(
        source="count_source",
        read_only=True,
        help_text=_("党员数的来源：records 由党员档案统计（单独建立党组织的单位），manual 手工填报"),
    )
    members_source_label = serializers.CharField(source="get_count_source_display", read_only=True)

    class Meta:
        model = Entity
        fields = [
            "id",
            "name",
            "kind",
            "kind_label",
            "area",
            "area_name",
            "address",
            "floor_area",
            "employees",
            "party_members",
            "full_members",
            "members_source",
            "members_source_label",
            "status",
            "status_label",
            "party_org",
            "covered",
            "should_form_branch",
        ]


class EntityInput(serializers.Serializer):
    """What the entity form takes. `kind` and `status` are the codes listed in docs/coverage.md."""

    name = serializers.CharField(max_length=150)
    kind = serializers.CharField(help_text=_("类型代码（见 docs/coverage.md）"))
    area = ScopedPrimaryKeyRelatedField(queryset=Area.objects.all(), permission="coverage.change")
    address = serializers.CharField(max_length=200, required=False, allow_blank=True)
    floor_area = serializers.DecimalField(max_digits=12, decimal_places=2, required=False, allow_null=True)
    employees = serializers.IntegerField(min_value=0, required=False)
    party_members = serializers.IntegerField(
        min_value=0, required=False, help_text=_("手工填报；单独建立党组织的单位由党员档案统计，不可填")
    )
    full_members = serializers.IntegerField(
        min_value=0, required=False, help_text=_("手工填报；单独建立党组织的单位由党员档案统计，不可填")
    )
    status = serializers.CharField(required=False, help_text=_("党组织覆盖状态代码（见 docs/coverage.md）"))

    party_org = ScopedPrimaryKeyRelatedField(
        queryset=PartyOrg.objects.all(), permission="coverage.view", required=False, allow_null=True
    )
    note = serializers.CharField(required=False, allow_blank=True)

    def validate_kind(self, value):
        if value not in EntityKind.values:
            raise serializers.ValidationError(_("请选择类型。"))
        return value

    def validate_status(self, value):
        if value not in CoverageStatus.values:
            raise serializers.ValidationError(_("请选择党组织覆盖状态。"))
        return value


class EntityCreateInput(EntityInput):
    """A new entity: the fields of EntityInput and the submission token (api/idempotency.py)."""

    submission = submission_input()


class EntityViewSet(
    ScopedViewSetMixin, mixins.CreateModelMixin, mixins.UpdateModelMixin, viewsets.ReadOnlyModelViewSet
):
    """Entities of the emerging sectors. POST creates one, PATCH changes one (`coverage.change` on its area,
    else 403), through `services.create_entity` / `update_entity` as the page's form."""

    view_permission = "coverage.view"
    change_permission = "coverage.change"
    serializer_class = EntitySerializer
    filterset_class = EntityFilter
    queryset = with_flag(Entity.objects.select_related("area")).order_by("area__path", "name", "pk")
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_serializer_class(self):
        if self.action == "create":
            return EntityCreateInput
        if self.action == "partial_update":
            return EntityInput
        return EntitySerializer

    def create(self, request, *args, **kwargs):
        entity = services.create_entity(actor=request.user, **self.input_of(EntityCreateInput))
        return self.answer(entity, status.HTTP_201_CREATED)

    def partial_update(self, request, *args, **kwargs):
        entity = self.get_object()
        changes = self.input_of(EntityInput, partial=True)
        return self.answer(services.update_entity(actor=request.user, entity=entity, **changes))


def register(router) -> None:
    router.register("entities", EntityViewSet, basename="entity")
