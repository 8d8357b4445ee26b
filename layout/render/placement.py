"""Where markers and labels are drawn: approximate markers fanned out inside their own county, and map
labels placed so they overlap nothing.

Markers
-------
93 of the catalog's mapped projects share a handful of county seats. :func:`place_markers` fans out the
markers sharing a place on a hexagonal lattice centred on that place, nearest nodes first, so the fan
is a compact honeycomb of rings (6, 12, 18 … nodes) around the seat. A node is used only when it lies
inside the marker's own county polygon (full resolution) shrunk by ``margin`` (the marker's radius and
a little more), and at least ``spacing`` from markers of other places already laid out. A seat close to
a border therefore grows its fan into its own county instead of spilling over: the ring is clipped by
the border, and the missing nodes are taken from the next ring. Markers of overlapping areas (中心城区
over 资阳区 and 赫山区) keep the same spacing from each other. A marker alone at its place stays at
its point when that point is inside the shrunk county, and an exact (site) marker alone at its point is
never moved. The layout is deterministic: the same rows in
the same order give the same positions (nodes are ordered by distance, then angle, and places by size,
then first row).

A row's own county is its declared ``county`` for town/county precision (the point stands for that
county's seat or a township of it; 大通湖区 covers its declared footprint 南县 ∪ 沅江市), and the county
its point falls in for site precision (an exact point is never moved into another county).

Labels
------
:class:`LabelPlacer` places matplotlib texts one at a time, in the order of importance the caller
chooses. Each text tries candidate positions around its anchor (the anchor itself, then eight
directions at growing distances); it takes the first whose rendered extent stays inside the frame
(less a padding) and touches no obstacle (markers, north arrow, scale bar) and no label placed before
it. A text that finds no free position is removed from the figure. Callers put muted labels last, so a
muted label is dropped before an important one has to move far.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from functools import cache

import numpy as np
import pandas as pd
import shapely
import shapely.ops
from numpy.typing import ArrayLike
from pyproj import Transformer

from layout.geo.boundaries import expand_counties, load_counties
from layout.geo.crs import METRIC, WGS84
from layout.plan.zones import load_zone_model

__all__ = [
    "Box",
    "DIRECTIONS",
    "LabelPlacer",
    "PLACE_CRS",
    "WEB_MARGIN_M",
    "WEB_SPACING_M",
    "area_polygon",
    "boxes_overlap",
    "hex_offsets",
    "marker_areas",
    "place_markers",
    "place_markers_xy",
    "place_projects",
]

PLACE_CRS = METRIC  # markers are laid out in metres (EPSG:4546)
SAME_PLACE_M = 1.0  # points closer than this share a place
#: The web map's lattice: at zoom 12 (where clustering stops) 800 m is about 24 px, just more than a
#: county-precision circle (radius 10 px + 2 px stroke); the inset keeps the circle inside its county.
WEB_SPACING_M = 800.0
WEB_MARGIN_M = 420.0


# --------------------------------------------------------------------------------------------
# Which county a marker belongs to


def marker_areas(rows: pd.DataFrame) -> np.ndarray:
    """The area each row's marker must stay in: a county name (大通湖区 included) or "" for none.

    Town/county rows: the declared ``county`` (a declared area such as 中心城区 covers its footprint);
    site rows: ``computed_county`` (where the point is), falling back to the declared county. Names that
    are no county (全市, empty) give "".
    """
    model = load_zone_model()
    n = len(rows)

    def column(name: str) -> np.ndarray:
        if name not in rows:
            return np.full(n, "", dtype=object)
        return rows[name].fillna("").astype(str).to_numpy()

    declared, computed, precision = column("county"), column("computed_county"), column("precision")
    known = [*model.counties, *getattr(model, "areas", {})]  # counties, 大通湖区, declared areas (中心城区)
    out = np.where((precision == "site") & (computed != ""), computed, declared)
    out = np.where(np.isin(out, known), out, np.where(np.isin(computed, known), computed, ""))
    return out.astype(object)


@cache
def area_polygon(name: str):
    """The full-resolution polygon of a county or declared area (大通湖区: 南县 ∪ 沅江市; 中心城区: 资阳区 ∪
    赫山区) in :data:`PLACE_CRS`."""
    counties = load_counties().to_crs(PLACE_CRS)
    names = expand_counties([name])
    return shapely.union_all(counties.loc[counties["name"].isin(names), "geometry"].to_numpy())


@cache
def _inset(name: str, margin: float):
    """``area_polygon(name)`` shrunk by ``margin`` metres (less when that would leave nothing), prepared."""
    poly = area_polygon(name)
    for m in (margin, margin / 2, margin / 4, 0.0):
        inner = poly.buffer(-m) if m else poly
        if not inner.is_empty:
            shapely.prepare(inner)
            return inner
    return poly  # pragma: no cover - a polygon always contains itself


# --------------------------------------------------------------------------------------------
# The lattice


def hex_offsets(rings: int, spacing: float) -> np.ndarray:
    """Nodes of a hexagonal lattice within ``rings`` rings of (0, 0), ``spacing`` apart, nearest first
    (ties broken by angle, counter-clockwise from east)."""
    return _unit_hex(rings) * spacing


@cache
def _unit_hex(rings: int) -> np.ndarray:
    k = np.arange(-rings, rings + 1)
    i, j = np.meshgrid(k, k)
    keep = np.abs(i + j) <= rings
    i, j = i[keep], j[keep]
    xy = np.column_stack([i + j / 2, j * math.sqrt(3) / 2])
    dist = np.round(np.hypot(xy[:, 0], xy[:, 1]), 6)
    angle = np.round(np.mod(np.arctan2(xy[:, 1], xy[:, 0]), 2 * math.pi), 9)
    out = xy[np.lexsort((angle, dist))]
    out.setflags(write=False)
    return out


def _rings_for(n: int) -> int:
    """Rings whose lattice holds at least 2n nodes (room for the part a border clips)."""
    k = 0
    while 1 + 3 * k * (k + 1) < 2 * n:
        k += 1
    return max(k, 1)


class _Taken:
    """Markers already laid out in one area, hashed on a grid of ``spacing`` cells for neighbour tests."""

    def __init__(self, spacing: float):
        self.spacing = spacing
        self.cells: dict[tuple[int, int], list[tuple[float, float]]] = {}

    def add(self, xy: np.ndarray) -> None:
        for x, y in xy:
            key = (math.floor(x / self.spacing), math.floor(y / self.spacing))
            self.cells.setdefault(key, []).append((x, y))

    def pick(self, xy: np.ndarray, n: int, spacing: float) -> np.ndarray:
        """Indices of the first ``n`` of ``xy`` at least ``spacing`` (≤ the grid's, less a hair) from every
        marker taken (fewer when fewer are free)."""
        if not self.cells:
            return np.arange(min(n, len(xy)))
        limit = (spacing * 0.999) ** 2
        out: list[int] = []
        for k, (x, y) in enumerate(xy):
            cx, cy = math.floor(x / self.spacing), math.floor(y / self.spacing)
            if not any(
                (x - px) ** 2 + (y - py) ** 2 < limit
                for i in (cx - 1, cx, cx + 1)
                for j in (cy - 1, cy, cy + 1)
                for px, py in self.cells.get((i, j), ())
            ):
                out.append(k)
                if len(out) == n:
                    break
        return np.array(out, dtype=int)


def _slots(anchor: np.ndarray, n: int, inset, spacing: float, taken: _Taken) -> np.ndarray:
    """``n`` lattice nodes around ``anchor`` inside ``inset`` (None: anywhere) and free of ``taken``."""
    span = spacing
    if inset is not None:
        xmin, ymin, xmax, ymax = inset.bounds
        span = max(xmax - xmin, ymax - ymin, spacing)
        if not shapely.contains_xy(inset, *anchor):  # start from the nearest point inside, not far outside
            near = shapely.ops.nearest_points(inset, shapely.Point(anchor))[0]
            anchor = np.array([near.x, near.y])
    s = spacing
    for _ in range(40):  # shrink the lattice when the county cannot hold n markers this far apart
        rings = _rings_for(n)
        while True:
            xy = anchor + hex_offsets(rings, s)
            if inset is not None:
                xy = xy[shapely.contains_xy(inset, xy[:, 0], xy[:, 1])]
            picked = taken.pick(xy, n, s)
            if len(picked) == n:
                return xy[picked]
            if rings * s > 2 * span:
                break
            rings *= 2
        s *= 0.92  # gently: the first step still keeps print markers apart (2r of 2r + 1 pt)
    # only for a county far too small for its markers: stack them on a point inside
    inside = inset.point_on_surface() if inset is not None else shapely.Point(anchor)  # pragma: no cover
    return np.tile([inside.x, inside.y], (n, 1))  # pragma: no cover


def place_markers_xy(
    x: ArrayLike,
    y: ArrayLike,
    areas: ArrayLike,
    *,
    spacing: float,
    margin: float,
    exact: ArrayLike | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Drawn positions of markers at ``x, y`` (metres, :data:`PLACE_CRS`), each kept in its area.

    An exact marker (site precision) alone at its place keeps its point, as does any marker alone at
    its place whose point is inside its shrunk county; the markers sharing a place are fanned out on
    the lattice (largest groups first), around the markers already fixed; a lone approximate marker
    outside its shrunk county comes last and takes the nearest free node.

    Parameters
    ----------
    x, y
        The markers' points (the place each stands for), in input order.
    areas
        The county each marker must stay in (see :func:`marker_areas`); "" for no constraint.
    spacing
        Distance between neighbouring markers of a fan, metres.
    margin
        How far inside its county polygon a marker's centre stays, metres (its radius and a little).
    exact
        Markers at a surveyed point (site precision): drawn at their point unless they share it.

    Returns
    -------
    tuple of numpy.ndarray
        x and y of each marker, in input order. NaN points stay NaN.
    """
    xs, ys = np.asarray(x, float), np.asarray(y, float)
    exacts = np.zeros(len(xs), dtype=bool) if exact is None else np.asarray(exact, dtype=bool)
    return _place_xy(xs, ys, np.asarray(areas, dtype=object), exacts, spacing=float(spacing), margin=float(margin))


def _place_xy(
    x: np.ndarray, y: np.ndarray, areas: np.ndarray, exact: np.ndarray, *, spacing: float, margin: float
) -> tuple[np.ndarray, np.ndarray]:
    ox, oy = x.copy(), y.copy()
    ok = np.isfinite(x) & np.isfinite(y)
    if not ok.any():
        return ox, oy
    idx = np.flatnonzero(ok)
    frame = pd.DataFrame(
        {
            "i": idx,
            "area": areas[idx].astype(str),
            "kx": np.round(x[idx] / SAME_PLACE_M),
            "ky": np.round(y[idx] / SAME_PLACE_M),
        }
    )
    # one register of drawn markers for all areas: areas may overlap (中心城区 lies over 资阳区 and 赫山区)
    taken = _Taken(spacing)
    todo: list[tuple[object, np.ndarray]] = []
    lone: list[tuple[object, np.ndarray]] = []
    for area, rows in frame.groupby("area", sort=True):
        inset = _inset(area, float(margin)) if area else None
        groups = [g["i"].to_numpy() for _, g in rows.groupby(["kx", "ky"], sort=False)]
        alone = np.array([g[0] for g in groups if len(g) == 1], dtype=int)
        fits = exact[alone].copy()
        if inset is None:
            fits[:] = True
        elif (~fits).any():
            fits[~fits] = shapely.contains_xy(inset, x[alone[~fits]], y[alone[~fits]])
        kept = exact[alone] & fits
        taken.add(np.column_stack([x[alone[kept]], y[alone[kept]]]))  # an exact point alone is never moved
        lone.append((inset, alone[fits & ~exact[alone]]))
        todo += [(inset, g) for g in groups if len(g) > 1] + [(inset, np.array([i])) for i in alone[~fits]]
    for inset, members in lone:  # an approximate marker alone keeps its point when no other marker is there
        for i in members:
            xy = np.array([[x[i], y[i]]])
            if len(taken.pick(xy, 1, spacing)):
                taken.add(xy)
            else:
                todo.append((inset, np.array([i])))
    todo.sort(key=lambda item: (len(item[1]) == 1, -len(item[1]), item[1][0]))  # big fans first
    for inset, members in todo:
        xy = _slots(np.array([x[members[0]], y[members[0]]]), len(members), inset, spacing, taken)
        ox[members], oy[members] = xy[:, 0], xy[:, 1]
        taken.add(xy)
    return ox, oy


def place_markers(
    lon: ArrayLike,
    lat: ArrayLike,
    areas: ArrayLike,
    *,
    spacing_m: float,
    margin_m: float,
    exact: ArrayLike | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """:func:`place_markers_xy` for WGS84 longitudes and latitudes (spacing and margin in metres)."""
    fwd = Transformer.from_crs(WGS84, PLACE_CRS, always_xy=True)
    inv = Transformer.from_crs(PLACE_CRS, WGS84, always_xy=True)
    lons, lats = np.asarray(lon, float), np.asarray(lat, float)
    x, y = fwd.transform(lons, lats)
    px, py = place_markers_xy(x, y, areas, spacing=spacing_m, margin=margin_m, exact=exact)
    out_lon, out_lat = inv.transform(px, py)
    keep = ~np.isfinite(lons) | ~np.isfinite(lats)
    return np.where(keep, lons, out_lon), np.where(keep, lats, out_lat)


def place_projects(
    rows: pd.DataFrame, *, spacing_m: float = WEB_SPACING_M, margin_m: float = WEB_MARGIN_M
) -> pd.DataFrame:
    """A copy of catalog ``rows`` whose ``lon``/``lat`` are the drawn positions; the points they stand
    for move to ``anchor_lon``/``anchor_lat``. Rows without a point are kept as they are."""
    out = rows.copy()
    lon = pd.to_numeric(rows["lon"], errors="coerce").to_numpy(float)
    lat = pd.to_numeric(rows["lat"], errors="coerce").to_numpy(float)
    out["anchor_lon"], out["anchor_lat"] = lon, lat
    exact = (rows["precision"].astype(str) == "site").to_numpy() if "precision" in rows else None
    out["lon"], out["lat"] = place_markers(
        lon, lat, marker_areas(rows), spacing_m=spacing_m, margin_m=margin_m, exact=exact
    )
    return out


# --------------------------------------------------------------------------------------------
# Labels


class Box:
    """An axis-aligned box in display units (points or pixels): x0, y0, x1, y1."""

    __slots__ = ("x0", "y0", "x1", "y1")

    def __init__(self, x0: float, y0: float, x1: float, y1: float):
        self.x0, self.y0, self.x1, self.y1 = min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1)

    @classmethod
    def of(cls, bbox) -> Box:
        """From a matplotlib ``Bbox``."""
        return cls(bbox.x0, bbox.y0, bbox.x1, bbox.y1)

    @property
    def width(self) -> float:
        return self.x1 - self.x0

    @property
    def height(self) -> float:
        return self.y1 - self.y0

    def overlaps(self, other: Box, pad: float = 0.0) -> bool:
        return not (
            self.x1 + pad <= other.x0
            or other.x1 + pad <= self.x0
            or self.y1 + pad <= other.y0
            or other.y1 + pad <= self.y0
        )

    def inside(self, other: Box, pad: float = 0.0) -> bool:
        return (
            self.x0 >= other.x0 + pad
            and self.y0 >= other.y0 + pad
            and self.x1 <= other.x1 - pad
            and self.y1 <= other.y1 - pad
        )

    def __repr__(self) -> str:
        return f"Box({self.x0:.1f}, {self.y0:.1f}, {self.x1:.1f}, {self.y1:.1f})"


def boxes_overlap(a: Iterable[Box], b: Iterable[Box], pad: float = 0.0) -> list[tuple[Box, Box]]:
    """Every pair (one from ``a``, one from ``b``) that overlaps."""
    b = list(b)
    return [(p, q) for p in a for q in b if p.overlaps(q, pad)]


#: Directions tried around an anchor after the anchor itself: right, left, up, down, then diagonals.
DIRECTIONS = ((1, 0), (-1, 0), (0, 1), (0, -1), (1, 1), (-1, 1), (1, -1), (-1, -1))


class LabelPlacer:
    """Places texts on a figure so none overlaps another, an obstacle or the frame's edge.

    Parameters
    ----------
    renderer
        The figure canvas's renderer (extents are measured with it).
    frame
        The map frame's box in display units (``ax.get_window_extent(renderer)``).
    pad
        Clearance kept from the frame edge, obstacles and other labels, in display units.
    """

    def __init__(self, renderer, frame: Box, *, pad: float):
        self.renderer = renderer
        self.frame = frame
        self.pad = pad
        self.obstacles: list[Box] = []
        self.placed: list[Box] = []

    def block(self, box: Box) -> None:
        """Add an obstacle (a marker, the north arrow, the scale bar …)."""
        self.obstacles.append(box)

    def fits(self, box: Box) -> bool:
        return box.inside(self.frame, self.pad) and not any(
            box.overlaps(o, self.pad) for o in (*self.obstacles, *self.placed)
        )

    def place(
        self, text, *, steps: Sequence[float] = (0.5, 1.0, 1.6, 2.4, 3.5), within=None, avoid=None, drop: bool = True
    ) -> bool:
        """Move ``text`` (a matplotlib Text in data coordinates) to the first free candidate position.

        Candidates: the anchor itself, then each of :data:`DIRECTIONS` at each step (a multiple of the
        text's height; sideways steps are longer, since labels are wide). With ``within`` (a shapely
        geometry in data coordinates) a candidate's centre must lie in it, so a county's name stays in
        the county; with ``avoid`` a candidate's box must not touch it (a target's name stays off the
        city). Returns False when no candidate is free, and then removes the text if ``drop``.
        """
        base = text.get_window_extent(self.renderer)
        height = max(base.height, 1.0)
        to_data = text.get_transform().inverted()
        here = text.get_transform().transform(np.asarray(text.get_position(), float))
        offsets = [(0.0, 0.0)] + [
            (dx * s * height * (1.6 if dx and not dy else 1.0), dy * s * height) for s in steps for dx, dy in DIRECTIONS
        ]
        for dx, dy in offsets:
            box = Box(base.x0 + dx, base.y0 + dy, base.x1 + dx, base.y1 + dy)
            if within is not None:
                cx, cy = to_data.transform(((box.x0 + box.x1) / 2, (box.y0 + box.y1) / 2))
                if not shapely.contains_xy(within, cx, cy):
                    continue
            if avoid is not None:
                grown = (box.x0 - 2 * self.pad, box.y0 - 2 * self.pad), (box.x1 + 2 * self.pad, box.y1 + 2 * self.pad)
                (ax0, ay0), (ax1, ay1) = to_data.transform(grown)
                if shapely.intersects(avoid, shapely.box(ax0, ay0, ax1, ay1)):
                    continue
            if self.fits(box):
                if dx or dy:
                    text.set_position(to_data.transform(here + (dx, dy)))
                self.placed.append(Box.of(text.get_window_extent(self.renderer)))
                return True
        if drop:
            text.remove()
        return False
