"""The plan comparison's files in English (issue 25): ``plan compare --lang en`` writes the XLSX, PPTX and HTML of
the "Done when" scenario with English headings, zone and county names from the zone models (planners' own words —
project names, a renamed zone's Chinese name, the plans' titles — kept as written), and the Chinese files exactly
as before."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

from openpyxl import load_workbook
from pptx import Presentation
from test_plan_cli import DRAFT, _data_dir, make_scenario, register  # noqa: F401 - scenario, data folder, register

ROOT = Path(__file__).resolve().parent.parent
ZONES = tomllib.loads((ROOT / "layout/plan/zones.toml").read_text(encoding="utf-8"))
ZONE_EN = {zid: z["name_en"] for zid, z in ZONES["zones"].items()}
COUNTY_EN = {name: c["name_en"] for name, c in ZONES["counties"].items()}
CJK = re.compile(r"[\u3400-\u9fff]")
#: Chinese an English file may carry: what planners and the plan wrote.
AS_WRITTEN = re.compile(
    "|".join(
        [
            "十五五草案（草案）",  # the draft's title in its metadata
            "益阳市“十四五”服务业发展规划",  # 十四五's title
            "安化山区服务业发展支撑区",  # the renamed zone: the change itself
            "益桃安山区服务业发展支撑区",
            "新项目[甲乙]",
            "龙桥公共保税仓",
            "出口监管仓",
            "中南稻虾产业融合发展大数据中心",
            DRAFT,
        ]
    )
)


def rows(wb, sheet: str) -> list[tuple]:
    values = [[c.value for c in r] for r in wb[sheet].iter_rows(min_row=4) if any(c.value for c in r)]
    return [tuple(v[: max(i for i, x in enumerate(v) if x is not None) + 1]) for v in values]


def test_compare_in_english_names_the_same_changes_in_english(cli, register, tmp_path):  # noqa: F811
    make_scenario(cli)
    for fmt in ("xlsx", "pptx", "html"):
        cli("plan", "compare", "十四五", DRAFT, "--lang", "en", "-o", str(tmp_path / f"en.{fmt}"))
        cli("plan", "compare", "十四五", DRAFT, "-o", str(tmp_path / f"zh.{fmt}"))

    wb = load_workbook(tmp_path / "en.xlsx")
    assert wb.sheetnames == [
        "Summary",
        "Counties moved",
        "Zones changed",
        "Zone areas",
        "Growth poles changed",
        "Projects",
        "Indicator targets",
    ]
    assert wb["Summary"]["A1"].value == f"[DRAFT] Plans compared: 14th Five-Year Plan (ended) → {DRAFT} (draft)"
    assert rows(wb, "Counties moved") == [("Taojiang County", ZONE_EN["mountain_wing"], ZONE_EN["core"])]
    zones = rows(wb, "Zones changed")
    assert [r[:3] for r in zones] == [("Renamed", "mountain_wing", "Wing")]
    assert zones[0][5:7] == ("益桃安山区服务业发展支撑区", "安化山区服务业发展支撑区")  # the change itself, as typed
    assert rows(wb, "Growth poles changed") == [("(no change)",)]
    projects = [(r[0], r[1], r[3]) for r in rows(wb, "Projects")]
    assert projects == [
        ("Added", "N001", "Anhua County"),
        ("Added", "N002", "Heshan District"),
        ("Carried over", "P002", "Heshan District"),
        ("Carried over", "P003", "Heshan District"),
        ("Carried over", "P005", COUNTY_EN[rows(load_workbook(tmp_path / "zh.xlsx"), "项目新增结转")[4][3]]),
    ]
    # the same numbers as the Chinese workbook, cell for cell where a cell is a number
    zh = load_workbook(tmp_path / "zh.xlsx")
    for en_name, zh_name in (("Zone areas", "分区面积"), ("Zones changed", "分区增删改名")):
        en_nums = [[v for v in r if isinstance(v, float)] for r in rows(wb, en_name)]
        zh_nums = [[v for v in r if isinstance(v, float)] for r in rows(zh, zh_name)]
        assert en_nums == zh_nums and any(en_nums)
    cells = [str(c.value) for ws in wb for r in ws.iter_rows() for c in r if c.value is not None]
    written = {str(r[i]) for r in rows(wb, "Projects") for i in (2, 5, 6) if i < len(r)}  # name, reason, by
    written |= {str(v) for r in rows(wb, "Indicator targets") for v in r[1:4]}  # the plan's own words
    stray = [c for c in cells if CJK.search(AS_WRITTEN.sub("", c)) and c not in written]
    assert not stray, stray

    deck = Presentation(tmp_path / "en.pptx")
    texts = ["\n".join(s.text_frame.text for s in slide.shapes if s.has_text_frame) for slide in deck.slides]
    assert all("DRAFT" in t for t in texts)
    by_county = {t.split(":")[0]: t for t in texts[2:]}
    assert set(by_county) == {"Taojiang County", "Anhua County", "Heshan District", "Nan County"}
    assert f"Zone: {ZONE_EN['mountain_wing']} → {ZONE_EN['core']}" in by_county["Taojiang County"]
    assert "Its zone renamed: 益桃安山区服务业发展支撑区 → 安化山区服务业发展支撑区" in by_county["Anhua County"]
    assert "Projects added: 1: N001 新项目甲" in by_county["Anhua County"]
    assert "Projects carried over: 2: P002 龙桥公共保税仓, P003 出口监管仓" in by_county["Heshan District"]
    assert not [t for t in texts if CJK.search(AS_WRITTEN.sub("", t))]

    page = (tmp_path / "en.html").read_text(encoding="utf-8")
    assert '<html lang="en">' in page and "[DRAFT] Plans compared" in page and "L.control.sideBySide" in page
    assert f'"name": "{ZONE_EN["core"]}"' in page and '"counties": "Ziyang District, Heshan District' in page
    assert not re.search(r"<script[^>]*\bsrc=|<link[^>]*\bhref=", page)  # offline
    tables = re.findall(r"<h2>([^<]+)</h2>(?:<table[^>]*>(.*?)</table>|<p>\(no change\)</p>)", page, re.S)
    counts = {name: body.split("<tbody>")[1].count("<tr") if body else 0 for name, body in tables}
    assert counts == {
        "Counties moved": 1,
        "Zones changed": 1,
        "Zone areas": 3,
        "Growth poles changed": 0,
        "Projects": 5,
        "Indicator targets": counts["Indicator targets"],
    }
    assert (tmp_path / "zh.html").read_text(encoding="utf-8").startswith('<!DOCTYPE html>\n<html lang="zh">')


def test_compare_refuses_another_language(cli, tmp_path):
    out = cli("plan", "compare", "十四五", "十四五", "--lang", "fr", "-o", str(tmp_path / "x.html"), code=2).output
    assert "--lang" in out
