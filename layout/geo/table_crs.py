"""Which coordinate system a table uses, decided once per table (``crs="auto"``), and one point typed
or pasted by a person.

Degrees are taken as WGS84 (no number can tell GPS degrees from 高德's), metres as CGCS2000 Gauss-Krüger
(3° and 6° zones) with the zone from the prefix, or, with no prefix, the central meridian (111°E or
114°E) that puts the points around 益阳. The decision is returned with the reason, so the caller can
report it.

Compute only: text cells in, arrays out; no files, no printing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache

import numpy as np
import pandas as pd
from numpy.typing import NDArray
from pyproj import CRS, Transformer

from layout.errors import InputError
from layout.geo.crs import CRS_NAMES, check_crs, to_wgs84
from layout.geo.notation import CellError, Problem, parse_angle, parse_column, point_axis, shorten, split_point

YIYANG_BOX = (110.4, 27.6, 113.4, 29.9)  # 益阳's bounding box with ~30 km to spare (WGS84)
PLACEHOLDER = 1e-9  # |lon| and |lat| below this: (0, 0), the usual stand-in for "missing"
TABLE_CRS = ("auto", *CRS_NAMES)

# -- the table's coordinate system -----------------------------------------------------------


def check_table_crs(crs: str) -> str:
    """``auto``, a name of :data:`layout.geo.crs.CRS_NAMES`, or ``EPSG:NNNN`` (normalised).

    Raises
    ------
    InputError
        For anything else, naming the accepted values.
    """
    text = str(crs).strip()
    if text.lower() in ("auto", "", "自动"):
        return "auto"
    m = re.fullmatch(r"(?i)epsg\s*:?\s*(\d{4,6})", text)
    if m:
        code = int(m.group(1))
        if code in (4326, 4490):
            return "wgs84" if code == 4326 else "cgcs2000"
        try:
            CRS.from_epsg(code)
        except Exception:  # pyproj raises CRSError for unknown codes
            raise InputError(
                f"crs EPSG:{code} is not a known coordinate system", code="crs_unknown", crs=f"EPSG:{code}"
            ) from None
        return f"EPSG:{code}"
    try:
        return check_crs(text)
    except InputError:
        raise InputError(
            f"crs should be auto, {', '.join(CRS_NAMES)} or EPSG:NNNN, got {shorten(text)!r}",
            code="crs_bad",
            crs=shorten(text),
        ) from None


@cache
def _to_wgs84(epsg: str) -> Transformer:
    return Transformer.from_crs(epsg, "EPSG:4326", always_xy=True)


@dataclass
class CrsDecision:
    """How a table's numbers were read: the system used and why (``code``/``args`` for layout.i18n)."""

    crs: str  # wgs84, gcj02, bd09, cgcs2000 or EPSG:NNNN (for metres: the zone's EPSG)
    code: str  # crs.degrees_assumed, crs.given, crs.gk_prefix, crs.gk_cm, crs.mixed …
    args: dict = field(default_factory=dict)


@dataclass
class Points:
    """A table's coordinates in WGS84, one per row, with a problem for every row that has none."""

    lon: NDArray[np.float64]
    lat: NDArray[np.float64]
    problems: dict[int, Problem]
    decision: CrsDecision
    notations: dict[str, int]


def _gk_epsg(zone: int) -> int | None:
    """CGCS2000 Gauss-Krüger EPSG code of a zone number prefixed to the easting (6°: 13–23, 3°: 25–45)."""
    if 13 <= zone <= 23:
        return 4491 + zone - 13
    if 25 <= zone <= 45:
        return 4513 + zone - 25
    return None


def _is_geographic(crs: str) -> bool:
    return not crs.startswith("EPSG:") or CRS.from_user_input(crs).is_geographic


def _geo_note(crs: str) -> str:
    name = CRS.from_user_input(crs).name
    if "xian 1980" in name.lower() or "beijing 1954" in name.lower():
        return "old_datum"
    return ""


def _near_yiyang(lon: NDArray, lat: NDArray) -> int:
    x0, y0, x1, y1 = YIYANG_BOX
    return int(((lon >= x0) & (lon <= x1) & (lat >= y0) & (lat <= y1)).sum())


