"""`/api/members/` and `/api/registrations/`.

Members: scoped by members.view (area grants and the branch secretary's clause), filtered exactly like the
list page (`MemberFilter`), paginated. ID number and phone are masked; with `?unmasked=true` a caller who
holds people.view_pii on a row gets that row's full values, and the read is written to the audit trail (an
export entry for a list page, an access entry for one record). Writes go through services/records.py:
members.change on the branch, the ID number checked at its field, one person one record.

Registrations (双报到): the rows the caller may see (the community's side, the registrant's side, the member
themself); create registers a member or a unit's Party organization; `confirm`, `reject` and `end` are the
workflow's steps (403 when the caller may not take them).
"""

from __future__ import annotations

from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.exceptions import ValidationError as DRFValidationError

from grassroots.access.scoping import scope_q
from grassroots.accounts.pii import UnmaskedReadsMixin
from grassroots.accounts.services.verification import address_areas
from grassroots.api.fields import ScopedPrimaryKeyRelatedField
from grassroots.api.scoping import ScopedViewSetMixin
from grassroots.api.search_post import PostSearchMixin
from grassroots.api.transitions import StepForm
from grassroots.areas.models import Area, Level, PartyOrg, PartyOrgKind
from grassroots.core.coverage.models import Entity
from grassroots.core.members.api.record_forms import MemberFormsMixin, TagSerializer
from grassroots.core.members.identity import validate_id_number, validate_mobile
from grassroots.core.members.models import Education, Gender, Member, MemberTag, Registration
from grassroots.core.members.selectors import records as selectors
from grassroots.core.members.selectors.registration import RegistrationFilter
from grassroots.core.members.services import find as find_services
from grassroots.core.members.services import records as services
from grassroots.core.members.services import registration as registration_services

UNMASKED = OpenApiParameter(
    "unmasked",
    OpenApiTypes.BOOL,
    description=str(_("为 true 时，对您有“查看完整身份证号和手机号”权限的记录返回完整值（记入审计日志）")),
)


# --- members --------------------------------------------------------------------------------------------
class MemberSerializer(serializers.ModelSerializer):
    id_number = serializers.SerializerMethodField(help_text=_("身份证号（默认脱敏）"))
    phone = serializers.SerializerMethodField(help_text=_("手机号（默认脱敏）"))
    unmasked = serializers.SerializerMethodField(help_text=_("本条记录的证件号和手机号是否为完整值"))
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    branch_name = serializers.CharField(source="branch.name", read_only=True)
    home_area_name = serializers.CharField(source="home_area.name", read_only=True, default=None)
    age = serializers.IntegerField(read_only=True)
    probationary = serializers.BooleanField(source="is_probationary", read_only=True)
    tags = TagSerializer(many=True, read_only=True)
    missing_fields = serializers.SerializerMethodField(help_text=_("缺少的信息"))

    class Meta:
        model = Member
        fields = [
            "id",
            "name",
            "pinyin_initials",
            "gender",
            "ethnicity",
            "birth_date",
            "age",
            "id_number",
            "phone",
            "unmasked",
            "education",
            "occupation",
            "work_unit",
            "workplace",
            "in_service",
            "home_area",
            "home_area_name",
            "branch",
            "branch_name",
            "joined_probationary_on",
            "joined_full_on",
            "probationary",
            "status",
            "status_label",
            "mobile_location",
            "mobile_work",
            "dues_monthly",
            "tags",
            "completeness",
            "missing_fields",
        ]

    def _unmasked(self, obj) -> bool:
        return bool(self.context.get("unmask")) and bool(getattr(obj, "pii_visible", False))

    def get_unmasked(self, obj) -> bool:
        return self._unmasked(obj)

    def get_id_number(self, obj) -> str:
        return obj.display_id_number(unmasked=self._unmasked(obj))

    def get_phone(self, obj) -> str:
        return obj.display_phone(unmasked=self._unmasked(obj)) or ""

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_missing_fields(self, obj):
        return selectors.missing_labels(obj)


