from django.db import models
from django.utils.translation import gettext_lazy as _


class StageKind(models.TextChoices):
    OPEN = "open", _("Open")
    WON = "won", _("Won")
    LOST = "lost", _("Lost")
    FRIDGE = "fridge", _("Fridge")
