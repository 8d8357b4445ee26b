"""The start-up caches of the classifier: the memory-mapped array file, the county grid and the boundary
segments (each loaded equal to a fresh build), the county layer read without geopandas, and what a
classification imports."""

from __future__ import annotations

import dataclasses
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
import shapely

from layout.geo.array_file import load_arrays, save_arrays
from layout.geo.boundaries import county_arrays, load_counties
from layout.geo.classify import Classifier
from layout.geo.segments import Segments, build_segments

ROOT = Path(__file__).resolve().parent.parent


def test_array_file_round_trip(tmp_path):
    arrays = {
        "a": np.arange(12, dtype=np.int32).reshape(3, 4),
        "b": np.array([1.5, -0.0, np.nan]),
        "c": np.zeros((0, 7), np.int8),
        "d": np.array([True, False, True]),
    }
    path = tmp_path / "x.grid"
    save_arrays(path, {"x0": 1.25, "n": 3}, arrays)
    scalars, loaded = load_arrays(path)
    assert scalars == {"x0": 1.25, "n": 3}
    for name, array in arrays.items():
        assert loaded[name].dtype == array.dtype and loaded[name].shape == array.shape
        np.testing.assert_array_equal(loaded[name], array)
    loaded["a"][0, 0] = 99  # a private mapping: the file keeps its bytes
    assert load_arrays(path)[1]["a"][0, 0] == 0


def test_array_file_refuses_a_short_or_foreign_file(tmp_path):
    path = tmp_path / "x.grid"
    save_arrays(path, {}, {"a": np.arange(1000.0)})
    data = path.read_bytes()
    path.write_bytes(data[:-8])
    with pytest.raises(ValueError, match="truncated"):
        load_arrays(path)
    path.write_bytes(b"PK\x03\x04" + data[4:])
    with pytest.raises(ValueError, match="not a grid cache file"):
        load_arrays(path)


def test_county_arrays_are_the_layer_geopandas_reads():
    names, adcodes, geoms = county_arrays()
    layer = load_counties()
    assert names == layer["name"].tolist() and adcodes == layer["adcode"].tolist()
    assert list(shapely.to_wkb(geoms)) == list(shapely.to_wkb(layer.geometry.to_numpy()))


def test_the_county_grid_and_segments_load_equal_to_a_fresh_build(tmp_path, monkeypatch):
    monkeypatch.setenv("LAYOUT_CACHE_DIR", str(tmp_path))
    first = Classifier.from_arrays(*county_arrays())
    _ = first.grid, first.segments  # built, then written
    (grid_file,) = tmp_path.glob("county-*.grid")
    (seg_file,) = tmp_path.glob("segments-*.grid")
    written = grid_file.stat().st_mtime_ns, seg_file.stat().st_mtime_ns
    again = Classifier.from_arrays(*county_arrays())
    grid, segments = again.grid, again.segments
    assert (grid_file.stat().st_mtime_ns, seg_file.stat().st_mtime_ns) == written  # read, not rebuilt
    fresh = again._build_grid()
    np.testing.assert_array_equal(grid.labels, fresh.labels)
    assert (grid.x0, grid.y0, grid.cell) == (fresh.x0, fresh.y0, fresh.cell)
    built = build_segments(again.geoms)
    for field in dataclasses.fields(Segments):
        np.testing.assert_array_equal(getattr(segments, field.name), getattr(built, field.name))
    pts = shapely.points([[400_000.0, 3_150_000.0]])
    assert segments.tree.query_nearest(pts)[1].tolist() == built.tree.query_nearest(pts)[1].tolist()


def test_a_broken_county_grid_cache_is_rebuilt(tmp_path, monkeypatch):
    monkeypatch.setenv("LAYOUT_CACHE_DIR", str(tmp_path))
    _ = Classifier.from_arrays(*county_arrays()).grid
    (grid_file,) = tmp_path.glob("county-*.grid")
    grid_file.write_bytes(b"not a grid")
    clf = Classifier.from_arrays(*county_arrays())
    np.testing.assert_array_equal(clf.grid.labels, clf._build_grid().labels)


def _run(code: str) -> str:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    return done.stdout.strip()


def test_a_point_inside_needs_neither_numba_nor_geopandas():
    out = _run(
        "import sys; from layout.geo.classify import classify_points; "
        "r = classify_points([112.35], [28.55]); "
        "print(bool(r['inside'][0]), 'numba' in sys.modules, 'geopandas' in sys.modules)"
    )
    assert out == "True False False"


def test_the_kernels_leave_scipy_linalg_and_cffi_importable():
    out = _run(
        "import sys; import layout.geo.nearest_kernels; "
        "print('scipy.linalg' in sys.modules, 'cffi' in sys.modules); "
        "import scipy.linalg, cffi; print(scipy.linalg.cython_blas.__name__, cffi.FFI.__name__)"
    )
    assert out.splitlines() == ["False False", "scipy.linalg.cython_blas FFI"]