class MemberWriteSerializer(serializers.Serializer):
    """What a client sends to create (name, id_number, branch, joined_probationary_on required) or change
    (any of them) a record. Birth date and gender are taken from the ID number when left out."""

    name = serializers.CharField(max_length=50)
    id_number = serializers.CharField(max_length=18, validators=[validate_id_number])
    gender = serializers.ChoiceField(choices=Gender.choices, required=False, allow_blank=True)
    birth_date = serializers.DateField(required=False, allow_null=True)
    ethnicity = serializers.CharField(max_length=20, required=False, allow_blank=True)
    phone = serializers.CharField(
        max_length=20, required=False, allow_blank=True, validators=[validate_mobile]
    )
    education = serializers.ChoiceField(choices=Education.choices, required=False, allow_blank=True)
    occupation = serializers.CharField(max_length=50, required=False, allow_blank=True)
    work_unit = serializers.CharField(max_length=100, required=False, allow_blank=True)
    workplace = ScopedPrimaryKeyRelatedField(
        queryset=Entity.objects.all(),
        scope=selectors.workplace_choices,
        required=False,
        allow_null=True,
        help_text=_("所在新兴领域单位的 id（联合建立党组织的单位按此统计党员数）"),
    )
    in_service = serializers.BooleanField(required=False)
    home_area = serializers.PrimaryKeyRelatedField(
        queryset=address_areas(), required=False, allow_null=True, help_text=_("院落、小区或楼栋的 id")
    )
    branch = ScopedPrimaryKeyRelatedField(
        queryset=PartyOrg.objects.select_related("area"),
        scope=lambda user: selectors.orgs_for(user, "members.change").select_related("area"),
        needs="members.change",
        help_text=_("所在党支部的 id（须为您负责的党组织）"),
    )
    joined_probationary_on = serializers.DateField()
    joined_full_on = serializers.DateField(required=False, allow_null=True)
    tags = serializers.PrimaryKeyRelatedField(
        queryset=MemberTag.objects.all(), many=True, required=False, help_text=_("标签、技能、关爱情形的 id")
    )


def _duplicate_as_api_error(exc: services.DuplicateMember) -> DRFValidationError:
    detail = {"id_number": exc.message_dict["id_number"]}
    if exc.existing is not None:
        detail["existing"] = [exc.existing.get_absolute_url()]
    return DRFValidationError(detail)


class MobileInput(serializers.Serializer):
    mobile_location = serializers.CharField(required=False, allow_blank=True, max_length=200, default="")
    mobile_work = serializers.CharField(required=False, allow_blank=True, max_length=200, default="")


def _mark_mobile(view, member, *, actor, comment, attachments, **fields):
    find_services.mark_mobile(actor=actor, member=member, comment=comment, **fields)


