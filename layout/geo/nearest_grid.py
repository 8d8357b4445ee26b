"""The adaptive grid around the city that stores, per cell, the few boundary segments that can be nearest
for some point of the cell (band and Voronoi tests; see :mod:`layout.geo.nearest`): building it, and
saving and loading it as a cache.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import shapely
from numpy.typing import NDArray

from layout.geo.array_file import MAGIC, load_arrays, save_arrays
from layout.geo.crs import to_metric
from layout.geo.segments import SAFE_REL, Segments, planar_nearest

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
    leaf_map: NDArray[np.int32] = field(default_factory=lambda: np.empty((0, 0), np.int32))  # from :meth:`expand`
    # per leaf: its first segment and its number of segments (from :meth:`expand`)
    first: NDArray[np.intp] = field(default_factory=lambda: np.empty(0, np.intp))
    count: NDArray[np.int32] = field(default_factory=lambda: np.empty(0, np.int32))
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
    safe_rel: float = SAFE_REL,
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
    safe_rel: float = SAFE_REL,
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
        d_centre, _, _ = planar_nearest(seg, s, centre[cell, 0], centre[cell, 1])
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


_STORED = ("node_x", "node_y", "block_map", "fine_maps", "offsets", "segs", "leaf_map", "first", "count")
_SCALARS = ("x0", "y0", "nx", "ny", "fine", "lattice_error")
GRID_SUFFIX = ".grid"  # the cache format of :mod:`layout.geo.array_file` (memory-mapped on load)


def grid_cache_key(seg: Segments, x0: float, y0: float, skip: NDArray[np.bool_], *extra: float) -> str:
    """A digest of everything :func:`build_grid` depends on: its inputs (``extra``: its options), this
    module's code and the cache format."""
    digest = hashlib.sha256(Path(__file__).read_bytes() + MAGIC)
    for array in (seg.ax, seg.ay, seg.dx, seg.dy, np.array([x0, y0, *extra]), np.packbits(skip), np.array(skip.shape)):
        digest.update(np.ascontiguousarray(array).tobytes())
    return digest.hexdigest()[:20]


def save_grid(grid: NearestGrid, path: Path) -> None:
    """Write the grid's arrays, the expanded leaf map included, to ``path`` atomically."""
    save_arrays(path, {k: getattr(grid, k) for k in _SCALARS}, {k: getattr(grid, k) for k in _STORED})


def load_grid(path: Path) -> NearestGrid:
    """The grid saved by :func:`save_grid`, its arrays memory-mapped (ValueError/OSError when the file is
    unusable)."""
    scalars, arrays = load_arrays(path)
    if set(scalars) != set(_SCALARS) or set(arrays) != set(_STORED):
        raise ValueError(f"{path.name}: not a nearest grid")
    grid = NearestGrid(
        x0=float(scalars["x0"]),
        y0=float(scalars["y0"]),
        nx=int(scalars["nx"]),
        ny=int(scalars["ny"]),
        fine=float(scalars["fine"]),
        lattice_error=float(scalars["lattice_error"]),
        **{k: arrays[k] for k in _STORED},
    )
    if grid.leaf_map.shape != (grid.ny, grid.nx) or grid.first.shape != grid.count.shape:
        raise ValueError(f"{path.name}: not a nearest grid")
    return grid
