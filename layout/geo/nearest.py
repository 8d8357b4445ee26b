"""Nearest county and geodesic distance for points outside every county, vectorised.

How it works. The nearest point of a county to a point outside it lies on the county's boundary, a
polyline of ~6,800 segments. Around the city (its bounding box plus
:data:`~layout.geo.nearest_grid.MARGIN_DEG`) an adaptive grid stores, per cell, the few segments that can
be nearest for *some* point of the cell; a point then needs exact point-to-segment distances to those few
only (1–3 on average). A segment is kept for a cell when both hold (each test is conservative, so no
possible nearest segment is dropped):

* band: its distance from the cell centre is at most the centre's nearest distance plus the cell's
  diameter (the distance to the boundary is 1-Lipschitz);
* Voronoi: the cell meets the segment's normal slab (points whose foot falls inside the segment) or the
  normal wedge at its end vertex (points whose nearest point is that vertex).

The band test alone keeps ~10 segments per 200 m cell and grows with distance (a flat boundary 20 km
away has kilometres of it within one cell diameter); with the Voronoi test a cell keeps ~1–3, and cells
are split (0.128° → 0.032° → 0.008° → 0.002°) only where more remain. Alternatives measured on the same
1 M points: one GEOS ``query_nearest`` per point (0.06–0.2 M points/s), ``geopandas.sjoin_nearest``
(~11× slower still), a band-only 200 m grid (~10 candidates per point, build ~30 s), numpy passes over
the candidates column by column (the previous version: ~0.3 µs a point over 湖南, mostly gathers and
temporaries; the compiled loop of :mod:`layout.geo.nearest_kernels` takes ~0.1–0.2 µs, bound by the cache
misses of the grid's lookups).
Building the grid takes ~10–20 s, so it is built only for a call with many outside points
(``layout.geo.classify.NEAREST_GRID_MIN``); fewer points take the tree path, with the same answers.

The segments are in :mod:`layout.geo.segments`, the grid in :mod:`layout.geo.nearest_grid`; this module
answers the queries.

Distances are geodesic. Points and segments are in EPSG:4546 (Gauss-Krüger, CM 111°E, scale 1 on the
central meridian); the planar distance is divided by the projection's mean scale along the line,
``1 + mean(x²)/(2ρν) + mean(x⁴)/(24ρ²ν²)`` (x: easting from the central meridian), which is the
geodesic length to ~1e-7 for lines of a few hundred km here (checked against ``pyproj.Geod`` in
``bench/classify.py``); the nearest segment is chosen on the corrected distances. Points map to
EPSG:4546 by bilinear interpolation on a 0.008° lattice of exact pyproj values (error < 1 cm; pyproj per
point costs ~1 µs, too slow here).

Points beyond the grid take the tree path (GEOS nearest in EPSG:4546, then every segment within the
largest possible planar-vs-geodesic difference ranked by geodesic length) up to ~4.5° from 111°E; beyond
that (another province, another continent) an exact path: geodesic distances to vertices bound the
segments from below, and a golden-section search along each remaining one finds the minimum. Two
versions: :func:`nearest_far` with ``pyproj.Geod`` to every vertex (~200 points/s; the reference the
tests and the benchmark check against), and :func:`nearest_world`, compiled, which bounds groups and
chains of segments first and measures with Vincenty's formula (~10,000–15,000 points per CPU-second),
falling back to :func:`nearest_far` for the rare point where Vincenty does not converge.
"""

from __future__ import annotations

import numpy as np
import shapely
from numpy.typing import NDArray

from layout.geo.crs import to_metric
from layout.geo.nearest_grid import TREE_ZONE_DEG, NearestGrid
from layout.geo.segments import (
    FALSE_EASTING,
    GEOD,
    LAT_MID,
    M_PER_DEG,
    RHO_NU_MID,
    RHO_NU_SLOPE,
    SEG_EASTING,
    Y_MID,
    Segments,
    line_scale,
    mid_lat,
    planar_nearest,
)

# --------------------------------------------------------------------------------------------
# Queries


def kernel_args(grid: NearestGrid, seg: Segments) -> tuple:
    """The arrays :mod:`layout.geo.nearest_kernels` takes for ``grid`` over ``seg``, gathered once a grid."""
    args = grid.__dict__.get("_kernel_args")
    if args is None or args[0] is not seg:
        from layout.geo.nearest_kernels import grid_frame  # numba only when a call needs a kernel

        frame, coef = grid_frame(grid)
        arrays = (grid.leaf_map.ravel(), coef, grid.offsets, grid.segs, seg.ax, seg.ay, seg.dx, seg.dy, seg.inv_len2)
        args = (seg, frame, *arrays)
        grid.__dict__["_kernel_args"] = args
    return args[1:]


