"""Nearest county and geodesic distance for points outside every county, vectorised.

How it works. The nearest point of a county to a point outside it lies on the county's boundary, a
polyline of ~6,800 segments. Around the city (its bounding box plus :data:`MARGIN_DEG`) an adaptive grid
stores, per cell, the few segments that can be nearest for *some* point of the cell; a point then needs
exact point-to-segment distances to those few only (1–3 on average). A segment is kept for a cell when
both hold (each test is conservative, so no possible nearest segment is dropped):

* band: its distance from the cell centre is at most the centre's nearest distance plus the cell's
  diameter (the distance to the boundary is 1-Lipschitz);
* Voronoi: the cell meets the segment's normal slab (points whose foot falls inside the segment) or the
  normal wedge at its end vertex (points whose nearest point is that vertex).

The band test alone keeps ~10 segments per 200 m cell and grows with distance (a flat boundary 20 km
away has kilometres of it within one cell diameter); with the Voronoi test a cell keeps ~1–3, and cells
are split (0.128° → 0.032° → 0.008° → 0.002°) only where more remain. Alternatives measured on the same
1 M points: one GEOS ``query_nearest`` per point (0.06–0.2 M points/s), ``geopandas.sjoin_nearest``
(~11× slower still), a band-only 200 m grid (~10 candidates per point, build ~30 s), all candidate pairs
flattened with ``np.minimum.reduceat`` (slower than the column-by-column pass below at 1–3 candidates).
Building the grid takes ~10–20 s, so it is built only for a call with many outside points
(``layout.geo.classify.NEAREST_GRID_MIN``); fewer points take the tree path, with the same answers.

Distances are geodesic. Points and segments are in EPSG:4546 (Gauss-Krüger, CM 111°E, scale 1 on the
central meridian); the planar distance is divided by the projection's mean scale along the line,
``1 + mean(x²)/(2ρν) + mean(x⁴)/(24ρ²ν²)`` (x: easting from the central meridian), which is the
geodesic length to ~1e-7 for lines of a few hundred km here (checked against ``pyproj.Geod`` in
``bench/classify.py``); the nearest segment is chosen on the corrected distances. Points map to
EPSG:4546 by bilinear interpolation on a 0.008° lattice of exact pyproj values (error < 1 cm; pyproj per
point costs ~1 µs, too slow here).

Points beyond the grid take the tree path (GEOS nearest in EPSG:4546, then every segment within the
largest possible planar-vs-geodesic difference ranked by geodesic length) up to ~4.5° from 111°E; beyond
that (another province, another continent) an exact path: ``pyproj.Geod`` distances to every vertex
bound the segments from below, and a golden-section search along each remaining one finds the minimum.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import shapely
from numpy.typing import NDArray
from pyproj import Geod

from layout.geo.crs import to_metric

FINE_DEG = 0.002  # the finest cell (the county grid's)
LEVELS = (64, 16, 4, 1)  # cell sides in fine cells: 0.128°, 0.032° (a block), 0.008°, 0.002°
BLOCK = 16  # fine cells per block side; the lookup map is per block, with 16×16 fine maps where needed
_BLOCK_BITS = 4
NODE = 4  # fine cells per side of the EPSG:4546 interpolation lattice (0.008°; error < 1 cm)
MARGIN_DEG = 0.5  # the grid reaches this far beyond the counties' bounds (~50 km)
TREE_ZONE_DEG = 4.5  # beyond the grid, points within this of 111°E, 28.75°N take the tree path (< 0.3 m)
NONE = -1  # no list: the cell lies inside a county
ROOT_BATCH = 16  # root cells built together (bounds the build's memory)
KSTOP = 2  # a cell with at most this many candidate segments is not split further
FALSE_EASTING = 500_000.0
GEOD = Geod(ellps="WGS84")
_A, _E2 = 6378137.0, 0.00669438002290  # GRS80 (EPSG:4546's ellipsoid)
_SAFE_REL = 2e-3  # relative slack for the geodesic-vs-planar difference in the filters (≥ 3× the worst)


# --------------------------------------------------------------------------------------------
# Segments


@dataclass
class Segments:
    """County boundary segments: EPSG:4546 start, vector and wedge at the end vertex; WGS84 ends."""

    ax: NDArray[np.float64]
    ay: NDArray[np.float64]
    dx: NDArray[np.float64]
    dy: NDArray[np.float64]
    inv_len2: NDArray[np.float64]
    owner: NDArray[np.int8]  # county index
    bis_x: NDArray[np.float64]  # unit bisector of the end vertex's normal wedge
    bis_y: NDArray[np.float64]
    half: NDArray[np.float64]  # the wedge's half angle (radians)
    lon_a: NDArray[np.float64]
    lat_a: NDArray[np.float64]
    lon_b: NDArray[np.float64]
    lat_b: NDArray[np.float64]
    length_m: NDArray[np.float64]  # geodesic length
    vert_lon: NDArray[np.float64]  # ring vertices (WGS84) and each segment's two
    vert_lat: NDArray[np.float64]
    va: NDArray[np.intp]
    vb: NDArray[np.intp]
    tree: shapely.STRtree


def build_segments(geoms: NDArray[np.object_], *, project=to_metric) -> Segments:
    """The boundary segments of WGS84 polygons ``geoms`` (repeated vertices dropped), in the plane of
    ``project`` (EPSG:4546 by default; :mod:`layout.geo.nearest_far` passes an azimuthal equidistant one)."""
    rings, owner = shapely.get_parts(shapely.boundary(geoms), return_index=True)
    lonlat, ring = shapely.get_coordinates(rings, return_index=True)
    keep = np.ones(len(ring), dtype=bool)
    keep[1:] = ~((ring[1:] == ring[:-1]) & np.all(lonlat[1:] == lonlat[:-1], axis=1))
    lonlat, ring = lonlat[keep], ring[keep]
    start = np.flatnonzero(ring[:-1] == ring[1:])  # segment k runs from vertex start[k] to start[k] + 1
    seg_ring = ring[start]
    first = np.full(ring.max() + 1, -1)
    first[seg_ring[::-1]] = np.arange(len(start))[::-1]
    nxt = np.arange(1, len(start) + 1)
    last = np.r_[seg_ring[1:] != seg_ring[:-1], True]
    nxt[last] = first[seg_ring[last]]  # rings are closed: the last segment continues with the first
    x, y = project(lonlat[:, 0], lonlat[:, 1])
    if project is to_metric and np.abs(x - FALSE_EASTING).max() > _SEG_EASTING:
        raise ValueError("county boundaries reach beyond the eastings the scale bounds assume")
    ax, ay = x[start], y[start]
    dx, dy = x[start + 1] - ax, y[start + 1] - ay
    norm = np.hypot(dx, dy)
    ux, uy = dx / norm, dy / norm
    vx, vy = ux[nxt], uy[nxt]
    turn = np.arctan2(ux * vy - uy * vx, ux * vx + uy * vy)
    # The directions d from the end vertex with d·u >= 0 and d·v <= 0 form a wedge of angle |turn| on
    # the convex side: centred at angle(u) + turn/2 - pi/2 for a left turn, + pi/2 for a right one.
    angle = np.arctan2(uy, ux) + turn / 2 + np.where(turn >= 0, -np.pi / 2, np.pi / 2)
    lon_a, lat_a = lonlat[start, 0], lonlat[start, 1]
    lon_b, lat_b = lonlat[start + 1, 0], lonlat[start + 1, 1]
    lines = shapely.linestrings(np.stack([np.c_[ax, ay], np.c_[ax + dx, ay + dy]], axis=1))
    return Segments(
        ax=ax,
        ay=ay,
        dx=dx,
        dy=dy,
        inv_len2=1.0 / (norm * norm),
        owner=owner[seg_ring].astype(np.int8),
        bis_x=np.cos(angle),
        bis_y=np.sin(angle),
        half=np.abs(turn) / 2,
        lon_a=lon_a,
        lat_a=lat_a,
        lon_b=lon_b,
        lat_b=lat_b,
        length_m=GEOD.inv(lon_a, lat_a, lon_b, lat_b)[2],
        vert_lon=lonlat[:, 0],
        vert_lat=lonlat[:, 1],
        va=start,
        vb=start + 1,
        tree=shapely.STRtree(lines),
    )


def _planar(seg: Segments, s: NDArray[np.intp], px: NDArray, py: NDArray) -> tuple[NDArray, NDArray, NDArray]:
    """Planar distance from points to segments ``s`` (pairwise), and the nearest points."""
    ax, ay, dx, dy = seg.ax.take(s), seg.ay.take(s), seg.dx.take(s), seg.dy.take(s)  # take: faster than []
    t = np.clip(((px - ax) * dx + (py - ay) * dy) * seg.inv_len2.take(s), 0.0, 1.0)
    qx, qy = ax + t * dx, ay + t * dy
    return np.hypot(px - qx, py - qy), qx, qy


def _inv_rho_nu(lat_deg: NDArray[np.float64] | float) -> NDArray[np.float64]:
    """1/(ρν), the Gaussian curvature, at geodetic latitude ``lat_deg`` (GRS80)."""
    w = 1.0 - _E2 * np.sin(np.radians(lat_deg)) ** 2
    return w * w / (_A * _A * (1.0 - _E2))


_LAT_MID = 28.75  # 益阳's middle latitude
_RHO_NU_MID = float(_inv_rho_nu(_LAT_MID))
_RHO_NU_SLOPE = float(_inv_rho_nu(_LAT_MID + 0.5) - _inv_rho_nu(_LAT_MID - 0.5))  # per degree
_SEG_EASTING = 250_000.0  # every boundary vertex lies within this of the central meridian (checked below)


_Y_MID, _M_PER_DEG = 3181560.897, 110_832.4  # EPSG:4546 northing of 28.75°N on 111°E, metres per degree


def _mid_lat(lat_deg: NDArray, qy: NDArray) -> NDArray:
    """The latitude halfway along a line from a point at ``lat_deg`` to a boundary point at northing
    ``qy`` (to ~0.01°: the boundary lies within 1° of 28.75°N)."""
    return 0.5 * (lat_deg + _LAT_MID + (qy - _Y_MID) * (1.0 / _M_PER_DEG))


def line_scale(x1: NDArray, x2: NDArray, lat_deg: NDArray) -> NDArray[np.float64]:
    """Mean EPSG:4546 scale factor along the straight line between eastings ``x1`` and ``x2`` (metres),
    at latitude ``lat_deg``: the ratio of the planar to the geodesic length."""
    u, v = x1 - FALSE_EASTING, x2 - FALSE_EASTING
    c = _RHO_NU_MID + _RHO_NU_SLOPE * (lat_deg - _LAT_MID)  # linear in latitude: 1e-6 of the term
    u2, v2, uv = u * u, v * v, u * v
    m2 = (u2 + uv + v2) * (1.0 / 3.0)
    m4 = (u2 * (u2 + uv + v2) + v2 * (uv + v2)) * (1.0 / 5.0)
    return 1.0 + c * (0.5 * m2 + (c / 24.0) * m4)


# --------------------------------------------------------------------------------------------
# The adaptive grid


@dataclass
class NearestGrid:
    x0: float
    y0: float
    nx: int  # fine cells
    ny: int
    node_x: NDArray[np.float64]  # EPSG:4546 easting/northing at the lattice nodes [row, col]
    node_y: NDArray[np.float64]
    block_map: NDArray[np.int32]  # [brow, bcol]: leaf id >= 0, NONE, or -(k + 2) for fine map k
    fine_maps: NDArray[np.int32]  # [k, row, col]: leaf id or NONE
    offsets: NDArray[np.int64]  # CSR: leaf i's segments are segs[offsets[i]:offsets[i + 1]]
    segs: NDArray[np.int32]
    leaf_map: NDArray[np.int32] = None  # [row, col] per fine cell, from :meth:`expand`
    first: NDArray[np.intp] = None  # per leaf: its first segment and its number of segments
    count: NDArray[np.int32] = None
    bilinear: tuple = ()  # per lattice cell: v00, v10-v00, v01-v00, v11-v10-v01+v00 of x, then of y
    fine: float = FINE_DEG  # the side of a fine cell (degrees)
    lattice_error: float = 0.0  # metres: bound on the interpolation error beyond the default lattice's

    def __post_init__(self) -> None:
        parts = []
        for node in (self.node_x, self.node_y):
            v00, v10, v01, v11 = node[:-1, :-1], node[:-1, 1:], node[1:, :-1], node[1:, 1:]
            parts += [v00, v10 - v00, v01 - v00, v11 - v10 - v01 + v00]
        self.bilinear = tuple(np.ascontiguousarray(p).ravel() for p in parts)

    def to_plane(self, lon: NDArray, lat: NDArray, *, edge: bool = False) -> tuple[NDArray, NDArray]:
        """Plane coordinates by bilinear interpolation (points inside the grid; ``edge``: also on its
        right and top edges)."""
        gx = (lon - self.x0) * (1.0 / (self.fine * NODE))
        gy = (lat - self.y0) * (1.0 / (self.fine * NODE))
        ix, iy = gx.astype(np.intp), gy.astype(np.intp)
        if edge:
            ix = np.minimum(ix, self.node_x.shape[1] - 2)
            iy = np.minimum(iy, self.node_x.shape[0] - 2)
        fx, fy = gx - ix, gy - iy
        iy *= self.node_x.shape[1] - 1
        iy += ix
        # eight contiguous coefficient arrays: ~2x faster than one (n, 8) row gather; "clip" keeps a
        # point rounded onto the far edge in the last lattice cell
        x0, x1, x2, x3, y0, y1, y2, y3 = (c.take(iy, mode="clip") for c in self.bilinear)
        return x0 + fx * x1 + fy * (x2 + fx * x3), y0 + fx * y1 + fy * (y2 + fx * y3)

    def covers(self, lon: NDArray, lat: NDArray) -> NDArray[np.bool_]:
        return (
            (lon >= self.x0)
            & (lon < self.x0 + self.nx * self.fine)
            & (lat >= self.y0)
            & (lat < self.y0 + self.ny * self.fine)
        )

    def leaf(self, lon: NDArray, lat: NDArray) -> NDArray[np.int32]:
        """Leaf id per point (points inside the grid), NONE for cells answered as inside a county."""
        col = np.minimum(((lon - self.x0) * (1.0 / self.fine)).astype(np.intp), self.nx - 1)
        row = np.minimum(((lat - self.y0) * (1.0 / self.fine)).astype(np.intp), self.ny - 1)
        row *= self.nx
        row += col
        return self.leaf_map.ravel().take(row)

    def expand(self) -> None:
        """The per-fine-cell leaf map from the block map and the fine maps (~4 bytes a fine cell: one
        gather per point instead of two), and per-leaf first segment and count."""
        full = np.repeat(np.repeat(self.block_map, BLOCK, axis=0), BLOCK, axis=1)
        split = self.block_map < NONE
        by, bx = np.nonzero(split)
        for y, x in zip(by, bx, strict=True):
            full[y * BLOCK : (y + 1) * BLOCK, x * BLOCK : (x + 1) * BLOCK] = self.fine_maps[-self.block_map[y, x] - 2]
        self.leaf_map = full
        self.first = self.segs[self.offsets[:-1]].astype(np.intp)
        self.count = np.diff(self.offsets).astype(np.int32)


def _cells_geometry(grid: NearestGrid, ix: NDArray, iy: NDArray, size: int):
    """Planar corners (n, 4, 2), centre, radius and tolerance of cells ``size`` fine cells wide."""
    lon0, lat0 = grid.x0 + ix * size * grid.fine, grid.y0 + iy * size * grid.fine
    w = size * grid.fine
    clon = np.stack([lon0, lon0 + w, lon0 + w, lon0], axis=1)
    clat = np.stack([lat0, lat0, lat0 + w, lat0 + w], axis=1)
    cx, cy = grid.to_plane(clon.ravel(), clat.ravel(), edge=True)
    corners = np.stack([cx, cy], axis=1).reshape(-1, 4, 2)
    centre = corners.mean(axis=1)
    radius = np.sqrt(((corners - centre[:, None, :]) ** 2).sum(axis=2)).max(axis=1)
    # Cells wider than a lattice step are not exact quadrilaterals in the plane: their edges bow by
    # up to ~2 m at 0.128°; 1e-3 of the radius plus 5 cm covers that and the lattice error.
    return corners, centre, radius, radius * 1e-3 + 0.05 + grid.lattice_error


def _keep(
    seg: Segments,
    s: NDArray,
    cell: NDArray,
    corners: NDArray,
    centre: NDArray,
    radius: NDArray,
    tol: NDArray,
    near: NDArray,
    d_centre: NDArray,
    safe_rel: float = _SAFE_REL,
    angle_rel: float | None = None,
    angle_per_m: float = 0.0,
) -> NDArray[np.bool_]:
    """The band and Voronoi tests for pairs (``cell``, segment ``s``); cell arrays are per cell. Each test
    runs only on the pairs the previous ones left undecided. ``safe_rel`` bounds the relative distance
    error of the plane, ``angle_rel + angle_per_m * distance`` (``angle_rel`` default: ``safe_rel``) the
    direction error (radians) of a line from the boundary to a point of the cell."""
    angle_rel = safe_rel if angle_rel is None else angle_rel
    reach = near[cell] + 2.0 * radius[cell]
    keep = d_centre <= reach * (1.0 + safe_rel) + 2.0 * tol[cell]
    at = np.flatnonzero(keep)
    s, c = s[at], cell[at]
    angle = angle_rel + angle_per_m * reach[at]
    slack = reach[at] * angle + tol[c]  # metres a foot or wedge edge may move (geodesic vs planar, lattice)
    box = corners[c]
    # slab: the cell's projection on the segment's direction overlaps [0, |d|²]
    dx, dy = seg.dx[s], seg.dy[s]
    proj = (box[:, :, 0] - seg.ax[s][:, None]) * dx[:, None] + (box[:, :, 1] - seg.ay[s][:, None]) * dy[:, None]
    length = 1.0 / np.sqrt(seg.inv_len2[s])
    slab = (proj.max(axis=1) >= -slack * length) & (proj.min(axis=1) <= length * (length + slack))
    # wedge at the end vertex b (pairs outside the slab): the cell's angular extent seen from b meets it
    w = np.flatnonzero(~slab)
    s, box, slack, c, angle = s[w], box[w], slack[w], c[w], angle[w]
    bx, by = seg.ax[s] + seg.dx[s], seg.ay[s] + seg.dy[s]
    rel_x, rel_y = box[:, :, 0] - bx[:, None], box[:, :, 1] - by[:, None]
    cos_, sin_ = seg.bis_x[s][:, None], seg.bis_y[s][:, None]
    psi = np.arctan2(cos_ * rel_y - sin_ * rel_x, cos_ * rel_x + sin_ * rel_y)
    gap = np.maximum(np.hypot(centre[c, 0] - bx, centre[c, 1] - by) - radius[c], 1e-9)
    alpha = seg.half[s] + angle + slack / gap
    lo, hi = psi.min(axis=1), psi.max(axis=1)
    wrapped = hi - lo > np.pi
    wedge = np.where(wrapped, (hi <= alpha) | (lo >= -alpha), (lo <= alpha) & (hi >= -alpha))
    wedge |= gap <= slack  # the vertex lies in (or next to) the cell
    slab[w] = wedge
    keep[at] = slab
    return keep


def _lattice_error(grid: NearestGrid, project) -> float:
    """The largest distance (m) between interpolated and exact plane positions, on the midpoints and
    third points of every lattice cell (where bilinear interpolation errs most)."""
    step = grid.fine * NODE
    worst = 0.0
    for fx, fy in ((0.5, 0.5), (0.5, 0.0), (0.0, 0.5), (1 / 3, 2 / 3), (2 / 3, 1 / 3)):
        lon = grid.x0 + (np.arange(grid.nx // NODE) + fx) * step
        lat = grid.y0 + (np.arange(grid.ny // NODE) + fy) * step
        glon, glat = (a.ravel() for a in np.meshgrid(lon, lat))
        ex, ey = project(glon, glat)
        ix, iy = grid.to_plane(glon, glat)
        worst = max(worst, float(np.nanmax(np.hypot(ex - ix, ey - iy))))
    return worst


def build_grid(
    seg: Segments,
    x0: float,
    y0: float,
    skip: NDArray[np.bool_],
    *,
    fine: float = FINE_DEG,
    project=to_metric,
    safe_rel: float = _SAFE_REL,
    angle_rel: float | None = None,
    angle_per_m: float = 0.0,
) -> NearestGrid:
    """The adaptive grid of fine cells from (``x0``, ``y0``), ``skip.shape`` (rows, cols) of them, a
    multiple of the root cell; cells wholly ``skip`` (answered as inside a county, or by a finer grid)
    get no list. ``fine`` is the fine cell's side, ``project`` the plane of ``seg`` and ``safe_rel`` the
    relative slack covering the difference between planar and geodesic distances in that plane, ``angle_rel``
    (default ``safe_rel``) plus ``angle_per_m`` times the distance the slack covering its direction error
    (radians)."""
    root = LEVELS[0]
    ny, nx = skip.shape
    nry, nrx = ny // root, nx // root
    lon_n = x0 + np.arange(nx // NODE + 1) * NODE * fine
    lat_n = y0 + np.arange(ny // NODE + 1) * NODE * fine
    glon, glat = np.meshgrid(lon_n, lat_n)
    node_x, node_y = project(glon.ravel(), glat.ravel())
    grid = NearestGrid(
        x0=x0,
        y0=y0,
        nx=nx,
        ny=ny,
        node_x=node_x.reshape(glon.shape),
        node_y=node_y.reshape(glon.shape),
        block_map=np.full((ny // BLOCK, nx // BLOCK), NONE, np.int32),
        fine_maps=np.empty((0, BLOCK, BLOCK), np.int32),
        offsets=np.zeros(1, np.int64),
        segs=np.empty(0, np.int32),
        fine=fine,
    )
    if fine != FINE_DEG or project is not to_metric:  # bound the lattice's interpolation error by sampling
        grid.lattice_error = 2.0 * _lattice_error(grid, project)
    summed = np.zeros((ny + 1, nx + 1), np.int32)  # summed-area table of skip
    summed[1:, 1:] = skip.cumsum(axis=0, dtype=np.int32).cumsum(axis=1, dtype=np.int32)

    def needed(ix: NDArray, iy: NDArray, size: int) -> NDArray[np.bool_]:
        r0, c0, r1, c1 = iy * size, ix * size, (iy + 1) * size, (ix + 1) * size
        return summed[r1, c1] - summed[r0, c1] - summed[r1, c0] + summed[r0, c0] < size * size

    # Root cells, a batch at a time (a far root cell can hold thousands of candidates, and its 4×4
    # children inherit them): candidates from the tree, then the tests level by level.
    iy_all, ix_all = np.divmod(np.arange(nrx * nry), nrx)
    use = needed(ix_all, iy_all, root)
    ix_all, iy_all = ix_all[use], iy_all[use]
    leaves: list[tuple[int, NDArray, NDArray, NDArray, NDArray]] = []  # (size, ix, iy, offsets, segs)
    for lo in range(0, len(ix_all), ROOT_BATCH):
        ix, iy = ix_all[lo : lo + ROOT_BATCH], iy_all[lo : lo + ROOT_BATCH]
        leaves += _build_roots(grid, seg, ix, iy, needed, safe_rel, angle_rel, angle_per_m)
    return _assemble(grid, leaves)


def _build_roots(
    grid: NearestGrid,
    seg: Segments,
    ix: NDArray,
    iy: NDArray,
    needed,
    safe_rel: float,
    angle_rel: float | None,
    angle_per_m: float,
) -> list:
    """The leaves under root cells (``ix``, ``iy``): (size, ix, iy, offsets, segs) per level."""
    root = LEVELS[0]
    corners, centre, radius, tol = _cells_geometry(grid, ix, iy, root)
    pts = shapely.points(centre)
    (_, _), near = seg.tree.query_nearest(pts, return_distance=True, all_matches=False)
    cell, s = seg.tree.query(pts, predicate="dwithin", distance=(near + 2 * radius) * (1 + safe_rel) + 2 * tol)
    leaves = []
    for level, size in enumerate(LEVELS):
        d_centre, _, _ = _planar(seg, s, centre[cell, 0], centre[cell, 1])
        if level > 0:  # the nearest distance of each centre, from its parent's candidates
            near = np.full(len(ix), np.inf)
            np.minimum.at(near, cell, d_centre)
        keep = _keep(seg, s, cell, corners, centre, radius, tol, near, d_centre, safe_rel, angle_rel, angle_per_m)
        cell, s = cell[keep], s[keep]
        count = np.bincount(cell, minlength=len(ix))
        order = np.argsort(cell, kind="stable")
        cell, s = cell[order], s[order]
        start = np.r_[0, np.cumsum(count)]
        final = (count <= KSTOP) | (level == len(LEVELS) - 1)
        fin = np.flatnonzero(final)
        pair_fin = final[cell]
        leaves.append((size, ix[fin], iy[fin], np.r_[0, np.cumsum(count[fin])], s[pair_fin]))
        if final.all():
            break
        # split the others into 4×4 children, each inheriting its parent's candidates
        split = np.flatnonzero(~final)
        factor = size // LEVELS[level + 1]
        sub_y, sub_x = np.divmod(np.arange(factor * factor), factor)
        child_parent = np.repeat(split, factor * factor)
        ix = (ix[split][:, None] * factor + sub_x).ravel()
        iy = (iy[split][:, None] * factor + sub_y).ravel()
        use = needed(ix, iy, LEVELS[level + 1])
        ix, iy, child_parent = ix[use], iy[use], child_parent[use]
        corners, centre, radius, tol = _cells_geometry(grid, ix, iy, LEVELS[level + 1])
        # pairs (child, candidate of its parent)
        n_par = count[child_parent]
        cell = np.repeat(np.arange(len(ix)), n_par)
        first = np.repeat(start[child_parent], n_par)
        within = np.arange(n_par.sum()) - np.repeat(np.cumsum(n_par) - n_par, n_par)
        s = s[first + within]
    return leaves


def _assemble(grid: NearestGrid, leaves: list) -> NearestGrid:
    """Write leaves of every level into the block map and the fine maps; concatenate their lists."""
    offsets, segs, small, base, total = [np.zeros(1, np.int64)], [], [], 0, 0
    for size, ix, iy, off, s in leaves:
        ids = base + np.arange(len(ix), dtype=np.int32)
        offsets.append(off[1:] + total)
        total += int(off[-1])
        segs.append(s.astype(np.int32))
        base += len(ix)
        if size >= BLOCK:
            per = size // BLOCK
            for dy in range(per):
                for dx in range(per):
                    grid.block_map[iy * per + dy, ix * per + dx] = ids
        else:
            small.append((size, ix, iy, ids))
    if small:
        nbx = grid.block_map.shape[1]
        keys = np.concatenate([(iy * size // BLOCK) * nbx + ix * size // BLOCK for size, ix, iy, _ in small])
        blocks, index = np.unique(keys, return_inverse=True)
        grid.block_map.ravel()[blocks] = -2 - np.arange(len(blocks), dtype=np.int32)
        fine = np.full((len(blocks), BLOCK, BLOCK), NONE, np.int32)
        at = 0
        for size, ix, iy, ids in small:
            k = index[at : at + len(ix)]
            at += len(ix)
            row0, col0 = (iy * size) % BLOCK, (ix * size) % BLOCK
            for dy in range(size):
                for dx in range(size):
                    fine[k, row0 + dy, col0 + dx] = ids
        grid.fine_maps = fine
    grid.offsets = np.concatenate(offsets)
    grid.segs = np.concatenate(segs)
    grid.expand()
    return grid


_STORED = ("node_x", "node_y", "block_map", "fine_maps", "offsets", "segs")
_SCALARS = ("x0", "y0", "nx", "ny", "fine", "lattice_error")


def grid_cache_key(seg: Segments, x0: float, y0: float, skip: NDArray[np.bool_], *extra: float) -> str:
    """A digest of everything :func:`build_grid` depends on: its inputs (``extra``: its options) and this
    module's code."""
    digest = hashlib.sha256(Path(__file__).read_bytes())
    for array in (seg.ax, seg.ay, seg.dx, seg.dy, np.array([x0, y0, *extra]), np.packbits(skip), np.array(skip.shape)):
        digest.update(np.ascontiguousarray(array).tobytes())
    return digest.hexdigest()[:20]


