"""County briefing decks (python-pptx, 16:9) and the guided tour's steps: what each county is in
一核两翼三极, in the plan's own words, with its projects.

:func:`county_brief` gathers the facts (zones, poles, quotes, projects, sector counts, the plan's
sentences naming the county); :func:`build_deck` lays them out; :func:`tour_steps` orders the tour
一核 → 两翼 → 三极 → each county. Nothing here reads or writes files: the map image arrives as bytes
and the deck leaves as a ``Presentation`` (:mod:`layout.render.export` saves it).
"""

from __future__ import annotations

import datetime as dt
import io
import math
from collections.abc import Sequence
from dataclasses import dataclass, field

import pandas as pd
from pptx import Presentation
from pptx.chart.data import CategoryChartData
from pptx.dml.color import RGBColor
from pptx.enum.chart import XL_CHART_TYPE, XL_LEGEND_POSITION
from pptx.enum.lang import MSO_LANGUAGE_ID
from pptx.enum.shapes import MSO_SHAPE
from pptx.enum.text import MSO_ANCHOR, PP_ALIGN
from pptx.oxml.ns import qn
from pptx.oxml.xmlchemy import OxmlElement
from pptx.util import Emu, Inches, Pt

from layout.errors import InputError
from layout.i18n import t
from layout.plan.text import PLAN_TITLE, sentences_naming, squash
from layout.plan.zones import CENTRAL_CITY, DATONGHU, load_zone_model
from layout.render.palette import sector_color
from layout.render.views import action_phrase, county_label, effective_county, zone_name

#: The names the plan uses for each county (sentences are found by these).
SHORT_NAMES = {
    "资阳区": "资阳",
    "赫山区": "赫山",
    "南县": "南县",
    "桃江县": "桃江",
    "安化县": "安化",
    "沅江市": "沅江",
    "大通湖区": "大通湖",
}
#: Places with no deck of their own, whose projects are a section of the decks of their footprint counties
#: (大通湖区 in 南县 and 沅江市; 中心城区 in 资阳区 and 赫山区), each with its note's i18n key.
SECTION_PLACES = {DATONGHU: "deck.section_note.datonghu", CENTRAL_CITY: "deck.section_note.central"}
ROWS_PER_SLIDE = 12
CAPTION_CHARS = 46  # a quote on a slide is a short caption; the whole sentence goes to the speaker notes
FONT = "Microsoft YaHei"  # 微软雅黑: on every Windows meeting-room PC; PowerPoint substitutes elsewhere
SLIDE_W, SLIDE_H = Inches(13.333), Inches(7.5)
INK = RGBColor(0x22, 0x22, 0x22)
MUTED = RGBColor(0x66, 0x66, 0x66)
RULE = RGBColor(0xDD, 0xDD, 0xDD)


def plan_title(lang: str) -> str:
    """The plan's title in ``lang`` (English decks carry no Chinese on their slides)."""
    return PLAN_TITLE if lang == "zh" else t("deck.plan_title", lang)


