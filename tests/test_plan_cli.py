"""Plan versions from the command line, and the issue's "Done when" scenario end to end: a draft made from
十四五 with one county moved, one zone renamed, 3 projects carried over and 2 new ones; the comparison (XLSX, PPTX,
HTML) lists exactly those changes, and 十四五's outputs are unchanged."""

from __future__ import annotations

import datetime as dt
import io
import json
import re
import zipfile
from collections.abc import Callable

import geopandas as gpd
import pytest
from click.testing import Result
from openpyxl import load_workbook
from pptx import Presentation

from layout.drafting.versions import activate_plan
from layout.plan.context import BASELINE, active_plan_files
from layout.register.events import Register

DRAFT = "十五五草案"
AS_OF = "2025-12-31"


@pytest.fixture(autouse=True)
def _data_dir(tmp_path, monkeypatch):
    """Drafts go into a fresh data folder; 十四五 is active again after every test."""
    monkeypatch.setenv("LAYOUT_DATA_DIR", str(tmp_path / "data"))
    yield
    activate_plan("十四五")


@pytest.fixture
def register(monkeypatch):
    """The register at the end of 十四五: P001 已建成 (not a candidate), P002 在建 60 %, P006 取消."""
    reg = Register()
    reg.record("P001", {"status": "已建成"}, by="李四", as_of=dt.date(2025, 6, 30))
    reg.record("P002", {"status": "在建", "progress": 60}, by="李四", as_of=dt.date(2025, 12, 31))
    reg.record("P006", {"status": "取消"}, by="李四", as_of=dt.date(2024, 3, 31))
    reg.record("P003", {"status": "已运营"}, by="李四", as_of=dt.date(2026, 3, 31))  # after the date: still open
    return reg


def make_scenario(cli: Callable[..., Result]) -> None:
    cli("plan", "new", DRAFT, "--from", "十四五", "--by", "张三")
    cli("plan", "assign", DRAFT, "桃江县", "core", "--by", "张三", "--reason", "桃江融入中心城区")
    cli("plan", "rename-zone", DRAFT, "mountain_wing", "--name-zh", "安化山区服务业发展支撑区", "--by", "张三")
    cli(
        "plan",
        "carry-over",
        DRAFT,
        "--from",
        "十四五",
        "--as-of",
        AS_OF,
        "--accept",
        "P002,P003",
        "--accept",
        "P005",
        "--by",
        "张三",
    )
    cli("plan", "add-project", DRAFT, "--name", "新项目甲", "--county", "安化县", "--by", "张三")
    cli(
        "plan",
        "add-project",
        DRAFT,
        "--name",
        "新项目乙",
        "--county",
        "赫山区",
        "--site",
        "112.4",
        "28.55",
        "--by",
        "张三",
    )


def km2(*names: str) -> float:
    counties = gpd.read_file("geodata/counties.geojson").to_crs("EPSG:4546")
    return round(float(counties[counties["name"].isin(names)].area.sum()) / 1e6, 1)


def test_plan_list_shows_14th_as_the_first_version(cli):
    out = cli("plan", "list", "--json").output
    rows = json.loads(out)
    assert rows[0]["name"] == "十四五" and rows[0]["status"] == "已结束"
    assert active_plan_files() == BASELINE


def test_carry_over_candidates_follow_the_register_state(cli, register):
    cli("plan", "new", DRAFT, "--from", "十四五", "--by", "张三")
    out = cli("plan", "carry-over", DRAFT, "--from", "十四五", "--as-of", AS_OF).output
    ids = [line.split("\t")[0] for line in out.splitlines()]
    assert "P001" not in ids and "P006" not in ids  # 已建成, 取消
    assert "P002" in ids and "P003" in ids  # 在建; 已运营 only after the date
    assert "P002\t赫山区\t龙桥公共保税仓\t2025-12-31 在建" in out
    err = cli(
        "plan", "carry-over", DRAFT, "--from", "十四五", "--as-of", AS_OF, "--accept", "P001", "--by", "张三", code=2
    ).output
    assert "P001" in err and "结转候选" in err
    err = cli(
        "plan", "carry-over", DRAFT, "--from", "十四五", "--as-of", AS_OF, "--drop", "P004", "--by", "张三", code=2
    ).output
    assert "--reason" in err


