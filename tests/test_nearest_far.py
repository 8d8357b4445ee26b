"""The province and country grids: the same nearest county as an exact geodesic search, distances within
1 m of pyproj.Geod, and no per-point path for points over 湖南 or China."""

from __future__ import annotations

import numpy as np
import pytest
from pyproj import Geod

from layout.geo.classify import classify_points, get_classifier
from layout.geo.nearest import nearest_far
from layout.geo.nearest_far import COUNTRY, PROVINCE, geodesic_m

GEOD = Geod(ellps="WGS84")
HUNAN = (108.5, 24.5, 114.5, 30.5)
CHINA = (73.5, 18.0, 135.0, 53.6)


@pytest.fixture(scope="module")
def classifier():
    clf = get_classifier()
    for level in clf.levels:  # built once for the module (tens of seconds on an empty cache)
        _ = level.built
    return clf


def test_vincenty_matches_pyproj_geod():
    rng = np.random.default_rng(11)
    lon1, lat1 = rng.uniform(70, 140, 20_000), rng.uniform(10, 56, 20_000)
    lon2, lat2 = rng.uniform(110.7, 113.0, 20_000), rng.uniform(27.9, 29.6, 20_000)
    ours = geodesic_m(lon1, lat1, lon2, lat2)
    exact = GEOD.inv(lon1, lat1, lon2, lat2)[2]
    assert np.abs(ours - exact).max() < 1e-3  # under a millimetre
    assert geodesic_m(np.array([112.0]), np.array([28.0]), np.array([112.0]), np.array([28.0]))[0] == 0.0


def _sample(box, n, seed):
    """Random points of ``box`` outside every county (the nearest-county question is theirs)."""
    rng = np.random.default_rng(seed)
    lon, lat = rng.uniform(box[0], box[2], n), rng.uniform(box[1], box[3], n)
    out = get_classifier().exact_index(lon, lat) < 0
    return lon[out], lat[out]


@pytest.mark.parametrize(("box", "seed"), [(HUNAN, 1), (CHINA, 2)])
def test_levels_agree_with_the_exact_search(classifier, box, seed):
    lon, lat = _sample(box, 200_000, seed)  # enough points that the call takes the grids
    seg, metres, qlon, qlat = classifier.nearest_detail(lon, lat)
    # the exact geodesic search (every segment bounded, golden-section refinement) on a sample
    pick = np.random.default_rng(seed).choice(len(lon), 150, replace=False)
    exact_seg, exact_m, _, _ = nearest_far(classifier.segments, lon[pick], lat[pick])
    owner = classifier.segments.owner
    assert np.array_equal(owner[seg[pick]], owner[exact_seg])
    assert np.abs(metres[pick] - exact_m).max() < 1.0
    # every distance is the geodesic to the nearest point it reports
    assert np.abs(GEOD.inv(lon, lat, qlon, qlat)[2] - metres).max() < 1.0


def test_level_edges_and_far_points(classifier):
    """Points on both sides of each level's box edges, and beyond the country box (the exact path)."""
    pts = []
    for spec in (PROVINCE, COUNTRY):
        x0, y0, x1, y1 = spec["box"]
        for lon in (x0 - 1e-9, x0 + 1e-9, x1 - 1e-9, x1 + 1e-9):
            pts += [(lon, (y0 + y1) / 2), (lon, y0 + 0.3)]
        for lat in (y0 - 1e-9, y0 + 1e-9, y1 - 1e-9, y1 + 1e-9):
            pts += [((x0 + x1) / 2, lat)]
    pts += [(-0.1276, 51.5072), (151.2, -33.87), (10.0, 10.0)]  # London, Sydney, beyond the country box
    lon, lat = np.array(pts).T
    big_lon = np.r_[lon, np.full(5000, 111.0)]  # a call large enough for the grids
    big_lat = np.r_[lat, np.full(5000, 24.0)]
    seg, metres, _, _ = classifier.nearest_detail(big_lon, big_lat)
    exact_seg, exact_m, _, _ = nearest_far(classifier.segments, lon, lat)
    owner = classifier.segments.owner
    assert np.array_equal(owner[seg[: len(lon)]], owner[exact_seg])
    assert np.abs(metres[: len(lon)] - exact_m).max() < 1.0


def test_classify_points_over_china(classifier):
    """The default call (grids, two threads, chunks) on 300,000 points over China: each sampled answer is
    the exact search's county and distance (km, rounded to the metre)."""
    lon, lat = _sample(CHINA, 300_000, 5)
    frame = classify_points(lon, lat)
    pick = np.array([0, 1, 77_777, 150_001, len(lon) - 1])
    assert not frame["inside"].iloc[pick].any()
    exact_seg, exact_m, _, _ = nearest_far(classifier.segments, lon[pick], lat[pick])
    names = classifier.names[classifier.segments.owner[exact_seg]]
    assert frame["nearest_county"].iloc[pick].astype(object).tolist() == names.tolist()
    assert np.abs(frame["distance_km"].iloc[pick].to_numpy() - exact_m / 1000).max() <= 0.0015
