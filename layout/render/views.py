"""What the explorer shows for a view: filter state ↔ URL query, filtering, pinyin search, summaries.

Pure functions over the catalog GeoDataFrame (see :mod:`layout.catalog.projects`); no Streamlit here. The app
keeps one :class:`ViewState` per session and mirrors it in the URL with :func:`state_to_query` /
:func:`state_from_query`, so a view can be bookmarked, shared and reopened.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from itertools import islice
from typing import Any

import numpy as np
import pandas as pd
from pypinyin import Style, lazy_pinyin, pinyin

from layout.catalog.projects import PRECISIONS
from layout.i18n import LANGS, t
from layout.plan.zones import load_zone_model, zone_name, zone_names  # noqa: F401 (views.zone_names for pages)
from layout.register.events import STATUSES

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
# Pinyin search


def _norm(text: str) -> str:
    """Lower case, full-width folded (NFKC), without spaces, apostrophes or hyphens."""
    text = unicodedata.normalize("NFKC", str(text)).lower()
    return "".join(ch for ch in text if not ch.isspace() and ch not in "'’-·")


def _is_han(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff" or "\u3400" <= ch <= "\u4dbf"


def _tokens(name: str, limit: int = 6) -> list[list[tuple[str, bool]]]:
    """Readings of ``name`` as ``(token, is_han)`` lists: the phrase-aware pinyin first, then readings
    with one polyphonic character read otherwise (长株潭 → zhang…, chang…), at most ``limit`` in all.
    Runs of other characters (Latin letters, digits) stay one token each."""
    runs: list[tuple[str, bool]] = []
    for ch in name:
        han = _is_han(ch)
        if runs and runs[-1][1] == han:
            runs[-1] = (runs[-1][0] + ch, han)
        else:
            runs.append((ch, han))
    first: list[tuple[str, bool]] = []
    alternatives: list[tuple[int, str]] = []
    for run, han in runs:
        if not han:
            if token := _norm(run):
                first.append((token, False))
            continue
        readings = lazy_pinyin(run)
        for reading, options in zip(readings, pinyin(run, style=Style.NORMAL, heteronym=True), strict=True):
            alternatives += [(len(first), o) for o in islice((o for o in options if o != reading), 2)]
            first.append((reading, True))
    variants = [first]
    for i, alt in alternatives[: limit - 1]:
        variants.append([*first[:i], (alt, True), *first[i + 1 :]])
    return variants


def search_keys(name: str) -> tuple[str, str]:
    """Full pinyin and initials of ``name`` for matching, each variant separated by ``|``.

    ``茶乡花海`` → ``("chaxianghuahai", "cxhh")``; Latin letters and digits are kept whole in both.
    """
    variants = _tokens(name)
    full = ("".join(tok for tok, _ in v) for v in variants)
    initials = ("".join(tok[:1] if han else tok for tok, han in v) for v in variants)
    return "|".join(dict.fromkeys(full)), "|".join(dict.fromkeys(initials))


def build_search_index(catalog: pd.DataFrame) -> pd.DataFrame:
    """Per catalog row: ``text`` (name, English name and id, normalised), ``full`` and ``initials`` pinyin."""
    names = catalog["name"].fillna("").astype(str)
    keys = [search_keys(n) for n in names]
    text = (
        names
        + "|"
        + catalog.get("name_en", pd.Series("", index=catalog.index)).fillna("").astype(str)
        + "|"
        + catalog["id"].fillna("").astype(str)
    ).map(_norm)
    return pd.DataFrame(
        {"text": text.to_numpy(), "full": [k[0] for k in keys], "initials": [k[1] for k in keys]}, index=catalog.index
    )


def search_mask(index: pd.DataFrame, query: str) -> np.ndarray:
    """Rows whose name matches every word of ``query``: as Chinese text, English, id, full pinyin or
    initials (``chaxiang`` and ``cxhh`` both find 茶乡花海). An empty query matches everything."""
    mask = np.ones(len(index), dtype=bool)
    for word in str(query).split():
        w = _norm(word)
        if not w:
            continue
        hit = index["text"].str.contains(w, regex=False).to_numpy(dtype=bool, copy=True)
        if w.isascii():
            hit |= index["full"].str.contains(w, regex=False).to_numpy()
            hit |= index["initials"].str.contains(w, regex=False).to_numpy()
        mask &= hit
    return mask


# --------------------------------------------------------------------------------------------
# Filtering and counts


def effective_county(catalog: pd.DataFrame) -> pd.Series:
    """The county a row is filed under: its stated ``county``, else the one its point falls in."""
    stated = catalog["county"].fillna("").astype(str)
    computed = catalog.get("computed_county", pd.Series("", index=catalog.index)).fillna("").astype(str)
    return stated.where(stated != "", computed)


def _any_in(column: pd.Series, wanted: tuple[str, ...]) -> np.ndarray:
    """Rows whose tuple-valued ``column`` shares a value with ``wanted``."""
    want = set(wanted)
    return np.fromiter((bool(want.intersection(v or ())) for v in column), dtype=bool, count=len(column))


def field_mask(catalog: pd.DataFrame, name: str, values: tuple[str, ...]) -> np.ndarray:
    """Rows matching one filter (any of ``values``); no values means no filter."""
    if not values:
        return np.ones(len(catalog), dtype=bool)
    if name == "zone":
        return _any_in(catalog["zones"], values)
    if name == "pole":
        return _any_in(catalog["poles"], values)
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
        return _any_in(catalog["zones"], (key,)) | _any_in(catalog["poles"], (key,))
    return np.ones(len(catalog), dtype=bool)


# --------------------------------------------------------------------------------------------
# Summaries


def zone_sector_counts(catalog: pd.DataFrame, sectors: Sequence[str], *, lang: str = "zh") -> pd.DataFrame:
    """Projects per zone (core, wings, poles, citywide) × sector, with a total column.

    A row of the table counts the projects whose computed zones (or poles) include it, so 资阳区's
    projects count in both the core and the lake wing.
    """
    model = load_zone_model()
    rows: dict[str, pd.Series] = {}
    sector_col = catalog["sector"].astype(str)
    for zone in model.zones.values():
        column = catalog["poles"] if zone.kind == "pole" else catalog["zones"]
        mask = _any_in(column, (zone.id,))
        rows[zone_name(zone.id, lang)] = sector_col[mask].value_counts()
    rows[t("sum.citywide", lang)] = sector_col[(effective_county(catalog) == "全市").to_numpy()].value_counts()
    table = pd.DataFrame(rows).T.reindex(columns=list(sectors)).fillna(0).astype(int)
    table[t("sum.total", lang)] = table.sum(axis=1)
    table.index.name = t("field.zones", lang)
    return table


def zone_sector_long(table: pd.DataFrame, *, lang: str = "zh", zones_only: bool = True) -> pd.DataFrame:
    """``table`` from :func:`zone_sector_counts` in long form for a stacked bar chart."""
    model = load_zone_model()
    keep = [zone_name(z.id, lang) for z in model.zones.values() if z.kind != "pole"] + [t("sum.citywide", lang)]
    body = table.drop(columns=[t("sum.total", lang)])
    if zones_only:
        body = body.loc[[k for k in keep if k in body.index]]
    long = body.reset_index().melt(id_vars=body.index.name, var_name=t("field.sector", lang), value_name="n")
    return long[long["n"] > 0].rename(columns={"n": t("sum.total", lang)}).reset_index(drop=True)


def where_explanation(record: Mapping, *, lang: str = "zh") -> dict:
    """What the plan says about a point's zones and poles, for the which-zone answer.

    ``record`` is :func:`layout.geo.classify.where_record`'s answer. Returns ``zones`` and ``poles``: lists of
    ``{"id", "label", "definition", "quote", "section", "role"}`` where ``definition`` is the zone's
    defining sentence and ``quote`` the sentence that puts the county in it.
    """
    model = load_zone_model()
    county = record.get("county")

    def explain(zone_id: str) -> dict:
        zone = model.zones[zone_id]
        member = model.membership(zone_id, county) if county else None
        return {
            "id": zone_id,
            "label": zone_name(zone_id, lang),
            "definition": zone.definition,
            "section": zone.plan_section,
            "quote": member.quote if member else "",
            "quote_section": member.plan_section if member else "",
            "role": member.role if member else "",
        }

    return {
        "zones": [explain(z) for z in record.get("zones") or ()],
        "poles": [explain(p) for p in record.get("poles") or ()],
    }


#: The plan's own sentence that names the layout (第三章's opening), quoted on the landing page.
LAYOUT_OVERVIEW = (
    "依托我市独特区位优势和独特资源禀赋，整合空间资源要素，突出发展湖区和山区服务业，"
    "加强区域间产业协作联动，构建以中心城区为核心、以县域城镇为支点、城乡互补的多层次服务网络，"
    "着力打造“一核两翼三极”的服务业发展空间布局。"
)
LAYOUT_SECTION = "第三章 优化服务业空间布局"


def layout_explanation(lang: str = "zh") -> dict:
    """一核两翼三极 in the plan's words: the overview sentence and, per kind (``core``, ``wing``, ``pole``),
    each zone's ``name``, ``counties``, ``color``, defining sentence and section."""
    model = load_zone_model()
    out: dict = {"overview": LAYOUT_OVERVIEW, "section": LAYOUT_SECTION}
    sep = "、" if lang == "zh" else ", "
    for kind in ("core", "wing", "pole"):
        out[kind] = [
            {
                "name": zone.name_en if lang == "en" else f"{zone.short_zh}·{zone.name_zh}",
                "counties": sep.join(
                    m.county if lang == "zh" else model.counties[m.county].name_en
                    for m in zone.members
                    if not (zone.kind != "pole" and m.role == "secondary")
                ),
                "color": zone.color,
                "definition": zone.definition,
                "section": zone.plan_section,
            }
            for zone in model.by_kind(kind)
        ]
    return out


