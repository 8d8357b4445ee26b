"""益阳市“十四五”服务业发展规划 explorer: the 一核两翼三极 layout and its key projects (Streamlit).

Widgets, cached wrappers around ``layout`` calls, and display code only; the logic lives in
``layout.render.views`` (filters, URL state, search, summaries) and ``layout.render.webmap`` (the folium map).
Run with ``make run`` (or ``streamlit run app.py``); everything it loads is served by the app itself.
"""

from __future__ import annotations

import logging
import re
from urllib.parse import urlencode

import streamlit as st

st.set_page_config(page_title="益阳市服务业空间布局 · 一核两翼三极", page_icon="🗺️", layout="wide")

import pandas as pd  # noqa: E402

from layout.errors import LayoutError  # noqa: E402
from layout.geo.classify import where_record  # noqa: E402
from layout.geo.crs import CRS_LABELS, CRS_NAMES, from_wgs84  # noqa: E402
from layout.i18n import check_lang, error_text, format_bytes, format_count, format_distance, t  # noqa: E402
from layout.plan.context import active_plan_files  # noqa: E402
from layout.plan.indicators import load_indicators, table1_frame, targets_frame  # noqa: E402
from layout.render import assets, views  # noqa: E402
from layout.render.palette import SECTOR_COLORS, sector_colors  # noqa: E402
from layout.render.webmap import build_map, build_project_group, t_sector  # noqa: E402
from layout.render.webmap_data import GCJ_BASEMAPS  # noqa: E402
from layout.render.webmap_elements import OfflineMap, ProjectLayer  # noqa: E402
from layout.settings import CATALOG_ENV, TIANDITU_ENV, env_text  # noqa: E402
from layout.tables import batch  # noqa: E402
from layout.tables.read import read_table_bytes  # noqa: E402
from layout.tables.result_file import result_file_bytes  # noqa: E402
from layout.tables.table import MAX_CELLS, MAX_COLUMNS, MAX_ROWS, MAX_UPLOAD_BYTES, Table  # noqa: E402
from ui import server_guard  # noqa: E402, F401 - a client's clear_cache clears only its own session
from ui.chrome import (  # noqa: E402
    in_active_plan,
    nav_links,
    plan_picker,
    plan_query,
    plan_tag,
    show_draft_mark,
    widget_texts,
)
from ui.demo_mark import show_demo_mark  # noqa: E402

MAP_HEIGHT = 560  # the component's own height; PAGE_CSS sets the real one from the window's height
#: One screen: a compact header, the map filling the window's height (at least MAP_MIN_PX), the legend
#: and metrics beside it. The iframe's CSS height wins over the component's fixed one.
MAP_MIN_PX = 380
PAGE_CSS = """<style>
.block-container { padding-top: 1.1rem; padding-bottom: 1rem; }
[data-testid="stHeader"] { background: transparent; pointer-events: none; }
[data-testid="stHeader"] * { pointer-events: auto; }
.block-container h1 { font-size: 1.3rem; line-height: 1.35; padding: 0 0 .1rem 0; }
[data-testid="stMetric"] { padding: 0; }
[data-testid="stMetricValue"] { font-size: 1.35rem; }
iframe[title="streamlit_folium.st_folium"] { height: max(MIN_PX, calc(100vh - 12.5rem)) !important; }
</style>""".replace("MIN_PX", f"{MAP_MIN_PX}px")
CHART_FONT = '"Noto Sans CJK SC", "Microsoft YaHei", "PingFang SC", sans-serif'  # the map's, in both languages
GROUP_KEYS = ("3", "4", "5")  # the 3+4+5 sector groups, in the order of layout.catalog.projects.SECTORS


# --------------------------------------------------------------------------------------------
# Cached data


@st.cache_resource(show_spinner=False)
def static_assets() -> int:
    """Copy Leaflet & co. into static/vendor once per server process."""
    return len(assets.ensure_static_assets())


@st.cache_resource(show_spinner=False)
def catalog_bundle(plan: str):
    """The catalog of the active plan (``plan``: :func:`plan_tag`), its sector groups and its search index
    (read-only; shared by every session on that plan)."""
    from layout.catalog.projects import SECTORS, load_catalog

    path = env_text(CATALOG_ENV)  # another catalog (bench/browser.py's synthetic 10,000)
    catalog = with_register(load_catalog(path) if path else load_catalog())
    return catalog, dict(SECTORS), views.build_search_index(catalog)


def with_register(catalog: pd.DataFrame) -> pd.DataFrame:
    """The catalog with the project register's sites (solid markers) and statuses, when a register exists."""
    from layout.register.events import Register
    from layout.register.location import register_location
    from layout.register.overlay import overlay_register

    location = register_location()  # a SQLite file, or a postgresql:// URL shared by several app servers
    if not isinstance(location, str) and not location.exists():
        return catalog
    try:
        return overlay_register(catalog, Register(location).state())
    except LayoutError:
        logging.getLogger("yiyang.app").warning("the project register could not be read; showing the plan only")
        return catalog


@st.cache_resource(show_spinner=False)
def _register_seen() -> dict:
    return {}


