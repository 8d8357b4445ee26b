"""A filled 调度表 read from its file: XLSX (Excel or WPS) or CSV (UTF-8 or GBK), through the shared bounded
reader, choosing the sheet of a workbook and refusing formulas.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from layout.errors import InputError
from layout.register.sheet_columns import COLUMNS

__all__ = ["read_sheet", "read_sheet_bytes", "sheet_candidates"]


def read_sheet_bytes(data: bytes, *, name: str, sheet: str | None = None) -> pd.DataFrame:
    """The filled 调度表 (XLSX, or CSV in UTF-8/GBK) as an all-text table, through the shared bounded reader
    (:func:`layout.tables.read.read_table_bytes`: size, row, column and cell limits, damaged files).

    Of a workbook, ``sheet`` or else the one sheet whose header has 项目编号 is read; the sheet read and
    the workbook's sheets are in the frame's ``attrs`` (``sheet``, ``sheets``) for the caller to say.

    Raises
    ------
    InputError
        When several sheets look like a 调度表 and ``sheet`` is not given (code ``sheet_choose``, listing
        them), or the sheet holds formulas (``sheet_formulas``): their saved results cannot be verified.
    """
    from layout.tables.header import HEADER_SCAN_ROWS
    from layout.tables.read import read_table_bytes
    from layout.tables.table import check_suffix
    from layout.tables.workbook import scan_workbook

    if sheet is None and check_suffix(name) == ".xlsx":
        sheets = scan_workbook(data, name=name)[0]
        candidates = [
            s
            for s, rows in sheets.items()
            if any(str(v).strip() == COLUMNS["id"] for row in rows[:HEADER_SCAN_ROWS] for v in row)
        ]
        if len(candidates) > 1:
            raise InputError(
                f"{name}: {len(candidates)} sheets look like a 调度表 ({', '.join(candidates)}); "
                "choose the sheet to import (CLI: --sheet NAME)",
                code="sheet_choose",
                name=name,
                count=len(candidates),
                sheets="、".join(candidates),
            )
        sheet = candidates[0] if candidates else None
    table = read_table_bytes(data, name=name, sheet=sheet)
    if table.formulas:
        cells = "、".join(table.formulas[:5]) + ("…" if len(table.formulas) > 5 else "")
        raise InputError(
            f"{name}: sheet {table.sheet!r} has {len(table.formulas)} formula cells ({cells}); the "
            "调度表 imports values only: paste them as values and import again",
            code="sheet_formulas",
            name=name,
            sheet=table.sheet or "",
            count=len(table.formulas),
            cells=cells,
        )
    frame = table.frame
    frame.attrs.update(sheet=table.sheet or "", sheets=list(table.sheets))
    return frame


def sheet_candidates(error: InputError) -> list[str]:
    """The sheets a ``sheet_choose`` error lists, for a page to offer them."""
    return str(getattr(error, "args_", {}).get("sheets", "")).split("、") if error.code == "sheet_choose" else []


def read_sheet(path: str | Path, *, sheet: str | None = None) -> pd.DataFrame:
    """:func:`read_sheet_bytes` of a file (missing or unreadable files: one-line InputError)."""
    from layout.tables.read import read_file_bytes

    path = Path(path)
    return read_sheet_bytes(read_file_bytes(path), name=path.name, sheet=sheet)