#: The plan's verbs (the catalog's ``action``) in English, and the kind of work each names. Verbs that
#: name no kind of construction (依托, 利用, 支持 …) have kind ``None``: tables and decks show no action.
ACTIONS: dict[str, tuple[str, str | None]] = {
    "新建": ("new build", "new"),
    "续建": ("continued build", "continued"),
    "升级改造": ("upgrade", "upgrade"),
    "改造提升": ("upgrade and improve", "upgrade"),
    "改造升级": ("upgrade", "upgrade"),
    "以…为载体": ("build on", None),
    "建设": ("build", "build"),
    "加快建设": ("speed up building", "build"),
    "重点建设": ("build as a priority", "build"),
    "推动建设": ("push building", "build"),
    "统筹建设": ("build in coordination", "build"),
    "规划建设": ("plan and build", "build"),
    "参与建设": ("take part in building", "build"),
    "建好": ("build", "build"),
    "搭建": ("set up", "build"),
    "打造": ("develop", "build"),
    "开发": ("develop", "build"),
    "开辟": ("open up", "build"),
    "布局": ("lay out", "build"),
    "推进": ("advance", "advance"),
    "统筹推进": ("advance in coordination", "advance"),
    "启动": ("launch", "advance"),
    "完善": ("complete", "improve"),
    "加快完善": ("speed up completing", "improve"),
    "优化": ("optimise", "improve"),
    "提升": ("improve", "improve"),
    "加强": ("strengthen", "improve"),
    "运行": ("operate", "operate"),
    "上线运行": ("go live", "operate"),
    "依托": ("rely on", None),
    "利用": ("make use of", None),
    "挖掘": ("tap", None),
    "支持": ("support", None),
    "落户": ("attract", None),
    "落实": ("carry out", None),
}


