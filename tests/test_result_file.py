"""layout.tables.result_file: the batch check's download is the officer's own file, columns added."""

from __future__ import annotations

import csv
import datetime as dt
import io

import openpyxl
import pytest

from layout.errors import InputError
from layout.tables.read import read_table_bytes
from layout.tables.result_file import RESULT_FORMATS, check_file_bytes, result_file_bytes


def officer_workbook() -> bytes:
    """A title row over merged cells, a notes sheet first, dates, DMS text and a row with no point."""
    wb = openpyxl.Workbook()
    wb.active.title = "说明"
    wb["说明"]["A1"] = "本表由发改局填报"
    ws = wb.create_sheet("项目清单")
    ws["A1"] = "2026年益阳市重点项目清单"
    ws.merge_cells("A1:E1")
    rows = [
        ["项目名称", "总投资（万元）", "开工日期", "经度", "纬度"],
        ["茶乡花海", 30000, dt.date(2026, 3, 1), 111.20586, 28.38017],  # 安化县 (东坪镇)
        ["南洲新区", 12000.5, dt.date(2026, 5, 1), "112°24′08.7″", "29°21′34.4″"],  # 南县
        ["长沙对接", 800, None, 112.97087, 28.19874],  # 长沙: outside 益阳
        ["待定项目", 5, None, "待定", None],
    ]
    for r, row in enumerate(rows, start=3):
        for c, v in enumerate(row, start=1):
            ws.cell(row=r, column=c, value=v)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def test_xlsx_download_is_the_officers_own_workbook():
    out = check_file_bytes(officer_workbook(), name="项目清单.xlsx", sheet="项目清单", fmt="xlsx")
    wb = openpyxl.load_workbook(io.BytesIO(out))
    ws = wb["项目清单"]
    assert wb.sheetnames == ["说明", "项目清单"] and wb["说明"]["A1"].value == "本表由发改局填报"
    assert ws["A1"].value == "2026年益阳市重点项目清单" and "A1:E1" in {str(r) for r in ws.merged_cells.ranges}
    assert [ws.cell(row=3, column=c).value for c in range(1, 6)] == [
        "项目名称",
        "总投资（万元）",
        "开工日期",
        "经度",
        "纬度",
    ]
    assert ws["B4"].value == 30000 and ws["B5"].value == 12000.5  # numbers stay numbers
    assert ws["F3"].value == "所在县区"
    assert [ws.cell(row=r, column=6).value for r in range(4, 8)][:2] == ["安化县", "南县"]


def test_csv_download_keeps_every_row_and_adds_columns():
    data = "名称,经度,纬度\n茶乡花海,111.20586,28.38017\n长沙对接,112.97087,28.19874\n待定项目,abc,\n".encode()
    out = check_file_bytes(data, name="points.csv", fmt="csv")
    assert out.startswith("\ufeff".encode())  # UTF-8 with a BOM: Excel opens it as Chinese text
    rows = list(csv.reader(io.StringIO(out.decode("utf-8-sig"))))
    assert rows[0][:3] == ["名称", "经度", "纬度"] and "所在县区" in rows[0]
    county = rows[0].index("所在县区")
    assert [r[0] for r in rows[1:]] == ["茶乡花海", "长沙对接", "待定项目"]
    assert rows[1][1:3] == ["111.20586", "28.38017"]  # the officer's own text, untouched
    assert rows[1][county] == "安化县" and rows[2][county] == "" and rows[3][county] == ""


def test_result_file_bytes_takes_a_table_read_once():
    data = "名称,经度,纬度\n茶乡花海,111.20586,28.38017\n".encode()
    table = read_table_bytes(data, name="p.csv")
    from layout.tables.batch import classify_table

    added = classify_table(table).added
    assert result_file_bytes(table, added, fmt="csv") == check_file_bytes(data, name="p.csv", fmt="csv")
    assert RESULT_FORMATS == ("csv", "xlsx")


@pytest.mark.parametrize("fmt", ["pdf", "XLSX", ""])
def test_unknown_format_is_refused_by_name(fmt):
    data = "名称,经度,纬度\n茶乡花海,111.20586,28.38017\n".encode()
    with pytest.raises(InputError, match=r"fmt should be one of csv, xlsx, got"):
        check_file_bytes(data, name="p.csv", fmt=fmt)
    table = read_table_bytes(data, name="p.csv")
    with pytest.raises(InputError, match=r"fmt should be one of csv, xlsx, got"):
        result_file_bytes(table, table.frame.iloc[:, :0], fmt=fmt)