def refresh_on_register_change() -> None:
    """Drop the cached catalog, views and maps when the register changed (an officer saved, here or on
    another app server sharing the database)."""
    from layout.register.location import open_store, register_location

    path = register_location()
    if isinstance(path, str):  # a server register: its event count changes with every record or undo
        try:
            stamp = (path, open_store(path).count_events())
        except LayoutError:
            stamp = (path, None)
    else:
        stamp = (
            str(path),
            *(
                (p.stat().st_mtime_ns, p.stat().st_size) if p.exists() else None
                for p in (path, path.with_name(path.name + "-wal"))
            ),
        )
    seen = _register_seen()
    if seen.get("stamp", stamp) != stamp:
        catalog_bundle.clear()
        filtered.clear()
        for cached in (project_layer_js, view_table, summary_tables):  # everything made from a view's result
            cached.clear()
    seen["stamp"] = stamp


def tianditu_key() -> str:
    key = env_text(TIANDITU_ENV)
    if not key:
        try:
            key = st.secrets.get("TIANDITU_KEY", "") or st.secrets.get("tianditu", {}).get("key", "")
        except (FileNotFoundError, KeyError, AttributeError, st.errors.StreamlitSecretNotFoundError):
            key = ""
    return str(key)


PLAN_PARAM = "~plan"  # the active plan in a view's cache key (not a view parameter: state_from_query ignores it)


def view_key(state: views.ViewState) -> tuple[tuple[str, str], ...]:
    """A view as a hashable cache key: its URL parameters and the active plan (:func:`plan_tag`)."""
    return (*sorted(views.state_to_query(state).items()), (PLAN_PARAM, plan_tag()))


@st.cache_resource(show_spinner=False, max_entries=64)
def filtered(query: tuple[tuple[str, str], ...]) -> tuple[views.ViewState, views.FilterResult]:
    """The view of ``query`` and its filtered catalog (read-only; shared by every session)."""
    catalog, sectors, index = catalog_bundle(dict(query)[PLAN_PARAM])
    options = views.filter_options(catalog, sectors)
    state, _ = views.state_from_query(dict(query), options)
    return state, views.apply_filters(catalog, state, options, index=index)


@st.cache_resource(show_spinner=False, max_entries=32)
def base_map_args(lang: str, basemap: str, focus: str, key: str, color_by: str, plan: str) -> dict:
    """The map without projects (boundaries, zones, poles, legend of every sector) as streamlit-folium's
    component arguments, rendered once per language, basemap, focus and plan and shared by every session.

    ``st_folium`` renders the whole map to HTML on every rerun (≈ 0.3 s for the boundaries alone). The
    component's ``key`` is the one ``st_folium`` derives from the script, so the browser keeps the map
    while only the project layer changes. Uses streamlit-folium's own helpers (pinned in pyproject.toml).
    """
    import streamlit_folium as sf

    m = build_map(
        None,
        lang=lang,
        basemap=basemap,
        focus=focus,
        tianditu_key=key or None,
        height=MAP_HEIGHT,
        legend_sectors=list(SECTOR_COLORS),
        color_by=color_by,
    )
    m.get_root().render()
    m.render()
    html, header, script = sf._get_html(m), sf._get_header(m), sf._get_map_string(m)
    js = [url for _, url in (*OfflineMap.default_js, *ProjectLayer.default_js)]
    css = [url for _, url in (*OfflineMap.default_css, *ProjectLayer.default_css)]
    return {
        "script": script,
        "header": header,
        "html": html,
        "id": sf.get_full_id(m),
        "key": sf.generate_js_hash(script, "map", False),
        "js_links": list(dict.fromkeys(js)),
        "css_links": list(dict.fromkeys(css)),
    }


@st.cache_resource(show_spinner=False, max_entries=64)
def project_layer_js(query: tuple[tuple[str, str], ...]) -> str:
    """The project layer of one view as the script streamlit-folium swaps into the kept map
    (``feature_group_to_add``); built once per view and shared by every session."""
    import folium
    import streamlit_folium as sf

    state, result = filtered(query)
    group = build_project_group(result.points, lang=state.lang, basemap=state.basemap, color_by=state.color)
    return sf._get_feature_group_string(group, folium.Map(tiles=None), idx=0)


SEARCH_ZOOM = 13  # a town's streets around the one project a search found


def show_map(state: views.ViewState, result: views.FilterResult, key: str) -> dict:
    """The map component: the cached base map plus the view's project layer; returns the last click.

    Calls streamlit-folium's component with arguments prepared once (see :func:`base_map_args`) instead
    of ``st_folium``, which would render the same map again on every rerun of every session.
    """
    import streamlit_folium as sf

    args = base_map_args(state.lang, state.basemap, state.focus, key, state.color, plan_tag())
    center, zoom = None, None
    if target := views.search_target(state, result):  # a search down to one project: zoom to it
        lon, lat = target
        if state.basemap in GCJ_BASEMAPS:  # the overlays are drawn in GCJ-02 over 高德 tiles
            x, y = from_wgs84([lon], [lat], "gcj02")
            lon, lat = float(x[0]), float(y[0])
        center, zoom = [lat, lon], SEARCH_ZOOM  # as st_folium passes it: Leaflet's [lat, lng]
    return sf._component_func(
        **args,
        height=MAP_HEIGHT,
        width=None,
        returned_objects=["last_clicked"],
        default={"last_clicked": None},
        zoom=zoom,
        center=center,
        feature_group=project_layer_js(view_key(state)),
        return_on_hover=False,
        layer_control=None,
        pixelated=False,
        wrap_longitude=False,
    )


