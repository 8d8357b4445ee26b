"""What every page of the app shares: the page links in the sidebar, the reader's language, error boxes.

Defined once here (beside ``app.py``, like ``ui/editor_session.py``) and used by the explorer and every page
under ``pages/``, so the links cannot drift apart again.
"""

from __future__ import annotations

import streamlit as st
from streamlit.errors import StreamlitPageNotFoundError

from layout.i18n import check_lang, error_text, t
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
    """Every page under a name a reader understands (the sidebar's own list would show "app"), then a rule."""
    try:
        for page, key, icon in PAGES:
            st.sidebar.page_link(page, label=t(key, lang), icon=icon)
    except StreamlitPageNotFoundError:  # a page run on its own (AppTest of one file): no app to link to
        return
    st.sidebar.divider()


def show_error(exc: BaseException, lang: str, box=None) -> None:
    """A library error as one line in the reader's language (never the English message in Chinese)."""
    (box or st).error(markdown_text(error_text(exc, lang, ui="app")))  # may echo register text: never Markdown


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
