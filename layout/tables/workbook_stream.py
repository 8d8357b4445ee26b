"""The officer's workbook back with result columns added, written at the speed of the format.

The table's sheet XML is copied as it is, row by row, with the new cells appended to each row (inline
strings, numbers, booleans); every other part of the workbook (other sheets, shared strings, styles,
merged cells, formulas, widths, images) is copied unchanged. So the workbook comes back whole, and the
only per-cell work is Arrow's: each distinct value of a result column is written as XML once, and the
cells are joined with Arrow compute.

:func:`stream_result_xlsx` returns None for a workbook it does not edit (a namespace prefix on the sheet's
tags, cells or rows without a reference, rows out of order, CDATA or comments in the sheet, VBA, external
links or ActiveX parts, a value of a kind it does not write): the caller then uses openpyxl's full copy.
"""

from __future__ import annotations

import io
import re
import zipfile
import zlib
from dataclasses import dataclass
from itertools import chain
from typing import ClassVar

import numpy as np
import pandas as pd

from layout.tables.header import column_letters
from layout.tables.table import Table
from layout.tables.workbook import sheet_parts

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")  # text a spreadsheet would run as a formula

_UNSAFE_PARTS = re.compile(r"vbaProject|externalLink|activeX", re.IGNORECASE)  # dropped by the careful copy
_ROW_TAG = re.compile(rb"<row\b[^>]*>")
_ROW_NUMBER = re.compile(rb'<row\b[^>]*?\sr="(\d+)"')
_SELF_CLOSED_ROW = re.compile(rb"<row\b([^>]*?)/>")
_ROW_SPANS = re.compile(rb'(<row\b[^>]*?) spans="[^"]*"')
_CELL_TAG = re.compile(rb"<c\b")
_CELL_REF = re.compile(rb'<c\b[^>]*?\sr="([A-Z]{1,3})\d+"')
_MERGE_REF = re.compile(rb'<mergeCell\b[^>]*?\sref="[A-Z]{1,3}\d+:([A-Z]{1,3})\d+"')
_DIMENSION = re.compile(rb'<dimension\s+ref="([A-Z]{1,3})(\d+)(?::[A-Z]{1,3}(\d+))?"\s*/>')
_COLS = re.compile(rb"<cols>(.*?)</cols>", re.DOTALL)
_COL_MAX = re.compile(rb'<col\b[^>]*?\smax="(\d+)"')
_ENCODING = re.compile(rb"""<\?xml[^>]*?encoding=["']([^"']+)["']""")
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def column_width(name: object, values: list) -> float:
    """A column's width in Excel's units: its longest text among the name and the first 200 values (CJK
    characters count twice), between 8 and 60."""
    sample = [str(name), *(str(v) for v in values[:200] if v is not None)]
    longest = max(sum(2 if ord(ch) > 0x2E80 else 1 for ch in s) for s in sample)
    return float(min(max(longest + 2, 8), 60))


def _letters_index(letters: bytes) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ch - 64
    return n


def _text_xml(text: str) -> str:
    """Cell text as the body of an inline string: neutralised, escaped, characters XML cannot hold dropped."""
    if text.startswith(FORMULA_START):
        text = "'" + text
    text = _XML_ILLEGAL.sub("", text)
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\r", "&#13;")
    return f'" t="inlineStr"><is><t xml:space="preserve">{text}</t></is></c>'


def _value_xml(value: object) -> str | None:
    """What follows ``<c r="B7`` for one value ("" for no cell), or None for a kind not written here."""
    if isinstance(value, np.generic):
        value = value.item()
    if value is None or (isinstance(value, float) and not np.isfinite(value)):
        return ""
    if isinstance(value, bool):
        return f'" t="b"><v>{int(value)}</v></c>'
    if isinstance(value, (int, float)):
        return f'" t="n"><v>{value!r}</v></c>'
    if isinstance(value, str):
        return _text_xml(value) if value else ""
    return None


def _column_plan(col: pd.Series, start: str) -> tuple | None:
    """How to write one result column: its cells' start (``<c r="G``) and either its float values or its
    codes with each distinct value's XML after the reference (null: no cell); None for a kind of value
    not written here."""
    import pyarrow as pa

    if col.dtype.kind == "f":
        return start, col.to_numpy(dtype=np.float64), None
    if isinstance(col.dtype, pd.CategoricalDtype):
        codes, uniques = col.cat.codes.to_numpy(), list(col.cat.categories)
    else:
        codes, found = pd.factorize(col, use_na_sentinel=True)
        uniques = list(found)
    tails = [_value_xml(v) for v in uniques]
    if any(t is None for t in tails):
        return None
    return start, codes, pa.array([t or None for t in tails], type=pa.string())


