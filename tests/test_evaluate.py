"""Implementation evaluation on real registers (SQLite files in tmp_path) with known events."""

from __future__ import annotations

import datetime as dt
import math

import pytest

from layout.errors import InputError
from layout.evaluation.figures import (
    INDICATOR_IDS,
    STATUS_ORDER,
    compare,
    evaluate,
    evaluate_indicators,
    indicator_spec,
    reported_line,
)
from layout.register.events import Register
from layout.register.vocabulary import STATUSES
from layout.render.views import effective_county

D = dt.date


def citywide_n(catalog) -> int:
    """Catalog rows in no zone or pole (全市 items)."""
    return sum(1 for z, p in zip(catalog["zones"], catalog["poles"], strict=True) if not z and not p)


def first(catalog, county: str, skip: int = 0) -> str:
    return str(catalog.loc[effective_county(catalog) == county, "id"].iloc[skip])


@pytest.fixture
def ids(catalog) -> dict[str, str]:
    return {
        "A": first(catalog, "安化县"),
        "B": first(catalog, "赫山区"),
        "C": first(catalog, "全市"),
        "D": first(catalog, "安化县", 1),
    }


@pytest.fixture
def reg(tmp_path, catalog, ids) -> Register:
    """A, D in 安化县, B in 赫山区, C citywide; B's move to 在建 on 2025-06-30 is undone later by the test."""
    r = Register(tmp_path / "register.sqlite", catalog=catalog)
    a, b, c, d = ids["A"], ids["B"], ids["C"], ids["D"]
    r.record_many(
        [
            (
                a,
                {
                    "status": "building",
                    "invest_planned": 1000,
                    "invest_done": 200,
                    "lead_unit": "安化县文旅局",
                    "note": "主体施工",
                },
            ),
            (b, {"status": "not_started", "invest_planned": 500, "lead_unit": "赫山区商务局", "note": "资金未落实"}),
            (d, {"status": "suspended", "note": "用地调整"}),
        ],
        by="测试员",
        source="2023年二季度调度表",
        as_of=D(2023, 6, 30),
    )
    r.record(c, {"status": "preparing"}, by="测试员", as_of=D(2024, 3, 31))
    r.record(a, {"status": "completed", "invest_done": 950}, by="测试员", as_of=D(2024, 12, 31))
    r.record(b, {"status": "building", "invest_done": 100}, by="测试员", as_of=D(2025, 6, 30))
    return r


def at(reg, catalog, day, scope="city", **kw):
    return evaluate(catalog, reg.state(as_of=day), as_of=day, scope=scope, **kw)


def test_before_any_report_everything_is_unreported(reg, catalog):
    ev = at(reg, catalog, D(2023, 1, 1))
    assert ev.empty and ev.total["n"] == len(catalog) > 100
    assert ev.total["reported"] == 0 and ev.total["unreported"] == len(catalog)
    assert math.isnan(ev.total["share_started"]) and math.isnan(ev.total["invest_planned"])
    assert ev.lagging.empty
    assert reported_line(ev.total) == f"已填报 0/{len(catalog)}"
    assert reported_line(ev.total, "en") == f"Reported 0/{len(catalog)}"


def test_counts_shares_sums_end_of_2023(reg, catalog, ids):
    ev = at(reg, catalog, D(2023, 12, 31))
    t = ev.total
    assert (t["reported"], t["building"], t["not_started"], t["suspended"]) == (3, 1, 1, 1)
    assert t["unreported"] == len(catalog) - 3
    assert (t["started"], t["completed_n"]) == (1, 0)
    assert t["share_started"] == pytest.approx(1 / 3) and t["share_completed"] == 0
    assert (t["invest_planned"], t["invest_done"], t["invest_reported"]) == (1500, 200, 2)
    assert list(ev.lagging.index) == [ids["B"], ids["D"]]  # not started, then suspended
    assert ev.lagging.loc[ids["B"], "lead_unit"] == "赫山区商务局" and ev.lagging.loc[ids["B"], "note"] == "资金未落实"
    assert list(ev.lagging["lag_reason"]) == ["not_started", "suspended"]


