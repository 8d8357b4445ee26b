"""County briefing decks, opened with python-pptx and checked against the catalog and the plan; the tour."""

from __future__ import annotations

import io
import math
from pathlib import Path

import pytest
from office_reader import as_pdf, needs_libreoffice
from pptx import Presentation
from pptx.util import Inches

from layout.catalog.projects import SECTORS, load_catalog
from layout.errors import InputError
from layout.plan.text import quote_in_plan, sentences_naming, squash
from layout.plan.zones import load_zone_model
from layout.render.deck import ROWS_PER_SLIDE, SHORT_NAMES, county_brief, short_name
from layout.render.export import deck_bytes
from layout.render.tour import tour_steps
from layout.render.views import effective_county

PAGE = Path(__file__).resolve().parent.parent / "pages" / "2_演示模式.py"
PROJECT_HEADER = ["序号", "项目名称", "行业", "建设类型", "定位精度"]


@pytest.fixture(scope="module")
def decks(catalog) -> dict[str, Presentation]:
    """Decks of a lake-wing county (with the 大通湖区 section) and of the county with most projects."""
    return {c: Presentation(io.BytesIO(deck_bytes(c, catalog=catalog))) for c in ("南县", "安化县")}


def title(slide) -> str:
    return next(s for s in slide.shapes if s.name == "title").text_frame.text


def project_tables(prs):
    """(slide title, table) for every project table, in order."""
    return [
        (title(s), shape.table)
        for s in prs.slides
        for shape in s.shapes
        if shape.has_table and [c.text for c in shape.table.rows[0].cells] == PROJECT_HEADER
    ]


def slide_text(slide) -> str:
    return squash("".join(p.text for s in slide.shapes if s.has_text_frame for p in s.text_frame.paragraphs))


def filed_under(catalog, county: str):
    return catalog.loc[(effective_county(catalog) == county).to_numpy()]


def test_short_names_are_the_plans():
    assert short_name("安化县") == "安化" and short_name("南县") == "南县" and short_name("大通湖区") == "大通湖"
    areas = set(load_zone_model().areas)  # 中心城区: a declared area, not a county with a deck
    assert set(SHORT_NAMES) == set(load_catalog()["county"]) - {"全市"} - areas
    for name in SHORT_NAMES.values():
        assert sentences_naming(name), name


def test_deck_is_16_9_and_every_project_of_the_county_is_in_its_tables(decks, catalog):
    for county, prs in decks.items():
        assert (prs.slide_width, prs.slide_height) == (Inches(13.333), Inches(7.5))
        own = filed_under(catalog, county)
        tables = [(t, tab) for t, tab in project_tables(prs) if not t.startswith("大通湖区")]
        assert len(tables) == max(1, math.ceil(len(own) / ROWS_PER_SLIDE)) or (len(own) == 0 and not tables)
        names = [row.cells[1].text for _, tab in tables for row in list(tab.rows)[1:]]
        assert names == own["name"].tolist()
        assert all(len(tab.rows) - 1 <= ROWS_PER_SLIDE for _, tab in tables)
        numbers = [int(row.cells[0].text) for _, tab in tables for row in list(tab.rows)[1:]]
        assert numbers == list(range(1, len(own) + 1))


def test_lake_wing_decks_have_a_datonghu_section(decks, catalog):
    dth = filed_under(catalog, "大通湖区")
    titles = [title(s) for s in decks["南县"].slides]
    assert "大通湖区" in titles
    section = [tab for t, tab in project_tables(decks["南县"]) if t.startswith("大通湖区")]
    assert [r.cells[1].text for tab in section for r in list(tab.rows)[1:]] == dth["name"].tolist()
    assert "大通湖区" not in titles[: titles.index("大通湖区")]
    assert not any(t.startswith("大通湖区") for t in (title(s) for s in decks["安化县"].slides))
    assert set(county_brief("沅江市", catalog).sections) == {"大通湖区"}
    assert "大通湖区" not in county_brief("资阳区", catalog).sections  # in the lake wing only as secondary
    assert not county_brief("安化县", catalog).sections


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_central_city_projects_are_a_section_of_both_district_decks(catalog, lang):
    """Rows the plan files under 中心城区 without naming a district are in the 资阳区 and 赫山区 decks."""
    central = filed_under(catalog, "中心城区")
    assert len(central) >= 5  # P004 中心城区物流中转中心 among them
    for county in ("资阳区", "赫山区"):
        brief = county_brief(county, catalog, lang=lang)
        assert list(brief.sections) == ["中心城区"]
        assert brief.sections["中心城区"]["id"].tolist() == central["id"].tolist()
    prs = Presentation(io.BytesIO(deck_bytes("赫山区", lang=lang, catalog=catalog)))
    heading = "中心城区" if lang == "zh" else "Central city"
    titles = [title(s) for s in prs.slides]
    assert heading in titles and any(t.startswith(f"{heading} · " if lang == "zh" else f"{heading}: ") for t in titles)
    if lang == "zh":
        section = [tab for t, tab in project_tables(prs) if t.startswith("中心城区 · ")]
        assert [r.cells[1].text for tab in section for r in list(tab.rows)[1:]] == central["name"].tolist()
        assert squash(f"另含中心城区 {len(central)} 项") in slide_text(prs.slides[0])
    chart = next(s.chart for slide in prs.slides for s in slide.shapes if s.name == "sector_chart")
    series = {s.name: sum(s.values) for s in chart.plots[0].series}
    assert series[heading] == len(central)


