"""Which columns of a table hold coordinates: column names as officers write them (经度, 东经, lon, X坐标 …),
a lon/lat pair, one column holding both, or Gauss-Krüger easting/northing; and how much a row looks like
a table's header.

Compute only: names in, a choice out; no files, no printing.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from layout.errors import InputError

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


def header_score(cells: Sequence[object]) -> int:
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
    def columns(self) -> tuple[str | None, ...]:
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
