"""The explorer's view logic: URL state, filters and counts, pinyin search, summaries, indicators, i18n."""

from __future__ import annotations

import re
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest

from layout.catalog.projects import SECTORS, load_catalog
from layout.geo.boundaries import load_counties
from layout.geo.classify import where_record
from layout.i18n import LANGS, STRINGS, format_count, format_distance, t
from layout.plan.indicators import load_indicators, parse_indicators, table1_frame, targets_frame
from layout.plan.text import quote_in_plan
from layout.render.views import (
    DEFAULT_STATE,
    ViewState,
    apply_filters,
    build_search_index,
    filter_options,
    focus_mask,
    focus_options,
    project_names,
    project_table,
    search_keys,
    search_mask,
    state_from_query,
    state_to_query,
    where_explanation,
    zone_sector_counts,
    zone_sector_long,
)

ALL_SECTORS = [s for group in SECTORS.values() for s in group]


def project(id_, name, sector, county, zones, poles, precision="site", action="新建", **extra) -> dict:
    row = {
        "id": id_,
        "name": name,
        "name_en": "",
        "sector": sector,
        "action": action,
        "county": county,
        "computed_county": county if precision != "citywide" else None,
        "zones": zones,
        "poles": poles,
        "precision": precision,
        "plan_quote": "",
        "plan_section": "",
        "lon": 112.0,
        "lat": 28.5,
    }
    if precision == "citywide":
        row["lon"] = row["lat"] = float("nan")
    row.update(extra)
    return row


@pytest.fixture
def projects() -> pd.DataFrame:
    """Five hand-made rows covering the core, both wings, a 资阳 (core + lake wing) point and a citywide item."""
    return pd.DataFrame(
        [
            project(
                "A",
                "茶乡花海生态体验园",
                "文旅休闲业",
                "安化县",
                ("mountain_wing",),
                ("pole_southwest",),
                name_en="Tea Town Flower Sea",
            ),
            project("B", "长株潭对接物流园", "现代物流业", "赫山区", ("core",), ("pole_central",), precision="county"),
            project(
                "C",
                "南洞庭湖湿地旅游区",
                "文旅休闲业",
                "沅江市",
                ("lake_wing",),
                ("pole_northeast",),
                precision="town",
                action="续建",
            ),
            project("D", "资阳电商中心", "电子商务业", "资阳区", ("core", "lake_wing"), ("pole_central",)),
            project("E", "益阳工业互联网平台", "工业软件与信息服务", "全市", (), (), precision="citywide"),
        ]
    )


@pytest.fixture
def options(projects) -> dict[str, list[str]]:
    return filter_options(projects, SECTORS)


# -- URL state -----------------------------------------------------------------------------------


def test_default_state_is_an_empty_query():
    assert state_to_query(DEFAULT_STATE) == {}


def test_state_round_trips_through_the_query(options):
    state = ViewState(
        zone=("core", "lake_wing"),
        pole=("pole_central",),
        county=("赫山区",),
        sector=("电子商务业", "现代物流业"),
        action=("新建",),
        precision=("site", "town"),
        q="chaxiang",
        focus="county:安化县",
        basemap="osm",
        lang="en",
    )
    query = state_to_query(state)
    assert query["zone"] == "core,lake_wing" and query["lang"] == "en" and query["q"] == "chaxiang"
    assert state_from_query(query, options) == (state, [])


def test_query_values_are_checked_and_put_in_canonical_order(options):
    state, problems = state_from_query(
        {
            "zone": ["lake_wing,core", "nowhere"],
            "sector": "现代物流业,电子商务业",
            "lang": "fr",
            "basemap": "google",
            "focus": "county:长沙",
            "unknown": "x",
        },
        options,
    )
    assert state.zone == ("core", "lake_wing")  # repeated parameters read, order canonical
    assert state.sector == ("电子商务业", "现代物流业")  # the 3+4+5 order
    assert (state.lang, state.basemap, state.focus) == ("zh", "none", "")
    assert len(problems) == 4
    assert any("'nowhere' is not one of core, lake_wing, mountain_wing" in p for p in problems)
    assert any(p.startswith("lang: 'fr'") for p in problems)


def test_focus_options_cover_counties_and_zones():
    focus = focus_options()
    assert focus[0] == "" and "county:大通湖区" in focus and "zone:pole_southwest" in focus


# -- search --------------------------------------------------------------------------------------


