"""实施评估 (implementation evaluation): how far the 一核两翼三极 layout got built, at any date.

Widgets and display only: figures from ``layout.evaluation.figures`` over the register's state on the chosen
date (``layout.register.events``), the map from ``layout.evaluation.map``, exports from ``layout.evaluation.report``
(the same files as ``python -m layout evaluate``). Recording indicator values needs the editor key
(``LAYOUT_EDITOR_KEY``), checked as on the 项目台账 page; an unlock there holds here too.
"""

from __future__ import annotations

import datetime as dt

import streamlit as st

st.set_page_config(page_title="实施评估 · 益阳市服务业", page_icon="📈", layout="wide")

import altair as alt  # noqa: E402
import pandas as pd  # noqa: E402

from layout.errors import LayoutError  # noqa: E402
from layout.evaluation.figures import (  # noqa: E402
    INDICATOR_SPECS,
    STATUS_ORDER,
    Evaluation,
    compare,
    evaluate,
    evaluate_indicators,
    status_label,
)
from layout.evaluation.text import empty_text, register_info  # noqa: E402
from layout.i18n import check_lang, format_money, t  # noqa: E402
from layout.register.events import Register  # noqa: E402
from layout.register.location import location_label, register_location  # noqa: E402
from layout.render import assets  # noqa: E402
from layout.render.palette import status_color  # noqa: E402
from layout.render.safe_html import markdown_text as md  # noqa: E402
from ui.chrome import nav_links, plan_picker, plan_tag, show_draft_mark  # noqa: E402
from ui.date_field import date_field  # noqa: E402
from ui.editor_session import ask_editor  # noqa: E402
from ui.map_component import map_args, show_map  # noqa: E402

MAP_HEIGHT = 560
PLAN_START = dt.date(2021, 1, 1)
SS = st.session_state


# --------------------------------------------------------------------------------------------
# Data (cached wrappers around library calls)


@st.cache_resource(show_spinner=False)
def static_assets() -> int:
    return len(assets.ensure_static_assets())


@st.cache_resource(show_spinner=False)
def catalog(plan: str):
    """The active plan's catalog (``plan``: ``ui.chrome.plan_tag``, the cache key)."""
    from layout.catalog.projects import load_catalog

    return load_catalog()


@st.cache_resource(show_spinner=False)
def open_register(path: str, plan: str) -> Register:
    return Register(path, catalog=catalog(plan))


def register_version(reg: Register) -> tuple[int, str]:
    """The cache key of the data: changes whenever an event is appended (records and undos only ever append)
    and with the active plan (its catalog and zones)."""
    return reg.store.count_events(), plan_tag()


@st.cache_data(show_spinner=False, max_entries=16)
def state_at(path: str, day: dt.date, version: tuple[int, str]) -> pd.DataFrame:
    return open_register(path, version[1]).state(as_of=day)


@st.cache_data(show_spinner=False, max_entries=32)
def evaluation(
    path: str, scope: str, day: dt.date, months: int, version: tuple[int, str], demo: bool, lang: str
) -> Evaluation:
    return evaluate(
        catalog(version[1]),
        state_at(path, day, version),
        as_of=day,
        scope=scope,
        stale_months=months,
        demo=demo,
        lang=lang,
    )


@st.cache_data(show_spinner=False, max_entries=16)
def indicator_state_at(path: str, day: dt.date, version: tuple[int, str]) -> pd.DataFrame:
    return open_register(path, version[1]).indicator_state(as_of=day)


@st.cache_data(show_spinner=False, max_entries=16)
def indicators(path: str, day: dt.date, version: tuple[int, str], lang: str) -> pd.DataFrame:
    return evaluate_indicators(indicator_state_at(path, day, version), lang=lang)


@st.cache_data(show_spinner=False, max_entries=12)
def report_file(
    path: str,
    scope: str,
    day: dt.date,
    before: dt.date | None,
    months: int,
    version: tuple[int, str],
    demo: bool,
    fmt: str,
    lang: str,
) -> bytes:
    from layout.evaluation.files import report_bytes
    from layout.evaluation.report import make_report

    states = {"as_of": state_at(path, day, version), "indicators": indicator_state_at(path, day, version)}
    if before is not None:
        states["compare_to"] = state_at(path, before, version)
    report = make_report(
        open_register(path, version[1]),
        catalog(version[1]),
        scope=scope,
        as_of=day,
        compare_to=before,
        demo=demo,
        lang=lang,
        stale_months=months,
        states=states,
    )
    return report_bytes(report, fmt, lang=lang)


