"""Checking a project catalog: every problem gathered and reported once, as data.

Each :class:`Problem` names the file line (header = line 1, as an editor shows it), the column, what is
wrong and the fix. The CLI prints them; the app shows them as a table. Validation only reads: the
file is never modified, and a bad row is reported, never dropped.
"""

from __future__ import annotations

import csv
import difflib
import io
import os
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from layout.catalog.gazetteer import CITYWIDE
from layout.catalog.projects import (
    CATALOG_PATH,
    COLUMNS,
    COUNTIES,
    POINT_PRECISIONS,
    PRECISIONS,
    SECTOR_NAMES,
    catalog_to_geodataframe,
    zone_ids,
)
from layout.errors import InputError
from layout.geo.boundaries import expand_counties
from layout.geo.crs import bd09_to_wgs84, check_lonlat, gcj02_to_wgs84, lonlat_problem, parse_number
from layout.plan.text import quote_in_plan, squash
from layout.plan.zones import POLYGON_COUNTIES
from layout.tables.read import decode_csv_bytes

__all__ = ["ERROR", "Problem", "WARNING", "name_in_quote", "summarize", "validate_catalog", "validate_catalog_bytes"]

ERROR, WARNING = "error", "warning"
ID_PATTERN = re.compile(r"^P\d{3,}$")
REQUIRED = ("id", "name", "sector", "county", "precision", "plan_quote")
_SCIENTIFIC = re.compile(r"^[+-]?\d+(\.\d*)?[eE][+-]?\d+$")
_DECIMAL_COMMA = re.compile(r"^[+-]?\d+,\d+$")
_SHIFTS = (("GCJ-02 (高德)", gcj02_to_wgs84), ("BD-09 (百度)", bd09_to_wgs84))


@dataclass(frozen=True)
class Problem:
    """One problem: file ``line`` (header = 1), ``column`` ("" for a whole line or the file), and the fix.

    ``code`` and ``args`` (when set) word the message and fix in the reader's language: ``layout.i18n``'s
    ``err.cat_<code>`` string (the 规划编制 page's problem list); ``message`` and ``fix`` stay English.
    """

    line: int
    column: str
    severity: str  # "error" or "warning"
    message: str
    fix: str
    code: str = ""
    args: dict = field(default_factory=dict, compare=False)

    def __str__(self) -> str:
        where = f"line {self.line}" + (f", {self.column}" if self.column else "")
        return f"{where}: {self.severity}: {self.message} (fix: {self.fix})"

    def to_dict(self) -> dict:
        return {k: getattr(self, k) for k in ("line", "column", "severity", "message", "fix")}


def _suggest(value: str, allowed: list[str]) -> str:
    close = difflib.get_close_matches(value, allowed, n=1, cutoff=0.4)
    return (f"did you mean {close[0]!r}? " if close else "") + f"allowed: {', '.join(allowed)}"


def _records(text: str) -> list[tuple[int, list[str]]]:
    """(start line, cells) for every CSV record, blank lines included (as empty lists)."""
    reader = csv.reader(io.StringIO(text, newline=""))
    out, line = [], 1
    for record in reader:
        out.append((line, record))
        line = reader.line_num + 1
    return out


def _check_encoding(encoding: str, text: str) -> list[Problem]:
    problems = []
    if encoding == "utf-8-sig":
        problems.append(
            Problem(
                1,
                "",
                WARNING,
                "the file starts with a UTF-8 byte-order mark (BOM)",
                "save it as UTF-8 without BOM (UTF-8 is canonical; Excel's 'CSV UTF-8' adds a BOM)",
            )
        )
    elif encoding == "gb18030":
        problems.append(
            Problem(
                1,
                "",
                WARNING,
                "the file is encoded in GBK/GB18030, not UTF-8",
                "save it as UTF-8 without BOM (e.g. an editor's 'Save with encoding: UTF-8')",
            )
        )
    if "\r\n" in text:
        problems.append(Problem(1, "", WARNING, "lines end in CRLF (Windows)", "save it with LF (\\n) line ends"))
    return problems


