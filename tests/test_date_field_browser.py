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
from app_server import ARTIFACTS, CHROMIUM, running_app, watch_page
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


KEY = "a-long-editor-key-for-tests"


@pytest.fixture(scope="module")
def register_server(tmp_path_factory):
    path = tmp_path_factory.mktemp("register") / "register.sqlite"
    try:
        with running_app(
            {"LAYOUT_REGISTER": str(path), "LAYOUT_EDITOR_KEY": KEY}, log=ARTIFACTS / "streamlit-date-field.log"
        ) as (url, _):
            yield url, path
    except RuntimeError as exc:
        pytest.fail(str(exc))


def test_register_date_above_the_form_keeps_what_the_officer_typed(register_server):
    """On 项目台账 the date field sits above the edit form (inside a form its days could not follow the
    month): changing it reruns the page, and the values typed in the form but not yet saved stay."""
    from playwright.sync_api import sync_playwright

    url, path = register_server
    today = dt.date.today()
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        try:
            page = browser.new_page(viewport={"width": 1366, "height": 768})
            errors, foreign = watch_page(page, url)
            page.goto(f"{url}/{urllib.parse.quote('项目台账')}", wait_until="domcontentloaded")
            sidebar = page.locator('[data-testid="stSidebar"]')
            for label, value in (("编辑密钥", KEY), ("您的姓名（记入每条修改）", "张三")):
                box = sidebar.get_by_label(label)
                box.wait_for(timeout=180_000)
                box.fill(value)
                box.press("Enter")
                time.sleep(3)
            sidebar.get_by_text("编辑人：张三").wait_for(timeout=60_000)
            page.get_by_role("tab", name="项目卡片与编辑").click()
            progress = page.get_by_label("进度(%)", exact=True)
            progress.wait_for(timeout=60_000)
            progress.fill("45")  # typed, not saved
            open_options(page, page.get_by_label("月", exact=True).first)
            page.locator('[role="option"]', has_text=re.compile("^1月$")).first.click()
            row = page.locator(".st-key-w_reg_e_as_of_date input")
            deadline = time.time() + 60
            while time.time() < deadline and row.nth(1).input_value() != "1月":
                time.sleep(0.5)
            time.sleep(2)  # the rerun the month started has drawn the page again
            assert row.evaluate_all("es => es.map(e => e.value)") == [f"{today.year}年", "1月", f"{today.day}日"]
            assert progress.input_value() == "45"
            page.get_by_role("button", name="保存").last.click()
            page.get_by_text("已保存").first.wait_for(timeout=60_000)
        finally:
            browser.close()
    events = Register(path).events()
    assert events[["field", "value", "as_of", "by"]].values.tolist() == [
        ["progress", "45", dt.date(today.year, 1, today.day), "张三"]
    ]
    assert not errors, errors
    assert not foreign, foreign
