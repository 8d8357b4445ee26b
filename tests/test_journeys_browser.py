"""Issue 21's journeys, walked as written in a real browser (Debian's chromium, Playwright), for the items no
other browser test walks: 保存位置 keeps the officer on the card tab and the site event carries its source;
every page's sidebar links every page (the 实施评估 link was missing on some); Streamlit's own texts inside
opened dropdowns ("Select all", "No results") are in the page's language; the batch check of a two-level
header shows the combined names and a warning, not a green box, when nothing is located."""

from __future__ import annotations

import io
import time
from urllib.parse import quote

import openpyxl
import pytest
from app_server import ARTIFACTS, CHROMIUM, MAP_FRAME, running_app
from app_server import CHROMIUM_ARGS as ARGS
from test_pages_browser import CJK, FILE_NAME, LATIN, LATIN_OK, ZONE_ID, selected_tab

from layout.i18n import t
from ui.chrome import PAGES

KEY = "browser-journey-editor-key"
SIZES = [(1366, 768), (1920, 1080)]
SIZE_IDS = ["1366x768", "1920x1080"]

pytestmark = pytest.mark.skipif(
    not CHROMIUM.exists(), reason="needs Debian's chromium at /usr/bin/chromium (apt-get install chromium)"
)


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    register = tmp_path_factory.mktemp("register") / "register.sqlite"
    try:
        with running_app(
            {"LAYOUT_REGISTER": str(register), "LAYOUT_EDITOR_KEY": KEY}, log=ARTIFACTS / "streamlit-journeys.log"
        ) as (url, _):
            yield url, register
    except RuntimeError as exc:
        pytest.fail(str(exc))


def stray(text: str, lang: str) -> set[str]:
    """Words of the other language, as the page scan (test_pages_browser) counts them."""
    if lang == "zh":
        return {w for w in LATIN.findall(FILE_NAME.sub("", ZONE_ID.sub("", text))) if w.lower() not in LATIN_OK}
    return {w for w in CJK.findall(text) if w != "中文"}


def unlock(page) -> None:
    sidebar = page.locator('[data-testid="stSidebar"]')
    key_box = sidebar.locator('input[type="password"]')
    key_box.wait_for(timeout=60_000)
    key_box.fill(KEY)
    key_box.press("Enter")
    name_box = sidebar.get_by_label(t("reg.name", "zh"))
    name_box.wait_for(timeout=30_000)
    name_box.fill("测试员")
    name_box.press("Enter")
    sidebar.get_by_text(t("reg.editor_is", "zh", name="测试员")).wait_for(timeout=30_000)


@pytest.mark.parametrize("size", SIZES, ids=SIZE_IDS)
def test_saving_a_typed_site_keeps_the_card_tab_and_records_its_source(server, size):
    """Item 5: after 保存位置 the page jumped back to the first tab, and site events left 来源/理由 empty."""
    from playwright.sync_api import sync_playwright

    from layout.register.events import Register

    url, register = server
    source = f"现场核实 {size[0]}"
    lon, lat = (112.3862, 28.5512) if size[0] == 1366 else (112.3550, 28.5660)  # two points in 赫山区
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        page = browser.new_page(viewport={"width": size[0], "height": size[1]}, locale="zh-CN")
        try:
            page.goto(f"{url}/{quote('项目台账')}", wait_until="domcontentloaded")
            unlock(page)
            page.get_by_role("tab", name="项目卡片与编辑").click()
            main = page.locator('[data-testid="stMain"]')
            lon_box = main.get_by_label(t("which.lon", "zh"), exact=True)
            lon_box.wait_for(timeout=60_000)
            lon_box.fill(str(lon))
            lon_box.press("Enter")
            lat_box = main.get_by_label(t("which.lat", "zh"), exact=True)
            lat_box.fill(str(lat))
            lat_box.press("Enter")
            answer = page.locator('[data-testid="stAlert"]', has_text="赫山区").first
            answer.wait_for(timeout=60_000)
            box = page.get_by_label(t("reg.site_source", "zh"))
            box.fill(source)
            box.press("Enter")
            page.get_by_role("button", name=t("reg.site_save", "zh")).click()
            page.locator('[data-testid="stAlert"]', has_text="已保存 P001").wait_for(timeout=30_000)
            time.sleep(1)
            assert selected_tab(page) == "项目卡片与编辑"
            page.screenshot(path=str(ARTIFACTS / f"journey-site-saved-{size[0]}.png"))
        except Exception:
            page.screenshot(path=str(ARTIFACTS / f"journey-site-failed-{size[0]}.png"), full_page=True)
            raise
        finally:
            browser.close()
    events = Register(register).events("P001")
    site = events[events["source"] == source]
    assert not site.empty, events[["field", "source"]].to_dict("records")
    assert set(site["field"]) >= {"site_lon", "site_lat", "site_source"}
    state = Register(register).state().loc["P001"]
    assert abs(float(state["site_lon"]) - lon) < 1e-6 and abs(float(state["site_lat"]) - lat) < 1e-6


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_page_links_every_page_in_its_language(server, lang):
    """Item 5: the sidebar lacked the 实施评估 link (page links had been copied into four files)."""
    from playwright.sync_api import sync_playwright

    url, _ = server
    wanted = [t(key, lang) for _, key, _ in PAGES]
    paths = ["", "演示模式", "项目台账", "实施评估", "规划编制", "规划对比"]
    missing = {}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        try:
            page = browser.new_page(viewport={"width": 1366, "height": 768}, locale="zh-CN")
            for path in paths:
                page.goto(f"{url}/{quote(path)}" + ("?lang=en" if lang == "en" else ""), wait_until="domcontentloaded")
                links = page.locator('[data-testid="stSidebar"] [data-testid="stPageLink-NavLink"]')
                links.first.wait_for(timeout=60_000)
                time.sleep(1)
                shown = [s.strip().split("\n")[-1] for s in links.all_inner_texts()]  # after the icon's name
                if shown != wanted:
                    missing[path or "app"] = shown
        finally:
            browser.close()
    assert not missing, (wanted, missing)