def _fragments(plan: list[tuple], rows: np.ndarray, lo: int, hi: int) -> list[bytes]:
    """The XML of the added cells of data rows ``lo:hi`` (sheet rows ``rows``), one bytes per row (Arrow
    compute: no Python per cell)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    if not plan:
        return [b""] * (hi - lo)
    numbers = pc.cast(pa.array(rows, type=pa.int64()), pa.string())
    cells = []
    for start, data, tails in plan:
        if tails is None:  # floats: the shortest text that reads back as the same number
            values = data[lo:hi]
            text = pc.cast(pa.array(values, mask=~np.isfinite(values)), pa.string())
            tail = pc.binary_join_element_wise('" t="n"><v>', text, "</v></c>", "")  # null stays null
        else:
            codes = data[lo:hi]
            tail = pc.take(tails, pa.array(codes, mask=codes < 0))
        cells.append(pc.fill_null(pc.binary_join_element_wise(start, numbers, tail, ""), ""))
    return pc.cast(pc.binary_join_element_wise(*cells, ""), pa.binary()).to_pylist()


def _header_style(body: bytes, row: int, column: int) -> bytes:
    """The ``s="N"`` of the header's cell at (``row``, ``column``), to give the new header cells its look."""
    found = re.search(rb'<c\b[^>]*?\sr="' + column_letters(column).encode() + str(row).encode() + rb'"[^>]*>', body)
    style = re.search(rb'\ss="(\d+)"', found.group(0)) if found else None
    return b' s="' + style.group(1) + b'"' if style else b""


def _edit_head(head: bytes, first: int, last: int, last_row: int, widths: list[float]) -> bytes:
    """The sheet's XML before ``<sheetData``: the dimension widened, widths given to the new columns."""
    dim = _DIMENSION.search(head)
    if dim:
        rows = max(int(dim.group(3) or dim.group(2)), last_row)
        new = b'<dimension ref="' + dim.group(1) + dim.group(2) + b":" + column_letters(last).encode()
        head = head[: dim.start()] + new + str(rows).encode() + b'"/>' + head[dim.end() :]
    cols = "".join(
        f'<col min="{first + k}" max="{first + k}" width="{w}" customWidth="1"/>' for k, w in enumerate(widths)
    ).encode()
    found = _COLS.search(head)
    if found is None:
        return head + b"<cols>" + cols + b"</cols>"
    if any(int(m) >= first for m in _COL_MAX.findall(found.group(1))):
        return head  # a width set over the new columns already (e.g. every column): keep the officer's
    return head[: found.end() - len(b"</cols>")] + cols + head[found.end() - len(b"</cols>") :]


def stream_result_xlsx(table: Table, added: pd.DataFrame) -> bytes | None:
    """The officer's workbook (``table.source``) with ``added`` appended to its table's sheet, every other
    part copied as it is; None when the workbook is not one this edits (see the module's docstring).

    The new columns start right of the sheet's last cell or merged range, their names on the header's
    last row (in its style), their values on each data row; text is written as text, never a formula,
    and text a spreadsheet would run is neutralised with a leading ``'``. The sheet is written a block of
    rows at a time, so the memory beyond the workbook's own XML stays small.
    """
    if table.kind != "xlsx" or not table.source or table.sheet is None:
        return None
    try:
        return _stream(table, added)
    except (ValueError, KeyError, IndexError, OverflowError, zipfile.BadZipFile, zlib.error, EOFError):
        return None  # a file the reader took but this cannot edit: the careful copy writes it, as before


def _stream(table: Table, added: pd.DataFrame) -> bytes | None:
    with zipfile.ZipFile(io.BytesIO(table.source)) as zf:
        infos = zf.infolist()
        if any(_UNSAFE_PARTS.search(i.filename) for i in infos):
            return None
        part = next((p for p, s in sheet_parts(zf).items() if s == table.sheet), None)
        if part is None or part not in zf.namelist():
            return None
        edit = _SheetEdit.make(zf.read(part), table, added)
        if edit is None:
            return None
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as new:
            for info in infos:
                if info.filename == part:
                    with new.open(part, "w") as fh:
                        edit.write(fh)
                else:
                    new.writestr(info, zf.read(info), compress_type=zipfile.ZIP_DEFLATED, compresslevel=1)
    return out.getvalue()


