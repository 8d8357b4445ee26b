"""Benchmark: the evaluation page and the XLSX report over a register of 10,000 projects × 24 monthly
reports (240,000 events) in a temporary SQLite file.

The projects are the catalog's rows repeated under synthetic ids (``B00001`` …), so zones, counties and
sectors are real. Each project gets one event a month for 24 months (a status at months 1, 7, 13 and
19, progress otherwise), written through ``Register.record_many``. Prints figures; asserts nothing.
Targets (issue 12): page computation warm ≤ 1 s, XLSX report ≤ 5 s.

    python bench/evaluate.py [--projects 10000] [--months 24] [--repeat 5]
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import statistics
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

from layout.catalog.projects import load_catalog
from layout.evaluation.figures import compare, evaluate, evaluate_indicators
from layout.evaluation.report import make_report
from layout.evaluation.xlsx import xlsx_bytes
from layout.register.events import Register

STATUS_STEPS = ("not_started", "preparing", "building", "completed", "operating", "suspended")


def synthetic_catalog(n: int, seed: int = 2021) -> pd.DataFrame:
    base = load_catalog()
    rows = np.random.default_rng(seed).integers(0, len(base), n)
    cat = pd.DataFrame(base.iloc[rows].drop(columns="geometry")).reset_index(drop=True)
    cat["id"] = [f"B{i:05d}" for i in range(1, n + 1)]
    cat["name"] = cat["name"].astype(str) + "（" + cat["id"] + "）"
    return cat


def month_end(start: dt.date, k: int) -> dt.date:
    return (pd.Timestamp(start) + pd.offsets.MonthEnd(k + 1)).date()


def fill(reg: Register, cat: pd.DataFrame, months: int, start: dt.date, seed: int = 7) -> int:
    """One event per project per month: a new status every six months (each a changed value), progress
    (rising) in between; one record_many (one transaction) per month."""
    first = np.random.default_rng(seed).integers(0, 2, len(cat))
    ids = cat["id"].to_list()
    count = 0
    for k in range(months):
        if k % 6 == 0:
            rows = [
                (pid, {"status": STATUS_STEPS[min(s + k // 6, len(STATUS_STEPS) - 1)]})
                for pid, s in zip(ids, first, strict=True)
            ]
        else:
            rows = [(pid, {"progress": round(100 * (k + 1) / (months + 1), 1)}) for pid in ids]
        count += len(reg.record_many(rows, by="bench", source="bench", as_of=month_end(start, k)))
    return count


def timed(fn, repeat: int) -> tuple[float, float, object]:
    times, result = [], None
    for _ in range(repeat):
        t = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t)
    return min(times), statistics.median(times), result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--projects", type=int, default=10_000)
    parser.add_argument("--months", type=int, default=24)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()

    cat = synthetic_catalog(args.projects)
    start = dt.date(2023, 1, 1)
    as_of, before = month_end(start, args.months - 1), month_end(start, args.months // 2 - 1)
    with tempfile.TemporaryDirectory() as tmp:
        reg = Register(Path(tmp) / "bench.sqlite", catalog=cat)
        t = time.perf_counter()
        events = fill(reg, cat, args.months, start)
        filled = time.perf_counter() - t
        size = (Path(tmp) / "bench.sqlite").stat().st_size / 1e6

        state_cold, state_med, state = timed(lambda: reg.state(as_of=as_of), 2)
        before_state = reg.state(as_of=before)
        ind_state = reg.indicator_state(as_of=as_of)

        def page() -> None:  # what the page computes once the register's states are cached
            ev = evaluate(cat, state, as_of=as_of)
            evaluate(cat, state, as_of=as_of, scope="county:安化县")
            compare(evaluate(cat, before_state, as_of=before), ev, grouping="zone")
            evaluate_indicators(ind_state)

        page_best, page_med, _ = timed(page, args.repeat)

        one_best, one_med, _ = timed(lambda: evaluate(cat, state, as_of=as_of), args.repeat)
        states = {"as_of": state, "compare_to": before_state, "indicators": ind_state}

        def report(read: bool) -> bytes:
            return xlsx_bytes(
                make_report(reg, cat, scope="city", as_of=as_of, compare_to=before, states=None if read else states)
            )

        xlsx_best, xlsx_med, data = timed(lambda: report(False), max(2, args.repeat // 2))
        full_best, full_med, _ = timed(lambda: report(True), 1)

    print(
        f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores, Python "
        f"{platform.python_version()}"
    )
    print(
        f"register: {args.projects:,} projects × {args.months} monthly reports = {events:,} events "
        f"({size:.1f} MB SQLite), written through record_many in {filled:.1f} s"
    )
    print(
        f"Register.state(as_of) over {events:,} events: best {state_cold:.2f} s, median {state_med:.2f} s "
        f"({len(state):,} projects)"
    )
    print(
        f"one evaluation (city, state cached: project table, zone/county/sector figures, lagging): "
        f"best {one_best:.3f} s, median {one_med:.3f} s"
    )
    print(
        f"page computation, warm (state cached; city + one county + two-date comparison + indicators): "
        f"best {page_best:.3f} s, median {page_med:.3f} s  [target ≤ 1 s]"
    )
    print(
        f"XLSX report, city with comparison, states cached as on the page ({args.projects:,} project rows): "
        f"best {xlsx_best:.2f} s, median {xlsx_med:.2f} s, {len(data) / 1e6:.1f} MB  [target ≤ 5 s]"
    )
    print(f"XLSX report as the CLI makes it (reads the register's state twice and the indicators): {full_best:.2f} s")
    print(
        f"load average while measuring: {', '.join(f'{x:.1f}' for x in os.getloadavg())} "
        f"(other work on the {os.cpu_count()} cores slows every figure)"
    )


if __name__ == "__main__":
    main()
