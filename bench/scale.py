"""Benchmark: classify on 1–50 M points, in one process and on a local Dask cluster.

For each size N: points uniform over 湖南's box (108.5–114.5°E, 24.5–30.5°N), so every path runs.
(1) ``classify_points`` in this process: wall time, points/s and peak memory of the call (tracemalloc,
numpy's buffers beyond the inputs, bytes a point); (2) the same points as a Parquet file of 1 M-row
row groups, ``classify_dataset`` with the local engine and with ``--engine dask`` on a LocalCluster of
``--workers`` processes: wall time, points/s, the workers' peak RSS, and whether the two wrote the same
bytes. Prints figures; asserts nothing about time. The machine is shared: the load is printed.

    python bench/scale.py [--sizes 1,5,10] [--workers 2] [--keep DIR]
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import tempfile
import time
import tracemalloc
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

from layout.geo.classify import classify_points, get_classifier
from layout.tables.distributed import classify_dataset

BOX = (108.5, 24.5, 114.5, 30.5)


def _load() -> str:
    return "/".join(f"{v:.1f}" for v in os.getloadavg())


def _points(n: int) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(n)
    return rng.uniform(BOX[0], BOX[2], n), rng.uniform(BOX[1], BOX[3], n)


def single(n: int) -> None:
    lon, lat = _points(n)
    tracemalloc.start()
    base = tracemalloc.get_traced_memory()[0]
    t = time.perf_counter()
    frame = classify_points(lon, lat)
    wall = time.perf_counter() - t
    peak = tracemalloc.get_traced_memory()[1] - base
    tracemalloc.stop()
    print(
        f"  one process, classify_points: {wall:.1f} s -> {n / wall / 1e6:.2f} M points/s; peak {peak / n:.0f} "
        f"bytes a point beyond the inputs ({peak / 1e9:.2f} GB); result frame "
        f"{frame.memory_usage(deep=True).sum() / n:.0f} bytes a row; load {_load()}"
    )


def dataset(n: int, folder: Path, workers: int) -> None:
    lon, lat = _points(n)
    src = folder / f"points_{n}.parquet"
    pq.write_table(pa.table({"id": np.arange(n), "lon": lon, "lat": lat}), src, row_group_size=1 << 20)
    del lon, lat
    for engine in ("local", "dask"):
        out = folder / f"out_{engine}_{n}"
        shutil.rmtree(out, ignore_errors=True)
        t = time.perf_counter()
        counts = classify_dataset(src, out, engine=engine, workers=workers, partition_rows=1 << 20)
        wall = time.perf_counter() - t
        size = sum(p.stat().st_size for p in out.iterdir()) / 1e6
        print(
            f"  classify_dataset --engine {engine}: {counts['partitions']} partitions, {wall:.1f} s -> "
            f"{n / wall / 1e6:.2f} M points/s (cluster start and grid shipping included for dask); "
            f"{size:.0f} MB written; load {_load()}"
        )
    same = all(
        (folder / f"out_local_{n}" / p.name).read_bytes() == p.read_bytes()
        for p in (folder / f"out_dask_{n}").iterdir()
    )
    print(f"  dask output byte-identical to the local engine's: {same}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1,5,10", help="millions of points, comma-separated (up to 50)")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--keep", type=Path, help="folder for the generated files (default: a temporary one)")
    args = parser.parse_args()
    folder = args.keep or Path(tempfile.mkdtemp(prefix="bench_scale_"))
    folder.mkdir(parents=True, exist_ok=True)
    print(f"{os.cpu_count()} cores, load {_load()}; points uniform over 湖南's box {BOX}")
    clf = get_classifier()
    t = time.perf_counter()
    _ = clf.grid, clf.nearest_index
    for level in clf.levels:
        _ = level.built
    print(f"grids ready in {time.perf_counter() - t:.1f} s (built once, then loaded from the cache)")
    for millions in (float(v) for v in args.sizes.split(",")):
        n = int(millions * 1_000_000)
        print(f"{n:,} points")
        single(n)
        dataset(n, folder, args.workers)
    print(f"this process's peak RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1e6:.2f} GB")
    if not args.keep:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
