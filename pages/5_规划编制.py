"""规划编制 (drafting): a draft plan's zones, projects and history; edits as events with undo.

Widgets and display only: the draft is ``layout.drafting.drafts`` (the same calls as ``python -m layout plan …``),
versions are ``layout.drafting.versions``. Editing needs the editor key, as on the 项目台账 page (an unlock there
holds here too). Every view of a draft is marked 草案: a draft holds only what planners entered. One language per
page (``ui.chrome.page_lang``): zone and county names in English in English mode, the plan's own sentences as
they are written.
"""

from __future__ import annotations

import datetime as dt

import streamlit as st

from layout.i18n import error_text, t
from ui.chrome import page_lang
from ui.date_field import date_field

lang = page_lang()
st.set_page_config(page_title=t("draft.page_title", lang), page_icon="✏️", layout="wide")

import pandas as pd  # noqa: E402
from streamlit_folium import st_folium  # noqa: E402

from layout.drafting.drafts import Draft, open_draft  # noqa: E402
from layout.drafting.versions import DEFAULT_PLAN, PlanVersion, list_plans, new_plan, use_plan  # noqa: E402
from layout.errors import LayoutError  # noqa: E402
from layout.plan.zones import ZONE_KINDS, ZoneModel, load_zone_model  # noqa: E402
from layout.render import assets  # noqa: E402
from layout.render.safe_html import markdown_text  # noqa: E402
from layout.render.webmap import build_map  # noqa: E402
from ui import server_guard  # noqa: E402, F401 - a client's clear_cache clears only its own session
from ui.chrome import nav_links, show_error  # noqa: E402
from ui.editor_session import ask_editor  # noqa: E402

SS = st.session_state
BEIJING = "Asia/Shanghai"
MAP_HEIGHT = 470


@st.cache_resource(show_spinner=False)
def static_assets() -> int:
    """Leaflet and the map's other files served by the app (the map needs no internet)."""
    return len(assets.ensure_static_assets())


def plan_label(plan: PlanVersion) -> str:
    """A plan's name and status in the page's language (a shipped plan's name translated, a draft's as typed)."""
    return t(
        "plan.label",
        lang,
        name=t(f"plan.name.{plan.name}", lang, default=plan.name),
        status=t(f"plan.status.{plan.status}", lang, default=plan.status),
    )


def run(action, done: str) -> None:
    """Call a library action; show its one-line error (no traceback), or rerun showing ``done`` (so every table
    above shows the change)."""
    try:
        result = action()
    except LayoutError as exc:
        show_error(exc, lang)
        return
    SS["plan_msg"] = t(done, lang, result=result)
    st.rerun()


def place(model: ZoneModel, name: str) -> str:
    """A county or declared area in the page's language."""
    found = model.counties.get(name) or model.areas.get(name)
    if lang == "en" and found is not None:
        return found.name_en
    return name if lang == "zh" or name != "全市" else t("county.citywide", lang)


def zone_name(model: ZoneModel, zid: str) -> str:
    zone = model.zones.get(zid)
    if zone is None:
        return zid
    return (zone.name_en or zid) if lang == "en" else zone.name_zh


def members(model: ZoneModel, zone, role: str) -> str:
    return ("、" if lang == "zh" else ", ").join(place(model, m.county) for m in zone.members if m.role == role)


def zone_table(model: ZoneModel) -> pd.DataFrame:
    rows = []
    for z in model.zones.values():
        rows.append(
            {
                t("draft.col.zone", lang): z.id,
                t("draft.col.kind", lang): t(f"draft.kind.{z.kind}", lang, default=z.kind),
                t("draft.col.name", lang): zone_name(model, z.id),
                t("draft.col.primary", lang): members(model, z, "primary"),
                t("draft.col.secondary", lang): members(model, z, "secondary"),
                t("draft.col.definition", lang): z.definition,
            }
        )
    return pd.DataFrame(rows)


