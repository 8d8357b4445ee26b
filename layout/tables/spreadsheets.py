"""The spreadsheets users bring, read safely and given back whole: CSV (UTF-8, BOM, GBK/GB18030) and XLSX.

Reading finds the table under title rows, keeps every row in order as text cells, refuses a row whose
width differs from the header's (a trailing comma must not shift columns), and reads workbooks with
bounded resources: the uncompressed size is checked before anything is expanded, sheets are streamed
(openpyxl read-only, real used range), and cells, columns and rows are capped, each with one clear
message and its figures.

Writing gives the officer's own file back with columns added: a CSV's original text byte for byte (UTF-8
with BOM by default, or the input's encoding), a workbook's sheets, names, formats, dates, formulas,
merged cells and widths through a copy. Text written to a workbook stays text (never a formula), and
text that did not come from the user's own file is neutralised (:func:`neutralise`). Every file goes
through :func:`atomic_write` (ordinary permissions, a ``.bak`` of the previous version, one-line errors).
"""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import errno
import functools
import io
import os
import re
import shutil
import tempfile
import time
import zipfile
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from layout.errors import InputError, OutputError, TableTooLargeError
from layout.geo.notation import header_score, shorten

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
HEADER_SCAN_ROWS = 30
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


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

    def __iter__(self):
        """``frame, encoding = read_table(path)``: the older two-value form, kept for callers that use it."""
        return iter((self.frame, self.encoding))


@dataclass(frozen=True)
class TextTable:
    """A CSV decoded to text, with how it was encoded."""

    text: str
    encoding: str  # "utf-8", "utf-8-sig" (with BOM) or "gb18030"


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
        return _read_xlsx(data, name=name, sheet=sheet, header_row=header_row)
    return _read_csv(data, name=name, header_row=header_row)


def read_table(path: str | os.PathLike, *, sheet: str | None = None, header_row: int | None = None) -> Table:
    """Read a CSV or XLSX file (see :func:`read_table_bytes`)."""
    path = Path(path)
    check_suffix(path.name)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise InputError(f"{path}: no such file", code="no_file", path=str(path)) from None
    except IsADirectoryError:
        raise InputError(f"{path}: is a directory, not a file", code="is_dir", path=str(path)) from None
    except OSError as exc:
        raise InputError(
            f"{path}: cannot be read ({exc.strerror})", code="read_failed", path=str(path), reason=exc.strerror or ""
        ) from None
    return read_table_bytes(data, name=path.name, sheet=sheet, header_row=header_row)


def read_frame(path: str | os.PathLike) -> pd.DataFrame:
    """Every data row of a table file as text cells (the header detected), for code that needs only the cells."""
    return read_table(path).frame


# -- header detection ------------------------------------------------------------------------


def detect_header(rows: list[list[str]]) -> int:
    """0-based index of the header among the first rows: the first naming coordinates, else the first row
    with two or more non-empty cells (title rows, merged across the top, have one)."""
    scan = rows[:HEADER_SCAN_ROWS]
    scores = [header_score(r) for r in scan]
    for want in (2, 1):
        if want in scores:
            return scores.index(want)
    for i, r in enumerate(scan):
        if sum(1 for c in r if str(c).strip()) >= 2:
            return i
    for i, r in enumerate(scan):
        if any(str(c).strip() for c in r):
            return i
    return 0


_DATA_CELL = re.compile(r"^\s*[-+]?\d+(\.\d+)?\s*$|\d+\.\d+|\d\s*[°度]")


def _filled(row: list[str]) -> set[int]:
    return {j for j, c in enumerate(row) if str(c).strip()}


def _stacks_on(upper: list[str], lower: list[str]) -> bool:
    """``lower`` continues the header ``upper``: text only (no number, no coordinate), some cell under an
    empty one (a name merged across, 坐标 over 经度/纬度) and some cell empty under a name (merged down, 序号)."""
    up, low = _filled(upper), _filled(lower)
    return (
        len(up) >= 2
        and bool(low)
        and not any(_DATA_CELL.search(str(c)) for c in (*upper, *lower) if c)
        and bool(low - up)
        and bool(up - low)
    )


