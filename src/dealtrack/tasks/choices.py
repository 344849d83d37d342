from django.db import models
from django.utils.translation import gettext_lazy as _


class TaskStatus(models.TextChoices):
    OPEN = "open", _("Open")
    DONE = "done", _("Done")
    SNOOZED = "snoozed", _("Snoozed")
    CANCELLED = "cancelled", _("Cancelled")


ACTIVE_STATUSES = (TaskStatus.OPEN, TaskStatus.SNOOZED)
