"""益阳市“十四五”服务业发展规划 explorer: the 一核两翼三极 layout and its key projects (Streamlit).

Widgets, cached wrappers around ``layout`` calls, and display code only; the logic lives in
``layout.views`` (filters, URL state, search, summaries) and ``layout.maps`` (the folium map).
Run with ``make run`` (or ``streamlit run app.py``); everything it loads is served by the app itself.
"""

from __future__ import annotations

import copy
import logging
import os
from urllib.parse import urlencode

import streamlit as st

st.set_page_config(page_title="益阳市服务业空间布局 · 一核两翼三极", page_icon="🗺️", layout="wide")

import pandas as pd  # noqa: E402
from streamlit_folium import st_folium  # noqa: E402

from layout import assets, batch, tables, views  # noqa: E402  # noqa: E402
from layout.classify import where_record  # noqa: E402
from layout.crs import CRS_LABELS, CRS_NAMES  # noqa: E402
from layout.errors import LayoutError  # noqa: E402
from layout.i18n import check_lang, error_text, format_bytes, format_count, format_distance, t  # noqa: E402
from layout.indicators import load_indicators, table1_frame, targets_frame  # noqa: E402
from layout.maps import GCJ_BASEMAPS, build_map, t_sector  # noqa: E402
from layout.tables import MAX_UPLOAD_BYTES  # noqa: E402
from layout.zones import load_zone_model  # noqa: E402

MAP_HEIGHT = 640
GROUP_KEYS = ("3", "4", "5")  # the 3+4+5 sector groups, in the order of layout.catalog.SECTORS


# --------------------------------------------------------------------------------------------
# Cached data


@st.cache_resource(show_spinner=False)
def static_assets() -> int:
    """Copy Leaflet & co. into static/vendor once per server process."""
    return len(assets.ensure_static_assets())


@st.cache_resource(show_spinner=False)
def catalog_bundle():
    """The catalog, its sector groups and its search index (read-only; shared by every session)."""
    from layout.catalog import SECTORS, load_catalog

    catalog = with_register(load_catalog())
    return catalog, dict(SECTORS), views.build_search_index(catalog)


def with_register(catalog: pd.DataFrame) -> pd.DataFrame:
    """The catalog with the project register's sites (solid markers) and statuses, when a register exists."""
    from layout.register import Register, default_register_path, overlay_register

    path = default_register_path()
    if not path.exists():
        return catalog
    try:
        return overlay_register(catalog, Register(path).state())
    except LayoutError:
        logging.getLogger("yiyang.app").warning("the project register could not be read; showing the plan only")
        return catalog


@st.cache_resource(show_spinner=False)
def _register_seen() -> dict:
    return {}


def refresh_on_register_change() -> None:
    """Drop the cached catalog, views and maps when the register file changed (an officer saved)."""
    from layout.register import default_register_path

    path = default_register_path()
    stamp = (str(path), *((p.stat().st_mtime_ns, p.stat().st_size) if p.exists() else None
                           for p in (path, path.with_name(path.name + "-wal"))))
    seen = _register_seen()
    if seen.get("stamp", stamp) != stamp:
        catalog_bundle.clear()
        filtered.clear()
        built_map.clear()
    seen["stamp"] = stamp


def tianditu_key() -> str:
    key = os.environ.get("TIANDITU_KEY", "")
    if not key:
        try:
            key = st.secrets.get("TIANDITU_KEY", "") or st.secrets.get("tianditu", {}).get("key", "")
        except (FileNotFoundError, KeyError, AttributeError, st.errors.StreamlitSecretNotFoundError):
            key = ""
    return str(key)


def view_key(state: views.ViewState) -> tuple[tuple[str, str], ...]:
    """A view as a hashable cache key (its URL parameters)."""
    return tuple(sorted(views.state_to_query(state).items()))


@st.cache_resource(show_spinner=False, max_entries=64)
def filtered(query: tuple[tuple[str, str], ...]) -> tuple[views.ViewState, views.FilterResult]:
    """The view of ``query`` and its filtered catalog (read-only; shared by every session)."""
    catalog, sectors, index = catalog_bundle()
    options = views.filter_options(catalog, sectors)
    state, _ = views.state_from_query(dict(query), options)
    return state, views.apply_filters(catalog, state, options, index=index)