def header_band(rows: list[list[str]], h: int) -> tuple[int, int]:
    """0-based first and last row of the header that row ``h`` belongs to: a header on several rows (merged
    cells, 坐标 over 经度 and 纬度, 序号 merged down) is the rows above the first data row."""
    top, bottom = h, h
    while top > 0 and _stacks_on(rows[top - 1], rows[top]):
        top -= 1
    while bottom + 1 < len(rows) and _stacks_on(rows[bottom], rows[bottom + 1]):
        bottom += 1
    return top, bottom


def header_names(band: list[list[str]]) -> list[str]:
    """One name per column from a header on several rows: the levels joined with ``·`` (坐标·经度), a name
    merged across carried over the columns under it, a name merged down kept alone (序号)."""
    width = max((len(r) for r in band), default=0)
    grid = [[str(r[j]).strip() if j < len(r) else "" for j in range(width)] for r in band]
    for i in range(len(grid) - 1):  # carry a merged name to the right while the row below has names under it
        for j in range(1, width):
            if not grid[i][j] and grid[i][j - 1] and grid[i + 1][j] and grid[i + 1][j - 1]:
                grid[i][j] = grid[i][j - 1]
    names = []
    for j in range(width):
        parts = [row[j] for row in grid if row[j]]
        names.append("·".join(dict.fromkeys(parts)))
    return names


def _column_names(cells: list[str]) -> list[str]:
    names, seen = [], set()
    for j, c in enumerate(cells):
        name = str(c).strip() or f"列{_letters(j + 1)}"
        base, k = name, 1
        while name in seen:
            k += 1
            name = f"{base}_{k}"
        seen.add(name)
        names.append(name)
    return names


def _letters(n: int) -> str:
    out = ""
    while n:
        n, r = divmod(n - 1, 26)
        out = chr(65 + r) + out
    return out


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
    records, starts, buf, start, open_ = [], [], [], 0, False
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
    decoded = decode_csv_bytes(data, name=name)
    text, encoding = decoded.text, decoded.encoding
    if not text.strip():
        raise InputError(
            f"{name}: the file is empty; it needs a header row and at least one data row", code="empty_file", name=name
        )
    if "\x00" in text:
        raise InputError(f"{name}: the file holds binary data (NUL bytes), not CSV text", code="binary", name=name)
    records, starts, newline = split_records(text)
    head_rows = [_fields(r) for r in records[:HEADER_SCAN_ROWS]]
    h = (header_row - 1) if header_row else detect_header(head_rows)
    if not 0 <= h < len(records):
        raise InputError(
            f"{name}: header row {header_row} is beyond the file's {len(records)} rows",
            code="header_row_bad",
            row=header_row or 0,
            rows=len(records),
        )
    top, h = header_band([_fields(r) for r in records[: max(h, HEADER_SCAN_ROWS) + 2]], h)
    columns = _column_names(header_names([_fields(r) for r in records[top : h + 1]]))
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
        notes=_header_notes(starts[top], starts[h]),
    )


def _header_notes(top: int, bottom: int) -> list[tuple[str, dict]]:
    """What was decided about the header (1-based rows), for the caller to report."""
    if top != bottom:
        return [("note.header_rows", {"top": top, "bottom": bottom})]
    return [("note.header_row", {"row": top})] if top > 1 else []


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
                while cut and data[:cut].count(b'"') % 2:  # inside a quoted field: take more
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
                try:
                    text = piece.decode(encoding.replace("utf-8-sig", "utf-8"))
                except UnicodeDecodeError:
                    raise InputError(
                        f"{path.name}: the text is neither UTF-8 nor GBK/GB18030 throughout",
                        code="encoding",
                        name=path.name,
                    ) from None
                records, starts, _ = split_records(text)
                starts = [s_ + offset for s_ in starts]
                _check_widths(records, starts, len(columns), name=path.name, quoted='"' in text)
                table = Table(
                    frame=_parse_body(records, columns),
                    name=path.name,
                    kind="csv",
                    encoding=encoding,
                    header_row=0,
                    row_numbers=np.asarray(starts, dtype=np.int64),
                    records=records,
                    newline=newline,
                )
            offset += piece.count(b"\n")
            yield table
            if not block:
                break


