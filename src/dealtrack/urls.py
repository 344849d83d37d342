from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("imports/", include("dealtrack.imports.urls")),
    path("", include("dealtrack.core.urls")),
]
