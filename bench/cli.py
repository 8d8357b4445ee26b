"""Benchmark: ``python -m layout classify`` on a 1,000,000-row CSV, with the split between its phases and
against a bare pandas round trip of the same file.

Writes a CSV of N random points (about 42 MB for 1 M rows: name, lon, lat, code), a share of them
(``--far-share``, default 25%) spread over 湖南 (108.5–114.5°E, 24.5–30.5°N) and the rest over 益阳's
bounding box; times each phase in-process (read, parse + result columns, classifier, CSV write); runs the
real CLI in a subprocess and reports its wall time and peak memory; then runs the CLI and
``bench/csv_roundtrip.py --pandas`` (``pd.read_csv`` + ``to_csv``) in turn ``--pairs`` times as whole
processes and prints the medians of wall and CPU time (user + sys) and of the ratio pair by pair. Checks
that the output keeps every input line byte for byte at the start of its row. Prints figures; asserts
nothing about time.

    python bench/cli.py [--rows 1000000] [--far-share 0.25] [--pairs 5] [--keep DIR]
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


def make_csv(path: Path, rows: int, far_share: float = 0.25) -> None:
    rng = np.random.default_rng(2021)
    lon, lat = rng.uniform(110.7, 113.0, rows), rng.uniform(27.9, 29.6, rows)
    far = rng.random(rows) < far_share
    lon[far], lat[far] = rng.uniform(108.5, 114.5, far.sum()), rng.uniform(24.5, 30.5, far.sum())
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
    parser.add_argument("--far-share", type=float, default=0.25, help="share of points over 湖南 (default 0.25)")
    parser.add_argument("--pairs", type=int, default=5, help="whole-process runs of the CLI and of pandas, in turn")
    parser.add_argument("--keep", type=Path, help="Directory to keep the files in (default: a temporary one).")
    args = parser.parse_args()
    folder = args.keep or Path(tempfile.mkdtemp(prefix="bench_cli_"))
    folder.mkdir(parents=True, exist_ok=True)
    src, out = folder / "points.csv", folder / "points_zones.csv"
    make_csv(src, args.rows, args.far_share)
    print(
        f"{platform.platform()}, {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f}; "
        f"{args.rows:,} rows ({args.far_share:.0%} over 湖南), {src.stat().st_size / 1e6:.0f} MB in"
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
    if args.pairs:
        compare(src, folder, env, args.pairs)


def timed(command: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Wall and CPU seconds (user + sys, the kernel's accounting) of one whole process."""
    t = time.perf_counter()
    proc = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - t
    if os.waitstatus_to_exitcode(status):
        raise SystemExit(f"{command} failed")
    return wall, usage.ru_utime + usage.ru_stime


def compare(src: Path, folder: Path, env: dict[str, str], pairs: int) -> None:
    """The CLI against a bare pandas round trip of the same file, in turn, after one warm-up each."""
    ours = [sys.executable, "-m", "layout", "classify", str(src), "-o", str(folder / "cli_zones.csv")]
    bare = [sys.executable, str(ROOT / "bench" / "csv_roundtrip.py"), "--pandas", str(src), str(folder / "bare.csv")]
    timed(ours, env), timed(bare, env)
    runs = [(timed(ours, env), timed(bare, env)) for _ in range(pairs)]
    med = lambda values: float(np.median(values))  # noqa: E731
    print(
        f"whole process, median of {pairs} pairs (load average {os.getloadavg()[0]:.1f}): "
        f"classify {med([a[0] for a, _ in runs]):.2f} s wall, {med([a[1] for a, _ in runs]):.2f} s CPU; "
        f"pandas round trip {med([b[0] for _, b in runs]):.2f} s wall, {med([b[1] for _, b in runs]):.2f} s CPU; "
        f"ratio {med([a[0] / b[0] for a, b in runs]):.2f} wall, {med([a[1] / b[1] for a, b in runs]):.2f} CPU"
    )


if __name__ == "__main__":
    main()
