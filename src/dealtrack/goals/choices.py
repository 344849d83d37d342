from django.db import models
from django.utils.translation import gettext_lazy as _


class QuotaMetric(models.TextChoices):
    VALUE = "value", _("Won value")
    COUNT = "count", _("Deals won")
