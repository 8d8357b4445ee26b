"""Benchmark and check: two app servers on one PostgreSQL register, N users writing and reading at once.

Without ``--url`` a throwaway PostgreSQL + PostGIS cluster is started (tests/pg_server.py). Then:

1. two Streamlit servers (``app.py`` on two ports, ``LAYOUT_REGISTER`` = the database) are started and their
   explorer is opened once through Streamlit's websocket protocol (caches warm);
2. two writer processes, one per app server, each run N/2 simulated users as threads sharing one
   ``Register`` (one connection pool per process, as the app's ``st.cache_resource`` shares it between
   sessions). Users call what the 项目台账 page calls: ``record`` (notes with a unique tag, progress, sites;
   dates spread over 2021–today, so late reports happen), ``undo`` of their own events, ``state`` at a date
   and ``events`` of a project; every id handed back is logged;
3. checks: every logged event is in the database with its values and officer, nothing else is; every
   event's ``previous`` is what the rule gives from the events before it (writers were serialised); both
   writer processes compute the state at every reported date and today, and both equal a few-line
   pure-Python oracle of the rule; both Streamlit servers, asked again, show the same explorer figures,
   equal to the catalog overlaid with the register (each saw the other processes' writes).

    python bench/register_servers.py [--users 20] [--seconds 60] [--projects 135] [--url postgresql://…]

Prints the figures; exits 1 when an event is lost or a state differs.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import datetime as dt
import json
import math
import random
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

FIELDS = ("note", "progress", "site_lon", "site_lat")
HESHAN = (112.35028, 28.5825)  # a point inside 益阳 for projects the plan places citywide


def quarter_ends(today: dt.date) -> list[dt.date]:
    days = [dt.date(y, m, d) for y in range(2021, today.year + 1) for m, d in ((3, 31), (6, 30), (9, 30), (12, 31))]
    return [d for d in days if d <= today]


# --------------------------------------------------------------------------------------------
# A writer process: one app server's users


def user_loop(
    reg, catalog, server: int, user: int, deadline: float, log: list, lock: threading.Lock, projects: int
) -> None:
    from layout.errors import InputError

    rng = random.Random(server * 1000 + user)
    name = f"s{server}u{user:02d}"
    days = quarter_ends(dt.date.today())
    mine: list[int] = []
    ids = list(catalog["id"])[:projects]  # fewer projects: more users on the same record at once
    n = 0
    while time.monotonic() < deadline:
        pid, day, op, n = rng.choice(ids), rng.choice(days), rng.random(), n + 1
        entry = {"by": name, "subject": pid, "as_of": day.isoformat()}
        try:
            t0 = time.perf_counter()
            if op < 0.55:
                changes = {"note": f"{name}-{n}"}
                got = reg.record(pid, changes, by=name, as_of=day, source="bench")
                mine += got
            elif op < 0.70:
                changes = {"progress": rng.randrange(0, 101, 10)}
                got = reg.record(pid, changes, by=name, as_of=day, source="bench")
                mine += got
            elif op < 0.78:
                row = catalog.loc[pid]
                point = HESHAN if math.isnan(row["lon"]) else (float(row["lon"]), float(row["lat"]))
                changes = {"site": point}
                got = reg.record(pid, changes, by=name, as_of=day, source="bench 现场核实", confirm=True)
            elif op < 0.83 and mine:
                target = mine.pop(rng.randrange(len(mine)))
                changes = {"undo": target}
                got = [reg.undo(target, by=name)]
                entry.update(subject=None, as_of=None)  # the undo event takes its target's subject and date
            else:
                reg.state(as_of=day)
                reg.events(pid)
                changes, got = None, []
            entry.update(changes=changes, ids=got, seconds=time.perf_counter() - t0)
        except InputError as exc:
            entry.update(error=str(exc))
        with lock:
            log.append(entry)
        time.sleep(rng.uniform(0.05, 0.3))


def state_text(reg, day: dt.date) -> dict:
    st = reg.state(as_of=day)
    out = {}
    for pid, row in st.iterrows():
        out[pid] = {f: None if _missing(row[f]) else (row[f] if f == "note" else float(row[f])) for f in FIELDS}
        out[pid].update(last_by=row["last_by"], last_as_of=row["last_as_of"].isoformat())
    return out


def _missing(value) -> bool:
    return value is None or value == "" or (isinstance(value, float) and math.isnan(value))


def worker(url: str, server: int, users: int, seconds: float, out: Path, projects: int) -> None:
    from layout.catalog.projects import load_catalog
    from layout.register.events import Register
    from layout.register.sites import check_site

    catalog = load_catalog().set_index("id", drop=False)
    reg = Register(url, catalog=catalog)
    reg.check_subject("P001")
    check_site(*HESHAN)  # geodata loaded once, before the users' threads
    log: list = []
    lock = threading.Lock()
    deadline = time.monotonic() + seconds
    threads = [
        threading.Thread(target=user_loop, args=(reg, catalog, server, u, deadline, log, lock, projects))
        for u in range(users)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    out.write_text(json.dumps(log, ensure_ascii=False))
    go = out.with_suffix(".go")
    while not go.exists():
        time.sleep(0.1)
    dates = [dt.date.fromisoformat(d) for d in json.loads(go.read_text())]
    states = {d.isoformat(): state_text(reg, d) for d in dates}
    out.with_suffix(".states").write_text(json.dumps(states, ensure_ascii=False, sort_keys=True))


# --------------------------------------------------------------------------------------------
# The oracle: the register's rule in plain Python


def _retracted(events: list[dict]) -> set[int]:
    """Ids retracted by ``events``: an event is retracted when its retraction is not retracted in turn."""
    above = {e["retracts"]: e["event_id"] for e in events if e["kind"] == "retract"}

    def gone(event_id: int) -> bool:
        r = above.get(event_id)
        return r is not None and not gone(r)

    return {t for t in above if gone(t)}


def _winner(group: list[dict], day: str, retracted: set[int], before: int | None = None) -> dict | None:
    """The rule: among non-retracted reports dated on or before ``day`` (recorded before id ``before``),
    the latest date wins, then the latest recorded (highest id)."""
    reports = [
        e
        for e in group
        if e["kind"] != "retract"
        and e["as_of"] <= day
        and e["event_id"] not in retracted
        and (before is None or e["event_id"] < before)
    ]
    return max(reports, key=lambda e: (e["as_of"], e["event_id"]), default=None)


def _groups(events: list[dict]) -> dict[tuple[str, str], list[dict]]:
    out: dict[tuple[str, str], list[dict]] = {}
    for e in sorted(events, key=lambda x: x["event_id"]):
        out.setdefault((e["subject"], e["field"]), []).append(e)
    return out


def oracle_states(events: list[dict], dates: list[dt.date]) -> dict:
    """Per project: the winning value of each field at D, and 最近报送 (date and officer) of the latest
    winning report."""
    retracted = _retracted(events)
    groups = _groups(events)
    out = {}
    for day in dates:
        state: dict = {}
        for (subject, field), group in sorted(groups.items()):
            e = _winner(group, day.isoformat(), retracted)
            if e is None or subject.startswith("indicator:"):
                continue
            row = state.setdefault(subject, {f: None for f in FIELDS} | {"_win": []})
            row["_win"].append(e)
            if field in FIELDS and e["value"] is not None:
                row[field] = e["value"] if field == "note" else float(e["value"])
        for row in state.values():
            last = max(row.pop("_win"), key=lambda e: (e["as_of"], e["event_id"]))
            row.update(last_by=last["by"], last_as_of=last["as_of"])
        out[day.isoformat()] = state
    return out


def oracle_previous(events: list[dict]) -> list[int]:
    """Ids of reports whose ``previous`` (or kind set/confirm) is not what the rule gave from the events
    recorded before them: the sign of two writers reading at once."""
    bad = []
    for group in _groups(events).values():
        for e in group:
            if e["kind"] == "retract":
                continue
            earlier = [x for x in group if x["event_id"] < e["event_id"]]
            w = _winner(earlier, e["as_of"], _retracted(earlier))
            expected = None if w is None else w["value"]
            kind = "confirm" if w is not None and expected == e["value"] else "set"
            if e["previous"] != expected or e["kind"] != kind:
                bad.append(e["event_id"])
    return bad


# --------------------------------------------------------------------------------------------
# The Streamlit servers


async def explorer_figures(url: str) -> list[str]:
    """The explorer's metric values, as a browser session opening the page receives them."""
    import websockets
    from streamlit.proto.BackMsg_pb2 import BackMsg
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

    ws_url = url.replace("http", "ws", 1) + "/_stcore/stream"
    async with websockets.connect(ws_url, subprotocols=["streamlit"], max_size=None, open_timeout=60) as ws:
        msg = BackMsg()
        msg.rerun_script.query_string = ""
        msg.rerun_script.page_script_hash = ""
        await ws.send(msg.SerializeToString())
        metrics = []
        while True:
            fwd = ForwardMsg()
            fwd.ParseFromString(await asyncio.wait_for(ws.recv(), 120))
            kind = fwd.WhichOneof("type")
            if kind == "delta" and fwd.delta.WhichOneof("type") == "new_element":
                if fwd.delta.new_element.WhichOneof("type") == "metric":
                    metrics.append(fwd.delta.new_element.metric.body)
            elif kind == "script_finished":
                return metrics


