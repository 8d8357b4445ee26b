"""Zone lookup on the real counties: known places, edges, outside points, the grid and tables."""

from __future__ import annotations

import numpy as np
import pytest
import shapely

from layout.classify import BOUNDARY, GRID_MIN_POINTS, classify_points, get_classifier
from layout.crs import from_wgs84
from layout.geodata import load_counties

# GeoNames cities1000 points (WGS84) of county seats and well-known places
PLACES = [
    # name, lon, lat, county, zone, zones, poles
    ("Yiyang 益阳 (city centre, north bank)", 112.32833, 28.58917, "资阳区", "core", ("core", "lake_wing"),
     ("pole_central",)),
    ("Heshan 赫山", 112.35028, 28.5825, "赫山区", "core", ("core",), ("pole_central",)),
    ("Nanzhou 南洲镇, seat of 南县", 112.40243, 29.35955, "南县", "lake_wing", ("lake_wing",),
     ("pole_northeast",)),
    ("Qionghu 琼湖, seat of 沅江市", 112.37399, 28.84061, "沅江市", "lake_wing", ("lake_wing",),
     ("pole_northeast",)),
    ("Taohuajiang 桃花江镇, seat of 桃江县", 112.12528, 28.52361, "桃江县", "mountain_wing", ("mountain_wing",), ()),
    ("Dongping 东坪镇, seat of 安化县", 111.20586, 28.38017, "安化县", "mountain_wing", ("mountain_wing",),
     ("pole_southwest",)),
    ("Beizhouzi 北洲子 (大通湖区, inside the 南县 polygon)", 112.6875, 29.16528, "南县", "lake_wing",
     ("lake_wing",), ("pole_northeast",)),
]


def test_known_places_classify_to_their_county_zone_and_poles():
    result = classify_points([p[1] for p in PLACES], [p[2] for p in PLACES])
    for (name, _, _, county, zone, zones, poles), (_, row) in zip(PLACES, result.iterrows(), strict=True):
        assert (row["county"], row["zone"], row["zones"], row["poles"]) == (county, zone, zones, poles), name
        assert row["inside"] and row["nearest_county"] is None and np.isnan(row["distance_km"])
    assert list(result.columns) == ["county", "adcode", "zone", "zones", "poles", "inside", "nearest_county",
                                    "distance_km"]
    assert result["adcode"].tolist()[:2] == ["430902", "430903"]


def test_points_outside_get_the_nearest_county_and_distance():
    # 长沙 borders 赫山区 (宁乡/望城); 娄底 borders 安化县 (涟源/新化); 武汉 is far to the north-east
    result = classify_points([112.97087, 111.99444, 114.26667], [28.19874, 27.73444, 30.58333])
    assert not result["inside"].any()
    assert result["county"].isna().all() and result["zones"].tolist() == [(), (), ()]
    assert result["nearest_county"].tolist() == ["赫山区", "安化县", "沅江市"]
    assert result["distance_km"].between([20, 20, 150], [60, 60, 260]).all()


def test_distance_is_measured_to_the_county_boundary():
    heshan = load_counties().set_index("name").at["赫山区", "geometry"]
    metric = load_counties().to_crs("EPSG:4546").set_index("name").at["赫山区", "geometry"]
    lon, lat = 112.97087, 28.19874
    from layout.crs import to_metric

    x, y = to_metric([lon], [lat])
    expected_km = metric.distance(shapely.Point(x[0], y[0])) / 1000
    got = classify_points([lon], [lat]).at[0, "distance_km"]
    assert got == pytest.approx(expected_km, abs=0.001)
    assert not heshan.contains(shapely.Point(lon, lat))


def test_a_point_on_a_county_edge_counts_as_inside():
    vertex = shapely.get_coordinates(load_counties().set_index("name").at["安化县", "geometry"])[0]
    row = classify_points([vertex[0]], [vertex[1]]).iloc[0]
    assert row["inside"]


def test_missing_coordinates_are_not_inside_and_get_no_nearest():
    row = classify_points([np.nan], [28.5]).iloc[0]
    assert not row["inside"] and row["nearest_county"] is None and row["zones"] == ()


@pytest.mark.parametrize("crs", ["gcj02", "bd09", "cgcs2000"])
def test_input_crs_is_converted_before_lookup(crs):
    lon, lat = from_wgs84([p[1] for p in PLACES], [p[2] for p in PLACES], crs)
    result = classify_points(lon, lat, crs)
    assert result["county"].tolist() == [p[3] for p in PLACES]


def test_gcj02_shift_changes_the_answer_near_a_border():
    """A point 200 m inside 资阳区 from the 赫山区 border, read as GCJ-02 instead of WGS84, can flip county:
    this is why the crs argument matters."""
    clf = get_classifier()
    rng = np.random.default_rng(3)
    lon, lat = rng.uniform(112.2, 112.5, 20000), rng.uniform(28.5, 28.7, 20000)
    as_wgs = classify_points(lon, lat)["county"].astype(object)
    as_gcj = classify_points(lon, lat, "gcj02")["county"].astype(object)
    assert (as_wgs != as_gcj).mean() > 0.005
    assert clf is get_classifier()


def test_grid_and_exact_test_agree_on_random_points():
    clf = get_classifier()
    xmin, ymin, xmax, ymax = shapely.total_bounds(clf.geoms)
    rng = np.random.default_rng(11)
    n = 200_000
    lon, lat = rng.uniform(xmin - 0.1, xmax + 0.1, n), rng.uniform(ymin - 0.1, ymax + 0.1, n)
    assert n >= GRID_MIN_POINTS
    np.testing.assert_array_equal(clf.county_index(lon, lat), clf.exact_index(lon, lat))
    assert 0.005 < (clf.grid.labels == BOUNDARY).mean() < 0.1  # most cells answer by lookup


def test_grid_agrees_on_county_vertices_where_errors_would_hide():
    clf = get_classifier()
    xy = shapely.get_coordinates(clf.geoms)
    jitter = np.random.default_rng(5).normal(0, 0.0005, xy.shape)
    pts = np.concatenate([xy, xy + jitter])
    np.testing.assert_array_equal(clf.county_index(pts[:, 0], pts[:, 1]), clf.exact_index(pts[:, 0], pts[:, 1]))
