from __future__ import annotations

from django.utils.translation import gettext as _


class StaleVersionError(Exception):
    """Someone saved the record after the caller read it; nothing was written."""

    def __init__(self, current_version: int) -> None:
        self.current_version = current_version
        super().__init__(
            _(
                "Someone else saved this record first (now version %(v)d). Nothing was overwritten; "
                "reload to see their change."
            )
            % {"v": current_version}
        )
