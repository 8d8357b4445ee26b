"""Benchmark: classify_points on 1,000,000 random points over 益阳's bounding box, 湖南 and China.

Prints figures; asserts nothing about time. Reports the default call (county, zone, poles, nearest
county and geodesic distance), the lookup alone, the nearest-county agreement with
``geopandas.sjoin_nearest`` in EPSG:4546 and the distances against ``pyproj.Geod``, a naive per-point
loop, and the machine's load (the machine is shared: figures vary with it). Then the same default call on
points uniform over 湖南 (108.5–114.5°E, 24.5–30.5°N) and China's bounding box (73.5–135°E, 18–53.6°N),
with its peers in the same run on the same points: ``geopandas.sjoin_nearest`` in EPSG:4546 and a plain
STRtree ``query_nearest`` over the boundary segments; the agreement of the nearest county, distances
against ``pyproj.Geod``, and the call's peak memory (tracemalloc: numpy's buffers, beyond the inputs).

    python bench/classify.py [--points 1000000] [--repeat 5] [--agree 50000] [--sample 20000]
                             [--region-points 1000000] [--peer 100000] [--regions-only]
"""

from __future__ import annotations

import argparse
import os
import platform
import time
import tracemalloc

import geopandas as gpd
import numpy as np
import shapely

from layout.geo.boundaries import load_counties
from layout.geo.classify import classify_points, get_classifier
from layout.geo.crs import to_metric
from layout.geo.nearest import nearest_far
from layout.geo.segments import GEOD, planar_nearest


def _timed(repeat: int, call) -> tuple[float, float, object]:
    """Median and best wall time, and the last result."""
    times, out = [], None
    for _ in range(repeat):
        t = time.perf_counter()
        out = call()
        times.append(time.perf_counter() - t)
    return float(np.median(times)), min(times), out


def _cpu(call) -> float:
    """CPU seconds (all threads) of one call: less sensitive than wall time to other processes' load."""
    t = time.process_time()
    call()
    return time.process_time() - t


