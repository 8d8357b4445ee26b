"""Files for presenting the layout with no internet: print maps (PNG/PDF), a self-contained HTML map
and county briefing decks (PPTX).

:func:`export_bytes` returns a file's bytes (the app's download buttons call it); :func:`export_file`
writes one atomically; :func:`export_county_decks` writes the six county decks. Scopes are ``city``,
``zone:<id>`` and ``county:<name>`` (:func:`layout.render.scopes.valid_scopes`).
"""

from __future__ import annotations

import base64
import datetime as dt
import io
import re
from collections.abc import Callable, Iterator
from pathlib import Path

import pandas as pd

from layout.catalog.projects import SECTOR_NAMES, load_catalog
from layout.errors import InputError
from layout.plan.text import PLAN_TITLE
from layout.plan.zones import POLYGON_COUNTIES
from layout.render.palette import SECTOR_COLORS
from layout.render.printmap import draw_map
from layout.render.printmap_plan import PAGE_SIZE, PRINT_DPI
from layout.render.scopes import Scope, parse_scope, scope_label, scope_mask, scope_title

__all__ = [
    "DECK_COUNTIES",
    "DECK_MAP_SIZE",
    "FORMATS",
    "MEDIA_TYPES",
    "check_deck_county",
    "check_format",
    "deck_bytes",
    "default_filename",
    "export_bytes",
    "export_county_decks",
    "export_file",
    "figure_bytes",
    "iter_county_decks",
    "map_figure",
    "map_html",
]

FORMATS = ("png", "pdf", "html", "pptx")
MEDIA_TYPES = {
    "png": "image/png",
    "pdf": "application/pdf",
    "html": "text/html",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
}
#: The counties that get a briefing deck (大通湖区's projects are a section of the 南县 and 沅江市 decks).
DECK_COUNTIES = POLYGON_COUNTIES
DECK_MAP_SIZE = (7.45, 5.55)  # inches: drawn at the size it has on the slide, so its text reads at 8 pt+
DECK_MAP_DPI = 200  # sharp on a projector, a fraction of the print size
_CSS_IMAGE = re.compile(r"url\((?P<q>['\"]?)images/(?P<name>[\w.-]+\.png)(?P=q)\)")


# --------------------------------------------------------------------------------------------
# Inputs


def check_format(fmt: str) -> str:
    fmt = (fmt or "").lower().lstrip(".")
    if fmt not in FORMATS:
        raise InputError(
            f"format should be one of {', '.join(FORMATS)}, got {fmt!r}",
            code="format_bad",
            valid=", ".join(FORMATS),
            got=str(fmt),
        )
    return fmt


def default_filename(scope: Scope | str, fmt: str, *, lang: str = "zh") -> str:
    """A file name for a download: ``益阳市_一核两翼三极.png``, ``安化县_简报.pptx``, …"""
    scope = parse_scope(scope)
    label = scope_label(scope, lang).replace("·", "_").replace(" ", "_").replace(":", "")
    kind = {"pptx": "简报" if lang == "zh" else "briefing"}.get(fmt, "一核两翼三极" if lang == "zh" else "layout")
    return f"{label}_{kind}.{check_format(fmt)}"


# --------------------------------------------------------------------------------------------
# Static maps


def map_figure(
    scope: Scope | str,
    *,
    lang: str = "zh",
    catalog: pd.DataFrame | None = None,
    figsize: tuple[float, float] = PAGE_SIZE,
):
    """The static map of ``scope`` (a matplotlib Figure) over ``catalog`` (default: the catalog)."""
    catalog = load_catalog() if catalog is None else catalog
    return draw_map(scope, catalog, lang=lang, figsize=figsize, sectors=SECTOR_NAMES, colors=SECTOR_COLORS)


def figure_bytes(fig, fmt: str, *, dpi: int = PRINT_DPI) -> bytes:
    """``fig`` as PNG (at ``dpi``, with the dpi in the file) or PDF (vector, fonts embedded)."""
    import matplotlib

    from layout.render.fonts import RENDER_LOCK, font_rc

    buf = io.BytesIO()
    metadata = {"Title": fig.texts[0].get_text() if fig.texts else PLAN_TITLE}
    if fmt == "pdf":
        metadata |= {"Subject": PLAN_TITLE, "Creator": "yiyang-layout"}
    else:
        metadata = {"Title": metadata["Title"], "Source": PLAN_TITLE, "Software": "yiyang-layout (matplotlib)"}
    with RENDER_LOCK, matplotlib.rc_context(font_rc()):
        fig.savefig(buf, format=fmt, dpi=dpi, metadata=metadata)
    return buf.getvalue()


# --------------------------------------------------------------------------------------------
# Self-contained HTML


def _inline_css_images(page: str) -> str:
    """Leaflet's CSS images (layer-control icon, …) as data URIs, so nothing is fetched from disk."""
    from layout.render.assets import package_dir

    folder = package_dir("leaflet") / "images"

    def data_uri(match: re.Match) -> str:
        path = folder / match["name"]
        if not path.exists():
            return match[0]
        return f"url(data:image/png;base64,{base64.b64encode(path.read_bytes()).decode('ascii')})"

    return _CSS_IMAGE.sub(data_uri, page)


