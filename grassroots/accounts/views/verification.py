"""Resident registration and real-name verification pages: the public registration form (with the address
chosen by community, then courtyard/compound/building through htmx), the verifiers' queue, a request's page
with its timeline and buttons, and the resident's resubmission after a rejection. Verify and reject are
posted to the generic workflow view (`workflow:transition`) by the buttons of the request's page."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth import login, password_validation
from django.contrib.auth.forms import UserCreationForm
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from grassroots.access.scoping import has_perm
from grassroots.accounts.exports import verification_rows, with_addresses
from grassroots.accounts.models import ResidentVerification, User, VerificationState, may_verify
from grassroots.accounts.pii import mask_phone
from grassroots.accounts.selectors import VERIFY
from grassroots.accounts.services.verification import (
    address_areas,
    address_label,
    ancestors_of,
    phone_validator,
    register_resident,
    resubmit_verification,
)
from grassroots.accounts.views.grants import official_login_required
from grassroots.areas.models import Area, Level
from grassroots.areas.subtree import under_q
from grassroots.audit.actor import log_access
from grassroots.ids import as_id
from grassroots.pages import paginate
from grassroots.workflow.selectors import available_transitions
from grassroots.workflow.services import TransitionRefused

QUEUE_PAGE_SIZE = 30


# --- forms ------------------------------------------------------------------------------------------------
def community_choices() -> list:
    """Live communities grouped by county and street (two queries)."""
    communities = list(Area.objects.filter(level=Level.COMMUNITY, retired=False).order_by("path"))
    ancestors = ancestors_of(communities)
    groups: dict[str, list] = {}
    for community in communities:
        parents = [ancestors.get(community.path[: i * Area.steplen]) for i in (2, 3)]
        group = " ".join(a.name for a in parents if a is not None)
        groups.setdefault(group, []).append((community.pk, community.name))
    return [("", gettext_lazy("请选择社区")), *groups.items()]


def address_choices(community: Area | None) -> list:
    """The courtyards, compounds and buildings of a community, labelled from the grid down (two queries)."""
    if community is None:
        return [("", gettext_lazy("请先选择社区"))]
    areas = list(address_areas().filter(under_q(community.path, "path")).order_by("path"))
    ancestors = ancestors_of(areas)
    labels = [(a.pk, address_label(a, ancestors, top=Level.GRID)) for a in areas]
    return [("", gettext_lazy("请选择院落、小区或楼栋")), *labels]


class AddressFields(forms.Form):
    """Name, phone and address (community first, then the courtyard/compound/building in it)."""

    full_name = forms.CharField(label=gettext_lazy("姓名"), max_length=50)
    phone = forms.CharField(
        label=gettext_lazy("手机号"),
        validators=[phone_validator],
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "tel", "maxlength": 11}),
    )
    community = forms.ModelChoiceField(
        label=gettext_lazy("所在社区"),
        queryset=Area.objects.filter(level=Level.COMMUNITY, retired=False),
    )
    area = forms.ModelChoiceField(
        label=gettext_lazy("居住地址（院落、小区或楼栋）"),
        queryset=Area.objects.none(),
        error_messages={"invalid_choice": gettext_lazy("请在所选社区中选择院落、小区或楼栋。")},
    )

    def _setup_address(self) -> None:
        community = self._chosen_community()
        self.fields["community"].choices = community_choices()
        if community is not None:
            self.fields["area"].queryset = address_areas().filter(under_q(community.path, "path"))
        self.fields["area"].choices = address_choices(community)
        self.fields["community"].widget.attrs.update(
            {
                "hx-get": reverse("accounts:register_areas"),
                "hx-target": "#id_area",
                "hx-trigger": "change",
                "hx-swap": "innerHTML",
            }
        )

    def _chosen_community(self) -> Area | None:
        value = self.data.get("community") if self.is_bound else self.initial.get("community")
        if isinstance(value, Area):
            return value
        if (pk := as_id(value)) is None:
            return None
        return Area.objects.filter(pk=pk, level=Level.COMMUNITY, retired=False).first()


# Django 5.2's zh_Hans catalog lacks some password validator messages (their msgids changed): say them here.
PASSWORD_MESSAGES = {
    "password_too_short": gettext_lazy("密码太短，至少需要 %(min_length)d 个字符。"),
    "password_too_common": gettext_lazy("这个密码太常见，请换一个。"),
    "password_entirely_numeric": gettext_lazy("密码不能全是数字。"),
    "password_too_similar": gettext_lazy("密码与%(verbose_name)s太相似。"),
}


class RegistrationForm(AddressFields, UserCreationForm):
    class Meta(UserCreationForm.Meta):
        model = User
        fields = ("username",)

    field_order = ["username", "full_name", "phone", "community", "area", "password1", "password2", "consent"]

    consent = forms.BooleanField(
        label=gettext_lazy("我已阅读并同意《个人信息处理规则》"),
        error_messages={"required": gettext_lazy("请阅读并同意《个人信息处理规则》后再注册。")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._setup_address()
        self.fields["consent"].help_text = format_html(
            '<a href="{}" target="_blank" rel="noopener">{}</a>',
            reverse("privacy:notice"),
            _("阅读《个人信息处理规则》：收集哪些信息、为什么、谁能看到、保存多久、您的权利"),
        )

    def validate_password_for_user(self, user, password_field_name="password2"):
        password = self.cleaned_data.get("password1")
        if not password:
            return
        try:
            password_validation.validate_password(password, user)
        except ValidationError as error:
            self.add_error(
                password_field_name,
                [
                    ValidationError(PASSWORD_MESSAGES[e.code], code=e.code, params=e.params)
                    if e.code in PASSWORD_MESSAGES
                    else e
                    for e in error.error_list
                ],
            )


class ResubmitForm(AddressFields):
    comment = forms.CharField(
        label=gettext_lazy("补充说明"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._setup_address()


# --- registration -----------------------------------------------------------------------------------------
def register(request):
    """Public registration of a resident: creates the account (resident of the chosen address) and the
    verification request, signs the new user in and shows the request."""
    if request.user.is_authenticated:
        return redirect("portal:home")
    form = RegistrationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        verification = register_resident(
            username=data["username"],
            password=data["password1"],
            full_name=data["full_name"],
            phone=data["phone"],
            area=data["area"],
            consent=True,
        )
        login(request, verification.user, backend="grassroots.accounts.backends.GrassrootsBackend")
        messages.success(request, _("注册成功。社区工作人员核验您的信息后，您就可以参与投票和签署。"))
        return redirect(verification.get_absolute_url())
    return render(request, "accounts/register.html", {"form": form})


@require_GET
def register_areas(request):
    """htmx: the address options of the chosen community."""
    community = None
    if community_id := as_id(request.GET.get("community")):
        community = Area.objects.filter(pk=community_id, level=Level.COMMUNITY, retired=False).first()
    return render(request, "accounts/register_areas.html", {"choices": address_choices(community)})


# --- verification -----------------------------------------------------------------------------------------
@official_login_required
def verification_queue(request):
    """The requests in the verifier's scope: pending ones oldest first (or ?state=verified|rejected, latest
    decisions first). Queries: the count, the page with users and areas, the addresses' ancestors."""
    if not has_perm(request.user, VERIFY):
        raise PermissionDenied(_("您没有实名核验的权限。"))
    state, requests = verification_rows(request)  # as its export (accounts/exports.py)
    page = paginate(request, requests, QUEUE_PAGE_SIZE)
    rows = with_addresses(page.object_list)
    context = {"page": page, "rows": rows, "state": state, "states": VerificationState.choices}
    return render(request, "accounts/verification_queue.html", context)


