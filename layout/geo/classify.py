"""Which county, zone and poles is a point in? Vectorised over arrays of points.

A precomputed grid answers most points by array lookup: a cell that no county boundary crosses lies
wholly inside one county (or wholly outside 益阳), so its centre's answer holds for every point in it.
Only points in cells a boundary crosses get the exact shapely 2 test on prepared geometry. Points
outside get their nearest county and geodesic distance from :mod:`layout.geo.nearest`.
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import numpy as np
import pandas as pd
import pyproj
import shapely
from numpy.typing import ArrayLike, NDArray

from layout.geo import crs as crs_module
from layout.geo import segments as segments_module
from layout.geo.array_file import MAGIC, load_arrays, save_arrays
from layout.geo.boundaries import county_arrays
from layout.geo.crs import check_crs, from_metric, is_placeholder, to_wgs84
from layout.geo.nearest import in_tree_zone, nearest_by_tree, nearest_world, query_grid
from layout.geo.nearest_far import Level, build_levels, query_level
from layout.geo.nearest_grid import (
    GRID_SUFFIX,
    LEVELS,
    MARGIN_DEG,
    NearestGrid,
    build_grid,
    grid_cache_key,
    load_grid,
    save_grid,
)
from layout.geo.segments import Segments, build_segments
from layout.geo.table_crs import read_point
from layout.plan.zones import load_zone_model
from layout.settings import cache_dir

__all__ = [
    "BOUNDARY",
    "Classifier",
    "FAR_MIN",
    "GRID_CELL_DEG",
    "GRID_FILES",
    "GRID_MIN_POINTS",
    "LEVELS_MIN",
    "NEAREST_GRID_MIN",
    "RESULT_COLUMNS",
    "WHERE_KEYS",
    "classify_points",
    "get_classifier",
    "grid_cache_dir",
    "join_ids",
    "split_ids",
    "where_record",
]

OUTSIDE = -1
_PREPARED_LOCK = threading.Lock()  # around every point test on the shared prepared counties
BOUNDARY = -2
GRID_CELL_DEG = 0.002  # about 200 m; boundary cells are then ~3% of 益阳's bounding box
GRID_MIN_POINTS = 2000  # below this the exact test alone is faster than building the grid
THREAD_MIN = 65_536  # points from which classify_points splits the work over two threads (two chunks)
POINT_CHUNK = 32_768  # points per task then (the temporaries of two tasks in flight: ~20 MB)
NEAREST_GRID_MIN = 100_000  # outside points from which building the nearest grid (seconds) pays
LEVELS_MIN = 2_000  # points beyond the city grid from which the province and country grids are used
FAR_MIN = 2_000  # ... or points beyond the tree zone (the compiled exact search: ~0.2 s for 2,000)
#: The keys of :func:`where_record` after ``lon`` and ``lat``, in the order the CLI prints them.
WHERE_KEYS = ("inside", "county", "adcode", "zone", "zones", "poles", "nearest_county", "distance_km")
RESULT_COLUMNS = ["county", "adcode", "zone", "zones", "poles", "inside", "nearest_county", "distance_km"]


@dataclass
class _Grid:
    x0: float
    y0: float
    cell: float
    labels: NDArray[np.int8]  # [row, col]: county index, OUTSIDE, or BOUNDARY

    def lookup(self, lon: NDArray[np.float64], lat: NDArray[np.float64]) -> NDArray[np.int8]:
        """Label per point. The grid's outermost rows and columns are OUTSIDE: positions are clipped
        into them before the integer cast (points beyond the grid), and NaN is sent to cell 0."""
        ny, nx = self.labels.shape
        index = []
        for value, origin, size in ((lon, self.x0, nx), (lat, self.y0, ny)):
            pos = np.clip((value - origin) * (1.0 / self.cell), 0.0, size - 1.0)
            pos[np.isnan(pos)] = 0.0
            index.append(pos.astype(np.intp))
        return np.take(self.labels.ravel(), index[1] * nx + index[0])


@dataclass
class Classifier:
    """County polygons with their zone attributes, prepared for fast point lookups."""

    names: NDArray[np.object_]
    adcodes: NDArray[np.object_]
    geoms: NDArray[np.object_]  # WGS84, prepared
    zone: NDArray[np.object_]
    zones: NDArray[np.object_]  # zone ids joined with ";" ("" outside)
    poles: NDArray[np.object_]  # pole ids joined with ";"
    _grid: _Grid | None = field(default=None, repr=False)
    _segments: Segments | None = field(default=None, repr=False)
    _nearest: tuple[Segments, NearestGrid] | None = field(default=None, repr=False)
    _levels: list[Level] | None = field(default=None, repr=False)

    @classmethod
    def from_counties(cls, counties) -> Classifier:
        """The classifier over a county layer (a GeoDataFrame with ``name`` and ``adcode``)."""
        return cls.from_arrays(counties["name"].tolist(), counties["adcode"].tolist(), counties.geometry.to_numpy())

    @classmethod
    def from_arrays(cls, names: list, adcodes: list, geoms: NDArray[np.object_]) -> Classifier:
        """The classifier over counties given as names, adcodes and WGS84 polygons (in one order)."""
        model = load_zone_model()
        geoms = geoms.copy()
        shapely.prepare(geoms)

        def obj(values: list, outside: object = None) -> NDArray[np.object_]:
            arr = np.empty(len(values) + 1, dtype=object)  # the last slot answers index -1 (outside)
            for i, value in enumerate([*values, outside]):
                arr[i] = value
            return arr

        return cls(
            names=obj(list(names)),
            adcodes=obj(list(adcodes)),
            geoms=geoms,
            zone=obj([model.primary_zone(n) for n in names]),
            zones=obj([join_ids(model.zones_of(n)) for n in names], ""),
            poles=obj([join_ids(model.poles_of(n)) for n in names], ""),
        )

    # -- exact and grid lookups ---------------------------------------------------------------
    def exact_index(self, lon: NDArray[np.float64], lat: NDArray[np.float64]) -> NDArray[np.int8]:
        """County index per point by exact test (a point on an edge counts as inside), else -1."""
        out = np.full(lon.shape, OUTSIDE, dtype=np.int8)
        todo = np.isfinite(lon) & np.isfinite(lat)
        with _PREPARED_LOCK:  # GEOS's prepared geometries are not safe to test from two threads at once
            for i, geom in enumerate(self.geoms):
                if not todo.any():
                    break
                idx = np.flatnonzero(todo)
                hit = shapely.intersects_xy(geom, lon[idx], lat[idx])
                out[idx[hit]] = i
                todo[idx[hit]] = False
        return out

    @property
    def grid(self) -> _Grid:
        if self._grid is None:
            self._grid = self._cached_county_grid()
        return self._grid

    def _cached_county_grid(self, cell: float = GRID_CELL_DEG) -> _Grid:
        """The county grid from the cache when one was built from the same counties, cell and code (this
        module's, GEOS's), else built (~0.15 s) and cached; like :func:`_cached_grid`, only a speed-up."""
        digest = self._geoms_digest(Path(__file__))
        digest.update(shapely.geos_version_string.encode() + np.array([cell]).tobytes())
        path = grid_cache_dir() / f"county-{digest.hexdigest()[:20]}{GRID_SUFFIX}"
        GRID_FILES[path.name] = path
        with contextlib.suppress(OSError, ValueError, KeyError):
            scalars, arrays = load_arrays(path)
            labels = arrays["labels"]
            if labels.dtype == np.int8 and labels.ndim == 2 and float(scalars["cell"]) == cell:
                return _Grid(x0=float(scalars["x0"]), y0=float(scalars["y0"]), cell=cell, labels=labels)
        grid = self._build_grid(cell)
        with contextlib.suppress(OSError):
            save_arrays(path, {"x0": grid.x0, "y0": grid.y0, "cell": grid.cell}, {"labels": grid.labels})
        return grid

    def _build_grid(self, cell: float = GRID_CELL_DEG) -> _Grid:
        xmin, ymin, xmax, ymax = shapely.total_bounds(self.geoms)
        x0, y0 = xmin - 2 * cell, ymin - 2 * cell  # two spare cells each side: the outer ring is OUTSIDE
        nx, ny = int(np.ceil((xmax - x0) / cell)) + 3, int(np.ceil((ymax - y0) / cell)) + 3
        cx = x0 + (np.arange(nx) + 0.5) * cell
        cy = y0 + (np.arange(ny) + 0.5) * cell
        gx, gy = np.meshgrid(cx, cy)
        labels = self.exact_index(gx.ravel(), gy.ravel()).reshape(ny, nx)
        # Mark every cell a boundary passes through: boundary vertices densified to under half a cell
        # fall in each crossed cell or its neighbour, so marking vertex cells and dilating by one cell
        # covers every cell whose interior a boundary crosses.
        rings = shapely.segmentize(shapely.boundary(self.geoms), cell / 2)
        xy = shapely.get_coordinates(rings)
        col = ((xy[:, 0] - x0) * (1.0 / cell)).astype(np.intp)  # the same arithmetic as lookup()
        row = ((xy[:, 1] - y0) * (1.0 / cell)).astype(np.intp)
        touched = np.zeros((ny, nx), dtype=bool)
        touched[row, col] = True
        dilated = touched.copy()
        dilated[1:, :] |= touched[:-1, :]
        dilated[:-1, :] |= touched[1:, :]
        dilated[:, 1:] |= touched[:, :-1]
        dilated[:, :-1] |= touched[:, 1:]
        dilated[1:, 1:] |= touched[:-1, :-1]
        dilated[:-1, :-1] |= touched[1:, 1:]
        dilated[1:, :-1] |= touched[:-1, 1:]
        dilated[:-1, 1:] |= touched[1:, :-1]
        labels[dilated] = BOUNDARY
        labels[[0, -1], :] = OUTSIDE  # wholly beyond the counties' bounds
        labels[:, [0, -1]] = OUTSIDE
        return _Grid(x0=x0, y0=y0, cell=cell, labels=labels.astype(np.int8))

    def county_index(self, lon: NDArray[np.float64], lat: NDArray[np.float64]) -> NDArray[np.int8]:
        if lon.size < GRID_MIN_POINTS:
            return self.exact_index(lon, lat)
        idx = self.grid.lookup(lon, lat)
        edge = np.flatnonzero(idx == BOUNDARY)
        if edge.size:
            idx[edge] = self.exact_index(lon[edge], lat[edge])
        return idx

    @property
    def segments(self) -> Segments:
        if self._segments is None:
            self._segments = self._cached_segments()
        return self._segments

    def _geoms_digest(self, *code: Path) -> hashlib._Hash:
        """A digest of the counties' geometries, the files ``code`` and the cache format."""
        digest = hashlib.sha256(b"".join(path.read_bytes() for path in code) + MAGIC)
        for wkb in shapely.to_wkb(self.geoms, byte_order=1):
            digest.update(wkb)
        return digest

    def _cached_segments(self) -> Segments:
        """The boundary segments in EPSG:4546 from the cache when they were built from the same counties,
        code (:mod:`layout.geo.segments`, :mod:`layout.geo.crs`) and pyproj, else built (~0.05 s, and the
        first pyproj transformer ~0.03 s) and cached; only a speed-up, like :func:`_cached_grid`."""
        digest = self._geoms_digest(Path(segments_module.__file__), Path(crs_module.__file__))
        digest.update(f"{pyproj.__version__} {pyproj.proj_version_str}".encode())
        path = grid_cache_dir() / f"segments-{digest.hexdigest()[:20]}{GRID_SUFFIX}"
        GRID_FILES[path.name] = path
        names = [f.name for f in dataclasses.fields(Segments)]
        with contextlib.suppress(OSError, ValueError, KeyError):
            _, arrays = load_arrays(path)
            if sorted(arrays) == sorted(names):
                return Segments(**arrays)
        segments = build_segments(self.geoms)
        with contextlib.suppress(OSError):
            save_arrays(path, {}, {name: getattr(segments, name) for name in names})
        return segments

    @property
    def nearest_index(self) -> tuple[Segments, NearestGrid]:
        """Boundary segments and the adaptive nearest-segment grid, aligned with :attr:`grid`."""
        if self._nearest is None:
            grid, root = self.grid, LEVELS[0]
            ny, nx = grid.labels.shape
            margin = int(np.ceil(MARGIN_DEG / grid.cell))
            width, height = -(-(nx + 2 * margin) // root) * root, -(-(ny + 2 * margin) // root) * root
            skip = np.zeros((height, width), dtype=bool)  # cells the county grid answers as inside
            skip[margin : margin + ny, margin : margin + nx] = grid.labels >= 0
            segments = self.segments
            x0, y0 = grid.x0 - margin * grid.cell, grid.y0 - margin * grid.cell
            self._nearest = (segments, _cached_grid(segments, x0, y0, skip))
        return self._nearest

    @property
    def levels(self) -> list[Level]:
        """The province and country grids around the city's nearest grid (:mod:`layout.geo.nearest_far`)."""
        if self._levels is None:
            segments, city = self.nearest_index
            self._levels = build_levels(self.geoms, segments, city, _cached_grid)
        return self._levels

    def nearest_detail(self, lon: NDArray[np.float64], lat: NDArray[np.float64], *, points: bool = True):
        """Nearest boundary segment, geodesic distance (m) and nearest point (WGS84, when ``points``) of
        points outside every county.

        Four paths, one answer: the grid around the city (built on the first call with at least
        :data:`NEAREST_GRID_MIN` points); the province and country grids beyond it (:mod:`layout.geo.nearest_far`,
        built on a call with at least :data:`LEVELS_MIN` points beyond the city grid or :data:`FAR_MIN`
        beyond ~4.5°); a tree search for fewer points within ~4.5° of 111°E; a compiled exact geodesic
        search beyond that (:func:`layout.geo.nearest.nearest_world`: other continents, or few points).
        """
        seg = np.empty(lon.shape, np.intp)
        metres, qlon, qlat = np.empty(lon.shape), np.full(lon.shape, np.nan), np.full(lon.shape, np.nan)
        todo = np.ones(lon.shape, dtype=bool)
        rest = np.arange(lon.size)

        def answer(found: NDArray[np.bool_], s: NDArray, m: NDArray, q1: NDArray, q2: NDArray, metric: bool) -> None:
            nonlocal rest
            every = rest.size == lon.size and bool(found.all())
            sel: NDArray[np.bool_] | slice = slice(None) if every else found  # the usual case: views, no copies
            hit = rest[sel]
            seg[hit], metres[hit] = s[sel], m[sel]
            if points:
                qlon[hit], qlat[hit] = from_metric(q1[sel], q2[sel]) if metric else (q1[sel], q2[sel])
            todo[hit] = False
            rest = rest[:0] if every else rest[~found]

        if self._nearest is not None or lon.size >= NEAREST_GRID_MIN:
            segments, grid = self.nearest_index
            found, s, m, q1, q2 = query_grid(grid, segments, lon, lat)
            answer(found, s, m, q1, q2, metric=True)
        if rest.size and (
            self._levels is not None
            or rest.size >= LEVELS_MIN
            or np.count_nonzero(~in_tree_zone(lon[rest], lat[rest])) >= FAR_MIN
        ):
            if rest.size == lon.size:  # the levels wrap the city grid: ask it first
                segments, grid = self.nearest_index
                found, s, m, q1, q2 = query_grid(grid, segments, lon, lat)
                answer(found, s, m, q1, q2, metric=True)
            for level in self.levels:
                if rest.size:
                    found, s, m, q1, q2 = query_level(level, lon[rest], lat[rest])
                    answer(found, s, m, q1, q2, metric=level.metric)
        segments = self.segments
        tree = np.flatnonzero(todo)
        tree = tree[in_tree_zone(lon[tree], lat[tree])]
        if tree.size:
            seg[tree], metres[tree], qx, qy = nearest_by_tree(segments, lon[tree], lat[tree])
            if points:
                qlon[tree], qlat[tree] = from_metric(qx, qy)
            todo[tree] = False
        far = np.flatnonzero(todo)
        if far.size:
            seg[far], metres[far], qlon[far], qlat[far] = nearest_world(segments, lon[far], lat[far])
        return seg, metres, qlon, qlat

    def nearest(self, lon: NDArray[np.float64], lat: NDArray[np.float64]) -> tuple[NDArray, NDArray]:
        """Nearest county index and geodesic distance in km for points outside every county."""
        seg, metres, _, _ = self.nearest_detail(lon, lat, points=False)
        return self.segments.owner[seg], np.round(metres / 1000.0, 3)


def _where(mask: NDArray[np.bool_]) -> NDArray[np.intp] | slice:
    """Indices of ``mask``, or a slice (a view, no copy) when it is all true."""
    return slice(None) if mask.all() else np.flatnonzero(mask)


def join_ids(ids) -> str:
    """Zone or pole ids as one cell: joined with ``;`` (the form of the ``zones``/``poles`` columns)."""
    return ";".join(ids)


def split_ids(joined: object) -> tuple[str, ...]:
    """The ids of a ``zones``/``poles`` cell (``""`` or missing: none)."""
    return tuple(joined.split(";")) if isinstance(joined, str) and joined else ()


def _categorical(per_county: NDArray[np.object_], idx: NDArray[np.int8]) -> pd.Categorical:
    """Per-point values as a Categorical (one byte a row); index -1 gives the last slot (outside), which
    is a missing value when it is None."""
    values = list(per_county)
    categories = list(dict.fromkeys(v for v in values if v is not None))
    codes = np.array([categories.index(v) if v is not None else -1 for v in values], dtype=np.int8)
    return pd.Categorical.from_codes(codes[idx], categories=categories, validate=False)


def grid_cache_dir() -> Path:
    """Where built nearest grids are kept between runs: ``$LAYOUT_CACHE_DIR``, else the user's cache folder."""
    return cache_dir()


GRID_FILES: dict[str, Path] = {}  # the grid cache files this process used (layout.tables.distributed ships them)


def _cached_grid(segments: Segments, x0: float, y0: float, skip: NDArray[np.bool_], **options) -> NearestGrid:
    """The nearest grid from the cache when one was built from the same inputs and code, else built (10–20 s)
    and cached. The cache is only a speed-up: an unreadable or unwritable cache is rebuilt or skipped.
    ``options`` go to :func:`layout.geo.nearest.build_grid` (a coarser level's cell size, plane and slack)."""
    extra = [
        options.get("fine", 0.0),
        options.get("safe_rel", 0.0),
        options.get("angle_rel") or 0.0,
        options.get("angle_per_m", 0.0),
    ]
    if "project" in options:
        extra.append(float(sum(map(ord, options["project"].__name__))))
    path = grid_cache_dir() / f"nearest-{grid_cache_key(segments, x0, y0, skip, *extra)}{GRID_SUFFIX}"
    GRID_FILES[path.name] = path
    with contextlib.suppress(OSError, ValueError, KeyError):
        return load_grid(path)
    grid = build_grid(segments, x0, y0, skip, **options)
    with contextlib.suppress(OSError):
        save_grid(grid, path)
    return grid


def get_classifier() -> Classifier:
    """The classifier over the committed full-resolution counties (built once per process and plan version)."""
    from layout.plan.context import plan_key

    return _classifier(plan_key())


@cache
def _classifier(plan: tuple) -> Classifier:
    return Classifier.from_arrays(*county_arrays())


def _classify_arrays(clf: Classifier, lon: NDArray, lat: NDArray, wlon: NDArray, wlat: NDArray, nearest: bool):
    """County index, inside, nearest county index and distance (km) of points (input and WGS84)."""
    idx = clf.county_index(wlon, wlat)
    # NaN, impossible values and placeholders are missing points (comparisons with NaN are False)
    missing = is_placeholder(lon, lat) | ~((np.abs(wlon) <= 180.0) & (np.abs(wlat) <= 90.0))
    if missing.any():
        idx[missing] = OUTSIDE
    inside = idx != OUTSIDE
    near = np.full(idx.shape, OUTSIDE, dtype=np.int8)
    km = np.full(idx.shape, np.nan)
    if nearest:
        away = np.flatnonzero(~inside & ~missing)
        if away.size:
            near[away], km[away] = clf.nearest(wlon[away], wlat[away])
    return idx, inside, near, km


def _prepare_nearest(clf: Classifier, lon: NDArray, lat: NDArray) -> None:
    """Build (or load) the nearest-county indexes a large call needs, once, before its chunks run: the
    city grid, and the province/country grids when enough points lie beyond the city grid (counted on
    the input coordinates: GCJ-02/BD-09 offsets of < 0.01° do not matter to this choice)."""
    segments, city = clf.nearest_index
    if clf._levels is not None:
        return
    beyond = far = 0
    for lo in range(0, lon.size, POINT_CHUNK):
        x, y = lon[lo : lo + POINT_CHUNK], lat[lo : lo + POINT_CHUNK]
        beyond += int(np.count_nonzero(~city.covers(x, y) & np.isfinite(x) & np.isfinite(y)))
        far += int(np.count_nonzero(~in_tree_zone(x, y) & (np.abs(x) <= 180) & (np.abs(y) <= 90)))
        if beyond >= LEVELS_MIN or far >= FAR_MIN:
            _ = clf.levels
            return


@cache
def _pool() -> ThreadPoolExecutor:
    """Two threads for large inputs: numpy, shapely and the grids release the GIL (~1.7× on 2 cores)."""
    return ThreadPoolExecutor(max_workers=2, thread_name_prefix="classify")


def classify_points(lon: ArrayLike, lat: ArrayLike, crs: str = "wgs84", *, nearest: bool = True) -> pd.DataFrame:
    """County, zone and poles of each point.

    Parameters
    ----------
    lon, lat
        Coordinates in ``crs``. NaN, impossible values and placeholders such as (0, 0) (see
        :func:`layout.geo.crs.is_placeholder`) mark a missing point: not inside, no nearest county.
    crs
        ``wgs84`` (default), ``gcj02`` (高德, 腾讯), ``bd09`` (百度) or ``cgcs2000`` (EPSG:4490).
    nearest
        Also find the nearest county and its distance for points outside 益阳.

    Returns
    -------
    pandas.DataFrame
        One row per point, in order: ``county``, ``adcode``, ``zone`` (primary), ``zones`` and ``poles``
        (ids joined with ``;``, ``""`` for none; :func:`split_ids` splits them), ``inside``, and for points
        outside 益阳 ``nearest_county`` and ``distance_km`` (geodesic, to the nearest county's boundary).
        Text columns are categoricals, so the frame takes ~15 bytes a row.
    """
    lon, lat = np.atleast_1d(np.asarray(lon, dtype=np.float64)), np.atleast_1d(np.asarray(lat, dtype=np.float64))
    crs = check_crs(crs)
    clf = get_classifier()
    n = lon.size
    if n < THREAD_MIN:
        idx, inside, near, km = _classify_arrays(clf, lon, lat, *to_wgs84(lon, lat, crs), nearest)
    else:
        # Chunks into preallocated results, two threads: the temporaries stay per chunk (~40 B a point
        # of the default call at 1 M points, less above), and the indexes are built once, before.
        _ = clf.grid
        if nearest:
            _prepare_nearest(clf, lon, lat)
        idx, inside = np.empty(n, np.int8), np.empty(n, bool)
        near, km = np.empty(n, np.int8), np.empty(n)

        def work(sl: slice) -> None:
            part = _classify_arrays(clf, lon[sl], lat[sl], *to_wgs84(lon[sl], lat[sl], crs), nearest)
            idx[sl], inside[sl], near[sl], km[sl] = part

        list(_pool().map(work, [slice(lo, lo + POINT_CHUNK) for lo in range(0, n, POINT_CHUNK)]))
    return pd.DataFrame(
        {
            "county": _categorical(clf.names, idx),
            "adcode": _categorical(clf.adcodes, idx),
            "zone": _categorical(clf.zone, idx),
            "zones": _categorical(clf.zones, idx),
            "poles": _categorical(clf.poles, idx),
            "inside": inside,
            "nearest_county": _categorical(clf.names, near),
            "distance_km": km,
        },
        copy=False,
    )


def _plain(value: object) -> object:
    """A result cell as JSON-ready Python: tuples as lists, missing as None, numpy scalars unwrapped."""
    if isinstance(value, tuple):
        return list(value)
    if value is None or pd.isna(value):
        return None
    return value.item() if isinstance(value, np.generic) else value


def where_record(lon_text: str, lat_text: str = "", crs: str = "wgs84") -> dict:
    """The answer for one point typed by a person (the CLI's ``where``, the app's which-zone panel).

    The point is read as the batch check reads a row (:func:`layout.geo.table_crs.read_point`): degrees or 度分秒,
    a whole pasted pair in ``lon_text``, N/S/E/W deciding the order, Gauss-Krüger metres (``crs`` ``auto``).

    Returns
    -------
    dict
        ``lon``, ``lat`` (WGS84, after conversion) and the columns of :func:`classify_points`.

    Raises
    ------
    InputError
        When LON or LAT is not a number, is impossible, or the pair looks swapped.
    """
    lon, lat, _ = read_point(lon_text, lat_text, crs)
    wlon, wlat = np.array([lon]), np.array([lat])
    row = classify_points(wlon, wlat).iloc[0]
    record = {key: _plain(row[key]) for key in WHERE_KEYS}
    record["zones"], record["poles"] = list(split_ids(row["zones"])), list(split_ids(row["poles"]))
    return {"lon": round(float(wlon[0]), 7), "lat": round(float(wlat[0]), 7), **record}
