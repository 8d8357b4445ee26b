"""Reading XLSX workbooks with bounded resources: the uncompressed size is checked before anything is
expanded, sheets are streamed (openpyxl read-only, real used range), and cells, columns and rows are
capped, each with one clear message and its figures.
"""

from __future__ import annotations

import datetime as dt
import functools
import io
import re
import zipfile
import zlib

import numpy as np
import pandas as pd

from layout.errors import InputError, TableTooLargeError
from layout.geo.columns import header_score
from layout.geo.notation import shorten
from layout.tables.header import (
    HEADER_SCAN_ROWS,
    column_letters,
    detect_header,
    header_band,
    header_names,
    header_notes,
    name_columns,
)
from layout.tables.table import (
    MAX_AREA,
    MAX_CELLS,
    MAX_COLUMNS,
    MAX_ROWS,
    MAX_UNZIPPED_BYTES,
    MAX_ZIP_RATIO,
    ZIP_RATIO_FROM,
    Table,
)


def _check_zip(data: bytes, name: str) -> set[str]:
    if not data.startswith(b"PK"):
        raise InputError(
            f"{name}: this is not a real .xlsx workbook; save it again from Excel as .xlsx", code="not_xlsx", name=name
        )
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            infos = zf.infolist()
    except (zipfile.BadZipFile, ValueError, OSError):
        raise InputError(
            f"{name}: this is not a real .xlsx workbook; save it again from Excel as .xlsx", code="not_xlsx", name=name
        ) from None
    total = sum(i.file_size for i in infos)
    if total > MAX_UNZIPPED_BYTES:
        raise TableTooLargeError(
            f"{name}: table too large or abnormal: the workbook unpacks to {total / 2**20:,.0f} MB "
            f"(from {len(data) / 2**20:,.1f} MB); the limit is {MAX_UNZIPPED_BYTES / 2**20:,.0f} MB. "
            "Delete unused sheets and cells, or save the table as CSV",
            code="too_large_unzipped",
            name=name,
            size=f"{total / 2**20:,.0f} MB",
            packed=f"{len(data) / 2**20:,.1f} MB",
            limit=f"{MAX_UNZIPPED_BYTES / 2**20:,.0f} MB",
        )
    for info in infos:  # a zip bomb: a small file that unpacks to a huge, nearly empty part
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size > ZIP_RATIO_FROM and ratio > MAX_ZIP_RATIO:
            raise TableTooLargeError(
                f"{name}: table too large or abnormal: {info.filename} unpacks to {info.file_size / 2**20:,.0f} MB, "
                f"{ratio:,.0f} times its packed size (real workbooks: under {MAX_ZIP_RATIO}); save it again from "
                "Excel or as CSV",
                code="zip_ratio",
                name=name,
                part=info.filename,
                size=f"{info.file_size / 2**20:,.0f} MB",
                ratio=f"{ratio:,.0f}",
                limit=f"{MAX_ZIP_RATIO}",
            )
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            return _check_extent(zf, name)
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, NotImplementedError, RuntimeError):
        # damaged or forged zip entries (patched sizes, bad CRC, encrypted, unknown compression)
        raise InputError(
            f"{name}: the workbook cannot be read (damaged zip data); save it again from Excel",
            code="xlsx_unreadable",
            name=name,
        ) from None


_SHEET_DATA = re.compile(rb"<(\w+:)?sheetData[\s/>]")


#: cell references, row numbers, row tags, value tags, formula tags
_Tags = tuple[re.Pattern[bytes], re.Pattern[bytes], tuple[bytes, ...], tuple[bytes, ...], re.Pattern[bytes]]


@functools.cache
def _tag_patterns(prefix: bytes) -> _Tags:
    """How to find the cells, rows, values and formulas of sheet XML whose tags carry ``prefix`` (b"" or
    e.g. b"x:", as some programs write): patterns for cell references, row numbers and formula tags, and
    the byte strings that open a row tag or a value tag (counted with ``bytes.count``)."""
    p = re.escape(prefix)
    rows = (b"<" + prefix + b"row>", b"<" + prefix + b"row ", b"<" + prefix + b"row/")
    values = (b"<" + prefix + b"v>", b"<" + prefix + b"v ", b"<" + prefix + b"is>", b"<" + prefix + b"is ")
    return (
        re.compile(rb"<" + p + rb'c r="([A-Z]{1,3})\d'),
        re.compile(rb"<" + p + rb'(?:row|c) r="[A-Z]{0,3}(\d+)"'),
        rows,
        values,
        re.compile(rb"<" + p + rb"f[\s>/]"),
    )


