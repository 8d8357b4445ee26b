"""The streamed workbook writer gives the same cells as openpyxl's careful copy (the oracle: openpyxl's normal
reader over both outputs), keeps every other part of the officer's workbook, and steps aside for a workbook
it does not edit."""

from __future__ import annotations

import datetime as dt
import importlib.util
import io
import re
import zipfile

import numpy as np
import openpyxl
import pandas as pd
import pytest
from conftest import ROOT

from layout.tables.batch import classify_table
from layout.tables.read import read_table_bytes
from layout.tables.workbook import _cell_text, _column_texts
from layout.tables.workbook_stream import _SheetEdit, stream_result_xlsx
from layout.tables.write import result_xlsx_bytes

ANHUA, NANXIAN, CHANGSHA = (111.20586, 28.38017), (112.40243, 29.35955), (112.97087, 28.19874)
EVIL = ["=1+1", "+SUM(A1)", "-2+3", "@cmd", "\tx", "a<b&c>d", "  two spaces  ", "line\nbreak"]


def _bench():
    spec = importlib.util.spec_from_file_location("xlsx_roundtrip", ROOT / "bench" / "xlsx_roundtrip.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def officer_book() -> bytes:
    """A 说明 sheet, then a sheet with a merged title, a bold two-level header, dates, a number format, a
    formula, a blank row inside the table and a note below it."""
    wb = openpyxl.Workbook()
    wb.active.title = "说明"
    wb["说明"]["A1"] = "本表由益阳市发改局填报。"
    ws = wb.create_sheet("项目清单")
    ws.append(["益阳市服务业重点项目调度表"])
    ws.append(["序号", "项目名称", "坐标", None, "开工日期", "总投资"])
    ws.append([None, None, "经度", "纬度", None, None])
    for cells in ("A1:F1", "A2:A3", "B2:B3", "C2:D2", "E2:E3", "F2:F3"):
        ws.merge_cells(cells)
    for c in range(1, 7):
        ws.cell(row=2, column=c).font = openpyxl.styles.Font(bold=True)
        ws.cell(row=3, column=c).font = openpyxl.styles.Font(bold=True)
    data = [
        [1, "茶乡花海", *ANHUA, dt.date(2026, 3, 1), 30000],
        [2, "南洲新区", "112°24′08.7″", "29°21′34.4″", dt.date(2026, 5, 1), 12000.5],
        [3, "长沙对接", *CHANGSHA, None, 800],
        None,  # a blank row inside the table: no <row> in the file
        [5, "=HYPERLINK(1)", None, None, None, 5],
        [6, "南县", *NANXIAN, dt.datetime(2026, 6, 1, 8, 30), None],
    ]
    for r, row in enumerate(data, start=4):
        for c, v in enumerate(row or [], start=1):
            ws.cell(row=r, column=c, value=v)
    ws["B8"].data_type = "s"  # the officer's own text that looks like a formula
    ws["F10"] = "=SUM(F4:F9)"
    ws["F4"].number_format = "#,##0"
    ws["E4"].number_format = "yyyy-mm-dd"
    ws["A12"] = "注：坐标为 WGS84。"
    ws.column_dimensions["B"].width = 28
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _cells(data: bytes) -> dict[str, dict[str, tuple]]:
    """Every cell of every sheet, with its value, type, number format and boldness (openpyxl, normal mode)."""
    wb = openpyxl.load_workbook(io.BytesIO(data))
    out = {}
    for ws in wb.worksheets:
        out[ws.title] = {
            c.coordinate: (c.value, c.data_type, c.number_format, bool(c.font and c.font.b))
            for row in ws.iter_rows()
            for c in row
            if c.value is not None
        }
    return out


def _unstyled_header(cells: dict[str, dict[str, tuple]], sheet: str, row: int, first: str) -> dict:
    """``cells`` without the boldness of the new header cells (row ``row``, columns from ``first``): openpyxl's
    copy takes the look of the header's last cell only when that cell is not part of a merged range."""
    out = {k: dict(v) for k, v in cells.items()}
    for ref, value in out[sheet].items():
        col, r = re.match(r"([A-Z]+)(\d+)", ref).groups()
        if int(r) == row and (len(col), col) >= (len(first), first):
            out[sheet][ref] = (*value[:3], None)
    return out


def _layout(data: bytes) -> dict[str, tuple]:
    wb = openpyxl.load_workbook(io.BytesIO(data))
    return {
        ws.title: (
            sorted(map(str, ws.merged_cells.ranges)),
            {k: d.width for k, d in ws.column_dimensions.items() if d.customWidth},
        )
        for ws in wb.worksheets
    }


def _both(table, added):
    streamed = stream_result_xlsx(table, added)
    assert streamed is not None, "the streamed writer stepped aside"
    careful = result_xlsx_bytes(table, added, stream=False)
    return streamed, careful


@pytest.mark.parametrize(("lang", "chunk"), [("zh", 16_384), ("en", 16_384), ("zh", 2), ("zh", 3)])
def test_streamed_workbook_has_the_careful_copys_cells(lang, chunk, monkeypatch):
    monkeypatch.setattr(_SheetEdit, "CHUNK", chunk)  # blocks of rows that cut the table (and its blank row)
    table = read_table_bytes(officer_book(), name="项目.xlsx")
    assert table.sheet == "项目清单" and table.header_row == 3 and table.row_numbers.tolist() == list(range(4, 13))
    added = classify_table(table, lang=lang).added
    streamed, careful = _both(table, added)
    assert result_xlsx_bytes(table, added) == streamed  # the default path is the streamed one
    got, want = _cells(streamed), _cells(careful)
    assert list(got) == ["说明", "项目清单"]
    assert _unstyled_header(got, "项目清单", 3, "G") == _unstyled_header(want, "项目清单", 3, "G")
    assert _layout(streamed) == _layout(careful)
    sheet = got["项目清单"]
    assert sheet["G3"][0] == ("所在县区" if lang == "zh" else "county") and sheet["G3"][3]  # bold like the header
    assert sheet["G4"][0] == ("安化县" if lang == "zh" else "安化县") and "G7" not in sheet  # the blank row: no county
    assert sheet["B8"][:2] == ("=HYPERLINK(1)", "s") and sheet["F10"][:2] == ("=SUM(F4:F9)", "f")
    assert sheet["F4"][2] == "#,##0" and sheet["E4"][2] == "yyyy-mm-dd"


def test_streamed_workbook_keeps_every_other_part_byte_for_byte():
    source = officer_book()
    table = read_table_bytes(source, name="项目.xlsx")
    streamed = stream_result_xlsx(table, classify_table(table).added)
    with zipfile.ZipFile(io.BytesIO(source)) as a, zipfile.ZipFile(io.BytesIO(streamed)) as b:
        assert a.namelist() == b.namelist()
        changed = [n for n in a.namelist() if a.read(n) != b.read(n)]
        assert changed == ["xl/worksheets/sheet2.xml"]
        before, after = a.read(changed[0]), b.read(changed[0])
    # the officer's own cells are the same XML, in order: only new cells and rows were added
    own = re.findall(rb'<c r="[A-F]\d+".*?(?:/>|</c>)', before)
    assert re.findall(rb'<c r="[A-F]\d+".*?(?:/>|</c>)', after) == own


def test_text_added_to_a_workbook_is_neutralised_and_never_a_formula():
    table = read_table_bytes(officer_book(), name="项目.xlsx")
    n = len(table.frame)
    added = pd.DataFrame(
        {
            "=说明": pd.Categorical((EVIL * 2)[:n]),
            "objects": pd.Series([True, False, None, 3, 2.5, "=x", "", None, "ok"][:n], dtype=object),
            "km": np.array([1.5, np.nan, 0.1, 12.0, 1e-7, 123456.7, np.inf, -0.0, 3.25])[:n],
        }
    )
    streamed, careful = _both(table, added)
    got = _cells(streamed)
    assert _unstyled_header(got, "项目清单", 3, "G") == _unstyled_header(_cells(careful), "项目清单", 3, "G")
    sheet = got["项目清单"]
    assert sheet["G3"][:2] == ("'=说明", "s")
    assert [sheet[f"G{r}"][0] for r in range(4, 4 + len(EVIL))] == ["'" + e if e[0] in "=+-@\t" else e for e in EVIL]
    with zipfile.ZipFile(io.BytesIO(streamed)) as zf:
        xml = zf.read("xl/worksheets/sheet2.xml")
    assert xml.count(b"<f>") == 1  # the officer's own SUM only


def test_a_large_excel_like_workbook_streams_with_the_same_cells(tmp_path, monkeypatch):
    monkeypatch.setattr(_SheetEdit, "CHUNK", 1000)
    # the bench's own generator: written as Excel writes (shared strings, dimension, row spans)
    data = _bench().make_workbook(3000, tmp_path / "调度表.xlsx").read_bytes()
    table = read_table_bytes(data, name="调度表.xlsx")
    assert table.frame.columns.tolist() == ["序号", "项目名称", "坐标·经度", "坐标·纬度"] and len(table.frame) == 3000
    added = classify_table(table).added
    streamed, careful = _both(table, added)
    got = _cells(streamed)
    assert got == _cells(careful)
    assert _layout(streamed) == _layout(careful)
    counties = [got["项目清单"].get(f"E{r}", (None,))[0] for r in range(4, 3004)]
    assert counties == [v or None for v in added.iloc[:, 0].astype(str).tolist()]
    wb = openpyxl.load_workbook(io.BytesIO(streamed), read_only=True)
    assert wb["项目清单"].calculate_dimension() == "A1:M3003"  # the dimension widened over the new columns


@pytest.mark.parametrize(
    "edit",
    [
        pytest.param(lambda xml: xml.replace(b'<c r="', b'<c x="'), id="cells without references"),
        pytest.param(lambda xml: xml.replace(b"<sheetData>", b"<!-- note --><sheetData>"), id="a comment"),
        pytest.param(lambda xml: re.sub(rb'<row r="5"', b'<row r="99"', xml), id="rows out of order"),
        pytest.param(lambda xml: b'<?xml version="1.0" encoding="GBK"?>' + xml, id="not UTF-8"),
    ],
)
def test_a_sheet_it_does_not_edit_falls_back_to_the_careful_copy(edit):
    source = officer_book()
    table = read_table_bytes(source, name="项目.xlsx")
    added = classify_table(table).added
    buf = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(source)) as a, zipfile.ZipFile(buf, "w") as b:
        for info in a.infolist():
            data = a.read(info)
            b.writestr(info, edit(data) if info.filename == "xl/worksheets/sheet2.xml" else data)
    table.source = buf.getvalue()
    assert stream_result_xlsx(table, added) is None


