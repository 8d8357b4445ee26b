"""Spreadsheets as officers bring them, given back whole; hostile and broken files end in one clear message."""

from __future__ import annotations

import datetime as dt
import io
import os
import re
import stat
import subprocess
import sys
import zipfile

import openpyxl
import pandas as pd
import pytest
from conftest import ROOT
from hostile_files import far_cell_workbook, zip_bomb_workbook

from layout.errors import InputError, OutputError, TableTooLargeError
from layout.i18n import error_text
from layout.tables.batch import classify_table, decision_text, nothing_located_text
from layout.tables.files import atomic_write, locked
from layout.tables.read import read_table, read_table_bytes
from layout.tables.table import MAX_COLUMNS
from layout.tables.write import (
    neutralise,
    result_csv_bytes,
    result_xlsx_bytes,
    table_to_bytes,
    write_result,
    write_table,
)

# Decimal-degree truth for the points below: 茶乡花海 in 安化县, 南洲 in 南县, 长沙 outside (nearest 赫山区)
ANHUA, NANXIAN, CHANGSHA = (111.20586, 28.38017), (112.40243, 29.35955), (112.97087, 28.19874)


def gbk_csv(tmp_path):
    text = (
        "2026年益阳市重点项目清单,,,,\n"
        "项目名称,经度（°）,纬度（°）,总投资（万元）,编号\n"
        f"茶乡花海,{ANHUA[0]},{ANHUA[1]},30000,007\n"
        '南洲新区,112°24′08.7″,29°21′34.4″,"12,000",1234567890123456\n'
        "待定项目,待定,,5,\n"
        f"长沙对接,{CHANGSHA[0]},{CHANGSHA[1]},1,\n"
        f"填反了,{ANHUA[1]},{ANHUA[0]},2,\n"
    )
    path = tmp_path / "项目.csv"
    path.write_bytes(text.encode("gbk"))
    return path


def officer_workbook(tmp_path):
    """A 发改局-style workbook: a 说明 sheet first, then 项目清单 with a merged title and its header on row 3."""
    wb = openpyxl.Workbook()
    wb.active.title = "说明"
    wb["说明"]["A1"] = "本表由益阳市发改局填报，数据截至 2026 年 3 月。"
    ws = wb.create_sheet("项目清单")
    ws["A1"] = "2026年益阳市重点项目清单"
    ws.merge_cells("A1:G1")
    ws.append(["序号", "项目名称", "总投资（万元）", "开工日期", "经度", "纬度", "坐标系说明"])
    ws.move_range("A2:G2", rows=1)
    rows = [
        [1, "茶乡花海", 30000, dt.date(2026, 3, 1), ANHUA[0], ANHUA[1], "WGS84"],
        [2, "南洲新区", 12000.5, dt.date(2026, 5, 1), "112°24′08.7″", "29°21′34.4″", "度分秒"],
        [3, "长沙对接", 800, dt.date(2026, 6, 1), CHANGSHA[0], CHANGSHA[1], None],
        [4, "空坐标", 100, None, None, None, None],
    ]
    for r, row in enumerate(rows, start=4):
        for c, v in enumerate(row, start=1):
            ws.cell(row=r, column=c, value=v)
    ws["C8"] = "=SUM(C4:C7)"
    ws["C4"].number_format = "#,##0"
    ws["D4"].number_format = "yyyy-mm-dd"
    ws.column_dimensions["B"].width = 28
    path = tmp_path / "项目清单.xlsx"
    wb.save(path)
    return path


# -- reading -------------------------------------------------------------------------------------


def test_gbk_csv_with_title_row_is_found_and_kept(tmp_path):
    table = read_table(gbk_csv(tmp_path))
    assert table.encoding == "gb18030" and table.header_row == 2
    assert table.frame.columns.tolist() == ["项目名称", "经度（°）", "纬度（°）", "总投资（万元）", "编号"]
    assert table.frame["编号"].tolist() == ["007", "1234567890123456", "", "", ""]  # text stays text
    assert table.row_numbers.tolist() == [3, 4, 5, 6, 7]
    assert ("note.header_row", {"row": 2}) in table.notes


