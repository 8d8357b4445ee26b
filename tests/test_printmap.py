"""Static print maps: the CJK font from PyPI, scopes, layout maths, and what the pixels show."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import warnings
from pathlib import Path

import matplotlib
import numpy as np
import pandas as pd
import pytest
import shapely
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.ft2font import FT2Font
from pyproj import Transformer

from layout.catalog.projects import SECTOR_NAMES
from layout.errors import InputError
from layout.geo.boundaries import load_counties
from layout.plan.zones import load_zone_model
from layout.render.export import DECK_MAP_SIZE
from layout.render.fonts import cjk_font_path, register_cjk_font
from layout.render.palette import SECTOR_COLORS
from layout.render.placement import Box
from layout.render.printmap import draw_map, map_layout
from layout.render.printmap_plan import (
    BACKGROUND,
    MAP_CRS,
    PAGE_SIZE,
    PRECISION_STYLES,
    fit_extent,
    grid_north_angle,
    nice_length,
)
from layout.render.scopes import Scope, parse_scope, scope_counties, valid_scopes

SMALL = (8.0, 5.6)  # a small figure where print size does not matter
TO_MAP = Transformer.from_crs("EPSG:4326", MAP_CRS, always_xy=True)


def projects(county: str = "安化县") -> pd.DataFrame:
    """One project of each precision inside ``county``, two sharing a place, and one citywide item."""
    inside = load_counties().set_index("name").loc[county, "geometry"].representative_point()
    rows = []
    for i, (precision, sector) in enumerate(
        [("site", "文旅休闲业"), ("town", "康养服务业"), ("county", "现代物流业"), ("county", "现代物流业")]
    ):
        rows.append(
            {
                "id": f"T{i}",
                "name": f"测试项目{i}",
                "sector": sector,
                "precision": precision,
                "county": county,
                "computed_county": county,
                "zones": ("mountain_wing",),
                "poles": ("pole_southwest",),
                "lon": inside.x + (0.05 if i == 0 else 0),
                "lat": inside.y,
            }
        )
    rows.append(
        {
            "id": "T9",
            "name": "全市项目",
            "sector": "电子商务业",
            "precision": "citywide",
            "county": "全市",
            "computed_county": "",
            "zones": (),
            "poles": (),
            "lon": np.nan,
            "lat": np.nan,
        }
    )
    return pd.DataFrame(rows)


def render(fig, dpi: int = 40) -> np.ndarray:
    """The figure's pixels (RGBA) at ``dpi``; the figure's transforms then match the array."""
    fig.set_dpi(dpi)
    canvas = FigureCanvasAgg(fig)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a missing glyph (tofu box) warns while drawing: fail on it
        canvas.draw()
    return np.asarray(canvas.buffer_rgba())


def pixel(fig, image: np.ndarray, x: float, y: float) -> np.ndarray:
    """The RGB at map coordinates ``x, y`` (EPSG:4546)."""
    ax = next(a for a in fig.axes if a.get_label() == "map")
    px, py = ax.transData.transform((x, y))
    return image[int(round(image.shape[0] - py)), int(round(px)), :3]


# Run in a fresh interpreter with an empty matplotlib cache, as on a new machine: the cache is then built from
# whatever fonts the system has (with Debian's fonts-noto-cjk it lists the same family from a .ttc first).
FRESH_MACHINE_SCRIPT = """
import json, sys
import matplotlib
matplotlib.use("Agg")
from matplotlib import font_manager
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.ft2font import FT2Font
from layout.render.printmap import draw_map
fig = draw_map("county:安化县", lang="zh", figsize=(8.0, 5.6))
FigureCanvasAgg(fig).draw()
texts = [t for t in fig.findobj(matplotlib.text.Text) if t.get_text().strip()]
print(json.dumps({"files": sorted({font_manager.findfont(t.get_fontproperties(), fallback_to_default=False)
                                   for t in texts}),
                  "text": "".join(t.get_text() for t in texts)}))
