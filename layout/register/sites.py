"""A project's site as an officer types it: converted to WGS84, classified (county, zone), and compared
with the county the plan names.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from layout.errors import InputError
from layout.register.vocabulary import SITE_DECIMALS

# --------------------------------------------------------------------------------------------
# Sites


@dataclass(frozen=True)
class SiteCheck:
    """Where a typed point falls: its WGS84 position, county and zone, and what the plan says."""

    lon: float
    lat: float
    inside: bool
    county: str
    zone: str
    plan_county: str
    in_plan_county: bool
    nearest_county: str = ""
    distance_km: float = float("nan")


def check_site(lon: object, lat: object, *, crs: str = "wgs84", plan_county: str = "") -> SiteCheck:
    """Convert a point to WGS84 and classify it (county, zone); compare with the plan's county.

    Raises
    ------
    InputError
        When a coordinate is not a number, impossible, swapped, or the CRS is unknown.
    """
    from layout.catalog.gazetteer import CITYWIDE
    from layout.geo.boundaries import expand_counties
    from layout.geo.classify import classify_points
    from layout.geo.crs import check_lonlat, lonlat_problem, parse_number, to_wgs84

    values = []
    for which, label, v in (("lon", "longitude", lon), ("lat", "latitude", lat)):
        try:
            values.append(parse_number(v))
        except InputError as exc:  # a "cell" error: its reason is shown in the reader's language
            raise InputError(f"{label} {exc}", code="cell", **{**exc.args_, "which": which}) from None
    if problem := lonlat_problem(*values):
        code, args = problem
        raise InputError(check_lonlat(*values) or code, code="cell", reason=code, **args)
    wlon, wlat = to_wgs84([values[0]], [values[1]], crs)
    row = classify_points(wlon, wlat).iloc[0]
    county = "" if pd.isna(row["county"]) else str(row["county"])
    zone = "" if pd.isna(row["zone"]) else str(row["zone"])
    nearest = "" if pd.isna(row["nearest_county"]) else str(row["nearest_county"])  # a categorical: NaN inside
    ok_counties = [] if plan_county in ("", CITYWIDE) else expand_counties([plan_county])
    in_plan = bool(row["inside"]) and (not ok_counties or county in ok_counties)
    return SiteCheck(
        lon=round(float(wlon[0]), SITE_DECIMALS),
        lat=round(float(wlat[0]), SITE_DECIMALS),
        inside=bool(row["inside"]),
        county=county,
        zone=zone,
        plan_county=plan_county,
        in_plan_county=in_plan,
        nearest_county=nearest,
        distance_km=float(row["distance_km"]),
    )
