"""Compiled (numba) point loops for the nearest county: one pass a point, no temporaries.

The grids (:mod:`layout.geo.nearest_grid`) hold, per cell, the few boundary segments that can be nearest
for some point of the cell; :func:`metric_query` and :func:`geodesic_query` look a point's cell up,
interpolate its plane position, measure its candidates and keep the best, in one pass. The arithmetic is
that of the numpy passes they replace (same formulas and tie rule: the first of equal candidates; Vincenty
now stops per pair, not per array, and a vertex shared by two candidates is measured once), so the
answers are the same to well under a millimetre. The numpy passes over 1–20 candidates a point spent
most of their time on gathers and temporaries (~0.3 µs a point over 湖南 against ~0.15 µs here, which
is mostly the cache misses of the grid's lookups). :func:`far_query` is the exact search for points
anywhere. All release the GIL, so the two threads of :func:`layout.geo.classify.classify_points` run them
in parallel. Compiled on first use and cached on disk by numba (~0.15 s to import numba and load afterwards).

numba's cache is keyed by this file alone: the constants below repeat those of other modules on purpose
(tests/test_nearest_far.py checks that they agree).
"""

from __future__ import annotations

import contextlib
import math
import sys
from typing import Any

import numpy as np
from numba import njit
from numpy.typing import NDArray

NONE = -1  # :data:`layout.geo.nearest_grid.NONE`
NODE = 4  # :data:`layout.geo.nearest_grid.NODE`
FALSE_EASTING = 500_000.0  # the values of :mod:`layout.geo.segments`, repeated here as compile-time constants
_A, _F = 6378137.0, 1.0 / 298.257223563  # WGS84
_B = _A * (1.0 - _F)
_SEEN = 32  # feet remembered per point (to measure a shared vertex once)


def _load_numba_registries() -> None:
    """Load numba's numpy registries now with ``scipy.linalg`` and ``cffi`` hidden, when not imported yet.

    numba's first compile or cache load probes for BLAS by importing ``scipy.linalg`` (~0.2 s of CPU:
    scipy's array-API wrappers of numpy) and builds a cffi parser (~0.05 s), a seventh of a 1 M-row CLI
    run. These loops use neither BLAS (no ``np.dot``, ``np.linalg``) nor cffi functions, so numba is let
    to find none. Best effort: on any surprise in numba's internals the registries load later, as usual.
    """
    hidden = [name for name in ("scipy.linalg", "cffi") if name not in sys.modules]
    for name in hidden:
        sys.modules[name] = None  # type: ignore[assignment]  # an import of it raises ImportError
    try:
        with contextlib.suppress(Exception):
            from numba.core.registry import cpu_target

            cpu_target.typing_context.refresh()
            cpu_target.target_context.refresh()
    finally:
        for name in hidden:
            if name in sys.modules and sys.modules[name] is None:
                del sys.modules[name]


_load_numba_registries()


def _compiled(function) -> Any:
    """Compiled with numba: cached on disk, releasing the GIL (typed ``Any``: numba's types do not
    describe the compiled call)."""
    return njit(cache=True, nogil=True)(function)


_BLOCK = 512  # points located together: their cache misses overlap instead of following each other