def project_table(df: pd.DataFrame, model: ZoneModel) -> pd.DataFrame:
    names = df["name"]
    if lang == "en" and "name_en" in df:
        names = [
            str(en) if isinstance(en, str) and en.strip() else zh
            for zh, en in zip(df["name"], df["name_en"], strict=True)
        ]
    return pd.DataFrame(
        {
            t("draft.col.id", lang): df["id"],
            t("draft.col.project", lang): names,
            t("draft.col.county", lang): [place(model, c) for c in df["county"]],
            t("draft.col.sector", lang): [t(f"sector.{s}", lang, default=s) if s else "" for s in df["sector"]],
            t("draft.col.precision", lang): [
                t(f"precision.{p}", lang, default=p) if p else "" for p in df["precision"]
            ],
        }
    )


def target_label(model: ZoneModel, target: str) -> str:
    kind, _, name = str(target).partition(":")
    if kind == "county":
        return place(model, name)
    if kind == "zone":
        return zone_name(model, name)
    return name


def local_time(stamp: str) -> str:
    try:
        return pd.Timestamp(stamp).tz_convert(BEIJING).strftime("%Y-%m-%d %H:%M:%S")
    except (ValueError, TypeError):
        return str(stamp)


def event_id_text(value) -> str:
    return "" if pd.isna(value) else str(int(value))


def event_label(event: dict) -> str:
    """An event for the undo picker: number, change, what it changed, when (Beijing time)."""
    op = t(f"draft.op.{event['op']}", lang, default=event["op"])
    target = target_label(model, event["target"])
    return f"#{int(event['event_id'])} · {op} · {target} · {local_time(event['recorded_at'])}"


def history_table(events: pd.DataFrame, model: ZoneModel) -> pd.DataFrame:
    return pd.DataFrame(
        {
            t("draft.col.event", lang): events["event_id"].astype(int),
            t("draft.col.op", lang): [t(f"draft.op.{op}", lang, default=op) for op in events["op"]],
            t("draft.col.target", lang): [target_label(model, x) for x in events["target"]],
            t("draft.col.by", lang): events["by"],
            t("draft.col.reason", lang): [
                t("draft.undo_reason", lang, n=event_id_text(u)) if op == "undo" else (r or "")
                for op, r, u in zip(events["op"], events["reason"], events["undoes"], strict=True)
            ],
            t("draft.col.recorded", lang): [local_time(x) for x in events["recorded_at"]],
            t("draft.col.undoes", lang): [event_id_text(x) for x in events["undoes"]],
            t("draft.col.undone_by", lang): [event_id_text(x) for x in events["undone_by"]],
        }
    )


nav_links(lang)
st.title(t("draft.title", lang))
editor = ask_editor(st.sidebar, lang, "reg")
if editor is not None:
    st.sidebar.caption(t("reg.editor_is", lang, name=editor))
plans = list_plans()
by_name = {p.name: p for p in plans}
drafts = [p.name for p in plans if p.is_draft]

if msg := SS.pop("plan_msg", None):
    st.success(msg)
with st.sidebar.expander(t("draft.new", lang), expanded=not drafts), st.form("plan_new"):
    name = st.text_input(t("draft.new_name", lang), placeholder=t("draft.new_placeholder", lang), key="new_name")
    source = st.selectbox(
        t("draft.new_from", lang), list(by_name), index=0, format_func=lambda n: plan_label(by_name[n]), key="new_from"
    )
    if st.form_submit_button(t("draft.new_submit", lang), disabled=editor is None):
        try:
            created = new_plan(name, from_plan=source, by=editor or "").name
        except LayoutError as exc:
            show_error(exc, lang)
        else:
            SS["plan_msg"] = t("draft.created", lang, name=created)
            SS["plan_draft"] = created
            st.rerun()

if not drafts:
    st.info(t("draft.none", lang))
    st.stop()

picked = st.sidebar.selectbox(t("draft.pick", lang), drafts, key="plan_draft")
try:
    draft: Draft = open_draft(picked)
except LayoutError as exc:
    show_error(exc, lang)
    st.stop()
