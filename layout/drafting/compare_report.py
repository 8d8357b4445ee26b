"""A plan comparison (:mod:`layout.drafting.compare`) as files: an XLSX workbook, a short PPTX deck (what changes for
each county that changes) and an offline HTML page with a side-by-side and a swipe map.

A comparison involving a draft is marked 草案 in every file: the title, every sheet, every slide, the page and
both maps. Every file is written in one language (``lang``: zh, en; :mod:`layout.drafting.compare_text`). The
HTML carries Leaflet (XStatic-Leaflet) and leaflet-side-by-side (vendored from npm, MIT) inline: it opens with no
internet.
"""

from __future__ import annotations

import base64
import html
import io
import json
from pathlib import Path

import pandas as pd

from layout.drafting.compare import PlanComparison
from layout.drafting.compare_text import (
    ComparisonNames,
    as_written_columns,
    change_word,
    comparison_tables,
    plan_label,
    report_text,
)
from layout.i18n import check_lang
from layout.plan.zones import load_zone_model

__all__ = [
    "FORMATS",
    "comparison_bytes",
    "comparison_html",
    "comparison_pptx",
    "comparison_tables",
    "comparison_xlsx",
    "draft_mark",
    "plan_map_html",
]

FORMATS = ("xlsx", "pptx", "html")
VENDOR = Path(__file__).with_name("vendor") / "leaflet-side-by-side"


def draft_mark(comp: PlanComparison, lang: str = "zh") -> str:
    """ "【草案】" ("[DRAFT] ") when either plan is a draft (every file made from a draft says so), else ""."""
    return report_text("mark", lang) if comp.is_draft else ""


def title(comp: PlanComparison, lang: str = "zh") -> str:
    old, new = plan_label(comp.old, lang), plan_label(comp.new, lang)
    return report_text("title", lang, mark=draft_mark(comp, lang), old=old, new=new)


def _counts(comp: PlanComparison, lang: str) -> list[str]:
    return [
        report_text("n_counties", lang, n=len(comp.counties)),
        report_text("n_zones", lang, n=len(comp.zones)),
        report_text("n_poles", lang, n=len(comp.poles)),
    ]


def _project_counts(comp: PlanComparison, lang: str) -> list[str]:
    return [
        report_text("n_projects", lang, change=change_word(k, lang), n=int((comp.projects["change"] == k).sum()))
        for k in ("新增", "结转", "不结转")
    ]


def comparison_xlsx(comp: PlanComparison, *, lang: str = "zh") -> bytes:
    """One sheet per change table; the first row of each sheet is the title (with 草案 when a draft)."""
    import xlsxwriter

    buf = io.BytesIO()
    wb = xlsxwriter.Workbook(buf, {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False})
    wb.set_properties({"title": title(comp, lang), "author": "yiyang-layout"})
    bold = wb.add_format({"bold": True})
    mark = wb.add_format({"bold": True, "font_color": "#c00000"})
    summary = wb.add_worksheet(report_text("summary", lang))
    summary.write(0, 0, title(comp, lang), mark if comp.is_draft else bold)
    lines = [
        *_counts(comp, lang),
        *_project_counts(comp, lang),
        report_text("undecided", lang, n=comp.undecided),
        report_text("draft_note", lang) if comp.is_draft else "",
    ]
    for i, line in enumerate(filter(None, lines), 2):
        summary.write(i, 0, line)
    summary.set_column(0, 0, 60)
    for name, frame in comparison_tables(comp, lang=lang):
        ws = wb.add_worksheet(name)
        ws.write(0, 0, f"{title(comp, lang)} · {name}", mark if comp.is_draft else bold)
        for c, head in enumerate(frame.columns):
            ws.write(2, c, head, bold)
            ws.set_column(c, c, 16 if c else 18)
        for r, row in enumerate(frame.itertuples(index=False), 3):
            for c, value in enumerate(row):
                if value is None or (isinstance(value, float) and pd.isna(value)):
                    continue
                ws.write(r, c, value)
        if frame.empty:
            ws.write(3, 0, report_text("none", lang))
    wb.close()
    return buf.getvalue()


