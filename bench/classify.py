"""Benchmark: classify_points on 1,000,000 random points over 益阳's bounding box against a naive loop.

Prints figures; asserts nothing about time. The naive loop (per point, per county,
``polygon.covers(Point)`` on plain, unprepared polygons: the classifier's own rule, so a point on an
edge counts as inside) is timed on a sample and its answers compared with the vectorised ones.

    python bench/classify.py [--points 1000000] [--sample 20000]
"""

from __future__ import annotations

import argparse
import os
import platform
import time

import numpy as np
import shapely

from layout.classify import classify_points, get_classifier
from layout.geodata import load_counties


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--points", type=int, default=1_000_000)
    parser.add_argument("--sample", type=int, default=20_000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()

    t0 = time.perf_counter()
    clf = get_classifier()
    _ = clf.grid
    setup = time.perf_counter() - t0
    xmin, ymin, xmax, ymax = shapely.total_bounds(clf.geoms)
    rng = np.random.default_rng(2021)
    lon, lat = rng.uniform(xmin, xmax, args.points), rng.uniform(ymin, ymax, args.points)

    times = []
    for _ in range(args.repeat):
        t = time.perf_counter()
        fast = classify_points(lon, lat, nearest=False)
        times.append(time.perf_counter() - t)
    best, median = min(times), float(np.median(times))

    t = time.perf_counter()
    full = classify_points(lon, lat, nearest=True)
    with_nearest = time.perf_counter() - t
    outside = int((~full["inside"]).sum())

    n = min(args.sample, args.points)
    fast_names = fast["county"].astype(object).where(fast["inside"], None).iloc[:n].tolist()
    loops = {}
    plain = shapely.from_wkb(shapely.to_wkb(load_counties().geometry.to_numpy()))  # fresh, unprepared copies
    for label, geoms in [("naive (plain polygons)", plain),
                         ("per-point on prepared polygons", clf.geoms)]:
        polygons = list(zip(clf.names[:-1], geoms, strict=True))
        t = time.perf_counter()
        answers = []
        for x, y in zip(lon[:n], lat[:n], strict=True):
            point = shapely.Point(x, y)
            answers.append(next((name for name, poly in polygons if poly.covers(point)), None))
        loops[label] = (n / (time.perf_counter() - t), sum(a == b for a, b in zip(answers, fast_names, strict=True)))
    # answers of the grid path against the exact vectorised test on every point
    exact_same = np.array_equal(clf.county_index(lon, lat), clf.exact_index(lon, lat))

    boundary_share = float((clf.grid.labels == -2).mean())
    rate = args.points / median
    print(f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
          f"Python {platform.python_version()}, shapely {shapely.__version__}")
    print(f"classifier setup (load counties, prepare, build {clf.grid.labels.shape[1]}x{clf.grid.labels.shape[0]} "
          f"grid, {boundary_share:.1%} boundary cells): {setup:.2f} s")
    print(f"classify_points, {args.points:,} points, county/zone/poles: median {median * 1e3:.0f} ms, "
          f"best {best * 1e3:.0f} ms over {args.repeat} runs -> {rate / 1e6:.1f} M points/s")
    print(f"  with nearest county + distance for the {outside:,} points outside 益阳: {with_nearest:.2f} s "
          f"-> {args.points / with_nearest / 1e6:.2f} M points/s")
    for label, (loop_rate, same) in loops.items():
        print(f"{label} covers() loop on {n:,} points: {loop_rate:,.0f} points/s -> vectorised is "
              f"{rate / loop_rate:,.0f}x faster; answers identical on {same:,}/{n:,}")
    print(f"grid path identical to the exact vectorised test on all {args.points:,} points: {exact_same}")

if __name__ == "__main__":
    main()
