"""Writing results back in the officer's own layout, with columns added.

A CSV's original text is kept byte for byte (UTF-8 with BOM by default, or the input's encoding); a
workbook's sheets, names, formats, dates, formulas, merged cells and widths are kept through a copy.
Text written to a workbook stays text (never a formula), and text that did not come from the user's own
file is neutralised (:func:`neutralise`). Files go to disk through :func:`layout.tables.files.atomic_write`.
"""

from __future__ import annotations

import copy
import io
import itertools
import os
import re
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pandas as pd

from layout.errors import InputError, OutputError
from layout.tables.files import atomic_write, check_writable
from layout.tables.header import column_letters
from layout.tables.table import MAX_COPY_CELLS, XLSX_MAX_ROWS, Table, check_suffix
from layout.tables.workbook_stream import FORMULA_START, stream_result_xlsx
from layout.tables.workbook_stream import column_width as _width

# --------------------------------------------------------------------------------------------
# Writing results


def neutralise(value: object) -> object:
    """Text that a spreadsheet would run as a formula gets a leading ``'`` (OWASP's CSV-injection advice).

    For text that did not come from the user's own file; numbers and other values pass unchanged.
    """
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def _csv_field(value: object) -> str:
    text = "" if value is None else str(value)
    if any(ch in text for ch in ',"\r\n'):
        return '"' + text.replace('"', '""') + '"'
    return text


def _text_array(col: pd.Series):
    """A column as an Arrow string array with empty strings for missing values (numbers in their shortest form)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    if isinstance(col.dtype, pd.CategoricalDtype):
        cats = pa.array([str(c) for c in col.cat.categories], type=pa.string())
        arr = pc.take(cats, pa.array(col.cat.codes.to_numpy(), mask=col.cat.codes.to_numpy() < 0))
    elif col.dtype.kind == "f":
        arr = pc.cast(pa.array(col.to_numpy(dtype=np.float64), from_pandas=True), pa.string())
    else:
        try:
            arr = pa.array(col, type=pa.string(), from_pandas=True)
        except (pa.ArrowTypeError, pa.ArrowInvalid):
            arr = pa.array(
                [None if v is None or (isinstance(v, float) and np.isnan(v)) else str(v) for v in col.tolist()],
                type=pa.string(),
            )
    return pc.fill_null(arr, "")


def _added_lines(added: pd.DataFrame) -> list[str]:
    """Each row of the added columns as CSV text, starting with the separating comma."""
    return _added_array(added).to_pylist()


_FORMULA_STARTS = None  # set on first use: an Arrow array of FORMULA_START


def _added_array(added: pd.DataFrame, *, end: str = ""):
    """Each row of the added columns as CSV text starting with the separating comma (and ending with ``end``),
    as an Arrow string array: quoted as pandas quotes, every text a spreadsheet would run as a formula
    neutralised."""
    import pyarrow as pa
    import pyarrow.compute as pc

    line, row = _added_text(added, end=end)
    return pc.take(line, pa.array(row))


def _added_text(added: pd.DataFrame, *, end: str = ""):
    """The added columns' text (see :func:`_added_array`) once per distinct row, and each row's number among
    them: rows repeat (a county, a reason, a distance), so the text is built for few and taken for all."""
    import pyarrow as pa
    import pyarrow.compute as pc

    global _FORMULA_STARTS
    if _FORMULA_STARTS is None:
        _FORMULA_STARTS = pa.array(FORMULA_START)
    if not len(added.columns):
        return pa.array([end], type=pa.string()), np.zeros(len(added), dtype=np.int64)
    codes, texts = zip(*(_distinct(added[c]) for c in added.columns), strict=True)
    row, combos = _combine(list(codes), [len(t) for t in texts])
    numeric = [added[c].dtype.kind == "f" for c in added.columns]
    parts = [pc.take(_csv_safe(t, numbers=n), pa.array(k)) for t, k, n in zip(texts, combos, numeric, strict=True)]
    line = pc.binary_join_element_wise("", *parts, ",")
    if end:
        line = pc.binary_join_element_wise(line, end, "")
    return line, row


def _distinct(col: pd.Series):
    """A column's rows as codes into its distinct texts (numbers in their shortest form, missing as "")."""
    import pyarrow as pa
    import pyarrow.compute as pc

    if isinstance(col.dtype, pd.CategoricalDtype):
        codes = col.cat.codes.to_numpy().astype(np.int64)
        cats = col.cat.categories
        codes[codes < 0] = len(cats)
        if cats.inferred_type == "string":  # text already: Arrow takes it as it is
            return codes, pa.concat_arrays([pa.array(cats, type=pa.string()), pa.array([""], type=pa.string())])
        return codes, pa.array([*(str(c) for c in cats), ""], type=pa.string())
    if col.dtype.kind == "f":  # distinct by bit pattern: -0.0 and 0.0 stay apart, as their texts are
        codes, bits = pd.factorize(col.to_numpy(dtype=np.float64).view(np.int64))
        values = pa.array(np.asarray(bits, dtype=np.int64).view(np.float64), from_pandas=True)
        return codes.astype(np.int64), pc.fill_null(pc.cast(values, pa.string()), "")
    encoded = pc.dictionary_encode(_text_array(col))
    if isinstance(encoded, pa.ChunkedArray):
        encoded = encoded.combine_chunks()
    return encoded.indices.to_numpy(zero_copy_only=False).astype(np.int64), encoded.dictionary


