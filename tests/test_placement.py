"""Approximate markers: fanned out on a lattice, every drawn marker inside its own county, on the web
map, the print maps (A4 and deck size) and the offline HTML, for every scope."""

from __future__ import annotations

import json
import re

import numpy as np
import pandas as pd
import pytest
import shapely
from pyproj import Transformer

from layout.catalog.projects import SECTOR_NAMES, load_catalog
from layout.geo.boundaries import load_counties
from layout.render.export import DECK_MAP_SIZE, map_html
from layout.render.palette import SECTOR_COLORS
from layout.render.placement import (
    PLACE_CRS,
    WEB_SPACING_M,
    area_polygon,
    hex_offsets,
    marker_areas,
    place_markers_xy,
    place_projects,
)
from layout.render.printmap import draw_map, map_layout
from layout.render.printmap_plan import PAGE_SIZE, marker_radius_pt, plan_map
from layout.render.scopes import parse_scope, scope_mask, valid_scopes
from layout.render.webmap import build_map
from layout.render.webmap_elements import ProjectLayer

TO_MAP = Transformer.from_crs("EPSG:4326", PLACE_CRS, always_xy=True)
WEB_RADIUS_M = 350  # a county-precision circle (10 px + stroke) at zoom 12, where clustering stops


def seat(county: str) -> tuple[float, float]:
    """A county's seat as the catalog has it (its county-precision point), in metres."""
    rows = load_catalog()
    row = rows[(rows["county"] == county) & (rows["precision"] == "county")].iloc[0]
    return TO_MAP.transform(float(row["lon"]), float(row["lat"]))


def assert_inside(xy: np.ndarray, areas, *, clearance_m: float, where: str) -> None:
    """Every point is inside its area's full-resolution polygon, at least ``clearance_m`` from its border."""
    assert len(xy) == len(areas)
    for (x, y), area in zip(xy, areas, strict=True):
        poly = area_polygon(area)
        point = shapely.Point(x, y)
        assert poly.contains(point), f"{where}: a {area} marker at {x:.0f}, {y:.0f} is outside {area}"
        gap = poly.boundary.distance(point)
        assert gap >= clearance_m, f"{where}: a {area} marker is {gap:.0f} m from its border (< {clearance_m:.0f})"


# --------------------------------------------------------------------------------------------
# The lattice and the rule


def test_hex_lattice_is_nearest_first_in_rings_of_six():
    xy = hex_offsets(2, 10.0)
    dist = np.hypot(xy[:, 0], xy[:, 1])
    assert len(xy) == 19 and (np.diff(np.round(dist, 6)) >= 0).all()
    assert dist[0] == 0 and np.allclose(dist[1:7], 10) and (dist[7:] > 10).all()
    gaps = np.hypot(*(xy[:, None, :] - xy[None, :, :]).transpose(2, 0, 1))
    assert gaps[~np.eye(len(xy), dtype=bool)].min() == pytest.approx(10)


def test_a_seat_near_a_border_fans_into_its_own_county_only():
    x, y = seat("赫山区")  # 赫山区's seat is close to 资阳区: a plain ring spilled over
    n = 40
    px, py = place_markers_xy(np.full(n, x), np.full(n, y), ["赫山区"] * n, spacing=1500, margin=800)
    xy = np.column_stack([px, py])
    assert_inside(xy, ["赫山区"] * n, clearance_m=799, where="赫山区 fan")
    gaps = np.hypot(*(xy[:, None, :] - xy[None, :, :]).transpose(2, 0, 1))
    assert gaps[~np.eye(n, dtype=bool)].min() >= 1500 - 1e-6
    assert np.hypot(px - x, py - y).max() < 15_000  # still a compact fan around the seat


def test_alone_at_its_place_a_marker_stays_put_and_the_layout_is_deterministic():
    x, y = seat("安化县")
    xs = np.array([x, x, x, x + 30_000])
    ys = np.array([y, y, y, y])
    first = place_markers_xy(xs, ys, ["安化县"] * 4, spacing=900, margin=500)
    again = place_markers_xy(xs, ys, ["安化县"] * 4, spacing=900, margin=500)
    assert np.array_equal(first[0], again[0]) and np.array_equal(first[1], again[1])
    assert (first[0][3], first[1][3]) == (xs[3], ys[3])
    assert len({(a, b) for a, b in zip(first[0][:3], first[1][:3], strict=True)}) == 3


