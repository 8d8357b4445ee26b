"""The catalog validator: one deliberately broken catalog per defect, in UTF-8 and in GBK.

Each case starts from the shipped catalog, breaks one thing, and expects the problem at the file line an
editor shows (header = line 1), in the right column, with the right severity and words.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable

import pytest

from layout.catalog.projects import CATALOG_PATH, COLUMNS, load_catalog, read_catalog_table
from layout.catalog.validate import ERROR, WARNING, Problem, summarize, validate_catalog, validate_catalog_bytes
from layout.geo.crs import wgs84_to_bd09, wgs84_to_gcj02

SHIPPED = CATALOG_PATH.read_text(encoding="utf-8")
ROWS = list(csv.reader(io.StringIO(SHIPPED, newline="")))
LINE = {row[0]: i + 1 for i, row in enumerate(ROWS)}  # no record spans two lines in the shipped file
# A point in 赫山区 a few hundred metres from 资阳区: its GCJ-02 and BD-09 versions fall in 资阳区.
NEAR_BORDER = (112.308, 28.594)


def to_text(rows: list[list[str]]) -> str:
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows(rows)
    return buf.getvalue()


def edit(rid: str, **cells: str) -> Callable[[], str]:
    """The shipped catalog with some cells of row ``rid`` replaced."""

    def make() -> str:
        rows = [list(r) for r in ROWS]
        row = rows[LINE[rid] - 1]
        for column, value in cells.items():
            row[COLUMNS.index(column)] = value
        return to_text(rows)

    return make


def columns(transform: Callable[[list[str]], list[str]]) -> Callable[[], str]:
    return lambda: to_text([transform(list(r)) for r in ROWS])


def insert_line(after: int, text: str) -> Callable[[], str]:
    def make() -> str:
        lines = SHIPPED.split("\n")
        return "\n".join([*lines[:after], text, *lines[after:]])

    return make


def shifted(convert) -> tuple[str, str]:
    x, y = convert([NEAR_BORDER[0]], [NEAR_BORDER[1]])
    return f"{x[0]:.6f}", f"{y[0]:.6f}"


def swap_lon_lat(row: list[str]) -> list[str]:
    i, j = COLUMNS.index("lon"), COLUMNS.index("lat")
    row[i], row[j] = row[j], row[i]
    return row


QUOTE_P002 = ROWS[LINE["P002"] - 1][COLUMNS.index("plan_quote")]

# (case id, broken catalog, line, column, severity, words in the message)
CASES = [
    ("missing column", columns(lambda r: r[:-1]), 1, "notes", ERROR, "column 'notes' is missing"),
    ("extra column", columns(lambda r: [*r, "x"]), 1, "x", WARNING, "not part of the catalog schema"),
    ("misordered columns", columns(swap_lon_lat), 1, "", WARNING, "columns are out of order"),
    ("unknown sector", edit("P002", sector="物流"), LINE["P002"], "sector", ERROR, "sector '物流' is not allowed"),
    ("unknown county", edit("P002", county="益阳县"), LINE["P002"], "county", ERROR, "county '益阳县' is not allowed"),
    ("unknown precision", edit("P002", precision="exact"), LINE["P002"], "precision", ERROR, "is not allowed"),
    ("unknown plan_zone", edit("P002", plan_zone="wing"), LINE["P002"], "plan_zone", ERROR, "is not allowed"),
    (
        "duplicate id",
        edit("P003", id="P002"),
        LINE["P003"],
        "id",
        ERROR,
        f"duplicate id 'P002' (also on line {LINE['P002']})",
    ),
    ("id mangled by Excel", edit("P001", id="1"), LINE["P001"], "id", ERROR, "looks like Excel turned the id"),
    ("bad id format", edit("P002", id="X-2"), LINE["P002"], "id", ERROR, "should look like P001"),
    (
        "duplicate name",
        edit("P003", name="龙桥公共保税仓"),
        LINE["P003"],
        "name",
        WARNING,
        f"duplicate name '龙桥公共保税仓' (also on line {LINE['P002']})",
    ),
    ("no coordinates", edit("P002", lon="", lat=""), LINE["P002"], "lon", ERROR, "needs lon and lat"),
    ("half a point", edit("P002", lat=""), LINE["P002"], "lat", ERROR, "lat is empty while lon is given"),
    (
        "citywide with a point",
        edit("P001", lon="112.35", lat="28.58"),
        LINE["P001"],
        "lon",
        ERROR,
        "citywide row has no point",
    ),
    ("outside 益阳", edit("P002", lon="112.97087", lat="28.19874"), LINE["P002"], "lon", ERROR, "is outside Yiyang"),
    (
        "in another county",
        edit("P002", lon="111.20586", lat="28.38017"),
        LINE["P002"],
        "lon",
        ERROR,
        "lies in 安化县, not in the declared county 赫山区",
    ),
    (
        "大通湖区 outside 南县 ∪ 沅江市",
        edit("P007", lon="111.20586", lat="28.38017"),
        LINE["P007"],
        "lon",
        ERROR,
        "not in the declared county 大通湖区 (南县 ∪ 沅江市)",
    ),
    (
        "中心城区 outside 资阳区 ∪ 赫山区",
        edit("P004", lon="111.20586", lat="28.38017"),
        LINE["P004"],
        "lon",
        ERROR,
        "not in the declared county 中心城区 (资阳区 ∪ 赫山区)",
    ),
    ("an undeclared area", edit("P004", county="城区"), LINE["P004"], "county", ERROR, "county '城区' is not allowed"),
    ("swapped", edit("P009", lon="28.38", lat="111.21"), LINE["P009"], "lon", ERROR, "looks swapped: 28.38, 111.21"),
    (
        "GCJ-02 given as WGS84",
        edit("P002", **dict(zip(("lon", "lat"), shifted(wgs84_to_gcj02), strict=True))),
        LINE["P002"],
        "lon",
        ERROR,
        "looks like GCJ-02 coordinates: converted to WGS84 it falls in 赫山区",
    ),
    (
        "BD-09 given as WGS84",
        edit("P002", **dict(zip(("lon", "lat"), shifted(wgs84_to_bd09), strict=True))),
        LINE["P002"],
        "lon",
        ERROR,
        "looks like BD-09 coordinates",
    ),
    ("scientific notation", edit("P002", lon="1.12E+02"), LINE["P002"], "lon", ERROR, "scientific notation"),
    ("decimal comma", edit("P002", lon="112,35028"), LINE["P002"], "lon", ERROR, "uses a decimal comma"),
    ("full-width digits", edit("P002", lon="１１２．３５０２８"), LINE["P002"], "lon", WARNING, "full-width"),
    ("trailing degree sign", edit("P002", lat="28.5825°"), LINE["P002"], "lat", WARNING, "ends in a degree sign"),
    ("not a number", edit("P002", lat="abc"), LINE["P002"], "lat", ERROR, "latitude 'abc' is not a number"),
    (
        "quote not verbatim",
        edit("P002", plan_quote=QUOTE_P002.replace("正式运行", "正式投入运行")),
        LINE["P002"],
        "plan_quote",
        ERROR,
        "not verbatim in the plan",
    ),
    (
        "name not in quote",
        edit("P002", name="龙桥保税仓"),
        LINE["P002"],
        "name",
        WARNING,
        "does not occur in its plan_quote",
    ),
    (
        "plan_zone disagrees",
        edit("P002", plan_zone="mountain_wing"),
        LINE["P002"],
        "plan_zone",
        ERROR,
        "plan_zone 'mountain_wing' is not a zone of 赫山区 (core, pole_central)",
    ),
    (
        "site without source",
        edit("P002", precision="site", geocode_source=""),
        LINE["P002"],
        "geocode_source",
        ERROR,
        "precision is site but geocode_source is empty",
    ),
    ("town precision without a town", edit("P008", town=""), LINE["P008"], "town", ERROR, "town is empty"),
    (
        "全市 with a county precision",
        edit("P001", precision="county"),
        LINE["P001"],
        "precision",
        ERROR,
        "county is 全市 but precision is 'county'",
    ),
    ("empty required cell", edit("P002", sector=""), LINE["P002"], "sector", ERROR, "sector is empty"),
    ("stray spaces", edit("P002", county=" 赫山区"), LINE["P002"], "county", WARNING, "stray leading/trailing spaces"),
    ("blank line", insert_line(5, ""), 6, "", WARNING, "blank line"),
    (
        "line after a blank line",
        lambda: edit("P009", sector="物流")().replace("\n", "\n\n", 1),
        LINE["P009"] + 1,
        "sector",
        ERROR,
        "sector '物流' is not allowed",
    ),
    (
        "unquoted comma",
        insert_line(5, ROWS[4][0] + "x," + SHIPPED.split("\n")[4][len(ROWS[4][0]) :]),
        6,
        "",
        ERROR,
        "17 cells, but the header has 16",
    ),
]


@pytest.mark.parametrize("encoding", ["utf-8", "gbk"])
@pytest.mark.parametrize(
    ("make", "line", "column", "severity", "words"), [c[1:] for c in CASES], ids=[c[0] for c in CASES]
)
def test_broken_catalog_is_reported_at_its_line(tmp_path, encoding, make, line, column, severity, words):
    path = tmp_path / "broken.csv"
    path.write_bytes(make().encode(encoding))
    before = (path.read_bytes(), path.stat().st_mtime_ns)
    problems = validate_catalog(path)
    hits = [p for p in problems if words in p.message]
    assert hits, "\n".join(map(str, problems))
    assert (hits[0].line, hits[0].column, hits[0].severity) == (line, column, severity)
    assert hits[0].fix
    encoding_warnings = [p for p in problems if "GBK/GB18030" in p.message]
    assert len(encoding_warnings) == (encoding == "gbk")
    assert (path.read_bytes(), path.stat().st_mtime_ns) == before  # validation never modifies the file


def test_bad_rows_are_kept_when_loading(tmp_path):
    text = edit("P002", sector="物流", lon="28.38", lat="111.21")().replace("P009,", "9,", 1)
    path = tmp_path / "bad.csv"
    path.write_text(text, encoding="utf-8")
    assert len(read_catalog_table(path)) == len(ROWS) - 1
    catalog = load_catalog(path)
    assert len(catalog) == len(ROWS) - 1 and "9" in set(catalog["id"])
    row = catalog.set_index("id").loc["P002"]
    assert row["sector"] == "物流" and row["geometry"] is None and row["computed_county"] == "赫山区"


def test_shipped_catalog_validates_clean():
    problems = validate_catalog(CATALOG_PATH)
    assert [p for p in problems if p.severity == ERROR] == [], "\n".join(map(str, problems))


def test_validation_leaves_the_file_alone():
    before = (CATALOG_PATH.read_bytes(), CATALOG_PATH.stat().st_mtime_ns)
    validate_catalog(CATALOG_PATH)
    assert (CATALOG_PATH.read_bytes(), CATALOG_PATH.stat().st_mtime_ns) == before


def test_bom_and_crlf_are_warnings():
    problems = validate_catalog_bytes(SHIPPED.replace("\n", "\r\n").encode("utf-8-sig"))
    assert [(p.line, p.severity) for p in problems] == [(1, WARNING), (1, WARNING)]
    assert "byte-order mark" in problems[0].message and "CRLF" in problems[1].message


def test_undecodable_bytes_are_one_error():
    problems = validate_catalog_bytes(b"id,name\n\xff\xfe\xfa\n")
    assert [(p.line, p.severity) for p in problems] == [(1, ERROR)] and "neither UTF-8 nor GBK" in problems[0].message


def test_every_problem_is_reported_at_once():
    text = edit("P002", sector="物流", lon="1.12E+02")()
    text = text.replace("\n", "\n\n", 1)
    problems = validate_catalog_bytes(text.encode())
    assert {(p.line, p.column) for p in problems} == {(2, ""), (LINE["P002"] + 1, "sector"), (LINE["P002"] + 1, "lon")}
    assert summarize(problems) == "2 errors, 1 warning" and summarize([]) == "no problems"


def test_problem_reads_as_one_line():
    problem = Problem(12, "lon", ERROR, "looks swapped: 28.38, 111.21", "swap lon and lat")
    assert str(problem) == "line 12, lon: error: looks swapped: 28.38, 111.21 (fix: swap lon and lat)"
    assert problem.to_dict()["line"] == 12


def test_cli_validate_exit_codes(run_layout, tmp_path):
    ok = run_layout("validate")
    assert ok.returncode == 0 and ok.stdout == "projects_catalog.csv：没有问题\n"
    assert run_layout("validate", "--lang", "en").stdout == "projects_catalog.csv: no problems\n"
    (tmp_path / "bad.csv").write_text(edit("P002", sector="物流")(), encoding="gbk")
    bad = run_layout("validate", "bad.csv", cwd=tmp_path)
    assert bad.returncode == 1
    assert f"bad.csv: 第 {LINE['P002']} 行「sector」列：错误：sector 的值“物流”不在可选范围内（改法：" in bad.stdout
    assert "bad.csv：1 个错误，1 个警告" in bad.stdout
    bad_en = run_layout("validate", "bad.csv", "--lang", "en", cwd=tmp_path)
    assert bad_en.returncode == 1
    assert f"bad.csv: line {LINE['P002']}, sector: error: sector '物流' is not allowed" in bad_en.stdout
    assert "bad.csv: 1 error, 1 warning" in bad_en.stdout
    (tmp_path / "warn.csv").write_bytes(SHIPPED.encode("utf-8-sig"))
    assert run_layout("validate", "warn.csv", cwd=tmp_path).returncode == 0
    missing = run_layout("validate", "missing.csv", cwd=tmp_path)
    assert missing.returncode == 2 and missing.stderr == "错误：missing.csv：文件不存在\n"
    missing_en = run_layout("validate", "missing.csv", "--lang", "en", cwd=tmp_path)
    assert missing_en.returncode == 2 and missing_en.stderr == "error: missing.csv: no such file\n"
    assert "Traceback" not in bad.stderr + missing.stderr


@pytest.mark.parametrize(
    ("make", "line", "column", "severity", "words"), [c[1:] for c in CASES], ids=[c[0] for c in CASES]
)
def test_every_problem_reads_in_chinese_and_in_english(tmp_path, make, line, column, severity, words):
    """The CLI's default language: what is wrong and the fix in Chinese, in English with --lang en (issue 21).
    The file's own column names and codes (lon, county, precision: citywide …) are the same in both."""
    from lang_check import stray_chinese, stray_english

    from layout.catalog.projects import PRECISIONS, zone_ids

    path = tmp_path / "broken.csv"
    path.write_bytes(make().encode("utf-8"))
    problems = validate_catalog(path)
    hit = next(p for p in problems if words in p.message)
    codes = (*COLUMNS, *PRECISIONS, *zone_ids())
    for p in problems:
        typed = tuple(str(v) for k, v in p.args.items() if k not in ("_fix", "error"))  # the file's own cells
        assert stray_english(p.text("zh"), allow=(*codes, *typed)) == [], p.text("zh")
        assert stray_chinese(p.text("en"), allow=typed) == [], p.text("en")
    assert hit.text("zh").startswith(f"第 {line} 行") and "改法：" in hit.text("zh")
    assert str(hit) == hit.text("en") and hit.text("en").startswith(f"line {line}")
