"""`python -m layout register …`: the exact command forms, exit codes, and a kill -9 mid-import."""

from __future__ import annotations

import functools
import io
import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import openpyxl
import pytest

from layout.register.events import Register
from layout.register.sheet_columns import COLUMNS
from layout.register.sheet_export import export_sheet_bytes
from layout.register.sqlite_store import SLEEP_ENV

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def db(register_location) -> str:
    """The register on each backend: a SQLite file, then a PostgreSQL database."""
    return register_location


@pytest.fixture
def reg_cli(cli, db):
    """``python -m layout register --register DB ARGS`` in this process (no uncaught exception, see conftest);
    each call asserts its own exit code, or passes ``code=0``."""
    return functools.partial(cli, "register", "--register", db, code=None)


def test_set_show_history_undo(reg_cli, db):
    out = reg_cli(
        "set",
        "P002",
        "--status",
        "在建",
        "--progress",
        "35",
        "--invest-planned",
        "500",
        "--unit",
        "赫山区商务局",
        "--as-of",
        "2025-12-31",
        "--by",
        "张三",
        "--source",
        "12月调度",
    )
    assert out.exit_code == 0, out.output
    assert "#1 2025-12-31 P002 状态：∅ → 在建  张三 记录于 " in out.output and "来源：12月调度" in out.output
    assert out.output.splitlines()[-1] == "已记录 4 项修改"
    out = reg_cli(
        "set",
        "P002",
        "--site",
        "112.3612",
        "28.5731",
        "--crs",
        "gcj02",
        "--by",
        "张三",
        "--source",
        "益发改〔2024〕12号",
    )
    assert out.exit_code == 0, out.output
    shown = json.loads(reg_cli("show", "P002", "--json").output)
    assert shown["status"] == "building" and shown["progress"] == 35 and shown["name"] == "龙桥公共保税仓"
    assert shown["site_source"] == "益发改〔2024〕12号" and 112.3 < shown["site_lon"] < 112.4
    past = json.loads(reg_cli("show", "--json", "--as-of", "2025-06-30").output)
    assert past == []
    listing = reg_cli("show").output
    assert "P002 龙桥公共保税仓：" in listing and "状态=在建" in listing and "进度(%)=35" in listing
    assert "最近报送=" in listing and "报送人=张三" in listing
    listing = reg_cli("show", "--lang", "en").output
    assert "P002 龙桥公共保税仓: " in listing and "status=building" in listing
    history = json.loads(reg_cli("history", "P002", "--json").output)
    assert [e["field"] for e in history][:2] == ["status", "progress"] and history[0]["by"] == "张三"
    assert history[0]["kind"] == "set" and history[0]["retracted"] is False
    assert "#1 2025-12-31 P002 status: ∅ → building  by 张三" in reg_cli("history", "--lang", "en").output
    out = reg_cli("undo", "2", "--by", "李四", "--reason", "进度填错")
    assert out.exit_code == 0 and "已撤销事件 2（撤销记录为事件 8）" in out.output
    assert json.loads(reg_cli("show", "P002", "--json").output)["progress"] is None
    lines = reg_cli("history", "--field", "进度(%)").output.splitlines()
    assert lines[0].startswith("#2 2025-12-31 P002 进度(%)：∅ → 35") and lines[0].endswith("[已撤销]")
    assert lines[1].startswith("#8 2025-12-31 P002 撤销事件 #2（进度(%)）  李四 记录于")
    assert lines[1].endswith("理由：进度填错")
    out = reg_cli("undo", "2", "--by", "李四")
    assert out.exit_code == 2 and "错误：事件 2 已被事件 8 撤销；要恢复它，请撤销事件 8" in out.output
    out = reg_cli("undo", "2", "--by", "李四", "--lang", "en", code=2)
    assert "error: Event 2 was already undone by event 8" in out.output


