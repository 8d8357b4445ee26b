"""County briefing decks (python-pptx, 16:9): what each county is in 一核两翼三极, in the plan's own
words, with its projects.

:func:`county_brief` gathers the facts (zones, poles, quotes, projects, sector counts, the plan's
sentences naming the county); :func:`build_deck` lays them out on :mod:`layout.render.slides`. Nothing
here reads or writes files: the map image arrives as bytes and the deck leaves as a ``Presentation``
(:mod:`layout.render.export` saves it). The guided tour is in :mod:`layout.render.tour`.
"""

from __future__ import annotations

import datetime as dt
import io
import math
from collections.abc import Sequence
from dataclasses import dataclass, field

import pandas as pd
from pptx.chart.data import CategoryChartData
from pptx.dml.color import RGBColor
from pptx.enum.chart import XL_CHART_TYPE, XL_LEGEND_POSITION
from pptx.presentation import Presentation
from pptx.util import Emu, Inches, Pt

from layout.errors import InputError
from layout.i18n import t
from layout.plan.text import PLAN_TITLE, sentences_naming
from layout.plan.zones import CENTRAL_CITY, DATONGHU, load_zone_model
from layout.render.palette import sector_color
from layout.render.slides import (
    FONT,
    INK,
    MUTED,
    SlideDeck,
    add_empty_note,
    add_notes,
    add_text,
    fill_table,
    page_suffix,
    rgb_color,
)
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


def plan_title(lang: str) -> str:
    """The plan's title in ``lang`` (English decks carry no Chinese on their slides)."""
    return PLAN_TITLE if lang == "zh" else t("deck.plan_title", lang)


def caption(quote: str, limit: int = CAPTION_CHARS) -> str:
    """``quote`` cut to its first clause(s) within ``limit`` characters, with … when cut."""
    if len(quote) <= limit:
        return quote
    cut = max(quote.rfind(mark, 0, limit) for mark in "，；。、")
    return quote[: cut if cut > limit // 2 else limit] + "…"


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
        if m is None:  # zones_of/poles_of name only zones the county belongs to
            raise LookupError(f"{county} has no membership in {zone_id}")
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
    name = b.county if lang == "zh" else load_zone_model().counties[b.county].name_en
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
    basis = f"{t('deck.basis', lang, plan=plan_title(lang))} ｜ {dt.date.today():%Y-%m-%d}"
    deck.title_slide(name, t("deck.subtitle", lang), basis, facts=[facts, count])


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
                [("■ ", {"color": rgb_color(a.color), "size": 14}), (a.name + role, {"bold": True, "size": 15})]
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
    add_text(slide, Inches(0.6), Inches(1.35), Inches(4.6), Inches(5.5), paragraphs, size=14, spacing=5)
    notes += [t("deck.sentences", "zh", short=b.short) + "：", *b.sentences] if b.sentences else []
    add_notes(slide, notes)
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
        slide = deck.slide(title + page_suffix(page_no + 1, len(pages), lang))
        if rows.empty:
            add_empty_note(slide, t("deck.no_projects", lang))
            continue
        shape = slide.shapes.add_table(
            len(rows) + 1, len(headers), Inches(0.6), Inches(1.35), sum(widths, Emu(0)), Inches(0.4) * (len(rows) + 1)
        )
        shape.name = "projects"
        start = page_no * ROWS_PER_SLIDE
        cells = []
        for i, rec in enumerate(rows.itertuples(index=False), start=1):
            name = rec.name if lang == "zh" or not getattr(rec, "name_en", "") else rec.name_en
            precision = t(f"precision.{rec.precision}", lang)
            town = getattr(rec, "town", "") or ""
            if lang == "zh" and town and isinstance(town, str) and rec.precision in ("town", "site"):
                precision += f" · {town}"
            sector = t(f"sector.{rec.sector}", lang, default=str(rec.sector))
            action = action_phrase(rec.action, lang) or "—"  # a kind of work, not the plan's bare verb
            cells.append([str(v) for v in (start + i, name, sector, action, precision)])
        fill_table(shape.table, headers, cells, widths, header_fill=deck.accent, body_sizes=[12, 12, 12, 12, 11])


def _section_slide(deck: _Deck, section: str, rows: pd.DataFrame) -> None:
    lang = deck.lang
    slide = deck.slide(county_label(section, lang))
    sentences = sentences_naming(short_name(section))
    paragraphs: list = [t(SECTION_PLACES[section], lang), t("deck.count_total", lang, n=len(rows))]
    if lang == "zh":
        paragraphs += [[(f"“{caption(s)}”", {"size": 12, "color": MUTED})] for s in sentences[:3]]
    add_text(slide, Inches(0.6), Inches(1.4), Inches(12.1), Inches(5.4), paragraphs, size=16, spacing=10)
    add_notes(slide, sentences)


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
            point.format.fill.fore_color.rgb = rgb_color(sector_color(sector))
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
    add_text(slide, Inches(9.3), Inches(1.5), Inches(3.45), Inches(5.2), lines, size=14, spacing=6)


def _sources_slide(deck: _Deck) -> None:
    slide = deck.slide(t("deck.sources", deck.lang))
    text = t("deck.source_lines", deck.lang, plan=plan_title(deck.lang), date=f"{dt.date.today():%Y-%m-%d}")
    add_text(
        slide, Inches(0.6), Inches(1.4), Inches(12.1), Inches(5.4), text.split("\n"), size=14, color=INK, spacing=10
    )


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
