"""规划编制 (drafting): a draft plan's zones, projects and history; edits as events with undo.

Widgets and display only: the draft is ``layout.drafting.drafts`` (the same calls as ``python -m layout plan …``),
versions are ``layout.drafting.versions``. Editing needs the editor key, as on the 项目台账 page (an unlock there
holds here too). Every view of a draft is marked 草案: a draft holds only what planners entered.
"""

from __future__ import annotations

import datetime as dt

import streamlit as st

st.set_page_config(page_title="规划编制 · 益阳市服务业", page_icon="✏️", layout="wide")

import pandas as pd  # noqa: E402
import streamlit.components.v1 as components  # noqa: E402

from layout.drafting.compare_report import plan_map_html  # noqa: E402
from layout.drafting.drafts import Draft, open_draft  # noqa: E402
from layout.drafting.versions import DEFAULT_PLAN, list_plans, new_plan  # noqa: E402
from layout.errors import LayoutError  # noqa: E402
from layout.i18n import check_lang  # noqa: E402
from layout.plan.zones import load_zone_model  # noqa: E402
from layout.register.events import status_label  # noqa: E402
from ui.editor_session import ask_editor  # noqa: E402

SS = st.session_state
lang = check_lang(st.query_params.get("lang", "zh"))


def run(action, done: str) -> None:
    """Call a library action; show its one-line error (no traceback), or rerun showing ``done`` (so every table
    above shows the change)."""
    try:
        result = action()
    except LayoutError as exc:
        st.error(str(exc))
        return
    SS["plan_msg"] = done.format(result=result)
    st.rerun()


def zone_table(draft: Draft) -> pd.DataFrame:
    model = load_zone_model(draft.plan.zones)
    rows = []
    for z in model.zones.values():
        rows.append(
            {
                "分区": z.id,
                "类型": z.kind,
                "名称": z.name_zh,
                "英文名": z.name_en,
                "主属县市区": "、".join(m.county for m in z.members if m.role == "primary"),
                "兼属": "、".join(m.county for m in z.members if m.role == "secondary"),
                "定义": z.definition,
            }
        )
    return pd.DataFrame(rows)


st.title("规划编制")
editor = ask_editor(st.sidebar, lang, "reg")
plans = list_plans()
drafts = [p.name for p in plans if p.is_draft]

if msg := SS.pop("plan_msg", None):
    st.success(msg)
with st.sidebar.expander("新建草案", expanded=not drafts), st.form("plan_new"):
    name = st.text_input("草案名称", placeholder="十五五草案", key="new_name")
    source = st.selectbox("来自", [p.name for p in plans], index=0, key="new_from")
    if st.form_submit_button("新建", disabled=editor is None):
        run(lambda: new_plan(name, from_plan=source, by=editor).name, "已新建草案 {result}")

if not drafts:
    st.info("还没有草案。在左侧新建一个（例如 十五五草案，来自 十四五）；或用命令 python -m layout plan new。")
    st.stop()

picked = st.sidebar.selectbox("草案", drafts, key="plan_draft")
try:
    draft = open_draft(picked)
except LayoutError as exc:
    st.error(str(exc))
    st.stop()
st.warning(f"草案 · {draft.plan.name}（来自 {draft.plan.follows}）· 未经批准：内容均为编制人员录入。", icon="📝")

problems = draft.problems()
if problems:
    st.error("草案有问题（编辑文件后也会检查）：\n\n" + "\n".join(f"- {p}" for p in problems))

tab_zones, tab_projects, tab_carry, tab_history = st.tabs(["分区", "项目", "结转", "修改记录"])
model = load_zone_model(draft.plan.zones)

