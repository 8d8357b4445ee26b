"""Exports as the planners get them: real files opened with the tools that read them, and the CLI."""

from __future__ import annotations

import io
import re
import shutil
from html.parser import HTMLParser

import numpy as np
import pytest
from app_server import watch_page
from PIL import Image
from pypdf import PdfReader

from layout.errors import InputError
from layout.geo.boundaries import load_counties
from layout.render.export import (
    DECK_COUNTIES,
    default_filename,
    export_bytes,
    export_file,
    figure_bytes,
    map_figure,
    map_html,
)
from layout.render.printmap_plan import BACKGROUND, MAP_CRS, PRINT_DPI

LEAFLET_BANNER = re.compile(r"Leaflet 1\.9\.\d")


class Resources(HTMLParser):
    """Every external reference of a page: script src, link href, img src, iframe src."""

    def __init__(self):
        super().__init__()
        self.external: list[str] = []
        self.inline_scripts = 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "script":
            if attrs.get("src"):
                self.external.append(attrs["src"])
            else:
                self.inline_scripts += 1
        elif tag == "link" and attrs.get("href"):
            self.external.append(attrs["href"])
        elif tag in ("img", "iframe") and attrs.get("src") and not attrs["src"].startswith("data:"):
            self.external.append(attrs["src"])


def test_png_is_print_size_at_300_dpi_and_coloured_inside_the_county(catalog):
    fig = map_figure("county:安化县", catalog=catalog)
    ax = next(a for a in fig.axes if a.get_label() == "map")
    anhua = load_counties().to_crs(MAP_CRS).set_index("name").loc["安化县", "geometry"]
    inside = [anhua.representative_point(), anhua.buffer(-4000).centroid]
    # display coordinates at the figure's dpi, before saving at 300
    at_fig_dpi = [ax.transData.transform((p.x, p.y)) for p in inside if anhua.contains(p)]
    scale = PRINT_DPI / fig.dpi
    data = figure_bytes(fig, "png")
    image = Image.open(io.BytesIO(data))
    assert image.width >= 3000 and image.height >= 2000
    assert tuple(round(v) for v in image.info["dpi"]) == (300, 300)
    pixels = np.asarray(image.convert("RGB")).astype(float)
    background = np.array([int(BACKGROUND[i : i + 2], 16) for i in (1, 3, 5)], dtype=float)
    for px, py in at_fig_dpi:
        rgb = pixels[int(image.height - py * scale), int(px * scale)]
        assert np.abs(rgb - background).sum() > 20 and rgb.min() < 245, rgb
    assert len(np.unique(pixels[::40, ::40].reshape(-1, 3), axis=0)) > 30  # a map, not a blank page


def test_pdf_is_vector_text_naming_the_county_and_sources(catalog):
    data = export_bytes("county:桃江县", "pdf", catalog=catalog)
    reader = PdfReader(io.BytesIO(data))
    assert len(reader.pages) == 1
    text = reader.pages[0].extract_text()
    for expected in ("桃江县", "益阳市“十四五”服务业发展规划", "cnmaps", "高德"):
        assert expected in text, expected
    fonts = reader.pages[0]["/Resources"]["/Font"]
    assert any("NotoSansCJK" in str(fonts[f].get_object()["/BaseFont"]) for f in fonts)
    assert reader.metadata.title and "桃江县" in reader.metadata.title


def test_zone_maps_name_their_zone_and_members(catalog):
    fig = map_figure("zone:lake_wing", catalog=catalog, figsize=(8, 5.6))
    texts = " ".join(t.get_text() for t in fig.texts)
    assert "益沅南湖区服务业发展支撑区" in texts and "南县" in texts and "沅江市" in texts


def test_html_is_self_contained_with_leaflet_inline(catalog):
    page = map_html("county:南县", catalog=catalog)
    parser = Resources()
    parser.feed(page)
    assert parser.external == []
    assert parser.inline_scripts >= 3
    assert LEAFLET_BANNER.search(page)  # leaflet.js itself, inlined
    assert "L.map(" in page and ".leaflet-container" in page  # the map and Leaflet's CSS
    assert not re.search(r"""url\(['"]?(?!data:|#)""", page)  # CSS images inlined as data URIs
    assert "<title>南县" in page
    assert "/app/static" not in page


@pytest.mark.skipif(not shutil.which("chromium"), reason="needs Debian's chromium")
def test_html_draws_in_a_browser_with_the_network_cut(tmp_path, catalog):
    playwright = pytest.importorskip("playwright.sync_api")
    path = export_file("city", "html", tmp_path / "益阳.html", catalog=catalog)
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=shutil.which("chromium"),
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        page = browser.new_page()
        errors, requests = watch_page(page, path.as_uri())  # any http(s) request is another host's
        page.route(re.compile(r"^https?://"), lambda route: route.abort())
        page.goto(path.as_uri())
        page.wait_for_selector("path.leaflet-interactive", timeout=15000)
        polygons = page.locator("path.leaflet-interactive").count()
        browser.close()
    assert not errors and not requests
    assert polygons >= 6


