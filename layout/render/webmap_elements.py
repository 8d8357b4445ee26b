"""The Leaflet pieces of the explorer's map as folium/branca elements: the offline map, GeoJSON and
project layers that share their data, the view framing, legend, label pane, labels and scale bar, and
the map's CSS.
"""

from __future__ import annotations

import copy

import folium
from branca.element import MacroElement
from folium.map import Layer
from folium.template import Template

from layout.render import assets
from layout.render.safe_html import html_text
from layout.render.webmap_data import CLUSTER_OPTIONS, DISPLAY_DECIMALS


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
/* the folded legend button steps aside while a popup is open: it covered popup titles (issue 21) */
body:has(.leaflet-popup) .map-legend:has(> details:not([open])) { visibility: hidden; }
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
