"""The plan picker shared by the explorer and pages 2–4 (issue 25): 十四五 by default and exactly as before, a draft
picked in the sidebar (or named in the URL) changes what the pages show and marks them 草案, cached results
are never shared between plans (headless, streamlit AppTest)."""

from __future__ import annotations

import csv
import re
import shutil
from pathlib import Path
from urllib.parse import urlencode

import pytest
from streamlit.testing.v1 import AppTest

from layout.drafting.drafts import open_draft
from layout.drafting.versions import new_plan
from layout.settings import CATALOG_PATH

ROOT = Path(__file__).resolve().parent.parent
DRAFT = "十五五草案"
COUNTED = re.compile(r"^(.*) \((\d+)\)$")


@pytest.fixture(autouse=True)
def _data_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("LAYOUT_DATA_DIR", str(tmp_path / "data"))


def moved_draft() -> None:
    """十五五草案: 十四五's zones and its whole project list (copied as a planner would edit the draft's files),
    with 南县 moved from the lake wing to the mountain wing."""
    plan = new_plan(DRAFT, by="张三")
    shutil.copyfile(CATALOG_PATH, plan.folder / "catalog.csv")
    open_draft(DRAFT).assign("南县", "mountain_wing", by="张三", reason="测试：南县划入山区翼")


def run(path: str = "app.py", query: dict | None = None, **state) -> AppTest:
    at = AppTest.from_file(str(ROOT / path), default_timeout=120)
    if query:
        at.query_params.update(query)
    for key, value in state.items():
        at.session_state[key] = value
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def zone_counts(at: AppTest) -> dict[str, int]:
    """The zone filter's options as {label: projects} ("一核·… (44)")."""
    return {m.group(1): int(m.group(2)) for m in map(COUNTED.match, at.multiselect(key="w_zone").options)}


def draft_marks(at: AppTest) -> list[str]:
    return [w.value for w in at.warning if "草案" in w.value and DRAFT in w.value]


def test_picking_a_draft_moves_the_county_projects_and_picking_14th_restores_it():
    before = run()  # no draft yet: 十四五 as it always was
    base = zone_counts(before)
    assert before.selectbox(key="w_plan").value == "十四五" and dict(before.query_params) == {}
    moved_draft()
    # Independent oracle: the rows of the shipped catalog whose declared county is 南县.
    with open(CATALOG_PATH, encoding="utf-8") as f:
        nan_county = sum(row["county"] == "南县" for row in csv.DictReader(f))
    assert nan_county == 5

    at = run()
    assert zone_counts(at) == base, "a draft existing changes nothing while 十四五 is picked"
    assert not draft_marks(at)
    at.selectbox(key="w_plan").select(DRAFT).run()
    assert not at.exception
    core, lake, mountain = (label for label in base)  # 一核, 两翼·湖区, 两翼·山区 in the model's order
    assert "湖区" in lake and "山区" in mountain
    assert zone_counts(at) == {core: base[core], lake: base[lake] - nan_county, mountain: base[mountain] + nan_county}
    assert at.query_params["plan"] == DRAFT
    assert draft_marks(at), "a page made from a draft says 草案"
    assert any(urlencode({"plan": DRAFT}) in c.value for c in at.sidebar.code)  # the share link names the plan

    at.selectbox(key="w_plan").select("十四五").run()
    assert not at.exception
    assert zone_counts(at) == base and not draft_marks(at)
    assert "plan" not in at.query_params


def test_the_url_names_the_plan_and_an_unknown_one_falls_back_to_14th():
    moved_draft()
    at = run(query={"plan": DRAFT})
    assert at.selectbox(key="w_plan").value == DRAFT and draft_marks(at)
    base = zone_counts(run())
    assert zone_counts(at) != base
    stale = run(query={"plan": "不存在的规划"})
    assert stale.selectbox(key="w_plan").value == "十四五"
    assert any("不存在的规划" in w.value for w in stale.sidebar.warning)
    assert zone_counts(stale) == base


@pytest.mark.parametrize("page", ["pages/2_演示模式.py", "pages/3_项目台账.py", "pages/4_实施评估.py"])
def test_pages_2_to_4_take_the_sessions_plan_and_mark_a_draft(page):
    moved_draft()
    plain = run(page)
    assert plain.selectbox(key="w_plan").value == "十四五" and not draft_marks(plain)
    on_draft = run(page, active_plan=DRAFT)
    assert on_draft.selectbox(key="w_plan").value == DRAFT
    assert draft_marks(on_draft)


def test_a_deferred_download_is_made_under_the_plan_of_the_run_that_drew_it():
    """Streamlit makes a download button's deferred data later in another thread (a fresh context: 十四五)."""
    import threading

    from layout.drafting.versions import use_plan
    from layout.plan.context import active_plan_files
    from ui.chrome import in_active_plan

    moved_draft()
    with use_plan(DRAFT):
        deferred = in_active_plan(lambda suffix: active_plan_files().name + suffix, "!")
    seen = {}
    thread = threading.Thread(target=lambda: seen.update(plain=active_plan_files().name, deferred=deferred()))
    thread.start()
    thread.join()
    assert seen == {"plain": "十四五", "deferred": f"{DRAFT}!"}
    assert active_plan_files().name == "十四五"  # nothing leaks into the caller's context
