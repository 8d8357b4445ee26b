"""GeoParquet in and out for ``classify``: point tables a batch at a time, at the speed of the format.

Input: a Parquet file whose points are a GeoParquet geometry column (WKB points; its CRS is honoured)
or two numeric lon/lat columns (found by name as in CSV tables, or named). Output: every input column
unchanged, then the result columns of :func:`layout.geo.classify.classify_points` (``county`` … ``distance_km``),
a WKB ``geometry`` column of WGS84 points when the input had none, and a GeoParquet 1.1 ``bbox``
covering column, so readers can skip row groups by area (``geopandas.read_parquet(..., bbox=...)``).
Batches are read and written one after another: memory stays that of one batch.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
import shapely

from layout.errors import InputError
from layout.i18n import STRINGS

BATCH_ROWS = 1 << 20  # rows per batch read and per row group written
RESULT_NAMES = ("county", "adcode", "zone", "zones", "poles", "inside", "nearest_county", "distance_km")
_BBOX = "bbox"
# Dictionary pages for the few-valued result columns only: on names, WKB and floats they cost ~4× the
# write time for nothing (measured on 1 M rows: 4.2 s → 1.0 s with zstd, the same size).
_DICTIONARY = ["county", "adcode", "zone", "zones", "poles", "nearest_county"]

STRINGS.update(
    {
        "err.parquet_unreadable": (
            "无法读取 Parquet 文件 {path}：{detail}。请确认它是完整的 .parquet 文件。",
            "Cannot read the Parquet file {path}: {detail}. Check that it is a whole .parquet file.",
        ),
        "err.parquet_geometry": (
            "几何列“{column}”含非点要素（第 {row} 行为 {kind}）；classify 只处理点。",
            "Geometry column “{column}” holds a non-point ({kind} at row {row}); classify takes points only.",
        ),
        "err.parquet_encoding": (
            "几何列“{column}”的编码为 {encoding}，只支持 WKB。请用 geopandas 另存为 WKB。",
            "Geometry column “{column}” is encoded as {encoding}; only WKB is read. Save it with geopandas (WKB).",
        ),
        "err.parquet_numeric": (
            "“{column}”列不是数值列（类型 {kind}）；Parquet 输入的经纬度须为数值。",
            "Column “{column}” is not numeric ({kind}); lon/lat columns of a Parquet input must be numbers.",
        ),
        "err.parquet_clash": (
            "输入已有同名列“{column}”，与结果列冲突；请先改名或删除该列。",
            "The input already has a column “{column}”, a result column's name; rename or drop it first.",
        ),
    }
)


def _unreadable(path: Path, exc: Exception) -> InputError:
    detail = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    return InputError(
        f"cannot read the Parquet file {path}: {detail}", code="parquet_unreadable", path=str(path), detail=detail
    )


def open_parquet(path: str | os.PathLike) -> pq.ParquetFile:
    """The Parquet file at ``path``; InputError (not a traceback) when it is not one."""
    path = Path(path)
    try:
        return pq.ParquetFile(path)
    except (OSError, pa.ArrowException) as exc:
        raise _unreadable(path, exc) from None


def geo_metadata(schema: pa.Schema) -> dict | None:
    """The GeoParquet ``geo`` metadata of a schema, or None."""
    raw = (schema.metadata or {}).get(b"geo")
    return json.loads(raw) if raw else None


def _source_crs(meta: dict, column: str) -> str | None:
    """An EPSG/WKT string pyproj reads for a geometry column, or None when it is WGS84 lon/lat."""
    crs = meta["columns"][column].get("crs")
    if crs is None:
        return None
    from pyproj import CRS

    parsed = CRS.from_json_dict(crs) if isinstance(crs, dict) else CRS.from_user_input(crs)
    if parsed.equals(CRS.from_epsg(4326), ignore_axis_order=True):
        return None
    return parsed.to_wkt()


class PointSource:
    """Where a Parquet table's points are: its GeoParquet geometry column, or lon/lat columns."""

    def __init__(self, schema: pa.Schema, *, lon: str | None = None, lat: str | None = None) -> None:
        from layout.geo.columns import find_coordinate_columns

        names = list(schema.names)
        self.schema = schema
        meta = geo_metadata(schema)
        self.geometry: str | None = None
        self.crs: str | None = None
        if meta and not (lon or lat):
            geometry: str = meta["primary_column"]  # required by GeoParquet
            self.geometry = geometry
            encoding = meta["columns"][geometry].get("encoding", "WKB")
            if encoding.upper() != "WKB":
                raise InputError(
                    f"geometry column {self.geometry!r} is {encoding}, expected WKB",
                    code="parquet_encoding",
                    column=self.geometry,
                    encoding=encoding,
                )
            self.crs = _source_crs(meta, geometry)
            self.lon = self.lat = None
        else:
            choice = find_coordinate_columns(names, lon=lon, lat=lat)
            if choice.pair:
                raise InputError(
                    f"column {choice.pair!r} holds both coordinates; Parquet input needs two numeric columns",
                    code="parquet_numeric",
                    column=choice.pair,
                    kind="text",
                )
            self.lon, self.lat = choice.lon, choice.lat
            for col in (self.lon, self.lat):
                kind = schema.field(col).type
                if not (pa.types.is_floating(kind) or pa.types.is_integer(kind) or pa.types.is_decimal(kind)):
                    raise InputError(
                        f"column {col!r} is {kind}, expected numbers",
                        code="parquet_numeric",
                        column=col,
                        kind=str(kind),
                    )
        for name in (*RESULT_NAMES, _BBOX, *(("geometry",) if self.geometry is None else ())):
            if name in names:
                raise InputError(
                    f"the input already has a column {name!r}; rename or drop it", code="parquet_clash", column=name
                )

    def points(self, batch: pa.RecordBatch, first_row: int = 0) -> tuple[np.ndarray, np.ndarray]:
        """lon, lat of a batch (NaN where missing), in the source's CRS for lon/lat columns, WGS84 for a
        geometry column (converted from its CRS)."""
        if self.geometry is None:
            lon, lat = (
                np.asarray(batch.column(c).cast(pa.float64()).fill_null(np.nan).to_numpy(zero_copy_only=False))
                for c in (self.lon, self.lat)
            )
            return lon, lat
        geoms = shapely.from_wkb(batch.column(self.geometry).to_numpy(zero_copy_only=False))
        kinds = shapely.get_type_id(geoms)
        bad = np.flatnonzero((kinds != 0) & (kinds != -1))
        if bad.size:
            row = first_row + int(bad[0]) + 1
            kind = shapely.get_type_id(geoms[bad[0]])
            names = [
                "Point",
                "LineString",
                "LinearRing",
                "Polygon",
                "MultiPoint",
                "MultiLineString",
                "MultiPolygon",
                "GeometryCollection",
            ]
            raise InputError(
                f"geometry column {self.geometry!r} has a {names[kind]} at row {row}; points only",
                code="parquet_geometry",
                column=self.geometry,
                row=row,
                kind=names[kind],
            )
        lon, lat = shapely.get_x(geoms), shapely.get_y(geoms)
        lon[shapely.is_empty(geoms)] = np.nan
        if self.crs is not None:
            from pyproj import Transformer

            lon, lat = Transformer.from_crs(self.crs, "EPSG:4326", always_xy=True).transform(lon, lat)
        return np.asarray(lon, dtype=np.float64), np.asarray(lat, dtype=np.float64)


