"""Spreadsheets as users bring them: UTF-8, UTF-8 with BOM, GBK/GB18030 CSV and XLSX; atomic writes."""

from __future__ import annotations

import openpyxl
import pandas as pd
import pytest

from layout.errors import InputError
from layout.tables import read_table, read_table_bytes, table_to_bytes, write_table

ROWS = "项目名称,经度,纬度,编号\n茶乡花海,111.2,28.4,007\n,,,\n清溪村,112.31,28.63,1234567890123456\n"


@pytest.mark.parametrize(("encoding", "expected"), [("utf-8", "utf-8"), ("utf-8-sig", "utf-8-sig"),
                                                    ("gbk", "gb18030"), ("gb18030", "gb18030")])
def test_csv_in_every_excel_encoding_reads_the_same(tmp_path, encoding, expected):
    path = tmp_path / "p.csv"
    path.write_bytes(ROWS.encode(encoding))
    df, found = read_table(path)
    assert found == expected
    assert df.columns.tolist() == ["项目名称", "经度", "纬度", "编号"]
    assert df["项目名称"].tolist() == ["茶乡花海", "", "清溪村"]  # the blank row is kept, in order
    assert df["编号"].tolist() == ["007", "", "1234567890123456"]  # text stays text


def test_xlsx_reads_as_text(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["名称", "lon", "lat"])
    ws.append(["梅城", 111.65, 28.13])
    ws.append(["空", None, None])
    wb.save(tmp_path / "p.xlsx")
    df, found = read_table(tmp_path / "p.xlsx")
    assert found == "xlsx" and df["lon"].tolist() == ["111.65", ""] and df["名称"].tolist() == ["梅城", "空"]


@pytest.mark.parametrize(("name", "data", "message"), [
    ("p.txt", b"a,b", "the file type should be .csv or .xlsx, got '.txt'"),
    ("p.xlsx", b"a,b\n1,2", "not a real .xlsx workbook"),
    ("p.csv", b"", "the file is empty"),
    ("p.csv", b"\xff\xfe\x00a\x00,\x00b", "neither UTF-8 nor GBK/GB18030"),
])
def test_bad_files_get_one_clear_message(name, data, message):
    with pytest.raises(InputError, match=message):
        read_table_bytes(data, name=name)


def test_missing_file(tmp_path):
    with pytest.raises(InputError, match="no such file"):
        read_table(tmp_path / "nope.csv")


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_write_round_trip_keeps_a_backup(tmp_path, suffix):
    df = pd.DataFrame({"名称": ["安化黑茶特色小镇", "南洲"], "经度": ["111.2", ""]})
    path = tmp_path / f"out{suffix}"
    write_table(df, path)
    first = path.read_bytes()
    write_table(df.assign(extra="x"), path)
    assert (tmp_path / f"out{suffix}.bak").read_bytes() == first
    back, _ = read_table(path)
    assert back["名称"].tolist() == ["安化黑茶特色小镇", "南洲"] and back["extra"].tolist() == ["x", "x"]
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []


def test_csv_output_has_a_bom_for_excel():
    assert table_to_bytes(pd.DataFrame({"a": ["益阳"]}), ".csv").startswith(b"\xef\xbb\xbf")
