from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ActivitiesConfig(AppConfig):
    name = "dealtrack.activities"
    label = "activities"
    verbose_name = _("Activities")

    def ready(self) -> None:
        from dealtrack.activities.totals import forget_deals
        from dealtrack.deals.signals import deals_deleting

        deals_deleting.connect(forget_deals, dispatch_uid="activities.totals")