@st.cache_resource(show_spinner=False, max_entries=48)
def built_map(query: tuple[tuple[str, str], ...], key: str):
    """The folium map of one view (built once per filter state; callers render a copy)."""
    state, result = filtered(query)
    return build_map(result.points, lang=state.lang, basemap=state.basemap, focus=state.focus,
                     tianditu_key=key or None, height=MAP_HEIGHT)


@st.cache_data(show_spinner=False, max_entries=4, ttl=3600)
def uploaded_table(data: bytes, name: str, sheet: str | None, header_row: int | None = None) -> tables.Table:
    """The uploaded file read as a table (cached by content; few entries: each holds the file)."""
    return tables.read_table_bytes(data, name=name, sheet=sheet, header_row=header_row)


@st.cache_data(show_spinner=False, max_entries=4, ttl=3600)
def classified_upload(data: bytes, name: str, sheet: str | None, header_row: int | None, crs: str, lon: str,
                      lat: str, pair: str, lang: str) -> batch.BatchResult:
    """The batch check of an uploaded table (cached by content and options)."""
    return batch.classify_table(uploaded_table(data, name, sheet, header_row), lon=lon or None, lat=lat or None,
                                pair=pair or None, crs=crs, lang=lang)


@st.cache_data(show_spinner=False, max_entries=4, ttl=3600)
def result_file(data: bytes, name: str, sheet: str | None, header_row: int | None, crs: str, lon: str, lat: str,
                pair: str, lang: str, fmt: str) -> bytes:
    """The officer's own file with the result columns added, as CSV (UTF-8 with BOM) or XLSX bytes."""
    table = uploaded_table(data, name, sheet, header_row)
    added = classified_upload(data, name, sheet, header_row, crs, lon, lat, pair, lang).added
    return tables.result_xlsx_bytes(table, added) if fmt == "xlsx" else tables.result_csv_bytes(table, added)


# --------------------------------------------------------------------------------------------
# Session state ↔ widgets ↔ URL

WIDGET = {name: f"w_{name}" for name in ("zone", "pole", "county", "action", "precision", "q", "focus", "basemap")}


def _sector_groups(sectors: dict[str, list[str]]) -> dict[str, list[str]]:
    return dict(zip(GROUP_KEYS, sectors.values(), strict=True))


def push_state(state: views.ViewState, sectors: dict[str, list[str]]) -> None:
    """Put ``state`` into the widgets' session keys (before they are drawn)."""
    ss = st.session_state
    for name in views.LIST_FIELDS:
        if name != "sector":
            ss[WIDGET[name]] = list(getattr(state, name))
    for group, members in _sector_groups(sectors).items():
        ss[f"w_sector_{group}"] = [s for s in state.sector if s in members]
    ss[WIDGET["q"]] = state.q
    ss[WIDGET["focus"]] = state.focus
    ss[WIDGET["basemap"]] = state.basemap
    ss["lang"] = state.lang
    ss["w_lang"] = state.lang


def read_state(options: dict[str, list[str]], sectors: dict[str, list[str]]) -> views.ViewState:
    """The view as the widgets hold it now."""
    ss = st.session_state
    chosen = {name: tuple(v for v in options[name] if v in (ss.get(WIDGET[name]) or ()))
              for name in views.LIST_FIELDS if name != "sector"}
    picked = {s for group in GROUP_KEYS for s in (ss.get(f"w_sector_{group}") or ())}
    return views.ViewState(**chosen, sector=tuple(s for s in options["sector"] if s in picked),
                           q=str(ss.get(WIDGET["q"], "")).strip(), focus=ss.get(WIDGET["focus"], ""),
                           basemap=ss.get(WIDGET["basemap"], "none"), lang=check_lang(ss.get("lang")))


def init_session(options: dict[str, list[str]], sectors: dict[str, list[str]]) -> None:
    """On a session's first run, or back from another page, take the view from the URL (or the last one)."""
    ss = st.session_state
    if WIDGET["q"] in ss:
        return
    params = {k: st.query_params.get_all(k) for k in st.query_params}
    if not params and "view" in ss:
        params = dict(ss["view"])
    if "lang" not in params and "lang" in ss:
        params["lang"] = ss["lang"]
    state, problems = views.state_from_query(params, options)
    ss["query_problems"] = problems
    push_state(state, sectors)


def sync_url(state: views.ViewState) -> None:
    """Mirror the view in the URL (only when it changed) and keep a copy for other pages."""
    query = views.state_to_query(state)
    st.session_state["view"] = query
    current = {k: st.query_params.get(k) for k in st.query_params}
    if current != query:
        st.query_params.from_dict(query)


