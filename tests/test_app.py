"""The Streamlit app, driven headless through every widget path (streamlit.testing.v1.AppTest)."""

from __future__ import annotations

import datetime as dt
import io
import json
import re
import subprocess
import sys
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from hostile_files import far_cell_workbook
from streamlit.testing.v1 import AppTest

from layout.geo.boundaries import load_counties
from layout.geo.crs import from_wgs84
from layout.render.palette import SECTOR_COLORS
from layout.tables.table import MAX_UPLOAD_BYTES

APP = Path(__file__).resolve().parent.parent / "app.py"
TIMEOUT = 120


def run(query: dict | None = None) -> AppTest:
    at = AppTest.from_file(str(APP), default_timeout=TIMEOUT)
    if query:
        at.query_params.update(query)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_served_app_skips_the_full_gc_and_file_watching_per_rerun():
    """The settings `streamlit run` reads from .streamlit/config.toml in the app's folder. Streamlit's default
    gc.collect(2) after every rerun made 20 users wait 4.0 s per click instead of 0.25 s (bench/load.py)."""
    code = (
        "from streamlit import config; "
        "print(config.get_option('runner.postScriptGC'), config.get_option('server.fileWatcherType'))"
    )
    shown = subprocess.run([sys.executable, "-c", code], cwd=APP.parent, capture_output=True, text=True, check=True)
    assert shown.stdout.split() == ["False", "none"]


def metrics(at: AppTest) -> list[str]:
    return [m.value for m in at.metric]


def texts(elements) -> str:
    return "\n".join(str(e.value) for e in elements)


def inside(county: str) -> tuple[float, float]:
    p = load_counties().set_index("name").loc[county, "geometry"].representative_point()
    return p.x, p.y


# -- the default view ----------------------------------------------------------------------------


def test_default_view_is_chinese_and_counts_the_catalog(catalog):
    at = run()
    assert at.title[0].value.startswith("益阳市“十四五”服务业发展规划")
    n_city = int((catalog["precision"].isin(["citywide", "route"]) & (catalog["county"] == "全市")).sum())  # no place
    n_points = int((catalog["lon"].notna() & (catalog["precision"] != "citywide")).sum())
    assert metrics(at) == [str(n_points), str(n_city), f"{len(catalog)} / {len(catalog)}"]
    assert at.query_params == {} and not at.error and not at.warning
    assert [t.label for t in at.tabs] == ["地图", "属于哪个片区？", "批量核查", "统计与指标", "导出"]
    assert at.session_state["lang"] == "zh"


# -- filters and the URL -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "widget, key, value, param",
    [
        ("multiselect", "w_zone", ["mountain_wing"], "zone=mountain_wing"),
        ("multiselect", "w_pole", ["pole_northeast"], "pole=pole_northeast"),
        ("multiselect", "w_county", ["安化县"], "county=安化县"),
        ("button_group", "w_sector_3", ["文旅休闲业"], "sector=文旅休闲业"),
        ("multiselect", "w_action", ["新建"], "action=新建"),
        ("multiselect", "w_precision", ["town"], "precision=town"),
        ("text_input", "w_q", "cxhh", "q=cxhh"),
    ],
)
def test_each_filter_narrows_the_view_and_lands_in_the_url(catalog, widget, key, value, param):
    at = run()
    before = int(at.metric[2].value.split(" / ")[0])
    getattr(at, widget)(key=key).set_value(value)
    at.run()
    assert not at.exception
    after = int(at.metric[2].value.split(" / ")[0])
    assert 0 < after < before
    name, _, expected = param.partition("=")
    assert at.query_params[name] == expected
    # the option labels carry the counts that follow the other filters
    if widget == "multiselect":
        assert all("(" in label for label in at.multiselect(key=key).options)


def test_counts_in_option_labels_follow_the_filters():
    at = run()
    at.multiselect(key="w_county").set_value(["安化县"])
    at.run()
    zone_labels = at.multiselect(key="w_zone").options
    assert any(label.startswith("一核") and label.endswith("(0)") for label in zone_labels)


