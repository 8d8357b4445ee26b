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
from layout.geo.crs import bd09_to_wgs84, gcj02_to_wgs84, lonlat_problem, parse_number
from layout.i18n import error_text, reason_text, t
from layout.plan.text import quote_in_plan, squash
from layout.plan.zones import POLYGON_COUNTIES
from layout.tables.read import decode_csv_bytes

__all__ = ["ERROR", "Problem", "WARNING", "name_in_quote", "summarize", "validate_catalog", "validate_catalog_bytes"]

ERROR, WARNING = "error", "warning"
ID_PATTERN = re.compile(r"^P\d{3,}$")
REQUIRED = ("id", "name", "sector", "county", "precision", "plan_quote")
_SCIENTIFIC = re.compile(r"^[+-]?\d+(\.\d*)?[eE][+-]?\d+$")
_DECIMAL_COMMA = re.compile(r"^[+-]?\d+,\d+$")
_SHIFTS = (("GCJ-02", gcj02_to_wgs84), ("BD-09", bd09_to_wgs84))


@dataclass(frozen=True)
class Problem:
    """One problem: file ``line`` (header = 1), ``column`` ("" for a whole line or the file), and the fix.

    ``message`` and ``fix`` are English; ``code`` and ``args`` give them in any language (:meth:`text`).
    """

    line: int
    column: str
    severity: str  # "error" or "warning"
    message: str
    fix: str
    code: str = ""
    args: dict = field(default_factory=dict, compare=False)

    def message_text(self, lang: str = "en") -> str:
        """What is wrong, in ``lang``."""
        return _val_text(f"val.{self.code}", self.args, lang) if self.code else self.message

    def fix_text(self, lang: str = "en") -> str:
        """The fix, in ``lang``."""
        return _val_text(str(self.args.get("_fix", f"val.{self.code}.fix")), self.args, lang) if self.code else self.fix

    def text(self, lang: str = "en") -> str:
        """The problem in one line, in ``lang``: line, column, severity, what is wrong, the fix."""
        return t(
            "cli.validate.line",
            lang,
            line=self.line,
            column=t("cli.validate.column", lang, column=self.column) if self.column else "",
            severity=t(f"cli.validate.{self.severity}", lang),
            message=self.message_text(lang),
            fix=self.fix_text(lang),
        )

    def __str__(self) -> str:
        return self.text("en")

    def to_dict(self, lang: str = "en") -> dict:
        """line, column, severity, message, fix (in ``lang``) and code."""
        return {
            "line": self.line,
            "column": self.column,
            "severity": self.severity,
            "message": self.message_text(lang),
            "fix": self.fix_text(lang),
            "code": self.code,
        }


def _val_text(key: str, args: dict, lang: str) -> str:
    values = {k: error_text(v, lang) if isinstance(v, BaseException) else v for k, v in args.items() if k != "_fix"}
    if key == "val.lonlat":  # a coordinate pair's reason, as the batch check words it
        return reason_text(str(values.pop("reason")), values, lang)
    return t(key, lang, **values)


def _problem(line: int, column: str, severity: str, code: str, /, **args: object) -> Problem:
    """A problem from its i18n code (``val.<code>``, fix ``val.<code>.fix`` or ``_fix``) and arguments."""
    problem = Problem(line, column, severity, "", "", code, args)
    return Problem(line, column, severity, problem.message_text("en"), problem.fix_text("en"), code, args)


def _suggest(value: str, allowed: list[str]) -> dict[str, str]:
    """The arguments of a "not allowed" problem's fix: the closest allowed value, when there is one."""
    close = difflib.get_close_matches(value, allowed, n=1, cutoff=0.4)
    fix = "val.not_allowed.fix_close" if close else "val.not_allowed.fix"
    return {"allowed": ", ".join(allowed), "close": close[0] if close else "", "_fix": fix}


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
        problems.append(_problem(1, "", WARNING, "enc_bom"))
    elif encoding == "gb18030":
        problems.append(_problem(1, "", WARNING, "enc_gbk"))
    if "\r\n" in text:
        problems.append(_problem(1, "", WARNING, "crlf"))
    return problems


