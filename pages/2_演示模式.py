"""演示模式: a guided tour of 一核两翼三极 for presenting to county governments, offline.

Steps 一核 → 两翼 → 三极 → each county (:func:`layout.deck.tour_steps`), each a full-width map with the
plan's words beside it. Forward/back by the buttons, the ← → keys (Streamlit shortcuts while the page
has focus; a small listener inside the map forwards them when the map has focus) or the step list.
The map is one self-contained HTML page (Leaflet inlined), so nothing is fetched from the network.
"""

from __future__ import annotations

import streamlit as st
from streamlit.errors import StreamlitPageNotFoundError

st.set_page_config(page_title="演示模式 · 一核两翼三极", page_icon="🗺️", layout="wide",
                   initial_sidebar_state="collapsed")

from layout.deck import TourStep, tour_steps  # noqa: E402
from layout.i18n import check_lang, t  # noqa: E402
from layout.printmap import parse_scope, scope_mask  # noqa: E402

MAP_HEIGHT = 600
STEP_KEY = "tour_step"
# Forwards ← → from inside the map's iframe to the step buttons (Leaflet would otherwise pan with them).
KEY_FORWARDER = """<script>
document.addEventListener('keydown', function (e) {
  var key = {ArrowLeft: 'tour_prev', ArrowRight: 'tour_next'}[e.key];
  if (!key) return;
  try {
    var button = window.parent.document.querySelector('.st-key-' + key + ' button');
    if (button && !button.disabled) { button.click(); }
    e.preventDefault(); e.stopPropagation();
  } catch (err) { /* not embedded in the app: leave the keys to the map */ }
}, true);
</script>"""



@st.cache_resource(show_spinner=False)
def catalog():
    from layout.catalog import load_catalog

    return load_catalog()


@st.cache_data(show_spinner=False, max_entries=40)
def step_map(key: str, lang: str) -> str:
    """The self-contained map page of one step, with the key forwarder (cached per step and language)."""
    from layout.export import map_html

    page = map_html(key, lang=lang, catalog=catalog(), heading=False)
    return page.replace("</body>", KEY_FORWARDER + "</body>", 1)


@st.cache_data(show_spinner=False)
def steps(lang: str) -> list[TourStep]:
    return tour_steps(lang)


def go(delta: int, total: int) -> None:
    st.session_state[STEP_KEY] = min(max(st.session_state.get(STEP_KEY, 0) + delta, 0), total - 1)


def jump() -> None:
    st.session_state[STEP_KEY] = st.session_state["tour_jump"]


lang = check_lang(st.session_state.get("lang") or st.query_params.get("lang"))
all_steps = steps(lang)
try:
    st.sidebar.page_link("app.py", label=t("nav.explorer", lang), icon=":material/map:")
    st.sidebar.page_link("pages/2_演示模式.py", label=t("nav.tour", lang), icon=":material/slideshow:")
    st.sidebar.page_link("pages/3_项目台账.py", label=t("nav.register", lang), icon=":material/table_view:")
    st.sidebar.page_link("pages/4_实施评估.py", label=t("nav.eval", lang), icon=":material/monitoring:")
except StreamlitPageNotFoundError:  # the page run on its own (AppTest of this file): no app to link to
    pass
total = len(all_steps)
index = min(max(int(st.session_state.get(STEP_KEY, 0)), 0), total - 1)
st.session_state[STEP_KEY] = index
step = all_steps[index]

st.html("<style>.block-container{padding-top:3.4rem;padding-bottom:0.5rem}"
        "blockquote{font-size:1.05rem;line-height:1.65}</style>")
top = st.columns([6, 1, 1, 3], vertical_alignment="center")
top[0].markdown(f"#### {t('tour.title', lang)}")
top[1].button(f"← {t('tour.prev', lang)}", key="tour_prev", on_click=go, args=(-1, total), disabled=index == 0,
              shortcut="Left", use_container_width=True)
top[2].button(f"{t('tour.next', lang)} →", key="tour_next", on_click=go, args=(1, total), disabled=index == total - 1,
              shortcut="Right", use_container_width=True, type="primary")
st.session_state["tour_jump"] = index
top[3].selectbox(t("tour.jump", lang), range(total), key="tour_jump", on_change=jump, label_visibility="collapsed",
                 format_func=lambda i: f"{i + 1}. {all_steps[i].stage} · {all_steps[i].title}")
st.progress((index + 1) / total, text=f"{t('tour.step', lang, i=index + 1, n=total)} · {t('tour.keys', lang)}")

left, right = st.columns([7, 3], gap="medium")
with left:
    try:
        st.iframe(step_map(step.key, lang), height=MAP_HEIGHT)
    except Exception as exc:  # the tour must never die in front of an audience: say what failed
        st.error(t("tour.failed", lang, error=exc))
with right:
    st.caption(step.stage)
    st.markdown(f"### {step.title}")
    if step.subtitle:
        st.markdown(f"**{step.subtitle}**")
    for quote, section in step.quotes:
        st.markdown(f"> {quote}")
        st.caption(section)
    rows = catalog().loc[scope_mask(catalog(), parse_scope(step.key))]
    points = int(rows["lon"].notna().sum()) if "lon" in rows else 0
    st.markdown(t("tour.projects", lang, n=len(rows), points=points))
    if step.more:
        name = step.key.partition(":")[2]
        with st.expander(t("tour.more", lang, name=name, n=len(step.more))):
            for sentence in step.more:
                st.markdown(f"- {sentence}")
    st.caption(t("app.title", lang))
