"""Reading uploaded spreadsheets into a header row and data rows, whatever the format and encoding.

`read_table` sniffs the format from the bytes (not the file name), refuses what it cannot read safely
with an `UnreadableFileError` carrying a message for the user, and never writes anything.
"""

from dealtrack.imports.parsing.errors import UnreadableFileError
from dealtrack.imports.parsing.table import Table, read_table

__all__ = ["Table", "UnreadableFileError", "read_table"]