@_compiled
def _locate(lon, lat, lo, hi, frame, leaf_map, coef, offsets, segs, start, stop, pxs, pys):
    """For points ``lo:hi``: the range of their cell's candidates in ``segs`` (``start`` = -1: beyond
    the grid or in a cell answered as inside) and their plane position by bilinear interpolation
    (:meth:`NearestGrid.leaf`, :meth:`NearestGrid.to_plane`). In three passes over the block, so that the
    random reads of the grid's large arrays (one cache miss each) are in flight together."""
    x0, y0, fine = frame[0], frame[1], frame[2]
    nx, ny, lcols, ncell = int(frame[3]), int(frame[4]), int(frame[5]), int(frame[6])
    x1, y1 = x0 + nx * fine, y0 + ny * fine
    for j in range(hi - lo):
        x, y = lon[lo + j], lat[lo + j]
        if x >= x0 and x < x1 and y >= y0 and y < y1:
            col = min(int((x - x0) * (1.0 / fine)), nx - 1)
            row = min(int((y - y0) * (1.0 / fine)), ny - 1)
            start[j] = leaf_map[row * nx + col]
        else:
            start[j] = NONE
    for j in range(hi - lo):
        leaf = start[j]
        if leaf >= 0:
            start[j], stop[j] = offsets[leaf], offsets[leaf + 1]
    for j in range(hi - lo):  # the first candidate's cache line (the rest mostly share it)
        if start[j] >= 0:
            stop[j] += min(segs[start[j]], 0)  # segs >= 0: adds nothing, but the read is kept
    for j in range(hi - lo):
        if start[j] < 0:
            continue
        gx = (lon[lo + j] - x0) * (1.0 / (fine * NODE))
        gy = (lat[lo + j] - y0) * (1.0 / (fine * NODE))
        ix, iy = int(gx), int(gy)
        fx, fy = gx - ix, gy - iy
        k = min(max(iy * lcols + ix, 0), ncell - 1)
        c = coef[k]
        pxs[j] = c[0] + fx * c[1] + fy * (c[2] + fx * c[3])
        pys[j] = c[4] + fx * c[5] + fy * (c[6] + fx * c[7])


@_compiled
def metric_query(lon, lat, frame, leaf_map, coef, offsets, segs, ax, ay, dx, dy, inv_len2, scale, found, out):
    """Nearest segment by EPSG:4546 line-scaled distance for points in a metric grid (city, province).

    ``frame``: x0, y0, fine, nx, ny, lattice columns, lattice cells; ``coef``: a lattice cell's 8 bilinear
    coefficients a row;
    ``scale``: RHO_NU_MID, its slope per degree, LAT_MID, the northing of LAT_MID on 111°E, metres a
    degree. Writes ``found`` and ``out`` (seg, metres, qx, qy as float64 rows; seg as a float)."""
    rho_nu, slope, lat_mid, y_mid, m_per_deg = scale[0], scale[1], scale[2], scale[3], scale[4]
    start, stop = np.empty(_BLOCK, np.int64), np.empty(_BLOCK, np.int64)
    pxs, pys = np.empty(_BLOCK), np.empty(_BLOCK)
    for lo in range(0, lon.size, _BLOCK):
        hi = min(lo + _BLOCK, lon.size)
        _locate(lon, lat, lo, hi, frame, leaf_map, coef, offsets, segs, start, stop, pxs, pys)
        for i in range(lo, hi):
            j = i - lo
            if start[j] < 0:
                found[i] = False
                out[0, i] = -1.0
                out[1:, i] = np.nan
                continue
            found[i] = True
            px, py = pxs[j], pys[j]
            best_s, best_d, best_g, bqx, bqy = -1, 0.0, np.inf, 0.0, 0.0
            u = px - FALSE_EASTING
            for k in range(start[j], stop[j]):
                s = segs[k]
                t = ((px - ax[s]) * dx[s] + (py - ay[s]) * dy[s]) * inv_len2[s]
                t = min(max(t, 0.0), 1.0)
                qx, qy = ax[s] + t * dx[s], ay[s] + t * dy[s]
                d = math.hypot(px - qx, py - qy)
                v = qx - FALSE_EASTING
                g = d / (1.0 + (u * u + u * v + v * v) * (rho_nu / 6.0))  # ranks candidates by geodesic length
                if g < best_g:
                    best_s, best_d, best_g, bqx, bqy = s, d, g, qx, qy
            # the mean line scale (:func:`layout.geo.segments.line_scale`) at the line's middle latitude
            mid = 0.5 * (lat[i] + lat_mid + (bqy - y_mid) * (1.0 / m_per_deg))
            v = bqx - FALSE_EASTING
            c = rho_nu + slope * (mid - lat_mid)
            u2, v2, uv = u * u, v * v, u * v
            m2 = (u2 + uv + v2) * (1.0 / 3.0)
            m4 = (u2 * (u2 + uv + v2) + v2 * (uv + v2)) * (1.0 / 5.0)
            out[0, i] = best_s
            out[1, i] = best_d / (1.0 + c * (0.5 * m2 + (c / 24.0) * m4))
            out[2, i] = bqx
            out[3, i] = bqy


