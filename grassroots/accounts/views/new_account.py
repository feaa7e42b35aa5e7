"""A new account with its first role, created by whoever may grant that role (services/accounts.py): the
operator sets up the first official of a new city this way, on the web."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from grassroots.accounts.roles import Role
from grassroots.accounts.services.accounts import create_account
from grassroots.accounts.services.grants import AreaOutOfScope, GrantRefused, grantable_roles
from grassroots.accounts.views.grants import GrantForm, official_login_required
from grassroots.pages import attach_errors


class AccountForm(GrantForm):
    username = forms.CharField(label=gettext_lazy("用户名"), max_length=150)
    full_name = forms.CharField(label=gettext_lazy("姓名"), max_length=50)
    phone = forms.CharField(label=gettext_lazy("手机号"), max_length=20, required=False)
    email = forms.EmailField(
        label=gettext_lazy("电子邮箱"), required=False, help_text=gettext_lazy("用于找回密码")
    )
    password1 = forms.CharField(
        label=gettext_lazy("初始密码"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=gettext_lazy("请当面或通过安全渠道告知本人，并请其登录后修改。"),
    )
    password2 = forms.CharField(
        label=gettext_lazy("再次输入初始密码"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    field_order = ["username", "full_name", "phone", "email", "role", "area", "password1", "password2"]

    def clean(self):
        data = super().clean()
        if data.get("password1") and data.get("password2") and data["password1"] != data["password2"]:
            self.add_error("password2", _("两次输入的密码不一致"))
        return data


@official_login_required
def account_create(request):
    viewer = request.user
    if not grantable_roles(viewer):
        raise PermissionDenied
    form = AccountForm(request.POST or None, viewer=viewer)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            try:
                user = create_account(
                    grantor=viewer,
                    username=data["username"],
                    password=data["password1"],
                    full_name=data["full_name"],
                    phone=data["phone"],
                    email=data["email"],
                    role=data["role"],
                    area=data["area"],
                )
            except AreaOutOfScope as exc:
                raise Http404 from exc
            except GrantRefused as exc:
                form.add_error(None, exc)
                status = 403 if exc.is_escalation else 400
            except ValidationError as exc:
                attach_errors(form, exc)
            else:
                grant = f"{Role(data['role']).label} · {data['area'].name}"
                message = _("已新建账号“%(name)s”，并授予“%(grant)s”。")
                messages.success(request, message % {"name": user.display_name, "grant": grant})
                return redirect("accounts:user_detail", pk=user.pk)
        elif "area" in form.errors and form.errors.as_data()["area"][0].code == "invalid_choice":
            raise Http404  # an area outside the viewer's scope looks like no area at all
    return render(request, "accounts/account_create.html", {"form": form}, status=status)