_SCALE = np.array([RHO_NU_MID, RHO_NU_SLOPE, LAT_MID, Y_MID, M_PER_DEG])


def query_grid(grid: NearestGrid, seg: Segments, lon: NDArray, lat: NDArray):
    """Nearest segment, geodesic distance (m) and nearest point (EPSG:4546) of the points that fall in a
    listed grid cell; ``found`` marks them (the others: beyond the grid, or in a cell answered as inside;
    their other values are undefined). One compiled pass (:func:`layout.geo.nearest_kernels.metric_query`):
    candidates ranked by the second-order line scale, the best's distance divided by the mean line scale.
    """
    from layout.geo.nearest_kernels import metric_query

    lon, lat = np.ascontiguousarray(lon, dtype=np.float64), np.ascontiguousarray(lat, dtype=np.float64)
    found, out = np.empty(len(lon), bool), np.empty((4, len(lon)))
    metric_query(lon, lat, *kernel_args(grid, seg), _SCALE, found, out)
    return found, out[0].astype(np.intp), out[1], out[2], out[3]


def nearest_by_tree(seg: Segments, lon: NDArray, lat: NDArray):
    """The same answers as :func:`query_grid` without the grid (for few points, or beyond it): the
    planar nearest segment from the tree, then every segment within the most the geodesic ranking can
    differ from the planar one, ranked by geodesic length. For points up to ~10° from 111°E."""
    px, py = to_metric(lon, lat)
    pts = shapely.points(px, py)
    (_, _), near = seg.tree.query_nearest(pts, return_distance=True, all_matches=False)
    reach = (np.abs(px - FALSE_EASTING) + SEG_EASTING) ** 2 * RHO_NU_MID  # bounds the scale spread
    pi, si = seg.tree.query(pts, predicate="dwithin", distance=near * (1.0 + reach) + 0.01)
    d, qx, qy = planar_nearest(seg, si, px[pi], py[pi])
    geo = d / line_scale(px[pi], qx, mid_lat(lat[pi], qy))
    order = np.lexsort((geo, pi))
    first = order[np.r_[True, pi[order][1:] != pi[order][:-1]]]
    return si[first], geo[first], qx[first], qy[first]


def _golden(lon: NDArray, lat: NDArray, s: NDArray, seg: Segments) -> tuple[NDArray, NDArray, NDArray]:
    """Geodesic minimum along segments ``s`` (pairwise with the points): distance and nearest lon/lat."""
    ratio = (np.sqrt(5.0) - 1.0) / 2.0

    def along(t: NDArray) -> tuple[NDArray, NDArray]:
        return (seg.lon_a[s] + t * (seg.lon_b[s] - seg.lon_a[s]), seg.lat_a[s] + t * (seg.lat_b[s] - seg.lat_a[s]))

    def dist(t: NDArray) -> NDArray:
        return GEOD.inv(lon, lat, *along(t))[2]

    lo, hi = np.zeros(len(s)), np.ones(len(s))
    t1, t2 = hi - ratio * (hi - lo), lo + ratio * (hi - lo)
    f1, f2 = dist(t1), dist(t2)
    for _ in range(36):  # the bracket shrinks to 0.618^36 ≈ 3e-8 of the segment (< 1 mm)
        left = f1 <= f2  # the minimum lies in [lo, t2]
        hi, lo = np.where(left, t2, hi), np.where(left, lo, t1)
        t_new = np.where(left, hi - ratio * (hi - lo), lo + ratio * (hi - lo))
        f_new = dist(t_new)
        t1, f1, t2, f2 = (
            np.where(left, t_new, t2),
            np.where(left, f_new, f2),
            np.where(left, t1, t_new),
            np.where(left, f1, f_new),
        )
    ts = np.stack([np.zeros(len(s)), np.ones(len(s)), (lo + hi) / 2])
    values = np.stack([dist(t) for t in ts])
    pick = values.argmin(axis=0)
    t = ts[pick, np.arange(len(s))]
    return values[pick, np.arange(len(s))], *along(t)


