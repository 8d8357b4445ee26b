"""The 调度表: export, import of filled XLSX / GBK and UTF-8 CSV, diff, all-or-nothing apply."""

from __future__ import annotations

import datetime as dt
import io

import openpyxl
import pandas as pd
import pytest
from lang_check import stray_chinese, stray_english
from office_reader import as_pdf, needs_libreoffice

from layout.errors import InputError
from layout.i18n import error_text, message_text
from layout.register.events import Register
from layout.register.sheet_columns import COLUMNS, column_letter, safe_text, unsafe_text
from layout.register.sheet_export import export_sheet_bytes
from layout.register.sheet_import import apply_sheet, diff_sheet
from layout.register.sheet_read import read_sheet_bytes

HEADERS = list(COLUMNS.values())


@pytest.fixture
def reg(register_location) -> Register:
    """A register with one project, on each backend (a SQLite file, then a PostgreSQL database)."""
    return _filled(Register(register_location))


@pytest.fixture
def sqlite_reg(tmp_path) -> Register:
    return _filled(Register(tmp_path / "register.sqlite"))


def _filled(r: Register) -> Register:
    r.record(
        "P002",
        {
            "status": "building",
            "progress": 30,
            "invest_planned": 1200,
            "note": '=HYPERLINK("x")',
            "site": (112.35028, 28.5825),
            "lead_unit": "赫山区商务局",
        },
        by="张三",
        source="现场核实",
        as_of=dt.date(2025, 12, 31),
    )
    return r


def _col(name: str) -> int:
    return HEADERS.index(name)


def test_export_has_chinese_headers_validation_and_text_cells(reg):
    data = export_sheet_bytes(reg)
    wb = openpyxl.load_workbook(io.BytesIO(data))
    ws = wb["调度表"]
    assert [c.value for c in ws[1]] == HEADERS
    assert ws.max_row == len(reg.catalog) + 1
    rows = {r[0].value: r for r in ws.iter_rows(min_row=2)}
    p2 = rows["P002"]
    assert p2[_col("状态")].value == "在建" and p2[_col("进度(%)")].value == 30
    assert p2[_col("经度")].value == pytest.approx(112.35028) and p2[_col("坐标系")].value == "WGS84"
    assert p2[_col("备注")].value == '\'=HYPERLINK("x")' and p2[_col("备注")].data_type == "s"
    assert rows["P001"][_col("状态")].value in (None, "")
    lists = [dv.formula1 for dv in ws.data_validations.dataValidation]
    assert '"未启动,前期工作,在建,已建成,已运营,暂停,取消"' in lists
    status_ranges = [str(dv.sqref) for dv in ws.data_validations.dataValidation if "在建" in dv.formula1]
    letter = column_letter(_col("状态"))
    assert status_ranges == [f"{letter}2:{letter}{ws.max_row}"]
    assert "填表说明" in wb.sheetnames


@needs_libreoffice
def test_printed_sheet_has_every_column_across_and_the_header_on_each_page(sqlite_reg, tmp_path):
    # printing does not depend on the backend: one run (LibreOffice is slow)
    pages = [p.extract_text() for p in as_pdf(export_sheet_bytes(sqlite_reg), "调度表.xlsx", tmp_path).pages]
    sheet_pages = [p for p in pages if "项目编号" in p]
    assert len(sheet_pages) >= 2 and all(HEADERS[-1] in p for p in sheet_pages)
    printed = "".join(sheet_pages)
    assert all(pid in printed for pid in sqlite_reg.catalog["id"].astype(str))
    assert len(pages) == len(sheet_pages) + 1  # 填表说明 on one page


def test_exported_sheet_reimported_unchanged_is_a_no_op(reg):
    table = read_sheet_bytes(export_sheet_bytes(reg), name="调度表.xlsx")
    diff = diff_sheet(table, reg)
    assert diff.ok and diff.changes == [] and diff.rows == []
    assert apply_sheet(diff, reg, by="李四") == []
    assert len(reg.events()) == 8


