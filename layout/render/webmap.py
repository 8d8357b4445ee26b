"""The explorer's folium map: counties, zones, poles, neighbours and projects, drawn with no internet.

:func:`build_map` returns a :class:`OfflineMap` (Leaflet, jQuery and MarkerCluster linked from the app's
own static files, see :mod:`layout.render.assets`). Every text that comes from the catalog or the register is
escaped here, once (:func:`layout.render.safe_html.html_text`), before it reaches a tooltip or popup. Maps are
deterministic: the same arguments give the same HTML (no random jitter): points sharing a place are
fanned out inside their own county by :func:`layout.render.placement.place_projects` (the layout the print
maps use) and clustered when zoomed out.
"""

from __future__ import annotations

import copy
import json
import math
from collections.abc import Sequence
from functools import cache
from urllib.parse import quote

import folium
import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from branca.element import Element, MacroElement
from folium.map import Layer
from folium.template import Template

from layout.errors import InputError
from layout.geo.boundaries import (
    expand_counties,
    load_counties,
    load_neighbours,
    load_pole_axes,
    load_water,
    load_zone_areas,
    water_label_anchor,
)
from layout.geo.crs import wgs84_to_gcj02
from layout.i18n import t
from layout.plan.zones import load_zone_model
from layout.register.events import STATUSES as STATUS_IDS
from layout.render import assets
from layout.render.palette import FALLBACK_COLOR, SECTOR_COLORS, STATUS_COLORS, status_color  # noqa: F401 - re-exported
from layout.render.placement import place_projects
from layout.render.safe_html import SafeTooltip, html_text
from layout.render.views import BASEMAPS, UNREPORTED, status_of, zone_name, zone_names

GCJ_BASEMAPS = ("amap",)  # tiles drawn in GCJ-02: every overlay is shifted to match
DISPLAY_DECIMALS = 5  # about 1 m: plenty on screen, a third smaller than full precision
ARROW_MAX_DEG = 0.6  # pole arrows stop near 益阳's edge so the head stays in the default view
CLUSTER_OPTIONS = {
    "maxClusterRadius": 24,
    "disableClusteringAtZoom": 12,
    "spiderfyOnMaxZoom": True,
    "showCoverageOnHover": False,
    "chunkedLoading": True,
}
BACKGROUND = "#e6edf1"
WATER_COLOR = "#8fc1e3"
LEGEND_WIDTH_PX = 250  # the open legend's width at most; the framing leaves its column free (常德's side)
LEGEND_OPEN_MIN_PX = 1000  # the legend starts open on maps at least this wide, collapsed on smaller ones
CENTER = (28.45, 112.0)  # about the middle of 益阳; fit_bounds then frames the view

#: How each precision draws: exact sites solid, approximate places hollow and dashed, larger when vaguer.
PRECISION_STYLES = {
    "site": {"radius": 6, "weight": 1.5, "fillOpacity": 0.9, "dashArray": None, "solid": True},
    "town": {"radius": 8, "weight": 2, "fillOpacity": 0.3, "dashArray": "4 3", "solid": False},
    "county": {"radius": 10, "weight": 2, "fillOpacity": 0.12, "dashArray": "2 4", "solid": False},
}


class _SharesData:
    """Deep copies share the (read-only) bulk data named in ``_shared`` instead of copying it.

    The app renders a copy of a cached map on every rerun; copying the boundary GeoJSON and the
    project rows each time would cost more than the rest of the copy together.
    """

    _shared: tuple[str, ...] = ()

    def __deepcopy__(self, memo):
        new = self.__class__.__new__(self.__class__)
        memo[id(self)] = new
        for key, value in self.__dict__.items():
            new.__dict__[key] = value if key in self._shared else copy.deepcopy(value, memo)
        return new