def test_workbook_sheet_and_header_under_a_merged_title(tmp_path):
    table = read_table(officer_workbook(tmp_path))
    assert table.sheet == "项目清单" and table.sheets == ["说明", "项目清单"] and table.header_row == 3
    assert table.frame["总投资（万元）"].tolist()[:2] == ["30000", "12000.5"]
    assert table.frame["开工日期"].tolist()[0] == "2026-03-01"
    assert table.row_numbers.tolist() == [4, 5, 6, 7, 8]
    # openpyxl saves no formula results: the formula shows as itself, and the reader is told
    assert table.frame["总投资（万元）"].tolist()[4] == "=SUM(C4:C7)" and ("note.uncached", {"count": 1}) in table.notes


@pytest.mark.parametrize(
    ("encoding", "expected"),
    [("utf-8", "utf-8"), ("utf-8-sig", "utf-8-sig"), ("gbk", "gb18030"), ("gb18030", "gb18030")],
)
def test_csv_in_every_excel_encoding_reads_the_same(encoding, expected):
    data = "项目名称,经度,纬度\n茶乡花海,111.2,28.4\n,,\n".encode(encoding)
    table = read_table_bytes(data, name="p.csv")
    assert table.encoding == expected and table.frame["项目名称"].tolist() == ["茶乡花海", ""]


def test_a_trailing_comma_cannot_shift_columns(tmp_path):
    data = b"name,lon,lat\nA,112.35,28.58,\nB,112.36,28.59\nC,112.37,28.6,\n"
    with pytest.raises(InputError, match=r"2 rows do not have the header's 3 fields \(line 2: 4 fields; line 4: 4"):
        read_table_bytes(data, name="p.csv")
    try:
        read_table_bytes(data, name="p.csv")
    except InputError as exc:
        assert "第 2 行有 4 个字段" in error_text(exc, "zh") and "行尾多余的逗号" in error_text(exc, "zh")


def test_quoted_fields_with_commas_and_newlines_are_one_field():
    table = read_table_bytes(b'name,lon,lat\n"A, the ""first""\nline two",112.35,28.58\n', name="p.csv")
    assert table.frame["name"].tolist() == ['A, the "first"\nline two'] and table.row_numbers.tolist() == [2]


@pytest.mark.parametrize(
    ("name", "data", "code"),
    [
        ("p.txt", b"a,b", "file_type"),
        ("p.xlsx", b"a,b\n1,2", "not_xlsx"),
        ("p.xlsx", b"PK\x03\x04 not really a workbook", "not_xlsx"),
        ("p.csv", b"", "empty_file"),
        ("p.csv", b"\xff\xfe\x00a\x00,\x00b", "encoding"),
        ("p.csv", "名稱,經度,緯度\n臺灣縣鄉鎮,121.5,25.0\n".encode("big5"), "encoding_big5"),
    ],
)
def test_bad_files_get_one_clear_message_in_both_languages(name, data, code):
    with pytest.raises(InputError) as info:
        read_table_bytes(data, name=name)
    assert info.value.code == code
    assert error_text(info.value, "zh") != str(info.value)  # translated, not the English text


def test_missing_file(tmp_path):
    with pytest.raises(InputError, match="no such file"):
        read_table(tmp_path / "nope.csv")


# -- hostile workbooks: refused before anything is expanded ---------------------------------------


