"""Zone lookup on the real counties: known places, edges, outside points, the grid and tables."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import shapely

from layout.errors import InputError
from layout.geo.boundaries import load_counties
from layout.geo.classify import (
    BOUNDARY,
    GRID_MIN_POINTS,
    Classifier,
    classify_points,
    get_classifier,
    split_ids,
    where_record,
)
from layout.geo.crs import from_wgs84
from layout.geo.nearest import nearest_by_tree, query_grid
from layout.geo.nearest_grid import load_grid, save_grid
from layout.geo.segments import GEOD

# GeoNames cities1000 points (WGS84) of county seats and well-known places
PLACES = [
    # name, lon, lat, county, zone, zones, poles
    ("Yiyang 益阳 (city centre, north bank)", 112.32833, 28.58917, "资阳区", "core", "core;lake_wing", "pole_central"),
    ("Heshan 赫山", 112.35028, 28.5825, "赫山区", "core", "core", "pole_central"),
    ("Nanzhou 南洲镇, seat of 南县", 112.40243, 29.35955, "南县", "lake_wing", "lake_wing", "pole_northeast"),
    ("Qionghu 琼湖, seat of 沅江市", 112.37399, 28.84061, "沅江市", "lake_wing", "lake_wing", "pole_northeast"),
    ("Taohuajiang 桃花江镇, seat of 桃江县", 112.12528, 28.52361, "桃江县", "mountain_wing", "mountain_wing", ""),
    (
        "Dongping 东坪镇, seat of 安化县",
        111.20586,
        28.38017,
        "安化县",
        "mountain_wing",
        "mountain_wing",
        "pole_southwest",
    ),
    (
        "Beizhouzi 北洲子 (大通湖区, inside the 南县 polygon)",
        112.6875,
        29.16528,
        "南县",
        "lake_wing",
        "lake_wing",
        "pole_northeast",
    ),
]


def test_known_places_classify_to_their_county_zone_and_poles():
    result = classify_points([p[1] for p in PLACES], [p[2] for p in PLACES])
    for (name, _, _, county, zone, zones, poles), (_, row) in zip(PLACES, result.iterrows(), strict=True):
        assert (row["county"], row["zone"], row["zones"], row["poles"]) == (county, zone, zones, poles), name
        assert row["inside"] and pd.isna(row["nearest_county"]) and np.isnan(row["distance_km"])
    assert list(result.columns) == [
        "county",
        "adcode",
        "zone",
        "zones",
        "poles",
        "inside",
        "nearest_county",
        "distance_km",
    ]
    assert result["adcode"].tolist()[:2] == ["430902", "430903"]


def test_points_outside_get_the_nearest_county_and_distance():
    # 长沙 borders 赫山区 (宁乡/望城); 娄底 borders 安化县 (涟源/新化); 武汉 is far to the north-east
    result = classify_points([112.97087, 111.99444, 114.26667], [28.19874, 27.73444, 30.58333])
    assert not result["inside"].any()
    assert result["county"].isna().all() and result["zones"].tolist() == ["", "", ""]
    assert result["nearest_county"].tolist() == ["赫山区", "安化县", "沅江市"]
    assert result["distance_km"].between([20, 20, 150], [60, 60, 260]).all()


def test_distance_is_geodesic_to_the_county_boundary():
    """长沙: the answer is the geodesic length to a point on 赫山区's boundary; EPSG:4546's planar distance
    is longer by its scale error there (~0.02%)."""
    from layout.geo.crs import to_metric

    lon, lat = np.array([112.97087]), np.array([28.19874])
    seg, metres, qlon, qlat = get_classifier().nearest_detail(lon, lat)
    heshan = load_counties().set_index("name").at["赫山区", "geometry"]
    assert shapely.distance(heshan.boundary, shapely.Point(qlon[0], qlat[0])) < 1e-7
    assert metres[0] == pytest.approx(GEOD.inv(lon[0], lat[0], qlon[0], qlat[0])[2], abs=0.01)
    metric = load_counties().to_crs("EPSG:4546").set_index("name").at["赫山区", "geometry"]
    x, y = to_metric(lon, lat)
    planar = metric.distance(shapely.Point(x[0], y[0]))
    assert 1.0001 < planar / metres[0] < 1.0005
    assert classify_points(lon, lat).at[0, "distance_km"] == pytest.approx(metres[0] / 1000, abs=0.0005)


def test_a_point_on_a_county_edge_counts_as_inside():
    vertex = shapely.get_coordinates(load_counties().set_index("name").at["安化县", "geometry"])[0]
    row = classify_points([vertex[0]], [vertex[1]]).iloc[0]
    assert row["inside"]


def test_missing_coordinates_are_not_inside_and_get_no_nearest():
    row = classify_points([np.nan], [28.5]).iloc[0]
    assert not row["inside"] and pd.isna(row["nearest_county"]) and row["zones"] == ""


def test_missing_and_absurd_coordinates_raise_no_warning_on_the_grid_path():
    """More points than GRID_MIN_POINTS take the grid path; NaN and ±inf must not be cast to integers
    (numpy warns, and pytest turns warnings into errors)."""
    n = GRID_MIN_POINTS + 10
    lon = np.full(n, 112.35)
    lat = np.full(n, 28.58)
    lon[:5] = [np.nan, np.inf, -np.inf, 1e300, 112.35]
    lat[:5] = [28.5, 28.5, 28.5, 28.5, np.nan]
    result = classify_points(lon, lat)
    assert not result["inside"][:5].any() and result["inside"][5:].all()
    assert result["nearest_county"][:5].isna().all()


def test_placeholder_coordinates_are_missing_not_outside():
    result = classify_points([0.0, 0.0, 112.35, 112.35], [0.0, 28.58, 0.0, 28.58])
    assert result["inside"].tolist() == [False, False, False, True]
    assert result["nearest_county"][:3].isna().all() and result["distance_km"][:3].isna().all()
    with pytest.raises(InputError, match=r"coordinates are \(0, 0\), usually a stand-in for missing"):
        where_record("0", "0")


def test_far_points_get_the_really_nearest_county_and_geodesic_distance():
    """北京, 广州 (beyond the grid, planar path), London and Sydney (exact path): the reference is the
    geodesic distance to every boundary vertex after densifying each segment to under 20 m."""
    places = {
        "北京": (116.4074, 39.9042),
        "广州": (113.2644, 23.1291),
        "London": (-0.1276, 51.5072),
        "Sydney": (151.2093, -33.8688),
        "拉萨": (91.1322, 29.6604),
    }
    lon, lat = np.array([p[0] for p in places.values()]), np.array([p[1] for p in places.values()])
    result = classify_points(lon, lat)
    ref_county, ref_km = _reference_far(lon, lat)
    assert result["nearest_county"].tolist() == ref_county
    np.testing.assert_allclose(result["distance_km"], ref_km, atol=0.002)
    assert 1000 < result["distance_km"][0] < 1400  # 北京 is ~1,200 km away, not EPSG:4546's figure


def _reference_far(lon: np.ndarray, lat: np.ndarray) -> tuple[list[str], np.ndarray]:
    counties = load_counties()
    dense = shapely.segmentize(shapely.boundary(counties.geometry.to_numpy()), 0.0002)  # ~20 m
    xy, owner = shapely.get_coordinates(dense, return_index=True)
    names, km = [], []
    for x, y in zip(lon, lat, strict=True):
        d = GEOD.inv(np.full(len(xy), x), np.full(len(xy), y), xy[:, 0], xy[:, 1])[2]
        names.append(counties["name"].iloc[owner[d.argmin()]])
        km.append(d.min() / 1000)
    return names, np.array(km)


def _points_near_the_border(n: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Points outside every county within ~5 km of the city's outline (where counties compete)."""
    clf = get_classifier()
    xmin, ymin, xmax, ymax = shapely.total_bounds(clf.geoms)
    rng = np.random.default_rng(seed)
    outline = shapely.union_all(clf.geoms)
    near = shapely.buffer(outline, 0.05)
    lon, lat = rng.uniform(xmin - 0.06, xmax + 0.06, 40 * n), rng.uniform(ymin - 0.06, ymax + 0.06, 40 * n)
    keep = shapely.contains_xy(near, lon, lat) & (clf.exact_index(lon, lat) < 0)
    return lon[keep][:n], lat[keep][:n]


