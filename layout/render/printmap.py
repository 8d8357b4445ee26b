"""Print-ready static maps of the 一核两翼三极 layout: plan what to draw, then draw a matplotlib Figure.

Maps are drawn in CGCS2000 / 3-degree Gauss-Kruger CM 111E (EPSG:4546), so the scale bar is exact in
metres and shapes are true; the north arrow follows the grid convergence. Chinese text uses Noto Sans
CJK SC shipped by the PyPI package ``mplfonts`` (registered with matplotlib's font manager; no system
font needed). Nothing here writes files: :mod:`layout.render.export` saves the Figure as PNG or PDF.
"""

from __future__ import annotations

import datetime as dt
import math
import textwrap
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import geopandas as gpd
import matplotlib
import numpy as np
import pandas as pd
import shapely
import shapely.affinity
from matplotlib import font_manager, patheffects
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import FancyArrowPatch, Patch, PathPatch, Polygon, Rectangle
from matplotlib.path import Path as MplPath
from pyproj import Transformer

from layout.errors import InputError, LayoutError
from layout.geo.boundaries import (
    expand_counties,
    load_counties,
    load_neighbours,
    load_pole_axes,
    load_water,
    water_label_anchor,
)
from layout.geo.crs import METRIC, WGS84
from layout.i18n import t
from layout.plan.text import PLAN_TITLE
from layout.plan.zones import DATONGHU, load_zone_model
from layout.render.palette import FALLBACK_COLOR, SECTOR_COLORS
from layout.render.placement import Box, LabelPlacer, marker_areas, place_markers_xy
from layout.render.views import effective_county, focus_mask, zone_name

MAP_CRS = METRIC
PAGE_SIZE = (11.69, 8.27)  # A4 landscape, inches
PRINT_DPI = 300
FONT_FILE = "NotoSansCJKsc-Regular.otf"
MARGIN_IN = 0.3  # white border around everything, inches
PANEL_IN = (2.4, 3.0)  # the legend column's width, inches: at least, at most
TITLES_IN = 0.95  # height of the title block above the map, inches
SOURCE_IN = 0.42  # height of the source line below the map, inches
BACKGROUND = "#e6edf1"  # beyond the prefectures drawn: the same as the web map's offline base
LAND = "#f6f3ec"
WATER = "#a9cfe8"  # lakes; rivers and lake shores in WATER_EDGE
WATER_EDGE = "#6fa8d0"
WATER_INK = "#2f6f9f"
INK = "#222222"
VEIL = (1, 1, 1, 0.62)  # over everything outside the scope's area
MARKER_PT = 7.0  # marker diameter in points
FRAME_INSET_PT = 6.0  # scale bar and north arrow: this far inside the frame
LABEL_PAD_PT = 2.0  # clearance around every label (its white halo is 1–1.5 pt)
MARKER_CLEARANCE_PT = 1.5  # between a marker's edge and its county's border (half the scope outline and more)
#: How each precision draws (the web map's convention): exact sites solid, approximate places hollow
#: and dashed, larger when vaguer.
PRECISION_STYLES = {
    "site": {"size": 1.0, "fill": 1.0, "edge": "white", "lw": 0.8, "ls": "solid"},
    "town": {"size": 1.2, "fill": 0.35, "edge": "sector", "lw": 1.1, "ls": (0, (3, 1.5))},
    "county": {"size": 1.35, "fill": 0.12, "edge": "sector", "lw": 1.1, "ls": (0, (1.2, 1.6))},
}
#: rcParams are global: drawing and saving hold this lock so two app sessions never mix fonts.
RENDER_LOCK = threading.RLock()


# --------------------------------------------------------------------------------------------
# Font


@cache
def cjk_font_path() -> Path:
    """The Noto Sans CJK SC file shipped by the ``mplfonts`` package: every print map and deck image uses it.

    Raises
    ------
    LayoutError
        When ``mplfonts`` (or its font file) is missing.
    """
    try:
        from mplfonts.conf import FONT_DIR
    except ImportError as exc:  # pragma: no cover - a declared dependency
        raise LayoutError("static maps need the CJK font of mplfonts: pip install mplfonts") from exc
    path = Path(FONT_DIR) / FONT_FILE
    if not path.exists():  # pragma: no cover - a broken install
        raise LayoutError(f"{path} is missing: reinstall mplfonts (pip install --force-reinstall mplfonts)")
    return path


