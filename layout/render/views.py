"""What the explorer shows for a view: filter state ↔ URL query, the filter options, filtering and counts.

Pure functions over the catalog GeoDataFrame (see :mod:`layout.catalog.projects`); no Streamlit here. The app
keeps one :class:`ViewState` per session and mirrors it in the URL with :func:`state_to_query` /
:func:`state_from_query`, so a view can be bookmarked, shared and reopened. The explorer imports everything
it shows from here: pinyin search (:mod:`layout.render.search`), how a row reads
(:mod:`layout.render.labels`) and the plan's summaries (:mod:`layout.render.summaries`) are re-exported.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

import numpy as np
import pandas as pd

from layout.catalog.projects import PRECISIONS
from layout.i18n import LANGS, t
from layout.plan.zones import load_zone_model, zone_name, zone_names  # noqa: F401 (views.zone_names for pages)
from layout.register.vocabulary import STATUSES
from layout.render.labels import (  # noqa: F401 (re-exported: the explorer's one import)
    ACTIONS,
    action_label,
    action_phrase,
    effective_county,
    project_names,
    project_table,
    shares_any,
)
from layout.render.search import build_search_index, search_keys, search_mask  # noqa: F401 (re-exported)
from layout.render.summaries import (  # noqa: F401 (re-exported)
    LAYOUT_OVERVIEW,
    LAYOUT_SECTION,
    layout_explanation,
    where_explanation,
    zone_sector_counts,
    zone_sector_long,
)

__all__ = [
    "ACTIONS",
    "BASEMAPS",
    "COLOR_BY",
    "DEFAULT_STATE",
    "FilterResult",
    "LAYOUT_OVERVIEW",
    "LAYOUT_SECTION",
    "LIST_FIELDS",
    "UNREPORTED",
    "ViewState",
    "action_label",
    "action_phrase",
    "apply_filters",
    "build_search_index",
    "county_label",
    "effective_county",
    "field_mask",
    "filter_mask",
    "filter_options",
    "focus_label",
    "focus_mask",
    "focus_options",
    "layout_explanation",
    "search_keys",
    "search_mask",
    "search_target",
    "state_from_query",
    "state_to_query",
    "status_of",
    "where_explanation",
    "zone_name",
    "zone_names",
    "zone_sector_counts",
    "zone_sector_long",
]

LIST_FIELDS = ("zone", "pole", "county", "sector", "action", "precision", "status")
UNREPORTED = "unreported"  # the status filter's value for projects the register holds no status for
LOCATION_FIELDS = ("zone", "pole", "county")
BASEMAPS = ("none", "osm", "amap", "tianditu")  # the explorer's basemaps; layout.render.webmap draws them
COLOR_BY = ("sector", "status")  # what the project markers' colour shows
SEPARATOR = ","  # between values of one query parameter; repeated parameters are read too


@dataclass(frozen=True)
class ViewState:
    """Everything the URL holds: the filters (empty tuple = no filter), search, focus, basemap, language."""

    zone: tuple[str, ...] = ()
    pole: tuple[str, ...] = ()
    county: tuple[str, ...] = ()
    sector: tuple[str, ...] = ()
    action: tuple[str, ...] = ()
    precision: tuple[str, ...] = ()
    status: tuple[str, ...] = ()
    q: str = ""
    focus: str = ""
    basemap: str = "none"
    color: str = "sector"
    lang: str = "zh"

    def filters(self) -> dict[str, tuple[str, ...]]:
        return {name: getattr(self, name) for name in LIST_FIELDS}

    def with_(self, **changes) -> ViewState:
        return replace(self, **changes)


DEFAULT_STATE = ViewState()


# --------------------------------------------------------------------------------------------
# Options and the URL


def filter_options(catalog: pd.DataFrame, sectors: Mapping[str, Sequence[str]]) -> dict[str, list[str]]:
    """The values each filter offers, in display order.

    Zones and poles come from the zone model, counties from it too (six county-level units and
    大通湖区), sectors from ``sectors`` (the 3+4+5 groups), actions from the catalog.
    """
    model = load_zone_model()
    return {
        "zone": [z.id for z in model.zones.values() if z.kind != "pole"],
        "pole": [z.id for z in model.by_kind("pole")],
        "county": [*model.counties, *model.areas],  # declared areas (中心城区) hold rows of their own
        "sector": [s for group in sectors.values() for s in group],
        "action": sorted({a for a in catalog["action"].dropna().astype(str) if a}),
        "precision": list(PRECISIONS),  # layout.catalog.projects's: site, town, county, citywide
        "status": [*STATUSES, UNREPORTED],  # the register's statuses, then 未填报
    }


def focus_options() -> list[str]:
    """``""`` (whole city), then ``county:<name>`` for each county, then ``zone:<id>`` for each zone/pole."""
    model = load_zone_model()
    return ["", *(f"county:{c}" for c in model.counties), *(f"zone:{z}" for z in model.zones)]


def focus_label(focus: str, lang: str = "zh") -> str:
    if not focus:
        return t("side.focus_none", lang)
    kind, _, key = focus.partition(":")
    model = load_zone_model()
    if kind == "county" and key in model.counties:
        return model.counties[key].name_en if lang == "en" else key
    if kind == "zone" and key in model.zones:
        return zone_name(key, lang)
    return focus


def county_label(name: str, lang: str = "zh") -> str:
    """A county, declared county (大通湖区), declared area (中心城区) or 全市 (citywide) in ``lang``."""
    if lang != "en":
        return name
    model = load_zone_model()
    place = model.counties.get(name) or model.areas.get(name)
    return place.name_en if place is not None else t("county.citywide", lang) if name == "全市" else name


def state_to_query(state: ViewState) -> dict[str, str]:
    """The URL query parameters of ``state``: only what differs from the default, lists comma-joined."""
    out: dict[str, str] = {}
    for name in LIST_FIELDS:
        values = getattr(state, name)
        if values:
            out[name] = SEPARATOR.join(values)
    for name in ("q", "focus", "basemap", "color", "lang"):
        value = getattr(state, name)
        if value != getattr(DEFAULT_STATE, name):
            out[name] = value
    return out


def _values(raw: str | Sequence[str] | None) -> list[str]:
    items = [raw] if isinstance(raw, str) else list(raw or [])
    return [v.strip() for item in items for v in str(item).split(SEPARATOR) if v.strip()]


def _single(raw: str | Sequence[str] | None) -> str:
    """A one-value parameter: the last one when repeated, stripped."""
    if isinstance(raw, str):
        return raw.strip()
    return str(list(raw)[-1]).strip() if raw else ""


def state_from_query(
    params: Mapping[str, str | Sequence[str]], options: Mapping[str, Sequence[str]]
) -> tuple[ViewState, list[str]]:
    """Read a :class:`ViewState` from URL query parameters, keeping only values that exist.

    Returns the state and one problem per ignored value ("zone: 'x' is not one of core, …"), so the
    app can say what it dropped from a stale or hand-edited link. Unknown parameters are left alone.
    """
    problems: list[str] = []
    kwargs: dict[str, Any] = {}  # ViewState's fields by name
    for name in LIST_FIELDS:
        allowed = list(options.get(name, ()))
        kept = []
        for value in _values(params.get(name)):
            if value in allowed:
                if value not in kept:
                    kept.append(value)
            else:
                problems.append(f"{name}: {value!r} is not one of {', '.join(allowed) or '(none)'}")
        kwargs[name] = tuple(v for v in allowed if v in kept)  # canonical order: the same view, one URL
    kwargs["q"] = _single(params.get("q"))
    singles: tuple[tuple[str, Sequence[str]], ...] = (
        ("focus", focus_options()),
        ("basemap", BASEMAPS),
        ("color", COLOR_BY),
        ("lang", LANGS),
    )
    for name, choices in singles:
        value = _single(params.get(name))
        if not value:
            continue
        if value in choices:
            kwargs[name] = value
        else:
            problems.append(f"{name}: {value!r} is not one of {', '.join(a for a in choices if a)}")
    return ViewState(**kwargs), problems


# --------------------------------------------------------------------------------------------
# Filtering and counts


def field_mask(catalog: pd.DataFrame, name: str, values: tuple[str, ...]) -> np.ndarray:
    """Rows matching one filter (any of ``values``); no values means no filter."""
    if not values:
        return np.ones(len(catalog), dtype=bool)
    if name == "zone":
        return shares_any(catalog["zones"], values)
    if name == "pole":
        return shares_any(catalog["poles"], values)
    if name == "county":
        return effective_county(catalog).isin(values).to_numpy()
    if name == "status":
        return status_of(catalog).isin(values).to_numpy()
    return catalog[name].astype(str).isin(values).to_numpy()


def status_of(rows: pd.DataFrame) -> pd.Series:
    """Each row's register status id, :data:`UNREPORTED` where the register holds none (or there is none)."""
    status = rows["status"].fillna("").astype(str) if "status" in rows else pd.Series("", index=rows.index)
    return status.where(status != "", UNREPORTED)


