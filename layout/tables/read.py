"""Reading the spreadsheets users bring: CSV in any usual encoding (UTF-8, BOM, GBK/GB18030) and XLSX.

Reading finds the table under title rows (:mod:`layout.tables.header`), keeps every row in order as text
cells and refuses a row whose width differs from the header's (a trailing comma must not shift columns).
Workbooks are read with bounded resources by :mod:`layout.tables.workbook`.
"""

from __future__ import annotations

import contextvars
import csv
import io
import os
import queue
import threading
from collections.abc import Generator, Iterator
from pathlib import Path
from typing import TypeVar

import numpy as np
import pandas as pd

from layout.errors import InputError
from layout.tables.csv_lines import PlainLines, plain_lines
from layout.tables.header import HEADER_SCAN_ROWS, detect_header, header_band, header_names, header_notes, name_columns
from layout.tables.table import Table, TextTable, check_suffix
from layout.tables.workbook import read_xlsx


def decode_csv_bytes(data: bytes, *, name: str = "file") -> TextTable:
    """Decode CSV bytes as UTF-8 (with or without BOM) or GB18030 (what Excel saves in China).

    Raises
    ------
    InputError
        When the bytes are none of these, or look like Big5 (traditional Chinese, Taiwan/Hong Kong).
    """
    if data.startswith(b"\xef\xbb\xbf"):
        try:
            return TextTable(data[3:].decode("utf-8"), "utf-8-sig")
        except UnicodeDecodeError:
            pass
    else:
        try:
            return TextTable(data.decode("utf-8"), "utf-8")
        except UnicodeDecodeError:
            pass
    try:
        text = data.decode("gb18030")
    except UnicodeDecodeError:
        raise InputError(
            f"{name}: the text is neither UTF-8 nor GBK/GB18030; save it from Excel as 'CSV UTF-8' or as .xlsx",
            code="encoding",
            name=name,
        ) from None
    if _looks_big5(data, text):
        raise InputError(
            f"{name}: the text looks like Big5 (traditional Chinese), which this tool does not read; "
            "save it from Excel as 'CSV UTF-8' or as .xlsx",
            code="encoding_big5",
            name=name,
        )
    return TextTable(text, "gb18030")


def _looks_big5(data: bytes, text: str) -> bool:
    """Big5 bytes decode as GB18030 without error but mostly into characters outside GB2312."""
    han = {c for c in text if "\u4e00" <= c <= "\u9fff"}
    if len(han) < 4:
        return False
    rare = sum(1 for c in han if not _in_gb2312(c))
    if rare / len(han) < 0.3:
        return False
    try:
        data.decode("big5")
    except UnicodeDecodeError:
        return False
    return True


def _in_gb2312(c: str) -> bool:
    try:
        c.encode("gb2312")
        return True
    except UnicodeEncodeError:
        return False


def read_table_bytes(data: bytes, *, name: str, sheet: str | None = None, header_row: int | None = None) -> Table:
    """Parse CSV or XLSX bytes (by ``name``'s suffix) into a :class:`Table`.

    Parameters
    ----------
    sheet
        A workbook's sheet to read (default: the first whose header names coordinates, else the first).
    header_row
        The header's 1-based row number (default: detected under title and blank rows).

    Raises
    ------
    InputError
        A file that cannot be read, with the reason and the fix; :class:`TableTooLargeError` for a file
        beyond the limits.
    """
    suffix = check_suffix(name)
    if suffix == ".xlsx":
        return read_xlsx(data, name=name, sheet=sheet, header_row=header_row)
    return _read_csv(data, name=name, header_row=header_row)


def read_file_bytes(path: Path) -> bytes:
    """The bytes of an officer's file; a missing, folder or unreadable path is one-line InputError."""
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise InputError(f"{path}: no such file", code="no_file", path=str(path)) from None
    except IsADirectoryError:
        raise InputError(f"{path}: is a directory, not a file", code="is_dir", path=str(path)) from None
    except OSError as exc:
        raise InputError(
            f"{path}: cannot be read ({exc.strerror})", code="read_failed", path=str(path), reason=exc.strerror or ""
        ) from None


def read_table(path: str | os.PathLike, *, sheet: str | None = None, header_row: int | None = None) -> Table:
    """Read a CSV or XLSX file (see :func:`read_table_bytes`)."""
    path = Path(path)
    check_suffix(path.name)
    return read_table_bytes(read_file_bytes(path), name=path.name, sheet=sheet, header_row=header_row)