@st.cache_resource(show_spinner=False, max_entries=16)
def map_for(path: str, scope: str, day: dt.date, months: int, version: tuple[int, str], demo: bool, lang: str) -> dict:
    """The status map as the component's arguments, rendered once and shared by every session (a cached
    folium map given to ``st_folium`` drew blank from the second visit on: see ``ui.map_component``)."""
    from layout.evaluation.map import status_map

    ev = evaluation(path, scope, day, months, version, demo, lang)
    return map_args(
        status_map(ev.projects, scope=scope, lang=lang, height=MAP_HEIGHT, demo=demo), key=f"eval_map_{scope}"
    )


# --------------------------------------------------------------------------------------------
# Display helpers


def pct(value: float) -> str:
    return "—" if pd.isna(value) else f"{value * 100:.1f}%"


def money(value: float) -> str:
    return "—" if pd.isna(value) else f"{value:,.1f}"


def status_chart(frame: pd.DataFrame, lang: str):
    """Stacked bars per group, one colour per status (the map's colours)."""
    body = frame[frame["key"] != "total"]
    long = body.melt(id_vars=["label"], value_vars=list(STATUS_ORDER), var_name="status", value_name="count")
    long = long[long["count"] > 0]
    long["status_label"] = [status_label(s, lang) for s in long["status"]]
    long["order"] = [STATUS_ORDER.index(s) for s in long["status"]]
    domain = [status_label(s, lang) for s in STATUS_ORDER]
    return (
        alt.Chart(long)
        .mark_bar()
        .encode(
            x=alt.X("count:Q", title=t("eval.col.n", lang), stack="zero"),
            y=alt.Y("label:N", title=None, sort=list(body["label"])),
            color=alt.Color(
                "status_label:N",
                title=t("eval.col.status", lang),
                scale=alt.Scale(domain=domain, range=[status_color(s) for s in STATUS_ORDER]),
            ),
            order=alt.Order("order:Q"),
            tooltip=["label", "status_label", "count"],
        )
        .properties(height=max(140, 28 * len(body)))
    )


def group_table(frame: pd.DataFrame, lang: str) -> pd.DataFrame:
    out = pd.DataFrame({t("eval.col.label", lang): frame["label"]})
    for name in ("n", "reported", *STATUS_ORDER, "started", "completed_n"):
        out[status_label(name, lang) if name in STATUS_ORDER else t(f"eval.col.{name}", lang)] = frame[name].astype(int)
    out[t("eval.col.share_started", lang)] = frame["share_started"].map(pct)
    out[t("eval.col.share_completed", lang)] = frame["share_completed"].map(pct)
    out[t("eval.col.invest_planned", lang)] = frame["invest_planned"].map(money)
    out[t("eval.col.invest_done", lang)] = frame["invest_done"].map(money)
    return out


def scope_options() -> list[str]:
    from layout.plan.zones import load_zone_model

    model = load_zone_model()
    return ["city", "municipal", *(f"zone:{z}" for z in model.zones), *(f"county:{c}" for c in model.counties)]


def scope_text(scope: str, lang: str) -> str:
    from layout.evaluation.text import scope_name

    return scope_name(scope, lang)


# --------------------------------------------------------------------------------------------
# The page


lang = check_lang(SS.get("lang") or st.query_params.get("lang"))
nav_links(lang)
plan = plan_picker(lang)  # activates the plan for this run; the cached loaders are keyed by plan_tag()
static_assets()

path = str(register_location())
try:
    reg = open_register(path, plan_tag())
    version = register_version(reg)
except LayoutError as exc:
    st.error(t("eval.register_failed", lang, path=md(location_label(path)), error=md(exc)))
    st.stop()
from layout.register.demo import is_demo_register  # noqa: E402

demo = is_demo_register(reg)

sb = st.sidebar
scope = sb.selectbox(
    t("eval.scope", lang), scope_options(), key="w_eval_scope", format_func=lambda s: scope_text(s, lang)
)
today = dt.date.today()
day = date_field(
    t("eval.as_of", lang),
    value=today,
    min_value=PLAN_START,
    max_value=today,
    key="w_eval_as_of",
    lang=lang,
    container=sb,
)
months = int(
    sb.number_input(t("eval.stale_months", lang), min_value=1, max_value=60, value=6, step=1, key="w_eval_months")
)
sb.caption(t("eval.register_at", lang, path=path))