def _parse_body(body: list[str], columns: list[str]) -> pd.DataFrame:
    """Text cells of the data records (widths already checked): pyarrow's reader, every cell a string."""
    if not body:
        return pd.DataFrame({c: pd.Series([], dtype=object) for c in columns})
    import pyarrow as pa
    import pyarrow.csv as pacsv

    keys = [f"c{j}" for j in range(len(columns))]
    blob = ("\n".join(body) + "\n").encode("utf-8")
    table = pacsv.read_csv(
        io.BytesIO(blob),
        read_options=pacsv.ReadOptions(column_names=keys, block_size=1 << 24),
        parse_options=pacsv.ParseOptions(newlines_in_values=True, ignore_empty_lines=False),
        convert_options=pacsv.ConvertOptions(
            column_types={k: pa.string() for k in keys}, strings_can_be_null=False, quoted_strings_can_be_null=False
        ),
    )
    if table.num_rows != len(body):  # never expected: fall back to the csv module, one record at a time
        rows = [_fields(r) if r else [""] * len(columns) for r in body]
        return pd.DataFrame(rows, columns=columns, dtype=object)
    frame = table.to_pandas()  # str columns backed by the Arrow buffers: no Python string per cell
    frame.columns = columns
    return frame


# -- XLSX ------------------------------------------------------------------------------------


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


@functools.cache
def _tag_patterns(prefix: bytes) -> tuple:
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


def _sheet_names(zf: zipfile.ZipFile) -> dict[str, str]:
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
    names = _sheet_names(zf)
    with_formulas: set[str] = set()
    values = 0
    for info in zf.infolist():
        if not (info.filename.startswith("xl/worksheets/") and info.filename.endswith(".xml")):
            continue
        sheet = names.get(info.filename, info.filename.rsplit("/", 1)[-1])
        widest, where, last_row, low, row_tags, tail = 0, "", 0, "", 0, b""
        cell_ref = row_ref = row_tag = value_tag = formula_tag = None
        with zf.open(info) as fh:
            while chunk := fh.read(1 << 22):
                buf = tail + chunk
                skip = len(tail)  # tags wholly inside the overlap were counted with the previous chunk
                if cell_ref is None:  # the tags' namespace prefix, from <sheetData> (near the start)
                    found = _SHEET_DATA.search(buf)
                    if not found and len(buf) < (1 << 20):
                        tail = buf  # keep reading until <sheetData> shows
                        continue
                    prefix = (found.group(1) or b"") if found else b""
                    cell_ref, row_ref, row_tag, value_tag, formula_tag = _tag_patterns(prefix)
                    skip = 0
                if formula_tag.search(buf):
                    with_formulas.add(sheet)
                letters = cell_ref.findall(buf)  # maxima: a reference seen twice (in the overlap) changes nothing
                if letters:
                    column = max(set(letters), key=lambda c: (len(c), c))  # AA > Z: length first
                    if _column_index(column.decode()) > widest:
                        widest = _column_index(column.decode())
                        where = re.search(rb'r="(' + column + rb'\d+)"', buf).group(1).decode()
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
    where = f"A1:{_letters(columns)}{rows}"
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
                        f"{_letters(last)}{r}",
                        f"{last:,} 列",
                        f"{MAX_COLUMNS:,} 列",
                        f"{last:,} columns",
                        f"{MAX_COLUMNS:,} columns",
                    )
                widest = max(widest, last)
                if r * widest > MAX_AREA:
                    raise _area_too_large(name, ws.title, r, widest)
                cells += sum(1 for v in row[:last] if v is not None)
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
    uncached, formulas = 0, {}
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