def test_rereport_is_a_confirmation(reg_cli, db):
    reg_cli("set", "P002", "--status", "在建", "--invest-done", "3000", "--as-of", "2025-06-30", "--by", "张三", code=0)
    out = reg_cli("set", "P002", "--status", "在建", "--invest-done", "3000", "--as-of", "2025-09-30", "--by", "张三")
    assert out.exit_code == 0
    assert "状态：在建（已确认，无变化）" in out.output
    assert out.output.splitlines()[-1] == "已确认（无变化）：2 项与台账一致，已记为本次报送"
    assert json.loads(reg_cli("show", "P002", "--json").output)["last_as_of"] == "2025-09-30"
    out = reg_cli("set", "P002", "--status", "在建", "--progress", "50", "--by", "张三", "--lang", "en", code=0)
    assert out.output.splitlines()[-1] == "recorded 1 change(s), 1 confirmed (no change)"


def test_stale_edit_refused_with_expect_event(reg_cli, db):
    reg_cli("set", "P002", "--progress", "30", "--by", "张三", code=0)  # event 1: what 张三 saw
    reg_cli("set", "P002", "--progress", "55", "--by", "李四", code=0)  # event 2: someone else meanwhile
    out = reg_cli("set", "P002", "--progress", "40", "--by", "张三", "--expect-event", "1")
    assert out.exit_code == 2
    assert "错误：P002 在您读取之后已有修改：进度(%)：30 → 55（李四 记录，事件 2，" in out.output
    assert "未保存任何内容" in out.output
    assert json.loads(reg_cli("show", "P002", "--json").output)["progress"] == 55
    out = reg_cli("set", "P002", "--progress", "40", "--by", "张三", "--expect-event", "1", "--lang", "en", code=2)
    assert "P002 changed since you read it: progress: 30 → 55 (recorded by 李四, event 2" in out.output
    out = reg_cli("set", "P002", "--progress", "40", "--by", "张三", "--expect-event", "2")
    assert out.exit_code == 0 and json.loads(reg_cli("show", "P002", "--json").output)["progress"] == 40


def test_set_indicator(reg_cli, db):
    out = reg_cli(
        "set-indicator",
        "services_gdp_share",
        "--value",
        "43.2",
        "--year",
        "2025",
        "--source",
        "2025年统计公报",
        "--by",
        "统计局",
        "--as-of",
        "2026-03-31",
    )
    assert out.exit_code == 0, out.output
    assert "indicator:services_gdp_share 实际值：∅ → 43.2" in out.output
    ind = Register(db).indicator_state()
    assert ind.loc["services_gdp_share", "actual_value"] == 43.2
    assert ind.loc["services_gdp_share", "actual_year"] == 2025
    assert ind.loc["services_gdp_share", "source"] == "2025年统计公报"
    out = reg_cli("set-indicator", "gdp", "--value", "1", "--year", "2025", "--source", "x", "--by", "a")
    assert out.exit_code == 2 and "错误：指标应为 " in out.output and "services_gdp_share" in out.output
    out = reg_cli(
        "set-indicator", "services_gdp_share", "--value", "很多", "--year", "2025", "--source", "x", "--by", "a"
    )
    assert out.exit_code == 2 and "services_gdp_share 实际值：应为数字，收到“很多”" in out.output
    out = reg_cli(
        "set-indicator", "services_gdp_share", "--value", "很多", "--year", "2025", "--source", "x", "--by", "a",
        "--lang", "en",
    )  # fmt: skip
    assert out.exit_code == 2 and "services_gdp_share actual_value: should be a number, got “很多”" in out.output
    out = reg_cli("set-indicator", "services_gdp_share", "--value", "1", "--year", "2025", "--source", " ", "--by", "a")
    assert out.exit_code == 2 and "--source" in out.output


def test_history_filters(reg_cli, db):
    reg_cli("set", "P002", "--status", "在建", "--as-of", "2024-06-30", "--by", "张三", code=0)
    reg_cli("set", "P003", "--status", "在建", "--progress", "10", "--as-of", "2025-03-31", "--by", "李四", code=0)
    reg_cli("set", "P002", "--progress", "20", "--as-of", "2025-06-30", "--by", "李四", code=0)

    def ids(*args):
        return [e["event_id"] for e in json.loads(reg_cli("history", "--json", *args).output)]

    assert ids() == [1, 2, 3, 4]
    assert ids("--project", "p002") == ids("P002") == [1, 4]
    assert ids("--field", "status") == ids("--field", "状态") == [1, 2]
    assert ids("--by", "李四") == [2, 3, 4]
    assert ids("--from", "2025-01-01") == [2, 3, 4] and ids("--to", "2025-03-31") == [1, 2, 3]
    assert ids("--from", "2025-01-01", "--to", "2025-03-31", "--by", "李四", "--field", "progress") == [3]
    assert ids("--by", "nobody") == []
    assert reg_cli("history", "--by", "nobody").output.strip() == "没有事件"
    out = reg_cli("history", "--field", "colour")
    assert out.exit_code == 2 and "--field" in out.output


