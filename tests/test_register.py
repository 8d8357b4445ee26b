"""The register on both backends (a real SQLite file and a real PostgreSQL database): events, state at a
date, undo, validation, concurrency, backup."""

from __future__ import annotations

import datetime as dt
import math
import os
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import pandas as pd
import pytest

from layout.errors import InputError
from layout.i18n import message_text
from layout.register.events import Register
from layout.register.sites import check_site
from layout.register.values import parse_status
from layout.register.vocabulary import (
    COMPLETED,
    INDICATOR_FIELDS,
    PROJECT_FIELDS,
    STARTED,
    STATUSES,
    default_register_path,
)

ROOT = Path(__file__).resolve().parent.parent
HESHAN = (112.35028, 28.5825)  # 赫山区 seat (WGS84); P002 is planned in 赫山区
ANHUA = (111.21, 28.38)  # 安化县 seat


@pytest.fixture
def reg(register_location) -> Register:
    return Register(register_location)


def test_contract_constants():
    assert list(STATUSES) == [
        "not_started",
        "preparing",
        "building",
        "completed",
        "operating",
        "suspended",
        "cancelled",
    ]
    assert STATUSES["building"] == "在建" and STATUSES["preparing"] == "前期工作"
    assert sorted(STARTED) == ["building", "completed", "operating"]
    assert sorted(COMPLETED) == ["completed", "operating"]
    assert PROJECT_FIELDS[:4] == ("site_lon", "site_lat", "site_source", "status")
    assert INDICATOR_FIELDS == ("actual_value", "actual_year")


def test_default_path(monkeypatch, tmp_path):
    monkeypatch.delenv("LAYOUT_REGISTER", raising=False)
    assert default_register_path() == ROOT / "data" / "register.sqlite"
    monkeypatch.setenv("LAYOUT_REGISTER", str(tmp_path / "x.sqlite"))
    assert default_register_path() == tmp_path / "x.sqlite"
    assert "/data/" in (ROOT / ".gitignore").read_text().split()


def test_file_is_wal_with_schema(tmp_path):  # SQLite only; the server schema: test_register_pg.py
    reg = Register(tmp_path / "register.sqlite")
    con = sqlite3.connect(reg.path)
    assert con.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert {"events", "register_meta"} <= {r[0] for r in con.execute("SELECT name FROM sqlite_master")}
    con.close()


def test_record_events_and_state(reg):
    ids = reg.record(
        "P002",
        {"status": "在建", "progress": 30, "invest_planned": 1200},
        by="张三",
        source="3月调度",
        as_of=dt.date(2025, 3, 31),
    )
    assert len(ids) == 3
    ev = reg.events("P002")
    assert list(ev.columns) == [
        "event_id",
        "batch_id",
        "subject",
        "field",
        "value",
        "previous",
        "by",
        "recorded_at",
        "as_of",
        "source",
        "kind",
        "retracts",
        "retracted",
    ]
    assert ev["batch_id"].nunique() == 1 and set(ev["by"]) == {"张三"} and set(ev["source"]) == {"3月调度"}
    assert ev["as_of"].iloc[0] == dt.date(2025, 3, 31)
    assert ev.set_index("field").loc["status", "value"] == "building"
    assert ev["previous"].isna().all() and ev["retracts"].isna().all() and set(ev["kind"]) == {"set"}
    assert not ev["retracted"].any()
    assert ev["recorded_at"].iloc[0].endswith("Z")
    st = reg.state()
    assert st.index.name == "project_id" and list(st.index) == ["P002"]
    assert list(st.columns) == [*PROJECT_FIELDS, "last_as_of", "last_by"]
    row = st.loc["P002"]
    assert row["status"] == "building" and row["progress"] == 30.0 and row["invest_planned"] == 1200.0
    assert pd.isna(row["invest_done"]) and row["lead_unit"] == ""
    assert row["last_as_of"] == dt.date(2025, 3, 31) and row["last_by"] == "张三"
    assert st["progress"].dtype == "float64" and st["start_year"].dtype == "float64"