def _county_lines(comp: PlanComparison, county: str, names: ComparisonNames) -> list[str]:
    """What changes for ``county``, one line per change, in ``names.lang``."""
    lang, lines = names.lang, []
    en = lang == "en"
    nothing = report_text("nothing", lang)
    for r in comp.counties[comp.counties["county"] == county].itertuples():
        old = names.zone(r.old_zone, names.old) if en else r.old_zone_name
        new = names.zone(r.new_zone, names.new) if en else r.new_zone_name
        lines.append(report_text("county_zone", lang, old=old or nothing, new=new or nothing))
    for r in comp.poles.itertuples():
        was, now = county in r.old_counties.split("、"), county in r.new_counties.split("、")
        if was != now:
            lines.append(report_text("pole_in" if now else "pole_out", lang, name=names.zone(r.pole) if en else r.name))
    new_model = names.new
    if county in new_model.counties:
        for zid in new_model.zones_of(county):
            row = comp.zones[comp.zones["zone"] == zid]
            if len(row) and row.iloc[0]["change"] in ("更名", "新增"):
                r = row.iloc[0]  # a renamed zone: its Chinese names are the change itself, shown as typed
                lines.append(
                    report_text(
                        "zone_changed",
                        lang,
                        change=change_word(r["change"], lang),
                        old=r["old_name"] or report_text("new_zone", lang),
                        new=r["new_name"],
                    )
                )
    sep = report_text("list_sep", lang)
    for change in ("新增", "结转", "不结转"):
        rows = comp.projects[(comp.projects["change"] == change) & (comp.projects["county"] == county)]
        if len(rows):
            listed = sep.join(
                f"{r.id} {r.name}"
                + ((f" ({r.reason})" if en else f"（{r.reason}）") if change == "不结转" and r.reason else "")
                for r in rows.itertuples()
            )
            lines.append(
                report_text("county_projects", lang, change=change_word(change, lang), n=len(rows), names=listed)
            )
    return lines


def affected_counties(comp: PlanComparison) -> list[str]:
    """Counties something changes for, in the new model's order."""
    names = ComparisonNames(comp, "zh")
    counties = list(dict.fromkeys([*names.new.counties, *names.old.counties]))
    return [c for c in counties if _county_lines(comp, c, names)]


def comparison_pptx(comp: PlanComparison, *, lang: str = "zh") -> bytes:
    """A short deck: a title slide, the overview of changes, then one slide per county that changes."""
    from pptx import Presentation
    from pptx.dml.color import RGBColor
    from pptx.util import Inches, Pt

    prs = Presentation()
    prs.slide_width, prs.slide_height = Inches(10), Inches(5.625)
    lang = check_lang(lang)
    names = ComparisonNames(comp, lang)
    prs.core_properties.title = title(comp, lang)
    blank = prs.slide_layouts[6]

    def slide(heading: str, lines: list[str]) -> None:
        s = prs.slides.add_slide(blank)
        box = s.shapes.add_textbox(Inches(0.5), Inches(0.3), Inches(9), Inches(0.8)).text_frame
        box.text = heading
        box.paragraphs[0].runs[0].font.size = Pt(24)
        box.paragraphs[0].runs[0].font.bold = True
        body = s.shapes.add_textbox(Inches(0.5), Inches(1.2), Inches(9), Inches(3.8)).text_frame
        body.word_wrap = True
        for i, line in enumerate(lines):
            p = body.paragraphs[0] if i == 0 else body.add_paragraph()
            p.text = line
            p.runs[0].font.size = Pt(14 if len(lines) < 9 else 11)
        if comp.is_draft:
            m = s.shapes.add_textbox(Inches(8.3), Inches(5.1), Inches(1.5), Inches(0.4)).text_frame
            m.text = report_text("draft", lang)
            m.paragraphs[0].runs[0].font.color.rgb = RGBColor(0xC0, 0, 0)
            m.paragraphs[0].runs[0].font.bold = True

    colon = ": " if lang == "en" else "："  # the plans' titles are their own words, in Chinese
    en = lang == "en"
    slide(
        title(comp, lang),
        [
            f"{plan_label(comp.old, lang)}{colon}{comp.old.title}",
            f"{plan_label(comp.new, lang)}{colon}{comp.new.title}",
            report_text("draft_unapproved", lang) if comp.is_draft else "",
        ],
    )
    overview = [
        report_text(
            "moved_line",
            lang,
            county=names.place(r.county),
            old=names.zone(r.old_zone, names.old) if en else r.old_zone_name,
            new=names.zone(r.new_zone, names.new) if en else r.new_zone_name,
        )
        for r in comp.counties.itertuples()
    ]
    overview += [
        report_text(
            "zone_line",
            lang,
            change=change_word(r.change, lang),
            old=r.old_name or report_text("new_zone", lang),
            new=r.new_name or report_text("removed", lang),
        )
        for r in comp.zones.itertuples()
    ]
    overview += [
        report_text(
            "pole_line",
            lang,
            change=change_word(r.change, lang),
            name=names.zone(r.pole) if en else r.name,
            old=names.places(r.old_counties) or "—",
            new=names.places(r.new_counties) or "—",
        )
        for r in comp.poles.itertuples()
    ]
    overview += _project_counts(comp, lang)
    slide(report_text("overview", lang), overview)
    for county in affected_counties(comp):
        slide(report_text("county_slide", lang, county=names.place(county)), _county_lines(comp, county, names))
    buf = io.BytesIO()
    prs.save(buf)
    return buf.getvalue()


