"""The 实施评估 page headless (AppTest) on empty, partial and full registers in tmp_path."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from streamlit.testing.v1 import AppTest

from layout.catalog.projects import load_catalog
from layout.register.demo import fill_demo
from layout.register.events import Register
from layout.render.views import effective_county

PAGE = Path(__file__).resolve().parent.parent / "pages" / "4_实施评估.py"
TIMEOUT = 300


def run(monkeypatch, path: Path, *, key: str | None = None) -> AppTest:
    monkeypatch.setenv("LAYOUT_REGISTER", str(path))
    if key is None:
        monkeypatch.delenv("LAYOUT_EDITOR_KEY", raising=False)
    else:
        monkeypatch.setenv("LAYOUT_EDITOR_KEY", key)
    at = AppTest.from_file(str(PAGE), default_timeout=TIMEOUT)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def texts(elements) -> str:
    return "\n".join(str(e.value) for e in elements)


def metric(at: AppTest, label: str) -> str:
    return next(m.value for m in at.metric if m.label == label)


def test_empty_register_says_what_to_do(monkeypatch, tmp_path):
    at = run(monkeypatch, tmp_path / "empty.sqlite")
    assert "导出调度表" in texts(at.info) and "register export" in texts(at.info)
    assert metric(at, "已填报") == f"0/{len(load_catalog())}" and metric(at, "开工率") == "—"
    assert "演示数据" not in texts(at.warning)


def test_partial_register_figures(monkeypatch, tmp_path, catalog):
    reg = Register(tmp_path / "partial.sqlite", catalog=catalog)
    ids = catalog["id"].astype(str).to_list()
    reg.record_many(
        [
            (ids[0], {"status": "building", "invest_planned": 100, "invest_done": 40}),
            (ids[1], {"status": "completed", "invest_planned": 50, "invest_done": 50}),
            (ids[2], {"status": "not_started", "lead_unit": "某局", "note": "待立项"}),
        ],
        by="测试员",
        as_of=dt.date.today(),
    )
    anhua = int((effective_county(catalog) == "安化县").sum())
    at = run(monkeypatch, reg.path)
    assert "导出调度表" not in texts(at.info)  # not empty
    assert metric(at, "已填报") == f"3/{len(catalog)}"
    assert metric(at, "开工率") == "66.7%" and metric(at, "建成率") == "33.3%"
    assert metric(at, "计划投资") == "150.0 万元" and metric(at, "完成投资") == "90.0 万元"
    assert metric(at, "滞后项目") == "1"
    lagging = at.dataframe[3].value  # zone, county and sector tables come first
    assert list(lagging["责任单位"]) == ["某局"] and list(lagging["最近备注"]) == ["待立项"]
    # the same files as the CLI, from the export tab
    next(b for b in at.button if b.label == "生成 Excel 工作簿").click().run()
    assert not at.exception
    assert any(getattr(e, "label", "") == "下载 XLSX" for e in at.get("download_button"))
    # a county scope narrows the figures
    at.selectbox(key="w_eval_scope").set_value("county:安化县").run()
    assert not at.exception
    assert metric(at, "已填报").endswith(f"/{anhua}")
    # before anything was reported
    for part, n in (("year", 2021), ("month", 1), ("day", 1)):  # the date field's 年, 月 and 日 boxes
        at.selectbox(key=f"w_eval_as_of.{part}").set_value(n).run()
    assert at.session_state["w_eval_as_of"] == dt.date(2021, 1, 1)
    assert metric(at, "已填报") == f"0/{anhua}"
    # what the register holds: 3 + 3 + 3 fields recorded, the first report dated today
    assert f"台账共有 9 条记录，最早的项目报送日期为 {dt.date.today().isoformat()}" in texts(at.info)
    # read-only without a key
    assert "LAYOUT_EDITOR_KEY" in texts(at.info)


def test_full_demo_register_is_marked(monkeypatch, tmp_path, catalog):
    reg = Register(tmp_path / "demo.sqlite", catalog=catalog)
    fill_demo(reg, catalog)
    at = run(monkeypatch, reg.path)
    assert "演示数据：" in texts(at.warning)  # one language per page (issue 21)
    reported, n = map(int, metric(at, "已填报").split("/"))
    assert n == len(catalog) and 0.7 * n < reported < n
    at.selectbox(key="w_eval_before.year").set_value(2022).run()  # from 2023-12-31, the default
    assert at.session_state["w_eval_before"] == dt.date(2022, 12, 31)
    assert not at.exception
    compare = at.dataframe[4].value
    assert "已填报 2022-12-31" in compare.columns


def test_indicator_form_with_key(monkeypatch, tmp_path, catalog):
    path = tmp_path / "ind.sqlite"
    at = run(monkeypatch, path, key="s3cret")
    at.text_input(key="w_eval_key").input("wrong").run()
    assert "密钥不正确" in texts(at.error)
    at.text_input(key="w_eval_key").input("s3cret").run()
    at.text_input(key="w_eval_name").input("统计员").run()
    at.selectbox(key="w_eval_ind").set_value("services_gdp_share")
    at.number_input(key="w_eval_value").set_value(45.2)
    at.text_input(key="w_eval_source").input("2025年统计公报")
    next(b for b in at.button if b.label == "保存").click().run()
    assert not at.exception
    state = Register(path, catalog=catalog).indicator_state()
    assert state.loc["services_gdp_share", "actual_value"] == 45.2
    assert state.loc["services_gdp_share", "last_by"] == "统计员"
    assert state.loc["services_gdp_share", "source"] == "2025年统计公报"


def test_metric_amounts_are_short_and_exact_to_the_unit_shown():
    from layout.i18n import format_money

    # 1,442,345.6 万元 = 144.23456 亿元 = 14.4234560 bn yuan (1 亿元 = 10^4 万元; 1 bn yuan = 10^5 万元)
    assert format_money(1_442_345.6) == "144.2 亿元" and format_money(1_442_345.6, "en") == "14.42 bn yuan"
    assert format_money(150.0) == "150.0 万元" and format_money(150.0, "en") == "1.5 m yuan"
    assert format_money(9_999.9) == "9,999.9 万元" and format_money(10_000.0) == "1.0 亿元"
    assert format_money(float("nan")) == "—" and format_money(float("nan"), "en") == "—"
