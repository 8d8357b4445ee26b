"""The explorer's folium map: counties, zones, poles, neighbours and projects, drawn with no internet.

:func:`build_map` returns a :class:`layout.render.webmap_elements.OfflineMap` (Leaflet, jQuery and
MarkerCluster linked from the app's own static files, see :mod:`layout.render.assets`). Every text that
comes from the catalog or the register is escaped once (:func:`layout.render.safe_html.html_text`) before
it reaches a tooltip or popup. Maps are deterministic: the same arguments give the same HTML (no random
jitter): points sharing a place are fanned out inside their own county by
:func:`layout.render.placement.place_projects` (the layout the print maps use) and clustered when zoomed
out. The map's elements live in :mod:`layout.render.webmap_elements`, its data in
:mod:`layout.render.webmap_data`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import cast
from urllib.parse import quote

import folium
import geopandas as gpd
import pandas as pd
import shapely
from branca.element import Element, Figure

from layout.errors import InputError
from layout.geo.boundaries import water_label_anchor
from layout.i18n import t
from layout.plan.zones import load_zone_model
from layout.register.vocabulary import STATUSES as STATUS_IDS
from layout.render.palette import FALLBACK_COLOR, SECTOR_COLORS, status_color
from layout.render.placement import place_projects
from layout.render.safe_html import SafeTooltip, html_text
from layout.render.views import BASEMAPS, UNREPORTED, zone_name
from layout.render.webmap_data import (
    BACKGROUND,
    CENTER,
    GCJ_BASEMAPS,
    LEGEND_OPEN_MIN_PX,
    LEGEND_WIDTH_PX,
    PRECISION_STYLES,
    WATER_COLOR,
    display_layers,
    focus_geometry,
    geometry_bounds,
    layer_geojson,
    pole_arrow,
    project_payload,
)
from layout.render.webmap_elements import (
    MAP_CSS,
    FitView,
    LabelPane,
    Labels,
    Legend,
    OfflineMap,
    ProjectLayer,
    ScaleBar,
    SharedGeoJson,
)

# --------------------------------------------------------------------------------------------
# The map


def _tile_layers(basemap: str, tianditu_key: str | None) -> list[folium.TileLayer]:
    if basemap == "osm":
        return [folium.TileLayer("OpenStreetMap", name="OpenStreetMap", control=False)]
    if basemap == "amap":
        return [
            folium.TileLayer(
                "https://webrd0{s}.is.autonavi.com/appmaptile?lang=zh_cn&size=1&scale=1&style=8&x={x}&y={y}&z={z}",
                attr="© 高德地图 AutoNavi",
                name="高德",
                subdomains="1234",
                max_zoom=18,
                control=False,
            )
        ]
    if basemap == "tianditu":
        if not tianditu_key:
            raise InputError("basemap 'tianditu' needs a key: set TIANDITU_KEY or [tianditu] key in secrets.toml")

        def url(layer: str) -> str:  # vec: the vector map; cva: its Chinese annotation layer
            return (
                f"https://t{{s}}.tianditu.gov.cn/{layer}_w/wmts?SERVICE=WMTS&REQUEST=GetTile&VERSION=1.0.0"
                f"&LAYER={layer}&STYLE=default&TILEMATRIXSET=w&FORMAT=tiles&TILEMATRIX={{z}}&TILEROW={{y}}"
                f"&TILECOL={{x}}&tk={quote(tianditu_key)}"
            )

        return [
            folium.TileLayer(
                url("vec"), attr="© 天地图", name="天地图", subdomains="01234567", max_zoom=18, control=False
            ),
            folium.TileLayer(
                url("cva"),
                attr="© 天地图",
                name="天地图注记",
                subdomains="01234567",
                max_zoom=18,
                overlay=True,
                control=False,
            ),
        ]
    return []


def _legend_html(sectors: list[str], lang: str, *, color_by: str = "sector") -> str:
    model = load_zone_model()
    e = html_text
    parts = [f"<h4>{e(t('legend.zones', lang))}</h4>"]
    for zone in model.zones.values():
        if zone.kind != "pole":
            parts.append(f'<div><i style="background:{zone.color};opacity:.6"></i>{e(zone_name(zone.id, lang))}</div>')
    parts.append(f"<h4>{e(t('legend.poles', lang))}</h4>")
    for zone in model.by_kind("pole"):
        target = zone.target_en if lang == "en" else zone.target_zh
        parts.append(f'<div><i style="background:{zone.color};height:4px;vertical-align:3px"></i>→ {e(target)}</div>')
    if sectors:
        grid = "grid one" if lang == "en" else "grid"  # English names need the legend's full width
        if color_by == "status":
            parts.append(f'<h4>{e(t("legend.status", lang))}</h4><div class="{grid}">')
            for status in (*STATUS_IDS, UNREPORTED):
                parts.append(
                    f'<div><i class="dot" style="background:{status_color(status)};border:1px solid #999">'
                    f"</i>{e(t(f'status.{status}', lang))}</div>"
                )
        else:
            parts.append(f'<h4>{e(t("legend.sectors", lang))}</h4><div class="{grid}">')
            for sector in sorted(sectors, key=_sector_order):
                color = SECTOR_COLORS.get(sector, FALLBACK_COLOR)
                parts.append(f'<div><i class="dot" style="background:{color}"></i>{e(t_sector(sector, lang))}</div>')
        parts.append(f"</div><h4>{e(t('legend.precision', lang))}</h4>")
        for p, style in PRECISION_STYLES.items():
            border = "2px solid #fff;box-shadow:0 0 0 1px #555" if style["solid"] else "2px dashed #555"
            fill = "#555" if style["solid"] else "rgba(85,85,85,.2)"
            parts.append(
                f'<div><i class="dot" style="background:{fill};border:{border};width:9px;height:9px">'
                f"</i>{e(t(f'precision.{p}', lang))}</div>"
            )
    return "".join(parts)


def _sector_order(sector: str) -> int:
    """The 3+4+5 order of the plan (SECTOR_COLORS is written in it); unknown sectors last."""
    order = list(SECTOR_COLORS)
    return order.index(sector) if sector in order else len(order)


def t_sector(sector: str, lang: str) -> str:
    """A sector's name in ``lang`` (Chinese names are the keys)."""
    return t(f"sector.{sector}", lang, default=sector)


