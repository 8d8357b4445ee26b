"""The 规划编制 and 规划对比 pages, headless (streamlit AppTest): a draft edited through the page's form, and the
comparison page listing the change, marked 草案; each page in one language (issue 21), the drafting room's
errors in the reader's language."""

from __future__ import annotations

import datetime as dt
import html
import io
import json
import re
import tomllib
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from layout.drafting.drafts import open_draft
from layout.drafting.versions import new_plan
from layout.errors import InputError
from layout.i18n import STRINGS, error_text

DRAFT = "十五五草案"
ROOT = Path(__file__).resolve().parent.parent
CJK = re.compile(r"[\u3400-\u9fff]")
ZONES = tomllib.loads((ROOT / "layout/plan/zones.toml").read_text(encoding="utf-8"))


@pytest.fixture(autouse=True)
def _data_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("LAYOUT_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("LAYOUT_EDITOR_KEY", "secret")


def unlocked(path: str, lang: str = "zh") -> AppTest:
    at = AppTest.from_file(str(ROOT / path), default_timeout=120)
    at.session_state["reg_key_ok"] = True
    at.session_state["reg_editor"] = "张三"
    at.session_state["lang"] = lang
    return at.run()


def shown_texts(at: AppTest) -> list[str]:
    """What a reader sees besides tables' cells: titles, boxes, captions, markdown, labels, options, buttons,
    tab names, metric labels."""
    out = [
        e.value
        for kind in ("title", "warning", "info", "error", "success", "caption", "markdown")
        for e in at.get(kind)
    ]
    for kind in ("selectbox", "radio", "multiselect"):
        for w in at.get(kind):
            out += [w.label, *w.options]
    for kind in ("text_input", "text_area", "number_input", "date_input", "metric"):
        out += [w.label for w in at.get(kind)]
    out += [b.proto.label for b in at.get("button")] + [b.proto.label for b in at.get("download_button")]
    out += [tab.label for tab in at.tabs]
    return [re.sub(r":red\[|\]", "", html.unescape(str(x))) for x in out]  # Markdown colour markup is not text


def test_drafting_page_assigns_a_county_as_an_event():
    new_plan(DRAFT, by="张三")
    at = unlocked("pages/5_规划编制.py")
    assert not at.exception
    assert any("草案" in w.value for w in at.warning)
    assert "草案 · 十五五草案 · 未经批准" in [
        html.unescape(m.value).strip(":red[*]") for m in at.markdown
    ]  # above the map
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
    # the app's message names the field to fill, in the page's language only (not the CLI's --reason)
    assert [html.unescape(e.value) for e in at.error] == ["理由不能为空：请写明理由"]
    assert open_draft(DRAFT).events().empty


def test_drafting_page_in_english_shows_no_chinese_but_the_plans_own_words_and_typed_names():
    new_plan(DRAFT, by="张三")
    at = unlocked("pages/5_规划编制.py", "en")
    assert not at.exception
    assert at.title[0].value == "Plan drafting"
    assert any(w.value.startswith("Draft · 十五五草案 (from 14th Five-Year Plan (ended))") for w in at.warning)
    stray = [x for x in shown_texts(at) if CJK.search(x.replace(DRAFT, "").replace("张三", ""))]  # typed names
    assert not stray, stray
    counties = at.selectbox(key="assign_county").options
    assert counties == [c["name_en"] for c in ZONES["counties"].values()]
    assert at.selectbox(key="assign_zone").options == [z["name_en"] for z in ZONES["zones"].values()]
    zones = at.dataframe[0].value
    assert list(zones["Name"]) == [z["name_en"] for z in ZONES["zones"].values()]
    assert not any(CJK.search(c) for c in zones.columns)
    assert all(not CJK.search(str(v)) for col in ("Zone id", "Kind", "Name", "Counties (primary)") for v in zones[col])
    # an edit in English: the event is recorded, the error of an empty reason is English
    at.text_input(key="assign_reason").set_value("")
    at.button(key="FormSubmitter:plan_assign-Save").click()
    at.run()
    assert [html.unescape(e.value) for e in at.error] == ["A reason should be given: fill in the reason"]
    at.selectbox(key="assign_county").set_value("桃江县")
    at.selectbox(key="assign_zone").set_value("core")
    at.text_input(key="assign_reason").set_value("Taojiang joins the central city")
    at.button(key="FormSubmitter:plan_assign-Save").click()
    at.run()
    assert [s.value for s in at.success] == ["Event 1 recorded"]
    history = at.dataframe[-1].value
    assert list(history["Change"]) == ["Zone assigned"] and list(history["Of"]) == ["Taojiang County"]
    assert re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d", history["Recorded (Beijing time)"].iloc[0])
    # the undo picker names the change, what it changed and when; undoing records a new event
    picked = at.selectbox(key="undo_event")
    assert picked.options == [f"#1 · Zone assigned · Taojiang County · {history['Recorded (Beijing time)'].iloc[0]}"]
    at.button(key="FormSubmitter:plan_undo-Undo").click()
    at.run()
    assert [s.value for s in at.success] == ["Undone (new event 2)"]
    assert list(open_draft(DRAFT).events()["undone_by"])[0] == 2


def test_drafting_page_in_chinese_shows_no_english_labels():
    new_plan(DRAFT, by="张三")
    at = unlocked("pages/5_规划编制.py")
    assert at.title[0].value == "规划编制"
    latin = [x for x in shown_texts(at) if re.search(r"[A-Za-z]{2,}", re.sub(r"`[^`]*`", "", str(x)))]
    assert not latin, latin
    assert at.selectbox(key="assign_county").options[:2] == ["资阳区", "赫山区"]
    assert list(at.dataframe[0].value["名称"]) == [z["name_zh"] for z in ZONES["zones"].values()]


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
    latin = [x for x in shown_texts(at) if re.search(r"[A-Za-z]{2,}", re.sub(r"XLSX|PPTX|HTML|`[^`]*`", "", str(x)))]
    assert not latin, latin

    at = AppTest.from_file(str(ROOT / "pages/6_规划对比.py"), default_timeout=120)
    at.session_state["lang"] = "en"
    at.run()
    assert not at.exception
    assert at.title[0].value == "Plans compared"
    assert [w.value for w in at.warning] == ["Draft · not approved: a draft holds only what planners entered."]
    assert {m.label: m.value for m in at.metric} == {
        "Counties moved": "1",
        "Zones added, removed or renamed": "1",
        "New projects": "2",
        "Projects carried over": "3",
    }
    assert at.selectbox(key="cmp_old").value == "十四五"
    page = at.get("iframe")[0].proto.srcdoc  # the report itself in English: maps, headings and change tables
    assert '<html lang="en">' in page and "[DRAFT] Plans compared" in page and "Swipe (left:" in page
    assert json.dumps(ZONES["zones"]["core"]["name_en"], ensure_ascii=False) in page  # the maps' zone names
    tables = pd.read_html(io.StringIO(page))  # names from the zone models
    moved = tables[0]
    assert moved.to_dict("list") == {
        "County": ["Taojiang County"],
        "Earlier zone": [ZONES["zones"]["mountain_wing"]["name_en"]],
        "Later zone": [ZONES["zones"]["core"]["name_en"]],
    }
    renamed = tables[1]
    assert list(renamed["Change"]) == ["Renamed"] and list(renamed["Zone id"]) == ["mountain_wing"]
    assert list(renamed["Later Chinese name"]) == ["安化山区服务业发展支撑区"]  # the planner's new name, as typed
    projects = next(f for f in tables if "Project" in f.columns)
    assert list(projects["Change"]) == ["Added", "Added", "Carried over", "Carried over", "Carried over"]
    assert list(projects["ID"])[2:] == ["P002", "P003", "P005"]
    assert not any(CJK.search(str(c)) for f in tables for c in f.columns)
    assert all(b.proto.label.startswith("Download") for b in at.get("download_button"))
    assert at.selectbox(key="cmp_old").options == ["14th Five-Year Plan (ended)", "十五五草案 (draft)"]
    stray = [x for x in shown_texts(at) if CJK.search(str(x)) and DRAFT not in str(x)]
    assert not stray, stray


def test_compare_page_with_one_plan_says_how_to_make_a_draft():
    for lang, start in (("zh", "只有一个规划版本"), ("en", "There is only one plan version")):
        at = AppTest.from_file(str(ROOT / "pages/6_规划对比.py"), default_timeout=120)
        at.session_state["lang"] = lang
        at.run()
        assert not at.exception and at.info[0].value.startswith(start)


def test_every_error_the_drafting_room_raises_has_its_text_in_both_languages():
    """Each code in layout/drafting/*.py (and each empty field's code) is an err.* string in Chinese and
    English, and a raised error reads in the reader's language only."""
    source = "".join(p.read_text(encoding="utf-8") for p in (ROOT / "layout/drafting").glob("*.py"))
    codes = set(re.findall(r'code="(plan_\w+)"', source))
    codes |= {f"plan_empty_{f}" for f in ("by", "reason", "zone_id", "name_zh", "name", "county")}
    assert len(codes) >= 25
    for code in codes:
        zh, en = STRINGS[f"err.{code}"]
        assert CJK.search(zh) and not CJK.search(en.replace("{", "").replace("}", "")), code
    new_plan(DRAFT, by="张三")
    draft = open_draft(DRAFT)
    cases = [
        (lambda: draft.assign("长沙县", "core", by="张三", reason="r"), "长沙县 不是本规划的县市区", "长沙县 is not a"),
        (lambda: draft.assign("桃江县", "nowhere", by="张三", reason="r"), "没有分区 nowhere", "No zone nowhere"),
        (
            lambda: draft.remove_zone("core", by="张三", reason="r"),
            "core 仍是 资阳区、赫山区 的主分区",
            "core is still",
        ),
        (lambda: draft.undo(9, by="张三"), "没有事件 9", "There is no event 9"),
        (lambda: draft.carry_over(source="十四五", as_of=dt.date(2025, 12, 31), by="张三"), "请至少选择", "Choose at"),
        (lambda: new_plan(DRAFT, by="张三"), f"规划 {DRAFT} 已存在", f"The plan {DRAFT} exists"),
        (lambda: open_draft("十四五"), "十四五 不是草案，不能修改", "十四五 is not a draft"),
    ]
    for call, zh, en in cases:
        with pytest.raises(InputError) as err:
            call()
        assert error_text(err.value, "zh", ui="app").startswith(zh), error_text(err.value, "zh", ui="app")
        assert error_text(err.value, "en", ui="app").startswith(en), error_text(err.value, "en", ui="app")


@pytest.mark.parametrize(
    "lang, expected",
    [
        ("zh", "文件 zones.toml：沅江市：应恰好属于一个主片区（一核或两翼），现为 —"),
        ("en", "zones.toml: county 沅江市: should have exactly one primary core/wing zone, got —"),
    ],
)
def test_drafting_page_lists_a_hand_edited_files_problems_in_the_pages_language(lang, expected):
    """Issue 21: the problem list showed the plan and catalog checks' English on the Chinese page."""
    new_plan(DRAFT, by="张三")
    draft = open_draft(DRAFT)
    text = draft.plan.zones.read_text(encoding="utf-8")
    draft.plan.zones.write_text(
        text.replace('county = "沅江市", role = "primary"', 'county = "沅江市", role = "secondary"'), encoding="utf-8"
    )
    at = AppTest.from_file(str(ROOT / "pages/5_规划编制.py"), default_timeout=120)
    at.session_state["lang"] = lang
    at.run()
    assert not at.exception
    (box,) = [html.unescape(e.value) for e in at.error]
    heading = (
        "草案有问题（手工编辑文件后也会检查）："
        if lang == "zh"
        else "The draft has problems (also checked after hand edits):"
    )
    assert box == f"{heading}\n\n- {expected}"
