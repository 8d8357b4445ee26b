"""Hostile files and text for the register: restore that cannot lose or poison data, text at the door."""

from __future__ import annotations

import datetime as dt
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT

from layout.errors import InputError
from layout.register.events import Register


@pytest.fixture
def reg(tmp_path) -> Register:
    r = Register(tmp_path / "live.sqlite")
    r.record("P002", {"status": "building", "progress": 30}, by="张三", as_of=dt.date(2025, 3, 31))
    r.record("P003", {"status": "completed"}, by="李四", as_of=dt.date(2025, 6, 30))
    return r


def forged(tmp_path: Path, reg: Register, name: str, *statements: str) -> Path:
    """A copy of ``reg``'s file with ``statements`` run on it (a forged backup)."""
    path = reg.store.backup_to(tmp_path / name)
    con = sqlite3.connect(path)
    for statement in statements:
        con.execute(statement)
    con.commit()
    con.close()
    return path


def test_restore_of_an_empty_backup_then_of_the_bak_loses_nothing(reg, tmp_path):
    empty = Register(tmp_path / "empty.sqlite").store.backup_to(tmp_path / "empty_backup.sqlite")
    assert reg.restore(empty) == 0  # the mistake
    assert reg.events().empty
    bak = tmp_path / "live.sqlite.bak"
    assert bak.exists()
    assert reg.restore(bak) == 3  # and back: the .bak holds the three events
    assert len(reg.events()) == 3 and reg.state().loc["P002", "progress"] == 30
    assert (tmp_path / "live.sqlite.bak.1").exists()  # the empty one, kept too; .bak was not overwritten
    assert sqlite3.connect(bak).execute("SELECT COUNT(*) FROM events").fetchone() == (3,)


@pytest.mark.parametrize(
    "statements, message",
    [
        (
            ("CREATE TRIGGER wipe AFTER INSERT ON events BEGIN DELETE FROM events WHERE event_id < 3; END",),
            "unexpected trigger wipe",
        ),
        (("CREATE TRIGGER slow BEFORE INSERT ON events BEGIN SELECT RAISE(ABORT, 'no'); END",), "unexpected trigger"),
        (("CREATE VIEW v AS SELECT * FROM events",), "unexpected view v"),
        (("CREATE TABLE extra (x)",), "unexpected table extra"),
        (("UPDATE events SET as_of = '2025-13-45' WHERE event_id = 2",), "event 2: as_of '2025-13-45' is not a date"),
        (("UPDATE events SET kind = 'magic' WHERE event_id = 1",), "event 1: kind 'magic'"),
        (("UPDATE events SET field = 'colour' WHERE event_id = 3",), "event 3: field 'colour'"),
        (
            ("UPDATE events SET value = 'exploded' WHERE event_id = 1",),
            "event 1: status: should be one of .*'exploded'",
        ),
        (
            ("UPDATE events SET recorded_by = '管理员' || char(27) || '[31m' WHERE event_id = 1",),
            "event 1: status: by: has a control character U.001B",
        ),
        (("UPDATE events SET retracts = 99, kind = 'retract' WHERE event_id = 3",), "event 3: retracts 99"),
        (("UPDATE register_meta SET meta_value = '7' WHERE meta_key = 'schema_version'",), "schema version 7"),
        (("DROP INDEX events_retracts",), "missing index events_retracts"),
    ],
)
def test_forged_backups_are_refused_and_the_live_register_is_untouched(reg, tmp_path, statements, message):
    src = forged(tmp_path, reg, "forged.sqlite", *statements)
    reg.record("P004", {"note": "after the backup"}, by="王五")
    with pytest.raises(InputError, match=message):
        reg.restore(src)
    assert len(reg.events()) == 4 and not list(tmp_path.glob("live.sqlite.bak*"))
    assert not list(tmp_path.glob("live.sqlite.restoring*"))


def test_corrupt_and_foreign_files_are_refused(reg, tmp_path):
    junk = tmp_path / "junk.sqlite"
    junk.write_bytes(b"not a database at all" * 100)
    with pytest.raises(InputError, match="not a SQLite register backup"):
        reg.restore(junk)
    src = reg.store.backup_to(tmp_path / "damaged.sqlite")
    data = bytearray(src.read_bytes())
    data[3 * 4096 : 3 * 4096 + 16] = b"\xff" * 16  # scribble over the events table's page header (page 4)
    src.write_bytes(bytes(data))
    with pytest.raises(InputError, match="damaged|not a usable register|not a SQLite register"):
        reg.restore(src)
    other = tmp_path / "other.sqlite"
    con = sqlite3.connect(other)
    con.execute("CREATE TABLE events (x)")
    con.commit()
    con.close()
    with pytest.raises(InputError, match="not a register backup"):
        reg.restore(other)
    assert len(reg.events()) == 3