#: What a reader sees in the open dropdown: text drawn at a readable size, and text drawn by ::after rules.
DROPDOWN_TEXT = """() => {
    const menu = [...document.querySelectorAll('[data-testid$="Dropdown"]')].pop();
    if (!menu) return null;
    const out = [];
    for (const el of menu.querySelectorAll('*')) {
        const style = getComputedStyle(el);
        for (const node of el.childNodes)
            if (node.nodeType === 3 && node.textContent.trim() && parseFloat(style.fontSize) > 0
                && el.checkVisibility({checkOpacity: true, checkVisibilityCSS: true})) out.push(node.textContent);
        const after = getComputedStyle(el, '::after');
        if (after.content && after.content !== 'none' && after.content !== 'normal' && parseFloat(after.fontSize) > 0)
            out.push(after.content.replace(/^"|"$/g, ''));
    }
    return out.join('\\n'); }"""


#: The placeholders shown by the scope's select boxes that hold no value ("Choose an option" is Streamlit's).
EMPTY_PLACEHOLDERS = """(scope) => [...document.querySelectorAll(scope + ' [data-testid="stSelectbox"] input, '
    + scope + ' [data-testid="stMultiSelect"] input')].filter(e => !e.value && e.checkVisibility())
    .map(e => e.getAttribute('placeholder') || '')"""


def open_dropdown_text(page, box) -> tuple[str, str]:
    """What the dropdown a select box opens shows, then what it shows for a query that matches nothing."""
    box.click()
    box.press("ArrowDown")  # opens the list (a click on the input alone may not)
    listed = wait_for(lambda: page.evaluate(DROPDOWN_TEXT), "the dropdown's options")
    box.press_sequentially("zzqqxx")
    empty = wait_for(lambda: (e := page.evaluate(DROPDOWN_TEXT)) != listed and e, "the dropdown with no match")
    box.fill("")
    page.keyboard.press("Escape")
    time.sleep(0.3)
    return listed, empty