@pytest.mark.parametrize(
    ("make", "code", "figure"),
    [
        (lambda: far_cell_workbook("XFD1048576"), "too_large", "XFD1048576"),
        (lambda: far_cell_workbook("XFD1000"), "too_large", "16,384"),
        (zip_bomb_workbook, "too_large_unzipped", "300 MB"),
    ],
)
def test_hostile_workbooks_end_in_one_message_with_figures(tmp_path, make, code, figure):
    path = tmp_path / "hostile.xlsx"
    path.write_bytes(make())
    assert path.stat().st_size < 2_000_000
    with pytest.raises(TableTooLargeError) as info:
        read_table(path)
    assert info.value.code == code and figure in str(info.value)
    zh = error_text(info.value, "zh")
    assert zh.startswith("表格过大/异常") and figure in zh and "\n" not in zh


def test_a_wide_but_legal_sheet_is_read(tmp_path):
    path = tmp_path / "wide.xlsx"
    path.write_bytes(far_cell_workbook(f"{openpyxl.utils.get_column_letter(MAX_COLUMNS)}2"))
    assert read_table(path).frame.shape == (1, MAX_COLUMNS)


# -- writing: the officer's own file, columns added ------------------------------------------------


def test_workbook_comes_back_whole_with_columns_added(tmp_path):
    src = officer_workbook(tmp_path)
    table = read_table(src)
    result = classify_table(table)
    out = write_result(table, result.added, tmp_path / "结果.xlsx")
    before, after = openpyxl.load_workbook(src), openpyxl.load_workbook(out)
    assert after.sheetnames == ["说明", "项目清单"]
    assert after["说明"]["A1"].value == before["说明"]["A1"].value
    ws, ws0 = after["项目清单"], before["项目清单"]
    assert [str(r) for r in ws.merged_cells.ranges] == ["A1:G1"]
    for row in range(1, 9):  # every original cell unchanged, with its type
        for col in range(1, 8):
            a, b = ws0.cell(row=row, column=col), ws.cell(row=row, column=col)
            assert (b.value, b.data_type, b.number_format) == (a.value, a.data_type, a.number_format), (row, col)
    assert ws["C4"].value == 30000 and isinstance(ws["C5"].value, float)  # numbers stay numbers
    assert ws["D4"].is_date and ws["C8"].value == "=SUM(C4:C7)" and ws["C8"].data_type == "f"
    assert ws.column_dimensions["B"].width == 28
    header = [ws.cell(row=3, column=c).value for c in range(8, ws.max_column + 1)]
    assert header == [
        "所在县区",
        "行政区划代码",
        "所属片区",
        "全部片区",
        "三极对接",
        "在益阳市境内",
        "最近县区",
        "距最近县区（公里）",
        "说明",
    ]
    added = {h: [ws.cell(row=r, column=8 + k).value for r in range(4, 9)] for k, h in enumerate(header)}
    assert added["所在县区"][:3] == ["安化县", "南县", None]
    assert added["所属片区"][:2] == ["两翼·益桃安山区服务业发展支撑区", "两翼·益沅南湖区服务业发展支撑区"]
    assert added["在益阳市境内"][:3] == ["是", "是", "否"]
    assert added["最近县区"][2] == "赫山区" and isinstance(added["距最近县区（公里）"][2], float)
    assert added["说明"][2].startswith("不在益阳市境内，距最近的赫山区 ") and added["说明"][2].endswith(" 公里")
    assert added["说明"][3] == "经度为空；纬度为空"


def test_csv_comes_back_byte_for_byte_with_columns_added(tmp_path):
    src = gbk_csv(tmp_path)
    table = read_table(src)
    result = classify_table(table)
    original = src.read_bytes().decode("gbk").split("\n")
    for encoding, decode in (("utf-8-sig", "utf-8-sig"), ("gb18030", "gbk")):
        lines = result_csv_bytes(table, result.added, encoding=encoding).decode(decode).split("\n")
        assert lines[0] == original[0]  # the title row, untouched
        for before, after in zip(original[1:-1], lines[1:-1], strict=True):
            assert after.startswith(before + ",")
    out = read_table_bytes(result_csv_bytes(table, result.added), name="o.csv").frame
    assert out["所在县区"].tolist() == ["安化县", "南县", "", "", ""]
    assert out["说明"].tolist()[2] == "经度“待定”不是数字，也不是度分秒写法；纬度为空"
    assert out["说明"].tolist()[4] == "经纬度疑似颠倒：28.38017, 111.20586——经度应在前（111.20586, 28.38017）"
    assert result.counts == {"inside": 2, "outside": 1, "error": 2}