def on_lang_change() -> None:
    st.session_state["lang"] = st.session_state["w_lang"]


def reset_filters(sectors: dict[str, list[str]]) -> None:
    ss = st.session_state
    push_state(views.DEFAULT_STATE.with_(lang=check_lang(ss.get("lang")), basemap=ss.get(WIDGET["basemap"], "none"),
                                         focus=""), sectors)


# --------------------------------------------------------------------------------------------
# Sidebar


def nav_links(lang: str) -> None:
    """The two pages under names a reader understands (the sidebar's own list would show "app")."""
    st.sidebar.page_link("app.py", label=t("nav.explorer", lang), icon=":material/map:")
    st.sidebar.page_link("pages/2_演示模式.py", label=t("nav.tour", lang), icon=":material/slideshow:")
    st.sidebar.page_link("pages/3_项目台账.py", label=t("nav.register", lang), icon=":material/table_view:")
    st.sidebar.page_link("pages/4_实施评估.py", label=t("nav.eval", lang), icon=":material/monitoring:")
    st.sidebar.divider()


def sidebar(options, sectors, result: views.FilterResult, lang: str, has_tianditu: bool) -> None:
    sb = st.sidebar
    nav_links(lang)
    sb.segmented_control(t("app.lang", lang), ["zh", "en"], key="w_lang", on_change=on_lang_change,
                         format_func=lambda v: {"zh": "中文", "en": "English"}[v], required=True)
    basemaps = [b for b in views.BASEMAPS if b != "tianditu" or has_tianditu]
    if st.session_state.get(WIDGET["basemap"]) not in basemaps:
        st.session_state[WIDGET["basemap"]] = "none"
        sb.warning(t("basemap.tianditu_missing", lang))
    sb.selectbox(t("side.basemap", lang), basemaps, key=WIDGET["basemap"],
                 format_func=lambda b: t(f"basemap.{b}", lang))
    if st.session_state[WIDGET["basemap"]] != "none":
        sb.caption(t("basemap.online_note", lang))
    sb.selectbox(t("side.focus", lang), views.focus_options(), key=WIDGET["focus"],
                 format_func=lambda f: views.focus_label(f, lang))

    sb.subheader(t("side.filters", lang))
    sb.text_input(t("side.search", lang), key=WIDGET["q"], placeholder=t("side.search_help", lang))
    counts = result.counts

    def counted(name: str, label):
        return lambda v: f"{label(v)} ({counts[name].get(v, 0)})"

    sb.multiselect(t("side.zone", lang), options["zone"], key=WIDGET["zone"], placeholder=t("side.all", lang),
                   format_func=counted("zone", lambda z: views.zone_name(z, lang)))
    sb.multiselect(t("side.pole", lang), options["pole"], key=WIDGET["pole"], placeholder=t("side.all", lang),
                   format_func=counted("pole", lambda z: views.zone_name(z, lang)))
    model = load_zone_model()
    sb.multiselect(t("side.county", lang), options["county"], key=WIDGET["county"], placeholder=t("side.all", lang),
                   format_func=counted("county", lambda c: model.counties[c].name_en if lang == "en" else c))
    sb.markdown(f"**{t('side.sector', lang)}**")
    for group, members in _sector_groups(sectors).items():
        sb.pills(t(f"group.{group}", lang), members, selection_mode="multi", key=f"w_sector_{group}",
                 format_func=counted("sector", lambda s: t_sector(s, lang)))
    sb.multiselect(t("side.action", lang), options["action"], key=WIDGET["action"], placeholder=t("side.all", lang),
                   format_func=counted("action", str))
    sb.multiselect(t("side.precision", lang), options["precision"], key=WIDGET["precision"],
                   placeholder=t("side.all", lang),
                   format_func=counted("precision", lambda p: t(f"precision.{p}", lang)))
    sb.button(t("side.reset", lang), on_click=reset_filters, args=(sectors,), use_container_width=True)


def share_link(state: views.ViewState) -> None:
    """The view's URL, to bookmark or send (the address bar holds it too)."""
    query = urlencode(views.state_to_query(state))
    base = str(getattr(st.context, "url", "") or "").split("?")[0]
    st.sidebar.caption(t("side.share", state.lang))
    st.sidebar.code(f"{base}?{query}" if query else base or "?", language=None)