def test_unchanged_values_are_kept_as_confirmations(reg):
    reg.record("P002", {"status": "building", "progress": 30}, by="a", as_of=dt.date(2025, 3, 31))
    assert reg.confirmed == 0
    ids = reg.record("P002", {"status": "在建", "progress": "30"}, by="b", as_of=dt.date(2025, 9, 30))
    assert len(ids) == 2 and reg.confirmed == 2
    ev = reg.events().set_index("event_id")
    assert list(ev.loc[ids, "kind"]) == ["confirm", "confirm"] and list(ev.loc[ids, "value"]) == ["building", "30"]
    row = reg.state().loc["P002"]
    assert row["last_as_of"] == dt.date(2025, 9, 30) and row["last_by"] == "b" and row["status"] == "building"
    # clearing a field nobody set is not a report
    assert reg.record("P002", {"note": ""}, by="b") == []


def test_state_as_of_a_past_date(reg):
    reg.record("P002", {"status": "preparing"}, by="a", as_of=dt.date(2024, 6, 30))
    reg.record("P002", {"status": "building", "progress": 10}, by="b", as_of=dt.date(2025, 3, 31))
    reg.record("P003", {"status": "completed"}, by="c", as_of=dt.date(2025, 12, 31))
    assert reg.state(as_of=dt.date(2024, 1, 1)).empty
    past = reg.state(as_of=dt.date(2024, 12, 31))
    assert list(past.index) == ["P002"] and past.loc["P002", "status"] == "preparing"
    assert pd.isna(past.loc["P002", "progress"])
    mid = reg.state(as_of=dt.date(2025, 6, 30))
    assert mid.loc["P002", "status"] == "building" and "P003" not in mid.index
    now = reg.state()
    assert now.loc["P003", "status"] == "completed" and now.loc["P002", "last_as_of"] == dt.date(2025, 3, 31)
    # previous is the value in effect at the event's date
    ev = reg.events("P002").set_index("event_id")
    assert ev.loc[2, "previous"] == "preparing"


def test_late_report_counts_only_until_the_next_later_report(reg):
    reg.record("P002", {"status": "building"}, by="a", as_of=dt.date(2024, 6, 30))
    reg.record("P002", {"status": "preparing"}, by="late", as_of=dt.date(2024, 3, 31))  # Q1, arriving after Q2
    assert reg.state(as_of=dt.date(2024, 4, 30)).loc["P002", "status"] == "preparing"
    later = reg.state(as_of=dt.date(2025, 3, 31)).loc["P002"]
    assert later["status"] == "building" and later["last_as_of"] == dt.date(2024, 6, 30) and later["last_by"] == "a"


def test_correction_of_the_same_date_wins(reg):
    reg.record("P002", {"progress": 30}, by="a", as_of=dt.date(2025, 3, 31))
    reg.record("P002", {"progress": 40}, by="b", as_of=dt.date(2025, 6, 30))
    reg.record("P002", {"progress": 35}, by="c", as_of=dt.date(2025, 3, 31))  # corrects the Q1 figure
    assert reg.state(as_of=dt.date(2025, 4, 1)).loc["P002", "progress"] == 35
    assert reg.state(as_of=dt.date(2025, 7, 1)).loc["P002", "progress"] == 40


def test_undo_retracts_one_event_and_keeps_history(reg):
    reg.record("P002", {"status": "building"}, by="a", as_of=dt.date(2025, 1, 1))
    [wrong] = reg.record("P002", {"status": "cancelled"}, by="b", as_of=dt.date(2025, 2, 1))
    undo_id = reg.undo(wrong, by="c", reason="填错了")
    assert (wrong, undo_id) == (2, 3)  # event ids count up from 1: the undo is the third event
    assert reg.state().loc["P002", "status"] == "building"
    ev = reg.events("P002").set_index("event_id")
    assert len(ev) == 3 and ev.loc[undo_id, "retracts"] == wrong and ev.loc[undo_id, "kind"] == "retract"
    assert ev.loc[undo_id, "by"] == "c" and ev.loc[undo_id, "source"] == "填错了"
    assert list(ev["retracted"]) == [False, True, False]  # the retracted event is kept, marked
    with pytest.raises(InputError, match=f"already undone by event {undo_id}"):
        reg.undo(wrong, by="c")
    # undo of the undo: the event counts again; a third undo goes to the end of the chain
    again = reg.undo(undo_id, by="d")
    assert reg.state().loc["P002", "status"] == "cancelled"
    with pytest.raises(InputError, match=f"undo event {again} to flip it again"):
        reg.undo(wrong, by="c")
    reg.undo(again, by="e")
    assert reg.state().loc["P002", "status"] == "building"
    assert list(reg.events("P002")["retracted"]) == [False, True, False, True, False]
    for bad in (999, 0, -1, 2**63, 10**30):
        with pytest.raises(InputError, match="no such event"):
            reg.undo(bad, by="c")


