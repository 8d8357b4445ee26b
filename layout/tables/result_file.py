"""The batch check's download: the officer's own file with the result columns added, as bytes.

The app and any caller that holds an uploaded file's bytes use these; writing to a path is
:func:`layout.tables.write.write_result`.
"""

from __future__ import annotations

import pandas as pd

from layout.errors import InputError
from layout.tables.batch import classify_table
from layout.tables.read import read_table_bytes
from layout.tables.table import Table
from layout.tables.write import result_csv_bytes, result_xlsx_bytes

__all__ = ["RESULT_FORMATS", "check_file_bytes", "result_file_bytes"]

RESULT_FORMATS = ("csv", "xlsx")  # CSV is UTF-8 with a BOM (Excel opens it as Chinese text)


def result_file_bytes(table: Table, added: pd.DataFrame, *, fmt: str) -> bytes:
    """The table with ``added`` (the batch check's columns) appended, in the officer's own layout.

    Parameters
    ----------
    table
        The file as read (:func:`layout.tables.read.read_table_bytes`).
    added
        :attr:`layout.tables.batch.BatchResult.added`, one row per data row of ``table``.
    fmt
        "csv" or "xlsx".

    Raises
    ------
    InputError
        ``fmt`` is not one of :data:`RESULT_FORMATS`.
    """
    if fmt == "xlsx":
        return result_xlsx_bytes(table, added)
    if fmt == "csv":
        return result_csv_bytes(table, added)
    raise InputError(f"fmt should be one of {', '.join(RESULT_FORMATS)}, got {fmt!r}")


def check_file_bytes(
    data: bytes,
    *,
    name: str,
    fmt: str,
    sheet: str | None = None,
    header_row: int | None = None,
    crs: str = "auto",
    lon: str | None = None,
    lat: str | None = None,
    pair: str | None = None,
    lang: str = "zh",
) -> bytes:
    """Read an uploaded file, check every row and return the file with the result columns added.

    Parameters
    ----------
    data, name, sheet, header_row
        The file's bytes and name, as :func:`layout.tables.read.read_table_bytes` takes them.
    fmt
        "csv" or "xlsx".
    crs, lon, lat, pair, lang
        As :func:`layout.tables.batch.classify_table` takes them (None: detected from the headers).

    Raises
    ------
    InputError
        A file that cannot be read or checked, or an unknown ``fmt``.
    """
    if fmt not in RESULT_FORMATS:  # before the work, not after it
        raise InputError(f"fmt should be one of {', '.join(RESULT_FORMATS)}, got {fmt!r}")
    table = read_table_bytes(data, name=name, sheet=sheet, header_row=header_row)
    added = classify_table(table, lon=lon, lat=lat, pair=pair, crs=crs, lang=lang).added
    return result_file_bytes(table, added, fmt=fmt)
