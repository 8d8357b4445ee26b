"""The project catalog (``projects_catalog.csv``): reading, writing, geocoding and zone columns.

The CSV is the source of truth, edited by people: every row and cell is kept as text and a read → write
round trip is byte-identical. :func:`load_catalog` is the typed view the app and the exports code
against: a GeoDataFrame with float ``lon``/``lat``, Point geometry (WGS84) and the computed columns
``computed_county``, ``zone``, ``zones`` and ``poles``.
"""

from __future__ import annotations

import csv
import os
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from layout.catalog.gazetteer import CITYWIDE, geocode, geocode_county
from layout.errors import InputError
from layout.geo.classify import classify_points, split_ids
from layout.geo.crs import WGS84
from layout.geo.table_crs import parse_coordinates
from layout.plan.zones import load_zone_model
from layout.settings import CATALOG_PATH

__all__ = [
    "CATALOG_PATH",
    "COLUMNS",
    "COUNTIES",
    "COUNTS_END",
    "COUNTS_START",
    "FillReport",
    "GEOCODE_NOTE",
    "POINT_PRECISIONS",
    "PRECISIONS",
    "SECTORS",
    "SECTOR_NAMES",
    "attach_zones",
    "catalog_counts_markdown",
    "catalog_to_geodataframe",
    "catalog_to_text",
    "fill_geocodes",
    "load_catalog",
    "read_catalog_table",
    "replace_counts_block",
    "write_catalog",
    "write_catalog_counts",
    "zone_ids",
]

COLUMNS = [
    "id",
    "name",
    "name_en",
    "sector",
    "category",
    "action",
    "county",
    "town",
    "plan_section",
    "plan_quote",
    "plan_zone",
    "lon",
    "lat",
    "precision",
    "geocode_source",
    "notes",
]
#: The plan's "3+4+5" sector system (第四章), grouped as the plan groups it.
SECTORS: dict[str, list[str]] = {
    "三大主导服务产业": ["电子商务业", "文旅休闲业", "康养服务业"],
    "四大传统型服务行业": ["住宿餐饮业", "批发零售业", "家政服务业", "节能环保服务业"],
    "五大新兴服务行业": ["工业软件与信息服务", "现代物流业", "现代金融服务", "高端商务服务", "检测检验服务"],
}
SECTOR_NAMES = [s for group in SECTORS.values() for s in group]
COUNTIES = ["资阳区", "赫山区", "南县", "桃江县", "安化县", "沅江市", "大通湖区", "中心城区", CITYWIDE]
PRECISIONS = ["site", "town", "county", "citywide", "route"]
POINT_PRECISIONS = ("site", "town", "county")
#: Rows with no point: citywide items, and themed routes (filed under their theme county or 全市).
NO_POINT_PRECISIONS = ("citywide", "route")
COMPUTED_COLUMNS = ["computed_county", "zone", "zones", "poles"]


def zone_ids() -> list[str]:
    """Every zone id of the zone model (core, wings, poles), in model order."""
    return list(load_zone_model().zones)


# --------------------------------------------------------------------------------------------
# Text I/O


def read_catalog_table(path: str | os.PathLike = CATALOG_PATH) -> pd.DataFrame:
    """Every row and column of the catalog as text, in file order (UTF-8, BOM or GBK accepted).

    Raises
    ------
    InputError
        When the file is missing or not a readable CSV.
    """
    from layout.tables.read import read_table

    return read_table(path, header_row=1).frame.astype(object)


def catalog_to_text(df: pd.DataFrame) -> str:
    """The canonical CSV text: QUOTE_MINIMAL, "\\n" line ends, columns in the table's order."""
    return df.to_csv(index=False, lineterminator="\n", quoting=csv.QUOTE_MINIMAL)


def write_catalog(df: pd.DataFrame, path: str | os.PathLike = CATALOG_PATH) -> Path:
    """Write the catalog atomically as UTF-8 without BOM, keeping the previous file as ``<name>.bak``.

    Raises
    ------
    OutputError
        When ``path`` is not a .csv (the catalog is CSV text; an .xlsx would be destroyed), or cannot be written.
    """
    from layout.errors import OutputError
    from layout.tables.files import atomic_write

    if Path(path).suffix.lower() != ".csv":
        raise OutputError(
            f"{path}: the catalog is CSV text and is only written to a .csv file; convert the workbook to CSV first",
            code="catalog_not_csv",
            path=str(path),
        )
    data = catalog_to_text(df).encode("utf-8")

    def write(tmp: Path) -> None:
        tmp.write_bytes(data)

    return atomic_write(path, write)


# --------------------------------------------------------------------------------------------
# The typed view


