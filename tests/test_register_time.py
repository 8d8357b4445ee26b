"""The register's time rule against independent oracles: an audit scenario computed by hand, a
pure-Python reference of the rule on random report sequences (hypothesis), and the v1 → v2 migration."""

from __future__ import annotations

import datetime as dt
import math
import sqlite3
import tempfile
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from layout.errors import InputError
from layout.evaluation.figures import evaluate
from layout.register.events import Register

D = dt.date


# --------------------------------------------------------------------------------------------
# The audit's scenario: quarterly reports, a late Q1 report, two corrections, an undo, a re-report


def audit_register(path: Path, catalog) -> Register:
    """The reports in the order they arrived (recorded order); the comments say what each one is."""
    reg = Register(path, catalog=catalog)
    q = {
        "24Q1": D(2024, 3, 31),
        "24Q2": D(2024, 6, 30),
        "24Q3": D(2024, 9, 30),
        "25Q1": D(2025, 3, 31),
        "25Q2": D(2025, 6, 30),
        "25Q3": D(2025, 9, 30),
    }
    [p085_q1] = reg.record("P085", {"status": "前期工作"}, by="安化", as_of=q["24Q1"])
    reg.record_many(
        [("P010", {"status": "在建"}), ("P040", {"status": "未启动"}), ("P050", {"status": "前期工作"})],
        by="县区",
        as_of=q["24Q1"],
    )
    reg.record_many(
        [
            ("P023", {"status": "在建"}),
            ("P010", {"status": "在建"}),
            ("P060", {"status": "前期工作"}),
            ("P002", {"status": "在建", "invest_done": 1000}),
        ],
        by="县区",
        as_of=q["24Q2"],
    )
    reg.record("P023", {"status": "前期工作"}, by="迟报", as_of=q["24Q1"])  # the late Q1 report, after Q2
    reg.record_many(
        [("P085", {"status": "在建"}), ("P040", {"status": "在建"}), ("P070", {"status": "已建成"})],
        by="县区",
        as_of=q["24Q3"],
    )
    reg.record("P070", {"status": "在建"}, by="更正", as_of=q["24Q3"])  # correction 1: same date, later recorded
    reg.undo(p085_q1, by="管理员", reason="P085 一季度误报")  # the undo of an early report
    reg.record_many(
        [("P023", {"status": "在建"}), ("P050", {"status": "在建"}), ("P002", {"status": "在建", "invest_done": 3000})],
        by="县区",
        as_of=q["25Q1"],
    )
    reg.record_many(
        [("P070", {"status": "已建成"}), ("P010", {"status": "已建成"}), ("P040", {"status": "已建成"})],
        by="县区",
        as_of=q["25Q2"],
    )
    reg.record("P040", {"status": "在建"}, by="更正", as_of=q["25Q2"])  # correction 2
    reg.record("P002", {"status": "在建", "invest_done": 3000}, by="张三", as_of=q["25Q3"])  # re-report, unchanged
    return reg