follows = by_name.get(draft.plan.follows)
st.warning(
    t(
        "draft.banner",
        lang,
        name=draft.plan.name,
        source=plan_label(follows) if follows else draft.plan.follows,
    ),
    icon="📝",
)

problems = draft.problems()  # one per file or catalog row, worded here in the page's language
if problems:
    lines = (f"- {markdown_text(error_text(p, lang, ui='app'))}" for p in problems)  # file text: never Markdown
    st.error(t("draft.problems", lang) + "\n\n" + "\n".join(lines))

try:
    model = load_zone_model(draft.plan.zones)
except (OSError, ValueError):  # a hand-broken zones.toml (LayoutError, TOML error): listed above; nothing to draw
    st.stop()
tab_zones, tab_projects, tab_carry, tab_history = st.tabs(
    [t(f"draft.tab_{k}", lang) for k in ("zones", "projects", "carry", "history")]
)
zone_ids = list(model.zones)


def zone_option(z: str) -> str:
    return zone_name(model, z)


with tab_zones:
    # the explorer's map drawn from the draft's zone model, in the page's language, marked 草案 right above it
    static_assets()
    st.markdown(f":red[**{markdown_text(t('draft.map_mark', lang, name=draft.plan.name))}**]")
    with use_plan(draft.plan):
        st_folium(
            build_map(lang=lang), key="draft_map", height=MAP_HEIGHT, use_container_width=True, returned_objects=[]
        )
    st.dataframe(zone_table(model), hide_index=True, width="stretch")
    if editor is None:
        st.caption(t("draft.readonly", lang))
    else:
        c1, c2 = st.columns(2)
        with c1.form("plan_assign"):
            st.markdown(f"**{t('draft.assign', lang)}**")
            county = st.selectbox(
                t("draft.county", lang),
                list(model.counties),
                format_func=lambda c: place(model, c),
                key="assign_county",
            )
            zone = st.selectbox(t("draft.zone", lang), zone_ids, format_func=zone_option, key="assign_zone")
            role = st.radio(
                t("draft.role", lang),
                ["primary", "secondary"],
                horizontal=True,
                key="assign_role",
                format_func=lambda r: t(f"draft.role.{r}", lang),
            )
            reason = st.text_input(t("draft.reason", lang), key="assign_reason")
            if st.form_submit_button(t("draft.save", lang)):
                run(lambda: draft.assign(county, zone, role=role, by=editor, reason=reason), "draft.recorded")
        with c2.form("plan_rename"):
            st.markdown(f"**{t('draft.rename', lang)}**")
            zone_r = st.selectbox(t("draft.zone", lang), zone_ids, key="rename_zone", format_func=zone_option)
            name_zh = st.text_input(t("draft.rename_zh", lang), key="rename_name")
            name_en = st.text_input(t("draft.rename_en", lang), key="rename_name_en")
            definition = st.text_area(t("draft.rename_def", lang), key="rename_def")
            if st.form_submit_button(t("draft.save", lang)):
                run(
                    lambda: draft.rename_zone(
                        zone_r, name_zh=name_zh, name_en=name_en, definition=definition, by=editor
                    ),
                    "draft.recorded",
                )
        c3, c4 = st.columns(2)
        with c3.form("plan_add_zone"):
            st.markdown(f"**{t('draft.add_zone', lang)}**")
            zid = st.text_input(t("draft.add_zone_id", lang), key="add_zone_id")
            kind = st.selectbox(
                t("draft.col.kind", lang),
                list(ZONE_KINDS),
                format_func=lambda k: t(f"draft.kind.{k}", lang, default=k),
                key="add_zone_kind",
            )
            zname = st.text_input(t("draft.add_zone_name", lang), key="add_zone_name")
            if st.form_submit_button(t("draft.add", lang)):
                run(lambda: draft.add_zone(zid, kind=kind, name_zh=zname, by=editor), "draft.recorded")
        with c4.form("plan_remove_zone"):
            st.markdown(f"**{t('draft.remove_zone', lang)}**")
            zone_d = st.selectbox(t("draft.zone", lang), zone_ids, key="remove_zone", format_func=zone_option)
            reason_d = st.text_input(t("draft.reason", lang), key="remove_reason")
            if st.form_submit_button(t("draft.remove", lang)):
                run(lambda: draft.remove_zone(zone_d, by=editor, reason=reason_d), "draft.recorded")

