"""项目台账 (project register): what officers know about each project — site, status, progress, investment.

Widgets and display only; the register is ``layout.register.events`` (events in SQLite) and the 调度表 is
``layout.register.sheet_export`` / ``sheet_import``. Editing needs the administrator's key (``LAYOUT_EDITOR_KEY`` in the
environment or ``.streamlit/secrets.toml``); without it the page is read-only.
"""

from __future__ import annotations

import copy
import datetime as dt
import logging

import streamlit as st

st.set_page_config(page_title="项目台账 · 益阳市服务业", page_icon="📋", layout="wide")

import pandas as pd  # noqa: E402
from streamlit_folium import st_folium  # noqa: E402

from layout.errors import LayoutError  # noqa: E402
from layout.geo.crs import CRS_LABELS, CRS_NAMES  # noqa: E402
from layout.i18n import check_lang, error_text, format_bytes, message_text, t  # noqa: E402
from layout.plan.zones import load_zone_model  # noqa: E402
from layout.register.events import Register  # noqa: E402
from layout.register.location import location_label, register_location  # noqa: E402
from layout.register.overlay import overlay_register  # noqa: E402
from layout.register.sheet_export import export_sheet_bytes  # noqa: E402
from layout.register.sheet_import import apply_sheet, diff_sheet  # noqa: E402
from layout.register.sheet_read import read_sheet_bytes, sheet_candidates  # noqa: E402
from layout.register.sites import check_site  # noqa: E402
from layout.register.stale import StaleEditError  # noqa: E402
from layout.register.values import number_text  # noqa: E402
from layout.register.vocabulary import STATUSES, shown_stored_text, status_label  # noqa: E402
from layout.render import assets, views  # noqa: E402
from layout.render.safe_html import markdown_text as md  # noqa: E402
from layout.render.webmap import build_map, t_sector  # noqa: E402
from layout.tables.table import MAX_UPLOAD_BYTES  # noqa: E402
from ui.chrome import (  # noqa: E402
    in_active_plan,
    nav_links,
    plan_picker,
    plan_tag,
    show_draft_mark,
    show_error,
    widget_texts,
)
from ui.date_field import date_field  # noqa: E402
from ui.demo_mark import show_demo_mark  # noqa: E402
from ui.editor_session import EDITOR, UNLOCKED, ask_editor  # noqa: E402

MAP_HEIGHT = 480
EDIT_FIELDS = ("status", "progress", "invest_planned", "invest_done", "start_year", "finish_year", "lead_unit", "note")
SS = st.session_state


# --------------------------------------------------------------------------------------------
# Data


@st.cache_resource(show_spinner=False)
def static_assets() -> int:
    return len(assets.ensure_static_assets())


@st.cache_resource(show_spinner=False)
def open_register(path: str) -> Register:
    return Register(path)


@st.cache_resource(show_spinner=False)
def base_catalog(plan: str):
    """The active plan's catalog and its sectors (``plan``: ``ui.chrome.plan_tag``, the cache key)."""
    from layout.catalog.projects import SECTORS, load_catalog

    return load_catalog(), [s for group in SECTORS.values() for s in group]