def _combine(codes: list[np.ndarray], sizes: list[int]) -> tuple[np.ndarray, list[np.ndarray]]:
    """Each row's number among the distinct combinations of ``codes``, and each combination's codes."""
    key = np.zeros(len(codes[0]), dtype=np.int64)
    radix = 1
    for c, size in zip(codes, sizes, strict=True):
        if radix * size >= 2**62:  # too many combinations for one key: number the ones seen so far
            key, _ = pd.factorize(key)
            key = key.astype(np.int64)
            radix = int(key.max()) + 1 if len(key) else 1
        key = key * size + c
        radix *= size
    row, unique = pd.factorize(key)
    one = np.zeros(len(unique), dtype=np.int64)
    one[row] = np.arange(len(row))  # a row of each combination (any: the rows of one combination agree)
    return row.astype(np.int64), [c[one] for c in codes]


def _csv_safe(arr, *, numbers: bool = False):
    """Distinct values made safe for CSV: formula-like text neutralised, then quoted where pandas would quote.
    ``numbers``: the texts of floats (digits, ``.``, ``-``, ``e``, ``inf``, ``nan``), which need no quotes."""
    import pyarrow.compute as pc

    risky = pc.is_in(pc.utf8_slice_codeunits(arr, 0, 1), value_set=_FORMULA_STARTS)
    if pc.any(risky).as_py():
        arr = pc.if_else(risky, pc.binary_join_element_wise("'", arr, ""), arr)
    if numbers:
        return arr
    special = None
    for ch in (",", '"', "\n", "\r"):
        hit = pc.match_substring(arr, ch)
        special = hit if special is None else pc.or_(special, hit)
    if special is not None and pc.any(special).as_py():
        quoted = pc.binary_join_element_wise('"', pc.replace_substring(arr, '"', '""'), '"', "")
        arr = pc.if_else(special, quoted, arr)
    return arr


def _data_of(arr):
    """The bytes of a string or binary array's values one after another: a view of its data buffer."""
    import pyarrow as pa

    arr = arr.combine_chunks() if isinstance(arr, pa.ChunkedArray) else arr
    if len(arr) == 0:
        return b""
    width = np.int64 if pa.types.is_large_binary(arr.type) or pa.types.is_large_string(arr.type) else np.int32
    offsets = np.frombuffer(arr.buffers()[1], dtype=width)[arr.offset : arr.offset + len(arr) + 1]
    return arr.buffers()[2].slice(int(offsets[0]), int(offsets[-1] - offsets[0]))


SLICE_ROWS = 1 << 16  # rows joined at a time when a result is written


def _joined_slices(own, line, row: np.ndarray) -> Iterator:
    """Each row's own record then its added text (``line[row]``), a slice of rows at a time."""
    import pyarrow as pa
    import pyarrow.compute as pc

    empty = pa.scalar("", type=own.type)
    for lo in range(0, len(row), SLICE_ROWS):
        text = pc.take(line, pa.array(row[lo : lo + SLICE_ROWS]))
        yield _data_of(pc.binary_join_element_wise(own.slice(lo, SLICE_ROWS), text, empty))


def _flat(part) -> Iterator:
    return part if isinstance(part, Iterator) else iter([part])


def result_csv_bytes(table: Table, added: pd.DataFrame, *, encoding: str = "utf-8-sig", head: bool = True) -> bytes:
    """The table with ``added`` columns as CSV bytes: a CSV's own text is kept byte for byte in its columns.

    Parameters
    ----------
    encoding
        ``utf-8-sig`` (UTF-8 with BOM, what Excel opens correctly) or the input's encoding (``gb18030``…).
    head
        False for the later chunks of :func:`iter_csv_chunks`: their rows only, no header, no BOM.
    """
    return b"".join(result_csv_parts(table, added, encoding=encoding, head=head))