def _reference_near(lon: np.ndarray, lat: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Brute force: geodesic distance to points every ≤ 2 m along every segment that could be nearest
    (planar distance within 1% + 300 m of the planar nearest). Returns county, metres and the margin to
    the second county."""
    from layout.geo.crs import to_metric

    clf = get_classifier()
    seg = clf.segments
    px, py = to_metric(lon, lat)
    pts = shapely.points(px, py)
    _, d = seg.tree.query_nearest(pts, return_distance=True, all_matches=False)
    county, metres, margin = [], [], []
    for i, (x, y) in enumerate(zip(lon, lat, strict=True)):
        cand = seg.tree.query(pts[i], predicate="dwithin", distance=d[i] * 1.01 + 300)
        best = {}
        for s in cand:
            k = int(np.ceil(seg.length_m[s] / 2.0)) + 1
            t = np.linspace(0, 1, k + 1)
            qlon = seg.lon_a[s] + t * (seg.lon_b[s] - seg.lon_a[s])
            qlat = seg.lat_a[s] + t * (seg.lat_b[s] - seg.lat_a[s])
            g = GEOD.inv(np.full(len(t), x), np.full(len(t), y), qlon, qlat)[2].min()
            owner = int(seg.owner[s])
            best[owner] = min(best.get(owner, np.inf), g)
        ranked = sorted(best.items(), key=lambda kv: kv[1])
        county.append(ranked[0][0])
        metres.append(ranked[0][1])
        margin.append(ranked[1][1] - ranked[0][1] if len(ranked) > 1 else np.inf)
    return np.array(county), np.array(metres), np.array(margin)


def test_nearest_county_near_the_border_matches_a_brute_force_geodesic_reference():
    """Both fast paths (the planar tree for few points, the grid for many) against the reference."""
    lon, lat = _points_near_the_border(300, seed=8)
    assert len(lon) == 300
    ref_county, ref_m, margin = _reference_near(lon, lat)
    fresh = Classifier.from_counties(load_counties())  # no grid yet: the tree path
    clf = get_classifier()
    _ = clf.nearest_index  # the grid path
    assert fresh._nearest is None
    for model in (fresh, clf):
        seg, metres, _, _ = (
            model.nearest_detail(lon, lat, points=False) if model is fresh else _grid_only(model, lon, lat)
        )
        owner = model.segments.owner[seg]
        # The reference's segments are straight in lon/lat, ours (like sjoin_nearest's) in EPSG:4546: a
        # segment of several km bows by up to ~0.3 m between the two; the 2 m sampling adds ≤ 0.16 m.
        clear = margin > 1.0
        np.testing.assert_array_equal(owner[clear], ref_county[clear])
        np.testing.assert_allclose(metres, ref_m, atol=0.5)


def _grid_only(clf: Classifier, lon: np.ndarray, lat: np.ndarray):
    segments, grid = clf.nearest_index
    found, *answer = query_grid(grid, segments, lon, lat)
    assert found.all()
    return answer


def test_the_grid_path_and_the_tree_path_agree_on_many_points():
    clf = get_classifier()
    xmin, ymin, xmax, ymax = shapely.total_bounds(clf.geoms)
    rng = np.random.default_rng(21)
    lon, lat = rng.uniform(xmin - 0.4, xmax + 0.4, 60_000), rng.uniform(ymin - 0.4, ymax + 0.4, 60_000)
    out = clf.exact_index(lon, lat) < 0
    lon, lat = lon[out], lat[out]
    s_grid, m_grid, _, _ = _grid_only(clf, lon, lat)
    s_tree, m_tree, _, _ = nearest_by_tree(clf.segments, lon, lat)
    owner = clf.segments.owner
    assert (owner[s_grid] == owner[s_tree]).mean() > 0.9999  # ties only
    np.testing.assert_allclose(m_grid, m_tree, atol=0.05)  # the grid's lattice interpolation: < 5 cm


def test_the_nearest_grid_is_cached_between_runs(tmp_path, monkeypatch):
    monkeypatch.setenv("LAYOUT_CACHE_DIR", str(tmp_path))
    built = Classifier.from_counties(load_counties()).nearest_index[1]  # empty cache: built, then written
    (cached,) = tmp_path.glob("nearest-*.grid")
    written = cached.stat().st_mtime_ns
    loaded = Classifier.from_counties(load_counties()).nearest_index[1]
    assert cached.stat().st_mtime_ns == written  # read, not rebuilt
    for name in ("leaf_map", "segs", "offsets", "first", "count", "node_x", "node_y"):
        np.testing.assert_array_equal(getattr(loaded, name), getattr(built, name))
    assert (loaded.x0, loaded.y0, loaded.nx, loaded.ny) == (built.x0, built.y0, built.nx, built.ny)


def test_a_broken_grid_cache_file_reads_as_an_error_the_classifier_rebuilds_on(tmp_path):
    broken = tmp_path / "nearest-x.grid"
    broken.write_bytes(b"not a grid")
    with pytest.raises((ValueError, OSError)):
        load_grid(broken)
    save_grid(get_classifier().nearest_index[1], broken)  # a whole file replaces it
    assert load_grid(broken).segs.size == get_classifier().nearest_index[1].segs.size


def test_result_frame_is_categorical_and_small():
    clf = get_classifier()
    xmin, ymin, xmax, ymax = shapely.total_bounds(clf.geoms)
    rng = np.random.default_rng(4)
    n = 50_000
    result = classify_points(rng.uniform(xmin, xmax, n), rng.uniform(ymin, ymax, n), nearest=False)
    for column in ("county", "adcode", "zone", "zones", "poles", "nearest_county"):
        assert isinstance(result[column].dtype, pd.CategoricalDtype), column
    assert result["inside"].dtype == bool and result["distance_km"].dtype == np.float64
    assert set(result["zones"].cat.categories) >= {"core", "core;lake_wing", "mountain_wing", ""}
    assert result.memory_usage(deep=True).sum() / n < 20
    assert split_ids("core;lake_wing") == ("core", "lake_wing") and split_ids("") == () and split_ids(np.nan) == ()


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