#: Hand-computed from the reports above, per evaluation date: status of each project, 最近报送, the figures
#: (已填报 of the catalog's projects, started = 在建/已建成/已运营, completed = 已建成/已运营) and the lagging
#: projects (6 months).
AUDIT = {
    D(2024, 12, 31): {
        "status": {
            "P085": "building",
            "P010": "building",
            "P040": "building",
            "P050": "preparing",
            "P023": "building",
            "P060": "preparing",
            "P002": "building",
            "P070": "building",
        },
        "last": {"P085": D(2024, 9, 30), "P023": D(2024, 6, 30), "P010": D(2024, 6, 30), "P050": D(2024, 3, 31)},
        "reported": 8,
        "started": 6,
        "completed": 0,
        "share_started": 0.75,
        "share_completed": 0.0,
        "invest_done": 1000.0,
        "lagging": {"P050": "stale"},
    },
    D(2025, 6, 30): {
        "status": {
            "P085": "building",
            "P010": "completed",
            "P040": "building",
            "P050": "building",
            "P023": "building",
            "P060": "preparing",
            "P002": "building",
            "P070": "completed",
        },
        "last": {"P085": D(2024, 9, 30), "P023": D(2025, 3, 31), "P040": D(2025, 6, 30), "P002": D(2025, 3, 31)},
        "reported": 8,
        "started": 7,
        "completed": 2,
        "share_started": 0.875,
        "share_completed": 0.25,
        "invest_done": 3000.0,
        "lagging": {"P085": "stale", "P060": "stale"},
    },
    D(2025, 12, 31): {
        "status": {
            "P085": "building",
            "P010": "completed",
            "P040": "building",
            "P050": "building",
            "P023": "building",
            "P060": "preparing",
            "P002": "building",
            "P070": "completed",
        },
        "last": {"P002": D(2025, 9, 30), "P023": D(2025, 3, 31)},
        "reported": 8,
        "started": 7,
        "completed": 2,
        "share_started": 0.875,
        "share_completed": 0.25,
        "invest_done": 3000.0,
        "lagging": {"P085": "stale", "P050": "stale", "P023": "stale", "P060": "stale"},
    },
}


@pytest.mark.parametrize("day", list(AUDIT))
def test_audit_scenario_hand_computed(tmp_path, catalog, day):
    reg = audit_register(tmp_path / "audit.sqlite", catalog)
    want = AUDIT[day]
    state = reg.state(as_of=day)
    assert state["status"].to_dict() == want["status"]
    for pid, last in want["last"].items():
        assert state.loc[pid, "last_as_of"] == last, pid
    assert state.loc["P002", "last_by"] == ("张三" if day >= D(2025, 9, 30) else "县区")
    ev = evaluate(catalog, state, as_of=day)
    total = ev.total
    assert (total["n"], total["reported"], total["started"], total["completed_n"]) == (
        len(catalog),
        want["reported"],
        want["started"],
        want["completed"],
    )
    assert math.isclose(total["share_started"], want["share_started"])
    assert math.isclose(total["share_completed"], want["share_completed"])
    assert total["invest_done"] == want["invest_done"]
    assert ev.lagging["lag_reason"].to_dict() == want["lagging"]


def test_audit_history_keeps_every_report(tmp_path, catalog):
    reg = audit_register(tmp_path / "audit.sqlite", catalog)
    ev = reg.events()
    assert len(ev) == 25 and ev["retracted"].sum() == 1  # 24 reports (3 confirmations) and 1 undo
    assert ev.loc[ev["retracted"], "subject"].tolist() == ["P085"]
    p002 = ev[(ev["subject"] == "P002") & (ev["as_of"] == D(2025, 9, 30))]
    assert list(p002["kind"]) == ["confirm", "confirm"]
    assert list(ev.loc[ev["kind"] == "retract", "source"]) == ["P085 一季度误报"]


# --------------------------------------------------------------------------------------------
# Random sequences against a pure-Python reference of the rule

SUBJECTS = ("P002", "P003")
FIELDS = ("progress", "note")
DATES = [D(2024, 3, 31), D(2024, 6, 30), D(2024, 9, 30), D(2024, 12, 31), D(2025, 3, 31)]
QUERY_DATES = [D(2024, 1, 1), *DATES, D(2024, 5, 15), D(2024, 11, 1), D(2026, 1, 1)]


def reference_winners(events: list[dict], day: dt.date) -> dict[tuple[str, str], dict]:
    """The rule in plain Python: per (subject, field) the live report with the latest date <= day, ties
    by the latest recorded (id order); an event is live unless a live retraction points at it."""

    def live(e: dict) -> bool:
        return not any(r["retracts"] == e["id"] and live(r) for r in events)

    best: dict[tuple[str, str], dict] = {}
    for e in events:
        if e["kind"] == "retract" or e["as_of"] > day or not live(e):
            continue
        key = (e["subject"], e["field"])
        if key not in best or e["as_of"] >= best[key]["as_of"]:  # id order: a later one wins a tie
            best[key] = e
    return best