def _read_xlsx(data: bytes, *, name: str, sheet: str | None, header_row: int | None) -> Table:
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
    notes += _header_notes(top + 1, h + 1)
    if uncached:
        notes.append(("note.uncached", {"count": uncached}))
    head = header_names([[_cell_text(v) for v in r] for r in rows[top : h + 1]])
    columns = _column_names(head)
    width = len(columns)
    body = rows[h + 1 :]
    wide = [i for i, r in enumerate(body) if len(r) > width]
    if wide:  # cells to the right of the header: give them a name rather than drop them
        extra = max(len(body[i]) for i in wide)
        columns = _column_names([*head, *[""] * (extra - width)])
        width = extra
    data_cols: list[list[str]] = [[] for _ in range(width)]
    for r in body:
        for j in range(width):
            data_cols[j].append(_cell_text(r[j]) if j < len(r) else "")
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


def _formula_refs(cells: list[tuple[int, int]], *, first: int) -> list[str]:
    """ "C5"-style names of the formula cells at or below the 0-based row ``first`` (the data rows)."""
    return [f"{_letters(c + 1)}{r + 1}" for r, c in sorted(cells) if r >= first]


def _ref_list(refs: list[str], limit: int = 5) -> str:
    return "、".join(refs[:limit]) + ("…" if len(refs) > limit else "")


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


def _added_array(added: pd.DataFrame):
    """Each row of the added columns as CSV text starting with the separating comma, as an Arrow string array
    (Arrow compute, quoting as pandas does; every text that a spreadsheet would run as a formula neutralised)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    global _FORMULA_STARTS
    if _FORMULA_STARTS is None:
        _FORMULA_STARTS = pa.array(FORMULA_START)
    arrays = []
    for c in added.columns:
        encoded = pc.dictionary_encode(_text_array(added[c]))  # the checks below run once per distinct value
        if isinstance(encoded, pa.ChunkedArray):
            encoded = encoded.combine_chunks()
        arrays.append(pc.take(_csv_safe(encoded.dictionary), encoded.indices))
    return pc.binary_join_element_wise("", *arrays, ",") if arrays else pc.cast(pa.nulls(len(added)), pa.string())


def _csv_safe(arr):
    """Distinct values made safe for CSV: formula-like text neutralised, then quoted where pandas would quote."""
    import pyarrow.compute as pc

    risky = pc.is_in(pc.utf8_slice_codeunits(arr, 0, 1), value_set=_FORMULA_STARTS)
    if pc.any(risky).as_py():
        arr = pc.if_else(risky, pc.binary_join_element_wise("'", arr, ""), arr)
    special = None
    for ch in (",", '"', "\n", "\r"):
        hit = pc.match_substring(arr, ch)
        special = hit if special is None else pc.or_(special, hit)
    if special is not None and pc.any(special).as_py():
        quoted = pc.binary_join_element_wise('"', pc.replace_substring(arr, '"', '""'), '"', "")
        arr = pc.if_else(special, quoted, arr)
    return arr


def _joined_bytes(arr) -> bytes:
    """The UTF-8 bytes of a string array's values one after another (its data buffer, no Python strings)."""
    import pyarrow as pa

    arr = arr.combine_chunks() if isinstance(arr, pa.ChunkedArray) else arr
    arr = arr.cast(pa.large_string())
    if len(arr) == 0:
        return b""
    offsets = np.frombuffer(arr.buffers()[1], dtype=np.int64)[arr.offset : arr.offset + len(arr) + 1]
    return arr.buffers()[2].to_pybytes()[offsets[0] : offsets[-1]]