def test_set_errors_exit_2_with_one_line(reg_cli, db):
    out = reg_cli("set", "P002", "--progress", "300", "--status", "快好了", "--by", "张三")
    assert out.exit_code == 2
    assert (
        "错误：P002 状态：应为 未启动、前期工作、" in out.output
        and "；P002 进度(%)：应为 0–100 的百分数，收到 300" in out.output
    )
    out = reg_cli("set", "P002", "--progress", "300", "--status", "快好了", "--by", "张三", "--lang", "en")
    assert "P002 status: should be one of" in out.output and "P002 progress: should be a percentage" in out.output
    out = reg_cli("set", "P999", "--status", "在建", "--by", "张三")
    assert out.exit_code == 2 and "错误：P999：不是项目目录中的项目编号（P001 …）" in out.output
    out = reg_cli("set", "P002", "--site", "111.21", "28.38", "--by", "张三", "--source", "批复")
    assert (
        out.exit_code == 2
        and "错误：P002 点位：该点位于安化县，规划中项目在赫山区；若确实如此，请加 --confirm" in out.output
    )
    out = reg_cli(
        "set", "P002", "--site", "111.21", "28.38", "--by", "张三", "--source", "批复：实际选址在安化", "--confirm"
    )
    assert out.exit_code == 0
    out = reg_cli("set", "P002", "--by", "张三")
    assert out.exit_code == 2 and "没有要登记的内容" in out.output
    out = reg_cli("set", "P002", "--by", "张三", "--lang", "en")
    assert out.exit_code == 2 and "Nothing to set" in out.output
    for bad in ("99", "0", "9223372036854775808", "x"):
        out = reg_cli("undo", bad, "--by", "x")
        assert out.exit_code == 2 and "事件" in out.output and "不存在" in out.output, out.output


def test_bad_event_id_is_one_line_on_stderr_in_a_real_process(db, run_layout):
    """What a user at a terminal sees: one line on stderr, exit code 2, no traceback."""
    out = run_layout("register", "--register", db, "undo", "9223372036854775808", "--by", "x")
    assert out.returncode == 2 and out.stdout == ""
    assert out.stderr.count("\n") == 1 and out.stderr.startswith("错误：") and "Traceback" not in out.stderr


def test_warning_for_invest_done_above_planned(reg_cli, db):
    out = reg_cli("set", "P002", "--invest-planned", "100", "--invest-done", "150", "--by", "张三")
    assert out.exit_code == 0 and "警告：P002：完成投资 150 万元大于计划投资 100 万元，请核对两个数" in out.output


def test_export_import_dry_run_and_apply(reg_cli, db, tmp_path):
    reg_cli("set", "P002", "--status", "在建", "--by", "张三", code=0)
    sheet = tmp_path / "调度表.xlsx"
    out = reg_cli("export", "-o", str(sheet))
    assert out.exit_code == 0 and sheet.exists()
    out = reg_cli("import", str(sheet), "--by", "李四")
    assert out.exit_code == 0 and "没有修改：调度表与台账一致" in out.output
    wb = openpyxl.load_workbook(sheet)
    ws = wb.active
    headers = [c.value for c in ws[1]]
    ws.cell(row=3, column=headers.index("状态") + 1, value="已建成")  # row 3 = P002
    ws.cell(row=4, column=headers.index("进度(%)") + 1, value=20)  # P003
    wb.save(sheet)
    out = reg_cli("import", str(sheet), "--by", "李四")
    assert out.exit_code == 0
    assert "P002 龙桥公共保税仓 状态：在建 → 已建成" in out.output and "尚未导入（加 --apply 导入）" in out.output
    assert len(Register(db).events()) == 1
    out = reg_cli("import", str(sheet), "--by", "李四", "--apply", "--lang", "en")
    assert out.exit_code == 0 and "applied 2 change(s) in 2 project(s): 2 event(s)" in out.output
    assert Register(db).state().loc["P002", "status"] == "completed"