with tab_zones:
    components.html(plan_map_html(draft.plan), height=470)
    st.dataframe(zone_table(draft), hide_index=True, width="stretch")
    if editor is None:
        st.caption("只读：编辑需要编辑密钥和姓名（见左侧栏）。")
    else:
        c1, c2 = st.columns(2)
        with c1.form("plan_assign"):
            st.markdown("**调整县市区所属分区**")
            county = st.selectbox("县市区", list(model.counties), key="assign_county")
            zone = st.selectbox(
                "分区", list(model.zones), format_func=lambda z: f"{z} · {model.zones[z].name_zh}", key="assign_zone"
            )
            role = st.radio(
                "身份",
                ["primary", "secondary"],
                horizontal=True,
                key="assign_role",
                format_func=lambda r: "主属" if r == "primary" else "兼属",
            )
            reason = st.text_input("理由（必填）", key="assign_reason")
            if st.form_submit_button("保存"):
                run(lambda: draft.assign(county, zone, role=role, by=editor, reason=reason), "已记录事件 {result}")
        with c2.form("plan_rename"):
            st.markdown("**分区更名、定义**")
            zone_r = st.selectbox(
                "分区", list(model.zones), key="rename_zone", format_func=lambda z: f"{z} · {model.zones[z].name_zh}"
            )
            name_zh = st.text_input("新名称（必填）", key="rename_name")
            name_en = st.text_input("英文名")
            definition = st.text_area("定义句（编制人员拟定）")
            if st.form_submit_button("保存"):
                run(
                    lambda: draft.rename_zone(
                        zone_r, name_zh=name_zh, name_en=name_en, definition=definition, by=editor
                    ),
                    "已记录事件 {result}",
                )
        c3, c4 = st.columns(2)
        with c3.form("plan_add_zone"):
            st.markdown("**新增分区**")
            zid = st.text_input("分区编号（英文，如 tea_wing）")
            kind = st.selectbox("类型", ["core", "wing", "pole"])
            zname = st.text_input("名称", key="add_zone_name")
            if st.form_submit_button("新增"):
                run(lambda: draft.add_zone(zid, kind=kind, name_zh=zname, by=editor), "已记录事件 {result}")
        with c4.form("plan_remove_zone"):
            st.markdown("**删除分区**")
            zone_d = st.selectbox("分区", list(model.zones), key="remove_zone")
            reason_d = st.text_input("理由（必填）", key="remove_reason")
            if st.form_submit_button("删除"):
                run(lambda: draft.remove_zone(zone_d, by=editor, reason=reason_d), "已记录事件 {result}")

with tab_projects:
    st.dataframe(
        draft.catalog()[["id", "name", "county", "sector", "precision", "notes"]], hide_index=True, width="stretch"
    )
    if editor is not None:
        with st.form("plan_add_project"):
            st.markdown("**新增项目**")
            pname = st.text_input("项目名称（必填）")
            pcounty = st.selectbox("县市区", [*model.counties, *model.areas])
            if st.form_submit_button("新增"):
                run(lambda: draft.add_project(name=pname, county=pcounty, by=editor)[0], "已新增 {result}")

with tab_carry:
    source = draft.plan.follows or DEFAULT_PLAN
    as_of = st.date_input("台账日期（上一期末）", value=dt.date(2025, 12, 31), key="carry_as_of")
    try:
        cand = draft.carry_over_candidates(source=source, as_of=as_of)
    except LayoutError as exc:
        st.error(str(exc))
        cand = pd.DataFrame(columns=["id", "name", "county", "status", "progress", "last_report"])
    events = draft.events()
    live = events[(events["op"] != "undo") & events["undone_by"].isna()] if len(events) else events
    decided = {e["args"]["id"] for e in live.to_dict("records") if e["op"] in ("carry_accept", "carry_drop")}
    open_cand = cand[~cand["id"].isin(decided)]
    shown = open_cand.assign(status=[status_label(s) or "无报送" for s in open_cand["status"]])
    st.caption(f"{source} 截至 {as_of} 未建成/未运营/未取消的项目 {len(cand)} 个，其中待决定 {len(open_cand)} 个。")
    st.dataframe(shown, hide_index=True, width="stretch")
    if editor is not None and len(open_cand):
        with st.form("plan_carry"):
            accept = st.multiselect("结转", list(open_cand["id"]))
            drop = st.multiselect("不结转", list(open_cand["id"]))
            reason_c = st.text_input("理由（不结转必填）")
            if st.form_submit_button("保存决定"):
                run(
                    lambda: draft.carry_over(
                        source=source, as_of=as_of, accept=accept, drop=drop, reason=reason_c, by=editor
                    ),
                    "已记录事件 {result}",
                )

with tab_history:
    events = draft.events()
    st.dataframe(
        events[["event_id", "op", "target", "by", "reason", "recorded_at", "undoes", "undone_by"]],
        hide_index=True,
        width="stretch",
    )
    if editor is not None and len(events):
        with st.form("plan_undo"):
            event_id = st.number_input("撤销哪条修改（事件号）", min_value=1, step=1)
            if st.form_submit_button("撤销"):
                run(lambda: draft.undo(int(event_id), by=editor), "已撤销（新事件 {result}）")