def output_schema(source: PointSource) -> pa.Schema:
    """The output's schema: input columns, result columns, geometry (when the input had none), bbox."""
    fields = list(source.schema)
    fields += [pa.field(n, pa.dictionary(pa.int8(), pa.string())) for n in RESULT_NAMES[:5]]
    fields += [
        pa.field("inside", pa.bool_()),
        pa.field("nearest_county", pa.dictionary(pa.int8(), pa.string())),
        pa.field("distance_km", pa.float64()),
    ]
    geometry = source.geometry or "geometry"
    if source.geometry is None:
        fields.append(pa.field("geometry", pa.binary()))
    fields.append(pa.field(_BBOX, pa.struct([(k, pa.float64()) for k in ("xmin", "ymin", "xmax", "ymax")])))
    meta = dict(source.schema.metadata or {})
    geo = geo_metadata(source.schema) or {"primary_column": geometry, "columns": {}}
    column = dict(geo["columns"].get(geometry, {"encoding": "WKB", "geometry_types": ["Point"]}))
    column.pop("bbox", None)  # a file-wide bbox of the input would not be checked here: leave it out
    column["covering"] = {"bbox": {k: [_BBOX, k] for k in ("xmin", "ymin", "xmax", "ymax")}}
    geo = {**geo, "version": "1.1.0", "columns": {**geo["columns"], geometry: column}}
    meta[b"geo"] = json.dumps(geo).encode()
    meta.pop(b"pandas", None)  # the added columns are not in it
    return pa.schema(fields, metadata=meta)


