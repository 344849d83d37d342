from django.contrib.auth import views as auth_views
from django.urls import path

from dealtrack.core import views

urlpatterns = [
    path("login/", auth_views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("healthz", views.healthz, name="healthz"),
    path("profile/tokens/", views.api_tokens, name="api-tokens"),
    path("profile/tokens/<int:token_id>/revoke/", views.revoke_token, name="revoke-api-token"),
    path("", views.home, name="home"),
]