def test_search_keys_give_full_pinyin_and_initials():
    full, initials = search_keys("茶乡花海")
    assert full.split("|")[0] == "chaxianghuahai" and initials.split("|")[0] == "cxhh"
    full, initials = search_keys("5G+电容器")
    assert full.startswith("5g+dianrongqi") and initials.startswith("5g+drq")


@pytest.mark.parametrize(
    "query, expected",
    [
        ("chaxiang", ["A"]),
        ("cxhh", ["A"]),
        ("茶乡", ["A"]),
        ("CHA XIANG", ["A"]),
        ("tea town", ["A"]),
        ("changzhutan", ["B"]),  # 长 read chang as well as zhang
        ("czt", ["B"]),
        ("wenlv", []),
        ("lvyou", ["C"]),
        ("", ["A", "B", "C", "D", "E"]),
        ("zzzz", []),
    ],
)
def test_search_matches_chinese_pinyin_and_initials(projects, query, expected):
    index = build_search_index(projects)
    assert projects.loc[search_mask(index, query), "id"].tolist() == expected


# -- filtering and counts ------------------------------------------------------------------------


def test_filters_or_within_and_across(projects, options):
    state = ViewState(zone=("core", "mountain_wing"), sector=("文旅休闲业", "电子商务业"))
    result = apply_filters(projects, state, options)
    assert result.points["id"].tolist() == ["A", "D"]


def test_citywide_items_ignore_location_filters_but_not_the_others(projects, options):
    result = apply_filters(projects, ViewState(county=("赫山区",)), options)
    assert result.points["id"].tolist() == ["B"]
    assert result.citywide["id"].tolist() == ["E"]
    assert apply_filters(projects, ViewState(sector=("文旅休闲业",)), options).citywide.empty
    assert apply_filters(projects, ViewState(precision=("site",)), options).citywide.empty


def test_counts_follow_the_other_filters(projects, options):
    result = apply_filters(projects, ViewState(zone=("core",), sector=("电子商务业",)), options)
    assert result.counts["zone"] == {"core": 1, "lake_wing": 1, "mountain_wing": 0}
    assert result.counts["sector"]["现代物流业"] == 1 and result.counts["sector"]["文旅休闲业"] == 0
    # the citywide item counts under its own sector, whatever the location filters
    assert result.counts["sector"]["工业软件与信息服务"] == 1
    assert result.total == 1


def test_rows_without_coordinates_are_listed_apart(projects, options):
    projects.loc[projects["id"] == "C", ["lon", "lat"]] = float("nan")
    result = apply_filters(projects, ViewState(zone=("lake_wing",)), options)
    assert result.points["id"].tolist() == ["D"] and result.unplaced["id"].tolist() == ["C"]
    assert result.total == 3  # D, C and the citywide E


def test_focus_lists_a_county_or_a_zone(projects):
    assert projects.loc[focus_mask(projects, "county:资阳区"), "id"].tolist() == ["D"]
    assert projects.loc[focus_mask(projects, "zone:lake_wing"), "id"].tolist() == ["C", "D"]
    assert projects.loc[focus_mask(projects, "zone:pole_central"), "id"].tolist() == ["B", "D"]
    assert focus_mask(projects, "").all()


# -- summaries -----------------------------------------------------------------------------------


def test_zone_sector_counts_count_every_zone_a_project_is_in(projects):
    table = zone_sector_counts(projects, ALL_SECTORS)
    assert list(table.columns) == [*ALL_SECTORS, "合计"]
    assert table.loc["一核·中心城区现代服务业引领区", "电子商务业"] == 1
    assert table.loc["两翼·益沅南湖区服务业发展支撑区", "合计"] == 2  # C and 资阳's D
    assert table.loc["全市性", "工业软件与信息服务"] == 1
    long = zone_sector_long(table)
    assert set(long.columns) == {"片区", "行业", "合计"} and (long["合计"] > 0).all()
    assert "三极·中部对接长株潭" not in set(long["片区"])  # the chart shows zones, the table poles too


def test_zone_sector_counts_in_english(projects):
    table = zone_sector_counts(projects, ALL_SECTORS, lang="en")
    assert "Total" in table.columns and "Citywide" in table.index