with tab_projects:
    st.dataframe(project_table(draft.catalog(), model), hide_index=True, width="stretch")
    if editor is not None:
        with st.form("plan_add_project"):
            st.markdown(f"**{t('draft.add_project', lang)}**")
            pname = st.text_input(t("draft.project_name", lang), key="add_project_name")
            pcounty = st.selectbox(
                t("draft.county", lang),
                [*model.counties, *model.areas],
                format_func=lambda c: place(model, c),
                key="add_project_county",
            )
            if st.form_submit_button(t("draft.add", lang)):
                run(lambda: draft.add_project(name=pname, county=pcounty, by=editor)[0], "draft.project_added")

with tab_carry:
    source = draft.plan.follows or DEFAULT_PLAN
    as_of = date_field(
        t("draft.carry_as_of", lang),
        value=dt.date(2025, 12, 31),
        key="carry_as_of",
        lang=lang,
        container=st.columns(2)[0],
    )
    try:
        cand = draft.carry_over_candidates(source=source, as_of=as_of)
    except LayoutError as exc:
        show_error(exc, lang)
        cand = pd.DataFrame(columns=["id", "name", "county", "sector", "status", "progress", "last_report"])
    events = draft.events()
    live = events[(events["op"] != "undo") & events["undone_by"].isna()] if len(events) else events
    decided = {e["args"]["id"] for e in live.to_dict("records") if e["op"] in ("carry_accept", "carry_drop")}
    open_cand = cand[~cand["id"].isin(decided)]
    source_plan = by_name.get(source)
    st.caption(
        t(
            "draft.carry_caption",
            lang,
            source=plan_label(source_plan) if source_plan else source,
            as_of=as_of,
            n=len(cand),
            open=len(open_cand),
        )
    )
    shown = project_table(open_cand.assign(precision=""), model).iloc[:, :4]
    shown[t("draft.col.status", lang)] = [
        t(f"status.{s}", lang) if s else t("draft.no_report", lang) for s in open_cand["status"]
    ]
    shown[t("draft.col.progress", lang)] = list(open_cand["progress"])
    shown[t("draft.col.last_report", lang)] = [
        str(x) if x is not None and not pd.isna(x) else "" for x in open_cand["last_report"]
    ]
    st.dataframe(shown, hide_index=True, width="stretch")
    if editor is not None and len(open_cand):
        with st.form("plan_carry"):
            every = {"placeholder": t("draft.carry_pick", lang), "select_all": False}
            accept = st.multiselect(t("draft.carry_accept", lang), list(open_cand["id"]), key="carry_accept", **every)
            drop = st.multiselect(t("draft.carry_drop", lang), list(open_cand["id"]), key="carry_drop", **every)
            reason_c = st.text_input(t("draft.carry_reason", lang), key="carry_reason")
            if st.form_submit_button(t("draft.carry_save", lang)):
                run(
                    lambda: draft.carry_over(
                        source=source, as_of=as_of, accept=accept, drop=drop, reason=reason_c, by=editor
                    ),
                    "draft.recorded",
                )

with tab_history:
    events = draft.events()
    if len(events):
        st.dataframe(history_table(events, model), hide_index=True, width="stretch")
    undoable = events[(events["op"] != "undo") & events["undone_by"].isna()] if len(events) else events
    if editor is not None and len(undoable):
        with st.form("plan_undo"):
            rows = {int(r["event_id"]): r for r in undoable.to_dict("records")}
            event_id = st.selectbox(
                t("draft.undo", lang),
                list(reversed(rows)),  # the latest change first
                format_func=lambda i: event_label(rows[i]),
                key="undo_event",
            )
            if st.form_submit_button(t("draft.undo_submit", lang)):
                run(lambda: draft.undo(int(event_id), by=editor), "draft.undone")
