"""The committed geodata layers, loaded from ``geodata/`` (cached); nothing here builds them.

Layers in ``geodata/`` (GeoJSON, RFC 7946, WGS84, 6 decimals):

- ``counties.geojson``: the six county-level units of 益阳市, full resolution, for lookups;
- ``counties_display.geojson``: the same, simplified as a coverage (shared edges kept) for web maps;
- ``neighbours.geojson``: the prefectures the three poles point at, simplified, for context;
- ``pole_axes.geojson``: the three pole axes as lines from 益阳 toward their targets;
- ``water.geojson``: lakes (polygons) and main rivers (lines) around 益阳, from GSHHG / WDBII.

The app and the tests read only these files. They are written by :mod:`layout.catalog.builder`
(``python -m layout build-geodata``), the only module that imports cnmaps and the other source packages.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import shapely
from numpy.typing import NDArray

from layout.errors import LayoutError
from layout.geo.crs import WGS84
from layout.plan.zones import ZoneModel, load_zone_model
from layout.settings import GEODATA_DIR

if TYPE_CHECKING:
    import geopandas as gpd

__all__ = [
    "DECIMALS",
    "GEODATA_DIR",
    "LAYERS",
    "OFFICIAL_AREA_KM2",
    "expand_counties",
    "layer_path",
    "county_arrays",
    "load_counties",
    "load_layer",
    "load_neighbours",
    "load_pole_axes",
    "load_water",
    "load_zone_areas",
    "water_label_anchor",
]

LAYERS = ("counties", "counties_display", "neighbours", "pole_axes", "water")
DECIMALS = 6
OFFICIAL_AREA_KM2 = 12320.0  # 益阳市's official land area


def layer_path(name: str, *, directory: Path = GEODATA_DIR) -> Path:
    if name not in LAYERS:
        raise LayoutError(f"layer should be one of {', '.join(LAYERS)}, got {name!r}")
    return directory / f"{name}.geojson"


@cache
def load_layer(name: str, directory: Path = GEODATA_DIR) -> gpd.GeoDataFrame:
    """Read one committed layer as a GeoDataFrame in EPSG:4326 (cached; do not modify in place)."""
    path = layer_path(name, directory=directory)
    if not path.exists():
        raise LayoutError(f"{path} is missing: run `python -m layout build-geodata` to rebuild geodata/")
    import geopandas as gpd  # not for the classifier's start-up (:func:`county_arrays`)

    gdf = gpd.read_file(path)
    return gdf.set_crs(WGS84, allow_override=True)


def _plan_geodata() -> Path:
    """The active plan's boundary folder (``geodata/`` for 十四五)."""
    from layout.plan.context import active_plan_files

    return active_plan_files().geodata


def load_counties(*, display: bool = False) -> gpd.GeoDataFrame:
    """The six counties: ``adcode``, ``name``, ``name_en``, ``area_km2``, geometry (EPSG:4326)."""
    return load_layer("counties_display" if display else "counties", _plan_geodata())


def county_arrays() -> tuple[list[str], list[str], NDArray[np.object_]]:
    """The counties' ``name`` and ``adcode`` values and geometries (WGS84), in file order: what the classifier
    needs of :func:`load_counties`, read with ``json`` and shapely (no geopandas, GDAL: ~0.05 s less a CLI
    run). The geometries are those :func:`load_counties` reads, to the bit (a test compares their WKB)."""
    return _county_arrays(layer_path("counties", directory=_plan_geodata()))


@cache
def _county_arrays(path: Path) -> tuple[list[str], list[str], NDArray[np.object_]]:
    if not path.exists():
        raise LayoutError(f"{path} is missing: run `python -m layout build-geodata` to rebuild geodata/")
    features = json.loads(path.read_bytes())["features"]
    props = [f["properties"] for f in features]
    geoms = shapely.from_geojson([json.dumps(f["geometry"]) for f in features])
    return [p["name"] for p in props], [p["adcode"] for p in props], geoms


def load_neighbours() -> gpd.GeoDataFrame:
    """Neighbouring prefectures with ``name``, ``name_en``, ``province`` and ``pole`` (or "")."""
    return load_layer("neighbours", _plan_geodata())


def load_pole_axes() -> gpd.GeoDataFrame:
    """One line per pole: ``pole``, ``name``, ``target``, geometry from 益阳 toward the target."""
    return load_layer("pole_axes", _plan_geodata())


def load_water() -> gpd.GeoDataFrame:
    """Lakes and rivers: ``kind`` ("lake" polygon or "river" line), ``name``, ``part``, ``name_en``,
    ``label_zh``/``label_en`` (the text a map prints, "" for unlabelled features), geometry (EPSG:4326).
    """
    return load_layer("water", _plan_geodata())


def water_label_anchor(kind: str, geom, within=None) -> shapely.Point | None:
    """Where a water feature's label goes: inside a lake's largest visible part, at the middle of a
    river's longest visible piece (``within``: the visible area, any CRS matching ``geom``); None if unseen."""
    shown = geom if within is None else geom.intersection(within)
    parts = [p for p in shapely.get_parts(shown) if not p.is_empty]
    if not parts:
        return None
    if kind == "lake":
        part = max(parts, key=lambda g: g.area)
        return part.point_on_surface() if part.area > 0 else None
    part = max(parts, key=lambda g: g.length)
    return part.interpolate(0.5, normalized=True)


def load_zone_areas() -> gpd.GeoDataFrame:
    """Core and wing zones as areas dissolved from the display counties (``zone``, ``name``, ``color``); cached
    per plan version."""
    from layout.plan.context import plan_key

    return _zone_areas(plan_key())


@cache
def _zone_areas(plan: tuple) -> gpd.GeoDataFrame:
    model = load_zone_model()
    counties = load_counties(display=True)
    rows = []
    for zone in model.zones.values():
        if zone.kind == "pole":
            continue
        names = expand_counties(zone.counties, model, primary_only_of=zone.id)
        geom = shapely.union_all(counties.loc[counties["name"].isin(names), "geometry"].to_numpy())
        rows.append(
            {"zone": zone.id, "name": zone.label_zh, "name_en": zone.name_en, "color": zone.color, "geometry": geom}
        )
    import geopandas as gpd

    return gpd.GeoDataFrame(rows, geometry="geometry", crs=WGS84)


def expand_counties(
    names: tuple[str, ...] | list[str], model: ZoneModel | None = None, *, primary_only_of: str | None = None
) -> list[str]:
    """Polygon counties covering ``names`` (大通湖区 → 南县 ∪ 沅江市, the area 中心城区 → 资阳区 ∪ 赫山区).

    With ``primary_only_of`` a zone id, only counties whose membership of that zone is primary count.
    """
    model = model or load_zone_model()
    out: list[str] = []
    for name in names:
        if primary_only_of and (m := model.membership(primary_only_of, name)) and m.role != "primary":
            continue
        for polygon_county in model.footprint(name):
            if polygon_county not in out:
                out.append(polygon_county)
    return out
