"""Compiled (numba) point loops for the nearest-county grids: one pass a point, no temporaries.

The grids (:mod:`layout.geo.nearest_grid`) hold, per cell, the few boundary segments that can be nearest
for some point of the cell; these loops look a point's cell up, interpolate its plane position, measure
its candidates and keep the best, in one pass. The arithmetic is that of the numpy passes they replace
(same formulas, same order, same tie rule: the first of equal candidates), so the answers are the same;
numpy passes over 1–20 candidates a point spent most of their time on gathers and temporaries (~0.3 µs
a point over 湖南 against ~0.06 µs here). They release the GIL, so the two threads of
:func:`layout.geo.classify.classify_points` run them in parallel. Compiled once and cached on disk by numba.
"""

from __future__ import annotations

import math
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
    along the segment (:func:`layout.geo.nearest_far._refine`). ``ends``: lon_a, lat_a, lon_b, lat_b of
    the segments. Writes ``found`` and ``out`` (seg, metres, qlon, qlat; ``out[4]`` 1 where Vincenty did
    not converge: the caller measures those again exactly)."""
    lattice_error = frame[7]
    lon_a, lat_a, lon_b, lat_b = ends[0], ends[1], ends[2], ends[3]
    e2 = 1.0 - (1.0 - _F) ** 2
    feet = np.empty((2, _SEEN))  # the feet measured for the current point
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
            for k in range(start[j], stop[j]):
                s = segs[k]
                t = min(max(((px - ax[s]) * dx[s] + (py - ay[s]) * dy[s]) * inv_len2[s], 0.0), 1.0)
                low = min(low, math.hypot(px - (ax[s] + t * dx[s]), py - (ay[s] + t * dy[s])))
            limit = low * (1.0 + rank_rel) + 2.0 * lattice_error + 1.0
            best_s, best_m, best_t, best_az, blon, blat, bad = -1, np.inf, 0.0, 0.0, 0.0, 0.0, False
            nseen, shift = 0, 0.0
            cu_p, su_p = reduced(lat[i])
            for k in range(start[j], stop[j]):
                s = segs[k]
                t = min(max(((px - ax[s]) * dx[s] + (py - ay[s]) * dy[s]) * inv_len2[s], 0.0), 1.0)
                if math.hypot(px - (ax[s] + t * dx[s]), py - (ay[s] + t * dy[s])) > limit:
                    continue
                if t == 0.0:  # a vertex: two segments share it, measure it once
                    qlon, qlat = lon_a[s], lat_a[s]
                elif t == 1.0:
                    qlon, qlat = lon_b[s], lat_b[s]
                else:
                    qlon = lon_a[s] + t * (lon_b[s] - lon_a[s])
                    qlat = lat_a[s] + t * (lat_b[s] - lat_a[s])
                seen = False
                for j in range(min(nseen, _SEEN)):
                    if feet[0, j] == qlon and feet[1, j] == qlat:
                        seen = True
                if seen:
                    continue
                if nseen < _SEEN:
                    feet[0, nseen], feet[1, nseen] = qlon, qlat
                nseen += 1
                cu, su = reduced(qlat)
                m, az, ok, shift = vincenty_reduced(qlon, cu, su, lon[i], cu_p, su_p, shift)  # from the foot
                bad |= not ok
                if m < best_m:
                    best_s, best_m, best_t, best_az, blon, blat = s, m, t, az, qlon, qlat
            # one Newton step of the foot along the segment on the ellipsoid
            s = best_s
            sin2 = math.sin(math.radians(0.5 * (lat_a[s] + lat_b[s]))) ** 2
            w = 1.0 - e2 * sin2
            north = math.radians(lat_b[s] - lat_a[s]) * _A * (1.0 - _F) ** 2 / w**1.5
            east = math.radians(lon_b[s] - lon_a[s]) * _A / math.sqrt(w) * math.sqrt(1.0 - sin2)
            length = math.hypot(north, east)
            along = best_m * math.cos(best_az - math.atan2(east, north))
            t1 = min(max(best_t + along / max(length, 1e-9), 0.0), 1.0)
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


def grid_frame(grid) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """The scalars and the stacked bilinear coefficients a kernel needs from a
    :class:`~layout.geo.nearest_grid.NearestGrid` (computed once per grid)."""
    lcols = grid.node_x.shape[1] - 1
    ncell = (grid.node_x.shape[0] - 1) * lcols
    frame = np.array([grid.x0, grid.y0, grid.fine, grid.nx, grid.ny, lcols, ncell, grid.lattice_error])
    return frame, np.ascontiguousarray(np.stack(grid.bilinear, axis=1))  # a lattice cell's 8 in one line