st.title(t("eval.title", lang) + " · " + scope_text(scope, lang))
show_draft_mark(plan, lang)
if demo:
    st.warning(t("eval.demo_banner", lang), icon="⚠️")

ev = evaluation(path, scope, day, months, version, demo, lang)
total = ev.total
if version == 0:
    st.info(t("eval.empty", lang), icon="📋")
elif ev.empty:  # what the register holds and when its first report is dated
    st.info(empty_text(ev, register_info(open_register(path, version[1]).events(), day), lang))

# two rows of three: the amounts fit at 1366×768 (issue 21), in 亿元 from 1 亿元 with the exact 万元 as help
cols = [*st.columns(3), *st.columns(3)]
cols[0].metric(t("eval.col.reported", lang), f"{int(total['reported'])}/{int(total['n'])}")
cols[1].metric(t("eval.col.share_started", lang), pct(total["share_started"]))
cols[2].metric(t("eval.col.share_completed", lang), pct(total["share_completed"]))
for col, key in ((cols[3], "invest_planned"), (cols[4], "invest_done")):
    exact = None if pd.isna(total[key]) else t("eval.metric.exact", lang, value=money(total[key]))
    col.metric(t(f"eval.metric.{key}", lang), format_money(total[key], lang), help=exact)
cols[5].metric(t("eval.col.lagging", lang), int(total["lagging"]))
st.caption(t("eval.basis", lang, reported=int(total["reported"]), n=int(total["n"]), date=day.isoformat()))

tabs = st.tabs(
    [
        t("eval.tab.map", lang),
        t("eval.tab.figures", lang),
        t("eval.tab.lagging", lang),
        t("eval.tab.compare", lang),
        t("eval.tab.indicators", lang),
        t("eval.tab.export", lang),
    ]
)

with tabs[0]:
    show_map(map_for(path, scope, day, months, version, demo, lang), height=MAP_HEIGHT)

with tabs[1]:
    for grouping, key in (
        ("zone", "eval.sheet.zone"),
        ("county", "eval.sheet.county"),
        ("sector", "eval.sheet.sector"),
    ):
        frame = ev.table(grouping)
        st.subheader(t(key, lang))
        st.altair_chart(status_chart(frame, lang), width="stretch")
        st.dataframe(group_table(frame, lang), hide_index=True, width="stretch")

with tabs[2]:
    lag = ev.lagging
    st.caption(t("eval.lag_rule", lang, months=months))
    if lag.empty:
        st.write(t("eval.no_lagging", lang))
    else:
        st.dataframe(
            pd.DataFrame(
                {
                    t("eval.col.id", lang): lag.index,
                    t("eval.col.name", lang): lag["name"],
                    t("eval.col.county", lang): lag["county"],
                    t("eval.col.status", lang): [status_label(s, lang) for s in lag["status"]],
                    t("eval.col.lag_reason", lang): [
                        t(f"eval.lag.{r}", lang, months=months) for r in lag["lag_reason"]
                    ],
                    t("eval.col.lead_unit", lang): lag["lead_unit"],
                    t("eval.col.note", lang): lag["note"],
                    t("eval.col.last_as_of", lang): lag["last_as_of"],
                }
            ),
            hide_index=True,
            width="stretch",
        )

with tabs[3]:
    default_before = dt.date(2023, 12, 31) if day > dt.date(2023, 12, 31) else PLAN_START
    before_day = date_field(
        t("eval.compare_with", lang),
        value=default_before,
        min_value=PLAN_START,
        max_value=today,
        key="w_eval_before",
        lang=lang,
        container=st.columns(2)[0],
    )
    grouping = st.radio(
        t("eval.compare_by", lang),
        ["zone", "county", "sector"],
        horizontal=True,
        key="w_eval_compare_by",
        format_func=lambda g: t(f"eval.sheet.{g}", lang),
    )
    before = evaluation(path, scope, before_day, months, version, demo, lang)
    cmp = compare(before, ev, grouping=grouping)
    a, b = before_day.isoformat(), day.isoformat()
    shown = pd.DataFrame({t("eval.col.label", lang): cmp["label"]})
    for name in ("reported", "started", "completed_n"):
        for when, date in (("before", a), ("after", b)):
            shown[f"{t(f'eval.col.{name}', lang)} {date}"] = cmp[f"{name}_{when}"].astype(int)
    for when, date in (("before", a), ("after", b)):
        shown[f"{t('eval.col.share_started', lang)} {date}"] = cmp[f"share_started_{when}"].map(pct)
    for when, date in (("before", a), ("after", b)):
        shown[f"{t('eval.col.invest_done', lang)} {date}"] = cmp[f"invest_done_{when}"].map(money)
    st.dataframe(shown, hide_index=True, width="stretch")

