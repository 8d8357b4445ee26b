"""layout.render.safe_html: one escaping path for user text in HTML, JavaScript template literals and Markdown."""

from __future__ import annotations

import html
import json
import re

import folium
import pandas as pd
import pytest

from layout.render.safe_html import SafeTooltip, html_text, js_template, markdown_text, url_attr

PAYLOADS = [
    "<script>alert(1)</script>",
    "${alert(1)}",
    "`;alert(1);`",
    "\"'><img src=x onerror=alert(1)>",
    "javascript:alert(1)",
    "</script><script>alert(1)</script>",
    "a\\u{zz}b",
    "![t](http://x/y.png)",
]


@pytest.mark.parametrize("payload", PAYLOADS)
def test_html_text_leaves_no_markup_and_nothing_a_template_literal_runs(payload):
    out = html_text(payload)
    assert not set(out) & set("<>\"'`$\\")  # what would end a tag, an attribute or a template literal, or run ${}
    # decoding the references gives the text back exactly
    assert html.unescape(out) == payload  # and the browser shows the text exactly


def test_html_text_blank_for_none_and_nan():
    assert html_text(None) == "" and html_text(float("nan")) == "" and html_text("益阳") == "益阳"


def test_js_template_escapes_what_runs_or_ends():
    assert js_template("a`b${c}\\d</script>") == "a\\`b\\${c}\\\\d<\\/script>"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("https://example.org/a?b=1&c=2", "https://example.org/a?b=1&amp;c=2"),
        ("/app/static/x.png", "/app/static/x.png"),
        ("javascript:alert(1)", ""),
        (" JaVaScRiPt:alert(1)", ""),
        ("java\tscript:alert(1)", ""),
        ("data:text/html,x", ""),
    ],
)
def test_url_attr_keeps_http_and_relative_only(value, expected):
    assert url_attr(value) == expected


def test_markdown_text_escapes_every_ascii_punctuation_and_keeps_lines():
    text = "![t](http://a.b/x.png) *b* $x$ :red[y] <i>&\n第二行"
    out = markdown_text(text)
    assert not re.search(r"[!-/:-@\[-`{-~]", re.sub(r"&#\d+;", "", out))  # only references remain
    assert html.unescape(out) == text.replace("\n", "  \n") and out.endswith("  \n第二行")
    assert markdown_text("益阳 2026年") == "益阳 2026年"


def _tooltips(page: str) -> list[str]:
    """The HTML each ``bindTooltip(<json string>`` of a rendered page passes to Leaflet."""
    return [json.loads(m) for m in re.findall(r'\.bindTooltip\(\s*("(?:[^"\\]|\\.)*")', page)]


def test_safe_tooltip_is_a_json_string_not_a_template_literal():
    m = folium.Map()
    folium.CircleMarker([28.5, 112.3], tooltip=SafeTooltip(html_text("${alert(1)}`"))).add_to(m)
    page = m.get_root().render()
    assert "`" not in page[page.index(".bindTooltip(") :][:300]
    assert _tooltips(page) == ["<div>&#36;{alert(1)}&#96;</div>"]


def test_status_map_tooltip_keeps_the_lead_unit_as_text():
    from layout.evaluation.map import status_map

    unit = "${fetch(`http://127.0.0.1:8629/pwned`)}"
    projects = pd.DataFrame(
        {
            "lon": [112.35],
            "lat": [28.58],
            "status": ["suspended"],
            "name": ["x"],
            "county": ["赫山区"],
            "precision": ["site"],
            "lead_unit": [unit],
        },
        index=["P050"],
    )
    page = status_map(projects).get_root().render()
    assert "fetch(`" not in page and "${fetch" not in page
    tips = [tip for tip in _tooltips(page) if "pwned" in tip]
    assert len(tips) == 1 and html.unescape(tips[0]).endswith(f" · {unit}</div>")
