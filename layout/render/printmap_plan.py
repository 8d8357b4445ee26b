"""Planning a print map (pure computation): the page, the frame's extent in CGCS2000 / 3-degree
Gauss-Kruger CM 111E (EPSG:4546), the layers, the scale bar's length and the grid north angle.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any, cast

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
import shapely.affinity
from pyproj import Transformer

from layout.geo.boundaries import (
    load_counties,
    load_neighbours,
    load_pole_axes,
    load_water,
)
from layout.geo.crs import METRIC, WGS84
from layout.render.palette import FALLBACK_COLOR, SECTOR_COLORS
from layout.render.placement import marker_areas, place_markers_xy
from layout.render.scopes import Scope, parse_scope, scope_counties, scope_mask

MAP_CRS = METRIC
PAGE_SIZE = (11.69, 8.27)  # A4 landscape, inches
PRINT_DPI = 300


MARGIN_IN = 0.3  # white border around everything, inches
PANEL_IN = (2.4, 3.0)  # the legend column's width, inches: at least, at most
TITLES_IN = 0.95  # height of the title block above the map, inches
SOURCE_IN = 0.42  # height of the source line below the map, inches
BACKGROUND = "#e6edf1"  # beyond the prefectures drawn: the same as the web map's offline base
LAND = "#f6f3ec"
WATER = "#a9cfe8"  # lakes; rivers and lake shores in WATER_EDGE
WATER_EDGE = "#6fa8d0"
WATER_INK = "#2f6f9f"
INK = "#222222"
VEIL = (1, 1, 1, 0.62)  # over everything outside the scope's area
MARKER_PT = 7.0  # marker diameter in points
FRAME_INSET_PT = 6.0  # scale bar and north arrow: this far inside the frame
LABEL_PAD_PT = 2.0  # clearance around every label (its white halo is 1–1.5 pt)
MARKER_CLEARANCE_PT = 1.5  # between a marker's edge and its county's border (half the scope outline and more)
#: How each precision draws (the web map's convention): exact sites solid, approximate places hollow
#: and dashed, larger when vaguer.
PRECISION_STYLES: dict[str, dict[str, Any]] = {
    "site": {"size": 1.0, "fill": 1.0, "edge": "white", "lw": 0.8, "ls": "solid"},
    "town": {"size": 1.2, "fill": 0.35, "edge": "sector", "lw": 1.1, "ls": (0, (3, 1.5))},
    "county": {"size": 1.35, "fill": 0.12, "edge": "sector", "lw": 1.1, "ls": (0, (1.2, 1.6))},
}
#: rcParams are global: drawing and saving hold this lock so two app sessions never mix fonts.


# --------------------------------------------------------------------------------------------
# Planning the map (pure computation)


@cache
def load_layers() -> dict[str, gpd.GeoDataFrame]:
    """The geodata layers in the map CRS (cached)."""
    return {
        "counties": load_counties().to_crs(MAP_CRS),
        "neighbours": load_neighbours().to_crs(MAP_CRS),
        "axes": load_pole_axes().to_crs(MAP_CRS),
        "water": load_water().to_crs(MAP_CRS),
    }


def fit_extent(bounds: Sequence[float], aspect: float, *, pad: float = 0.06) -> tuple[float, float, float, float]:
    """``bounds`` padded by ``pad`` of the larger side and widened to ``aspect`` (width / height)."""
    xmin, ymin, xmax, ymax = bounds
    w, h = xmax - xmin, ymax - ymin
    margin = pad * max(w, h)
    w, h = w + 2 * margin, h + 2 * margin
    if w / h < aspect:
        w = h * aspect
    else:
        h = w / aspect
    cx, cy = (xmin + xmax) / 2, (ymin + ymax) / 2
    return cx - w / 2, cx + w / 2, cy - h / 2, cy + h / 2


def marker_radius_pt() -> float:
    """The largest marker's outer radius in points (the vaguest precision, edge line included)."""
    return max(MARKER_PT * st["size"] / 2 + st["lw"] * 1.6 / 2 for st in PRECISION_STYLES.values())


@dataclass(frozen=True)
class MapPlan:
    """Everything a static map shows, in the map CRS."""

    scope: Scope
    extent: tuple[float, float, float, float]  # xmin, xmax, ymin, ymax
    focus: object  # shapely geometry of the scope's area
    points: pd.DataFrame  # x, y (fanned out inside area), sector, precision, color, name, area (its county)
    citywide: int  # citywide items of the scope (no single place)
    unlocated: int  # other scope rows with no point yet
    sectors: list[str]  # sectors present, in the catalog's order


