from django.db import models
from django.utils.translation import gettext_lazy as _


class CompanySize(models.TextChoices):
    MICRO = "1-10", _("1–10 employees")
    SMALL = "11-50", _("11–50 employees")
    MEDIUM = "51-200", _("51–200 employees")
    LARGE = "201-1000", _("201–1,000 employees")
    ENTERPRISE = "1000+", _("Over 1,000 employees")
