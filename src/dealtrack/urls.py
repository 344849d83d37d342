from django.contrib import admin
from django.urls import include, path

from dealtrack.api.v1 import api as api_v1

urlpatterns = [
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/v1/", api_v1.urls),
    path("", include("dealtrack.core.urls")),
]
