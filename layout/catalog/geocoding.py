"""Fill the catalog's missing coordinates from the gazetteer: read, validate, fill, write back with a backup."""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

from layout.catalog.projects import CATALOG_PATH, FillReport, fill_geocodes, read_catalog_table, write_catalog
from layout.catalog.validate import validate_catalog
from layout.errors import InputError, OutputError
from layout.tables.files import locked

__all__ = ["geocode_catalog"]


def geocode_catalog(
    path: str | os.PathLike = CATALOG_PATH, *, dry_run: bool = False, refresh: bool = False
) -> FillReport:
    """Read the catalog at ``path``, fill (``refresh``: also redo) its geocodes, write it back atomically
    with a backup.

    The read-modify-write holds an exclusive lock on the file (concurrent runs wait their turn, and the
    ``.bak`` is always the version each run replaced). A catalog that fails validation, or that is not a
    .csv, is refused before anything is written.

    Raises
    ------
    InputError
        When the catalog cannot be read or fails validation (the message counts the errors and names the fix).
    """
    path = Path(path)
    if not dry_run and path.suffix.lower() != ".csv":
        raise OutputError(
            f"{path}: the catalog is CSV text and is only written to a .csv file; convert the workbook to CSV first",
            code="catalog_not_csv",
            path=str(path),
        )
    report = FillReport()
    with contextlib.nullcontext() if dry_run else locked(path):
        table = read_catalog_table(path)
        if not dry_run:
            # empty coordinates are what this command fills: every other error stops it
            errors = [p for p in validate_catalog(path) if p.severity == "error" and "geocode-catalog" not in p.fix]
            if errors:
                raise InputError(
                    f"{path}: the catalog has {len(errors)} errors (first: {errors[0]}); fix them "
                    f"(python -m layout validate {path}) before filling coordinates",
                    code="catalog_invalid",
                    path=str(path),
                    count=len(errors),
                    first=errors[0],  # shown in the reader's language (Problem.text)
                )
        filled = fill_geocodes(table, report=report, refresh=refresh)
        if not dry_run and (report.town or report.county):
            write_catalog(filled, path)
    return report