def test_the_query_string_round_trips(catalog):
    query = {"zone": "core", "sector": "文旅休闲业,现代物流业", "focus": "county:赫山区", "q": "", "basemap": "osm"}
    at = run({k: v for k, v in query.items() if v})
    assert at.multiselect(key="w_zone").value == ["core"]
    assert at.button_group(key="w_sector_3").value == ["文旅休闲业"]
    assert at.button_group(key="w_sector_5").value == ["现代物流业"]
    assert at.selectbox(key="w_focus").value == "county:赫山区"
    assert at.selectbox(key="w_basemap").value == "osm"
    assert at.query_params == {k: v for k, v in query.items() if v}
    reopened = run(dict(at.query_params))
    assert metrics(reopened) == metrics(at)
    assert "赫山区的项目" in texts(at.markdown)  # the focus panel lists its projects


@pytest.mark.parametrize("basemap", ["osm", "amap"])
def test_basemaps_switch_without_error(basemap):
    at = run()
    at.selectbox(key="w_basemap").set_value(basemap)
    at.run()
    assert not at.exception and not at.error and at.query_params["basemap"] == basemap
    assert "需要联网" in texts(at.sidebar.caption)


def test_choosing_a_focus_lists_its_projects(catalog):
    at = run()
    at.selectbox(key="w_focus").set_value("zone:lake_wing")
    at.run()
    assert at.query_params["focus"] == "zone:lake_wing"
    n = int(catalog["zones"].map(lambda z: "lake_wing" in z).sum())
    assert f"两翼·益沅南湖区服务业发展支撑区的项目** ({n})" in texts(at.markdown)


def test_a_stale_link_is_reported_not_fatal():
    at = run({"zone": "nowhere", "lang": "xx", "basemap": "tianditu"})
    assert "链接中的部分参数无效" in texts(at.warning)
    assert at.selectbox(key="w_basemap").value == "none"  # no Tianditu key in the test environment
    assert "zone" not in at.query_params


def test_reset_clears_every_filter():
    at = run({"zone": "core", "q": "园", "precision": "county"})
    at.button[0].click()
    at.run()
    assert at.query_params == {} and at.multiselect(key="w_zone").value == []


def test_language_switch_is_shared_through_session_and_url():
    at = run()
    at.button_group(key="w_lang").set_value("en")
    at.run()
    assert at.title[0].value.startswith("Yiyang 14th Five-Year")
    assert at.session_state["lang"] == "en" and at.query_params["lang"] == "en"
    assert [t.label for t in at.tabs][0] == "Map"
    at.button_group(key="w_lang").set_value("zh")
    at.run()
    assert at.title[0].value.startswith("益阳市") and "lang" not in at.query_params


def test_the_tour_page_shares_the_language_and_the_view_survives_it():
    at = run()
    at.multiselect(key="w_county").set_value(["安化县"])
    at.button_group(key="w_lang").set_value("en")
    at.run()
    before = metrics(at)
    tour = APP.parent / "pages" / "2_演示模式.py"  # the guided tour (演示模式), another page of the app
    at.switch_page(str(tour.relative_to(APP.parent)))
    at.run()
    assert not at.exception and at.session_state["lang"] == "en"
    assert "Guided tour" in texts(at.markdown)  # the tour page read the language the explorer set
    at.switch_page("app.py")
    at.run()
    assert metrics(at) == before and at.multiselect(key="w_county_en").value == ["安化县"]  # keyed per language
    assert at.query_params == {"county": "安化县", "lang": "en"}


# -- which zone? ---------------------------------------------------------------------------------


@pytest.mark.parametrize("crs", ["wgs84", "gcj02", "bd09", "cgcs2000"])
def test_which_zone_for_typed_coordinates_in_each_system(crs):
    lon, lat = inside("赫山区")
    x, y = from_wgs84([lon], [lat], crs)
    at = run()
    at.segmented_control(key="w_which_mode").set_value("coords")
    at.run()
    at.selectbox(key="w_which_crs").set_value(crs)
    at.text_input(key="w_which_lon").set_value(f"{x[0]:.7f}")
    at.text_input(key="w_which_lat").set_value(f"{y[0]:.7f}")
    at.run()
    assert not at.exception
    assert "位于 **赫山区**" in texts(at.success)
    body = texts(at.markdown)
    assert "中心城区现代服务业引领区" in body and "推进铁路水路大联通" in body  # core zone and central pole


def test_which_zone_outside_names_the_nearest_county_and_distance():
    at = run()
    at.segmented_control(key="w_which_mode").set_value("coords")
    at.run()
    at.text_input(key="w_which_lon").set_value("112.94")  # 长沙
    at.text_input(key="w_which_lat").set_value("28.23")
    at.run()
    warning = texts(at.warning)
    assert "不在益阳市境内" in warning and "公里" in warning


