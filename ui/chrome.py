"""What every page of the app shares: the page links in the sidebar, the reader's language, error boxes.

Defined once here (beside ``app.py``, like ``ui/editor_session.py``) and used by the explorer and every page
under ``pages/``, so the links cannot drift apart again.
"""

from __future__ import annotations

import streamlit as st
from streamlit.errors import StreamlitPageNotFoundError

from layout.drafting.versions import DEFAULT_PLAN, PlanVersion, activate_plan, list_plans
from layout.i18n import check_lang, error_text, t
from layout.plan.context import active_plan_files, plan_key, reset_active_plan_files, set_active_plan_files
from layout.render.safe_html import markdown_text

#: The app's pages in sidebar order: (file, label key, icon).
PAGES = (
    ("app.py", "nav.explorer", ":material/map:"),
    ("pages/2_演示模式.py", "nav.tour", ":material/slideshow:"),
    ("pages/3_项目台账.py", "nav.register", ":material/table_view:"),
    ("pages/4_实施评估.py", "nav.eval", ":material/monitoring:"),
    ("pages/5_规划编制.py", "nav.drafting", ":material/edit_note:"),
    ("pages/6_规划对比.py", "nav.compare", ":material/compare:"),
)


def page_lang() -> str:
    """The reader's language: the session's (set by the explorer's switch), else the URL's, else Chinese."""
    return check_lang(st.session_state.get("lang") or st.query_params.get("lang"))


def nav_links(lang: str) -> None:
    """Every page under a name a reader understands (the sidebar's own list would show "app"), then a rule;
    also the select boxes' own "No results" in the reader's language (every page calls this)."""
    dropdown_texts(lang)
    try:
        for page, key, icon in PAGES:
            st.sidebar.page_link(page, label=t(key, lang), icon=icon)
    except StreamlitPageNotFoundError:  # a page run on its own (AppTest of one file): no app to link to
        return
    st.sidebar.divider()


PLAN = "active_plan"  # the session's plan (kept across pages: a widget's own key is dropped on a page switch)
PLAN_WIDGET = "w_plan"


def plan_label(plan: PlanVersion, lang: str) -> str:
    """A plan's name and status in the reader's language (a shipped plan's name translated, a draft's as typed)."""
    return t(
        "plan.label",
        lang,
        name=t(f"plan.name.{plan.name}", lang, default=plan.name),
        status=t(f"plan.status.{plan.status}", lang, default=plan.status),
    )


def plan_tag() -> str:
    """The active plan as a cache key (``layout.plan.context.plan_key``): a page's cached loaders take it as an
    argument, so two sessions on two plans never share a cached result."""
    return "|".join(map(str, plan_key()))


def in_active_plan(fn, *args, **kwargs):
    """A callable without arguments running ``fn(*args, **kwargs)`` under the plan active now: Streamlit runs a
    download button's deferred ``data`` later in another thread, where the default plan (十四五) would be active."""
    files = active_plan_files()

    def run():
        token = set_active_plan_files(files)
        try:
            return fn(*args, **kwargs)
        finally:
            reset_active_plan_files(token)

    return run


def _keep_plan() -> None:
    st.session_state[PLAN] = st.session_state[PLAN_WIDGET]


def plan_picker(lang: str) -> PlanVersion:
    """The plan picker in the sidebar (default 十四五, kept in the URL as ``plan``): activates the picked plan for
    this run (every loader reads it; caches are keyed by ``layout.plan.context.plan_key()``). Returns the plan;
    :func:`show_draft_mark` marks a draft on the page."""
    ss = st.session_state
    by_name = {p.name: p for p in list_plans()}
    wanted = ss.get(PLAN) or st.query_params.get("plan") or DEFAULT_PLAN
    if wanted not in by_name:  # a stale link or a deleted draft
        st.sidebar.warning(t("plan.unknown", lang, name=wanted, default_plan=plan_label(by_name[DEFAULT_PLAN], lang)))
        wanted = DEFAULT_PLAN
    ss[PLAN] = wanted
    if ss.get(PLAN_WIDGET) != wanted:  # before the widget is drawn, and only where it differs
        ss[PLAN_WIDGET] = wanted
    st.sidebar.selectbox(
        t("plan.pick", lang),
        list(by_name),
        key=PLAN_WIDGET,
        on_change=_keep_plan,
        format_func=lambda n: plan_label(by_name[n], lang),
    )
    plan = activate_plan(by_name[wanted])
    if wanted == DEFAULT_PLAN:
        if "plan" in st.query_params:
            del st.query_params["plan"]
    elif st.query_params.get("plan") != wanted:
        st.query_params["plan"] = wanted
    return plan


def plan_query() -> dict[str, str]:
    """The session's plan as URL parameters (none for 十四五), for a page that writes its whole URL."""
    name = st.session_state.get(PLAN) or DEFAULT_PLAN
    return {} if name == DEFAULT_PLAN else {"plan": name}


def show_draft_mark(plan: PlanVersion, lang: str) -> bool:
    """The 草案 line on a page made from a draft plan (under its title); returns whether the plan is a draft."""
    if plan.is_draft:
        st.warning(t("plan.draft_banner", lang, name=plan.name), icon="📝")
    return plan.is_draft


def show_error(exc: BaseException, lang: str, box=None) -> None:
    """A library error as one line in the reader's language (never the English message in Chinese)."""
    (box or st).error(markdown_text(error_text(exc, lang, ui="app")))  # may echo register text: never Markdown


def _css_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def dropdown_texts(lang: str) -> None:
    """Streamlit's own "No results" in an opened select box or multiselect whose search matches nothing, in
    the reader's language (Streamlit 1.67 has no parameter for it: the page hides its English, shows ours)."""
    empty = '[data-testid$="Dropdown"] [role="listbox"][data-empty="true"] [role="option"] > span'
    st.html(f"""<style>
{empty} {{ font-size: 0; }}
{empty}::after {{ content: {_css_string(t("widget.no_results", lang))}; font-size: 0.875rem; }}
</style>""")


def widget_texts(lang: str, *, upload_limit: str) -> None:
    """Streamlit's own texts in the file uploader ("Upload", "20MB per file") in the reader's language.

    Streamlit 1.67 has no parameter or ``config.toml`` option for them (multiselect's "Select all" has one:
    ``select_all=False``), so the page hides its English and shows ours in its place.
    """
    upload, limit = t("widget.upload", lang), t("widget.upload_limit", lang, size=upload_limit)
    quote = lambda text: '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'  # noqa: E731
    st.html(f"""<style>
[data-testid="stFileUploaderDropzone"] button [data-testid="stMarkdownContainer"] p {{ visibility: hidden;
  width: 0; white-space: nowrap; }}
[data-testid="stFileUploaderDropzone"] button [data-testid="stMarkdownContainer"]::after {{ content: {quote(upload)}; }}
[data-testid="stFileUploaderDropzoneInstructions"] span {{ visibility: hidden; font-size: 0; }}
[data-testid="stFileUploaderDropzoneInstructions"] > div::after {{ content: {quote(limit)};
  font-size: 0.875rem; }}
</style>""")