def filter_mask(
    catalog: pd.DataFrame, state: ViewState, *, index: pd.DataFrame | None = None, skip: Sequence[str] = ()
) -> np.ndarray:
    """Rows matching every filter of ``state`` (and its search) except those named in ``skip``.

    Within one filter the values are alternatives (OR); different filters all apply (AND).
    """
    mask = np.ones(len(catalog), dtype=bool)
    for name, values in state.filters().items():
        if name not in skip and values:
            mask &= field_mask(catalog, name, values)
    if state.q and "q" not in skip:
        mask &= search_mask(index if index is not None else build_search_index(catalog), state.q)
    return mask


def _tally(rows: pd.DataFrame, name: str) -> pd.Series:
    """How many ``rows`` have each value of filter ``name`` (a row counts once per zone or pole it is in)."""
    if name in ("zone", "pole"):
        return rows["zones" if name == "zone" else "poles"].explode().value_counts()
    if name == "county":
        return effective_county(rows).value_counts()
    if name == "status":
        return status_of(rows).value_counts()
    return rows[name].astype(str).value_counts()


@dataclass(frozen=True)
class FilterResult:
    points: pd.DataFrame  # matching rows with a point, for the map
    citywide: pd.DataFrame  # matching citywide items (location filters do not apply to them)
    unplaced: pd.DataFrame  # matching rows tied to a place but without coordinates yet
    counts: dict[str, dict[str, int]]  # per filter, per option: rows matching the other filters

    @property
    def total(self) -> int:
        return len(self.points) + len(self.citywide) + len(self.unplaced)