def test_restore_cli_says_where_the_previous_register_went(cli, reg, tmp_path):
    backup = reg.store.backup_to(tmp_path / "b.sqlite")
    out = cli("register", "--register", str(reg.path), "restore", str(backup), code=None)
    assert out.exit_code == 0 and "原内容保存为 live.sqlite.bak" in out.output
    out = cli("register", "--register", str(reg.path), "restore", str(backup), "--lang", "en", code=None)
    assert out.exit_code == 0 and "previous content: live.sqlite.bak.1" in out.output


@pytest.mark.parametrize(
    "changes, message",
    [
        ({"note": "正常\x1b[31m红字"}, "note .备注.: has a control character U.001B at position 3"),
        ({"lead_unit": "单位\x00"}, "lead_unit .责任单位.: has a control character U.0000"),
        ({"note": "bad \udcb2\udce2"}, "undecodable byte"),
        ({"lead_unit": "a\nb"}, "control character U.000A"),
    ],
)
def test_control_characters_refused_at_the_door(reg, changes, message):
    with pytest.raises(InputError, match=message):
        reg.record("P002", changes, by="张三")
    assert len(reg.events()) == 3


def test_texts_of_the_event_are_checked_too(reg):
    with pytest.raises(InputError, match="by: has a control character U.0007"):
        reg.record("P002", {"note": "x"}, by="张\x07三")
    with pytest.raises(InputError, match="source: should be at most 2000 characters, got 5000000"):
        reg.record("P002", {"note": "x"}, by="张三", source="x" * 5_000_000)
    with pytest.raises(InputError, match="reason: has a control character"):
        reg.undo(1, by="张三", reason="\x1b]0;title\x07")
    reg.record("P002", {"note": "第一行\n第二行"}, by="张三")  # a line break in a note is text
    assert reg.state().loc["P002", "note"] == "第一行\n第二行"
    assert len(reg.events()) == 4


def test_gbk_bytes_in_a_cli_note_give_one_line(reg, tmp_path):
    import os
    import subprocess
    import sys

    root = Path(__file__).resolve().parent.parent
    note = "备注".encode("gbk")
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "layout",
            "register",
            "--register",
            os.fsencode(reg.path),
            "set",
            "P002",
            "--note",
            note,
            "--by",
            "张三",
        ],
        cwd=root,
        capture_output=True,
        env={**os.environ, "PYTHONPATH": str(root)},
    )
    err = proc.stderr.decode("utf-8", "replace")
    assert proc.returncode == 2 and "Traceback" not in err and "第 1 个字符无法解码（不是 UTF-8 文本）" in err, err
    assert len(err.strip().splitlines()) == 1


def test_read_commands_on_a_mistyped_register_create_nothing(cli, tmp_path, monkeypatch):
    missing = tmp_path / "typo" / "registr.sqlite"
    monkeypatch.setenv("LAYOUT_REGISTER", str(missing))
    for args in (
        ["show"],
        ["history"],
        ["history", "--json"],
        ["export", "-o", str(tmp_path / "x.xlsx")],
        ["backup", "-o", str(tmp_path / "b.sqlite")],
        ["undo", "3", "--by", "a"],
    ):
        out = cli("register", *args, code=None)
        assert out.exit_code == 2, (args, out.output)
        assert f"错误：台账文件 {missing} 不存在" in out.output
    assert not (tmp_path / "typo").exists() and not (tmp_path / "x.xlsx").exists()