def test_where_explanation_quotes_the_plan():
    counties = load_counties().set_index("name")
    inside = counties.loc["资阳区", "geometry"].representative_point()
    record = where_record(str(inside.x), str(inside.y), "wgs84")
    assert record["county"] == "资阳区"
    explained = where_explanation(record)
    assert [z["id"] for z in explained["zones"]] == ["core", "lake_wing"]
    assert explained["zones"][1]["role"] == "secondary"
    assert [p["id"] for p in explained["poles"]] == ["pole_central"]
    for item in explained["zones"] + explained["poles"]:
        assert quote_in_plan(item["definition"]) and quote_in_plan(item["quote"])


# -- the shipped catalog -------------------------------------------------------------------------


def test_the_shipped_catalog_filters_and_counts():
    catalog = load_catalog()
    options = filter_options(catalog, SECTORS)
    result = apply_filters(catalog, DEFAULT_STATE, options)
    assert result.total == len(catalog)
    no_place = catalog["precision"].isin(["citywide", "route"]) & (catalog["county"] == "全市")
    assert len(result.citywide) == int(no_place.sum())
    narrowed = apply_filters(catalog, ViewState(county=("安化县",)), options)
    assert 0 < len(narrowed.points) < len(result.points)
    assert sum(result.counts["precision"].values()) == len(catalog)
    assert search_mask(build_search_index(catalog), "cxhh").any()  # 茶乡花海生态体验园


# -- indicators ----------------------------------------------------------------------------------


def test_table1_is_as_the_plan_prints_it():
    t1 = load_indicators().table1.set_index("name")
    assert t1.loc["服务业增加值", ["y2020", "y2025", "growth", "growth_kind"]].tolist() == [
        "740.26",
        "1087.68",
        "8.0% 以上",
        "平均",
    ]
    assert t1.loc["服务业增加值占 GDP 比重", ["y2020", "y2025", "growth"]].tolist() == ["39.90", "44.00", "4.10%"]
    assert t1.loc["服务业从业人员占全社会从业人员比重", ["y2020", "y2025"]].tolist() == ["46.64", "49.90"]
    assert t1.loc["生产性服务业占服务业增加值", ["y2020", "y2025", "growth"]].tolist() == ["25.40", "31.40", "6.00%"]
    growth = table1_frame().iloc[:, 3].tolist()
    assert growth == ["8.0% 以上 [平均]", "4.10 个百分点 [累积]", "3.26 个百分点 [累积]", "6.00 个百分点 [累积]"]
    assert table1_frame(lang="en").iloc[1, 3] == "4.10 percentage points [cumulative]"  # not "4.10%": no rate


def test_each_target_shows_its_own_period():
    frame = targets_frame().set_index("指标")
    assert "目标（2025年）" not in frame.columns
    assert frame.at["电商营业额", "目标期限"] == "“十四五”期间" and frame.at["旅游总收入", "目标期限"] == "到2025年"
    assert frame.at["新增4A级物流企业", "目标期限"] == "未注明年份"
    for period, source in zip(load_indicators().targets["period"], load_indicators().targets["source"], strict=True):
        assert ("2025" in source) == (period == "到2025年") or period == "“十四五”期间", source


def test_every_indicator_and_target_quotes_the_plan_verbatim():
    ind = load_indicators()
    assert quote_in_plan(ind.context) and quote_in_plan(ind.title)
    for source in [*ind.table1["source"], *ind.targets["source"]]:
        assert quote_in_plan(source), source
    for value, source in zip(ind.targets["value"], ind.targets["source"], strict=True):
        digits = "".join(ch for ch in value if ch.isdigit())
        assert digits in "".join(ch for ch in source if ch.isdigit()), value


def test_sector_targets_name_the_catalog_sectors():
    targets = load_indicators().targets
    assert set(targets["sector"]) <= set(ALL_SECTORS)
    by = dict(zip(targets["indicator"], targets["value"], strict=False))
    assert by["旅游总收入"] == "600亿元以上" and by["社会消费品零售总额"] == "995亿元以上"
    assert by["软件和信息服务收入"] == "年均增速15%以上" and by["物流业增加值"] == "年均增长8%"
    assert by["金融业增加值占GDP比重"] == "5%左右" and by["电商营业额"].endswith("增长30%以上")
    frame = targets_frame(sectors=ALL_SECTORS)
    assert frame["行业"].tolist()[0] == "电子商务业" and list(frame.columns)[-1] == "规划原文"


