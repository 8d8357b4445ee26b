"""The committed geodata: real boundaries that tile, rebuilt reproducibly."""

from __future__ import annotations

import itertools
import json

import pytest
import shapely

from layout.geo.boundaries import (
    GEODATA_DIR,
    LAYERS,
    OFFICIAL_AREA_KM2,
    expand_counties,
    load_counties,
    load_neighbours,
    load_pole_axes,
    load_zone_areas,
)

SIX = {
    "资阳区": "430902",
    "赫山区": "430903",
    "南县": "430921",
    "桃江县": "430922",
    "安化县": "430923",
    "沅江市": "430981",
}


@pytest.mark.parametrize("display", [False, True])
def test_counties_are_the_six_with_their_adcodes(display):
    counties = load_counties(display=display)
    assert dict(zip(counties["name"], counties["adcode"], strict=True)) == SIX
    assert list(counties.columns) == ["adcode", "name", "name_en", "area_km2", "geometry"]
    assert counties.crs.to_epsg() == 4326
    assert counties.geometry.is_valid.all()


@pytest.mark.parametrize("display", [False, True])
def test_counties_tile_without_overlaps_or_gaps(display):
    metric = load_counties(display=display).to_crs("EPSG:4546").geometry.to_numpy()
    overlap_km2 = sum(shapely.intersection(a, b).area for a, b in itertools.combinations(metric, 2)) / 1e6
    assert overlap_km2 < 0.01
    union = shapely.union_all(metric)
    assert shapely.get_num_geometries(union) == 1
    assert shapely.get_num_interior_rings(union) == 0  # no gap between neighbours


def test_total_area_matches_the_official_figure_within_one_percent():
    total = load_counties()["area_km2"].sum()
    assert abs(total - OFFICIAL_AREA_KM2) / OFFICIAL_AREA_KM2 < 0.01
    recomputed = load_counties().to_crs("EPSG:4546").area.sum() / 1e6
    assert recomputed == pytest.approx(total, abs=0.1)


def test_display_copy_is_much_smaller_but_keeps_the_area():
    full, display = load_counties(), load_counties(display=True)
    assert (
        shapely.get_num_coordinates(display.geometry.to_numpy()).sum()
        < 0.5 * shapely.get_num_coordinates(full.geometry.to_numpy()).sum()
    )
    area = display.to_crs("EPSG:4546").area.sum() / 1e6
    assert area == pytest.approx(full["area_km2"].sum(), rel=0.002)


def test_geojson_files_follow_rfc7946():
    for name in LAYERS:
        doc = json.loads((GEODATA_DIR / f"{name}.geojson").read_text(encoding="utf-8"))
        assert "crs" not in doc  # RFC 7946: WGS84 only, no crs member
        coords = shapely.get_coordinates(shapely.from_geojson(json.dumps(doc)))
        decimals = {len(repr(float(v)).split(".")[1]) for v in coords.ravel()}
        assert max(decimals) <= 6
    for geom in load_counties().geometry:
        for poly in shapely.get_parts(geom):
            assert poly.exterior.is_ccw  # right-hand rule: exterior rings counter-clockwise


def test_neighbours_cover_every_pole_target():
    neighbours = load_neighbours()
    assert {
        "长沙市",
        "株洲市",
        "湘潭市",
        "岳阳市",
        "荆州市",
        "武汉市",
        "常德市",
        "娄底市",
        "怀化市",
        "邵阳市",
        "湘西土家族苗族自治州",
        "张家界市",
        "衡阳市",
        "郴州市",
        "永州市",
    } == set(neighbours["name"])
    assert set(neighbours.loc[neighbours["province"] == "湖北省", "name"]) == {"荆州市", "武汉市"}
    assert set(neighbours["pole"]) == {"pole_northeast", "pole_central", "pole_southwest"}
    # 大湘南 too: the plan says "加强与大湘西和大湘南的多区联动"
    assert set(neighbours.loc[neighbours["name"].isin(["衡阳市", "郴州市", "永州市"]), "pole"]) == {"pole_southwest"}


def test_pole_axes_start_in_their_members_and_point_at_their_targets():
    axes = load_pole_axes().set_index("pole")
    counties = load_counties().set_index("name")
    neighbours = load_neighbours().set_index("name")
    for pole, members, target in [
        ("pole_northeast", ["南县", "沅江市"], "武汉市"),
        ("pole_central", ["资阳区", "赫山区"], "长沙市"),
        ("pole_southwest", ["安化县"], "怀化市"),
    ]:
        start, end = (shapely.Point(c) for c in axes.at[pole, "geometry"].coords)
        assert shapely.union_all(counties.loc[members, "geometry"].to_numpy()).contains(start)
        assert neighbours.at[target, "geometry"].contains(end)


def test_zone_areas_follow_primary_memberships():
    areas = load_zone_areas().set_index("zone")
    assert set(areas.index) == {"core", "lake_wing", "mountain_wing"}
    counties = load_counties(display=True).set_index("name")
    lake = shapely.union_all(counties.loc[["南县", "沅江市"], "geometry"].to_numpy())
    # 资阳区's lake-wing affiliation is secondary: it is not painted into the lake wing
    assert areas.at["lake_wing", "geometry"].symmetric_difference(lake).area < 1e-9


def test_datonghu_expands_to_its_footprint():
    assert expand_counties(["大通湖区"]) == ["南县", "沅江市"]
    assert expand_counties(["资阳区", "大通湖区", "南县"]) == ["资阳区", "南县", "沅江市"]


def test_committed_geodata_equals_a_fresh_build(tmp_path):
    pytest.importorskip("cnmaps", reason="build-geodata needs the [geodata] extra (installed by make test)")
    from layout.catalog.builder.geodata import build_geodata

    written = build_geodata(tmp_path)
    for path in written:
        if path.suffix == ".md":
            continue  # carries the build date
        assert path.read_bytes() == (GEODATA_DIR / path.name).read_bytes(), f"{path.name} differs: rebuild"
