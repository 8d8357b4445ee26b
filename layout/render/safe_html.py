"""Text from people (the catalog, the register, uploads) made inert wherever it enters a page.

One path for every place such text meets HTML, JavaScript or Streamlit Markdown:

- :func:`html_text` for HTML character data and quoted attribute values. Besides ``& < > " '`` it turns
  `` ` ``, ``$`` and ``\\`` into character references, so the result stays inert even inside a JavaScript
  template literal (folium writes tooltips and popups into backticks, where ``${…}`` runs code).
- :func:`js_template` for an HTML fragment (built with :func:`html_text`) that must sit inside backticks.
- :class:`SafeTooltip`, a ``folium.Tooltip`` written as a JSON string rather than a template literal.
- :func:`markdown_text` for text shown with ``st.markdown``/``st.caption``: rendered as the plain text it
  is (no images fetched, no links, no HTML, no LaTeX, no Streamlit colour or icon directives).
- :func:`url_attr` for a link target: only ``http(s)`` and relative addresses pass.
"""

from __future__ import annotations

import html
import re

import folium
from folium.template import Template

__all__ = ["SafeTooltip", "html_text", "js_template", "markdown_text", "url_attr"]

_HTML_EXTRA = str.maketrans({"`": "&#96;", "$": "&#36;", "\\": "&#92;"})
_ASCII_PUNCT = re.compile(r"([!-/:-@\[-`{-~])")
_SAFE_SCHEMES = ("http://", "https://")


def _text(value: object) -> str:
    if value is None or (isinstance(value, float) and value != value):  # None and NaN read as blank
        return ""
    return str(value)


def html_text(value: object) -> str:
    """``value`` as HTML text (element content or a quoted attribute value) that no browser runs.

    ``& < > " '`` become character references, and so do `` ` ``, ``$`` and ``\\``: the text then also
    stays text inside a JavaScript template literal. ``None`` and NaN give "".
    """
    return html.escape(_text(value), quote=True).translate(_HTML_EXTRA)


def js_template(fragment: str) -> str:
    """An HTML ``fragment`` for the inside of a JavaScript template literal (between backticks).

    Escapes ``\\``, `` ` `` and ``${`` (which would run code) and ``</`` (which would end the script).
    User text inside ``fragment`` must already have gone through :func:`html_text`.
    """
    return fragment.replace("\\", "\\\\").replace("`", "\\`").replace("${", "\\${").replace("</", "<\\/")


def url_attr(value: object) -> str:
    """A link target for ``href``/``src``: the escaped address when it is ``http(s)`` or relative, else ""
    (``javascript:``, ``data:`` and other schemes are dropped)."""
    text = _text(value).strip()
    scheme = re.match(r"^([a-zA-Z][a-zA-Z0-9+.\-]*):", re.sub(r"[\x00-\x20]", "", text))
    if scheme and not text.lower().startswith(_SAFE_SCHEMES):
        return ""
    return html_text(text)


def markdown_text(value: object) -> str:
    """``value`` for Streamlit Markdown, shown as the plain text it is.

    Every ASCII punctuation character becomes a numeric character reference (CommonMark decodes them as
    text), so ``![t](http://…)`` shows as typed and fetches nothing, and ``http://…`` or ``www.…`` make
    no link; ``<``, ``$``, ``:`` and ``*`` lose their meaning too. Line breaks are kept.
    """
    text = _ASCII_PUNCT.sub(lambda m: f"&#{ord(m.group(1))};", _text(value))
    return "  \n".join(text.splitlines()) if "\n" in text or "\r" in text else text


class SafeTooltip(folium.Tooltip):
    """``folium.Tooltip`` with its HTML passed to Leaflet as a JSON string, never inside backticks.

    ``text`` is HTML: user text in it must have gone through :func:`html_text`.
    """

    _template = Template("""
        {% macro script(this, kwargs) %}
            {{ this._parent.get_name() }}.bindTooltip(
                {{ this.html|tojson }},
                {{ this.options|tojavascript }}
            );
        {% endmacro %}
        """)

    def __init__(self, text: str, style: str | None = None, sticky: bool = True, **kwargs):
        super().__init__(text, style=style, sticky=sticky, **kwargs)
        style_attr = f' style="{html_text(style)}"' if style else ""
        self.html = f"<div{style_attr}>{self.text}</div>"
