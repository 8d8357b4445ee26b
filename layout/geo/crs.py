"""Chinese coordinate systems: WGS84, GCJ-02 (高德/腾讯), BD-09 (百度), CGCS2000 (EPSG:4490).

Everything inside the package is WGS84 (EPSG:4326); areas and distances use EPSG:4546
(CGCS2000 / 3-degree Gauss-Kruger CM 111E). The GCJ-02 and BD-09 inverses iterate the forward
transform to sub-millimetre agreement; the common one-step inverse is off by metres.
"""

from __future__ import annotations

import unicodedata
from functools import cache

import numpy as np
from numpy.typing import ArrayLike, NDArray
from pyproj import Transformer

from layout.errors import InputError

__all__ = [
    "Array",
    "CRS_LABELS",
    "CRS_NAMES",
    "METRIC",
    "WGS84",
    "bd09_to_gcj02",
    "bd09_to_wgs84",
    "check_crs",
    "check_lonlat",
    "from_metric",
    "from_wgs84",
    "gcj02_to_bd09",
    "gcj02_to_wgs84",
    "in_china",
    "is_placeholder",
    "lonlat_problem",
    "parse_number",
    "to_metric",
    "to_wgs84",
    "wgs84_to_bd09",
    "wgs84_to_gcj02",
]

WGS84 = "EPSG:4326"
METRIC = "EPSG:4546"
CRS_NAMES = ("wgs84", "gcj02", "bd09", "cgcs2000")
CRS_LABELS = {
    "wgs84": "WGS84 (GPS, 天地图, OpenStreetMap)",
    "gcj02": "GCJ-02 (高德, 腾讯)",
    "bd09": "BD-09 (百度)",
    "cgcs2000": "CGCS2000 (EPSG:4490)",
}

_A = 6378245.0  # Krasovsky 1940 semi-major axis used by GCJ-02
_EE = 0.00669342162296594323
_X_PI = np.pi * 3000.0 / 180.0

Array = NDArray[np.float64]


def _as_arrays(lon: ArrayLike, lat: ArrayLike) -> tuple[Array, Array]:
    return np.asarray(lon, dtype=np.float64), np.asarray(lat, dtype=np.float64)


def in_china(lon: ArrayLike, lat: ArrayLike) -> NDArray[np.bool_]:
    """The rectangle inside which GCJ-02 applies its offset (the conventional test)."""
    lon, lat = _as_arrays(lon, lat)
    return (lon > 72.004) & (lon < 137.8347) & (lat > 0.8293) & (lat < 55.8271)


def _gcj_delta(lon: Array, lat: Array) -> tuple[Array, Array]:
    x, y = lon - 105.0, lat - 35.0
    dlat = (
        -100.0
        + 2.0 * x
        + 3.0 * y
        + 0.2 * y * y
        + 0.1 * x * y
        + 0.2 * np.sqrt(np.abs(x))
        + (20.0 * np.sin(6.0 * x * np.pi) + 20.0 * np.sin(2.0 * x * np.pi)) * 2.0 / 3.0
        + (20.0 * np.sin(y * np.pi) + 40.0 * np.sin(y / 3.0 * np.pi)) * 2.0 / 3.0
        + (160.0 * np.sin(y / 12.0 * np.pi) + 320 * np.sin(y * np.pi / 30.0)) * 2.0 / 3.0
    )
    dlon = (
        300.0
        + x
        + 2.0 * y
        + 0.1 * x * x
        + 0.1 * x * y
        + 0.1 * np.sqrt(np.abs(x))
        + (20.0 * np.sin(6.0 * x * np.pi) + 20.0 * np.sin(2.0 * x * np.pi)) * 2.0 / 3.0
        + (20.0 * np.sin(x * np.pi) + 40.0 * np.sin(x / 3.0 * np.pi)) * 2.0 / 3.0
        + (150.0 * np.sin(x / 12.0 * np.pi) + 300.0 * np.sin(x / 30.0 * np.pi)) * 2.0 / 3.0
    )
    radlat = lat / 180.0 * np.pi
    magic = 1 - _EE * np.sin(radlat) ** 2
    sqrtmagic = np.sqrt(magic)
    dlat = (dlat * 180.0) / ((_A * (1 - _EE)) / (magic * sqrtmagic) * np.pi)
    dlon = (dlon * 180.0) / (_A / sqrtmagic * np.cos(radlat) * np.pi)
    inside = in_china(lon, lat)
    return np.where(inside, dlon, 0.0), np.where(inside, dlat, 0.0)