def test_undo_of_first_value_clears_it(reg):
    [first] = reg.record("P002", {"progress": 40}, by="a")
    reg.undo(first, by="a")
    assert "P002" not in reg.state().index  # nothing counts: the project is 未填报 again


def gcj02_of(lon: float, lat: float) -> tuple[float, float]:
    """The published WGS84 → GCJ-02 formula (Krasovsky ellipsoid), written out here as an oracle
    independent of layout.geo.crs."""
    a, ee = 6378245.0, 0.00669342162296594323
    x, y = lon - 105.0, lat - 35.0
    wave = (20 * math.sin(6 * x * math.pi) + 20 * math.sin(2 * x * math.pi)) * 2 / 3
    dlat = -100 + 2 * x + 3 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * math.sqrt(abs(x)) + wave
    dlat += (20 * math.sin(y * math.pi) + 40 * math.sin(y / 3 * math.pi)) * 2 / 3
    dlat += (160 * math.sin(y / 12 * math.pi) + 320 * math.sin(y * math.pi / 30)) * 2 / 3
    dlon = 300 + x + 2 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * math.sqrt(abs(x)) + wave
    dlon += (20 * math.sin(x * math.pi) + 40 * math.sin(x / 3 * math.pi)) * 2 / 3
    dlon += (150 * math.sin(x / 12 * math.pi) + 300 * math.sin(x / 30 * math.pi)) * 2 / 3
    rad = math.radians(lat)
    magic = 1 - ee * math.sin(rad) ** 2
    dlat = dlat * 180 / ((a * (1 - ee)) / (magic * math.sqrt(magic)) * math.pi)
    dlon = dlon * 180 / (a / math.sqrt(magic) * math.cos(rad) * math.pi)
    return lon + dlon, lat + dlat


def test_site_any_crs_stored_as_wgs84(reg):
    glon, glat = gcj02_of(*HESHAN)
    assert 0.004 < glon - HESHAN[0] < 0.006 and -0.004 < glat - HESHAN[1] < -0.002  # ~550 m ESE: a real shift
    reg.record("P002", {"site": (glon, glat), "crs": "gcj02"}, by="a", source="现场核实")
    row = reg.state().loc["P002"]
    assert row["site_lon"] == pytest.approx(HESHAN[0], abs=1e-6)
    assert row["site_lat"] == pytest.approx(HESHAN[1], abs=1e-6)
    assert row["site_source"] == "现场核实"


def test_site_needs_source_and_inside_yiyang(reg):
    with pytest.raises(InputError, match="P002 site: a site needs a source"):
        reg.record("P002", {"site": HESHAN}, by="a")
    with pytest.raises(InputError, match="outside Yiyang"):
        reg.record("P002", {"site": (113.0, 28.2)}, by="a", source="x")
    with pytest.raises(InputError, match="looks swapped"):
        reg.record("P002", {"site": (28.58, 112.35)}, by="a", source="x")
    assert reg.events().empty


def test_site_outside_plan_county_needs_confirmation_and_keeps_reason(reg):
    with pytest.raises(InputError, match="lies in 安化县, but the plan puts the project in 赫山区.*--confirm"):
        reg.record("P002", {"site": ANHUA}, by="a", source="立项批复 益发改〔2024〕1号")
    reg.record("P002", {"site": ANHUA}, by="a", source="立项批复 益发改〔2024〕1号", confirm=True)
    ev = reg.events("P002")
    assert set(ev["field"]) == {"site_lon", "site_lat", "site_source"}
    reason = "立项批复 益发改〔2024〕1号 [confirmed: site in 安化县, plan says 赫山区]"
    assert (ev["source"] == reason).all()
    assert check_site(*ANHUA, plan_county="赫山区").county == "安化县"
    # 大通湖区 projects may lie in 南县 or 沅江市 (its footprint)
    assert check_site(112.5, 29.2, plan_county="大通湖区").in_plan_county == (
        check_site(112.5, 29.2).county in ("南县", "沅江市")
    )


def test_undo_of_site_undoes_the_pair(reg):
    reg.record("P002", {"site": HESHAN}, by="a", source="规划许可")
    lon_event = int(reg.events().query("field == 'site_lon'")["event_id"].iloc[0])
    undo = reg.undo(lon_event, by="b")
    assert "P002" not in reg.state().index
    assert reg.events()["retracted"].sum() == 3
    reg.undo(undo, by="c")  # undoing the undo brings the whole site back
    st = reg.state()
    assert st.loc["P002", "site_lon"] == HESHAN[0] and st.loc["P002", "site_source"] == "规划许可"