@cache
def register_cjk_font() -> str:
    """Make the shipped CJK font the only file matplotlib knows under its family name; return that name.

    A family name alone is ambiguous: Debian's ``fonts-noto-cjk`` registers "Noto Sans CJK SC" from its own
    .ttc, and matplotlib picks whichever file its font cache listed first. Dropping the other files of this
    family makes every machine draw (and every PDF embed) the same file, whatever fonts or cache it has.
    """
    path = cjk_font_path()
    manager = font_manager.fontManager
    name = font_manager.FontProperties(fname=str(path)).get_name()
    manager.ttflist = [entry for entry in manager.ttflist if entry.name != name]
    manager.addfont(str(path))  # also clears matplotlib's look-up cache
    return name


def font_rc() -> dict:
    """rcParams for drawing with the CJK font; PDFs embed it as TrueType/CFF (Type 42), text stays text."""
    return {
        "font.family": [register_cjk_font()],
        "axes.unicode_minus": False,
        "pdf.fonttype": 42,
        "svg.fonttype": "none",
        "hatch.linewidth": 0.8,
    }


# --------------------------------------------------------------------------------------------
# Scopes


@dataclass(frozen=True)
class Scope:
    """What a map or deck covers: the whole city, one zone or pole (``zone:<id>``) or one county."""

    kind: str  # "city", "zone" or "county"
    key: str = ""

    def __str__(self) -> str:
        return self.kind if self.kind == "city" else f"{self.kind}:{self.key}"


def valid_scopes() -> list[str]:
    """Every scope string: ``city``, ``zone:<id>`` for each zone and pole, ``county:<name>``."""
    model = load_zone_model()
    return ["city", *(f"zone:{z}" for z in model.zones), *(f"county:{c}" for c in model.counties)]


def parse_scope(text: str | Scope) -> Scope:
    """Read ``city``, ``zone:<id>`` or ``county:<name>``.

    Raises
    ------
    InputError
        When ``text`` names no scope; the message lists the valid ones.
    """
    if isinstance(text, Scope):
        text = str(text)
    text = (text or "").strip()
    if text in valid_scopes():
        kind, _, key = text.partition(":")
        return Scope(kind, key)
    raise InputError(f"scope should be one of {', '.join(valid_scopes())}, got {text!r}")


def scope_counties(scope: Scope) -> list[str]:
    """The polygon counties making up the scope's area (大通湖区 → 南县, 沅江市)."""
    model = load_zone_model()
    if scope.kind == "county":
        return expand_counties([scope.key], model)
    if scope.kind == "zone":
        zone = model.zones[scope.key]
        return expand_counties(zone.counties, model, primary_only_of=None if zone.kind == "pole" else zone.id)
    return list(load_counties()["name"])


def scope_mask(catalog: pd.DataFrame, scope: Scope) -> np.ndarray:
    """Catalog rows of the scope: all for the city; for a county, the rows filed under it (stated
    ``county``, else the county its point falls in); for a zone or pole, rows whose point is in it."""
    if scope.kind == "county":
        return (effective_county(catalog) == scope.key).to_numpy()
    if scope.kind == "zone":
        return focus_mask(catalog, str(scope))
    return np.ones(len(catalog), dtype=bool)


def scope_label(scope: Scope, lang: str = "zh") -> str:
    """A short name of the scope: 益阳市, a zone's name, or a county's name."""
    if scope.kind == "zone":
        return zone_name(scope.key, lang)
    if scope.kind == "county":
        return load_zone_model().counties[scope.key].name_en if lang == "en" else scope.key
    return "Yiyang" if lang == "en" else "益阳市"


def scope_title(scope: Scope, lang: str = "zh") -> str:
    if scope.kind == "city":
        return t("print.city_title", lang)
    return t("print.county_title", lang, name=scope_label(scope, lang))


# --------------------------------------------------------------------------------------------
# Planning the map (pure computation)


