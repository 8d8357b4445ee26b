"""Coordinates as officers write them: notations, pairs, column names, and the table's coordinate system."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from layout.errors import InputError
from layout.geo.columns import find_coordinate_columns, name_role
from layout.geo.crs import to_metric
from layout.geo.notation import CellError, parse_angle, parse_column, parse_pair, parse_pair_column
from layout.geo.table_crs import check_table_crs, locate_points
from layout.i18n import error_text

TRUTH = (112.355, 28.55)  # 112°21′18″ E, 28°33′ N: in 赫山区


@pytest.mark.parametrize(
    ("text", "value", "how"),
    [
        ("112.355", 112.355, "decimal"),
        ("112.355°", 112.355, "decimal"),
        ("１１２．３５５", 112.355, "decimal"),
        ("112°21′18″", 112.355, "dms"),
        ("112°21'18\"", 112.355, "dms"),
        ("112度21分18秒", 112.355, "dms"),
        ("东经112°21′18″", 112.355, "dms"),
        ("E112°21′18″", 112.355, "dms"),
        ("112°21′18″E", 112.355, "dms"),
        ("112°21.3′", 112.355, "ddm"),
        ("112度21.3分", 112.355, "ddm"),
        ("北纬28°33′", 28.55, "ddm"),
        ("28:33:00", 28.55, "dms"),
        ("S28°33′", -28.55, "ddm"),
        ("-112.355", -112.355, "decimal"),
    ],
)
def test_notations_read_as_written(text, value, how):
    got, notation = parse_angle(text)
    assert got == pytest.approx(value, abs=1e-9) and notation == how


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("", "empty"),
        ("   ", "empty"),
        ("待定", "not_number"),
        ("1_12.3", "not_number"),
        ("1,000", "not_number"),
        ("112°61′", "minutes_60"),
        ("112°21′75″", "seconds_60"),
        ("112.5°30′", "not_number"),
        ("112″21°", "not_number"),
        ("x" * 100_000, "not_number"),
    ],
)
def test_bad_cells_say_why(text, code):
    with pytest.raises(CellError) as info:
        parse_angle(text)
    assert info.value.code == code
    assert len(str(info.value.args_.get("text", ""))) <= 41  # a 100 KB cell is not echoed back in full


@pytest.mark.parametrize(
    "text",
    [
        "112.355,28.55",
        "112.355, 28.55",
        "112.355，28.55",
        "(112.355, 28.55)",
        "112.355 28.55",
        "112.355;28.55",
        "E112°21′18″ N28°33′",
        "东经112度21分18秒 北纬28度33分",
        "112°21′18″,28°33′",
    ],
)
def test_a_pair_in_one_cell(text):
    assert parse_pair(text) == pytest.approx(TRUTH, abs=1e-9)


def test_pair_column_fast_path_and_fallback_agree():
    cells = pd.Series(["112.355,28.55", "112°21′18″,28°33′", "", "112.355", "a,b"])
    a, b, problems, _ = parse_pair_column(cells)
    assert a[:2] == pytest.approx([112.355, 112.355]) and b[:2] == pytest.approx([28.55, 28.55])
    assert {i: code for i, (code, _) in problems.items()} == {2: "empty", 3: "pair_bad", 4: "not_number"}


def test_column_parse_is_vectorised_with_exact_messages_for_the_rest():
    values, problems, notations = parse_column(pd.Series(["112.3", " 28.5 ", "abc", "", "112°21′18″", "1e3"]))
    assert values[[0, 1, 4, 5]] == pytest.approx([112.3, 28.5, 112.355, 1000.0])  # 1e3 is a number (then too big)
    assert {i: code for i, (code, _) in problems.items()} == {2: "not_number", 3: "empty"}
    assert notations == {"decimal": 3, "dms": 1}


@pytest.mark.parametrize(
    ("columns", "expected"),
    [
        (["项目", "经度", "纬度"], ("经度", "纬度", None)),
        (["项目", "经度（°）", "纬度（°）"], ("经度（°）", "纬度（°）", None)),
        (["东经", "北纬"], ("东经", "北纬", None)),
        (["Longitude (deg)", "Latitude (deg)"], ("Longitude (deg)", "Latitude (deg)", None)),
        (["name", "lng", "lat"], ("lng", "lat", None)),
        (["名称", "坐标"], (None, None, "坐标")),
        (["名称", "经纬度"], (None, None, "经纬度")),
        (["X", "Y"], ("X", "Y", None)),
        (["纵坐标（X）", "横坐标（Y）"], ("横坐标（Y）", "纵坐标（X）", None)),  # surveying: X is the northing
    ],
)
def test_usual_column_names_are_found(columns, expected):
    choice = find_coordinate_columns(columns)
    assert (choice.lon, choice.lat, choice.pair) == expected and choice.detected


def test_missing_columns_name_the_table_columns_and_say_it_in_chinese():
    with pytest.raises(InputError, match="no longitude column found") as info:
        find_coordinate_columns(["a", "b"])
    assert "CLI: --lon" in str(info.value)
    app = error_text(info.value, "zh", ui="app")
    assert app.startswith("没有找到经度列。请在上方“经度列”") and "--lon" not in app and "a、b" in app
    assert "--lon 列名" in error_text(info.value, "zh", ui="cli")
    with pytest.raises(InputError, match="longitude column 'X' is not in the table"):
        find_coordinate_columns(["lon", "lat"], lon="X")
    assert name_role("项目名称") is None


def _metres(lon: float, lat: float) -> tuple[float, float]:
    x, y = to_metric([lon], [lat])
    return float(x[0]), float(y[0])


def test_gauss_kruger_with_and_without_zone_prefix():
    east, north = _metres(*TRUTH)
    # without a prefix: northing first (surveying X) or second; 111°E chosen from where the points fall
    for first, second in ((north, east), (east, north)):
        pts = locate_points(np.array([first]), np.array([second]), {})
        assert pts.decision.crs == "EPSG:4546" and pts.decision.code == "crs.gk_cm"
        assert (pts.lon[0], pts.lat[0]) == pytest.approx(TRUTH, abs=1e-7)
    # with the 3° zone 37 prefix
    pts = locate_points(np.array([north]), np.array([east + 37_000_000]), {})
    assert pts.decision.code == "crs.gk_prefix" and "EPSG:4525" in pts.decision.crs
    assert (pts.lon[0], pts.lat[0]) == pytest.approx(TRUTH, abs=1e-7)
    # 114°E: the same point in EPSG:4547 metres is told apart from 111°E by where it falls
    from pyproj import Transformer

    e114, n114 = Transformer.from_crs("EPSG:4326", "EPSG:4547", always_xy=True).transform(*TRUTH)
    pts = locate_points(np.array([n114]), np.array([e114]), {})
    assert pts.decision.crs == "EPSG:4547" and pts.lon[0] == pytest.approx(TRUTH[0], abs=1e-7)


def test_metres_far_from_yiyang_are_asked_not_guessed():
    with pytest.raises(InputError) as info:
        locate_points(np.array([1_000_000.0]), np.array([300_000.0]), {})
    assert info.value.code == "gk_undecided" and "EPSG:4546" in error_text(info.value, "zh", ui="app")


def test_degrees_rows_flag_swapped_impossible_and_placeholders():
    a = np.array([112.35, 28.38, 0.0, 190.0, 112.3, np.nan])
    b = np.array([28.55, 111.21, 0.0, 28.0, 95.0, np.nan])
    pts = locate_points(a, b, {5: ("empty", {"which": "lon"})})
    assert np.isfinite(pts.lon[0]) and pts.decision.code == "crs.degrees_assumed"
    assert {i: c for i, (c, _) in pts.problems.items()} == {
        1: "swapped",
        2: "placeholder",
        3: "lon_range",
        4: "lat_range",
        5: "empty",
    }


def test_given_geographic_crs_refuses_metres_per_row():
    east, north = _metres(*TRUTH)
    pts = locate_points(np.array([112.35, east]), np.array([28.55, north]), {}, crs="gcj02")
    assert pts.problems[1][0] == "metres_in_degrees" and np.isfinite(pts.lon[0])


def test_old_datums_are_accepted_with_their_accuracy_stated():
    east, north = _metres(*TRUTH)
    pts = locate_points(np.array([north]), np.array([east]), {}, crs="EPSG:2382")  # Xi'an 1980 CM 111°E
    assert pts.decision.code == "crs.given_old"
    assert pts.lon[0] == pytest.approx(TRUTH[0], abs=0.002)  # the same numbers, another datum: metres apart


@pytest.mark.parametrize(
    ("text", "expected"),
    [("auto", "auto"), ("WGS84", "wgs84"), ("epsg:4546", "EPSG:4546"), ("EPSG:4490", "cgcs2000"), ("bd09", "bd09")],
)
def test_crs_names(text, expected):
    assert check_table_crs(text) == expected


@pytest.mark.parametrize(("text", "code"), [("mercator", "crs_bad"), ("EPSG:99999", "crs_unknown")])
def test_bad_crs_names(text, code):
    with pytest.raises(InputError) as info:
        check_table_crs(text)
    assert info.value.code == code


# -- one point as a person types it (the CLI's where, the which-zone tab) -------------------------


def gk38(easting: float, northing: float) -> tuple[float, float]:
    """Oracle: CGCS2000 3° Gauss-Krüger zone 38 (EPSG:4526, easting with the zone prefix) by pyproj alone."""
    from pyproj import Transformer

    return Transformer.from_crs(4526, 4326, always_xy=True).transform(easting, northing)


@pytest.mark.parametrize(
    ("first", "second", "crs"),
    [
        ("3160591.10", "38342067.24", "cgcs2000"),  # northing first, zone prefix: issue 21
        ("38342067.24", "3160591.10", "auto"),  # easting first
        ("342067.24", "3160591.10", "auto"),  # no zone prefix: the zone from where the point falls
        ("3160591.10 38342067.24", "", "auto"),  # pasted in one box
    ],
)
def test_a_single_point_reads_gauss_kruger_as_the_batch_check_does(first, second, crs):
    from layout.geo.table_crs import read_point

    lon, lat, _ = read_point(first, second, crs)
    want = gk38(38342067.24, 3160591.10)
    assert abs(lon - want[0]) < 1e-7 and abs(lat - want[1]) < 1e-7


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("28°33'14\"N 112°21'18\"E", ""),  # the whole string in one box, latitude first
        ("N 28°33′14″ E 112°21′18″", ""),
        ("112°21'18\"E, 28°33'14\"N", ""),
        ("28°33'14\"N", "112°21'18\"E"),  # two boxes, latitude first: the letters decide
        ("北纬28度33分14秒", "东经112度21分18秒"),
    ],
)
def test_hemisphere_letters_decide_the_order_and_a_pasted_point_is_read_whole(first, second):
    from layout.geo.table_crs import read_point

    lon, lat, _ = read_point(first, second, "wgs84")
    assert abs(lon - (112 + 21 / 60 + 18 / 3600)) < 1e-9 and abs(lat - (28 + 33 / 60 + 14 / 3600)) < 1e-9


@pytest.mark.parametrize(
    ("first", "second", "reason"),
    [
        ("28.38", "111.21", "swapped"),  # no letters: latitude first still looks swapped
        ("112.3 28.5 7", "", "pair_bad"),
        ("", "", "empty"),
        ("112.3", "95", "lat_range"),
    ],
)
def test_a_single_point_that_cannot_be_read_names_the_batch_checks_reason(first, second, reason):
    from layout.geo.table_crs import read_point

    with pytest.raises(InputError) as caught:
        read_point(first, second, "auto")
    assert caught.value.code == "cell" and caught.value.args_["reason"] == reason
    assert "\n" not in error_text(caught.value, "zh")


@pytest.mark.parametrize("cell", ["N", "东经", "e"])
def test_a_cell_holding_only_a_hemisphere_is_not_a_number(cell):
    with pytest.raises(CellError):  # was an IndexError that stopped the whole batch check
        parse_angle(cell)
