"""The register on a real PostgreSQL + PostGIS server: schema and QGIS view, who wrote each event, the
documented roles, migration to and from SQLite, and faults (kill -9 of a writer, server restart)."""

from __future__ import annotations

import datetime as dt
import getpass
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import psycopg
import pytest

from layout.errors import InputError
from layout.register.events import Register
from layout.register.postgres_store import APP_NAME, SRID, WRITE_LOCK_KEY, close_pools, display_url
from layout.register.sqlite_store import SLEEP_ENV

ROOT = Path(__file__).resolve().parent.parent
HESHAN = (112.35028, 28.5825)  # 赫山区 seat (WGS84); P002 is planned in 赫山区


def test_location_picks_the_backend(pg_url, tmp_path, monkeypatch):
    monkeypatch.setenv("LAYOUT_REGISTER", pg_url)
    reg = Register()
    assert reg.path is None and reg.location == pg_url and type(reg.store).__name__ == "PgRegisterStore"
    assert Register(tmp_path / "r.sqlite").path == tmp_path / "r.sqlite"
    assert display_url("postgresql://w:secret@h:5432/db") == "postgresql://w:***@h:5432/db"
    with pytest.raises(InputError, match="cannot be reached"):
        Register("postgresql://nobody@127.0.0.1:1/none")


def test_schema_view_and_users(pg_url):
    reg = Register(pg_url)
    reg.record("P002", {"status": "在建", "progress": 30}, by="张三", as_of=dt.date(2025, 3, 31))
    reg.record("P002", {"site": HESHAN}, by="张三", source="规划许可", as_of=dt.date(2025, 6, 30))
    reg.record("P003", {"status": "completed"}, by="李四", as_of=dt.date(2025, 9, 30))
    reg.record("indicator:x", {"actual_value": 5}, by="统计局")
    with psycopg.connect(pg_url) as conn:
        assert conn.execute("SELECT DISTINCT db_user, os_user FROM events").fetchall() == [
            ("postgres", getpass.getuser())
        ]
        assert conn.execute(
            "SELECT type, srid FROM geometry_columns WHERE f_table_name = 'project_state_now'"
        ).fetchone() == ("POINT", SRID)
        rows = conn.execute(
            "SELECT project_id, status, progress, last_by, last_as_of, ST_X(geom), ST_Y(geom) "
            "FROM project_state_now ORDER BY project_id"
        ).fetchall()
    assert rows == [
        ("P002", "building", 30.0, "张三", "2025-06-30", HESHAN[0], HESHAN[1]),
        ("P003", "completed", None, "李四", "2025-09-30", None, None),
    ]
    state = reg.state()  # the view and the library agree
    assert list(state.index) == ["P002", "P003"] and state.loc["P002", "site_lon"] == HESHAN[0]


ROLES_SQL = re.search(r"<!-- roles-sql[^>]*-->\n```sql\n(.*?)```", (ROOT / "docs" / "postgresql.md").read_text(), re.S)[
    1
]


def test_documented_roles(pg_server):
    url = pg_server.create_database("register")  # the database name the docs use
    Register(url).record("P002", {"status": "building"}, by="张三")  # the owner creates the tables
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(ROLES_SQL)
    reader = Register(pg_server.url("register", user="register_reader"))
    writer = Register(pg_server.url("register", user="register_writer"))
    assert reader.state().loc["P002", "status"] == "building"
    with pytest.raises(InputError, match="may not do this .*writer role"):
        reader.record("P003", {"status": "building"}, by="王五")
    [new] = writer.record("P003", {"status": "building"}, by="王五")
    writer.undo(new, by="王五")
    assert "P003" not in writer.state().index  # its only report was retracted
    with psycopg.connect(pg_server.url("register")) as conn:
        users = conn.execute("SELECT recorded_by, db_user FROM events ORDER BY event_id").fetchall()
    assert users == [("张三", "postgres"), ("王五", "register_writer"), ("王五", "register_writer")]
    # writers append only: events cannot be changed or deleted
    for sql in ("UPDATE events SET value = 'x'", "DELETE FROM events"):
        with (
            psycopg.connect(pg_server.url("register", user="register_writer")) as conn,
            pytest.raises(psycopg.errors.InsufficientPrivilege),
        ):
            conn.execute(sql)
    with psycopg.connect(pg_server.url("register", user="register_reader")) as conn:
        assert conn.execute("SELECT COUNT(*) FROM project_state_now").fetchone() == (1,)  # P003 retracted


