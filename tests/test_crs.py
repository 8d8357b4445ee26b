"""Coordinate systems: GCJ-02 and BD-09 round trips to 0.5 m, CGCS2000, input checks."""

from __future__ import annotations

import numpy as np
import pytest

from layout.errors import InputError
from layout.geo.crs import (
    bd09_to_gcj02,
    bd09_to_wgs84,
    check_crs,
    check_lonlat,
    from_wgs84,
    gcj02_to_bd09,
    gcj02_to_wgs84,
    parse_number,
    to_metric,
    to_wgs84,
    wgs84_to_bd09,
    wgs84_to_gcj02,
)


def metres(lon1, lat1, lon2, lat2) -> np.ndarray:
    x1, y1 = to_metric(lon1, lat1)
    x2, y2 = to_metric(lon2, lat2)
    return np.hypot(x1 - x2, y1 - y2)


@pytest.fixture(scope="module")
def yiyang_points() -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(7)
    return rng.uniform(110.7, 113.0, 5000), rng.uniform(27.9, 29.6, 5000)


def test_gcj02_shift_around_yiyang_is_hundreds_of_metres(yiyang_points):
    lon, lat = yiyang_points
    shift = metres(lon, lat, *wgs84_to_gcj02(lon, lat))
    assert shift.min() > 400 and shift.max() < 800


@pytest.mark.parametrize(("forward", "inverse"), [(wgs84_to_gcj02, gcj02_to_wgs84), (wgs84_to_bd09, bd09_to_wgs84)])
def test_inverse_is_exact_to_half_a_metre(yiyang_points, forward, inverse):
    lon, lat = yiyang_points
    back = inverse(*forward(lon, lat))
    assert metres(lon, lat, *back).max() < 0.5
    assert metres(lon, lat, *back).max() < 0.001  # in fact far better than required


def test_one_step_inverse_would_not_be_good_enough(yiyang_points):
    lon, lat = yiyang_points
    glon, glat = wgs84_to_gcj02(lon, lat)
    flon, flat = wgs84_to_gcj02(glon, glat)
    naive_lon, naive_lat = 2 * glon - flon, 2 * glat - flat  # subtract the shift measured at the GCJ-02 point
    assert metres(lon, lat, naive_lon, naive_lat).max() > 0.5  # why gcj02_to_wgs84 iterates


def test_known_gcj02_offset_of_yiyang():
    # regression pin: GeoNames' "Yiyang" point moved into GCJ-02 (about 600 m east-south-east)
    glon, glat = wgs84_to_gcj02(112.32833, 28.58917)
    assert glon == pytest.approx(112.3340, abs=2e-4) and glat == pytest.approx(28.5861, abs=2e-4)


def test_outside_china_gcj02_is_identity():
    assert wgs84_to_gcj02(2.35, 48.85) == (pytest.approx(2.35), pytest.approx(48.85))


def test_cgcs2000_is_wgs84_to_well_under_a_metre():
    lon, lat = to_wgs84([112.35], [28.55], "cgcs2000")
    assert metres([112.35], [28.55], lon, lat)[0] < 1.0


@pytest.mark.parametrize("crs", ["wgs84", "gcj02", "bd09", "cgcs2000"])
def test_from_and_to_wgs84_round_trip(crs):
    lon, lat = from_wgs84([112.1], [28.4], crs)
    back = to_wgs84(lon, lat, crs)
    assert metres([112.1], [28.4], *back)[0] < 0.5


def test_crs_names_and_aliases():
    assert check_crs("GCJ-02") == "gcj02" and check_crs("EPSG:4490") == "cgcs2000" and check_crs("BD09") == "bd09"
    with pytest.raises(InputError, match="crs should be one of wgs84, gcj02, bd09, cgcs2000, got 'mercator'"):
        check_crs("mercator")


def test_parse_number_accepts_what_people_type():
    assert parse_number(" 112.35 ") == 112.35
    assert parse_number("１１２．３５") == 112.35
    assert parse_number("28.5°") == 28.5
    for bad, message in [("", "is empty"), ("abc", "'abc' is not a number"), ("nan", "not a finite")]:
        with pytest.raises(InputError, match=message):
            parse_number(bad)


def test_check_lonlat():
    assert check_lonlat(112.35, 28.55) is None
    assert check_lonlat(28.38, 111.21) == "looks swapped: 28.38, 111.21 — longitude comes first (e.g. 111.21 28.38)"
    assert "impossible" in check_lonlat(181, 10)
    assert "latitude 95 is impossible" in check_lonlat(112, 95)


def test_zero_coordinates_are_placeholders():
    from layout.geo.crs import is_placeholder

    assert is_placeholder([0.0, 112.3, 0.0, 112.3], [0.0, 0.0, 28.5, 28.5]).tolist() == [True, True, True, False]
    assert "placeholder for a missing point" in check_lonlat(0, 0)
    assert "placeholder" in check_lonlat(112.35, 0)
    assert check_lonlat(-1, -2) is None  # a real (if odd) place: answered, with a geodesic distance


# Published reference pairs, computed by other implementations of the same public formulas:
# eviltransform's test suite (googollee/eviltransform, test.py: WGS84 → GCJ-02 in Shanghai, Shenzhen, Beijing)
# and coordtransform's README example (wandergis/coordtransform: GCJ-02 ↔ BD-09 and WGS84 → GCJ-02 at 116.404, 39.915).
EVILTRANSFORM_WGS_GCJ = [  # (wgs lon, wgs lat, gcj lon, gcj lat)
    (121.5272106, 31.1774276, 121.531541859215, 31.17530398364597),
    (113.912316, 22.543847, 113.9171764808363, 22.540796131694766),
    (116.377817, 39.911954, 116.38404722455657, 39.91334545536069),
    (116.404, 39.915, 116.41024449916938, 39.91640428150164),
]
COORDTRANSFORM_GCJ_BD = [(116.404, 39.915, 116.41036949371029, 39.92133699351021)]  # (gcj lon, lat, bd lon, lat)


@pytest.mark.parametrize(("lon", "lat", "glon", "glat"), EVILTRANSFORM_WGS_GCJ)
def test_gcj02_matches_published_reference_pairs(lon, lat, glon, glat):
    assert wgs84_to_gcj02(lon, lat) == (pytest.approx(glon, abs=1e-9), pytest.approx(glat, abs=1e-9))
    assert gcj02_to_wgs84(glon, glat) == (pytest.approx(lon, abs=1e-6), pytest.approx(lat, abs=1e-6))


@pytest.mark.parametrize(("glon", "glat", "blon", "blat"), COORDTRANSFORM_GCJ_BD)
def test_bd09_matches_published_reference_pairs(glon, glat, blon, blat):
    assert gcj02_to_bd09(glon, glat) == (pytest.approx(blon, abs=1e-9), pytest.approx(blat, abs=1e-9))
    assert bd09_to_gcj02(blon, blat) == (pytest.approx(glon, abs=1e-6), pytest.approx(glat, abs=1e-6))
