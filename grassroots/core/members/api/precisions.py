"""`/api/contact-attempts/`, `/api/study-records/`, `/api/dues-payments/`, `/api/care-visits/` (and
`/api/transfers/`, in transfers.py): the records of find, educate, manage and care. Scoped like the pages
(members.view on an area covering the member's branch, or the organization clause), filtered, paginated (50
a page, at most 500), one query a page. Writes go through the same services as the pages: members.change on
the member (else 403); a member outside the scope is answered like a missing one (400 "对象不存在")."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import mixins, serializers, viewsets
from rest_framework.response import Response

from grassroots.api.fields import ScopedPrimaryKeyRelatedField
from grassroots.api.scoping import ScopedViewSetMixin
from grassroots.core.members.api import transfers
from grassroots.core.members.filters import (
    CareVisitFilter,
    ContactAttemptFilter,
    DuesPaymentFilter,
    StudyRecordFilter,
)
from grassroots.core.members.models import (
    CareVisit,
    ContactAttempt,
    DuesPayment,
    Member,
    StudyRecord,
)
from grassroots.core.members.services import care, dues, educate, find
from grassroots.portal.submissions import API_HELP, MAX_LENGTH


def member_field(**kwargs):
    return ScopedPrimaryKeyRelatedField(
        queryset=Member.objects.select_related("branch", "branch__area"),
        permission="members.view",
        help_text=_("党员的 id"),
        **kwargs,
    )


class MemberRecordViewSet(ScopedViewSetMixin, viewsets.GenericViewSet):
    """Reads scoped by the member's branch; a write on a row needs members.change on its member."""

    view_permission = "members.view"
    change_permission = "members.change"
    input_serializer_class: type[serializers.Serializer]

    def area_of(self, obj):
        return obj.member  # has_perm takes the record: its branch's area, or the organization clause

    def get_serializer_class(self):
        if self.action == "create":
            return self.input_serializer_class
        return self.serializer_class

    def create(self, request, *args, **kwargs):
        data = self.get_serializer(data=request.data)
        data.is_valid(raise_exception=True)
        record = self.perform_service(data.validated_data)
        fresh = self.get_queryset().get(pk=record.pk)
        return Response(self.serializer_class(fresh, context=self.get_serializer_context()).data, status=201)

    def perform_service(self, validated):  # pragma: no cover - each viewset defines it
        raise NotImplementedError


# --- contact attempts (find 寻找) -------------------------------------------------------------------------
class ContactAttemptSerializer(serializers.ModelSerializer):
    member_name = serializers.CharField(source="member.name", read_only=True)
    by_name = serializers.CharField(source="by.display_name", read_only=True)

    class Meta:
        model = ContactAttempt
        fields = [
            "id",
            "member",
            "member_name",
            "attempted_on",
            "method",
            "reached",
            "result",
            "by",
            "by_name",
        ]
        read_only_fields = fields


class ContactAttemptInput(serializers.Serializer):
    member = member_field()
    attempted_on = serializers.DateField(required=False)
    method = serializers.ChoiceField(choices=ContactAttempt._meta.get_field("method").choices)
    reached = serializers.BooleanField(default=False)
    result = serializers.CharField(required=False, allow_blank=True, max_length=2000)
    submission = serializers.CharField(
        required=False, allow_blank=True, max_length=MAX_LENGTH, help_text=API_HELP
    )


class ContactAttemptViewSet(
    MemberRecordViewSet, mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin
):
    """Contact attempts of mobile and lost-contact members, newest first. POST records one (the actor is
    who made it)."""

    queryset = ContactAttempt.objects.select_related("member", "by").order_by("-attempted_on", "-pk")
    serializer_class = ContactAttemptSerializer
    input_serializer_class = ContactAttemptInput
    filterset_class = ContactAttemptFilter

    def perform_service(self, validated):
        return find.record_contact_attempt(actor=self.request.user, **validated)