def locate_points(
    first: NDArray,
    second: NDArray,
    problems: dict[int, Problem],
    *,
    crs: str = "auto",
    notations: dict[str, int] | None = None,
) -> Points:
    """WGS84 points from the two numbers of each row (longitude/latitude or metres), and why.

    Parameters
    ----------
    first, second
        The numbers as the table gives them (first = the longitude / X / first half of a pair column).
    problems
        Rows already unreadable (kept, and no point given to them).
    crs
        ``auto`` (decide from the values), a name of ``CRS_NAMES``, or ``EPSG:NNNN``.

    Raises
    ------
    InputError
        When the values are metres with no zone prefix and neither 111°E nor 114°E puts them near 益阳
        (the user must choose the EPSG code), or a geographic crs is given for a table of metres only.
    """
    crs = check_table_crs(crs)
    n = len(first)
    problems = dict(problems)
    lon, lat = np.full(n, np.nan), np.full(n, np.nan)
    ok = np.isfinite(first) & np.isfinite(second)
    for i in np.flatnonzero(~ok):
        problems.setdefault(int(i), ("not_finite", {}))
    big = ok & (np.maximum(np.abs(first), np.abs(second)) > 1000.0)
    deg = ok & ~big
    given_projected = crs.startswith("EPSG:") and not _is_geographic(crs)
    decision = (
        CrsDecision(crs="wgs84", code="crs.degrees_assumed", args={"rows": 0})
        if crs == "auto"
        else CrsDecision(crs=crs, code="crs.given", args={"crs": crs})
    )

    # Degrees: ranges, swapped pairs, (0, 0)
    if given_projected:
        for i in np.flatnonzero(deg):
            problems[int(i)] = ("degrees_in_metres", {"a": _num(first[i]), "b": _num(second[i]), "crs": crs})
        deg = np.zeros(n, dtype=bool)
    if deg.any():
        a, b = first[deg], second[deg]
        rows = np.flatnonzero(deg)
        swapped = (b >= 73) & (b <= 136) & (a >= 3) & (a <= 54)
        zero = (np.abs(a) < PLACEHOLDER) & (np.abs(b) < PLACEHOLDER)
        bad_lon = np.abs(a) > 180
        bad_lat = np.abs(b) > 90
        for mask, code in (
            (swapped, "swapped"),
            (zero, "placeholder"),
            (bad_lon & ~swapped, "lon_range"),
            (bad_lat & ~swapped & ~bad_lon, "lat_range"),
        ):
            for j in np.flatnonzero(mask):
                problems.setdefault(int(rows[j]), (code, {"a": _num(a[j]), "b": _num(b[j])}))
        good = ~(swapped | zero | bad_lon | bad_lat)
        use = rows[good]
        geo_crs = "wgs84" if crs == "auto" else crs
        if use.size:
            if geo_crs.startswith("EPSG:"):
                x, y = _to_wgs84(geo_crs).transform(first[use], second[use])
            else:
                x, y = to_wgs84(first[use], second[use], geo_crs)
            lon[use], lat[use] = x, y
        if crs == "auto":
            decision = CrsDecision(crs="wgs84", code="crs.degrees_assumed", args={"rows": int(deg.sum())})

    # Metres: Gauss-Krüger, the zone from the prefix or from where the points fall
    if big.any():
        if crs != "auto" and crs != "cgcs2000" and not given_projected:
            for i in np.flatnonzero(big):
                problems[int(i)] = ("metres_in_degrees", {"a": _num(first[i]), "b": _num(second[i]), "crs": crs})
        else:
            decision = _locate_metres(first, second, big, crs, lon, lat, problems, degrees=int(deg.sum()))
    for row in [k for k in problems if np.isfinite(lon[k])]:
        problems.pop(row)
    return Points(lon=lon, lat=lat, problems=problems, decision=decision, notations=notations or {})


def _num(v: float) -> str:
    return f"{v:.10g}"