@pytest.mark.parametrize(
    "lon, lat, message", [("abc", "28.5", "经度“abc”不是数字"), ("28.5", "112.3", "经纬度疑似颠倒")]
)
def test_which_zone_bad_coordinates_give_a_message_not_a_traceback(lon, lat, message):
    at = run()
    at.segmented_control(key="w_which_mode").set_value("coords")
    at.run()
    at.text_input(key="w_which_lon").set_value(lon)
    at.text_input(key="w_which_lat").set_value(lat)
    at.run()
    assert not at.exception and message in texts(at.error)


@pytest.mark.parametrize(
    "lon, lat, crs",
    [
        ("28°33'14\"N 112°21'18\"E", "", "auto"),  # the whole pasted string in the first box
        ("28°33'14\"N", "112°21'18\"E", "wgs84"),  # latitude first, and the letters say so
        ("3160591.10", "38342067.24", "cgcs2000"),  # Gauss-Krüger zone 38, northing first
        ("342067.24 3160591.10", "", "auto"),  # no zone prefix, pasted
    ],
)
def test_which_zone_reads_what_the_batch_check_reads(lon, lat, crs):
    at = run()
    at.segmented_control(key="w_which_mode").set_value("coords")
    at.run()
    at.selectbox(key="w_which_crs").set_value(crs)
    at.text_input(key="w_which_lon").set_value(lon)
    at.text_input(key="w_which_lat").set_value(lat)
    at.run()
    assert not at.exception and not at.error, texts(at.error)
    assert "位于 **赫山区**" in texts(at.success)


def test_which_zone_for_a_catalog_project(catalog):
    located = catalog[catalog["lon"].notna()].iloc[0]
    at = run()
    at.selectbox(key="w_which_project").set_value(located["id"])
    at.run()
    assert f"位于 **{located['computed_county']}**" in texts(at.success)
    citywide = catalog[catalog["precision"] == "citywide"].iloc[0]
    at.selectbox(key="w_which_project").set_value(citywide["id"])
    at.run()
    assert "全市性项目" in texts(at.info)


def test_a_map_click_is_answered_in_the_map_system():
    lon, lat = inside("南县")
    at = run()
    at.session_state["click"] = (lon, lat, "none")
    at.run()
    assert "位于 **南县**" in texts(at.success)
    glon, glat = from_wgs84([lon], [lat], "gcj02")
    at.session_state["click"] = (float(glon[0]), float(glat[0]), "amap")  # clicked over 高德 tiles
    at.run()
    assert "位于 **南县**" in texts(at.success) and "GCJ-02" in texts(at.caption)
    at.segmented_control(key="w_which_mode").set_value("click")  # the which-zone tab shows the same answer
    at.run()
    assert texts(at.success).count("位于 **南县**") == 2


# -- batch check ---------------------------------------------------------------------------------

ROWS = pd.DataFrame(
    {"项目名称": ["赫山点", "长沙点", "坏行"], "经度": ["112.45", "112.94", "abc"], "纬度": ["28.50", "28.23", "28.5"]}
)
ENGLISH = re.compile(r"\b(is not|not a number|should be|column|error|found|looks swapped)\b", re.IGNORECASE)


def upload(name: str, data: bytes, mime: str = "application/octet-stream", query: dict | None = None) -> AppTest:
    at = run(query)
    at.file_uploader(key="w_upload").upload(name, data, mime)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def shown_frames(at: AppTest) -> list[pd.DataFrame]:
    return [d.value for d in at.dataframe]


