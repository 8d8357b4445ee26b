"""ui.map_component: a map rendered once into streamlit-folium's component arguments (issue 21: the 实施评估 map
drew blank from the second visit on, because the page handed one cached map to ``st_folium`` again)."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from layout.evaluation.map import status_map
from ui.map_component import map_args

#: A variable the script uses (``x.addTo(y)``, ``y.addLayer``) and the ones it declares (``var y =``).
USED = re.compile(r"\.addTo\(([A-Za-z_$][\w$]*)\)")
DECLARED = re.compile(r"\bvar\s+([A-Za-z_$][\w$]*)\s*=")


@pytest.fixture(scope="module")
def projects() -> pd.DataFrame:
    """Three projects by hand: two reported, one not."""
    return pd.DataFrame(
        {
            "lon": [112.355, 112.20, 111.50],
            "lat": [28.55, 28.45, 28.40],
            "status": ["building", "operating", "unreported"],
            "name": ["甲", "乙", "丙"],
            "county": ["赫山区", "资阳区", "安化县"],
            "precision": ["site", "county", "county"],
            "lead_unit": ["", "", ""],
        },
        index=["P001", "P002", "P003"],
    )


def undeclared(script: str) -> set[str]:
    return set(USED.findall(script)) - set(DECLARED.findall(script))


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_arguments_draw_one_status_legend_and_name_only_declared_variables(projects, lang):
    args = map_args(status_map(projects, lang=lang), key="eval_map_city")
    title = "项目状态" if lang == "zh" else "Project status"
    assert args["html"].count(title) == 1
    assert args["html"].count('class="map-legend"') == 2  # the base map's legend and the status legend
    assert not undeclared(args["script"]), undeclared(args["script"])
    assert args["script"].count("circleMarker(") == 3  # one per project
    assert all(url.startswith("/app/static/") for url in args["js_links"] + args["css_links"])


def test_two_renders_of_equal_maps_give_equal_arguments(projects):
    """Deterministic: the component keeps its map (its key is the script's hash) instead of reloading."""
    assert map_args(status_map(projects), key="k") == map_args(status_map(projects), key="k")


def test_rendering_one_map_twice_breaks_it(projects):
    """Why the page caches the arguments, never the map: streamlit-folium renames the elements of the map it
    is given, so a second render names variables that no longer exist and repeats the legend."""
    m = status_map(projects)
    first, second = map_args(m, key="k"), map_args(m, key="k")
    assert not undeclared(first["script"])
    assert undeclared(second["script"])
    assert second["html"].count("项目状态") == 2
