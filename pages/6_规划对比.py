"""规划对比 (plans compared): two plan versions side by side — swipe and side-by-side maps, change tables.

Widgets and display only: the comparison is ``layout.drafting.compare``, the page and the files are
``layout.drafting.compare_report`` (the same as ``python -m layout plan compare``). The maps are a static HTML
component (streamlit-folium draws side-by-side maps blank) with Leaflet and its plugin inline: no internet needed.
"""

from __future__ import annotations

import streamlit as st

st.set_page_config(page_title="规划对比 · 益阳市服务业", page_icon="🔀", layout="wide")

import streamlit.components.v1 as components  # noqa: E402

from layout.drafting.compare import compare_plans  # noqa: E402
from layout.drafting.compare_report import comparison_bytes, comparison_html, title  # noqa: E402
from layout.drafting.versions import list_plans  # noqa: E402
from layout.errors import LayoutError  # noqa: E402

PAGE_HEIGHT = 1900

st.title("规划对比")
plans = list_plans()
names = [p.name for p in plans]
if len(names) < 2:
    st.info("只有一个规划版本。先在「规划编制」页或用 python -m layout plan new 新建草案。")
    st.stop()
labels = {p.name: p.label for p in plans}
c1, c2 = st.columns(2)
old = c1.selectbox("原规划", names, index=0, format_func=labels.get, key="cmp_old")
new = c2.selectbox("新规划", names, index=len(names) - 1, format_func=labels.get, key="cmp_new")
if old == new:
    st.warning("请选择两个不同的规划版本。")
    st.stop()
try:
    comp = compare_plans(old, new)
except LayoutError as exc:
    st.error(str(exc))
    st.stop()
if comp.is_draft:
    st.warning("草案 · 未经批准：草案内容均为编制人员录入。", icon="📝")
m1, m2, m3, m4 = st.columns(4)
m1.metric("县市区调整", len(comp.counties))
m2.metric("分区增删改名", len(comp.zones))
m3.metric("新增项目", int((comp.projects["change"] == "新增").sum()))
m4.metric("结转项目", int((comp.projects["change"] == "结转").sum()))
components.html(comparison_html(comp), height=PAGE_HEIGHT, scrolling=True)
d1, d2, d3 = st.columns(3)
stem = title(comp).replace("：", "_").replace(" → ", "_").replace("【", "").replace("】", "_")
for col, fmt, mime in (
    (d1, "xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    (d2, "pptx", "application/vnd.openxmlformats-officedocument.presentationml.presentation"),
    (d3, "html", "text/html"),
):
    col.download_button(
        f"下载 {fmt.upper()}",
        data=comparison_bytes(comp, fmt),
        file_name=f"{stem}.{fmt}",
        mime=mime,
        key=f"cmp_dl_{fmt}",
    )
