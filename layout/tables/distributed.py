"""``classify`` over a dataset, partition by partition: in this process, or on a Dask cluster.

A dataset is a Parquet file (its row groups, gathered into partitions of about ``partition_rows``
rows), a folder of Parquet files, or a folder of CSV files (one partition a file). Each partition is
classified by :mod:`layout.tables.parquet` and written as its own GeoParquet file ``part-NNNNN.parquet`` in
the output folder (written to a temporary name, then renamed). The same function runs every partition
on both engines, so the two write the same bytes.

On Dask (``dask.distributed`` only), the nearest-county grids are built once by the client and shipped
to every worker once (``Client.scatter(..., broadcast=True)``); a worker installs them in its grid cache
before its first partition and never builds them. A draft plan (``--plan``) travels the same way: its
zone model (and its own county boundaries, when it has them) is scattered once with the grids, and each
task classifies with it active, so a draft classifies on Dask exactly as in this process. With
``scheduler=None`` a ``LocalCluster`` of ``workers`` processes is started and closed; with an address
(``tcp://host:8786``) the existing cluster is used, and the output folder must then be one every worker
can write (a shared file system).
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from layout.errors import InputError
from layout.i18n import STRINGS

PARTITION_ROWS = 1 << 20

STRINGS.update(
    {
        "err.input_missing": (
            "找不到输入 {path}；请给出已有的 Parquet 文件或文件夹。",
            "{path} does not exist; give an existing Parquet file or folder.",
        ),
        "err.dataset_empty": ("{path} 中没有 .parquet 或 .csv 文件。", "{path} holds no .parquet or .csv file."),
        "err.dask_missing": (
            "--engine dask 需要 dask[distributed]：pip install 'dask[distributed]'",
            "--engine dask needs dask[distributed]: pip install 'dask[distributed]'",
        ),
        "err.dask_connect": (
            "无法连接 Dask 调度器 {address}：{detail}。请检查地址与端口（如 tcp://host:8786）。",
            "Cannot reach the Dask scheduler {address}: {detail}. Check the address and port (e.g. tcp://host:8786).",
        ),
    }
)


@dataclass(frozen=True)
class Partition:
    """One unit of work: a file, and for Parquet the row groups of it."""

    index: int
    path: str
    kind: str  # "parquet" or "csv"
    row_groups: tuple[int, ...] | None = None


def plan_partitions(src: str | os.PathLike, *, partition_rows: int = PARTITION_ROWS) -> list[Partition]:
    """The partitions of ``src`` (a Parquet file, or a folder of Parquet or CSV files), in order."""
    from layout.tables.parquet import open_parquet

    src = Path(src)
    files = sorted(p for p in src.iterdir() if p.suffix.lower() in (".parquet", ".csv")) if src.is_dir() else [src]
    if not files:
        raise InputError(f"{src} holds no .parquet or .csv file", code="dataset_empty", path=str(src))
    parts: list[Partition] = []
    for path in files:
        if path.suffix.lower() == ".csv":
            parts.append(Partition(len(parts), str(path), "csv"))
            continue
        meta = open_parquet(path).metadata
        group: list[int] = []
        rows = 0
        for i in range(meta.num_row_groups):
            group.append(i)
            rows += meta.row_group(i).num_rows
            if rows >= partition_rows:
                parts.append(Partition(len(parts), str(path), "parquet", tuple(group)))
                group, rows = [], 0
        if group or meta.num_row_groups == 0:
            parts.append(Partition(len(parts), str(path), "parquet", tuple(group)))
    return parts


def part_name(partition: Partition) -> str:
    return f"part-{partition.index:05d}.parquet"


def classify_partition(
    partition: Partition, out_dir: str, options: dict, bundle: dict | None = None, plan: dict | None = None
) -> dict:
    """Classify one partition into ``out_dir/part-NNNNN.parquet``; its counts. ``bundle``: grids to
    install first, ``plan``: the draft plan to classify with (:func:`plan_bundle`; both on a worker)."""
    if bundle:
        install_grids(bundle)
    with _active_plan(plan):
        return _classify_partition(partition, out_dir, options)


def _classify_partition(partition: Partition, out_dir: str, options: dict) -> dict:
    from layout.tables.parquet import classify_csv_to_parquet, classify_parquet

    final = Path(out_dir) / part_name(partition)
    tmp = final.with_name(f".{final.name}.{os.getpid()}.tmp")
    try:
        if partition.kind == "csv":
            counts = classify_csv_to_parquet(partition.path, tmp, **options)
        else:
            counts = classify_parquet(partition.path, tmp, row_groups=list(partition.row_groups or ()), **options)
        os.replace(tmp, final)
    finally:
        if tmp.exists():
            tmp.unlink()
    return counts


def grid_bundle() -> dict[str, bytes]:
    """Every nearest-county grid built (or loaded) once here, as {cache file name: bytes}, to ship."""
    from layout.geo.classify import GRID_FILES, get_classifier

    clf = get_classifier()
    _ = clf.grid, clf.nearest_index
    for level in clf.levels:
        _ = level.built
    return {path.name: path.read_bytes() for path in GRID_FILES.values() if path.exists()}


def plan_bundle() -> dict | None:
    """The active plan when it is not 十四五, as a worker needs it: its name, its zone model's text and, when
    it has boundaries of its own, its county layer. None for 十四五 (every worker has its files)."""
    from layout.geo.boundaries import layer_path
    from layout.plan.context import BASELINE, active_plan_files

    files = active_plan_files()
    if files == BASELINE:
        return None
    counties = None if files.geodata == BASELINE.geodata else layer_path("counties", directory=files.geodata)
    return {
        "name": files.name,
        "draft": files.draft,
        "zones": files.zones.read_bytes(),
        "counties": counties.read_bytes() if counties is not None else None,
    }


@contextlib.contextmanager
def _active_plan(plan: dict | None) -> Iterator[None]:
    """Classify with the shipped ``plan`` inside the block (its files written once into this machine's temp
    folder, named by their content); nothing changes for None."""
    if plan is None:
        yield
        return
    from layout.geo.boundaries import layer_path
    from layout.plan.context import BASELINE, PlanFiles, reset_active_plan_files, set_active_plan_files

    digest = hashlib.sha256(plan["zones"] + (plan["counties"] or b"")).hexdigest()[:16]
    folder = Path(tempfile.gettempdir()) / f"layout-plan-{digest}"
    zones = folder / "zones.toml"
    geodata = folder / "geodata" if plan["counties"] is not None else BASELINE.geodata
    shipped = [(zones, plan["zones"])]
    if plan["counties"] is not None:
        shipped.append((layer_path("counties", directory=geodata), plan["counties"]))
    for path, data in shipped:
        if not path.exists() or path.read_bytes() != data:
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
            tmp.write_bytes(data)
            os.replace(tmp, path)
    files = PlanFiles(plan["name"], zones, BASELINE.indicators, BASELINE.catalog, None, plan["draft"], geodata=geodata)
    token = set_active_plan_files(files)
    try:
        yield
    finally:
        reset_active_plan_files(token)


_INSTALLED: set[str] = set()


def install_grids(bundle: dict[str, bytes]) -> None:
    """Put shipped grids in this process's grid cache (once a process; files already there are kept)."""
    from layout.geo.classify import grid_cache_dir

    folder = grid_cache_dir()
    for name, data in bundle.items():
        if name in _INSTALLED:
            continue
        path = folder / name
        if not path.exists():
            folder.mkdir(parents=True, exist_ok=True)
            tmp = path.with_name(f".{name}.{os.getpid()}.tmp")
            tmp.write_bytes(data)
            os.replace(tmp, path)
        _INSTALLED.add(name)


