"""The evaluation deck (PPTX, 16:9) for a county meeting, drawn with the briefing deck's helpers.

Slides: title; summary numbers; definitions; the status map; figures by zone, county and sector (every
status, so each row adds up); related projects (county decks); the reconciliation (city deck); lagging
projects; indicators against targets; the comparison of two dates when asked. Column widths fit the
longest word of each header, so no word breaks. A report made
from a demo register carries "演示数据 / demo data" on every slide.
"""

from __future__ import annotations

import datetime as dt
import io

import pandas as pd
from pptx.enum.text import PP_ALIGN
from pptx.presentation import Presentation
from pptx.util import Inches

from layout.evaluation.figures import STATUS_ORDER, Evaluation, compare, status_label
from layout.evaluation.report import (
    DEMO_RED,
    SHORT_FIGURES,
    Report,
    context_rows,
    fmt_value,
    header,
    lagging_rows,
    report_definitions,
    report_title,
    source_line,
    summary_lines,
)
from layout.evaluation.status_map import map_png
from layout.evaluation.text import clip, counting_line, empty_text, scope_name
from layout.i18n import t
from layout.render.palette import status_color
from layout.render.slides import (
    MUTED,
    SlideDeck,
    add_empty_note,
    add_text,
    fill_table,
    page_suffix,
    rgb_color,
    row_height,
)

TABLE_TOP, TABLE_ROOM = 1.3, 5.55  # inches: a table starts below the title and ends above the footer
TABLE_LEFT, TABLE_WIDTH = 0.4, 12.5  # inches: the widest a table may be
CELL_MARGINS = 0.18  # inches: a cell's left and right margins (0.08 each) and a little room


def _ems(text: str, *, bold: bool = False) -> float:
    """Width of ``text`` in ems, as :func:`layout.render.slides.row_height` counts it (bold a little wider)."""
    return sum(1.0 if ord(ch) >= 0x2E80 else 0.62 for ch in text) * (1.08 if bold else 1.0)


def fit_widths(
    columns: list[str], rows: list[list[str]], *, size: float, wrap: int = 0, room: float = TABLE_WIDTH
) -> list[float] | None:
    """Column widths (inches) in which no header word and no cell but column ``wrap``'s breaks at ``size``
    pt; column ``wrap`` (the names) takes the rest of ``room``. None when they need more than ``room``."""
    em = size / 72
    need = []
    for j, head in enumerate(columns):
        words = max(_ems(w, bold=True) for w in head.replace("（", " （").split()) if head.split() else 0.0
        cells = 0.0 if j == wrap else max((_ems(str(r[j])) for r in rows), default=0.0)
        longest = max((_ems(w) for r in rows for w in str(r[j]).split()), default=0.0) if j == wrap else 0.0
        need.append(max(words, cells, longest) * em + CELL_MARGINS)
    spare = room - sum(need)
    if spare < 0:
        return None
    need[wrap] += spare
    return need


ACCENT = "#2b5c8a"


class _EvalDeck(SlideDeck):
    def __init__(self, report: Report, lang: str):
        super().__init__(report_title(report, lang), ACCENT)
        self.report, self.lang = report, lang

    def table(
        self,
        slide,
        columns: list[str],
        rows: list[list[str]],
        widths: list[float],
        heights: list[float],
        *,
        name: str,
        size: float = 10,
    ) -> None:
        """A table with the header ``columns`` and ``rows``; ``heights`` (inches) of the header and each row."""
        left = 0.6 if sum(widths) <= 12.1 else TABLE_LEFT
        shape = slide.shapes.add_table(
            len(rows) + 1, len(columns), Inches(left), Inches(TABLE_TOP), Inches(sum(widths)), Inches(sum(heights))
        )
        shape.name = name
        table = shape.table
        widths_emu = [Inches(w) for w in widths]
        fill_table(table, columns, rows, widths_emu, header_fill=self.accent, size=size, header_margin=0.06)
        for row, height in zip(table.rows, heights, strict=True):
            row.height = Inches(height)

    def paged_table(
        self,
        title: str,
        columns: list[str],
        rows: list[list[str]],
        widths: list[float] | None,
        *,
        name: str,
        size: float = 10,
        note: str = "",
    ) -> None:
        """``rows`` on as many slides as their wrapped heights need, the header on each, "(1/2)" in the title.
        ``widths`` None: fitted (:func:`fit_widths`), at ``size`` or as little smaller (≥ 8 pt) as needed."""
        if widths is None:
            while (fitted := fit_widths(columns, rows, size=size)) is None and size > 8:
                size -= 0.5
            fitted = fitted or fit_widths(columns, rows, size=size, room=99.0)
            widths = fitted or [TABLE_WIDTH / len(columns)] * len(columns)  # (only past 99 inches of text)
        head = row_height(columns, widths, size)
        pages: list[list[tuple[list[str], float]]] = [[]]
        used = 0.0
        for row in rows:
            height = row_height(row, widths, size)
            if pages[-1] and used + height > TABLE_ROOM - head:
                pages.append([])
                used = 0.0
            pages[-1].append((row, height))
            used += height
        for n, page in enumerate(pages, 1):
            slide = self.slide(title + page_suffix(n, len(pages), self.lang))
            self.table(
                slide,
                columns,
                [row for row, _ in page],
                widths,
                [head, *(height for _, height in page)],
                name=name,
                size=size,
            )
            if note:
                add_text(
                    slide,
                    Inches(0.6),
                    Inches(6.62),
                    Inches(12.1),
                    Inches(0.36),
                    note,
                    size=10,
                    color=MUTED,
                    name="note",
                )

    def finish(self) -> Presentation:
        slides = list(self.prs.slides)
        foot = source_line(self.report, self.lang)
        for i, slide in enumerate(slides, start=1):
            if i > 1:
                self.footer(slide, foot, i, len(slides), width=10.8, height=0.4, top=7.0, size=8)
            if self.report.demo:
                add_text(
                    slide,
                    Inches(9.2),
                    Inches(0.18),
                    Inches(3.9),
                    Inches(0.5),
                    t("eval.demo_mark", self.lang),
                    size=16,
                    bold=True,
                    color=rgb_color(DEMO_RED),
                    align=PP_ALIGN.RIGHT,
                    name="demo_mark",
                )
        return self.prs