"""


def test_every_label_is_drawn_from_the_shipped_font_file_with_a_fresh_font_cache(tmp_path):
    env = {**os.environ, "MPLCONFIGDIR": str(tmp_path)}
    done = subprocess.run(
        [sys.executable, "-c", FRESH_MACHINE_SCRIPT],
        env=env,
        capture_output=True,
        text=True,
        check=True,
        cwd=Path(__file__).resolve().parent.parent,
    )
    drawn = json.loads(done.stdout.strip().splitlines()[-1])
    assert drawn["files"] == [str(cjk_font_path())]
    assert "安化县" in drawn["text"]
    # no tofu: the file has a glyph for every character drawn, Chinese title included
    font = FT2Font(str(cjk_font_path()))
    assert [c for c in set(drawn["text"]) if not c.isspace() and font.get_char_index(ord(c)) == 0] == []


def test_the_font_is_registered_under_its_family_name_and_only_from_its_file():
    name = register_cjk_font()
    assert name == "Noto Sans CJK SC"
    assert Path(cjk_font_path()).is_relative_to(Path(__import__("mplfonts").__file__).parent)
    assert [e.fname for e in matplotlib.font_manager.fontManager.ttflist if e.name == name] == [str(cjk_font_path())]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_no_missing_glyphs_in_either_language(lang, recwarn):
    fig = draw_map("county:沅江市", projects("沅江市"), lang=lang, figsize=SMALL)
    render(fig, dpi=30)
    fig.savefig(io.BytesIO(), format="pdf")
    assert not [w for w in recwarn if "missing from" in str(w.message) or "Glyph" in str(w.message)]
    texts = [t.get_text() for t in fig.findobj(matplotlib.text.Text)]
    assert any("沅江市" in t for t in texts) if lang == "zh" else any("Yuanjiang" in t for t in texts)


def test_scopes_parse_and_bad_ones_list_the_valid():
    assert parse_scope("city") == Scope("city")
    assert parse_scope(" county:安化县 ") == Scope("county", "安化县")
    assert parse_scope("zone:pole_central") == Scope("zone", "pole_central")
    assert str(Scope("zone", "core")) == "zone:core"
    assert {"city", "zone:lake_wing", "county:大通湖区"} <= set(valid_scopes())
    with pytest.raises(InputError, match=r"scope should be one of city, zone:core.*county:安化县.*got 'county:益阳'"):
        parse_scope("county:益阳")


def test_scope_areas_follow_the_zone_model():
    assert scope_counties(Scope("county", "大通湖区")) == ["南县", "沅江市"]
    assert set(scope_counties(Scope("zone", "lake_wing"))) == {"南县", "沅江市"}  # 资阳区 is only secondary
    assert set(scope_counties(Scope("zone", "pole_central"))) == {"资阳区", "赫山区"}
    assert len(scope_counties(Scope("city"))) == 6


def test_extent_keeps_the_bounds_and_the_frame_aspect():
    xmin, xmax, ymin, ymax = fit_extent((0, 0, 100, 50), 1.0)
    assert xmin < 0 and xmax > 100 and ymin < 0 and ymax > 50
    assert xmax - xmin == pytest.approx(ymax - ymin)
    frame, panel = map_layout((11.69, 8.27))
    assert frame[0] + frame[2] < panel[0] < 1 and 0 < frame[1] < frame[1] + frame[3] < 1


def test_scale_bar_lengths_and_grid_north():
    assert nice_length(23_000) == 20_000
    assert nice_length(9_999) == 5_000
    assert nice_length(1_000) == 1_000
    x, y = TO_MAP.transform(112.3, 28.5)
    assert 0.2 < abs(grid_north_angle(x, y)) < 2  # 1.3° east of the central meridian at 28.5°N: ~0.6°
    x0, y0 = TO_MAP.transform(111.0, 28.5)
    assert abs(grid_north_angle(x0, y0)) < 0.01


def test_county_map_is_coloured_inside_the_county_and_veiled_outside():
    fig = draw_map("county:安化县", None, figsize=SMALL)
    image = render(fig)
    anhua = load_counties().to_crs(MAP_CRS).set_index("name").loc["安化县", "geometry"]
    background = np.array(matplotlib.colors.to_rgb(BACKGROUND)) * 255
    core = anhua.buffer(-3000)
    rng = np.random.default_rng(0)
    xmin, ymin, xmax, ymax = core.bounds
    samples = [
        p
        for p in (shapely.Point(rng.uniform(xmin, xmax), rng.uniform(ymin, ymax)) for _ in range(200))
        if core.contains(p)
    ][:20]
    assert len(samples) >= 10
    for p in samples:
        rgb = pixel(fig, image, p.x, p.y).astype(float)
        assert np.abs(rgb - background).sum() > 20, "inside the county shows the empty background"
        assert rgb.min() < 245, "inside the county is blank white"
    # the mountain wing's green tint: green is the strongest channel
    tints = np.array([pixel(fig, image, p.x, p.y) for p in samples]).astype(float).mean(axis=0)
    assert tints[1] > tints[0] and tints[1] > tints[2]


def test_approximate_points_are_drawn_hollow_and_dashed():
    fig = draw_map("county:安化县", projects(), figsize=SMALL)
    ax = next(a for a in fig.axes if a.get_label() == "map")
    drawn = {c.get_label().split(":")[1]: c for c in ax.collections if c.get_label().startswith("projects:")}
    assert set(drawn) == {"site", "town", "county"}
    assert drawn["site"].get_facecolors()[0][3] == 1.0
    for precision in ("town", "county"):
        assert drawn[precision].get_facecolors()[0][3] == PRECISION_STYLES[precision]["fill"] < 0.5
        assert drawn[precision].get_linestyles()[0][1] is not None  # a dash pattern
    assert drawn["site"].get_linestyles()[0][1] is None
    # the two county-level projects at one place are drawn apart
    offsets = drawn["county"].get_offsets()
    assert len(offsets) == 2 and np.linalg.norm(offsets[0] - offsets[1]) > 100


def test_legend_names_the_sectors_drawn_and_notes_citywide_items():
    fig = draw_map("county:安化县", projects(), figsize=SMALL)
    texts = " ".join(t.get_text() for t in fig.findobj(matplotlib.text.Text))
    for expected in (
        "文旅休闲业",
        "康养服务业",
        "现代物流业",
        "精确点位",
        "乡镇级（近似）",
        "县级（近似）",
        "一核·中心城区现代服务业引领区",
        "西南部对接大湘西南",
        "公里",
        "北",
        "高德",
        "cnmaps",
        "益阳市“十四五”服务业发展规划",
    ):
        assert expected in texts, expected
    assert "电子商务业" not in texts  # only sectors on the map; the citywide item is counted in the notes
    city = draw_map("city", projects(), figsize=SMALL)
    assert "全市性项目 1 项" in " ".join(t.get_text() for t in city.findobj(matplotlib.text.Text))


@pytest.mark.parametrize("figsize", [SMALL, (11.69, 8.27)])
def test_the_city_map_draws_all_three_pole_arrows(figsize):
    """The north-east pole starts near the frame's edge; it still gets an arrow inside the frame."""
    from matplotlib.patches import FancyArrowPatch

    from layout.plan.zones import load_zone_model

    fig = draw_map("city", None, figsize=figsize)
    colours = {
        matplotlib.colors.to_hex(p.get_edgecolor())
        for ax in fig.axes
        for p in ax.patches
        if isinstance(p, FancyArrowPatch)
    }
    assert {z.color for z in load_zone_model().by_kind("pole")} <= colours


