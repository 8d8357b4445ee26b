"""The boundaries from cnmaps: 益阳's six county polygons (exact and simplified for display), the
neighbouring prefectures and the poles' axes, built in memory."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import shapely

from layout.catalog.builder.common import round_rfc7946
from layout.errors import LayoutError
from layout.geo.boundaries import expand_counties
from layout.geo.crs import METRIC, WGS84
from layout.plan.zones import POLYGON_COUNTIES, ZoneModel, load_zone_model

DISPLAY_TOLERANCE_DEG = 0.002  # about 200 m: invisible at city zoom, a fraction of the vertices
NEIGHBOUR_TOLERANCE_DEG = 0.01

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
        geometry=round_rfc7946(raw.geometry.to_numpy()),
        crs=WGS84,
    )
    gdf["area_km2"] = _area_km2(gdf)
    return gdf[["adcode", "name", "name_en", "area_km2", "geometry"]]


def simplify_coverage(gdf: gpd.GeoDataFrame, tolerance: float) -> gpd.GeoDataFrame:
    """Simplify polygons that tile together so neighbours keep shared edges (no gaps, no slivers)."""
    out = gdf.copy()
    out["geometry"] = round_rfc7946(shapely.coverage_simplify(gdf.geometry.to_numpy(), tolerance))
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