def test_done_when_scenario_lists_exactly_those_changes(cli, register, tmp_path):
    make_scenario(cli)
    for fmt in ("xlsx", "pptx", "html"):
        cli("plan", "compare", "十四五", DRAFT, "-o", str(tmp_path / f"c.{fmt}"))

    wb = load_workbook(tmp_path / "c.xlsx")

    def rows(sheet):
        values = [[c.value for c in r] for r in wb[sheet].iter_rows(min_row=4) if any(c.value for c in r)]
        return [tuple(v[: max(i for i, x in enumerate(v) if x is not None) + 1]) for v in values]

    assert wb["概要"]["A1"].value.startswith("【草案】")
    assert rows("县市区调整") == [
        ("桃江县", "mountain_wing", "益桃安山区服务业发展支撑区", "core", "中心城区现代服务业引领区")
    ]
    zones = rows("分区增删改名")
    assert [(r[0], r[1], r[3], r[4]) for r in zones] == [
        ("更名", "mountain_wing", "益桃安山区服务业发展支撑区", "安化山区服务业发展支撑区")
    ]
    assert zones[0][7:] == (km2("桃江县", "安化县"), km2("安化县"))  # areas from the polygons, EPSG:4546
    areas = {r[0]: r[2:] for r in rows("分区面积")}
    assert areas["core"] == (km2("资阳区", "赫山区"), km2("资阳区", "赫山区", "桃江县"))
    assert rows("增长极变化") == [("（无变化）",)]
    projects = [(r[0], r[1]) for r in rows("项目新增结转")]
    assert projects == [("新增", "N001"), ("新增", "N002"), ("结转", "P002"), ("结转", "P003"), ("结转", "P005")]
    ind = rows("指标目标对照")
    assert ind and all(r[4] == "相同" for r in ind)  # indicators were copied, not edited

    deck = Presentation(tmp_path / "c.pptx")
    texts = ["\n".join(s.text_frame.text for s in slide.shapes if s.has_text_frame) for slide in deck.slides]
    assert all("草案" in t for t in texts)
    by_county = {t.split("：")[0]: t for t in texts[2:]}
    assert set(by_county) == {"桃江县", "安化县", "赫山区", "南县"}  # moved; renamed zone + new; new + carried; carried
    assert "所属分区：益桃安山区服务业发展支撑区 → 中心城区现代服务业引领区" in by_county["桃江县"]
    assert "所在分区更名：益桃安山区服务业发展支撑区 → 安化山区服务业发展支撑区" in by_county["安化县"]
    assert "项目新增 1 个：N001 新项目甲" in by_county["安化县"]
    assert "项目结转 2 个：P002 龙桥公共保税仓、P003 出口监管仓" in by_county["赫山区"]

    page = (tmp_path / "c.html").read_text(encoding="utf-8")
    assert "【草案】规划对比" in page and "L.control.sideBySide" in page
    assert not re.search(r"<script[^>]*\bsrc=|<link[^>]*\bhref=", page)  # offline: everything inline, no CDN
    tables = re.findall(r"<h2>([^<]+)</h2>(?:<table[^>]*>(.*?)</table>|<p>（无变化）</p>)", page, re.S)
    counts = {name: body.split("<tbody>")[1].count("<tr") if body else 0 for name, body in tables}
    assert counts["县市区调整"] == 1 and counts["分区增删改名"] == 1 and counts["增长极变化"] == 0
    assert counts["项目新增结转"] == 5


def test_undo_restores_the_zone_and_is_recorded(cli):
    make_scenario(cli)
    history = cli("plan", "history", DRAFT).output.splitlines()
    assert history[0].startswith("1\t划入分区\tcounty:桃江县\t张三")
    assert cli("plan", "history", DRAFT, "--lang", "en").output.startswith("1\tassign\tcounty:桃江县\t张三")
    cli("plan", "undo", DRAFT, "1", "--by", "张三")
    where = json.loads(cli("where", "112.17", "28.55", "--plan", DRAFT).output)
    assert where["zone"] == "mountain_wing" and where["plan"] == f"{DRAFT}（草案）"
    assert "已撤销（事件 8）" in cli("plan", "history", DRAFT).output.splitlines()[0]
    assert "已被事件 8 撤销" in cli("plan", "undo", DRAFT, "1", "--by", "张三", code=2).output