class OfflineMap(folium.Map):
    """A ``folium.Map`` that loads Leaflet and jQuery from the app (``/app/static/vendor``), no CDN.

    Bootstrap, Font Awesome and awesome-markers are dropped: this map uses none of them.
    ``view_bounds``, when set, answers :meth:`get_bounds` without walking every coordinate.
    """

    default_js = assets.links(assets.MAP_ASSETS, "js")
    default_css = assets.links(assets.MAP_ASSETS, "css")
    view_bounds: list[list[float]] | None = None

    def get_bounds(self):
        return self.view_bounds if self.view_bounds is not None else super().get_bounds()


class SharedGeoJson(_SharesData, folium.GeoJson):
    """``folium.GeoJson`` over a cached GeoJSON dict that copies of the map share."""

    _shared = ("data",)


class ProjectLayer(_SharesData, folium.elements.JSCSSMixin, Layer):
    """Project points as circle markers (clustered), with popups built on demand from compact rows.

    Rows carry indices into one table of already-escaped strings, so 10,000 projects stay a few hundred
    kilobytes. Each marker has the class ``project-marker`` (and ``precision-<p>``) for tests and CSS.
    """

    _template = Template("""
        {% macro script(this, kwargs) %}
        var {{ this.get_name() }} = (function () {
            var S = {{ this.strings|tojson }};
            var F = {{ this.labels|tojson }};
            var P = {{ this.styles|tojson }};
            var C = {{ this.colors|tojson }};
            var R = {{ this.rows|tojson }};
            var group = {% if this.cluster %}L.markerClusterGroup({{ this.cluster_options|tojson }})
                        {% else %}L.featureGroup(){% endif %};
            function row(label, value) {
                return value ? '<tr><th>' + label + '</th><td>' + value + '</td></tr>' : '';
            }
            function popup(r) {
                return '<div class="project-popup"><div class="pp-name">' + S[r[4]] + '</div>'
                    + '<div class="pp-sector"><span style="background:' + C[r[2]] + '"></span>'
                    + S[r[5]] + (S[r[6]] ? ' · ' + S[r[6]] : '') + '</div><table>'
                    + row(F.county, S[r[7]]) + row(F.zones, S[r[8]]) + row(F.poles, S[r[9]])
                    + row(F.precision, S[r[10]]) + row(F.status, S[r[14]]) + row(F.id, S[r[13]]) + '</table>'
                    + (S[r[11]] ? '<blockquote>' + S[r[11]] + '</blockquote>' : '')
                    + '<div class="pp-section">' + S[r[12]] + '</div></div>';
            }
            var markers = [];
            for (var i = 0; i < R.length; i++) {
                var r = R[i], p = P[r[3]], c = C[r[2]];
                var m = L.circleMarker([r[0], r[1]], {
                    radius: p.radius, weight: p.weight, fillOpacity: p.fillOpacity, dashArray: p.dashArray,
                    color: p.solid ? '#ffffff' : c, fillColor: c,
                    className: 'project-marker precision-' + p.name});
                m.bindTooltip(S[r[4]] + ' · ' + S[r[5]]);
                m.bindPopup(popup.bind(null, r), {maxWidth: 380, minWidth: 240});
                markers.push(m);
            }
            {% if this.cluster %}group.addLayers(markers);{% else %}
            markers.forEach(function (m) { group.addLayer(m); });{% endif %}
            return group;
        })();
        {% endmacro %}
        """)

    default_js = assets.links(assets.CLUSTER_ASSETS, "js")
    default_css = assets.links(assets.CLUSTER_ASSETS, "css")
    _shared = ("strings", "rows")

    def __init__(self, payload: dict, *, name: str, cluster: bool = True, show: bool = True):
        super().__init__(name=name, overlay=True, control=True, show=show)
        self._name = "ProjectLayer"
        self.strings = payload["strings"]
        self.rows = payload["rows"]
        self.colors = payload["colors"]
        self.labels = payload["labels"]
        self.styles = payload["styles"]
        self.cluster = cluster
        self.cluster_options = CLUSTER_OPTIONS
        if not cluster:
            self.default_js, self.default_css = [], []


