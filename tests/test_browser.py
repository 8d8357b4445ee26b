"""The running app in a real browser: Debian's chromium, headless, driven by Playwright.

Starts ``streamlit run app.py`` on a free port, waits for Leaflet to draw inside the component's iframe,
reads a popup, changes a filter, saves screenshots, and fails if the page fetched anything (scripts,
stylesheets, fonts included) from a host other than the app's own.
"""

from __future__ import annotations

import re
import threading
import time
from pathlib import Path
from urllib.parse import urlparse

import pytest
from app_server import ARTIFACTS, CHROMIUM, MAP_FRAME, running_app, watch_page
from app_server import CHROMIUM_ARGS as ARGS
from hostile_files import far_cell_workbook, zip_bomb_workbook

pytestmark = pytest.mark.skipif(
    not CHROMIUM.exists(), reason="needs Debian's chromium at /usr/bin/chromium (apt-get install chromium)"
)


@pytest.fixture(scope="module")
def app():
    """The running app's URL and the server's process id."""
    try:
        with running_app(log=ARTIFACTS / "streamlit.log") as running:
            yield running
    except RuntimeError as exc:
        pytest.fail(str(exc))


@pytest.fixture(scope="module")
def server(app):
    return app[0]


def shown_projects(frame) -> int:
    """Project markers drawn, counting each cluster as the number it shows."""
    singles = frame.locator("path.project-marker").count()
    clusters = sum(int(t) for t in frame.locator(".marker-cluster span").all_inner_texts() if t.strip().isdigit())
    return singles + clusters


def metric(page, label: str) -> int:
    box = page.locator('[data-testid="stMetric"]', has_text=label)
    return int(box.locator('[data-testid="stMetricValue"]').inner_text().split("/")[0].strip().replace(",", ""))


def wait_for(predicate, timeout: float = 30.0, what: str = "condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.25)
    raise AssertionError(f"timed out waiting for {what}")


def test_the_map_draws_offline_and_answers(server):
    from playwright.sync_api import sync_playwright

    kinds: set[str] = set()
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        try:
            page = browser.new_page(viewport={"width": 1500, "height": 1100}, locale="zh-CN")
            errors, foreign = watch_page(page, server, kinds=kinds)
            page.goto(server, wait_until="domcontentloaded")

            frame = page.frame_locator(MAP_FRAME)
            frame.locator("path.leaflet-interactive").first.wait_for(state="attached", timeout=60_000)
            expected = wait_for(
                lambda: page.locator('[data-testid="stMetric"]').count() and metric(page, "地图上的项目"),
                what="the project count",
            )
            # the six counties (plus zone areas, arrows), and every located project as a marker or in a cluster
            assert frame.locator("path.leaflet-interactive").count() >= 6
            wait_for(lambda: shown_projects(frame) == expected, what=f"{expected} project markers")
            assert frame.locator(".map-legend").is_visible()
            assert frame.locator(".leaflet-control-layers").count() == 1

            # which zone? click the map where 安化县's label sits (labels let clicks through to the map)
            label = frame.locator(".map-label", has_text="安化县").first
            box = label.bounding_box()
            page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2 + 12)
            answer = page.locator('[data-testid="stAlert"]', has_text="位于").first
            answer.wait_for(timeout=20_000)
            assert "安化县" in answer.inner_text()
            assert "西南部对接大湘西南" in page.locator('[data-testid="stMain"]').inner_text()
            assert shown_projects(frame) == expected  # the map was not rebuilt by the click

            # open a popup and read it (a cluster first spiderfies or zooms to show its markers)
            if frame.locator("path.project-marker").count() == 0:
                frame.locator(".marker-cluster").first.click()
                frame.locator("path.project-marker").first.wait_for(state="attached", timeout=10_000)
            frame.locator("path.project-marker").first.click(force=True)
            popup = frame.locator(".leaflet-popup-content .project-popup")
            popup.wait_for(timeout=10_000)
            text = popup.inner_text()
            assert "片区" in text and "定位精度" in text and "第" in text, text

            page.screenshot(path=str(ARTIFACTS / "explorer-popup.png"))

            # change a filter in the sidebar: the counts and the markers follow
            page.reload(wait_until="domcontentloaded")
            frame = page.frame_locator(MAP_FRAME)
            frame.locator("path.leaflet-interactive").first.wait_for(state="attached", timeout=60_000)
            wait_for(lambda: shown_projects(frame) == expected, what="the full map again")
            page.locator('[data-testid="stSidebar"] button', has_text=re.compile(r"^文旅休闲业")).first.click()
            narrowed = wait_for(lambda: (n := metric(page, "地图上的项目")) != expected and n, what="a new count")
            assert 0 < narrowed < expected
            wait_for(lambda: shown_projects(frame) == narrowed, what=f"{narrowed} project markers")
            assert "sector=" in page.url  # the view is in the URL

            page.reload(wait_until="domcontentloaded")  # the bookmarked view reopens as it was
            frame = page.frame_locator(MAP_FRAME)
            frame.locator("path.leaflet-interactive").first.wait_for(state="attached", timeout=60_000)
            wait_for(lambda: shown_projects(frame) == narrowed, what="the bookmarked view")
            time.sleep(0.5)
            page.screenshot(path=str(ARTIFACTS / "explorer-filtered.png"))

            page.goto(server, wait_until="domcontentloaded")
            frame = page.frame_locator(MAP_FRAME)
            frame.locator("path.leaflet-interactive").first.wait_for(state="attached", timeout=60_000)
            wait_for(lambda: shown_projects(frame) == expected, what="the default view")
            time.sleep(1.0)
            page.screenshot(path=str(ARTIFACTS / "explorer.png"))  # docs/: python bench/browser.py --screenshots docs
        finally:
            browser.close()

    assert not errors, errors
    assert not foreign, f"fetched from other hosts: {sorted(set(foreign))}"
    assert {"script", "stylesheet"} <= kinds  # the app's own Leaflet and styles were fetched


