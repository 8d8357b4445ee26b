"""The 实施评估 page's date field in a real browser at 1366×768 (Debian's chromium, Playwright), issue 21.

Streamlit's calendar spoke English on Chinese pages ("December 2026", "S M T W …"). The date field of
``ui/date_field.py`` is three select boxes: opening each shows only the page's language, the row fits the
sidebar, and the page's figures follow the chosen date.
"""

from __future__ import annotations

import datetime as dt
import re
import time
import urllib.parse

import pytest
from app_server import ARTIFACTS, CHROMIUM, watch_page
from app_server import CHROMIUM_ARGS as ARGS
from test_evaluate_browser import server  # noqa: F401  (module scoped: one server, a demo register)

from layout.catalog.projects import load_catalog
from layout.register.demo import fill_demo
from layout.register.events import Register

pytestmark = pytest.mark.skipif(
    not CHROMIUM.exists(), reason="needs Debian's chromium at /usr/bin/chromium (apt-get install chromium)"
)

LATIN = re.compile(r"[A-Za-z]")
HAN = re.compile(r"[\u3400-\u9fff]")
#: The box of each select box in the sidebar's date row, and whether its shown value is cut.
BOXES = """els => els.map(e => {
  const r = e.getBoundingClientRect();
  const v = e.querySelector('input');
  return {left: r.left, right: r.right, top: Math.round(r.top), cut: v.scrollWidth > v.clientWidth + 1, value: v.value};
})"""


def reported_on(day: dt.date, tmp_path) -> tuple[int, int]:
    """已填报 on ``day`` by plain counting: catalog projects with a status event dated on or before it."""
    catalog = load_catalog()
    reg = Register(tmp_path / "oracle.sqlite", catalog=catalog)
    fill_demo(reg, catalog)  # the same seeded demo register as the server's
    events = reg.events()
    ids = set(catalog["id"].astype(str))
    status = events[(events["field"] == "status") & (events["as_of"] <= day) & ~events["retracted"].astype(bool)]
    return len(set(status["subject"]) & ids), len(ids)


def open_options(page, box) -> list[str]:
    """Open a select box and read the options shown (retried while the page's first reruns settle)."""
    option = page.locator('[role="option"]').first
    for _ in range(30):
        box.click()
        try:
            option.wait_for(timeout=2_000)
            break
        except Exception:
            page.keyboard.press("Escape")
    return page.locator('[role="option"]').all_inner_texts()


def metric(page, label: str) -> str:
    block = page.locator('[data-testid="stMetric"]', has_text=label).first
    return block.locator('[data-testid="stMetricValue"]').inner_text()


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_date_field_speaks_the_page_language_and_moves_the_figures(server, lang, tmp_path):  # noqa: F811
    from playwright.sync_api import sync_playwright

    other = LATIN if lang == "zh" else HAN
    label, reported = ("截至日期", "已填报") if lang == "zh" else ("As of", "Reported")
    today = dt.date.today()
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        try:
            page = browser.new_page(viewport={"width": 1366, "height": 768}, locale="en-US")
            errors, foreign = watch_page(page, server)
            query = "?lang=en" if lang == "en" else ""
            page.goto(f"{server}/{urllib.parse.quote('实施评估')}{query}", wait_until="domcontentloaded")
            sidebar = page.locator('[data-testid="stSidebar"]')
            row = sidebar.locator('[data-testid="stHorizontalBlock"]', has_text=label).first
            row.wait_for(timeout=180_000)
            page.locator('[data-testid="stMetric"]', has_text=reported).first.wait_for(timeout=180_000)
            boxes = row.locator('[data-testid="stSelectbox"]')
            assert boxes.count() == 3
            shown = boxes.evaluate_all(BOXES)
            side = sidebar.bounding_box()
            assert len({b["top"] for b in shown}) == 1, shown  # one row
            assert all(side["x"] <= b["left"] and b["right"] <= side["x"] + side["width"] for b in shown), shown
            assert not any(b["cut"] for b in shown), shown  # 2026年 · 12月 · 6日 read whole
            assert label in row.inner_text() or label in sidebar.inner_text()
            for i in range(3):  # each part opened: its options in the page's language only
                options = open_options(page, boxes.nth(i))
                assert options, i
                assert not [o for o in options if other.search(o)], (i, options)
                page.screenshot(path=str(ARTIFACTS / f"date-field-{lang}-{i}.png"))
                page.keyboard.press("Escape")
            assert not other.search(row.inner_text()), row.inner_text()
            want = "2022年" if lang == "zh" else "2022"
            before = metric(page, reported)
            assert before == "{}/{}".format(*reported_on(today, tmp_path)), before
            options = open_options(page, boxes.nth(0))
            page.locator('[role="option"]', has_text=re.compile(f"^{want}$")).first.click()
            expected = "{}/{}".format(
                *reported_on(dt.date(2022, today.month, min(today.day, 28 if today.month == 2 else 30)), tmp_path)
            )
            deadline = time.time() + 120
            while time.time() < deadline and metric(page, reported) != expected:
                time.sleep(0.5)
            assert metric(page, reported) == expected != before, (before, metric(page, reported), expected)
        finally:
            browser.close()
    assert not errors, errors
    assert not foreign, foreign
