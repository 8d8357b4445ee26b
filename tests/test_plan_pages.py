"""The 规划编制 and 规划对比 pages, headless (streamlit AppTest): a draft edited through the page's form, and the
comparison page listing the change, marked 草案."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from layout.drafting.drafts import open_draft
from layout.drafting.versions import new_plan

DRAFT = "十五五草案"
ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(autouse=True)
def _data_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("LAYOUT_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("LAYOUT_EDITOR_KEY", "secret")


def unlocked(path: str) -> AppTest:
    at = AppTest.from_file(str(ROOT / path), default_timeout=120)
    at.session_state["reg_key_ok"] = True
    at.session_state["reg_editor"] = "张三"
    return at.run()


def test_drafting_page_assigns_a_county_as_an_event():
    new_plan(DRAFT, by="张三")
    at = unlocked("pages/5_规划编制.py")
    assert not at.exception
    assert any("草案" in w.value for w in at.warning)
    assert "草案 · 十五五草案" in at.get("iframe")[0].proto.srcdoc  # the draft's map carries the mark
    at.selectbox(key="assign_county").set_value("桃江县")
    at.selectbox(key="assign_zone").set_value("core")
    at.text_input(key="assign_reason").set_value("桃江融入中心城区")
    at.button(key="FormSubmitter:plan_assign-保存").click()
    at.run()
    assert not at.exception and not at.error
    events = open_draft(DRAFT).events()
    assert list(events["op"]) == ["assign"] and events.iloc[0]["by"] == "张三"
    assert any("已记录事件 1" in s.value for s in at.success)


def test_drafting_page_shows_a_validation_error_in_one_line():
    new_plan(DRAFT, by="张三")
    at = unlocked("pages/5_规划编制.py")
    at.text_input(key="assign_reason").set_value("")
    at.button(key="FormSubmitter:plan_assign-保存").click()
    at.run()
    assert not at.exception
    assert any("--reason" in e.value for e in at.error)


def test_compare_page_lists_exactly_the_done_when_changes_and_is_marked_draft():
    new_plan(DRAFT, by="张三")
    draft = open_draft(DRAFT)
    draft.assign("桃江县", "core", by="张三", reason="测试")
    draft.rename_zone("mountain_wing", name_zh="安化山区服务业发展支撑区", by="张三")
    draft.carry_over(source="十四五", as_of=dt.date(2025, 12, 31), accept=["P002", "P003", "P005"], by="张三")
    draft.add_project(name="新项目甲", county="安化县", by="张三")
    draft.add_project(name="新项目乙", county="赫山区", by="张三")
    at = AppTest.from_file(str(ROOT / "pages/6_规划对比.py"), default_timeout=120).run()
    assert not at.exception
    assert any("草案" in w.value for w in at.warning)
    metrics = {m.label: m.value for m in at.metric}
    assert metrics == {"县市区调整": "1", "分区增删改名": "1", "新增项目": "2", "结转项目": "3"}
    page = at.get("iframe")[0].proto.srcdoc
    assert "【草案】规划对比" in page and "安化山区服务业发展支撑区" in page and "新项目乙" in page
