"""API of accounts: tokens (`/api/auth/token/`), users (`/api/users/`), role grants (`/api/grants/`) and
residents' verification requests (`/api/verifications/`). Grants go through `services/grants.py` and
verification steps through the workflow and `services/verification.py`, exactly as the pages do."""

from django.contrib.auth import authenticate, user_logged_in, user_login_failed
from django.urls import path
from django.utils.translation import gettext_lazy as _
from django_otp import match_token, user_has_device
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.exceptions import PermissionDenied
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.throttling import AnonRateThrottle
from rest_framework.views import APIView

from grassroots.accounts.addresses import client_ip
from grassroots.accounts.filters import GrantFilter, UserFilter, VerificationFilter
from grassroots.accounts.models import ApiToken, ResidentVerification, RoleGrant, User
from grassroots.accounts.pii import UnmaskedReadsMixin, mask_phone, may_unmask_user
from grassroots.accounts.services.grants import (
    GrantRefused,
    grant_role,
    prefetch_visible_grants,
    revoke_grant,
    users_in_scope,
    users_in_scope_q,
)
from grassroots.accounts.services.tokens import issue_token, revoke_all, revoke_token
from grassroots.accounts.services.two_factor import needs_two_factor, normalize
from grassroots.accounts.services.verification import address_areas, resubmit_verification
from grassroots.api.fields import ScopedPrimaryKeyRelatedField
from grassroots.api.scoping import ScopedViewSetMixin
from grassroots.api.search_post import PostSearchMixin
from grassroots.api.transitions import StepForm
from grassroots.areas.models import Area
from grassroots.areas.selectors import with_path_labels

UNMASKED = OpenApiParameter(
    "unmasked",
    OpenApiTypes.BOOL,
    description=str(
        _("为 true 时，对您有“查看完整身份证号和手机号”权限的用户返回完整手机号（记入审计日志）")
    ),
)


# --- tokens ---------------------------------------------------------------------------------------------


class TokenRequestSerializer(serializers.Serializer):
    username = serializers.CharField(label=_("用户名"))
    password = serializers.CharField(label=_("密码"), style={"input_type": "password"}, trim_whitespace=False)
    otp = serializers.CharField(
        label=_("两步验证码"),
        required=False,
        allow_blank=True,
        help_text=_("启用两步验证时，干部账号须提供身份验证器显示的 6 位验证码。"),
    )

    def validate(self, attrs):
        request = self.context["request"]._request  # the HttpRequest, as Django's login view passes it
        user = authenticate(request, username=attrs["username"], password=attrs["password"])
        if user is None:  # authenticate() has sent user_login_failed
            raise serializers.ValidationError(_("用户名或密码不正确。"), code="authorization")
        if needs_two_factor(user):  # the same rule as the web sign-in
            self._check_otp(request, user, attrs.get("otp", ""))
        attrs["user"] = user
        return attrs

    @staticmethod
    def _check_otp(request, user, otp: str) -> None:
        if not user_has_device(user):
            raise serializers.ValidationError(
                {"otp": _("请先在网页上设置两步验证，再申请令牌。")}, code="authorization"
            )
        # match_token locks and throttles each device, and accepts a backup code too (used up)
        if not otp or match_token(user, normalize(otp)) is None:
            user_login_failed.send(
                sender=__name__, credentials={"username": user.get_username()}, request=request
            )
            raise serializers.ValidationError({"otp": _("两步验证码不正确。")}, code="authorization")


class TokenResponseSerializer(serializers.Serializer):
    token = serializers.CharField(read_only=True, help_text=_("只显示这一次；请妥善保存。"))
    expires_at = serializers.DateTimeField(read_only=True, help_text=_("到期时间，之后须重新申请。"))


class TokenThrottle(AnonRateThrottle):
    """At most 20 token requests a minute from one address: password guessing gets slow (every failure is
    also logged through `user_login_failed`)."""

    rate = "20/min"

    def get_ident(self, request):
        # DRF's own reading believes any X-Forwarded-For (a new one per request escaped the limit)
        return client_ip(request) or "unknown"


