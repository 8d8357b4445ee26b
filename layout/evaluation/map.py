"""The evaluation page's map: the explorer's offline base map with projects coloured by status.

Projects nobody has reported are drawn grey as 未填报, never guessed. Projects sharing a place (the
county-seat points) fan out around it, as on the print maps. Tooltips escape all text.
"""

from __future__ import annotations

import folium
import numpy as np
import pandas as pd

from layout.evaluation.figures import STATUS_ORDER, status_label
from layout.i18n import t
from layout.render.palette import status_color
from layout.render.safe_html import SafeTooltip, html_text
from layout.render.webmap import build_map
from layout.render.webmap_elements import Legend, OfflineMap

__all__ = ["FAN_M", "status_map"]

#: The status legend's place: clear of the scale bar and attribution under it, and of the layer button above.
LEGEND_POSITION = "bottom:64px; right:10px;"
FAN_M = 1800.0  # spacing of fanned-out markers, metres (the circles clear each other at zoom 11)


def status_map(
    projects: pd.DataFrame, *, scope: str = "city", lang: str = "zh", height: int = 560, demo: bool = False
) -> OfflineMap:
    """The base map focused on ``scope`` with one circle per located project, coloured by status.

    Parameters
    ----------
    projects
        :func:`layout.evaluation.figures.project_table` rows (``lon``, ``lat``, ``status``, ``name``, ``county``,
        ``precision``, ``lead_unit``).
    """
    from layout.render.placement import place_projects

    m = build_map(None, lang=lang, focus="" if scope == "city" else scope, cluster=False, height=height)
    located = projects[np.isfinite(projects["lon"].to_numpy(float)) & np.isfinite(projects["lat"].to_numpy(float))]
    order = sorted(range(len(located)), key=lambda i: (located["precision"].iloc[i] == "site",))
    located = located.iloc[order]
    placed = place_projects(located, spacing_m=FAN_M, margin_m=FAN_M / 2)  # each inside its own county
    x, y = placed["lon"].to_numpy(float), placed["lat"].to_numpy(float)
    group = folium.FeatureGroup(name=t("eval.map_layer", lang), control=False)  # not in the layer control
    e = html_text  # register text (责任单位 …) is the user's: never code, also not in a template literal
    for (pid, rec), lon, lat in zip(located.iterrows(), x, y, strict=True):
        color = status_color(rec["status"])
        site = rec["precision"] == "site"
        tip = (
            f"<b>{e(str(rec['name']))}</b><br>{e(str(pid))} · {e(str(rec['county']))}<br>"
            f"{e(status_label(rec['status'], lang))}"
            + (f" · {e(str(rec['lead_unit']))}" if rec.get("lead_unit") else "")
        )
        folium.CircleMarker(
            location=[float(lat), float(lon)],
            radius=7 if site else 6,
            color="#ffffff" if site else "#666666",
            weight=1.5,
            fill=True,
            fill_color=color,
            fill_opacity=0.95 if site else 0.8,
            tooltip=SafeTooltip(tip),
        ).add_to(group)
    group.add_to(m)
    counts = projects["status"].value_counts()
    rows = "".join(
        f'<div><i class="dot" style="background:{status_color(s)};border:1px solid #999"></i>'
        f"{e(status_label(s, lang))} {int(counts.get(s, 0))}</div>"
        for s in STATUS_ORDER
    )
    note = f'<div style="color:#c00000;font-weight:700">{e(t("eval.demo_mark", lang))}</div>' if demo else ""
    # above the scale bar and the attribution (bottom right), below the layer button (top right): every row shows
    Legend(note + rows, title=t("eval.map_legend", lang), position=LEGEND_POSITION).add_to(m)
    return m