def _locate_metres(
    first: NDArray,
    second: NDArray,
    big: NDArray,
    crs: str,
    lon: NDArray,
    lat: NDArray,
    problems: dict[int, Problem],
    *,
    degrees: int,
) -> CrsDecision:
    rows = np.flatnonzero(big)
    a, b = first[rows], second[rows]
    # Easting/northing by magnitude: a zone-prefixed easting is ≥ 10,000,000; else the northing is larger
    prefixed_a, prefixed_b = a >= 1e7, b >= 1e7
    east = np.where(prefixed_a | (~prefixed_b & (a < b)), a, b)
    north = np.where(prefixed_a | (~prefixed_b & (a < b)), b, a)
    if crs.startswith("EPSG:"):
        x, y = _to_wgs84(crs).transform(east, north)
        lon[rows], lat[rows] = x, y
        note = _geo_note(crs)
        return CrsDecision(crs=crs, code="crs.given_old" if note else "crs.given", args={"crs": crs})
    prefixed = east >= 1e7
    zones = np.floor(east / 1e6).astype(np.int64)
    used: dict[int, int] = {}
    for zone in np.unique(zones[prefixed]):
        epsg = _gk_epsg(int(zone))
        sel = prefixed & (zones == zone)
        if epsg is None:
            for j in np.flatnonzero(sel):
                problems[int(rows[j])] = ("gk_zone_bad", {"zone": int(zone), "a": _num(a[j]), "b": _num(b[j])})
            continue
        x, y = _to_wgs84(f"EPSG:{epsg}").transform(east[sel], north[sel])
        lon[rows[sel]], lat[rows[sel]] = x, y
        used[epsg] = int(sel.sum())
    plain = ~prefixed
    chosen = None
    if plain.any():
        best = {}
        for epsg in (4546, 4547):  # 3° zones CM 111°E and 114°E (the 6° zone 19, CM 111°E, is the same numbers)
            x, y = _to_wgs84(f"EPSG:{epsg}").transform(east[plain], north[plain])
            best[epsg] = (_near_yiyang(np.asarray(x), np.asarray(y)), x, y)
        chosen = max(best, key=lambda k: best[k][0])
        other = 4547 if chosen == 4546 else 4546
        if best[chosen][0] == 0 or best[chosen][0] == best[other][0]:
            raise InputError(
                f"{int(plain.sum())} rows hold metres with no zone prefix, and neither CGCS2000 3-degree "
                "Gauss-Kruger CM 111E (EPSG:4546) nor CM 114E (EPSG:4547) puts them near Yiyang; choose the "
                "coordinate system (CLI: --crs EPSG:NNNN)",
                code="gk_undecided",
                rows=int(plain.sum()),
            )
        lon[rows[plain]], lat[rows[plain]] = best[chosen][1], best[chosen][2]
        used[chosen] = int(plain.sum())
        args = {
            "epsg": f"EPSG:{chosen}",
            "cm": "111°E" if chosen == 4546 else "114°E",
            "near": best[chosen][0],
            "rows": int(plain.sum()),
        }
    if chosen is not None and len(used) == 1:
        return CrsDecision(crs=f"EPSG:{chosen}", code="crs.gk_cm", args=args | {"degrees": degrees})
    codes = ", ".join(f"EPSG:{k}" for k in sorted(used))
    return CrsDecision(
        crs=codes, code="crs.gk_prefix", args={"epsg": codes, "rows": int(sum(used.values())), "degrees": degrees}
    )


def parse_coordinates(lon_cells: pd.Series, lat_cells: pd.Series) -> tuple[NDArray, NDArray, list[str]]:
    """Decimal-degree WGS84 cells to floats; NaN and an English one-line reason for a row that cannot be used.

    The catalog's reader (its lon/lat columns are WGS84 decimal degrees by definition).
    """
    from layout.i18n import reason_text

    a, pa, _ = parse_column(lon_cells)
    b, pb, _ = parse_column(lat_cells)
    problems = {i: (code, args | {"which": "lon"}) for i, (code, args) in pa.items()}
    for i, (code, args) in pb.items():
        problems.setdefault(i, (code, args | {"which": "lat"}))
    points = locate_points(a, b, problems, crs="wgs84")
    errors = [""] * len(a)
    for i, (code, args) in points.problems.items():
        errors[i] = reason_text(code, args, "en")
    return points.lon, points.lat, errors


def read_point(first_text: str, second_text: str = "", crs: str = "wgs84") -> tuple[float, float, CrsDecision]:
    """One point as a person types it, read as the batch check reads a table's row: decimal degrees, 度分秒,
    a whole pasted pair in ``first_text`` (``second_text`` empty), hemisphere letters deciding which is the
    latitude, Gauss-Krüger metres with or without the zone prefix in either order (``crs`` ``auto``,
    ``cgcs2000`` or ``EPSG:NNNN``).

    Returns
    -------
    tuple
        WGS84 longitude and latitude, and how the numbers were read.

    Raises
    ------
    InputError
        ``code="cell"`` with the batch check's ``reason`` (``not_number``, ``swapped``, ``lon_range`` …).
    """
    from layout.i18n import reason_text

    crs = check_table_crs(crs)
    texts = [str(first_text or "").strip(), str(second_text or "").strip()]
    try:
        if not texts[1]:
            texts = list(split_point(texts[0]))
    except CellError as exc:
        args = {**exc.args_, "which": "pair"}
        raise InputError(reason_text(exc.code, args, "en"), code="cell", reason=exc.code, **args) from None
    if point_axis(texts[0]) == "lat" or point_axis(texts[1]) == "lon":  # N/S/E/W say which is which
        texts.reverse()
    values = []
    for which, text in zip(("lon", "lat"), texts, strict=True):
        try:
            values.append(parse_angle(text)[0])
        except CellError as exc:
            args = {**exc.args_, "which": which}
            raise InputError(reason_text(exc.code, args, "en"), code="cell", reason=exc.code, **args) from None
    points = locate_points(np.array([values[0]]), np.array([values[1]]), {}, crs=crs)
    if 0 in points.problems:
        code, args = points.problems[0]
        raise InputError(reason_text(code, args, "en"), code="cell", reason=code, **args)
    return float(points.lon[0]), float(points.lat[0]), points.decision