def build_map(
    projects: pd.DataFrame | None = None,
    *,
    lang: str = "zh",
    basemap: str = "none",
    focus: str = "",
    tianditu_key: str | None = None,
    cluster: bool = True,
    height: int | str = "100%",
    legend_sectors: Sequence[str] | None = None,
    color_by: str = "sector",
) -> OfflineMap:
    """The explorer map.

    Parameters
    ----------
    projects
        Catalog rows to draw (rows without ``lon``/``lat`` are skipped): ``id``, ``name``, ``sector``,
        ``action``, ``county``, ``precision``, ``plan_quote``, ``plan_section``, ``lon``, ``lat``, ``zones``,
        ``poles`` and optionally ``computed_county``, ``name_en``.
    lang
        ``zh`` or ``en`` for labels, legend and popups.
    basemap
        ``none`` (offline vector base, the default), ``osm``, ``amap`` (高德; overlays shifted to GCJ-02)
        or ``tianditu`` (needs ``tianditu_key``).
    focus
        ``county:<name>`` or ``zone:<id>`` to zoom to and outline; empty for all of 益阳.
    cluster
        Cluster nearby project markers (MarkerCluster).
    color_by
        ``sector`` (default) or ``status``: what the markers' colour (and the legend) shows; ``status`` uses
        the register's status (``status`` column; 未填报 where there is none).
    legend_sectors
        Sectors the legend lists (default: those of ``projects``); the app's base map lists all, its
        projects arriving as a separate layer (:func:`build_project_group`).

    Raises
    ------
    InputError
        For an unknown basemap, a focus that names nothing, or 天地图 without a key.
    """
    if basemap not in BASEMAPS:
        raise InputError(f"basemap should be one of {', '.join(BASEMAPS)}, got {basemap!r}")
    gcj = basemap in GCJ_BASEMAPS
    layers = display_layers(gcj)
    model = load_zone_model()
    offline = basemap == "none"

    m = OfflineMap(
        location=CENTER,
        tiles=None,
        zoom_start=8,
        height=height,
        control_scale=False,
        minZoom=5,
        maxZoom=18,
        zoomSnap=0.1,
    )
    css = MAP_CSS % {"bg": BACKGROUND if offline else "#ffffff", "legend_w": LEGEND_WIDTH_PX}
    cast(Figure, m.get_root()).header.add_child(Element(css), name="map_css")
    LabelPane().add_to(m)
    ScaleBar().add_to(m)
    for tile in _tile_layers(basemap, tianditu_key):
        tile.add_to(m)

    # Surrounding prefectures; the three poles' targets shaded in the pole's colour.
    pole_color = {z.id: z.color for z in model.by_kind("pole")}
    neighbours = layers["neighbours"]
    fg = folium.FeatureGroup(name=t("layer.neighbours", lang), overlay=True, control=True)
    shapes = layer_geojson(gcj, lang)
    SharedGeoJson(
        shapes["neighbours"],
        interactive=False,
        control=False,
        style_function=lambda f: {
            "color": "#8a8a8a",
            "weight": 0.8,
            "fillColor": pole_color.get(f["properties"]["pole"], "#f7f4ee"),
            "fillOpacity": (0.22 if f["properties"]["pole"] else (0.85 if offline else 0.15)),
        },
    ).add_to(fg)
    Labels(
        [
            (*at, name_en.split(" ")[0] if lang == "en" else name, "small")
            for name, name_en, at in neighbours[["name", "name_en", "label_at"]].itertuples(index=False)
        ]
    ).add_to(fg)
    fg.add_to(m)
    _water_group(layers["water"], shapes["water"], lang).add_to(m)

    # The three zones as coloured areas.
    zone_fg = folium.FeatureGroup(name=t("layer.zones", lang), overlay=True, control=True)
    SharedGeoJson(
        shapes["zones"],
        interactive=False,
        control=False,
        style_function=lambda f: {
            "color": f["properties"]["color"],
            "weight": 0,
            "fillColor": f["properties"]["color"],
            "fillOpacity": 0.28,
        },
    ).add_to(zone_fg)
    zone_fg.add_to(m)

    # The six counties with labels and a tooltip naming their zones and poles.
    counties = layers["counties"]
    county_fg = folium.FeatureGroup(name=t("layer.counties", lang), overlay=True, control=True)
    SharedGeoJson(
        shapes["counties"],
        control=False,
        style_function=lambda f: {
            "color": "#4a4a4a",
            "weight": 1.4,
            "fillColor": "#ffffff",
            "fillOpacity": 0.05,
            "className": "county-shape",
        },
        highlight_function=lambda f: {"weight": 3, "color": "#000000"},
        tooltip=folium.GeoJsonTooltip(fields=["tip"], labels=False, sticky=True),
    ).add_to(county_fg)
    Labels(
        [
            (*at, name_en if lang == "en" else name, "")
            for name, name_en, at in counties[["name", "name_en", "label_at"]].itertuples(index=False)
        ]
    ).add_to(county_fg)
    county_fg.add_to(m)

    # The three poles: an arrow toward each target, labelled with the target.
    pole_fg = folium.FeatureGroup(name=t("layer.poles", lang), overlay=True, control=True)
    pole_labels = []
    for pole_id, line in layers["axes"][["pole", "geometry"]].itertuples(index=False):
        zone = model.zones[pole_id]
        shaft, head = pole_arrow(line)
        target = zone.target_en if lang == "en" else zone.target_zh
        tip_text = html_text(f"{zone_name(pole_id, lang)} → {target}")
        folium.PolyLine(shaft, color=zone.color, weight=5, opacity=0.9, tooltip=SafeTooltip(tip_text)).add_to(pole_fg)
        folium.Polygon(
            head,
            color=zone.color,
            weight=1,
            fill=True,
            fill_color=zone.color,
            fill_opacity=1,
            tooltip=SafeTooltip(tip_text),
        ).add_to(pole_fg)
        pole_labels.append((*head[0], target, "pole"))
    Labels(pole_labels).add_to(pole_fg)
    pole_fg.add_to(m)

    sectors: list[str] = []
    if projects is not None:
        points = projects[projects["lon"].notna() & projects["lat"].notna()]
        points = place_projects(points)  # approximate markers fanned out, each inside its own county
        sectors = list(dict.fromkeys(points["sector"].astype(str)))
        ProjectLayer(
            project_payload(points, lang=lang, gcj=gcj, color_by=color_by),
            name=f"{t('layer.projects', lang)} ({len(points)})",
            cluster=cluster,
        ).add_to(m)

    if focus:
        geom = focus_geometry(focus, gcj=gcj)
        folium.GeoJson(
            shapely.to_geojson(geom),
            interactive=False,
            control=False,
            style_function=lambda f: {"color": "#000000", "weight": 3.5, "dashArray": "8 4", "fill": False},
        ).add_to(m)
    else:  # 益阳 itself, tightly: neighbours and the arrowheads may run off the edge
        geom = shapely.union_all(counties.geometry.to_numpy())
    m.view_bounds = geometry_bounds(geom)
    FitView(
        m.view_bounds, padding_top_left=(12, 12), padding_bottom_right=(12, 12), legend_open_min_px=LEGEND_OPEN_MIN_PX
    ).add_to(m)
    if legend_sectors is not None:
        sectors = list(legend_sectors)

    Legend(_legend_html(sectors, lang, color_by=color_by), title=t("legend.title", lang)).add_to(m)
    folium.LayerControl(collapsed=True, position="topright").add_to(m)
    return m


