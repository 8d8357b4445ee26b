"""A plan comparison (:mod:`layout.drafting.compare`) as files: an XLSX workbook, a short PPTX deck (what changes for
each county that changes) and an offline HTML page with a side-by-side and a swipe map.

A comparison involving a draft is marked 草案 in every file: the title, every sheet, every slide, the page and
both maps. The HTML carries Leaflet (XStatic-Leaflet) and leaflet-side-by-side (vendored from npm, MIT) inline:
it opens with no internet.
"""

from __future__ import annotations

import base64
import html
import io
import json
from pathlib import Path

import pandas as pd

from layout.drafting.compare import PlanComparison
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
HEADERS = {
    "county": "县市区",
    "old_zone": "原分区",
    "old_zone_name": "原分区名称",
    "new_zone": "新分区",
    "new_zone_name": "新分区名称",
    "change": "变化",
    "zone": "分区",
    "kind": "类型",
    "old_name": "原名称",
    "new_name": "新名称",
    "old_name_en": "原英文名",
    "new_name_en": "新英文名",
    "old_km2": "原面积(km²)",
    "new_km2": "新面积(km²)",
    "pole": "增长极",
    "name": "名称",
    "old_counties": "原县市区",
    "new_counties": "新县市区",
    "old_targets": "原对接方向",
    "new_targets": "新对接方向",
    "id": "编号",
    "status": "状态",
    "reason": "理由",
    "by": "编制人",
    "table": "表",
    "key": "指标",
    "old": "原目标",
    "new": "新目标",
    "changed": "是否变化",
}
SHEETS = (
    ("counties", "县市区调整"),
    ("zones", "分区增删改名"),
    ("areas", "分区面积"),
    ("poles", "增长极变化"),
    ("projects", "项目新增结转"),
    ("indicators", "指标目标对照"),
)


def draft_mark(comp: PlanComparison) -> str:
    """ "【草案】" when either plan is a draft (every file made from a draft says so), else ""."""
    return "【草案】" if comp.is_draft else ""


def title(comp: PlanComparison) -> str:
    return f"{draft_mark(comp)}规划对比：{comp.old.label} → {comp.new.label}"


def comparison_tables(comp: PlanComparison) -> list[tuple[str, pd.DataFrame]]:
    """The change tables with Chinese headers, in report order (sheet name, table)."""
    out = []
    for attr, name in SHEETS:
        frame = getattr(comp, attr).copy()
        if attr == "indicators":
            frame["changed"] = frame["changed"].map({True: "变化", False: "相同"})
        out.append((name, frame.rename(columns=HEADERS)))
    return out


def comparison_xlsx(comp: PlanComparison) -> bytes:
    """One sheet per change table; the first row of each sheet is the title (with 草案 when a draft)."""
    import xlsxwriter

    buf = io.BytesIO()
    wb = xlsxwriter.Workbook(buf, {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False})
    wb.set_properties({"title": title(comp), "author": "yiyang-layout"})
    bold = wb.add_format({"bold": True})
    mark = wb.add_format({"bold": True, "font_color": "#c00000"})
    summary = wb.add_worksheet("概要")
    summary.write(0, 0, title(comp), mark if comp.is_draft else bold)
    lines = [
        f"县市区调整 {len(comp.counties)} 个",
        f"分区增删改名 {len(comp.zones)} 个",
        f"增长极变化 {len(comp.poles)} 个",
        *(f"项目{k} {int((comp.projects['change'] == k).sum())} 个" for k in ("新增", "结转", "不结转")),
        f"原规划项目未作结转决定 {comp.undecided} 个（未列为不结转）",
        "草案内容均为编制人员录入，本工具不生成规划内容。" if comp.is_draft else "",
    ]
    for i, line in enumerate(filter(None, lines), 2):
        summary.write(i, 0, line)
    summary.set_column(0, 0, 60)
    for name, frame in comparison_tables(comp):
        ws = wb.add_worksheet(name)
        ws.write(0, 0, f"{title(comp)} · {name}", mark if comp.is_draft else bold)
        for c, head in enumerate(frame.columns):
            ws.write(2, c, head, bold)
            ws.set_column(c, c, 16 if c else 18)
        for r, row in enumerate(frame.itertuples(index=False), 3):
            for c, value in enumerate(row):
                if value is None or (isinstance(value, float) and pd.isna(value)):
                    continue
                ws.write(r, c, value)
        if frame.empty:
            ws.write(3, 0, "（无变化）")
    wb.close()
    return buf.getvalue()


def _county_lines(comp: PlanComparison, county: str) -> list[str]:
    lines = []
    for r in comp.counties[comp.counties["county"] == county].itertuples():
        lines.append(f"所属分区：{r.old_zone_name or '（无）'} → {r.new_zone_name or '（无）'}")
    for r in comp.poles.itertuples():
        was, now = county in r.old_counties.split("、"), county in r.new_counties.split("、")
        if was != now:
            lines.append(f"增长极 {r.name}：{'纳入' if now else '移出'}")
    new_model = load_zone_model(comp.new.zones)
    if county in new_model.counties:
        for zid in new_model.zones_of(county):
            row = comp.zones[comp.zones["zone"] == zid]
            if len(row) and row.iloc[0]["change"] in ("更名", "新增"):
                r = row.iloc[0]
                lines.append(f"所在分区{r['change']}：{r['old_name'] or '（新）'} → {r['new_name']}")
    for change in ("新增", "结转", "不结转"):
        rows = comp.projects[(comp.projects["change"] == change) & (comp.projects["county"] == county)]
        if len(rows):
            names = "、".join(
                f"{r.id} {r.name}" + (f"（{r.reason}）" if change == "不结转" and r.reason else "")
                for r in rows.itertuples()
            )
            lines.append(f"项目{change} {len(rows)} 个：{names}")
    return lines


