"""Around a print map: the legend column beside it (zones and poles, projects by sector and
precision), the locator inset and the title block.
"""

from __future__ import annotations

import datetime as dt
import textwrap
from functools import cache
from typing import Any, cast

import matplotlib
import shapely
import shapely.affinity
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from layout.i18n import t
from layout.plan.text import PLAN_TITLE
from layout.plan.zones import DATONGHU, load_zone_model
from layout.render.printmap_plan import INK, PRECISION_STYLES, MapPlan, load_layers
from layout.render.scopes import scope_title
from layout.render.shapes import add_geometry
from layout.render.views import zone_name


@cache
def city_outline():
    geom = shapely.union_all(load_layers()["counties"].geometry.to_numpy())
    shapely.prepare(geom)
    return geom


def _short_zone(zone_id: str, lang: str) -> str:
    zone = load_zone_model().zones[zone_id]
    return zone.name_en.split(":")[0] if lang == "en" else zone.name_zh.replace("服务业发展", "")


def wrap_text(text: str, width_pt: float, size: float, lang: str) -> str:
    """``text`` broken into lines that fit ``width_pt`` at ``size`` points (CJK full width, Latin ~half)."""
    per_line = max(6, int(width_pt / (size * (0.52 if lang == "en" else 1.0))))
    if lang == "en":
        return textwrap.fill(text, per_line)
    return "\n".join(text[i : i + per_line] for i in range(0, len(text), per_line))


def draw_panel(fig: Figure, plan: MapPlan, lang: str, box: tuple) -> None:
    """The legend column beside the map, stacked top-down: zones and poles, projects by sector and
    precision, notes and, for a part of the city when there is room, a locator map."""
    model = load_zone_model()
    left, bottom, width, height = box
    fig_w, fig_h = fig.get_size_inches()
    label_pt = width * fig_w * 72 - 34  # panel width minus the handle
    size = 8.0
    colon = "：" if lang == "zh" else ": "

    def label(text: str) -> str:
        return wrap_text(text, label_pt, size, lang)

    handles: list = []
    for zone in model.zones.values():
        if zone.kind != "pole":
            handles.append(
                Patch(
                    facecolor=matplotlib.colors.to_rgba(zone.color, 0.35),
                    edgecolor="#4a4a4a",
                    linewidth=0.6,
                    label=label(zone_name(zone.id, lang)),
                )
            )
    for zone in model.zones.values():
        for m in zone.members:
            if zone.kind != "pole" and m.role == "secondary":
                name = model.counties[m.county].name_en if lang == "en" else m.county
                handles.append(
                    Patch(
                        facecolor="white",
                        edgecolor=zone.color,
                        hatch="////",
                        linewidth=0,
                        label=label(name + colon + t("print.secondary", lang, zone=_short_zone(zone.id, lang))),
                    )
                )
    for zone in model.by_kind("pole"):
        target = zone.target_en if lang == "en" else zone.target_zh
        name = zone_name(zone.id, lang) if lang == "en" else zone.name_zh
        handles.append(Line2D([], [], color=zone.color, linewidth=3.5, label=label(f"{name} → {target}")))

    proj_handles: list = []
    for sector in plan.sectors:
        color = plan.points.loc[plan.points["sector"] == sector, "color"].iloc[0]
        proj_handles.append(
            Line2D(
                [],
                [],
                linestyle="none",
                marker="o",
                markersize=6.5,
                markerfacecolor=color,
                markeredgecolor="white",
                label=t(f"sector.{sector}", lang, default=sector),
            )
        )
    for precision, style in PRECISION_STYLES.items():
        if (plan.points["precision"] == precision).any():
            proj_handles.append(
                Line2D(
                    [],
                    [],
                    linestyle="none",
                    marker="o",
                    markersize=6.5 * style["size"],
                    markerfacecolor=matplotlib.colors.to_rgba("#555555", style["fill"]),
                    markeredgecolor="white" if style["edge"] == "white" else "#555555",
                    markeredgewidth=style["lw"] * 1.4,
                    label=t(f"precision.{precision}", lang),
                )
            )
    if not proj_handles:
        proj_handles = [Line2D([], [], linestyle="none", label=t("print.no_projects", lang))]
    title = (
        f"{t('print.projects', lang)}（{len(plan.points)}）"
        if lang == "zh"
        else f"{t('print.projects', lang)} ({len(plan.points)})"
    )

    legend_ax = fig.add_axes(box, label="legend")
    legend_ax.axis("off")
    renderer = cast(FigureCanvasAgg, fig.canvas).get_renderer()
    to_axes = legend_ax.transAxes.inverted()
    gap = 0.18 / (height * fig_h)  # 0.18 in between blocks, in axes fraction
    common: dict[str, Any] = {
        "loc": "upper left",
        "frameon": False,
        "fontsize": size,
        "title_fontsize": 9.5,
        "alignment": "left",
        "borderaxespad": 0,
        "labelspacing": 0.45,
    }
    y = 1.0
    blocks: tuple[tuple[list, dict[str, Any]], ...] = (
        (handles, {"title": t("legend.zones", lang) + " · " + t("legend.poles", lang), "handlelength": 1.8}),
        (
            proj_handles,
            {
                "title": title,
                "handlelength": 1.4,
                "columnspacing": 0.8,
                "ncols": 2 if len(proj_handles) > 7 and label_pt > 150 else 1,
            },
        ),
    )
    for block, kwargs in blocks:
        legend = legend_ax.legend(handles=block, bbox_to_anchor=(0, y), **common, **kwargs)
        legend_ax.add_artist(legend)
        y = to_axes.transform(legend.get_window_extent(renderer))[0][1] - gap
    notes = [t("print.approx_note", lang)] if (plan.points["precision"] != "site").any() else []
    if plan.citywide:
        notes.append(t("print.subtitle_citywide", lang, n=plan.citywide))
    if plan.unlocated:
        notes.append(t("print.unlocated", lang, n=plan.unlocated))
    if plan.scope.kind == "county" and plan.scope.key == DATONGHU:
        notes.append(t("print.datonghu_note", lang))
    if notes:
        text = legend_ax.text(
            0,
            y,
            "\n".join(wrap_text(n, label_pt + 34, 7.5, lang) for n in notes),
            fontsize=7.5,
            color="#555555",
            va="top",
            ha="left",
            transform=legend_ax.transAxes,
            linespacing=1.45,
        )
        y = to_axes.transform(text.get_window_extent(renderer))[0][1] - gap
    locator_h = min(0.22, y - 0.01)
    if plan.scope.kind != "city" and locator_h * height * fig_h >= 0.9:
        _draw_locator(fig, plan, (left, bottom, width * 0.75, height * locator_h))


