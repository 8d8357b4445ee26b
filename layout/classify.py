"""Which county, zone and poles is a point in? Vectorised over arrays of points.

A precomputed grid answers most points by array lookup: a cell that no county boundary crosses lies
wholly inside one county (or wholly outside 益阳), so its centre's answer holds for every point in it.
Only points in cells a boundary crosses get the exact shapely 2 test on prepared geometry.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache

import numpy as np
import pandas as pd
import shapely
from numpy.typing import ArrayLike, NDArray

from layout.crs import check_lonlat, parse_number, to_metric, to_wgs84
from layout.errors import InputError
from layout.geodata import load_counties
from layout.zones import load_zone_model

OUTSIDE = -1
BOUNDARY = -2
GRID_CELL_DEG = 0.002  # about 200 m; boundary cells are then ~3% of 益阳's bounding box
GRID_MIN_POINTS = 2000  # below this the exact test alone is faster than building the grid
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
        """Label per point. The grid's outermost rows and columns are OUTSIDE, so clipping indices
        into them answers points beyond the grid (and NaN) without a mask."""
        ny, nx = self.labels.shape
        col = np.clip(((lon - self.x0) * (1.0 / self.cell)).astype(np.int32), 0, nx - 1)
        row = np.clip(((lat - self.y0) * (1.0 / self.cell)).astype(np.int32), 0, ny - 1)
        return np.take(self.labels.ravel(), row * nx + col)


@dataclass
class Classifier:
    """County polygons with their zone attributes, prepared for fast point lookups."""

    names: NDArray[np.object_]
    adcodes: NDArray[np.object_]
    geoms: NDArray[np.object_]  # WGS84, prepared
    zone: NDArray[np.object_]
    zones: NDArray[np.object_]  # tuples of zone ids
    poles: NDArray[np.object_]  # tuples of pole ids
    _grid: _Grid | None = field(default=None, repr=False)
    _segments: tuple[shapely.STRtree, NDArray[np.int8]] | None = field(default=None, repr=False)

    @classmethod
    def from_counties(cls, counties) -> Classifier:
        model = load_zone_model()
        names = counties["name"].to_numpy(dtype=object)
        geoms = counties.geometry.to_numpy().copy()
        shapely.prepare(geoms)

        def obj(values: list, outside: object = None) -> NDArray[np.object_]:
            arr = np.empty(len(values) + 1, dtype=object)  # the last slot answers index -1 (outside)
            for i, value in enumerate([*values, outside]):
                arr[i] = value
            return arr

        return cls(
            names=obj(list(names)),
            adcodes=obj(counties["adcode"].tolist()),
            geoms=geoms,
            zone=obj([model.primary_zone(n) for n in names]),
            zones=obj([tuple(model.zones_of(n)) for n in names], ()),
            poles=obj([tuple(model.poles_of(n)) for n in names], ()),
        )

    # -- exact and grid lookups ---------------------------------------------------------------
    def exact_index(self, lon: NDArray[np.float64], lat: NDArray[np.float64]) -> NDArray[np.int8]:
        """County index per point by exact test (a point on an edge counts as inside), else -1."""
        out = np.full(lon.shape, OUTSIDE, dtype=np.int8)
        todo = np.isfinite(lon) & np.isfinite(lat)
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
            self._grid = self._build_grid()
        return self._grid

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

    def nearest(self, lon: NDArray[np.float64], lat: NDArray[np.float64]) -> tuple[NDArray, NDArray]:
        """Nearest county index and distance in km (EPSG:4546) for points outside every county.

        The nearest point of a county to a point outside it lies on its boundary, so a tree of the
        boundaries' segments answers with one short search per point.
        """
        if self._segments is None:
            metric = load_counties().to_crs("EPSG:4546").geometry.to_numpy()
            parts, owner = shapely.get_parts(shapely.boundary(metric), return_index=True)
            coords, ring = shapely.get_coordinates(parts, return_index=True)
            same = ring[:-1] == ring[1:]
            segs = shapely.linestrings(np.stack([coords[:-1][same], coords[1:][same]], axis=1))
            self._segments = (shapely.STRtree(segs), owner[ring[:-1][same]].astype(np.int8))
        tree, seg_owner = self._segments
        x, y = to_metric(lon, lat)
        (src, tgt), dist = tree.query_nearest(shapely.points(x, y), return_distance=True, all_matches=False)
        index = np.full(lon.shape, OUTSIDE, dtype=np.int8)
        km = np.full(lon.shape, np.nan)
        index[src] = seg_owner[tgt]
        km[src] = np.round(dist / 1000.0, 3)
        return index, km


def _categorical(per_county: NDArray[np.object_], idx: NDArray[np.int8]) -> pd.Categorical:
    """Per-point values as a Categorical (fast for millions of rows); index -1 gives a missing value."""
    values = list(per_county[:-1])
    categories = list(dict.fromkeys(values))
    codes = np.array([categories.index(v) for v in values] + [-1], dtype=np.int8)
    return pd.Categorical.from_codes(codes[idx], categories=categories)


@cache
def get_classifier() -> Classifier:
    """The classifier over the committed full-resolution counties (built once per process)."""
    return Classifier.from_counties(load_counties())


def classify_points(lon: ArrayLike, lat: ArrayLike, crs: str = "wgs84", *,
                    nearest: bool = True) -> pd.DataFrame:
    """County, zone and poles of each point.

    Parameters
    ----------
    lon, lat
        Coordinates in ``crs``; NaN marks a missing point (answered as not inside).
    crs
        ``wgs84`` (default), ``gcj02`` (高德, 腾讯), ``bd09`` (百度) or ``cgcs2000`` (EPSG:4490).
    nearest
        Also find the nearest county and its distance for points outside 益阳.

    Returns
    -------
    pandas.DataFrame
        One row per point, in order: ``county``, ``adcode``, ``zone`` (primary), ``zones`` and
        ``poles`` (tuples of ids), ``inside``, and for points outside 益阳 ``nearest_county`` and
        ``distance_km`` (to the nearest county, EPSG:4546).
    """
    wlon, wlat = to_wgs84(np.atleast_1d(lon), np.atleast_1d(lat), crs)
    clf = get_classifier()
    idx = clf.county_index(wlon, wlat)
    inside = idx != OUTSIDE
    out = pd.DataFrame({
        "county": _categorical(clf.names, idx), "adcode": _categorical(clf.adcodes, idx),
        "zone": _categorical(clf.zone, idx),
        "zones": clf.zones[idx], "poles": clf.poles[idx], "inside": inside,
        "nearest_county": np.full(idx.shape, None, dtype=object), "distance_km": np.nan,
    })
    if nearest:
        away = np.flatnonzero(~inside & np.isfinite(wlon) & np.isfinite(wlat))
        if away.size:
            near_idx, km = clf.nearest(wlon[away], wlat[away])
            out.loc[away, "nearest_county"] = clf.names[near_idx]
            out.loc[away, "distance_km"] = km
    return out


def _plain(value: object) -> object:
    """A result cell as JSON-ready Python: tuples as lists, missing as None, numpy scalars unwrapped."""
    if isinstance(value, tuple):
        return list(value)
    if value is None or pd.isna(value):
        return None
    return value.item() if isinstance(value, np.generic) else value


def where_record(lon_text: str, lat_text: str, crs: str = "wgs84") -> dict:
    """The answer for one point typed by a person (the CLI's ``where``, the app's which-zone panel).

    Returns
    -------
    dict
        ``lon``, ``lat`` (WGS84, after conversion) and the columns of :func:`classify_points`.

    Raises
    ------
    InputError
        When LON or LAT is not a number, is impossible, or the pair looks swapped.
    """
    values = []
    for label, text in (("LON", lon_text), ("LAT", lat_text)):
        try:
            values.append(parse_number(text))
        except InputError as exc:
            raise InputError(f"{label} {exc}") from None
    if problem := check_lonlat(*values):
        raise InputError(problem)
    wlon, wlat = to_wgs84([values[0]], [values[1]], crs)
    row = classify_points(wlon, wlat).iloc[0]
    return {"lon": round(float(wlon[0]), 7), "lat": round(float(wlat[0]), 7),
            **{key: _plain(row[key]) for key in WHERE_KEYS}}