@st.cache_data(show_spinner=False, max_entries=4, ttl=3600)
def uploaded_table(data: bytes, name: str, sheet: str | None, header_row: int | None = None) -> Table:
    """The uploaded file read as a table (cached by content; few entries: each holds the file)."""
    return read_table_bytes(data, name=name, sheet=sheet, header_row=header_row)


@st.cache_data(show_spinner=False, max_entries=4, ttl=3600)
def classified_upload(
    data: bytes,
    name: str,
    sheet: str | None,
    header_row: int | None,
    crs: str,
    lon: str,
    lat: str,
    pair: str,
    lang: str,
    plan: str,
) -> batch.BatchResult:
    """The batch check of an uploaded table (cached by content, options and plan)."""
    return batch.classify_table(
        uploaded_table(data, name, sheet, header_row),
        lon=lon or None,
        lat=lat or None,
        pair=pair or None,
        crs=crs,
        lang=lang,
    )


@st.cache_data(show_spinner=False, max_entries=4, ttl=3600)
def result_file(
    data: bytes,
    name: str,
    sheet: str | None,
    header_row: int | None,
    crs: str,
    lon: str,
    lat: str,
    pair: str,
    lang: str,
    plan: str,
    fmt: str,
) -> bytes:
    """The officer's own file with the result columns added (cached; the read and the check are too)."""
    table = uploaded_table(data, name, sheet, header_row)
    added = classified_upload(data, name, sheet, header_row, crs, lon, lat, pair, lang, plan).added
    return result_file_bytes(table, added, fmt=fmt)


# --------------------------------------------------------------------------------------------
# Session state ↔ widgets ↔ URL
#
# One source of truth: the session's ViewState under VIEW. Widget callbacks write the value the user
# changed into it; every run pushes it into the widgets' keys that differ before they are drawn, and
# mirrors it in the URL. Streamlit 1.67 sends a multiselect's or pills' value as its *formatted* labels, and ours
# carry live counts ("安化县 (31)"): a widget the browser has not redrawn since the counts changed sends
# a label that no longer exists and its value would be dropped. A callback runs with the labels the
# browser shows, so the ViewState never reads a stale label; pushing it redraws a widget that holds one.
# (``bind="query-params"`` puts the formatted labels, counts included, in the URL: no stable links.)

VIEW = "view_state"

#: Widgets whose shown values are translated. Their keys carry the language ("w_zone", "w_zone_en"): a
#: widget is drawn anew under another key when the language changes.
LOCALISED = (
    "zone",
    "pole",
    "county",
    "action",
    "precision",
    "status",
    "focus",
    "basemap",
    *(f"sector_{g}" for g in GROUP_KEYS),
)


def wkey(name: str, lang: str | None = None) -> str:
    """The session key of the widget for the view field ``name`` in ``lang`` (default: the current)."""
    lang = check_lang(lang or st.session_state.get("lang"))
    return f"w_{name}_{lang}" if name in LOCALISED and lang != "zh" else f"w_{name}"


class _Widgets:
    def __getitem__(self, name: str) -> str:
        return wkey(name)


WIDGET = _Widgets()


def _sector_groups(sectors: dict[str, list[str]]) -> dict[str, list[str]]:
    return dict(zip(GROUP_KEYS, sectors.values(), strict=True))


def current_state() -> views.ViewState:
    """The session's view (the one source of truth)."""
    return st.session_state.get(VIEW) or views.DEFAULT_STATE


def set_state(state: views.ViewState) -> None:
    st.session_state[VIEW] = state
    st.session_state["lang"] = state.lang  # other pages read the language here


def push_state(state: views.ViewState, sectors: dict[str, list[str]]) -> None:
    """Put ``state`` into the widgets' session keys before they are drawn, where a widget holds another value
    (first run, back from another page, reset, a new language, a label the browser had not redrawn).

    Only where it differs: a key written in a run that a click interrupts would win over that click."""
    ss = st.session_state
    set_state(state)
    wanted: dict[str, object] = {
        WIDGET[name]: list(getattr(state, name)) for name in views.LIST_FIELDS if name != "sector"
    }
    for group, members in _sector_groups(sectors).items():
        wanted[WIDGET[f"sector_{group}"]] = [s for s in state.sector if s in members]
    wanted |= {
        WIDGET["q"]: state.q,
        WIDGET["focus"]: state.focus,
        WIDGET["basemap"]: state.basemap,
        WIDGET["color"]: state.color,
        "w_lang": state.lang,
    }
    for key, value in wanted.items():
        if key not in ss or ss[key] != value:
            ss[key] = value


def option_label(name: str, value: str, lang: str) -> str:
    """How a filter's option is named (without its count)."""
    if name in ("zone", "pole"):
        return views.zone_name(value, lang)
    if name == "county":
        return views.county_label(value, lang)
    if name == "sector":
        return t_sector(value, lang)
    if name == "action":
        return views.action_label(value, lang)
    return t(f"{name}.{value}", lang)  # precision, status


COUNT_SUFFIX = re.compile(r" \(\d+\)$")


def chosen_options(name: str, values, options: list[str], lang: str) -> tuple[str, ...]:
    """The options a widget's values name, in the options' order. A multiselect hands back a label it can
    no longer match (its count changed since the browser drew it) as text: it is matched without its count."""
    by_label = {option_label(name, o, lang): o for o in options}
    picked = {v if v in options else by_label.get(COUNT_SUFFIX.sub("", str(v))) for v in values or ()}
    return tuple(o for o in options if o in picked)


