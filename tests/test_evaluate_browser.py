"""The 实施评估 page in a real browser (Debian's chromium, headless, Playwright) over a demo register."""

from __future__ import annotations

import os
import time
import urllib.parse
import urllib.request

import pytest
from app_server import ARTIFACTS, CHROMIUM, MAP_FRAME, ROOT, running_app, watch_page
from app_server import CHROMIUM_ARGS as ARGS

from layout.catalog.projects import load_catalog
from layout.register.demo import fill_demo
from layout.register.events import Register

SCREENSHOT = ROOT / "docs" / "evaluation.png"

pytestmark = pytest.mark.skipif(
    not CHROMIUM.exists(), reason="needs Debian's chromium at /usr/bin/chromium (apt-get install chromium)"
)


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    path = tmp_path_factory.mktemp("eval") / "demo.sqlite"
    catalog = load_catalog()
    fill_demo(Register(path, catalog=catalog), catalog)
    try:
        with running_app(
            {"LAYOUT_REGISTER": str(path), "LAYOUT_EDITOR_KEY": None}, log=ARTIFACTS / "streamlit-evaluate.log"
        ) as (url, _):
            yield url
    except RuntimeError as exc:
        pytest.fail(str(exc))


def test_status_map_legend_and_demo_mark(server):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        try:
            page = browser.new_page(viewport={"width": 1500, "height": 1100}, locale="zh-CN")
            errors, foreign = watch_page(page, server)
            page.goto(f"{server}/{urllib.parse.quote('实施评估')}", wait_until="domcontentloaded")
            frame = page.frame_locator(MAP_FRAME)
            legend = frame.locator(".map-legend", has_text="项目状态")
            try:
                legend.wait_for(timeout=180_000)
            finally:
                page.screenshot(path=str(ARTIFACTS / "evaluation-debug.png"))
                print("page errors:", errors)
            text = legend.inner_text()
            assert "未填报" in text and "在建" in text and "演示数据" in text
            assert frame.locator("path.leaflet-interactive").count() > 95  # counties, zones and 95 projects
            main = page.locator('[data-testid="stMain"]')
            assert "演示数据：" in main.inner_text()  # the banner, in the page's one language
            assert "已填报" in main.inner_text()
            time.sleep(1.0)
            page.screenshot(path=str(ARTIFACTS / "evaluation.png"))
            if os.environ.get("UPDATE_SCREENSHOT") or not SCREENSHOT.exists():
                SCREENSHOT.parent.mkdir(exist_ok=True)
                page.screenshot(path=str(SCREENSHOT))
        finally:
            browser.close()
    assert not errors, errors
    assert not foreign, foreign
