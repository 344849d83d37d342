from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    ADMIN = "admin", _("Admin")
    MANAGER = "manager", _("Manager")
    REP = "rep", _("Sales rep")


class CustomFieldEntity(models.TextChoices):
    DEAL = "deal", _("Deal")
    COMPANY = "company", _("Company")
    CONTACT = "contact", _("Contact")


class CustomFieldType(models.TextChoices):
    TEXT = "text", _("Text")
    NUMBER = "number", _("Number")
    MONEY = "money", _("Money")
    DATE = "date", _("Date")
    CHOICE = "choice", _("Choice")
    MULTI_CHOICE = "multi_choice", _("Multiple choice")
    USER = "user", _("User")
    BOOLEAN = "boolean", _("Yes/no")
