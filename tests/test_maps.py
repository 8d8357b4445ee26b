"""The explorer's folium map: offline assets, layers, escaping, GCJ-02 shift, determinism and size."""

from __future__ import annotations

import copy
import json
import re

import numpy as np
import pandas as pd
import pytest
import shapely

from layout.catalog.projects import SECTOR_NAMES
from layout.errors import InputError, LayoutError
from layout.geo.boundaries import load_counties
from layout.geo.crs import wgs84_to_gcj02
from layout.render import assets
from layout.render.palette import SECTOR_COLORS, status_color
from layout.render.webmap import build_map, map_html_size
from layout.render.webmap_data import PRECISION_STYLES, focus_geometry, project_payload
from layout.render.webmap_elements import FitView, Labels, ProjectLayer

XSS = "<img src=x onerror=alert(1)>"
LINK = re.compile(r'<(?:script|link)\b[^>]*?(?:src|href)="([^"]+)"')
FOLIUM_ID = re.compile(r"_[0-9a-f]{32}")


def points(n: int = 3) -> pd.DataFrame:
    """``n`` hand-made projects inside 安化县, the first named like an XSS attack."""
    anhua = load_counties().set_index("name").loc["安化县", "geometry"].representative_point()
    rows = []
    for i in range(n):
        rows.append(
            {
                "id": f"T{i}",
                "name": XSS if i == 0 else f"测试项目{i}",
                "name_en": "",
                "sector": "文旅休闲业",
                "action": "新建",
                "county": "安化县",
                "computed_county": "安化县",
                "zones": ("mountain_wing",),
                "poles": ("pole_southwest",),
                "precision": ("site", "town", "county")[i % 3],
                "plan_quote": "以天意木国、茶乡花海等为引爆点 <b>",
                "plan_section": "第四章 一（二）",
                "lon": anhua.x + i * 0.01,
                "lat": anhua.y,
            }
        )
    return pd.DataFrame(rows)


def render(m) -> str:
    return m.get_root().render()


def shows(html: str, text: str) -> bool:
    """Whether ``text`` is in the page as HTML or as a string in its script (folium's ``tojson`` escapes
    non-ASCII and ``<>&'``)."""
    escaped = json.dumps(text)[1:-1]
    for ch, code in (("&", "\\u0026"), ("<", "\\u003c"), (">", "\\u003e"), ("'", "\\u0027")):
        escaped = escaped.replace(ch, code)
    return text in html or escaped in html


# -- offline assets ------------------------------------------------------------------------------


def test_every_script_and_stylesheet_is_served_by_the_app(tmp_path):
    html = render(build_map(points()))
    links = LINK.findall(html)
    assert links and all(url.startswith(assets.VENDOR_URL + "/") for url in links), links
    assert not re.search(r"https?://", " ".join(links))
    assets.ensure_static_assets(tmp_path)
    for url in links:
        assert (tmp_path / url.removeprefix(assets.VENDOR_URL + "/")).is_file(), url
    assert "leaflet.markercluster.js" in html and "jquery" in html  # clustering; folium popups need jQuery


def test_static_assets_are_copied_once(tmp_path):
    first = assets.ensure_static_assets(tmp_path)
    assert {p.name for p in first} >= {
        "leaflet.js",
        "leaflet.css",
        "leaflet.markercluster.js",
        "jquery.min.js",
        "layers.png",
    }
    assert assets.ensure_static_assets(tmp_path) == []
    (tmp_path / "leaflet" / "leaflet.js").write_text("stale")
    assert [p.name for p in assets.ensure_static_assets(tmp_path)] == ["leaflet.js"]


def test_inlined_page_needs_no_server():
    html = assets.inline_assets(render(build_map(points())))
    assert not LINK.findall(html)
    assert "L.markerClusterGroup" in html and "Leaflet" in html


def test_unknown_asset_is_a_clear_error():
    with pytest.raises(LayoutError, match="asset should be one of leaflet, "):
        assets.asset("d3")


