"""Pipelines and their ordered stages."""

from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from dealtrack.core.models import TimeStamped
from dealtrack.pipelines.choices import StageKind


class Pipeline(TimeStamped):
    """A sales process (by product line, region, new vs renewal) with its own ordered stages."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    position = models.PositiveIntegerField(_("position"), default=0)
    is_default = models.BooleanField(_("default"), default=False)
    is_archived = models.BooleanField(_("archived"), default=False)

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("pipeline")
        verbose_name_plural = _("pipelines")

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        # Names shipped by templates are msgids, so they show in the reader's language.
        return gettext(self.name)


class Stage(TimeStamped):
    """A step of a pipeline: win probability, rotting limit, fields required to enter it and an SOP."""

    pipeline = models.ForeignKey(Pipeline, verbose_name=_("pipeline"), on_delete=models.CASCADE, related_name="stages")
    name = models.CharField(_("name"), max_length=100)
    position = models.PositiveIntegerField(_("position"), default=0)
    kind = models.CharField(_("kind"), max_length=8, choices=StageKind.choices, default=StageKind.OPEN)
    probability = models.PositiveSmallIntegerField(
        _("win probability (%)"), default=10, validators=[MinValueValidator(0), MaxValueValidator(100)]
    )
    rotting_days = models.PositiveIntegerField(_("rotting after (days)"), null=True, blank=True)
    required_fields = models.JSONField(_("required fields"), default=list, blank=True)
    checklist = models.JSONField(_("checklist"), default=list, blank=True)

    class Meta:
        ordering = ["pipeline_id", "position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["pipeline", "name"], name="unique_stage_name_per_pipeline"),
        ]
        verbose_name = _("stage")
        verbose_name_plural = _("stages")

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        return gettext(self.name)

    @property
    def is_closed(self) -> bool:
        return self.kind in (StageKind.WON, StageKind.LOST)