def save_grid(grid: NearestGrid, path: Path) -> None:
    """Write the grid's arrays to ``path`` (.npz) atomically."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    with open(tmp, "wb") as fh:
        np.savez(fh, **{k: getattr(grid, k) for k in _SCALARS + _STORED})
    os.replace(tmp, path)


def load_grid(path: Path) -> NearestGrid:
    """The grid saved by :func:`save_grid` (ValueError/OSError when the file is unusable)."""
    with np.load(path, allow_pickle=False) as data:
        grid = NearestGrid(
            x0=float(data["x0"]),
            y0=float(data["y0"]),
            nx=int(data["nx"]),
            ny=int(data["ny"]),
            fine=float(data["fine"]),
            lattice_error=float(data["lattice_error"]),
            **{k: data[k] for k in _STORED},
        )
    grid.expand()
    return grid


# --------------------------------------------------------------------------------------------
# Queries


def _rank_scale(px: NDArray, qx: NDArray) -> NDArray:
    """The second-order line scale: enough to rank candidates of one point by geodesic length."""
    u, v = px - FALSE_EASTING, qx - FALSE_EASTING
    return 1.0 + (u * u + u * v + v * v) * (_RHO_NU_MID / 6.0)


def query_grid(grid: NearestGrid, seg: Segments, lon: NDArray, lat: NDArray):
    """Nearest segment, geodesic distance (m) and nearest point (EPSG:4546) of the points that fall in a
    listed grid cell; ``found`` marks them (the others: beyond the grid, or in a cell answered as inside).

    A numba-compiled version of this query (one pass a point) ran no faster here than these numpy
    passes (~1 µs a point on the loaded 2-core machine, both), so the dependency was not added.
    """
    n = len(lon)
    found = grid.covers(lon, lat)
    if found.all():  # the usual case: no copies
        leaf = grid.leaf(lon, lat)
        if (listed := leaf != NONE).all():
            return found, *nearest_in_grid(grid, seg, lon, lat, leaf)
        at = np.flatnonzero(listed)
        leaf = leaf[at]
    else:
        at = np.flatnonzero(found)
        leaf = grid.leaf(lon[at], lat[at])
        at, leaf = at[leaf != NONE], leaf[leaf != NONE]
    found[:] = False
    found[at] = True
    seg_out, m, qx, qy = np.full(n, -1, np.intp), np.full(n, np.nan), np.full(n, np.nan), np.full(n, np.nan)
    if at.size:
        seg_out[at], m[at], qx[at], qy[at] = nearest_in_grid(grid, seg, lon[at], lat[at], leaf)
    return found, seg_out, m, qx, qy


CHUNK = 32_768  # points per pass: the pass's temporary arrays stay in the CPU cache (5–10% faster here)


def nearest_in_grid(grid: NearestGrid, seg: Segments, lon: NDArray, lat: NDArray, leaf: NDArray):
    """Nearest segment, geodesic distance (m) and nearest point (EPSG:4546) for points inside the grid,
    whose leaf ids (:meth:`NearestGrid.leaf`, not NONE) are ``leaf``."""
    if len(lon) <= CHUNK:
        return _nearest_in_grid(grid, seg, lon, lat, leaf)
    out = (np.empty(len(lon), np.intp), np.empty(len(lon)), np.empty(len(lon)), np.empty(len(lon)))
    for lo in range(0, len(lon), CHUNK):
        sl = slice(lo, lo + CHUNK)
        for array, part in zip(out, _nearest_in_grid(grid, seg, lon[sl], lat[sl], leaf[sl]), strict=True):
            array[sl] = part
    return out


def _nearest_in_grid(grid: NearestGrid, seg: Segments, lon: NDArray, lat: NDArray, leaf: NDArray):
    """Candidates are taken column by column (every point's first, then the second of those that have
    one, ...): with 1–3 candidates a point this does less work than flattening all pairs."""
    px, py = grid.to_plane(lon, lat)
    best = grid.first.take(leaf)
    dist, qx, qy = _planar(seg, best, px, py)
    count = grid.count.take(leaf)
    rest = np.flatnonzero(count > 1)
    if rest.size:  # the points with more candidates, in arrays of their own (scattered back once)
        rpx, rpy, rcount, start = px[rest], py[rest], count[rest], grid.offsets[leaf[rest]]
        rbest, rdist, rqx, rqy = best[rest], dist[rest], qx[rest], qy[rest]
        rgeo = rdist / _rank_scale(rpx, rqx)
        idx = np.arange(rest.size)
        j = 1
        while idx.size:
            s = grid.segs.take(start[idx] + j).astype(np.intp)
            x_, y_ = rpx.take(idx), rpy.take(idx)
            d, x, y = _planar(seg, s, x_, y_)
            g = d / _rank_scale(x_, x)
            better = g < rgeo[idx]
            at = idx[better]
            rbest[at], rdist[at], rqx[at], rqy[at], rgeo[at] = s[better], d[better], x[better], y[better], g[better]
            j += 1
            idx = idx[rcount[idx] > j]
        best[rest], dist[rest], qx[rest], qy[rest] = rbest, rdist, rqx, rqy
    return best, dist / line_scale(px, qx, _mid_lat(lat, qy)), qx, qy


def nearest_by_tree(seg: Segments, lon: NDArray, lat: NDArray):
    """The same answers as :func:`nearest_in_grid` without the grid (for few points, or beyond it): the
    planar nearest segment from the tree, then every segment within the most the geodesic ranking can
    differ from the planar one, ranked by geodesic length. For points up to ~10° from 111°E."""
    px, py = to_metric(lon, lat)
    pts = shapely.points(px, py)
    (_, _), near = seg.tree.query_nearest(pts, return_distance=True, all_matches=False)
    reach = (np.abs(px - FALSE_EASTING) + _SEG_EASTING) ** 2 * _RHO_NU_MID  # bounds the scale spread
    pi, si = seg.tree.query(pts, predicate="dwithin", distance=near * (1.0 + reach) + 0.01)
    d, qx, qy = _planar(seg, si, px[pi], py[pi])
    geo = d / line_scale(px[pi], qx, _mid_lat(lat[pi], qy))
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
    return (np.abs(lon - 111.0) <= TREE_ZONE_DEG) & (np.abs(lat - _LAT_MID) <= TREE_ZONE_DEG)


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
