"""规划对比 (plans compared): two plan versions side by side — swipe and side-by-side maps, change tables.

Widgets and display only: the comparison is ``layout.drafting.compare``, the page and the files are
``layout.drafting.compare_report`` (the same as ``python -m layout plan compare``). The maps are a static HTML
component (streamlit-folium draws side-by-side maps blank) with Leaflet and its plugin inline: no internet needed.
The page's own texts follow the reader's language (``ui.chrome.page_lang``), and so do the report inside the
component and the downloaded files (``compare_report``'s ``lang``: zone and county names from the plans' zone
models in English; project names, reasons and targets as planners and the plan wrote them).
"""

from __future__ import annotations

import streamlit as st

from layout.i18n import t
from ui.chrome import page_lang

lang = page_lang()
st.set_page_config(page_title=t("cmp.page_title", lang), page_icon="🔀", layout="wide")

import streamlit.components.v1 as components  # noqa: E402

from layout.drafting.compare import compare_plans  # noqa: E402
from layout.drafting.compare_report import comparison_bytes, comparison_html, title  # noqa: E402
from layout.drafting.versions import list_plans  # noqa: E402
from layout.errors import LayoutError  # noqa: E402
from ui import server_guard  # noqa: E402, F401 - a client's clear_cache clears only its own session
from ui.chrome import nav_links, plan_label, show_error  # noqa: E402

PAGE_HEIGHT = 1900


nav_links(lang)
st.title(t("cmp.title", lang))
plans = list_plans()
by_name = {p.name: p for p in plans}
names = list(by_name)
if len(names) < 2:
    st.info(t("cmp.one_plan", lang))
    st.stop()
c1, c2 = st.columns(2)
old = c1.selectbox(
    t("cmp.old", lang), names, index=0, format_func=lambda n: plan_label(by_name[n], lang), key="cmp_old"
)
new = c2.selectbox(
    t("cmp.new", lang), names, index=len(names) - 1, format_func=lambda n: plan_label(by_name[n], lang), key="cmp_new"
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
components.html(comparison_html(comp, lang=lang), height=PAGE_HEIGHT, scrolling=True)
d1, d2, d3 = st.columns(3)
stem = (
    title(comp, lang)
    .replace("[DRAFT] ", "DRAFT_")
    .replace(": ", "_")
    .replace("：", "_")
    .replace(" → ", "_")
    .replace("【", "")
    .replace("】", "_")
)
for col, fmt, mime in (
    (d1, "xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    (d2, "pptx", "application/vnd.openxmlformats-officedocument.presentationml.presentation"),
    (d3, "html", "text/html"),
):
    col.download_button(
        t("cmp.download", lang, fmt=fmt.upper()),
        data=comparison_bytes(comp, fmt, lang=lang),
        file_name=f"{stem}.{fmt}",
        mime=mime,
        key=f"cmp_dl_{fmt}",
    )
