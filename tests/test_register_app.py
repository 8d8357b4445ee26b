"""The 项目台账 page, headless (AppTest): read-only without a key, editing with it, 调度表 upload, explorer;
on each backend (a SQLite file, then a PostgreSQL database as LAYOUT_REGISTER)."""

from __future__ import annotations

import io
import os
from pathlib import Path

import openpyxl
import pytest
from streamlit.testing.v1 import AppTest

from layout.catalog.projects import load_catalog
from layout.i18n import t
from layout.register.events import Register
from layout.register.location import register_location
from layout.register.sheet_columns import COLUMNS
from layout.register.sheet_export import export_sheet_bytes
from layout.render.webmap_data import PRECISION_STYLES

ROOT = Path(__file__).resolve().parent.parent
APP = ROOT / "app.py"
PAGE = "pages/3_项目台账.py"
TIMEOUT = 120
KEY = "a-long-editor-key-for-tests"


@pytest.fixture(autouse=True)
def _backend(register_location, monkeypatch):
    monkeypatch.setenv("LAYOUT_REGISTER", register_location)


def open_page() -> AppTest:
    at = AppTest.from_file(str(APP), default_timeout=TIMEOUT)
    at.run()
    at.switch_page(PAGE)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def unlocked_page(project: str | None = "P002") -> AppTest:
    """The page with editing unlocked by 张三 and ``project`` picked."""
    at = open_page()
    at.text_input(key="w_reg_key").input(KEY).run()
    at.text_input(key="w_reg_name").input("张三").run()
    if project:
        at.selectbox(key="w_reg_pid").set_value(project).run()
    return at


def texts(elements) -> str:
    return "\n".join(str(e.value) for e in elements)


def all_text(at: AppTest) -> str:
    return "\n".join(texts(x) for x in (at.markdown, at.caption, at.info, at.success, at.warning, at.error, at.text))


def test_read_only_without_a_key():
    at = open_page()
    assert at.title[0].value == "项目台账", [e.value for e in at.error]
    assert at.tabs, [e.value for e in at.error]
    assert [tab.label for tab in at.tabs] == ["台账", "项目卡片与编辑", "调度表"]
    assert "LAYOUT_EDITOR_KEY" in texts(at.info) and "只读" in texts(at.info)
    keys = {w.key for w in at.text_input}
    assert "w_reg_key" not in keys and "w_reg_e_progress" not in keys  # no edit form, no key box
    assert not [b for b in at.button if b.label == "保存"]
    location = register_location()
    assert (isinstance(location, Path) and not location.exists()) or Register().events().empty


def test_wrong_key_refused_right_key_enables_editing(monkeypatch):
    monkeypatch.setenv("LAYOUT_EDITOR_KEY", KEY)
    at = open_page()
    assert "w_reg_e_progress" not in {w.key for w in at.text_input}
    at.text_input(key="w_reg_key").input("wrong").run()
    assert "密钥不正确" in texts(at.error) and not at.session_state["reg_key_ok"]
    at.text_input(key="w_reg_key").input(KEY).run()
    assert at.session_state["reg_key_ok"]
    assert KEY not in all_text(at)  # the key is never shown
    at.text_input(key="w_reg_name").input("张三").run()
    assert "编辑人：张三" in texts(at.success)
    at.selectbox(key="w_reg_pid").set_value("P002").run()
    at.selectbox(key="w_reg_e_status").set_value("building")
    at.text_input(key="w_reg_e_progress").input("40")
    at.text_input(key="w_reg_e_source").input("3月调度")
    at.button(key="FormSubmitter:reg_form_P002-保存").click().run()
    assert not at.exception
    assert "已保存 P002" in texts(at.success)
    ev = Register().events("P002")
    assert sorted(ev["field"]) == ["progress", "status"] and set(ev["by"]) == {"张三"}
    assert set(ev["source"]) == {"3月调度"}


def test_a_record_changed_since_the_form_opened_shows_both_values(monkeypatch):
    monkeypatch.setenv("LAYOUT_EDITOR_KEY", KEY)
    at = unlocked_page()
    Register().record("P002", {"progress": 55}, by="李四")  # another officer saves meanwhile
    at.text_input(key="w_reg_e_progress").input("40")
    at.button(key="FormSubmitter:reg_form_P002-保存").click().run()
    assert "已有其他人保存" in texts(at.warning)
    table = at.dataframe[-1].value
    assert list(table.iloc[0]) == ["进度(%)", "—", "55", "40", "李四 (#1)"]
    assert Register().state().loc["P002", "progress"] == 55
    Register().record("P002", {"progress": 60}, by="王五")  # and once more before 张三 saves
    next(b for b in at.button if b.key == "w_reg_conflict_save").click().run()
    assert Register().state().loc["P002", "progress"] == 60  # refused again: 张三 had seen 55
    assert list(at.dataframe[-1].value.iloc[0]) == ["进度(%)", "55", "60", "40", "王五 (#2)"]
    next(b for b in at.button if b.key == "w_reg_conflict_save").click().run()
    assert Register().state().loc["P002", "progress"] == 40
    assert "已保存 P002" in texts(at.success)


