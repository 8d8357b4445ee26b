"""A folium map drawn by streamlit-folium's component from arguments rendered once, for maps a page caches.

``st_folium`` must never be given a cached map: its script builder renames every element of the map it is
handed (``element._id = "div_0_1"`` …) and renders it into the map's own figure again. A second call on the
same object (another visit, another session, a rerun) then produced a script that names variables the
first call renamed away, so the browser drew a blank map, and the figure held the first call's legend
beside its own (a hidden duplicate). The 实施评估 page hit this at its second visit (issue 21).

:func:`map_args` renders a map once, consuming it, into the component's arguments (plain strings and
lists): cache those, never the map. :func:`show_map` draws them. The explorer (``app.py``) prepares its
base map the same way. Uses streamlit-folium's own helpers (pinned in pyproject.toml).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

__all__ = ["map_args", "show_map"]


def _elements(element) -> Iterator[Any]:
    yield element
    for child in getattr(element, "_children", {}).values():
        yield from _elements(child)


def map_args(m, *, key: str) -> dict[str, Any]:
    """The component arguments that draw ``m`` (a ``folium.Map``), rendered once.

    ``m`` is consumed: streamlit-folium renames its elements while building the script, so it must not be
    drawn or rendered again. The result holds only strings and lists and can be cached and shared by
    every session; ``key`` tells maps of one page apart (it goes into the component's key with the script).
    """
    import streamlit_folium as sf

    m.get_root().render()
    m.render()
    html, header = sf._get_html(m), sf._get_header(m)  # before the script: building it renames the elements
    script = sf._get_map_string(m)
    js = [url for e in _elements(m) for _, url in getattr(e, "default_js", [])]
    css = [url for e in _elements(m) for _, url in getattr(e, "default_css", [])]
    return {
        "script": script,
        "header": header,
        "html": html,
        "id": sf.get_full_id(m),
        "key": sf.generate_js_hash(script, key, False),
        "js_links": list(dict.fromkeys(js)),
        "css_links": list(dict.fromkeys(css)),
    }


def show_map(args: dict[str, Any], *, height: int) -> None:
    """Draw a map prepared by :func:`map_args`, display only (no pan or zoom reruns the page), as wide as
    its column."""
    import streamlit_folium as sf

    sf._component_func(
        **args,
        height=height,
        width=None,
        returned_objects=[],
        default={},
        zoom=None,
        center=None,
        feature_group=None,
        return_on_hover=False,
        layer_control=None,
        pixelated=False,
        wrap_longitude=False,
    )
