"""classify over a dataset on a real 2-worker Dask LocalCluster: the same bytes as the local engine."""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from layout.errors import InputError
from layout.geo.classify import classify_points
from layout.tables.distributed import classify_dataset, plan_partitions


@pytest.fixture(scope="module")
def dataset(tmp_path_factory):
    """40,000 points (city, 湖南, China, one missing) in a Parquet file of 8 row groups, and a CSV."""
    folder = tmp_path_factory.mktemp("dataset")
    rng = np.random.default_rng(23)
    n = 40_000
    lon, lat = rng.uniform(110.7, 113.0, n), rng.uniform(27.9, 29.6, n)
    far = rng.random(n) < 0.3
    lon[far], lat[far] = rng.uniform(73.5, 135.0, far.sum()), rng.uniform(18.0, 53.6, far.sum())
    lon[5] = np.nan
    pq.write_table(
        pa.table({"id": np.arange(n), "lon": lon, "lat": lat}), folder / "points.parquet", row_group_size=5_000
    )
    return folder / "points.parquet", lon, lat


def test_partitions_gather_row_groups(dataset):
    parts = plan_partitions(dataset[0], partition_rows=12_000)
    assert [p.row_groups for p in parts] == [(0, 1, 2), (3, 4, 5), (6, 7)]


def test_dask_local_cluster_writes_the_local_engines_bytes(dataset, tmp_path):
    src, lon, lat = dataset
    local = classify_dataset(src, tmp_path / "local", engine="local", partition_rows=12_000)
    dask = classify_dataset(src, tmp_path / "dask", engine="dask", workers=2, partition_rows=12_000)
    assert local == dask and dask["partitions"] == 3 and dask["rows"] == 40_000 and dask["missing"] == 1
    names = sorted(p.name for p in (tmp_path / "local").iterdir())
    assert names == ["part-00000.parquet", "part-00001.parquet", "part-00002.parquet"]
    for name in names:
        assert (tmp_path / "local" / name).read_bytes() == (tmp_path / "dask" / name).read_bytes()
    # and the dataset holds the one-call answers, row for row
    table = pq.read_table(tmp_path / "dask").sort_by("id")
    expected = classify_points(lon, lat)
    assert (
        table.column("county").to_pylist()
        == expected["county"].astype(object).where(expected["county"].notna(), None).tolist()
    )
    got_km = np.array(table.column("distance_km").to_pylist(), dtype=float)
    assert np.array_equal(got_km, expected["distance_km"].to_numpy(), equal_nan=True)


def test_unreachable_scheduler_is_one_clear_error(dataset, tmp_path):
    with pytest.raises(InputError, match="cannot reach the Dask scheduler tcp://127.0.0.1:9"):
        classify_dataset(dataset[0], tmp_path / "x", engine="dask", scheduler="tcp://127.0.0.1:9", connect_timeout=2)


def test_cli_unreachable_scheduler_is_one_chinese_line(cli, dataset, tmp_path):
    args = [
        "classify",
        str(dataset[0]),
        "-o",
        str(tmp_path / "out"),
        "--engine",
        "dask",
        "--scheduler",
        "tcp://127.0.0.1:9",
    ]
    result = cli(*args, code=2)
    assert result.stdout == "" and result.stderr.count("\n") == 1  # one line, on stderr
    assert result.stderr.startswith("错误：") and "无法连接 Dask 调度器 tcp://127.0.0.1:9" in result.stderr