_WKB_POINT = np.dtype([("order", "u1"), ("kind", "<u4"), ("x", "<f8"), ("y", "<f8")])  # 21 bytes


def wkb_points(lon: np.ndarray, lat: np.ndarray) -> pa.Array:
    """Little-endian WKB points as an Arrow binary array, written straight into one buffer (null where
    a coordinate is missing): ~20× faster than shapely.to_wkb and an object array."""
    n = len(lon)
    rec = np.empty(n, _WKB_POINT)
    rec["order"], rec["kind"], rec["x"], rec["y"] = 1, 1, lon, lat
    valid = np.isfinite(lon) & np.isfinite(lat)
    offsets = np.arange(0, (n + 1) * _WKB_POINT.itemsize, _WKB_POINT.itemsize, dtype=np.int32)
    bitmap = None if valid.all() else pa.py_buffer(np.packbits(valid, bitorder="little"))
    return pa.Array.from_buffers(
        pa.binary(), n, [bitmap, pa.py_buffer(offsets), pa.py_buffer(rec.tobytes())], null_count=int(n - valid.sum())
    )


def result_batch(
    batch: pa.RecordBatch, source: PointSource, frame, wlon: np.ndarray, wlat: np.ndarray, schema: pa.Schema
) -> pa.RecordBatch:
    """The output batch: ``batch``'s columns, then ``frame``'s (from classify_points), geometry and bbox.
    The bbox is that of the written geometry (input geometry as it is; else WGS84 points)."""
    arrays = list(batch.columns)
    for name in RESULT_NAMES:
        col = frame[name]
        if name in ("inside", "distance_km"):
            arrays.append(pa.array(col.to_numpy(), type=schema.field(name).type, from_pandas=True))
        else:
            codes = col.cat.codes.to_numpy()
            indices = pa.array(codes, pa.int8(), mask=codes < 0)
            arrays.append(pa.DictionaryArray.from_arrays(indices, pa.array(list(col.cat.categories), pa.string())))
    if source.geometry is None:
        arrays.append(wkb_points(wlon, wlat))
        bx, by = wlon, wlat
    else:
        geoms = shapely.from_wkb(batch.column(source.geometry).to_numpy(zero_copy_only=False))
        bx, by = shapely.get_x(geoms), shapely.get_y(geoms)
    missing = ~(np.isfinite(bx) & np.isfinite(by))
    coords = [pa.array(v, pa.float64(), mask=missing) for v in (bx, by, bx, by)]
    arrays.append(pa.StructArray.from_arrays(coords, names=["xmin", "ymin", "xmax", "ymax"], mask=pa.array(missing)))
    return pa.RecordBatch.from_arrays(arrays, schema=schema)


def iter_batches(
    pf: pq.ParquetFile, path: Path, *, row_groups: list[int] | None = None, batch_rows: int = BATCH_ROWS
) -> Iterator[pa.RecordBatch]:
    """The file's batches (of the given row groups), turning read errors into InputError."""
    try:
        yield from pf.iter_batches(batch_size=batch_rows, row_groups=row_groups, use_threads=True)
    except (OSError, pa.ArrowException) as exc:
        raise _unreadable(path, exc) from None


