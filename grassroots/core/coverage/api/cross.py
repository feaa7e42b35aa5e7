"""`/api/cross-appointments/`: 双向交叉任职, recorded (POST) through `services.record_cross_appointment` as
the page's form: `{person_name, org, position, other_position, starts_on, ends_on?}` and exactly one of
`other_org`, `other_entity`, `other_name`. `coverage.change` on the organization's area, else 403."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets

from grassroots.api.fields import ScopedPrimaryKeyRelatedField
from grassroots.api.scoping import ScopedViewSetMixin
from grassroots.areas.models import PartyOrg
from grassroots.core.coverage import services
from grassroots.core.coverage.api._common import CHANGE, VIEW, visible_entities, visible_orgs
from grassroots.core.coverage.models import CrossAppointment, Entity


class CrossAppointmentSerializer(serializers.ModelSerializer):
    org_name = serializers.CharField(source="org.name", read_only=True)
    other_label = serializers.CharField(read_only=True)

    class Meta:
        model = CrossAppointment
        fields = [
            "id",
            "person_name",
            "org",
            "org_name",
            "position",
            "other_org",
            "other_entity",
            "other_name",
            "other_label",
            "other_position",
            "starts_on",
            "ends_on",
        ]


class CrossAppointmentInput(serializers.Serializer):
    person_name = serializers.CharField(max_length=50)
    org = ScopedPrimaryKeyRelatedField(queryset=PartyOrg.objects.select_related("area"), scope=visible_orgs)
    position = serializers.CharField(max_length=100)
    other_org = ScopedPrimaryKeyRelatedField(
        queryset=PartyOrg.objects.all(), scope=visible_orgs, required=False, allow_null=True, default=None
    )
    other_entity = ScopedPrimaryKeyRelatedField(
        queryset=Entity.objects.all(), scope=visible_entities, required=False, allow_null=True, default=None
    )
    other_name = serializers.CharField(max_length=150, required=False, allow_blank=True, default="")
    other_position = serializers.CharField(max_length=100)
    starts_on = serializers.DateField()
    ends_on = serializers.DateField(required=False, allow_null=True, default=None)


class CrossAppointmentViewSet(ScopedViewSetMixin, mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    view_permission = VIEW
    change_permission = CHANGE
    serializer_class = CrossAppointmentSerializer
    queryset = CrossAppointment.objects.select_related("org", "other_org", "other_entity").order_by(
        "-starts_on", "pk"
    )

    def get_serializer_class(self):
        return CrossAppointmentInput if self.action == "create" else CrossAppointmentSerializer

    @extend_schema(request=CrossAppointmentInput, responses={201: CrossAppointmentSerializer})
    def create(self, request, *args, **kwargs):
        record = services.record_cross_appointment(actor=request.user, **self.input_of(CrossAppointmentInput))
        return self.answer(record, status.HTTP_201_CREATED)


def register(router) -> None:
    router.register("cross-appointments", CrossAppointmentViewSet, basename="cross-appointment")
