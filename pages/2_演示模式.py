"""演示模式: a guided tour of 一核两翼三极 for presenting to county governments, offline.

The whole layout, then 一核 → 两翼 → 三极 → each county → 大通湖区 (:func:`layout.render.tour.tour_steps`), each
a map filling the window's height with the plan's words beside it in large type (readable at 3 m).
Forward/back by the buttons, the ← → and PageUp/PageDown keys (a presenter's clicker sends those; a
listener on the page and one inside the map both step) or the step list.
The map is one self-contained HTML page (Leaflet inlined), so nothing is fetched from the network.
"""

from __future__ import annotations

import html

import streamlit as st

st.set_page_config(
    page_title="演示模式 · 一核两翼三极", page_icon="🗺️", layout="wide", initial_sidebar_state="collapsed"
)

from layout.i18n import check_lang, t  # noqa: E402
from layout.render.scopes import parse_scope, scope_mask  # noqa: E402
from layout.render.tour import TourStep, tour_steps  # noqa: E402
from layout.render.views import county_label  # noqa: E402
from ui import server_guard  # noqa: E402, F401 - a client's clear_cache clears only its own session
from ui.chrome import nav_links, plan_picker, plan_tag, show_draft_mark  # noqa: E402

MAP_HEIGHT = 600  # the iframe's own height; PAGE_CSS sets the real one from the window's height
STEP_KEY = "tour_step"
KEYS = "{ArrowLeft: 'tour_prev', ArrowRight: 'tour_next', PageUp: 'tour_prev', PageDown: 'tour_next'}"
# Forwards the keys from inside the map's iframe to the step buttons (Leaflet would otherwise pan with them).
KEY_FORWARDER = """<script>
document.addEventListener('keydown', function (e) {
  var key = KEYS[e.key];
  if (!key) return;
  try {
    var button = window.parent.document.querySelector('.st-key-' + key + ' button');
    if (button && !button.disabled) { button.click(); }
    e.preventDefault(); e.stopPropagation();
  } catch (err) { /* not embedded in the app: leave the keys to the map */ }
}, true);
</script>""".replace("KEYS", KEYS)
# The same keys on the page itself (once per browser tab), for a clicker while the map has no focus.
PAGE_KEYS = """<script>
(function (doc) {
  if (doc.__tourKeys) { return; }
  doc.__tourKeys = true;
  doc.addEventListener('keydown', function (e) {
    if (!doc.querySelector('.st-key-tour_next')) { return; }  // another page of the app
    var t = e.target, tag = t && t.tagName;
    if (tag === 'INPUT' || tag === 'TEXTAREA') { return; }
    var key = KEYS[e.key];
    if (!key) { return; }
    var button = doc.querySelector('.st-key-' + key + ' button');
    if (button && !button.disabled) { button.click(); }
    e.preventDefault();
  }, true);
})(window.document);
</script>""".replace("KEYS", KEYS)
PAGE_CSS = """<style>
.block-container { padding-top: 1.2rem; padding-bottom: 0; max-width: 100%; }
[data-testid="stHeader"] { background: transparent; pointer-events: none; }
[data-testid="stHeader"] * { pointer-events: auto; }
.block-container iframe { height: max(420px, calc(100vh - 6.5rem)) !important; }
.tour-stage { font-size: 1.1rem; color: #666; margin: 0; }
.tour-title { font-size: 2.1rem; font-weight: 700; line-height: 1.25; margin: .1rem 0 .4rem; }
.tour-sub { font-size: 1.25rem; font-weight: 600; color: #333; margin-bottom: .6rem; }
.tour-quote { font-size: clamp(1rem, 2.6vh, 1.45rem); line-height: 1.55; border-left: 5px solid #c0392b;
  padding-left: .8rem; margin: .4rem 0 .2rem; }
.tour-source { font-size: 1rem; color: #777; margin-bottom: .8rem; }
.tour-count { font-size: 1.2rem; }
</style>"""


@st.cache_resource(show_spinner=False)
def catalog(plan: str):
    """The active plan's catalog (``plan``: ``ui.chrome.plan_tag``, the cache key)."""
    from layout.catalog.projects import load_catalog

    return load_catalog()