def result_csv_parts(
    table: Table, added: pd.DataFrame, *, encoding: str = "utf-8-sig", head: bool = True
) -> Iterator[bytes | memoryview]:
    """:func:`result_csv_bytes` as bytes-like parts to write one after another. The work that looks at every
    row is done here; the body's text is joined a slice of rows at a time as the parts are taken (the same
    memory reused, not the whole body at once)."""
    header = "," + ",".join(_csv_field(neutralise(str(c))) for c in added.columns)
    bom = encoding == "utf-8-sig"
    parts: list = []
    if table.kind == "csv" and (table.records is not None or table.lines is not None):
        import pyarrow as pa

        nl = table.newline
        records = table.records or []
        if table.lines is not None:  # read by layout.tables.csv_lines: records holds the head only
            h, own = len(records) - 1, table.lines
        else:
            h = len(records) - len(table.frame) - 1
            own = pa.array(records[h + 1 :], type=pa.large_string())
        top = "".join(rec + nl for rec in records[:h]) + records[h] + header + nl if head else ""
        parts.append(top.encode("utf-8"))
        if len(table.frame):
            line, row = _added_text(added, end=nl)
            parts.append(_joined_slices(own, line.cast(own.type), row))
    else:
        own = table.frame
        rows = _added_lines(added) if len(added) else []
        width = own.shape[1] + added.shape[1]  # a workbook's title rows first, as the officer laid them out
        out = [",".join(_csv_field(c) for c in [*r, *[""] * (width - len(r))]) for r in table.preamble]
        out.append(",".join(_csv_field(c) for c in own.columns) + header)
        lines = (
            own.astype(str).apply(lambda col: col.map(_csv_field)).agg(",".join, axis=1).tolist() if len(own) else []
        )
        out += [a + b for a, b in zip(lines, rows, strict=True)]
        parts.append(("\r\n".join(out) + "\r\n").encode("utf-8"))
    if bom or encoding in ("utf-8", "utf8"):
        return itertools.chain([b"\xef\xbb\xbf" if bom and head else b""], *(_flat(p) for p in parts))
    try:
        return iter([b"".join(itertools.chain(*(_flat(p) for p in parts))).decode("utf-8").encode(encoding)])
    except (UnicodeEncodeError, LookupError):
        raise InputError(
            f"the result cannot be written in {encoding}; choose UTF-8", code="encode_failed", encoding=encoding
        ) from None


_NUMBER = re.compile(r"^-?(0|[1-9]\d{0,14})(\.\d+)?$")


def _typed(text: str) -> object:
    """A CSV cell for a workbook: plain decimals become numbers (no leading zeros, ≤ 15 digits), else text."""
    return float(text) if "." in text and _NUMBER.match(text) else int(text) if _NUMBER.match(text) else text


def check_fits(table: Table, suffix: str) -> None:
    """Fail before any work when ``table`` cannot be written as ``suffix`` (an .xlsx sheet's row limit).

    Raises
    ------
    OutputError
        When the rows do not fit, naming the figures and the fix (write CSV).
    """
    if suffix == ".xlsx" and table.header_row + len(table.frame) > XLSX_MAX_ROWS:
        raise OutputError(
            f"{table.name}: {len(table.frame):,} rows do not fit in an .xlsx sheet "
            f"({XLSX_MAX_ROWS:,} rows at most); write CSV instead",
            code="xlsx_rows",
            rows=f"{len(table.frame):,}",
            limit=f"{XLSX_MAX_ROWS:,}",
        )