def test_zone_county_sector_tables(reg, catalog, ids):
    ev = at(reg, catalog, D(2024, 12, 31))
    zones = ev.zones.set_index("key")
    # A and D in 安化县: the mountain wing and the southwest pole; B in 赫山区: the core and the central pole
    assert zones.loc["mountain_wing", "reported"] == 2 and zones.loc["mountain_wing", "completed"] == 1
    assert zones.loc["pole_southwest", "suspended"] == 1
    assert zones.loc["core", "reported"] == 1 and zones.loc["core", "not_started"] == 1
    assert zones.loc["citywide", "preparing"] == 1 and zones.loc["citywide", "n"] == citywide_n(catalog)
    assert zones.loc["mountain_wing", "share_completed"] == 0.5
    assert zones.loc["total", "reported"] == 4 and zones.loc["total", "n"] == len(catalog)
    assert list(zones.index[:3]) == ["core", "lake_wing", "mountain_wing"]
    assert zones.loc["core", "kind"] == "一核" and zones.loc["pole_central", "kind"] == "三极"
    counties = ev.counties.set_index("key")
    anhua_n = int((effective_county(catalog) == "安化县").sum())
    assert counties.loc["安化县", "n"] == anhua_n and counties.loc["安化县", "reported"] == 2
    assert counties.loc["安化县", "invest_done"] == 950 and counties.loc["赫山区", "invest_planned"] == 500
    assert counties.loc["total", "n"] == len(catalog)
    sectors = ev.sectors.set_index("key")
    sector_a = catalog.set_index("id").at[ids["A"], "sector"]
    assert sectors.loc[sector_a, "completed"] >= 1
    assert sectors["n"].drop("total").sum() == len(catalog)
    assert sectors.loc[sector_a, "group"].startswith(("三", "四", "五"))


def test_change_then_undo(reg, catalog, ids):
    day = D(2025, 12, 31)
    ev = at(reg, catalog, day)
    assert ev.projects.at[ids["B"], "status"] == "building"
    assert (ev.total["started"], ev.total["completed_n"], ev.total["invest_done"]) == (2, 1, 1050)
    # C (preparing, last report 2024-03-31) is stale; B reported 2025-06-30, exactly 6 months back: not stale
    assert ev.lagging["lag_reason"].to_dict() == {ids["D"]: "suspended", ids["C"]: "stale"}
    events = reg.events(ids["B"])
    status_event = events[(events["field"] == "status") & (events["as_of"] == D(2025, 6, 30))]
    reg.undo(int(status_event["event_id"].iloc[-1]), by="测试员")
    ev = at(reg, catalog, day)
    assert ev.projects.at[ids["B"], "status"] == "not_started"
    assert (ev.total["started"], ev.total["not_started"], ev.total["invest_done"]) == (1, 1, 1050)
    assert set(ev.lagging.index) == {ids["B"], ids["C"], ids["D"]}
    # the day before the change is unaffected by both
    assert at(reg, catalog, D(2025, 6, 29)).projects.at[ids["B"], "status"] == "not_started"


def test_stale_period_is_an_option(reg, catalog, ids):
    ev = at(reg, catalog, D(2025, 12, 31), stale_months=24)
    assert ids["C"] not in ev.lagging.index
    with pytest.raises(InputError, match="stale_months should be 1 or more"):
        at(reg, catalog, D(2025, 12, 31), stale_months=0)


def test_scopes(reg, catalog, ids):
    ev = at(reg, catalog, D(2024, 12, 31), scope="county:安化县")
    assert set(ev.projects["county"]) == {"安化县"} and ev.total["reported"] == 2
    assert list(ev.counties["key"]) == ["安化县", "total"]
    ev = at(reg, catalog, D(2024, 12, 31), scope="zone:core")
    assert ids["B"] in ev.projects.index and ids["A"] not in ev.projects.index
    with pytest.raises(InputError, match="scope should be one of city.*got 'county:北京'"):
        at(reg, catalog, D(2024, 12, 31), scope="county:北京")


def test_register_site_moves_the_point(reg, catalog, ids):
    a = ids["A"]
    row = catalog.set_index("id").loc[a]
    reg.record(a, {"site": (row["lon"], row["lat"])}, by="测试员", source="现场核实", as_of=D(2025, 1, 1))
    ev = at(reg, catalog, D(2025, 12, 31))
    assert ev.projects.at[a, "precision"] == "site"
    assert at(reg, catalog, D(2024, 12, 31)).projects.at[a, "precision"] == row["precision"]
    assert catalog.set_index("id").at[a, "precision"] == row["precision"] != "site"  # the catalog is untouched


def test_compare_two_dates(reg, catalog):
    before, after = at(reg, catalog, D(2023, 12, 31)), at(reg, catalog, D(2025, 12, 31))
    cmp = compare(before, after, grouping="zone").set_index("key")
    assert cmp.loc["total", "reported_before"] == 3 and cmp.loc["total", "reported_after"] == 4
    assert cmp.loc["total", "started_change"] == 1 and cmp.loc["total", "completed_n_change"] == 1
    assert cmp.loc["total", "invest_done_change"] == 850
    assert cmp.loc["core", "started_before"] == 0 and cmp.loc["core", "started_after"] == 1
    with pytest.raises(InputError, match="grouping should be one of"):
        compare(before, after, grouping="town")