def _fill(wb_bytes: bytes, edits: dict[tuple[str, str], object]) -> bytes:
    wb = openpyxl.load_workbook(io.BytesIO(wb_bytes))
    ws = wb["调度表"]
    rows = {r[0].value: r[0].row for r in ws.iter_rows(min_row=2)}
    for (pid, header), value in edits.items():
        ws.cell(row=rows[pid], column=_col(header) + 1, value=value)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def test_a_filled_sheet_round_trips(reg):
    filled = _fill(
        export_sheet_bytes(reg),
        {
            ("P002", "状态"): "已建成",
            ("P002", "进度(%)"): 100,
            ("P002", "完成投资(万元)"): 1180,
            ("P003", "状态"): "前期工作",
            ("P003", "开工年份"): 2026,
            ("P003", "责任单位"): "+市发改委",
            ("P003", "经度"): 112.36,
            ("P003", "纬度"): 28.57,
            ("P003", "坐标来源"): "规划许可 2025-08",
            ("P003", "信息日期"): dt.datetime(2026, 3, 31),
            ("P003", "填报来源"): "3月调度会",
        },
    )
    diff = diff_sheet(read_sheet_bytes(filled, name="filled.xlsx"), reg)
    assert diff.ok, diff.problems
    got = {(c.project, c.field): (c.old, c.new) for c in diff.changes}
    assert got[("P002", "status")] == ("在建", "已建成") and got[("P002", "progress")] == ("30", "100")
    assert got[("P003", "status")] == ("", "前期工作") and ("P003", "site") in got
    assert diff.warnings == []
    assert len(reg.events()) == 8  # a diff changes nothing
    ids = apply_sheet(diff, reg, by="李四")
    assert len(ids) == 3 + 3 + 3  # P002: 3 fields; P003: status, year, unit + lon, lat, source
    st = reg.state()
    assert st.loc["P002", "status"] == "completed" and st.loc["P002", "invest_done"] == 1180
    assert st.loc["P003", "lead_unit"] == "+市发改委" and st.loc["P003", "start_year"] == 2026
    ev = reg.events("P003")
    assert set(ev["as_of"]) == {dt.date(2026, 3, 31)} and set(ev["by"]) == {"李四"}
    assert (ev.query("field == 'status'")["source"] == "3月调度会").all()
    # the re-exported sheet matches the register again
    again = diff_sheet(read_sheet_bytes(export_sheet_bytes(reg), name="again.xlsx"), reg)
    assert again.ok and again.changes == []


def _bad_table() -> pd.DataFrame:
    rows = [
        {"项目编号": "P002", "项目名称": "龙桥公共保税仓", "状态": "快完工了", "进度(%)": "一半"},
        {"项目编号": "P999", "项目名称": "新项目"},
        {"项目编号": "P003", "项目名称": "出口监管仓（改）"},
        {"项目编号": "P005", "项目名称": None, "经度": "112.4"},
        {"项目编号": "P002", "项目名称": "龙桥公共保税仓"},
        {"项目编号": "P006", "项目名称": None, "开工年份": "二〇二四", "信息日期": "2026-13-01"},
    ]
    return pd.DataFrame(rows, columns=HEADERS)


