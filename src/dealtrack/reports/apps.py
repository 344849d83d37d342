from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "dealtrack.reports"
    label = "reports"
    verbose_name = _("Reports")

    def ready(self) -> None:
        from dealtrack.deals.signals import deals_deleting
        from dealtrack.reports.snapshot_totals import subtract_deals

        deals_deleting.connect(subtract_deals, dispatch_uid="reports.snapshot_totals")
