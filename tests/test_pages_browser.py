"""Every page in a real browser (Debian's chromium, Playwright): the 项目台账 keeps the officer's tab after a
save, and no page shows the other language (issue 21, items 5 and 6)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from urllib.parse import quote

import pytest
from app_server import ARTIFACTS, CHROMIUM, MAP_FRAME, ROOT, running_app, wait_idle
from app_server import CHROMIUM_ARGS as ARGS

from layout.i18n import t

KEY = "browser-test-editor-key"

pytestmark = pytest.mark.skipif(
    not CHROMIUM.exists(), reason="needs Debian's chromium at /usr/bin/chromium (apt-get install chromium)"
)


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    register = tmp_path_factory.mktemp("register") / "register.sqlite"
    data = tmp_path_factory.mktemp("data")  # a draft plan is present: the 规划编制 and 规划对比 pages show it
    for args in (
        ["plan", "new", DRAFT, "--from", "十四五", "--by", "张三"],
        ["plan", "assign", DRAFT, "桃江县", "core", "--by", "张三", "--reason", "测试"],
        ["plan", "add-project", DRAFT, "--name", "新项目甲", "--county", "安化县", "--by", "张三"],
    ):
        subprocess.run(
            [sys.executable, "-m", "layout", *args],
            check=True,
            cwd=ROOT,
            capture_output=True,
            env={**os.environ, "LAYOUT_DATA_DIR": str(data), "PYTHONPATH": str(ROOT)},
        )
    try:
        with running_app(
            {"LAYOUT_REGISTER": str(register), "LAYOUT_EDITOR_KEY": KEY, "LAYOUT_DATA_DIR": str(data)},
            log=ARTIFACTS / "streamlit-pages.log",
        ) as (url, _):
            yield url
    except RuntimeError as exc:
        pytest.fail(str(exc))


def selected_tab(page) -> str:
    return page.locator('[role="tab"][aria-selected="true"]').first.inner_text().strip()


def unlock(page, lang: str = "zh") -> None:
    """Enter the editor key and a name (in the page's language's script, so the scan does not flag it)."""
    name = "测试员" if lang == "zh" else "Tester"
    sidebar = page.locator('[data-testid="stSidebar"]')
    key_box = sidebar.locator('input[type="password"]')
    key_box.wait_for(timeout=60_000)
    key_box.fill(KEY)
    key_box.press("Enter")
    name_box = sidebar.get_by_label(t("reg.name", lang))
    name_box.wait_for(timeout=30_000)
    name_box.fill(name)
    name_box.press("Enter")
    sidebar.get_by_text(t("reg.editor_is", lang, name=name)).wait_for(timeout=30_000)


@pytest.mark.parametrize("size", [(1366, 768), (1920, 1080)], ids=["1366x768", "1920x1080"])
def test_the_register_stays_on_the_officers_tab_after_saving_and_undoing(server, size):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        try:
            page = browser.new_page(viewport={"width": size[0], "height": size[1]}, locale="zh-CN")
            page.goto(f"{server}/{quote('项目台账')}", wait_until="domcontentloaded")
            unlock(page)
            page.get_by_role("tab", name="项目卡片与编辑").click()
            progress = page.get_by_label("进度(%)")
            progress.wait_for(timeout=30_000)
            progress.fill(str(size[0] % 97))
            page.get_by_role("button", name="保存", exact=True).click()
            page.locator('[data-testid="stAlert"]', has_text="已保存").wait_for(timeout=30_000)
            assert selected_tab(page) == "项目卡片与编辑"
            page.get_by_role("button", name="撤销", exact=True).click()
            page.locator('[data-testid="stAlert"]', has_text="已撤销事件").wait_for(timeout=30_000)
            assert selected_tab(page) == "项目卡片与编辑"
        except Exception:
            page.screenshot(path=str(ARTIFACTS / f"register-tab-failed-{size[0]}.png"), full_page=True)
            raise
        finally:
            browser.close()


#: Text a reader sees: text nodes drawn on screen, not Material icon names (drawn as glyphs), not code
#: (commands, links, file names), not off-screen (the skip link); plus the uploader's replaced texts.
VISIBLE_TEXT = """(skipQuotes) => {
    const out = []; const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    const skip = '[data-testid="stIconMaterial"], code, pre, script, style, noscript'
        + (skipQuotes ? ', blockquote, .tour-quote, .tour-source, [lang="zh"]' : '');
    while (walker.nextNode()) {
        const node = walker.currentNode, el = node.parentElement;
        if (!el || !node.textContent.trim() || el.closest(skip)) continue;
        if (!el.checkVisibility({checkOpacity: true, checkVisibilityCSS: true})) continue;
        const r = el.getBoundingClientRect();
        if (r.width < 2 || r.height < 2 || r.right <= 0 || r.bottom <= 0) continue;
        out.push(node.textContent);
    }
    for (const el of document.querySelectorAll('[data-testid="stFileUploaderDropzone"] *')) {
        const content = getComputedStyle(el, '::after').content;
        if (content && content !== 'none' && content !== 'normal') out.push(content);
    }
    return out.join('\\n'); }"""
#: Names that stay as they are in Chinese text: formats, products, systems, keys, the language switch, pinyin
#: examples of the search box.
LATIN_OK = {
    "english",
    "csv",
    "xlsx",
    "pdf",
    "png",
    "pptx",
    "ppt",
    "html",
    "excel",
    "wgs84",
    "gcj",
    "cgcs2000",
    "cgcs",
    "epsg",
    "openstreetmap",
    "osm",
    "gps",
    "leaflet",
    "pagedown",
    "pageup",
    "chaxiang",
    "cxhh",
    "km",
    "mb",
    "utf",
    "bom",
    "gbk",
    "gdp",  # the plan's own words (服务业增加值占 GDP 比重), in the comparison report's indicator table
}
FILE_NAME = re.compile(r"\b[\w.-]+\.(sqlite|xlsx|csv|pdf|pptx|png|html)\b")
CJK = re.compile(r"[\u3400-\u9fff]+")
LATIN = re.compile(r"[A-Za-z]{2,}\d*")
PAGES = {
    "explorer": "",
    "tour": "演示模式",
    "register": "项目台账",
    "evaluation": "实施评估",
    "drafting": "规划编制",
    "compare": "规划对比",
}
#: Pages scanned again with editing unlocked (their forms shown).
UNLOCKED = ("drafting",)
DRAFT = "十五五草案"
#: Names typed by users that stay as typed in English mode: the draft's name, its new project's name.
TYPED = {DRAFT, "新项目甲"}
#: Pages whose iframes (the draft's map, the comparison report) are scanned too.
FRAMES = ("规划编制", "规划对比")
ZONE_ID = re.compile(r"\b(core|lake_wing|mountain_wing|pole_northeast|pole_central|pole_southwest)\b")


def frame_text(page, lang: str) -> str:
    """The visible text inside the page's visible iframes (maps, HTML components)."""
    out = []
    frames = page.locator('[data-testid="stMain"] iframe')
    for i in range(frames.count()):
        frame = frames.nth(i)
        if frame.is_visible() and (inner := frame.element_handle().content_frame()) is not None:
            out.append(inner.evaluate(VISIBLE_TEXT, lang == "en"))
    return "\n".join(out)