def test_saving_unchanged_values_is_a_confirmed_report(monkeypatch):
    import datetime as dt

    monkeypatch.setenv("LAYOUT_EDITOR_KEY", KEY)
    Register().record("P002", {"status": "building", "progress": 30}, by="李四", as_of=dt.date(2025, 3, 31))
    at = unlocked_page()
    for part, n in (("year", 2025), ("month", 9), ("day", 30)):  # the date field above the form
        at.selectbox(key=f"w_reg_e_as_of.{part}").set_value(n).run()
    at.button(key="FormSubmitter:reg_form_P002-保存").click().run()
    assert not at.exception
    assert "已保存 P002。 其中 2 项已确认（无变化），计入最近报送。" in texts(at.success)
    row = Register().state().loc["P002"]
    assert row["last_as_of"] == dt.date(2025, 9, 30) and row["last_by"] == "张三" and row["progress"] == 30
    assert list(Register().events("P002")["kind"]) == ["set", "set", "confirm", "confirm"]


def test_undo_from_the_card(monkeypatch):
    monkeypatch.setenv("LAYOUT_EDITOR_KEY", KEY)
    reg = Register()
    reg.record("P002", {"status": "building"}, by="李四")
    [wrong] = reg.record("P002", {"status": "cancelled"}, by="李四")
    at = unlocked_page()
    history = next(d.value for d in at.dataframe if "新值" in d.value.columns)
    assert list(history["新值"]) == ["取消", "在建"] and list(history["记录人"]) == ["李四", "李四"]
    at.selectbox(key="w_reg_undo_id").set_value(wrong).run()
    next(b for b in at.button if b.key == "w_reg_undo").click().run()
    assert f"已撤销事件 {wrong}" in texts(at.success)
    assert Register().state().loc["P002", "status"] == "building"
    assert Register().events("P002")["by"].iloc[-1] == "张三"


def test_place_by_typed_coordinates_shows_county_and_zone(monkeypatch):
    monkeypatch.setenv("LAYOUT_EDITOR_KEY", KEY)
    at = unlocked_page()
    at.text_input(key="w_reg_lon").input("112.3612")
    at.text_input(key="w_reg_lat").input("28.5731")
    at.selectbox(key="w_reg_crs").set_value("gcj02").run()
    assert "位于 赫山区 · 一核" in texts(at.success)
    next(b for b in at.button if b.key == "w_reg_site_save").click().run()
    assert "需要" in texts(at.error) or "needs a source" in texts(at.error)
    at.text_input(key="w_reg_site_source").input("益发改〔2024〕12号").run()
    next(b for b in at.button if b.key == "w_reg_site_save").click().run()
    assert "已保存 P002" in texts(at.success)
    row = Register().state().loc["P002"]
    assert 112.35 < row["site_lon"] < 112.36 and row["site_source"] == "益发改〔2024〕12号"
    # the explorer now places P002 at its site: its precision is "site", which the map draws as a solid marker
    at.switch_page("app.py")
    at.run()
    assert not at.exception
    table = next(df.value for df in at.dataframe if "编号" in df.value.columns)
    assert table.set_index("编号").at["P002", "定位精度"] == t("precision.site", "zh")
    assert PRECISION_STYLES["site"]["solid"] and load_catalog().set_index("id").at["P002", "precision"] != "site"


def test_sheet_upload_diff_and_apply(monkeypatch):
    monkeypatch.setenv("LAYOUT_EDITOR_KEY", KEY)
    wb = openpyxl.load_workbook(io.BytesIO(export_sheet_bytes(Register())))
    ws = wb.active
    headers = list(COLUMNS.values())
    ws.cell(row=3, column=headers.index("状态") + 1, value="在建")  # P002
    buf = io.BytesIO()
    wb.save(buf)
    at = unlocked_page(None)
    upload = getattr(at, "file_uploader", None)
    if upload is None:
        pytest.skip("this Streamlit's AppTest cannot drive file_uploader")
    at.file_uploader(key="w_reg_upload").upload("调度表.xlsx", buf.getvalue()).run()
    assert "将修改 1 个项目的 1 个字段" in texts(at.markdown)
    next(b for b in at.button if b.key == "w_reg_apply").click().run()
    assert "已导入：1 条修改记录" in texts(at.success)
    assert Register().state().loc["P002", "status"] == "building"


def test_explorer_uses_register_sites(monkeypatch):
    from layout.catalog.projects import load_catalog
    from layout.register.overlay import overlay_register
    from layout.render.webmap import build_map
    from layout.render.webmap_data import project_payload

    reg = Register()
    reg.record("P001", {"status": "operating", "site": (112.35028, 28.5825)}, by="张三", source="现场核实")
    data = overlay_register(load_catalog(), reg.state())
    row = data.set_index("id").loc["P001"]
    assert row["precision"] == "site" and row["computed_county"] == "赫山区" and row["status"] == "operating"
    payload = project_payload(data.loc[data["id"] == "P001"])
    [r] = payload["rows"]
    assert payload["strings"][r[14]] == "已运营" and payload["styles"][r[3]]["solid"] is True
    assert (r[0], r[1]) == (28.5825, 112.35028)
    assert "project-popup" in build_map(data.loc[data["id"] == "P001"]).get_root().render()
    assert os.environ["LAYOUT_REGISTER"] == str(register_location())
    # the explorer: P001 (全市 in the plan) now has a point, so one more project is on the map
    catalog = load_catalog()
    n_city = int((catalog["precision"].isin(["citywide", "route"]) & (catalog["county"] == "全市")).sum())  # no place
    n_points = int((catalog["lon"].notna() & (catalog["precision"] != "citywide")).sum())
    at = AppTest.from_file(str(APP), default_timeout=TIMEOUT)
    at.run()
    assert not at.exception
    assert [m.value for m in at.metric][:2] == [str(n_points + 1), str(n_city - 1)]