def attach_zones(gdf: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Add ``computed_county``, ``zone``, ``zones`` and ``poles`` to a catalog with geometry.

    site/town rows with a point are classified from geometry (``layout.geo.classify.classify_points``);
    every other row takes them from its declared county through the zone model (全市 → empty).
    """
    model = load_zone_model()
    n = len(gdf)
    county, zone = [""] * n, [""] * n
    zones: list[tuple[str, ...]] = [()] * n
    poles: list[tuple[str, ...]] = [()] * n
    for i, name in enumerate(gdf["county"]):
        if name in model.counties or name in model.areas:
            county[i], zone[i] = name, model.primary_zone(name)
            zones[i], poles[i] = tuple(model.zones_of(name)), tuple(model.poles_of(name))
    located = np.flatnonzero(gdf["precision"].isin(["site", "town"]).to_numpy() & gdf["lon"].notna().to_numpy())
    if located.size:
        found = classify_points(gdf["lon"].to_numpy()[located], gdf["lat"].to_numpy()[located], nearest=False)
        for i, row in zip(located.tolist(), found.itertuples(), strict=True):
            inside = bool(row.inside)
            county[i] = str(row.county) if inside else ""
            zone[i] = str(row.zone) if inside else ""
            zones[i], poles[i] = split_ids(row.zones), split_ids(row.poles)
    out = gdf.copy()
    out["computed_county"], out["zone"] = county, zone
    out["zones"] = pd.Series(zones, index=gdf.index, dtype=object)
    out["poles"] = pd.Series(poles, index=gdf.index, dtype=object)
    return out


def catalog_to_geodataframe(df: pd.DataFrame) -> gpd.GeoDataFrame:
    """The typed view of a text catalog: cells stripped, float lon/lat, Points, computed zone columns."""
    table = df.apply(lambda col: col.map(lambda v: v.strip() if isinstance(v, str) else v)).astype(object)
    lon, lat, _ = parse_coordinates(table["lon"].astype(str), table["lat"].astype(str))  # NaN when unusable
    table["lon"], table["lat"] = lon, lat
    geometry = [shapely.Point(x, y) if np.isfinite(x) else None for x, y in zip(lon, lat, strict=True)]
    return attach_zones(gpd.GeoDataFrame(table, geometry=geometry, crs=WGS84))


@lru_cache(maxsize=8)
def _load_cached(path: str, mtime_ns: int, size: int, zones: str) -> gpd.GeoDataFrame:
    return catalog_to_geodataframe(read_catalog_table(path))


def load_catalog(path: str | os.PathLike | None = None) -> gpd.GeoDataFrame:
    """The catalog as a GeoDataFrame (cached by path, modification time and zone model; a fresh copy each call).
    Default: the active plan's catalog (``projects_catalog.csv`` for 十四五).

    Returns
    -------
    geopandas.GeoDataFrame
        The catalog's columns (cells stripped of stray spaces) with ``lon``/``lat`` as float (NaN when
        empty or unusable), Point geometry in WGS84 or None, and ``computed_county`` (str, "" when
        none), ``zone`` (primary zone id or ""), ``zones`` and ``poles`` (tuples of ids).

    Raises
    ------
    InputError
        When the file is missing or unreadable.
    """
    from layout.plan.context import active_plan_files

    files = active_plan_files()
    p = Path(path if path is not None else files.catalog).resolve()
    if not p.exists():
        raise InputError(f"{p}: no such file")
    stat = p.stat()
    zones = f"{files.zones}:{files.zones.stat().st_mtime_ns}" if files.zones.exists() else str(files.zones)
    return _load_cached(str(p), stat.st_mtime_ns, stat.st_size, zones).copy()


# --------------------------------------------------------------------------------------------
# Geocoding


@dataclass
class FillReport:
    """What :func:`fill_geocodes` did: ids per outcome."""

    town: list[str] = field(default_factory=list)
    county: list[str] = field(default_factory=list)
    degraded: list[tuple[str, str, str]] = field(default_factory=list)  # (id, town, why)
    skipped: list[str] = field(default_factory=list)  # already had coordinates, or site/citywide

    def summary(self) -> str:
        return (
            f"geocoded {len(self.town) + len(self.county)} rows: {len(self.town)} at town precision, "
            f"{len(self.county)} at county precision ({len(self.degraded)} towns not found, placed at their "
            f"county's point); {len(self.skipped)} rows left as they were"
        )


def _coordinate_text(value: float) -> str:
    return repr(float(value))


GEOCODE_NOTE = "Geocoding: "
GAZETTEER_SOURCE = "gazetteer, "


def _strip_geocode_note(notes: str) -> str:
    """``notes`` without an earlier geocoding note (it starts with :data:`GEOCODE_NOTE` and runs to the end)."""
    at = notes.find(GEOCODE_NOTE)
    return notes[:at].rstrip() if at >= 0 else notes


def fill_geocodes(df: pd.DataFrame, *, report: FillReport | None = None, refresh: bool = False) -> pd.DataFrame:
    """Fill empty lon/lat of town and county rows from the offline township list and gazetteer.

    A row naming a town gets the township's point (town precision); a town without a point (or found twice)
    degrades to county precision at the county's point, with a note in ``notes``; never an invented point.
    ``site`` rows, citywide rows and rows that already have coordinates are left untouched.

    Parameters
    ----------
    df
        A text catalog (:func:`read_catalog_table`).
    report
        Filled in with the ids per outcome when given.
    refresh
        Also redo rows placed earlier by this gazetteer (``geocode_source`` starting "gazetteer, "): their
        town is tried again and an earlier geocoding note replaced. Hand-entered coordinates stay.
    """
    out = df.copy()
    report = report if report is not None else FillReport()
    for i in out.index:
        row = {
            c: str(out.at[i, c]).strip() for c in ("id", "county", "town", "precision", "lon", "lat", "geocode_source")
        }
        redo = refresh and row["geocode_source"].startswith(GAZETTEER_SOURCE) and row["precision"] in ("town", "county")
        if (
            (not redo and (row["lon"] or row["lat"]))
            or row["precision"] not in ("town", "county")
            or row["county"] == CITYWIDE
            or row["county"] not in COUNTIES
        ):
            report.skipped.append(row["id"])
            continue
        notes = str(out.at[i, "notes"]).strip()
        if redo:
            notes = _strip_geocode_note(notes)
        result = None
        if row["precision"] == "town" or (redo and row["town"]):
            try:
                result = geocode(f"{row['county']} {row['town']}") if row["town"] else None
                why = result.message if result else "the town cell is empty"
            except InputError as exc:
                why = str(exc)
            if result is None or not result.found:
                report.degraded.append((row["id"], row["town"], why))
                note = (
                    f"{GEOCODE_NOTE}{row['town'] or 'no town'} has no point in the offline gazetteer ({why}), "
                    f"so the row sits at {row['county']}'s county-level point (see geocode_source) with county "
                    "precision."
                )
                notes = f"{notes} {note}" if notes else note
                result = None
        out.at[i, "notes"] = notes
        if result is None:
            result = geocode_county(row["county"])
        assert result.lon is not None and result.lat is not None  # a county of COUNTIES has a seat
        out.at[i, "lon"], out.at[i, "lat"] = _coordinate_text(result.lon), _coordinate_text(result.lat)
        out.at[i, "precision"] = result.precision
        out.at[i, "geocode_source"] = f"{GAZETTEER_SOURCE}{result.precision} precision: {result.source}"
        (report.town if result.precision == "town" else report.county).append(row["id"])
    return out


# --------------------------------------------------------------------------------------------
# Counts for the documentation (docs/catalog.md, docs/catalog_extraction_notes.md), generated, never typed

COUNTS_START = "<!-- catalog-counts: generated by layout.catalog.projects.write_catalog_counts; do not edit -->"
COUNTS_END = "<!-- /catalog-counts -->"
#: The documents that carry the counts block (in a checkout, beside the catalog).
COUNTS_DOCS = (
    CATALOG_PATH.parent / "docs" / "catalog.md",
    CATALOG_PATH.parent / "docs" / "catalog_extraction_notes.md",
)


def catalog_counts_markdown(df: pd.DataFrame) -> str:
    """Rows by precision and by county (the declared ``county`` column) as Markdown tables."""
    total = len(df)
    by_precision = df["precision"].value_counts()
    by_county = df["county"].value_counts()
    lines = [f"The catalog has {total} rows.", "", "| precision | rows |", "|---|---|"]
    lines += [f"| {p} | {int(by_precision.get(p, 0))} |" for p in PRECISIONS]
    lines += ["", "| county | rows | of which with a point |", "|---|---|---|"]
    located = df[df["lon"].astype(str).str.strip() != ""]["county"].value_counts()
    lines += [f"| {c} | {int(by_county.get(c, 0))} | {int(located.get(c, 0))} |" for c in COUNTIES]
    return "\n".join(lines)


def replace_counts_block(text: str, counts: str) -> str:
    """``text`` with the block between :data:`COUNTS_START` and :data:`COUNTS_END` replaced by ``counts``.

    Raises
    ------
    InputError
        When the markers are missing.
    """
    start, end = text.find(COUNTS_START), text.find(COUNTS_END)
    if start < 0 or end < start:
        raise InputError(f"the document has no counts block: add the lines {COUNTS_START!r} and {COUNTS_END!r}")
    return text[: start + len(COUNTS_START)] + "\n" + counts + "\n" + text[end:]


def write_catalog_counts(paths: list[Path], catalog: str | os.PathLike = CATALOG_PATH) -> list[Path]:
    """Regenerate the counts block of each document in ``paths`` from the catalog at ``catalog``.

    Raises
    ------
    InputError
        When a document is missing (an installed copy has no ``docs/``) or has no counts block.
    """
    from layout.tables.files import atomic_write

    if missing := [str(p) for p in paths if not Path(p).is_file()]:
        raise InputError(f"no such document: {', '.join(missing)}; run catalog-counts in a source checkout")
    counts = catalog_counts_markdown(read_catalog_table(catalog))
    for path in paths:
        text = replace_counts_block(Path(path).read_text(encoding="utf-8"), counts)

        def write(tmp: Path, text: str = text) -> None:
            tmp.write_text(text, encoding="utf-8")

        atomic_write(path, write, backup=False)
    return paths
