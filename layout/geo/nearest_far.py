"""Nearest county beyond the city grid: coarser grids for the province and the country, no per-point path.

The city's nearest grid (:mod:`layout.geo.nearest`, 0.002° cells, the counties' bounds plus 0.5°) is wrapped
in two coarser grids of the same kind, each answering the points the finer one does not cover:

* the **province grid**, 0.008° cells over 106.5–115.5°E, 22.75–34.75°N (4.5° either side of 111°E:
  all of 湖南), in EPSG:4546 with the same geodesic line-scale correction as the city grid (within
  0.3 m of ``pyproj.Geod`` there; 1 m at 6°, hence the bound). EPSG:4546's scale differs between two
  candidates of one point by at most ~1e-3 of the distance there, so the filters use a relative slack of
  4e-3; a line's direction in the plane differs from the geodesic's by at most ~x·D/(2R²) (x: mean
  easting, D: length), covered three times over.
* the **country grid**, 0.032° cells over 70–140°E, 14–56°N (China's bounding box and its neighbours),
  in an azimuthal equidistant plane centred on 益阳 (:data:`CENTRE`). Seen from a point D away, a
  boundary point r ≤ 125 km from the centre (measured) is displaced there by at most ~r·D/(2R²) in direction and
  r²·D/(12R²) (< 4e-5 D) in distance: the filters use 5e-4 of the distance, and 2e-3 rad plus three
  times r·D/(2R²) in direction (measured on 300 random points of the box: the ratio of planar to geodesic
  distance varies by up to 6.6e-5 over the boundary points seen from one point, so 5e-4 is ~8× that).
  The candidates left (~6 a point) are ranked by planar distance; those within 5e-4 of the best (~2.4 a
  point) are measured on the ellipsoid (Vincenty's inverse formula, compiled; < 1 mm
  from ``pyproj.Geod`` on these lines, checked in the tests), and one Newton step moves the foot along
  its segment to where the geodesic meets it at a right angle (the plane's direction error would
  otherwise cost up to a metre on a long segment seen from 3,000 km).

Points beyond both (other continents) take the compiled exact search :func:`layout.geo.nearest.nearest_world`.
The queries run as compiled loops (:mod:`layout.geo.nearest_kernels`); this module builds and holds the levels.
Each grid is built once (~25 s together on an idle machine) and cached on disk like the city grid.
"""

from __future__ import annotations

import threading
from functools import cache

import numpy as np
from numpy.typing import NDArray
from pyproj import Transformer

from layout.geo.crs import to_metric
from layout.geo.nearest import kernel_args, query_grid
from layout.geo.nearest_grid import LEVELS, NearestGrid
from layout.geo.segments import Segments

__all__ = [
    "CENTRE",
    "COUNTRY",
    "Level",
    "PROVINCE",
    "build_levels",
    "level_frame",
    "query_level",
    "to_aeqd",
]

CENTRE = (111.83, 28.75)  # the middle of 益阳's bounding box
_R2 = 6371e3**2
# Slacks, 3× or more the bounds given in the module's docstring: relative distance error, and direction
# error (radians) = angle_rel + angle_per_m × distance.
PROVINCE = {
    "box": (106.5, 22.75, 115.5, 34.75),
    "fine": 0.008,
    "safe_rel": 4e-3,
    "angle_rel": 2e-3,
    "angle_per_m": 3 * 425e3 / (2 * _R2),
}
COUNTRY = {
    "box": (70.0, 14.0, 140.0, 56.0),
    "fine": 0.032,
    "safe_rel": 5e-4,
    "angle_rel": 2e-3,
    "angle_per_m": 3 * 130e3 / (2 * _R2),
}
RANK_REL = 5e-4  # candidates within this fraction of the planar best are measured exactly
_A, _F = 6378137.0, 1.0 / 298.257223563  # WGS84
_B = _A * (1.0 - _F)


@cache
def _aeqd() -> Transformer:
    lon, lat = CENTRE
    return Transformer.from_crs(
        "EPSG:4326", f"+proj=aeqd +lat_0={lat} +lon_0={lon} +ellps=WGS84 +units=m", always_xy=True
    )


def to_aeqd(lon: NDArray, lat: NDArray) -> tuple[NDArray, NDArray]:
    """WGS84 degrees to metres in the azimuthal equidistant plane centred on :data:`CENTRE`."""
    x, y = _aeqd().transform(np.asarray(lon, dtype=np.float64), np.asarray(lat, dtype=np.float64))
    return np.asarray(x, dtype=np.float64), np.asarray(y, dtype=np.float64)