class TokenView(APIView):
    """`POST` username and password (and `otp` for officials when two-factor is required) to get a new
    token for the header `Authorization: Token <token>`, valid until `expires_at`. `DELETE` (authenticated)
    revokes it. Tokens are listed and revoked on the user's page too."""

    serializer_class = TokenRequestSerializer
    throttle_classes = [TokenThrottle]

    def get_permissions(self):
        return [AllowAny()] if self.request.method == "POST" else [IsAuthenticated()]

    def get_authenticators(self):
        # A login form must not demand a CSRF token from a stale browser session, so POST authenticates
        # nobody; DELETE needs the token (or session) it revokes.
        if getattr(self, "request", None) is not None and self.request.method == "POST":
            return []
        return super().get_authenticators()

    @extend_schema(
        request=TokenRequestSerializer,
        responses={200: TokenResponseSerializer, 400: OpenApiTypes.OBJECT},
        auth=[],
        summary=_("获取令牌"),
        tags=["auth"],
    )
    def post(self, request):
        serializer = TokenRequestSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        user = serializer.validated_data["user"]
        token, key = issue_token(user=user, name=request.headers.get("User-Agent", ""))
        user_logged_in.send(sender=user.__class__, request=request._request, user=user)
        return Response(TokenResponseSerializer({"token": key, "expires_at": token.expires_at}).data)

    @extend_schema(request=None, responses={204: None}, summary=_("注销令牌"), tags=["auth"])
    def delete(self, request):
        """Revokes the token that authenticated this request (with a session: all of the user's tokens)."""
        if isinstance(request.auth, ApiToken):
            revoke_token(token=request.auth)
        else:
            revoke_all(user=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


extra_urls = [path("auth/token/", TokenView.as_view(), name="api-token")]


# --- users ----------------------------------------------------------------------------------------------


@extend_schema_field(OpenApiTypes.STR)
class AreaPathLabelField(serializers.ReadOnlyField):
    """The grant's area with its nearest ancestors, as on the pages ("东城街道 › 东大街社区 › 第一网格").
    Lists label all their areas at once (`label_grant_areas`); a single grant costs one query."""

    def __init__(self, **kwargs):
        kwargs.setdefault("help_text", _("授权区域及其上级路径，如“东城街道 › 东大街社区 › 第一网格”"))
        super().__init__(source="area", **kwargs)

    def to_representation(self, area) -> str:
        if not hasattr(area, "path_label"):
            with_path_labels([area])
        return area.path_label


def label_grant_areas(grants) -> None:
    """The path labels of all these grants' areas in one query (areas.selectors.with_path_labels)."""
    with_path_labels(grant.area for grant in grants)


class GrantBriefSerializer(serializers.ModelSerializer):
    role_label = serializers.CharField(source="get_role_display", read_only=True)
    area_name = serializers.CharField(source="area.name", read_only=True)
    area_path_label = AreaPathLabelField()

    class Meta:
        model = RoleGrant
        fields = ["id", "role", "role_label", "area", "area_name", "area_path_label"]


class UserSerializer(serializers.ModelSerializer):
    """A user as the viewer may see them: grants only inside the viewer's scope, the phone number masked
    (138****5678) unless the viewer asks (`?unmasked=true`) and may see it (accounts/pii.py: themself, or
    people.view_pii on the person's home or role area) — then the read is audited."""

    phone = serializers.SerializerMethodField(help_text=_("手机号（默认脱敏）"))
    unmasked = serializers.SerializerMethodField(help_text=_("本条记录的手机号是否为完整值"))
    home_area_name = serializers.CharField(source="home_area.name", read_only=True, default=None)
    grants = GrantBriefSerializer(source="visible_grants", many=True, read_only=True)

    class Meta:
        model = User
        fields = [
            "id",
            "username",
            "full_name",
            "phone",
            "home_area",
            "home_area_name",
            "identity_verified",
            "verified_at",
            "is_active",
            "grants",
            "unmasked",
        ]

    def _unmasked(self, obj) -> bool:
        request = self.context.get("request")
        if request is None or not self.context.get("unmask") or not obj.phone:
            return False
        return may_unmask_user(request.user, obj)

    def get_unmasked(self, obj) -> bool:
        return self._unmasked(obj)

    def get_phone(self, obj) -> str:
        return obj.phone if self._unmasked(obj) else mask_phone(obj.phone)


@extend_schema_view(list=extend_schema(parameters=[UNMASKED]), retrieve=extend_schema(parameters=[UNMASKED]))
class UserViewSet(PostSearchMixin, UnmaskedReadsMixin, ScopedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    """Users with a grant or a home area inside your "accounts.view" scope. A search by phone number goes
    by `POST /api/users/search/` (`{"q": …}`); in `?q=` a number is refused (api/search.py)."""

    queryset = User.objects.all()
    serializer_class = UserSerializer
    filterset_class = UserFilter
    view_permission = "accounts.view"
    unmasked_export_label = _("API：用户手机号（未脱敏）")

    def scope_queryset(self, queryset):
        viewer = self.request.user
        # The home areas fetched for the page's users (one query by id), not joined: a join made PostgreSQL
        # look up the home area of every user in scope before sorting them for the page (session 13).
        return (
            queryset.filter(users_in_scope_q(viewer, self.view_permission))
            .prefetch_related("home_area", prefetch_visible_grants(viewer))
            .order_by("full_name", "username", "pk")
        )

    def is_own(self, row: dict) -> bool:
        return row["id"] == self.request.user.pk

    def paginate_queryset(self, queryset):
        page = super().paginate_queryset(queryset)
        if page is not None:
            label_grant_areas(grant for user in page for grant in user.visible_grants)
        return page


# --- grants ---------------------------------------------------------------------------------------------


class GrantSerializer(serializers.ModelSerializer):
    role_label = serializers.CharField(source="get_role_display", read_only=True)
    user_name = serializers.CharField(source="user.display_name", read_only=True)
    area_name = serializers.CharField(source="area.name", read_only=True)
    area_path_label = AreaPathLabelField()
    user = ScopedPrimaryKeyRelatedField(
        queryset=User.objects.all(), scope=lambda viewer: users_in_scope(viewer)
    )
    area = ScopedPrimaryKeyRelatedField(
        queryset=Area.objects.all(), permission="accounts.view", help_text=_("授权区域，覆盖其全部下级")
    )

    class Meta:
        model = RoleGrant
        fields = [
            "id",
            "user",
            "user_name",
            "role",
            "role_label",
            "area",
            "area_name",
            "area_path_label",
            "granted_by",
            "created_at",
        ]
        read_only_fields = ["granted_by", "created_at"]
        validators = []  # the service reports a duplicate grant, in Chinese, on the role field


class GrantViewSet(
    ScopedViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    """Role grants inside your "accounts.view" scope. Creating one grants the role (only roles at or below
    your own, only inside your scope); deleting one revokes it (never one ranked above yours)."""

    queryset = RoleGrant.objects.select_related("user", "area").order_by("area__path", "role", "pk")
    serializer_class = GrantSerializer
    filterset_class = GrantFilter
    view_permission = "accounts.view"
    change_permission = "accounts.grant"

    def paginate_queryset(self, queryset):
        page = super().paginate_queryset(queryset)
        if page is not None:
            label_grant_areas(page)
        return page

    def perform_create(self, serializer):
        data = serializer.validated_data
        try:
            serializer.instance = grant_role(
                grantor=self.request.user, user=data["user"], role=data["role"], area=data["area"]
            )
        except GrantRefused as exc:
            if exc.is_escalation or exc.reason == "out_of_scope":
                raise PermissionDenied(exc.message_text, code=exc.reason) from exc
            raise

    def perform_destroy(self, instance):
        try:
            revoke_grant(grantor=self.request.user, grant=instance)
        except GrantRefused as exc:
            raise PermissionDenied(exc.message_text, code=exc.reason) from exc


# --- verification requests ------------------------------------------------------------------------------


class VerificationSerializer(serializers.ModelSerializer):
    area_name = serializers.CharField(source="area.name", read_only=True)
    state_label = serializers.CharField(read_only=True)

    class Meta:
        model = ResidentVerification
        fields = [
            "id",
            "user",
            "full_name",
            "area",
            "area_name",
            "state",
            "state_label",
            "reason",
            "submitted_at",
            "decided_at",
        ]
        read_only_fields = fields


class ResubmitInput(serializers.Serializer):
    full_name = serializers.CharField(max_length=50)
    phone = serializers.CharField(max_length=20)
    area = ScopedPrimaryKeyRelatedField(
        queryset=Area.objects.all(),
        scope=lambda user: address_areas(),
        help_text=_("居住地址：院落、小区或楼栋的 id"),
    )


def _resubmit(view, record, *, actor, comment, attachments, **fields):
    resubmit_verification(record, actor=actor, comment=comment, **fields)


class VerificationViewSet(ScopedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    """Real-name verification requests: verifiers ("accounts.verify_resident") see those of their areas, a
    resident their own. Steps at `…/{id}/transitions/{name}/`: verify, reject (`comment` = the reason) by
    the community's verifiers; resubmit (`full_name`, `phone`, `area`) by the resident after a return."""

    queryset = ResidentVerification.objects.select_related("area").order_by("-submitted_at", "-pk")
    serializer_class = VerificationSerializer
    filterset_class = VerificationFilter
    view_permission = "accounts.verify_resident"
    transition_forms = {"resubmit": StepForm(ResubmitInput, _resubmit)}

    def scope_queryset(self, queryset):
        return queryset.filter(pk__in=ResidentVerification.visible_to(self.request.user).values("pk"))


def register(router) -> None:
    router.register("users", UserViewSet, basename="user")
    router.register("grants", GrantViewSet, basename="grant")
    router.register("verifications", VerificationViewSet, basename="verification")
