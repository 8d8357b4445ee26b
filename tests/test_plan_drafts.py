"""Draft edits as events: round trips on real files in tmp_path, undo rules, validation, the TOML writer."""

from __future__ import annotations

import re
import tomllib

import pytest

from layout.drafting.drafts import open_draft
from layout.drafting.versions import get_plan, list_plans, new_plan
from layout.errors import InputError
from layout.i18n import error_text
from layout.plan.toml_io import dumps_zone_toml
from layout.plan.zones import POLYGON_COUNTIES, ZONES_FILE, load_zone_model, polygon_counties

CJK = re.compile(r"[\u3400-\u9fff]")


@pytest.fixture
def draft(tmp_path, monkeypatch):
    monkeypatch.setenv("LAYOUT_DATA_DIR", str(tmp_path / "data"))
    new_plan("草案A", by="张三")
    return open_draft("草案A")


def test_zone_toml_round_trip():
    data = tomllib.loads(ZONES_FILE.read_text(encoding="utf-8"))
    assert tomllib.loads(dumps_zone_toml(data)) == data


def test_14th_is_the_shipped_files_and_polygon_counties_match():
    plan = get_plan()
    assert plan.name == "十四五" and plan.zones == ZONES_FILE and not plan.is_draft
    assert polygon_counties() == POLYGON_COUNTIES


def test_new_draft_copies_zones_and_starts_with_no_projects(draft):
    assert draft.plan.zones.read_bytes() == ZONES_FILE.read_bytes()
    assert draft.catalog().empty and list(draft.catalog().columns)[0] == "id"
    assert [p.name for p in list_plans()] == ["十四五", "草案A"]
    with pytest.raises(InputError, match="已存在"):
        new_plan("草案A", by="张三")
    with pytest.raises(InputError, match="NAME"):
        new_plan("../x", by="张三")


def test_assign_moves_the_primary_and_undo_restores_the_quote(draft):
    before = draft.plan.zones.read_text(encoding="utf-8")
    draft.assign("南县", "mountain_wing", by="张三", reason="测试")
    model = load_zone_model(draft.plan.zones)
    assert model.primary_zone("南县") == "mountain_wing"
    assert "南县" not in model.zones["lake_wing"].counties and "南县" in model.zones["pole_northeast"].counties
    assert model.membership("mountain_wing", "南县").quote == "草案：测试（张三）"
    draft.undo(1, by="张三")
    restored = load_zone_model(draft.plan.zones)
    assert restored.primary_zone("南县") == "lake_wing"
    assert (
        tomllib.loads(before)["zones"]["lake_wing"]["members"][1]
        in tomllib.loads(draft.plan.zones.read_text(encoding="utf-8"))["zones"]["lake_wing"]["members"]
    )


def test_undo_refused_while_a_later_change_to_the_same_county_stands(draft):
    draft.assign("南县", "mountain_wing", by="张三", reason="一")
    draft.assign("南县", "core", by="张三", reason="二")
    with pytest.raises(InputError, match="先撤销 2"):
        draft.undo(1, by="张三")
    draft.undo(2, by="张三")
    draft.undo(1, by="张三")
    assert load_zone_model(draft.plan.zones).primary_zone("南县") == "lake_wing"
    with pytest.raises(InputError, match="本身是撤销"):
        draft.undo(3, by="张三")


def test_add_and_remove_zone_with_undo(draft):
    draft.add_zone("tea", kind="wing", name_zh="茶旅融合区", by="张三")
    draft.assign("安化县", "tea", by="张三", reason="黑茶")
    with pytest.raises(InputError, match="安化县"):
        draft.remove_zone("tea", by="张三", reason="x")
    with pytest.raises(InputError, match="安化县: should have exactly one primary"):
        draft.undo(1, by="张三")  # removing the zone would leave 安化县 with no primary zone: not saved
    draft.undo(2, by="张三")
    draft.remove_zone("tea", by="张三", reason="不设")
    assert "tea" not in load_zone_model(draft.plan.zones).zones
    draft.undo(4, by="张三")
    assert list(load_zone_model(draft.plan.zones).zones)[-1] == "tea"