def officer_workbook() -> bytes:
    wb = openpyxl.Workbook()
    wb.active.title = "说明"
    wb["说明"]["A1"] = "本表由发改局填报"
    ws = wb.create_sheet("项目清单")
    ws["A1"] = "2026年益阳市重点项目清单"
    ws.merge_cells("A1:E1")
    for r, row in enumerate(
        [
            ["项目名称", "总投资（万元）", "开工日期", "经度", "纬度"],
            ["茶乡花海", 30000, dt.date(2026, 3, 1), 111.20586, 28.38017],
            ["南洲新区", 12000.5, dt.date(2026, 5, 1), "112°24′08.7″", "29°21′34.4″"],
            ["长沙对接", 800, None, 112.97087, 28.19874],
            ["待定项目", 5, None, "待定", None],
        ],
        start=3,
    ):
        for c, v in enumerate(row, start=1):
            ws.cell(row=r, column=c, value=v)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def test_batch_check_of_an_officers_workbook_is_chinese_and_comes_back_whole():
    at = upload("项目清单.xlsx", officer_workbook())
    assert "表头在第 3 行" in texts(at.info) and "读取工作表“项目清单”" in texts(at.info)
    assert "4 行：2 行在益阳市境内，1 行在境外，1 行无法定位" in texts(at.success)
    problems = next(f for f in shown_frames(at) if "原因" in f.columns)
    assert problems.to_dict("records") == [
        {"行号（表格中）": 7, "项目名称": "待定项目", "原因": "经度“待定”不是数字，也不是度分秒写法；纬度为空"}
    ]
    table = next(f for f in shown_frames(at) if "所属片区" in f.columns)
    assert table["所在县区"].tolist() == ["安化县", "南县", "", ""]
    assert table["说明"].tolist()[2].startswith("不在益阳市境内，距最近的赫山区")
    visible = "\n".join(
        [
            texts(at.info),
            texts(at.success),
            texts(at.error),
            texts(at.warning),
            *(" ".join(map(str, f.columns)) + " " + f.astype(str).to_string() for f in shown_frames(at)),
        ]
    )
    assert not ENGLISH.search(visible) and "--lon" not in visible and "python -m" not in visible
    buttons = {b.key: b for b in at.download_button if b.key.startswith("w_dl")}
    assert {k: b.label for k, b in buttons.items()} == {"w_dl_csv": "下载 CSV", "w_dl_xlsx": "下载 XLSX"}


@pytest.mark.parametrize(
    "name, data, encoding",
    [
        ("points.csv", ROWS.to_csv(index=False).encode("utf-8"), "utf-8"),
        ("points.csv", ("标题,,\n" + ROWS.to_csv(index=False)).encode("gbk"), "gb18030"),
    ],
)
def test_batch_check_annotates_every_row(name, data, encoding):
    at = upload(name, data)
    assert "3 行：1 行在益阳市境内，1 行在境外，1 行无法定位" in texts(at.success)
    table = next(f for f in shown_frames(at) if "所属片区" in f.columns)
    assert table["所在县区"].tolist()[0] == "赫山区" and table["说明"].tolist()[2].startswith("经度“abc”")


def test_batch_check_in_english_gives_ids():
    at = upload("points.csv", ROWS.to_csv(index=False).encode("utf-8"), query={"lang": "en"})
    table = next(f for f in shown_frames(at) if "zone" in f.columns)
    assert table["zone"].tolist()[0] == "core" and table["reason"].tolist()[2] == "longitude 'abc' is not a number"


def test_batch_columns_chosen_with_the_widgets_when_names_are_unknown():
    data = "项目,东向,北向\n赫山点,112.45,28.50\n".encode()
    at = upload("points.csv", data)
    message = texts(at.error)
    assert "请在上方“经度列”“纬度列”中选择" in message and "--lon" not in message
    at.selectbox(key="w_batch_lon").set_value("东向")
    at.selectbox(key="w_batch_lat").set_value("北向")
    at.run()
    assert not at.error and "1 行：1 行在益阳市境内" in texts(at.success) and "按您的选择" in texts(at.info)


