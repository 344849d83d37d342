from django.urls import path

from dealtrack.pipelines import views

app_name = "pipelines"
urlpatterns = [
    path("pipelines/", views.pipeline_list, name="pipeline_list"),
    path("pipelines/<int:pk>/", views.pipeline_detail, name="pipeline_detail"),
    path("pipelines/<int:pk>/stages/", views.stage_add, name="stage_add"),
    path("pipelines/<int:pk>/order/", views.stage_order, name="stage_order"),
    path("stages/<int:pk>/", views.stage_edit, name="stage_edit"),
]
