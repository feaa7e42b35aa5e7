from django.urls import path

from grassroots.accounts.views import auth, grants, lockouts, new_account, tokens, verification

app_name = "accounts"

# --- sign in, password, two-factor, language (views/auth.py) ---
auth_urls = [
    path("login/", auth.LoginView.as_view(), name="login"),
    path("logout/", auth.LogoutView.as_view(), name="logout"),
    path("two-factor/", auth.two_factor, name="two_factor"),
    path("password/change/", auth.PasswordChangeView.as_view(), name="password_change"),
    path("password/change/done/", auth.password_change_done, name="password_change_done"),
    path("password/reset/", auth.PasswordResetView.as_view(), name="password_reset"),
    path("password/reset/done/", auth.password_reset_done, name="password_reset_done"),
    path(
        "password/reset/<uidb64>/<token>/",
        auth.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path("password/reset/complete/", auth.password_reset_complete, name="password_reset_complete"),
]

# --- resident registration and real-name verification (views/verification.py) ---
verification_urls = [
    path("register/", verification.register, name="register"),
    path("register/areas/", verification.register_areas, name="register_areas"),
    path("verification/", verification.verification_queue, name="verification_queue"),
    path("verification/mine/", verification.my_verification, name="my_verification"),
    path("verification/<int:pk>/", verification.verification_detail, name="verification_detail"),
    path("verification/<int:pk>/resubmit/", verification.verification_resubmit, name="verification_resubmit"),
]

# --- users and role grants (views/grants.py) ---
grant_urls = [
    path("users/", grants.user_list, name="user_list"),
    path("users/new/", new_account.account_create, name="account_create"),
    path("users/<int:pk>/", grants.user_detail, name="user_detail"),
    path("users/<int:pk>/grants/", grants.grant_create, name="grant_create"),
    path("grants/<int:pk>/revoke/", grants.grant_revoke, name="grant_revoke"),
    path("grants/area-options/", grants.grant_area_options, name="grant_area_options"),
]

# --- sign-in lockouts, lifted by system admins (views/lockouts.py) ---
lockout_urls = [
    path("lockouts/", lockouts.lockout_list, name="lockouts"),
    path("lockouts/unlock/", lockouts.lockout_unlock, name="lockout_unlock"),
]

# --- API tokens: one's own, and revoking by admins (views/tokens.py) ---
token_urls = [
    path("tokens/", tokens.my_tokens, name="my_tokens"),
    path("tokens/<int:pk>/revoke/", tokens.token_revoke, name="token_revoke"),
]

urlpatterns = auth_urls + verification_urls + grant_urls + lockout_urls + token_urls