@_compiled
def reduced(lat):
    """cos and sin of the reduced latitude of ``lat`` (degrees), the terms :func:`vincenty_reduced` takes."""
    t = (1.0 - _F) * math.tan(math.radians(lat))
    cu = 1.0 / math.sqrt(1.0 + t * t)
    return cu, t * cu


@_compiled
def vincenty(lon1, lat1, lon2, lat2, shift=0.0):
    """Geodesic distance (m, WGS84), the forward azimuth at the first point (radians from north), whether
    it converged and λ - L: Vincenty's inverse formula iterated to 1e-13 rad (20 rounds at most). Not for
    nearly antipodal points, where it converges slowly or not at all (the third value is False then).
    ``shift``: a first guess of λ - L (that of a nearby pair: 1–2 rounds fewer, the same answer)."""
    cu1, su1 = reduced(lat1)
    cu2, su2 = reduced(lat2)
    return vincenty_reduced(lon1, cu1, su1, lon2, cu2, su2, shift)


@_compiled
def vincenty_reduced(lon1, cu1, su1, lon2, cu2, su2, shift):
    """:func:`vincenty` from the reduced-latitude terms of both points (:func:`reduced`)."""
    big_l = math.radians(lon2 - lon1)
    lam = big_l + shift
    sc, cc = su1 * su2, cu1 * cu2
    scx, csx = su1 * cu2, cu1 * su2
    sl = cl = sin_s = cos_s = sigma = cos2a = c2sm = 0.0
    converged = False
    for _ in range(20):
        sl, cl = math.sin(lam), math.cos(lam)
        a, b = cu2 * sl, csx - scx * cl
        sin_s = math.sqrt(a * a + b * b)
        cos_s = sc + cc * cl
        sigma = math.atan2(sin_s, cos_s)
        sin_a = cc * sl / sin_s if sin_s > 0.0 else 0.0
        cos2a = 1.0 - sin_a * sin_a
        c2sm = cos_s - 2.0 * sc / cos2a if cos2a > 0.0 else 0.0
        c = _F / 16.0 * cos2a * (4.0 + _F * (4.0 - 3.0 * cos2a))
        new = big_l + (1.0 - c) * _F * sin_a * (sigma + c * sin_s * (c2sm + c * cos_s * (2.0 * c2sm * c2sm - 1.0)))
        done = abs(new - lam) < 1e-13
        lam = new
        if done:
            converged = True
            break
    u2 = cos2a * (_A * _A - _B * _B) / (_B * _B)
    big_a = 1.0 + u2 / 16384.0 * (4096.0 + u2 * (-768.0 + u2 * (320.0 - 175.0 * u2)))
    big_b = u2 / 1024.0 * (256.0 + u2 * (-128.0 + u2 * (74.0 - 47.0 * u2)))
    d_sigma = (
        big_b
        * sin_s
        * (
            c2sm
            + big_b
            / 4.0
            * (
                cos_s * (2.0 * c2sm * c2sm - 1.0)
                - big_b / 6.0 * c2sm * (4.0 * sin_s * sin_s - 3.0) * (4.0 * c2sm * c2sm - 3.0)
            )
        )
    )
    return _B * big_a * (sigma - d_sigma), math.atan2(cu2 * sl, csx - scx * cl), converged, lam - big_l