def _draw_locator(fig: Figure, plan: MapPlan, box) -> None:
    counties = load_layers()["counties"]
    ax = fig.add_axes(box, label="locator")
    ax.set_aspect("equal")
    ax.set_xticks([])
    ax.set_yticks([])
    for spine in ax.spines.values():
        spine.set_edgecolor("#9a9a9a")
        spine.set_linewidth(0.6)
    for geom in counties.geometry:
        add_geometry(ax, geom, facecolor="#eeeeee", edgecolor="#9a9a9a", linewidth=0.4)
    add_geometry(ax, plan.focus, facecolor="#d7301f", edgecolor=INK, linewidth=0.6, alpha=0.85)
    xmin, ymin, xmax, ymax = counties.total_bounds
    pad = 0.04 * (xmax - xmin)
    ax.set_xlim(xmin - pad, xmax + pad)
    ax.set_ylim(ymin - pad, ymax + pad)


def draw_titles(fig: Figure, plan: MapPlan, lang: str, made: dt.date, *, left: float) -> None:
    model = load_zone_model()
    h = fig.get_size_inches()[1]
    fig.text(left, 1 - 0.33 / h, scope_title(plan.scope, lang), fontsize=19, color=INK, ha="left", va="center")
    parts: list[str] = []
    sep = " ｜ " if lang == "zh" else " | "
    if plan.scope.kind == "county":
        names = [zone_name(z, lang) for z in model.zones_of(plan.scope.key)]
        names += [zone_name(p, lang) for p in model.poles_of(plan.scope.key)]
        parts.append(("、" if lang == "zh" else ", ").join(names))
    elif plan.scope.kind == "zone":
        zone = model.zones[plan.scope.key]
        members = [model.counties[c].name_en if lang == "en" else c for c in zone.counties]
        parts.append(("、" if lang == "zh" else ", ").join(members))
    else:
        parts.append(PLAN_TITLE + (" (Yiyang 14th Five-Year Service-Industry Plan)" if lang == "en" else ""))
    count = t("print.subtitle_projects", lang, points=len(plan.points))
    approx = int((plan.points["precision"] != "site").sum())
    if approx:
        count += ("，" if lang == "zh" else ", ") + t("print.subtitle_approx", lang, n=approx)
    parts.append(count)
    fig.text(left, 1 - 0.68 / h, sep.join(parts), fontsize=10.5, color="#555555", ha="left", va="center")
    fig.text(
        left,
        0.2 / h,
        t("print.source", lang, plan=PLAN_TITLE, date=made.isoformat()),
        fontsize=7,
        color="#666666",
        ha="left",
        va="center",
        wrap=True,
    )