class FitView(MacroElement):
    """Frame ``bounds`` now and whenever the map's box changes size, until the user pans or zooms.

    streamlit-folium sizes its iframe after the map script runs, so a one-off ``fitBounds`` frames the
    view for the wrong box; this keeps the framing right for the box the user actually sees. The
    legend (``.map-legend``, top left) starts open only on maps at least ``legend_open_min_px`` wide;
    when the legend (open or collapsed) would lie on a county, the view leaves the legend's column free.
    """

    _template = Template("""
        {% macro script(this, kwargs) %}
        (function (map) {
            var bounds = L.latLngBounds({{ this.bounds|tojson }});
            var options = {{ this.options|tojson }};
            var touched = false, decided = false;
            function legend() { return document.querySelector('.map-legend'); }
            function frame() {
                var box = map.getContainer();
                if (touched || !box.clientWidth) { return; }
                var el = legend(), details = el && el.querySelector('details');
                if (details && !decided) {
                    decided = true;
                    details.open = box.clientWidth >= {{ this.legend_open_min_px }};
                }
                map.invalidateSize(false);
                map.fitBounds(bounds, options);
                if (el && covers(el)) {  // the legend lies on a county: leave its column free instead
                    var r = el.getBoundingClientRect(), m = box.getBoundingClientRect();
                    var pad = [Math.max(options.paddingTopLeft[0], r.right - m.left + 12), options.paddingTopLeft[1]];
                    map.fitBounds(bounds, {paddingTopLeft: pad, paddingBottomRight: options.paddingBottomRight,
                                           animate: false});
                }
            }
            function covers(el) {  // is a drawn county shape (class county-shape) under the legend's box?
                var r = el.getBoundingClientRect();
                for (var x = r.left + 1; x < r.right; x += 10) {
                    for (var y = r.top + 1; y < r.bottom; y += 10) {
                        var hits = document.elementsFromPoint(x, y);
                        for (var i = 0; i < hits.length; i++) {
                            if (hits[i].classList && hits[i].classList.contains('county-shape')) { return true; }
                        }
                    }
                }
                return false;
            }
            frame();
            ['mousedown', 'wheel', 'touchstart', 'keydown'].forEach(function (ev) {
                map.getContainer().addEventListener(ev, function () { touched = true; }, {passive: true});
            });
            var el = legend(), details = el && el.querySelector('details');
            if (details) { details.addEventListener('toggle', frame); }
            if (window.ResizeObserver) { new ResizeObserver(frame).observe(map.getContainer()); }
        })({{ this._parent.get_name() }});
        {% endmacro %}
        """)

    def __init__(
        self,
        bounds: list[list[float]],
        *,
        padding_top_left=(10, 10),
        padding_bottom_right=(10, 10),
        legend_open_min_px: int = 1000,
    ):
        super().__init__()
        self._name = "FitView"
        self.bounds = bounds
        self.legend_open_min_px = int(legend_open_min_px)
        self.options = {
            "paddingTopLeft": list(padding_top_left),
            "paddingBottomRight": list(padding_bottom_right),
            "animate": False,
        }  # frame at once: no zoom animation on load or resize


class Legend(MacroElement):
    """A fixed box in a corner of the map with the given (trusted, already-escaped) HTML."""

    _template = Template("""
        {% macro html(this, kwargs) %}
        <div class="map-legend" style="position:absolute; z-index:800; {{ this.position }}">
        <details open><summary>{{ this.title }}</summary>{{ this.body }}</details></div>
        {% endmacro %}
        """)

    def __init__(self, body: str, *, title: str, position: str = "top:84px; left:10px;"):
        super().__init__()
        self._name = "Legend"
        self.body = body
        self.title = title
        self.position = position


