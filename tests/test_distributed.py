"""classify over a dataset on a real 2-worker Dask LocalCluster: the same bytes as the local engine."""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from layout.drafting.drafts import open_draft
from layout.drafting.versions import new_plan, use_plan
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


def test_a_draft_classifies_on_dask_as_in_this_process(dataset, tmp_path, monkeypatch):
    """The draft moves 南县 from the lake wing (十四五) to the mountain wing; the workers must use the draft."""
    monkeypatch.setenv("LAYOUT_DATA_DIR", str(tmp_path / "data"))
    new_plan("草案D", by="张三")
    open_draft("草案D").assign("南县", "mountain_wing", by="张三", reason="测试")
    src = dataset[0]
    with use_plan("草案D"):
        local = classify_dataset(src, tmp_path / "local", engine="local", partition_rows=12_000)
        dask = classify_dataset(src, tmp_path / "dask", engine="dask", workers=2, partition_rows=12_000)
    assert local == dask and dask["partitions"] == 3
    for name in ("part-00000.parquet", "part-00001.parquet", "part-00002.parquet"):
        assert (tmp_path / "local" / name).read_bytes() == (tmp_path / "dask" / name).read_bytes()
    table = pq.read_table(tmp_path / "dask").sort_by("id").to_pandas()
    baseline = classify_points(dataset[1], dataset[2])  # 十四五, in this process
    nanxian = (table["county"] == "南县").to_numpy()
    assert nanxian.sum() > 100
    assert set(table.loc[nanxian, "zone"]) == {"mountain_wing"}
    assert set(baseline.loc[nanxian, "zone"]) == {"lake_wing"}
    others = ~nanxian & table["zone"].notna().to_numpy()
    assert (table.loc[others, "zone"].to_numpy() == baseline.loc[others, "zone"].to_numpy()).all()


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