CJK = re.compile(r"[\u3400-\u9fff]")


def open_explorer(browser, url: str, size: tuple[int, int]):
    """A page at ``size`` with the map drawn (every located project shown)."""
    page = browser.new_page(viewport={"width": size[0], "height": size[1]}, locale="zh-CN")
    page.goto(url, wait_until="domcontentloaded")
    frame = page.frame_locator(MAP_FRAME)
    frame.locator("path.county-shape").first.wait_for(state="attached", timeout=60_000)
    expected = wait_for(
        lambda: (
            page.locator('[data-testid="stMetricValue"]').count()
            and int(page.locator('[data-testid="stMetricValue"]').first.inner_text())
        ),
        what="a count",
    )
    wait_for(lambda: shown_projects(frame) == expected, what=f"{expected} project markers")
    return page, frame


def union_box(boxes: list[dict]) -> dict:
    x0, y0 = min(b["x"] for b in boxes), min(b["y"] for b in boxes)
    x1, y1 = max(b["x"] + b["width"] for b in boxes), max(b["y"] + b["height"] for b in boxes)
    return {"x": x0, "y": y0, "width": x1 - x0, "height": y1 - y0}


def shapes_under(frame, selector: str, css_class: str) -> int:
    """Points of a 5 px grid over ``selector``'s box where an element of ``css_class`` is drawn beneath."""
    return frame.locator(selector).first.evaluate(
        """(el, cls) => {
        const r = el.getBoundingClientRect(); let n = 0;
        for (let x = r.left + 1; x < r.right; x += 5) for (let y = r.top + 1; y < r.bottom; y += 5)
            if (document.elementsFromPoint(x, y).some(h => h.classList && h.classList.contains(cls))) n++;
        return n; }""",
        css_class,
    )


def pole_labels_hidden(frame) -> list[str]:
    """Pole names cut by the map's edge or under one of its controls (zoom, legend, layers, scale)."""
    return frame.locator("body").evaluate("""() => {
        const box = document.querySelector('.leaflet-container').getBoundingClientRect();
        const controls = [...document.querySelectorAll('.leaflet-control')].map(c => c.getBoundingClientRect());
        return [...document.querySelectorAll('.map-label.pole')].filter(el => {
            const range = document.createRange(); range.selectNodeContents(el);
            const r = range.getBoundingClientRect();
            return r.left < box.left || r.right > box.right || r.top < box.top || r.bottom > box.bottom
                || controls.some(c => r.left < c.right && r.right > c.left && r.top < c.bottom && r.bottom > c.top);
        }).map(el => el.textContent); }""")