def _load() -> str:
    return "/".join(f"{v:.1f}" for v in os.getloadavg())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--points", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--agree", type=int, default=50_000, help="outside points compared with sjoin_nearest")
    parser.add_argument("--sample", type=int, default=20_000, help="points for the naive loop")
    parser.add_argument("--region-points", type=int, default=1_000_000, help="points over 湖南 and over China")
    parser.add_argument("--peer", type=int, default=100_000, help="of those, points the peers also run on")
    parser.add_argument("--regions-only", action="store_true", help="skip the city benchmark")
    args = parser.parse_args()
    if args.regions_only:
        regions(args)
        return
    print(
        f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}, shapely {shapely.__version__}; load average (1/5/15 min) {_load()}"
    )

    t0 = time.perf_counter()
    clf = get_classifier()
    _ = clf.grid
    setup = time.perf_counter() - t0
    t0 = time.perf_counter()
    segments, grid = clf.nearest_index
    setup_nearest = time.perf_counter() - t0
    xmin, ymin, xmax, ymax = shapely.total_bounds(clf.geoms)
    rng = np.random.default_rng(2021)
    lon, lat = rng.uniform(xmin, xmax, args.points), rng.uniform(ymin, ymax, args.points)

    median, best, full = _timed(args.repeat, lambda: classify_points(lon, lat))
    median_lookup, best_lookup, _ = _timed(args.repeat, lambda: classify_points(lon, lat, nearest=False))
    cpu = _cpu(lambda: classify_points(lon, lat))
    outside = ~full["inside"].to_numpy()
    leaves = np.diff(grid.offsets)
    per_point = leaves[grid.leaf(lon[outside], lat[outside])].mean()
    print(
        f"setup: county grid {clf.grid.labels.shape[1]}x{clf.grid.labels.shape[0]} {setup:.2f} s; nearest grid "
        f"({len(leaves):,} cells, {len(grid.segs):,} candidate entries, ±{grid.nx * 0.002:.1f}° wide) "
        f"{setup_nearest:.1f} s, once per process"
    )
    print(
        f"classify_points, {args.points:,} points ({outside.mean():.0%} outside 益阳), default call with nearest "
        f"county + geodesic distance: median {median * 1e3:.0f} ms, best {best * 1e3:.0f} ms over {args.repeat} runs "
        f"-> {args.points / median / 1e6:.2f} M points/s (best {args.points / best / 1e6:.2f}); "
        f"{per_point:.2f} candidate segments per outside point"
    )
    print(
        f"  CPU time of one default call (both threads together): {cpu * 1e3:.0f} ms "
        f"-> {args.points / cpu / 1e6:.2f} M points per CPU-second"
    )
    print(
        f"  county/zone/poles only (nearest=False): median {median_lookup * 1e3:.0f} ms "
        f"-> {args.points / median_lookup / 1e6:.2f} M points/s; load now {_load()}"
    )
    frame_bytes = full.memory_usage(deep=True).sum() / args.points
    print(f"  result frame: {frame_bytes:.1f} bytes a row (categoricals)")

    # Agreement with geopandas.sjoin_nearest in EPSG:4546 on outside points.
    idx = np.flatnonzero(outside)[: args.agree]
    counties = load_counties().to_crs("EPSG:4546")[["name", "geometry"]]
    x, y = to_metric(lon[idx], lat[idx])
    pts = gpd.GeoDataFrame(geometry=gpd.points_from_xy(x, y), crs="EPSG:4546")
    t = time.perf_counter()
    joined = gpd.sjoin_nearest(pts, counties, distance_col="d")
    sjoin_time = time.perf_counter() - t
    joined = joined[~joined.index.duplicated(keep="first")].sort_index()  # ties: keep one
    ties = len(joined) - joined.index.nunique()
    ours = full.iloc[idx]
    same = int((ours["nearest_county"].astype(object).to_numpy() == joined["name"].to_numpy()).sum())
    seg, metres, qlon, qlat = clf.nearest_detail(lon[idx], lat[idx])
    planar = joined["d"].to_numpy()
    diff = metres - planar
    far = planar >= 100.0  # below, the relative figure shows the lattice's few centimetres, not the scale
    print(
        f"agreement with geopandas.sjoin_nearest (EPSG:4546) on {len(idx):,} outside points "
        f"({sjoin_time:.1f} s there, {len(idx) / sjoin_time:,.0f} points/s): nearest_county identical on "
        f"{same:,}/{len(idx):,}{f' ({ties} ties)' if ties else ''}"
    )
    print(
        f"  distance ours (geodesic) - sjoin (planar EPSG:4546): max abs {np.abs(diff).max():.2f} m, "
        f"relative {np.min(diff[far] / planar[far]):+.4%} .. {np.max(diff[far] / planar[far]):+.4%} for distances "
        f">= 100 m (EPSG:4546's scale error; ours is shorter)"
    )
    own_planar, _, _ = planar_nearest(segments, seg, x, y)  # our chosen segment, measured as sjoin measures
    swapped = own_planar - planar > 0.01
    same_county = ours["nearest_county"].astype(object).to_numpy() == joined["name"].to_numpy()
    print(
        f"  planar distance to our chosen segment vs sjoin's: max abs {np.abs(own_planar - planar).max():.2f} m; "
        f"{int(swapped.sum())} points where the geodesically nearest segment is not the planar nearest "
        f"(same county in {int((swapped & same_county).sum())})"
    )
    exact = GEOD.inv(lon[idx], lat[idx], qlon, qlat)[2]
    gap = np.abs(exact - metres)
    print(
        f"  ours vs pyproj.Geod exact (to the same nearest point): max abs {gap.max() * 100:.2f} cm, "
        f"max relative {np.max(gap[far] / exact[far]):.1e} for distances >= 100 m"
    )

    # Far points: the exact path.
    far_lon, far_lat = rng.uniform(-180, 180, 200), rng.uniform(-80, 80, 200)
    t = time.perf_counter()
    classify_points(far_lon, far_lat)
    far_time = time.perf_counter() - t
    print(
        f"200 points anywhere on Earth (the country grid within 70–140°E, 14–56°N; the exact search beyond): "
        f"{200 / far_time:,.0f} points/s"
    )

    # A naive loop on a sample, for scale.
    n = min(args.sample, args.points)
    fast_names = full["county"].astype(object).where(full["inside"], None).iloc[:n].tolist()
    plain = shapely.from_wkb(shapely.to_wkb(load_counties().geometry.to_numpy()))  # fresh, unprepared copies
    polygons = list(zip(clf.names[:-1], plain, strict=True))
    t = time.perf_counter()
    answers = []
    for px, py in zip(lon[:n], lat[:n], strict=True):
        point = shapely.Point(px, py)
        answers.append(next((name for name, poly in polygons if poly.covers(point)), None))
    loop_rate = n / (time.perf_counter() - t)
    same = sum(a == b for a, b in zip(answers, fast_names, strict=True))
    print(
        f"naive covers() loop (plain polygons, county only) on {n:,} points: {loop_rate:,.0f} points/s; "
        f"answers identical on {same:,}/{n:,}"
    )
    exact_same = np.array_equal(clf.county_index(lon, lat), clf.exact_index(lon, lat))
    print(
        f"grid path identical to the exact vectorised test on all {args.points:,} points: {exact_same}; "
        f"load at the end {_load()}"
    )
    regions(args)


REGIONS = {
    "湖南 (108.5–114.5°E, 24.5–30.5°N)": (108.5, 24.5, 114.5, 30.5),
    "China's bounding box (73.5–135°E, 18–53.6°N)": (73.5, 18.0, 135.0, 53.6),
}