def test_a_point_outside_its_county_is_drawn_inside_it_and_nan_stays_nan():
    x, y = seat("资阳区")  # a 赫山区 project drawn at 资阳区's seat must still be drawn in 赫山区
    px, py = place_markers_xy([x, np.nan], [y, np.nan], ["赫山区", "赫山区"], spacing=900, margin=500)
    assert_inside(np.array([[px[0], py[0]]]), ["赫山区"], clearance_m=499, where="moved")
    assert np.isnan(px[1]) and np.isnan(py[1])


def test_a_county_too_small_for_its_markers_packs_them_closer_but_inside():
    x, y = seat("资阳区")
    n = 60
    px, py = place_markers_xy(np.full(n, x), np.full(n, y), ["资阳区"] * n, spacing=12_000, margin=1_000)
    assert_inside(np.column_stack([px, py]), ["资阳区"] * n, clearance_m=999, where="packed")
    assert len(set(zip(px, py, strict=True))) == n


def test_place_projects_keeps_the_point_each_marker_stands_for(catalog):
    rows = catalog[catalog["lon"].notna()]
    placed = place_projects(rows)
    assert placed["anchor_lon"].tolist() == rows["lon"].tolist()
    moved = placed["lon"].to_numpy(float) != rows["lon"].to_numpy(float)
    assert moved.sum() > 50 and (placed["precision"][moved] != "site").all()
    assert placed.equals(place_projects(rows))


def test_marker_areas_follow_the_declared_county_and_datonghu_its_footprint():
    rows = pd.DataFrame(
        {
            "county": ["大通湖区", "赫山区", "全市", "安化县", "中心城区"],
            "computed_county": ["南县", "资阳区", "桃江县", "桃江县", "资阳区"],
            "precision": ["county", "county", "site", "site", "county"],
        }
    )
    assert list(marker_areas(rows)) == ["大通湖区", "赫山区", "桃江县", "桃江县", "中心城区"]
    counties = load_counties().to_crs(PLACE_CRS).set_index("name")
    footprint = shapely.union_all([counties.loc["南县", "geometry"], counties.loc["沅江市", "geometry"]])
    assert area_polygon("大通湖区").symmetric_difference(footprint).area < 1.0
    core = shapely.union_all([counties.loc["资阳区", "geometry"], counties.loc["赫山区", "geometry"]])
    assert area_polygon("中心城区").symmetric_difference(core).area < 1.0


# --------------------------------------------------------------------------------------------
# Every drawn marker, every scope, every output


def project_rows(layer: ProjectLayer) -> tuple[np.ndarray, list[str]]:
    """Drawn positions (metres) and ids of a ProjectLayer's rows."""
    lat = np.array([r[0] for r in layer.rows])
    lon = np.array([r[1] for r in layer.rows])
    x, y = TO_MAP.transform(lon, lat)
    return np.column_stack([x, y]), [layer.strings[r[13]] for r in layer.rows]


def areas_of(catalog: pd.DataFrame, ids: list[str]) -> list[str]:
    by_id = pd.Series(marker_areas(catalog), index=catalog["id"].to_numpy())
    return [by_id[i] for i in ids]


@pytest.mark.parametrize("scope", valid_scopes())
def test_web_map_markers_lie_in_their_own_county(catalog, scope):
    projects = catalog.loc[scope_mask(catalog, parse_scope(scope))]
    m = build_map(projects, focus="" if scope == "city" else scope)
    layer = next(c for c in m._children.values() if isinstance(c, ProjectLayer))
    xy, ids = project_rows(layer)
    assert len(ids) == int(projects["lon"].notna().sum())
    assert_inside(xy, areas_of(catalog, ids), clearance_m=WEB_RADIUS_M, where=f"web map {scope}")
    gaps = np.hypot(*(xy[:, None, :] - xy[None, :, :]).transpose(2, 0, 1))
    assert len(ids) < 2 or gaps[~np.eye(len(ids), dtype=bool)].min() >= WEB_SPACING_M * 0.99


