"""Coordinates as officers write them: column names, notations, and which coordinate system a table uses.

Notations read: decimal degrees (``112.35``, ``112.35°``, ``E112.35``), degrees-minutes-seconds and
degrees-decimal-minutes in Chinese and ASCII (``112°21′18″``, ``112度21分18秒``, ``112°21.3'``,
``东经112°21′18″``), a pair in one cell (``112.35,28.55``, ``112.35 28.55``, ``(112.35，28.55)``), and
CGCS2000 Gauss-Krüger metres (3° and 6° zones, with or without the zone number prefixed to the easting).

A table's coordinate system is decided once per table (``crs="auto"``): degrees are taken as WGS84 (no
number can tell GPS degrees from 高德's), metres as Gauss-Krüger with the zone from the prefix, or, with
no prefix, the central meridian (111°E or 114°E) that puts the points around 益阳. The decision is
returned with the reason, so the caller can report it. Problems are per row, as codes with arguments
(``layout.i18n`` words them), never an exception for one bad cell.

Compute only: text cells in, arrays out; no files, no printing.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import cache

import numpy as np
import pandas as pd
from numpy.typing import NDArray
from pyproj import CRS, Transformer

from layout.errors import InputError
from layout.geo.crs import CRS_NAMES, check_crs, to_wgs84

Problem = tuple[str, dict]  # (reason code, arguments): layout.i18n "reason.<code>"
YIYANG_BOX = (110.4, 27.6, 113.4, 29.9)  # 益阳's bounding box with ~30 km to spare (WGS84)
PLACEHOLDER = 1e-9  # |lon| and |lat| below this: (0, 0), the usual stand-in for "missing"
TABLE_CRS = ("auto", *CRS_NAMES)

# -- column names ----------------------------------------------------------------------------

_LON_EXACT = {"lon", "lng", "long", "longitude", "经度", "东经", "e", "x经度", "gpslon", "gps经度"}
_LAT_EXACT = {"lat", "latitude", "纬度", "北纬", "n", "y纬度", "gpslat", "gps纬度"}
_PAIR_EXACT = {
    "坐标",
    "经纬度",
    "经纬度坐标",
    "位置坐标",
    "中心点坐标",
    "项目坐标",
    "gps坐标",
    "lonlat",
    "lnglat",
    "coordinates",
    "coordinate",
    "coords",
    "location",
    "点位坐标",
    "坐标位置",
}
# Chinese surveying calls the northing X (纵坐标) and the easting Y (横坐标); a GIS calls the easting X.
# Degrees in X/Y columns are read GIS-fashion (X = longitude); metres are told apart by magnitude.
_FIRST_EXACT = {"x", "x坐标", "横坐标", "东坐标", "easting", "东向坐标"}
_SECOND_EXACT = {"y", "y坐标", "纵坐标", "北坐标", "northing", "北向坐标"}
_BRACKETS = re.compile(r"[(\[{（【][^)\]}）】]*[)\]}）】]")


def normalise_name(name: object) -> str:
    """A column name reduced for matching: NFKC, lower case, no spaces, units in brackets dropped."""
    text = unicodedata.normalize("NFKC", str(name)).strip().lower()
    text = _BRACKETS.sub("", text)
    text = re.sub(r"[\s_\-:：/°]", "", text)
    return text


def name_role(name: object) -> str | None:
    """What a column name says it holds: ``lon``, ``lat``, ``pair``, ``first``/``second`` (X/Y), else None."""
    key = normalise_name(name)
    if not key:
        return None
    if key in _PAIR_EXACT or "经纬度" in key or ("经度" in key and "纬度" in key):
        return "pair"
    if key in _LON_EXACT or key.endswith("经度") or key.startswith("东经"):
        return "lon"
    if key in _LAT_EXACT or key.endswith("纬度") or key.startswith("北纬"):
        return "lat"
    if key in _FIRST_EXACT:
        return "first"
    if key in _SECOND_EXACT:
        return "second"
    return None


def header_score(cells: list[object]) -> int:
    """How much a row looks like a table's header: 2 for a pair column or a lon+lat set, else 0/1."""
    roles = {name_role(c) for c in cells if str(c).strip()}
    if "pair" in roles or {"lon", "lat"} <= roles or {"first", "second"} <= roles:
        return 2
    return int(bool(roles - {None}))