def classify_parquet(
    src: str | os.PathLike,
    dst: str | os.PathLike,
    *,
    lon: str | None = None,
    lat: str | None = None,
    crs: str = "wgs84",
    row_groups: list[int] | None = None,
    batch_rows: int = BATCH_ROWS,
) -> dict:
    """Classify every point of the Parquet file ``src`` and write ``dst`` (GeoParquet, bbox covering).

    Parameters
    ----------
    src, dst
        Input and output paths (``dst`` is written whole; the caller makes it atomic).
    lon, lat
        Coordinate columns (default: the GeoParquet geometry column, else columns found by name).
    crs
        Coordinate system of lon/lat columns (``wgs84``, ``gcj02``, ``bd09``, ``cgcs2000``); a geometry
        column's CRS comes from its metadata.
    row_groups
        Only these row groups of ``src`` (a partition, for :mod:`layout.tables.distributed`).

    Returns
    -------
    dict
        ``rows``, ``inside``, ``outside``, ``missing`` counts.

    Raises
    ------
    InputError
        The file cannot be read, the points cannot be found, or a column name clashes with a result.
    """
    src = Path(src)
    pf = open_parquet(src)
    batches = iter_batches(pf, src, row_groups=row_groups, batch_rows=batch_rows)
    return classify_batches(batches, pf.schema_arrow, dst, lon=lon, lat=lat, crs=crs, batch_rows=batch_rows)


def classify_csv_to_parquet(
    src: str | os.PathLike,
    dst: str | os.PathLike,
    *,
    lon: str | None = None,
    lat: str | None = None,
    crs: str = "wgs84",
    batch_rows: int = BATCH_ROWS,
) -> dict:
    """A CSV file (UTF-8, numeric lon/lat columns) streamed by pyarrow into a GeoParquet result ``dst``."""
    from pyarrow import csv

    src = Path(src)
    try:
        reader = csv.open_csv(src, read_options=csv.ReadOptions(block_size=16 << 20))
    except (OSError, pa.ArrowException) as exc:
        raise _unreadable(src, exc) from None
    return classify_batches(reader, reader.schema, dst, lon=lon, lat=lat, crs=crs, batch_rows=batch_rows)


def classify_batches(
    batches,
    schema: pa.Schema,
    dst: str | os.PathLike,
    *,
    lon: str | None = None,
    lat: str | None = None,
    crs: str = "wgs84",
    batch_rows: int = BATCH_ROWS,
) -> dict:
    """Classify the points of Arrow ``batches`` (of ``schema``) and write them to the GeoParquet ``dst``."""
    from layout.geo.classify import classify_points

    source = PointSource(schema, lon=lon, lat=lat)
    out_schema = output_schema(source)
    counts = {"rows": 0, "inside": 0, "outside": 0, "missing": 0}
    with pq.ParquetWriter(
        Path(dst), out_schema, compression="zstd", use_dictionary=_DICTIONARY, write_statistics=True
    ) as writer:
        for batch in batches:
            plon, plat = source.points(batch, counts["rows"])
            point_crs = crs if source.geometry is None else "wgs84"
            frame = classify_points(plon, plat, point_crs)
            if source.geometry is None and point_crs != "wgs84":
                from layout.geo.crs import to_wgs84

                wlon, wlat = to_wgs84(plon, plat, point_crs)
            else:
                wlon, wlat = plon, plat
            writer.write_batch(result_batch(batch, source, frame, wlon, wlat, out_schema), row_group_size=batch_rows)
            inside = int(frame["inside"].sum())
            missing = int((~frame["inside"] & frame["distance_km"].isna()).sum())
            counts["rows"] += len(frame)
            counts["inside"] += inside
            counts["missing"] += missing
            counts["outside"] += len(frame) - inside - missing
    return counts
