"""Users, teams, roles, currencies and custom field definitions: what every other domain app refers to."""

from __future__ import annotations

from decimal import Decimal

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from dealtrack.core.choices import CustomFieldEntity, CustomFieldType, Role


class TimeStamped(models.Model):
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        abstract = True


class Team(TimeStamped):
    """A sales team. Teams nest: a manager of a team also manages every team below it."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent team"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    manager = models.ForeignKey(
        "core.User",
        verbose_name=_("manager"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="managed_teams",
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("team")
        verbose_name_plural = _("teams")

    def __str__(self) -> str:
        return self.name


class User(AbstractUser):
    """A person in the organisation. Sales reps belong to one team; the role decides what they see."""

    display_name = models.CharField(_("name"), max_length=150, blank=True)
    role = models.CharField(_("role"), max_length=16, choices=Role.choices, default=Role.REP)
    team = models.ForeignKey(
        Team,
        verbose_name=_("team"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="members",
    )
    language = models.CharField(_("language"), max_length=10, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)

    class Meta:
        ordering = ["username"]
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return self.display_name or self.get_full_name() or self.username

    @property
    def is_admin(self) -> bool:
        return self.role == Role.ADMIN or self.is_superuser

    @property
    def is_manager(self) -> bool:
        return self.role == Role.MANAGER


class Currency(models.Model):
    """A currency deals may be valued in, with its rate into the base currency (CNY)."""

    code = models.CharField(_("code"), max_length=3, primary_key=True)
    name = models.CharField(_("name"), max_length=50)
    rate_to_base = models.DecimalField(_("rate to base currency"), max_digits=14, decimal_places=6, default=Decimal(1))

    class Meta:
        ordering = ["code"]
        verbose_name = _("currency")
        verbose_name_plural = _("currencies")

    def __str__(self) -> str:
        return self.code


class CustomFieldDefinition(TimeStamped):
    """A typed field an admin adds to deals, companies or contacts; values live in each record's `custom`."""

    entity = models.CharField(_("applies to"), max_length=16, choices=CustomFieldEntity.choices)
    key = models.SlugField(_("key"), max_length=50)
    label = models.CharField(_("label"), max_length=100)
    field_type = models.CharField(_("type"), max_length=16, choices=CustomFieldType.choices)
    choices = models.JSONField(_("choices"), default=list, blank=True)
    required = models.BooleanField(_("required"), default=False)
    position = models.PositiveIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["entity", "position", "id"]
        constraints = [models.UniqueConstraint(fields=["entity", "key"], name="unique_custom_field_key")]
        verbose_name = _("custom field")
        verbose_name_plural = _("custom fields")

    def __str__(self) -> str:
        return self.label


class PeriodicJobRun(models.Model):
    """One row per (job, period) the scheduler enqueued: the unique key makes a second enqueue a no-op."""

    job = models.CharField(max_length=64)
    period = models.CharField(max_length=32)
    enqueued_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-enqueued_at"]
        constraints = [models.UniqueConstraint(fields=["job", "period"], name="unique_job_period")]

    def __str__(self) -> str:
        return f"{self.job}@{self.period}"


class ApiToken(models.Model):
    """A personal API token. Only a SHA-256 hash is stored; the token itself is shown once at creation."""

    class Scope(models.TextChoices):
        READ = "read", _("Read")
        READ_WRITE = "read_write", _("Read and write")

    user = models.ForeignKey(User, verbose_name=_("user"), on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("name"), max_length=100, blank=True)
    prefix = models.CharField(max_length=12, db_index=True)
    token_hash = models.CharField(max_length=64, unique=True)
    scope = models.CharField(_("scope"), max_length=12, choices=Scope.choices, default=Scope.READ_WRITE)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.user})"


class SavedView(TimeStamped):
    """A named list view (filters, sort, columns as a query string) a user saved, optionally shared with their team."""

    owner = models.ForeignKey(User, verbose_name=_("owner"), on_delete=models.CASCADE, related_name="saved_views")
    list_key = models.CharField(_("list"), max_length=32)
    name = models.CharField(_("name"), max_length=100)
    query = models.TextField(_("query"), blank=True)
    shared = models.BooleanField(_("shared with my team"), default=False)

    class Meta:
        ordering = ["list_key", "name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["owner", "list_key", "name"], name="unique_saved_view_name"),
        ]
        verbose_name = _("saved view")
        verbose_name_plural = _("saved views")

    def __str__(self) -> str:
        return self.name
