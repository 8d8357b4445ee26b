"""Hostile text in every catalog and register text field, in a real browser (Debian's chromium, Playwright):
the explorer, 实施评估, the 项目台账 card and the offline HTML export run none of it and blank nothing.

Every payload that would run tries to fetch a URL containing ``pwned``; the test watches every request
(pages, iframes), dialogs and page errors, and also renders every tooltip's and popup's HTML into the page
the way Leaflet does (``innerHTML``), so markup that would run only on hover or click runs here too.
"""

from __future__ import annotations

import time
import urllib.parse

import pandas as pd
import pytest
from app_server import ARTIFACTS, CHROMIUM, MAP_FRAME, ROOT, running_app
from app_server import CHROMIUM_ARGS as ARGS

from layout.catalog.projects import load_catalog
from layout.register.events import Register

BEACON = "http://127.0.0.1:8629/pwned"  # nothing listens; the request is what counts
PAYLOADS = [
    f"<script>fetch('{BEACON}1')</script>",
    f"${{fetch('{BEACON}2')}}",
    f"`;fetch('{BEACON}3');`",
    f"\"'><img src=x onerror=\"fetch('{BEACON}4')\">",
    f"javascript:fetch('{BEACON}5')",
    f"</script><script>fetch('{BEACON}6')</script>",
    f"![t]({BEACON}7.png) [a](javascript:fetch('{BEACON}8'))",
    "a\\u{zz}\\`b ${x} `",  # a bad escape in a template literal is a syntax error: the map would blank
]
CATALOG_TEXT = ("name", "name_en", "action", "plan_quote", "plan_section")

pytestmark = pytest.mark.skipif(
    not CHROMIUM.exists(), reason="needs Debian's chromium at /usr/bin/chromium (apt-get install chromium)"
)

#: Renders every tooltip's and popup's content of every map in the frame, as Leaflet would on hover/click.
EXPAND_JS = """() => {
  var box = document.createElement('div'); document.body.appendChild(box); var n = 0;
  function show(content, layer) {
    if (typeof content === 'function') {  // a group's content function (GeoJson) takes each member
      try { content = content(layer); }
      catch (e) { if (layer.getLayers) { layer.getLayers().forEach(function (c) { show(content, c); }); } return; }
    }
    if (typeof content === 'string') { var d = document.createElement('div'); d.innerHTML = content;
                                       box.appendChild(d); n++; }
    else if (content && content.nodeType) { box.appendChild(content.cloneNode(true)); n++; }
  }
  function walk(layer) {
    if (layer.getPopup && layer.getPopup()) { show(layer.getPopup()._content, layer); }
    if (layer.getTooltip && layer.getTooltip()) { show(layer.getTooltip()._content, layer); }
    if (layer.getLayers) { layer.getLayers().forEach(walk); }
  }
  Object.keys(window).filter(function (k) { return k.indexOf('map_') === 0 && window[k] && window[k].eachLayer; })
    .forEach(function (k) { window[k].eachLayer(walk); });
  return n;
}"""


def hostile_catalog(tmp_path) -> tuple[pd.DataFrame, list[str]]:
    """The catalog with one payload in every text field of one located project per payload."""
    catalog = load_catalog()
    located = catalog.loc[catalog["lon"].notna()].head(len(PAYLOADS))
    ids = located["id"].tolist()
    raw = pd.read_csv(ROOT / "projects_catalog.csv", dtype=str, keep_default_na=False)
    for pid, payload in zip(ids, PAYLOADS, strict=True):
        for column in CATALOG_TEXT:
            raw.loc[raw["id"] == pid, column] = payload
    path = tmp_path / "hostile_catalog.csv"
    raw.to_csv(path, index=False, encoding="utf-8")
    return raw, ids


def fill_register(path, ids: list[str]) -> None:
    catalog = load_catalog()
    reg = Register(path, catalog=catalog)
    for pid, payload in zip(ids, PAYLOADS, strict=True):
        row = catalog.loc[catalog["id"] == pid].iloc[0]
        reg.record(
            pid,
            {
                "status": "suspended",
                "lead_unit": payload,
                "note": payload,
                "site": (float(row["lon"]), float(row["lat"])),
                "site_source": payload,
            },
            by=payload,
            source=payload,
        )


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("hostile")
    _, ids = hostile_catalog(tmp)
    fill_register(tmp / "register.sqlite", ids)
    env = {
        "LAYOUT_REGISTER": str(tmp / "register.sqlite"),
        "LAYOUT_CATALOG": str(tmp / "hostile_catalog.csv"),
        "LAYOUT_EDITOR_KEY": None,
    }
    try:
        with running_app(env, log=ARTIFACTS / "streamlit-hostile.log") as (url, _):
            yield url, ids, tmp
    except RuntimeError as exc:
        pytest.fail(str(exc))