@official_login_required
def verification_detail(request, pk: int):
    """One request: the resident's details, the timeline, and the buttons the viewer may use. Visible to
    verifiers in scope and to the resident; anyone else gets 404."""
    verification = get_object_or_404(
        ResidentVerification.visible_to(request.user).select_related("user", "area", "decided_by"), pk=pk
    )
    is_owner = verification.user_id == request.user.pk
    # The one rule (accounts/pii.py), with the verifier's case: the resident sees their own number; those who
    # decide the request need it to reach the resident (an audited read); supervisors above see it masked.
    show_phone = is_owner or may_verify(verification, request.user)
    if show_phone and not is_owner:
        log_access(actor=request.user, instance=verification.user)
    context = {
        "verification": verification,
        "address": address_label(verification.area, ancestors_of([verification.area])),
        "is_owner": is_owner,
        "phone": verification.phone if show_phone else mask_phone(verification.phone),
    }
    return render(request, "accounts/verification_detail.html", context)


@official_login_required
def my_verification(request):
    """The signed-in resident's latest request."""
    latest = request.user.verifications.order_by("-created_at", "-pk").first()
    if latest is None:
        messages.info(request, _("您没有实名核验申请。"))
        return redirect("portal:home")
    return redirect(latest.get_absolute_url())


@official_login_required
def verification_resubmit(request, pk: int):
    """The resident corrects a rejected request and sends it again."""
    verification = get_object_or_404(
        ResidentVerification.visible_to(request.user).select_related("area"), pk=pk
    )
    if not any(t.name == "resubmit" for t in available_transitions(verification, request.user)):
        raise PermissionDenied(_("只有本人被退回的申请才能修改后重新提交。"))
    ancestors = ancestors_of([verification.area])
    community = next((a for a in ancestors.values() if a.level == Level.COMMUNITY), None)
    initial = {
        "full_name": verification.full_name,
        "phone": verification.phone,
        "community": community,
        "area": verification.area_id,
    }
    form = ResubmitForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            resubmit_verification(
                verification,
                actor=request.user,
                full_name=data["full_name"],
                phone=data["phone"],
                area=data["area"],
                comment=data["comment"],
            )
        except TransitionRefused as refused:
            context = {"message": refused.message, "back": verification.get_absolute_url()}
            return render(request, "workflow/refused.html", context, status=403)
        messages.success(request, _("已重新提交，请等待社区核验。"))
        return redirect(verification.get_absolute_url())
    context = {"form": form, "verification": verification}
    return render(request, "accounts/verification_resubmit.html", context)