# --------------------------------------------------------------------------------------------
# Labels: never over each other, the markers, the frame's edge, the north arrow or the scale bar


def map_extents(fig) -> dict:
    """Rendered extents (display units) of the map frame, its labels, markers, north arrow and scale bar."""
    renderer = fig.canvas.get_renderer()
    ax = next(a for a in fig.axes if a.get_label() == "map")
    px = fig.dpi / 72
    markers = []
    for c in ax.collections:
        if str(c.get_label()).startswith("projects:"):
            xy = ax.transData.transform(c.get_offsets())
            radius = (np.sqrt(c.get_sizes()) / 2 + np.max(c.get_linewidths()) / 2) * px
            radius = np.broadcast_to(radius, len(xy))
            markers += [Box(x - r, y - r, x + r, y + r) for (x, y), r in zip(xy, radius, strict=True)]

    def group(gid: str) -> Box:
        boxes = [a.get_window_extent(renderer) for a in (*ax.patches, *ax.texts) if a.get_gid() == gid]
        assert boxes, f"no {gid} drawn"
        return Box(
            min(b.x0 for b in boxes), min(b.y0 for b in boxes), max(b.x1 for b in boxes), max(b.y1 for b in boxes)
        )

    return {
        "frame": Box.of(ax.get_window_extent(renderer)),
        "labels": [
            (tx.get_text(), Box.of(tx.get_window_extent(renderer)))
            for tx in ax.texts
            if str(tx.get_gid()).startswith("label:") or tx.get_gid() == "water-label"
        ],
        "texts": [(tx.get_text(), Box.of(tx.get_window_extent(renderer))) for tx in ax.texts],
        "markers": markers,
        "north": group("north-arrow"),
        "scale": group("scale-bar"),
        "px": px,
    }