@pytest.mark.parametrize("size", [(1366, 768), (1920, 1080)], ids=["1366x768", "1920x1080"])
def test_the_map_is_on_the_first_screen_and_the_legend_never_covers_yiyang(server, size):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        try:
            page, frame = open_explorer(browser, server, size)
            iframe = page.locator(MAP_FRAME).bounding_box()
            assert 0 <= iframe["y"] < size[1] * 0.35, iframe  # the map starts high on the first screen
            assert iframe["y"] + iframe["height"] <= size[1] + 1, iframe  # and fits on it
            wait_for(lambda: frame.locator(".map-legend details").count(), what="the legend")
            time.sleep(0.5)  # the framing follows the iframe's final size
            counties = [
                frame.locator("path.county-shape").nth(i).bounding_box()
                for i in range(frame.locator("path.county-shape").count())
            ]
            assert len(counties) == 6
            yiyang = union_box(counties)
            is_open = frame.locator(".map-legend details").evaluate("d => d.open")
            if size[0] < 1600:
                assert not is_open  # collapsed on a laptop screen
            assert shapes_under(frame, ".map-legend", "county-shape") == 0  # open or collapsed, 益阳 uncovered
            assert shapes_under(frame, ".map-label:not(.small):not(.pole)", "county-shape") > 0  # the probe works
            # names lie under the markers: a cluster on a county's name stays visible and clickable
            labels = frame.locator(".map-label").count()
            assert labels > 0 and frame.locator(".leaflet-labels-pane .map-label").count() == labels
            # 益阳 fills the map: tight framing, neighbours and arrowheads may run off the edge
            filled = max(yiyang["width"] / iframe["width"], yiyang["height"] / iframe["height"])
            assert filled > 0.8, (yiyang, iframe)
            # ... but the poles' names are whole on the map, clear of its controls
            assert frame.locator(".map-label.pole").count() == 3
            assert wait_for(lambda: not pole_labels_hidden(frame), timeout=10, what="pole names in view")
            page.screenshot(path=str(ARTIFACTS / f"explorer-{size[0]}x{size[1]}.png"))
        finally:
            browser.close()


def test_switching_language_redraws_every_value_in_it(server):
    """English: no Chinese left in the sidebar's widget values or the map's legend; back in Chinese: no
    English ids (zone ids, basemap ids, county:…)."""
    from playwright.sync_api import sync_playwright

    ids = re.compile(r"\b(core|lake_wing|mountain_wing|pole_\w+|none|osm|amap|county:|zone:|site|town)\b")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        try:
            page, frame = open_explorer(
                browser, server + "/?county=安化县&focus=county:安化县&action=新建", (1366, 768)
            )
            sidebar = page.locator('[data-testid="stSidebar"]')

            def values() -> list[str]:
                shown = sidebar.locator('[data-testid="stSelectbox"], [data-testid="stMultiSelect"]').evaluate_all(
                    "els => els.map(e => { const l = e.querySelector('label'); const t = e.innerText;"
                    " return l ? t.replace(l.innerText, '') : t; })"
                )
                pills = sidebar.locator('[data-testid="stButtonGroup"] button').all_inner_texts()
                return [v for v in shown + pills if v.strip() and v not in ("中文", "English")]

            sidebar.locator("button", has_text="English").first.click()
            wait_for(lambda: "Yiyang" in page.locator("h1").first.inner_text(), what="the English title")
            wait_for(lambda: not any(CJK.search(v) for v in values()), timeout=20, what="English widget values")
            shown = values()
            assert any("Anhua County" in v for v in shown) and any("New build" in v for v in shown), shown
            wait_for(lambda: frame.locator(".map-legend summary", has_text="Legend").count(), what="English legend")
            assert not CJK.search(frame.locator(".map-legend").inner_text())
            font = frame.locator(".map-legend").evaluate("e => getComputedStyle(e).fontFamily")
            assert "Noto Sans CJK SC" in font  # the same family in both languages

            sidebar.locator("button", has_text="中文").first.click()
            wait_for(lambda: "益阳市" in page.locator("h1").first.inner_text(), what="the Chinese title")
            wait_for(lambda: any("安化县" in v for v in values()), what="Chinese widget values")
            main = page.locator('[data-testid="stMain"]').inner_text()
            assert not ids.search(" ".join(values())), values()
            assert not ids.search(main), ids.search(main)
        finally:
            browser.close()