MAP_CSS = """<style>
.leaflet-container { background: %(bg)s; }
body, .leaflet-container, .map-legend, .leaflet-tooltip, .leaflet-popup-content {
  font-family: "Noto Sans CJK SC", "Microsoft YaHei", "PingFang SC", sans-serif; }
.map-legend { background: rgba(255,255,255,.92); padding: 6px 9px; border-radius: 4px; font-size: 11.5px;
  line-height: 1.45; box-shadow: 0 1px 4px rgba(0,0,0,.3); max-height: 70%%; overflow-y: auto;
  max-width: %(legend_w)dpx; box-sizing: border-box; }
.leaflet-container path.leaflet-interactive:focus { outline: none; }
/* in the app, streamlit-folium's map box fills its iframe (whose height the page sets per screen) */
#map_div { height: 100vh !important; }
body:has(#map_div) { margin: 0; overflow: hidden; }
.map-legend summary { cursor: pointer; font-weight: 700; }
.map-legend details:not([open]) { width: max-content; }
.map-legend h4 { margin: 4px 0 2px; font-size: 12px; }
.map-legend .grid { display: grid; grid-template-columns: auto auto; column-gap: 10px; }
.map-legend .grid.one { grid-template-columns: auto; }
.map-legend i { display: inline-block; width: 12px; height: 12px; margin-right: 5px; vertical-align: -2px; }
.map-legend i.dot { border-radius: 50%%; }
.map-label { white-space: nowrap; text-align: center; font-size: 13px; font-weight: 600; color: #333;
  text-shadow: 0 0 3px #fff, 0 0 3px #fff, 0 0 3px #fff; pointer-events: none; }
.map-label.small { font-size: 11px; font-weight: 400; color: #666; }
.map-label.water { font-size: 12px; font-weight: 400; font-style: italic; color: #2f6f9f; }
.map-label.pole { font-size: 12px; white-space: normal; line-height: 1.15; }
.project-popup { font-size: 13px; line-height: 1.45; }
.project-popup .pp-name { font-weight: 700; font-size: 14px; margin-bottom: 2px; }
.project-popup .pp-sector span { display: inline-block; width: 10px; height: 10px; border-radius: 50%%;
  margin-right: 4px; }
.project-popup table { margin: 4px 0; border-collapse: collapse; }
.project-popup th { text-align: left; color: #666; font-weight: 400; padding-right: 8px; vertical-align: top;
  white-space: nowrap; }
.project-popup blockquote { margin: 4px 0; padding: 2px 6px; border-left: 3px solid #bbb; color: #333; }
.project-popup .pp-section { color: #777; font-size: 12px; }
</style>"""


# --------------------------------------------------------------------------------------------
# Geometry helpers


def _shift_xy(xy: np.ndarray, gcj: bool) -> np.ndarray:
    if gcj:
        lon, lat = wgs84_to_gcj02(xy[:, 0], xy[:, 1])
        xy = np.column_stack([lon, lat])
    return np.round(xy, DISPLAY_DECIMALS)


def to_display(gdf: gpd.GeoDataFrame, *, gcj: bool) -> gpd.GeoDataFrame:
    """``gdf`` rounded for the web map and, for GCJ-02 basemaps (高德), shifted into GCJ-02."""
    out = gdf.copy()
    out["geometry"] = shapely.transform(gdf.geometry.to_numpy(), lambda xy: _shift_xy(xy, gcj))
    return out


def display_lonlat(lon: Sequence[float], lat: Sequence[float], *, gcj: bool) -> tuple[np.ndarray, np.ndarray]:
    """WGS84 coordinates as drawn on the map (GCJ-02 for 高德 tiles), rounded."""
    xy = _shift_xy(np.column_stack([np.asarray(lon, float), np.asarray(lat, float)]), gcj)
    return xy[:, 0], xy[:, 1]


def _label_point(geom) -> tuple[float, float]:
    """A point well inside ``geom`` for a label: the pole of inaccessibility, else a surface point."""
    try:
        p = shapely.maximum_inscribed_circle(geom, 0.01).coords[0]
    except (AttributeError, shapely.errors.GEOSException):  # pragma: no cover - older GEOS
        p = geom.point_on_surface().coords[0]
    return p[1], p[0]


def _layers(gcj: bool) -> dict[str, gpd.GeoDataFrame]:
    """The geodata layers ready to draw, with a label point per area (cached per coordinate system and plan)."""
    from layout.plan.context import plan_key

    return _layers_for(gcj, plan_key())