def _count(buf: bytes, tail: bytes, tags: tuple[bytes, ...]) -> int:
    """Occurrences of ``tags`` in ``buf`` that do not lie wholly in its first part ``tail`` (counted before)."""
    return sum(buf.count(tag) - tail.count(tag) for tag in tags)


def sheet_parts(zf: zipfile.ZipFile) -> dict[str, str]:
    """Worksheet part (``xl/worksheets/sheet1.xml``) → sheet name, read from the workbook's XML."""
    try:
        book = zf.read("xl/workbook.xml").decode("utf-8", "replace")
        rels = zf.read("xl/_rels/workbook.xml.rels").decode("utf-8", "replace")
    except KeyError:
        return {}
    targets = {m.group(1): m.group(2) for m in re.finditer(r'Id="([^"]+)"[^>]*?Target="([^"]+)"', rels)}
    targets |= {m.group(2): m.group(1) for m in re.finditer(r'Target="([^"]+)"[^>]*?Id="([^"]+)"', rels)}
    out = {}
    for m in re.finditer(r'<sheet\b[^>]*?name="([^"]*)"[^>]*?r:id="([^"]+)"', book):
        target = targets.get(m.group(2), "").lstrip("/")
        out[target if target.startswith("xl/") else f"xl/{target}"] = m.group(1)
    return out


def _check_extent(zf: zipfile.ZipFile, name: str) -> set[str]:
    """Refuse a sheet whose cells reach past :data:`MAX_COLUMNS` or :data:`MAX_ROWS`, whose used range
    exceeds :data:`MAX_AREA`, or a workbook with more than :data:`MAX_CELLS` values, from the sheet XML,
    before openpyxl builds a single row.

    Streams each worksheet part in chunks (the uncompressed total is already capped); tags split across
    two chunks are found in a short overlap (counted once). Returns the names of the sheets with formulas.
    """
    names = sheet_parts(zf)
    with_formulas: set[str] = set()
    values = 0
    for info in zf.infolist():
        if not (info.filename.startswith("xl/worksheets/") and info.filename.endswith(".xml")):
            continue
        sheet = names.get(info.filename, info.filename.rsplit("/", 1)[-1])
        widest, where, last_row, low, row_tags, tail = 0, "", 0, "", 0, b""
        tags: _Tags | None = None
        with zf.open(info) as fh:
            while chunk := fh.read(1 << 22):
                buf = tail + chunk
                skip = len(tail)  # tags wholly inside the overlap were counted with the previous chunk
                if tags is None:  # the tags' namespace prefix, from <sheetData> (near the start)
                    found = _SHEET_DATA.search(buf)
                    if not found and len(buf) < (1 << 20):
                        tail = buf  # keep reading until <sheetData> shows
                        continue
                    prefix = (found.group(1) or b"") if found else b""
                    tags = _tag_patterns(prefix)
                    skip = 0
                cell_ref, row_ref, row_tag, value_tag, formula_tag = tags
                if formula_tag.search(buf):
                    with_formulas.add(sheet)
                letters = cell_ref.findall(buf)  # maxima: a reference seen twice (in the overlap) changes nothing
                if letters:
                    column = max(set(letters), key=lambda c: (len(c), c))  # AA > Z: length first
                    if _column_index(column.decode()) > widest:
                        widest = _column_index(column.decode())
                        ref = re.search(rb'r="(' + column + rb'\d+)"', buf)  # found: the pattern above saw it
                        where = ref.group(1).decode() if ref else column.decode()
                numbers = row_ref.findall(buf)  # of rows and of cells
                if numbers and (top := max(map(int, numbers))) > last_row:
                    found = re.search(rb'r="([A-Z]{0,3}0*' + str(top).encode() + rb')"', buf)
                    last_row, low = top, found.group(1).decode() if found else f"A{top}"
                    low = low if low[0].isalpha() else f"A{top}"
                row_tags += _count(buf, tail if skip else b"", row_tag)
                values += _count(buf, tail if skip else b"", value_tag)
                tail = buf[-48:]
        if widest > MAX_COLUMNS:
            raise _too_large(
                name,
                sheet,
                where,
                f"{widest:,} 列",
                f"{MAX_COLUMNS:,} 列",
                f"{widest:,} columns",
                f"{MAX_COLUMNS:,} columns",
            )
        rows = max(last_row, row_tags)
        if rows > MAX_ROWS:
            at = low if last_row >= row_tags else f"A{rows}"
            raise _too_large(
                name, sheet, at, f"{rows:,} 行", f"{MAX_ROWS:,} 行", f"{rows:,} rows", f"{MAX_ROWS:,} rows"
            )
        if rows * widest > MAX_AREA:
            raise _area_too_large(name, sheet, rows, widest)
        if values > MAX_CELLS:
            raise _too_many_cells(name, f"{values:,}")
    return with_formulas