def test_slide_count_is_the_sum_of_its_parts(decks, catalog):
    for county, prs in decks.items():
        brief = county_brief(county, catalog)
        tables = max(1, math.ceil(len(brief.projects) / ROWS_PER_SLIDE))
        sections = sum(1 + max(1, math.ceil(len(rows) / ROWS_PER_SLIDE)) for rows in brief.sections.values())
        # title, place, project tables, sections, sector counts, sources (the plan's sentences are notes)
        assert len(prs.slides) == 1 + 1 + tables + sections + 1 + 1


def test_place_slide_has_the_zones_poles_quotes_and_map(decks):
    slide = decks["安化县"].slides[1]
    text = slide_text(slide)
    for expected in (
        "两翼·益桃安山区服务业发展支撑区",
        "三极·西南部对接大湘西南",
        "以安化黑茶和桃江楠竹特色资源为依托",
        "重点打通安化与大湘西",
    ):
        assert squash(expected) in text, expected  # the quotes' first words as captions
    notes = slide.notes_slide.notes_text_frame.text
    brief = county_brief("安化县", load_catalog())
    assert all(a.quote in notes for a in [*brief.zones, *brief.poles])  # the whole sentences in the notes
    assert max(len(p.text) for s in slide.shapes if s.has_text_frame for p in s.text_frame.paragraphs) < 80
    pictures = [s for s in slide.shapes if s.name == "map"]
    assert len(pictures) == 1 and pictures[0].image.content_type == "image/png"
    assert pictures[0].left + pictures[0].width <= decks["安化县"].slide_width
    assert pictures[0].top + pictures[0].height <= Inches(7.0)  # clear of the footer


def test_sector_counts_chart_adds_up(decks, catalog):
    for county, prs in decks.items():
        chart = next(s.chart for slide in prs.slides for s in slide.shapes if s.name == "sector_chart")
        series = {s.name: list(s.values) for s in chart.plots[0].series}
        assert sum(series[county]) == len(filed_under(catalog, county))
        categories = list(chart.plots[0].categories)
        order = [s for g in SECTORS.values() for s in g]
        assert categories == list(reversed(order))  # bottom-up in the bar chart: 3+4+5 reads top-down
        if county == "南县":
            assert sum(series["大通湖区"]) == len(filed_under(catalog, "大通湖区"))


def test_every_plan_sentence_naming_the_county_is_in_the_speaker_notes(decks):
    for county, prs in decks.items():
        notes = prs.slides[1].notes_slide.notes_text_frame.text
        for sentence in sentences_naming(short_name(county)):
            assert sentence in notes, sentence[:30]
        assert not any(title(s).startswith("规划原文中的") for s in prs.slides)  # no slides of raw quotes


def test_actions_read_as_kinds_of_work_and_english_decks_are_english(catalog):
    import re

    zh = Presentation(io.BytesIO(deck_bytes("安化县", catalog=catalog)))
    actions = {row.cells[3].text for _, tab in project_tables(zh) for row in list(tab.rows)[1:]}
    assert actions <= {"新建项目", "续建项目", "升级改造", "建设", "推进实施", "完善提升", "运营", "—"}, actions
    en = Presentation(io.BytesIO(deck_bytes("南县", lang="en", catalog=catalog)))
    cjk = re.compile(r"[\u3400-\u9fff]")
    for slide in en.slides:
        for shape in slide.shapes:
            texts = (
                [shape.text_frame.text]
                if shape.has_text_frame
                else [c.text for r in shape.table.rows for c in r.cells]
                if shape.has_table
                else []
            )
            if shape.has_chart:
                texts = [*shape.chart.plots[0].categories, *(s.name for s in shape.chart.plots[0].series)]
            for text in texts:
                assert not cjk.search(text), text
    assert "大通湖" in en.slides[1].notes_slide.notes_text_frame.text  # the plan's words kept for the presenter