def peak_bytes(call) -> tuple[float, object]:
    """Peak traced bytes of one call beyond what was allocated before it, and its result."""
    tracemalloc.start()
    base = tracemalloc.get_traced_memory()[0]
    out = call()
    peak = tracemalloc.get_traced_memory()[1] - base
    tracemalloc.stop()
    return peak, out


def regions(args) -> None:
    """The default call over 湖南 and China against sjoin_nearest and a plain STRtree, in one run."""
    clf = get_classifier()
    t0 = time.perf_counter()
    segments, _ = clf.nearest_index
    for level in clf.levels:
        _ = level.built
    print(
        f"province and country grids ready in {time.perf_counter() - t0:.1f} s (built or loaded from the cache); "
        f"load {_load()}"
    )
    counties = load_counties().to_crs("EPSG:4546")[["name", "geometry"]]
    seg_tree = segments.tree
    n = args.region_points
    for label, (x0, y0, x1, y1) in REGIONS.items():
        rng = np.random.default_rng(2026)
        lon, lat = rng.uniform(x0, x1, n), rng.uniform(y0, y1, n)
        classify_points(lon[:250_000], lat[:250_000])  # warm
        median, best, full = _timed(args.repeat, lambda: classify_points(lon, lat))  # noqa: B023
        cpu = _cpu(lambda: classify_points(lon, lat))  # noqa: B023
        peak, _ = peak_bytes(lambda: classify_points(lon, lat))  # noqa: B023
        print(
            f"{label}: {n:,} points ({(~full['inside']).mean():.0%} outside), default call median "
            f"{median:.2f} s -> {n / median / 1e6:.2f} M points/s (best {n / best / 1e6:.2f}); CPU {cpu:.2f} s -> "
            f"{n / cpu / 1e6:.2f} M per CPU-second; peak {peak / n:.0f} bytes a point; load {_load()}"
        )
        k = min(args.peer, n)
        x, y = to_metric(lon[:k], lat[:k])
        pts = gpd.GeoDataFrame(geometry=gpd.points_from_xy(x, y), crs="EPSG:4546")
        t = time.perf_counter()
        joined = gpd.sjoin_nearest(pts, counties, distance_col="d")
        sjoin_time = time.perf_counter() - t
        joined = joined[~joined.index.duplicated(keep="first")].sort_index()
        t = time.perf_counter()
        seg_tree.query_nearest(shapely.points(x, y), return_distance=True, all_matches=False)
        tree_time = time.perf_counter() - t
        ours_rate = n / median
        print(
            f"  peers on the first {k:,} of the same points: sjoin_nearest {k / sjoin_time:,.0f} points/s "
            f"(ours {ours_rate / (k / sjoin_time):.0f}× faster), STRtree.query_nearest over "
            f"{len(segments.ax):,} segments {k / tree_time:,.0f} points/s (ours {ours_rate / (k / tree_time):.1f}× "
            f"faster; it gives the planar nearest segment only, no county or geodesic distance)"
        )
        ours = full.iloc[:k]
        out = ~ours["inside"].to_numpy()
        a = ours["nearest_county"].astype(object).to_numpy()[out]
        b = joined["name"].to_numpy()[out]
        seg, metres, qlon, qlat = clf.nearest_detail(lon[:k][out], lat[:k][out])
        differ = np.flatnonzero(a != b)
        # a differing answer is a near-tie when sjoin's county is, in the plane, about as near as ours:
        # the planar gap to our county, relative to the distance, against EPSG:4546's scale error there
        own_planar, _, _ = planar_nearest(segments, seg, x[out], y[out])
        gap = (own_planar[differ] - joined["d"].to_numpy()[out][differ]) / np.maximum(own_planar[differ], 1.0)
        u = (x[out][differ] - 500_000.0) / 6_371_000.0
        scale_err = u * u / 2 + 0.002  # EPSG:4546's scale error at that easting, plus the counties' width
        print(
            f"  nearest county identical to sjoin_nearest on {len(a) - len(differ):,}/{len(a):,} outside points; "
            f"{len(differ)} differ, of which {int((gap <= scale_err).sum())} are near-ties within EPSG:4546's "
            f"scale error (planar gap ≤ x²/2R² + 0.2% of the distance)"
        )
        check = differ[:100]  # the exact geodesic search settles who is right, on up to 100 of them
        exact_seg, _, _, _ = nearest_far(segments, lon[:k][out][check], lat[:k][out][check])
        right = int((clf.names[segments.owner[exact_seg]] == a[check]).sum())
        print(
            f"  of {len(check)} differing answers checked with the exact geodesic search, ours is its answer on {right}"
        )
        exact = GEOD.inv(lon[:k][out], lat[:k][out], qlon, qlat)[2]
        print(f"  distance vs pyproj.Geod to the reported nearest point: max abs {np.abs(exact - metres).max():.3f} m")


if __name__ == "__main__":
    main()