def read_frame(path: str | os.PathLike) -> pd.DataFrame:
    """Every data row of a table file as text cells (the header detected), for code that needs only the cells."""
    return read_table(path).frame


# -- CSV -------------------------------------------------------------------------------------


def split_records(text: str) -> tuple[list[str], list[int], str]:
    """The CSV's records (a quoted field may span lines), each one's first line number, and the line end."""
    newline = "\r\n" if "\r\n" in text[:100_000] else "\n"
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    if newline == "\r\n":
        lines = [ln[:-1] if ln.endswith("\r") else ln for ln in lines]
    if '"' not in text:
        return lines, list(range(1, len(lines) + 1)), newline
    records: list[str] = []
    starts: list[int] = []
    buf: list[str] = []
    start, open_ = 0, False
    for i, line in enumerate(lines):
        if not buf:
            start = i + 1
        buf.append(line)
        open_ ^= line.count('"') % 2 == 1
        if not open_:
            records.append(newline.join(buf))
            starts.append(start)
            buf = []
    if buf:  # an unclosed quote runs to the end of the file
        records.append(newline.join(buf))
        starts.append(start)
    return records, starts, newline


def _fields(record: str) -> list[str]:
    return next(csv.reader([record]), []) if '"' in record else record.split(",")


def _read_csv(data: bytes, *, name: str, header_row: int | None) -> Table:
    fast = _read_csv_plain(data, name=name, header_row=header_row)
    if fast is not None:
        return fast
    decoded = decode_csv_bytes(data, name=name)
    text, encoding = decoded.text, decoded.encoding
    if not text.strip():
        raise InputError(
            f"{name}: the file is empty; it needs a header row and at least one data row", code="empty_file", name=name
        )
    if "\x00" in text:
        raise InputError(f"{name}: the file holds binary data (NUL bytes), not CSV text", code="binary", name=name)
    records, starts, newline = split_records(text)
    top, h, columns = _find_header(records, starts, len(records), header_row=header_row, name=name)
    _check_widths(records[h + 1 :], starts[h + 1 :], len(columns), name=name, quoted='"' in text)
    frame = _parse_body(records[h + 1 :], columns)
    return Table(
        frame=frame,
        name=name,
        kind="csv",
        encoding=encoding,
        header_row=starts[h],
        row_numbers=np.asarray(starts[h + 1 :], dtype=np.int64),
        source=data,
        records=records,
        newline=newline,
        notes=header_notes(starts[top], starts[h]),
    )


def _find_header(
    records: list[str], starts: list[int], total: int, *, header_row: int | None, name: str
) -> tuple[int, int, list[str]]:
    """The header band's first and last record (0-based) and the column names, from the file's first records."""
    head_rows = [_fields(r) for r in records[:HEADER_SCAN_ROWS]]
    h = (header_row - 1) if header_row else detect_header(head_rows)
    if not 0 <= h < total:
        raise InputError(
            f"{name}: header row {header_row} is beyond the file's {total} rows",
            code="header_row_bad",
            row=header_row or 0,
            rows=total,
        )
    top, h = header_band([_fields(r) for r in records[: max(h, HEADER_SCAN_ROWS) + 2]], h)
    return top, h, name_columns(header_names([_fields(r) for r in records[top : h + 1]]))


def _read_csv_plain(data: bytes, *, name: str, header_row: int | None) -> Table | None:
    """A plain UTF-8 CSV (see :mod:`layout.tables.csv_lines`) read without a Python string per record;
    None when the file is not plain or any check fails, for the careful path to read (and explain)."""
    bom = data.startswith(b"\xef\xbb\xbf")
    lines = plain_lines(data[3:] if bom else data)
    if lines is None:
        return None
    head_n = min(lines.count, max(HEADER_SCAN_ROWS, header_row or 0) + 2)
    try:
        head_text = lines.text_of(0, head_n)
    except UnicodeDecodeError:
        return None
    if not head_text.strip():
        return None
    records, starts, _ = split_records(head_text)
    if len(records) != head_n:
        return None
    top, h, columns = _find_header(records, starts, lines.count, header_row=header_row, name=name)
    table = _plain_body(lines, h + 1, columns, name=name)
    if table is None:
        return None
    table.encoding = "utf-8-sig" if bom else "utf-8"
    table.header_row = h + 1
    table.source = data
    table.records = records[: h + 1]
    table.notes = header_notes(top + 1, h + 1)
    return table


