"""Benchmark: the explorer as a user waits for it, in a real browser (Debian's chromium via Playwright).

Starts ``streamlit run app.py`` on 127.0.0.1 (the shipped catalog, or ``--synthetic N`` projects written
to a temporary CSV), then measures:

- first map: from opening the page (server warm: one visit made before) to the project markers drawn;
- filter → map: from a click on a sector pill to the map showing the new number of markers;
- language → map: from a click on "English" to the map's legend in English.

Prints medians over ``--repeat`` runs; asserts nothing about time. Targets (issue 13): filter → map
≤ 1 s, first map ≤ 4 s warm. With ``--screenshots DIR`` it also saves the explorer at 1366×768 and
1920×1080 in both languages (``docs/`` holds the README's copies).

    python bench/browser.py [--synthetic 10000] [--repeat 5] [--screenshots docs]
"""

from __future__ import annotations

import argparse
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))  # the browser tests' app server and Chromium settings
from app_server import CHROMIUM_ARGS as ARGS  # noqa: E402
from app_server import MAP_FRAME, running_app  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
SIZES = {"1366x768": (1366, 768), "1920x1080": (1920, 1080)}


def shown_projects(frame) -> int:
    """Project markers drawn, counting each cluster as the number it shows."""
    return int(
        frame.locator("body").evaluate("""() => {
        let n = document.querySelectorAll('path.project-marker').length;
        document.querySelectorAll('.marker-cluster span').forEach(s => { n += parseInt(s.textContent) || 0; });
        return n; }""")
    )


def poll(predicate, timeout: float = 60.0, step: float = 0.02):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            value = predicate()
        except Exception:  # noqa: BLE001 - the page is between two renders: look again
            value = None
        if value:
            return value
        time.sleep(step)
    raise TimeoutError("condition not met")


def metric(page, index: int = 0) -> int:
    """The value of the ``index``-th metric (0: projects on the map)."""
    text = page.locator('[data-testid="stMetricValue"]').nth(index).inner_text(timeout=2000)
    return int(text.split("/")[0].strip().replace(",", ""))


def open_map(page, url: str) -> float:
    """Seconds from navigation to the map showing every located project of the view."""
    page.goto("about:blank")
    t0 = time.perf_counter()
    page.goto(url, wait_until="commit")
    frame = page.frame_locator(MAP_FRAME)
    poll(lambda: page.locator('[data-testid="stMetric"]').count() >= 3)
    expected = poll(lambda: metric(page))
    poll(lambda: frame.locator("body").count() and shown_projects(frame) == expected)
    return time.perf_counter() - t0


def click_filter(page, pill: str) -> float:
    """Seconds from a click on a sector pill to the map showing the new number of markers."""
    frame = page.frame_locator(MAP_FRAME)
    before = metric(page)
    t0 = time.perf_counter()
    page.locator('[data-testid="stSidebar"] button', has_text=re.compile(f"^{pill}")).first.click()
    after = poll(lambda: (n := metric(page)) != before and n)
    poll(lambda: shown_projects(frame) == after)
    return time.perf_counter() - t0


def switch_language(page) -> float:
    """Seconds from a click on English to the map's legend drawn in English."""
    frame = page.frame_locator(MAP_FRAME)
    t0 = time.perf_counter()
    page.locator('[data-testid="stSidebar"] button', has_text="English").first.click()
    poll(lambda: frame.locator(".map-legend summary", has_text="Legend").count() > 0)
    return time.perf_counter() - t0


def measure(url: str, repeat: int, label: str) -> dict[str, float]:
    from playwright.sync_api import sync_playwright

    pills = ["电子商务业", "文旅休闲业", "康养服务业"]
    first, filters, langs = [], [], []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            page = browser.new_page(viewport={"width": 1366, "height": 768}, locale="zh-CN")
            open_map(page, url)  # warm the server (caches, first import) and the browser's cache
            for i in range(repeat):
                first.append(open_map(page, url))
                filters.append(click_filter(page, pills[i % len(pills)]))  # on
                filters.append(click_filter(page, pills[i % len(pills)]))  # and off again
            for _ in range(max(1, repeat // 2)):
                open_map(page, url)
                langs.append(switch_language(page))
        finally:
            browser.close()
    out = {
        "first map (warm)": statistics.median(first),
        "filter → map": statistics.median(filters),
        "filter → map, p90": sorted(filters)[int(0.9 * (len(filters) - 1))],
        "language → map": statistics.median(langs),
    }
    print(f"\n== {label} ==")
    for key, value in out.items():
        print(f"{key:<22} {value:6.2f} s")
    return out


def screenshots(url: str, folder: Path) -> list[Path]:
    """The explorer at both screen sizes in both languages."""
    from playwright.sync_api import sync_playwright

    folder.mkdir(parents=True, exist_ok=True)
    saved = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            for size, (w, h) in SIZES.items():
                for lang in ("zh", "en"):
                    page = browser.new_page(viewport={"width": w, "height": h}, locale="zh-CN")
                    open_map(page, url + ("?lang=en" if lang == "en" else ""))
                    time.sleep(1.0)
                    path = folder / f"explorer-{size}-{lang}.png"
                    page.screenshot(path=str(path))
                    saved.append(path)
                    page.close()
        finally:
            browser.close()
    return saved


def write_synthetic(n: int, folder: Path) -> Path:
    """``n`` synthetic projects (bench/app.py's generator) as a catalog CSV."""
    sys.path[:0] = [str(ROOT / "bench"), str(ROOT)]  # bench/app.py (not the app), and this checkout's layout
    from app import synthetic_catalog
    from layout.catalog.projects import COLUMNS

    df = synthetic_catalog(n)
    path = folder / "synthetic_catalog.csv"
    df[COLUMNS].to_csv(path, index=False)
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--synthetic", type=int, default=10_000, help="also measure N synthetic projects (0: skip)")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--screenshots", type=Path, help="save screenshots (both sizes, both languages) here")
    args = parser.parse_args()

    with running_app() as (url, _):
        measure(url, args.repeat, "shipped catalog")
        if args.screenshots:
            for path in screenshots(url, args.screenshots):
                print(f"saved {path}")
    if args.synthetic:
        with tempfile.TemporaryDirectory() as tmp:
            path = write_synthetic(args.synthetic, Path(tmp))
            with running_app({"LAYOUT_CATALOG": str(path)}) as (url, _):
                measure(url, max(1, args.repeat // 2), f"synthetic catalog: {args.synthetic:,} projects")


if __name__ == "__main__":
    main()