def stray_text(page, lang: str, *, frames: bool = False) -> set[str]:
    """Words of the other language on the page, after visiting each of its tabs (and, with ``frames``, inside
    its visible iframes: zone ids are identifiers, like project ids)."""
    found: set[str] = set()
    tabs = page.locator('[data-testid="stMain"] [role="tab"]')
    for i in range(max(tabs.count(), 1)):
        if tabs.count():
            tab = tabs.nth(i)
            tab.click()
            deadline = time.monotonic() + 30
            while tab.get_attribute("aria-selected") != "true" and time.monotonic() < deadline:
                time.sleep(0.1)
            wait_idle(page)  # a tab is drawn with the page; only a widget inside it reruns the script
        text = page.evaluate(VISIBLE_TEXT, lang == "en")
        if frames:
            text += "\n" + frame_text(page, lang)
        found |= (
            {w for w in LATIN.findall(FILE_NAME.sub("", ZONE_ID.sub("", text))) if w.lower() not in LATIN_OK}
            if lang == "zh"
            else {w for w in CJK.findall(text) if w != "中文" and w not in TYPED}
        )
    return found


@pytest.mark.parametrize("size", [(1366, 768), (1920, 1080)], ids=["1366x768", "1920x1080"])
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_no_page_shows_the_other_language(server, lang, size):
    """Every page, every tab, in both languages: no English in Chinese mode, no Chinese in English mode
    (English mode keeps the plan's own sentences, shown as quotations, in the plan's Chinese)."""
    from playwright.sync_api import sync_playwright

    strays: dict[str, set[str]] = {}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        try:
            page = browser.new_page(viewport={"width": size[0], "height": size[1]}, locale="zh-CN")
            visits = [(name, path, False) for name, path in PAGES.items()]
            visits += [(f"{name} (unlocked)", PAGES[name], True) for name in UNLOCKED]
            for name, path, editing in visits:
                page.goto(
                    f"{server}/{quote(path)}" + ("?lang=en" if lang == "en" else ""), wait_until="domcontentloaded"
                )
                page.locator('[data-testid="stMain"] h1, .tour-title').first.wait_for(timeout=60_000)
                if editing:
                    unlock(page, lang)
                if path == "规划编制":  # the draft's map draws (its text is scanned with the page's)
                    page.frame_locator(MAP_FRAME).locator("path.leaflet-interactive").first.wait_for(timeout=60_000)
                    page.screenshot(path=str(ARTIFACTS / f"scan-{lang}-{size[0]}-draft-map.png"))
                wait_idle(page)
                if path in FRAMES:
                    time.sleep(1.5)  # the components draw inside their iframes after the script's run
                if found := stray_text(page, lang, frames=path in FRAMES):
                    strays[name] = found
                if path in ("规划编制", "规划对比"):  # a draft is shown: marked in the page's language
                    mark = "草案" if lang == "zh" else "Draft"
                    if mark not in page.locator('[data-testid="stMain"]').inner_text():
                        strays[f"{name}: no {mark} mark"] = set()
                page.screenshot(path=str(ARTIFACTS / f"scan-{lang}-{size[0]}-{path or 'app'}-{int(editing)}.png"))
        finally:
            browser.close()
    assert not strays, {k: sorted(v) for k, v in strays.items()}