@cache
def _layers_for(gcj: bool, plan: tuple) -> dict[str, gpd.GeoDataFrame]:
    layers = {
        "counties": to_display(load_counties(display=True), gcj=gcj),
        "zones": to_display(load_zone_areas(), gcj=gcj),
        "neighbours": to_display(load_neighbours(), gcj=gcj),
        "axes": to_display(load_pole_axes(), gcj=gcj),
        "water": to_display(load_water(), gcj=gcj),
    }
    for name in ("counties", "neighbours"):
        layers[name]["label_at"] = [_label_point(g) for g in layers[name].geometry]
    return layers


def _geojson(gcj: bool, lang: str) -> dict[str, dict]:
    """GeoJSON dicts of the neighbours, zones and counties (with their tooltips), built once per
    coordinate system, language and plan and shared by every map (folium reads them, never changes them)."""
    from layout.plan.context import plan_key

    return _geojson_for(gcj, lang, plan_key())


@cache
def _geojson_for(gcj: bool, lang: str, plan: tuple) -> dict[str, dict]:
    layers = _layers(gcj)
    counties = layers["counties"].copy()
    counties["tip"] = [
        _county_tip(name, name_en, area, lang)
        for name, name_en, area in counties[["name", "name_en", "area_km2"]].itertuples(index=False)
    ]
    return {
        "neighbours": json.loads(layers["neighbours"][["name", "pole", "geometry"]].to_json()),
        "zones": json.loads(layers["zones"][["zone", "color", "geometry"]].to_json()),
        "counties": json.loads(counties[["name", "tip", "geometry"]].to_json()),
        "water": json.loads(layers["water"][["kind", "name", "geometry"]].to_json()),
    }


def focus_geometry(focus: str, *, gcj: bool = False):
    """The area of a focus ``"county:<name>"`` or ``"zone:<id>"`` (WGS84, or GCJ-02 with ``gcj``).

    Raises
    ------
    InputError
        When the focus names no county or zone.
    """
    model = load_zone_model()
    kind, _, key = focus.partition(":")
    counties = _layers(gcj)["counties"]
    if kind == "county" and key in model.counties:
        names = expand_counties([key], model)
    elif kind == "zone" and key in model.zones:
        zone = model.zones[key]
        names = expand_counties(zone.counties, model, primary_only_of=None if zone.kind == "pole" else key)
    else:
        raise InputError(f"focus should be county:<name> or zone:<id>, got {focus!r}")
    return shapely.union_all(counties.loc[counties["name"].isin(names), "geometry"].to_numpy())


def _bounds(geom) -> list[list[float]]:
    xmin, ymin, xmax, ymax = geom.bounds
    return [[ymin, xmin], [ymax, xmax]]


def _arrow(line: shapely.LineString, max_deg: float = ARROW_MAX_DEG) -> tuple[list, list]:
    """A shaft (lat/lon list) from the line's start toward its end, at most ``max_deg`` long, and a
    triangular head (lat/lon list) at its tip, sized in screen-true units (longitude scaled by cos lat)."""
    (x0, y0), (x1, y1) = line.coords[0], line.coords[-1]
    k = math.cos(math.radians(y0))
    dx, dy = (x1 - x0) * k, y1 - y0
    length = math.hypot(dx, dy)
    ux, uy = dx / length, dy / length
    reach = min(length, max_deg)
    tip = (x0 + ux * reach / k, y0 + uy * reach)
    size, half = 0.12, 0.06
    base = (tip[0] - ux * size / k, tip[1] - uy * size)
    left = (base[0] - uy * half / k, base[1] + ux * half)
    right = (base[0] + uy * half / k, base[1] - ux * half)
    shaft = [[y0, x0], [base[1], base[0]]]
    head = [[tip[1], tip[0]], [left[1], left[0]], [right[1], right[0]]]
    return shaft, head