def assert_no_collisions(fig, where: str) -> None:
    e = map_extents(fig)
    edge = 1.0 * e["px"]  # every text at least 1 pt inside the frame
    for text, box in e["texts"]:
        assert box.inside(e["frame"], edge), f"{where}: {text!r} {box} touches the frame {e['frame']}"
    assert e["scale"].inside(e["frame"], edge) and e["north"].inside(e["frame"], edge), where
    assert not e["scale"].overlaps(e["north"]), f"{where}: the north arrow is on the scale bar"
    labels = e["labels"]
    for i, (text, box) in enumerate(labels):
        for other, obox in labels[i + 1 :]:
            assert not box.overlaps(obox), f"{where}: {text!r} overlaps {other!r}"
        assert not box.overlaps(e["north"]), f"{where}: {text!r} overlaps the north arrow"
        assert not box.overlaps(e["scale"]), f"{where}: {text!r} overlaps the scale bar"
        hits = [m for m in e["markers"] if box.overlaps(m)]
        assert not hits, f"{where}: {text!r} {box} overlaps {len(hits)} marker(s), e.g. {hits[0]}"


@pytest.mark.parametrize("figsize", [PAGE_SIZE, DECK_MAP_SIZE], ids=["print", "deck"])
@pytest.mark.parametrize("scope", valid_scopes())
def test_labels_overlap_nothing_on_every_scope(catalog, scope, figsize):
    fig = draw_map(
        scope, catalog, figsize=figsize, titles=figsize == PAGE_SIZE, sectors=SECTOR_NAMES, colors=SECTOR_COLORS
    )
    assert_no_collisions(fig, f"{scope} {figsize}")
    names = {text for text, _ in map_extents(fig)["labels"]}
    if scope.startswith("county:") and scope != "county:大通湖区":
        assert scope.split(":")[1] in names  # the scope's own name is never the label dropped


@pytest.mark.parametrize("figsize", [PAGE_SIZE, DECK_MAP_SIZE], ids=["print", "deck"])
def test_the_city_map_names_every_county(catalog, figsize):
    """Issue 21: 资阳区 (small, among the city's projects) had no label on the city print map."""
    fig = draw_map("city", catalog, figsize=figsize, titles=figsize == PAGE_SIZE, sectors=SECTOR_NAMES)
    names = {text for text, _ in map_extents(fig)["labels"]}
    assert {"资阳区", "赫山区", "南县", "桃江县", "安化县", "沅江市"} <= names, names
    assert_no_collisions(fig, f"city {figsize}")


@pytest.mark.parametrize("scope", ["city", "county:赫山区", "county:南县", "zone:pole_northeast"])
def test_english_labels_overlap_nothing(catalog, scope):
    for figsize, titles in ((PAGE_SIZE, True), (DECK_MAP_SIZE, False)):
        fig = draw_map(
            scope, catalog, lang="en", figsize=figsize, titles=titles, sectors=SECTOR_NAMES, colors=SECTOR_COLORS
        )
        assert_no_collisions(fig, f"{scope} en {figsize}")
        if scope.startswith("county:"):
            name_en = load_zone_model().counties[scope.split(":")[1]].name_en
            assert name_en in {text for text, _ in map_extents(fig)["labels"]}


def test_the_known_collisions_are_gone(catalog):
    """湘鄂边 · 武汉都市圈 off 南县's points, 公里 off the frame, 常德市 off the 赫山区 slide's north arrow."""
    nan = draw_map("county:南县", catalog, sectors=SECTOR_NAMES, colors=SECTOR_COLORS)
    e = map_extents(nan)
    assert e["markers"]
    target = next(box for text, box in e["labels"] if text.startswith("湘鄂边"))
    assert not any(target.overlaps(m) for m in e["markers"])
    km = next(box for text, box in e["texts"] if text == "公里")
    assert km.inside(e["frame"], 3 * e["px"]) and km.inside(e["scale"])
    slide = map_extents(
        draw_map(
            "county:赫山区", catalog, figsize=DECK_MAP_SIZE, titles=False, sectors=SECTOR_NAMES, colors=SECTOR_COLORS
        )
    )
    for text, box in slide["labels"]:
        assert not box.overlaps(slide["north"], 2 * slide["px"]), text