def register_catalog(reg: Register) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The catalog with the register's sites and statuses, and the register's state."""
    catalog, _ = base_catalog(plan_tag())
    state = reg.state()
    return overlay_register(catalog, state), state


@st.cache_resource(show_spinner=False, max_entries=32)
def place_map(pid: str, lon: float, lat: float, precision: str, status: str, focus: str, lang: str, plan: str):
    catalog, _ = base_catalog(plan)
    row = catalog.loc[catalog["id"] == pid].copy()
    row["lon"], row["lat"], row["precision"], row["status"] = lon, lat, precision, status
    return build_map(row if pd.notna(lon) else None, lang=lang, focus=focus, cluster=False, height=MAP_HEIGHT)


def editing_sidebar(lang: str) -> str | None:
    """The sidebar's editing controls; returns the editor's name when editing is enabled."""
    sb = st.sidebar
    sb.subheader(t("reg.editing", lang))
    name = ask_editor(sb, lang, "reg")
    if name is None:
        return None
    sb.success(t("reg.editor_is", lang, name=name))
    if sb.button(t("reg.logout", lang), key="w_reg_logout"):
        for k in (UNLOCKED, EDITOR):
            SS.pop(k, None)
        st.rerun()
    return name


# --------------------------------------------------------------------------------------------
# Display helpers


def fmt(value: object) -> str:
    if value is None or value == "" or (isinstance(value, float) and pd.isna(value)):
        return ""
    if isinstance(value, float):
        return number_text(value)
    return str(value)


def register_table(rows: pd.DataFrame, lang: str) -> pd.DataFrame:
    return pd.DataFrame(
        {
            t("field.id", lang): rows["id"].astype(str).to_numpy(),
            t("field.name", lang): views.project_names(rows, lang).to_numpy(),
            t("field.county", lang): views.effective_county(rows).to_numpy(),
            t("field.zones", lang): [views.zone_names(z, lang) for z in rows["zones"]],
            t("field.sector", lang): [t_sector(s, lang) for s in rows["sector"].astype(str)],
            t("field.status", lang): [status_label(s, lang) for s in rows["status"]],
            t("reg.f.progress", lang): [fmt(v) for v in rows["progress"]],
            t("reg.f.invest_planned", lang): [fmt(v) for v in rows["invest_planned"]],
            t("reg.f.invest_done", lang): [fmt(v) for v in rows["invest_done"]],
            t("field.precision", lang): [t(f"precision.{p}", lang) for p in rows["precision"]],
            t("reg.last_as_of", lang): [fmt(v) for v in rows["last_as_of"]],
        }
    )


LOCAL_TZ = "Asia/Shanghai"  # officers read times on the clock on their wall


def local_times(stamps) -> list[str]:
    """The register's UTC stamps (``2026-12-06T07:24:47.916296Z``) as Beijing time to the second."""
    when = pd.to_datetime(pd.Series(list(stamps), dtype=object), utc=True, format="ISO8601")
    return when.dt.tz_convert(LOCAL_TZ).dt.strftime("%Y-%m-%d %H:%M:%S").tolist()


def shown_value(field: str, value: object, lang: str) -> str:
    """An event's value as the page shows it: "" for none (never "nan"), a status by its name."""
    text = fmt(value)
    return status_label(text, lang) if field == "status" and text else text


def event_source(source: object, undoes: object, lang: str) -> str:
    """Where a change came from; an undo says which event it undoes in the page's language."""
    if undoes is not None and not (isinstance(undoes, float) and pd.isna(undoes)):
        reason = fmt(source)  # a retraction's source is the officer's reason
        return t("reg.h.undo_of", lang, event=int(undoes)) + (f" · {reason}" if reason else "")
    return shown_stored_text(fmt(source), lang)  # the demo register's source in the page's language