def _too_many_cells(name: str, count: str) -> TableTooLargeError:
    return TableTooLargeError(
        f"{name}: table too large or abnormal: {count} non-empty cells; the limit is {MAX_CELLS:,}. Delete unused "
        "sheets and cells, or save the table as CSV",
        code="too_many_cells",
        name=name,
        count=count,
        limit=f"{MAX_CELLS:,}",
    )


def _area_too_large(name: str, sheet: str, rows: int, columns: int) -> TableTooLargeError:
    where = f"A1:{column_letters(columns)}{rows}"
    return _too_large(
        name,
        sheet,
        where,
        f"{rows:,} 行 × {columns:,} 列",
        f"{MAX_AREA:,} 个单元格",
        f"{rows:,} rows x {columns:,} columns",
        f"{MAX_AREA:,} cells",
    )


def _column_index(letters: str) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n


def _cell_text(value: object) -> str:
    """A workbook value as the text a person sees (numbers without a spurious '.0', dates as ISO)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()
    return str(value)


def scan_workbook(data: bytes, *, name: str) -> tuple[dict[str, list[tuple]], int, dict[str, list[tuple[int, int]]]]:
    """Every sheet's rows (values, trailing empty cells dropped), read with bounded resources.

    A formula whose result the file does not hold (a workbook not saved by Excel) is shown as its formula
    text; the count of such cells is returned beside the rows, and so are every sheet's formula cells
    ((row, column), 0-based): their values are what the file says they computed, which anyone can forge.

    Raises
    ------
    TableTooLargeError
        When the workbook unpacks beyond :data:`MAX_UNZIPPED_BYTES`, a sheet reaches past
        :data:`MAX_COLUMNS` columns or :data:`XLSX_MAX_ROWS` rows, or the cells exceed :data:`MAX_CELLS`.
    """
    import openpyxl

    with_formulas = _check_zip(data, name)
    try:
        wb = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True, keep_links=False)
    except Exception as exc:  # openpyxl raises many types for damaged workbooks
        raise InputError(
            f"{name}: the workbook cannot be read ({shorten(str(exc), 80)}); save it again from Excel",
            code="xlsx_unreadable",
            name=name,
        ) from None
    sheets: dict[str, list[tuple]] = {}
    cells = 0
    try:
        for ws in wb.worksheets:
            ws.reset_dimensions()  # the declared dimension may claim A1:XFD1048576
            rows: list[tuple] = []
            widest = 0
            for r, row in enumerate(ws.iter_rows(values_only=True), start=1):
                if r > MAX_ROWS:  # rows the XML scan could not see (no row numbers)
                    raise _too_large(
                        name,
                        ws.title,
                        f"A{r}",
                        f"超过 {MAX_ROWS:,} 行",
                        f"{MAX_ROWS:,} 行",
                        f"more than {MAX_ROWS:,} rows",
                        f"{MAX_ROWS:,} rows",
                    )
                last = len(row)
                while last and row[last - 1] is None:
                    last -= 1
                if last > MAX_COLUMNS:
                    raise _too_large(
                        name,
                        ws.title,
                        f"{column_letters(last)}{r}",
                        f"{last:,} 列",
                        f"{MAX_COLUMNS:,} 列",
                        f"{last:,} columns",
                        f"{MAX_COLUMNS:,} columns",
                    )
                widest = max(widest, last)
                if r * widest > MAX_AREA:
                    raise _area_too_large(name, ws.title, r, widest)
                cells += last - row.count(None) + (len(row) - last)  # the non-empty ones (trailing: all empty)
                if cells > MAX_CELLS:
                    raise _too_many_cells(name, f"> {MAX_CELLS:,}")
                rows.append(row[:last])
            sheets[ws.title] = rows
    except TableTooLargeError:
        raise
    except Exception as exc:  # damaged sheet XML
        raise InputError(
            f"{name}: the workbook cannot be read ({shorten(str(exc), 80)}); save it again from Excel",
            code="xlsx_unreadable",
            name=name,
        ) from None
    finally:
        wb.close()
    uncached = 0
    formulas: dict[str, list[tuple[int, int]]] = {}
    if with_formulas & set(sheets):
        uncached, formulas = _fill_uncached(data, sheets, with_formulas)
    for rows in sheets.values():
        while rows and not any(v is not None for v in rows[-1]):
            rows.pop()
    return sheets, uncached, formulas


def _fill_uncached(
    data: bytes, sheets: dict[str, list[tuple]], with_formulas: set[str]
) -> tuple[int, dict[str, list[tuple[int, int]]]]:
    """Find every formula cell (read-only again, formulas this time) and put the formula text where the
    file holds no result for it. Returns the count of those and each sheet's formula cells (0-based)."""
    import openpyxl

    wb = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=False, keep_links=False)
    count = 0
    formulas: dict[str, list[tuple[int, int]]] = {}
    try:
        for title in with_formulas & set(sheets):
            ws = wb[title]
            ws.reset_dimensions()
            rows = sheets[title]
            found = formulas.setdefault(title, [])
            for r, row in enumerate(ws.iter_rows(max_col=MAX_COLUMNS)):
                if r >= len(rows):
                    break
                have = rows[r]
                fixed = None
                for j, cell in enumerate(row):
                    if getattr(cell, "data_type", None) != "f":
                        continue
                    found.append((r, j))
                    v = cell.value
                    if isinstance(v, str) and (j >= len(have) or have[j] is None):
                        fixed = fixed or list(have) + [None] * max(0, j + 1 - len(have))
                        if j >= len(fixed):
                            fixed += [None] * (j + 1 - len(fixed))
                        fixed[j] = v
                        count += 1
                if fixed is not None:
                    rows[r] = tuple(fixed)
    finally:
        wb.close()
    return count, formulas