@st.cache_data(show_spinner=False, max_entries=40)
def step_map(key: str, lang: str, plan: str) -> str:
    """The self-contained map page of one step, with the key forwarder (cached per step, language and plan);
    marked 草案 from a draft plan."""
    from layout.drafting.mark import mark_draft
    from layout.plan.context import active_plan_files
    from layout.render.export import map_html

    page = map_html(key, lang=lang, catalog=catalog(plan), heading=False)
    files = active_plan_files()
    if files.draft:
        page = mark_draft(page.encode("utf-8"), "html", name=files.name).decode("utf-8")
    return page.replace("</body>", KEY_FORWARDER + "</body>", 1)


@st.cache_data(show_spinner=False)
def steps(lang: str, plan: str) -> list[TourStep]:  # plan: the cache key of the active plan
    return tour_steps(lang)


def jump_label(step: TourStep) -> str:
    """A step as the list names it: its title, with the stage only where the title does not start with it."""
    return step.title if step.title.startswith(step.stage) else f"{step.stage} · {step.title}"


def go(delta: int, total: int) -> None:
    st.session_state[STEP_KEY] = min(max(st.session_state.get(STEP_KEY, 0) + delta, 0), total - 1)


def jump() -> None:
    st.session_state[STEP_KEY] = st.session_state["tour_jump"]


lang = check_lang(st.session_state.get("lang") or st.query_params.get("lang"))
nav_links(lang)
plan = plan_picker(lang)  # activates the plan for this run; the cached loaders take plan_tag()
all_steps = steps(lang, plan_tag())
total = len(all_steps)
index = min(max(int(st.session_state.get(STEP_KEY, 0)), 0), total - 1)
st.session_state[STEP_KEY] = index
step = all_steps[index]

st.html(PAGE_CSS)
st.html(PAGE_KEYS, unsafe_allow_javascript=True)
show_draft_mark(plan, lang)
top = st.columns([5, 1.2, 1.2, 3.2], vertical_alignment="center")
top[0].markdown(
    f"**{t('tour.title', lang)}** · {t('tour.step', lang, i=index + 1, n=total)} · :gray[{t('tour.keys_all', lang)}]"
)
top[1].button(
    f"← {t('tour.prev', lang)}",
    key="tour_prev",
    on_click=go,
    args=(-1, total),
    disabled=index == 0,
    shortcut="Left",
    width="stretch",
)
top[2].button(
    f"{t('tour.next', lang)} →",
    key="tour_next",
    on_click=go,
    args=(1, total),
    disabled=index == total - 1,
    shortcut="Right",
    width="stretch",
    type="primary",
)
st.session_state["tour_jump"] = index
top[3].selectbox(
    t("tour.jump", lang),
    range(total),
    key="tour_jump",
    on_change=jump,
    label_visibility="collapsed",
    format_func=lambda i: f"{i + 1}. {jump_label(all_steps[i])}",
)

left, right = st.columns([6.4, 3.6], gap="medium")
with left:
    try:
        st.iframe(step_map(step.key, lang, plan_tag()), height=MAP_HEIGHT)
    except Exception as exc:  # the tour must never die in front of an audience: say what failed
        st.error(t("tour.failed", lang, error=exc))
with right:
    e = html.escape
    st.html(
        f'<p class="tour-stage">{e(step.stage)}</p><p class="tour-title">{e(step.title)}</p>'
        + (f'<p class="tour-sub">{e(step.subtitle)}</p>' if step.subtitle else "")
        + "".join(
            f'<p class="tour-quote">{e(quote)}</p><p class="tour-source">—— {e(section)}</p>'
            for quote, section in step.quotes
        )
    )
    projects = catalog(plan_tag())
    rows = projects.loc[scope_mask(projects, parse_scope(step.key))]
    points = int(rows["lon"].notna().sum()) if "lon" in rows else 0
    st.html(f'<p class="tour-count">{e(t("tour.projects", lang, n=len(rows), points=points))}</p>')
    if step.more:
        name = step.key.partition(":")[2]
        with st.expander(t("tour.more", lang, name=county_label(name, lang), n=len(step.more))):
            for sentence in step.more:
                st.markdown(f"- {sentence}")
    st.caption(t("app.title", lang))
