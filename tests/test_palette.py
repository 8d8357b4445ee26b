"""One palette: the web map, the app's chart, the print map and the decks use the same colours."""

from __future__ import annotations

import io
import re
import tomllib
from pathlib import Path

from pptx import Presentation

from layout.catalog.projects import SECTOR_NAMES
from layout.render.export import deck_bytes
from layout.render.palette import (
    FALLBACK_COLOR,
    SECTOR_COLORS,
    STATUS_COLORS,
    hex_to_rgb,
    sector_color,
    status_color,
    zone_colors,
)
from layout.render.printmap_plan import plan_map
from layout.render.webmap import build_map
from layout.render.webmap_data import project_payload

HEX = re.compile(r"^#[0-9a-f]{6}$")
ROOT = Path(__file__).resolve().parent.parent


def test_the_palette_covers_every_sector_status_and_zone_once():
    assert list(SECTOR_COLORS) == SECTOR_NAMES  # the plan's 3+4+5 order
    assert list(STATUS_COLORS) == ["未启动", "前期工作", "在建", "已建成", "已运营", "暂停", "取消", "未填报"]
    for colors in (SECTOR_COLORS, STATUS_COLORS):
        assert all(HEX.match(c) for c in colors.values())
        assert len(set(colors.values())) == len(colors)  # no two share a colour
    with (ROOT / "layout" / "plan" / "zones.toml").open("rb") as f:  # the file itself, not the zone model
        declared = {zone_id: table["color"] for zone_id, table in tomllib.load(f)["zones"].items()}
    assert zone_colors() == declared and declared["core"] == "#d7301f"
    assert all(HEX.match(c) for c in declared.values())
    assert sector_color("不存在的行业") == FALLBACK_COLOR and status_color("") == STATUS_COLORS["未填报"]
    from layout.register.vocabulary import STATUSES

    assert set(STATUS_COLORS) == {*STATUSES.values(), "未填报"}  # every status the register records
    assert status_color("building") == status_color("在建") == STATUS_COLORS["在建"]
    assert hex_to_rgb("#ff7f0e") == (255, 127, 14)


def test_web_map_markers_and_legend_use_the_palette(catalog):
    points = catalog[catalog["lon"].notna()]
    payload = project_payload(points)
    sectors = list(dict.fromkeys(points["sector"].astype(str)))
    assert payload["colors"] == [SECTOR_COLORS[s] for s in sectors]
    html = build_map(points).get_root().render()
    for sector in sectors:
        assert f"background:{SECTOR_COLORS[sector]}" in html  # the legend's dot
    for zone_id, color in zone_colors().items():
        assert color in html, zone_id


def test_print_map_uses_the_palette_by_default(catalog):
    plan = plan_map("city", catalog, aspect=1.4, map_width_in=8.0)
    assert len(plan.points)
    assert (plan.points["color"] == plan.points["sector"].map(SECTOR_COLORS)).all()


def test_deck_chart_bars_use_the_palette(catalog):
    prs = Presentation(io.BytesIO(deck_bytes("安化县", catalog=catalog)))
    chart = next(s.chart for slide in prs.slides for s in slide.shapes if s.name == "sector_chart")
    order = list(reversed(SECTOR_NAMES))  # bottom-up
    fills = [str(p.format.fill.fore_color.rgb).lower() for p in chart.plots[0].series[0].points]
    assert fills == [SECTOR_COLORS[s].lstrip("#") for s in order]


def test_evaluation_outputs_use_the_same_status_palette(tmp_path, catalog):
    """The evaluation's web map, status print map (PDF page) and deck read their colours from layout.render.palette."""
    import datetime as dt

    import matplotlib
    from matplotlib.colors import to_hex

    from layout.evaluation.figures import STATUS_ORDER, status_label
    from layout.evaluation.files import report_bytes
    from layout.evaluation.map import status_map
    from layout.evaluation.report import make_report
    from layout.evaluation.status_map import status_map_figure
    from layout.register.events import Register
    from layout.render.fonts import font_rc

    reg = Register(tmp_path / "register.sqlite", catalog=catalog)
    located = catalog.loc[catalog["lon"].notna(), "id"].astype(str).to_list()
    statuses = ["not_started", "preparing", "building", "completed", "operating", "suspended", "cancelled"]
    reg.record_many(
        [(pid, {"status": s}) for pid, s in zip(located, statuses, strict=False)], by="测试", as_of=dt.date(2024, 6, 30)
    )
    report = make_report(reg, catalog, scope="city", as_of=dt.date(2024, 12, 31))
    wanted = {s: status_color(s) for s in STATUS_ORDER}
    html = status_map(report.evaluation.projects).get_root().render()
    for color in wanted.values():
        assert f"background:{color}" in html  # the legend's dots
    with matplotlib.rc_context(font_rc()):
        fig = status_map_figure(report)
    faces = {to_hex(c) for ax in fig.axes for coll in ax.collections for c in coll.get_facecolors()}
    assert {wanted[s] for s in statuses + ["unreported"]} <= faces
    prs = Presentation(io.BytesIO(report_bytes(report, "pptx")))
    shape = next(s for slide in prs.slides for s in slide.shapes if s.name == "statuses")
    runs = [r for p in shape.text_frame.paragraphs for r in p.runs]
    dots = {runs[i + 1].text.split("\u3000")[0]: f"#{runs[i].font.color.rgb}".lower() for i in range(0, len(runs), 2)}
    assert dots == {status_label(s): wanted[s] for s in STATUS_ORDER}


def test_explorer_status_colours_and_evaluation_page_chart_use_the_palette(tmp_path, catalog, monkeypatch):
    import datetime as dt
    import json

    from streamlit.testing.v1 import AppTest

    from layout.evaluation.figures import STATUS_ORDER, status_label
    from layout.register.events import Register
    from layout.register.overlay import overlay_register

    reg = Register(tmp_path / "register.sqlite", catalog=catalog)
    located = catalog.loc[catalog["lon"].notna(), "id"].astype(str).to_list()
    reg.record_many(
        [(located[0], {"status": "building"}), (located[1], {"status": "suspended"})],
        by="测试",
        as_of=dt.date(2024, 6, 30),
    )
    # the explorer coloured by status: its markers take layout.render.palette's status colours
    shown = overlay_register(catalog, reg.state()).loc[lambda d: d["lon"].notna()]
    payload = project_payload(shown, color_by="status")
    assert {status_color("building"), status_color("suspended"), status_color("unreported")} <= set(payload["colors"])
    # the 实施评估 page's stacked bars: the chart's colour scale is the palette, in status order
    monkeypatch.setenv("LAYOUT_REGISTER", str(reg.path))
    from pathlib import Path

    at = AppTest.from_file(str(Path(__file__).resolve().parent.parent / "pages" / "4_实施评估.py"), default_timeout=120)
    at.run()
    assert not at.exception
    chart = at.get("vega_lite_chart")[0]  # the first stacked-bar chart (by zone)
    spec = json.loads(chart.proto.spec)
    scale = spec["encoding"]["color"]["scale"]
    assert scale["domain"] == [status_label(s) for s in STATUS_ORDER]
    assert scale["range"] == [status_color(s) for s in STATUS_ORDER]
