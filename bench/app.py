"""Benchmark: the explorer's map size and rerun times, with the shipped catalog and a synthetic 10,000.

Prints figures; asserts nothing about time. Targets (issue 4): default view's map HTML ≤ 600 KB
(``len(m.get_root().render())``); warm rerun after a filter change ≤ 0.5 s server time with the shipped
catalog; usable (clustered) with 10,000 projects.

    python bench/app.py [--synthetic 10000] [--repeat 5]

"Server time" is measured two ways: the pipeline the app runs for a new view (filter, build the map,
copy it, and turn it into the component's arguments as ``st_folium`` does), and a whole script rerun
under ``streamlit.testing.v1.AppTest`` (which adds the test harness's own overhead).
"""

from __future__ import annotations

import argparse
import copy
import statistics
import time
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from layout.catalog.projects import SECTORS, load_catalog
from layout.geo.boundaries import load_counties
from layout.geo.classify import classify_points, split_ids
from layout.render.views import DEFAULT_STATE, ViewState, apply_filters, build_search_index, filter_options
from layout.render.webmap import build_map, map_html_size

APP = Path(__file__).resolve().parent.parent / "app.py"
QUOTE = "以天意木国、茶乡花海等为引爆点，结合云梦方舟、周立波故居等场所建设旅游体验基地。"


def synthetic_catalog(n: int, *, seed: int = 2021) -> gpd.GeoDataFrame:
    """``n`` catalog-shaped projects at random points inside 益阳 (5% citywide), classified like the real one."""
    rng = np.random.default_rng(seed)
    counties = load_counties()
    xmin, ymin, xmax, ymax = shapely.total_bounds(counties.geometry.to_numpy())
    lon, lat = np.empty(0), np.empty(0)
    while lon.size < n:  # rejection sampling: keep points inside a county
        x, y = rng.uniform(xmin, xmax, 2 * n), rng.uniform(ymin, ymax, 2 * n)
        keep = classify_points(x, y, nearest=False)["inside"].to_numpy()
        lon, lat = np.concatenate([lon, x[keep]]), np.concatenate([lat, y[keep]])
    lon, lat = lon[:n], lat[:n]
    sectors = [s for group in SECTORS.values() for s in group]
    precision = rng.choice(["site", "town", "county", "citywide"], n, p=[0.5, 0.3, 0.15, 0.05])
    lon = np.where(precision == "citywide", np.nan, lon)
    lat = np.where(precision == "citywide", np.nan, lat)
    where = classify_points(lon, lat, nearest=False)
    df = pd.DataFrame(
        {
            "id": [f"S{i:05d}" for i in range(n)],
            "name": [f"合成项目{i}号茶乡花海" for i in range(n)],
            "name_en": "",
            "sector": rng.choice(sectors, n),
            "category": "",
            "action": rng.choice(["新建", "续建", "升级改造", "推进"], n),
            "county": where["county"].astype(object).fillna("全市").to_numpy(),
            "town": "",
            "plan_section": "第四章 一（二）",
            "plan_quote": QUOTE,
            "plan_zone": "",
            "lon": lon,
            "lat": lat,
            "precision": precision,
            "geocode_source": "synthetic",
            "notes": "",
            "computed_county": where["county"].astype(object).to_numpy(),
            "zone": where["zone"].astype(object).to_numpy(),
            "zones": where["zones"].astype(object).map(split_ids).to_numpy(),
            "poles": where["poles"].astype(object).map(split_ids).to_numpy(),
        }
    )
    geometry = [shapely.Point(x, y) if np.isfinite(x) else None for x, y in zip(lon, lat, strict=True)]
    return gpd.GeoDataFrame(df, geometry=gpd.GeoSeries(geometry, crs="EPSG:4326"))


def component_args(m) -> int:
    """What ``st_folium`` does to a map before sending it: render, and the leaflet script; returns its size."""
    import streamlit_folium as sf

    m.get_root().render()
    html, header = sf._get_html(m), sf._get_header(m)
    script = sf._get_map_string(m)
    return len(html) + len(header) + len(script)