def test_vba_and_external_links_are_left_to_the_careful_copy():
    source = officer_book()
    table = read_table_bytes(source, name="项目.xlsx")
    buf = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(source)) as a, zipfile.ZipFile(buf, "w") as b:
        for info in a.infolist():
            b.writestr(info, a.read(info))
        b.writestr("xl/vbaProject.bin", b"\x00macro")
    table.source = buf.getvalue()
    assert stream_result_xlsx(table, classify_table(table).added) is None


def test_columns_become_the_same_text_as_cell_by_cell():
    values = [
        ["项目", 1.5, 3, None, dt.date(2026, 1, 2), True, 2.0, "x"],
        ["", -0.25, None, 7.0, dt.datetime(2026, 1, 2, 3, 4), False, float("nan")],
        [None, 1e-7],
    ]
    width = 8
    cells = [[_cell_text(r[j]) if j < len(r) else "" for r in values] for j in range(width)]
    assert _column_texts([tuple(r) for r in values], width) == cells
    assert _column_texts([], 3) == [[], [], []]
    pure = [(7, 1.25, "a"), (-3, float("inf"), "b"), (10**16, 2.5, "c")]  # an int, a float and a text column
    assert _column_texts(pure, 3) == [["7", "-3", str(10**16)], ["1.25", "inf", "2.5"], ["a", "b", "c"]]
    assert _column_texts([(1e15,), (2.5,)], 1) == [["1000000000000000.0", "2.5"]]  # whole, but too large for int


