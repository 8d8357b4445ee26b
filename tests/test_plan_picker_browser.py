"""The plan picker in a real browser (Debian's chromium, Playwright): a draft picked on the explorer stays picked on
the other pages, in the URL, and each page says 草案; two browser sessions on two plans see their own counts."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from urllib.parse import quote

import pytest
from app_server import ARTIFACTS, CHROMIUM, ROOT, running_app
from app_server import CHROMIUM_ARGS as ARGS

DRAFT = "十五五草案"
BANNER = f"草案 · {DRAFT} · 未经批准"

pytestmark = pytest.mark.skipif(
    not CHROMIUM.exists(), reason="needs Debian's chromium at /usr/bin/chromium (apt-get install chromium)"
)


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    data = tmp_path_factory.mktemp("data")
    env = {**os.environ, "LAYOUT_DATA_DIR": str(data), "PYTHONPATH": str(ROOT)}
    subprocess.run(
        [sys.executable, "-m", "layout", "plan", "new", DRAFT, "--from", "十四五", "--by", "张三"],
        check=True,
        cwd=ROOT,
        capture_output=True,
        env=env,
    )  # its catalog starts empty: the explorer on the draft counts 0 projects
    register = tmp_path_factory.mktemp("register") / "register.sqlite"
    try:
        with running_app(
            {"LAYOUT_DATA_DIR": str(data), "LAYOUT_REGISTER": str(register)}, log=ARTIFACTS / "streamlit-picker.log"
        ) as (url, _):
            yield url
    except RuntimeError as exc:
        pytest.fail(str(exc))


def zone_counts(page) -> list[int]:
    """The project counts in the zone filter's options ("一核·… (44)")."""
    box = page.locator('[data-testid="stSidebar"] [data-testid="stMultiSelect"]').first
    option = page.locator('[role="option"]').first
    for _ in range(30):  # a click during the page's first reruns (the plan picker settling) opens nothing: again
        box.click()
        try:
            option.wait_for(timeout=2_000)
            break
        except Exception:
            page.keyboard.press("Escape")
    options = page.locator('[role="option"]').all_inner_texts()
    page.keyboard.press("Escape")
    return [int(n) for n in re.findall(r"\((\d+)\)", " ".join(options))]


def test_a_draft_picked_on_the_explorer_follows_the_reader_across_pages(server):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        try:
            draft = browser.new_page(viewport={"width": 1366, "height": 768})
            draft.goto(f"{server}/?plan={quote(DRAFT)}", wait_until="domcontentloaded")
            main = draft.locator('[data-testid="stMain"]')
            main.get_by_text(BANNER).first.wait_for(timeout=60_000)
            plain = browser.new_context().new_page()  # another session at the same time: 十四五
            plain.goto(server, wait_until="domcontentloaded")
            plain.locator('[data-testid="stMain"] h1').first.wait_for(timeout=60_000)
            on_draft, on_14th = zone_counts(draft), zone_counts(plain)
            assert len(on_draft) == len(on_14th) == 3 and on_draft == [0, 0, 0]  # the draft's catalog is empty
            assert not plain.get_by_text(BANNER).count() and all(on_14th), on_14th  # 十四五 keeps its projects

            draft.locator('[data-testid="stSidebar"] a', has_text="实施评估").first.click()
            draft.get_by_text(BANNER).first.wait_for(timeout=60_000)
            draft.wait_for_function(
                f"() => decodeURIComponent(location.search).includes('plan={DRAFT}')", timeout=30_000
            )
            draft.locator('[data-testid="stSidebar"] a', has_text="项目台账").first.click()
            draft.get_by_text(BANNER).first.wait_for(timeout=60_000)
            draft.screenshot(path=str(ARTIFACTS / "picker-register-on-draft.png"))
        finally:
            browser.close()