with tabs[4]:
    ind = indicators(path, day, version, lang)
    st.caption(t("eval.ind_rule", lang))
    st.dataframe(
        pd.DataFrame(
            {
                t("eval.col.table", lang): ind["table"],
                t("eval.col.indicator", lang): ind["name"],
                t("eval.col.target_text", lang): ind["target_text"],
                t("eval.col.unit", lang): ind["unit"],
                t("eval.col.actual", lang): ind["actual"],
                t("eval.col.actual_year", lang): ind["actual_year"],
                t("eval.col.assessment", lang): [t(f"eval.ind.{s}", lang) for s in ind["status"]],
                t("eval.col.gap", lang): ind["gap"],
                t("eval.col.change", lang): [
                    ("—" if pd.isna(c) else f"{c:.2f} {u}") if u else "—"
                    for c, u in zip(ind["change"], ind["change_unit"], strict=True)
                ],
                t("eval.col.actual_source", lang): ind["actual_source"],
                t("eval.col.plan_sentence", lang): ind["plan_sentence"],
            }
        ),
        hide_index=True,
        width="stretch",
    )
    st.subheader(t("eval.record_title", lang))
    name = ask_editor(st, lang, "eval")
    if name:
        specs = {s.id: s for s in INDICATOR_SPECS}
        units = {i: s.unit if lang == "zh" else s.unit_en for i, s in specs.items()}
        names = dict(zip(ind["id"], ind["name"], strict=True))  # in the page's language
        with st.form("eval_indicator_form"):
            pick = st.selectbox(
                t("eval.col.indicator", lang),
                list(specs),
                key="w_eval_ind",
                format_func=lambda i: f"{names[i]}（{units[i]}）",
            )
            value = st.number_input(t("eval.col.actual", lang), value=None, step=0.1, format="%.2f", key="w_eval_value")
            year = st.number_input(
                t("eval.col.actual_year", lang),
                min_value=2020,
                max_value=today.year,
                value=min(2025, today.year),
                step=1,
                key="w_eval_year",
            )
            source = st.text_input(
                t("eval.col.actual_source", lang), key="w_eval_source", placeholder=t("eval.source_hint", lang)
            )
            saved = st.form_submit_button(t("eval.record", lang))
        if saved:
            if value is None or not source.strip():
                st.error(t("eval.record_missing", lang))
            else:
                try:
                    reg.record(
                        f"indicator:{pick}",
                        {"actual_value": value, "actual_year": int(year)},
                        by=name,
                        source=source.strip(),
                    )
                except LayoutError as exc:
                    st.error(md(str(exc)))
                else:
                    st.success(t("eval.recorded", lang, name=md(names[pick])))
                    st.rerun()

with tabs[5]:
    st.caption(t("eval.export_note", lang))
    use_compare = st.checkbox(
        t("eval.export_compare", lang, date=SS.get("w_eval_before", PLAN_START)), key="w_eval_export_compare"
    )
    before_for_file = SS.get("w_eval_before") if use_compare else None
    from layout.evaluation.report import MEDIA_TYPES, report_filename  # noqa: E402

    for fmt, col in zip(("xlsx", "pdf", "pptx"), st.columns(3), strict=True):
        if col.button(t(f"eval.make_{fmt}", lang), key=f"w_eval_make_{fmt}"):
            SS[f"eval_made_{fmt}"] = (scope, day, before_for_file, months, version, lang)
        made = SS.get(f"eval_made_{fmt}")
        if made == (scope, day, before_for_file, months, version, lang):
            try:
                with st.spinner(t("eval.making", lang)):
                    data = report_file(path, scope, day, before_for_file, months, version, demo, fmt, lang)
            except LayoutError as exc:
                col.error(str(exc))
            else:
                col.download_button(
                    t("eval.download", lang, fmt=fmt.upper()),
                    data,
                    key=f"w_eval_dl_{fmt}",
                    file_name=report_filename(scope, fmt, as_of=day, lang=lang),
                    mime=MEDIA_TYPES[fmt],
                )