def build_project_group(
    projects: pd.DataFrame, *, lang: str = "zh", basemap: str = "none", cluster: bool = True, color_by: str = "sector"
) -> folium.FeatureGroup:
    """The project markers of ``projects`` as a layer of their own, for a base map from
    ``build_map(None, legend_sectors=...)``: streamlit-folium swaps it in place (``feature_group_to_add``)
    when the filters change, instead of sending and redrawing the whole map."""
    points = projects[projects["lon"].notna() & projects["lat"].notna()]
    group = folium.FeatureGroup(name=f"{t('layer.projects', lang)} ({len(points)})", overlay=True, control=False)
    ProjectLayer(
        project_payload(points, lang=lang, gcj=basemap in GCJ_BASEMAPS, color_by=color_by),
        name=f"{t('layer.projects', lang)} ({len(points)})",
        cluster=cluster,
    ).add_to(group)
    return group


def water_labels(water: gpd.GeoDataFrame, lang: str, *, within=None) -> list[tuple[float, float, str]]:
    """(lat, lon, text) of the labelled water features (洞庭湖, 资水), placed inside ``within`` when given."""
    out = []
    for kind, geom, zh, en in water[["kind", "geometry", "label_zh", "label_en"]].itertuples(index=False):
        text = en if lang == "en" else zh
        at = water_label_anchor(kind, geom, within) if text else None
        if at is not None:
            out.append((at.y, at.x, text))
    return out


def _water_group(water: gpd.GeoDataFrame, shape: dict, lang: str) -> folium.FeatureGroup:
    """Lakes and rivers, under the zones, as a layer the user can switch off (on by default)."""
    fg = folium.FeatureGroup(name=t("layer.water", lang), overlay=True, control=True, show=True)
    SharedGeoJson(
        shape,
        interactive=False,
        control=False,
        style_function=lambda f: (
            {"color": WATER_COLOR, "weight": 0.6, "fillColor": WATER_COLOR, "fillOpacity": 0.55}
            if f["properties"]["kind"] == "lake"
            else {"color": WATER_COLOR, "weight": 1.6, "opacity": 0.9, "fill": False}
        ),
    ).add_to(fg)
    within = shapely.union_all(display_layers(False)["counties"].geometry.to_numpy()).buffer(0.15)  # 益阳 and its shore
    Labels([(lat, lon, text, "water") for lat, lon, text in water_labels(water, lang, within=within)]).add_to(fg)
    return fg


def map_html_size(m: folium.Map) -> int:
    """Characters of the standalone HTML page of ``m`` (the size budget is measured this way)."""
    return len(m.get_root().render())