@_compiled
def geodesic_query(
    lon, lat, frame, leaf_map, coef, offsets, segs, ax, ay, dx, dy, inv_len2, ends, rank_rel, found, out
):
    """Nearest segment by ellipsoidal geodesic distance for points in a geodesic grid (the country's):
    candidates ranked in the plane, those within ``rank_rel`` of the best (plus twice the lattice error,
    ``frame[7]``, plus 1 m) measured with Vincenty from the planar foot, then one Newton step of the foot
    along the segment. ``ends`` (:func:`segment_ends`): per segment, its ends' lon/lat and
    reduced-latitude terms, its bearing and length. Writes ``found`` and ``out`` (seg, metres, qlon, qlat;
    ``out[4]`` 1 where Vincenty did not converge: the caller measures those again exactly)."""
    lattice_error = frame[7]
    lon_a, lat_a, lon_b, lat_b = ends[0], ends[1], ends[2], ends[3]
    cu_a, su_a, cu_b, su_b, bearing, seg_len = ends[4], ends[5], ends[6], ends[7], ends[8], ends[9]
    feet = np.empty((2, _SEEN))  # the feet measured for the current point
    cand = np.empty((2, _SEEN))
    start, stop = np.empty(_BLOCK, np.int64), np.empty(_BLOCK, np.int64)
    pxs, pys = np.empty(_BLOCK), np.empty(_BLOCK)
    for lo in range(0, lon.size, _BLOCK):
        hi = min(lo + _BLOCK, lon.size)
        _locate(lon, lat, lo, hi, frame, leaf_map, coef, offsets, segs, start, stop, pxs, pys)
        for i in range(lo, hi):
            j = i - lo
            if start[j] < 0:
                found[i] = False
                out[0, i] = -1.0
                out[1:, i] = np.nan
                continue
            found[i] = True
            px, py = pxs[j], pys[j]
            low = np.inf
            kept = stop[j] - start[j] <= _SEEN  # the candidates' distances and feet kept for the 2nd pass
            for k in range(start[j], stop[j]):
                s = segs[k]
                t = min(max(((px - ax[s]) * dx[s] + (py - ay[s]) * dy[s]) * inv_len2[s], 0.0), 1.0)
                d = math.hypot(px - (ax[s] + t * dx[s]), py - (ay[s] + t * dy[s]))
                low = min(low, d)
                if kept:
                    cand[0, k - start[j]], cand[1, k - start[j]] = d, t
            limit = low * (1.0 + rank_rel) + 2.0 * lattice_error + 1.0
            best_s, best_m, best_t, best_az, blon, blat, bad = -1, np.inf, 0.0, 0.0, 0.0, 0.0, False
            nseen, shift = 0, 0.0
            cu_p, su_p = reduced(lat[i])
            for k in range(start[j], stop[j]):
                s = segs[k]
                if kept:
                    d, t = cand[0, k - start[j]], cand[1, k - start[j]]
                else:
                    t = min(max(((px - ax[s]) * dx[s] + (py - ay[s]) * dy[s]) * inv_len2[s], 0.0), 1.0)
                    d = math.hypot(px - (ax[s] + t * dx[s]), py - (ay[s] + t * dy[s]))
                if d > limit:
                    continue
                if t == 0.0:  # a vertex: two segments share it, measure it once
                    qlon, qlat, cu, su = lon_a[s], lat_a[s], cu_a[s], su_a[s]
                elif t == 1.0:
                    qlon, qlat, cu, su = lon_b[s], lat_b[s], cu_b[s], su_b[s]
                else:
                    qlon = lon_a[s] + t * (lon_b[s] - lon_a[s])
                    qlat = lat_a[s] + t * (lat_b[s] - lat_a[s])
                    cu, su = reduced(qlat)
                seen = False
                for f in range(min(nseen, _SEEN)):
                    if feet[0, f] == qlon and feet[1, f] == qlat:
                        seen = True
                if seen:
                    continue
                if nseen < _SEEN:
                    feet[0, nseen], feet[1, nseen] = qlon, qlat
                nseen += 1
                m, az, ok, shift = vincenty_reduced(qlon, cu, su, lon[i], cu_p, su_p, shift)  # from the foot
                bad |= not ok
                if m < best_m:
                    best_s, best_m, best_t, best_az, blon, blat = s, m, t, az, qlon, qlat
            # one Newton step of the foot along the segment on the ellipsoid
            s = best_s
            length = seg_len[s]
            along = best_m * math.cos(best_az - bearing[s])
            t1 = min(max(best_t + along / length, 0.0), 1.0)
            if abs(t1 - best_t) * length > 0.01:
                lon1 = lon_a[s] + t1 * (lon_b[s] - lon_a[s])
                lat1 = lat_a[s] + t1 * (lat_b[s] - lat_a[s])
                cu, su = reduced(lat1)
                m1, _, ok, _ = vincenty_reduced(lon1, cu, su, lon[i], cu_p, su_p, shift)
                bad |= not ok
                if m1 < best_m:
                    best_m, blon, blat = m1, lon1, lat1
            out[0, i] = best_s
            out[1, i] = best_m
            out[2, i] = blon
            out[3, i] = blat
            out[4, i] = 1.0 if bad else 0.0