def _fill(reg: Register) -> None:
    """A small history with late reports, a correction, an undo and indicators."""
    reg.record("P002", {"status": "preparing", "invest_planned": 1200}, by="张三", as_of=dt.date(2024, 3, 31))
    reg.record("P002", {"status": "building", "progress": 20}, by="张三", as_of=dt.date(2024, 9, 30))
    reg.record("P003", {"status": "building"}, by="李四", as_of=dt.date(2024, 6, 30))
    reg.record("P003", {"status": "preparing"}, by="李四", as_of=dt.date(2024, 3, 31))  # late Q1 report
    [wrong] = reg.record("P004", {"progress": 90}, by="王五", as_of=dt.date(2025, 3, 31))
    reg.undo(wrong, by="王五")
    reg.record("P002", {"site": HESHAN}, by="张三", source="规划许可", as_of=dt.date(2025, 6, 30))
    reg.record(
        "indicator:service_value_added",
        {"actual_value": 1012.5, "actual_year": 2024},
        by="统计局",
        as_of=dt.date(2025, 3, 1),
    )


def test_view_follows_the_rule(pg_url):
    """Late report, same-date correction, undo: the QGIS view equals the library's state today."""
    reg = Register(pg_url)
    _fill(reg)
    reg.record("P003", {"progress": 50}, by="李四", as_of=dt.date(2024, 6, 30))
    reg.record("P003", {"progress": 60}, by="更正", as_of=dt.date(2024, 6, 30))  # correction, same date
    with psycopg.connect(pg_url) as conn:
        rows = conn.execute(
            "SELECT project_id, status, progress, last_as_of, last_by, ST_X(geom) "
            "FROM project_state_now ORDER BY project_id"
        ).fetchall()
    # hand-computed: P002 building (2024-09-30 beats 2024-03-31), progress 20, site from 2025-06-30;
    # P003 building (the late Q1 report is older), progress 60 (the correction); P004's only report undone
    assert rows == [
        ("P002", "building", 20.0, "2025-06-30", "张三", HESHAN[0]),
        ("P003", "building", 60.0, "2024-06-30", "更正", None),
    ]
    state = reg.state()
    assert [
        (p, state.loc[p, "status"], state.loc[p, "last_as_of"].isoformat(), state.loc[p, "last_by"])
        for p in state.index
    ] == [(r[0], r[1], r[3], r[4]) for r in rows]


def test_migrate_sqlite_to_postgresql_and_back(cli, pg_url, tmp_path):
    src = tmp_path / "register.sqlite"
    _fill(Register(src))
    out = cli("register", "migrate", f"sqlite:///{src}", pg_url, code=None)
    assert out.exit_code == 0, out.output
    today = dt.date.today().isoformat()
    assert out.output == (
        "已复制 13 条事件；已核对：历史相同，以下日期的状态相同：2024-03-30, 2024-03-31, 2024-06-30, "
        f"2024-09-30, 2025-03-01, 2025-03-31, 2025-06-30, {today}\n"
    )
    back = tmp_path / "back.sqlite"
    out = cli("register", "migrate", pg_url, f"sqlite:///{back}", "--lang", "en", code=None)
    assert out.exit_code == 0, out.output
    assert out.output.startswith("copied 13 events; checked: same history and same states at 2024-03-30, ")
    a, b = Register(src), Register(back)
    assert a.events().equals(b.events()) and len(a.events()) == 13
    for day in (dt.date(2024, 3, 31), dt.date(2024, 6, 30), dt.date(2024, 12, 31), dt.date.today()):
        assert a.state(as_of=day).equals(b.state(as_of=day))
    # hand-checked states after the round trip: the late Q1 report of P003 counts only until its Q2 report;
    # P004's only report was undone
    assert b.state(as_of=dt.date(2024, 3, 31))["status"].to_dict() == {"P002": "preparing", "P003": "preparing"}
    assert b.state(as_of=dt.date(2024, 6, 30))["status"].to_dict() == {"P002": "preparing", "P003": "building"}
    assert b.state()["status"].to_dict() == {"P002": "building", "P003": "building"}
    assert b.state().loc["P002", "site_lon"] == HESHAN[0] and b.state().loc["P002", "progress"] == 20
    assert list(b.events()["kind"]).count("retract") == 1
    # ids continue after the migrated ones on the server
    assert Register(pg_url).record("P005", {"status": "building"}, by="a") == [14]
    out = cli("register", "migrate", f"sqlite:///{src}", pg_url, code=None)
    assert out.exit_code == 2 and "already holds events" in out.output


def _writer_holds_lock(url: str) -> bool:
    with psycopg.connect(url) as conn:
        return (
            conn.execute(
                "SELECT COUNT(*) FROM pg_locks WHERE locktype = 'advisory' AND objid = %s AND granted",
                (WRITE_LOCK_KEY,),
            ).fetchone()[0]
            > 0
        )


_IMPORT = """
import sys
from layout.register.events import Register
reg = Register(sys.argv[1])
reg.record_many([(f"P{i:03d}", {"status": "operating", "progress": 100}) for i in range(2, 60)], by="李四")
"""


