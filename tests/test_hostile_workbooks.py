"""Hostile workbooks through the one bounded reader (批量核查, `classify`, the 调度表 import): refused in under
10 s and 500 MB with one line, damaged zips named, formulas' saved results flagged or refused, and the sheet
imported said (or asked)."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest
from hostile_files import (
    far_cell_workbook,
    forged_formula_workbook,
    patched_size_workbook,
    sheet_xml_workbook,
    zip_bomb_workbook,
)

from layout.errors import InputError, TableTooLargeError
from layout.i18n import error_text
from layout.register.events import Register
from layout.register.sheet_export import export_sheet_bytes
from layout.register.sheet_read import read_sheet_bytes, sheet_candidates
from layout.tables.read import read_table_bytes
from layout.tables.table import MAX_AREA, MAX_CELLS, MAX_ROWS

ROOT = Path(__file__).resolve().parent.parent


def _rows_without_numbers(n: int) -> bytes:  # varied values: it packs like real data, not like padding
    return b"".join(b"<row><c><v>%d</v></c></row>" % (i * 7919 % 1_000_003) for i in range(n))


def _cells(n: int) -> bytes:
    per_row = 10
    return b"".join(
        b"<row>"
        + b"".join(b"<c><v>%d</v></c>" % ((i * per_row + j) * 7919 % 1_000_003) for j in range(per_row))
        + b"</row>"
        for i in range(n // per_row + 1)
    )


AREA_ROWS = MAX_AREA // 499 + 1  # with 499 columns, one row more than the used-range limit allows
HOSTILE = {
    "far_row": (lambda: far_cell_workbook("A1048576"), "too_large", "A1048576"),
    "far_corner": (lambda: far_cell_workbook("XFD1048576"), "too_large", "XFD1048576"),
    "rows_without_numbers": (
        lambda: sheet_xml_workbook(_rows_without_numbers(MAX_ROWS + 1)),
        "too_large",
        f"{MAX_ROWS + 1:,}",
    ),
    "wide_used_range": (
        lambda: sheet_xml_workbook(  # two cells: SE1 (column 499) and A<rows>
            b'<row r="1"><c r="SE1"><v>1</v></c></row>'
            + f'<row r="{AREA_ROWS}"><c r="A{AREA_ROWS}"><v>1</v></c></row>'.encode()
        ),
        "too_large",
        f"A1:SE{AREA_ROWS}",
    ),
    "many_cells": (lambda: sheet_xml_workbook(_cells(MAX_CELLS + 1)), "too_many_cells", f"{MAX_CELLS:,}"),
    "prefixed_far_row": (
        lambda: sheet_xml_workbook(  # tags with a namespace prefix, as some programs write
            b'<x:row r="1048576"><x:c r="A1048576"><x:v>1</x:v></x:c></x:row>', tag=b"x:sheetData"
        ),
        "too_large",
        "A1048576",
    ),
    "padded_150_mb": (lambda: zip_bomb_workbook(150), "zip_ratio", "150 MB"),  # under the 200 MB cap
}


@pytest.mark.parametrize("case", list(HOSTILE))
def test_hostile_workbook_refused_fast_with_one_line(case):
    make, code, figure = HOSTILE[case]
    data = make()
    assert len(data) < 5_000_000  # small files, all of them (uploads take 20 MB)
    with pytest.raises(TableTooLargeError) as info:  # refused from the sheet XML's counts, before parsing
        read_table_bytes(data, name=f"{case}.xlsx")
    assert info.value.code == code and figure in str(info.value)
    for lang in ("zh", "en"):
        text = error_text(info.value, lang)
        assert figure in text and "\n" not in text
    assert error_text(info.value, "zh").startswith("表格过大/异常")


@pytest.mark.parametrize("case", list(HOSTILE))
def test_the_same_reader_refuses_them_for_the_dispatch_sheet(case):
    make, code, _ = HOSTILE[case]
    with pytest.raises(TableTooLargeError) as info:
        read_sheet_bytes(make(), name="调度表.xlsx")
    assert info.value.code == code


def test_classify_far_row_is_one_line_in_seconds_and_bounded_memory(run_layout_measured, tmp_path):
    (tmp_path / "far_row.xlsx").write_bytes(far_cell_workbook("A1048576"))
    out, seconds, peak_mb = run_layout_measured("classify", "far_row.xlsx", cwd=tmp_path)
    assert out.returncode == 2 and "Traceback" not in out.stderr and out.stderr.count("\n") == 1
    assert "A1048576" in out.stderr and "200,000" in out.stderr
    assert peak_mb < 500, (seconds, peak_mb)  # before: 64 s, then a MemoryError


def test_register_import_far_row_is_one_line(run_layout_measured, tmp_path):
    (tmp_path / "far_row.xlsx").write_bytes(far_cell_workbook("A1048576"))
    out, seconds, peak_mb = run_layout_measured(
        "register", "--register", tmp_path / "r.sqlite", "import", "far_row.xlsx", "--by", "x", cwd=tmp_path
    )
    assert out.returncode == 2 and "Traceback" not in out.stderr and out.stderr.count("\n") == 1
    assert "A1048576" in out.stderr and peak_mb < 500, (out.stderr, seconds, peak_mb)


@pytest.mark.parametrize("member", ["xl/worksheets/sheet1.xml", "xl/workbook.xml", "[Content_Types].xml"])
def test_zip_with_patched_sizes_is_one_clear_message(member):
    with pytest.raises(InputError) as info:
        read_table_bytes(patched_size_workbook(member, 10), name="patched.xlsx")
    assert info.value.code == "xlsx_unreadable"
    assert error_text(info.value, "zh") == "patched.xlsx：工作簿无法读取；请在 Excel 中重新保存"


def test_a_large_real_sheet_is_not_taken_for_a_zip_bomb():
    wb = openpyxl.Workbook()
    ws = wb.active
    for _ in range(30_000):  # about 10 MB of sheet XML of the same value: packs about 16:1
        ws.append([0] * 10)
    buf = io.BytesIO()
    wb.save(buf)
    assert read_table_bytes(buf.getvalue(), name="zeros.xlsx").frame.shape == (29_999, 10)


def test_formula_results_are_flagged_not_used_silently():
    table = read_table_bytes(forged_formula_workbook(), name="forged.xlsx")
    assert table.frame["lon"].tolist() == ["999"]  # what the file says; Excel would show 112.35
    assert table.formulas == ["B2"]
    assert ("note.formulas", {"count": 1, "cells": "B2"}) in table.notes


@pytest.fixture
def reg(tmp_path) -> Register:
    return Register(tmp_path / "register.sqlite")


def test_dispatch_sheet_with_a_formula_is_refused(reg):
    wb = openpyxl.load_workbook(io.BytesIO(export_sheet_bytes(reg)))
    ws = wb["调度表"]
    progress = [c.value for c in ws[1]].index("进度(%)") + 1
    ws.cell(row=3, column=progress).value = "=10*3"
    buf = io.BytesIO()
    wb.save(buf)
    with pytest.raises(InputError) as info:
        read_sheet_bytes(buf.getvalue(), name="调度表.xlsx")
    assert info.value.code == "sheet_formulas"
    letter = openpyxl.utils.get_column_letter(progress)
    assert f"{letter}3" in error_text(info.value, "zh") and "粘贴为数值" in error_text(info.value, "zh")


def _with_old_copy(reg: Register) -> bytes:
    wb = openpyxl.load_workbook(io.BytesIO(export_sheet_bytes(reg)))
    old = wb.copy_worksheet(wb["调度表"])
    old.title = "调度表（上月）"
    wb.move_sheet(old, offset=-wb.index(old))  # first
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def test_two_dispatch_sheets_ask_which_and_the_choice_is_read(reg):
    data = _with_old_copy(reg)
    assert openpyxl.load_workbook(io.BytesIO(data)).sheetnames[0] == "调度表（上月）"
    with pytest.raises(InputError) as info:
        read_sheet_bytes(data, name="调度表.xlsx")
    assert sheet_candidates(info.value) == ["调度表（上月）", "调度表"]
    assert "调度表（上月）、调度表" in error_text(info.value, "zh") and "--sheet" in error_text(
        info.value, "zh", ui="cli"
    )
    frame = read_sheet_bytes(data, name="调度表.xlsx", sheet="调度表")
    assert frame.attrs["sheet"] == "调度表" and frame.attrs["sheets"] == ["调度表（上月）", "调度表", "填表说明"]


def test_one_dispatch_sheet_among_others_is_named(reg):
    frame = read_sheet_bytes(export_sheet_bytes(reg), name="调度表.xlsx")
    assert frame.attrs["sheet"] == "调度表" and "填表说明" in frame.attrs["sheets"]


def test_cli_import_asks_for_the_sheet_then_names_it(reg, tmp_path):
    path = tmp_path / "调度表.xlsx"
    path.write_bytes(_with_old_copy(reg))
    base = [
        sys.executable,
        "-m",
        "layout",
        "register",
        "--register",
        str(tmp_path / "register.sqlite"),
        "import",
        str(path),
        "--by",
        "张三",
    ]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    out = subprocess.run(base, capture_output=True, text=True, timeout=120, env=env)
    assert out.returncode == 2 and "--sheet" in out.stderr and out.stderr.count("\n") == 1
    out = subprocess.run([*base, "--sheet", "调度表"], capture_output=True, text=True, timeout=120, env=env)
    assert out.returncode == 0, out.stderr
    assert "导入工作表“调度表”" in out.stderr


# -- the same files through the app's 批量核查 (AppTest) ------------------------------------------


def _batch_upload(name: str, data: bytes):
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.run()
    at.file_uploader(key="w_upload").upload(name, data, "application/octet-stream")
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("far_row.xlsx", far_cell_workbook("A1048576"), "A1048576（1,048,576 行），上限 200,000 行"),
        ("patched.xlsx", patched_size_workbook(), "工作簿无法读取；请在 Excel 中重新保存"),
    ],
)
def test_batch_check_refuses_them_with_one_chinese_line(name, data, message):
    at = _batch_upload(name, data)
    errors = [e.value for e in at.error]
    assert len(errors) == 1 and message in errors[0] and "\n" not in errors[0], errors


def test_batch_check_says_a_result_came_from_a_formula():
    at = _batch_upload("forged.xlsx", forged_formula_workbook())
    notes = " ".join(str(e.value) for e in (*at.info, *at.warning, *at.caption))
    assert "有 1 个单元格是公式（B2）" in notes, notes


def test_register_page_asks_which_sheet_then_names_it(monkeypatch):
    from streamlit.testing.v1 import AppTest

    monkeypatch.setenv("LAYOUT_EDITOR_KEY", "a-long-editor-key-for-tests")
    reg = Register()  # the page's register (LAYOUT_REGISTER, set per test)
    data = _with_old_copy(reg)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.run()
    at.switch_page("pages/3_项目台账.py")
    at.run()
    at.file_uploader(key="w_reg_upload").upload("调度表.xlsx", data).run()
    assert not at.exception, [e.value for e in at.exception]
    assert "有 2 个工作表都像调度表" in " ".join(w.value for w in at.warning)
    assert at.selectbox(key="w_reg_sheet").options == ["调度表（上月）", "调度表"]
    assert at.selectbox(key="w_reg_sheet").proto.placeholder == "请选择"  # not Streamlit's "Choose an option"
    at.selectbox(key="w_reg_sheet").set_value("调度表").run()
    shown = " ".join(i.value for i in at.info)
    assert "导入工作表“调度表”" in shown and "调度表（上月）" in shown
    assert "调度表与台账一致" in " ".join(s.value for s in at.success)  # the chosen sheet was read and compared
    at.run()  # the next run (a click elsewhere) keeps the choice
    assert "导入工作表“调度表”" in " ".join(i.value for i in at.info) and not at.warning
