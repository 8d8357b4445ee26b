"""`python -m layout` as users run it: real processes, exit codes, one line on errors, no traceback."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest
from hostile_files import far_cell_workbook

from layout.tables.read import read_table

ROOT = Path(__file__).resolve().parent.parent


def test_help_lists_the_commands(run_layout):
    out = run_layout("--help")
    assert out.returncode == 0
    for command in ("where", "classify", "build-geodata"):
        assert command in out.stdout


def test_where_inside(run_layout):
    out = run_layout("where", "112.35028", "28.5825")
    assert out.returncode == 0
    record = json.loads(out.stdout)
    assert list(record) == [
        "lon",
        "lat",
        "inside",
        "county",
        "adcode",
        "zone",
        "zones",
        "poles",
        "nearest_county",
        "distance_km",
    ]
    assert record | {} == {
        "lon": 112.35028,
        "lat": 28.5825,
        "inside": True,
        "county": "赫山区",
        "adcode": "430903",
        "zone": "core",
        "zones": ["core"],
        "poles": ["pole_central"],
        "nearest_county": None,
        "distance_km": None,
    }


@pytest.mark.parametrize("crs", ["gcj02", "bd09"])
def test_where_converts_amap_and_baidu_coordinates(run_layout, crs):
    from layout.geo.crs import from_wgs84

    lon, lat = from_wgs84([111.20586], [28.38017], crs)
    record = json.loads(run_layout("where", f"{lon[0]:.7f}", f"{lat[0]:.7f}", "--crs", crs).stdout)
    assert record["county"] == "安化县" and record["poles"] == ["pole_southwest"]
    assert record["lon"] == pytest.approx(111.20586, abs=1e-6)


def test_where_outside_names_the_nearest_county(run_layout):
    record = json.loads(run_layout("where", "112.97087", "28.19874").stdout)
    assert record["inside"] is False and record["county"] is None and record["zones"] == []
    assert record["nearest_county"] == "赫山区" and 20 < record["distance_km"] < 60


def test_where_reads_degrees_minutes_seconds_as_people_write_them(run_layout):
    decimal = json.loads(run_layout("where", "112.355", "28.5541667").stdout)
    for lon, lat in (("112°21′18″", "28°33′15″"), ("112度21分18秒", "28度33分15秒"), ("E112°21.3′", "N28°33.25′")):
        record = json.loads(run_layout("where", lon, lat).stdout)
        assert record["county"] == decimal["county"] and abs(record["lon"] - 112.355) < 1e-6, (lon, lat)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["abc", "28.5"], "error: longitude 'abc' is not a number"),
        (["112.3", "95"], "error: latitude 95 is impossible"),
        (["190", "28"], "error: longitude 190 is impossible"),
        (["28.38", "111.21"], "error: looks swapped: 28.38, 111.21"),
        (["112.3", "28.5", "--crs", "mercator"], "Invalid value for '--crs'"),
    ],
)
def test_where_bad_input_exits_2_with_one_line(run_layout, args, message):
    out = run_layout("where", *args, "--lang", "en")
    assert out.returncode == 2
    assert message in out.stderr
    assert "Traceback" not in out.stderr


def test_classify_gbk_csv_to_xlsx_in_chinese(run_layout, tmp_path):
    src = tmp_path / "projects.csv"
    src.write_bytes(
        "2026年项目清单,,\n名称,经度（°）,纬度（°）\n东坪,111.20586,28.38017\n坏,abc,28\n"
        "长沙,112.97087,28.19874\n".encode("gbk")
    )
    out = run_layout("classify", str(src), "-o", str(tmp_path / "out.xlsx"))
    assert out.returncode == 0, out.stderr
    assert "表头在第 2 行" in out.stderr and "3 行：1 行在益阳市境内，1 行在境外，1 行无法定位" in out.stderr
    assert "第 4 行 坏：经度“abc”不是数字" in out.stderr and "按 WGS84" in out.stderr
    ws = openpyxl.load_workbook(tmp_path / "out.xlsx").active
    header = [c.value for c in ws[1]]
    assert header[:3] == ["名称", "经度（°）", "纬度（°）"] and header[-1] == "说明" and "所属片区" in header
    df = read_table(tmp_path / "out.xlsx").frame
    assert df["所在县区"].tolist() == ["安化县", "", ""] and df["最近县区"].tolist()[2] == "赫山区"
    assert stat.S_IMODE((tmp_path / "out.xlsx").stat().st_mode) == 0o666 & ~current_umask()


def current_umask() -> int:
    old = os.umask(0)
    os.umask(old)
    return old


def test_classify_in_english_and_default_output_name(run_layout, tmp_path):
    src = tmp_path / "p.csv"
    src.write_bytes("lon,lat\n112.40243,29.35955\n".encode("utf-8-sig"))
    out = run_layout("classify", str(src), "--lang", "en")
    assert out.returncode == 0 and "1 rows: 1 inside Yiyang" in out.stderr
    table = read_table(tmp_path / "p_zones.csv")
    assert table.encoding == "utf-8-sig" and table.frame.at[0, "zone"] == "lake_wing"


def test_classify_projected_metres_reports_its_decision(run_layout, tmp_path):
    from layout.geo.crs import to_metric

    x, y = to_metric([111.20586], [28.38017])
    src = tmp_path / "survey.csv"
    src.write_text(f"点名,X,Y\nJD1,{y[0]:.3f},{x[0] + 37_000_000:.3f}\n", encoding="utf-8")
    out = run_layout("classify", str(src), "-o", str(tmp_path / "o.csv"))
    assert out.returncode == 0 and "EPSG:4525" in out.stderr
    assert read_table(tmp_path / "o.csv").frame.at[0, "所在县区"] == "安化县"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["missing.csv"], "missing.csv：文件不存在"),
        (["bad.txt"], "文件类型应为 .csv 或 .xlsx"),
        (["p.csv", "--lon", "X"], "表格中没有“X”列"),
        (["p.csv", "-o", "p.csv"], "就是输入文件"),
        (["p.csv", "-o", "."], "该路径是一个文件夹"),
        (["p.csv", "-o", "/proc/out.csv"], "无法写入 /proc/out.csv"),
        (["p.csv", "--crs", "mercator"], "坐标系应为"),
        (["name.csv"], "请用 --lon 列名 --lat 列名"),
        (["comma.csv"], "第 2 行有 4 个字段"),
    ],
)
def test_classify_errors_are_one_chinese_line(run_layout, tmp_path, args, message):
    (tmp_path / "bad.txt").write_text("x")
    (tmp_path / "p.csv").write_text("lon,lat\n112,28\n")
    (tmp_path / "name.csv").write_text("name\nA\n")
    (tmp_path / "comma.csv").write_text("name,lon,lat\nA,112.35,28.58,\n")
    out = run_layout("classify", *args, cwd=tmp_path)
    assert out.returncode == 2 and message in out.stderr and "Traceback" not in out.stderr, out.stderr
    assert out.stderr.startswith("错误：") and out.stderr.count("\n") == 1


@pytest.mark.parametrize("command", ["classify", "geocode-catalog"])
def test_hostile_workbook_is_one_line_with_bounded_memory(run_layout_measured, tmp_path, command):
    (tmp_path / "far.xlsx").write_bytes(far_cell_workbook("XFD1048576"))
    args = [command, "far.xlsx", *(["-o", "o.csv"] if command == "classify" else ["--dry-run"])]
    out, _, peak_mb = run_layout_measured(*args, cwd=tmp_path)
    assert out.returncode == 2 and "Traceback" not in out.stderr
    assert "XFD1048576" in out.stderr and out.stderr.count("\n") == 1
    assert peak_mb < 500, peak_mb


# -- geocode-catalog: one writer at a time, its own format, a valid catalog only ----------------------


def cleared_catalog(path):
    from layout.catalog.projects import read_catalog_table, write_catalog

    df = read_catalog_table()
    df[["lon", "lat", "geocode_source"]] = ""
    return write_catalog(df, path)


def test_concurrent_geocode_catalog_runs_keep_the_original_backup(tmp_path):
    path = cleared_catalog(tmp_path / "c.csv")
    original = path.read_bytes()
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    procs = [
        subprocess.Popen(
            [sys.executable, "-m", "layout", "geocode-catalog", str(path)],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        for _ in range(4)
    ]
    for p in procs:
        p.communicate(timeout=300)
    assert [p.returncode for p in procs] == [0, 0, 0, 0]
    assert (tmp_path / "c.csv.bak").read_bytes() == original and path.read_bytes() != original
    assert not [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")]
    assert stat.S_IMODE(path.stat().st_mode) == 0o666 & ~current_umask()


def test_geocode_catalog_refuses_a_workbook_and_a_broken_catalog(run_layout, tmp_path):
    book = tmp_path / "c.xlsx"
    book.write_bytes(far_cell_workbook("C3"))
    before = book.read_bytes()
    out = run_layout("geocode-catalog", str(book))
    assert out.returncode == 2 and "只能写入 .csv 文件" in out.stderr and book.read_bytes() == before
    broken = tmp_path / "broken.csv"
    broken.write_text("id,name\nP001,x\n", encoding="utf-8")
    out = run_layout("geocode-catalog", str(broken))
    assert out.returncode == 2 and "请先修正" in out.stderr
    assert broken.read_text(encoding="utf-8") == "id,name\nP001,x\n"
    assert not (tmp_path / "broken.csv.bak").exists()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["1_12.3", "28.5"], "error: longitude '1_12.3' is not a number"),
        (["x" * 100_000, "28.5"], "…' is not a number"),
    ],
)
def test_where_refuses_underscores_and_does_not_echo_a_huge_argument(run_layout, args, message):
    out = run_layout("where", *args, "--lang", "en")
    assert out.returncode == 2 and message in out.stderr and len(out.stderr) < 200


def test_classify_reads_a_two_level_merged_header_and_warns_when_nothing_is_placed(run_layout, tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["益阳市服务业重点项目调度表"])
    ws.append(["序号", "项目名称", "坐标", None])
    ws.append([None, None, "经度", "纬度"])
    for cells in ("A1:D1", "C2:D2", "A2:A3", "B2:B3"):
        ws.merge_cells(cells)
    ws.append([1, "茶乡花海", 111.20586, 28.38017])
    wb.save(tmp_path / "调度表.xlsx")
    out = run_layout("classify", str(tmp_path / "调度表.xlsx"), "-o", str(tmp_path / "out.xlsx"))
    assert out.returncode == 0, out.stderr
    assert "表头占第 2–3 行" in out.stderr and "1 行：1 行在益阳市境内" in out.stderr
    (tmp_path / "none.csv").write_text("序号,项目名称,坐标\n1,茶乡花海,见附件\n", encoding="utf-8")
    out = run_layout("classify", str(tmp_path / "none.csv"), "-o", str(tmp_path / "none_out.csv"))
    assert "没有一行能定位" in out.stderr and "--header-row" in out.stderr


@pytest.mark.parametrize(
    "args",
    [
        ["--crs", "cgcs2000", "3160591.10", "38342067.24"],  # issue 21: a zone-38 Gauss-Krüger pair, northing first
        ["--crs", "auto", "38342067.24", "3160591.10"],
        ["342067.24", "3160591.10"],  # no zone prefix; the default crs is auto, like classify's
        ["--crs", "EPSG:4526", "38342067.24", "3160591.10"],
    ],
)
def test_where_reads_gauss_kruger_as_classify_does(run_layout, args):
    from pyproj import Transformer

    out = run_layout("where", *args)
    assert out.returncode == 0, out.stderr
    record = json.loads(out.stdout)
    lon, lat = Transformer.from_crs(4526, 4326, always_xy=True).transform(38342067.24, 3160591.10)
    assert abs(record["lon"] - lon) < 1e-6 and abs(record["lat"] - lat) < 1e-6 and record["county"] == "赫山区"


def test_where_takes_a_whole_pasted_point_and_its_letters(run_layout):
    for args in (["28°33'14\"N 112°21'18\"E"], ["28°33'14\"N", "112°21'18\"E"]):
        out = run_layout("where", *args)
        assert out.returncode == 0, out.stderr
        assert abs(json.loads(out.stdout)["lat"] - (28 + 33 / 60 + 14 / 3600)) < 1e-6


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["abc", "28.5"], "错误：经度“abc”不是数字"),
        (["112.3", "95"], "错误：纬度 95 不可能"),
        (["28.38", "111.21"], "错误：经纬度疑似颠倒"),
    ],
)
def test_where_speaks_chinese_by_default(run_layout, args, message):
    out = run_layout("where", *args)
    assert out.returncode == 2 and out.stderr.startswith(message) and out.stderr.count("\n") == 1, out.stderr


def test_export_draws_the_register_sites_as_the_app_does(run_layout, tmp_path):
    """A site recorded in the register moves the project's point in the CLI's HTML export (issue 21)."""
    from layout.register.events import Register

    register = tmp_path / "register.sqlite"
    Register(register).record("P001", {"site": (112.3862, 28.5512), "site_source": "现场核实"}, by="测试")
    out = run_layout("export", "--format", "html", "-o", tmp_path / "city.html", env={"LAYOUT_REGISTER": str(register)})
    assert out.returncode == 0, out.stderr
    from layout.catalog.projects import load_catalog

    assert load_catalog().set_index("id").loc["P001", ["lon", "lat"]].isna().all()  # citywide: no point of its own
    assert '"P001"' in (tmp_path / "city.html").read_text(encoding="utf-8")  # drawn at the register's site