def result_csv_bytes(table: Table, added: pd.DataFrame, *, encoding: str = "utf-8-sig", head: bool = True) -> bytes:
    """The table with ``added`` columns as CSV bytes: a CSV's own text is kept byte for byte in its columns.

    Parameters
    ----------
    encoding
        ``utf-8-sig`` (UTF-8 with BOM, what Excel opens correctly) or the input's encoding (``gb18030``…).
    head
        False for the later chunks of :func:`iter_csv_chunks`: their rows only, no header, no BOM.
    """
    header = "," + ",".join(_csv_field(neutralise(str(c))) for c in added.columns)
    bom = encoding == "utf-8-sig"
    if table.kind == "csv" and table.records is not None:
        import pyarrow as pa
        import pyarrow.compute as pc

        nl = table.newline
        h = len(table.records) - len(table.frame) - 1
        top = "".join(rec + nl for rec in table.records[:h]) + table.records[h] + header + nl if head else ""
        body = b""
        if len(table.frame):
            own = pa.array(table.records[h + 1 :], type=pa.large_string())
            added_text = _added_array(added).cast(pa.large_string())
            end = pa.scalar(nl, type=pa.large_string())
            body = _joined_bytes(pc.binary_join_element_wise(own, added_text, end, pa.scalar("", pa.large_string())))
        data = top.encode("utf-8") + body
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
        data = ("\r\n".join(out) + "\r\n").encode("utf-8")
    if bom or encoding in ("utf-8", "utf8"):
        return (b"\xef\xbb\xbf" if bom and head else b"") + data
    try:
        return data.decode("utf-8").encode(encoding)
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


def result_xlsx_bytes(table: Table, added: pd.DataFrame, *, sheet_title: str = "") -> bytes:
    """The table with ``added`` columns as an XLSX workbook.

    A workbook comes back as a copy of itself (every sheet, name, format, date, formula, merged cell and
    width kept) with the columns added to its table's sheet; a CSV, or a workbook above
    :data:`MAX_COPY_CELLS`, becomes a new workbook. Strings are written as strings, never formulas.

    Raises
    ------
    OutputError
        When the table has more rows than a sheet holds.
    """
    import openpyxl

    check_fits(table, ".xlsx")
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
                c.font = head.font.copy()
                c.fill = head.fill.copy()
                c.border = head.border.copy()
                c.alignment = head.alignment.copy()
            ws.column_dimensions[_letters(first + k)].width = _width(col, added_values[k])
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
        ws.column_dimensions[_letters(j + 1)].width = _width(
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


def _width(name: object, values: list) -> float:
    sample = [str(name), *(str(v) for v in values[:200] if v is not None)]
    longest = max(sum(2 if ord(ch) > 0x2E80 else 1 for ch in s) for s in sample)
    return float(min(max(longest + 2, 8), 60))


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


# --------------------------------------------------------------------------------------------
# Atomic writes


def _umask() -> int:
    """The process umask, read without changing it (os.umask is process-wide and not thread-safe)."""
    with contextlib.suppress(OSError, ValueError):
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("Umask:"):
                return int(line.split()[1], 8)
    return 0o022


_FIXES = {
    errno.EROFS: (
        "the place is read-only",
        "choose a writable folder (CLI: -o PATH)",
        "该位置只读",
        "请换一个可写的文件夹",
    ),
    errno.EACCES: (
        "no permission to write there",
        "choose a folder you can write to (CLI: -o PATH)",
        "没有写入权限",
        "请换一个有写入权限的文件夹",
    ),
    errno.EPERM: (
        "no permission to write there",
        "choose a folder you can write to (CLI: -o PATH)",
        "没有写入权限",
        "请换一个有写入权限的文件夹",
    ),
    errno.ENOSPC: ("the disk is full", "free some space or write elsewhere", "磁盘已满", "请清理空间或写到别处"),
    errno.EDQUOT: (
        "the disk quota is used up",
        "free some space or write elsewhere",
        "磁盘配额已用完",
        "请清理空间或写到别处",
    ),
    errno.EISDIR: (
        "a directory is in the way",
        "give a file name, not a directory",
        "该路径是一个文件夹",
        "请给出文件名而不是文件夹",
    ),
    errno.ENOTDIR: (
        "a part of the path is a file, not a directory",
        "check the path",
        "路径中有一部分是文件而不是文件夹",
        "请检查路径",
    ),
    errno.ENOENT: (
        "the folder does not exist",
        "create it first or check the path",
        "文件夹不存在",
        "请先创建文件夹或检查路径",
    ),
}


def output_error(path: Path, exc: OSError) -> OutputError:
    """One line naming the path, what went wrong and the fix, for an OS error while writing ``path``."""
    what, fix, what_zh, fix_zh = _FIXES.get(
        exc.errno,
        (exc.strerror or str(exc), "choose another place to write", exc.strerror or str(exc), "请换一个位置写入"),
    )
    return OutputError(
        f"cannot write {path}: {what}; {fix}", code="write_failed", path=str(path), what=what_zh, fix=fix_zh
    )


def check_writable(path: str | os.PathLike) -> None:
    """Fail early (before any work) when ``path`` cannot be written: a directory, a missing or read-only folder.

    Raises
    ------
    OutputError
        Naming the path and the fix.
    """
    path = Path(path)
    if path.is_dir():
        raise output_error(path, OSError(errno.EISDIR, "Is a directory"))
    parent = path.parent if str(path.parent) else Path(".")
    if not parent.exists():
        return  # atomic_write creates it (or fails with the reason)
    if not parent.is_dir():
        raise output_error(path, OSError(errno.ENOTDIR, "Not a directory"))
    if not os.access(parent, os.W_OK | os.X_OK):
        raise output_error(path, OSError(errno.EACCES, "Permission denied"))
    if path.exists() and not os.access(path, os.W_OK):
        raise output_error(path, OSError(errno.EACCES, "Permission denied"))


@contextlib.contextmanager
def locked(path: str | os.PathLike, *, timeout_s: float = 30.0) -> Iterator[None]:
    """An exclusive lock on ``path`` for a read-modify-write (a ``.<name>.lock`` file beside it).

    Raises
    ------
    OutputError
        When another process holds the lock for longer than ``timeout_s``.
    """
    path = Path(path)
    lock_path = path.with_name(f".{path.name}.lock")
    try:
        fd = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o666 & ~_umask())
    except OSError as exc:
        raise output_error(lock_path, exc) from None
    try:
        try:
            import fcntl
        except ImportError:  # Windows: no advisory locks; the atomic rename still protects the file
            yield
            return
        deadline = time.monotonic() + timeout_s
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() > deadline:
                    raise OutputError(
                        f"{path} is being changed by another process; try again when it has finished",
                        code="locked",
                        path=str(path),
                    ) from None
                time.sleep(0.05)
        try:
            yield
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)