def _plain_body(lines: PlainLines, first: int, columns: list[str], *, name: str, offset: int = 0) -> Table | None:
    """The records from ``first`` on as a table (cells by Arrow's reader, the records' bytes kept), or None
    when a record is empty or of the wrong width, or the bytes are not UTF-8."""
    import pyarrow as pa

    n = lines.count - first
    if n and (not lines.lengths(first).all() or (lines.commas(first) != len(columns) - 1).any()):
        return None
    try:
        kept = lines.records(first)
    except pa.ArrowInvalid:
        return None
    if n:
        frame = _parse_plain(pa.py_buffer(lines.data)[int(lines.bounds[first]) :], columns, n)
        if frame is None:
            return None
    else:
        frame = _parse_body([], columns)
    return Table(
        frame=frame,
        name=name,
        kind="csv",
        encoding="",
        header_row=0,
        row_numbers=np.arange(offset + first + 1, offset + lines.count + 1, dtype=np.int64),
        newline=lines.newline,
        lines=kept,
    )


def _check_widths(body: list[str], starts: list[int], width: int, *, name: str, quoted: bool) -> None:
    """Refuse rows whose field count differs from the header's, listing their lines (no silent shift)."""
    widths = [(len(_fields(r)) if quoted else r.count(",") + 1) if r else width for r in body]
    bad = [i for i, w in enumerate(widths) if w != width]
    if bad:
        lines = [(starts[i], widths[i]) for i in bad[:10]]
        listing = "; ".join(f"line {ln}: {w} fields" for ln, w in lines)
        listing_zh = "；".join(f"第 {ln} 行有 {w} 个字段" for ln, w in lines)
        more = len(bad) - len(lines)
        raise InputError(
            f"{name}: {len(bad)} rows do not have the header's {width} fields ({listing}"
            f"{f'; and {more} more' if more else ''}); a trailing comma or an unquoted comma inside a "
            "cell shifts the columns: remove it or quote the cell, then try again",
            code="row_width",
            name=name,
            width=width,
            count=len(bad),
            lines=listing_zh,
            more=f"，另有 {more} 行" if more else "",
        )


def iter_csv_chunks(
    path: str | os.PathLike, *, header_row: int | None = None, chunk_bytes: int = 8 << 20
) -> Iterator[Table]:
    """A large CSV as a sequence of tables of about ``chunk_bytes`` each, for bounded memory.

    The first chunk finds the encoding and the header as :func:`read_table` does; every chunk holds
    whole records (a quoted field spanning lines is never cut) and the file's own line numbers. Write
    each with :func:`result_csv_bytes` (``head=True`` for the first only).

    Raises
    ------
    InputError
        As :func:`read_table`; a row of the wrong width stops the run with the lines named.
    """
    path = Path(path)
    check_suffix(path.name)
    try:
        fh = open(path, "rb")  # noqa: SIM115 - closed below; chunks are yielded while it is open
    except OSError as exc:
        raise InputError(
            f"{path}: cannot be read ({exc.strerror})", code="read_failed", path=str(path), reason=exc.strerror or ""
        ) from None
    with fh:
        first, encoding, columns, newline, offset = True, "", [], "\n", 0
        tail = b""
        while True:
            block = fh.read(chunk_bytes)
            data = tail + block
            if not block:
                if not data:
                    break
                cut = len(data)
            else:
                cut = data.rfind(b"\n") + 1
                while cut and data.count(b'"', 0, cut) % 2:  # inside a quoted field: take more
                    more = fh.read(chunk_bytes)
                    if not more:
                        cut = len(data)
                        break
                    data += more
                    cut = data.rfind(b"\n") + 1
                if not cut:
                    tail = data
                    continue
            piece, tail = data[:cut], data[cut:]
            if first:
                table = _read_csv(piece, name=path.name, header_row=header_row)
                encoding, columns, newline = table.encoding, list(table.frame.columns), table.newline
                first = False
            else:
                table = _later_chunk(
                    piece, name=path.name, encoding=encoding, columns=columns, newline=newline, offset=offset
                )
            offset += piece.count(b"\n")
            yield table
            if not block:
                break


T = TypeVar("T")