@pytest.mark.parametrize("encoding", ["utf-8", "gbk"])
def test_bad_cells_listed_with_row_and_column_in_csv(reg, encoding):
    table = _bad_table()
    for i, pid in ((3, "P005"), (5, "P006")):
        table.loc[i, "项目名称"] = reg.catalog.at[pid, "name"]
    data = table.to_csv(index=False).encode(encoding)
    diff = diff_sheet(read_sheet_bytes(data, name=f"调度表_{encoding}.csv"), reg)
    text = [p.text("en") for p in diff.problems]
    assert text == [str(p) for p in diff.problems]
    status, progress = column_letter(_col("状态")), column_letter(_col("进度(%)"))
    lat, year, day = column_letter(_col("纬度")), column_letter(_col("开工年份")), column_letter(_col("信息日期"))
    expected = [
        f"row 2, column {status} (状态) P002: should be one of not_started",
        f"row 2, column {progress} (进度(%)) P002: should be a number, got “一半”",
        "row 3, column A (项目编号) P999: P999 is not a project id of the catalog; fix: use the ids of the exported "
        "progress sheet",
        "row 4, column B (项目名称) P003: the name “出口监管仓(改)” differs from the catalog's “出口监管仓”; "
        "fix: keep the exported name",
        f"row 5, column {lat} (纬度) P005: only the longitude is filled; the latitude is empty; fix: fill both",
        "row 6, column A (项目编号) P002: P002 appears again (first on row 2); fix: keep one row per project",
        f"row 7, column {year} (开工年份) P006: should be a number, got “二〇二四”",
        f"row 7, column {day} (信息日期) P006: 信息日期 should be a date like 2026-03-31",
    ]
    for part in expected:
        assert any(t.startswith(part) for t in text), (part, text)
    assert all("; fix: " in t for t in text)
    # English: no Chinese but the sheet's own headers and what the officer typed (一半, 二〇二四 …)
    typed = ("一半", "快完工了", "二〇二四", "出口监管仓(改)", "新项目", *HEADERS)
    assert [stray_chinese(t, allow=typed) for t in text] == [[]] * len(text), text
    zh = [p.text("zh") for p in diff.problems]  # the same problems in the Chinese UI and CLI
    assert f"第 2 行「进度(%)」列（{progress} 列） P002：应为数字，收到“一半”；改法：填 0 到 100 的数字" in zh
    assert any(z.startswith(f"第 2 行「状态」列（{status} 列） P002：应为 未启动、") for z in zh), zh
    assert any("收到“快完工了”；改法：从下拉列表中选择" in z for z in zh), zh
    assert (
        "第 3 行「项目编号」列（A 列） P999：P999 不在项目目录中；"
        "改法：使用导出的调度表中的编号；新项目请加入 projects_catalog.csv，不写在调度表里" in zh
    ), zh
    assert "第 4 行「项目名称」列（B 列） P003：项目名称“出口监管仓(改)”与项目目录中的“出口监管仓”不同；" in "".join(zh)
    assert f"第 5 行「纬度」列（{lat} 列） P005：只填了经度，纬度为空；改法：经度、纬度都填" in "".join(zh)
    assert "第 6 行「项目编号」列（A 列） P002：P002 重复出现（首次在第 2 行）；改法：每个项目只留一行" in zh
    assert f"第 7 行「开工年份」列（{year} 列） P006：应为数字，收到“二〇二四”；改法：填四位数年份" in zh
    assert any("信息日期 应为日期，如 2026-03-31，收到“2026-13-01”" in z for z in zh), zh
    assert [stray_english(z) for z in zh] == [[]] * len(zh), zh
    with pytest.raises(InputError, match="nothing was applied") as failed:
        apply_sheet(diff, reg, by="x")
    assert error_text(failed.value, "zh") == "调度表有 8 处问题；未导入任何内容"  # the 8 above
    assert len(reg.events()) == 8


def test_not_a_sheet_and_site_checks(reg):
    with pytest.raises(InputError, match="no column 项目编号"):
        diff_sheet(pd.DataFrame({"a": ["1"]}), reg)
    table = pd.DataFrame(
        [
            {"项目编号": "P002", "项目名称": "龙桥公共保税仓", "经度": "111.21", "纬度": "28.38", "坐标来源": "x"},
            {"项目编号": "P003", "项目名称": "出口监管仓", "经度": "112.36", "纬度": "28.57"},
            {"项目编号": "P004", "项目名称": "中心城区物流中转中心", "经度": "113.5", "纬度": "28.2", "坐标来源": "x"},
        ],
        columns=HEADERS,
        dtype=object,
    ).fillna("")
    problems = diff_sheet(table, reg).problems
    text = [p.text("en") for p in problems]
    assert any(
        "P002: the point lies in 安化县; the plan puts the project in 赫山区" in t and "--confirm" in t for t in text
    )
    assert any("P003: the site source is empty" in t for t in text)
    assert any("P004" in t and "outside Yiyang" in t for t in text)
    assert [stray_chinese(t, allow=HEADERS) for t in text] == [[]] * 3, text
    zh = [p.text("zh") for p in problems]
    assert any(
        "P002：该点位于安化县，规划中项目在赫山区；改法：若确实如此，用 python -m layout register set P002 "
        "--site 经度 纬度 --confirm --source 理由 登记" in z
        for z in zh
    ), zh
    assert any("「坐标来源」列" in z and "P003：坐标来源为空；改法：填写坐标来源" in z for z in zh), zh
    assert any("P004：113.500000, 28.200000（WGS84）不在益阳市境内；改法：核对数字和“坐标系”列" in z for z in zh), zh
    assert [stray_english(z) for z in zh] == [[]] * 3, zh


