"""GeoParquet in and out for classify: round trips in tmp_path, the bbox covering, errors, the CLI."""

from __future__ import annotations

import json

import geopandas as gpd
import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from layout.errors import InputError
from layout.geo.crs import to_metric
from layout.tables.parquet import classify_parquet

# 赫山区's seat (inside), 长沙 (outside: nearest 赫山区), a missing point
LON = [112.3746, 112.9388, None]
LAT = [28.5683, 28.2282, None]


def _lonlat_file(path, lon=LON, lat=LAT, **extra):
    table = pa.table(
        {
            "name": ["a", "b", "c"][: len(lon)],
            "lon": pa.array(lon, pa.float64()),
            "lat": pa.array(lat, pa.float64()),
            **extra,
        }
    )
    pq.write_table(table, path)
    return path


def test_lonlat_columns_round_trip(tmp_path):
    src = _lonlat_file(tmp_path / "in.parquet")
    counts = classify_parquet(src, tmp_path / "out.parquet")
    assert counts == {"rows": 3, "inside": 1, "outside": 1, "missing": 1}
    out = pq.read_table(tmp_path / "out.parquet")
    assert out.column_names[:3] == ["name", "lon", "lat"]  # the input's columns first, unchanged
    rows = out.to_pylist()
    assert rows[0]["county"] == "赫山区" and rows[0]["inside"] is True and rows[0]["distance_km"] is None
    assert rows[1]["county"] is None and rows[1]["nearest_county"] == "赫山区"
    assert 20 < rows[1]["distance_km"] < 80  # 长沙 lies ~55 km from 赫山区's seat, nearer its boundary
    assert rows[2]["geometry"] is None and rows[2]["bbox"] is None and rows[2]["inside"] is False
    geo = json.loads(out.schema.metadata[b"geo"])
    assert geo["columns"]["geometry"]["covering"]["bbox"]["xmin"] == ["bbox", "xmin"]
    assert rows[0]["bbox"] == {"xmin": 112.3746, "ymin": 28.5683, "xmax": 112.3746, "ymax": 28.5683}


def test_bbox_covering_lets_readers_filter(tmp_path):
    rng = np.random.default_rng(3)
    lon, lat = rng.uniform(110.5, 113.5, 5000), rng.uniform(27.5, 30.0, 5000)
    pq.write_table(pa.table({"id": np.arange(5000), "x": lon, "y": lat}), tmp_path / "in.parquet")
    classify_parquet(tmp_path / "in.parquet", tmp_path / "out.parquet", lon="x", lat="y", batch_rows=1000)
    box = (112.0, 28.0, 112.5, 28.5)
    got = gpd.read_parquet(tmp_path / "out.parquet", bbox=box)
    expected = np.flatnonzero((lon >= box[0]) & (lon <= box[2]) & (lat >= box[1]) & (lat <= box[3]))
    assert sorted(got["id"]) == expected.tolist()
    assert pq.ParquetFile(tmp_path / "out.parquet").metadata.num_row_groups == 5


def test_geometry_column_in_another_crs(tmp_path):
    """A GeoParquet point column in EPSG:4546 gives the answers of the same points as lon/lat."""
    x, y = to_metric(np.array(LON[:2]), np.array(LAT[:2]))
    frame = gpd.GeoDataFrame({"name": ["a", "b"]}, geometry=gpd.points_from_xy(x, y), crs="EPSG:4546")
    frame.to_parquet(tmp_path / "g.parquet")
    classify_parquet(tmp_path / "g.parquet", tmp_path / "g_out.parquet")
    _lonlat_file(tmp_path / "ll.parquet", LON[:2], LAT[:2])
    classify_parquet(tmp_path / "ll.parquet", tmp_path / "ll_out.parquet")
    a = pq.read_table(tmp_path / "g_out.parquet").to_pylist()
    b = pq.read_table(tmp_path / "ll_out.parquet").to_pylist()
    for key in ("county", "inside", "nearest_county", "distance_km"):
        assert [r[key] for r in a] == [r[key] for r in b]
    back = gpd.read_parquet(tmp_path / "g_out.parquet")
    assert back.crs.to_epsg() == 4546 and back.geometry.x.tolist() == pytest.approx(x.tolist())


def test_errors_name_the_column(tmp_path):
    pq.write_table(pa.table({"lon": ["112.3"], "lat": ["28.5"]}), tmp_path / "text.parquet")
    with pytest.raises(InputError, match="'lon' is string, expected numbers"):
        classify_parquet(tmp_path / "text.parquet", tmp_path / "o.parquet")
    _lonlat_file(tmp_path / "clash.parquet", county=pa.array(["x", "y", "z"]))
    with pytest.raises(InputError, match="already has a column 'county'"):
        classify_parquet(tmp_path / "clash.parquet", tmp_path / "o.parquet")
    gpd.GeoDataFrame(
        geometry=gpd.GeoSeries.from_wkt(["POINT (112 28)", "LINESTRING (112 28, 113 29)"]), crs=4326
    ).to_parquet(tmp_path / "line.parquet")
    with pytest.raises(InputError, match="LineString at row 2"):
        classify_parquet(tmp_path / "line.parquet", tmp_path / "o.parquet")
    (tmp_path / "bad.parquet").write_bytes(b"not parquet")
    with pytest.raises(InputError, match="cannot read the Parquet file"):
        classify_parquet(tmp_path / "bad.parquet", tmp_path / "o.parquet")


def test_cli_parquet(cli, tmp_path):
    src = _lonlat_file(tmp_path / "in.parquet")
    result = cli("classify", str(src), "-o", str(tmp_path / "out.parquet"), code=None)
    assert result.exit_code == 0, result.output
    assert "3 行，1 行在益阳市境内，1 行在境外，1 行无坐标" in result.output
    assert pq.read_table(tmp_path / "out.parquet").num_rows == 3
    (tmp_path / "bad.parquet").write_bytes(b"not parquet")
    result = cli("classify", str(tmp_path / "bad.parquet"), "-o", str(tmp_path / "o.parquet"), code=None)
    assert result.exit_code == 2 and "无法读取 Parquet 文件" in result.output