@pytest.mark.parametrize("fault", ["kill -9 of the writer", "server restart"])
def test_fault_mid_import_leaves_register_as_before(pg_server, pg_url, fault):
    reg = Register(pg_url)
    reg.record("P002", {"status": "building"}, by="张三")
    before = reg.events()
    # the writer sleeps inside its transaction, before COMMIT (a restart is seen at COMMIT: keep it short)
    env = {**os.environ, "PYTHONPATH": str(ROOT), SLEEP_ENV: "10" if fault == "server restart" else "60"}
    proc = subprocess.Popen(
        [sys.executable, "-c", _IMPORT, pg_url], cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )

    def writing_done() -> bool:  # the import's rows are written, not committed: the writer sleeps before COMMIT
        with psycopg.connect(pg_url) as conn:
            sql = "SELECT 1 FROM pg_stat_activity WHERE application_name = %s AND state LIKE 'idle in transaction%%'"
            return conn.execute(sql, (APP_NAME,)).fetchone() is not None

    deadline = time.monotonic() + 120  # a loaded machine may take long to write the rows
    while not (_writer_holds_lock(pg_url) and writing_done()) and time.monotonic() < deadline and proc.poll() is None:
        time.sleep(0.1)
    assert _writer_holds_lock(pg_url) and writing_done(), proc.communicate()
    if fault == "server restart":
        pg_server.restart()
        _, err = proc.communicate(timeout=60)
        assert proc.returncode == 1 and b"cannot be reached" in err  # the writer saw the failure
    else:
        os.kill(proc.pid, signal.SIGKILL)
        proc.communicate()
        assert proc.returncode == -signal.SIGKILL
    after = Register(pg_url)  # the pool replaces connections broken by the restart
    assert after.events().equals(before) and after.state().loc["P002", "status"] == "building"
    [new] = after.record("P003", {"status": "building"}, by="张三")  # the lock was released
    assert new > 1 and len(after.events()) == 2  # (a rolled-back transaction leaves a gap in the ids)
    close_pools()


def test_history_streams_from_a_server_cursor(pg_url):
    reg = Register(pg_url)
    reg.record("P002", {"status": "building"}, by="张三")
    with psycopg.connect(pg_url, autocommit=True) as conn:  # 200,000 more events, written by SQL
        conn.execute(
            "INSERT INTO events (batch_id, subject, field, value, recorded_by, recorded_at, as_of, source) "
            "SELECT 'b', 'P003', 'note', 'n' || i, 'x', '2025-01-01T00:00:00.000000Z', '2025-01-01', '' "
            "FROM generate_series(1, 200000) AS i"
        )
    rows = reg.store.iter_events()
    first = next(rows)  # the first row arrives before the rest is read (bench/register_history.py times it)
    assert first[:5] == (1, first[1], "P002", "status", "building")
    with psycopg.connect(pg_url) as conn:  # the reader fetches in chunks from a cursor, inside its transaction
        [(query,)] = conn.execute(
            "SELECT query FROM pg_stat_activity WHERE application_name = %s AND state = 'idle in transaction'",
            (APP_NAME,),
        ).fetchall()
    assert query.startswith('FETCH FORWARD 2000 FROM "register_history"')
    assert sum(1 for _ in rows) == 200_000


def test_demo_data_never_goes_into_the_shared_register(pg_url, monkeypatch):
    from layout.catalog.projects import load_catalog
    from layout.register.demo import fill_demo

    monkeypatch.setenv("LAYOUT_REGISTER", pg_url)
    with pytest.raises(InputError, match=f"register {re.escape(pg_url)} is the default register"):
        fill_demo(Register(), load_catalog())
    assert Register().events().empty


def test_reading_an_empty_database_creates_nothing(cli, pg_url):
    out = cli("register", "--register", pg_url, "history", code=None)
    assert out.exit_code == 2
    assert out.output == (
        f"错误：台账数据库 {pg_url} 还没有台账表；第一次登记（register set 或 import --apply）时由数据库所有者创建\n"
    )
    with psycopg.connect(pg_url) as conn:
        assert conn.execute("SELECT to_regclass('events')").fetchone() == (None,)


def test_missing_server_binaries_fail_with_what_to_install(monkeypatch, tmp_path):
    import pg_server

    monkeypatch.setattr(pg_server, "PG_BIN", tmp_path / "no-postgresql")
    with (
        pytest.raises(RuntimeError, match="apt-get install postgresql postgresql-15-postgis-3"),
        pg_server.start_server(),
    ):
        pass


def test_a_value_the_server_refuses_is_one_line(pg_url):
    reg = Register(pg_url)
    with pytest.raises(InputError, match="the database refused the change .*too long.*nothing was written"):
        reg.record("P002", {"status": "building"}, by="张三", batch="b" * 65)  # batch_id is VARCHAR(64)
    assert reg.events().empty