def wait_for(probe, what: str, timeout: float = 15):
    deadline = time.monotonic() + timeout
    while not (value := probe()):
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.2)
    return value


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_opened_dropdowns_speak_the_page_language(server, lang):
    """Item 6: Streamlit's own "Select all" and "No results" appeared in Chinese mode (every multiselect and
    select box of the explorer's sidebar and the 项目台账 page, opened, then searched for nothing)."""
    from playwright.sync_api import sync_playwright

    url, _ = server
    found: dict[str, set[str]] = {}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        try:
            page = browser.new_page(viewport={"width": 1366, "height": 768}, locale="zh-CN")
            for path, scope in (("", '[data-testid="stSidebar"]'), ("项目台账", '[data-testid="stMain"]')):
                page.goto(f"{url}/{quote(path)}" + ("?lang=en" if lang == "en" else ""), wait_until="domcontentloaded")
                inputs = ('[data-testid="stMultiSelect"] input:visible', '[data-testid="stSelectbox"] input:visible')
                boxes = page.locator(", ".join(f"{scope} {i}" for i in inputs))
                boxes.first.wait_for(timeout=60_000)
                time.sleep(1)
                empty_boxes = page.evaluate(EMPTY_PLACEHOLDERS, scope)
                if words := stray("\n".join(empty_boxes), lang):
                    found[f"{path or 'app'} placeholders"] = words
                for i in range(boxes.count()):
                    listed, empty = open_dropdown_text(page, boxes.nth(i))
                    assert listed.strip(), f"{path or 'app'}: dropdown {i} opened empty"
                    assert empty.strip() == t("widget.no_results", lang), (path, i, empty)
                    if words := stray(listed + "\n" + empty, lang):
                        found[f"{path or 'app'} #{i}"] = words
            page.screenshot(path=str(ARTIFACTS / f"journey-dropdown-{lang}.png"))
        finally:
            browser.close()
    assert not found, found


def two_level_workbook() -> bytes:
    """A title row, then 坐标 merged over 经度/纬度 and 序号/项目名称 merged down two rows (item 2)."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["益阳市服务业重点项目调度表"])
    ws.append(["序号", "项目名称", "坐标", None])
    ws.append([None, None, "经度", "纬度"])
    for cells in ("A1:D1", "C2:D2", "A2:A3", "B2:B3"):
        ws.merge_cells(cells)
    ws.append([1, "茶乡花海", 111.20586, 28.38017])  # 安化县
    ws.append([2, "长沙对接", 112.97087, 28.19874])  # 长沙, outside
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def alert_kinds(page) -> list[tuple[str, str]]:
    """Each alert in the main area: its Streamlit kind (from the icon's test id) and its text."""
    return page.evaluate(
        """() => [...document.querySelectorAll('[data-testid="stMain"] [data-testid="stAlert"]')].map(a => {
            const c = a.querySelector('[data-testid^="stAlertContent"]');
            return [c ? c.getAttribute('data-testid') : '', a.innerText]; })"""
    )


@pytest.mark.parametrize("size", SIZES, ids=SIZE_IDS)
def test_the_batch_check_of_a_two_level_header_in_the_browser(server, size):
    """Item 2: 坐标 was taken as a pair column, "0 行在益阳市境内…无法定位" in a green box."""
    from playwright.sync_api import sync_playwright

    url, _ = server
    placeless = "序号,项目名称,坐标\n1,茶乡花海,见附件\n2,南洲,待补\n".encode()
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        page = browser.new_page(viewport={"width": size[0], "height": size[1]}, locale="zh-CN")
        try:
            page.goto(url, wait_until="domcontentloaded")
            page.frame_locator(MAP_FRAME).locator("path.county-shape").first.wait_for(state="attached", timeout=90_000)
            page.get_by_role("tab", name=t("tab.batch", "zh")).click()
            chooser = page.locator('[data-testid="stFileUploader"] input[type="file"]')
            chooser.wait_for(state="attached", timeout=30_000)
            chooser.set_input_files(
                {
                    "name": "调度表.xlsx",
                    "mimeType": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                    "buffer": two_level_workbook(),
                }
            )
            page.locator('[data-testid="stAlert"]', has_text="2 行：1 行在益阳市境内").wait_for(timeout=60_000)
            kinds = alert_kinds(page)
            result = [k for k, text in kinds if "2 行：1 行在益阳市境内，1 行在境外，0 行无法定位" in text]
            assert result == ["stAlertContentSuccess"], kinds
            assert any("坐标·经度" in text and "坐标·纬度" in text for _, text in kinds), kinds
            page.screenshot(path=str(ARTIFACTS / f"journey-two-level-{size[0]}.png"))
            chooser.set_input_files({"name": "无坐标.csv", "mimeType": "text/csv", "buffer": placeless})
            page.locator('[data-testid="stAlert"]', has_text="没有一行能定位").wait_for(timeout=60_000)
            kinds = alert_kinds(page)
            nothing = [k for k, text in kinds if "没有一行能定位" in text]
            assert nothing == ["stAlertContentWarning"], kinds
            assert not [k for k, _ in kinds if k == "stAlertContentSuccess"], kinds
            assert any("表头所在行" in text for _, text in kinds), kinds
        except Exception:
            page.screenshot(path=str(ARTIFACTS / f"journey-two-level-failed-{size[0]}.png"), full_page=True)
            raise
        finally:
            browser.close()
