"""Sign in, sign out, password change and reset (Django's views with our templates), and the two-factor
page for officials. The language switch is Django's `set_language` at /i18n/setlang/ (a cookie)."""

import re

import qrcode
import qrcode.image.svg
from django import forms
from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse_lazy
from django.utils.html import escape
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache

from grassroots.accounts import lockout
from grassroots.accounts.services import two_factor as otp
from grassroots.accounts.services.tokens import credentials_changed
from grassroots.audit.models import AuditEvent
from grassroots.audit.services import record_access


class BootstrapFormMixin:
    """Give the auth forms Bootstrap classes, with `is-invalid` on the fields that carry an error."""

    def get_form(self, form_class=None):
        return style(super().get_form(form_class))

    def form_invalid(self, form):
        return super().form_invalid(style(form))


def style(form: forms.Form) -> forms.Form:
    """Bootstrap classes; `is-invalid` on fields with errors once the form has been validated (reading
    the already computed errors only, never triggering validation)."""
    errors = form._errors or {}
    for name, field in form.fields.items():
        field.widget.attrs["class"] = "form-control is-invalid" if name in errors else "form-control"
    return form


class LoginView(BootstrapFormMixin, auth_views.LoginView):
    template_name = "accounts/login.html"


class LogoutView(auth_views.LogoutView):
    """Signing out on the web ends the user's API tokens too (services/tokens.py)."""

    def post(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            credentials_changed(users=[request.user.pk])
        return super().post(request, *args, **kwargs)


class PasswordChangeView(BootstrapFormMixin, auth_views.PasswordChangeView):
    template_name = "accounts/password_change_form.html"
    success_url = reverse_lazy("accounts:password_change_done")

    def form_valid(self, form):
        response = super().form_valid(form)
        record_access(kind=AuditEvent.Kind.PASSWORD_CHANGED, user=form.user, request=self.request)
        return response


class PasswordResetView(BootstrapFormMixin, auth_views.PasswordResetView):
    template_name = "accounts/password_reset_form.html"
    email_template_name = "accounts/password_reset_email.html"
    subject_template_name = "accounts/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password_reset_done")


class PasswordResetConfirmView(BootstrapFormMixin, auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_complete")

    def form_valid(self, form):
        response = super().form_valid(form)
        record_access(kind=AuditEvent.Kind.PASSWORD_CHANGED, user=form.user, request=self.request)
        return response


password_change_done = auth_views.PasswordChangeDoneView.as_view(
    template_name="accounts/password_change_done.html"
)
password_reset_done = auth_views.PasswordResetDoneView.as_view(
    template_name="accounts/password_reset_done.html"
)
password_reset_complete = auth_views.PasswordResetCompleteView.as_view(
    template_name="accounts/password_reset_complete.html"
)


# --- two-factor --------------------------------------------------------------------------------------------


class TokenForm(forms.Form):
    token = forms.CharField(
        label=_("验证码"),
        max_length=20,
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "inputmode": "text",
                "autofocus": True,
                "class": "form-control",
            }
        ),
        help_text=_("身份验证器应用显示的 6 位数字，或一个备用码。"),
    )


WRONG_CODE = _("验证码不正确，请核对身份验证器应用中当前显示的 6 位数字后重试。")
LOCKED = _("尝试次数过多，请稍等片刻再试。")


def _next_url(request) -> str:
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return resolve_url(settings.LOGIN_REDIRECT_URL)


def _qr_svg(data: str) -> str:
    svg = qrcode.make(data, image_factory=qrcode.image.svg.SvgPathImage, border=2).to_string(
        encoding="unicode"
    )
    label = escape(gettext("两步验证二维码"))
    svg = re.sub(
        r'\swidth="[^"]+" height="[^"]+"',
        f' width="220" height="220" role="img" aria-label="{label}"',
        svg,
        count=1,
    )
    return mark_safe(svg)  # generated by qrcode from our own data, no user input reaches the markup


@never_cache
@login_required
def two_factor(request):
    """Officials confirm a one-time code here: enrolment (QR code, secret, backup codes) the first time,
    then a code from the app (or a backup code) at every sign-in."""
    next_url = _next_url(request)
    if request.user.is_verified():
        return redirect(next_url)
    enrolling = otp.confirmed_totp_device(request.user) is None
    form = TokenForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        token = form.cleaned_data["token"]
        username = request.user.get_username()
        if lockout.is_locked_out(request, username):  # the same limits as the password step
            form.add_error("token", lockout.locked_message(request, username))
            status = 429
        elif enrolling:
            device = otp.pending_totp_device(user=request.user)
            result, codes = otp.confirm_enrolment(request=request, device=device, token=token)
            if result.device is not None:
                context = {"codes": codes, "next": next_url}
                return render(request, "accounts/two_factor_backup_codes.html", context)
        else:
            result = otp.verify_code(request=request, token=token)
            if result.device is not None:
                return redirect(next_url)
        if status == 200:
            lockout.record_failure(request, username)
            form.add_error("token", LOCKED if result.locked else WRONG_CODE)
    style(form)
    context = {"form": form, "next": next_url, "enrolling": enrolling}
    if enrolling:
        device = otp.pending_totp_device(user=request.user)
        context.update(qr_svg=_qr_svg(device.config_url), secret=otp.secret_base32(device))
    return render(request, "accounts/two_factor.html", context, status=status)
