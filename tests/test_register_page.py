"""The 项目台账 page's history, undo picker and chrome in the page's language and local time (issue 21, item 5).

Headless (AppTest) on a real register file; the oracle for times is the standard library's zoneinfo."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from zoneinfo import ZoneInfo

from streamlit.testing.v1 import AppTest

from layout.register.events import Register
from ui.chrome import PAGES

ROOT = Path(__file__).resolve().parent.parent
KEY = "a-long-editor-key-for-tests"


def unlocked(lang: str = "zh") -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    if lang == "en":
        at.query_params["lang"] = "en"
    at.run()
    at.switch_page("pages/3_项目台账.py")
    at.run()
    at.text_input(key="w_reg_key").input(KEY).run()
    at.text_input(key="w_reg_name").input("张三").run()
    at.selectbox(key="w_reg_pid").set_value("P002").run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def beijing(stamp: str) -> str:
    return (
        dt.datetime.fromisoformat(stamp.replace("Z", "+00:00"))
        .astimezone(ZoneInfo("Asia/Shanghai"))
        .strftime("%Y-%m-%d %H:%M:%S")
    )


def history(at: AppTest, column: str):
    return next(d.value for d in at.dataframe if column in d.value.columns)


def test_history_shows_no_nan_local_time_and_undo_in_chinese(monkeypatch):
    monkeypatch.setenv("LAYOUT_EDITOR_KEY", KEY)
    reg = Register()
    [first] = reg.record("P002", {"status": "building"}, by="李四", source="3月调度")
    undo = reg.undo(first, by="李四")
    at = unlocked()
    shown = history(at, "记录时间（北京时间）")
    events = Register().events("P002").set_index("event_id")
    assert list(shown["事件号"]) == [undo, first]
    assert list(shown["原值"]) == ["在建", ""] and list(shown["新值"]) == ["", "在建"]  # never "nan"
    assert list(shown["来源/理由"]) == [f"撤销事件 {first}", "3月调度"]
    assert list(shown["记录时间（北京时间）"]) == [
        beijing(events.loc[undo, "recorded_at"]),
        beijing(events.loc[first, "recorded_at"]),
    ]
    today = events.loc[first, "as_of"].isoformat()
    options = at.selectbox(key="w_reg_undo_id").options
    assert options[-1] == f"{today} · P002 · 状态：∅ → 在建 (#{first})", options


def test_history_and_undo_picker_in_english(monkeypatch):
    monkeypatch.setenv("LAYOUT_EDITOR_KEY", KEY)
    reg = Register()
    [first] = reg.record("P002", {"progress": 30}, by="李四")
    reg.undo(first, by="李四")
    at = unlocked("en")
    shown = history(at, "Recorded (Beijing time)")
    assert list(shown["Source / reason"])[0] == f"undo of event {first}"
    assert at.selectbox(key="w_reg_undo_id").options[-1].endswith(f"Progress (%): ∅ → 30 (#{first})")


def test_every_page_links_every_page_from_one_list():
    """The sidebar's links come from ui.chrome.PAGES on every page (they had drifted in four copies)."""
    assert [p for p, _, _ in PAGES] == [
        "app.py",
        "pages/2_演示模式.py",
        "pages/3_项目台账.py",
        "pages/4_实施评估.py",
        "pages/5_规划编制.py",
        "pages/6_规划对比.py",
    ]
    for page in [ROOT / "app.py", *sorted((ROOT / "pages").glob("*.py"))]:
        source = page.read_text(encoding="utf-8")
        assert "nav_links(" in source and "page_link(" not in source, page.name


def test_the_card_shows_the_precision_whole_not_in_a_metric(monkeypatch):
    """Issue 21, item 7: at 1366×768 the fifth metric read "定位精度 县级（…"."""
    monkeypatch.setenv("LAYOUT_EDITOR_KEY", KEY)
    at = unlocked()
    assert "定位精度" not in [m.label for m in at.metric]
    # the card's details are plain text (register text is never Markdown)
    assert any(str(x.value).startswith("定位精度：") and "（近似）" in str(x.value) for x in at.text)
