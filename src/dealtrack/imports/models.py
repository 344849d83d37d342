"""Import jobs (one uploaded file, its mapping, progress and outcome) and saved column mappings."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from dealtrack.core.models import TimeStamped
from dealtrack.imports.choices import ACTIVE_STATUSES, ImportEntity, ImportStatus


class ImportJob(TimeStamped):
    """One uploaded file imported into one entity.

    `mapping` is {source column header: canonical field}; `errors` holds row-level problems as
    {row, column, value, message}; `notes` what the importer did about quirks of the data. Counts and
    progress are updated by the background task, so the page can poll them.
    """

    entity = models.CharField(_("import as"), max_length=12, choices=ImportEntity.choices)
    status = models.CharField(_("status"), max_length=12, choices=ImportStatus.choices, default=ImportStatus.UPLOADED)
    original_name = models.CharField(_("file"), max_length=255)
    stored_path = models.CharField(max_length=500)
    file_size = models.PositiveBigIntegerField(_("size"), default=0)
    mapping = models.JSONField(_("mapping"), default=dict, blank=True)
    options = models.JSONField(_("options"), default=dict, blank=True)
    total_rows = models.PositiveIntegerField(_("rows"), default=0)
    processed_rows = models.PositiveIntegerField(default=0)
    created_count = models.PositiveIntegerField(_("created"), default=0)
    updated_count = models.PositiveIntegerField(_("updated"), default=0)
    unchanged_count = models.PositiveIntegerField(_("unchanged"), default=0)
    rejected_count = models.PositiveIntegerField(_("rejected"), default=0)
    errors = models.JSONField(default=list, blank=True)
    notes = models.JSONField(default=list, blank=True)
    message = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="import_jobs",
    )
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("import")
        verbose_name_plural = _("imports")

    def __str__(self) -> str:
        return f"{self.original_name} → {self.get_entity_display()}"

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE_STATUSES

    @property
    def percent(self) -> int:
        if not self.total_rows:
            return 100 if self.status in (ImportStatus.DONE, ImportStatus.FAILED) else 0
        return min(100, self.processed_rows * 100 // self.total_rows)


class MappingPreset(TimeStamped):
    """A saved column mapping ({source header: canonical field}) for files of the same shape."""

    name = models.CharField(_("name"), max_length=100)
    entity = models.CharField(_("import as"), max_length=12, choices=ImportEntity.choices)
    mapping = models.JSONField(_("mapping"), default=dict)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["entity", "name"]
        constraints = [models.UniqueConstraint(fields=["entity", "name"], name="unique_mapping_preset")]
        verbose_name = _("mapping preset")
        verbose_name_plural = _("mapping presets")

    def __str__(self) -> str:
        return self.name
