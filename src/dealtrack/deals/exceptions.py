from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from dealtrack.core.exceptions import StaleVersionError

__all__ = ["MissingRequiredFieldsError", "StaleVersionError"]


class MissingRequiredFieldsError(ValidationError):
    """The target stage needs fields the deal does not have yet; nothing was moved."""

    def __init__(self, missing: list[str], labels: list[str]) -> None:
        self.missing = missing
        self.labels = labels
        super().__init__(
            _("Fill in before moving to this stage: %(fields)s") % {"fields": ", ".join(labels)},
            code="missing_required_fields",
        )