def test_validation_gathers_every_problem(reg):
    with pytest.raises(InputError) as err:
        reg.record(
            "P002", {"status": "done", "progress": 120, "start_year": 20, "invest_done": -1, "colour": "red"}, by="a"
        )
    msg = str(err.value)
    for part in (
        "P002 status (状态): should be one of 未启动",
        "P002 progress",
        "0 to 100",
        "P002 start_year",
        "P002 invest_done",
        "unknown field(s) colour",
    ):
        assert part in msg
    with pytest.raises(InputError, match="P999: not a project id of the catalog"):
        reg.record("P999", {"status": "building"}, by="a")
    with pytest.raises(InputError, match="by: who is recording"):
        reg.record("P002", {"status": "building"}, by=" ")
    with pytest.raises(InputError, match="in the future"):
        reg.record("P002", {"status": "building"}, by="a", as_of=dt.date.today() + dt.timedelta(days=2))
    assert reg.events().empty


def test_status_names_and_warnings(reg):
    assert parse_status("已运营") == "operating" and parse_status(" Building ") == "building"
    reg.record("P002", {"invest_planned": 100}, by="a")
    reg.record("P002", {"invest_done": 150}, by="a")
    assert any("investment done 150 (10k yuan) is more than planned 100" in w for w in reg.warnings)
    assert "P002：完成投资 150 万元大于计划投资 100 万元，请核对两个数" in [message_text(w, "zh") for w in reg.warnings]
    assert reg.state().loc["P002", "invest_done"] == 150.0


def test_record_many_is_all_or_nothing(reg):
    with pytest.raises(InputError, match="P003 progress"):
        reg.record_many([("P002", {"status": "building"}), ("P003", {"progress": 400})], by="a")
    assert reg.events().empty
    ids = reg.record_many([("P002", {"status": "building"}), ("P003", {"progress": 40})], by="a", batch="b1")
    assert len(ids) == 2 and set(reg.events()["batch_id"]) == {"b1"}


def test_indicators(reg):
    reg.record(
        "indicator:service_value_added",
        {"actual_value": 1012.5, "actual_year": 2025},
        by="统计局",
        source="2025年统计公报",
        as_of=dt.date(2026, 3, 1),
    )
    ind = reg.indicator_state()
    assert ind.index.name == "indicator_id" and list(ind.index) == ["service_value_added"]
    assert list(ind.columns) == ["actual_value", "actual_year", "source", "last_by", "last_as_of"]
    row = ind.loc["service_value_added"]
    assert row["actual_value"] == 1012.5 and row["actual_year"] == 2025 and row["source"] == "2025年统计公报"
    assert row["last_as_of"] == dt.date(2026, 3, 1)
    assert reg.state().empty  # indicators are not projects
    with pytest.raises(InputError, match="unknown field"):
        reg.record("indicator:x", {"status": "building"}, by="a")


_WRITER = textwrap.dedent("""
    import sys
    from layout.register.events import Register
    reg = Register(sys.argv[1])
    tag = sys.argv[2]
    for i in range(100):
        pid = f"P{(i % 40) + 2:03d}"
        reg.record(pid, {"note": f"{tag}-{i}"}, by=tag)
""")


def test_two_processes_writing_at_once_lose_nothing(register_location):
    path = register_location
    Register(path)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    procs = [subprocess.Popen([sys.executable, "-c", _WRITER, str(path), tag], cwd=ROOT, env=env) for tag in ("a", "b")]
    assert [p.wait(timeout=300) for p in procs] == [0, 0]
    reg = Register(path)
    ev = reg.events()
    assert len(ev) == 200 and ev["event_id"].is_unique
    assert ev.groupby("by").size().to_dict() == {"a": 100, "b": 100}
    # state: all on one date, so for each project the note recorded last (ids and times agree)
    st = reg.state()
    assert list(ev.sort_values("event_id")["recorded_at"]) == sorted(ev["recorded_at"])
    expected = ev.sort_values("event_id").groupby("subject")["value"].last()
    assert (st["note"] == expected.reindex(st.index)).all() and len(st) == 40
    # every event's previous is the value the other writer or itself left before it
    for _, group in ev.sort_values("event_id").groupby("subject"):
        assert list(group["previous"].iloc[1:]) == list(group["value"].iloc[:-1])


