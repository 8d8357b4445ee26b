"""Benchmark: ``python -m layout classify`` on a 1,000,000-row CSV, with the split between its phases.

Writes a CSV of N random points over 益阳's bounding box (about 46 MB for 1 M rows: name, lon, lat, code),
times each phase in-process (read, parse + result columns, classifier, CSV write), then runs the real CLI
in a subprocess and reports its wall time and peak memory. Checks that the output keeps every input line
byte for byte at the start of its row. Prints figures; asserts nothing about time.

    python bench/cli.py [--rows 1000000] [--keep DIR]
"""

from __future__ import annotations

import argparse
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

from layout.geo.classify import classify_points
from layout.geo.notation import parse_column
from layout.geo.table_crs import locate_points
from layout.tables.batch import classify_table
from layout.tables.files import atomic_write
from layout.tables.read import read_table
from layout.tables.write import result_csv_bytes

ROOT = Path(__file__).resolve().parent.parent


def make_csv(path: Path, rows: int) -> None:
    rng = np.random.default_rng(2021)
    lon, lat = rng.uniform(110.7, 113.0, rows), rng.uniform(27.9, 29.6, rows)
    with open(path, "w", encoding="utf-8", newline="") as fh:
        fh.write("项目名称,经度,纬度,编号\n")
        step = 100_000
        for s in range(0, rows, step):
            fh.write(
                "".join(
                    f"项目{i},{x:.6f},{y:.6f},{i:07d}\n"
                    for i, x, y in zip(range(s, min(s + step, rows)), lon[s : s + step], lat[s : s + step], strict=True)
                )
            )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--keep", type=Path, help="Directory to keep the files in (default: a temporary one).")
    args = parser.parse_args()
    folder = args.keep or Path(tempfile.mkdtemp(prefix="bench_cli_"))
    folder.mkdir(parents=True, exist_ok=True)
    src, out = folder / "points.csv", folder / "points_zones.csv"
    make_csv(src, args.rows)
    print(
        f"{platform.platform()}, {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f}; "
        f"{args.rows:,} rows, {src.stat().st_size / 1e6:.0f} MB in"
    )

    # the classifier builds its lookup tables on first use: timed apart, so the phases below are warm
    rng = np.random.default_rng(7)
    tw = time.perf_counter()
    classify_points(rng.uniform(110.7, 113.0, args.rows), rng.uniform(27.9, 29.6, args.rows), nearest=True)
    print(f"classifier first call on {args.rows:,} points (builds its tables): {time.perf_counter() - tw:.2f} s")

    t0 = time.perf_counter()
    table = read_table(src)
    t1 = time.perf_counter()
    result = classify_table(table)
    t2 = time.perf_counter()
    data = result_csv_bytes(table, result.added)
    atomic_write(out, lambda tmp: tmp.write_bytes(data))
    t3 = time.perf_counter()
    # the classifier's own share of classify_table: the same call on the same points
    a, pa, _ = parse_column(table.frame["经度"])
    b, pb, _ = parse_column(table.frame["纬度"])
    points = locate_points(a, b, {**pa, **pb})
    t4 = time.perf_counter()
    classify_points(points.lon, points.lat, "wgs84", nearest=True)
    t5 = time.perf_counter()
    total = t3 - t0
    print(
        f"in-process: read {t1 - t0:.2f} s · parse {t4 - t3:.2f} s · classifier {t5 - t4:.2f} s · "
        f"result columns {max(t2 - t1 - (t5 - t3), 0):.2f} s · write {t3 - t2:.2f} s · total {total:.2f} s"
    )
    print(f"rows: {result.counts}")

    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    cli_out = folder / "cli_zones.csv"
    peak_file = folder / "peak.txt"
    # VmHWM is the CLI's own peak (ru_maxrss would carry this process's size across fork + exec)
    probe = (
        "import atexit, runpy, sys; "
        f"atexit.register(lambda: open({str(peak_file)!r}, 'w').write(next(line.split()[1] for line in "
        "open('/proc/self/status') if line.startswith('VmHWM')))); "
        f"sys.argv = ['layout', 'classify', {str(src)!r}, '-o', {str(cli_out)!r}]; "
        "runpy.run_module('layout', run_name='__main__')"
    )
    t = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", probe], env=env, capture_output=True, text=True, check=False)
    wall = time.perf_counter() - t
    peak = int(peak_file.read_text()) / 1024
    print(
        f"CLI: exit {done.returncode}, {wall:.2f} s wall (incl. start-up), peak {peak:,.0f} MB; "
        f"load average now {os.getloadavg()[0]:.1f}"
    )
    src_lines = src.read_bytes().split(b"\n")
    out_lines = cli_out.read_bytes().removeprefix(b"\xef\xbb\xbf").split(b"\n")
    same = len(src_lines) == len(out_lines) and all(o.startswith(s) for s, o in zip(src_lines, out_lines, strict=True))
    print(
        f"output keeps every input line byte for byte: {same}; identical to the in-process result: "
        f"{cli_out.read_bytes() == out.read_bytes()}"
    )


if __name__ == "__main__":
    main()
