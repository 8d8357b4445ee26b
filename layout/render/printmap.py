"""Print-ready static maps of the 一核两翼三极 layout: draw the planned map as a matplotlib Figure.

Maps are drawn in CGCS2000 / 3-degree Gauss-Kruger CM 111E (EPSG:4546), so the scale bar is exact in
metres and shapes are true; the north arrow follows the grid convergence. The plan comes from
:mod:`layout.render.printmap_plan`; the legend and titles from :mod:`layout.render.printmap_panel`, the
scale bar and north arrow from :mod:`layout.render.printmap_furniture`, Chinese text from
:mod:`layout.render.fonts`. Nothing here writes files: :mod:`layout.render.export` saves the Figure.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from typing import cast

import matplotlib
import numpy as np
import pandas as pd
import shapely
import shapely.affinity
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.patches import FancyArrowPatch

from layout.geo.boundaries import water_label_anchor
from layout.plan.zones import load_zone_model
from layout.render.fonts import RENDER_LOCK, font_rc
from layout.render.placement import Box, LabelPlacer
from layout.render.printmap_furniture import draw_north_arrow, draw_scale_bar, free_corner
from layout.render.printmap_panel import city_outline, draw_panel, draw_titles, wrap_text
from layout.render.printmap_plan import (
    BACKGROUND,
    INK,
    LABEL_PAD_PT,
    LAND,
    MARGIN_IN,
    MARKER_PT,
    PAGE_SIZE,
    PANEL_IN,
    PRECISION_STYLES,
    SOURCE_IN,
    TITLES_IN,
    VEIL,
    WATER,
    WATER_EDGE,
    WATER_INK,
    MapPlan,
    load_layers,
    plan_map,
)
from layout.render.scopes import Scope, parse_scope, scope_counties
from layout.render.shapes import add_geometry, halo

# --------------------------------------------------------------------------------------------
# Drawing


def _label_xy(geom) -> tuple[float, float]:
    try:
        c = shapely.maximum_inscribed_circle(geom, 200.0).coords[0]
    except shapely.errors.GEOSException:  # pragma: no cover - degenerate geometry
        c = geom.point_on_surface().coords[0]
    return c[0], c[1]


def _arrow_segment(line, box) -> tuple[tuple[float, float], tuple[float, float]] | None:
    """The part of a pole axis inside ``box`` (a shrunken frame), from its start."""
    clipped = line.intersection(box)
    if clipped.is_empty:
        return None
    part = clipped if clipped.geom_type == "LineString" else max(clipped.geoms, key=lambda g: g.length)
    return part.coords[0], part.coords[-1]


def _short_arrow(line, frame, *, length: float) -> tuple[tuple[float, float], tuple[float, float]] | None:
    """``length`` along a pole axis from its start, cut at 97% of ``frame``; None if it starts outside."""
    (x0, y0), (x1, y1) = line.coords[0], line.coords[-1]
    inner = shapely.affinity.scale(frame, 0.97, 0.97)
    if not inner.contains(shapely.Point(x0, y0)):
        return None
    norm = math.hypot(x1 - x0, y1 - y0)
    far = shapely.LineString([(x0, y0), (x0 + length * (x1 - x0) / norm, y0 + length * (y1 - y0) / norm)])
    return _arrow_segment(far, inner)


def map_layout(figsize: tuple[float, float], *, titles: bool = True) -> tuple[tuple, tuple]:
    """The map frame and the legend column as (left, bottom, width, height) figure fractions."""
    w, h = figsize
    panel = min(max(0.25 * w, PANEL_IN[0]), PANEL_IN[1])
    top = TITLES_IN if titles else MARGIN_IN * 0.5
    bottom = SOURCE_IN if titles else MARGIN_IN * 0.5
    map_w = w - 2 * MARGIN_IN - panel - 0.25
    frame = (MARGIN_IN / w, bottom / h, map_w / w, (h - top - bottom) / h)
    panel_box = ((w - MARGIN_IN - panel) / w, bottom / h, panel / w, (h - top - bottom) / h)
    return frame, panel_box


def draw_map(
    scope: Scope | str,
    catalog: pd.DataFrame | None = None,
    *,
    lang: str = "zh",
    figsize: tuple[float, float] = PAGE_SIZE,
    sectors: Sequence[str] = (),
    colors: dict[str, str] | None = None,
    titles: bool = True,
    made: dt.date | None = None,
) -> Figure:
    """A finished static map of ``scope``: title, zones and poles, projects by sector with a legend,
    scale bar, north arrow and a source line.

    Parameters
    ----------
    scope
        ``city``, ``zone:<id>`` or ``county:<name>`` (see :func:`valid_scopes`).
    catalog
        The project catalog (rows outside the scope are ignored); ``None`` draws no projects.
    lang
        ``zh`` (default) or ``en``.
    figsize
        Inches; A4 landscape by default (3508 × 2481 px at 300 dpi).
    sectors, colors
        Sector order for the legend and a colour per sector.
    titles
        Draw the title block and the source line (off for a slide that has its own).
    made
        The date in the source line (default: today).

    Returns
    -------
    matplotlib.figure.Figure
        The map frame is the axes labelled ``"map"``, in EPSG:4546 data coordinates.

    Raises
    ------
    InputError
        For an unknown scope.
    """
    scope = parse_scope(scope)
    with RENDER_LOCK, matplotlib.rc_context(font_rc()):
        fig = Figure(figsize=figsize, facecolor="white")
        FigureCanvasAgg(fig)  # a renderer, to measure the legends while laying out the panel
        map_box, panel_box = map_layout(figsize, titles=titles)
        frame_w, frame_h = figsize[0] * map_box[2], figsize[1] * map_box[3]
        plan = plan_map(scope, catalog, aspect=frame_w / frame_h, map_width_in=frame_w, sectors=sectors, colors=colors)
        xmin, xmax, ymin, ymax = plan.extent
        frame = shapely.box(xmin, ymin, xmax, ymax)
        ax = fig.add_axes(map_box, label="map")
        ax.set_xlim(xmin, xmax)
        ax.set_ylim(ymin, ymax)
        ax.set_aspect("equal", adjustable="box")
        ax.set_facecolor(BACKGROUND)
        ax.set_xticks([])
        ax.set_yticks([])
        for spine in ax.spines.values():
            spine.set_edgecolor("#555555")
            spine.set_linewidth(0.8)
        pt = (xmax - xmin) / (frame_w * 72)  # metres per typographic point
        ax.apply_aspect()  # the frame's final box: labels are measured against it
        renderer = cast(FigureCanvasAgg, fig.canvas).get_renderer()
        label_areas: dict = {}
        _draw_base(ax, frame, lang, label_areas)
        _draw_water(ax, frame, lang, label_areas)
        arrows = _draw_poles(ax, scope, frame, pt, lang)
        if scope.kind != "city":  # outside the scope: a white veil; the scope outlined
            add_geometry(ax, frame.difference(plan.focus), facecolor=VEIL, linewidth=0, zorder=4)
            add_geometry(ax, plan.focus, facecolor="none", edgecolor=INK, linewidth=2.2, zorder=4.1)
        _draw_county_labels(ax, scope, frame, lang, label_areas)
        _draw_points(ax, plan.points)
        busy = shapely.union_all([plan.focus, *(a.buffer(6 * pt) for a in arrows)])
        scale = draw_scale_bar(
            ax, plan.extent, lang, renderer, corner=free_corner(plan.extent, busy, ("lower left", "lower right"))
        )
        north = draw_north_arrow(
            ax, plan.extent, lang, renderer, corner=free_corner(plan.extent, busy, ("upper left", "upper right"))
        )
        _place_labels(ax, renderer, plan, [scale, north], arrows, label_areas)
        draw_panel(fig, plan, lang, panel_box)
        if titles:
            draw_titles(fig, plan, lang, made or dt.date.today(), left=map_box[0])
    return fig


def _draw_base(ax, frame, lang: str, areas: dict) -> None:
    """Neighbouring prefectures (the poles' targets tinted) and the six counties coloured by their
    primary zone, secondary affiliations hatched."""
    model = load_zone_model()
    layers = load_layers()
    xmin, ymin, xmax, _ = frame.bounds
    pole_color = {z.id: z.color for z in model.by_kind("pole")}
    label_area = frame.buffer(-0.04 * (xmax - xmin))
    for name, name_en, pole, geom in layers["neighbours"][["name", "name_en", "pole", "geometry"]].itertuples(
        index=False
    ):
        if not geom.intersects(frame):
            continue
        add_geometry(ax, geom, facecolor=LAND, edgecolor="#9a9a9a", linewidth=0.5, zorder=1)
        if pole:
            add_geometry(ax, geom, facecolor=pole_color[pole], alpha=0.13, linewidth=0, zorder=1.1)
        inside = geom.intersection(label_area)
        if not inside.is_empty and inside.area > 0.02 * frame.area:
            lx, ly = _label_xy(inside)
            text = ax.text(
                lx,
                ly,
                name_en.split(" ")[0] if lang == "en" else name,
                ha="center",
                va="center",
                fontsize=8.5,
                color="#7a7a7a",
                zorder=6,
                path_effects=halo(2),
                gid="label:neighbour",
            )
            areas[id(text)] = inside
    counties = layers["counties"]
    for name, geom in counties[["name", "geometry"]].itertuples(index=False):
        zone = model.zones[model.primary_zone(name)]
        add_geometry(ax, geom, facecolor="white", linewidth=0, zorder=2)
        add_geometry(ax, geom, facecolor=zone.color, alpha=0.30, linewidth=0, zorder=2.1)
        for extra in model.zones_of(name)[1:]:
            add_geometry(
                ax,
                geom,
                facecolor="none",
                edgecolor=model.zones[extra].color,
                hatch="////",
                linewidth=0,
                alpha=0.55,
                zorder=2.2,
            )
    for geom in counties.geometry:
        add_geometry(ax, geom, facecolor="none", edgecolor="#4a4a4a", linewidth=0.9, zorder=3)
    add_geometry(
        ax,
        shapely.union_all(counties.geometry.to_numpy()),
        facecolor="none",
        edgecolor="#303030",
        linewidth=1.8,
        zorder=3.1,
    )


def _draw_water(ax, frame, lang: str, areas: dict) -> None:
    """Lakes over the land and under the zone tint (zorder 2.05); rivers over the tint, under the county lines
    (2.3); 洞庭湖 and 资水 labelled."""
    xmin, ymin, xmax, _ = frame.bounds
    label_area = frame.buffer(-0.06 * (xmax - xmin))
    for kind, geom, zh, en in load_layers()["water"][["kind", "geometry", "label_zh", "label_en"]].itertuples(
        index=False
    ):
        if not geom.intersects(frame):
            continue
        if kind == "lake":
            add_geometry(
                ax, geom.intersection(frame), facecolor=WATER, edgecolor=WATER_EDGE, linewidth=0.4, zorder=2.05
            )
        else:
            for part in shapely.get_parts(geom.intersection(frame)):
                if isinstance(part, shapely.LineString):
                    ax.plot(*part.xy, color=WATER_EDGE, linewidth=1.2, solid_capstyle="round", zorder=2.3)
        text = en if lang == "en" else zh
        at = water_label_anchor(kind, geom, label_area) if text else None
        if at is not None:
            label = ax.text(
                at.x,
                at.y,
                text,
                ha="center",
                va="center",
                fontsize=9,
                style="italic",
                color=WATER_INK,
                zorder=6,
                path_effects=halo(2),
                gid="water-label",
            )
            # the label may move along its lake or river, not away from it
            areas[id(label)] = (geom if kind == "lake" else geom.buffer(0.02 * (xmax - xmin))).intersection(frame)


def _draw_poles(ax, scope: Scope, frame, pt: float, lang: str) -> list:
    """Arrows from the scope's poles toward their targets, labelled, stopping so the label fits the
    frame; returns the arrows' lines (to keep the scale bar and north arrow off them)."""
    model = load_zone_model()
    xmin, ymin, xmax, ymax = frame.bounds
    if scope.kind == "city":
        poles = {z.id for z in model.by_kind("pole")}
    elif scope.kind == "zone" and model.zones[scope.key].kind == "pole":
        poles = {scope.key}
    else:
        poles = {p for c in scope_counties(scope) for p in model.poles_of(c)}
    arrows: list = []
    for pole_id, line in load_layers()["axes"][["pole", "geometry"]].itertuples(index=False):
        if pole_id not in poles:
            continue
        zone = model.zones[pole_id]
        target = wrap_text(zone.target_en, 150, 9.5, lang) if lang == "en" else zone.target_zh
        width = max(map(len, target.split("\n"))) * (0.52 if lang == "en" else 1.0) * 9.5
        mx = max(0.05 * (xmax - xmin), (width + 24) * pt)
        my = max(0.05 * (ymax - ymin), (14 * (target.count("\n") + 1) + 20) * pt)
        seg = _arrow_segment(line, shapely.box(xmin + mx, ymin + my, xmax - mx, ymax - my))
        if seg is None or math.dist(*seg) < 20 * pt:
            # the pole starts too near the frame's edge for the label: a short arrow kept inside the frame
            seg = _short_arrow(line, frame, length=0.12 * (xmax - xmin))
            if seg is None:
                continue
        ax.add_patch(
            FancyArrowPatch(
                seg[0],
                seg[1],
                arrowstyle="-|>,head_length=0.9,head_width=0.5",
                mutation_scale=18,
                linewidth=4.5,
                color=zone.color,
                alpha=0.9,
                shrinkA=0,
                shrinkB=0,
                zorder=5,
            )
        )
        arrows.append(shapely.LineString(seg))
        dx, dy = seg[1][0] - seg[0][0], seg[1][1] - seg[0][1]
        norm = math.hypot(dx, dy)
        near_right = seg[1][0] > xmax - mx
        ax.text(
            seg[1][0] + 14 * pt * dx / norm,
            seg[1][1] + 14 * pt * dy / norm,
            target,
            ha="right" if near_right or dx < -0.3 * norm else "left" if dx > 0.3 * norm else "center",
            va="bottom" if dy > 0.3 * norm else "top" if dy < -0.3 * norm else "center",
            fontsize=9.5,
            color=zone.color,
            zorder=8,
            path_effects=halo(2.5),
            gid="label:pole",
        )
    return arrows


def _draw_county_labels(ax, scope: Scope, frame, lang: str, areas: dict) -> None:
    """County names: dark inside the scope; grey, and only where enough shows, for the others."""
    inside = set(scope_counties(scope)) if scope.kind != "city" else None
    xmin, ymin, xmax, ymax = frame.bounds
    room = shapely.box(
        xmin + 0.06 * (xmax - xmin),
        ymin + 0.04 * (ymax - ymin),
        xmax - 0.06 * (xmax - xmin),
        ymax - 0.04 * (ymax - ymin),
    )
    for name, name_en, geom in load_layers()["counties"][["name", "name_en", "geometry"]].itertuples(index=False):
        muted = inside is not None and name not in inside
        shown = geom.intersection(room if muted else frame)
        if shown.is_empty or (muted and shown.area < 0.015 * frame.area):
            continue
        lx, ly = _label_xy(shown)
        text = ax.text(
            lx,
            ly,
            name_en if lang == "en" else name,
            ha="center",
            va="center",
            fontsize=10 if muted else 12.5,
            color="#8a8a8a" if muted else INK,
            zorder=9,
            path_effects=halo(3),
            gid="label:county-muted" if muted else "label:county",
        )
        areas[id(text)] = shown


def _draw_points(ax, points: pd.DataFrame) -> None:
    base = MARKER_PT**2
    for precision, style in reversed(PRECISION_STYLES.items()):
        sub = points[points["precision"] == precision]
        if sub.empty:
            continue
        colors = sub["color"].to_numpy()
        face = [matplotlib.colors.to_rgba(c, style["fill"]) for c in colors]
        edge = ["white"] * len(sub) if style["edge"] == "white" else list(colors)
        ax.scatter(
            sub["x"],
            sub["y"],
            s=base * style["size"] ** 2,
            c=face,
            edgecolors=edge,
            linewidths=style["lw"] * (1.6 if style["edge"] != "white" else 1),
            linestyles=style["ls"],
            zorder=10 + list(PRECISION_STYLES).index(precision) * -0.1,
            label=f"projects:{precision}",
        )


def _place_labels(ax, renderer, plan: MapPlan, obstacles: list[Box], arrows: list, areas: dict) -> None:
    """Move every map label (``gid`` ``label:…``) to a free spot or drop it (see
    :class:`layout.render.placement.LabelPlacer`): the scope's county names first, then pole targets, then
    water names, then muted county names, then neighbouring prefectures."""
    px = ax.figure.dpi / 72
    placer = LabelPlacer(renderer, Box.of(ax.get_window_extent(renderer)), pad=LABEL_PAD_PT * px)
    for box in obstacles:
        placer.block(box)
    sizes = {p: (MARKER_PT * st["size"] / 2 + st["lw"] * 1.6 / 2) * px for p, st in PRECISION_STYLES.items()}
    if len(plan.points):
        centres = ax.transData.transform(plan.points[["x", "y"]].to_numpy(float))
        for (cx, cy), precision in zip(centres, plan.points["precision"], strict=True):
            r = sizes.get(precision, max(sizes.values()))
            placer.block(Box(cx - r, cy - r, cx + r, cy + r))
    for line in arrows:  # the arrows' shafts as a chain of small boxes, the head wider
        (x0, y0), (x1, y1) = ax.transData.transform(np.asarray(line.coords))
        n = max(2, int(math.hypot(x1 - x0, y1 - y0) / (4 * px)))
        for k in range(n + 1):
            f = k / n
            half = (2.5 if math.hypot(x1 - x0, y1 - y0) * (1 - f) > 16 * px else 6.5) * px
            cx, cy = x0 + f * (x1 - x0), y0 + f * (y1 - y0)
            placer.block(Box(cx - half, cy - half, cx + half, cy + half))
    rank = {"label:county": 0, "label:pole": 1, "water-label": 2, "label:county-muted": 3, "label:neighbour": 4}
    texts = sorted((tx for tx in ax.texts if tx.get_gid() in rank), key=lambda tx: rank[tx.get_gid()])
    city = city_outline()
    far = (0.5, 1.0, 1.6, 2.4, 3.5, 5.0, 7.0, 9.0, 12.0)
    for text in texts:
        if text.get_gid() == "label:pole":
            # a target's name off the city if its arrow ends outside it, else (a short arrow) anywhere free
            off_city = not shapely.contains_xy(city, *text.get_position())
            if not (off_city and placer.place(text, steps=far, avoid=city, drop=False)):
                placer.place(text, steps=far)
            continue
        muted = text.get_gid() in ("label:county-muted", "label:neighbour")
        if not muted:  # a county of the scope always keeps its name: in the county, else beside it (资阳区, small)
            if not placer.place(text, within=areas.get(id(text)), steps=far, drop=False):
                placer.place(text, steps=far)
            continue
        placer.place(text, within=areas.get(id(text)), steps=(0.5, 1.0, 1.6))