@pytest.mark.parametrize(
    "name, data, message",
    [
        ("points.txt", b"lon,lat\n112,28\n", "文件类型应为 .csv 或 .xlsx"),
        ("points.xlsx", b"PK\x03\x04 not really a workbook", "不是真正的 .xlsx 工作簿"),
        ("points.csv", b"name,lon,lat\nA,112.35,28.58,\n", "第 2 行有 4 个字段"),
        ("points.csv", b"lon,lat\n" + b"112.4,28.5\n" * (MAX_UPLOAD_BYTES // 11 + 1), "文件过大"),
        ("far.xlsx", far_cell_workbook("XFD1048576"), "表格过大/异常"),
        ("far.xlsx", far_cell_workbook("XFD1000"), "XFD1000"),
    ],
)
def test_batch_check_refuses_broken_and_hostile_files_with_one_chinese_message(name, data, message):
    at = upload(name, data)
    assert message in texts(at.error) and not ENGLISH.search(texts(at.error))
    assert not [b for b in at.download_button if b.key.startswith("w_dl")]


def test_which_zone_picker_takes_pinyin_and_states_the_precision(catalog):
    row = catalog[(catalog["precision"] == "county") & (catalog["county"] == "安化县")].iloc[0]
    at = run()
    at.text_input(key="w_which_q").set_value(row["id"])
    at.run()
    assert len(at.selectbox(key="w_which_project").options) == 1
    at.selectbox(key="w_which_project").set_value(row["id"])
    at.run()
    assert "县级近似点位：以东坪镇代表安化县" in texts(at.warning) and "只由所在县（安化县）决定" in texts(at.warning)
    at.text_input(key="w_which_q").set_value("cxhh")  # pinyin initials of 茶乡花海
    at.run()
    options = at.selectbox(key="w_which_project").options
    assert options and all("茶乡花海" in o for o in options)


# -- summaries -----------------------------------------------------------------------------------


def test_summaries_show_counts_table1_and_targets():
    at = run()
    frames = [d.value for d in at.dataframe]
    table1 = next(f for f in frames if "指标名称" in f.columns)
    assert table1.iloc[0].tolist()[:4] == ["服务业增加值（亿元）", "740.26", "1087.68", "8.0% 以上 [平均]"]
    assert table1.iloc[1, 3] == "4.10 个百分点 [累积]"
    assert table1["2025年"].tolist() == ["1087.68", "44.00", "49.90", "31.40"]
    targets = next(f for f in frames if "目标期限" in f.columns)
    assert "600亿元以上" in targets["目标"].tolist() and "规划原文" in targets.columns
    zone_sector = next(f for f in frames if "合计" in f.columns)
    assert "一核·中心城区现代服务业引领区" in zone_sector["片区"].tolist()
    chart = at.get("vega_lite_chart")  # the stacked bar chart, drawn by Streamlit's own Vega-Lite
    assert chart
    spec = json.loads(chart[0].proto.spec)
    scale = spec["encoding"]["color"]["scale"]
    assert scale["range"] == [SECTOR_COLORS[s] for s in scale["domain"]]  # the map's colours (layout.render.palette)
    assert spec["encoding"]["y"]["axis"]["labelLimit"] == 0  # zone names in full


# -- exports -------------------------------------------------------------------------------------


def test_exports_offer_the_current_view():
    at = run()
    buttons = {b.key: b for b in at.download_button}
    assert {"w_export_png", "w_export_pdf", "w_export_html"} <= set(buttons)
    assert "w_export_pptx" not in buttons and "按县制作" in texts(at.caption)
    at = run({"focus": "county:安化县"})
    labels = {b.key: b.proto.label for b in at.download_button}
    assert labels["w_export_pptx"] == "下载县区简报 PPTX"
    assert "范围：安化县" in texts(at.caption)


def test_projects_can_be_coloured_and_filtered_by_register_status():
    at = run({"color": "status", "status": "unreported"})
    assert at.segmented_control(key="w_color").value == "status"
    assert at.multiselect(key="w_status").value == ["unreported"]
    assert "未填报" in " ".join(at.multiselect(key="w_status").options)
    at.segmented_control(key="w_color").set_value("sector")
    at.run()
    assert not at.exception and at.query_params.get("color") in (None, [], "")


def two_level_workbook() -> bytes:
    """坐标 merged over 经度/纬度 under a title row, 序号/项目名称 merged down (issue 21, item 2)."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["益阳市服务业重点项目调度表"])
    ws.append(["序号", "项目名称", "坐标", None])
    ws.append([None, None, "经度", "纬度"])
    for cells in ("A1:D1", "C2:D2", "A2:A3", "B2:B3"):
        ws.merge_cells(cells)
    ws.append([1, "茶乡花海", 111.20586, 28.38017])
    ws.append([2, "长沙对接", 112.97087, 28.19874])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def test_a_two_level_header_is_read_and_nothing_located_is_a_warning():
    at = upload("调度表.xlsx", two_level_workbook())
    assert "表头占第 2–3 行" in texts(at.info) and "“坐标·经度”“坐标·纬度”" in texts(at.info)
    assert "2 行：1 行在益阳市境内，1 行在境外，0 行无法定位" in texts(at.success) and not at.warning
    assert any(list(f.columns[:4]) == ["序号", "项目名称", "坐标·经度", "坐标·纬度"] for f in shown_frames(at))
    placeless = "序号,项目名称,坐标\n1,茶乡花海,见附件\n2,南洲,待补\n".encode()
    at = upload("x.csv", placeless)
    assert not at.success and "没有一行能定位" in texts(at.warning) and "表头所在行" in texts(at.warning)