# --------------------------------------------------------------------------------------------
# Display helpers


def project_table(df: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Catalog rows as a plain table (text shown as text: st.dataframe never renders HTML)."""
    name = df["name"].astype(str)
    if lang == "en" and "name_en" in df:  # the English name where the catalog has one
        english = df["name_en"].fillna("").astype(str)
        name = english.where(english != "", name)
    return pd.DataFrame({
        t("field.id", lang): df["id"].astype(str).to_numpy(),
        t("field.name", lang): name.to_numpy(),
        t("field.sector", lang): [t_sector(s, lang) for s in df["sector"].astype(str)],
        t("field.action", lang): df["action"].fillna("").astype(str).to_numpy(),
        t("field.county", lang): views.effective_county(df).to_numpy(),
        t("field.zones", lang): [views.zone_names(z, lang) for z in df["zones"]],
        t("field.poles", lang): [views.zone_names(p, lang) for p in df["poles"]],
        t("field.precision", lang): [t(f"precision.{p}", lang) for p in df["precision"]],
        t("field.plan_section", lang): df["plan_section"].fillna("").astype(str).to_numpy(),
        t("field.plan_quote", lang): df["plan_quote"].fillna("").astype(str).to_numpy(),
    })


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
        box.warning(t("which.outside", lang, county=county_name(record.get("nearest_county")),
                      distance=format_distance(record.get("distance_km"), lang)))
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
        box.error(t("error.generic", lang, error=exc))
        return
    show_answer(record, lang, box)


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


def map_tab(state: views.ViewState, result: views.FilterResult, key: str) -> None:
    lang = state.lang
    left, right = st.columns([3, 1], gap="medium")
    with left:
        m = built_map(view_key(state), key)
        out = st_folium(copy.deepcopy(m), key="map", height=MAP_HEIGHT, use_container_width=True,
                        returned_objects=["last_clicked"])
        clicked = (out or {}).get("last_clicked")
        if clicked and clicked != st.session_state.get("click_raw"):
            st.session_state["click_raw"] = clicked
            st.session_state["click"] = (clicked["lng"], clicked["lat"], state.basemap)
    with right:
        st.markdown(f"**{t('panel.click', lang)}**")
        click_answer(lang)
        if state.focus:
            placed = pd.concat([result.points, result.unplaced])
            focused = placed.loc[views.focus_mask(placed, state.focus)]
            st.markdown(f"**{t('panel.focus', lang, name=views.focus_label(state.focus, lang))}** "
                        f"({format_count(len(focused), lang)})")
            st.dataframe(project_table(focused, lang).iloc[:, :4], hide_index=True, height=240)
        st.markdown(f"**{t('panel.citywide', lang)}** ({format_count(len(result.citywide), lang)})")
        if len(result.citywide):
            st.dataframe(project_table(result.citywide, lang).iloc[:, [1, 2, 3]], hide_index=True, height=240)
        else:
            st.caption(t("panel.citywide_none", lang))
        if len(result.unplaced):
            st.markdown(f"**{t('panel.unplaced', lang)}** ({format_count(len(result.unplaced), lang)})")
            st.dataframe(project_table(result.unplaced, lang).iloc[:, [1, 2, 4]], hide_index=True, height=200)
    if len(result.points):
        st.dataframe(project_table(result.points, lang), hide_index=True, height=320)
    else:
        st.info(t("count.none", lang))


def which_tab(catalog: pd.DataFrame, lang: str) -> None:
    modes = ["project", "coords", "click"]
    st.session_state.setdefault("w_which_mode", "project")
    mode = st.segmented_control(t("which.mode", lang), modes, key="w_which_mode", required=True,
                                format_func=lambda m: t(f"which.mode.{m}", lang))
    if mode == "project":
        query = st.text_input(t("which.search", lang), key="w_which_q", placeholder=t("side.search_help", lang))
        index = catalog_bundle()[2]
        found = catalog.loc[views.search_mask(index, query)] if query.strip() else catalog
        ids = found["id"].astype(str).tolist()
        labels = dict(zip(ids, (found["id"].astype(str) + " · " + found["name"].astype(str)).tolist(), strict=True))
        pick = st.selectbox(t("which.project", lang), ids, key="w_which_project", format_func=labels.get,
                            index=None,
                            placeholder=t("which.pick", lang, count=format_count(len(ids), lang)))
        if pick is not None:
            row = catalog.loc[catalog["id"].astype(str) == pick].iloc[0]
            if pd.isna(row["lon"]) or pd.isna(row["lat"]):
                st.info(t("which.no_point", lang))
            else:
                precision_note(row, lang)
                answer_box(repr(float(row["lon"])), repr(float(row["lat"])), "wgs84", lang)
    elif mode == "coords":
        c1, c2, c3 = st.columns([1, 1, 1.4])
        lon = c1.text_input(t("which.lon", lang), key="w_which_lon", placeholder="112.355")
        lat = c2.text_input(t("which.lat", lang), key="w_which_lat", placeholder="28.554")
        crs = c3.selectbox(t("which.crs", lang), list(CRS_NAMES), key="w_which_crs", format_func=CRS_LABELS.get)
        if lon.strip() and lat.strip():
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
    upload = st.file_uploader(t("batch.upload", lang) + " (.csv / .xlsx)", key="w_upload",
                              max_upload_size=limit_mb)
    st.caption(t("batch.limits", lang, size=format_bytes(MAX_UPLOAD_BYTES), columns=f"{tables.MAX_COLUMNS:,}",
                 cells=format_count(tables.MAX_CELLS, lang)))
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
        c0.selectbox(t("batch.sheet", lang), table.sheets, key="w_batch_sheet",
                     index=table.sheets.index(table.sheet) if table.sheet in table.sheets else 0)
    h0.number_input(t("batch.header_row", lang), min_value=0, step=1, key="w_batch_header",
                    help=t("batch.header_row_help", lang, row=table.header_row))
    crs = c1.selectbox(t("batch.crs", lang), BATCH_CRS, key="w_batch_crs",
                       format_func=lambda c: t(f"crs.option.{c}", lang, default=CRS_LABELS.get(c, c)))
    lon = c2.selectbox(t("batch.lon", lang), columns, key="w_batch_lon", format_func=lambda c: c or auto)
    lat = c3.selectbox(t("batch.lat", lang), columns, key="w_batch_lat", format_func=lambda c: c or auto)
    pair = c4.selectbox(t("batch.pair", lang), columns, key="w_batch_pair", format_func=lambda c: c or auto)
    options = (upload.name, table.sheet, header_row, crs, lon or "", lat or "", pair or "", lang)
    try:
        result = classified_upload(data, *options)
    except LayoutError as exc:
        st.error(error_text(exc, lang, ui="app"))
        return
    counts = result.counts
    notes = [t(code, lang, **args) for code, args in table.notes]
    st.info(" ".join([*notes, batch.decision_text(result, lang)]))
    st.success(t("batch.counts", lang, rows=format_count(len(table.frame), lang), inside=counts["inside"],
                 outside=counts["outside"], errors=counts["error"]))
    if counts["error"]:
        st.markdown(f"**{t('batch.errors', lang)}**")
        st.dataframe(result.problem_rows(table.frame, lang=lang), hide_index=True)
    shown = pd.concat([table.frame.reset_index(drop=True), result.added.reset_index(drop=True)], axis=1)
    st.dataframe(shown.astype(str).replace({"None": "", "nan": ""}), hide_index=True)
    stem = upload.name.rsplit(".", 1)[0] + ("_片区" if lang == "zh" else "_zones")
    d1, d2 = st.columns(2)
    try:
        d1.download_button(t("batch.download_csv", lang), result_file(data, *options, "csv"), file_name=f"{stem}.csv",
                           mime="text/csv", key="w_dl_csv")
        d2.download_button(t("batch.download_xlsx", lang), result_file(data, *options, "xlsx"),
                           file_name=f"{stem}.xlsx", key="w_dl_xlsx",
                           mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    except LayoutError as exc:
        st.error(error_text(exc, lang, ui="app"))


def summary_tab(result: views.FilterResult, sectors: dict[str, list[str]], lang: str) -> None:
    rows = pd.concat([result.points, result.unplaced, result.citywide])
    order = [s for group in sectors.values() for s in group]
    st.subheader(t("sum.zone_sector", lang))
    st.caption(t("sum.zone_sector_note", lang))
    table = views.zone_sector_counts(rows, order, lang=lang)
    shown = table.rename(columns={s: t_sector(s, lang) for s in order})
    st.dataframe(shown, height=(len(shown) + 1) * 35 + 3)
    long = views.zone_sector_long(table, lang=lang)
    if len(long):
        st.markdown(f"**{t('sum.chart', lang)}**")
        long[t("field.sector", lang)] = long[t("field.sector", lang)].map(lambda s: t_sector(s, lang))
        st.bar_chart(long, x=table.index.name, y=t("sum.total", lang), color=t("field.sector", lang),
                     stack=True, horizontal=True)
    ind = load_indicators()
    st.subheader(t("sum.table1", lang))
    st.caption(f"{ind.section} · {ind.context}")
    st.dataframe(table1_frame(lang=lang), hide_index=True)
    st.subheader(t("sum.targets", lang))
    st.dataframe(targets_frame(lang=lang, sectors=order), hide_index=True)


def export_available() -> bool:
    import importlib.util

    return importlib.util.find_spec("layout.export") is not None


@st.cache_data(show_spinner=False, max_entries=24)
def export_file_bytes(query: tuple[tuple[str, str], ...], scope: str, fmt: str, lang: str) -> bytes:
    """One export of a view (cached: the same view and format are made once)."""
    from layout.export import export_bytes

    _, result = filtered(query)
    rows = pd.concat([result.points, result.unplaced, result.citywide])
    return export_bytes(scope, fmt, lang=lang, catalog=rows)


def export_tab(state: views.ViewState) -> None:
    """Download buttons for the current view (filters, focus, language), made when clicked."""
    from functools import partial

    from layout.export import DECK_COUNTIES, MEDIA_TYPES, default_filename

    lang = state.lang
    scope = state.focus or "city"
    st.markdown(t("export.intro", lang))
    st.caption(t("export.scope", lang, scope=views.focus_label(state.focus, lang)))
    query = view_key(state)
    formats = ["png", "pdf", "html"]
    kind, _, key = scope.partition(":")
    if kind == "county" and key in DECK_COUNTIES:
        formats.append("pptx")
    columns = st.columns(4)
    for column, fmt in zip(columns, formats, strict=False):
        column.download_button(t(f"export.{fmt}", lang), data=partial(export_file_bytes, query, scope, fmt, lang),
                               file_name=default_filename(scope, fmt, lang=lang), mime=MEDIA_TYPES[fmt],
                               key=f"w_export_{fmt}", on_click="ignore", use_container_width=True)
    if "pptx" not in formats:
        st.caption(t("export.pptx_hint", lang))


# --------------------------------------------------------------------------------------------
# The page


def main() -> None:
    static_assets()
    refresh_on_register_change()
    lang = check_lang(st.session_state.get("lang") or st.query_params.get("lang"))
    try:
        catalog, sectors, _ = catalog_bundle()
    except LayoutError as exc:
        st.error(t("error.catalog", lang, error=exc))
        st.stop()
    options = views.filter_options(catalog, sectors)
    init_session(options, sectors)
    state = read_state(options, sectors)
    lang = state.lang
    _, result = filtered(view_key(state))
    key = tianditu_key()
    sidebar(options, sectors, result, lang, bool(key))
    state = read_state(options, sectors)  # the sidebar may have corrected the basemap
    sync_url(state)
    share_link(state)

    st.title(t("app.title", lang))
    st.caption(t("app.caption", lang))
    if st.session_state.get("query_problems"):
        st.warning(t("error.query", lang, problems="; ".join(st.session_state["query_problems"])))
    m1, m2, m3 = st.columns(3)
    m1.metric(t("count.metric_points", lang), format_count(len(result.points), lang))
    m2.metric(t("count.metric_citywide", lang), format_count(len(result.citywide), lang))
    m3.metric(t("count.metric_total", lang), f"{format_count(result.total, lang)} / {format_count(len(catalog), lang)}")

    names = [t("tab.map", lang), t("tab.which", lang), t("tab.batch", lang), t("tab.summary", lang)]
    has_export = export_available()
    tabs = st.tabs([*names, t("tab.exports", lang)] if has_export else names)
    with tabs[0]:
        map_tab(state, result, key)
    with tabs[1]:
        which_tab(catalog, lang)
    with tabs[2]:
        batch_tab(lang)
    with tabs[3]:
        summary_tab(result, sectors, lang)
    if has_export:
        with tabs[4]:
            export_tab(state)


try:
    main()
except Exception as exc:  # the last resort: a message and the server log, never a traceback on the page
    logging.getLogger("yiyang.app").exception("unexpected error")
    st.error(t("error.generic", check_lang(st.session_state.get("lang")), error=f"{type(exc).__name__}: {exc}"))