@dataclass(frozen=True)
class ColumnChoice:
    """Where a table's coordinates are: two columns (``lon``, ``lat``) or one (``pair``)."""

    lon: str | None = None
    lat: str | None = None
    pair: str | None = None
    detected: bool = True  # False when the user named the columns

    @property
    def columns(self) -> tuple[str, ...]:
        return (self.pair,) if self.pair else (self.lon, self.lat)


def find_coordinate_columns(
    columns: list[str], *, lon: str | None = None, lat: str | None = None, pair: str | None = None
) -> ColumnChoice:
    """The coordinate columns: as given, else found by their usual names.

    Parameters
    ----------
    columns
        The table's column names.
    lon, lat, pair
        Column names the user chose (``pair``: one column holding both).

    Raises
    ------
    InputError
        When a given column is missing or none can be found; the message lists the table's columns.
    """
    listed = "、".join(map(str, columns))
    for given, what in ((lon, "longitude"), (lat, "latitude"), (pair, "coordinate")):
        if given and given not in columns:
            raise InputError(
                f"{what} column {given!r} is not in the table; its columns are {', '.join(map(str, columns))}",
                code="column_missing",
                column=given,
                columns=listed,
            )
    if pair:
        return ColumnChoice(pair=pair, detected=False)
    roles: dict[str, str] = {}
    for col in columns:
        role = name_role(col)
        if role and role not in roles:
            roles[role] = col
    if lon or lat:
        lon = lon or roles.get("lon") or roles.get("first")
        lat = lat or roles.get("lat") or roles.get("second")
        if lon and lat:
            return ColumnChoice(lon=lon, lat=lat, detected=False)
    elif "lon" in roles and "lat" in roles:
        return ColumnChoice(lon=roles["lon"], lat=roles["lat"])
    elif "pair" in roles:
        return ColumnChoice(pair=roles["pair"])
    elif "first" in roles and "second" in roles:
        return ColumnChoice(lon=roles["first"], lat=roles["second"])
    missing = "latitude" if (lon or "lon" in roles) else "longitude"
    raise InputError(
        f"no {missing} column found (looked for 经度/纬度, 东经/北纬, lon/lat, lng, longitude/latitude, "
        f"坐标/经纬度, X/Y); name the columns (CLI: --lon COL --lat COL, or --pair COL). "
        f"The table's columns are {', '.join(map(str, columns))}",
        code="no_lon_column" if missing == "longitude" else "no_lat_column",
        columns=listed,
    )


# -- one cell --------------------------------------------------------------------------------

_HEMI = {
    "e": 1,
    "w": -1,
    "n": 1,
    "s": -1,
    "东经": 1,
    "西经": -1,
    "北纬": 1,
    "南纬": -1,
    "东": 1,
    "西": -1,
    "北": 1,
    "南": -1,
}
_HEMI_RE = re.compile(r"^(东经|西经|北纬|南纬|[东西南北ewns])|(东经|西经|北纬|南纬|[东西南北ewns])$")
_TOKEN = re.compile(r"(\d+(?:\.\d*)?|\.\d+)\s*([°'\":]?)")
_UNIT_ORDER = {"°": 0, "'": 1, '"': 2}


class CellError(Exception):
    """One cell that cannot be read: a reason code and its arguments (never reaches a user as is)."""

    def __init__(self, code: str, **args: object) -> None:
        super().__init__(code)
        self.code, self.args_ = code, args


def _clean(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).strip().lower()
    for a, b in (
        ("′′", '"'),
        ("''", '"'),
        ("″", '"'),
        ("”", '"'),
        ("“", '"'),
        ("秒", '"'),
        ("′", "'"),
        ("’", "'"),
        ("‘", "'"),
        ("分", "'"),
        ("度", "°"),
        ("º", "°"),
        ("˚", "°"),
    ):
        text = text.replace(a, b)
    return text.strip()


