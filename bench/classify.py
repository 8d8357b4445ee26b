"""Benchmark: classify_points on 1,000,000 random points over 益阳's bounding box, 湖南, China and the Earth.

Prints figures; asserts nothing about time. Reports the default call (county, zone, poles, nearest
county and geodesic distance), the lookup alone, the nearest-county agreement with
``geopandas.sjoin_nearest`` in EPSG:4546 and the distances against ``pyproj.Geod``, a naive per-point
loop, and the machine's load (the machine is shared: figures vary with it). Then the same default call on
points uniform over 湖南 (108.5–114.5°E, 24.5–30.5°N) and China's bounding box (73.5–135°E, 18–53.6°N),
and points uniform on the whole sphere, with its peers in the same run on the same points (a sample:
stated): ``geopandas.sjoin_nearest`` in EPSG:4546 (for the whole Earth in an azimuthal equidistant plane
on 益阳) and a plain STRtree ``query_nearest`` over the boundary segments in the same plane; the agreement
of the nearest county with them and with the exact geodesic search, distances against ``pyproj.Geod``,
and the call's peak memory (tracemalloc: numpy's buffers, beyond the inputs). Ends with the table of
docs/benchmarks.md.

    python bench/classify.py [--points 1000000] [--repeat 5] [--agree 50000] [--sample 20000]
                             [--region-points 1000000] [--peer 100000] [--world-points 100000]
                             [--world-peer 20000] [--exact 1000] [--regions-only]
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
    parser.add_argument("--world-points", type=int, default=100_000, help="points uniform on the sphere")
    parser.add_argument("--world-peer", type=int, default=20_000, help="of those, points the peers also run on")
    parser.add_argument("--exact", type=int, default=1_000, help="points checked with the exact search, a region")
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
WORLD = "whole Earth (uniform on the sphere)"
#: the peers' plane: EPSG:4546 near 益阳; for the whole Earth an azimuthal equidistant plane on 益阳
#: (distances from 益阳 exact; sjoin_nearest has no geodesic mode)
AEQD = "+proj=aeqd +lat_0=28.75 +lon_0=111.83 +ellps=WGS84 +units=m"


def peak_bytes(call) -> tuple[float, object]:
    """Peak traced bytes of one call beyond what was allocated before it, and its result."""
    tracemalloc.start()
    base = tracemalloc.get_traced_memory()[0]
    out = call()
    peak = tracemalloc.get_traced_memory()[1] - base
    tracemalloc.stop()
    return peak, out


def _points(label: str, box, n: int) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(2026)
    if label == WORLD:  # uniform on the sphere: latitude by arcsine of a uniform sine
        return rng.uniform(-180.0, 180.0, n), np.degrees(np.arcsin(rng.uniform(-1.0, 1.0, n)))
    return rng.uniform(box[0], box[2], n), rng.uniform(box[1], box[3], n)


def _times(ratio: float) -> str:
    return f"{ratio:,.0f}×" if ratio >= 10 else f"{ratio:.2f}×"


def regions(args) -> None:
    """The default call over 益阳's bbox, 湖南, China and the whole Earth against sjoin_nearest and a plain
    STRtree over the segments, in one run; a table of the figures at the end."""
    clf = get_classifier()
    t0 = time.perf_counter()
    segments, _ = clf.nearest_index
    for level in clf.levels:
        _ = level.built
    classify_points(np.array([-70.0, 10.0]), np.array([-30.0, 50.0]))  # the compiled loops, loaded once
    print(
        f"province and country grids ready in {time.perf_counter() - t0:.1f} s (built or loaded from the cache); "
        f"load {_load()}"
    )
    counties = load_counties()[["name", "geometry"]]
    city = tuple(shapely.total_bounds(clf.geoms))
    rows = []
    plan = [("益阳 bbox", city, args.region_points), *((k, v, args.region_points) for k, v in REGIONS.items())]
    plan.append((WORLD, None, args.world_points))
    for label, box, n in plan:
        lon, lat = _points(label, box, n)
        classify_points(lon[: n // 4], lat[: n // 4])  # warm
        load_before = _load()
        median, best, full = _timed(args.repeat, lambda: classify_points(lon, lat))  # noqa: B023
        cpu = _cpu(lambda: classify_points(lon, lat))  # noqa: B023
        peak, _ = peak_bytes(lambda: classify_points(lon, lat))  # noqa: B023
        outside = (~full["inside"]).mean()
        print(
            f"{label}: {n:,} points ({outside:.0%} outside), default call median {median:.2f} s -> "
            f"{n / median / 1e6:.2f} M points/s (best {n / best / 1e6:.2f}); CPU {cpu:.2f} s -> "
            f"{n / cpu / 1e6:.2f} M per CPU-second; peak {peak / n:.0f} bytes a point; load {load_before} -> {_load()}"
        )
        crs = AEQD if label == WORLD else "EPSG:4546"
        k = min(args.peer if label != WORLD else args.world_peer, n)
        pts = gpd.GeoDataFrame(geometry=gpd.points_from_xy(lon[:k], lat[:k]), crs="EPSG:4326").to_crs(crs)
        x, y = pts.geometry.x.to_numpy(), pts.geometry.y.to_numpy()
        projected = counties.to_crs(crs)
        t = time.perf_counter()
        joined = gpd.sjoin_nearest(pts, projected, distance_col="d")
        sjoin_rate = k / (time.perf_counter() - t)
        joined = joined[~joined.index.duplicated(keep="first")].sort_index()
        xy, ring = shapely.get_coordinates(
            shapely.get_parts(shapely.boundary(projected.geometry.to_numpy())), return_index=True
        )
        pair = np.flatnonzero(ring[1:] == ring[:-1])  # the boundary segments in the peers' plane
        seg_tree = shapely.STRtree(shapely.linestrings(np.stack([xy[pair], xy[pair + 1]], axis=1)))
        t = time.perf_counter()
        seg_tree.query_nearest(shapely.points(x, y), return_distance=True, all_matches=False)
        tree_rate = k / (time.perf_counter() - t)
        ours_rate = n / median
        print(
            f"  peers on the first {k:,} of the same points ({crs}): sjoin_nearest {sjoin_rate:,.0f} points/s "
            f"(ours {_times(ours_rate / sjoin_rate)}), STRtree.query_nearest over the boundary segments "
            f"{tree_rate:,.0f} points/s (ours {_times(ours_rate / tree_rate)}; it gives the planar nearest segment "
            f"only, no county or geodesic distance)"
        )
        ours = full.iloc[:k]
        out = ~ours["inside"].to_numpy()
        a = ours["nearest_county"].astype(object).to_numpy()[out]
        b = joined["name"].to_numpy()[out]
        differ = np.flatnonzero(a != b)
        seg, metres, qlon, qlat = clf.nearest_detail(lon[:k][out], lat[:k][out])
        check = differ[:100]  # the exact geodesic search settles who is right, on up to 100 of them
        exact_seg, _, _, _ = nearest_far(segments, lon[:k][out][check], lat[:k][out][check])
        right = int((clf.names[segments.owner[exact_seg]] == a[check]).sum())
        print(
            f"  nearest county identical to sjoin_nearest ({crs}, planar) on {len(a) - len(differ):,}/{len(a):,} "
            f"outside points; of {len(check)} differing answers checked with the exact geodesic search "
            f"(pyproj.Geod), ours is its answer on {right}"
        )
        sample = np.random.default_rng(7).choice(len(a), min(args.exact, len(a)), replace=False)
        exact_seg, exact_m, _, _ = nearest_far(segments, lon[:k][out][sample], lat[:k][out][sample])
        same = int((segments.owner[exact_seg] == segments.owner[seg[sample]]).sum())
        gap = np.abs(exact_m - metres[sample]).max()
        geod = np.abs(GEOD.inv(lon[:k][out], lat[:k][out], qlon, qlat)[2] - metres).max()
        print(
            f"  against the exact geodesic search on {len(sample):,} random outside points: county identical on "
            f"{same:,}, distance within {gap:.3f} m; distance vs pyproj.Geod to the reported nearest point on all "
            f"{len(a):,}: max abs {geod:.3f} m"
        )
        rows.append((label, n, median, cpu, peak / n, sjoin_rate, k, tree_rate, load_before))
    print("\n| input | ours: wall (CPU) | sjoin_nearest | STRtree over segments | peak | load |")
    print("|---|---|---|---|---|---|")
    for label, n, median, cpu, per_point, sjoin_rate, k, tree_rate, load in rows:
        rate = n / median
        print(
            f"| {label}, {n:,} points | {rate / 1e6:.2f} M/s ({n / cpu / 1e6:.2f} M per CPU-s) | "
            f"{sjoin_rate:,.0f} pts/s ({k:,} points); ours {_times(rate / sjoin_rate)} | "
            f"{tree_rate:,.0f} pts/s; ours {_times(rate / tree_rate)} | {per_point:.0f} B/point | {load} |"
        )


if __name__ == "__main__":
    main()