def result_xlsx_bytes(table: Table, added: pd.DataFrame, *, sheet_title: str = "", stream: bool = True) -> bytes:
    """The table with ``added`` columns as an XLSX workbook.

    A workbook comes back as a copy of itself (every sheet, name, format, date, formula, merged cell and
    width kept) with the columns added to its table's sheet: streamed
    (:func:`layout.tables.workbook_stream.stream_result_xlsx`, its XML copied with the cells appended)
    unless ``stream`` is False or it does not edit the workbook, else through openpyxl's full load;
    a CSV, or such a workbook above :data:`MAX_COPY_CELLS`, becomes a new workbook. Strings are written
    as strings, never formulas.

    Raises
    ------
    OutputError
        When the table has more rows than a sheet holds.
    """
    import openpyxl

    check_fits(table, ".xlsx")
    if stream and (data := stream_result_xlsx(table, added)) is not None:
        return data
    added_values = [[_plain_value(v) for v in added[c].tolist()] for c in added.columns]
    if table.kind == "xlsx" and table.cells <= MAX_COPY_CELLS:
        wb = openpyxl.load_workbook(io.BytesIO(table.source), keep_vba=False, keep_links=False)
        ws = wb[table.sheet]
        first = ws.max_column + 1
        head = ws.cell(row=table.header_row, column=max(1, first - 1))
        for k, col in enumerate(added.columns):
            c = ws.cell(row=table.header_row, column=first + k)
            _set(c, neutralise(str(col)))
            if head.has_style:
                c.font, c.fill = copy.copy(head.font), copy.copy(head.fill)  # StyleProxy.copy() is deprecated
                c.border, c.alignment = copy.copy(head.border), copy.copy(head.alignment)
            ws.column_dimensions[column_letters(first + k)].width = _width(col, added_values[k])
            for r, v in zip(table.row_numbers.tolist(), added_values[k], strict=True):
                _set(ws.cell(row=r, column=first + k), neutralise(v))
        buf = io.BytesIO()
        wb.save(buf)
        return buf.getvalue()
    wb = openpyxl.Workbook(write_only=True)
    ws = wb.create_sheet(title=(table.sheet or sheet_title or "Sheet1")[:31])
    own = table.frame
    header = [*map(str, own.columns), *map(str, added.columns)]
    for j, name in enumerate(header):
        ws.column_dimensions[column_letters(j + 1)].width = _width(
            name, added_values[j - own.shape[1]] if j >= own.shape[1] else []
        )
    from openpyxl.cell import WriteOnlyCell

    def cell(v: object) -> WriteOnlyCell:
        c = WriteOnlyCell(ws, value=v)
        if isinstance(v, str):
            c.data_type = "s"
        return c

    ws.append([cell(h if j < own.shape[1] else neutralise(h)) for j, h in enumerate(header)])
    own_cols = [own[c].astype(str).tolist() for c in own.columns]
    for i in range(len(own)):
        ws.append([*(cell(_typed(col[i])) for col in own_cols), *(cell(neutralise(col[i])) for col in added_values)])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _plain_value(v: object) -> object:
    if v is None or (isinstance(v, float) and np.isnan(v)):
        return None
    if isinstance(v, np.generic):
        return v.item()
    return v


def _set(cell, value: object) -> None:
    cell.value = value
    if isinstance(value, str):
        cell.data_type = "s"  # openpyxl would make '=…' a formula


def write_result(table: Table, added: pd.DataFrame, path: str | os.PathLike, *, encoding: str = "utf-8-sig") -> Path:
    """Write the table with ``added`` columns to ``path`` (.csv or .xlsx by its suffix), atomically."""
    path = Path(path)
    suffix = check_suffix(path.name)
    check_writable(path)
    data = result_xlsx_bytes(table, added) if suffix == ".xlsx" else result_csv_bytes(table, added, encoding=encoding)
    return atomic_write(path, lambda tmp: tmp.write_bytes(data))


def table_to_bytes(df: pd.DataFrame, suffix: str) -> bytes:
    """CSV (UTF-8 with BOM) or XLSX bytes of a plain DataFrame; workbook strings stay strings.

    For tables that are not a user's file (exports of the catalog, summaries): every text cell is
    neutralised (:func:`neutralise`).
    """
    frame = df.reset_index(drop=True)
    table = Table(
        frame=frame.iloc[:, :0],
        name="table",
        kind="frame",
        encoding="",
        header_row=1,
        row_numbers=np.arange(2, 2 + len(frame)),
    )
    if suffix == ".xlsx":
        return result_xlsx_bytes(table, frame)
    if suffix == ".csv":
        body = _added_lines(frame) if len(frame) else []
        header = ",".join(_csv_field(neutralise(str(c))) for c in frame.columns)
        return ("\n".join([header, *(line[1:] for line in body)]) + "\n").encode("utf-8-sig")
    raise InputError(
        f"output should end in .csv or .xlsx, got {suffix or 'no suffix'!r}",
        code="out_suffix",
        suffix=suffix or "（无）",
    )


def write_table(df: pd.DataFrame, path: str | os.PathLike) -> Path:
    """Write ``df`` as CSV or XLSX by the suffix of ``path``, atomically, keeping a backup."""
    data = table_to_bytes(df, Path(path).suffix.lower())
    return atomic_write(path, lambda tmp: tmp.write_bytes(data))
