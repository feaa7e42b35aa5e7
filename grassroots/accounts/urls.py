from django.contrib.auth import views as auth_views
from django.urls import path

from grassroots.accounts.views import auth

app_name = "accounts"

# --- sign in, password, two-factor, language (views/auth.py) ---
auth_urls = [
    path("login/", auth_views.LoginView.as_view(template_name="accounts/login.html"), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("two-factor/", auth.two_factor, name="two_factor"),
]

# --- resident registration and real-name verification (views/verification.py) ---
verification_urls: list = []

# --- users and role grants (views/grants.py) ---
grant_urls: list = []

urlpatterns = auth_urls + verification_urls + grant_urls
