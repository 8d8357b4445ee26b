"""What the explorer's map shows, as display-ready data: boundaries and zones in WGS84 or GCJ-02 (for
高德 tiles), their GeoJSON, a focus's geometry and bounds, pole arrows, and the projects' payload.
Every text from the catalog or the register is escaped here (:func:`layout.render.safe_html.html_text`).
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from functools import cache
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from layout.errors import InputError
from layout.geo.boundaries import (
    expand_counties,
    load_counties,
    load_neighbours,
    load_pole_axes,
    load_water,
    load_zone_areas,
)
from layout.geo.crs import wgs84_to_gcj02
from layout.i18n import t
from layout.plan.zones import load_zone_model
from layout.render.palette import FALLBACK_COLOR, SECTOR_COLORS, status_color
from layout.render.safe_html import html_text
from layout.render.views import status_of, zone_names

GCJ_BASEMAPS = ("amap",)  # tiles drawn in GCJ-02: every overlay is shifted to match
DISPLAY_DECIMALS = 5  # about 1 m: plenty on screen, a third smaller than full precision
ARROW_MAX_DEG = 0.6  # pole arrows stop near 益阳's edge so the head stays in the default view
CLUSTER_OPTIONS = {
    "maxClusterRadius": 24,
    "disableClusteringAtZoom": 12,
    "spiderfyOnMaxZoom": True,
    "showCoverageOnHover": False,
    "chunkedLoading": True,
}
BACKGROUND = "#e6edf1"
WATER_COLOR = "#8fc1e3"
LEGEND_WIDTH_PX = 250  # the open legend's width at most; the framing leaves its column free (常德's side)
LEGEND_OPEN_MIN_PX = 1000  # the legend starts open on maps at least this wide, collapsed on smaller ones
CENTER = (28.45, 112.0)  # about the middle of 益阳; fit_bounds then frames the view

#: How each precision draws: exact sites solid, approximate places hollow and dashed, larger when vaguer.
PRECISION_STYLES: dict[str, dict[str, Any]] = {
    "site": {"radius": 6, "weight": 1.5, "fillOpacity": 0.9, "dashArray": None, "solid": True},
    "town": {"radius": 8, "weight": 2, "fillOpacity": 0.3, "dashArray": "4 3", "solid": False},
    "county": {"radius": 10, "weight": 2, "fillOpacity": 0.12, "dashArray": "2 4", "solid": False},
}


# --------------------------------------------------------------------------------------------
# Geometry helpers


def _shift_xy(xy: np.ndarray, gcj: bool) -> np.ndarray:
    if gcj:
        lon, lat = wgs84_to_gcj02(xy[:, 0], xy[:, 1])
        xy = np.column_stack([lon, lat])
    return np.round(xy, DISPLAY_DECIMALS)


def to_display(gdf: gpd.GeoDataFrame, *, gcj: bool) -> gpd.GeoDataFrame:
    """``gdf`` rounded for the web map and, for GCJ-02 basemaps (高德), shifted into GCJ-02."""
    out = gdf.copy()
    out["geometry"] = shapely.transform(gdf.geometry.to_numpy(), lambda xy: _shift_xy(xy, gcj))
    return out


def display_lonlat(lon: Sequence[float], lat: Sequence[float], *, gcj: bool) -> tuple[np.ndarray, np.ndarray]:
    """WGS84 coordinates as drawn on the map (GCJ-02 for 高德 tiles), rounded."""
    xy = _shift_xy(np.column_stack([np.asarray(lon, float), np.asarray(lat, float)]), gcj)
    return xy[:, 0], xy[:, 1]


def _label_point(geom) -> tuple[float, float]:
    """A point well inside ``geom`` for a label: the pole of inaccessibility, else a surface point."""
    try:
        p = shapely.maximum_inscribed_circle(geom, 0.01).coords[0]
    except (AttributeError, shapely.errors.GEOSException):  # pragma: no cover - older GEOS
        p = geom.point_on_surface().coords[0]
    return p[1], p[0]


def display_layers(gcj: bool) -> dict[str, gpd.GeoDataFrame]:
    """The geodata layers ready to draw, with a label point per area (cached per coordinate system and plan)."""
    from layout.plan.context import plan_key

    return _layers_for(gcj, plan_key())


@cache
def _layers_for(gcj: bool, plan: tuple) -> dict[str, gpd.GeoDataFrame]:
    layers = {
        "counties": to_display(load_counties(display=True), gcj=gcj),
        "zones": to_display(load_zone_areas(), gcj=gcj),
        "neighbours": to_display(load_neighbours(), gcj=gcj),
        "axes": to_display(load_pole_axes(), gcj=gcj),
        "water": to_display(load_water(), gcj=gcj),
    }
    for name in ("counties", "neighbours"):
        layers[name]["label_at"] = [_label_point(g) for g in layers[name].geometry]
    return layers


def layer_geojson(gcj: bool, lang: str) -> dict[str, dict]:
    """GeoJSON dicts of the neighbours, zones and counties (with their tooltips), built once per
    coordinate system, language and plan and shared by every map (folium reads them, never changes them)."""
    from layout.plan.context import plan_key

    return _geojson_for(gcj, lang, plan_key())


@cache
def _geojson_for(gcj: bool, lang: str, plan: tuple) -> dict[str, dict]:
    layers = display_layers(gcj)
    counties = layers["counties"].copy()
    counties["tip"] = [
        county_tip(name, name_en, area, lang)
        for name, name_en, area in counties[["name", "name_en", "area_km2"]].itertuples(index=False)
    ]
    return {
        "neighbours": json.loads(layers["neighbours"][["name", "pole", "geometry"]].to_json()),
        "zones": json.loads(layers["zones"][["zone", "color", "geometry"]].to_json()),
        "counties": json.loads(counties[["name", "tip", "geometry"]].to_json()),
        "water": json.loads(layers["water"][["kind", "name", "geometry"]].to_json()),
    }


def focus_geometry(focus: str, *, gcj: bool = False):
    """The area of a focus ``"county:<name>"`` or ``"zone:<id>"`` (WGS84, or GCJ-02 with ``gcj``).

    Raises
    ------
    InputError
        When the focus names no county or zone.
    """
    model = load_zone_model()
    kind, _, key = focus.partition(":")
    counties = display_layers(gcj)["counties"]
    if kind == "county" and key in model.counties:
        names = expand_counties([key], model)
    elif kind == "zone" and key in model.zones:
        zone = model.zones[key]
        names = expand_counties(zone.counties, model, primary_only_of=None if zone.kind == "pole" else key)
    else:
        raise InputError(f"focus should be county:<name> or zone:<id>, got {focus!r}")
    return shapely.union_all(counties.loc[counties["name"].isin(names), "geometry"].to_numpy())


def geometry_bounds(geom) -> list[list[float]]:
    xmin, ymin, xmax, ymax = geom.bounds
    return [[ymin, xmin], [ymax, xmax]]


def pole_arrow(line: shapely.LineString, max_deg: float = ARROW_MAX_DEG) -> tuple[list, list]:
    """A shaft (lat/lon list) from the line's start toward its end, at most ``max_deg`` long, and a
    triangular head (lat/lon list) at its tip, sized in screen-true units (longitude scaled by cos lat)."""
    (x0, y0), (x1, y1) = line.coords[0], line.coords[-1]
    k = math.cos(math.radians(y0))
    dx, dy = (x1 - x0) * k, y1 - y0
    length = math.hypot(dx, dy)
    ux, uy = dx / length, dy / length
    reach = min(length, max_deg)
    tip = (x0 + ux * reach / k, y0 + uy * reach)
    size, half = 0.12, 0.06
    base = (tip[0] - ux * size / k, tip[1] - uy * size)
    left = (base[0] - uy * half / k, base[1] + ux * half)
    right = (base[0] + uy * half / k, base[1] - ux * half)
    shaft = [[y0, x0], [base[1], base[0]]]
    head = [[tip[1], tip[0]], [left[1], left[0]], [right[1], right[0]]]
    return shaft, head


# --------------------------------------------------------------------------------------------
# Projects


def project_payload(projects: pd.DataFrame, *, lang: str = "zh", gcj: bool = False, color_by: str = "sector") -> dict:
    """Compact, escaped rows for :class:`ProjectLayer` from catalog rows that have a point.

    Each row is ``[lat, lon, sector#, precision#, name, sector, action, county, zones, poles, precision,
    quote, section, id, status]`` where text fields are indices into ``strings`` (every one escaped by
    :func:`layout.render.safe_html.html_text`).
    """
    strings: list[str] = []
    index: dict[str, int] = {}

    def s(value) -> int:
        text = "" if value is None or (isinstance(value, float) and math.isnan(value)) else str(value)
        text = html_text(text)
        if text not in index:
            index[text] = len(strings)
            strings.append(text)
        return index[text]

    # a marker's colour: its sector's, or its register status's (未填报 where there is no report)
    keys = (status_of(projects) if color_by == "status" else projects["sector"]).astype(str).tolist()
    colored = list(dict.fromkeys(keys))
    colors = [status_color(k) if color_by == "status" else SECTOR_COLORS.get(k, FALLBACK_COLOR) for k in colored]
    color_no = {x: i for i, x in enumerate(colored)}
    precisions = list(PRECISION_STYLES)
    styles = [{"name": p, **PRECISION_STYLES[p]} for p in precisions]
    lon, lat = display_lonlat(projects["lon"].to_numpy(float), projects["lat"].to_numpy(float), gcj=gcj)
    rows = []
    for i, rec in enumerate(projects.itertuples(index=False)):
        county = rec.county or ""
        computed = getattr(rec, "computed_county", None) or ""
        if computed and computed != county:
            county = f"{county}（{t('map.located_in', lang)}{computed}）" if county else computed
        precision = rec.precision if rec.precision in PRECISION_STYLES else "county"
        rows.append(
            [
                float(lat[i]),
                float(lon[i]),
                color_no[keys[i]],
                precisions.index(precision),
                s(rec.name if lang == "zh" or not getattr(rec, "name_en", "") else rec.name_en),
                s(rec.sector),
                s(rec.action),
                s(county),
                s(zone_names(rec.zones or (), lang)),
                s(zone_names(rec.poles or (), lang)),
                s(t(f"precision.{rec.precision}", lang)),
                s(rec.plan_quote),
                s(rec.plan_section),
                s(rec.id),
                s(t(f"status.{rec.status}", lang) if getattr(rec, "status", "") else ""),  # from the register
            ]
        )
    labels = {k: html_text(t(f"field.{k}", lang)) for k in ("county", "zones", "poles", "precision", "id", "status")}
    return {"strings": strings, "rows": rows, "colors": colors, "labels": labels, "styles": styles}


def county_tip(name: str, name_en: str, area: float, lang: str) -> str:
    model = load_zone_model()
    zones = zone_names(model.zones_of(name), lang)
    poles = zone_names(model.poles_of(name), lang) or t("map.no_pole", lang)
    title = f"{name_en} ({name})" if lang == "en" else f"{name}"
    area_text = t("map.area", lang).format(area=area)
    return (
        f"<b>{html_text(title)}</b> · {html_text(area_text)}<br>"
        f"{html_text(t('field.zones', lang))}：{html_text(zones)}<br>"
        f"{html_text(t('field.poles', lang))}：{html_text(poles)}"
    )