report = st.tuples(
    st.just("report"),
    st.sampled_from(SUBJECTS),
    st.sampled_from(FIELDS),
    st.one_of(st.none(), st.integers(0, 3)),
    st.sampled_from(DATES),
)
undo = st.tuples(st.just("undo"), st.integers(0, 10_000))
operations = st.lists(st.one_of(report, report, undo), min_size=1, max_size=14)


def _stored(field: str, value: int | None) -> str | None:
    if value is None:
        return None
    return str(10 * value) if field == "progress" else f"备注{value}"


SEQUENCE_CATALOG = pd.DataFrame({"id": list(SUBJECTS), "name": ["a", "b"], "county": ["赫山区", "赫山区"]})
QUERIES = st.lists(st.sampled_from(QUERY_DATES), min_size=1, max_size=5, unique=True)


@settings(max_examples=2500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(ops=operations, queries=QUERIES)
def test_state_matches_reference_on_random_sequences(ops, queries):
    with tempfile.TemporaryDirectory() as tmp:
        check_sequence(Register(Path(tmp) / "r.sqlite", catalog=SEQUENCE_CATALOG), ops, queries)


@settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture]
)
@given(ops=operations, queries=QUERIES)
def test_state_matches_reference_on_random_sequences_postgresql(pg_url, ops, queries):
    """The same on a PostgreSQL register (fewer sequences: each one empties the table first)."""
    import psycopg

    with psycopg.connect(pg_url, autocommit=True) as conn:
        conn.execute("DROP TABLE IF EXISTS events, register_meta CASCADE")
    check_sequence(Register(pg_url, catalog=SEQUENCE_CATALOG), ops, queries)


def check_sequence(reg: Register, ops, queries) -> None:
    """Apply ``ops`` to the empty register ``reg``; its state at ``queries`` must equal the reference."""
    events: list[dict] = []
    for op in ops:
        if op[0] == "report":
            _, subject, field, raw, day = op
            value = _stored(field, raw)
            known = (subject, field) in reference_winners(events, day)
            ids = reg.record(subject, {field: value}, by="t", as_of=day)
            assert len(ids) == (1 if known or value is not None else 0)
            events += [
                {
                    "id": i,
                    "kind": "set",
                    "subject": subject,
                    "field": field,
                    "value": value,
                    "as_of": day,
                    "retracts": None,
                }
                for i in ids
            ]
        elif events:
            target = events[op[1] % len(events)]
            if any(r["retracts"] == target["id"] for r in events):
                with pytest.raises(InputError, match="undo"):
                    reg.undo(target["id"], by="t")
                continue
            new_id = reg.undo(target["id"], by="t")
            events.append(
                {
                    "id": new_id,
                    "kind": "retract",
                    "subject": target["subject"],
                    "field": target["field"],
                    "value": None,
                    "as_of": target["as_of"],
                    "retracts": target["id"],
                }
            )
    for day in queries:
        winners = reference_winners(events, day)
        state = reg.state(as_of=day)
        assert set(state.index) == {s for s, _ in winners}
        for (subject, field), e in winners.items():
            v = state.loc[subject, field]
            got = (
                None
                if v == "" or (isinstance(v, float) and math.isnan(v))
                else (str(int(v)) if field == "progress" else v)
            )
            assert got == e["value"], (day, subject, field, ops)
        for subject in state.index:  # 最近报送: the latest date among the subject's winning reports
            last = max(e["as_of"] for (s, _), e in winners.items() if s == subject)
            assert state.loc[subject, "last_as_of"] == last


# --------------------------------------------------------------------------------------------
# Migration from schema version 1

V1_SCHEMA = (
    "CREATE TABLE register_meta (meta_key VARCHAR(64) PRIMARY KEY, meta_value VARCHAR(255) NOT NULL)",
    """CREATE TABLE events (event_id INTEGER PRIMARY KEY AUTOINCREMENT, batch_id VARCHAR(64) NOT NULL,
        subject VARCHAR(128) NOT NULL, field VARCHAR(64) NOT NULL, value TEXT, previous TEXT,
        recorded_by VARCHAR(255) NOT NULL, recorded_at VARCHAR(32) NOT NULL, as_of VARCHAR(10) NOT NULL,
        source TEXT NOT NULL, undoes INTEGER)""",
    "CREATE INDEX events_subject_field ON events (subject, field, as_of)",
)