def test_undo_of_a_new_project_removes_its_row(draft):
    pid, event = draft.add_project(name="甲", county="安化县", by="张三")
    assert pid == "N001" and list(draft.catalog()["id"]) == ["N001"]
    assert draft.catalog().iloc[0]["precision"] == "county"  # the county's point, as geocode-catalog places it
    draft.undo(event, by="张三")
    assert draft.catalog().empty


def test_hand_edited_files_are_checked(draft):
    text = draft.plan.zones.read_text(encoding="utf-8").replace(
        'county = "沅江市", role = "primary"', 'county = "沅江市", role = "secondary"'
    )
    draft.plan.zones.write_text(text, encoding="utf-8")
    problems = [str(p) for p in draft.problems()]
    assert len(problems) == 1 and "沅江市" in problems[0] and "exactly one primary" in problems[0]


def test_hand_edited_indicators_are_checked(draft):
    text = draft.plan.indicators.read_text(encoding="utf-8").replace('y2025 = "1087.68"', 'y2025 = ""')
    draft.plan.indicators.write_text(text, encoding="utf-8")
    assert [str(p) for p in draft.problems()] == ["indicators.toml: [[table1]] entry 1: y2025 should be non-empty text"]


def test_the_problem_list_speaks_the_readers_language(draft):
    """Issue 21: the 规划编制 page showed the plan and catalog checks' English in Chinese. Each problem is an
    error with a code: the page words it (``error_text``) in Chinese or English; ``str()`` stays the CLI's line."""
    zones = draft.plan.zones.read_text(encoding="utf-8")
    draft.plan.zones.write_text(
        zones.replace('county = "沅江市", role = "primary"', 'county = "沅江市", role = "secondary"'), encoding="utf-8"
    )
    (problem,) = draft.problems()
    assert error_text(problem, "zh", ui="app") == "文件 zones.toml：沅江市：应恰好属于一个主片区（一核或两翼），现为 —"
    assert error_text(problem, "en", ui="app") == (
        "zones.toml: county 沅江市: should have exactly one primary core/wing zone, got —"
    )
    draft.plan.zones.write_text(zones, encoding="utf-8")
    text = draft.plan.indicators.read_text(encoding="utf-8")
    draft.plan.indicators.write_text(text.replace('y2025 = "1087.68"', 'y2025 = ""'), encoding="utf-8")
    (problem,) = draft.problems()
    assert error_text(problem, "zh") == "文件 indicators.toml：[[table1]] 第 1 条：y2025 应为非空文字"
    assert error_text(problem, "en") == "indicators.toml: [[table1]] entry 1: y2025 should be non-empty text"
    draft.plan.indicators.write_text(text, encoding="utf-8")
    draft.plan.zones.write_text("[zones\n", encoding="utf-8")  # not TOML at all
    (problem,) = draft.problems()
    assert error_text(problem, "zh").startswith("zones.toml 不是有效的 TOML 文件（")
    draft.plan.zones.write_text(zones, encoding="utf-8")


def test_a_hand_edited_catalog_row_is_worded_in_the_readers_language(draft):
    draft.add_project(name="甲", county="安化县", by="张三")
    csv = draft.plan.catalog.read_text(encoding="utf-8")
    assert "安化县" in csv
    draft.plan.catalog.write_text(csv.replace("安化县", "长沙县"), encoding="utf-8")  # not one of 益阳's counties
    problems = draft.problems()
    texts = {lang: [error_text(p, lang) for p in problems] for lang in ("zh", "en")}
    zh = "文件 catalog.csv：项目 N001：第 2 行「county」列：错误：county 的值“长沙县”不在可选范围内"
    en = "catalog.csv: project N001: line 2, county: error: county '长沙县' is not allowed"
    assert any(t.startswith(zh) for t in texts["zh"]), texts
    assert any(t.startswith(en) for t in texts["en"]), texts
    assert all(CJK.search(t) for t in texts["zh"])
    assert all(str(p).startswith("catalog.csv N001 county: county '长沙县' is not allowed") for p in problems[:1])


def test_concurrent_edits_each_get_their_own_event(draft):
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(max_workers=4) as pool:
        list(pool.map(lambda i: draft.add_project(name=f"并发{i}", county="安化县", by="张三"), range(8)))
    events = draft.events()
    assert sorted(events["event_id"]) == list(range(1, 9))
    assert sorted(draft.catalog()["id"]) == [f"N{i:03d}" for i in range(1, 9)]