def _title_slide(deck: _EvalDeck) -> None:
    r, lang = deck.report, deck.lang
    deck.title_slide(
        scope_name(r.evaluation.scope, lang),
        t("eval.deck_subtitle", lang, date=r.evaluation.as_of.isoformat()),
        f"{t('eval.plan_title', lang)} | {(r.made or dt.date.today()):%Y-%m-%d}",
    )


def _summary_slide(deck: _EvalDeck) -> None:
    r, lang = deck.report, deck.lang
    slide = deck.slide(t("eval.deck_summary", lang))
    lines = summary_lines(r, lang)
    big = [
        [(label + "　", {"size": 16, "color": MUTED}), (value, {"size": 24, "bold": True})]
        for label, value in lines[:6]
    ]
    add_text(slide, Inches(0.6), Inches(1.4), Inches(6.2), Inches(5.4), big, spacing=10, name="summary")
    statuses = [
        [
            ("■ ", {"color": rgb_color(status_color(s)), "size": 16}),
            (f"{status_label(s, lang)}　{int(r.evaluation.total[s])}", {"size": 16}),
        ]
        for s in STATUS_ORDER
    ]
    add_text(slide, Inches(7.2), Inches(1.4), Inches(5.5), Inches(4.2), statuses, spacing=6, name="statuses")
    if r.evaluation.empty:
        add_text(
            slide,
            Inches(7.2),
            Inches(5.2),
            Inches(5.5),
            Inches(1.6),
            empty_text(r.evaluation, r.info, lang),
            size=13,
            color=rgb_color(DEMO_RED),
            name="empty",
        )


def _definitions_slide(deck: _EvalDeck) -> None:
    ind = deck.report.indicators
    lines = [
        *report_definitions(deck.report, deck.lang),
        t("eval.ind_rule", deck.lang),
        *(f"{r['name']}：{r['note']}" for _, r in ind.iterrows() if r["note"]),
    ]
    slide = deck.slide(t("eval.sheet.definitions", deck.lang))
    add_text(
        slide,
        Inches(0.6),
        Inches(1.3),
        Inches(12.1),
        Inches(5.6),
        [[(line, {"size": 11})] for line in lines],
        spacing=4,
        name="definitions",
    )


def _map_slide(deck: _EvalDeck) -> None:
    slide = deck.slide(t("eval.deck_map", deck.lang))
    png = map_png(deck.report, lang=deck.lang, figsize=(12.1, 5.6))  # the slide's whole body
    pic = slide.shapes.add_picture(io.BytesIO(png), Inches(0.6), Inches(1.3), width=Inches(12.1))
    pic.name = "status_map"


def _group_slides(deck: _EvalDeck) -> None:
    lang = deck.lang
    ev = deck.report.evaluation
    columns = [header("label", lang), *(header(c, lang) for c in SHORT_FIGURES)]
    for grouping, key in (
        ("zone", "eval.sheet.zone"),
        ("county", "eval.sheet.county"),
        ("sector", "eval.sheet.sector"),
    ):
        frame = ev.table(grouping)
        rows = [[str(row["label"]), *(fmt_value(c, row[c]) for c in SHORT_FIGURES)] for _, row in frame.iterrows()]
        deck.paged_table(
            t(key, lang),
            columns,
            rows,
            None,
            name=f"table_{grouping}",
            size=10,
            note=t("eval.zone_note", lang) if grouping == "zone" else "",
        )