def _check_header(header: list[str]) -> tuple[list[Problem], list[str]]:
    problems, names = [], [h.strip() for h in header]
    for raw, name in zip(header, names, strict=True):
        if raw != name:
            problems.append(_problem(1, name, WARNING, "header_spaces", raw=raw, name=name))
    for name in sorted({n for n in names if names.count(n) > 1}):
        problems.append(_problem(1, name, ERROR, "header_dup", name=name, n=names.count(name)))
    for pos, name in enumerate(COLUMNS, start=1):
        if name not in names:
            problems.append(_problem(1, name, ERROR, "header_missing", name=name, pos=pos, columns=",".join(COLUMNS)))
    for name in names:
        if name not in COLUMNS:
            problems.append(_problem(1, name, WARNING, "header_extra", name=name))
    known = [n for n in names if n in COLUMNS]
    if known != [c for c in COLUMNS if c in known]:
        problems.append(_problem(1, "", WARNING, "header_order", known=",".join(known), columns=",".join(COLUMNS)))
    return problems, names


def _parse_coordinate(line: int, column: str, text: str) -> tuple[float | None, list[Problem]]:
    """The value of a lon/lat cell and what is wrong with it (None when it is unusable)."""
    if _SCIENTIFIC.match(text):
        return None, [_problem(line, column, ERROR, "coord_scientific", text=text)]
    if _DECIMAL_COMMA.match(text):
        return None, [_problem(line, column, ERROR, "coord_comma", text=text, fixed=text.replace(",", "."))]
    try:
        value = parse_number(text)
    except InputError as exc:
        if exc.code == "cell":  # the batch check's reason: 纬度“abc”不是数字 / latitude 'abc' is not a number
            reason = {**exc.args_, "which": column, "_fix": "val.coord_bad.fix"}
            return None, [_problem(line, column, ERROR, "lonlat", **reason)]
        return None, [_problem(line, column, ERROR, "coord_bad", column=column, error=exc)]
    problems = []
    ascii_text = unicodedata.normalize("NFKC", text)
    if ascii_text != text:
        problems.append(
            _problem(line, column, WARNING, "coord_fullwidth", text=text, fixed=ascii_text.rstrip("°").strip())
        )
    if ascii_text.rstrip().endswith("°"):
        problems.append(
            _problem(line, column, WARNING, "coord_degree", text=text, fixed=ascii_text.rstrip().rstrip("°").strip())
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
            problems.append(_problem(line, column, WARNING, "cell_spaces", raw=raw, fixed=raw.strip()))
    for column in REQUIRED:
        if column in row and not cell[column]:
            problems.append(_problem(line, column, ERROR, "required_empty", column=column))
    rid = cell["id"]
    if rid and not ID_PATTERN.match(rid):
        if rid.isdigit():
            problems.append(_problem(line, "id", ERROR, "id_number", rid=rid, fixed=f"P{int(rid):03d}"))
        else:
            problems.append(_problem(line, "id", ERROR, "id_pattern", rid=rid))
    for column, value in (("id", rid), ("name", cell["name"])):
        if value and value in seen[column]:
            severity = ERROR if column == "id" else WARNING
            problems.append(_problem(line, column, severity, f"dup_{column}", value=value, other=seen[column][value]))
        elif value:
            seen[column][value] = line
    for column, allowed in (
        ("sector", SECTOR_NAMES),
        ("county", COUNTIES),
        ("precision", PRECISIONS),
        ("plan_zone", zone_names),
    ):
        if cell[column] and cell[column] not in allowed:
            problems.append(
                _problem(
                    line,
                    column,
                    ERROR,
                    "not_allowed",
                    column=column,
                    value=cell[column],
                    **_suggest(cell[column], allowed),
                )
            )
    county, precision = cell["county"], cell["precision"]
    if county == CITYWIDE and precision and precision not in ("citywide", "route"):
        problems.append(
            _problem(line, "precision", ERROR, "citywide_precision", citywide=CITYWIDE, precision=precision)
        )
    if precision == "citywide" and county and county != CITYWIDE:
        problems.append(_problem(line, "precision", ERROR, "precision_citywide", county=county, citywide=CITYWIDE))
    if precision == "town" and not cell["town"]:
        problems.append(_problem(line, "town", ERROR, "town_empty"))
    if precision == "site" and not cell["geocode_source"]:
        problems.append(_problem(line, "geocode_source", ERROR, "source_empty"))
    if cell["plan_quote"] and not quote_in_plan(cell["plan_quote"]):
        problems.append(_problem(line, "plan_quote", ERROR, "quote_not_verbatim"))
    elif cell["name"] and cell["plan_quote"] and not name_in_quote(cell["name"], cell["plan_quote"]):
        problems.append(_problem(line, "name", WARNING, "name_not_in_quote", name=cell["name"]))
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
        return [_problem(line, "lon", ERROR, "no_point_given", precision=precision)], None
    if not lon_text and not lat_text:
        if precision in POINT_PRECISIONS:
            problems.append(_problem(line, "lon", ERROR, "needs_point", precision=precision))
        return problems, None
    for column, text in (("lon", lon_text), ("lat", lat_text)):
        if not text:
            other = "lat" if column == "lon" else "lon"
            problems.append(_problem(line, column, ERROR, "one_empty", column=column, other=other))
    if problems:
        return problems, None
    lon, lon_problems = _parse_coordinate(line, "lon", lon_text)
    lat, lat_problems = _parse_coordinate(line, "lat", lat_text)
    problems += lon_problems + lat_problems
    if lon is None or lat is None:
        return problems, None
    if problem := lonlat_problem(lon, lat):
        reason, args = problem
        fix = "val.lonlat.fix_swap" if reason == "swapped" else "val.lonlat.fix"
        return [*problems, _problem(line, "lon", ERROR, "lonlat", reason=reason, **args, _fix=fix)], None
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
                    _problem(
                        lines[i],
                        "lon",
                        ERROR,
                        "shifted",
                        label=label,
                        county=shifted[label][k],
                        x=f"{x:.6f}",
                        y=f"{y:.6f}",
                    )
                )
                break
        else:
            point = {"lon": f"{lon[k]:g}", "lat": f"{lat[k]:g}"}
            if pd.isna(got):
                near, km = found["nearest_county"].iloc[k], found["distance_km"].iloc[k]
                problems.append(_problem(lines[i], "lon", ERROR, "outside", **point, km=f"{km:g}", near=near))
            else:
                problems.append(_problem(lines[i], "lon", ERROR, "other_county", **point, got=got, where=where))
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
                _problem(
                    lines[i],
                    "plan_zone",
                    ERROR,
                    "zone_mismatch",
                    zone=row.plan_zone,
                    where=where,
                    computed=", ".join(computed),
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
        return [_problem(1, "", ERROR, "decode", error=exc)]
    problems = _check_encoding(decoded.encoding, decoded.text)
    records = _records(decoded.text)
    if not records or not any(records[0][1]):
        return [
            *problems,
            _problem(1, "", ERROR, "no_header", columns=",".join(COLUMNS)),
        ]
    header_problems, names = _check_header(records[0][1])
    problems += header_problems
    seen: dict[str, dict[str, int]] = {"id": {}, "name": {}}
    zone_names = zone_ids()
    lines, rows, cells, points = [], [], [], []
    for line, record in records[1:]:
        if not any(cell.strip() for cell in record):
            problems.append(_problem(line, "", WARNING, "blank_line" if not record else "empty_row"))
            continue
        if len(record) != len(names):
            problems.append(_problem(line, "", ERROR, "cell_count", n=len(record), m=len(names)))
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
        raise InputError(f"{path}: no such file", code="catalog_missing", path=str(path))
    return validate_catalog_bytes(path.read_bytes(), name=path.name)


def summarize(problems: list[Problem], lang: str = "en") -> str:
    """ "2 errors, 1 warning" (or "no problems"), in ``lang``."""
    errors = sum(p.severity == ERROR for p in problems)
    warnings = len(problems) - errors
    if not problems:
        return t("cli.validate.none", lang)
    if lang == "zh":
        return t("cli.validate.counts", lang, errors=errors, warnings=warnings)
    return f"{errors} error{'s' * (errors != 1)}, {warnings} warning{'s' * (warnings != 1)}"