def test_import_bad_cells_exit_1_and_apply_nothing(reg_cli, db, tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_bytes(
        "项目编号,项目名称,状态,进度(%)\nP002,龙桥公共保税仓,已建成,\nP003,出口监管仓,在建,很多\n".encode("gbk")
    )
    out = reg_cli("import", str(bad), "--by", "李四", "--apply")
    assert out.exit_code == 1
    assert "bad.csv: 第 3 行「进度(%)」列（D 列） P003：应为数字，收到“很多”；改法：填 0 到 100 的数字" in out.output
    assert "bad.csv：有 1 处问题；未导入任何内容" in out.output
    out = reg_cli("import", str(bad), "--by", "李四", "--apply", "--lang", "en")
    assert out.exit_code == 1
    assert "bad.csv: row 3, column D (进度(%)) P003: should be a number, got “很多”; fix: a number from 0 to 100" in (
        out.output
    )
    assert Register(db).events().empty
    out = reg_cli("import", str(tmp_path / "missing.xlsx"), "--by", "x")
    assert out.exit_code == 2 and "文件不存在" in out.output
    junk = tmp_path / "x.csv"
    junk.write_text("a,b\n1,2\n")
    out = reg_cli("import", str(junk), "--by", "x")
    assert out.exit_code == 2 and "x.csv：表头行没有 项目编号、项目名称 列，不是调度表" in out.output
    out = reg_cli("import", str(junk), "--by", "x", "--lang", "en")
    assert out.exit_code == 2 and "not a progress sheet" in out.output


def test_backup_and_restore(reg_cli, db, tmp_path):
    reg_cli("set", "P002", "--status", "在建", "--by", "张三", code=0)
    out = reg_cli("backup", "-o", str(tmp_path / "b.sqlite"))
    assert out.exit_code == 0 and "（1 条事件）" in out.output
    reg_cli("set", "P003", "--status", "在建", "--by", "张三", code=0)
    out = reg_cli("restore", str(tmp_path / "b.sqlite"))
    assert out.exit_code == 0 and "恢复 1 条事件" in out.output
    assert list(Register(db).state().index) == ["P002"]
    assert reg_cli("restore", str(tmp_path / "none.sqlite")).exit_code == 2


def test_kill_9_during_import_apply_leaves_register_unchanged(tmp_path):
    # SQLite's lock; the same on a server: test_register_pg.py::test_fault_mid_import_leaves_register_as_before
    db = tmp_path / "register.sqlite"
    reg = Register(db)
    reg.record("P002", {"status": "building"}, by="张三")
    before = reg.events()
    # a big filled sheet: every project gets a status, progress and unit
    wb = openpyxl.load_workbook(io.BytesIO(export_sheet_bytes(reg)))
    ws = wb.active
    headers = list(COLUMNS.values())
    for row in range(2, ws.max_row + 1):
        ws.cell(row=row, column=headers.index("状态") + 1, value="已运营")
        ws.cell(row=row, column=headers.index("进度(%)") + 1, value=100)
        ws.cell(row=row, column=headers.index("责任单位") + 1, value=f"单位{row}")
    sheet = tmp_path / "big.xlsx"
    wb.save(sheet)
    env = {**os.environ, "PYTHONPATH": str(ROOT), SLEEP_ENV: "60"}
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "layout",
            "register",
            "--register",
            str(db),
            "import",
            str(sheet),
            "--by",
            "李四",
            "--apply",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    # wait until the import holds the write lock (inside its transaction), then kill it
    deadline = time.monotonic() + 240
    locked = False
    while time.monotonic() < deadline and proc.poll() is None:
        con = sqlite3.connect(db, timeout=0)
        try:
            con.execute("BEGIN IMMEDIATE")
            con.execute("ROLLBACK")
        except sqlite3.OperationalError:
            locked = True
            break
        finally:
            con.close()
        time.sleep(0.2)
    assert locked, proc.communicate()
    time.sleep(0.5)
    os.kill(proc.pid, signal.SIGKILL)
    proc.communicate()
    assert proc.returncode == -signal.SIGKILL
    after = Register(db).events()
    assert len(after) == len(before) == 1
    assert Register(db).state().loc["P002", "status"] == "building"