class LabelPane(MacroElement):
    """A map pane for :class:`Labels`, above the areas but below every marker: a project cluster that
    lands on a county's name stays visible and clickable (the name shows around it)."""

    _template = Template("""
        {% macro script(this, kwargs) %}
        (function (map) {
            var pane = map.getPane('labels') || map.createPane('labels');
            pane.style.zIndex = 450;  // overlays 400 < labels < markers 600
            pane.style.pointerEvents = 'none';
        })({{ this._parent.get_name() }});
        // The poles' names sit at arrowheads that may run off the edge of a tight view: each name is
        // nudged back inside the map, and off its controls, after every move, zoom or resize.
        window.keepPoleLabelsInView = window.keepPoleLabelsInView || function (map) {
            if (!map || map._poleLabelsKept) return;
            map._poleLabelsKept = true;
            function keep() {
                var box = map.getContainer().getBoundingClientRect(), pad = 4;
                var controls = Array.prototype.map.call(map.getContainer().querySelectorAll('.leaflet-control'),
                    function (c) { return c.getBoundingClientRect(); });
                map.getContainer().querySelectorAll('.map-label.pole').forEach(function (el) {
                    el.style.transform = '';
                    var range = document.createRange();
                    range.selectNodeContents(el);
                    var r = range.getBoundingClientRect();
                    if (!r.width) return;
                    var dx = Math.min(0, box.right - pad - r.right) || Math.max(0, box.left + pad - r.left);
                    var dy = Math.min(0, box.bottom - pad - r.bottom) || Math.max(0, box.top + pad - r.top);
                    controls.forEach(function (c) {
                        var top = r.top + dy, bottom = r.bottom + dy;
                        if (r.left + dx < c.right && r.right + dx > c.left && top < c.bottom && bottom > c.top) {
                            dy += (c.top + c.bottom) / 2 < (box.top + box.bottom) / 2 ? c.bottom + pad - top
                                                                                     : c.top - pad - bottom;
                        }
                    });
                    el.style.transform = 'translate(' + dx + 'px,' + dy + 'px)';
                });
            }
            map.on('zoomend moveend resize overlayadd', keep);
            setTimeout(keep, 0);
        };
        {% endmacro %}
        """)

    def __init__(self):
        super().__init__()
        self._name = "LabelPane"


class ScaleBar(MacroElement):
    """A metric scale bar bottom right (bottom left it hid the south-west pole's name)."""

    _template = Template("""
        {% macro script(this, kwargs) %}
        L.control.scale({position: 'bottomright', imperial: false}).addTo({{ this._parent.get_name() }});
        {% endmacro %}
        """)

    def __init__(self):
        super().__init__()
        self._name = "ScaleBar"


class Labels(MacroElement):
    """Text labels (non-interactive ``divIcon`` markers) added to the parent layer, in one element, in
    the map's ``labels`` pane (:class:`LabelPane`, which the map must have).

    ``labels`` are ``(lat, lon, text, css class)``; the text is HTML-escaped here.
    """

    _template = Template("""
        {% macro script(this, kwargs) %}
        {{ this.labels|tojson }}.forEach(function (l) {
            var marker = L.marker([l[0], l[1]], {interactive: false, keyboard: false, pane: 'labels',
                icon: L.divIcon({html: '<div class="map-label ' + l[3] + '">' + l[2] + '</div>',
                                 iconSize: [160, 20], iconAnchor: [80, 10], className: 'map-label-icon'})});
            marker.on('add', function (e) { keepPoleLabelsInView(e.target._map); });
            marker.addTo({{ this._parent.get_name() }});
        });
        {% endmacro %}
        """)

    def __init__(self, labels: list[tuple[float, float, str, str]]):
        super().__init__()
        self._name = "Labels"
        self.labels = [
            [round(lat, DISPLAY_DECIMALS), round(lon, DISPLAY_DECIMALS), html_text(text), css]
            for lat, lon, text, css in labels
        ]


# --------------------------------------------------------------------------------------------
# Projects