def test_english_gives_ids_for_machines(tmp_path):
    table = read_table(gbk_csv(tmp_path))
    result = classify_table(table, lang="en")
    assert result.added.columns.tolist() == [
        "county",
        "adcode",
        "zone",
        "zones",
        "poles",
        "inside",
        "nearest_county",
        "distance_km",
        "reason",
    ]
    assert result.added["zone"].tolist()[:2] == ["mountain_wing", "lake_wing"]
    assert result.added["reason"].tolist()[2] == "longitude '待定' is not a number; latitude is empty"
    assert "Coordinates from columns" in decision_text(result, "en")


def test_columns_named_like_the_results_do_not_fool_the_counts():
    df = pd.DataFrame({"inside": ["否", "否"], "说明": ["x", "y"], "lon": ["112.35", "abc"], "lat": ["28.55", "28"]})
    result = classify_table(df)
    assert result.counts == {"inside": 1, "outside": 0, "error": 1}
    assert "说明（计算）" in result.added.columns


# -- formula injection ---------------------------------------------------------------------------

EVIL = ['=HYPERLINK("http://evil.example","x")', "=cmd|' /C calc'!A0", "=1+1", "+1", "-1+2", "@SUM(A1)"]


def sheet_xml(data: bytes) -> str:
    with zipfile.ZipFile(__import__("io").BytesIO(data)) as zf:
        return zf.read("xl/worksheets/sheet1.xml").decode()


def test_text_from_a_csv_never_becomes_a_formula_in_the_workbook():
    csv_text = "name,lon,lat\n" + "".join(f'"{e.replace(chr(34), chr(34) * 2)}",112.35,28.55\n' for e in EVIL)
    table = read_table_bytes(csv_text.encode(), name="p.csv")
    data = result_xlsx_bytes(table, classify_table(table).added)
    xml = sheet_xml(data)
    assert "<f>" not in xml and "<f " not in xml
    ws = openpyxl.load_workbook(__import__("io").BytesIO(data)).active
    assert [ws.cell(row=r, column=1).value for r in range(2, 2 + len(EVIL))] == EVIL  # the user's own text, as is
    assert all(ws.cell(row=r, column=1).data_type == "s" for r in range(2, 2 + len(EVIL)))


def test_text_not_from_the_user_is_neutralised():
    df = pd.DataFrame({"name": EVIL, "n": range(len(EVIL))})
    assert [neutralise(e) for e in EVIL] == ["'" + e for e in EVIL] and neutralise(3) == 3
    xml = sheet_xml(table_to_bytes(df, ".xlsx"))
    assert "<f>" not in xml and "'=1+1" in xml
    lines = table_to_bytes(df, ".csv").decode("utf-8-sig").splitlines()
    assert lines[3] == "'=1+1,2" and lines[1].startswith("\"'=HYPERLINK(")


def test_too_many_rows_for_a_sheet_is_one_message():
    from layout.tables.table import Table

    big = Table(
        frame=pd.DataFrame({"a": [""] * 3}),
        name="big.csv",
        kind="csv",
        encoding="utf-8",
        header_row=1_048_575,
        row_numbers=pd.RangeIndex(3).to_numpy(),
    )
    with pytest.raises(OutputError, match="do not fit in an .xlsx sheet"):
        result_xlsx_bytes(big, pd.DataFrame({"x": [1, 2, 3]}))