def test_the_tour_fills_the_screen_and_a_clicker_steps_through_it(server):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        try:
            page = browser.new_page(viewport={"width": 1600, "height": 1000}, locale="zh-CN")
            page.goto(server + "/演示模式", wait_until="domcontentloaded")
            title = page.locator(".tour-title")
            title.wait_for(timeout=60_000)
            assert title.inner_text() == "一核两翼三极"  # the overview first
            frame = page.frame_locator(".block-container iframe").first
            frame.locator("path.county-shape").first.wait_for(state="attached", timeout=60_000)
            box = page.locator(".block-container iframe").first.bounding_box()
            assert box["height"] >= 0.8 * 1000 and box["y"] + box["height"] <= 1000 + 1, box
            for key in ("tour_prev", "tour_next"):  # header buttons wholly on screen, not under Streamlit's bar
                button = page.locator(f".st-key-{key} button").bounding_box()
                assert button["y"] >= 0 and button["y"] + button["height"] <= box["y"], button
            size = page.locator(".tour-quote").first.evaluate("e => parseFloat(getComputedStyle(e).fontSize)")
            assert size >= 22  # captions readable across a meeting room
            page.keyboard.press("PageDown")
            wait_for(lambda: title.inner_text() == "一核·中心城区现代服务业引领区", what="step 2 by PageDown")
            page.keyboard.press("ArrowRight")
            wait_for(lambda: "益沅南" in title.inner_text(), what="step 3 by →")
            page.keyboard.press("PageUp")
            wait_for(lambda: title.inner_text() == "一核·中心城区现代服务业引领区", what="step 2 by PageUp")
            page.screenshot(path=str(ARTIFACTS / "tour.png"))
        finally:
            browser.close()


def test_a_hostile_project_name_shows_as_text_and_runs_nothing(tmp_path):
    """The map page itself (inlined, no server) with a project named like an XSS attack."""
    import pandas as pd
    from playwright.sync_api import sync_playwright

    from layout.render.assets import inline_assets
    from layout.render.webmap import build_map

    hostile = "<img src=x onerror=alert(1)>"
    project = {
        "id": "X1",
        "name": hostile,
        "name_en": "",
        "sector": "文旅休闲业",
        "action": "<script>alert(2)</script>",
        "county": "安化县",
        "computed_county": "安化县",
        "zones": ("mountain_wing",),
        "poles": ("pole_southwest",),
        "precision": "site",
        "plan_quote": "\"'><svg onload=alert(3)>",
        "plan_section": "第四章",
        "lon": 111.3,
        "lat": 28.3,
    }
    page_file = tmp_path / "map.html"
    page_file.write_text(inline_assets(build_map(pd.DataFrame([project])).get_root().render()), encoding="utf-8")
    dialogs: list[str] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        try:
            page = browser.new_page()
            page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
            page.goto(page_file.as_uri())
            marker = page.locator("path.project-marker").first
            marker.wait_for(state="attached", timeout=20_000)
            marker.click(force=True)
            popup = page.locator(".leaflet-popup-content .project-popup")
            popup.wait_for(timeout=10_000)
            text = popup.inner_text()
            time.sleep(0.5)
            assert page.locator(".leaflet-popup-content img, .leaflet-popup-content svg").count() == 0
        finally:
            browser.close()
    assert hostile in text and "<script>alert(2)</script>" in text and "<svg onload=alert(3)>" in text
    assert dialogs == []


def rss_mb(pid: int) -> float:
    status = Path(f"/proc/{pid}/status").read_text()
    return int(re.search(r"VmRSS:\s+(\d+)", status).group(1)) / 1024