def _check_header(header: list[str]) -> tuple[list[Problem], list[str]]:
    problems, names = [], [h.strip() for h in header]
    for raw, name in zip(header, names, strict=True):
        if raw != name:
            problems.append(
                Problem(1, name, WARNING, f"column name {raw!r} has stray spaces", f"rename it to {name!r}")
            )
    for name in sorted({n for n in names if names.count(n) > 1}):
        problems.append(
            Problem(
                1, name, ERROR, f"column {name!r} appears {names.count(name)} times", "keep one column of each name"
            )
        )
    for pos, name in enumerate(COLUMNS, start=1):
        if name not in names:
            problems.append(
                Problem(
                    1,
                    name,
                    ERROR,
                    f"column {name!r} is missing",
                    f"add it as column {pos} (its cells may be empty); columns: {','.join(COLUMNS)}",
                )
            )
    for name in names:
        if name not in COLUMNS:
            problems.append(
                Problem(
                    1,
                    name,
                    WARNING,
                    f"column {name!r} is not part of the catalog schema",
                    "remove it, or move what it holds into notes",
                )
            )
    known = [n for n in names if n in COLUMNS]
    if known != [c for c in COLUMNS if c in known]:
        problems.append(
            Problem(
                1, "", WARNING, f"columns are out of order: {','.join(known)}", f"order them as {','.join(COLUMNS)}"
            )
        )
    return problems, names


def _parse_coordinate(line: int, column: str, text: str) -> tuple[float | None, list[Problem]]:
    """The value of a lon/lat cell and what is wrong with it (None when it is unusable)."""
    if _SCIENTIFIC.match(text):
        return None, [
            Problem(
                line,
                column,
                ERROR,
                f"{text!r} looks like Excel scientific notation: digits were lost",
                "type the full coordinate again (e.g. 112.35028) and format the column as text",
                code="scientific",
                args={"column": column, "value": text},
            )
        ]
    if _DECIMAL_COMMA.match(text):
        return None, [
            Problem(
                line,
                column,
                ERROR,
                f"{text!r} uses a decimal comma",
                f"write it with a decimal point: {text.replace(',', '.')}",
                code="decimal_comma",
                args={"column": column, "value": text, "fixed": text.replace(",", ".")},
            )
        ]
    try:
        value = parse_number(text)
    except InputError as exc:
        return None, [
            Problem(
                line,
                column,
                ERROR,
                f"{column} {exc}",
                "enter a WGS84 decimal degree, e.g. 112.35028",
                code="number",
                args={"column": column, "error": exc},
            )
        ]
    problems = []
    ascii_text = unicodedata.normalize("NFKC", text)
    if ascii_text != text:
        problems.append(
            Problem(
                line,
                column,
                WARNING,
                f"{text!r} is written with full-width characters",
                f"use ASCII digits: {ascii_text.rstrip('°').strip()}",
            )
        )
    if ascii_text.rstrip().endswith("°"):
        problems.append(
            Problem(
                line,
                column,
                WARNING,
                f"{text!r} ends in a degree sign",
                f"remove the °: {ascii_text.rstrip().rstrip('°').strip()}",
            )
        )
    return value, problems


