"""`python -m layout` as users run it: real processes, exit codes, one line on errors, no traceback."""

from __future__ import annotations

import json
import subprocess
import sys

import openpyxl
import pytest

from layout.tables import read_table


def run(*args: str, cwd=None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "layout", *args], capture_output=True, text=True, cwd=cwd,
                          timeout=120)


def test_help_lists_the_commands():
    out = run("--help")
    assert out.returncode == 0
    for command in ("where", "classify", "build-geodata"):
        assert command in out.stdout


def test_where_inside():
    out = run("where", "112.35028", "28.5825")
    assert out.returncode == 0
    record = json.loads(out.stdout)
    assert list(record) == ["lon", "lat", "inside", "county", "adcode", "zone", "zones", "poles", "nearest_county",
                            "distance_km"]
    assert record | {} == {"lon": 112.35028, "lat": 28.5825, "inside": True, "county": "赫山区", "adcode": "430903",
                           "zone": "core", "zones": ["core"], "poles": ["pole_central"], "nearest_county": None,
                           "distance_km": None}


@pytest.mark.parametrize("crs", ["gcj02", "bd09"])
def test_where_converts_amap_and_baidu_coordinates(crs):
    from layout.crs import from_wgs84

    lon, lat = from_wgs84([111.20586], [28.38017], crs)
    record = json.loads(run("where", f"{lon[0]:.7f}", f"{lat[0]:.7f}", "--crs", crs).stdout)
    assert record["county"] == "安化县" and record["poles"] == ["pole_southwest"]
    assert record["lon"] == pytest.approx(111.20586, abs=1e-6)


def test_where_outside_names_the_nearest_county():
    record = json.loads(run("where", "112.97087", "28.19874").stdout)
    assert record["inside"] is False and record["county"] is None and record["zones"] == []
    assert record["nearest_county"] == "赫山区" and 20 < record["distance_km"] < 60


@pytest.mark.parametrize(("args", "message"), [
    (["abc", "28.5"], "error: LON 'abc' is not a number"),
    (["112.3", "95"], "error: latitude 95 is impossible"),
    (["190", "28"], "error: longitude 190 is impossible"),
    (["28.38", "111.21"], "error: looks swapped: 28.38, 111.21"),
    (["112.3", "28.5", "--crs", "mercator"], "Invalid value for '--crs'"),
])
def test_where_bad_input_exits_2_with_one_line(args, message):
    out = run("where", *args)
    assert out.returncode == 2
    assert message in out.stderr
    assert "Traceback" not in out.stderr


def test_classify_gbk_csv_to_xlsx(tmp_path):
    src = tmp_path / "projects.csv"
    src.write_bytes("名称,经度,纬度\n东坪,111.20586,28.38017\n坏,abc,28\n长沙,112.97087,28.19874\n".encode("gbk"))
    out = run("classify", str(src), "-o", str(tmp_path / "out.xlsx"), "--lon", "经度", "--lat", "纬度")
    assert out.returncode == 0, out.stderr
    assert "3 rows (gb18030)" in out.stderr and "1 inside 益阳, 1 outside, 1 with errors" in out.stderr
    assert "row 3: longitude 'abc' is not a number" in out.stderr
    ws = openpyxl.load_workbook(tmp_path / "out.xlsx").active
    header = [c.value for c in ws[1]]
    assert header[:3] == ["名称", "经度", "纬度"] and "zone" in header and header[-1] == "error"
    df, _ = read_table(tmp_path / "out.xlsx")
    assert df["county"].tolist() == ["安化县", "", ""] and df["nearest_county"].tolist()[2] == "赫山区"


def test_classify_default_output_name_and_bom_csv(tmp_path):
    src = tmp_path / "p.csv"
    src.write_bytes("lon,lat\n112.40243,29.35955\n".encode("utf-8-sig"))
    out = run("classify", str(src))
    assert out.returncode == 0
    df, encoding = read_table(tmp_path / "p_zones.csv")
    assert encoding == "utf-8-sig" and df.at[0, "zone"] == "lake_wing"


@pytest.mark.parametrize(("args", "message"), [
    (["missing.csv"], "missing.csv: no such file"),
    (["bad.txt"], "the file type should be .csv or .xlsx"),
    (["p.csv", "--lon", "X"], "longitude column 'X' is not in the table"),
    (["p.csv", "-o", "p.csv"], "is the input file"),
])
def test_classify_errors(tmp_path, args, message):
    (tmp_path / "bad.txt").write_text("x")
    (tmp_path / "p.csv").write_text("lon,lat\n112,28\n")
    out = run("classify", *args, cwd=tmp_path)
    assert out.returncode == 2 and message in out.stderr and "Traceback" not in out.stderr