@cache
def _layers() -> dict[str, gpd.GeoDataFrame]:
    """The geodata layers in the map CRS (cached)."""
    return {
        "counties": load_counties().to_crs(MAP_CRS),
        "neighbours": load_neighbours().to_crs(MAP_CRS),
        "axes": load_pole_axes().to_crs(MAP_CRS),
        "water": load_water().to_crs(MAP_CRS),
    }


def fit_extent(bounds: Sequence[float], aspect: float, *, pad: float = 0.06) -> tuple[float, float, float, float]:
    """``bounds`` padded by ``pad`` of the larger side and widened to ``aspect`` (width / height)."""
    xmin, ymin, xmax, ymax = bounds
    w, h = xmax - xmin, ymax - ymin
    margin = pad * max(w, h)
    w, h = w + 2 * margin, h + 2 * margin
    if w / h < aspect:
        w = h * aspect
    else:
        h = w / aspect
    cx, cy = (xmin + xmax) / 2, (ymin + ymax) / 2
    return cx - w / 2, cx + w / 2, cy - h / 2, cy + h / 2


def marker_radius_pt() -> float:
    """The largest marker's outer radius in points (the vaguest precision, edge line included)."""
    return max(MARKER_PT * st["size"] / 2 + st["lw"] * 1.6 / 2 for st in PRECISION_STYLES.values())


@dataclass(frozen=True)
class MapPlan:
    """Everything a static map shows, in the map CRS."""

    scope: Scope
    extent: tuple[float, float, float, float]  # xmin, xmax, ymin, ymax
    focus: object  # shapely geometry of the scope's area
    points: pd.DataFrame  # x, y (fanned out inside area), sector, precision, color, name, area (its county)
    citywide: int  # citywide items of the scope (no single place)
    unlocated: int  # other scope rows with no point yet
    sectors: list[str]  # sectors present, in the catalog's order


def plan_map(
    scope: Scope | str,
    catalog: pd.DataFrame | None,
    *,
    aspect: float,
    map_width_in: float,
    sectors: Sequence[str] = (),
    colors: dict[str, str] | None = None,
) -> MapPlan:
    """The extent, focus area and project markers of a map of ``scope``.

    Parameters
    ----------
    catalog
        Catalog rows with ``lon``/``lat`` (WGS84, NaN for none), ``sector``, ``precision``, ``name``,
        ``county`` and ``zones``/``poles`` (see :mod:`layout.catalog.projects`); ``None`` for no projects.
    aspect, map_width_in
        Width / height of the map frame and its width in inches (sets the fan-out spacing).
    sectors
        Sector order for the legend; sectors not listed follow in catalog order.
    """
    scope = parse_scope(scope)
    counties = _layers()["counties"]
    focus = shapely.union_all(counties.loc[counties["name"].isin(scope_counties(scope)), "geometry"].to_numpy())
    extent = fit_extent(focus.bounds, aspect, pad=0.04 if scope.kind == "city" else 0.08)
    points = pd.DataFrame(columns=["x", "y", "sector", "precision", "color", "name", "area"])
    citywide = unlocated = 0
    present: list[str] = []
    if catalog is not None and len(catalog):
        rows = catalog.loc[scope_mask(catalog, scope)]
        lon = pd.to_numeric(rows["lon"], errors="coerce").to_numpy(float)
        lat = pd.to_numeric(rows["lat"], errors="coerce").to_numpy(float)
        has = np.isfinite(lon) & np.isfinite(lat)
        is_citywide = rows["precision"].astype(str).isin(["citywide", "route"]).to_numpy()  # no point by nature
        citywide = int((~has & is_citywide).sum())
        unlocated = int((~has & ~is_citywide).sum())
        rows = rows.loc[has]
        x, y = Transformer.from_crs(WGS84, MAP_CRS, always_xy=True).transform(lon[has], lat[has])
        precision = rows["precision"].where(rows["precision"].isin(list(PRECISION_STYLES)), "county").to_numpy()
        pt = (extent[1] - extent[0]) / (map_width_in * 72)  # metres per point
        radius = marker_radius_pt()
        # one layout for every map: fanned on a lattice, each marker inside its own county
        areas = marker_areas(rows)
        px, py = place_markers_xy(
            x,
            y,
            areas,
            spacing=pt * (2 * radius + 1.0),
            margin=pt * (radius + MARKER_CLEARANCE_PT),
            exact=precision == "site",
        )
        order = np.argsort([list(PRECISION_STYLES).index(p) for p in precision], kind="stable")[::-1]
        sx, sy = np.asarray(px)[order], np.asarray(py)[order]
        sector = rows["sector"].astype(str).to_numpy()[order]
        colors = colors or SECTOR_COLORS
        points = pd.DataFrame(
            {
                "x": sx,
                "y": sy,
                "sector": sector,
                "precision": precision[order],
                "color": [colors.get(s, FALLBACK_COLOR) for s in sector],
                "name": rows["name"].astype(str).to_numpy()[order],
                "area": areas[order],
            }
        )
        seen = set(points["sector"])
        present = [s for s in sectors if s in seen] + [s for s in dict.fromkeys(points["sector"]) if s not in sectors]
    return MapPlan(scope, extent, focus, points, citywide, unlocated, present)