def atomic_write(path: str | os.PathLike, writer: Callable[[Path], None], *, backup: bool = True) -> Path:
    """Write ``path`` through ``writer(temp_path)``, then rename into place.

    The temporary file sits beside the target (``.<name>.<random>.tmp``, git-ignored); the result gets
    the existing file's permissions, else the ones the umask gives a new file (not mkstemp's 0600).
    With ``backup`` the previous version is kept as ``<name>.bak`` (itself replaced atomically).

    Raises
    ------
    OutputError
        For any OS error (read-only place, full disk, a directory in the way), naming the path and the fix.
    """
    path = Path(path)
    if path.is_dir():
        raise output_error(path, OSError(errno.EISDIR, "Is a directory"))
    tmp: str | None = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        mode = (path.stat().st_mode & 0o7777) if path.exists() else (0o666 & ~_umask())
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
        os.close(fd)
        writer(Path(tmp))
        os.chmod(tmp, mode)
        with open(tmp, "rb") as fh:
            os.fsync(fh.fileno())
        if backup and path.exists():
            fd_b, bak_tmp = tempfile.mkstemp(prefix=f".{path.name}.bak.", suffix=".tmp", dir=path.parent)
            os.close(fd_b)
            try:
                shutil.copy2(path, bak_tmp)
                os.replace(bak_tmp, path.with_name(path.name + ".bak"))
            finally:
                if os.path.exists(bak_tmp):
                    os.unlink(bak_tmp)
        os.replace(tmp, path)
    except OSError as exc:
        raise output_error(path, exc) from None
    finally:
        if tmp and os.path.exists(tmp):
            os.unlink(tmp)
    return path