def map_html(scope: Scope | str, *, lang: str = "zh", catalog: pd.DataFrame | None = None, heading: bool = True) -> str:
    """One HTML page with the interactive map of ``scope``: every script and stylesheet inlined, so it
    opens from a USB stick with no network (no basemap tiles: the offline vector base).

    With ``heading`` a box in the top left names the scope, the sources and the date."""
    from branca.element import Element, Figure

    from layout.render.assets import inline_assets
    from layout.render.safe_html import html_text
    from layout.render.webmap import build_map

    scope = parse_scope(scope)
    catalog = load_catalog() if catalog is None else catalog
    projects = catalog.loc[scope_mask(catalog, scope)]
    m = build_map(projects, lang=lang, basemap="none", focus="" if scope.kind == "city" else str(scope))
    title = html_text(f"{scope_title(scope, lang)} · {PLAN_TITLE}")
    root = m.get_root()
    assert isinstance(root, Figure)  # a folium map sits in a Figure (branca types get_root as Element)
    root.header.add_child(Element(f"<title>{title}</title>"), name="page_title")
    if heading:
        _add_heading(m, scope, lang)
    return _inline_css_images(inline_assets(root.render()))


def _add_heading(m, scope: Scope, lang: str) -> None:
    from branca.element import Element

    from layout.render.safe_html import html_text

    made = dt.date.today().isoformat()
    source = (
        "边界：高德地图行政区划（cnmaps）；规划：" if lang == "zh" else "Boundaries: AMap via cnmaps; plan: "
    ) + PLAN_TITLE
    m.get_root().html.add_child(
        Element(
            '<div style="position:fixed;top:10px;left:54px;z-index:900;background:rgba(255,255,255,.92);'
            "padding:6px 12px;border-radius:4px;box-shadow:0 1px 4px rgba(0,0,0,.3);font:600 16px/1.4 "
            "'Noto Sans CJK SC','Microsoft YaHei',sans-serif\">"
            f'{html_text(scope_title(scope, lang))}<div style="font-weight:400;font-size:11px;color:#666">'
            f"{html_text(source)} · {made}</div></div>"
        ),
        name="page_heading",
    )


# --------------------------------------------------------------------------------------------
# Decks


def check_deck_county(scope: Scope) -> str:
    if scope.kind != "county" or scope.key not in DECK_COUNTIES:
        counties = ", ".join(f"county:{c}" for c in DECK_COUNTIES)
        hint = " (大通湖区's projects are a section of the 南县 and 沅江市 decks)" if scope.key == "大通湖区" else ""
        raise InputError(
            f"a pptx briefing is made per county: scope should be one of {counties}, got {str(scope)!r}{hint}",
            code="deck_county_datong" if hint else "deck_county",
            valid=counties,
            got=str(scope),
        )
    return scope.key


def deck_bytes(county: str, *, lang: str = "zh", catalog: pd.DataFrame | None = None) -> bytes:
    """The briefing deck of ``county`` as PPTX bytes."""
    from layout.render.deck import build_deck

    catalog = load_catalog() if catalog is None else catalog
    fig = draw_map(
        f"county:{county}",
        catalog,
        lang=lang,
        figsize=DECK_MAP_SIZE,
        titles=False,
        sectors=SECTOR_NAMES,
        colors=SECTOR_COLORS,
    )
    image = figure_bytes(fig, "png", dpi=DECK_MAP_DPI)
    prs = build_deck(county, catalog, map_png=image, lang=lang, sectors=SECTOR_NAMES)
    buf = io.BytesIO()
    prs.save(buf)
    return buf.getvalue()


# --------------------------------------------------------------------------------------------
# Entry points


def export_bytes(
    scope: Scope | str, fmt: str, *, lang: str = "zh", catalog: pd.DataFrame | None = None, dpi: int = PRINT_DPI
) -> bytes:
    """The file for ``scope`` in ``fmt`` as bytes.

    Parameters
    ----------
    scope
        ``city``, ``zone:<id>`` or ``county:<name>``; ``pptx`` needs one of the six counties.
    fmt
        ``png`` (print size, 300 dpi), ``pdf``, ``html`` (self-contained) or ``pptx`` (briefing deck).
    lang
        ``zh`` (default) or ``en``.
    catalog
        The project catalog (default: :func:`layout.catalog.projects.load_catalog`).

    Raises
    ------
    InputError
        For an unknown scope or format, or a pptx scope that is not a county.
    """
    scope, fmt = parse_scope(scope), check_format(fmt)
    if fmt == "pptx":
        return deck_bytes(check_deck_county(scope), lang=lang, catalog=catalog)
    if fmt == "html":
        return map_html(scope, lang=lang, catalog=catalog).encode("utf-8")
    return figure_bytes(map_figure(scope, lang=lang, catalog=catalog), fmt, dpi=dpi)


def export_file(
    scope: Scope | str, fmt: str, path: str | Path, *, lang: str = "zh", catalog: pd.DataFrame | None = None
) -> Path:
    """Write the file for ``scope`` in ``fmt`` to ``path`` (atomically; the directory is created)."""
    from layout.tables.files import atomic_write

    data = export_bytes(scope, fmt, lang=lang, catalog=catalog)

    def write(tmp: Path) -> None:
        tmp.write_bytes(data)

    return atomic_write(path, write, backup=False)


def export_county_decks(
    directory: str | Path,
    *,
    lang: str = "zh",
    catalog: pd.DataFrame | None = None,
    on_done: Callable[[Path], None] | None = None,
) -> list[Path]:
    """Write the six county decks into ``directory``; ``on_done(path)`` after each (for a progress bar)."""
    return list(iter_county_decks(directory, lang=lang, catalog=catalog, on_done=on_done))


def iter_county_decks(
    directory: str | Path,
    *,
    lang: str = "zh",
    catalog: pd.DataFrame | None = None,
    on_done: Callable[[Path], None] | None = None,
) -> Iterator[Path]:
    catalog = load_catalog() if catalog is None else catalog
    for county in DECK_COUNTIES:
        path = export_file(
            f"county:{county}",
            "pptx",
            Path(directory) / default_filename(f"county:{county}", "pptx", lang=lang),
            lang=lang,
            catalog=catalog,
        )
        if on_done:
            on_done(path)
        yield path