def in_tree_zone(lon: NDArray, lat: NDArray) -> NDArray[np.bool_]:
    """Points near enough to 111°E for the planar search and the scale formula (:func:`nearest_by_tree`)."""
    return (np.abs(lon - 111.0) <= TREE_ZONE_DEG) & (np.abs(lat - LAT_MID) <= TREE_ZONE_DEG)


def nearest_far(seg: Segments, lon: NDArray, lat: NDArray, *, chunk: int = 16):
    """Nearest segment and geodesic distance (m) by an exact search, for points anywhere on Earth:
    geodesic distances to every vertex bound each segment from below (triangle inequality,
    ``(d(a) + d(b) - length) / 2``); the segments that may beat the nearest vertex are searched along.
    ~6,800 ``Geod.inv`` calls a point (~200 points/s): for the rare point beyond ~600 km."""
    best = np.empty(len(lon), np.intp)
    metres, qlon, qlat = np.empty(len(lon)), np.empty(len(lon)), np.empty(len(lon))
    nv = len(seg.vert_lon)
    for lo in range(0, len(lon), chunk):
        plon, plat = lon[lo : lo + chunk], lat[lo : lo + chunk]
        g = GEOD.inv(
            np.repeat(plon, nv), np.repeat(plat, nv), np.tile(seg.vert_lon, len(plon)), np.tile(seg.vert_lat, len(plon))
        )[2].reshape(len(plon), nv)
        low = (g[:, seg.va] + g[:, seg.vb] - seg.length_m * 1.001) / 2
        pi, si = np.nonzero(low <= g.min(axis=1, keepdims=True) + 1e-6)
        d, ql, qa = _golden(plon[pi], plat[pi], si, seg)
        order = np.lexsort((d, pi))
        first = order[np.r_[True, pi[order][1:] != pi[order][:-1]]]
        idx = lo + pi[first]
        best[idx], metres[idx], qlon[idx], qlat[idx] = si[first], d[first], ql[first], qa[first]
    return best, metres, qlon, qlat


CHAIN, GROUP = 16, 16  # segments a chain, chains a group, bounded together by the world search


def _runs(breaks: NDArray[np.bool_], size: int) -> NDArray[np.intp]:
    """Starts (and the end) of runs of at most ``size`` items, a run also starting where ``breaks``."""
    starts = [0]
    for k in range(1, len(breaks)):  # a few thousand items, once
        if breaks[k] or k - starts[-1] >= size:
            starts.append(k)
    return np.array([*starts, len(breaks)], dtype=np.intp)


def _chains(seg: Segments) -> tuple:
    """Chains (runs of consecutive segments of one ring) and groups of chains, with their path lengths."""
    cached = seg.__dict__.get("_chains")
    if cached is None:
        ring_start = np.r_[True, seg.va[1:] != seg.vb[:-1]]  # a segment not continuing the one before
        chains = _runs(ring_start, CHAIN)
        groups = _runs(ring_start[chains[:-1]], GROUP)
        chain_len = np.add.reduceat(seg.length_m, chains[:-1])
        cached = seg.__dict__["_chains"] = (chains, chain_len, groups, np.add.reduceat(chain_len, groups[:-1]))
    return cached


def nearest_world(seg: Segments, lon: NDArray, lat: NDArray):
    """The answers of :func:`nearest_far` (nearest segment, geodesic metres, nearest lon/lat), for points
    anywhere on Earth, by a compiled search (:func:`layout.geo.nearest_kernels.far_query`): chains of
    segments are bounded from below first, so only the vertices near the nearest are measured (~1,000
    Vincenty calls a point instead of ~6,800 ``Geod.inv``). Points for which Vincenty does not converge
    (nearly antipodal to part of the boundary) are measured again by :func:`nearest_far`."""
    from layout.geo.nearest_kernels import far_query

    lon, lat = np.ascontiguousarray(lon, dtype=np.float64), np.ascontiguousarray(lat, dtype=np.float64)
    out = np.empty((5, len(lon)))
    far_query(lon, lat, seg.vert_lon, seg.vert_lat, seg.va, seg.vb, seg.length_m, *_chains(seg), out)
    best = out[0].astype(np.intp)
    redo = np.flatnonzero(out[4] != 0.0)
    if redo.size:
        best[redo], out[1, redo], out[2, redo], out[3, redo] = nearest_far(seg, lon[redo], lat[redo])
    return best, out[1], out[2], out[3]
