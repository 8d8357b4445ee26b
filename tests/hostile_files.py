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
    with (
        zipfile.ZipFile(io.BytesIO(far_cell_workbook("C3"))) as zin,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout,
    ):
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = data.replace(b"<sheetData>", b"<sheetData>" + b" " * (megabytes << 20))
            zout.writestr(item, data)
    return out.getvalue()


def patched_size_workbook(member: str = "xl/worksheets/sheet1.xml", size: int = 10) -> bytes:
    """A workbook whose zip headers (central and local) declare ``size`` bytes for ``member``: its data no
    longer matches (a bad CRC when read)."""
    import struct

    data = bytearray(far_cell_workbook("C3"))
    name = member.encode()
    for signature, size_at, name_len_at, name_at in ((b"PK\x01\x02", 24, 28, 46), (b"PK\x03\x04", 22, 26, 30)):
        i = 0
        while (i := data.find(signature, i)) != -1:
            n = struct.unpack_from("<H", data, i + name_len_at)[0]
            if bytes(data[i + name_at : i + name_at + n]) == name:
                struct.pack_into("<I", data, i + size_at, size)
            i += 4
    return bytes(data)


def sheet_xml_workbook(sheet_data: bytes, *, tag: bytes = b"sheetData") -> bytes:
    """A workbook whose first sheet's ``<sheetData>`` is replaced by ``sheet_data`` (raw XML) inside ``<tag>``
    (e.g. ``x:sheetData``, as programs that prefix every tag write it)."""
    import re

    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(far_cell_workbook("C3"))) as zin,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout,
    ):
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = re.sub(
                    rb"<sheetData>.*</sheetData>", lambda m: b"<%s>%s</%s>" % (tag, sheet_data, tag), data, flags=re.S
                )
                data = re.sub(rb"<dimension[^>]*/>", b"", data)
            zout.writestr(item, data)
    return out.getvalue()


def forged_formula_workbook() -> bytes:
    """name, lon, lat with lon ``=112+0.35`` whose saved result says 999 (Excel would show 112.35)."""
    return sheet_xml_workbook(
        b'<row r="1"><c r="A1" t="inlineStr"><is><t>name</t></is></c><c r="B1" t="inlineStr"><is><t>lon</t></is></c>'
        b'<c r="C1" t="inlineStr"><is><t>lat</t></is></c></row>'
        b'<row r="2"><c r="A2" t="inlineStr"><is><t>A</t></is></c><c r="B2"><f>112+0.35</f><v>999</v></c>'
        b'<c r="C2"><v>28.58</v></c></row>'
    )