def test_a_hostile_upload_is_refused_while_another_user_keeps_working(app):
    """Issue 14: a 5 KB workbook with a cell at XFD1048576 and a zip bomb, uploaded by one user, each end in
    one message; meanwhile a second user's filter clicks are answered, and the server's memory stays bounded."""
    from playwright.sync_api import sync_playwright

    url, pid = app
    peak = [rss_mb(pid)]
    before = peak[0]
    done = threading.Event()

    def sample() -> None:
        while not done.wait(0.05):
            peak.append(rss_mb(pid))

    sampler = threading.Thread(target=sample, daemon=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        try:
            other, frame = open_explorer(browser, url, (1366, 768))  # a page of its own: another user
            attacker = browser.new_page(viewport={"width": 1366, "height": 900}, locale="zh-CN")
            attacker.goto(url, wait_until="domcontentloaded")
            attacker.get_by_role("tab", name="批量核查").click()
            uploader = attacker.locator('[data-testid="stFileUploaderDropzoneInput"]')
            uploader.wait_for(state="attached", timeout=30_000)
            sampler.start()
            sectors = ["文旅休闲业", "现代物流业"]
            for name, data, sector in zip(
                ["far.xlsx", "bomb.xlsx"],
                [far_cell_workbook("XFD1048576"), zip_bomb_workbook(300)],
                sectors,
                strict=True,
            ):
                shown = metric(other, "地图上的项目")
                uploader.set_input_files(files=[{"name": name, "mimeType": "application/octet-stream", "buffer": data}])
                other.locator('[data-testid="stSidebar"] button', has_text=re.compile(f"^{sector}")).first.click()
                narrowed = wait_for(
                    lambda shown=shown: (n := metric(other, "地图上的项目")) != shown and n,
                    what=f"the other user's count after {sector}",
                )
                wait_for(lambda n=narrowed: shown_projects(frame) == n, what="the other user's map")
                alert = attacker.locator('[data-testid="stAlert"]', has_text="表格过大/异常")
                alert.wait_for(timeout=30_000)
                assert alert.inner_text().count("\n") <= 1 and "Traceback" not in alert.inner_text()
                results = attacker.locator("[data-testid=stDownloadButton]", has_text=re.compile(r"^下载 (CSV|XLSX)$"))
                assert results.count() == 0
        finally:
            done.set()
            browser.close()
    assert max(peak) - before < 500, (before, max(peak))


# -- filters: one source of truth, whatever the order of the clicks ------------------------------


def located_projects(view: dict[str, tuple[str, ...]]) -> int:
    """The oracle: projects drawn on the map for ``view`` (field → values), in plain pandas."""
    from layout.catalog.projects import load_catalog

    c = load_catalog()
    county = c["county"].fillna("").astype(str)
    county = county.where(county != "", c["computed_county"].fillna("").astype(str))
    keep = c["lon"].notna() & c["lat"].notna() & (c["precision"] != "citywide")
    if view.get("zone"):
        keep &= c["zones"].map(lambda z: bool(set(z) & set(view["zone"])))
    if view.get("county"):
        keep &= county.isin(view["county"])
    if view.get("sector"):
        keep &= c["sector"].isin(view["sector"])
    if view.get("precision"):
        keep &= c["precision"].isin(view["precision"])
    if view.get("q"):
        keep &= c["name"].astype(str).str.contains(view["q"][0], regex=False)
    return int(keep.sum())


def url_view(page) -> dict[str, tuple[str, ...]]:
    """The view the address bar holds (``page.url`` can lag a same-document URL change; location cannot)."""
    from urllib.parse import parse_qs

    query = parse_qs(urlparse(page.evaluate("location.href")).query)
    return {k: tuple(sorted(x for v in vs for x in v.split(","))) for k, vs in query.items()}


class FilterDriver:
    """Sets the explorer's filters through its widgets, as a person would, and checks URL and markers."""

    def __init__(self, page, frame):
        self.page, self.frame = page, frame
        self.sidebar = page.locator('[data-testid="stSidebar"]')
        self.view: dict[str, tuple[str, ...]] = {}
        self.lang = "zh"

    def pick(self, field: str, value: str) -> None:
        from layout.render import views

        label = {
            "zone": lambda v: views.zone_name(v, self.lang),
            "county": lambda v: views.county_label(v, self.lang),
            "precision": lambda v: {"zh": {"town": "乡镇"}, "en": {"town": "Town"}}[self.lang][v],
        }[field](value)
        heading = {"zone": ("片区", "Zone"), "county": ("县（市", "County"), "precision": ("定位精度", "Location")}
        box = self.sidebar.locator('[data-testid="stMultiSelect"]').filter(
            has=self.page.locator('[data-testid="stWidgetLabel"]', has_text=heading[field][self.lang == "en"])
        )
        box.scroll_into_view_if_needed()
        box.locator("input").click()
        self.page.locator('[role="option"]', has_text=re.compile("^" + re.escape(label) + r" \(")).first.click()
        self.page.keyboard.press("Escape")
        self.view[field] = tuple(sorted({*self.view.get(field, ()), value}))

    def pill(self, sector: str) -> None:
        from layout.render.webmap import t_sector

        label = t_sector(sector, self.lang)
        button = self.sidebar.locator(
            '[data-testid="stButtonGroup"] button', has_text=re.compile("^" + re.escape(label) + "$")
        )
        button.scroll_into_view_if_needed()
        button.click()
        chosen = set(self.view.get("sector", ()))
        self.view["sector"] = tuple(sorted(chosen ^ {sector}))
        if not self.view["sector"]:
            del self.view["sector"]

    def search(self, text: str) -> None:
        box = self.sidebar.locator('[data-testid="stTextInput"] input').first
        box.fill(text)
        box.press("Enter")
        self.view["q"] = (text,)

    def language(self, lang: str) -> None:
        self.sidebar.locator("button", has_text="English" if lang == "en" else "中文").first.click()
        self.lang = lang

    def reload(self) -> None:
        self.page.reload(wait_until="domcontentloaded")
        self.frame = self.page.frame_locator(MAP_FRAME)
        self.frame.locator("path.county-shape").first.wait_for(state="attached", timeout=60_000)

    def check(self, step: str) -> None:
        """The URL holds the whole view, and the map draws the oracle's projects, the count beside it agrees."""
        expected = {**self.view, **({"lang": ("en",)} if self.lang == "en" else {})}
        wait_for(
            lambda: url_view(self.page) == expected,
            timeout=20,
            what=f"after {step}: URL {expected}, not {url_view(self.page)}",
        )
        n = located_projects(self.view)
        assert n > 0, f"{step}: choose filters that leave projects on the map"
        wait_for(
            lambda: shown_projects(self.frame) == n,
            timeout=20,
            what=f"after {step}: {n} markers, not {shown_projects(self.frame)}",
        )
        assert metric(self.page, "地图上的项目" if self.lang == "zh" else "Projects on map") == n, step


@pytest.mark.parametrize(
    "size, order",
    [((1366, 768), "sidebar-first"), ((1920, 1080), "pills-first")],
    ids=["1366x768-sidebar-first", "1920x1080-pills-first"],
)
def test_no_filter_is_ever_dropped_whatever_the_order(server, size, order):
    """Issue 21, item 1: 片区 and 县 then two sector pills lost the zone and the second pill. Every step is
    checked against the URL and the markers drawn; language switches and reloads keep the whole view."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        try:
            page, frame = open_explorer(browser, server, size)
            d = FilterDriver(page, frame)
            if order == "sidebar-first":
                steps = [
                    ("zone 益桃安", lambda: d.pick("zone", "mountain_wing")),
                    ("county 安化县", lambda: d.pick("county", "安化县")),
                    ("pill 康养服务业", lambda: d.pill("康养服务业")),
                    ("pill 电子商务业", lambda: d.pill("电子商务业")),
                    ("English", lambda: d.language("en")),
                    ("pill Culture, tourism", lambda: d.pill("文旅休闲业")),
                    ("reload", d.reload),
                    ("pill E-commerce off", lambda: d.pill("电子商务业")),
                    ("中文", lambda: d.language("zh")),
                    ("reload again", d.reload),
                ]
            else:
                steps = [
                    ("pill 文旅休闲业", lambda: d.pill("文旅休闲业")),
                    ("pill 电子商务业", lambda: d.pill("电子商务业")),
                    ("county 赫山区", lambda: d.pick("county", "赫山区")),
                    ("zone 一核", lambda: d.pick("zone", "core")),
                    ("English", lambda: d.language("en")),
                    ("county Anhua", lambda: d.pick("county", "安化县")),
                    ("zone mountain wing", lambda: d.pick("zone", "mountain_wing")),
                    ("pill Health", lambda: d.pill("康养服务业")),
                    ("reload", d.reload),
                    ("中文", lambda: d.language("zh")),
                    ("pill 文旅休闲业 off", lambda: d.pill("文旅休闲业")),
                ]
            for step, act in steps:
                act()
                d.check(step)
            page.screenshot(path=str(ARTIFACTS / f"explorer-filters-{order}.png"))
        finally:
            browser.close()


def test_a_search_down_to_one_project_zooms_the_map_to_it(server):
    """Issue 21, item 7: the map follows a search that leaves one project (Leaflet's own zoom and centre)."""
    from playwright.sync_api import sync_playwright

    from layout.catalog.projects import load_catalog

    catalog = load_catalog()
    located = catalog[catalog["lon"].notna() & (catalog["precision"] != "citywide")]
    row = next(
        r
        for _, r in located.iterrows()
        if catalog["name"].astype(str).str.contains(str(r["name"]), regex=False).sum() == 1
    )
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        try:
            page, frame = open_explorer(browser, server, (1366, 768))
            FilterDriver(page, frame).search(str(row["name"]))
            view = (
                "() => { const m = Object.values(window).find(v => v && v._leaflet_id && v.getZoom);"
                " return m ? [m.getZoom(), m.getCenter().lat, m.getCenter().lng] : null; }"
            )
            inner = page.frame_locator(MAP_FRAME).locator("body")
            zoom, lat, lon = wait_for(
                lambda: (v := inner.evaluate(view)) and v[0] >= 12 and v,
                timeout=30,
                what="the map zoomed to the project",
            )
            assert abs(lat - row["lat"]) < 0.01 and abs(lon - row["lon"]) < 0.01
        finally:
            browser.close()


def test_every_tour_step_fits_a_laptop_screen(server):
    """Issue 21, item 7: at 1366×768 the 资阳区 step's text ran below the window."""
    from urllib.parse import quote

    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        try:
            page = browser.new_page(viewport={"width": 1366, "height": 768}, locale="zh-CN")
            page.goto(f"{server}/{quote('演示模式')}", wait_until="domcontentloaded")
            title = page.locator(".tour-title")
            title.wait_for(timeout=60_000)
            bottom = (
                "() => Math.max(...[...document.querySelectorAll('.tour-quote, .tour-source, .tour-count')]"
                ".map(e => e.getBoundingClientRect().bottom))"
            )
            seen = []
            while True:
                shown = title.inner_text()
                wait_for(lambda: page.locator(".tour-count").count(), what="the step's text")
                seen.append(shown)
                assert page.evaluate(bottom) <= 768, (shown, page.evaluate(bottom))
                button = page.locator(".st-key-tour_next button")
                if button.is_disabled():
                    break
                button.click()
                wait_for(lambda shown=shown: title.inner_text() != shown, what="the next step")
                time.sleep(0.3)
            assert "资阳区" in seen
        finally:
            browser.close()


def test_an_open_popup_is_not_covered_by_the_folded_legend(tmp_path):
    """Issue 21: the folded legend button (top left) covered popup titles; it steps aside while a popup is open."""
    import pandas as pd
    from playwright.sync_api import sync_playwright

    from layout.render.assets import inline_assets
    from layout.render.webmap import build_map

    project = {
        "id": "X1",
        "name": "西北角测试项目",
        "name_en": "",
        "sector": "文旅休闲业",
        "action": "",
        "county": "安化县",
        "computed_county": "安化县",
        "zones": ("mountain_wing",),
        "poles": ("pole_southwest",),
        "precision": "site",
        "plan_quote": "",
        "plan_section": "第四章",
        "lon": 110.55,
        "lat": 28.45,
    }
    page_file = tmp_path / "map.html"
    page_file.write_text(inline_assets(build_map(pd.DataFrame([project])).get_root().render()), encoding="utf-8")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        try:
            page = browser.new_page(viewport={"width": 1366, "height": 768})
            page.goto(page_file.as_uri())
            legend = page.locator(".map-legend").first
            legend.wait_for(timeout=20_000)
            page.evaluate("document.querySelector('.map-legend details').open = false")  # the folded button
            assert legend.is_visible()
            marker = page.locator("path.project-marker").first
            marker.wait_for(state="attached", timeout=20_000)
            marker.click(force=True)
            title = page.locator(".leaflet-popup-content .pp-name")
            title.wait_for(timeout=10_000)
            time.sleep(0.8)  # the popup's auto-pan
            page.screenshot(path=str(ARTIFACTS / "popup-and-folded-legend.png"))
            assert not legend.is_visible()
            # every point of the title's box is the popup's own, nothing lies over it
            covered = title.evaluate(
                """e => { const r = e.getBoundingClientRect(); const out = [];
                for (const fx of [0.05, 0.5, 0.95]) for (const fy of [0.2, 0.8]) {
                  const hit = document.elementFromPoint(r.left + fx * r.width, r.top + fy * r.height);
                  if (!hit || !e.closest('.leaflet-popup').contains(hit)) out.push(hit ? hit.className : null); }
                return out; }"""
            )
            assert not covered, covered
            page.locator(".leaflet-popup-close-button").click()
            time.sleep(0.3)
            assert legend.is_visible()  # back once the popup is closed
        finally:
            browser.close()
