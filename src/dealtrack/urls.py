from django.contrib import admin
from django.urls import include, path

from dealtrack.api.v1 import api as api_v1

urlpatterns = [
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("imports/", include("dealtrack.imports.urls")),
    path("api/v1/", api_v1.urls),
    path("reports/", include("dealtrack.reports.urls")),
    path("", include("dealtrack.core.urls")),
    path("", include("dealtrack.tasks.urls")),
    path("", include("dealtrack.deals.urls")),
    path("", include("dealtrack.customers.urls")),
    path("", include("dealtrack.activities.urls")),
    path("settings/", include("dealtrack.pipelines.urls")),
]