class Watch:
    """Requests to the beacon, dialogs and page errors of one page (and its frames)."""

    def __init__(self, page):
        self.beacons: list[str] = []
        self.errors: list[str] = []
        page.on("request", lambda r: self.beacons.append(r.url) if "pwned" in r.url else None)
        page.on("dialog", lambda d: (self.beacons.append(f"dialog: {d.message}"), d.dismiss()))
        page.on("pageerror", lambda e: self.errors.append(str(e)))

    def check(self):
        time.sleep(1.0)  # a fetch started by a handler shows up a moment later
        assert not self.beacons, self.beacons
        assert not self.errors, self.errors


def expand_map(frame) -> int:
    return frame.evaluate(EXPAND_JS)


def map_frame(page):
    page.locator(MAP_FRAME).first.wait_for(timeout=120_000)
    return page.frame_locator(MAP_FRAME).first


def inner_frame(page):
    """The map iframe's Frame (to run the expansion script in it)."""
    handle = page.locator(MAP_FRAME).first.element_handle()
    return handle.content_frame()


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        try:
            yield b
        finally:
            b.close()


def test_explorer_runs_no_catalog_or_register_text(server, browser):
    url, ids, _ = server
    page = browser.new_page(viewport={"width": 1500, "height": 1100}, locale="zh-CN")
    watch = Watch(page)
    page.goto(url, wait_until="domcontentloaded")
    frame = map_frame(page)
    frame.locator("path.leaflet-interactive").first.wait_for(state="attached", timeout=120_000)
    time.sleep(2.0)
    assert expand_map(inner_frame(page)) > len(PAYLOADS)  # every project's tooltip and popup rendered
    assert frame.locator(".map-legend").count() == 1  # the map did not blank
    page.screenshot(path=str(ARTIFACTS / "hostile-explorer.png"))
    watch.check()
    page.close()


def test_evaluation_map_runs_no_lead_unit(server, browser):
    url, ids, _ = server
    page = browser.new_page(viewport={"width": 1500, "height": 1100}, locale="zh-CN")
    watch = Watch(page)
    page.goto(f"{url}/{urllib.parse.quote('实施评估')}", wait_until="domcontentloaded")
    frame = map_frame(page)
    frame.locator(".map-legend", has_text="项目状态").wait_for(timeout=180_000)
    time.sleep(2.0)
    assert frame.locator("path.leaflet-interactive").count() > 95  # every project drawn: nothing blanked
    inner = inner_frame(page)
    assert expand_map(inner) > 95
    tips = inner.evaluate("() => document.body.innerText")
    assert PAYLOADS[1] in tips and PAYLOADS[2] in tips  # the 责任单位 shows as the text it is
    page.screenshot(path=str(ARTIFACTS / "hostile-evaluation.png"))
    watch.check()
    page.close()


def test_register_card_shows_markdown_and_html_as_text(server, browser):
    url, ids, _ = server
    page = browser.new_page(viewport={"width": 1500, "height": 1400}, locale="zh-CN")
    watch = Watch(page)
    page.goto(f"{url}/{urllib.parse.quote('项目台账')}", wait_until="domcontentloaded")
    page.get_by_role("tab", name="项目卡片与编辑").click()
    main = page.locator('[data-testid="stMain"]')
    for pid, payload in zip(ids, PAYLOADS, strict=True):
        main.locator('[data-testid="stSelectbox"]').first.click()
        page.keyboard.type(pid)
        page.keyboard.press("Enter")
        main.get_by_text(f"{pid} ·").first.wait_for(timeout=60_000)
        time.sleep(1.0)
        text = main.inner_text()
        assert payload[:12] in text, (pid, payload)  # the note, 责任单位 and 坐标来源 shown as typed
        assert main.locator('[data-testid="stMarkdown"] img').count() == 0  # no image fetched from a note
        hrefs = main.locator('[data-testid="stMarkdown"] a').evaluate_all("els => els.map(e => e.href)")
        assert not [h for h in hrefs if "pwned" in h or h.startswith("javascript")], hrefs  # no link from a note
    page.screenshot(path=str(ARTIFACTS / "hostile-card.png"))
    watch.check()
    page.close()


def test_offline_html_export_runs_no_text(server, browser, tmp_path):
    from layout.catalog.projects import load_catalog as load
    from layout.register.overlay import overlay_register
    from layout.render.export import map_html

    _, ids, tmp = server
    catalog = overlay_register(load(tmp / "hostile_catalog.csv"), Register(tmp / "register.sqlite").state())
    path = tmp_path / "map.html"
    path.write_text(map_html("city", catalog=catalog), encoding="utf-8")
    page = browser.new_page(viewport={"width": 1400, "height": 1000}, locale="zh-CN")
    watch = Watch(page)
    page.goto(path.as_uri(), wait_until="load")
    page.locator("path.leaflet-interactive").first.wait_for(state="attached", timeout=60_000)
    assert expand_map(page.main_frame) > len(PAYLOADS)
    text = page.evaluate("() => document.body.innerText")
    assert PAYLOADS[0] in text and PAYLOADS[3] in text
    watch.check()
    page.close()