def affected_counties(comp: PlanComparison) -> list[str]:
    """Counties something changes for, in the new model's order."""
    model = load_zone_model(comp.new.zones)
    names = list(dict.fromkeys([*model.counties, *load_zone_model(comp.old.zones).counties]))
    return [c for c in names if _county_lines(comp, c)]


def comparison_pptx(comp: PlanComparison) -> bytes:
    """A short deck: a title slide, the overview of changes, then one slide per county that changes."""
    from pptx import Presentation
    from pptx.dml.color import RGBColor
    from pptx.util import Inches, Pt

    prs = Presentation()
    prs.slide_width, prs.slide_height = Inches(10), Inches(5.625)
    prs.core_properties.title = title(comp)
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
            m.text = "草案"
            m.paragraphs[0].runs[0].font.color.rgb = RGBColor(0xC0, 0, 0)
            m.paragraphs[0].runs[0].font.bold = True

    slide(
        title(comp),
        [
            f"{comp.old.label}：{comp.old.title}",
            f"{comp.new.label}：{comp.new.title}",
            "草案内容均为编制人员录入，尚未批准。" if comp.is_draft else "",
        ],
    )
    overview = [f"{r.county}：{r.old_zone_name} → {r.new_zone_name}" for r in comp.counties.itertuples()]
    overview += [
        f"分区{r.change}：{r.old_name or '（新）'} → {r.new_name or '（删除）'}" for r in comp.zones.itertuples()
    ]
    overview += [
        f"增长极{r.change} {r.name}：{r.old_counties or '—'} → {r.new_counties or '—'}" for r in comp.poles.itertuples()
    ]
    overview += [f"项目{k} {int((comp.projects['change'] == k).sum())} 个" for k in ("新增", "结转", "不结转")]
    slide("变化一览", overview)
    for county in affected_counties(comp):
        slide(f"{county}：有哪些变化", _county_lines(comp, county))
    buf = io.BytesIO()
    prs.save(buf)
    return buf.getvalue()


def zone_geojson(zones_file: Path) -> dict:
    """Core and wing zones of a zone model as GeoJSON features dissolved from the display counties."""
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
        rows.append(
            {"zone": zone.id, "name": zone.name_zh, "color": zone.color, "counties": "、".join(names), "geometry": geom}
        )
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
    onEachFeature: (f, l) => l.bindTooltip(f.properties.name + '：' + f.properties.counties)}));
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


def comparison_html(comp: PlanComparison) -> str:
    """A self-contained page: title (草案 when a draft), swipe map, side-by-side maps, the change tables."""
    esc = html.escape
    old_label, new_label = esc(comp.old.label), esc(comp.new.label)
    tables = "".join(
        f"<h2>{esc(name)}</h2>"
        + (
            frame.to_html(index=False, na_rep="", escape=True, border=0, classes="changes")
            if len(frame)
            else "<p>（无变化）</p>"
        )
        for name, frame in comparison_tables(comp)
    )
    mark = (
        f'<div class="draft">{esc(draft_mark(comp))}草案内容均为编制人员录入，尚未批准</div>' if comp.is_draft else ""
    )
    script = _SCRIPT % {
        "old": json.dumps(zone_geojson(comp.old.zones), ensure_ascii=False),
        "new": json.dumps(zone_geojson(comp.new.zones), ensure_ascii=False),
    }
    return f"""<!DOCTYPE html>
<html lang="zh"><head><meta charset="utf-8"><title>{esc(title(comp))}</title>
<style>{_vendor_css()}
body{{font-family:sans-serif;margin:16px}} .maps{{display:flex;gap:8px}} .maps>div{{flex:1}}
#swipe,#map-old,#map-new{{height:420px;background:#f4f4f4}} .draft{{color:#c00000;font-weight:bold;font-size:18px}}
table.changes{{border-collapse:collapse}} table.changes td,table.changes th{{border:1px solid #ccc;padding:3px 6px}}
.maplabel{{font-weight:bold}}</style></head>
<body><h1>{esc(title(comp))}</h1>{mark}
<h2>卷帘对比（左：{old_label}，右：{new_label}）</h2><div id="swipe"></div>
<h2>并排对比</h2><div class="maps"><div><div class="maplabel">{old_label}</div><div id="map-old"></div></div>
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


def comparison_bytes(comp: PlanComparison, fmt: str) -> bytes:
    """The comparison as ``fmt`` (xlsx, pptx or html)."""
    fmt = fmt.lower()
    if fmt == "xlsx":
        return comparison_xlsx(comp)
    if fmt == "pptx":
        return comparison_pptx(comp)
    return comparison_html(comp).encode("utf-8")
