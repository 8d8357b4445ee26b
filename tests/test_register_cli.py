"""`python -m layout register …`: the exact command forms, exit codes, and a kill -9 mid-import."""

from __future__ import annotations

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
from click.testing import CliRunner

from layout.cli import main
from layout.register import Register
from layout.register_sheet import COLUMNS, export_sheet_bytes
from layout.register_store import SLEEP_ENV

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def db(register_location) -> str:
    """The register on each backend: a SQLite file, then a PostgreSQL database."""
    return register_location


def cli(db: str | Path, *args: str):
    result = CliRunner().invoke(main, ["register", "--register", str(db), *args])
    return result


def test_set_show_history_undo(db):
    out = cli(db, "set", "P002", "--status", "在建", "--progress", "35", "--invest-planned", "500",
              "--unit", "赫山区商务局", "--as-of", "2025-12-31", "--by", "张三", "--source", "12月调度")
    assert out.exit_code == 0, out.output
    assert "recorded 4 event(s)" in out.output
    out = cli(db, "set", "P002", "--site", "112.3612", "28.5731", "--crs", "gcj02", "--by", "张三",
              "--source", "益发改〔2024〕12号")
    assert out.exit_code == 0, out.output
    shown = json.loads(cli(db, "show", "P002", "--json").output)
    assert shown["status"] == "building" and shown["progress"] == 35 and shown["name"] == "龙桥公共保税仓"
    assert shown["site_source"] == "益发改〔2024〕12号" and 112.3 < shown["site_lon"] < 112.4
    past = json.loads(cli(db, "show", "--json", "--as-of", "2025-06-30").output)
    assert past == []
    listing = cli(db, "show").output
    assert "P002 龙桥公共保税仓: " in listing and "status=在建" in listing and "progress=35" in listing
    history = json.loads(cli(db, "history", "P002", "--json").output)
    assert [e["field"] for e in history][:2] == ["status", "progress"] and history[0]["by"] == "张三"
    assert "#1 2025-12-31 P002 status: ∅ → building  by 张三" in cli(db, "history").output
    out = cli(db, "undo", "2", "--by", "李四")
    assert out.exit_code == 0 and "event 2 undone by event 8" in out.output
    assert json.loads(cli(db, "show", "P002", "--json").output)["progress"] is None


def test_set_errors_exit_2_with_one_line(db):
    out = cli(db, "set", "P002", "--progress", "300", "--status", "快好了", "--by", "张三")
    assert out.exit_code == 2
    assert "P002 status (状态): should be one of" in out.output and "P002 progress" in out.output
    out = cli(db, "set", "P999", "--status", "在建", "--by", "张三")
    assert out.exit_code == 2 and "P999: not a project id of the catalog" in out.output
    out = cli(db, "set", "P002", "--site", "111.21", "28.38", "--by", "张三", "--source", "批复")
    assert out.exit_code == 2 and "lies in 安化县, but the plan puts the project in 赫山区" in out.output
    out = cli(db, "set", "P002", "--site", "111.21", "28.38", "--by", "张三", "--source", "批复：实际选址在安化",
              "--confirm")
    assert out.exit_code == 0
    out = cli(db, "set", "P002", "--by", "张三")
    assert out.exit_code == 2 and "nothing to set" in out.output
    assert cli(db, "undo", "99", "--by", "x").exit_code == 2
    assert "Traceback" not in out.output


def test_warning_for_invest_done_above_planned(db):
    out = cli(db, "set", "P002", "--invest-planned", "100", "--invest-done", "150", "--by", "张三")
    assert out.exit_code == 0 and "warning: P002: invest_done 150 万元 is more than invest_planned 100" in out.output


def test_export_import_dry_run_and_apply(db, tmp_path):
    cli(db, "set", "P002", "--status", "在建", "--by", "张三")
    sheet = tmp_path / "调度表.xlsx"
    out = cli(db, "export", "-o", str(sheet))
    assert out.exit_code == 0 and sheet.exists()
    out = cli(db, "import", str(sheet), "--by", "李四")
    assert out.exit_code == 0 and "no changes" in out.output
    wb = openpyxl.load_workbook(sheet)
    ws = wb.active
    headers = [c.value for c in ws[1]]
    ws.cell(row=3, column=headers.index("状态") + 1, value="已建成")  # row 3 = P002
    ws.cell(row=4, column=headers.index("进度(%)") + 1, value=20)  # P003
    wb.save(sheet)
    out = cli(db, "import", str(sheet), "--by", "李四")
    assert out.exit_code == 0
    assert "P002 龙桥公共保税仓 status: 在建 → 已建成" in out.output and "nothing applied (add --apply)" in out.output
    assert len(Register(db).events()) == 1
    out = cli(db, "import", str(sheet), "--by", "李四", "--apply")
    assert out.exit_code == 0 and "applied 2 change(s) in 2 project(s): 2 event(s)" in out.output
    assert Register(db).state().loc["P002", "status"] == "completed"


def test_import_bad_cells_exit_1_and_apply_nothing(db, tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_bytes("项目编号,项目名称,状态,进度(%)\nP002,龙桥公共保税仓,已建成,\nP003,出口监管仓,在建,很多\n"
                    .encode("gbk"))
    out = cli(db, "import", str(bad), "--by", "李四", "--apply")
    assert out.exit_code == 1
    assert "bad.csv: row 3, column D (进度(%)) P003: should be a number, got '很多'; fix:" in out.output
    assert "1 problem(s); nothing was applied" in out.output
    assert Register(db).events().empty
    out = cli(db, "import", str(tmp_path / "missing.xlsx"), "--by", "x")
    assert out.exit_code == 2 and "no such file" in out.output
    junk = tmp_path / "x.csv"
    junk.write_text("a,b\n1,2\n")
    out = cli(db, "import", str(junk), "--by", "x")
    assert out.exit_code == 2 and "not a 调度表" in out.output


def test_backup_and_restore(db, tmp_path):
    cli(db, "set", "P002", "--status", "在建", "--by", "张三")
    out = cli(db, "backup", "-o", str(tmp_path / "b.sqlite"))
    assert out.exit_code == 0 and "(1 events)" in out.output
    cli(db, "set", "P003", "--status", "在建", "--by", "张三")
    out = cli(db, "restore", str(tmp_path / "b.sqlite"))
    assert out.exit_code == 0 and "restored 1 events" in out.output
    assert list(Register(db).state().index) == ["P002"]
    assert cli(db, "restore", str(tmp_path / "none.sqlite")).exit_code == 2


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
    proc = subprocess.Popen([sys.executable, "-m", "layout", "register", "--register", str(db), "import", str(sheet),
                             "--by", "李四", "--apply"], cwd=ROOT, env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE)
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