class Level:
    """One coarse grid, built or loaded on first use (thread-safe): the points of a call may never reach
    it. Distances are finished by the EPSG:4546 line scale (``metric``) or by the ellipsoidal geodesic."""

    def __init__(self, spec: dict, inner: tuple[float, float, float, float], make) -> None:
        self.spec, self.metric = spec, spec is PROVINCE
        self.x0, self.y0, self.skip = level_frame(spec, inner)
        self._make = make  # () -> (segments, grid)
        self._built: tuple[Segments, NearestGrid] | None = None
        self._lock = threading.Lock()

    @property
    def extent(self) -> tuple[float, float, float, float]:
        ny, nx = self.skip.shape
        return self.x0, self.y0, self.x0 + nx * self.spec["fine"], self.y0 + ny * self.spec["fine"]

    def covers(self, lon: NDArray, lat: NDArray) -> NDArray[np.bool_]:
        x0, y0, x1, y1 = self.extent
        return (lon >= x0) & (lon < x1) & (lat >= y0) & (lat < y1)

    @property
    def built(self) -> tuple[Segments, NearestGrid]:
        if self._built is None:
            with self._lock:
                if self._built is None:
                    self._built = self._make(self)
        return self._built


def level_frame(spec: dict, inner: tuple[float, float, float, float]) -> tuple[float, float, NDArray[np.bool_]]:
    """Origin and skip mask of a level's fine cells: a whole number of root cells over ``spec["box"]``,
    skipping the cells wholly inside the finer grid's extent ``inner`` (x0, y0, x1, y1)."""
    fine, root = spec["fine"], LEVELS[0]
    x0, y0, x1, y1 = spec["box"]
    nx = -(-round((x1 - x0) / fine) // root) * root
    ny = -(-round((y1 - y0) / fine) // root) * root
    left, right = x0 + np.arange(nx) * fine, x0 + (np.arange(nx) + 1) * fine
    bottom, top = y0 + np.arange(ny) * fine, y0 + (np.arange(ny) + 1) * fine
    ix0, iy0, ix1, iy1 = inner
    cols = (left >= ix0) & (right <= ix1)
    rows = (bottom >= iy0) & (top <= iy1)
    return x0, y0, rows[:, None] & cols[None, :]


def query_level(level: Level, lon: NDArray, lat: NDArray):
    """Like :func:`layout.geo.nearest.query_grid` for a coarse level: ``found``, nearest segment, geodesic
    metres and the nearest point (EPSG:4546 x/y for a metric level, else WGS84 lon/lat)."""
    n = len(lon)
    if not level.covers(lon, lat).any():  # not built for nothing
        return np.zeros(n, bool), *(np.empty(n) for _ in range(4))
    seg, grid = level.built
    if level.metric:
        return query_grid(grid, seg, lon, lat)
    from layout.geo.nearest_kernels import geodesic_query, segment_ends  # numba only when a call needs it

    lon, lat = np.ascontiguousarray(lon, dtype=np.float64), np.ascontiguousarray(lat, dtype=np.float64)
    found, out = np.empty(n, bool), np.empty((5, n))
    ends = seg.__dict__.get("_ends")
    if ends is None:
        ends = seg.__dict__["_ends"] = segment_ends(seg)
    geodesic_query(lon, lat, *kernel_args(grid, seg), ends, RANK_REL, found, out)
    return found, out[0].astype(np.intp), out[1], out[2], out[3]


def build_levels(geoms: NDArray[np.object_], metric_segments: Segments, city: NearestGrid, cached_grid) -> list[Level]:
    """The province and country levels around the city grid ``city``, each built on first use by
    ``cached_grid(segments, x0, y0, skip, **options)`` (see :func:`layout.geo.classify._cached_grid`)."""
    from layout.geo.segments import build_segments

    def make(level: Level) -> tuple[Segments, NearestGrid]:
        spec = level.spec
        project = to_metric if level.metric else to_aeqd
        segments = metric_segments if level.metric else build_segments(geoms, project=project)
        options = {k: spec[k] for k in ("fine", "safe_rel", "angle_rel", "angle_per_m")}
        return segments, cached_grid(segments, level.x0, level.y0, level.skip, project=project, **options)

    inner = (city.x0, city.y0, city.x0 + city.nx * city.fine, city.y0 + city.ny * city.fine)
    levels = []
    for spec in (PROVINCE, COUNTRY):
        levels.append(Level(spec, inner, make))
        inner = levels[-1].extent
    return levels