def read_ahead(items: Iterator[T]) -> Generator[T, None, None]:
    """``items`` produced one ahead on a thread, so reading the next chunk overlaps the work on this one
    (Arrow's reader and numpy release the GIL). An error while producing is raised here, in order."""
    box: queue.Queue = queue.Queue(maxsize=1)
    stop = threading.Event()
    end = object()

    def put(entry: tuple[bool, object]) -> bool:
        while not stop.is_set():
            try:
                box.put(entry, timeout=0.05)
                return True
            except queue.Full:
                continue
        return False

    def produce() -> None:
        try:
            for item in items:
                if not put((True, item)):
                    return
            put((True, end))
        except BaseException as exc:  # noqa: BLE001 - handed to the consumer, raised there
            put((False, exc))
        finally:
            close = getattr(items, "close", None)
            if close is not None:
                close()

    context = contextvars.copy_context()
    worker = threading.Thread(target=context.run, args=(produce,), name="read-ahead", daemon=True)
    worker.start()
    try:
        while True:
            ok, item = box.get()
            if not ok:
                raise item
            if item is end:
                return
            yield item
    finally:
        stop.set()
        worker.join()


def _later_chunk(piece: bytes, *, name: str, encoding: str, columns: list[str], newline: str, offset: int) -> Table:
    """A chunk after the first: whole records with no header, in the first chunk's encoding and columns."""
    if encoding in ("utf-8", "utf-8-sig") and (plain := plain_lines(piece, newline=newline)):
        table = _plain_body(plain, 0, columns, name=name, offset=offset)
        if table is not None:
            table.encoding = encoding
            return table
    try:
        text = piece.decode(encoding.replace("utf-8-sig", "utf-8"))
    except UnicodeDecodeError:
        raise InputError(
            f"{name}: the text is neither UTF-8 nor GBK/GB18030 throughout",
            code="encoding",
            name=name,
        ) from None
    records, starts, _ = split_records(text)
    starts = [s_ + offset for s_ in starts]
    _check_widths(records, starts, len(columns), name=name, quoted='"' in text)
    return Table(
        frame=_parse_body(records, columns),
        name=name,
        kind="csv",
        encoding=encoding,
        header_row=0,
        row_numbers=np.asarray(starts, dtype=np.int64),
        records=records,
        newline=newline,
    )


def _parse_body(body: list[str], columns: list[str]) -> pd.DataFrame:
    """Text cells of the data records (widths already checked): pyarrow's reader, every cell a string."""
    if not body:
        return pd.DataFrame({c: pd.Series([], dtype=object) for c in columns})
    import pyarrow as pa
    import pyarrow.csv as pacsv

    keys = [f"c{j}" for j in range(len(columns))]
    blob = ("\n".join(body) + "\n").encode("utf-8")
    try:
        table = pacsv.read_csv(
            io.BytesIO(blob),
            read_options=pacsv.ReadOptions(column_names=keys, block_size=1 << 24),
            parse_options=pacsv.ParseOptions(newlines_in_values=True, ignore_empty_lines=False),
            convert_options=pacsv.ConvertOptions(
                column_types={k: pa.string() for k in keys}, strings_can_be_null=False, quoted_strings_can_be_null=False
            ),
        )
    except pa.ArrowInvalid:  # a lone CR in an unquoted cell ends a row for Arrow's reader, not for ours
        table = None
    if table is None or table.num_rows != len(body):  # fall back to the csv module, one record at a time
        rows = [_fields(r) if r else [""] * len(columns) for r in body]
        return pd.DataFrame(rows, columns=columns, dtype=object)
    frame = table.to_pandas()  # str columns backed by the Arrow buffers: no Python string per cell
    frame.columns = columns
    return frame


def _parse_plain(body, columns: list[str], rows: int) -> pd.DataFrame | None:
    """Text cells of plain records (no quote; widths checked), parsed from the file's own bytes; None when
    Arrow's reader does not find ``rows`` rows (never expected)."""
    import pyarrow as pa
    import pyarrow.csv as pacsv

    keys = [f"c{j}" for j in range(len(columns))]
    table = pacsv.read_csv(
        pa.BufferReader(body),
        read_options=pacsv.ReadOptions(column_names=keys, block_size=1 << 24),
        parse_options=pacsv.ParseOptions(quote_char=False, ignore_empty_lines=False),
        convert_options=pacsv.ConvertOptions(
            column_types={k: pa.string() for k in keys}, strings_can_be_null=False, quoted_strings_can_be_null=False
        ),
    )
    if table.num_rows != rows:
        return None
    frame = table.to_pandas()
    frame.columns = columns
    return frame


# -- XLSX ------------------------------------------------------------------------------------