# -- atomic writes -------------------------------------------------------------------------------


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_write_round_trip_keeps_a_backup_and_ordinary_permissions(tmp_path, suffix):
    old = os.umask(0o022)
    try:
        df = pd.DataFrame({"名称": ["安化黑茶特色小镇", "南洲"], "经度": ["111.2", ""]})
        path = tmp_path / f"out{suffix}"
        write_table(df, path)
        assert stat.S_IMODE(path.stat().st_mode) == 0o644
        first = path.read_bytes()
        write_table(df.assign(extra="x"), path)
        assert (tmp_path / f"out{suffix}.bak").read_bytes() == first
        back = read_table(path).frame
        assert back["名称"].tolist() == ["安化黑茶特色小镇", "南洲"] and back["extra"].tolist() == ["x", "x"]
        assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []
    finally:
        os.umask(old)


def test_backup_always_holds_the_previous_version(tmp_path):
    path = tmp_path / "c.csv"
    for version in ("v1", "v2", "v3"):
        atomic_write(path, lambda tmp, v=version: tmp.write_text(v))
    assert path.read_text() == "v3" and (tmp_path / "c.csv.bak").read_text() == "v2"


def test_read_only_folder_is_one_line(tmp_path):
    """Root writes anywhere, so as root (CI) the write runs in a child without the capability to override
    file permissions (util-linux ``setpriv``), as an ordinary officer's account would."""
    folder = tmp_path / "ro"
    folder.mkdir()
    folder.chmod(0o500)
    code = (
        "import sys; from layout.tables.files import atomic_write, OutputError\n"
        "try:\n    atomic_write(sys.argv[1], lambda tmp: tmp.write_text('x'))\n"
        "except OutputError as exc:\n    print(exc)\nelse:\n    print('written')\n"
    )
    unprivileged = ["setpriv", "--bounding-set=-dac_override,-dac_read_search", "--"] if os.geteuid() == 0 else []
    try:
        done = subprocess.run(
            [*unprivileged, sys.executable, "-c", code, str(folder / "x.csv")],
            capture_output=True,
            text=True,
            timeout=120,
            env={**os.environ, "PYTHONPATH": str(ROOT)},
        )
        assert done.returncode == 0, done.stderr
        assert re.search(r"cannot write .*no permission", done.stdout), done.stdout
        assert not (folder / "x.csv").exists()
    finally:
        folder.chmod(0o700)


def test_a_directory_in_the_way_and_an_unwritable_place_are_one_line(tmp_path):
    with pytest.raises(OutputError) as info:
        atomic_write(tmp_path, lambda tmp: tmp.write_text("x"))
    assert "a directory is in the way" in str(info.value) and "文件夹" in error_text(info.value, "zh")
    with pytest.raises(OutputError, match="cannot write /proc/"):
        atomic_write("/proc/x.csv", lambda tmp: tmp.write_text("x"))


def test_lock_is_exclusive(tmp_path):
    path = tmp_path / "c.csv"
    with locked(path), pytest.raises(OutputError, match="being changed by another process"):
        import multiprocessing

        ctx = multiprocessing.get_context("fork")
        queue = ctx.Queue()
        proc = ctx.Process(target=_try_lock, args=(path, queue))
        proc.start()
        proc.join(30)
        raise OutputError(queue.get(timeout=10))


def _try_lock(path, queue):
    try:
        with locked(path, timeout_s=0.2):
            queue.put("got the lock")
    except OutputError as exc:
        queue.put(str(exc))


def test_a_table_with_no_usable_point_and_thousands_of_blanks_is_explained_quietly():
    df = pd.DataFrame({"名称": [f"项目{i}" for i in range(3000)], "经度": [""] * 3000, "纬度": [""] * 3000})
    result = classify_table(df)  # warnings are errors in this suite: no RuntimeWarning from NaN points
    assert result.counts == {"inside": 0, "outside": 0, "error": 3000}
    assert set(result.added["说明"]) == {"经度为空；纬度为空"}


