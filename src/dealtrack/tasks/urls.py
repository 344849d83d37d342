from django.urls import path

from dealtrack.tasks import views

app_name = "tasks"
urlpatterns = [
    path("today/", views.today, name="today"),
    path("tasks/<int:pk>/done/", views.complete, name="complete"),
    path("tasks/<int:pk>/snooze/", views.snooze, name="snooze"),
    path("deals/<int:deal_pk>/tasks/", views.create_for_deal, name="create_for_deal"),
]