def test_coordinate_problems_in_the_readers_language(reg):
    """Only one of 经度/纬度, an unknown 坐标系, a coordinate that is not a number, swapped ones (issue 21)."""
    rows = [
        {"项目编号": "P002", "项目名称": "龙桥公共保税仓", "纬度": "28.38", "坐标来源": "x"},
        {"项目编号": "P003", "项目名称": "出口监管仓", "经度": "112.36", "纬度": "28.57", "坐标系": "火星坐标"},
        {"项目编号": "P004", "项目名称": "中心城区物流中转中心", "经度": "东经112", "纬度": "28.2", "坐标来源": "x"},
        {"项目编号": "P005", "项目名称": "", "经度": "28.5", "纬度": "112.3", "坐标来源": "x"},
        {"项目编号": "P006", "项目名称": "", "坐标来源": "现场核实"},
    ]
    table = pd.DataFrame(rows, columns=HEADERS, dtype=object).fillna("")
    for i, pid in ((3, "P005"), (4, "P006")):
        table.loc[i, "项目名称"] = reg.catalog.at[pid, "name"]
    problems = diff_sheet(table, reg).problems
    assert [p.project for p in problems] == ["P002", "P003", "P004", "P005", "P006"]
    lon, crs = column_letter(_col("经度")), column_letter(_col("坐标系"))
    assert [p.text("zh") for p in problems] == [
        f"第 2 行「经度」列（{lon} 列） P002：只填了纬度，经度为空；"
        "改法：经度、纬度都填，用十进制度（如 112.35028 和 28.5825）",
        f"第 3 行「坐标系」列（{crs} 列） P003：坐标系“火星坐标”不在可选列表中；"
        "改法：从下拉列表中选择：WGS84, GCJ-02, BD-09, CGCS2000",
        f"第 4 行「经度」列（{lon} 列） P004：经度“东经112”不是数字，也不是度分秒写法；"
        "改法：用十进制度：经度（约 111–113）填在“经度”列，纬度（约 27.8–29.6）填在“纬度”列",
        f"第 5 行「经度」列（{lon} 列） P005：经纬度疑似颠倒：28.5, 112.3——经度应在前（112.3, 28.5）；"
        "改法：用十进制度：经度（约 111–113）填在“经度”列，纬度（约 27.8–29.6）填在“纬度”列",
        f"第 6 行「坐标来源」列（{column_letter(_col('坐标来源'))} 列） P006：填了坐标来源，但经度、纬度为空；"
        "改法：填写经度和纬度，或清空坐标来源",
    ]
    en = [p.text("en") for p in problems]
    assert en[0] == (
        f"row 2, column {lon} (经度) P002: only the latitude is filled; the longitude is empty; "
        "fix: fill both, in decimal degrees (e.g. 112.35028 and 28.5825)"
    )
    assert en[1].endswith(
        "P003: the coordinate system “火星坐标” is not one of the list; fix: choose one of WGS84, "
        "GCJ-02, BD-09, CGCS2000"
    )
    assert "P004: longitude '东经112' is not a number; fix: decimal degrees" in en[2]
    assert "P005: looks swapped: 28.5, 112.3 — longitude comes first" in en[3]
    assert [stray_chinese(t, allow=(*HEADERS, "火星坐标", "东经112")) for t in en] == [[]] * 5, en


def test_invest_done_above_planned_is_a_warning(reg):
    table = pd.DataFrame(
        [{"项目编号": "P002", "项目名称": "龙桥公共保税仓", "完成投资(万元)": "1500"}], columns=HEADERS, dtype=object
    ).fillna("")
    diff = diff_sheet(table, reg)
    assert diff.ok
    assert diff.warnings == [
        "row 2 P002: investment done 1500 (10k yuan) is more than planned 1200 (10k yuan) — check both figures"
    ]
    assert [message_text(w, "zh") for w in diff.warnings] == [
        "第 2 行 P002：完成投资 1500 万元大于计划投资 1200 万元，请核对两个数"
    ]


def test_gcj02_site_in_sheet_is_stored_as_wgs84(reg):
    from layout.geo.crs import from_wgs84

    glon, glat = from_wgs84([112.36], [28.57], "gcj02")
    table = pd.DataFrame(
        [
            {
                "项目编号": "P003",
                "项目名称": "出口监管仓",
                "经度": f"{glon[0]:.7f}",
                "纬度": f"{glat[0]:.7f}",
                "坐标系": "GCJ-02",
                "坐标来源": "高德拾取",
            }
        ],
        columns=HEADERS,
        dtype=object,
    ).fillna("")
    diff = diff_sheet(table, reg)
    assert diff.ok
    apply_sheet(diff, reg, by="x")
    row = reg.state().loc["P003"]
    assert row["site_lon"] == pytest.approx(112.36, abs=1e-6) and row["site_lat"] == pytest.approx(28.57, abs=1e-6)


def test_formula_neutralisation_round_trips():
    for text in ("=1+1", "+86", "-3", "@x", "\tx", "普通"):
        assert unsafe_text(safe_text(text)) == text
    assert safe_text("=1") == "'=1" and safe_text("普通") == "普通"
    assert column_letter(0) == "A" and column_letter(25) == "Z" and column_letter(26) == "AA"