def classify_dataset(
    src: str | os.PathLike,
    out_dir: str | os.PathLike,
    *,
    engine: str = "local",
    scheduler: str | None = None,
    workers: int = 2,
    partition_rows: int = PARTITION_ROWS,
    connect_timeout: float = 10.0,
    **options,
) -> dict:
    """Classify every partition of ``src`` into the Parquet dataset folder ``out_dir``.

    Parameters
    ----------
    src
        A Parquet file, or a folder of Parquet or CSV files.
    out_dir
        The output folder (created); one ``part-NNNNN.parquet`` a partition.
    engine
        ``local`` (this process, partition after partition) or ``dask``.
    scheduler
        For ``dask``: a scheduler address (``tcp://host:8786``); None starts a local cluster.
    workers
        Processes of that local cluster.
    connect_timeout
        Seconds to wait for the scheduler at ``scheduler``.
    options
        ``lon``, ``lat``, ``crs`` as for :func:`layout.tables.parquet.classify_parquet`.

    Returns
    -------
    dict
        Summed counts (``rows``, ``inside``, ``outside``, ``missing``) and ``partitions``.

    Raises
    ------
    InputError
        Unreadable input, no partitions, dask missing or its scheduler unreachable.
    """
    parts = plan_partitions(src, partition_rows=partition_rows)
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    if engine == "dask":
        results = _run_dask(parts, str(out), options, scheduler=scheduler, workers=workers, timeout=connect_timeout)
    else:
        results = [classify_partition(p, str(out), options) for p in parts]
    total = {key: sum(r[key] for r in results) for key in ("rows", "inside", "outside", "missing")}
    return {**total, "partitions": len(parts)}


def _run_dask(
    parts: list[Partition], out: str, options: dict, *, scheduler: str | None, workers: int, timeout: float
) -> list[dict]:
    try:
        from distributed import Client, LocalCluster
    except ImportError:
        raise InputError("--engine dask needs dask[distributed]", code="dask_missing") from None
    cluster = None
    try:
        if scheduler:
            try:
                client = Client(scheduler, timeout=f"{timeout}s")
            except (OSError, TimeoutError) as exc:
                raise InputError(
                    f"cannot reach the Dask scheduler {scheduler}: {exc}",
                    code="dask_connect",
                    address=scheduler,
                    detail=str(exc).splitlines()[0],
                ) from None
        else:
            cluster = LocalCluster(
                n_workers=workers,
                threads_per_worker=1,
                processes=True,
                dashboard_address=None,
                # no dashboard; the scheduler's HTTP routes on a free local port (8787 may be another program's)
                scheduler_kwargs={"dashboard": False, "dashboard_address": "127.0.0.1:0"},
            )
            client = Client(cluster)
        with client:
            bundle = grid_bundle()  # after connecting: an unreachable scheduler fails at once
            # the grids and the plan, once a worker, not once a task
            [shipped, plan] = client.scatter([bundle, plan_bundle()], broadcast=True)
            futures = [
                client.submit(classify_partition, p, out, options, shipped, plan, key=f"classify-{p.index}", pure=False)
                for p in parts
            ]
            return client.gather(futures)
    finally:
        if cluster is not None:
            cluster.close()
