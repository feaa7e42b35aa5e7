"""What `/api/gatherings/` shows, and what its writes take (the fields of the pages' forms)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from grassroots.accounts.models import User
from grassroots.api.fields import ChoiceOfRecordField, ScopedPrimaryKeyRelatedField
from grassroots.api.idempotency import submission_input
from grassroots.areas.models import Area, PartyOrg
from grassroots.gatherings import selectors
from grassroots.gatherings.forms import users_named
from grassroots.gatherings.models import Decision, Gathering, Guest, Participant, Visibility
from grassroots.portal.submissions import API_HELP, MAX_LENGTH

MANAGE = "gatherings.manage"


class AttendanceCountsSerializer(serializers.Serializer):
    invited = serializers.IntegerField(source="invited_count", read_only=True)
    signed_up = serializers.IntegerField(source="signed_up_count", read_only=True)
    present = serializers.IntegerField(source="present_count", read_only=True)
    absent = serializers.IntegerField(source="absent_count", read_only=True)


class MeSerializer(serializers.Serializer):
    invited = serializers.BooleanField(source="me_invited", read_only=True)
    signed_up = serializers.BooleanField(source="me_signed_up", read_only=True)


class GatheringSerializer(serializers.ModelSerializer):
    kind_label = serializers.CharField(read_only=True)
    area_name = serializers.CharField(source="area.name", read_only=True)
    organizer_name = serializers.CharField(source="organizer.display_name", read_only=True)
    party_org_name = serializers.CharField(source="party_org.name", read_only=True, default=None)
    status_label = serializers.CharField(source="state_label", read_only=True)
    attendance = AttendanceCountsSerializer(source="*", read_only=True)
    me = MeSerializer(source="*", read_only=True)
    url = serializers.SerializerMethodField()

    class Meta:
        model = Gathering
        fields = [
            "id",
            "kind",
            "kind_label",
            "title",
            "area",
            "area_name",
            "organizer",
            "organizer_name",
            "party_org",
            "party_org_name",
            "starts_at",
            "ends_at",
            "place",
            "description",
            "visibility",
            "capacity",
            "signup_open",
            "signup_deadline",
            "status",
            "status_label",
            "cancel_reason",
            "held_at",
            "minutes",
            "series",
            "occurrence_on",
            "attendance",
            "me",
            "url",
        ]
        read_only_fields = fields

    def get_url(self, obj) -> str:
        return reverse("gatherings:detail", args=[obj.pk])


class GatheringInput(serializers.Serializer):
    """Create (all required fields) or change (PATCH: any of them) a planned gathering."""

    kind = serializers.CharField(
        max_length=40,
        help_text=_(
            "会议活动类型代码（meeting、hearing、lecture 等）；警示教育、品牌活动、环保行动须在其专门接口创建"
        ),
    )
    title = serializers.CharField(max_length=200)
    area = ScopedPrimaryKeyRelatedField(queryset=Area.objects.filter(retired=False), permission=MANAGE)
    party_org = ScopedPrimaryKeyRelatedField(
        queryset=PartyOrg.objects.filter(retired=False),
        permission=MANAGE,
        required=False,
        allow_null=True,
        default=None,
    )
    starts_at = serializers.DateTimeField()
    ends_at = serializers.DateTimeField()
    place = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    description = serializers.CharField(required=False, allow_blank=True, default="")
    visibility = serializers.ChoiceField(choices=Visibility.choices, default=Visibility.PUBLIC)
    capacity = serializers.IntegerField(min_value=1, required=False, allow_null=True, default=None)
    signup_open = serializers.BooleanField(required=False, default=False)
    signup_deadline = serializers.DateTimeField(required=False, allow_null=True, default=None)


class GatheringCreateInput(GatheringInput):
    """A new gathering: the fields of GatheringInput and the submission token (api/idempotency.py)."""

    submission = submission_input()


class InviteInput(serializers.Serializer):
    usernames = serializers.ListField(child=serializers.CharField(max_length=150), allow_empty=False)

    def validate_usernames(self, names) -> list[User]:
        return users_named(names)


def _on_the_list(context):
    return User.objects.filter(gathering_participations__gathering=context["gathering"])


class MarkInput(serializers.Serializer):
    user = ChoiceOfRecordField(choices=_on_the_list, help_text=_("参会名单上的人员 id"))
    present = serializers.BooleanField()
    absence_reason = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")


class AttendanceInput(serializers.Serializer):
    marks = MarkInput(many=True, allow_empty=False)


class ParticipantSerializer(serializers.ModelSerializer):
    user_name = serializers.CharField(source="user.display_name", read_only=True)
    invited = serializers.BooleanField(source="is_invited", read_only=True)

    class Meta:
        model = Participant
        fields = [
            "user",
            "user_name",
            "invited",
            "invited_at",
            "signed_up_at",
            "present",
            "absence_reason",
            "checked_in_at",
        ]
        read_only_fields = fields


class MinutesInput(serializers.Serializer):
    minutes = serializers.CharField(allow_blank=True)


def _owners(context):
    return selectors.decision_owners(context["gathering"])


class DecisionInput(serializers.Serializer):
    text = serializers.CharField()
    owner = ChoiceOfRecordField(choices=_owners, required=False, allow_null=True, default=None)
    due_on = serializers.DateField(required=False, allow_null=True, default=None)
    submission = serializers.CharField(
        required=False, allow_blank=True, max_length=MAX_LENGTH, help_text=API_HELP
    )


class DecisionSerializer(serializers.ModelSerializer):
    owner_name = serializers.CharField(source="owner.display_name", read_only=True, default=None)

    class Meta:
        model = Decision
        fields = ["id", "text", "owner", "owner_name", "due_on", "created_at"]
        read_only_fields = fields


class PhotoInput(serializers.Serializer):
    image = serializers.FileField(help_text=_("JPEG、PNG、GIF 或 WebP，不超过 10 MB"))
    caption = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    submission = serializers.CharField(
        required=False, allow_blank=True, max_length=MAX_LENGTH, help_text=API_HELP
    )


class PhotoSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    caption = serializers.CharField()
    url = serializers.SerializerMethodField(help_text=_("照片的地址（按权限提供）"))

    def get_url(self, photo) -> str:
        url = reverse("gatherings:photo", args=[photo.gathering_id, photo.pk])
        request = self.context.get("request")
        return request.build_absolute_uri(url) if request else url


class GatheringGuestSerializer(serializers.ModelSerializer):
    class Meta:
        model = Guest
        fields = ["id", "name", "organization", "role", "added_at"]
        read_only_fields = fields


class GatheringGuestInput(serializers.Serializer):
    """A participant without an account: an organization, or a person with their organization."""

    name = serializers.CharField(max_length=100)
    organization = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    role = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")


class RemoveGuestInput(serializers.Serializer):
    guest = serializers.IntegerField(help_text="the id of a guest of this gathering")