def on_field_change(name: str, key: str, options: dict[str, list[str]], sectors: dict[str, list[str]]) -> None:
    """Widget callback: copy the one value the user changed (widget ``key``) into the view's field ``name``."""
    value = st.session_state.get(key)
    state = current_state()
    if name.startswith("sector_"):
        members = _sector_groups(sectors)[name.removeprefix("sector_")]
        picked = set(chosen_options("sector", value, members, state.lang))
        picked |= {s for s in state.sector if s not in members}
        set_state(state.with_(sector=tuple(s for s in options["sector"] if s in picked)))
    elif name in views.LIST_FIELDS:
        set_state(state.with_(**{name: chosen_options(name, value, options[name], state.lang)}))
    elif name == "q":
        set_state(state.with_(q=str(value or "").strip()))
    elif name == "color":
        set_state(state.with_(color=value or "sector"))
    else:  # focus, basemap
        set_state(state.with_(**{name: value or getattr(views.DEFAULT_STATE, name)}))


def init_session(options: dict[str, list[str]], sectors: dict[str, list[str]]) -> None:
    """On a session's first run take the view from the URL; back from another page keep the session's."""
    ss = st.session_state
    if VIEW in ss:
        return
    params = {k: st.query_params.get_all(k) for k in st.query_params}
    if "lang" not in params and "lang" in ss:
        params["lang"] = ss["lang"]
    state, problems = views.state_from_query(params, options)
    ss["query_problems"] = problems
    set_state(state)


def sync_url(state: views.ViewState) -> None:
    """Mirror the view in the URL (only when it changed)."""
    query = {**views.state_to_query(state), **plan_query()}
    current = {k: st.query_params.get(k) for k in st.query_params}
    if current != query:
        st.query_params.from_dict(query)


def on_lang_change() -> None:
    """The language is part of the view; the localised widgets are drawn anew under its keys."""
    set_state(current_state().with_(lang=check_lang(st.session_state["w_lang"])))


def reset_filters() -> None:
    state = current_state()
    set_state(views.DEFAULT_STATE.with_(lang=state.lang, basemap=state.basemap, color=state.color))


# --------------------------------------------------------------------------------------------
# Sidebar


def sidebar(options, sectors, result: views.FilterResult, lang: str, has_tianditu: bool) -> None:
    """The language, basemap, focus and filters; each widget writes its change into the view."""
    sb = st.sidebar

    def kw(name: str) -> dict:
        return {"key": WIDGET[name], "on_change": on_field_change, "args": (name, WIDGET[name], options, sectors)}

    sb.segmented_control(
        t("app.lang", lang),
        ["zh", "en"],
        key="w_lang",
        on_change=on_lang_change,
        format_func=lambda v: {"zh": "中文", "en": "English"}[v],
        required=True,
    )
    basemaps = [b for b in views.BASEMAPS if b != "tianditu" or has_tianditu]
    if current_state().basemap not in basemaps:
        set_state(current_state().with_(basemap="none"))
        st.session_state[WIDGET["basemap"]] = "none"
        sb.warning(t("basemap.tianditu_missing", lang))
    sb.selectbox(t("side.basemap", lang), basemaps, **kw("basemap"), format_func=lambda b: t(f"basemap.{b}", lang))
    if current_state().basemap != "none":
        sb.caption(t("basemap.online_note", lang))
    sb.selectbox(
        t("side.focus", lang), views.focus_options(), **kw("focus"), format_func=lambda f: views.focus_label(f, lang)
    )

    sb.subheader(t("side.filters", lang))
    sb.text_input(t("side.search", lang), **kw("q"), placeholder=t("side.search_help", lang))
    counts = result.counts

    def counted(name: str):
        return lambda v: f"{option_label(name, v, lang)} ({counts[name].get(v, 0)})"

    def choose(name: str, **extra) -> None:  # chips in one row: a box that shrinks when it loses focus moves
        sb.multiselect(
            t(f"side.{name}", lang),
            options[name],
            **kw(name),
            placeholder=t("side.all", lang),
            format_func=counted(name),
            wrap=False,
            select_all=False,
            **extra,
        )  # the next pill

    choose("zone")
    choose("pole")
    choose("county")
    sb.markdown(f"**{t('side.sector', lang)}**")
    for group, members in _sector_groups(sectors).items():  # a pill's label must not change between runs:
        sb.pills(
            t(f"group.{group}", lang),
            members,
            selection_mode="multi",
            **kw(f"sector_{group}"),
            format_func=lambda s: option_label("sector", s, lang),
        )  # pills drop a label they cannot match
    choose("action")
    choose("precision")
    choose("status", help=t("side.status_help", lang))
    sb.segmented_control(
        t("side.color", lang), list(views.COLOR_BY), **kw("color"), format_func=lambda c: t(f"color.{c}", lang)
    )
    sb.button(t("side.reset", lang), on_click=reset_filters, width="stretch")


def share_link(state: views.ViewState) -> None:
    """The view's URL, to bookmark or send (the address bar holds it too)."""
    query = urlencode({**views.state_to_query(state), **plan_query()})
    base = str(getattr(st.context, "url", "") or "").split("?")[0]
    st.sidebar.caption(t("side.share", state.lang))
    st.sidebar.code(f"{base}?{query}" if query else base or "?", language=None)