def wgs84_to_gcj02(lon: ArrayLike, lat: ArrayLike) -> tuple[Array, Array]:
    lon, lat = _as_arrays(lon, lat)
    dlon, dlat = _gcj_delta(lon, lat)
    return lon + dlon, lat + dlat


def gcj02_to_wgs84(lon: ArrayLike, lat: ArrayLike, *, tol_deg: float = 1e-9) -> tuple[Array, Array]:
    """Exact inverse by fixed-point iteration (converges to < 1e-9 degrees in a few steps)."""
    glon, glat = _as_arrays(lon, lat)
    wlon, wlat = glon.copy(), glat.copy()
    for _ in range(30):
        flon, flat = wgs84_to_gcj02(wlon, wlat)
        elon, elat = flon - glon, flat - glat
        wlon, wlat = wlon - elon, wlat - elat
        if np.nanmax(np.abs(np.concatenate([np.ravel(elon), np.ravel(elat)])), initial=0.0) < tol_deg:
            break
    return wlon, wlat


def gcj02_to_bd09(lon: ArrayLike, lat: ArrayLike) -> tuple[Array, Array]:
    x, y = _as_arrays(lon, lat)
    z = np.sqrt(x * x + y * y) + 0.00002 * np.sin(y * _X_PI)
    theta = np.arctan2(y, x) + 0.000003 * np.cos(x * _X_PI)
    return z * np.cos(theta) + 0.0065, z * np.sin(theta) + 0.006


def bd09_to_gcj02(lon: ArrayLike, lat: ArrayLike, *, tol_deg: float = 1e-9) -> tuple[Array, Array]:
    """Exact inverse of :func:`gcj02_to_bd09` by fixed-point iteration."""
    blon, blat = _as_arrays(lon, lat)
    glon, glat = blon - 0.0065, blat - 0.006
    for _ in range(30):
        flon, flat = gcj02_to_bd09(glon, glat)
        elon, elat = flon - blon, flat - blat
        glon, glat = glon - elon, glat - elat
        if np.nanmax(np.abs(np.concatenate([np.ravel(elon), np.ravel(elat)])), initial=0.0) < tol_deg:
            break
    return glon, glat


def wgs84_to_bd09(lon: ArrayLike, lat: ArrayLike) -> tuple[Array, Array]:
    return gcj02_to_bd09(*wgs84_to_gcj02(lon, lat))


def bd09_to_wgs84(lon: ArrayLike, lat: ArrayLike) -> tuple[Array, Array]:
    return gcj02_to_wgs84(*bd09_to_gcj02(lon, lat))


@cache
def _transformer(src: str, dst: str) -> Transformer:
    return Transformer.from_crs(src, dst, always_xy=True)


def check_crs(crs: str) -> str:
    """Normalise a coordinate-system name; raise InputError naming the allowed ones."""
    name = str(crs).strip().lower().replace("-", "").replace("_", "").replace(":", "")
    aliases = {
        "wgs84": "wgs84",
        "epsg4326": "wgs84",
        "gcj02": "gcj02",
        "gcj": "gcj02",
        "amap": "gcj02",
        "bd09": "bd09",
        "baidu": "bd09",
        "cgcs2000": "cgcs2000",
        "epsg4490": "cgcs2000",
    }
    if name not in aliases:
        raise InputError(f"crs should be one of {', '.join(CRS_NAMES)}, got {crs!r}")
    return aliases[name]


def to_wgs84(lon: ArrayLike, lat: ArrayLike, crs: str = "wgs84") -> tuple[Array, Array]:
    """Convert coordinates in ``crs`` (wgs84, gcj02, bd09, cgcs2000) to WGS84."""
    crs = check_crs(crs)
    lon, lat = _as_arrays(lon, lat)
    if crs == "wgs84":
        return lon, lat
    if crs == "gcj02":
        return gcj02_to_wgs84(lon, lat)
    if crs == "bd09":
        return bd09_to_wgs84(lon, lat)
    x, y = _transformer("EPSG:4490", WGS84).transform(lon, lat)
    return np.asarray(x, dtype=np.float64), np.asarray(y, dtype=np.float64)


def from_wgs84(lon: ArrayLike, lat: ArrayLike, crs: str) -> tuple[Array, Array]:
    """Convert WGS84 coordinates to ``crs``."""
    crs = check_crs(crs)
    if crs == "gcj02":
        return wgs84_to_gcj02(lon, lat)
    if crs == "bd09":
        return wgs84_to_bd09(lon, lat)
    if crs == "cgcs2000":
        x, y = _transformer(WGS84, "EPSG:4490").transform(*_as_arrays(lon, lat))
        return np.asarray(x, dtype=np.float64), np.asarray(y, dtype=np.float64)
    return _as_arrays(lon, lat)