def project_payload(projects: pd.DataFrame, *, lang: str = "zh", gcj: bool = False, color_by: str = "sector") -> dict:
    """Compact, escaped rows for :class:`ProjectLayer` from catalog rows that have a point.

    Each row is ``[lat, lon, sector#, precision#, name, sector, action, county, zones, poles, precision,
    quote, section, id, status]`` where text fields are indices into ``strings`` (every one escaped by
    :func:`layout.render.safe_html.html_text`).
    """
    strings: list[str] = []
    index: dict[str, int] = {}

    def s(value) -> int:
        text = "" if value is None or (isinstance(value, float) and math.isnan(value)) else str(value)
        text = html_text(text)
        if text not in index:
            index[text] = len(strings)
            strings.append(text)
        return index[text]

    # a marker's colour: its sector's, or its register status's (未填报 where there is no report)
    keys = (status_of(projects) if color_by == "status" else projects["sector"]).astype(str).tolist()
    colored = list(dict.fromkeys(keys))
    colors = [status_color(k) if color_by == "status" else SECTOR_COLORS.get(k, FALLBACK_COLOR) for k in colored]
    color_no = {x: i for i, x in enumerate(colored)}
    precisions = list(PRECISION_STYLES)
    styles = [{"name": p, **PRECISION_STYLES[p]} for p in precisions]
    lon, lat = display_lonlat(projects["lon"].to_numpy(float), projects["lat"].to_numpy(float), gcj=gcj)
    rows = []
    for i, rec in enumerate(projects.itertuples(index=False)):
        county = rec.county or ""
        computed = getattr(rec, "computed_county", None) or ""
        if computed and computed != county:
            county = f"{county}（{t('map.located_in', lang)}{computed}）" if county else computed
        precision = rec.precision if rec.precision in PRECISION_STYLES else "county"
        rows.append(
            [
                float(lat[i]),
                float(lon[i]),
                color_no[keys[i]],
                precisions.index(precision),
                s(rec.name if lang == "zh" or not getattr(rec, "name_en", "") else rec.name_en),
                s(rec.sector),
                s(rec.action),
                s(county),
                s(zone_names(rec.zones or (), lang)),
                s(zone_names(rec.poles or (), lang)),
                s(t(f"precision.{rec.precision}", lang)),
                s(rec.plan_quote),
                s(rec.plan_section),
                s(rec.id),
                s(t(f"status.{rec.status}", lang) if getattr(rec, "status", "") else ""),  # from the register
            ]
        )
    labels = {k: html_text(t(f"field.{k}", lang)) for k in ("county", "zones", "poles", "precision", "id", "status")}
    return {"strings": strings, "rows": rows, "colors": colors, "labels": labels, "styles": styles}


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
    layers = _layers(gcj)
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
    m.get_root().header.add_child(Element(css), name="map_css")
    LabelPane().add_to(m)
    ScaleBar().add_to(m)
    for tile in _tile_layers(basemap, tianditu_key):
        tile.add_to(m)

    # Surrounding prefectures; the three poles' targets shaded in the pole's colour.
    pole_color = {z.id: z.color for z in model.by_kind("pole")}
    neighbours = layers["neighbours"]
    fg = folium.FeatureGroup(name=t("layer.neighbours", lang), overlay=True, control=True)
    shapes = _geojson(gcj, lang)
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
        shaft, head = _arrow(line)
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
    m.view_bounds = _bounds(geom)
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
    within = shapely.union_all(_layers(False)["counties"].geometry.to_numpy()).buffer(0.15)  # 益阳 and its shore
    Labels([(lat, lon, text, "water") for lat, lon, text in water_labels(water, lang, within=within)]).add_to(fg)
    return fg


def _county_tip(name: str, name_en: str, area: float, lang: str) -> str:
    model = load_zone_model()
    zones = zone_names(model.zones_of(name), lang)
    poles = zone_names(model.poles_of(name), lang) or t("map.no_pole", lang)
    title = f"{name_en} ({name})" if lang == "en" else f"{name}"
    area_text = t("map.area", lang).format(area=area)
    return (
        f"<b>{html_text(title)}</b> · {html_text(area_text)}<br>"
        f"{html_text(t('field.zones', lang))}：{html_text(zones)}<br>"
        f"{html_text(t('field.poles', lang))}：{html_text(poles)}"
    )


def map_html_size(m: folium.Map) -> int:
    """Characters of the standalone HTML page of ``m`` (the size budget is measured this way)."""
    return len(m.get_root().render())
