from __future__ import annotations


class UnreadableFileError(Exception):
    """The file cannot be read as a spreadsheet; `str(error)` is a translated message for the user."""


def damaged_spreadsheet() -> UnreadableFileError:
    from django.utils.translation import gettext as _

    return UnreadableFileError(_("The file looks like an Excel file but is damaged; open and save it again."))