@extend_schema(parameters=[UNMASKED])
class MemberViewSet(
    PostSearchMixin,
    MemberFormsMixin,
    UnmaskedReadsMixin,
    ScopedViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """Party members' records in your members.view scope (area grants, or the Party organizations you are
    secretary of), filtered like the member list page. Writes need members.change on the branch. A search
    by ID or phone number goes by `POST /api/members/search/` (`{"q": …}`); in `?q=` a number is refused
    (api/search.py)."""

    queryset = Member.objects.all()
    serializer_class = MemberSerializer
    filterset_class = selectors.MemberFilter
    view_permission = "members.view"
    change_permission = "members.change"
    unmasked_export_label = _("API：党员信息（未脱敏）")
    http_method_names = ["get", "post", "patch", "head", "options"]
    # status steps at …/transitions/{name}/; mark_mobile takes where the member now lives or works
    transition_forms = {"mark_mobile": StepForm(MobileInput, _mark_mobile)}

    def get_queryset(self):
        queryset = super().get_queryset()
        if getattr(self, "swagger_fake_view", False):
            return queryset
        return selectors.with_pii_flag(selectors.for_listing(queryset), self.request.user)

    def area_of(self, obj):
        return obj  # has_perm takes the record: its branch's area, or the branch secretary's clause

    @extend_schema(request=MemberWriteSerializer, responses={201: MemberSerializer})
    def create(self, request):
        """Create a record (one person, one record: a known ID number is refused, with `existing` linking
        to the first record when you may see it)."""
        data = self.input_of(MemberWriteSerializer)
        try:
            member = services.create_member(actor=request.user, **data)
        except services.DuplicateMember as exc:
            raise _duplicate_as_api_error(exc) from exc
        return self.answer(member, status.HTTP_201_CREATED)

    @extend_schema(request=MemberWriteSerializer(partial=True), responses=MemberSerializer)
    def partial_update(self, request, pk=None):
        """Change any of the fields sent; `tags` replaces the record's tags."""
        member = self.get_object()
        data = self.input_of(MemberWriteSerializer, partial=True)
        tags = data.pop("tags", None)
        try:
            if data:
                services.update_member(actor=request.user, member=member, **data)
        except services.DuplicateMember as exc:
            raise _duplicate_as_api_error(exc) from exc
        if tags is not None:
            services.set_tags(actor=request.user, member=member, tags=tags)
        return self.answer(member)


# --- registrations --------------------------------------------------------------------------------------
class RegistrationSerializer(serializers.ModelSerializer):
    kind = serializers.SerializerMethodField(help_text=_("member：在职党员；org：单位党组织"))
    name = serializers.CharField(source="subject_name", read_only=True)
    community_name = serializers.CharField(source="community.name", read_only=True)
    state_label = serializers.CharField(source="get_state_display", read_only=True)

    class Meta:
        model = Registration
        fields = [
            "id",
            "kind",
            "name",
            "member",
            "party_org",
            "community",
            "community_name",
            "services_offered",
            "state",
            "state_label",
            "service_hours",
            "confirmed_at",
            "reason",
            "ended_at",
            "created_at",
        ]

    def get_kind(self, obj) -> str:
        return "member" if obj.member_id is not None else "org"


def _registrable_members(user):
    """Members the caller keeps (members.change), or their own record."""
    if user is None or not user.is_authenticated:
        return Member.objects.none()
    keeps = scope_q(user, "members.change", Member.scope_path, org_field=Member.scope_org)
    return Member.objects.filter(keeps | Q(user=user)).select_related("branch__area", "home_area")


class RegistrationInput(serializers.Serializer):
    member = ScopedPrimaryKeyRelatedField(
        queryset=Member.objects.all(), scope=_registrable_members, required=False, help_text=_("党员的 id")
    )
    party_org = ScopedPrimaryKeyRelatedField(
        queryset=PartyOrg.objects.all(),
        scope=lambda user: (
            selectors.orgs_for(user, "members.change").exclude(kind=PartyOrgKind.GROUP).select_related("area")
        ),
        required=False,
        help_text=_("单位党组织的 id"),
    )
    community = serializers.PrimaryKeyRelatedField(
        queryset=Area.objects.filter(level=Level.COMMUNITY, retired=False),
        required=False,
        allow_null=True,
        help_text=_("报到社区的 id（党员可省略：按居住地址确定）"),
    )
    services_offered = serializers.CharField(required=False, allow_blank=True, max_length=2000)

    def validate(self, attrs):
        if ("member" in attrs) == ("party_org" in attrs):
            raise serializers.ValidationError(_("请指定党员或单位党组织中的一个。"))
        return attrs


class RegistrationViewSet(
    ScopedViewSetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """Dual registrations you may see: your communities' (members.view on the community), those of members
    and organizations you keep, and your own. Steps at `…/{id}/transitions/{name}/`: confirm and reject
    (`comment` = the reason): the community's workers and secretary; end: either side."""

    queryset = Registration.objects.select_related("member", "party_org", "community").order_by(
        "-created_at", "-pk"
    )
    serializer_class = RegistrationSerializer
    filterset_class = RegistrationFilter
    view_permission = "members.view"

    def scope_queryset(self, queryset):
        return queryset.filter(pk__in=Registration.visible_to(self.request.user).values("pk"))

    @extend_schema(request=RegistrationInput, responses={201: RegistrationSerializer})
    def create(self, request):
        """Register a member (with the community where they live) or a unit's Party organization."""
        data = self.input_of(RegistrationInput)
        offered = data.get("services_offered", "")
        if "member" in data:
            registration = registration_services.register_member(
                actor=request.user,
                member=data["member"],
                community=data.get("community"),
                services_offered=offered,
            )
        else:
            registration = registration_services.register_org(
                actor=request.user,
                party_org=data["party_org"],
                community=data.get("community"),
                services_offered=offered,
            )
        return self.answer(registration, status.HTTP_201_CREATED)


def register(router) -> None:
    router.register("members", MemberViewSet, basename="member")
    router.register("registrations", RegistrationViewSet, basename="registration")