# --------------------------------------------------------------------------------------------
# Display helpers


@st.cache_resource(show_spinner=False, max_entries=256)
def view_table(query: tuple[tuple[str, str], ...], part: str, columns: tuple[int, ...] | None = None):
    """One of a view's project tables (``points``, ``citywide``, ``unplaced``, ``focus``; ``columns`` by
    position), made once per view and shared by every session: an Arrow table, which ``st.dataframe``
    sends without converting it again on every rerun."""
    import pyarrow as pa

    state, result = filtered(query)
    if part == "focus":
        placed = pd.concat([result.points, result.unplaced])
        table = views.project_table(placed.loc[views.focus_mask(placed, state.focus)], state.lang)
    else:
        table = views.project_table(getattr(result, part), state.lang)
    if columns is not None:
        table = table.iloc[:, list(columns)]
    return pa.Table.from_pandas(table, preserve_index=False)


def show_answer(record: dict, lang: str, box=None) -> None:
    """The which-zone answer: county (or nearest county and distance), zones, poles, the plan's words."""
    box = box or st.container()

    def county_name(name: str | None) -> str:
        if not name:
            return "—"
        return f"{views.focus_label(f'county:{name}', lang)} ({name})" if lang == "en" else name

    if record.get("inside"):
        box.success(t("which.inside", lang, county=county_name(record.get("county"))))
    else:
        box.warning(
            t(
                "which.outside",
                lang,
                county=county_name(record.get("nearest_county")),
                distance=format_distance(record.get("distance_km"), lang),
            )
        )
    box.caption(t("which.wgs84", lang, lon=f"{record['lon']:.6f}", lat=f"{record['lat']:.6f}"))
    if not record.get("inside"):
        return
    explained = views.where_explanation(record, lang=lang)
    for title, items in ((t("which.zones", lang), explained["zones"]), (t("which.poles", lang), explained["poles"])):
        box.markdown(f"**{title}**")
        if not items:
            box.caption(t("which.no_pole", lang))
        for item in items:
            role = t("which.secondary", lang) if item["role"] == "secondary" else ""
            box.markdown(f"- {item['label']}{role}")
            box.markdown(f"> {item['definition']}\n>\n> —— {item['section']}")
            if item["quote"] and item["quote"] != item["definition"]:
                box.markdown(f"> {item['quote']}\n>\n> —— {item['quote_section']}")


def answer_box(lon_text: str, lat_text: str, crs: str, lang: str, box=None) -> None:
    box = box or st.container()
    try:
        record = where_record(lon_text, lat_text, crs)
    except LayoutError as exc:
        box.error(error_text(exc, lang, ui="app"))
        return
    show_answer(record, lang, box)


def explain_layout(lang: str) -> None:
    """一核两翼三极 in the plan's own words, on one screen, folded (the fold's state is kept)."""
    text = views.layout_explanation(lang)
    with st.expander(t("explain.title", lang), key="w_explain", on_change="rerun"):
        st.markdown(f"> {text['overview']}\n>\n> —— {text['section']}")
        columns = st.columns(3)
        for column, kind in zip(columns, ("core", "wing", "pole"), strict=True):
            with column:
                st.markdown(f"**{t(f'explain.{kind}', lang)}**")
                for item in text[kind]:
                    st.markdown(
                        f"<span style='color:{item['color']}'>■</span> **{item['name']}** · {item['counties']}",
                        unsafe_allow_html=True,
                    )
                    st.caption(
                        f"{item['definition']}（{item['section']}）"
                        if lang == "zh"
                        else f"{item['definition']} ({item['section']})"
                    )
        st.caption(t("app.caption", lang))


# --------------------------------------------------------------------------------------------
# Tabs


def click_answer(lang: str) -> None:
    """The which-zone answer for the last map click (read in GCJ-02 when it was made over 高德 tiles)."""
    click = st.session_state.get("click")
    if not click:
        st.caption(t("panel.click_hint", lang))
        return
    crs = "gcj02" if click[2] in GCJ_BASEMAPS else "wgs84"
    if crs == "gcj02":
        st.caption(t("which.click_crs_note", lang))
    answer_box(f"{click[0]:.6f}", f"{click[1]:.6f}", crs, lang)


def map_tab(state: views.ViewState, result: views.FilterResult, key: str, total: int) -> None:
    lang = state.lang
    left, right = st.columns([3, 1], gap="small")
    with left:
        out = show_map(state, result, key)
        clicked = (out or {}).get("last_clicked")
        if clicked and clicked != st.session_state.get("click_raw"):
            st.session_state["click_raw"] = clicked
            st.session_state["click"] = (clicked["lng"], clicked["lat"], state.basemap)
    with right:
        m1, m2 = st.columns(2)
        m1.metric(t("count.metric_points", lang), format_count(len(result.points), lang))
        m2.metric(t("count.metric_citywide", lang), format_count(len(result.citywide), lang))
        st.metric(t("count.metric_total", lang), f"{format_count(result.total, lang)} / {format_count(total, lang)}")
        st.markdown(f"**{t('panel.click', lang)}**")
        click_answer(lang)
        if state.focus:
            placed = pd.concat([result.points, result.unplaced])
            focused = placed.loc[views.focus_mask(placed, state.focus)]
            st.markdown(
                f"**{t('panel.focus', lang, name=views.focus_label(state.focus, lang))}** "
                f"({format_count(len(focused), lang)})"
            )
            st.dataframe(view_table(view_key(state), "focus", (0, 1, 2, 3)), hide_index=True, height=240)
        st.markdown(f"**{t('panel.citywide', lang)}** ({format_count(len(result.citywide), lang)})")
        if len(result.citywide):
            st.dataframe(view_table(view_key(state), "citywide", (1, 2, 3)), hide_index=True, height=240)
        else:
            st.caption(t("panel.citywide_none", lang))
        if len(result.unplaced):
            st.markdown(f"**{t('panel.unplaced', lang)}** ({format_count(len(result.unplaced), lang)})")
            st.dataframe(view_table(view_key(state), "unplaced", (1, 2, 4)), hide_index=True, height=200)
    if len(result.points):
        st.dataframe(view_table(view_key(state), "points"), hide_index=True, height=320)
    else:
        st.info(t("count.none", lang))