def segment_ends(seg) -> NDArray[np.float64]:
    """Rows lon_a, lat_a, lon_b, lat_b, the reduced-latitude cos/sin of a and of b, the bearing (radians
    from north) and the length (m, on the ellipsoid at the mean latitude) of each segment of ``seg``
    (:class:`~layout.geo.segments.Segments`): what :func:`geodesic_query` takes as ``ends``."""
    ell = 1.0 - _F
    rows = [seg.lon_a, seg.lat_a, seg.lon_b, seg.lat_b]
    for lat in (seg.lat_a, seg.lat_b):
        t = ell * np.tan(np.radians(lat))
        cu = 1.0 / np.sqrt(1.0 + t * t)
        rows += [cu, t * cu]
    sin2 = np.sin(np.radians(0.5 * (seg.lat_a + seg.lat_b))) ** 2
    w = 1.0 - (1.0 - ell**2) * sin2
    north = np.radians(seg.lat_b - seg.lat_a) * _A * ell**2 / w**1.5  # meridian radius × Δlat
    east = np.radians(seg.lon_b - seg.lon_a) * _A / np.sqrt(w) * np.sqrt(1.0 - sin2)
    rows += [np.arctan2(east, north), np.maximum(np.hypot(north, east), 1e-9)]
    return np.ascontiguousarray(np.stack(rows))


def grid_frame(grid) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """The scalars and the stacked bilinear coefficients a kernel needs from a
    :class:`~layout.geo.nearest_grid.NearestGrid` (computed once per grid)."""
    lcols = grid.node_x.shape[1] - 1
    ncell = (grid.node_x.shape[0] - 1) * lcols
    frame = np.array([grid.x0, grid.y0, grid.fine, grid.nx, grid.ny, lcols, ncell, grid.lattice_error])
    return frame, np.ascontiguousarray(np.stack(grid.bilinear, axis=1))  # a lattice cell's 8 in one line


_GOLDEN = (math.sqrt(5.0) - 1.0) / 2.0


@_compiled
def _golden(lon, cu_p, su_p, lon_a, lat_a, lon_b, lat_b, length):
    """Geodesic minimum from a point (lon; reduced terms cu_p, su_p) along the segment from (lon_a,
    lat_a) to (lon_b, lat_b), straight in lon/lat and ``length`` m long (:func:`layout.geo.nearest._golden`'s
    search, until the bracket is under 5 cm: at a minimum inside the segment, the distance then errs by
    < (5 cm)² / 2D, nothing at the ≥ 100 km this search serves): the distance, the fraction along it, and
    whether every Vincenty call converged."""
    ok_all = True

    def dist(t, ok_all):
        qlon, qlat = lon_a + t * (lon_b - lon_a), lat_a + t * (lat_b - lat_a)
        cu, su = reduced(qlat)
        m, _, ok, _ = vincenty_reduced(qlon, cu, su, lon, cu_p, su_p, 0.0)
        return m, ok_all and ok

    lo, hi = 0.0, 1.0
    t1, t2 = hi - _GOLDEN * (hi - lo), lo + _GOLDEN * (hi - lo)
    f1, ok_all = dist(t1, ok_all)
    f2, ok_all = dist(t2, ok_all)
    rounds = min(36, max(1, int(math.ceil(math.log(0.05 / max(length, 0.05)) / math.log(_GOLDEN)))))
    for _ in range(rounds):
        if f1 <= f2:  # the minimum lies in [lo, t2]
            hi = t2
            t2, f2 = t1, f1
            t1 = hi - _GOLDEN * (hi - lo)
            f1, ok_all = dist(t1, ok_all)
        else:
            lo = t1
            t1, f1 = t2, f2
            t2 = lo + _GOLDEN * (hi - lo)
            f2, ok_all = dist(t2, ok_all)
    best_t, best_m = 0.0, np.inf
    for t in (0.0, 1.0, (lo + hi) / 2):
        m, ok_all = dist(t, ok_all)
        if m < best_m:
            best_t, best_m = t, m
    return best_m, best_t, ok_all


@_compiled
def _vertex(g, v, vert_lon, vert_lat, lon, cu_p, su_p):
    """The distance to vertex ``v`` (measured once a point: ``g`` holds NaN until then), and whether
    Vincenty converged."""
    if not math.isnan(g[v]):
        return g[v], True
    cu, su = reduced(vert_lat[v])
    m, _, ok, _ = vincenty_reduced(vert_lon[v], cu, su, lon, cu_p, su_p, 0.0)
    g[v] = m
    return m, ok