def _too_large(
    name: str, sheet: str, where: str, found_zh: str, limit_zh: str, found: str, limit: str
) -> TableTooLargeError:
    return TableTooLargeError(
        f"{name}: table too large or abnormal: sheet {sheet!r} reaches {where} ({found}); the limit is {limit}. "
        "Delete the stray cells far from the table (Ctrl+End shows the last one) or save the table as CSV",
        code="too_large",
        name=name,
        sheet=sheet,
        where=where,
        found=found_zh,
        limit=limit_zh,
    )


def read_xlsx(data: bytes, *, name: str, sheet: str | None, header_row: int | None) -> Table:
    sheets, uncached, formulas = scan_workbook(data, name=name)
    if not sheets:
        raise InputError(f"{name}: the workbook has no sheets", code="no_sheets", name=name)
    if sheet is not None and sheet not in sheets:
        raise InputError(
            f"{name}: there is no sheet {sheet!r}; its sheets are {', '.join(sheets)}",
            code="sheet_missing",
            name=name,
            sheet=sheet,
            sheets="、".join(sheets),
        )
    texts = {s: [[_cell_text(v) for v in row] for row in rows[:HEADER_SCAN_ROWS]] for s, rows in sheets.items()}
    notes: list[tuple[str, dict]] = []
    if sheet is None:
        scored = [(max((header_score(r) for r in rows), default=0), s) for s, rows in texts.items()]
        best = max(scored, key=lambda x: x[0])
        sheet = best[1] if best[0] else next((s for s, rows in sheets.items() if rows), next(iter(sheets)))
        if len(sheets) > 1:
            notes.append(("note.sheet", {"sheet": sheet, "sheets": "、".join(sheets)}))
    rows = sheets[sheet]
    if not any(rows):
        raise InputError(f"{name}: sheet {sheet!r} is empty", code="sheet_empty", name=name, sheet=sheet)
    h = (header_row - 1) if header_row else detect_header(texts[sheet])
    if not 0 <= h < len(rows):
        raise InputError(
            f"{name}: header row {header_row} is beyond the sheet's {len(rows)} rows",
            code="header_row_bad",
            row=header_row or 0,
            rows=len(rows),
        )
    top, h = header_band([[_cell_text(v) for v in r] for r in rows[: max(h, HEADER_SCAN_ROWS) + 2]], h)
    notes += header_notes(top + 1, h + 1)
    if uncached:
        notes.append(("note.uncached", {"count": uncached}))
    head = header_names([[_cell_text(v) for v in r] for r in rows[top : h + 1]])
    columns = name_columns(head)
    width = len(columns)
    body = rows[h + 1 :]
    wide = [i for i, r in enumerate(body) if len(r) > width]
    if wide:  # cells to the right of the header: give them a name rather than drop them
        extra = max(len(body[i]) for i in wide)
        columns = name_columns([*head, *[""] * (extra - width)])
        width = extra
    data_cols = _column_texts(body, width)
    frame = pd.DataFrame({c: pd.Series(v, dtype=object) for c, v in zip(columns, data_cols, strict=True)})
    computed = _formula_refs(formulas.get(sheet, []), first=h + 1)
    if computed:  # a formula's saved result is not checked by anyone: say so, never use it silently
        notes.append(("note.formulas", {"count": len(computed), "cells": _ref_list(computed)}))
    return Table(
        frame=frame,
        name=name,
        kind="xlsx",
        encoding="xlsx",
        header_row=h + 1,
        row_numbers=np.arange(h + 2, h + 2 + len(body), dtype=np.int64),
        sheet=sheet,
        sheets=list(sheets),
        source=data,
        notes=notes,
        cells=sum(len(r) for r in rows),
        formulas=computed,
        preamble=[[_cell_text(v) for v in r] for r in rows[:top]],
    )