def grid_north_angle(x: float, y: float) -> float:
    """Angle (degrees, counter-clockwise from the map's up) of true north at map point ``x, y``."""
    to_geo = Transformer.from_crs(MAP_CRS, WGS84, always_xy=True)
    to_map = Transformer.from_crs(WGS84, MAP_CRS, always_xy=True)
    lon, lat = to_geo.transform(x, y)
    x2, y2 = to_map.transform(lon, lat + 0.05)
    return math.degrees(math.atan2(-(x2 - x), y2 - y))


def nice_length(max_m: float) -> float:
    """The largest 1, 2 or 5 × 10ⁿ metres not above ``max_m``."""
    exp = 10 ** math.floor(math.log10(max_m))
    return max(m * exp for m in (1, 2, 5) if m * exp <= max_m)


# --------------------------------------------------------------------------------------------
# Drawing


def _halo(width: float = 2.5) -> list:
    return [patheffects.withStroke(linewidth=width, foreground="white")]


def _patch(geom, **kwargs) -> PathPatch | None:
    """One PathPatch for a (multi)polygon, holes included."""
    polys = [g for g in getattr(geom, "geoms", [geom]) if not g.is_empty and g.geom_type == "Polygon"]
    if not polys:
        return None
    verts, codes = [], []
    for poly in polys:
        for ring in (poly.exterior, *poly.interiors):
            xy = np.asarray(ring.coords)
            verts.append(xy)
            codes.append(np.r_[MplPath.MOVETO, np.full(len(xy) - 2, MplPath.LINETO), MplPath.CLOSEPOLY])
    return PathPatch(MplPath(np.concatenate(verts), np.concatenate(codes)), **kwargs)


def _add(ax, geom, **kwargs) -> None:
    patch = _patch(geom, **kwargs)
    if patch is not None:
        ax.add_patch(patch)


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
        renderer = fig.canvas.get_renderer()
        label_areas: dict = {}
        _draw_base(ax, frame, lang, label_areas)
        _draw_water(ax, frame, lang, label_areas)
        arrows = _draw_poles(ax, scope, frame, pt, lang)
        if scope.kind != "city":  # outside the scope: a white veil; the scope outlined
            _add(ax, frame.difference(plan.focus), facecolor=VEIL, linewidth=0, zorder=4)
            _add(ax, plan.focus, facecolor="none", edgecolor=INK, linewidth=2.2, zorder=4.1)
        _draw_county_labels(ax, scope, frame, lang, label_areas)
        _draw_points(ax, plan.points)
        busy = shapely.union_all([plan.focus, *(a.buffer(6 * pt) for a in arrows)])
        scale = _draw_scale_bar(
            ax, plan.extent, lang, renderer, corner=_free_corner(plan.extent, busy, ("lower left", "lower right"))
        )
        north = _draw_north_arrow(
            ax, plan.extent, lang, renderer, corner=_free_corner(plan.extent, busy, ("upper left", "upper right"))
        )
        _place_labels(ax, renderer, plan, [scale, north], arrows, label_areas)
        _draw_panel(fig, plan, lang, panel_box)
        if titles:
            _draw_titles(fig, plan, lang, made or dt.date.today(), left=map_box[0])
    return fig