def test_validation_refuses_a_broken_draft(cli):
    cli("plan", "new", DRAFT, "--from", "十四五", "--by", "张三")
    out = cli("plan", "remove-zone", DRAFT, "core", "--by", "张三", "--reason", "x", code=2).output
    assert "资阳区、赫山区" in out
    out = cli(
        "plan",
        "add-project",
        DRAFT,
        "--name",
        "错位项目",
        "--county",
        "赫山区",
        "--site",
        "111.5",
        "28.2",
        "--by",
        "张三",
        code=2,
    ).output
    assert "安化县" in out and "赫山区" in out  # the point lies in 安化县, not the county given
    cli("plan", "add-zone", DRAFT, "tea", "--kind", "wing", "--name-zh", "茶旅融合区", "--by", "张三")
    cli("plan", "assign", DRAFT, "安化县", "tea", "--by", "张三", "--reason", "黑茶")
    out = cli("plan", "remove-zone", DRAFT, "tea", "--by", "张三", "--reason", "x", code=2).output
    assert "安化县" in out
    assert cli("plan", "check", DRAFT).exit_code == 0
    err = cli("plan", "assign", "十四五", "桃江县", "core", "--by", "张三", "--reason", "x", code=2).output
    assert "不能修改" in err


def test_14th_outputs_unchanged_with_and_without_plan(cli, tmp_path):
    assert active_plan_files() == BASELINE
    plain = cli("where", "112.355", "28.554").output
    assert cli("where", "112.355", "28.554", "--plan", "十四五").output == plain
    src = tmp_path / "pts.csv"
    src.write_text("名称,经度,纬度\n甲,112.355,28.554\n乙,111.2,28.4\n丙,112.17,28.55\n", encoding="utf-8")
    cli("classify", str(src), "-o", str(tmp_path / "a.csv"))
    cli("classify", str(src), "-o", str(tmp_path / "b.csv"), "--plan", "十四五")
    assert (tmp_path / "a.csv").read_bytes() == (tmp_path / "b.csv").read_bytes()


def test_outputs_from_a_draft_are_marked(cli, tmp_path):
    make_scenario(cli)
    cli("classify", "--plan", DRAFT, str(_points(tmp_path)), "-o", str(tmp_path / "d.csv"))
    assert "桃江县,430922,一核·中心城区现代服务业引领区" in (tmp_path / "d.csv").read_text(encoding="utf-8-sig")
    cli("export", "--plan", DRAFT, "--scope", "city", "-o", str(tmp_path / "m.html"))
    assert "草案 · 十五五草案" in (tmp_path / "m.html").read_text(encoding="utf-8")
    assert "草案" in cli("export", "--plan", DRAFT, "-o", str(tmp_path / "m.pdf"), code=2).output
    cli("export", "--plan", DRAFT, "--scope", "county:桃江县", "-o", str(tmp_path / "m.png"))
    import numpy as np
    from PIL import Image

    corner = np.asarray(Image.open(tmp_path / "m.png").convert("RGB"))[:200, :1200]
    assert (corner == (192, 0, 0)).all(axis=2).sum() > 200  # the red 草案 line drawn on the map
    cli("export", "--plan", DRAFT, "--scope", "county:桃江县", "-o", str(tmp_path / "d.pptx"))
    deck = Presentation(tmp_path / "d.pptx")
    assert all(
        any("草案 · 十五五草案" in sh.text_frame.text for sh in slide.shapes if sh.has_text_frame)
        for slide in deck.slides
    )
    cli("evaluate", "--plan", DRAFT, "--as-of", AS_OF, "-o", str(tmp_path / "e.xlsx"))
    with zipfile.ZipFile(tmp_path / "e.xlsx") as z:
        assert "草案" in z.read("xl/workbook.xml").decode()
    wb = load_workbook(io.BytesIO((tmp_path / "e.xlsx").read_bytes()))
    assert wb.sheetnames[0] == "草案"


def _points(tmp_path):
    src = tmp_path / "pts.csv"
    src.write_text("名称,经度,纬度\n甲,112.355,28.554\n丙,112.17,28.55\n", encoding="utf-8")
    return src


def test_dask_engine_classifies_a_draft_with_the_drafts_zones(cli, tmp_path):
    import pyarrow.parquet as pq

    cli("plan", "new", DRAFT, "--from", "十四五", "--by", "张三")
    cli("plan", "assign", DRAFT, "南县", "mountain_wing", "--by", "张三", "--reason", "测试")
    src = tmp_path / "p.csv"
    src.write_text("name,lon,lat\nA,112.40,29.36\n", encoding="utf-8")  # 南县's seat: lake wing in 十四五
    args = ("classify", str(src), "-o", str(tmp_path / "out"), "--engine", "dask", "--workers", "1")
    result = cli(*args, "--plan", DRAFT)
    assert f"草案 {DRAFT}" in result.output
    table = pq.read_table(tmp_path / "out").to_pandas()
    assert table["county"].tolist() == ["南县"] and table["zone"].tolist() == ["mountain_wing"]