def _action(action: str) -> tuple[str, str | None]:
    """(English, kind) of a verb, or of the longest known verb it starts with (重点建设… → 重点建设)."""
    if action in ACTIONS:
        return ACTIONS[action]
    known = [v for v in ACTIONS if action.startswith(v)]
    return ACTIONS[max(known, key=len)] if known else (action, None)


def action_label(action: str, lang: str = "zh") -> str:
    """The plan's verb as the filter shows it: as written in Chinese, translated in English."""
    if lang == "zh" or not action:
        return action
    english = _action(action)[0]
    return english[:1].upper() + english[1:]


def action_phrase(action, lang: str = "zh") -> str:
    """What kind of work a project is, as a readable phrase (新建项目, Upgrade …); "" when the plan's verb
    names none (依托, 利用 …) or there is no verb."""
    kind = _action(str(action or ""))[1]
    return t(f"action_kind.{kind}", lang) if kind else ""


def project_names(catalog: pd.DataFrame, lang: str = "zh") -> pd.Series:
    """Projects' names in ``lang``: in English the catalog's ``name_en`` where it has one, else the Chinese."""
    name = catalog["name"].astype(str)
    if lang == "en" and "name_en" in catalog:
        english = catalog["name_en"].fillna("").astype(str)
        name = english.where(english != "", name)
    return name


def project_table(catalog: pd.DataFrame, lang: str = "zh") -> pd.DataFrame:
    """Catalog rows as the explorer's plain project table, headers and labels in ``lang``.

    Parameters
    ----------
    catalog
        Catalog rows (:func:`layout.catalog.projects.load_catalog` columns).
    lang
        "zh" or "en": headers, sectors, actions, zones and precisions in that language; the English
        name where the catalog has one.

    Returns
    -------
    One row per project, text only (``st.dataframe`` never renders HTML).
    """
    return pd.DataFrame(
        {
            t("field.id", lang): catalog["id"].astype(str).to_numpy(),
            t("field.name", lang): project_names(catalog, lang).to_numpy(),
            t("field.sector", lang): [t(f"sector.{s}", lang, default=s) for s in catalog["sector"].astype(str)],
            t("field.action", lang): [action_label(a, lang) for a in catalog["action"].fillna("").astype(str)],
            t("field.county", lang): effective_county(catalog).to_numpy(),
            t("field.zones", lang): [zone_names(z, lang) for z in catalog["zones"]],
            t("field.poles", lang): [zone_names(p, lang) for p in catalog["poles"]],
            t("field.precision", lang): [t(f"precision.{p}", lang) for p in catalog["precision"]],
            t("field.plan_section", lang): catalog["plan_section"].fillna("").astype(str).to_numpy(),
            t("field.plan_quote", lang): catalog["plan_quote"].fillna("").astype(str).to_numpy(),
        }
    )