def test_broken_indicators_are_reported_at_once():
    from layout.errors import LayoutError

    with pytest.raises(
        LayoutError,
        match=r"\[\[table1\]\] entry 1: unit, unit_en, source should be non-empty text; "
        r"\[\[targets\]\] is empty",
    ):
        parse_indicators(
            {
                "table1": [
                    {
                        "name": "x",
                        "name_en": "x",
                        "unit_en": "",
                        "y2020": "1",
                        "y2025": "2",
                        "growth": "1",
                        "growth_kind": "平均",
                    }
                ],
                "targets": [],
            }
        )


# -- i18n ----------------------------------------------------------------------------------------


def test_every_ui_string_has_both_languages():
    assert LANGS == ("zh", "en")
    for key, (zh, en) in STRINGS.items():
        assert zh.strip() and en.strip(), key
        assert zh.count("{") == en.count("{"), key


def test_ui_strings_and_numbers_read_naturally():
    assert t("tab.map") == "地图" and t("tab.map", "en") == "Map" and t("no.such.key") == "no.such.key"
    assert t("count.shown", "zh", points=3, citywide=1, total=4).startswith("地图上 3 个项目")
    assert format_count(1234) == "1,234" and format_count(12000) == "1.2万" and format_count(12000, "en") == "12,000"
    assert format_distance(0.85) == "850 米" and format_distance(3.21) == "3.2 公里"
    assert format_distance(3.21, "en") == "3.2 km" and format_distance(np.nan) == "—"


def test_the_view_modules_import_no_streamlit():
    code = (
        "import sys, layout.render.views, layout.render.webmap, layout.render.assets, layout.i18n, "
        "layout.plan.indicators; "
        "sys.exit('streamlit' in sys.modules)"
    )
    assert subprocess.run([sys.executable, "-c", code], check=False).returncode == 0


def test_the_layout_is_explained_in_the_plans_words():
    from layout.plan.text import quote_in_plan
    from layout.render.views import layout_explanation

    zh, en = layout_explanation("zh"), layout_explanation("en")
    assert quote_in_plan(zh["overview"]) and "一核两翼三极" in zh["overview"]
    assert [len(zh[k]) for k in ("core", "wing", "pole")] == [1, 2, 3]
    assert all(quote_in_plan(item["definition"]) for k in ("core", "wing", "pole") for item in zh[k])
    assert zh["core"][0]["counties"] == "资阳区、赫山区"
    assert en["wing"][0]["counties"] == "Yuanjiang City, Nan County, Datong Lake District"  # 资阳区 only secondary


def test_every_catalog_action_reads_in_english_and_as_a_kind_of_work():
    from layout.catalog.projects import load_catalog
    from layout.render.views import ACTIONS, action_label, action_phrase

    actions = set(load_catalog()["action"].dropna().astype(str)) - {""}
    unknown = {a for a in actions if not any(a.startswith(v) for v in ACTIONS)}
    assert not unknown, unknown
    assert all(not re.search(r"[\u3400-\u9fff]", action_label(a, "en")) for a in actions)
    assert action_label("新建", "en") == "New build" and action_label("新建", "zh") == "新建"
    assert action_phrase("续建") == "续建项目" and action_phrase("升级改造", "en") == "Upgrade"
    assert action_phrase("利用") == "" and action_phrase(None) == ""  # only a verb: no kind of work


def test_status_filter_reads_the_register_and_counts_unreported_projects(tmp_path, options):
    from layout.register.events import Register
    from layout.register.overlay import overlay_register

    catalog = load_catalog()
    register = Register(tmp_path / "register.sqlite")
    register.record("P001", {"status": "building"}, by="测试", source="调度表")
    register.record("P002", {"status": "在建"}, by="测试", source="调度表")
    register.record("P003", {"status": "suspended"}, by="测试", source="调度表")
    shown = overlay_register(catalog, register.state())
    building = apply_filters(shown, ViewState(status=("building",)), options)
    assert sorted(building.points["id"].tolist() + building.citywide["id"].tolist()) == ["P001", "P002"]
    counts = apply_filters(shown, ViewState(), options).counts["status"]
    assert counts["building"] == 2 and counts["suspended"] == 1 and counts["operating"] == 0
    assert counts["unreported"] == len(catalog) - 3
    # without a register every project is unreported, and the filter still works
    assert apply_filters(catalog, ViewState(status=("unreported",)), options).total == len(catalog)
    assert state_to_query(ViewState(status=("building", "unreported"))) == {"status": "building,unreported"}


