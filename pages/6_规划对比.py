"""规划对比 (plans compared): two plan versions side by side — swipe and side-by-side maps, change tables.

Widgets and display only: the comparison is ``layout.drafting.compare``, the page and the files are
``layout.drafting.compare_report`` (the same as ``python -m layout plan compare``). The maps are a static HTML
component (streamlit-folium draws side-by-side maps blank) with Leaflet and its plugin inline: no internet needed.
The page's own texts follow the reader's language (``ui.chrome.page_lang``). The report inside the component and
the downloaded files are the Chinese report made for county governments: in English the page shows the change
tables in English (zone and county names from the plans' zone models) and the Chinese report folded away.
"""

from __future__ import annotations

import streamlit as st

from layout.i18n import t
from ui.chrome import page_lang

lang = page_lang()
st.set_page_config(page_title=t("cmp.page_title", lang), page_icon="🔀", layout="wide")

import pandas as pd  # noqa: E402
import streamlit.components.v1 as components  # noqa: E402

from layout.drafting.compare import compare_plans  # noqa: E402
from layout.drafting.compare_report import comparison_bytes, comparison_html, title  # noqa: E402
from layout.drafting.versions import PlanVersion, list_plans  # noqa: E402
from layout.errors import LayoutError  # noqa: E402
from layout.plan.zones import ZoneModel, load_zone_model  # noqa: E402
from ui import server_guard  # noqa: E402, F401 - a client's clear_cache clears only its own session
from ui.chrome import nav_links, show_error  # noqa: E402

PAGE_HEIGHT = 1900


def plan_label(plan: PlanVersion) -> str:
    """A plan's name and status in the page's language (a shipped plan's name translated, a draft's as typed)."""
    return t(
        "plan.label",
        lang,
        name=t(f"plan.name.{plan.name}", lang, default=plan.name),
        status=t(f"plan.status.{plan.status}", lang, default=plan.status),
    )


def english_tables(comp) -> list[tuple[str, pd.DataFrame]]:
    """The change tables in English: zone and county names from either plan's zone model (the later plan's
    first), change kinds and statuses translated; project names, reasons and the indicators' targets as
    written (names typed by planners, the plan's own words)."""
    old_m, new_m = load_zone_model(comp.old.zones), load_zone_model(comp.new.zones)

    def place(name: str) -> str:
        for m in (new_m, old_m):
            found = m.counties.get(name) or m.areas.get(name)
            if found is not None:
                return found.name_en
        return t("county.citywide", lang) if name == "全市" else name

    def places(names: str) -> str:
        return ", ".join(place(n) for n in str(names or "").split("、") if n)

    def zone(zid, model: ZoneModel) -> str:
        z = model.zones.get(zid) if isinstance(zid, str) else None
        return (z.name_en or z.id) if z is not None else ""

    def col(key: str) -> str:
        return t(f"cmp.col.{key}", lang)

    def change(values) -> list[str]:
        return [t(f"cmp.change.{v}", lang, default=v) for v in values]

    c, z, a, p, j, i = comp.counties, comp.zones, comp.areas, comp.poles, comp.projects, comp.indicators
    tables = {
        "counties": {
            col("county"): [place(x) for x in c["county"]],
            col("old_zone"): [zone(x, old_m) for x in c["old_zone"]],
            col("new_zone"): [zone(x, new_m) for x in c["new_zone"]],
        },
        "zones": {
            col("change"): change(z["change"]),
            col("zone"): z["zone"],
            col("kind"): [t(f"draft.kind.{k}", lang, default=k) for k in z["kind"]],
            col("old_name"): [zone(x, old_m) for x in z["zone"]],
            col("new_name"): [zone(x, new_m) for x in z["zone"]],
            col("old_name_zh"): z["old_name"],  # a renamed Chinese name is the change itself: shown as typed
            col("new_name_zh"): z["new_name"],
            col("old_km2"): z["old_km2"],
            col("new_km2"): z["new_km2"],
        },
        "areas": {
            col("zone"): a["zone"],
            col("name"): [zone(x, new_m) or zone(x, old_m) for x in a["zone"]],
            col("old_km2"): a["old_km2"],
            col("new_km2"): a["new_km2"],
        },
        "poles": {
            col("change"): change(p["change"]),
            col("pole"): p["pole"],
            col("name"): [zone(x, new_m) or zone(x, old_m) for x in p["pole"]],
            col("old_counties"): [places(x) for x in p["old_counties"]],
            col("new_counties"): [places(x) for x in p["new_counties"]],
        },
        "projects": {
            col("change"): change(j["change"]),
            col("id"): j["id"],
            col("project"): j["name"],
            col("county"): [place(x) for x in j["county"]],
            col("status"): [t(f"status.{x}", lang) if x else "" for x in j["status"]],
            col("reason"): j["reason"],
            col("by"): j["by"],
        },
        "indicators": {
            col("table"): [t(f"cmp.table.{x}", lang, default=x) for x in i["table"]],
            col("key"): i["key"],
            col("old"): i["old"],
            col("new"): i["new"],
            col("changed"): [t("cmp.yes" if x else "cmp.no", lang) for x in i["changed"]],
        },
    }
    return [(t(f"cmp.sheet.{k}", lang), pd.DataFrame(v)) for k, v in tables.items()]