@_compiled
def far_query(lon, lat, vert_lon, vert_lat, va, vb, length_m, chains, chain_len, groups, group_len, out):
    """Nearest segment by an exact geodesic search, for points anywhere (Vincenty in place of
    ``pyproj.Geod``; :func:`layout.geo.nearest.nearest_far`). Lower bounds by the triangle inequality:
    any point of a path of length L from vertex a to vertex b is at least ``(d(a) + d(b) - L) / 2`` away.
    First for groups of chains (``groups[k]:groups[k + 1]`` chains, ``group_len[k]`` m), then for the
    chains of the groups that may hold the minimum (``chains[k]:chains[k + 1]`` segments, consecutive
    in one ring, ``chain_len[k]`` m), then for their segments; golden-section search along the
    segments that may beat the nearest vertex. Writes ``out`` rows: seg, metres, qlon, qlat, and 1 where
    a Vincenty call did not converge (nearly antipodal pairs: the caller measures that point with
    ``pyproj.Geod``)."""
    g = np.empty(vert_lon.size)
    nchain, ngroup = chains.size - 1, groups.size - 1
    chain_lb = np.empty(nchain)
    group_lb = np.empty(ngroup)
    for i in range(lon.size):
        p = lon[i]
        cu_p, su_p = reduced(lat[i])
        ok_all = True
        g[:] = np.nan
        upper = np.inf
        for k in range(ngroup):  # every group's two end vertices
            a, b = va[chains[groups[k]]], vb[chains[groups[k + 1]] - 1]
            ga, ok1 = _vertex(g, a, vert_lon, vert_lat, p, cu_p, su_p)
            gb, ok2 = _vertex(g, b, vert_lon, vert_lat, p, cu_p, su_p)
            ok_all = ok_all and ok1 and ok2
            upper = min(upper, ga, gb)
            group_lb[k] = (ga + gb - group_len[k] * 1.001) / 2
        for k in range(ngroup):  # the chains of the groups that may hold a nearer point
            chain_lb[groups[k] : groups[k + 1]] = np.inf
            if group_lb[k] > upper + 1e-6:
                continue
            for c in range(groups[k], groups[k + 1]):
                a, b = va[chains[c]], vb[chains[c + 1] - 1]
                ga, ok1 = _vertex(g, a, vert_lon, vert_lat, p, cu_p, su_p)
                gb, ok2 = _vertex(g, b, vert_lon, vert_lat, p, cu_p, su_p)
                ok_all = ok_all and ok1 and ok2
                upper = min(upper, ga, gb)
                chain_lb[c] = (ga + gb - chain_len[c] * 1.001) / 2
        for c in range(nchain):  # the vertices of the chains that may hold a nearer point
            if chain_lb[c] > upper + 1e-6:
                continue
            for s in range(chains[c], chains[c + 1]):
                m, ok = _vertex(g, vb[s], vert_lon, vert_lat, p, cu_p, su_p)
                ok_all = ok_all and ok
                upper = min(upper, m)
        best_s, best_m, best_t = -1, np.inf, 0.0
        for c in range(nchain):
            if chain_lb[c] > upper + 1e-6:
                continue
            for s in range(chains[c], chains[c + 1]):
                if (g[va[s]] + g[vb[s]] - length_m[s] * 1.001) / 2 > upper + 1e-6:
                    continue
                a, b = va[s], vb[s]
                m, t, ok = _golden(p, cu_p, su_p, vert_lon[a], vert_lat[a], vert_lon[b], vert_lat[b], length_m[s])
                ok_all = ok_all and ok
                if m < best_m:
                    best_s, best_m, best_t = s, m, t
        a, b = va[best_s], vb[best_s]
        out[0, i] = best_s
        out[1, i] = best_m
        out[2, i] = vert_lon[a] + best_t * (vert_lon[b] - vert_lon[a])
        out[3, i] = vert_lat[a] + best_t * (vert_lat[b] - vert_lat[a])
        out[4, i] = 0.0 if ok_all else 1.0