# -- layers --------------------------------------------------------------------------------------


def labels(m) -> set[str]:
    """Every text label drawn on ``m``."""
    found, todo = set(), [m]
    while todo:
        element = todo.pop()
        if isinstance(element, Labels):
            found |= {label[2] for label in element.labels}
        todo.extend(element._children.values())
    return found


def test_map_has_every_layer_a_control_and_a_legend():
    m = build_map(points())
    html = render(m)
    for name in ("周边市州", "一核两翼（片区）", "县（市、区）界", "三极对接方向", "重点项目 (3)"):
        assert shows(html, name), name
    assert "L.control.layers" in html and 'class="map-legend"' in html
    assert {"资阳区", "安化县", "湘鄂边 · 武汉都市圈", "长株潭", "大湘西南", "常德市"} <= labels(m)


def test_english_map():
    m = build_map(points(), lang="en")
    html = render(m)
    assert shows(html, "Key projects (3)") and "Legend" in html
    assert {"Anhua County", "Changsha-Zhuzhou-Xiangtan", "Changde"} <= labels(m)


def test_every_sector_has_its_colour_in_the_plans_order():
    assert list(SECTOR_COLORS) == SECTOR_NAMES
    assert len(set(SECTOR_COLORS.values())) == len(SECTOR_COLORS)


def test_approximate_points_look_different():
    payload = project_payload(points())
    styles = payload["styles"]
    assert [s["name"] for s in styles] == list(PRECISION_STYLES)
    site, town, county = styles
    assert site["dashArray"] is None and town["dashArray"] and county["dashArray"]
    assert site["fillOpacity"] > town["fillOpacity"] > county["fillOpacity"]
    assert [row[3] for row in payload["rows"]] == [0, 1, 2]


def test_markers_and_legend_can_show_the_register_status():
    projects = points(3).assign(status=["building", "", "suspended"])
    payload = project_payload(projects, color_by="status")
    shown = [payload["colors"][row[2]] for row in payload["rows"]]
    assert shown == [status_color("在建"), status_color("未填报"), status_color("暂停")]
    assert len(set(shown)) == 3
    by_sector = project_payload(projects)
    assert {by_sector["colors"][row[2]] for row in by_sector["rows"]} == {SECTOR_COLORS[projects["sector"][0]]}
    html = render(build_map(projects, color_by="status"))
    assert "实施状态" in html and "未填报" in html and "已运营" in html
    assert "实施状态" not in render(build_map(projects))


def test_catalog_text_is_escaped_and_runs_nothing():
    html = render(build_map(points()))
    assert "<img src=x" not in html and "<b>" not in html.split("project_layer")[-1]
    payload = project_payload(points())
    assert "&lt;img src=x onerror=alert(1)&gt;" in payload["strings"]
    assert all("<" not in s and ">" not in s for s in payload["strings"])


def test_popup_carries_what_the_officer_needs():
    payload = project_payload(points(1))
    row = payload["rows"][0]
    text = [payload["strings"][i] for i in row[4:]]
    assert text[1:4] == ["文旅休闲业", "新建", "安化县"]
    assert "益桃安山区服务业发展支撑区" in text[4] and "西南部对接大湘西南" in text[5]
    assert text[6] == "精确点位" and text[8] == "第四章 一（二）" and text[9] == "T0"
    assert text[10] == ""  # no status: the project register has none for it
    assert set(payload["labels"]) == {"county", "zones", "poles", "precision", "id", "status"}
    with_status = project_payload(points(1).assign(status="building"))
    assert with_status["strings"][with_status["rows"][0][14]] == "在建"


def test_points_without_coordinates_are_not_drawn():
    df = pd.concat([points(2), points(1).assign(id="X", lon=np.nan, lat=np.nan, precision="citywide")])
    assert shows(render(build_map(df)), "重点项目 (2)")


# -- basemaps and focus --------------------------------------------------------------------------


