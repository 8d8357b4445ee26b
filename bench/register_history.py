"""Benchmark: `register history` on a register of a million events — time to the first line, total
time and peak memory of the CLI process, and the state query on the same file.

Prints figures; asserts nothing about time. Target (issue 18): first line in < 1 s, memory flat.

    python bench/register_history.py [--events 1000000] [--path /tmp/history.sqlite]

The register is generated with the store's own schema (``RegisterStore``), then filled with plain
INSERTs: 135 projects × 8 fields of quarterly reports, every 500th event retracted.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import resource
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from layout.register.events import Register
from layout.register.sqlite_store import RegisterStore

ROOT = Path(__file__).resolve().parent.parent
FIELDS = ("status", "progress", "invest_planned", "invest_done", "start_year", "finish_year", "lead_unit", "note")


def generate(path: Path, n: int) -> None:
    """A register of ``n`` events (about one in 500 a retraction of the event before it)."""
    path.unlink(missing_ok=True)
    RegisterStore(path)
    con = sqlite3.connect(path)
    start = dt.date(2021, 3, 31)
    rows = []
    for i in range(1, n + 1):
        if i % 500 == 0:
            rows.append(
                (
                    "bench",
                    "P002",
                    "progress",
                    None,
                    None,
                    "bench",
                    "2026-01-01T00:00:00Z",
                    "2021-03-31",
                    "bench",
                    "retract",
                    i - 1,
                )
            )
            continue
        day = start + dt.timedelta(days=(i // 1080) % 1800)
        rows.append(
            (
                "bench",
                f"P{(i % 135) + 1:03d}",
                FIELDS[i % 8],
                str(i % 100),
                None,
                f"officer{i % 7}",
                "2026-01-01T00:00:00Z",
                day.isoformat(),
                "bench",
                "set",
                None,
            )
        )
        if len(rows) >= 100_000:
            _insert(con, rows)
    _insert(con, rows)
    con.close()


def _insert(con: sqlite3.Connection, rows: list[tuple]) -> None:
    con.executemany(
        "INSERT INTO events (batch_id, subject, field, value, previous, recorded_by, recorded_at, "
        "as_of, source, kind, retracts) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        rows,
    )
    con.commit()
    rows.clear()


def time_cli(path: Path, *args: str) -> tuple[float, float, int, float]:
    """(seconds to the first line, total seconds, lines, peak RSS MB) of `python -m layout register history`."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    cmd = [sys.executable, "-m", "layout", "register", "--register", str(path), "history", *args]
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    first = None
    lines = 0
    for _ in proc.stdout:
        if first is None:
            first = time.perf_counter() - t0
        lines += 1
    proc.wait()
    total = time.perf_counter() - t0
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024  # the largest child so far, MB
    return first or float("nan"), total, lines, peak


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--path", type=Path, default=Path("/tmp/register_history_bench.sqlite"))
    parser.add_argument("--reuse", action="store_true", help="Use the register at --path as it is.")
    args = parser.parse_args()
    if not args.reuse:
        t0 = time.perf_counter()
        generate(args.path, args.events)
        print(
            f"generated {args.events:,} events in {time.perf_counter() - t0:.1f} s "
            f"({args.path.stat().st_size / 1e6:.0f} MB)"
        )
    small = args.path.with_name("register_history_small.sqlite")
    generate(small, 1000)
    first, total, lines, peak = time_cli(small)
    print(f"baseline, history of 1,000 events: first line {first:.2f} s, peak RSS ≤ {peak:.0f} MB")
    for label, extra in (
        ("history (all)", ()),
        ("history --project P050", ("--project", "P050")),
        ("history --by officer3 --from 2023-01-01", ("--by", "officer3", "--from", "2023-01-01")),
    ):
        first, total, lines, peak = time_cli(args.path, *extra)
        print(f"{label}: first line {first:.2f} s, {lines:,} lines in {total:.1f} s, peak RSS ≤ {peak:.0f} MB")
    reg = Register(args.path)
    t0 = time.perf_counter()
    state = reg.state(as_of=dt.date(2025, 12, 31))
    print(f"state on 2025-12-31: {len(state)} projects in {time.perf_counter() - t0:.2f} s")


if __name__ == "__main__":
    main()