@dataclass
class _SheetEdit:
    """The table's sheet XML cut at its rows, and where each new cell goes; :meth:`write` streams it out."""

    head: bytes  # the XML before <sheetData>, dimension and widths edited
    foot: bytes  # from </sheetData> on
    pieces: list[bytes]  # the rows' XML, cut at each </row>
    plan: list[tuple]  # how to write each result column (_column_plan)
    header: bytes  # the new header cells
    rows: np.ndarray  # each data row's sheet row
    wanted: np.ndarray  # the header's row, then the data rows'
    at: np.ndarray  # for each of those, the index of the file's row it is (or comes before)
    present: np.ndarray  # whether the file has that row

    CHUNK: ClassVar[int] = 16_384  # rows a block

    @classmethod
    def make(cls, xml: bytes, table: Table, added: pd.DataFrame) -> _SheetEdit | None:
        """The edit of ``xml``, or None for a sheet this does not edit."""
        if b"<![CDATA[" in xml or b"<!--" in xml or xml.count(b"<sheetData") != 1:
            return None
        declared = _ENCODING.match(xml)
        if declared and declared.group(1).lower() not in (b"utf-8", b"utf8"):
            return None  # the new cells are UTF-8
        open_at = xml.find(b"<sheetData>")
        close_at = xml.find(b"</sheetData>")
        if open_at < 0 or close_at < open_at:
            return None
        head, body, foot = xml[:open_at], xml[open_at + len(b"<sheetData>") : close_at], xml[close_at:]
        if len(_CELL_TAG.findall(body)) != len(_CELL_REF.findall(body)):
            return None  # a cell without a reference: its column is where openpyxl counts it, not read here
        body = _SELF_CLOSED_ROW.sub(rb"<row\1></row>", body)
        body = _ROW_SPANS.sub(rb"\1", body)  # the rows' column spans (an optional hint) would be wrong now
        found = _ROW_NUMBER.findall(body)
        if not found or len(found) != len(_ROW_TAG.findall(body)):
            return None  # no rows, or rows without numbers
        numbers = np.array(found, dtype=np.bytes_).astype(np.int64)
        if (np.diff(numbers) <= 0).any():
            return None  # rows out of order
        pieces = body.split(b"</row>")
        if len(pieces) != len(numbers) + 1:
            return None
        widest = max((_letters_index(c) for c in set(_CELL_REF.findall(body))), default=0)
        widest = max(widest, *(_letters_index(c) for c in set(_MERGE_REF.findall(foot))), 0)
        first = widest + 1
        planned = [_column_plan(added[c], '<c r="' + column_letters(first + k)) for k, c in enumerate(added.columns)]
        plan = [p for p in planned if p is not None]
        if len(plan) != len(planned):
            return None  # a value of a kind not written here
        style = _header_style(body, table.header_row, max(1, first - 1))
        names = [_value_xml(str(c)) or "" for c in added.columns]
        header = "".join(f'<c r="{column_letters(first + k)}{table.header_row}' + n for k, n in enumerate(names) if n)
        header = header.replace('" t="inlineStr">', '"' + style.decode() + ' t="inlineStr">')
        rows = np.asarray(table.row_numbers, dtype=np.int64)
        wanted = np.concatenate([[table.header_row], rows]).astype(np.int64)
        at = np.searchsorted(numbers, wanted)  # the file's row each new cell goes in (or before, when absent)
        present = (at < len(numbers)) & (numbers[np.minimum(at, len(numbers) - 1)] == wanted)
        widths = [column_width(c, added[c].head(200).tolist()) for c in added.columns]
        last_row = int(max(numbers[-1], wanted.max()))
        head = _edit_head(head, first, first + len(added.columns) - 1, last_row, widths)
        return cls(
            head=head, foot=foot, pieces=pieces, plan=plan, header=header.encode(), rows=rows, wanted=wanted,
            at=at, present=present,
        )  # fmt: skip

    def _values(self, k0: int, k1: int) -> list[bytes]:
        """The new cells of entries ``k0:k1`` of ``wanted`` (0: the header, k: data row k - 1)."""
        out = []
        if k0 == 0 and k1 > 0:
            out.append(self.header)
            k0 = 1
        if k1 > k0:
            out += _fragments(self.plan, self.rows[k0 - 1 : k1 - 1], k0 - 1, k1 - 1)
        return out

    def write(self, fh) -> None:
        fh.write(self.head + b"<sheetData>")
        rows_in_file = len(self.pieces) - 1
        for j0 in range(0, rows_in_file, self.CHUNK):
            j1 = min(j0 + self.CHUNK, rows_in_file)
            k0, k1 = (int(k) for k in np.searchsorted(self.at, [j0, j1]))
            values = self._values(k0, k1)
            at, present = self.at[k0:k1] - j0, self.present[k0:k1]
            before, after = [b""] * (j1 - j0), [b""] * (j1 - j0)
            if len(at) and present.all() and (np.diff(at) == 1).all():  # the usual case: one run of rows
                after[at[0] : at[0] + len(values)] = values
            else:
                for i in np.flatnonzero(present).tolist():
                    after[at[i]] = values[i]
                for i in np.flatnonzero(~present).tolist():  # rows the file leaves out (blank): made for the cells
                    if values[i]:
                        before[at[i]] += b'<row r="%d">' % self.wanted[k0 + i] + values[i] + b"</row>"
            ends = [b"</row>"] * (j1 - j0)
            fh.write(b"".join(chain.from_iterable(zip(before, self.pieces[j0:j1], after, ends, strict=True))))
        k0 = int(np.searchsorted(self.at, rows_in_file))
        tail = [
            b'<row r="%d">' % self.wanted[k] + v + b"</row>"
            for k, v in zip(range(k0, len(self.wanted)), self._values(k0, len(self.wanted)), strict=True)
            if v
        ]  # rows after the file's last one
        fh.write(b"".join(tail) + self.pieces[-1] + self.foot)