def _column_texts(body: list[tuple], width: int) -> list[list[str]]:
    """The body's cells as text (:func:`_cell_text`), column by column: rows padded to ``width`` and turned
    into columns in C (``zip``); a column of only text or only non-whole floats is converted without a
    Python call per cell beyond ``repr``."""
    if not body:
        return [[] for _ in range(width)]
    pad = (None,) * width
    columns = list(zip(*(r if len(r) == width else (tuple(r) + pad)[:width] for r in body), strict=True))
    out = []
    for col in columns:
        kinds = set(map(type, col))
        if kinds <= {str}:
            out.append(list(col))
        elif kinds <= {str, type(None)}:
            out.append(["" if v is None else v for v in col])
        elif kinds == {int}:
            out.append(list(map(str, col)))  # what _cell_text gives an int (a bool's type is bool)
        elif kinds == {float} and not _any_whole(col):
            out.append(list(map(repr, col)))  # what _cell_text gives a float that is not whole
        else:
            out.append(list(map(_cell_text, col)))
    return out


def _any_whole(col: tuple[float, ...]) -> bool:
    values = np.fromiter(col, dtype=np.float64, count=len(col))
    return bool((np.isfinite(values) & (values == np.trunc(values))).any())


def _formula_refs(cells: list[tuple[int, int]], *, first: int) -> list[str]:
    """ "C5"-style names of the formula cells at or below the 0-based row ``first`` (the data rows)."""
    return [f"{column_letters(c + 1)}{r + 1}" for r, c in sorted(cells) if r >= first]


def _ref_list(refs: list[str], limit: int = 5) -> str:
    return "、".join(refs[:limit]) + ("…" if len(refs) > limit else "")
