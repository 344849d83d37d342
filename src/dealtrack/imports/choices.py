from django.db import models
from django.utils.translation import gettext_lazy as _


class ImportEntity(models.TextChoices):
    DEALS = "deals", _("Deals")
    COMPANIES = "companies", _("Companies")
    CONTACTS = "contacts", _("Contacts")
    ACTIVITIES = "activities", _("Activities")
    PRODUCTS = "products", _("Products")
    USERS = "users", _("Users and teams")


class ImportStatus(models.TextChoices):
    UPLOADED = "uploaded", _("Uploaded")
    VALIDATING = "validating", _("Validating")
    VALIDATED = "validated", _("Checked")
    RUNNING = "running", _("Importing")
    DONE = "done", _("Imported")
    FAILED = "failed", _("Not imported")


ACTIVE_STATUSES = (ImportStatus.VALIDATING, ImportStatus.RUNNING)