def _check_row(
    line: int, row: dict[str, str], cell: dict[str, str], seen: dict[str, dict[str, int]], zone_names: list[str]
) -> tuple[list[Problem], tuple[float, float] | None]:
    """Checks that need only the row's own text (``row`` as written, ``cell`` stripped, every column);
    returns its problems and its usable point."""
    problems = []
    for column, raw in row.items():
        if raw != raw.strip():
            problems.append(
                Problem(line, column, WARNING, f"{raw!r} has stray leading/trailing spaces", f"write {raw.strip()!r}")
            )
    for column in REQUIRED:
        if column in row and not cell[column]:
            problems.append(
                Problem(
                    line,
                    column,
                    ERROR,
                    f"{column} is empty",
                    f"fill in {column}",
                    code="empty",
                    args={"column": column},
                )
            )
    rid = cell["id"]
    if rid and not ID_PATTERN.match(rid):
        fix = f"write P{int(rid):03d}" if rid.isdigit() else "ids look like P001, P002 …"
        what = "looks like Excel turned the id into a number" if rid.isdigit() else "should look like P001"
        code, args = (
            ("id_number", {"value": rid, "fixed": f"P{int(rid):03d}"}) if rid.isdigit() else ("id", {"value": rid})
        )
        problems.append(Problem(line, "id", ERROR, f"id {rid!r} {what}", fix, code=code, args=args))
    for column, value in (("id", rid), ("name", cell["name"])):
        if value and value in seen[column]:
            severity, fix = (
                (ERROR, "give each row its own id")
                if column == "id"
                else (WARNING, "merge the two rows, or tell them apart in name")
            )
            problems.append(
                Problem(
                    line,
                    column,
                    severity,
                    f"duplicate {column} {value!r} (also on line {seen[column][value]})",
                    fix,
                    code=f"duplicate_{column}",
                    args={"value": value, "other": seen[column][value]},
                )
            )
        elif value:
            seen[column][value] = line
    for column, allowed in (
        ("sector", SECTOR_NAMES),
        ("county", COUNTIES),
        ("precision", PRECISIONS),
        ("plan_zone", zone_names),
    ):
        if cell[column] and cell[column] not in allowed:
            close = difflib.get_close_matches(cell[column], allowed, n=1, cutoff=0.4)
            problems.append(
                Problem(
                    line,
                    column,
                    ERROR,
                    f"{column} {cell[column]!r} is not allowed",
                    _suggest(cell[column], allowed),
                    code="not_allowed_close" if close else "not_allowed",
                    args={
                        "column": column,
                        "value": cell[column],
                        "close": close[0] if close else "",
                        "allowed": ", ".join(allowed),
                    },
                )
            )
    county, precision = cell["county"], cell["precision"]
    if county == CITYWIDE and precision and precision not in ("citywide", "route"):
        problems.append(
            Problem(
                line,
                "precision",
                ERROR,
                f"county is {CITYWIDE} but precision is {precision!r}",
                "set precision to citywide (or route for a themed route), or name the county the row is in",
                code="citywide_precision",
                args={"citywide": CITYWIDE, "precision": precision},
            )
        )
    if precision == "citywide" and county and county != CITYWIDE:
        problems.append(
            Problem(
                line,
                "precision",
                ERROR,
                f"precision is citywide but county is {county}",
                f"set precision to county, or county to {CITYWIDE}",
                code="precision_citywide",
                args={"citywide": CITYWIDE, "county": county},
            )
        )
    if precision == "town" and not cell["town"]:
        problems.append(
            Problem(
                line,
                "town",
                ERROR,
                "precision is town but town is empty",
                "fill in the township (镇/乡/街道), or set precision to county",
                code="town_empty",
            )
        )
    if precision == "site" and not cell["geocode_source"]:
        problems.append(
            Problem(
                line,
                "geocode_source",
                ERROR,
                "precision is site but geocode_source is empty",
                "say where the point came from, e.g. 'GPS survey' or '高德 POI, converted to WGS84'",
                code="site_source",
            )
        )
    if cell["plan_quote"] and not quote_in_plan(cell["plan_quote"]):
        problems.append(
            Problem(
                line,
                "plan_quote",
                ERROR,
                "plan_quote is not verbatim in the plan",
                "copy the sentence from layout/plan/plan.txt (only whitespace may differ)",
                code="quote",
            )
        )
    elif cell["name"] and cell["plan_quote"] and not name_in_quote(cell["name"], cell["plan_quote"]):
        problems.append(
            Problem(
                line,
                "name",
                WARNING,
                f"name {cell['name']!r} does not occur in its plan_quote",
                "use the plan's own wording for name, or quote the sentence that names it",
            )
        )
    coordinate_problems, point = _check_coordinates(line, row, cell)
    return problems + coordinate_problems, point


def name_in_quote(name: str, quote: str) -> bool:
    """Whether ``quote`` names ``name``: verbatim, or as one member of a coordination sharing its head noun
    ("赫山和马良农贸市场" names 赫山农贸市场 and 马良农贸市场; at most 8 characters between 和/、/及/与 and
    the head)."""
    name, quote = squash(name), squash(quote)
    if name in quote:
        return True
    return any(
        re.search(re.escape(name[:k]) + "[和、及与].{1,8}?" + re.escape(name[k:]), quote) for k in range(1, len(name))
    )