def test_a_header_without_rows_and_crlf_line_ends_come_back_as_they_were():
    table = read_table_bytes(b"lon,lat\n", name="b.csv")
    out = result_csv_bytes(table, classify_table(table).added).decode("utf-8-sig")
    assert out == (
        "lon,lat,所在县区,行政区划代码,所属片区,全部片区,三极对接,在益阳市境内,最近县区,距最近县区（公里）,说明\n"
    )
    data = '\ufeff名称,lon,lat\r\nA,112.35,28.55\r\n"B\r\nx",112.36,28.56\r\n'.encode()
    table = read_table_bytes(data, name="a.csv")
    lines = result_csv_bytes(table, classify_table(table).added).decode("utf-8-sig").split("\r\n")
    assert table.row_numbers.tolist() == [2, 3] and lines[1].startswith("A,112.35,28.55,赫山区,")
    assert lines[2] == '"B' and lines[3].startswith('x",112.36,28.56,赫山区,') and lines[4] == ""


@pytest.mark.parametrize("chunk_bytes", [64, 1000, 1 << 20])
def test_chunked_reading_gives_the_same_file_as_reading_whole(tmp_path, chunk_bytes):
    from layout.tables.read import iter_csv_chunks

    lines = ["2026年项目清单,,", "名称,经度,纬度"]
    lines += [f"项目{i},{111.2 + i * 0.001:.4f},{28.4 + i * 0.0005:.4f}" for i in range(300)]
    lines[50] = '"多行\n名称, 带逗号",112.35,28.55'
    lines[120] = "坏行,abc,28"
    src = tmp_path / "big.csv"
    src.write_bytes(("\n".join(lines) + "\n").encode("gbk"))
    whole = read_table(src)
    expected = result_csv_bytes(whole, classify_table(whole).added)
    parts, numbers = [], []
    for k, table in enumerate(iter_csv_chunks(src, chunk_bytes=chunk_bytes)):
        parts.append(result_csv_bytes(table, classify_table(table).added, head=k == 0))
        numbers += table.row_numbers.tolist()
    assert b"".join(parts) == expected and numbers == whole.row_numbers.tolist()
    if chunk_bytes == 64:
        assert len(parts) > 10


# -- headers on several rows (merged cells) --------------------------------------------------------