def which_tab(catalog: pd.DataFrame, lang: str) -> None:
    modes = ["project", "coords", "click"]
    st.session_state.setdefault("w_which_mode", "project")
    mode = st.segmented_control(
        t("which.mode", lang),
        modes,
        key="w_which_mode",
        required=True,
        format_func=lambda m: t(f"which.mode.{m}", lang),
    )
    if mode == "project":
        query = st.text_input(t("which.search", lang), key="w_which_q", placeholder=t("side.search_help", lang))
        index = catalog_bundle(plan_tag())[2]
        found = catalog.loc[views.search_mask(index, query)] if query.strip() else catalog
        ids = found["id"].astype(str).tolist()
        labels = dict(zip(ids, (found["id"].astype(str) + " · " + found["name"].astype(str)).tolist(), strict=True))
        pick = st.selectbox(
            t("which.project", lang),
            ids,
            key="w_which_project",
            format_func=labels.get,
            index=None,
            placeholder=t("which.pick", lang, count=format_count(len(ids), lang)),
        )
        if pick is not None:
            row = catalog.loc[catalog["id"].astype(str) == pick].iloc[0]
            if pd.isna(row["lon"]) or pd.isna(row["lat"]):
                st.info(t("which.no_point", lang))
            else:
                precision_note(row, lang)
                answer_box(repr(float(row["lon"])), repr(float(row["lat"])), "wgs84", lang)
    elif mode == "coords":
        c1, c2, c3 = st.columns([1.2, 1, 1.4])  # read as the batch check reads a row (layout.geo.table_crs.read_point)
        lon = c1.text_input(
            t("which.lon", lang),
            key="w_which_lon",
            placeholder=t("which.lon_hint", lang),
            help=t("which.paste_help", lang),
        )
        lat = c2.text_input(t("which.lat", lang), key="w_which_lat", placeholder="28.554")
        crs = c3.selectbox(
            t("which.crs", lang),
            BATCH_CRS,
            key="w_which_crs",
            format_func=lambda c: t(f"crs.option.{c}", lang, default=CRS_LABELS.get(c, c)),
        )
        if lon.strip():  # a whole pasted point fits in the first box
            answer_box(lon, lat, crs, lang)
    else:
        click_answer(lang)


def precision_note(row: pd.Series, lang: str) -> None:
    """How exact a catalog project's point is: a town or county seat stands in for an unknown site."""
    precision = str(row.get("precision", ""))
    if precision not in ("county", "town"):
        return
    source = str(row.get("geocode_source", ""))
    seat = source.split("= ", 1)[1].split(",", 1)[0].strip() if "= " in source else "—"
    county = str(row.get("county", ""))
    st.warning(t(f"which.precision.{precision}", lang, seat=seat, county=county))


BATCH_CRS = ["auto", *CRS_NAMES, "EPSG:4546", "EPSG:4547", "EPSG:4525", "EPSG:4526", "EPSG:2382", "EPSG:2383"]


