"""``where`` and ``classify``: which county, zone and poles a point is in, for one point or for a whole
table (CSV, XLSX or Parquet; large CSVs a chunk at a time, big point sets on Dask).
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Any

import click

from layout.cli.common import TableCrs, speaks
from layout.cli.plan import active_draft_name, plan_option
from layout.errors import InputError
from layout.i18n import t

STREAM_BYTES = 16 * 1024 * 1024  # classify reads a larger CSV → CSV a chunk at a time
CHUNK_BYTES = 4 * 1024 * 1024  # … of about this size (~100,000 rows: their temporaries reused, not new pages)


@click.command(context_settings={"ignore_unknown_options": True})
@click.argument("lon")
@click.argument("lat", required=False, default="")
@click.option(
    "--crs",
    type=TableCrs(),
    default="auto",
    show_default=True,
    help="Coordinate system of LON LAT: auto (degrees: WGS84; metres: CGCS2000 Gauss-Krüger, zone from "
    "the prefix or the place), wgs84 (GPS), gcj02 (高德/腾讯), bd09 (百度), cgcs2000 or EPSG:NNNN.",
)
@speaks
@plan_option
def where(lon: str, lat: str, crs: str, lang: str) -> None:
    """Which county, zone and poles is the point LON LAT in? Prints one JSON object.

    LON LAT as the batch check reads them: degrees or 度分秒, N/S/E/W deciding which is which, Gauss-Krüger
    metres in either order; or the whole pasted point as one argument ("28°33'14\"N 112°21'18\"E").

    Example: python -m layout where 112.355 28.554 --crs gcj02
    """
    from layout.geo.classify import where_record

    record = where_record(lon, lat, crs)
    if draft := active_draft_name():  # an answer from a draft says so; 十四五's stays exactly as it was
        record["plan"] = t("cli.draft_name", lang, name=draft)
    click.echo(json.dumps(record, ensure_ascii=False))


@click.command()
@click.argument("src", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path),
    help="Output .csv or .xlsx (default: SRC with '_zones' added, same type).",
)
@click.option("--lon", "lon_col", help="Longitude (or X) column (default: found by name: 经度, 东经, lon, lng …).")
@click.option("--lat", "lat_col", help="Latitude (or Y) column (default: found by name: 纬度, 北纬, lat …).")
@click.option("--pair", "pair_col", help="One column holding both, e.g. 坐标 = '112.35,28.55'.")
@click.option("--sheet", help="Workbook sheet (default: the first whose header names coordinates).")
@click.option("--header-row", type=click.IntRange(min=1), help="Row number of the header (default: detected).")
@click.option(
    "--crs",
    default="auto",
    show_default=True,
    help="auto, wgs84, gcj02 (高德/腾讯), bd09 (百度), cgcs2000 or EPSG:NNNN (e.g. EPSG:4546).",
)
@click.option(
    "--encoding",
    type=click.Choice(["utf-8-sig", "input"]),
    default="utf-8-sig",
    show_default=True,
    help="CSV output encoding: UTF-8 with BOM, or the input's own (e.g. GBK).",
)
@click.option(
    "--engine",
    type=click.Choice(["local", "dask"]),
    default="local",
    show_default=True,
    help="dask: classify a Parquet/CSV dataset partition by partition on a Dask cluster; -o is a folder.",
)
@click.option("--scheduler", help="Dask scheduler address, e.g. tcp://host:8786 (default: a local cluster).")
@click.option(
    "--workers",
    type=click.IntRange(min=1),
    default=2,
    show_default=True,
    help="Worker processes of the local Dask cluster.",
)
@click.option(
    "--partition-rows",
    type=click.IntRange(min=1),
    default=1 << 20,
    show_default=True,
    help="Rows per partition of a Parquet input (whole row groups).",
)
@speaks
@plan_option
def classify(
    src: Path,
    output: Path | None,
    lon_col: str | None,
    lat_col: str | None,
    pair_col: str | None,
    sheet: str | None,
    header_row: int | None,
    crs: str,
    lang: str,
    encoding: str,
    engine: str,
    scheduler: str | None,
    workers: int,
    partition_rows: int,
) -> None:
    """Add county/zone/pole columns and a reason to every row of a CSV (UTF-8, BOM, GBK) or XLSX table.

    The table comes back whole: a workbook keeps its sheets, formats, dates and formulas; a CSV keeps its
    text byte for byte. Coordinates may be decimal degrees, 度分秒, one "lon,lat" cell or CGCS2000
    Gauss-Krüger metres; --crs auto decides and says how.

    Parquet: ``classify in.parquet -o out.parquet`` reads a GeoParquet point column or numeric lon/lat
    columns and writes GeoParquet with a bbox covering. A folder of Parquet/CSV files, or --engine dask,
    writes a Parquet dataset folder, one file a partition (the same bytes on both engines).

    Example: python -m layout classify 项目.xlsx -o 项目_片区.xlsx --crs gcj02
    """
    _batch_process()
    if (
        engine == "dask"
        or src.is_dir()
        or src.suffix.lower() == ".parquet"
        or (output is not None and output.suffix.lower() == ".parquet")
    ):
        _classify_parquet(src, output, lon_col, lat_col, crs, lang, engine, scheduler, workers, partition_rows)
    else:
        _classify(src, output, lon_col, lat_col, pair_col, sheet, header_row, crs, lang, encoding)
    if draft := active_draft_name():  # the officer's table keeps its shape; the answer names the draft
        click.echo(t("cli.draft_zones", lang, name=draft), err=True)


def _classify_parquet(
    src: Path,
    output: Path | None,
    lon_col: str | None,
    lat_col: str | None,
    crs: str,
    lang: str,
    engine: str,
    scheduler: str | None,
    workers: int,
    partition_rows: int,
) -> None:
    """classify into GeoParquet: one file (local engine, one Parquet file) or a dataset folder."""
    from layout.geo.crs import check_crs
    from layout.tables.files import atomic_write

    if not src.exists():
        raise InputError(
            f"{src} does not exist; give an existing Parquet file or folder", code="input_missing", path=str(src)
        )
    crs = "wgs84" if crs == "auto" else check_crs(crs)
    options: dict[str, Any] = {"lon": lon_col, "lat": lat_col, "crs": crs}
    dataset = engine == "dask" or src.is_dir() or (output is not None and output.suffix.lower() != ".parquet")
    if dataset:
        from layout.tables.distributed import classify_dataset

        output = output or src.with_name(f"{src.stem}_zones")
        counts = classify_dataset(
            src, output, engine=engine, scheduler=scheduler, workers=workers, partition_rows=partition_rows, **options
        )
    else:
        from layout.tables.parquet import classify_parquet

        output = output or src.with_name(f"{src.stem}_zones.parquet")
        counts = {}
        atomic_write(output, lambda tmp: counts.update(classify_parquet(src, tmp, **options)), backup=False)
    parts = (
        f"，{counts['partitions']} 个分区"
        if lang == "zh" and "partitions" in counts
        else (f", {counts['partitions']} partitions" if "partitions" in counts else "")
    )
    if lang == "zh":
        click.echo(
            f"{src.name} → {output}：{counts['rows']:,} 行，{counts['inside']:,} 行在益阳市境内，"
            f"{counts['outside']:,} 行在境外，{counts['missing']:,} 行无坐标{parts}。",
            err=True,
        )
    else:
        click.echo(
            f"{src.name} → {output}: {counts['rows']:,} rows, {counts['inside']:,} inside 益阳, "
            f"{counts['outside']:,} outside, {counts['missing']:,} without coordinates{parts}.",
            err=True,
        )


def _classify(
    src: Path,
    output: Path | None,
    lon_col: str | None,
    lat_col: str | None,
    pair_col: str | None,
    sheet: str | None,
    header_row: int | None,
    crs: str,
    lang: str,
    encoding: str,
) -> None:
    from layout.i18n import t
    from layout.tables.batch import classify_table, decision_text, nothing_located_text
    from layout.tables.files import check_writable
    from layout.tables.read import read_table
    from layout.tables.table import check_suffix
    from layout.tables.write import check_fits, write_result

    output = output or src.with_name(f"{src.stem}_zones{src.suffix}")
    check_writable(output)
    check_suffix(output.name)
    if output.exists() and src.exists() and output.resolve() == src.resolve():
        raise InputError(
            f"-o {output} is the input file; choose another output name", code="same_file", path=str(output)
        )
    if src.suffix.lower() == output.suffix.lower() == ".csv" and src.is_file() and src.stat().st_size > STREAM_BYTES:
        _classify_stream(src, output, lon_col, lat_col, pair_col, header_row, crs, lang, encoding)
        return
    table = read_table(src, sheet=sheet, header_row=header_row)
    check_fits(table, output.suffix.lower())  # before the work, not after it
    result = classify_table(table, lon=lon_col, lat=lat_col, pair=pair_col, crs=crs, lang=lang)
    out_encoding = table.encoding if encoding == "input" and table.kind == "csv" else "utf-8-sig"
    write_result(table, result.added, output, encoding=out_encoding)
    counts = result.counts
    for code, args in table.notes:
        click.echo(t(code, lang, **args), err=True)
    click.echo(decision_text(result, lang), err=True)
    click.echo(
        f"{src.name} ({table.encoding}) → {output}: "
        + t(
            "batch.counts",
            lang,
            rows=f"{len(table.frame):,}",
            inside=counts["inside"],
            outside=counts["outside"],
            errors=counts["error"],
        ),
        err=True,
    )
    if none := nothing_located_text(result, lang):
        click.echo(none, err=True)
    rows = result.problem_rows(table.frame, lang=lang, limit=20)
    for values in rows.itertuples(index=False):
        name = f" {values[1]}" if result.name_column else ""
        label = f"第 {values[0]} 行{name}" if lang == "zh" else f"row {values[0]}{name}"
        click.echo(f"  {label}{'：' if lang == 'zh' else ': '}{values[-1]}", err=True)
    if counts["error"] > len(rows):
        click.echo("  …", err=True)


def _classify_stream(
    src: Path,
    output: Path,
    lon_col: str | None,
    lat_col: str | None,
    pair_col: str | None,
    header_row: int | None,
    crs: str,
    lang: str,
    encoding: str,
) -> None:
    """classify for a large CSV → CSV, a chunk at a time (bounded memory), the same output and messages."""
    from layout.i18n import t
    from layout.tables.batch import decision_text
    from layout.tables.csv_stream import StreamRun, classify_csv_stream
    from layout.tables.files import atomic_write

    runs: list[StreamRun] = []
    _small_pages()

    def write(tmp: Path) -> None:
        with open(tmp, "wb") as out:
            runs.append(
                classify_csv_stream(
                    src,
                    out,
                    lon=lon_col,
                    lat=lat_col,
                    pair=pair_col,
                    header_row=header_row,
                    crs=crs,
                    lang=lang,
                    encoding=encoding,
                    chunk_bytes=CHUNK_BYTES,
                )
            )

    atomic_write(output, write)
    run = runs[0]
    first, counts = run.table, run.counts
    for code, args in first.notes:
        click.echo(t(code, lang, **args), err=True)
    click.echo(decision_text(run.result, lang), err=True)
    click.echo(
        f"{src.name} ({first.encoding}) → {output}: "
        + t(
            "batch.counts",
            lang,
            rows=f"{run.rows:,}",
            inside=counts["inside"],
            outside=counts["outside"],
            errors=counts["error"],
        ),
        err=True,
    )
    for row, name, reason in run.problems:
        named = f" {name}" if run.result.name_column else ""
        label = f"第 {row} 行{named}" if lang == "zh" else f"row {row}{named}"
        click.echo(f"  {label}{'：' if lang == 'zh' else ': '}{reason}", err=True)
    if counts["error"] > len(run.problems):
        click.echo("  …", err=True)


def _batch_process() -> None:
    """Settings for a process that does one batch run, made before numpy is imported (best effort, this
    command only): OpenBLAS starts no thread pool (its threads spin ~0.05 s of CPU after start-up, and the
    batch path does no linear algebra; a value the user set is kept), and Python's cyclic garbage collector
    runs a tenth as often (the imports and the chunks make many objects and few cycles: ~0.1 s)."""
    import gc

    if "numpy" not in sys.modules:
        os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
    first, second, third = gc.get_threshold()
    gc.set_threshold(max(first, 20_000), max(second, 50), max(third, 100))


def _small_pages() -> None:
    """Ask Linux not to back this process's new memory with transparent huge pages, and glibc to keep freed
    memory for reuse (best effort, glibc on Linux, this command only).

    A chunked run allocates and frees arrays of a few MB per chunk; on a busy machine each new huge page
    can cost the kernel a compaction and a 2 MB clearing, which measured here as 0.3–0.8 s of system time
    on a 1 M-row file against ~0.45 s steady with 4 KB pages.
    """
    if not sys.platform.startswith("linux"):
        return
    import contextlib
    import ctypes

    with contextlib.suppress(AttributeError, OSError):
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(41, 1, 0, 0, 0)  # PR_SET_THP_DISABLE
        # glibc keeps freed memory for reuse instead of returning and faulting it in again: blocks up to
        # 32 MB from its heaps, no trimming below 1 GB free, two arenas for the reader and worker threads
        # (~30% fewer page faults on a 1 M-row file), and Arrow allocates from it rather than mimalloc
        libc.mallopt(-3, 32 << 20)  # M_MMAP_THRESHOLD
        libc.mallopt(-1, 1 << 30)  # M_TRIM_THRESHOLD
        libc.mallopt(-8, 2)  # M_ARENA_MAX
        import pyarrow as pa

        pa.set_memory_pool(pa.system_memory_pool())  # Arrow's buffers too (~20% fewer page faults again)
