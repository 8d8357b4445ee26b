"""Streamlit's own texts while a rerun runs, in a real browser (Debian's chromium, Playwright), issue 21: the
running indicator's "Stop" and the main menu were Streamlit's English on Chinese pages. With
``client.toolbarMode = "minimal"`` (``.streamlit/config.toml``) neither is drawn; the page's own spinner says
what it is doing in the page's language. The text is taken during a slow rerun of the 实施评估 page (making
its PDF report), when Streamlit would show its indicator."""

from __future__ import annotations

import time
import urllib.parse

import pytest
from app_server import ARTIFACTS, CHROMIUM, running_app
from app_server import CHROMIUM_ARGS as ARGS
from test_pages_browser import CJK, FILE_NAME, LATIN, LATIN_OK, VISIBLE_TEXT, ZONE_ID

from layout.catalog.projects import load_catalog
from layout.i18n import t
from layout.register.demo import fill_demo
from layout.register.events import Register

pytestmark = pytest.mark.skipif(
    not CHROMIUM.exists(), reason="needs Debian's chromium at /usr/bin/chromium (apt-get install chromium)"
)

#: What Streamlit draws at the top while a rerun runs: its status widget ("Stop"), toolbar and main menu.
CHROME = """() => ({
  widget: document.querySelectorAll('[data-testid="stStatusWidget"]').length,
  menu: document.querySelectorAll('[data-testid="stMainMenu"]').length,
  toolbar: [...document.querySelectorAll('[data-testid="stToolbar"]')].map(e => e.innerText).join(' '),
  header: [...document.querySelectorAll('[data-testid="stHeader"]')].map(e => e.innerText).join(' '),
  spinner: [...document.querySelectorAll('[data-testid="stSpinner"]')].map(e => e.innerText).join(' '),
})"""


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    register = tmp_path_factory.mktemp("register") / "demo.sqlite"
    catalog = load_catalog()
    fill_demo(Register(register, catalog=catalog), catalog)  # a filled register: its PDF report takes a while
    try:
        with running_app(
            {"LAYOUT_REGISTER": str(register), "LAYOUT_EDITOR_KEY": None}, log=ARTIFACTS / "streamlit-texts.log"
        ) as (url, _):
            yield url
    except RuntimeError as exc:
        pytest.fail(str(exc))


def stray(text: str, lang: str) -> set[str]:
    """Words of the other language (as the page scan in test_pages_browser counts them)."""
    if lang == "zh":
        return {w for w in LATIN.findall(FILE_NAME.sub("", ZONE_ID.sub("", text))) if w.lower() not in LATIN_OK}
    return {w for w in CJK.findall(text) if w != "中文"}


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_no_streamlit_english_while_a_slow_rerun_runs(server, lang):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        try:
            page = browser.new_page(viewport={"width": 1366, "height": 768}, locale="zh-CN")
            query = "?lang=en" if lang == "en" else ""
            page.goto(f"{server}/{urllib.parse.quote('实施评估')}{query}", wait_until="domcontentloaded")
            page.locator('[data-testid="stMetricValue"]').first.wait_for(timeout=180_000)
            page.locator('[data-testid="stMain"] [role="tab"]').nth(5).click()  # 导出报告 / Export
            page.get_by_role("button", name=t("eval.make_pdf", lang)).click()
            running, start = [], time.time()
            while time.time() < start + 180:  # until the report is made, looking all along
                chrome = page.evaluate(CHROME)
                if chrome["spinner"]:
                    running.append((chrome, page.evaluate(VISIBLE_TEXT, lang == "en")))
                    if len(running) == 1:
                        page.screenshot(path=str(ARTIFACTS / f"slow-rerun-{lang}.png"))
                elif running:
                    break
                time.sleep(0.1)
            page.get_by_role("button", name=t("eval.download", lang, fmt="PDF")).wait_for(timeout=60_000)
        finally:
            browser.close()
    assert len(running) >= 3, "the report was made too fast to look at the page while it ran"  # ≥ 0.3 s
    for chrome, text in running:
        assert chrome["spinner"].strip() == t("eval.making", lang), chrome
        assert chrome["widget"] == 0 and chrome["menu"] == 0, chrome  # no "Stop", no menu of English items
        assert not chrome["toolbar"].strip() and not chrome["header"].strip(), chrome
        assert not stray(text, lang), stray(text, lang)
