from django.urls import path

from dealtrack.imports import views

app_name = "imports"

urlpatterns = [
    path("", views.import_list, name="list"),
    path("<int:pk>/", views.import_detail, name="detail"),
    path("<int:pk>/progress/", views.import_progress, name="progress"),
    path("<int:pk>/rejected.xlsx", views.rejected_rows, name="rejected"),
    path("templates/<slug:key>.xlsx", views.template_download, name="template"),
    path("export/<str:entity>.<str:fmt>", views.export_entity, name="export"),
    path("export-all.zip", views.export_all, name="export_all"),
]