def two_level_workbook(path):
    """A title row, then 坐标 merged over 经度/纬度 and 序号/项目名称 merged down two rows (issue 21)."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["益阳市服务业重点项目调度表"])
    ws.merge_cells("A1:E1")
    ws.append(["序号", "项目名称", "坐标", None, "备注"])
    ws.append([None, None, "经度", "纬度", None])
    for cells in ("C2:D2", "A2:A3", "B2:B3", "E2:E3"):
        ws.merge_cells(cells)
    points = [ANHUA, NANXIAN, CHANGSHA, ANHUA, NANXIAN, ANHUA, NANXIAN, CHANGSHA]
    for i, (lon, lat) in enumerate(points, start=1):
        ws.append([i, f"项目{i}", lon, lat, ""])
    wb.save(path)
    return path


TWO_LEVEL_NAMES = ["序号", "项目名称", "坐标·经度", "坐标·纬度", "备注"]


@pytest.mark.parametrize("header_row", [None, 3, 2])
def test_a_two_level_merged_header_combines_its_names(tmp_path, header_row):
    table = read_table(two_level_workbook(tmp_path / "调度表.xlsx"), header_row=header_row)
    assert table.frame.columns.tolist() == TWO_LEVEL_NAMES
    assert table.header_row == 3 and table.row_numbers.tolist() == list(range(4, 12))
    assert ("note.header_rows", {"top": 2, "bottom": 3}) in table.notes
    result = classify_table(table)
    assert (result.columns.lon, result.columns.lat) == ("坐标·经度", "坐标·纬度")
    assert result.counts == {"inside": 6, "outside": 2, "error": 0}  # 3 × 安化县, 3 × 南县, 2 × 长沙
    assert result.problem_rows(table.frame).empty
    back = openpyxl.load_workbook(io.BytesIO(result_xlsx_bytes(table, result.added))).active
    assert [c.value for c in back[3]][5] == "所在县区"  # the added columns head the header's last row
    assert back["F4"].value == "安化县" and back.merged_cells.ranges  # merges kept


def test_the_same_two_level_header_in_a_csv():
    text = (
        "益阳市服务业重点项目调度表,,,,\n序号,项目名称,坐标,,备注\n,,经度,纬度,\n"
        f"1,茶乡花海,{ANHUA[0]},{ANHUA[1]},\n2,南洲,{NANXIAN[0]},{NANXIAN[1]},待定\n"
    )
    table = read_table_bytes(text.encode("utf-8"), name="调度表.csv")
    assert table.frame.columns.tolist() == TWO_LEVEL_NAMES and table.header_row == 3
    assert classify_table(table).counts == {"inside": 2, "outside": 0, "error": 0}
    added = classify_table(table).added
    assert result_csv_bytes(table, added).decode("utf-8-sig").splitlines()[2].startswith(",,经度,纬度,,所在县区")


def test_a_text_only_data_row_is_not_taken_for_a_second_header_row():
    text = "名称,经度,纬度,备注\n待定项目,,,待定\n茶乡花海,111.20586,28.38017,\n"
    table = read_table_bytes(text.encode("utf-8"), name="x.csv")
    assert table.frame.columns.tolist() == ["名称", "经度", "纬度", "备注"] and len(table.frame) == 2


def test_no_row_located_says_why_and_what_to_set():
    text = "序号,项目名称,坐标\n1,茶乡花海,见附件\n2,南洲,待补\n"
    result = classify_table(read_table_bytes(text.encode("utf-8"), name="x.csv"))
    assert result.counts["error"] == 2
    zh, en = nothing_located_text(result, "zh"), nothing_located_text(result, "en")
    assert "没有一行能定位" in zh and "“坐标”" in zh and "表头所在行" in zh and "--header-row" in zh
    assert "No row could be placed" in en and "--lon COL" in en
    placed = classify_table(read_table_bytes(f"名称,经度,纬度\n茶乡,{ANHUA[0]},{ANHUA[1]}\n".encode(), name="y.csv"))
    assert nothing_located_text(placed) == ""


def test_the_csv_of_a_workbook_keeps_its_title_rows(tmp_path):
    """Issue 21, item 7: the CSV download of an XLSX began at the header and lost the title above it."""
    table = read_table(two_level_workbook(tmp_path / "调度表.xlsx"))
    added = classify_table(table).added
    lines = result_csv_bytes(table, added).decode("utf-8-sig").splitlines()
    assert lines[0] == "益阳市服务业重点项目调度表" + "," * (5 + added.shape[1] - 1)
    assert lines[1].startswith("序号,项目名称,坐标·经度,坐标·纬度,备注,所在县区") and len(lines) == 2 + 8


def test_a_total_line_is_not_counted_as_a_row_that_cannot_be_placed():
    """Issue 21, item 7: a 合计 row was counted as 无法定位."""
    text = (
        f"序号,项目名称,经度,纬度,总投资\n1,茶乡花海,{ANHUA[0]},{ANHUA[1]},100\n"
        f"2,南洲,{NANXIAN[0]},{NANXIAN[1]},50\n合 计,,,,150\n3,待定,,,5\n"
    )
    table = read_table_bytes(text.encode("utf-8"), name="x.csv")
    result = classify_table(table)
    assert result.counts == {"inside": 2, "outside": 0, "error": 1}  # 待定 still cannot be placed
    assert result.status.tolist() == ["inside", "inside", "total", "error"]
    assert result.added.iloc[2, -1] == "合计行，不是项目（未计入）"
    assert result.problem_rows(table.frame)["行号（表格中）"].tolist() == [5]