def test_indicators_against_targets(reg):
    reg.record(
        "indicator:services_gdp_share",
        {"actual_value": 45.2, "actual_year": 2025},
        by="统计员",
        source="2025年益阳市国民经济和社会发展统计公报",
        as_of=D(2026, 3, 31),
    )
    reg.record(
        "indicator:services_value_added",
        {"actual_value": 1010, "actual_year": 2025},
        by="统计员",
        source="统计公报",
        as_of=D(2026, 3, 31),
    )
    reg.record(
        "indicator:finance_gdp_share",
        {"actual_value": 4.8, "actual_year": 2025},
        by="统计员",
        source="金融办",
        as_of=D(2026, 3, 31),
    )
    reg.record(
        "indicator:business_district",
        {"actual_value": 0, "actual_year": 2025},
        by="统计员",
        source="商务局",
        as_of=D(2026, 3, 31),
    )
    ind = evaluate_indicators(reg.indicator_state(as_of=D(2026, 6, 30))).set_index("id")
    assert list(ind.index) == list(INDICATOR_IDS)
    share = ind.loc["services_gdp_share"]
    assert share["status"] == "met" and share["gap"] == pytest.approx(1.2)
    assert share["change"] == pytest.approx(5.3) and share["change_target"] == pytest.approx(4.1)
    assert share["change_unit"] == "百分点" and share["unit"] == "%" and share["baseline"] == 39.9
    assert share["actual_source"] == "2025年益阳市国民经济和社会发展统计公报" and share["recorded_by"] == "统计员"
    assert "39.90" in share["plan_sentence"] and share["table"] == "表1"
    value = ind.loc["services_value_added"]
    assert value["status"] == "not_met" and value["gap"] == pytest.approx(-77.68)
    assert value["change"] == pytest.approx(((1010 / 740.26) ** 0.2 - 1) * 100) and value["change_target"] == 8.0
    assert ind.loc["finance_gdp_share", "status"] == "met"  # 5%左右: 4.8 ≥ 95 % of 5
    assert ind.loc["business_district", "status"] == "not_met" and math.isnan(ind.loc["business_district", "gap"])
    assert ind.loc["tourism_revenue", "status"] == "no_data" and ind.loc["tourism_revenue", "table"] == "第四章"
    assert "600亿元以上" in ind.loc["tourism_revenue", "plan_sentence"]
    en = evaluate_indicators(reg.indicator_state(as_of=D(2026, 6, 30)), lang="en").set_index("id")
    assert en.loc["services_gdp_share", "change_unit"] == "percentage points"
    # before the values were recorded: no data at all
    before = evaluate_indicators(reg.indicator_state(as_of=D(2026, 1, 1)))
    assert set(before["status"]) == {"no_data"}


def test_indicator_spec_errors():
    assert indicator_spec("retail_sales").target == 995
    with pytest.raises(InputError, match="indicator should be one of .*got 'gdp'"):
        indicator_spec("gdp")


def test_status_vocabulary():
    assert list(STATUS_ORDER) == [*STATUSES, "unreported"]
    from layout.render.palette import STATUS_COLORS, status_color

    # one palette: every evaluation status (未填报 included) has its own colour from layout.render.palette
    assert [status_color(s) for s in STATUS_ORDER] == list(STATUS_COLORS.values())


def test_indicators_as_the_plan_states_them(tmp_path, catalog):
    reg = Register(tmp_path / "ind.sqlite", catalog=catalog)
    day = D(2026, 3, 31)
    for key, value, year in (
        ("tourist_visits", 4400, 2025),
        ("services_gdp_share", 42.5, 2023),
        ("producer_services_share", 26.0, 2022),
        ("a_level_scenic_areas", 1, 2025),
        ("a_level_4a_scenic_areas", 7, 2024),
        ("tourism_revenue", 500, 2023),
    ):
        reg.record(f"indicator:{key}", {"actual_value": value, "actual_year": year}, by="统计员", as_of=day)
    ind = evaluate_indicators(reg.indicator_state(as_of=day)).set_index("id")
    # “超4400万人次”: 4400 is not over 4400
    assert ind.loc["tourist_visits", "status"] == "not_met"
    # 表1 share, 2023: path 39.90 + (44.00 − 39.90) × 3/5 = 42.36; 42.5 is on it
    share = ind.loc["services_gdp_share"]
    assert share["interim_target"] == pytest.approx(42.36) and share["status"] == "on_track"
    # producer services, 2022: path 25.40 + 6.00 × 2/5 = 27.80; 26.0 is behind; the plan's 30% vs 25.40 noted
    producer = ind.loc["producer_services_share"]
    assert producer["interim_target"] == pytest.approx(27.8) and producer["status"] == "behind"
    assert "保持 30% 以上" in producer["note"] and "25.40" in producer["note"]
    # 5A 1家 and 4A 10家 are counts: one 5A met; seven 4A in 2024, with no 2020 base, is not yet due
    five = ind.loc["a_level_scenic_areas"]
    assert (five["name"], five["status"]) == ("创建5A级景区", "met")
    four = ind.loc["a_level_4a_scenic_areas"]
    assert (four["name"], four["target"], four["unit"], four["status"]) == ("创建4A级景区", 10, "家", "not_due")
    assert ind.loc["tourism_revenue", "status"] == "not_due"  # 第四章 target, no 2020 base
    assert math.isnan(ind.loc["tourism_revenue", "interim_target"])