def write_v1(path: Path, rows: list[tuple]) -> None:
    con = sqlite3.connect(path)
    for statement in V1_SCHEMA:
        con.execute(statement)
    con.execute("INSERT INTO register_meta VALUES ('schema_version', '1')")
    con.executemany(
        "INSERT INTO events (event_id, batch_id, subject, field, value, previous, recorded_by, "
        "recorded_at, as_of, source, undoes) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        rows,
    )
    con.commit()
    con.close()


def test_migration_from_version_1_keeps_every_event(tmp_path):
    path = tmp_path / "old.sqlite"
    t = "2025-01-0{}T00:00:00.000000Z".format
    rows = [
        (1, "b1", "P085", "status", "preparing", None, "a", t(1), "2024-03-31", "", None),
        (2, "b2", "P085", "status", "building", "preparing", "a", t(2), "2024-09-30", "", None),
        (3, "b3", "P085", "status", None, "building", "u", t(3), "2024-03-31", "undo of event 1", 1),  # v1 undo
        (4, "b4", "P002", "progress", "30", None, "a", t(4), "2025-03-31", "", None),
        (5, "b5", "P002", "progress", None, "30", "u", t(5), "2025-03-31", "undo of event 4", 4),
        (6, "b6", "P002", "progress", "30", None, "u", t(6), "2025-03-31", "undo of event 5", 5),  # undo of undo
        (7, "b7", "P002", "progress", None, "30", "u", t(7), "2025-03-31", "undo of event 4", 4),  # again
    ]
    write_v1(path, rows)
    reg = Register(path)
    assert reg.store.migrated_from == "1" and reg.store.migration_backup == tmp_path / "old.sqlite.v1.bak"
    assert reg.store.read_meta("schema_version") == "2"
    ev = reg.events().set_index("event_id")
    assert list(ev.index) == [1, 2, 3, 4, 5, 6, 7]  # every event kept, with its id, values and sources
    assert [None if pd.isna(v) else v for v in ev["value"]] == [r[4] for r in rows]
    assert list(ev["by"]) == [r[6] for r in rows] and list(ev["recorded_at"]) == [r[7] for r in rows]
    assert list(ev["kind"]) == ["set", "set", "retract", "set", "retract", "retract", "retract"]
    assert list(ev["retracts"]) == [None, None, 1, None, 4, 5, 6]  # the second undo of 4 now ends its chain
    assert ev.loc[7, "source"] == "undo of event 4 [v1: undid event 4]"
    assert list(ev["retracted"]) == [True, False, False, True, False, True, False]
    # the new rule on the migrated events: P085 stays 在建 after its Q1 report was undone; P002's 30 is undone
    state = reg.state(as_of=D(2025, 12, 31))
    assert list(state.index) == ["P085"] and state.loc["P085", "status"] == "building"
    # the copy kept before migrating is the untouched version-1 file
    con = sqlite3.connect(tmp_path / "old.sqlite.v1.bak")
    assert con.execute("SELECT meta_value FROM register_meta").fetchone() == ("1",)
    assert con.execute("SELECT COUNT(*) FROM events").fetchone() == (7,)
    con.close()
    # opening again migrates nothing and keeps no second copy
    again = Register(path)
    assert again.store.migrated_from is None and len(again.events()) == 7
    assert not (tmp_path / "old.sqlite.v1.bak.1").exists()


def test_unknown_schema_version_refused(tmp_path):
    path = tmp_path / "future.sqlite"
    write_v1(path, [])
    con = sqlite3.connect(path)
    con.execute("UPDATE register_meta SET meta_value = '9'")
    con.commit()
    con.close()
    with pytest.raises(InputError, match="schema version 9, this program reads version 2"):
        Register(path)