def caption(quote: str, limit: int = CAPTION_CHARS) -> str:
    """``quote`` cut to its first clause(s) within ``limit`` characters, with … when cut."""
    if len(quote) <= limit:
        return quote
    cut = max(quote.rfind(mark, 0, limit) for mark in "，；。、")
    return quote[: cut if cut > limit // 2 else limit] + "…"


def _add_notes(slide, lines: Sequence[str]) -> None:
    """Speaker notes: the plan's full sentences behind a slide, for the presenter."""
    frame = slide.notes_slide.notes_text_frame
    frame.text = "\n".join(lines)


def short_name(county: str) -> str:
    """The name the plan uses for ``county`` (安化县 → 安化)."""
    return SHORT_NAMES.get(county, county)


# --------------------------------------------------------------------------------------------
# Facts


@dataclass(frozen=True)
class Affiliation:
    zone_id: str
    name: str  # the zone's display name
    role: str  # primary or secondary
    quote: str  # the plan's sentence the membership rests on
    section: str
    color: str


@dataclass(frozen=True)
class CountyBrief:
    county: str
    short: str
    zones: list[Affiliation]
    poles: list[Affiliation]
    projects: pd.DataFrame  # the county's catalog rows (filed under it), catalog order
    sentences: list[str]  # every plan sentence naming the county, plan order
    sections: dict[str, pd.DataFrame] = field(default_factory=dict)  # {"大通湖区": rows} or {"中心城区": rows}


def county_projects(catalog: pd.DataFrame, county: str) -> pd.DataFrame:
    """Rows filed under ``county``: its stated county, else the county its point falls in."""
    return catalog.loc[(effective_county(catalog) == county).to_numpy()]


def county_brief(county: str, catalog: pd.DataFrame, *, lang: str = "zh") -> CountyBrief:
    """What a briefing on ``county`` says.

    Raises
    ------
    InputError
        When ``county`` is not a county of the zone model.
    """
    model = load_zone_model()
    if county not in model.counties:
        raise InputError(f"county should be one of {', '.join(model.counties)}, got {county!r}")

    def affiliation(zone_id: str) -> Affiliation:
        zone = model.zones[zone_id]
        m = model.membership(zone_id, county)
        return Affiliation(zone_id, zone_name(zone_id, lang), m.role, m.quote, m.plan_section, zone.color)

    sections = {
        place: county_projects(catalog, place)
        for place in SECTION_PLACES
        if place in (*model.counties, *model.areas) and county in model.footprint(place)
    }
    sections = {place: rows for place, rows in sections.items() if len(rows)}  # a filtered view may have none
    return CountyBrief(
        county=county,
        short=short_name(county),
        zones=[affiliation(z) for z in model.zones_of(county)],
        poles=[affiliation(p) for p in model.poles_of(county)],
        projects=county_projects(catalog, county),
        sentences=sentences_naming(short_name(county)),
        sections=sections,
    )


def sector_counts(projects: pd.DataFrame, sectors: Sequence[str]) -> pd.Series:
    """Projects per sector in ``sectors`` order (zeros kept; unknown sectors appended)."""
    counts = projects["sector"].astype(str).value_counts()
    order = list(sectors) + [s for s in counts.index if s not in sectors]
    return counts.reindex(order, fill_value=0).astype(int)


def chunks(frame: pd.DataFrame, size: int = ROWS_PER_SLIDE) -> list[pd.DataFrame]:
    """``frame`` in slices of ``size`` rows; one empty slice for an empty frame."""
    n = max(1, math.ceil(len(frame) / size))
    return [frame.iloc[i * size : (i + 1) * size] for i in range(n)]


# --------------------------------------------------------------------------------------------
# Drawing helpers


def _rgb(color: str) -> RGBColor:
    return RGBColor.from_string(color.lstrip("#").upper())


def _font(run, *, size: float, color: RGBColor = INK, bold: bool = False) -> None:
    """Size, colour and weight, with 微软雅黑 for both Latin and East Asian text (python-pptx sets only
    the Latin typeface; the ``a:ea`` element is added here) and Chinese as the proofing language."""
    font = run.font
    font.size = Pt(size)
    font.bold = bold
    font.color.rgb = color
    font.name = FONT
    font.language_id = MSO_LANGUAGE_ID.SIMPLIFIED_CHINESE
    rpr = run._r.get_or_add_rPr()
    latin = rpr.find(qn("a:latin"))
    ea = rpr.find(qn("a:ea"))
    if ea is None:
        ea = OxmlElement("a:ea")
        latin.addnext(ea)
    ea.set("typeface", FONT)


def _text(
    slide,
    left,
    top,
    width,
    height,
    paragraphs,
    *,
    size: float = 14,
    color: RGBColor = INK,
    bold: bool = False,
    align=PP_ALIGN.LEFT,
    anchor=MSO_ANCHOR.TOP,
    name: str | None = None,
    spacing: float = 6,
):
    """A text box; ``paragraphs`` is a string or a list of strings or of lists of (text, style) runs."""
    box = slide.shapes.add_textbox(left, top, width, height)
    if name:
        box.name = name
    tf = box.text_frame
    tf.word_wrap = True
    tf.vertical_anchor = anchor
    tf.margin_left = tf.margin_right = Inches(0.05)
    items = [paragraphs] if isinstance(paragraphs, str) else list(paragraphs)
    for i, item in enumerate(items):
        p = tf.paragraphs[0] if i == 0 else tf.add_paragraph()
        p.alignment = align
        p.space_after = Pt(spacing)
        runs = [(item, {})] if isinstance(item, str) else item
        for text, style in runs:
            run = p.add_run()
            run.text = text
            _font(run, size=style.get("size", size), color=style.get("color", color), bold=style.get("bold", bold))
    return box


def _rect(slide, left, top, width, height, color: RGBColor):
    shape = slide.shapes.add_shape(MSO_SHAPE.RECTANGLE, left, top, width, height)
    shape.fill.solid()
    shape.fill.fore_color.rgb = color
    shape.line.fill.background()
    shape.shadow.inherit = False
    return shape


class SlideDeck:
    """A blank 16:9 presentation whose slides share one header: an accent bar, the title and a rule."""

    def __init__(self, title: str, accent: str):
        self.prs = Presentation()
        self.prs.slide_width, self.prs.slide_height = SLIDE_W, SLIDE_H
        self.blank = self.prs.slide_layouts[6]
        self.accent = _rgb(accent)
        self.prs.core_properties.title = title
        self.prs.core_properties.subject = PLAN_TITLE
        self.prs.core_properties.author = "yiyang-layout"

    def slide(self, title: str):
        slide = self.prs.slides.add_slide(self.blank)
        _rect(slide, 0, 0, SLIDE_W, Inches(0.12), self.accent)
        _text(
            slide,
            Inches(0.6),
            Inches(0.32),
            Inches(12.1),
            Inches(0.75),
            title,
            size=26,
            bold=True,
            anchor=MSO_ANCHOR.MIDDLE,
            name="title",
        )
        _rect(slide, Inches(0.6), Inches(1.1), Inches(12.13), Emu(12700), RULE)
        return slide

    def title_slide(self):
        """A slide with the title page's warm background and the accent band down its left edge."""
        slide = self.prs.slides.add_slide(self.blank)
        _rect(slide, 0, 0, SLIDE_W, SLIDE_H, RGBColor(0xFA, 0xF8, 0xF4))
        _rect(slide, 0, 0, Inches(0.45), SLIDE_H, self.accent)
        return slide

    @staticmethod
    def footer(
        slide,
        text: str,
        page: int,
        pages: int,
        *,
        width: float = 10,
        height: float = 0.32,
        top: float = 7.02,
        size: float = 9,
    ) -> None:
        """The footer line (``width``/``height``/``top`` in inches) and "page / pages" at the bottom right."""
        _text(
            slide, Inches(0.6), Inches(top), Inches(width), Inches(height), text, size=size, color=MUTED, name="footer"
        )
        _text(
            slide,
            Inches(11.7),
            Inches(7.02),
            Inches(1.03),
            Inches(0.32),
            f"{page} / {pages}",
            size=9,
            color=MUTED,
            align=PP_ALIGN.RIGHT,
            name="page",
        )


class _Deck(SlideDeck):
    """A county's briefing deck, with a consistent header, footer and page numbers."""

    def __init__(self, brief: CountyBrief, accent: str, lang: str):
        super().__init__(f"{brief.county} · {t('deck.subtitle', lang)}", accent)
        self.brief, self.lang = brief, lang

    def finish(self) -> Presentation:
        slides = list(self.prs.slides)
        county = self.brief.county if self.lang == "zh" else load_zone_model().counties[self.brief.county].name_en
        footer = t("deck.footer", self.lang, plan=plan_title(self.lang), county=county)
        for i, slide in enumerate(slides[1:], start=2):
            self.footer(slide, footer, i, len(slides))
        return self.prs


# --------------------------------------------------------------------------------------------
# Slides


def _title_slide(deck: _Deck) -> None:
    b, lang = deck.brief, deck.lang
    slide = deck.title_slide()
    name = b.county if lang == "zh" else load_zone_model().counties[b.county].name_en
    _text(
        slide,
        Inches(1.1),
        Inches(1.9),
        Inches(11),
        Inches(1.4),
        name,
        size=54,
        bold=True,
        name="title",
        anchor=MSO_ANCHOR.BOTTOM,
    )
    _text(slide, Inches(1.1), Inches(3.35), Inches(11), Inches(0.7), t("deck.subtitle", lang), size=24, color=MUTED)
    facts = (
        "　".join([a.name for a in b.zones] + [a.name for a in b.poles])
        if lang == "zh"
        else "; ".join([a.name for a in b.zones] + [a.name for a in b.poles])
    )
    count = t("deck.count_total", lang, n=len(b.projects))
    for place, rows in b.sections.items():
        count += ("，" if lang == "zh" else ", ") + t(
            "deck.count_section", lang, place=county_label(place, lang), n=len(rows)
        )
    _text(slide, Inches(1.1), Inches(4.35), Inches(11), Inches(1.2), [facts, count], size=16, color=INK, spacing=8)
    _text(
        slide,
        Inches(1.1),
        Inches(6.3),
        Inches(11),
        Inches(0.5),
        f"{t('deck.basis', lang, plan=plan_title(lang))} ｜ {dt.date.today():%Y-%m-%d}",
        size=12,
        color=MUTED,
    )


def _place_slide(deck: _Deck, map_png: bytes | None) -> None:
    b, lang = deck.brief, deck.lang
    slide = deck.slide(t("deck.place", lang))
    paragraphs: list = []
    notes: list[str] = []
    for heading, items in ((t("deck.zones", lang), b.zones), (t("deck.poles", lang), b.poles)):
        paragraphs.append([(heading, {"size": 13, "color": MUTED, "bold": True})])
        if not items:
            paragraphs.append([(t("deck.no_pole", lang), {"size": 14})])
        seen: set[str] = set()
        for a in items:
            role = t("deck.secondary", lang) if a.role == "secondary" else ""
            paragraphs.append(
                [("■ ", {"color": _rgb(a.color), "size": 14}), (a.name + role, {"bold": True, "size": 15})]
            )
            if a.quote not in seen:
                seen.add(a.quote)
                notes.append(f"{a.name}：“{a.quote}”（{a.section}）")
                if lang == "zh":  # a short caption; the whole sentence is in the notes
                    paragraphs.append(
                        [
                            (f"“{caption(a.quote)}”", {"size": 12, "color": MUTED}),
                            (f"（{a.section}）", {"size": 10, "color": MUTED}),
                        ]
                    )
    _text(slide, Inches(0.6), Inches(1.35), Inches(4.6), Inches(5.5), paragraphs, size=14, spacing=5)
    notes += [t("deck.sentences", "zh", short=b.short) + "：", *b.sentences] if b.sentences else []
    _add_notes(slide, notes)
    if map_png:
        pic = slide.shapes.add_picture(io.BytesIO(map_png), Inches(5.3), Inches(1.32), height=Inches(5.55))
        pic.name = "map"
        if pic.left + pic.width > Inches(12.9):  # a wider image than planned: fit the width instead
            ratio = (Inches(12.9) - pic.left) / pic.width
            pic.width, pic.height = int(pic.width * ratio), int(pic.height * ratio)


def _table_slides(deck: _Deck, projects: pd.DataFrame, title: str) -> None:
    lang = deck.lang
    headers = [
        t("deck.col_no", lang),
        t("field.name", lang),
        t("field.sector", lang),
        t("field.action", lang),
        t("field.precision", lang),
    ]
    widths = [Inches(0.75), Inches(5.3), Inches(2.5), Inches(1.45), Inches(2.13)]
    pages = chunks(projects)
    for page_no, rows in enumerate(pages):
        suffix = (
            f"（{page_no + 1}/{len(pages)}）"
            if len(pages) > 1 and lang == "zh"
            else (f" ({page_no + 1}/{len(pages)})" if len(pages) > 1 else "")
        )
        slide = deck.slide(f"{title}{suffix}")
        if rows.empty:
            _text(
                slide,
                Inches(0.6),
                Inches(1.5),
                Inches(12),
                Inches(1),
                t("deck.no_projects", lang),
                size=16,
                color=MUTED,
                name="empty",
            )
            continue
        shape = slide.shapes.add_table(
            len(rows) + 1, len(headers), Inches(0.6), Inches(1.35), sum(widths, Emu(0)), Inches(0.4) * (len(rows) + 1)
        )
        shape.name = "projects"
        table = shape.table
        for j, w in enumerate(widths):
            table.columns[j].width = w
        for j, h in enumerate(headers):
            _cell(table.cell(0, j), h, bold=True, color=RGBColor(0xFF, 0xFF, 0xFF), fill=deck.accent)
        start = page_no * ROWS_PER_SLIDE
        for i, rec in enumerate(rows.itertuples(index=False), start=1):
            name = rec.name if lang == "zh" or not getattr(rec, "name_en", "") else rec.name_en
            precision = t(f"precision.{rec.precision}", lang)
            town = getattr(rec, "town", "") or ""
            if lang == "zh" and town and isinstance(town, str) and rec.precision in ("town", "site"):
                precision += f" · {town}"
            sector = t(f"sector.{rec.sector}", lang, default=str(rec.sector))
            fill = RGBColor(0xF5, 0xF5, 0xF5) if i % 2 == 0 else RGBColor(0xFF, 0xFF, 0xFF)
            action = action_phrase(rec.action, lang) or "—"  # a kind of work, not the plan's bare verb
            for j, value in enumerate([str(start + i), name, sector, action, precision]):
                _cell(table.cell(i, j), str(value), fill=fill, size=12 if j != 4 else 11)


def row_height(texts: Sequence[str], widths: Sequence[float], size: float) -> float:
    """Inches a table row needs for ``texts`` in columns ``widths`` (inches) at ``size`` pt, wrapping included
    (a CJK character is 1 em, others about 0.62 em). LibreOffice does not grow rows to fit their text."""

    def lines(text: str, width: float) -> int:
        ems = sum(1.0 if ord(ch) >= 0x2E80 else 0.62 for ch in text)
        return max(1, math.ceil(ems / max(1.0, (width - 0.16) * 72 / size)))

    most = max((lines(t, w) for t, w in zip(texts, widths, strict=True)), default=1)
    return max(0.38, 0.08 + most * size * 1.25 / 72)


def _cell(
    cell, text: str, *, bold: bool = False, color: RGBColor = INK, fill: RGBColor | None = None, size: float = 12
) -> None:
    cell.text = ""
    p = cell.text_frame.paragraphs[0]
    run = p.add_run()
    run.text = text
    _font(run, size=size, color=color, bold=bold)
    cell.vertical_anchor = MSO_ANCHOR.MIDDLE
    cell.margin_left = cell.margin_right = Inches(0.08)
    cell.margin_top = cell.margin_bottom = Inches(0.03)
    if fill is not None:
        cell.fill.solid()
        cell.fill.fore_color.rgb = fill


def _section_slide(deck: _Deck, section: str, rows: pd.DataFrame) -> None:
    lang = deck.lang
    slide = deck.slide(county_label(section, lang))
    sentences = sentences_naming(short_name(section))
    paragraphs: list = [t(SECTION_PLACES[section], lang), t("deck.count_total", lang, n=len(rows))]
    if lang == "zh":
        paragraphs += [[(f"“{caption(s)}”", {"size": 12, "color": MUTED})] for s in sentences[:3]]
    _text(slide, Inches(0.6), Inches(1.4), Inches(12.1), Inches(5.4), paragraphs, size=16, spacing=10)
    _add_notes(slide, sentences)


def _counts_slide(deck: _Deck, sectors: Sequence[str]) -> None:
    b, lang = deck.brief, deck.lang
    slide = deck.slide(t("deck.counts", lang))
    series = {county_label(b.county, lang): sector_counts(b.projects, sectors)}
    for section, rows in b.sections.items():
        series[county_label(section, lang)] = sector_counts(rows, sectors)
    order = list(dict.fromkeys(i for s in series.values() for i in s.index))
    data = CategoryChartData()
    data.categories = [t(f"sector.{s}", lang, default=s) for s in reversed(order)]
    for label, counts in series.items():
        data.add_series(label, [int(counts.get(s, 0)) for s in reversed(order)])
    frame = slide.shapes.add_chart(
        XL_CHART_TYPE.BAR_CLUSTERED, Inches(0.6), Inches(1.3), Inches(8.4), Inches(5.55), data
    )
    frame.name = "sector_chart"
    chart = frame.chart
    chart.has_title = False  # the slide's title says it
    chart.has_legend = len(series) > 1
    if chart.has_legend:
        chart.legend.position = XL_LEGEND_POSITION.TOP
        chart.legend.include_in_layout = False
    chart.font.size = Pt(11)
    chart.font.name = FONT
    plot = chart.plots[0]
    plot.gap_width = 60
    plot.has_data_labels = True
    plot.data_labels.font.size = Pt(10)
    plot.data_labels.number_format = '0;;""'  # no label on zero bars
    plot.data_labels.number_format_is_linked = False
    if len(series) == 1:  # one county: each bar in its sector's colour (the map's and print map's palette)
        for point, sector in zip(plot.series[0].points, reversed(order), strict=False):
            point.format.fill.solid()
            point.format.fill.fore_color.rgb = _rgb(sector_color(sector))
    else:  # the county and its section (大通湖区 or 中心城区) side by side: one colour per series
        for s, color in zip(plot.series, [deck.accent, RGBColor(0x9E, 0x9A, 0xC8)], strict=False):
            s.format.fill.solid()
            s.format.fill.fore_color.rgb = color
    value_axis = chart.value_axis
    value_axis.has_major_gridlines = False
    value_axis.visible = False
    chart.category_axis.tick_labels.font.size = Pt(11)
    # Beside the chart: the totals by group of the plan's 3+4+5 sectors.
    lines: list = []
    for label, counts in series.items():
        lines.append([(label, {"bold": True, "size": 15})])
        lines.append(t("deck.count_total", lang, n=int(counts.sum())))
        top = [f"{t(f'sector.{s}', lang, default=s)} {n}" for s, n in counts.sort_values(ascending=False).items() if n][
            :3
        ]
        if top:
            lines.append([(("、" if lang == "zh" else ", ").join(top), {"size": 12, "color": MUTED})])
    _text(slide, Inches(9.3), Inches(1.5), Inches(3.45), Inches(5.2), lines, size=14, spacing=6)


def _sources_slide(deck: _Deck) -> None:
    slide = deck.slide(t("deck.sources", deck.lang))
    text = t("deck.source_lines", deck.lang, plan=plan_title(deck.lang), date=f"{dt.date.today():%Y-%m-%d}")
    _text(slide, Inches(0.6), Inches(1.4), Inches(12.1), Inches(5.4), text.split("\n"), size=14, color=INK, spacing=10)


def build_deck(
    county: str, catalog: pd.DataFrame, *, map_png: bytes | None = None, lang: str = "zh", sectors: Sequence[str] = ()
) -> Presentation:
    """The briefing deck of ``county``.

    Slides: title; its place in 一核两翼三极 (zones and poles, the plan's sentences as short captions, the
    map; every sentence of the plan naming the county in its speaker notes); every project filed under
    it, ``ROWS_PER_SLIDE`` to a slide, with the kind of work as a phrase; for the lake wing's 南县 and
    沅江市 a 大通湖区 section (divider and its projects), for 资阳区 and 赫山区 a 中心城区 section; projects
    per sector; sources. English decks carry no Chinese on their slides (the plan's Chinese words stay in
    the notes).

    Parameters
    ----------
    county
        One of the counties of the zone model (the CLI makes decks for the six with polygons).
    catalog
        The project catalog.
    map_png
        The county's static map (:func:`layout.render.printmap.draw_map`) as PNG bytes, or ``None``.
    sectors
        Sector order for the counts (the plan's 3+4+5).
    """
    brief = county_brief(county, catalog, lang=lang)
    accent = brief.zones[0].color if brief.zones else "#444444"
    deck = _Deck(brief, accent, lang)
    _title_slide(deck)
    _place_slide(deck, map_png)
    _table_slides(deck, brief.projects, t("deck.projects", lang))
    for section, rows in brief.sections.items():
        _section_slide(deck, section, rows)
        name = county_label(section, lang)
        _table_slides(
            deck,
            rows,
            f"{name} · {t('deck.projects', lang)}" if lang == "zh" else f"{name}: {t('deck.projects', lang)}",
        )
    _counts_slide(deck, sectors or sorted(set(catalog["sector"].astype(str))))
    _sources_slide(deck)
    return deck.finish()


# --------------------------------------------------------------------------------------------
# The guided tour


@dataclass(frozen=True)
class TourStep:
    key: str  # "city", "zone:<id>" or "county:<name>", also the map focus
    stage: str  # 一核, 两翼, 三极 or 县（市、区）
    title: str
    quotes: list[tuple[str, str]]  # (the plan's words, section)
    more: list[str] = field(default_factory=list)  # further sentences naming the place
    subtitle: str = ""  # a zone's member counties; a county's zones and poles


def tour_steps(lang: str = "zh") -> list[TourStep]:
    """The whole layout first, then 一核 → 两翼 → 三极 → each of the six counties → 大通湖区, with the
    plan's words as captions."""
    from layout.render.views import LAYOUT_OVERVIEW, LAYOUT_SECTION

    model = load_zone_model()
    sep = "、" if lang == "zh" else ", "
    kinds = " · ".join(t(f"explain.{kind}", lang) for kind in ("core", "wing", "pole"))
    steps: list[TourStep] = [
        TourStep(
            "city",
            t("tour.overview_stage", lang),
            t("tour.overview_title", lang),
            [(LAYOUT_OVERVIEW, LAYOUT_SECTION)],
            subtitle=kinds,
        )
    ]
    for kind in ("core", "wing", "pole"):
        for zone in model.by_kind(kind):
            quotes = [(zone.definition, zone.plan_section)]
            members = [c if lang == "zh" else model.counties[c].name_en for c in zone.counties]
            steps.append(
                TourStep(
                    f"zone:{zone.id}",
                    zone.short_zh if lang == "zh" else zone.name_en.split(":")[0],
                    zone_name(zone.id, lang),
                    quotes,
                    subtitle=sep.join(members),
                )
            )
    stage = "县（市、区）" if lang == "zh" else "Counties"
    for county in [*(c for c in model.counties if c != DATONGHU), *([DATONGHU] if DATONGHU in model.counties else [])]:
        brief_quotes: list[tuple[str, str]] = []
        for zone_id in [*model.zones_of(county), *model.poles_of(county)]:
            m = model.membership(zone_id, county)
            if m and all(squash(q) != squash(m.quote) for q, _ in brief_quotes):
                brief_quotes.append((m.quote, m.plan_section))
        names = [zone_name(z, lang) for z in [*model.zones_of(county), *model.poles_of(county)]]
        label = county if lang == "zh" else model.counties[county].name_en
        quoted = {squash(q) for q, _ in brief_quotes}
        more = [s for s in sentences_naming(short_name(county)) if not any(q in s for q in quoted)]
        if county == DATONGHU:  # no polygon of its own: the map shows its footprint, and says so
            names.append(t("tour.datonghu_note", lang))
        steps.append(TourStep(f"county:{county}", stage, label, brief_quotes, more, subtitle=sep.join(names)))
    return steps