def _check_coordinates(
    line: int, row: dict[str, str], cell: dict[str, str]
) -> tuple[list[Problem], tuple[float, float] | None]:
    if "lon" not in row or "lat" not in row:
        return [], None
    problems: list[Problem] = []
    precision, lon_text, lat_text = cell["precision"], cell["lon"], cell["lat"]
    if precision in ("citywide", "route") and (lon_text or lat_text):
        return [
            Problem(
                line,
                "lon",
                ERROR,
                f"a {precision} row has no point, but lon/lat are given",
                "clear lon and lat, or set precision and county to where the point is",
                code="point_not_wanted",
                args={"precision": precision},
            )
        ], None
    if not lon_text and not lat_text:
        if precision in POINT_PRECISIONS:
            problems.append(
                Problem(
                    line,
                    "lon",
                    ERROR,
                    f"precision {precision} needs lon and lat, both are empty",
                    "run `python -m layout geocode-catalog`, or enter WGS84 coordinates",
                    code="point_missing",
                    args={"precision": precision},
                )
            )
        return problems, None
    for column, text in (("lon", lon_text), ("lat", lat_text)):
        if not text:
            other = "lat" if column == "lon" else "lon"
            problems.append(
                Problem(
                    line,
                    column,
                    ERROR,
                    f"{column} is empty while {other} is given",
                    f"enter both lon and lat, or clear {other}",
                    code="one_empty",
                    args={"column": column, "other": other},
                )
            )
    if problems:
        return problems, None
    lon, lon_problems = _parse_coordinate(line, "lon", lon_text)
    lat, lat_problems = _parse_coordinate(line, "lat", lat_text)
    problems += lon_problems + lat_problems
    if lon is None or lat is None:
        return problems, None
    if problem := check_lonlat(lon, lat):
        fix = "swap lon and lat" if problem.startswith("looks swapped") else "enter WGS84 decimal degrees"
        reason, values = lonlat_problem(lon, lat) or ("", {})
        return [
            *problems,
            Problem(line, "lon", ERROR, problem, fix, code="lonlat", args={"reason": reason, **values}),
        ], None
    return problems, (lon, lat)


def _check_places(
    lines: list[int], cells: list[dict[str, str]], points: list[tuple[float, float] | None]
) -> list[Problem]:
    """Points inside 益阳 and inside the declared county (大通湖区: 南县 ∪ 沅江市; the area 中心城区: 资阳区 ∪
    赫山区), GCJ-02/BD-09 look-alikes."""
    from layout.geo.classify import classify_points

    placed = [(i, p) for i, p in enumerate(points) if p is not None and cells[i]["county"] in COUNTIES]
    if not placed:
        return []
    idx = [i for i, _ in placed]
    lon = np.array([p[0] for _, p in placed])
    lat = np.array([p[1] for _, p in placed])
    found = classify_points(lon, lat)
    converted = {label: convert(lon, lat) for label, convert in _SHIFTS}
    shifted = {
        label: classify_points(*xy, nearest=False)["county"].astype(object).to_numpy()
        for label, xy in converted.items()
    }
    problems = []
    for k, i in enumerate(idx):
        declared = cells[i]["county"]
        allowed = list(POLYGON_COUNTIES) if declared == CITYWIDE else expand_counties([declared])
        got = found["county"].iloc[k]
        if got in allowed:
            continue
        where = f"{declared} ({' ∪ '.join(allowed)})" if len(allowed) > 1 and declared != CITYWIDE else declared
        for label, _ in _SHIFTS:
            if shifted[label][k] in allowed:
                x, y = converted[label][0][k], converted[label][1][k]
                problems.append(
                    Problem(
                        lines[i],
                        "lon",
                        ERROR,
                        f"looks like {label} coordinates: converted to WGS84 it falls in {shifted[label][k]}",
                        f"replace with WGS84 {x:.6f}, {y:.6f}",
                        code="shifted",
                        args={"crs": label, "county": shifted[label][k], "x": f"{x:.6f}", "y": f"{y:.6f}"},
                    )
                )
                break
        else:
            point = {"lon": f"{lon[k]:g}", "lat": f"{lat[k]:g}"}
            if pd.isna(got):
                near, km = found["nearest_county"].iloc[k], found["distance_km"].iloc[k]
                message = f"{lon[k]:g}, {lat[k]:g} is outside 益阳 ({km:g} km from {near})"
                code, args = "outside", {**point, "km": f"{km:g}", "near": near}
            else:
                message = f"{lon[k]:g}, {lat[k]:g} lies in {got}, not in the declared county {where}"
                code, args = "wrong_county", {**point, "got": got, "where": where}
            problems.append(
                Problem(
                    lines[i],
                    "lon",
                    ERROR,
                    message,
                    "correct the county, or give WGS84 lon, lat inside it",
                    code=code,
                    args=args,
                )
            )
    return problems


