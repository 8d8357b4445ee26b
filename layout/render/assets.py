"""Leaflet, MarkerCluster and jQuery served by the app itself, so maps draw with no internet.

The files come from the XStatic packages on PyPI (XStatic-Leaflet 1.9.3, XStatic-Leaflet-MarkerCluster,
XStatic-jQuery). :func:`ensure_static_assets` copies them into ``static/vendor/`` (gitignored), which
Streamlit serves at ``/app/static/vendor/...`` when ``[server] enableStaticServing = true``. Maps link
to those URLs (:data:`VENDOR_URL`); :func:`inline_assets` turns such a page into one self-contained
HTML file for use outside the app.
"""

from __future__ import annotations

import filecmp
import re
import shutil
from dataclasses import dataclass
from functools import cache
from importlib import import_module
from pathlib import Path

from layout.errors import LayoutError
from layout.settings import STATIC_DIR

__all__ = [
    "Asset",
    "CLUSTER_ASSETS",
    "MAP_ASSETS",
    "VENDOR_DIR",
    "VENDOR_URL",
    "asset",
    "asset_source",
    "ensure_static_assets",
    "inline_assets",
    "links",
    "package_dir",
]

VENDOR_DIR = STATIC_DIR / "vendor"
VENDOR_URL = "/app/static/vendor"


@dataclass(frozen=True)
class Asset:
    name: str  # the key folium uses in default_js / default_css
    package: str  # xstatic.pkg.<package>
    source: str  # path inside the package's data directory
    kind: str  # "js", "css" or "file" (images the CSS refers to)

    @property
    def target(self) -> str:
        """Path under ``static/vendor/``: ``<package>/<source>`` keeps relative CSS image links working."""
        return f"{self.package}/{self.source}"


ASSETS = (
    Asset("leaflet", "leaflet", "leaflet.js", "js"),
    Asset("jquery", "jquery", "jquery.min.js", "js"),
    Asset("leaflet_css", "leaflet", "leaflet.css", "css"),
    Asset("leaflet_layers_png", "leaflet", "images/layers.png", "file"),
    Asset("leaflet_layers_2x_png", "leaflet", "images/layers-2x.png", "file"),
    Asset("leaflet_marker_png", "leaflet", "images/marker-icon.png", "file"),
    Asset("leaflet_marker_2x_png", "leaflet", "images/marker-icon-2x.png", "file"),
    Asset("leaflet_shadow_png", "leaflet", "images/marker-shadow.png", "file"),
    Asset("markerclusterjs", "leaflet_markercluster", "leaflet.markercluster.js", "js"),
    Asset("markerclustercss", "leaflet_markercluster", "MarkerCluster.css", "css"),
    Asset("markerclusterdefaultcss", "leaflet_markercluster", "MarkerCluster.Default.css", "css"),
)
DISTRIBUTIONS = {
    "leaflet": "XStatic-Leaflet",
    "leaflet_markercluster": "XStatic-Leaflet-MarkerCluster",
    "jquery": "XStatic-jQuery",
}
#: Assets the base map needs (Leaflet; jQuery for folium's Popup) and those of the cluster plugin.
MAP_ASSETS = ("leaflet", "jquery", "leaflet_css")
CLUSTER_ASSETS = ("markerclusterjs", "markerclustercss", "markerclusterdefaultcss")


@cache
def package_dir(package: str) -> Path:
    """The data directory of ``xstatic.pkg.<package>``.

    Raises
    ------
    LayoutError
        When the XStatic package is not installed.
    """
    try:
        module = import_module(f"xstatic.pkg.{package}")
    except ImportError as exc:
        dist = DISTRIBUTIONS.get(package, f"xstatic.pkg.{package}")
        raise LayoutError(f"the offline map needs {dist}: pip install -e . (it is a dependency)") from exc
    return Path(module.BASE_DIR)


def asset(name: str) -> Asset:
    for item in ASSETS:
        if item.name == name:
            return item
    raise LayoutError(f"asset should be one of {', '.join(a.name for a in ASSETS)}, got {name!r}")


def asset_source(name: str) -> Path:
    """The installed file behind asset ``name``."""
    item = asset(name)
    return package_dir(item.package) / item.source


def links(names: tuple[str, ...], kind: str, *, base_url: str = VENDOR_URL) -> list[tuple[str, str]]:
    """``(name, url)`` pairs of the ``kind`` ("js" or "css") assets among ``names``, for folium."""
    return [(a.name, f"{base_url}/{a.target}") for n in names if (a := asset(n)).kind == kind]


def ensure_static_assets(directory: Path = VENDOR_DIR) -> list[Path]:
    """Copy every vendored file into ``directory`` unless an identical copy is there already.

    Idempotent and cheap on repeat calls (one ``stat`` per file); safe to call at every app start.
    Returns the files (re)written.
    """
    written = []
    for item in ASSETS:
        src, dst = asset_source(item.name), directory / item.target
        if dst.exists() and filecmp.cmp(src, dst, shallow=True):
            continue
        dst.parent.mkdir(parents=True, exist_ok=True)
        tmp = dst.with_name(dst.name + ".tmp")
        shutil.copyfile(src, tmp)
        tmp.replace(dst)  # atomic: a concurrent app start never serves half a file
        shutil.copystat(src, dst)
        written.append(dst)
    return written


_SCRIPT = re.compile(r'<script src="(?P<url>[^"]+)"></script>')
_STYLESHEET = re.compile(r'<link rel="stylesheet" href="(?P<url>[^"]+)"/>')


def inline_assets(html: str, *, base_url: str = VENDOR_URL) -> str:
    """``html`` with every vendored ``<script src>`` / stylesheet link replaced by the file's text.

    For a standalone page that must open with no server and no internet. CSS image references
    (layer-control icons) are left as they are: the map works without them.
    """
    by_url = {f"{base_url}/{a.target}": a for a in ASSETS if a.kind in ("js", "css")}

    def script(match: re.Match) -> str:
        item = by_url.get(match["url"])
        if item is None:
            return match[0]
        text = asset_source(item.name).read_text(encoding="utf-8").replace("</script", "<\\/script")
        return f"<script>{text}</script>"

    def style(match: re.Match) -> str:
        item = by_url.get(match["url"])
        if item is None:
            return match[0]
        return f"<style>{asset_source(item.name).read_text(encoding='utf-8')}</style>"

    return _STYLESHEET.sub(style, _SCRIPT.sub(script, html))