def parse_angle(text: object) -> tuple[float, str]:
    """A coordinate cell as a float and its notation (``decimal``, ``dms``, ``ddm``).

    Accepts decimal degrees or metres, DMS and DDM with ° ′ ″ / 度 分 秒 / ``:``, and a hemisphere
    (E/W/N/S, 东经/西经/北纬/南纬) before or after. Underscores, thousands separators and other text are refused.

    Raises
    ------
    CellError
        ``empty``, ``not_number`` (text), ``minutes_60`` / ``seconds_60`` (a part of 60 or more),
        ``not_finite``.
    """
    if isinstance(text, (int, float, np.integer, np.floating)) and not isinstance(text, bool):
        value = float(text)
        if not np.isfinite(value):
            raise CellError("not_finite", text=str(text))
        return value, "decimal"
    raw = str(text).strip()
    if not raw:
        raise CellError("empty")
    s = _clean(raw)
    sign = 1.0
    m = _HEMI_RE.search(s)
    if m:
        sign = _HEMI[m.group(1) or m.group(2)]
        s = (s[: m.start()] + s[m.end() :]).strip()
    if s[:1] and s[:1] in "+-":  # a cell of a lone "N" leaves nothing
        sign = sign * (-1.0 if s[0] == "-" else 1.0)
        s = s[1:].strip()
    tokens = _TOKEN.findall(s)
    if not tokens or _TOKEN.sub("", s).strip() or len(tokens) > 3:
        raise CellError("not_number", text=shorten(raw))
    numbers = [float(n) for n, _ in tokens]
    units = [u for _, u in tokens]
    if len(tokens) == 1:
        if units[0] not in ("", "°"):
            raise CellError("not_number", text=shorten(raw))
        return sign * numbers[0], "decimal"
    named = [u for u in units if u in _UNIT_ORDER]
    if [_UNIT_ORDER[u] for u in named] != sorted(_UNIT_ORDER[u] for u in named) or len(set(named)) < len(named):
        raise CellError("not_number", text=shorten(raw))
    if any("." in n for n, _ in tokens[:-1]) or "." in tokens[0][0]:
        raise CellError("not_number", text=shorten(raw))  # only the last part may have decimals
    if numbers[1] >= 60:
        raise CellError("minutes_60", text=shorten(raw))
    if len(numbers) == 3 and numbers[2] >= 60:
        raise CellError("seconds_60", text=shorten(raw))
    value = numbers[0] + numbers[1] / 60 + (numbers[2] / 3600 if len(numbers) == 3 else 0.0)
    return sign * value, "dms" if len(numbers) == 3 else "ddm"


_PAIR_SPLIT = re.compile(r"\s*[,;/|]\s*")


def parse_pair(text: object) -> tuple[float, float]:
    """One cell holding two coordinates: ``112.35,28.55``, ``112.35 28.55``, ``E112°21′ N28°33′`` …

    Raises
    ------
    CellError
        ``empty``, ``pair_bad`` (not two parts), or the code of the part that fails.
    """
    raw = str(text).strip()
    if not raw:
        raise CellError("empty")
    s = unicodedata.normalize("NFKC", raw).strip().strip("()[]{}<>").strip()
    parts = [p for p in _PAIR_SPLIT.split(s) if p]
    if len(parts) != 2:
        cleaned = _clean(s)
        hemi = re.split(r"(?=东经|西经|北纬|南纬|[nsew](?=\s*\d))", cleaned)
        hemi = [p.strip() for p in hemi if p.strip()]
        parts = hemi if len(hemi) == 2 else cleaned.split()
    if len(parts) != 2:
        raise CellError("pair_bad", text=shorten(raw))
    return parse_angle(parts[0])[0], parse_angle(parts[1])[0]


def shorten(text: str, limit: int = 40) -> str:
    """A user's text echoed in a message, cut short (a 100 KB cell is not repeated back in full)."""
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[:limit] + "…"


# -- whole columns ---------------------------------------------------------------------------

_PLAIN_NUMBER = re.compile(r"^\s*[+-]?(\d+(\.\d*)?|\.\d+)\s*$")


def parse_column(cells: pd.Series) -> tuple[NDArray[np.float64], dict[int, Problem], dict[str, int]]:
    """Numbers of a column of text cells: vectorised for plain decimals, cell by cell for the rest.

    Returns
    -------
    values
        NaN where a cell cannot be read.
    problems
        Row position → (reason code, arguments).
    notations
        How many cells were read in each notation (``decimal``, ``dms``, ``ddm``).
    """
    values = _fast_numbers(cells)
    plain = np.isfinite(values)
    text = cells if plain.all() else cells.astype(str)
    problems: dict[int, Problem] = {}
    notations = {"decimal": int(plain.sum())}
    for i in np.flatnonzero(~plain):
        try:
            values[i], how = parse_angle(text.iat[i])
            notations[how] = notations.get(how, 0) + 1
        except CellError as exc:
            problems[int(i)] = (exc.code, exc.args_)
    return values, problems, notations