def time_it(fn, repeat: int) -> tuple[float, object]:
    times, result = [], None
    for _ in range(repeat):
        t0 = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times), result


def pipeline(catalog, index, states: list[ViewState], repeat: int) -> dict[str, float]:
    options = filter_options(catalog, SECTORS)
    out = {}
    filt, _ = time_it(lambda: [apply_filters(catalog, s, options, index=index) for s in states], repeat)
    out["filter"] = filt / len(states)
    results = [apply_filters(catalog, s, options, index=index) for s in states]
    build, maps = time_it(
        lambda: [build_map(r.points, focus=s.focus) for r, s in zip(results, states, strict=True)], repeat
    )
    out["build_map"] = build / len(states)
    dup, copies = time_it(lambda: [copy.deepcopy(m) for m in maps], repeat)
    out["deepcopy"] = dup / len(states)
    args, _ = time_it(lambda: [component_args(copy.deepcopy(m)) for m in maps], repeat)
    out["st_folium_args"] = max(args / len(states) - out["deepcopy"], 0.0)
    out["new_view_total"] = out["filter"] + out["build_map"] + out["deepcopy"] + out["st_folium_args"]
    out["same_view_total"] = out["filter"] + out["deepcopy"] + out["st_folium_args"]
    return out


def apptest_rerun(repeat: int) -> tuple[float, float, float]:
    """Median seconds: a rerun with a new filter state, with an already-seen one, and the first run."""
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    st.cache_resource.clear()
    st.cache_data.clear()
    at = AppTest.from_file(str(APP), default_timeout=300)
    t0 = time.perf_counter()
    at.run()
    first = time.perf_counter() - t0
    new, same = [], []
    values = list(SECTORS.values())[0]
    for i in range(repeat):
        at.button_group(key="w_sector_3").set_value([values[i % len(values)]])
        t0 = time.perf_counter()
        at.run()
        new.append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        at.run()
        same.append(time.perf_counter() - t0)
        assert not at.exception, at.exception
    return statistics.median(new), statistics.median(same), first


def report(label: str, catalog, repeat: int, *, apptest: bool) -> None:
    t0 = time.perf_counter()
    index = build_search_index(catalog)
    index_time = time.perf_counter() - t0
    options = filter_options(catalog, SECTORS)
    default = apply_filters(catalog, DEFAULT_STATE, options, index=index)
    m = build_map(default.points)
    size = map_html_size(m)
    states = [DEFAULT_STATE.with_(sector=(s,)) for s in list(SECTORS.values())[0]]
    states += [DEFAULT_STATE.with_(county=("安化县",)), DEFAULT_STATE.with_(focus="zone:core")]
    times = pipeline(catalog, index, states, repeat)
    print(f"\n== {label}: {len(catalog):,} projects ({len(default.points):,} with a point) ==")
    print(f"default view map HTML        {size / 1000:8.1f} KB   (target ≤ 600 KB)")
    print(f"search index (once, cached)  {index_time * 1000:8.1f} ms")
    for key, value in times.items():
        print(f"{key:<28} {value * 1000:8.1f} ms")
    if apptest:
        new, same, first = apptest_rerun(repeat)
        print(f"AppTest first run (cold)     {first * 1000:8.1f} ms")
        print(f"AppTest rerun, new filter    {new * 1000:8.1f} ms   (target ≤ 500 ms)")
        print(f"AppTest rerun, same view     {same * 1000:8.1f} ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--synthetic", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--no-apptest", action="store_true", help="skip the whole-script AppTest timings")
    args = parser.parse_args()

    report("shipped catalog", load_catalog(), args.repeat, apptest=not args.no_apptest)
    if args.synthetic:
        synthetic = synthetic_catalog(args.synthetic)
        if not args.no_apptest:
            import layout.catalog.projects

            layout.catalog.projects.load_catalog = lambda *a, **k: synthetic  # the app reads it through this function
        report("synthetic catalog", synthetic, max(1, args.repeat // 2), apptest=not args.no_apptest)


if __name__ == "__main__":
    main()