nav_links(lang)
st.title(t("cmp.title", lang))
plans = list_plans()
by_name = {p.name: p for p in plans}
names = list(by_name)
if len(names) < 2:
    st.info(t("cmp.one_plan", lang))
    st.stop()
c1, c2 = st.columns(2)
old = c1.selectbox(t("cmp.old", lang), names, index=0, format_func=lambda n: plan_label(by_name[n]), key="cmp_old")
new = c2.selectbox(
    t("cmp.new", lang), names, index=len(names) - 1, format_func=lambda n: plan_label(by_name[n]), key="cmp_new"
)
if old == new:
    st.warning(t("cmp.same", lang))
    st.stop()
try:
    comp = compare_plans(old, new)
except LayoutError as exc:
    show_error(exc, lang)
    st.stop()
if comp.is_draft:
    st.warning(t("cmp.draft_banner", lang), icon="📝")
m1, m2, m3, m4 = st.columns(4)
m1.metric(t("cmp.counties", lang), len(comp.counties))
m2.metric(t("cmp.zones", lang), len(comp.zones))
m3.metric(t("cmp.new_projects", lang), int((comp.projects["change"] == "新增").sum()))
m4.metric(t("cmp.carried", lang), int((comp.projects["change"] == "结转").sum()))
if lang == "en":
    st.subheader(t("cmp.tables", lang))
    for name, frame in english_tables(comp):
        st.markdown(f"**{name}**")
        if len(frame):
            st.dataframe(frame, hide_index=True, width="stretch")
        else:
            st.caption(t("cmp.none", lang))
    st.caption(t("cmp.report_zh", lang))
    with st.expander(t("cmp.report_expander", lang), expanded=False):
        components.html(comparison_html(comp), height=PAGE_HEIGHT, scrolling=True)
else:
    components.html(comparison_html(comp), height=PAGE_HEIGHT, scrolling=True)
d1, d2, d3 = st.columns(3)
stem = title(comp).replace("：", "_").replace(" → ", "_").replace("【", "").replace("】", "_")
for col, fmt, mime in (
    (d1, "xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    (d2, "pptx", "application/vnd.openxmlformats-officedocument.presentationml.presentation"),
    (d3, "html", "text/html"),
):
    col.download_button(
        t("cmp.download", lang, fmt=fmt.upper()),
        data=comparison_bytes(comp, fmt),
        file_name=f"{stem}.{fmt}",
        mime=mime,
        key=f"cmp_dl_{fmt}",
    )
