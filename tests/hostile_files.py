"""Hostile workbooks from the probe of issue 14, made in memory: one cell far out (pandas/openpyxl would pad
every row to it) and a zip bomb (a small file whose sheet unpacks to hundreds of MB)."""

from __future__ import annotations

import io
import zipfile

import openpyxl


def far_cell_workbook(cell: str) -> bytes:
    """A two-row table of name, lon, lat with one more cell at ``cell`` (e.g. "XFD1048576")."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["name", "lon", "lat"])
    ws.append(["A", 112.35, 28.58])
    ws[cell] = "z"
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def zip_bomb_workbook(megabytes: int = 300) -> bytes:
    """The same table with ``megabytes`` MB of blanks in its sheet XML (about 0.3 MB compressed)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(far_cell_workbook("C3"))) as zin, \
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = data.replace(b"<sheetData>", b"<sheetData>" + b" " * (megabytes << 20))
            zout.writestr(item, data)
    return out.getvalue()