def zone_geojson(zones_file: Path, lang: str = "zh") -> dict:
    """Core and wing zones of a zone model as GeoJSON features dissolved from the display counties (names in
    ``lang``: the model's English names when "en")."""
    import geopandas as gpd
    import shapely

    from layout.geo.boundaries import expand_counties, load_counties

    model = load_zone_model(zones_file)
    counties = load_counties(display=True)
    rows = []
    for zone in model.zones.values():
        if zone.kind == "pole":
            continue
        names = expand_counties(zone.counties, model, primary_only_of=zone.id)
        geom = shapely.union_all(counties.loc[counties["name"].isin(names), "geometry"].to_numpy())
        if check_lang(lang) == "en":
            name = zone.name_en or zone.id
            shown = ", ".join((model.counties[c].name_en if c in model.counties else "") or c for c in names)
        else:
            name, shown = zone.name_zh, "、".join(names)
        rows.append({"zone": zone.id, "name": name, "color": zone.color, "counties": shown, "geometry": geom})
    return json.loads(gpd.GeoDataFrame(rows, geometry="geometry", crs=4326).to_json())


def _vendor_js() -> str:
    from layout.render.assets import asset_source

    side = (VENDOR / "index.js").read_text(encoding="utf-8")
    # the npm file is a CommonJS module: give it Leaflet and swallow its CSS requires
    shim = (
        "(function(){var module={exports:{}};var require=function(m){return m==='leaflet'?window.L:{}};\n"
        f"{side}\n}})();"
    )
    return asset_source("leaflet").read_text(encoding="utf-8") + "\n" + shim


def _vendor_css() -> str:
    from layout.render.assets import asset_source

    icon = base64.b64encode((VENDOR / "range-icon.png").read_bytes()).decode()
    rng = (VENDOR / "range.css").read_text(encoding="utf-8").replace("range-icon.png", f"data:image/png;base64,{icon}")
    return "\n".join(
        [
            asset_source("leaflet_css").read_text(encoding="utf-8"),
            (VENDOR / "layout.css").read_text(encoding="utf-8"),
            rng,
        ]
    )


_SCRIPT = """
const OLD = %(old)s, NEW = %(new)s;
function layer(data, map, pane) {
  // leaflet-side-by-side clips a layer's container: vector layers get a pane of their own as container
  const opts = {};
  if (pane) { map.createPane(pane); opts.pane = pane; opts.renderer = L.svg({pane: pane}); }
  const l = L.geoJSON(data, Object.assign(opts, {
    style: f => ({color: '#333', weight: 1, fillColor: f.properties.color, fillOpacity: 0.55}),
    onEachFeature: (f, l) => l.bindTooltip(f.properties.name + %(colon)s + f.properties.counties)}));
  if (pane) l.getContainer = () => map.getPane(pane);
  return l;
}
const opts = {zoomSnap: 0.25, attributionControl: false};
const swipe = L.map('swipe', opts);
const left = layer(OLD, swipe, 'left').addTo(swipe), right = layer(NEW, swipe, 'right').addTo(swipe);
swipe.fitBounds(left.getBounds());
L.control.sideBySide(left, right).addTo(swipe);
const a = L.map('map-old', opts), b = L.map('map-new', opts);
layer(OLD, a).addTo(a); layer(NEW, b).addTo(b);
a.fitBounds(left.getBounds()); b.fitBounds(left.getBounds());
let syncing = false;
function follow(src, dst) { src.on('move', () => { if (syncing) return; syncing = true;
  dst.setView(src.getCenter(), src.getZoom(), {animate: false}); syncing = false; }); }
follow(a, b); follow(b, a);
"""


def _cell(value: object) -> str:
    return "" if value is None or (isinstance(value, float) and pd.isna(value)) else str(value)


def _table_html(frame: pd.DataFrame, quoted: set[str]) -> str:
    """A change table in an English page: cells of the ``quoted`` columns (words as planners or the plan wrote
    them) that hold Chinese are marked ``lang="zh"``, as a quotation in another language."""
    esc = html.escape
    head = "".join(f"<th>{esc(str(c))}</th>" for c in frame.columns)
    body = []
    for row in frame.itertuples(index=False):
        cells = []
        for column, value in zip(frame.columns, row, strict=True):
            text = _cell(value)
            zh = column in quoted and any("\u3400" <= ch <= "\u9fff" for ch in text)
            cells.append(f'<td lang="zh">{esc(text)}</td>' if zh else f"<td>{esc(text)}</td>")
        body.append(f"<tr>{''.join(cells)}</tr>")
    return f'<table class="changes"><thead><tr>{head}</tr></thead><tbody>{"".join(body)}</tbody></table>'