@needs_libreoffice
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_deck_opens_in_libreoffice_with_every_slide_and_project(tmp_path, catalog, lang):
    data = deck_bytes("赫山区", lang=lang, catalog=catalog)
    prs = Presentation(io.BytesIO(data))
    pdf = as_pdf(data, "赫山区.pptx", tmp_path)
    assert len(pdf.pages) == len(prs.slides)
    pages = [squash(page.extract_text()) for page in pdf.pages]
    for page, slide in zip(pages, prs.slides, strict=True):
        assert squash(title(slide).split("\n")[0]) in page
    if lang == "zh":
        names = [*filed_under(catalog, "赫山区")["name"], *filed_under(catalog, "中心城区")["name"]]
        missing = [n for n in names if squash(n) not in "".join(pages)]
        assert not missing, missing


def test_all_text_is_set_in_a_chinese_font(decks):
    prs = decks["南县"]
    for slide in prs.slides:
        for shape in slide.shapes:
            frames = (
                [shape.text_frame]
                if shape.has_text_frame
                else [c.text_frame for r in shape.table.rows for c in r.cells]
                if shape.has_table
                else []
            )
            for frame in frames:
                for p in frame.paragraphs:
                    for run in p.runs:
                        ea = run._r.rPr.find("{http://schemas.openxmlformats.org/drawingml/2006/main}ea")
                        assert ea is not None and ea.get("typeface") == "Microsoft YaHei"


def test_captions_cut_at_a_clause():
    from layout.render.deck import caption

    assert caption("短句。") == "短句。"
    long = "以安化黑茶和桃江楠竹特色资源为依托，发展山区特色服务经济，" + "推进" * 30
    assert caption(long) == "以安化黑茶和桃江楠竹特色资源为依托，发展山区特色服务经济…"


def test_unknown_county_is_refused(catalog):
    with pytest.raises(InputError, match="county should be one of 资阳区.*got '益阳县'"):
        county_brief("益阳县", catalog)


# --------------------------------------------------------------------------------------------
# The guided tour


def test_tour_goes_overview_core_wings_poles_then_counties_in_the_plans_words():
    steps = tour_steps()
    overview, steps = steps[0], steps[1:]
    assert overview.key == "city" and overview.stage == "全景" and "一核两翼三极" in overview.quotes[0][0]
    assert [s.key for s in steps[:6]] == [
        "zone:core",
        "zone:lake_wing",
        "zone:mountain_wing",
        "zone:pole_northeast",
        "zone:pole_central",
        "zone:pole_southwest",
    ]
    counties = ("资阳区", "赫山区", "南县", "桃江县", "安化县", "沅江市", "大通湖区")
    assert [s.key for s in steps[6:]] == [f"county:{c}" for c in counties]
    assert [s.stage for s in steps[:6]] == ["一核", "两翼", "两翼", "三极", "三极", "三极"]
    for step in [overview, *steps]:
        assert step.quotes and all(quote_in_plan(q) for q, _ in step.quotes), step.key
    assert "南县、沅江市" in steps[-1].subtitle and "大通湖" in steps[-1].quotes[0][0]
    anhua = steps[10]
    assert anhua.title == "安化县" and anhua.subtitle == "两翼·益桃安山区服务业发展支撑区、三极·西南部对接大湘西南"
    assert all("安化" in s for s in anhua.more) and len(anhua.more) == len(sentences_naming("安化")) - 2
    assert steps[0].subtitle == "资阳区、赫山区"
    assert tour_steps("en")[1].title == "Core"


def test_tour_page_steps_forward_and_back_in_the_chosen_language():
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(PAGE), default_timeout=60).run()
    assert not at.exception

    def title() -> str:
        return next(h.proto.body for h in at.get("html") if "tour-title" in h.proto.body)

    assert ">一核两翼三极<" in title()  # the overview comes first
    assert at.button(key="tour_prev").disabled
    at.button(key="tour_next").click().run()
    assert at.session_state["tour_step"] == 1
    assert ">一核·中心城区现代服务业引领区<" in title()
    at.button(key="tour_prev").click().run()
    assert at.session_state["tour_step"] == 0
    at.selectbox(key="tour_jump").set_value(11).run()
    assert ">安化县<" in title()
    labels = at.selectbox(key="tour_jump").options
    assert "5. 三极·东北部对接湘鄂边" in labels and "14. 县（市、区） · 大通湖区" in labels  # the kind said once
    at.session_state["lang"] = "en"
    at.run()
    assert not at.exception
    assert ">Anhua County<" in title()
