"""The table as read from an officer's file, the accepted file kinds and the limits every reader holds to.

Limits are in one place so the app, the CLI and the tests quote the same figures.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from layout.errors import InputError

ENCODINGS = ("utf-8-sig", "gb18030")  # utf-8-sig reads plain UTF-8 too; GB18030 is a superset of GBK
TABLE_SUFFIXES = (".csv", ".xlsx")
MAX_UPLOAD_BYTES = 20 * 1024 * 1024  # the app's upload limit
MAX_UNZIPPED_BYTES = 200 * 1024 * 1024  # a workbook's XML, all parts, before any is parsed
MAX_CELLS = 1_000_000  # non-empty cells read from a workbook, all sheets (about 7 s to read at the limit)
MAX_COLUMNS = 500  # columns of a sheet (the right-most non-empty cell)
MAX_ROWS = 200_000  # rows of a sheet (the last row with a cell, or the count of its rows)
MAX_AREA = 5_000_000  # a sheet's used range, rows x columns: what reading it expands to
MAX_ZIP_RATIO = 100  # a part above ZIP_RATIO_FROM bytes packed tighter than this is padding, not data
ZIP_RATIO_FROM = 8 * 1024 * 1024  # (real sheet XML packs about 15:1, even a sheet of a million zeros)
MAX_COPY_CELLS = 200_000  # above this a workbook's result is a new workbook, not a copy (openpyxl's full load)
XLSX_MAX_ROWS = 1_048_576  # Excel's own limit


# --------------------------------------------------------------------------------------------
# The table as read


@dataclass
class Table:
    """A table as read from a file: text cells under the detected header, and what is needed to write it back.

    ``frame`` has one row per data row (every row kept, in order) and the header's names as columns (made
    unique). ``row_numbers`` gives each data row's number in the file (a CSV line, a sheet row), for
    messages. ``notes`` are (code, arguments) of what detection decided, for the caller to report.
    """

    frame: pd.DataFrame
    name: str
    kind: str  # "csv" or "xlsx"
    encoding: str  # "utf-8", "utf-8-sig", "gb18030" or "xlsx"
    header_row: int  # 1-based
    row_numbers: np.ndarray
    sheet: str | None = None
    sheets: list[str] = field(default_factory=list)
    source: bytes = b""
    records: list[str] | None = None  # CSV: every record's text (no line end), header included
    newline: str = "\n"
    notes: list[tuple[str, dict]] = field(default_factory=list)
    cells: int = 0
    formulas: list[str] = field(default_factory=list)  # XLSX: cells of the data rows that hold formulas ("C5")
    preamble: list[list[str]] = field(default_factory=list)  # XLSX: the rows above the header (titles), as text
    lines: Any = None  # CSV read by layout.tables.csv_lines: the data records' bytes (Arrow), records the head

    def __iter__(self):
        """``frame, encoding = read_table(path)``: the older two-value form, kept for callers that use it."""
        return iter((self.frame, self.encoding))


@dataclass(frozen=True)
class TextTable:
    """A CSV decoded to text, with how it was encoded."""

    text: str
    encoding: str  # "utf-8", "utf-8-sig" (with BOM) or "gb18030"


def check_suffix(name: str) -> str:
    """The lower-case suffix of ``name`` if it is .csv or .xlsx; raise InputError otherwise."""
    suffix = Path(name).suffix.lower()
    if suffix not in TABLE_SUFFIXES:
        raise InputError(
            f"{name}: the file type should be .csv or .xlsx, got {suffix or 'no suffix'!r}",
            code="file_type",
            name=name,
            suffix=suffix or "（无）",
        )
    return suffix