def test_opening_a_current_register_takes_no_write_lock(reg):
    import time

    holder = sqlite3.connect(reg.path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # another officer's long import holds the write lock
    try:
        t0 = time.perf_counter()
        again = Register(reg.path)
        assert again.state().loc["P002", "progress"] == 30
        assert len(list(again.iter_history())) == 3
        assert time.perf_counter() - t0 < 5  # before: the open waited for the lock (30 s), then failed
    finally:
        holder.execute("ROLLBACK")
        holder.close()


def test_history_needs_no_data_stack(reg):
    import subprocess
    import sys

    code = (
        "import sys; from click.testing import CliRunner; from layout.cli.main import main; "
        f"out = CliRunner().invoke(main, ['register', '--register', {str(reg.path)!r}, 'history']); "
        "assert out.output.count('#') == 3, out.output; "
        "print(sorted(m for m in ('pandas', 'numpy', 'pyproj', 'geopandas') if m in sys.modules))"
    )
    root = Path(__file__).resolve().parent.parent
    out = subprocess.run(
        [sys.executable, "-c", code],
        cwd=root,
        capture_output=True,
        text=True,
        env={**__import__("os").environ, "PYTHONPATH": str(root)},
    )
    assert out.stdout.strip() == "[]", out.stderr


def test_unmodified_sheet_round_trip_records_nothing(reg):
    from layout.register.sheet_export import export_sheet_bytes
    from layout.register.sheet_import import diff_sheet
    from layout.register.sheet_read import read_sheet_bytes

    texts = {"lead_unit": "赫山区商务局（重点办）", "note": "ＡＢＣ全角，１２３ ﬁ ①"}
    reg.record("P002", texts, by="张三")
    table = read_sheet_bytes(export_sheet_bytes(reg), name="调度表.xlsx")
    diff = diff_sheet(table, reg, name="调度表.xlsx")
    assert diff.problems == [] and diff.changes == []
    state = reg.state().loc["P002"]
    assert (state["lead_unit"], state["note"]) == (texts["lead_unit"], texts["note"])  # stored as typed


@pytest.mark.parametrize("value", ["1.7976931348623157e308", "1e9", "1000000000", "-1", "inf"])
def test_investment_is_bounded(reg, value):
    with pytest.raises(InputError, match="invest_planned"):
        reg.record("P002", {"invest_planned": value}, by="张三")


def test_largest_investments_still_sum(reg):
    from layout.catalog.projects import load_catalog
    from layout.evaluation.figures import evaluate

    reg.record_many(
        [("P002", {"invest_planned": 999_999_999.99}), ("P003", {"invest_planned": "999999999"})], by="张三"
    )
    total = evaluate(load_catalog(), reg.state(), as_of=dt.date.today()).total["invest_planned"]
    assert total == pytest.approx(1_999_999_998.99) and total < float("inf")


def test_a_damaged_row_is_named_by_its_event_id(cli, reg):
    con = sqlite3.connect(reg.path)
    con.execute("UPDATE events SET as_of = '2025-13-45' WHERE event_id = 2")
    con.commit()
    con.close()
    with pytest.raises(InputError, match="event 2 has the date '2025-13-45'") as err:
        reg.state()
    assert err.value.code == "reg_bad_row"
    out = cli("register", "--register", str(reg.path), "show", code=None)
    assert out.exit_code == 2 and "错误：台账第 2 号事件的日期“2025-13-45”不是 YYYY-MM-DD" in out.output
    out = cli("register", "--register", str(reg.path), "history", code=None)
    assert out.exit_code == 0 and "#2 2025-13-45" in out.output  # history still lists it, to find and fix


def test_a_dated_sheet_row_with_unchanged_values_is_a_report(cli, reg, tmp_path):
    import openpyxl

    from layout.register.sheet_columns import COLUMNS
    from layout.register.sheet_export import export_sheet_bytes

    sheet = tmp_path / "调度表.xlsx"
    sheet.write_bytes(export_sheet_bytes(reg))
    wb = openpyxl.load_workbook(sheet)
    ws = wb.active
    headers = list(COLUMNS.values())
    ws.cell(row=3, column=headers.index("信息日期") + 1, value="2025-09-30")  # P002: same values, new date
    wb.save(sheet)
    out = cli("register", "--register", str(reg.path), "import", str(sheet), "--by", "王五", code=None)
    assert out.exit_code == 0, out.output
    assert "P002 龙桥公共保税仓 第 3 行：状态、进度(%) 已确认（无变化）" in out.output
    assert "0 处修改；尚未导入（加 --apply 导入）；另有 1 行已确认（无变化）" in out.output
    out = cli("register", "--register", str(reg.path), "import", str(sheet), "--by", "王五", "--apply", code=None)
    assert out.exit_code == 0 and "：2 条事件，其中 2 项为确认（无变化）" in out.output, out.output
    row = Register(reg.path).state().loc["P002"]
    assert row["last_as_of"] == dt.date(2025, 9, 30) and row["last_by"] == "王五" and row["progress"] == 30


def test_a_read_only_register_is_shown_and_a_write_is_one_line(tmp_path):
    """Issue 19: a register the user may only read (a read-only file in a read-only folder) can be shown;
    a write says why in one line. As root (CI) the commands run without the capability to override file
    permissions (util-linux ``setpriv``), as an ordinary officer's account would."""
    folder = tmp_path / "ro"
    folder.mkdir()
    path = folder / "r.sqlite"
    Register(path).record("P002", {"status": "building"}, by="张三", as_of=dt.date(2025, 6, 30))
    path.chmod(0o444)
    folder.chmod(0o555)
    unprivileged = ["setpriv", "--bounding-set=-dac_override,-dac_read_search", "--"] if os.geteuid() == 0 else []
    env = {**os.environ, "PYTHONPATH": str(ROOT), "LAYOUT_REGISTER": str(path)}
    try:
        show = subprocess.run(
            [*unprivileged, sys.executable, "-m", "layout", "register", "show", "P002"],
            capture_output=True,
            text=True,
            env=env,
            timeout=120,
        )
        assert show.returncode == 0 and "在建" in show.stdout, show.stderr
        write = subprocess.run(
            [
                *unprivileged,
                sys.executable,
                "-m",
                "layout",
                "register",
                "set",
                "P002",
                "--status",
                "已建成",
                "--by",
                "张三",
            ],
            capture_output=True,
            text=True,
            env=env,
            timeout=120,
        )
        assert write.returncode == 2 and write.stderr.count("\n") == 1 and "只读" in write.stderr, write.stderr
        assert sorted(p.name for p in folder.iterdir()) == ["r.sqlite"]  # no journal or lock file beside it
    finally:
        folder.chmod(0o755)
        path.chmod(0o644)