def comparison_html(comp: PlanComparison, *, lang: str = "zh") -> str:
    """A self-contained page: title (草案 when a draft), swipe map, side-by-side maps, the change tables."""
    esc = html.escape
    lang = check_lang(lang)
    old_label, new_label = esc(plan_label(comp.old, lang)), esc(plan_label(comp.new, lang))
    tables = "".join(
        f"<h2>{esc(name)}</h2>"
        + (
            (
                frame.to_html(index=False, na_rep="", escape=True, border=0, classes="changes")
                if lang == "zh"
                else _table_html(frame, as_written_columns(lang))
            )
            if len(frame)
            else f"<p>{esc(report_text('none', lang))}</p>"
        )
        for name, frame in comparison_tables(comp, lang=lang)
    )
    mark = (
        f'<div class="draft">{esc(draft_mark(comp, lang))}{esc(report_text("draft_line", lang))}</div>'
        if comp.is_draft
        else ""
    )
    script = _SCRIPT % {
        "old": json.dumps(zone_geojson(comp.old.zones, lang), ensure_ascii=False),
        "new": json.dumps(zone_geojson(comp.new.zones, lang), ensure_ascii=False),
        "colon": "': '" if lang == "en" else "'：'",
    }
    swipe = esc(report_text("swipe", lang, old=plan_label(comp.old, lang), new=plan_label(comp.new, lang)))
    side = esc(report_text("side", lang))
    return f"""<!DOCTYPE html>
<html lang="{lang}"><head><meta charset="utf-8"><title>{esc(title(comp, lang))}</title>
<style>{_vendor_css()}
body{{font-family:sans-serif;margin:16px}} .maps{{display:flex;gap:8px}} .maps>div{{flex:1}}
#swipe,#map-old,#map-new{{height:420px;background:#f4f4f4}} .draft{{color:#c00000;font-weight:bold;font-size:18px}}
table.changes{{border-collapse:collapse}} table.changes td,table.changes th{{border:1px solid #ccc;padding:3px 6px}}
.maplabel{{font-weight:bold}}</style></head>
<body><h1>{esc(title(comp, lang))}</h1>{mark}
<h2>{swipe}</h2><div id="swipe"></div>
<h2>{side}</h2><div class="maps"><div><div class="maplabel">{old_label}</div><div id="map-old"></div></div>
<div><div class="maplabel">{new_label}</div><div id="map-new"></div></div></div>
{tables}
<script>{_vendor_js()}</script><script>{script}</script></body></html>
"""


def plan_map_html(plan) -> str:
    """One plan's core and wing zones on an offline Leaflet map (a draft's with the 草案 line above it)."""
    from layout.render.assets import asset_source

    esc = html.escape
    data = json.dumps(zone_geojson(plan.zones), ensure_ascii=False)
    mark = (
        f'<div style="color:#c00000;font:bold 15px sans-serif">草案 · {esc(plan.name)} · 未经批准</div>'
        if plan.is_draft
        else ""
    )
    script = (
        "const D = " + data + "; const m = L.map('map', {zoomSnap: 0.25, attributionControl: false});"
        "const l = L.geoJSON(D, {style: f => ({color: '#333', weight: 1, fillColor: f.properties.color, "
        "fillOpacity: 0.55}), onEachFeature: (f, x) => x.bindTooltip(f.properties.name + '：' + "
        "f.properties.counties, {permanent: true, direction: 'center'})}).addTo(m); "
        "m.fitBounds(l.getBounds());"
    )
    return (
        f'<!DOCTYPE html><html lang="zh"><head><meta charset="utf-8"><style>'
        f"{asset_source('leaflet_css').read_text(encoding='utf-8')} #map{{height:440px;background:#f4f4f4}}"
        f'</style></head><body style="margin:0">{mark}<div id="map"></div>'
        f"<script>{asset_source('leaflet').read_text(encoding='utf-8')}</script><script>{script}</script>"
        "</body></html>"
    )


def comparison_bytes(comp: PlanComparison, fmt: str, *, lang: str = "zh") -> bytes:
    """The comparison as ``fmt`` (xlsx, pptx or html) in ``lang`` (zh, en)."""
    fmt = fmt.lower()
    if fmt == "xlsx":
        return comparison_xlsx(comp, lang=lang)
    if fmt == "pptx":
        return comparison_pptx(comp, lang=lang)
    return comparison_html(comp, lang=lang).encode("utf-8")