def test_an_image_in_the_workbook_comes_back():
    from openpyxl.drawing.image import Image
    from PIL import Image as PILImage

    wb = openpyxl.load_workbook(io.BytesIO(officer_book()))
    png = io.BytesIO()
    PILImage.new("RGB", (8, 8), "red").save(png, format="PNG")
    wb["项目清单"].add_image(Image(io.BytesIO(png.getvalue())), "H14")
    buf = io.BytesIO()
    wb.save(buf)
    table = read_table_bytes(buf.getvalue(), name="项目.xlsx")
    streamed = stream_result_xlsx(table, classify_table(table).added)
    with zipfile.ZipFile(io.BytesIO(streamed)) as zf:
        assert zf.read("xl/media/image1.png") == png.getvalue()
        assert b"<drawing " in zf.read("xl/worksheets/sheet2.xml")
    assert len(openpyxl.load_workbook(io.BytesIO(streamed))["项目清单"]._images) == 1


def test_a_result_value_of_another_kind_is_left_to_the_careful_copy():
    table = read_table_bytes(officer_book(), name="项目.xlsx")
    added = pd.DataFrame({"日期": pd.Series([dt.date(2026, 1, 1)] * len(table.frame), dtype=object)})
    assert stream_result_xlsx(table, added) is None
    back = openpyxl.load_workbook(io.BytesIO(result_xlsx_bytes(table, added)))["项目清单"]
    assert back["G3"].value == "日期" and back["G4"].value == dt.datetime(2026, 1, 1)


def test_a_damaged_sheet_part_is_left_to_the_careful_path():
    source = officer_book()
    table = read_table_bytes(source, name="项目.xlsx")
    added = classify_table(table).added
    table.source = source.replace(b"xl/worksheets/sheet2.xml", b"xl/worksheets/sheetX.xml")  # the part is gone
    assert stream_result_xlsx(table, added) is None
    table.source = b"PK" + b"\x00" * 40  # not a zip at all
    assert stream_result_xlsx(table, added) is None