def to_metric(lon: ArrayLike, lat: ArrayLike) -> tuple[Array, Array]:
    """WGS84 degrees to EPSG:4546 metres."""
    x, y = _transformer(WGS84, METRIC).transform(*_as_arrays(lon, lat))
    return np.asarray(x, dtype=np.float64), np.asarray(y, dtype=np.float64)


def from_metric(x: ArrayLike, y: ArrayLike) -> tuple[Array, Array]:
    """EPSG:4546 metres to WGS84 degrees."""
    lon, lat = _transformer(METRIC, WGS84).transform(*_as_arrays(x, y))
    return np.asarray(lon, dtype=np.float64), np.asarray(lat, dtype=np.float64)


# --------------------------------------------------------------------------------------------
# Checking user-supplied coordinates

CHINA_LON = (73.0, 136.0)
CHINA_LAT = (3.0, 54.0)


def parse_number(text: object) -> float:
    """A coordinate cell or argument as a float; accepts full-width digits and a trailing °.

    Raises
    ------
    InputError
        When the text is empty or not a finite number.
    """
    if isinstance(text, (int, float, np.floating)) and not isinstance(text, bool):
        value = float(text)
    else:
        cleaned = unicodedata.normalize("NFKC", str(text)).strip().rstrip("°").strip()
        if not cleaned:
            raise InputError("is empty", code="cell", reason="empty")
        shown = " ".join(str(text).split())
        shown = shown if len(shown) <= 40 else shown[:40] + "…"  # a 100 KB argument is not echoed in full
        try:
            if "_" in cleaned:  # float() reads '1_12.3' as 112.3: a typo, not a number
                raise ValueError(cleaned)
            value = float(cleaned)
        except ValueError:
            raise InputError(f"{shown!r} is not a number", code="cell", reason="not_number", text=shown) from None
    if not np.isfinite(value):
        raise InputError(f"{str(text)[:40]!r} is not a finite number", code="cell", reason="not_finite")
    return value


def is_placeholder(lon: ArrayLike, lat: ArrayLike) -> NDArray[np.bool_]:
    """Coordinates that stand for "missing" rather than a place: a longitude or latitude of exactly 0.

    A blank cell read as 0 by a spreadsheet formula, or a default of (0, 0), would otherwise be answered
    as a point in the Gulf of Guinea, ~12,000 km from 益阳. No place a Chinese register lists lies on the
    equator or the prime meridian.
    """
    lon, lat = _as_arrays(lon, lat)
    return (lon == 0.0) | (lat == 0.0)


def lonlat_problem(lon: float, lat: float) -> tuple[str, dict[str, str]] | None:
    """What is wrong with a longitude/latitude pair, as a reason code of ``layout.i18n`` (``reason.<code>``)
    and its arguments, or None when it is usable.

    Flags placeholders for a missing point (:func:`is_placeholder`), pairs that look swapped (latitude
    first: the commonest mistake when coordinates are copied from a map) and impossible values.
    """
    a, b = f"{lon:g}", f"{lat:g}"
    if is_placeholder(lon, lat):
        return "placeholder", {"a": a, "b": b}
    if (CHINA_LON[0] <= lat <= CHINA_LON[1]) and (CHINA_LAT[0] <= lon <= CHINA_LAT[1]):
        return "swapped", {"a": a, "b": b}
    if not -180.0 <= lon <= 180.0:
        return "lon_range", {"a": a, "b": b}
    if not -90.0 <= lat <= 90.0:
        return "lat_range", {"a": a, "b": b}
    return None


_LONLAT_MESSAGES = {
    "placeholder": (
        "{a}, {b} looks like a placeholder for a missing point (a coordinate of exactly 0, often a "
        "blank cell read as 0); give the point's real longitude and latitude"
    ),
    "swapped": "looks swapped: {a}, {b} — longitude comes first (e.g. {b} {a})",
    "lon_range": "longitude {a} is impossible: it should be between -180 and 180",
    "lat_range": "latitude {b} is impossible: it should be between -90 and 90",
}


def check_lonlat(lon: float, lat: float) -> str | None:
    """A one-line problem with a longitude/latitude pair (English), or None when it is usable."""
    if (problem := lonlat_problem(lon, lat)) is None:
        return None
    code, args = problem
    return _LONLAT_MESSAGES[code].format(**args)
