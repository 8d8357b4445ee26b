"""The 实施评估 page on one server visited at several sizes in a real browser (Debian's chromium, Playwright)
over a demo register (issue 21).

The map must draw on every visit: visits at 1500×1100, 1366×768 and 1920×1080 in both languages each draw the
boundaries and projects and exactly one status legend. The cached map used to be handed to ``st_folium``,
which renames every element of the map it is given; the second visit then got a script naming variables that
no longer existed (a blank map) and the first visit's legend again, hidden, beside its own
(``ui.map_component``). At 1366×768, after those visits, the metrics fit and the status legend leaves the
scale bar and 未填报 in sight.
"""

from __future__ import annotations

import time
import urllib.parse

import pytest
from app_server import ARTIFACTS, CHROMIUM, MAP_FRAME, watch_page
from app_server import CHROMIUM_ARGS as ARGS
from test_evaluate_browser import server  # noqa: F401  (module scoped: one server for every visit in this file)

pytestmark = pytest.mark.skipif(
    not CHROMIUM.exists(), reason="needs Debian's chromium at /usr/bin/chromium (apt-get install chromium)"
)

SIZES = [(1500, 1100), (1366, 768), (1920, 1080)]
#: In the map frame: how many legends, how many of them are the status legend, how many drawn shapes.
DRAWN = """(body, title) => ({
  legends: body.querySelectorAll('.map-legend').length,
  status: [...body.querySelectorAll('.map-legend')].filter(e => e.textContent.includes(title)).length,
  shapes: body.querySelectorAll('path.leaflet-interactive').length,
  counties: body.querySelectorAll('path.county-shape').length,
})"""


def visit(browser, url: str, size: tuple[int, int], lang: str) -> tuple[dict | None, list[str], list[str]]:
    """One visit to the 实施评估 page at ``size``: what its map drew (None when it drew nothing in time)."""
    page = browser.new_page(viewport={"width": size[0], "height": size[1]}, locale="zh-CN")
    try:
        errors, foreign = watch_page(page, url)
        query = "?lang=en" if lang == "en" else ""
        page.goto(f"{url}/{urllib.parse.quote('实施评估')}{query}", wait_until="domcontentloaded")
        frame = page.frame_locator(MAP_FRAME)
        title = "项目状态" if lang == "zh" else "Project status"
        deadline, drawn = time.time() + 180, None
        while time.time() < deadline:
            time.sleep(1.0)
            if page.locator(MAP_FRAME).count():  # below the fold on a laptop: bring it into view to draw
                page.locator(MAP_FRAME).first.scroll_into_view_if_needed()
            if frame.locator("body").count():
                drawn = frame.locator("body").evaluate(DRAWN, title)
                if drawn["shapes"] > 95 and drawn["status"]:
                    time.sleep(1.0)  # a second look: a late duplicate legend would show now
                    drawn = frame.locator("body").evaluate(DRAWN, title)
                    break
        page.screenshot(path=str(ARTIFACTS / f"evaluation-revisit-{size[0]}-{lang}.png"))
        return drawn, errors, foreign
    finally:
        page.close()


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_map_draws_on_every_visit_at_every_size(server, lang):  # noqa: F811
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        try:
            for size in SIZES:
                drawn, errors, foreign = visit(browser, server, size, lang)
                assert drawn is not None, f"{size}: no map frame"
                # six counties, the zones and 95 located projects; one base legend and one status legend
                assert drawn["counties"] == 6, (size, drawn)
                assert drawn["shapes"] > 95, (size, drawn)
                assert drawn["status"] == 1, (size, drawn)
                assert drawn["legends"] == 2, (size, drawn)
                assert not errors, (size, errors)
                assert not foreign, (size, foreign)
        finally:
            browser.close()


#: The box of an element inside the map frame, and whether an element's text is cut by its own box.
BOX = "e => { const r = e.getBoundingClientRect(); return [r.left, r.top, r.right, r.bottom]; }"
CUT = "e => e.scrollWidth > e.clientWidth + 1"
#: In the map frame: the drawn status legend's box, its last row's box, the scale bar's and the page's box.
LEGEND = """(body, [title, last]) => {
  const box = e => { const r = e.getBoundingClientRect(); return [r.left, r.top, r.right, r.bottom]; };
  const legend = [...body.querySelectorAll('.map-legend')].find(e => e.textContent.includes(title));
  const scale = body.querySelector('.leaflet-control-scale');
  if (!legend || !scale || legend.getBoundingClientRect().height < 40) return null;
  const row = [...legend.querySelectorAll('div')].filter(d => d.textContent.includes(last)).pop();
  return {box: box(legend), row: box(row), scale: box(scale), body: box(body),
          scrolled: legend.scrollHeight > legend.clientHeight + 1};
}"""


def overlap(a: list[float], b: list[float]) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_metrics_and_status_legend_fit_at_1366x768(server, lang):  # noqa: F811
    """Issue 21: the metrics read "1,442,…" and the status legend covered the scale bar and hid 未填报."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        try:
            page = browser.new_page(viewport={"width": 1366, "height": 768}, locale="zh-CN")
            query = "?lang=en" if lang == "en" else ""
            page.goto(f"{server}/{urllib.parse.quote('实施评估')}{query}", wait_until="domcontentloaded")
            frame = page.frame_locator(MAP_FRAME)
            title, last_row = ("项目状态", "未填报") if lang == "zh" else ("Project status", "Not reported")
            deadline, found = time.time() + 180, None
            while time.time() < deadline and not found:
                time.sleep(1.0)
                if page.locator(MAP_FRAME).count():  # below the fold at 768 px: bring it into view to draw
                    page.locator(MAP_FRAME).first.scroll_into_view_if_needed()
                if frame.locator("body").count():
                    found = frame.locator("body").evaluate(LEGEND, [title, last_row])
            page.screenshot(path=str(ARTIFACTS / f"evaluation-1366-{lang}.png"))
            assert found, "no status legend drawn"
            values = page.locator('[data-testid="stMetricValue"]')
            assert values.count() == 6
            texts = [values.nth(i).inner_text() for i in range(6)]
            assert any(("亿元" if lang == "zh" else "bn yuan") in v for v in texts), texts
            cut = [v for i, v in enumerate(texts) if values.nth(i).evaluate(CUT)]
            for i in range(6):  # the value's own text box: no ellipsis, nothing hidden
                inner = values.nth(i).locator("div, p").last
                if inner.count() and inner.evaluate(CUT):
                    cut.append(texts[i])
            assert not cut, cut
            box, row, scale, body = found["box"], found["row"], found["scale"], found["body"]
            assert not overlap(box, scale), (box, scale)
            assert box[1] <= row[1] and row[3] <= box[3], (row, box)  # the 未填报 row is inside the legend's box
            assert not found["scrolled"]  # nothing scrolled out of sight
            assert body[0] <= box[0] and box[2] <= body[2] and body[1] <= box[1] and box[3] <= body[3]
        finally:
            browser.close()