def _context_slides(deck: _EvalDeck) -> None:
    lang, ev = deck.lang, deck.report.evaluation
    ctx = context_rows(deck.report, lang)
    cols = ["context", "id", "name", "status", "invest_planned"]
    rows = [
        [r["context"], r["id"], clip(r["name"], 40), r["status"], fmt_value("invest_planned", r["invest_planned"])]
        for _, r in ctx.iterrows()
    ]
    deck.paged_table(
        t("eval.sheet.context", lang),
        [header(c, lang) for c in cols],
        rows,
        None,
        name="table_context",
        size=10,
        note=counting_line(ev, lang),
    )


def _reconcile_slide(deck: _EvalDeck, reconciliation: tuple[pd.DataFrame, pd.DataFrame]) -> None:
    lang = deck.lang
    summary, _ = reconciliation
    names = ["n", "reported", *STATUS_ORDER, "invest_planned"]
    rows = [[str(r["label"]), *(fmt_value(c, r[c]) for c in names)] for _, r in summary.iterrows()]
    deck.paged_table(
        t("eval.sheet.reconcile", lang),
        [header("label", lang), *(header(c, lang) for c in names)],
        rows,
        None,
        name="table_reconcile",
        size=10,
        note=counting_line(deck.report.evaluation, lang),
    )


def _lagging_slides(deck: _EvalDeck) -> None:
    lang = deck.lang
    lag = lagging_rows(deck.report, lang)
    cols = ["name", "county", "status", "lag_reason", "lead_unit", "note"]
    widths = [3.6, 1.1, 1.0, 1.7, 2.2, 2.53] if lang == "zh" else [3.4, 1.45, 1.45, 1.8, 1.9, 2.13]
    title = (
        f"{t('eval.sheet.lagging', lang)}（{len(lag)}）"
        if lang == "zh"
        else f"{t('eval.sheet.lagging', lang)} ({len(lag)})"
    )
    if lag.empty:
        slide = deck.slide(t("eval.sheet.lagging", lang))
        add_empty_note(slide, t("eval.none", lang))
        return
    rows = [[clip(v, 40) for v in rec] for rec in lag[cols].fillna("").astype(str).to_numpy().tolist()]
    deck.paged_table(title, [header(c, lang) for c in cols], rows, widths, name="table_lagging")


def _indicator_slides(deck: _EvalDeck) -> None:
    lang = deck.lang
    ind = deck.report.indicators
    cols = ["indicator", "target_text", "actual", "interim_target", "assessment", "gap", "change", "actual_source"]
    widths = [2.5, 2.3, 1.1, 1.1, 1.2, 1.1, 1.4, 1.43]
    rows = [
        [
            clip(r["name"], 20 if lang == "zh" else 40),
            clip(r["target_text"], 22 if lang == "zh" else 40),
            fmt_value("actual", r["actual"]) + (f"（{r['actual_year']}）" if r["actual_year"] else ""),
            fmt_value("interim_target", r["interim_target"]),
            t(f"eval.ind.{r['status']}", lang),
            fmt_value("gap", r["gap"]),
            f"{fmt_value('change', r['change'])} {r['change_unit']}" if r["change_unit"] else "—",
            clip(r["actual_source"] or "—", 24),
        ]
        for _, r in ind.iterrows()
    ]
    deck.paged_table(
        t("eval.sheet.indicators", lang), [header(c, lang) for c in cols], rows, widths, name="table_indicators"
    )


def _compare_slide(deck: _EvalDeck, before: Evaluation) -> None:
    r, lang = deck.report, deck.lang
    cmp = compare(before, r.evaluation, grouping="zone")
    names = ("reported", "started", "completed_n", "invest_done")
    a, b = before.as_of.isoformat(), r.evaluation.as_of.isoformat()
    cols = [header("label", lang)] + [f"{d} {header(n, lang)}" for n in names for d in (a, b)]  # date first: whole
    rows = [
        [str(row["label"])] + [fmt_value(n, row[f"{n}_{w}"]) for n in names for w in ("before", "after")]
        for _, row in cmp.iterrows()
    ]
    deck.paged_table(t("eval.sheet.compare", lang), cols, rows, None, name="table_compare", size=10)


def build_evaluation_deck(report: Report, *, lang: str = "zh") -> Presentation:
    """The evaluation deck of ``report`` (see the module docstring for its slides)."""
    deck = _EvalDeck(report, lang)
    _title_slide(deck)
    _summary_slide(deck)
    _definitions_slide(deck)
    _map_slide(deck)
    _group_slides(deck)
    if report.evaluation.context is not None:
        _context_slides(deck)
    if report.reconciliation is not None:
        _reconcile_slide(deck, report.reconciliation)
    _lagging_slides(deck)
    _indicator_slides(deck)
    if report.before is not None:
        _compare_slide(deck, report.before)
    return deck.finish()


def deck_bytes(report: Report, *, lang: str = "zh") -> bytes:
    buf = io.BytesIO()
    build_evaluation_deck(report, lang=lang).save(buf)
    return buf.getvalue()


__all__ = ["build_evaluation_deck", "deck_bytes"]