def history_table(events: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The events, newest first as given; an undo (a retraction) shows the value it took away as its 原值."""
    fields = events["field"].tolist()
    value_of = dict(zip(events["event_id"], events["value"], strict=True))
    retracts = [None if v is None or pd.isna(v) else int(v) for v in events["retracts"]]
    previous = [value_of.get(r) if r is not None else v for r, v in zip(retracts, events["previous"], strict=True)]
    value = ["" if r is not None else v for r, v in zip(retracts, events["value"], strict=True)]
    return pd.DataFrame(
        {
            t("reg.h.event", lang): events["event_id"].to_numpy(),
            t("reg.h.as_of", lang): [d.isoformat() for d in events["as_of"]],
            t("reg.h.field", lang): [t(f"reg.f.{f}", lang) for f in fields],
            t("reg.h.previous", lang): [shown_value(f, v, lang) for f, v in zip(fields, previous, strict=True)],
            t("reg.h.value", lang): [shown_value(f, v, lang) for f, v in zip(fields, value, strict=True)],
            t("reg.h.by", lang): [shown_stored_text(by, lang) for by in events["by"]],
            t("reg.h.recorded_at", lang): local_times(events["recorded_at"]),
            t("reg.h.source", lang): [
                event_source(s, u, lang) for s, u in zip(events["source"], events["retracts"], strict=True)
            ],
            t("reg.h.undoes", lang): [fmt(float(v)) if v is not None else "" for v in events["retracts"]],
            t("reg.h.retracted", lang): [t("reg.retracted", lang) if v else "" for v in events["retracted"]],
        }
    )


def undo_label(event: pd.Series, lang: str) -> str:
    """One change as the undo picker names it: date, project, field and the change."""
    before = shown_value(event["field"], event["previous"], lang) or "∅"
    after = shown_value(event["field"], event["value"], lang) or "∅"
    return (
        f"{event['as_of'].isoformat()} · {event['subject']} · {t('reg.f.' + event['field'], lang)}：{before} → {after}"
        if lang == "zh"
        else f"{event['as_of'].isoformat()} · {event['subject']} · {t('reg.f.' + event['field'], lang)}: "
        f"{before} → {after}"
    ) + f" (#{event['event_id']})"


# --------------------------------------------------------------------------------------------
# The table tab


def table_tab(data: pd.DataFrame, sectors: list[str], lang: str) -> None:
    c1, c2, c3, c4, c5 = st.columns([1.2, 1.2, 1.2, 1.2, 1.4])
    counties = [c for c in views.effective_county(data).unique() if c]
    zone_ids = [z for z in dict.fromkeys(z for zs in data["zones"] for z in zs)]
    every = {"placeholder": t("side.all", lang), "select_all": False}  # no English "Select all" in Chinese
    county = c1.multiselect(
        t("side.county", lang), counties, key="w_reg_county", **every, format_func=lambda c: views.county_label(c, lang)
    )
    zone = c2.multiselect(
        t("side.zone", lang), zone_ids, key="w_reg_zone", **every, format_func=lambda z: views.zone_name(z, lang)
    )
    sector = c3.multiselect(
        t("side.sector", lang), sectors, key="w_reg_sector", **every, format_func=lambda s: t_sector(s, lang)
    )
    status = c4.multiselect(
        t("field.status", lang),
        ["", *STATUSES],
        key="w_reg_status",
        select_all=False,
        placeholder=t("side.all", lang),
        format_func=lambda s: status_label(s, lang) if s else t("reg.unrecorded", lang),
    )
    q = c5.text_input(t("side.search", lang), key="w_reg_q", placeholder=t("side.search_help", lang))
    state = views.ViewState(zone=tuple(zone), county=tuple(county), sector=tuple(sector), q=q.strip())
    mask = views.filter_mask(data, state)
    if status:
        mask &= data["status"].isin(status).to_numpy()
    rows = data.loc[mask]
    st.caption(t("reg.table_count", lang, n=len(rows), total=len(data), recorded=int((rows["status"] != "").sum())))
    st.dataframe(register_table(rows, lang), hide_index=True, height=480)


# --------------------------------------------------------------------------------------------
# The project card and edit form


def project_card(data: pd.DataFrame, reg: Register, editor: str | None, lang: str) -> None:
    ids = data["id"].astype(str).tolist()
    labels = dict(zip(ids, (data["id"].astype(str) + " · " + views.project_names(data, lang)).tolist(), strict=True))
    pid = st.selectbox(t("reg.pick", lang), ids, key="w_reg_pid", format_func=labels.get)
    if pid is None:
        return
    row = data.loc[data["id"] == pid].iloc[0]
    # catalog and register text is shown as the text it is, never as Markdown (no images fetched, no links)
    name = str(row.get("name_en") or "") if lang == "en" else ""
    st.markdown(f"### {md(pid)} · {md(name or row['name'])}")
    st.caption(
        md(
            f"{views.county_label(str(row['county']), lang)} · {views.zone_names(row['zones'], lang)} · "
            f"{t_sector(str(row['sector']), lang)}"
        )
    )
    if row.get("plan_quote"):  # the plan's own words and where they stand, quoted as written
        st.markdown(f"> {md(row['plan_quote'])}\n>\n> —— {md(row['plan_section'])}")
    m = st.columns(4)  # short figures only: a metric cuts longer text ("县级（…") at 1366 px
    m[0].metric(t("field.status", lang), status_label(row["status"], lang) or "—")
    m[1].metric(t("reg.f.progress", lang), fmt(row["progress"]) or "—")
    m[2].metric(t("reg.f.invest_planned", lang), fmt(row["invest_planned"]) or "—")
    m[3].metric(t("reg.f.invest_done", lang), fmt(row["invest_done"]) or "—")
    details = {t("field.precision", lang): t(f"precision.{row['precision']}", lang)}
    details |= {
        t(f"reg.f.{k}", lang): fmt(row[k])
        for k in ("start_year", "finish_year", "lead_unit", "note", "site_source")
        if fmt(row[k])
    }
    if pd.notna(row["lon"]):
        details[t("reg.point", lang)] = f"{row['lon']:.6f}, {row['lat']:.6f} (WGS84)"
    for k, v in details.items():
        st.text(f"{k}：{v}")  # register text (备注, 责任单位, 坐标来源) as plain text: no Markdown, no links

    site_box(row, reg, editor, lang)
    st.markdown(f"**{t('reg.history', lang)}**")
    events = reg.events(pid)
    if events.empty:
        st.caption(t("reg.no_history", lang))
    else:
        st.dataframe(history_table(events.iloc[::-1], lang), hide_index=True)
        if editor:
            undo_box(reg, events, editor, lang)
    if editor:
        edit_form(pid, row, reg, editor, lang)
    else:
        st.info(t("reg.readonly_note", lang))


def undo_box(reg: Register, events: pd.DataFrame, editor: str, lang: str) -> None:
    c1, c2 = st.columns([2, 1])
    labels = {int(e["event_id"]): undo_label(e, lang) for _, e in events.iterrows()}
    event_id = c1.selectbox(t("reg.undo_pick", lang), list(labels)[::-1], key="w_reg_undo_id", format_func=labels.get)
    if c2.button(t("reg.undo", lang), key="w_reg_undo"):
        try:
            new_id = reg.undo(int(event_id), by=editor)
            SS["reg_flash"] = t("reg.undone", lang, event=event_id, new=new_id)
            st.rerun()
        except LayoutError as exc:
            show_error(exc, lang)


def site_box(row: pd.Series, reg: Register, editor: str | None, lang: str) -> None:
    """The project's point on a map; editors place it by clicking or typing coordinates."""
    pid = str(row["id"])
    county = str(row["county"])
    focus = f"county:{county}" if county in load_zone_model().counties and county != "大通湖区" else ""
    m = place_map(
        pid,
        float(row["lon"]) if pd.notna(row["lon"]) else float("nan"),
        float(row["lat"]) if pd.notna(row["lat"]) else float("nan"),
        str(row["precision"]),
        str(row["status"]),
        focus,
        lang,
        plan_tag(),
    )
    # the key names the mode: streamlit-folium keeps its first returned_objects for the life of an iframe
    out = st_folium(
        copy.deepcopy(m),
        key=f"reg_map_{pid}_{'edit' if editor else 'view'}",
        height=MAP_HEIGHT,
        use_container_width=True,
        returned_objects=["last_clicked"] if editor else [],
    )
    if not editor:
        return
    clicked = (out or {}).get("last_clicked")
    if clicked and clicked != SS.get("reg_click_raw"):
        SS["reg_click_raw"] = clicked
        SS["w_reg_lon"], SS["w_reg_lat"], SS["w_reg_crs"] = f"{clicked['lng']:.6f}", f"{clicked['lat']:.6f}", "wgs84"
    st.caption(t("reg.place_help", lang))
    c1, c2, c3 = st.columns([1, 1, 1.3])
    lon = c1.text_input(t("which.lon", lang), key="w_reg_lon")
    lat = c2.text_input(t("which.lat", lang), key="w_reg_lat")
    crs = c3.selectbox(
        t("which.crs", lang),
        list(CRS_NAMES),
        key="w_reg_crs",
        format_func=lambda c: t(f"crs.option.{c}", lang, default=CRS_LABELS.get(c, c)),
    )
    if not (lon.strip() and lat.strip()):
        return
    try:
        site = check_site(lon, lat, crs=crs, plan_county=county)
    except LayoutError as exc:
        show_error(exc, lang)
        return
    if not site.inside:
        st.error(t("reg.site_outside", lang, lon=f"{site.lon:.6f}", lat=f"{site.lat:.6f}"))
        return
    st.success(
        t(
            "reg.site_in",
            lang,
            county=site.county,
            zone=views.zone_name(site.zone, lang),
            lon=f"{site.lon:.6f}",
            lat=f"{site.lat:.6f}",
        )
    )
    source = st.text_input(
        t("reg.site_source", lang), key="w_reg_site_source", placeholder=t("reg.site_source_help", lang)
    )
    confirm, reason = False, ""
    if not site.in_plan_county:
        st.warning(t("reg.site_other_county", lang, county=site.county, plan=county))
        confirm = st.checkbox(t("reg.site_confirm", lang), key="w_reg_site_confirm")
        reason = st.text_input(t("reg.site_reason", lang), key="w_reg_site_reason")
    if st.button(t("reg.site_save", lang), key="w_reg_site_save", type="primary"):
        try:
            reg.record(
                pid,
                {"site": (site.lon, site.lat), "site_source": source.strip()},
                by=editor,
                source=reason.strip() or source.strip(),
                confirm=confirm,
            )  # 来源/理由 never blank
            SS["reg_flash"] = t("reg.saved", lang, pid=pid)
            for k in ("w_reg_lon", "w_reg_lat", "w_reg_site_source", "w_reg_site_reason", "reg_snapshot"):
                SS.pop(k, None)
            st.rerun()
        except LayoutError as exc:
            show_error(exc, lang)


def _form_value(field: str, value: object) -> str:
    return fmt(value)


def edit_form(pid: str, row: pd.Series, reg: Register, editor: str, lang: str) -> None:
    """Edit the project's values; the library refuses the save when someone else saved since the form
    opened, and the page shows what they saw, what it is now and who changed it."""
    current = {f: _form_value(f, row[f]) for f in EDIT_FIELDS}
    snap = SS.get("reg_snapshot")
    if not snap or snap["pid"] != pid:
        snap = SS["reg_snapshot"] = {"pid": pid, "values": current}
        for f in EDIT_FIELDS:
            SS[f"w_reg_e_{f}"] = current[f]
    st.markdown(f"**{t('reg.edit', lang)}**")
    statuses = ["", *STATUSES]
    today = dt.date.today()  # above the form: inside one, the days could not follow the chosen month
    date_field(
        t("reg.as_of", lang), value=today, max_value=today, key="w_reg_e_as_of", lang=lang, container=st.columns(2)[0]
    )
    with st.form(f"reg_form_{pid}"):
        c = st.columns(4)
        c[0].selectbox(
            t("field.status", lang),
            statuses,
            key="w_reg_e_status",
            format_func=lambda s: status_label(s, lang) if s else "—",
        )
        c[1].text_input(t("reg.f.progress", lang), key="w_reg_e_progress")
        c[2].text_input(t("reg.f.invest_planned", lang), key="w_reg_e_invest_planned")
        c[3].text_input(t("reg.f.invest_done", lang), key="w_reg_e_invest_done")
        c = st.columns(4)
        c[0].text_input(t("reg.f.start_year", lang), key="w_reg_e_start_year")
        c[1].text_input(t("reg.f.finish_year", lang), key="w_reg_e_finish_year")
        c[2].text_input(t("reg.f.lead_unit", lang), key="w_reg_e_lead_unit")
        st.text_input(t("reg.f.note", lang), key="w_reg_e_note")
        st.text_input(t("reg.source", lang), key="w_reg_e_source", placeholder=t("reg.source_help", lang))
        submitted = st.form_submit_button(t("reg.save", lang), type="primary")
    if submitted:
        mine = {f: str(SS.get(f"w_reg_e_{f}", "")).strip() for f in EDIT_FIELDS}
        changes = {f: (v or None) for f, v in mine.items() if v != snap["values"][f]}
        if not changes:  # saving unchanged values is a report: the library keeps them as confirmations
            changes = {f: v for f, v in mine.items() if v}
        if not changes:
            st.info(t("reg.nothing", lang))
            return
        SS["reg_pending"] = {
            "pid": pid,
            "changes": changes,
            "conflicts": [],
            "expected": {f: snap["values"][f] for f in changes},
            "as_of": SS.get("w_reg_e_as_of"),
            "source": str(SS.get("w_reg_e_source", "")),
        }
    pending = SS.get("reg_pending")
    if not pending or pending["pid"] != pid:
        return
    if not pending["conflicts"] and not _save(pending, reg, editor, lang):
        return
    # the library refused a stale edit: show what the editor saw, what it is now and who changed it
    conflicts = pending["conflicts"]
    st.warning(t("reg.conflict", lang))
    st.dataframe(
        pd.DataFrame(
            {
                t("reg.h.field", lang): [t(f"reg.f.{c['field']}", lang) for c in conflicts],
                t("reg.conflict_opened", lang): [_show(c["field"], c["seen"] or "", lang) for c in conflicts],
                t("reg.conflict_now", lang): [_show(c["field"], c["now"] or "", lang) for c in conflicts],
                t("reg.conflict_mine", lang): [
                    _show(c["field"], pending["changes"].get(c["field"]) or "", lang) for c in conflicts
                ],
                t("reg.conflict_by", lang): [f"{c['by']} (#{c['event']})" for c in conflicts],
            }
        ),
        hide_index=True,
    )
    c1, c2 = st.columns(2)
    if c1.button(t("reg.conflict_save", lang), key="w_reg_conflict_save", type="primary"):
        # the editor has now seen the new values: save against them (refused again if they move meanwhile)
        pending["expected"].update({c["field"]: c["now"] or "" for c in conflicts})
        pending["conflicts"] = []
        _save(pending, reg, editor, lang)
        st.rerun()
    if c2.button(t("reg.conflict_reload", lang), key="w_reg_conflict_reload"):
        SS.pop("reg_pending", None)
        SS.pop("reg_snapshot", None)
        st.rerun()


def _show(field: str, value: str, lang: str) -> str:
    return (status_label(value, lang) if field == "status" else value) or "—"


def _save(pending: dict, reg: Register, editor: str, lang: str) -> bool:
    """Record the pending change (the library refuses it when stale); True when it was refused as stale."""
    try:
        reg.record(
            pending["pid"],
            pending["changes"],
            by=editor,
            source=pending["source"].strip(),
            as_of=pending["as_of"],
            expected=pending["expected"],
        )
    except StaleEditError as exc:
        pending["conflicts"] = [
            {"field": c.field, "seen": c.seen, "now": c.now, "by": c.by, "event": c.event_id} for c in exc.conflicts
        ]
        SS["reg_pending"] = pending
        return True
    except LayoutError as exc:
        SS.pop("reg_pending", None)
        show_error(exc, lang)
        return False
    SS["reg_flash"] = t("reg.saved", lang, pid=pending["pid"])
    if reg.confirmed:
        SS["reg_flash"] += " " + t("reg.confirmed", lang, n=reg.confirmed)
    if reg.warnings:
        SS["reg_flash_warn"] = "\n".join(message_text(w, lang) for w in reg.warnings)
    SS.pop("reg_pending", None)
    SS.pop("reg_snapshot", None)
    st.rerun()
    return False


# --------------------------------------------------------------------------------------------
# The 调度表 tab


def sheet_tab(reg: Register, editor: str | None, lang: str) -> None:
    widget_texts(lang, upload_limit=format_bytes(MAX_UPLOAD_BYTES))
    st.markdown(t("reg.sheet_intro", lang))
    st.download_button(
        t("reg.sheet_download", lang),
        data=in_active_plan(export_sheet_bytes, reg),  # made later, in another thread: under this run's plan
        file_name=f"调度表_{dt.date.today().isoformat()}.xlsx",
        on_click="ignore",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        key="w_reg_dl",
    )
    upload = st.file_uploader(
        t("reg.sheet_upload", lang) + " (.xlsx / .csv)",
        key="w_reg_upload",
        max_upload_size=MAX_UPLOAD_BYTES // (1024 * 1024),
    )
    if upload is None:
        return
    file_id = getattr(upload, "file_id", upload.name)
    sheet = SS.get("w_reg_sheet") if SS.get("reg_sheet_file") == file_id else None  # a choice for this file only
    try:
        try:
            frame = read_sheet_bytes(upload.getvalue(), name=upload.name, sheet=sheet)
        except LayoutError as exc:
            if not sheet_candidates(exc):
                raise
            st.warning(md(error_text(exc, lang, ui="app")))  # several sheets look like a 调度表: ask which
            st.selectbox(
                t("reg.sheet_pick", lang),
                sheet_candidates(exc),
                index=None,
                key="w_reg_sheet",
                placeholder=t("widget.choose", lang),  # not Streamlit's "Choose an option"
            )
            SS["reg_sheet_file"], SS["reg_sheet_options"] = file_id, sheet_candidates(exc)
            return
        if sheet is not None:  # drawn on every run, or Streamlit forgets the choice
            st.selectbox(t("reg.sheet_pick", lang), SS["reg_sheet_options"], key="w_reg_sheet")
        if len(frame.attrs.get("sheets", ())) > 1:
            st.info(md(t("reg.sheet_read", lang, sheet=frame.attrs["sheet"], sheets="、".join(frame.attrs["sheets"]))))
        diff = diff_sheet(frame, reg, name=upload.name)
    except LayoutError as exc:
        show_error(exc, lang)
        return
    if diff.problems:
        st.error(t("reg.sheet_problems", lang, n=len(diff.problems)))
        st.dataframe(
            pd.DataFrame(
                {
                    t("batch.row", lang): [p.row for p in diff.problems],
                    t("reg.col", lang): [f"{p.column} ({p.header})" for p in diff.problems],
                    t("field.id", lang): [p.project for p in diff.problems],
                    t("reg.problem", lang): [p.message_text(lang) for p in diff.problems],
                    t("reg.fix", lang): [p.fix_text(lang) for p in diff.problems],
                }
            ),
            hide_index=True,
        )
        return
    if not diff.changes and not diff.confirmed:
        st.success(t("reg.sheet_same", lang))
        return
    if diff.confirmed:  # dated rows with unchanged values: reports that count for 最近报送
        st.info(
            t(
                "reg.sheet_confirmed",
                lang,
                n=len(diff.confirmed),
                ids="、".join(project for _, project, _, _ in diff.confirmed[:10]),
            )
        )
    st.markdown(t("reg.sheet_changes", lang, n=len(diff.changes), projects=len({c.project for c in diff.changes})))
    st.dataframe(
        pd.DataFrame(
            {
                t("batch.row", lang): [c.row for c in diff.changes],
                t("field.id", lang): [c.project for c in diff.changes],
                t("field.name", lang): [c.name for c in diff.changes],
                t("reg.h.field", lang): [t(f"reg.f.{c.field}", lang) for c in diff.changes],
                t("reg.h.previous", lang): [c.old for c in diff.changes],
                t("reg.h.value", lang): [c.new for c in diff.changes],
            }
        ),
        hide_index=True,
    )
    if diff.warnings:
        st.warning("\n\n".join(md(message_text(w, lang)) for w in diff.warnings))
    if not editor:
        st.info(t("reg.readonly_note", lang))
        return
    if st.button(t("reg.sheet_apply", lang), key="w_reg_apply", type="primary"):
        try:
            ids = apply_sheet(diff, reg, by=editor)
        except LayoutError as exc:
            show_error(exc, lang)
            return
        st.success(t("reg.sheet_applied", lang, n=len(ids)))


# --------------------------------------------------------------------------------------------
# The page


def main() -> None:
    static_assets()
    lang = check_lang(SS.get("lang") or st.query_params.get("lang"))
    nav_links(lang)
    plan = plan_picker(lang)  # activates the plan for this run; the cached loaders take plan_tag()
    editor = editing_sidebar(lang)
    st.title(t("reg.title", lang))
    show_draft_mark(plan, lang)
    path = register_location()
    show_demo_mark(lang, path)  # 演示数据 / demo data on a demo register
    st.caption(t("reg.caption", lang, path=location_label(path)))
    if msg := SS.pop("reg_flash", None):
        st.success(msg)
    if msg := SS.pop("reg_flash_warn", None):
        st.warning(msg)
    try:
        reg = open_register(str(path))
        data, state = register_catalog(reg)
    except LayoutError as exc:
        show_error(exc, lang)
        st.stop()
    _, sectors = base_catalog(plan_tag())
    data = data.join(state.drop(columns=["status"]), on="id")
    # keyed: the officer stays on the tab after 保存, 保存位置 or 撤销 (each reruns the page)
    tabs = st.tabs(
        [t("reg.tab.table", lang), t("reg.tab.card", lang), t("reg.tab.sheet", lang)],
        key=f"w_reg_tab_{lang}",
        on_change="rerun",
    )
    with tabs[0]:
        table_tab(data, sectors, lang)
    with tabs[1]:
        project_card(data, reg, editor, lang)
    with tabs[2]:
        sheet_tab(reg, editor, lang)


try:
    main()
except Exception as exc:  # the last resort: a message and the server log, never a traceback on the page
    logging.getLogger("yiyang.register").exception("unexpected error")
    st.error(t("error.generic", check_lang(SS.get("lang")), error=md(f"{type(exc).__name__}: {exc}")))