def test_export_file_writes_atomically_and_names_files(tmp_path, catalog):
    path = export_file("city", "html", tmp_path / "deep" / "city.html", catalog=catalog)
    assert path.exists() and path.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert [p.name for p in path.parent.iterdir()] == ["city.html"]
    assert default_filename("county:安化县", "pptx") == "安化县_简报.pptx"
    assert default_filename("zone:core", "png") == "一核_中心城区现代服务业引领区_一核两翼三极.png"


def test_bad_format_and_non_county_decks_are_refused(catalog):
    with pytest.raises(InputError, match="format should be one of png, pdf, html, pptx, got 'svg'"):
        export_bytes("city", "svg", catalog=catalog)
    with pytest.raises(InputError, match="a pptx briefing is made per county.*county:资阳区.*got 'city'"):
        export_bytes("city", "pptx", catalog=catalog)
    with pytest.raises(InputError, match="大通湖区's projects are a section of the 南县 and 沅江市 decks"):
        export_bytes("county:大通湖区", "pptx", catalog=catalog)


# --------------------------------------------------------------------------------------------
# CLI


def test_cli_writes_a_file_with_the_format_from_the_suffix(run_layout, tmp_path):
    out = run_layout("export", "--scope", "county:赫山区", "-o", str(tmp_path / "赫山区.html"))
    assert out.returncode == 0, out.stderr
    assert (tmp_path / "赫山区.html").stat().st_size > 100_000
    assert out.stdout.startswith(f"已写出 {tmp_path / '赫山区.html'}（")


def test_cli_makes_the_six_decks_with_a_progress_bar(run_layout, tmp_path):
    out = run_layout("export", "--all-counties", "--format", "pptx", "-o", str(tmp_path / "decks"))
    assert out.returncode == 0, out.stderr
    assert sorted(p.name for p in (tmp_path / "decks").iterdir()) == sorted(f"{c}_简报.pptx" for c in DECK_COUNTIES)
    assert "pptx × 6" in out.stderr  # the progress bar's label


def test_cli_scope_county_all_writes_one_file_per_county(cli, tmp_path):
    result = cli("export", "--scope", "county:all", "--format", "html", "-o", str(tmp_path), code=None)
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(f"{c}_一核两翼三极.html" for c in DECK_COUNTIES)


def test_cli_rejects_a_bad_scope_with_exit_2_listing_the_valid_ones(run_layout, tmp_path):
    out = run_layout("export", "--scope", "county:益阳县", "-o", "x.png", cwd=tmp_path)
    assert out.returncode == 2
    assert out.stderr.startswith("错误：范围应为 city, zone:core")
    assert "county:安化县" in out.stderr and "收到“county:益阳县”" in out.stderr
    assert len(out.stderr.strip().splitlines()) == 1 and not any(tmp_path.iterdir())
    out = run_layout("export", "--scope", "county:益阳县", "-o", "x.png", "--lang", "en", cwd=tmp_path)
    assert out.returncode == 2 and out.stderr.startswith("error: scope should be one of city, zone:core")
    assert "got “county:益阳县”" in out.stderr and len(out.stderr.strip().splitlines()) == 1


@pytest.mark.parametrize(
    ("args", "message", "message_zh"),
    [
        (("--scope", "zone:"), "county:安化县", "范围应为 city"),
        (("--scope", "city", "--format", "pptx"), "a pptx briefing is made per county", "汇报 PPTX 按县市区制作"),
        (("--scope", "city", "--format", "pdf", "-o", "x.png"), "ends in .png but --format is pdf", "后缀是 .png"),
        (("--scope", "city", "-o", "x.docx"), "-o should end in one of .png, .pdf, .html, .pptx", "-o 应以 .png"),
    ],
)
def test_cli_rejects_bad_input_in_one_line_with_exit_2(cli, tmp_path, monkeypatch, args, message, message_zh):
    monkeypatch.chdir(tmp_path)
    result = cli("export", *args, "--lang", "en", code=None)
    assert result.exit_code == 2
    assert result.stderr.startswith("error: ") and message in result.stderr
    result = cli("export", *args, code=None)  # Chinese by default
    assert result.exit_code == 2
    assert result.stderr.startswith("错误：") and message_zh in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert not any(tmp_path.iterdir())


def test_cli_help_shows_examples(run_layout):
    out = run_layout("export", "--help")
    assert out.returncode == 0
    assert "--all-counties" in out.stdout and "county:安化县" in out.stdout