def expected_figures(url: str) -> tuple[int, int]:
    from layout.catalog.projects import load_catalog
    from layout.register.events import Register
    from layout.register.overlay import overlay_register

    data = overlay_register(load_catalog(), Register(url).state())
    points = int((data["lon"].notna() & (data["precision"] != "citywide")).sum())
    return points, int((data["precision"] == "citywide").sum())


# --------------------------------------------------------------------------------------------


def run(url: str, users: int, seconds: float, projects: int) -> bool:
    from app_server import running_app

    from layout.register.events import Register

    Register(url)  # creates the schema
    env = {"LAYOUT_REGISTER": url}
    with (
        tempfile.TemporaryDirectory() as tmp,
        running_app(env, log=Path(tmp) / "a.log") as (url_a, _),
        running_app(env, log=Path(tmp) / "b.log") as (url_b, _),
    ):
        before = [asyncio.run(explorer_figures(u)) for u in (url_a, url_b)]
        print(f"app servers {url_a} and {url_b}; explorer figures before: {before[0]} / {before[1]}")
        outs = [Path(tmp) / f"server{s}.json" for s in (1, 2)]
        shares = (users - users // 2, users // 2)
        procs = [
            subprocess.Popen(
                [sys.executable, __file__, "--worker", url, str(s), str(n), str(seconds), str(out), str(projects)],
                cwd=ROOT,
            )
            for s, n, out in zip((1, 2), shares, outs, strict=True)
        ]
        while not all(o.exists() for o in outs):
            if any(p.poll() not in (None, 0) for p in procs):
                raise SystemExit("a writer process failed")
            time.sleep(0.2)
        log = [e for o in outs for e in json.loads(o.read_text())]
        events = Register(url).events()
        rows = [
            {
                **{k: None if _missing(v) else v for k, v in r.items()},
                "as_of": r["as_of"].isoformat(),
                "event_id": int(r["event_id"]),
            }
            for r in events.to_dict("records")
        ]
        dates = sorted({dt.date.fromisoformat(r["as_of"]) for r in rows} | {dt.date.today()})
        for o in outs:
            o.with_suffix(".go").write_text(json.dumps([d.isoformat() for d in dates]))
        assert [p.wait(timeout=600) for p in procs] == [0, 0]
        states = {o.stem: json.loads(o.with_suffix(".states").read_text()) for o in outs}
        after = [asyncio.run(explorer_figures(u)) for u in (url_a, url_b)]

    ok = True
    writes = [e for e in log if e.get("changes") is not None and "error" not in e]
    errors = [e for e in log if "error" in e]
    reads = [e for e in log if e.get("changes") is None and "error" not in e]
    got = {i: e for e in writes for i in e["ids"]}
    by_id = {r["event_id"]: r for r in rows}
    lost = [i for i in got if i not in by_id]
    foreign = [i for i in by_id if i not in got]
    wrong = [
        i
        for i, e in got.items()
        if i in by_id
        and (
            by_id[i]["by"] != e["by"]
            or (e["subject"] is not None and (by_id[i]["subject"], by_id[i]["as_of"]) != (e["subject"], e["as_of"]))
        )
    ]
    print(
        f"{users} users for {seconds:.0f} s on 2 app servers: {len(writes)} writes → {len(got)} events, "
        f"{len(reads)} reads, {len(errors)} refused ({', '.join(sorted({e['error'][:60] for e in errors})[:3])})"
    )
    times = sorted(e["seconds"] for e in log if "seconds" in e)
    if times:
        median, p90 = times[len(times) // 2], times[int(len(times) * 0.9)]
        print(f"operation time: median {median * 1000:.0f} ms, p90 {p90 * 1000:.0f} ms")
    print(
        f"events in the database: {len(rows)}; lost: {len(lost)}; not handed to any user: {len(foreign)}; "
        f"with other values: {len(wrong)}"
    )
    ok &= not lost and not foreign and not wrong and len(rows) == len(got)
    bad_previous = oracle_previous(rows)
    print(f"events whose 'previous' breaks the rule: {len(bad_previous)}")
    ok &= not bad_previous
    oracle = oracle_states(rows, dates)
    for name, computed in states.items():
        diffs = [d for d in oracle if computed.get(d) != oracle[d]]
        print(
            f"{name}: state at {len(dates)} dates equal to the oracle: {not diffs}"
            + (f" (first difference at {diffs[0]})" if diffs else "")
        )
        ok &= not diffs
    points, citywide = expected_figures(url)
    print(f"explorer figures after: {after[0]} / {after[1]}; expected: {points}, {citywide} (points, citywide)")
    ok &= after[0] == after[1] and after[0][:2] == [str(points), str(citywide)]
    print("OK" if ok else "FAILED")
    return ok


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "--worker":
        _, _, url, server, users, seconds, out, projects = sys.argv
        worker(url, int(server), int(users), float(seconds), Path(out), int(projects))
        return
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--projects", type=int, default=135, help="how many catalog projects the users write to")
    parser.add_argument("--url", help="an empty register database (default: start a throwaway cluster)")
    args = parser.parse_args()
    if not 2 <= args.users <= 50 or not 0 < args.seconds <= 600:
        parser.error("--users should be 2..50 and --seconds up to 600")
    if args.url:
        sys.exit(0 if run(args.url, args.users, args.seconds, args.projects) else 1)
    from pg_server import start_server

    with start_server() as server:
        ok = run(server.create_database("bench"), args.users, args.seconds, args.projects)
        with contextlib.suppress(Exception):
            from layout.register.postgres_store import close_pools

            close_pools()
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
