from django.urls import path

from dealtrack.reports import views

app_name = "reports"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("pipeline-change/", views.pipeline_change_view, name="pipeline_change"),
    path("retention/", views.retention_view, name="retention"),
    path("team/", views.team_view, name="team"),
    path("goals/", views.goals_view, name="goals"),
    path("forecast/", views.forecast_view, name="forecast"),
]