def apply_filters(
    catalog: pd.DataFrame, state: ViewState, options: Mapping[str, Sequence[str]], *, index: pd.DataFrame | None = None
) -> FilterResult:
    """Filter the catalog for ``state``: points for the map, the lists beside it, and facet counts.

    A citywide item has no place, so zone, pole and county filters leave it in; the others apply.
    Rows that name a place but have no coordinates yet are filtered like points and listed apart.
    """
    index = index if index is not None else build_search_index(catalog)
    citywide = (catalog["precision"].isin(["citywide", "route"]) & (effective_county(catalog) == "全市")).to_numpy()
    located = (catalog["lon"].notna() & catalog["lat"].notna()).to_numpy() & ~citywide
    base = filter_mask(catalog, state, index=index, skip=LOCATION_FIELDS)
    everything = filter_mask(catalog, state, index=index)
    counts: dict[str, dict[str, int]] = {}
    for name in LIST_FIELDS:
        others = filter_mask(catalog, state, index=index, skip=(name,)) & ~citywide
        if name not in LOCATION_FIELDS:  # citywide items count too, as they are listed whatever the location
            others |= filter_mask(catalog, state, index=index, skip=(name, *LOCATION_FIELDS)) & citywide
        tally = _tally(catalog.loc[others], name)
        counts[name] = {opt: int(tally.get(opt, 0)) for opt in options.get(name, ())}
    return FilterResult(
        points=catalog.loc[everything & located],
        citywide=catalog.loc[base & citywide],
        unplaced=catalog.loc[everything & ~located & ~citywide],
        counts=counts,
    )


def search_target(state: ViewState, result: FilterResult) -> tuple[float, float] | None:
    """(lon, lat) of the one project a search narrowed the map to, for the map to zoom to; else None."""
    if not state.q or len(result.points) != 1:
        return None
    row = result.points.iloc[0]
    return float(row["lon"]), float(row["lat"])


def focus_mask(catalog: pd.DataFrame, focus: str) -> np.ndarray:
    """Rows of the focus county (stated or computed) or zone/pole (computed)."""
    kind, _, key = focus.partition(":")
    if kind == "county":
        return (
            (effective_county(catalog) == key)
            | (catalog.get("computed_county", pd.Series("", index=catalog.index)).astype(str) == key)
        ).to_numpy()
    if kind == "zone":
        return shares_any(catalog["zones"], (key,)) | shares_any(catalog["poles"], (key,))
    return np.ones(len(catalog), dtype=bool)
