from django.db import models
from django.utils.translation import gettext_lazy as _


class DealStatus(models.TextChoices):
    OPEN = "open", _("Open")
    WON = "won", _("Won")
    LOST = "lost", _("Lost")


class Priority(models.TextChoices):
    LOW = "low", _("Low")
    NORMAL = "normal", _("Normal")
    HIGH = "high", _("High")
    URGENT = "urgent", _("Urgent")


class LeadGrade(models.TextChoices):
    HIGH = "high", _("High potential")
    MID = "mid", _("Medium potential")
    LOW = "low", _("Low potential")


class DealType(models.TextChoices):
    NEW = "new", _("New business")
    RENEWAL = "renewal", _("Renewal")
    EXPANSION = "expansion", _("Expansion")


class Health(models.TextChoices):
    GREEN = "green", _("On track")
    YELLOW = "yellow", _("Needs attention")
    RED = "red", _("At risk")


class ForecastCategory(models.TextChoices):
    PIPELINE = "pipeline", _("Pipeline")
    BEST_CASE = "best_case", _("Best case")
    COMMIT = "commit", _("Commit")
    CLOSED = "closed", _("Closed")
    OMITTED = "omitted", _("Omitted")


class EventType(models.TextChoices):
    CREATED = "created", _("Created")
    FIELD_CHANGED = "field_changed", _("Field changed")
    STAGE_CHANGED = "stage_changed", _("Stage changed")
    WON = "won", _("Won")
    LOST = "lost", _("Lost")
    REOPENED = "reopened", _("Reopened")
    OWNER_CHANGED = "owner_changed", _("Owner changed")
    ACTIVITY_LOGGED = "activity_logged", _("Activity logged")
    TASK_DONE = "task_done", _("Task done")
    COLLABORATOR_ADDED = "collaborator_added", _("Collaborator added")
    COLLABORATOR_REMOVED = "collaborator_removed", _("Collaborator removed")
