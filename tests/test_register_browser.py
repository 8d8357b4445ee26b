"""The 项目台账 page in a real browser: enable editing with the key, place a project by clicking the map,
save, reload, and see its solid (site-precision) marker. Debian's chromium, headless, via Playwright."""

from __future__ import annotations

import time
from urllib.parse import quote

import pytest
from app_server import ARTIFACTS, CHROMIUM, MAP_FRAME, running_app, watch_page
from app_server import CHROMIUM_ARGS as ARGS

KEY = "browser-test-editor-key"

pytestmark = pytest.mark.skipif(
    not CHROMIUM.exists(), reason="needs Debian's chromium at /usr/bin/chromium (apt-get install chromium)"
)


@pytest.fixture
def server(tmp_path):
    register = tmp_path / "register.sqlite"
    try:
        with running_app(
            {"LAYOUT_REGISTER": str(register), "LAYOUT_EDITOR_KEY": KEY}, log=ARTIFACTS / "streamlit-register.log"
        ) as (url, _):
            yield url, register
    except RuntimeError as exc:
        pytest.fail(str(exc))


def open_card(page, url: str):
    page.goto(f"{url}/{quote('项目台账')}", wait_until="domcontentloaded")
    page.get_by_role("tab", name="项目卡片与编辑").click()
    frame = page.frame_locator(MAP_FRAME)
    frame.locator("path.leaflet-interactive").first.wait_for(state="attached", timeout=60_000)
    return frame


def test_place_a_project_by_clicking_the_map(server):
    from playwright.sync_api import sync_playwright

    from layout.register.events import Register

    url, register = server
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        try:
            page = browser.new_page(viewport={"width": 1500, "height": 1200}, locale="zh-CN")
            errors, foreign = watch_page(page, url)
            page.goto(f"{url}/{quote('项目台账')}", wait_until="domcontentloaded")
            sidebar = page.locator('[data-testid="stSidebar"]')
            key_box = sidebar.locator('input[type="password"]')
            key_box.wait_for(timeout=60_000)
            key_box.fill(KEY)
            key_box.press("Enter")
            name_box = sidebar.get_by_label("您的姓名（记入每条修改）")
            name_box.wait_for(timeout=30_000)
            name_box.fill("测试员")
            name_box.press("Enter")
            sidebar.get_by_text("编辑人：测试员").wait_for(timeout=30_000)

            page.get_by_role("tab", name="项目卡片与编辑").click()
            shown = f"{MAP_FRAME} >> visible=true"  # the other tab's map stays in the page, hidden (width -1)
            deadline = time.monotonic() + 60
            while time.monotonic() < deadline and not (
                page.locator(shown).count() == 1 and page.locator(shown).get_attribute("width") != "-1"
            ):
                time.sleep(0.25)  # the card tab's map is drawn after the click
            frame = page.frame_locator(shown)
            frame.locator("path.leaflet-interactive").first.wait_for(state="attached", timeout=60_000)
            assert frame.locator("path.project-marker").count() == 0  # P001 (全市) has no point yet

            label = frame.locator(".map-label", has_text="赫山区").first
            label.wait_for(timeout=30_000)
            box = label.bounding_box()
            page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2 + 12)
            answer = page.locator('[data-testid="stAlert"]', has_text="位于").first
            answer.wait_for(timeout=60_000)
            assert "赫山区" in answer.inner_text()
            source = page.get_by_label("坐标来源（必填）")
            source.fill("现场核实 2026-03")
            source.press("Enter")
            page.get_by_role("button", name="保存位置").click()
            page.locator('[data-testid="stAlert"]', has_text="已保存 P001").wait_for(timeout=30_000)

            page.reload(wait_until="domcontentloaded")
            frame = open_card(page, url)
            marker = frame.locator("path.project-marker.precision-site")
            marker.wait_for(state="attached", timeout=30_000)
            assert marker.count() == 1
            assert KEY not in page.content()  # the key is not kept in the page
            page.screenshot(path=str(ARTIFACTS / "register-placed.png"))
        except Exception:
            page.screenshot(path=str(ARTIFACTS / "register-failed.png"), full_page=True)
            raise
        finally:
            browser.close()
    assert not errors, errors
    assert not foreign, f"fetched from other hosts: {sorted(set(foreign))}"
    row = Register(register).state().loc["P001"]
    assert row["site_source"] == "现场核实 2026-03" and 111.9 < row["site_lon"] < 112.8