def test_central_city_rows_have_a_county_filter_option_of_their_own(options):
    catalog = load_catalog()
    central = catalog[catalog["county"] == "中心城区"]
    assert "中心城区" in options["county"] and len(central) >= 2
    result = apply_filters(catalog, ViewState(county=("中心城区",)), options)
    assert set(result.points["id"]) | set(result.unplaced["id"]) == set(central["id"])
    assert result.counts["county"]["中心城区"] == len(central)


def test_a_search_down_to_one_project_is_where_the_map_zooms():
    """Issue 21, item 7: the map zooms to the one project a search found; no target otherwise."""
    from layout.catalog.projects import SECTORS, load_catalog
    from layout.render.views import apply_filters, build_search_index, filter_options, search_target

    catalog = load_catalog()
    options = filter_options(catalog, dict(SECTORS))
    located = catalog[catalog["lon"].notna() & (catalog["precision"] != "citywide")]
    names = located["name"].astype(str)
    unique = next(n for n in names if (catalog["name"].astype(str).str.contains(n, regex=False)).sum() == 1)
    row = located.loc[names == unique].iloc[0]
    index = build_search_index(catalog)
    state = ViewState(q=unique)
    assert search_target(state, apply_filters(catalog, state, options, index=index)) == (row["lon"], row["lat"])
    assert search_target(ViewState(), apply_filters(catalog, ViewState(), options, index=index)) is None


def _rows(**overrides) -> pd.DataFrame:
    """Two catalog rows written out by hand: one with an English name, one without."""
    rows = pd.DataFrame(
        {
            "id": ["P002", "P900"],
            "name": ["龙桥公共保税仓", "某<b>中心</b>"],
            "name_en": ["Longqiao public bonded warehouse", None],
            "sector": ["现代物流业", "未知行业"],
            "action": ["运行", None],
            "county": ["赫山区", ""],
            "computed_county": ["赫山区", "南县"],
            "zones": [("core",), ()],
            "poles": [(), ("pole_northeast",)],
            "precision": ["county", "site"],
            "plan_section": ["第一章 一（一）", None],
            "plan_quote": ["龙桥公共保税仓、出口监管仓正式运行", None],
        }
    )
    return rows.assign(**overrides)


def test_project_table_in_chinese():
    table = project_table(_rows(), "zh")
    assert list(table.columns) == [
        "编号", "项目名称", "行业", "建设类型", "县（市、区）", "片区", "三极", "定位精度", "规划章节", "规划原文",
    ]  # fmt: skip
    assert table.iloc[0].tolist() == [
        "P002", "龙桥公共保税仓", "现代物流业", "运行", "赫山区", "一核·中心城区现代服务业引领区", "", "县级（近似）",
        "第一章 一（一）", "龙桥公共保税仓、出口监管仓正式运行",
    ]  # fmt: skip
    # no stated county: the computed one; markup stays text; an unknown sector shows as written
    assert table.iloc[1].tolist() == [
        "P900", "某<b>中心</b>", "未知行业", "", "南县", "", "三极·东北部对接湘鄂边", "精确点位", "", "",
    ]  # fmt: skip


def test_project_table_in_english_uses_the_english_name_where_there_is_one():
    table = project_table(_rows(), "en")
    assert list(table.columns)[:4] == ["ID", "Name", "Sector", "Action"]
    assert table["Name"].tolist() == ["Longqiao public bonded warehouse", "某<b>中心</b>"]
    assert table["Sector"].tolist() == ["Modern logistics", "未知行业"]
    assert table["Action"].tolist() == ["Operate", ""]
    assert table["Zone(s)"].tolist() == ["Core", ""] and table["Precision"].tolist() == [
        "County (approximate)",
        "Exact site",
    ]
    assert project_table(_rows().drop(columns="name_en"), "en")["Name"].tolist()[0] == "龙桥公共保税仓"


def test_project_names_fall_back_to_chinese_per_row():
    rows = _rows()
    assert project_names(rows, "zh").tolist() == ["龙桥公共保税仓", "某<b>中心</b>"]
    assert project_names(rows, "en").tolist() == ["Longqiao public bonded warehouse", "某<b>中心</b>"]
    assert project_names(rows.assign(name_en=["", None]), "en").tolist() == ["龙桥公共保税仓", "某<b>中心</b>"]
