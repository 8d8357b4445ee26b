"""The province and country grids and the world search: the same nearest county as an exact geodesic search,
distances within 1 m of pyproj.Geod, no per-point Python path at any distance, and the call's peak memory."""

from __future__ import annotations

import tracemalloc

import numpy as np
import pytest
from pyproj import Geod

from layout.geo.classify import classify_points, get_classifier
from layout.geo.nearest import nearest_far, nearest_world
from layout.geo.nearest_far import COUNTRY, PROVINCE
from layout.geo.nearest_kernels import vincenty

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
    got = np.array([vincenty(*pair)[:3] for pair in zip(lon1, lat1, lon2, lat2, strict=True)])
    exact = GEOD.inv(lon1, lat1, lon2, lat2)[2]
    assert got[:, 2].all()  # every pair within China converges
    assert np.abs(got[:, 0] - exact).max() < 1e-3  # under a millimetre
    assert vincenty(112.0, 28.0, 112.0, 28.0)[0] == 0.0


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


def _sphere(n, seed):
    """Points uniform on the sphere."""
    rng = np.random.default_rng(seed)
    return rng.uniform(-180.0, 180.0, n), np.degrees(np.arcsin(rng.uniform(-1.0, 1.0, n)))


def test_compiled_vincenty_matches_pyproj_geod_at_any_distance():
    rng = np.random.default_rng(12)
    lon1, lat1 = _sphere(20_000, 13)
    lon2, lat2 = rng.uniform(110.7, 113.0, 20_000), rng.uniform(27.9, 29.6, 20_000)
    got = np.array([vincenty(*pair)[:3] for pair in zip(lon1, lat1, lon2, lat2, strict=True)])
    exact = GEOD.inv(lon1, lat1, lon2, lat2)[2]
    ok = got[:, 2].astype(bool)
    assert ok.mean() > 0.99  # only nearly antipodal pairs fail to converge, and say so
    assert np.abs(got[ok, 0] - exact[ok]).max() < 1e-3
    # exactly antipodal: Vincenty does not converge and reports it (the world search then uses pyproj)
    assert not vincenty(111.0, 28.0, -69.0, -28.0)[2]


def test_world_search_agrees_with_the_exact_search(classifier):
    """Points uniform on the sphere, plus poles, the antimeridian, 益阳's antipode and a point antipodal to a
    boundary vertex (where Vincenty fails and pyproj answers): the same county as the exact pyproj search,
    the distance within 1 m of it and of pyproj.Geod to the reported nearest point."""
    seg = classifier.segments
    lon, lat = _sphere(1_500, 21)
    vlon, vlat = seg.vert_lon[100], seg.vert_lat[100]
    special = [
        (0.0, 90.0),
        (0.0, -90.0),
        (111.8, 89.999),
        (-68.2, -89.999),
        (180.0, 0.0),
        (-180.0, 0.0),
        (179.9999, 50.0),
        (-179.9999, 50.0),
        (180.0, -60.0),
        (-68.17, -28.75),  # 益阳's antipode
        (-68.0, -29.2),
        (vlon - 180.0, -vlat),  # antipodal to a boundary vertex
    ]
    lon, lat = np.r_[lon, [p[0] for p in special]], np.r_[lat, [p[1] for p in special]]
    got_seg, got_m, qlon, qlat = nearest_world(seg, lon, lat)
    exact_seg, exact_m, _, _ = nearest_far(seg, lon, lat)
    assert np.array_equal(seg.owner[got_seg], seg.owner[exact_seg])
    assert np.abs(got_m - exact_m).max() < 1.0
    assert np.abs(GEOD.inv(lon, lat, qlon, qlat)[2] - got_m).max() < 1.0


def test_classify_points_over_the_whole_earth(classifier):
    """The default call on enough points for its two threads and chunks, uniform on the sphere: sampled
    answers are the exact search's county and distance (km, rounded to the metre)."""
    lon, lat = _sphere(70_000, 8)
    frame = classify_points(lon, lat)
    out = np.flatnonzero(~frame["inside"].to_numpy())
    assert len(out) > 69_900 and frame["nearest_county"].iloc[out].notna().all()
    pick = np.random.default_rng(8).choice(out, 200, replace=False)
    exact_seg, exact_m, _, _ = nearest_far(classifier.segments, lon[pick], lat[pick])
    names = classifier.names[classifier.segments.owner[exact_seg]]
    assert frame["nearest_county"].iloc[pick].astype(object).tolist() == names.tolist()
    assert np.abs(frame["distance_km"].iloc[pick].to_numpy() - exact_m / 1000).max() <= 0.0015


@pytest.mark.parametrize("box", [HUNAN, CHINA])
def test_peak_memory_of_the_default_call(classifier, box):
    """≤ 60 bytes a point beyond the inputs (tracemalloc: numpy's buffers) for 1 M points."""
    rng = np.random.default_rng(3)
    n = 1_000_000
    lon, lat = rng.uniform(box[0], box[2], n), rng.uniform(box[1], box[3], n)
    classify_points(lon[:70_000], lat[:70_000])  # indexes loaded and compiled before the measure
    tracemalloc.start()
    base = tracemalloc.get_traced_memory()[0]
    frame = classify_points(lon, lat)
    peak = tracemalloc.get_traced_memory()[1] - base
    tracemalloc.stop()
    assert len(frame) == n
    assert peak / n <= 60


def test_compiled_loops_repeat_the_grid_constants():
    """numba caches the loops by their own file: the constants they repeat must agree with the sources."""
    from layout.geo import nearest_grid, nearest_kernels, segments

    assert nearest_kernels.NONE == nearest_grid.NONE
    assert nearest_kernels.NODE == nearest_grid.NODE
    assert nearest_kernels.FALSE_EASTING == segments.FALSE_EASTING