def _check_zones(lines: list[int], rows: list[dict[str, str]]) -> list[Problem]:
    """plan_zone must be among the zones/poles computed for the row (from its point or its county)."""
    table = pd.DataFrame([{c: r.get(c, "") for c in COLUMNS} for r in rows], columns=COLUMNS, dtype=object)
    gdf = catalog_to_geodataframe(table)
    problems = []
    for i, row in enumerate(gdf.itertuples()):
        if not row.plan_zone or row.county == CITYWIDE or row.plan_zone not in zone_ids():
            continue
        computed = (*row.zones, *row.poles)
        if computed and row.plan_zone not in computed:
            where = row.computed_county or row.county
            problems.append(
                Problem(
                    lines[i],
                    "plan_zone",
                    ERROR,
                    f"plan_zone {row.plan_zone!r} is not a zone of {where} ({', '.join(computed)})",
                    f"set plan_zone to one of {', '.join(computed)} or leave it empty, or correct the county",
                    code="plan_zone",
                    args={"zone": row.plan_zone, "where": where, "computed": ", ".join(computed)},
                )
            )
    return problems


def validate_catalog_bytes(data: bytes, *, name: str = "projects_catalog.csv") -> list[Problem]:
    """Every problem of the catalog in ``data``, sorted by line.

    Parameters
    ----------
    data
        The file's bytes (UTF-8 canonical; a BOM or GBK/GB18030 gets a warning).
    name
        The file's name, for messages.
    """
    try:
        decoded = decode_csv_bytes(data, name=name)
    except InputError as exc:
        return [Problem(1, "", ERROR, str(exc), "save it as UTF-8")]
    problems = _check_encoding(decoded.encoding, decoded.text)
    records = _records(decoded.text)
    if not records or not any(records[0][1]):
        return [
            *problems,
            Problem(1, "", ERROR, "the file has no header row", f"the first line should be: {','.join(COLUMNS)}"),
        ]
    header_problems, names = _check_header(records[0][1])
    problems += header_problems
    seen: dict[str, dict[str, int]] = {"id": {}, "name": {}}
    zone_names = zone_ids()
    lines, rows, cells, points = [], [], [], []
    for line, record in records[1:]:
        if not any(cell.strip() for cell in record):
            what = "blank line" if not record else "empty row (only commas)"
            problems.append(Problem(line, "", WARNING, what, "delete the line"))
            continue
        if len(record) != len(names):
            problems.append(
                Problem(
                    line,
                    "",
                    ERROR,
                    f"{len(record)} cells, but the header has {len(names)}",
                    'quote cells that contain a comma ("112,35" → 112.35), or remove stray commas',
                )
            )
            continue
        row = dict(zip(names, record, strict=True))
        cell = {c: row.get(c, "").strip() for c in COLUMNS}
        row_problems, point = _check_row(line, row, cell, seen, zone_names)
        problems += row_problems
        lines.append(line)
        rows.append(row)
        cells.append(cell)
        points.append(point)
    problems += _check_places(lines, cells, points)
    bad_lines = {p.line for p in problems if p.severity == ERROR and p.column in ("lon", "lat", "county")}
    keep = [i for i, line in enumerate(lines) if line not in bad_lines]
    if keep and "plan_zone" in names:
        problems += _check_zones([lines[i] for i in keep], [rows[i] for i in keep])
    return sorted(problems, key=lambda p: p.line)


def validate_catalog(path: str | os.PathLike = CATALOG_PATH) -> list[Problem]:
    """Every problem of the catalog file at ``path`` (read only, never modified).

    Raises
    ------
    InputError
        When the file does not exist.
    """
    path = Path(path)
    if not path.is_file():
        raise InputError(f"{path}: no such file")
    return validate_catalog_bytes(path.read_bytes(), name=path.name)


def summarize(problems: list[Problem]) -> str:
    """ "2 errors, 1 warning" (or "no problems")."""
    errors = sum(p.severity == ERROR for p in problems)
    warnings = len(problems) - errors
    if not problems:
        return "no problems"
    return f"{errors} error{'s' * (errors != 1)}, {warnings} warning{'s' * (warnings != 1)}"
