from django.contrib.auth import views as auth_views
from django.urls import path

from dealtrack.core.views import lists, pages, people, profile, search

urlpatterns = [
    path("login/", auth_views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("healthz", pages.healthz, name="healthz"),
    path("", pages.home, name="home"),
    path("search/", search.search, name="search"),
    path("views/save/", lists.save_view, name="save_list_view"),
    path("profile/", profile.profile, name="profile"),
    path("settings/", people.settings_home, name="settings_home"),
    path("settings/users/", people.user_list, name="settings_users"),
    path("settings/users/new/", people.user_create, name="settings_user_create"),
    path("settings/users/<int:pk>/", people.user_edit, name="settings_user_edit"),
    path("settings/teams/", people.team_list, name="settings_teams"),
    path("settings/teams/<int:pk>/", people.team_edit, name="settings_team_edit"),
    path("settings/custom-fields/", people.custom_field_list, name="settings_custom_fields"),
    path("settings/custom-fields/<int:pk>/", people.custom_field_edit, name="settings_custom_field_edit"),
    path("profile/tokens/", profile.api_tokens, name="api-tokens"),
    path("profile/tokens/<int:token_id>/revoke/", profile.revoke_token, name="revoke-api-token"),
]