def _draw_base(ax, frame, lang: str, areas: dict) -> None:
    """Neighbouring prefectures (the poles' targets tinted) and the six counties coloured by their
    primary zone, secondary affiliations hatched."""
    model = load_zone_model()
    layers = _layers()
    xmin, ymin, xmax, _ = frame.bounds
    pole_color = {z.id: z.color for z in model.by_kind("pole")}
    label_area = frame.buffer(-0.04 * (xmax - xmin))
    for name, name_en, pole, geom in layers["neighbours"][["name", "name_en", "pole", "geometry"]].itertuples(
        index=False
    ):
        if not geom.intersects(frame):
            continue
        _add(ax, geom, facecolor=LAND, edgecolor="#9a9a9a", linewidth=0.5, zorder=1)
        if pole:
            _add(ax, geom, facecolor=pole_color[pole], alpha=0.13, linewidth=0, zorder=1.1)
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
                path_effects=_halo(2),
                gid="label:neighbour",
            )
            areas[id(text)] = inside
    counties = layers["counties"]
    for name, geom in counties[["name", "geometry"]].itertuples(index=False):
        zone = model.zones[model.primary_zone(name)]
        _add(ax, geom, facecolor="white", linewidth=0, zorder=2)
        _add(ax, geom, facecolor=zone.color, alpha=0.30, linewidth=0, zorder=2.1)
        for extra in model.zones_of(name)[1:]:
            _add(
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
        _add(ax, geom, facecolor="none", edgecolor="#4a4a4a", linewidth=0.9, zorder=3)
    _add(
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
    for kind, geom, zh, en in _layers()["water"][["kind", "geometry", "label_zh", "label_en"]].itertuples(index=False):
        if not geom.intersects(frame):
            continue
        if kind == "lake":
            _add(ax, geom.intersection(frame), facecolor=WATER, edgecolor=WATER_EDGE, linewidth=0.4, zorder=2.05)
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
                path_effects=_halo(2),
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
    for pole_id, line in _layers()["axes"][["pole", "geometry"]].itertuples(index=False):
        if pole_id not in poles:
            continue
        zone = model.zones[pole_id]
        target = _wrap(zone.target_en, 150, 9.5, lang) if lang == "en" else zone.target_zh
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
            path_effects=_halo(2.5),
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
    for name, name_en, geom in _layers()["counties"][["name", "name_en", "geometry"]].itertuples(index=False):
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
            path_effects=_halo(3),
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


def _corner_box(extent, corner: str, w: float = 0.24, h: float = 0.16):
    xmin, xmax, ymin, ymax = extent
    dx, dy = (xmax - xmin), (ymax - ymin)
    x0 = xmin if "left" in corner else xmax - w * dx
    y0 = ymin if "lower" in corner else ymax - h * dy
    return shapely.box(x0, y0, x0 + w * dx, y0 + h * dy)


def _free_corner(extent, busy, corners: tuple[str, ...]) -> str:
    """The corner among ``corners`` whose box overlaps ``busy`` (the scope and the arrows) least."""
    return min(corners, key=lambda c: _corner_box(extent, c).intersection(busy).area)


def _shift(artists: list, dx: float, dy: float) -> None:
    """Move rectangles, polygons and texts by ``dx, dy`` data units."""
    for a in artists:
        if isinstance(a, Rectangle):
            a.set_xy((a.get_x() + dx, a.get_y() + dy))
        elif isinstance(a, Polygon):
            a.set_xy(a.get_xy() + (dx, dy))
        else:
            x, y = a.get_position()
            a.set_position((x + dx, y + dy))


def _extent(artists: list, renderer) -> Box:
    boxes = [a.get_window_extent(renderer) for a in artists]
    return Box(min(b.x0 for b in boxes), min(b.y0 for b in boxes), max(b.x1 for b in boxes), max(b.y1 for b in boxes))


def _to_corner(ax, artists: list, renderer, corner: str, *, inset_pt: float, pad_pt: float = 0.0) -> Box:
    """Move a group of artists so its extent (grown by ``pad_pt``) sits ``inset_pt`` inside the frame's
    ``corner``; returns the grown extent in display units."""
    px = ax.figure.dpi / 72
    frame = Box.of(ax.get_window_extent(renderer))
    box = _extent(artists, renderer)
    pad, inset = pad_pt * px, inset_pt * px
    dx = (frame.x0 + inset - (box.x0 - pad)) if "left" in corner else (frame.x1 - inset - (box.x1 + pad))
    dy = (frame.y0 + inset - (box.y0 - pad)) if "lower" in corner else (frame.y1 - inset - (box.y1 + pad))
    (xmin, xmax), (ymin, ymax) = ax.get_xlim(), ax.get_ylim()
    scale_x, scale_y = (xmax - xmin) / frame.width, (ymax - ymin) / frame.height
    _shift(artists, dx * scale_x, dy * scale_y)
    return Box(box.x0 - pad + dx, box.y0 - pad + dy, box.x1 + pad + dx, box.y1 + pad + dy)


def _draw_scale_bar(ax, extent, lang: str, renderer, *, corner: str = "lower left") -> Box:
    """A scale bar with its numbers and unit on a white box, the whole group measured and kept inside
    the frame; returns the box (display units)."""
    xmin, xmax, ymin, ymax = extent
    length = nice_length((xmax - xmin) * 0.2)
    x0, y0 = xmin, ymin  # drawn here, then moved into the corner
    h = 0.009 * (ymax - ymin)
    artists: list = []
    for i in range(4):
        artists.append(
            ax.add_patch(
                Rectangle(
                    (x0 + i * length / 4, y0),
                    length / 4,
                    h,
                    edgecolor=INK,
                    facecolor=INK if i % 2 == 0 else "white",
                    linewidth=0.7,
                    zorder=20,
                    gid="scale-bar",
                )
            )
        )
    km = length / 1000
    for frac in (0, 0.5, 1):
        artists.append(
            ax.text(
                x0 + frac * length,
                y0 + 1.8 * h,
                f"{km * frac:g}",
                ha="center",
                va="bottom",
                fontsize=8,
                color=INK,
                zorder=20,
                path_effects=_halo(2),
                gid="scale-bar",
            )
        )
    artists.append(
        ax.text(
            x0 + length + 0.012 * (xmax - xmin),
            y0 + h / 2,
            t("print.km", lang),
            ha="left",
            va="center",
            fontsize=8,
            color=INK,
            zorder=20,
            path_effects=_halo(2),
            gid="scale-bar",
        )
    )
    box = _to_corner(ax, artists, renderer, corner, inset_pt=FRAME_INSET_PT, pad_pt=5)
    (bx0, by0), (bx1, by1) = ax.transData.inverted().transform([(box.x0, box.y0), (box.x1, box.y1)])
    ax.add_patch(
        Rectangle(
            (bx0, by0), bx1 - bx0, by1 - by0, facecolor=(1, 1, 1, 0.8), edgecolor="none", zorder=19.5, gid="scale-bar"
        )
    )
    return box


def _draw_north_arrow(ax, extent, lang: str, renderer, *, corner: str = "upper right") -> Box:
    """A north arrow along true north with its letter, kept inside the frame; returns its extent."""
    xmin, xmax, ymin, ymax = extent
    angle = math.radians(grid_north_angle((xmin + xmax) / 2, (ymin + ymax) / 2))
    cx, cy = (xmin + xmax) / 2, (ymin + ymax) / 2  # drawn here, then moved into the corner
    size = 0.05 * (ymax - ymin)

    def rot(dx: float, dy: float) -> tuple[float, float]:
        return (cx + dx * math.cos(angle) - dy * math.sin(angle), cy + dx * math.sin(angle) + dy * math.cos(angle))

    tip, tail = rot(0, size), rot(0, -0.25 * size)
    left, right = rot(-0.38 * size, -0.55 * size), rot(0.38 * size, -0.55 * size)
    artists = [
        ax.add_patch(
            Polygon(
                [tip, left, tail],
                closed=True,
                facecolor="white",
                edgecolor=INK,
                linewidth=0.9,
                zorder=20,
                gid="north-arrow",
            )
        ),
        ax.add_patch(
            Polygon(
                [tip, tail, right],
                closed=True,
                facecolor=INK,
                edgecolor=INK,
                linewidth=0.9,
                zorder=20,
                gid="north-arrow",
            )
        ),
    ]
    lx, ly = rot(0, size * 1.45)
    artists.append(
        ax.text(
            lx,
            ly,
            t("print.north", lang),
            ha="center",
            va="center",
            fontsize=11,
            color=INK,
            zorder=20,
            path_effects=_halo(2),
            gid="north-arrow",
        )
    )
    return _to_corner(ax, artists, renderer, corner, inset_pt=FRAME_INSET_PT + 4, pad_pt=2)


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
    city = _city_outline()
    far = (0.5, 1.0, 1.6, 2.4, 3.5, 5.0, 7.0, 9.0, 12.0)
    for text in texts:
        if text.get_gid() == "label:pole":
            # a target's name off the city if its arrow ends outside it, else (a short arrow) anywhere free
            off_city = not shapely.contains_xy(city, *text.get_position())
            if not (off_city and placer.place(text, steps=far, avoid=city, drop=False)):
                placer.place(text, steps=far)
            continue
        muted = text.get_gid() in ("label:county-muted", "label:neighbour")
        placer.place(text, within=areas.get(id(text)), steps=(0.5, 1.0, 1.6) if muted else far)


@cache
def _city_outline():
    geom = shapely.union_all(_layers()["counties"].geometry.to_numpy())
    shapely.prepare(geom)
    return geom


def _short_zone(zone_id: str, lang: str) -> str:
    zone = load_zone_model().zones[zone_id]
    return zone.name_en.split(":")[0] if lang == "en" else zone.name_zh.replace("服务业发展", "")


def _wrap(text: str, width_pt: float, size: float, lang: str) -> str:
    """``text`` broken into lines that fit ``width_pt`` at ``size`` points (CJK full width, Latin ~half)."""
    per_line = max(6, int(width_pt / (size * (0.52 if lang == "en" else 1.0))))
    if lang == "en":
        return textwrap.fill(text, per_line)
    return "\n".join(text[i : i + per_line] for i in range(0, len(text), per_line))


def _draw_panel(fig: Figure, plan: MapPlan, lang: str, box: tuple) -> None:
    """The legend column beside the map, stacked top-down: zones and poles, projects by sector and
    precision, notes and, for a part of the city when there is room, a locator map."""
    model = load_zone_model()
    left, bottom, width, height = box
    fig_w, fig_h = fig.get_size_inches()
    label_pt = width * fig_w * 72 - 34  # panel width minus the handle
    size = 8.0
    colon = "：" if lang == "zh" else ": "

    def label(text: str) -> str:
        return _wrap(text, label_pt, size, lang)

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
    renderer = fig.canvas.get_renderer()
    to_axes = legend_ax.transAxes.inverted()
    gap = 0.18 / (height * fig_h)  # 0.18 in between blocks, in axes fraction
    common = {
        "loc": "upper left",
        "frameon": False,
        "fontsize": size,
        "title_fontsize": 9.5,
        "alignment": "left",
        "borderaxespad": 0,
        "labelspacing": 0.45,
    }
    y = 1.0
    for block, kwargs in (
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
    ):
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
            "\n".join(_wrap(n, label_pt + 34, 7.5, lang) for n in notes),
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
    counties = _layers()["counties"]
    ax = fig.add_axes(box, label="locator")
    ax.set_aspect("equal")
    ax.set_xticks([])
    ax.set_yticks([])
    for spine in ax.spines.values():
        spine.set_edgecolor("#9a9a9a")
        spine.set_linewidth(0.6)
    for geom in counties.geometry:
        _add(ax, geom, facecolor="#eeeeee", edgecolor="#9a9a9a", linewidth=0.4)
    _add(ax, plan.focus, facecolor="#d7301f", edgecolor=INK, linewidth=0.6, alpha=0.85)
    xmin, ymin, xmax, ymax = counties.total_bounds
    pad = 0.04 * (xmax - xmin)
    ax.set_xlim(xmin - pad, xmax + pad)
    ax.set_ylim(ymin - pad, ymax + pad)


def _draw_titles(fig: Figure, plan: MapPlan, lang: str, made: dt.date, *, left: float) -> None:
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