def plan_map(
    scope: Scope | str,
    catalog: pd.DataFrame | None,
    *,
    aspect: float,
    map_width_in: float,
    sectors: Sequence[str] = (),
    colors: dict[str, str] | None = None,
) -> MapPlan:
    """The extent, focus area and project markers of a map of ``scope``.

    Parameters
    ----------
    catalog
        Catalog rows with ``lon``/``lat`` (WGS84, NaN for none), ``sector``, ``precision``, ``name``,
        ``county`` and ``zones``/``poles`` (see :mod:`layout.catalog.projects`); ``None`` for no projects.
    aspect, map_width_in
        Width / height of the map frame and its width in inches (sets the fan-out spacing).
    sectors
        Sector order for the legend; sectors not listed follow in catalog order.
    """
    scope = parse_scope(scope)
    counties = load_layers()["counties"]
    focus = shapely.union_all(counties.loc[counties["name"].isin(scope_counties(scope)), "geometry"].to_numpy())
    extent = fit_extent(focus.bounds, aspect, pad=0.04 if scope.kind == "city" else 0.08)
    points = pd.DataFrame(columns=["x", "y", "sector", "precision", "color", "name", "area"])
    citywide = unlocated = 0
    present: list[str] = []
    if catalog is not None and len(catalog):
        rows = catalog.loc[scope_mask(catalog, scope)]
        lon = pd.to_numeric(rows["lon"], errors="coerce").to_numpy(float)
        lat = pd.to_numeric(rows["lat"], errors="coerce").to_numpy(float)
        has = np.isfinite(lon) & np.isfinite(lat)
        is_citywide = rows["precision"].astype(str).isin(["citywide", "route"]).to_numpy()  # no point by nature
        citywide = int((~has & is_citywide).sum())
        unlocated = int((~has & ~is_citywide).sum())
        rows = rows.loc[has]
        x, y = Transformer.from_crs(WGS84, MAP_CRS, always_xy=True).transform(lon[has], lat[has])
        precision = rows["precision"].where(rows["precision"].isin(list(PRECISION_STYLES)), "county").to_numpy()
        pt = (extent[1] - extent[0]) / (map_width_in * 72)  # metres per point
        radius = marker_radius_pt()
        # one layout for every map: fanned on a lattice, each marker inside its own county
        areas = marker_areas(rows)
        px, py = place_markers_xy(
            x,
            y,
            cast("Sequence[str]", areas),  # an array of county names
            spacing=pt * (2 * radius + 1.0),
            margin=pt * (radius + MARKER_CLEARANCE_PT),
            exact=precision == "site",
        )
        order = np.argsort([list(PRECISION_STYLES).index(p) for p in precision], kind="stable")[::-1]
        sx, sy = np.asarray(px)[order], np.asarray(py)[order]
        sector = rows["sector"].astype(str).to_numpy()[order]
        colors = colors or SECTOR_COLORS
        points = pd.DataFrame(
            {
                "x": sx,
                "y": sy,
                "sector": sector,
                "precision": precision[order],
                "color": [colors.get(s, FALLBACK_COLOR) for s in sector],
                "name": rows["name"].astype(str).to_numpy()[order],
                "area": areas[order],
            }
        )
        seen = set(points["sector"])
        present = [s for s in sectors if s in seen] + [s for s in dict.fromkeys(points["sector"]) if s not in sectors]
    return MapPlan(scope, extent, focus, points, citywide, unlocated, present)


def grid_north_angle(x: float, y: float) -> float:
    """Angle (degrees, counter-clockwise from the map's up) of true north at map point ``x, y``."""
    to_geo = Transformer.from_crs(MAP_CRS, WGS84, always_xy=True)
    to_map = Transformer.from_crs(WGS84, MAP_CRS, always_xy=True)
    lon, lat = to_geo.transform(x, y)
    x2, y2 = to_map.transform(lon, lat + 0.05)
    return math.degrees(math.atan2(-(x2 - x), y2 - y))


def nice_length(max_m: float) -> float:
    """The largest 1, 2 or 5 × 10ⁿ metres not above ``max_m``."""
    exp = 10 ** math.floor(math.log10(max_m))
    return max(m * exp for m in (1, 2, 5) if m * exp <= max_m)
