"""The 规划对比 page in a real browser (Debian's chromium, headless, Playwright): the swipe map and the
side-by-side maps draw inside the page's HTML component with no request leaving the machine."""

from __future__ import annotations

import urllib.parse

import pytest
from app_server import ARTIFACTS, CHROMIUM, ROOT, running_app, watch_page
from app_server import CHROMIUM_ARGS as ARGS

pytestmark = pytest.mark.skipif(
    not CHROMIUM.exists(), reason="needs Debian's chromium at /usr/bin/chromium (apt-get install chromium)"
)


@pytest.fixture(scope="module")
def server(tmp_path_factory, run_layout):
    data = tmp_path_factory.mktemp("plans")
    env = {"LAYOUT_DATA_DIR": str(data), "PYTHONPATH": str(ROOT)}
    for args in (
        ["plan", "new", "十五五草案", "--from", "十四五", "--by", "张三"],
        ["plan", "assign", "十五五草案", "桃江县", "core", "--by", "张三", "--reason", "测试"],
    ):
        done = run_layout(*args, env=env)
        assert done.returncode == 0, done.stderr
    try:
        with running_app(
            {"LAYOUT_DATA_DIR": str(data), "LAYOUT_EDITOR_KEY": None}, log=ARTIFACTS / "streamlit-plans.log"
        ) as (url, _):
            yield url
    except RuntimeError as exc:
        pytest.fail(str(exc))


def test_compare_page_draws_swipe_and_side_by_side_maps_offline(server):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 1100}, locale="zh-CN")
            errors, foreign = watch_page(page, server)
            page.goto(f"{server}/{urllib.parse.quote('规划对比')}", wait_until="domcontentloaded")
            frame = page.frame_locator('iframe[title="st.iframe"], iframe[srcdoc]').first
            swipe = frame.locator(".leaflet-sbs-range")
            try:
                swipe.wait_for(state="attached", timeout=180_000)  # the range input is styled transparent
                frame.locator("path.leaflet-interactive").nth(11).wait_for(timeout=30_000)
            finally:
                page.screenshot(path=str(ARTIFACTS / "plan-compare.png"))
            # 3 zones on each of the swipe map's two sides and on each side-by-side map
            assert frame.locator("path.leaflet-interactive").count() == 12
            assert "草案" in page.locator('[data-testid="stMain"]').inner_text()
        finally:
            browser.close()
    assert not errors, errors
    assert not foreign, foreign