@pytest.mark.parametrize("scope", valid_scopes())
def test_offline_html_markers_lie_in_their_own_county(catalog, scope):
    page = map_html(scope, catalog=catalog, heading=False)
    strings = json.loads(re.search(r"var S = (\[.*?\]);\n", page).group(1))
    rows = json.loads(re.search(r"var R = (\[.*?\]);\n", page).group(1))
    x, y = TO_MAP.transform([r[1] for r in rows], [r[0] for r in rows])
    ids = [strings[r[13]] for r in rows]
    assert len(ids) == int(catalog.loc[scope_mask(catalog, parse_scope(scope)), "lon"].notna().sum())
    assert_inside(np.column_stack([x, y]), areas_of(catalog, ids), clearance_m=WEB_RADIUS_M, where=f"html {scope}")


def drawn_markers(fig) -> np.ndarray:
    ax = next(a for a in fig.axes if a.get_label() == "map")
    offsets = [c.get_offsets() for c in ax.collections if str(c.get_label()).startswith("projects:")]
    return np.concatenate(offsets) if offsets else np.empty((0, 2))


@pytest.mark.parametrize("figsize", [PAGE_SIZE, DECK_MAP_SIZE], ids=["print", "deck"])
@pytest.mark.parametrize("scope", valid_scopes())
def test_print_map_markers_lie_in_their_own_county(catalog, scope, figsize):
    titles = figsize == PAGE_SIZE
    fig = draw_map(scope, catalog, figsize=figsize, titles=titles, sectors=SECTOR_NAMES, colors=SECTOR_COLORS)
    drawn = drawn_markers(fig)
    box, _ = map_layout(figsize, titles=titles)
    frame_w, frame_h = figsize[0] * box[2], figsize[1] * box[3]
    plan = plan_map(scope, catalog, aspect=frame_w / frame_h, map_width_in=frame_w)
    in_scope = catalog.loc[scope_mask(catalog, parse_scope(scope))]
    assert len(drawn) == len(plan.points) == int(in_scope["lon"].notna().sum())
    planned = plan.points[["x", "y"]].to_numpy(float)
    assert sorted(map(tuple, np.round(drawn, 3))) == sorted(map(tuple, np.round(planned, 3)))
    ax = next(a for a in fig.axes if a.get_label() == "map")
    metres_per_pt = (ax.get_xlim()[1] - ax.get_xlim()[0]) / (ax.get_position().width * figsize[0] * 72)
    assert_inside(
        planned,
        list(plan.points["area"]),
        clearance_m=marker_radius_pt() * metres_per_pt,
        where=f"print map {scope} {figsize}",
    )
    if figsize == DECK_MAP_SIZE and not scope.startswith("county:"):
        return  # a whole city in a slide-sized frame: 赫山区 cannot hold 31 discs apart; they pack closer, inside
    gaps = np.hypot(*(planned[:, None, :] - planned[None, :, :]).transpose(2, 0, 1))
    assert len(planned) < 2 or gaps[~np.eye(len(planned), dtype=bool)].min() >= 2 * marker_radius_pt() * metres_per_pt


def test_evaluation_status_map_markers_lie_in_their_own_county(catalog):
    import folium

    from layout.evaluation.map import FAN_M, status_map

    projects = catalog.set_index("id")[["lon", "lat", "name", "county", "precision"]].assign(
        status="unreported", lead_unit=""
    )
    m = status_map(projects)
    circles = [
        (child.location, child)
        for group in m._children.values()
        for child in getattr(group, "_children", {}).values()
        if isinstance(child, folium.CircleMarker)
    ]
    assert len(circles) == int(projects["lon"].notna().sum())
    lat = [loc[0] for loc, _ in circles]
    lon = [loc[1] for loc, _ in circles]
    x, y = TO_MAP.transform(lon, lat)
    located = projects[projects["lon"].notna()]
    placed = place_projects(located, spacing_m=FAN_M, margin_m=FAN_M / 2)
    assert sorted(zip(np.round(placed["lon"], 6), np.round(placed["lat"], 6), strict=True)) == sorted(
        zip(np.round(lon, 6), np.round(lat, 6), strict=True)
    )
    areas = marker_areas(located.reset_index())
    px, py = TO_MAP.transform(placed["lon"].to_numpy(float), placed["lat"].to_numpy(float))
    assert_inside(np.column_stack([px, py]), list(areas), clearance_m=FAN_M / 2 - 1, where="status map")
    assert len(x) == len(px)