def test_amap_shifts_every_overlay_into_gcj02():
    df = points(1)
    wgs = project_payload(df)["rows"][0]
    gcj = project_payload(df, gcj=True)["rows"][0]
    glon, glat = wgs84_to_gcj02(df["lon"], df["lat"])
    assert gcj[:2] == pytest.approx([glat[0], glon[0]], abs=1e-5)
    assert 300 < np.hypot((gcj[0] - wgs[0]) * 111e3, (gcj[1] - wgs[1]) * 98e3) < 900
    html = render(build_map(df, basemap="amap"))
    assert "autonavi.com" in html
    county = focus_geometry("county:安化县", gcj=True)
    assert county.centroid.x - focus_geometry("county:安化县").centroid.x == pytest.approx(0.0053, abs=0.002)


def test_basemaps_need_what_they_need():
    assert "tile.openstreetmap.org" in render(build_map(points(), basemap="osm"))
    assert "tianditu.gov.cn" in render(build_map(points(), basemap="tianditu", tianditu_key="k123"))
    with pytest.raises(InputError, match="basemap 'tianditu' needs a key"):
        build_map(points(), basemap="tianditu")
    with pytest.raises(InputError, match="basemap should be one of none, osm, amap, tianditu, got 'google'"):
        build_map(points(), basemap="google")
    assert "{z}" not in render(build_map(points()))  # the default draws no tiles at all


def test_focus_zooms_to_the_county_or_zone():
    m = build_map(points(), focus="county:安化县")
    fit = next(c for c in m._children.values() if isinstance(c, FitView))
    (south, west), (north, east) = fit.bounds
    anhua = load_counties().set_index("name").loc["安化县", "geometry"]
    assert shapely.box(west, south, east, north).contains(anhua.buffer(-0.01))
    assert (east - west) < 1.5
    zone = focus_geometry("zone:lake_wing")
    assert zone.contains(load_counties().set_index("name").loc["南县", "geometry"].representative_point())
    with pytest.raises(InputError, match="focus should be county:<name> or zone:<id>, got 'county:长沙'"):
        build_map(points(), focus="county:长沙")


# -- determinism, size, scale --------------------------------------------------------------------


def test_the_same_view_renders_the_same_html(catalog):
    first = FOLIUM_ID.sub("_id", render(build_map(catalog, focus="zone:core")))
    second = FOLIUM_ID.sub("_id", render(build_map(catalog, focus="zone:core")))
    assert first == second


def test_copies_share_the_bulk_data_and_render_alike(catalog):
    m = build_map(catalog)
    twin = copy.deepcopy(m)
    assert FOLIUM_ID.sub("_id", render(twin)) == FOLIUM_ID.sub("_id", render(build_map(catalog)))
    layers = [c for c in m._children.values() if isinstance(c, ProjectLayer)]
    twins = [c for c in twin._children.values() if isinstance(c, ProjectLayer)]
    assert twins[0] is not layers[0] and twins[0].rows is layers[0].rows
    assert m.get_bounds() == m.view_bounds  # st_folium asks for bounds on every rerun: no coordinate walk


def test_default_view_stays_under_600_kb(catalog):
    m = build_map(catalog)
    assert map_html_size(m) <= 600_000
    layer = next(c for c in m._children.values() if isinstance(c, ProjectLayer))
    assert len(layer.rows) == int(catalog["lon"].notna().sum()) > 0


def test_ten_thousand_projects_stay_compact():
    rng = np.random.default_rng(7)
    base = points(1).iloc[[0] * 10_000].reset_index(drop=True)
    base["id"] = [f"S{i}" for i in range(len(base))]
    base["name"] = [f"合成项目{i}" for i in range(len(base))]
    base["lon"] = rng.uniform(111.0, 112.5, len(base))
    base["lat"] = rng.uniform(28.0, 29.3, len(base))
    html = render(build_map(base))
    assert "L.markerClusterGroup" in html and shows(html, "重点项目 (10000)")
    assert len(html) < 3_000_000