def test_backup_and_restore(reg, tmp_path):
    reg.record("P002", {"status": "building"}, by="a")
    backup = reg.store.backup_to(tmp_path / "backups" / "copy.sqlite")
    reg.record("P003", {"status": "completed"}, by="a")
    assert reg.store.restore_from(backup) == 1
    assert list(reg.state().index) == ["P002"]
    if reg.path is not None:
        assert (tmp_path / "register.sqlite.bak").exists()
    else:  # a server register keeps its previous content beside the backup, as a SQLite file
        saved = Register(reg.store.saved_copy)
        assert sorted(saved.state().index) == ["P002", "P003"] and len(saved.events()) == 2
    junk = tmp_path / "junk.sqlite"
    junk.write_bytes(b"not a database at all" * 100)
    with pytest.raises(InputError, match="not a SQLite register backup|not a register backup"):
        reg.store.restore_from(junk)
    assert list(reg.state().index) == ["P002"]
    # ids go on after the restored ones
    assert reg.record("P004", {"status": "building"}, by="a") == [2]


def test_stale_edit_refused_naming_what_changed_and_who(reg):
    from layout.i18n import error_text
    from layout.register.stale import StaleEditError

    reg.record("P002", {"status": "building", "progress": 30}, by="张三", as_of=dt.date(2025, 3, 31))
    seen = reg.project_state("P002")  # what the editor opened
    last_seen = int(reg.events("P002")["event_id"].max())
    [other] = reg.record("P002", {"progress": 55}, by="李四", as_of=dt.date(2025, 6, 30))
    # values seen: only the fields the edit is based on are compared (stored text, any spelling)
    with pytest.raises(StaleEditError) as err:
        reg.record("P002", {"progress": 40}, by="张三", expected={"progress": seen["progress"], "status": "在建"})
    [c] = err.value.conflicts
    assert (c.field, c.seen, c.now, c.by, c.event_id) == ("progress", "30", "55", "李四", other)
    assert "P002 changed since you read it — progress: you saw 30, now 55 (recorded by 李四, event 3" in str(err.value)
    zh = "P002 在您读取之后已有修改：进度(%)：您看到的是 30，现在是 55（李四 记录，事件 3，"
    assert error_text(err.value, "zh").startswith(zh)
    # the last event id seen
    with pytest.raises(StaleEditError, match=r"progress: 30 → 55 \(recorded by 李四, event 3"):
        reg.record("P002", {"status": "completed"}, by="张三", expected=last_seen)
    assert len(reg.events()) == 3  # nothing was written
    import pickle

    again = pickle.loads(pickle.dumps(err.value))
    assert again.conflicts == err.value.conflicts and again.code == "stale_edit" and str(again) == str(err.value)
    reg.record("P002", {"status": "在建"}, by="张三", expected={"status": "building"})  # status did not move
    reg.record("P002", {"progress": 40}, by="张三", expected={"progress": "55"})
    assert reg.record("P002", {"note": "x"}, by="张三", expected=int(reg.events()["event_id"].max()))
    # an undo is a change too
    reg.undo(other, by="王五")
    with pytest.raises(StaleEditError, match="progress: undid event 3 .recorded by 王五, event 7") as err:
        reg.record("P002", {"note": "y"}, by="张三", expected=6)
    assert err.value.conflicts[0].by == "王五"
    with pytest.raises(InputError, match="expected should be"):
        reg.record("P002", {"note": "y"}, by="张三", expected="7")


def test_history_streams_in_constant_memory(tmp_path):
    import tracemalloc

    reg = Register(tmp_path / "big.sqlite")
    con = sqlite3.connect(reg.path)
    rows = [
        (
            "b",
            f"P{i % 135 + 1:03d}",
            "note",
            f"备注{i}",
            None,
            "a",
            "2026-01-01T00:00:00Z",
            "2025-01-01",
            "",
            "set",
            None,
        )
        for i in range(100_000)
    ]
    con.executemany(
        "INSERT INTO events (batch_id, subject, field, value, previous, recorded_by, recorded_at, "
        "as_of, source, kind, retracts) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        rows,
    )
    con.commit()
    con.close()
    del rows
    tracemalloc.start()
    count = sum(1 for _ in reg.iter_history())
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert count == 100_000
    assert peak < 8e6, f"{peak / 1e6:.1f} MB"  # streamed: ~2 MB; the same events as a list: ~88 MB
