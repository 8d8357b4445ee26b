"""Reading and writing the spreadsheets users bring: CSV (UTF-8, UTF-8 with BOM, GBK/GB18030) and XLSX.

Every cell is read as text so nothing is reinterpreted (leading zeros, long numbers, blank cells);
every row is kept, in order. Writes are atomic and keep the previous file as ``<name>.bak``.
"""

from __future__ import annotations

import csv
import io
import os
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from layout.errors import InputError

ENCODINGS = ("utf-8-sig", "gb18030")  # utf-8-sig reads plain UTF-8 too; GB18030 is a superset of GBK
TABLE_SUFFIXES = (".csv", ".xlsx")
MAX_UPLOAD_BYTES = 20 * 1024 * 1024


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
        When the bytes are none of these encodings.
    """
    if data.startswith(b"\xef\xbb\xbf"):
        return TextTable(data[3:].decode("utf-8", errors="strict"), "utf-8-sig")
    try:
        return TextTable(data.decode("utf-8"), "utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return TextTable(data.decode("gb18030"), "gb18030")
    except UnicodeDecodeError:
        raise InputError(f"{name}: the text is neither UTF-8 nor GBK/GB18030; "
                         "save it from Excel as 'CSV UTF-8' or as .xlsx") from None


def read_table_bytes(data: bytes, *, name: str) -> tuple[pd.DataFrame, str]:
    """Parse CSV or XLSX bytes (by ``name``'s suffix) into an all-text DataFrame and its encoding."""
    suffix = Path(name).suffix.lower()
    if suffix not in TABLE_SUFFIXES:
        raise InputError(f"{name}: the file type should be .csv or .xlsx, got {suffix or 'no suffix'!r}")
    if suffix == ".xlsx":
        if not data.startswith(b"PK"):
            raise InputError(f"{name}: this is not a real .xlsx workbook; save it again from Excel as .xlsx")
        try:
            df = pd.read_excel(io.BytesIO(data), dtype=str, keep_default_na=False, engine="openpyxl")
        except Exception as exc:  # openpyxl raises many types for damaged workbooks
            raise InputError(f"{name}: the workbook cannot be read ({exc}); save it again from Excel") from None
        return df.fillna(""), "xlsx"
    table = decode_csv_bytes(data, name=name)
    if not table.text.strip():
        raise InputError(f"{name}: the file is empty; it needs a header row and at least one data row")
    try:
        df = pd.read_csv(io.StringIO(table.text), dtype=str, keep_default_na=False, skip_blank_lines=False)
    except (pd.errors.ParserError, csv.Error) as exc:
        raise InputError(f"{name}: not a well-formed CSV ({exc})") from None
    return df, table.encoding


def read_table(path: str | os.PathLike) -> tuple[pd.DataFrame, str]:
    """Read a CSV or XLSX file as text cells; returns the table and its encoding ("xlsx" for workbooks)."""
    path = Path(path)
    if not path.exists():
        raise InputError(f"{path}: no such file")
    return read_table_bytes(path.read_bytes(), name=path.name)


def table_to_bytes(df: pd.DataFrame, suffix: str) -> bytes:
    """CSV (UTF-8 with BOM, so Excel shows Chinese correctly) or XLSX bytes of ``df``."""
    if suffix == ".xlsx":
        buf = io.BytesIO()
        df.to_excel(buf, index=False, engine="openpyxl")
        return buf.getvalue()
    if suffix == ".csv":
        return df.to_csv(index=False, lineterminator="\n").encode("utf-8-sig")
    raise InputError(f"output should end in .csv or .xlsx, got {suffix or 'no suffix'!r}")


def atomic_write(path: str | os.PathLike, writer: Callable[[Path], None], *, backup: bool = True) -> Path:
    """Write ``path`` through ``writer(temp_path)``, then rename into place.

    An existing file is first copied to ``<name>.bak`` so nothing a user owns is lost.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(fd)
    try:
        writer(Path(tmp))
        if backup and path.exists():
            shutil.copy2(path, path.with_name(path.name + ".bak"))
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    return path


def write_table(df: pd.DataFrame, path: str | os.PathLike) -> Path:
    """Write ``df`` as CSV or XLSX by the suffix of ``path``, atomically, keeping a backup."""
    data = table_to_bytes(df, Path(path).suffix.lower())
    return atomic_write(path, lambda tmp: tmp.write_bytes(data))