def batch_tab(lang: str) -> None:
    """Upload a table, get it back with zone columns and a reason per row (the CLI's classify, same words)."""
    st.markdown(t("batch.intro", lang))
    limit_mb = MAX_UPLOAD_BYTES // (1024 * 1024)
    upload = st.file_uploader(t("batch.upload", lang) + " (.csv / .xlsx)", key="w_upload", max_upload_size=limit_mb)
    st.caption(
        t(
            "batch.limits",
            lang,
            size=format_bytes(MAX_UPLOAD_BYTES),
            columns=f"{MAX_COLUMNS:,}",
            rows=format_count(MAX_ROWS, lang),
            cells=format_count(MAX_CELLS, lang),
        )
    )
    if upload is None:
        return
    data = upload.getvalue()
    if len(data) > MAX_UPLOAD_BYTES:
        st.error(t("batch.too_big", lang, size=format_bytes(len(data)), limit=format_bytes(MAX_UPLOAD_BYTES)))
        return
    sheet = st.session_state.get("w_batch_sheet") or None
    header_row = int(st.session_state.get("w_batch_header") or 0) or None
    try:
        table = uploaded_table(data, upload.name, sheet, header_row)
    except LayoutError as exc:
        st.error(error_text(exc, lang, ui="app"))
        return
    columns = [""] + list(map(str, table.frame.columns))
    auto = t("batch.auto", lang)
    c0, h0, c1, c2, c3, c4 = st.columns([1, 0.8, 1.4, 1, 1, 1])
    if len(table.sheets) > 1:
        c0.selectbox(
            t("batch.sheet", lang),
            table.sheets,
            key="w_batch_sheet",
            index=table.sheets.index(table.sheet) if table.sheet in table.sheets else 0,
        )
    h0.number_input(
        t("batch.header_row", lang),
        min_value=0,
        step=1,
        key="w_batch_header",
        help=t("batch.header_row_help", lang, row=table.header_row),
    )
    crs = c1.selectbox(
        t("batch.crs", lang),
        BATCH_CRS,
        key="w_batch_crs",
        format_func=lambda c: t(f"crs.option.{c}", lang, default=CRS_LABELS.get(c, c)),
    )
    lon = c2.selectbox(t("batch.lon", lang), columns, key="w_batch_lon", format_func=lambda c: c or auto)
    lat = c3.selectbox(t("batch.lat", lang), columns, key="w_batch_lat", format_func=lambda c: c or auto)
    pair = c4.selectbox(t("batch.pair", lang), columns, key="w_batch_pair", format_func=lambda c: c or auto)
    options = (upload.name, table.sheet, header_row, crs, lon or "", lat or "", pair or "", lang, plan_tag())
    try:
        result = classified_upload(data, *options)
    except LayoutError as exc:
        st.error(error_text(exc, lang, ui="app"))
        return
    counts = result.counts
    notes = [t(code, lang, **args) for code, args in table.notes]
    st.info(" ".join([*notes, batch.decision_text(result, lang)]))
    summary = t(
        "batch.counts",
        lang,
        rows=format_count(len(table.frame), lang),
        inside=counts["inside"],
        outside=counts["outside"],
        errors=counts["error"],
    )
    if none := batch.nothing_located_text(result, lang):
        st.warning(f"{summary} {none}")  # the box's colour follows the result: nothing placed is no success
    else:
        st.success(summary)
    if counts["error"]:
        st.markdown(f"**{t('batch.errors', lang)}**")
        st.dataframe(result.problem_rows(table.frame, lang=lang), hide_index=True)
    shown = pd.concat([table.frame.reset_index(drop=True), result.added.reset_index(drop=True)], axis=1)
    st.dataframe(shown.astype(str).replace({"None": "", "nan": ""}), hide_index=True)
    stem = upload.name.rsplit(".", 1)[0] + ("_片区" if lang == "zh" else "_zones")
    d1, d2 = st.columns(2)
    try:
        d1.download_button(
            t("batch.download_csv", lang),
            result_file(data, *options, "csv"),
            file_name=f"{stem}.csv",
            mime="text/csv",
            key="w_dl_csv",
        )
        d2.download_button(
            t("batch.download_xlsx", lang),
            result_file(data, *options, "xlsx"),
            file_name=f"{stem}.xlsx",
            key="w_dl_xlsx",
            mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    except LayoutError as exc:
        st.error(error_text(exc, lang, ui="app"))


@st.cache_resource(show_spinner=False, max_entries=64)
def summary_tables(query: tuple[tuple[str, str], ...]) -> dict:
    """The summaries of one view (Arrow tables and the chart), made once per view and shared by every session."""
    import pyarrow as pa

    catalog, sectors, _ = catalog_bundle(dict(query)[PLAN_PARAM])
    state, result = filtered(query)
    lang = state.lang
    rows = pd.concat([result.points, result.unplaced, result.citywide])
    order = [s for group in sectors.values() for s in group]
    table = views.zone_sector_counts(rows, order, lang=lang)
    long = views.zone_sector_long(table, lang=lang)
    arrow = pa.Table.from_pandas
    return {
        "counts": arrow(table.rename(columns={s: t_sector(s, lang) for s in order}).reset_index()),
        "rows": len(table),
        "chart": sector_chart(long, table.index.name, order, lang) if len(long) else None,
        "table1": arrow(table1_frame(lang=lang), preserve_index=False),
        "targets": arrow(targets_frame(lang=lang, sectors=order), preserve_index=False),
    }


def summary_tab(state: views.ViewState) -> None:
    lang = state.lang
    tables = summary_tables(view_key(state))
    st.subheader(t("sum.zone_sector", lang))
    st.caption(t("sum.zone_sector_note", lang))
    st.dataframe(tables["counts"], hide_index=True, height=(tables["rows"] + 1) * 35 + 3)
    if tables["chart"] is not None:
        st.markdown(f"**{t('sum.chart', lang)}**")
        st.vega_lite_chart(*tables["chart"], width="stretch")
    ind = load_indicators()
    st.subheader(t("sum.table1", lang))
    if lang == "zh":
        st.caption(f"{ind.section} · {ind.context}")
    else:  # the plan's own sentence, quoted in the plan's Chinese
        st.markdown(f"> {ind.context}\n>\n> —— {ind.section}")
    st.dataframe(tables["table1"], hide_index=True)
    st.subheader(t("sum.targets", lang))
    st.dataframe(tables["targets"], hide_index=True)


def sector_chart(long: pd.DataFrame, zone_field: str, order: list[str], lang: str) -> tuple[pd.DataFrame, dict]:
    """Projects per zone, stacked by sector in the map's colours (layout.render.palette), labels in full.

    A plain Vega-Lite spec (no Altair object to build and validate on every rerun)."""
    sector_field, total_field = t("field.sector", lang), t("sum.total", lang)
    data = long.copy()
    data[sector_field] = data[sector_field].map(lambda s: t_sector(s, lang))
    present = [s for s in order if t_sector(s, lang) in set(data[sector_field])]
    names = [t_sector(s, lang) for s in present]
    data["rank"] = data[sector_field].map({n: i for i, n in enumerate(names)})
    spec = {
        "mark": {"type": "bar"},
        "encoding": {
            "y": {"field": zone_field, "type": "nominal", "title": None, "sort": None, "axis": {"labelLimit": 0}},
            "x": {"field": total_field, "type": "quantitative", "title": total_field},
            "color": {
                "field": sector_field,
                "type": "nominal",
                "sort": names,
                "scale": {"domain": names, "range": sector_colors(present)},
                "legend": {
                    "orient": "bottom",
                    "columns": 4 if lang == "en" else 6,
                    "labelLimit": 0,
                    "title": None,
                    "symbolType": "square",
                },
            },
            "order": {"field": "rank", "type": "quantitative"},
            "tooltip": [{"field": zone_field}, {"field": sector_field}, {"field": total_field}],
        },
        "config": {"font": CHART_FONT},
    }
    return data, spec


def export_available() -> bool:
    import importlib.util

    return importlib.util.find_spec("layout.render.export") is not None


@st.cache_data(show_spinner=False, max_entries=24)
def export_file_bytes(query: tuple[tuple[str, str], ...], scope: str, fmt: str, lang: str) -> bytes:
    """One export of a view (cached: the same view, plan and format are made once); marked 草案 from a draft."""
    from layout.drafting.mark import mark_draft
    from layout.render.export import export_bytes

    _, result = filtered(query)
    rows = pd.concat([result.points, result.unplaced, result.citywide])
    data = export_bytes(scope, fmt, lang=lang, catalog=rows)
    plan = active_plan_files()
    return mark_draft(data, fmt, name=plan.name) if plan.draft else data


def export_tab(state: views.ViewState) -> None:
    """Download buttons for the current view (filters, focus, language), made when clicked."""
    from layout.render.export import DECK_COUNTIES, MEDIA_TYPES, default_filename

    lang = state.lang
    scope = state.focus or "city"
    st.markdown(t("export.intro", lang))
    st.caption(t("export.scope", lang, scope=views.focus_label(state.focus, lang)))
    query = view_key(state)
    formats = ["png", "html"] if active_plan_files().draft else ["png", "pdf", "html"]  # a PDF cannot carry 草案
    kind, _, key = scope.partition(":")
    if kind == "county" and key in DECK_COUNTIES:
        formats.append("pptx")
    columns = st.columns(4)
    for column, fmt in zip(columns, formats, strict=False):
        column.download_button(
            t(f"export.{fmt}", lang),
            data=in_active_plan(export_file_bytes, query, scope, fmt, lang),  # made later, in another thread
            file_name=default_filename(scope, fmt, lang=lang),
            mime=MEDIA_TYPES[fmt],
            key=f"w_export_{fmt}",
            on_click="ignore",
            width="stretch",
        )
    if "pptx" not in formats:
        st.caption(t("export.pptx_hint", lang))


# --------------------------------------------------------------------------------------------
# The page


def main() -> None:
    static_assets()
    refresh_on_register_change()
    lang = check_lang(st.session_state.get("lang") or st.query_params.get("lang"))
    nav_links(lang)
    plan = plan_picker(lang)  # activates the plan for this run: every cached loader below is keyed by it
    try:
        catalog, sectors, _ = catalog_bundle(plan_tag())
    except LayoutError as exc:
        st.error(t("error.catalog", lang, error=exc))
        st.stop()
    options = views.filter_options(catalog, sectors)
    init_session(options, sectors)
    state = current_state()
    lang = state.lang
    _, result = filtered(view_key(state))
    key = tianditu_key()
    push_state(state, sectors)
    sidebar(options, sectors, result, lang, bool(key))
    state = current_state()  # the sidebar may have corrected the basemap
    sync_url(state)
    share_link(state)

    st.html(PAGE_CSS)
    widget_texts(lang, upload_limit=format_bytes(MAX_UPLOAD_BYTES))
    st.title(t("app.title", lang))
    show_draft_mark(plan, lang)  # 草案 on everything made from a draft plan
    show_demo_mark(lang)  # 演示数据 / demo data when the statuses come from a demo register
    explain_layout(lang)
    if st.session_state.get("query_problems"):
        st.warning(t("error.query", lang, problems="; ".join(st.session_state["query_problems"])))

    names = [t("tab.map", lang), t("tab.which", lang), t("tab.batch", lang), t("tab.summary", lang)]
    has_export = export_available()
    tabs = st.tabs([*names, t("tab.exports", lang)] if has_export else names)
    with tabs[0]:
        map_tab(state, result, key, len(catalog))
    with tabs[1]:
        which_tab(catalog, lang)
    with tabs[2]:
        batch_tab(lang)
    with tabs[3]:
        summary_tab(state)
    if has_export:
        with tabs[4]:
            export_tab(state)


try:
    main()
except Exception as exc:  # the last resort: a message and the server log, never a traceback on the page
    logging.getLogger("yiyang.app").exception("unexpected error")
    st.error(t("error.generic", check_lang(st.session_state.get("lang")), error=f"{type(exc).__name__}: {exc}"))