def _fast_numbers(cells: pd.Series) -> NDArray[np.float64]:
    """Plain decimal cells as floats (NaN elsewhere): Arrow's cast when the whole column is clean, else pandas'
    ``to_numeric``; cells it leaves NaN go to :func:`parse_angle` for an exact reading or message."""
    import pyarrow as pa
    import pyarrow.compute as pc

    try:
        arr = pa.array(cells, type=pa.string(), from_pandas=True)
        values = pc.cast(arr, pa.float64()).to_numpy(zero_copy_only=False)
    except (pa.ArrowInvalid, pa.ArrowTypeError, pa.ArrowNotImplementedError):
        values = pd.to_numeric(cells.astype(object), errors="coerce").to_numpy(dtype=np.float64, na_value=np.nan)
    values = np.array(values, dtype=np.float64)  # a writable copy
    values[~np.isfinite(values)] = np.nan
    return values


def parse_pair_column(cells: pd.Series) -> tuple[NDArray, NDArray, dict[int, Problem], dict[str, int]]:
    """Both coordinates of a column of one-cell pairs (vectorised for ``a,b`` decimals)."""
    text = cells.astype(str)
    split = text.str.split(r"\s*[,，]\s*|\s+", n=1, expand=True, regex=True)
    if split.shape[1] < 2:
        split[1] = None
    a, b = split[0].fillna(""), split[1].fillna("")
    plain = (a.str.match(_PLAIN_NUMBER) & b.str.match(_PLAIN_NUMBER)).to_numpy(dtype=bool)
    first, second = np.full(len(text), np.nan), np.full(len(text), np.nan)
    if plain.any():
        first[plain] = pd.to_numeric(a[plain]).to_numpy(dtype=np.float64)
        second[plain] = pd.to_numeric(b[plain]).to_numpy(dtype=np.float64)
    problems: dict[int, Problem] = {}
    notations = {"pair": int(plain.sum())}
    for i in np.flatnonzero(~plain):
        try:
            first[i], second[i] = parse_pair(text.iat[i])
            notations["pair"] += 1
        except CellError as exc:
            problems[int(i)] = (exc.code, exc.args_)
    return first, second, problems, notations


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
    for i in [k for k in problems if np.isfinite(lon[k])]:
        problems.pop(i)
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


# -- one point typed or pasted by a person ------------------------------------------------------------

_LAT_HEMI = {"n", "s", "北纬", "南纬", "北", "南"}


def _axis(text: str) -> str | None:
    """``lat`` or ``lon`` when a hemisphere letter or word says which (N 28°…, 112°…E, 东经…), else None."""
    m = _HEMI_RE.search(_clean(str(text)))
    if not m:
        return None
    return "lat" if (m.group(1) or m.group(2)) in _LAT_HEMI else "lon"


def split_point(text: str) -> tuple[str, str]:
    """The two coordinates of one pasted string (``28°33'14"N 112°21'18"E``, ``112.35,28.55``,
    ``N 28°33′14″ E 112°21′18″``, ``3160591.10 38342067.24``), in the order written.

    Raises
    ------
    CellError
        ``empty``, or ``pair_bad`` when no split gives two readable coordinates.
    """
    raw = unicodedata.normalize("NFKC", str(text)).strip().strip("()[]{}<>").strip()
    if not raw:
        raise CellError("empty")
    parts = [p for p in _PAIR_SPLIT.split(raw) if p]
    candidates = [parts] if len(parts) == 2 else []
    words = raw.split()
    candidates += [[" ".join(words[:i]), " ".join(words[i:])] for i in range(1, len(words))]
    for first, second in candidates:
        try:
            parse_angle(first), parse_angle(second)
        except CellError:
            continue
        return first, second
    raise CellError("pair_bad", text=shorten(raw))


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
    if _axis(texts[0]) == "lat" or _axis(texts[1]) == "lon":  # N/S/E/W say which is which
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