# --- study records (educate 教育) -------------------------------------------------------------------------
class StudyRecordSerializer(serializers.ModelSerializer):
    member_name = serializers.CharField(source="member.name", read_only=True)

    class Meta:
        model = StudyRecord
        fields = ["id", "member", "member_name", "title", "studied_on", "hours", "source", "gathering"]
        read_only_fields = fields


class StudyRecordInput(serializers.Serializer):
    member = member_field()
    title = serializers.CharField(max_length=200)
    studied_on = serializers.DateField()
    hours = serializers.DecimalField(max_digits=4, decimal_places=1)


class StudyRecordViewSet(
    MemberRecordViewSet,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.DestroyModelMixin,
):
    """Study records, newest first. POST enters one by hand; DELETE removes one entered by hand (records
    from attendance follow the attendance sheet: 400)."""

    queryset = StudyRecord.objects.select_related("member").order_by("-studied_on", "-pk")
    serializer_class = StudyRecordSerializer
    input_serializer_class = StudyRecordInput
    filterset_class = StudyRecordFilter

    def perform_service(self, validated):
        return educate.add_study_record(actor=self.request.user, **validated)

    def perform_destroy(self, instance):
        educate.delete_study_record(actor=self.request.user, record=instance)


# --- dues payments (manage 管理) --------------------------------------------------------------------------
class DuesPaymentSerializer(serializers.ModelSerializer):
    member_name = serializers.CharField(source="member.name", read_only=True)

    class Meta:
        model = DuesPayment
        fields = ["id", "member", "member_name", "year", "month", "amount", "paid_on"]
        read_only_fields = fields


class DuesPaymentInput(serializers.Serializer):
    member = member_field()
    year = serializers.IntegerField()
    month = serializers.IntegerField()
    amount = serializers.DecimalField(max_digits=8, decimal_places=2, required=False)
    paid_on = serializers.DateField(required=False)


class DuesPaymentViewSet(
    MemberRecordViewSet, mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin
):
    """Dues paid, newest month first; one payment per member and month (400 for a second)."""

    queryset = DuesPayment.objects.select_related("member").order_by("-year", "-month", "-pk")
    serializer_class = DuesPaymentSerializer
    input_serializer_class = DuesPaymentInput
    filterset_class = DuesPaymentFilter

    def perform_service(self, validated):
        return dues.record_dues_payment(actor=self.request.user, **validated)


# --- care visits (care 关爱) ------------------------------------------------------------------------------
class CareVisitSerializer(serializers.ModelSerializer):
    member_name = serializers.CharField(source="member.name", read_only=True)
    visitor_name = serializers.CharField(source="visitor.display_name", read_only=True)

    class Meta:
        model = CareVisit
        fields = [
            "id",
            "member",
            "member_name",
            "visited_on",
            "kind",
            "help_given",
            "notes",
            "visitor",
            "visitor_name",
        ]
        read_only_fields = fields


class CareVisitInput(serializers.Serializer):
    member = member_field()
    visited_on = serializers.DateField(required=False)
    kind = serializers.ChoiceField(choices=CareVisit._meta.get_field("kind").choices)
    help_given = serializers.CharField(required=False, allow_blank=True, max_length=2000)
    notes = serializers.CharField(required=False, allow_blank=True, max_length=2000)
    submission = serializers.CharField(
        required=False, allow_blank=True, max_length=MAX_LENGTH, help_text=API_HELP
    )


class CareVisitViewSet(
    MemberRecordViewSet, mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin
):
    """Care visits, newest first. POST records one (the actor is the visitor)."""

    queryset = CareVisit.objects.select_related("member", "visitor").order_by("-visited_on", "-pk")
    serializer_class = CareVisitSerializer
    input_serializer_class = CareVisitInput
    filterset_class = CareVisitFilter

    def perform_service(self, validated):
        return care.record_care_visit(actor=self.request.user, **validated)


def register(router) -> None:
    router.register("contact-attempts", ContactAttemptViewSet, basename="contact-attempt")
    router.register("study-records", StudyRecordViewSet, basename="study-record")
    transfers.register(router)
    router.register("dues-payments", DuesPaymentViewSet, basename="dues-payment")
    router.register("care-visits", CareVisitViewSet, basename="care-visit")
