"""Slide primitives shared by every deck (python-pptx, 16:9): fonts and colours, text boxes, rectangles,
table cells and row heights, speaker notes, and :class:`SlideDeck`, a presentation whose slides share
one header.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.enum.lang import MSO_LANGUAGE_ID
from pptx.enum.shapes import MSO_SHAPE
from pptx.enum.text import MSO_ANCHOR, PP_ALIGN
from pptx.oxml.ns import qn
from pptx.oxml.xmlchemy import OxmlElement
from pptx.util import Emu, Inches, Pt

from layout.plan.text import PLAN_TITLE

FONT = "Microsoft YaHei"  # 微软雅黑: on every Windows meeting-room PC; PowerPoint substitutes elsewhere
SLIDE_W, SLIDE_H = Inches(13.333), Inches(7.5)
INK = RGBColor(0x22, 0x22, 0x22)
MUTED = RGBColor(0x66, 0x66, 0x66)
RULE = RGBColor(0xDD, 0xDD, 0xDD)
WHITE = RGBColor(0xFF, 0xFF, 0xFF)
ZEBRA = RGBColor(0xF5, 0xF5, 0xF5)  # every other table row


def add_notes(slide, lines: Sequence[str]) -> None:
    """Speaker notes: the plan's full sentences behind a slide, for the presenter."""
    frame = slide.notes_slide.notes_text_frame
    frame.text = "\n".join(lines)


# --------------------------------------------------------------------------------------------
# Drawing helpers


def rgb_color(color: str) -> RGBColor:
    return RGBColor.from_string(color.lstrip("#").upper())


def set_font(run, *, size: float, color: RGBColor = INK, bold: bool = False) -> None:
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


def add_text(
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
            set_font(run, size=style.get("size", size), color=style.get("color", color), bold=style.get("bold", bold))
    return box


def add_rect(slide, left, top, width, height, color: RGBColor):
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
        self.accent = rgb_color(accent)
        self.prs.core_properties.title = title
        self.prs.core_properties.subject = PLAN_TITLE
        self.prs.core_properties.author = "yiyang-layout"

    def slide(self, title: str):
        slide = self.prs.slides.add_slide(self.blank)
        add_rect(slide, 0, 0, SLIDE_W, Inches(0.12), self.accent)
        add_text(
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
        add_rect(slide, Inches(0.6), Inches(1.1), Inches(12.13), Emu(12700), RULE)
        return slide

    def title_slide(self, title: str, subtitle: str, basis: str, *, facts: Sequence[str] = ()):
        """The title page: a warm background, the accent band down its left edge, ``title`` large,
        ``subtitle`` below it, the ``facts`` lines (if any), and ``basis`` (what the deck rests on) at the foot."""
        slide = self.prs.slides.add_slide(self.blank)
        add_rect(slide, 0, 0, SLIDE_W, SLIDE_H, RGBColor(0xFA, 0xF8, 0xF4))
        add_rect(slide, 0, 0, Inches(0.45), SLIDE_H, self.accent)
        add_text(
            slide,
            Inches(1.1),
            Inches(1.9),
            Inches(11),
            Inches(1.4),
            title,
            size=54,
            bold=True,
            name="title",
            anchor=MSO_ANCHOR.BOTTOM,
        )
        add_text(slide, Inches(1.1), Inches(3.35), Inches(11), Inches(0.7), subtitle, size=24, color=MUTED)
        if facts:
            add_text(slide, Inches(1.1), Inches(4.35), Inches(11), Inches(1.2), list(facts), size=16, spacing=8)
        add_text(slide, Inches(1.1), Inches(6.3), Inches(11), Inches(0.5), basis, size=12, color=MUTED)
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
        add_text(
            slide, Inches(0.6), Inches(top), Inches(width), Inches(height), text, size=size, color=MUTED, name="footer"
        )
        add_text(
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


def row_height(texts: Sequence[str], widths: Sequence[float], size: float) -> float:
    """Inches a table row needs for ``texts`` in columns ``widths`` (inches) at ``size`` pt, wrapping included
    (a CJK character is 1 em, others about 0.62 em). LibreOffice does not grow rows to fit their text."""

    def lines(text: str, width: float) -> int:
        ems = sum(1.0 if ord(ch) >= 0x2E80 else 0.62 for ch in text)
        return max(1, math.ceil(ems / max(1.0, (width - 0.16) * 72 / size)))

    most = max((lines(t, w) for t, w in zip(texts, widths, strict=True)), default=1)
    return max(0.38, 0.08 + most * size * 1.25 / 72)


def fill_cell(
    cell,
    text: str,
    *,
    bold: bool = False,
    color: RGBColor = INK,
    fill: RGBColor | None = None,
    size: float = 12,
    margin: float = 0.08,
) -> None:
    """``text`` in ``cell``, centred vertically, with ``margin`` inches left and right."""
    cell.text = ""
    p = cell.text_frame.paragraphs[0]
    run = p.add_run()
    run.text = text
    set_font(run, size=size, color=color, bold=bold)
    cell.vertical_anchor = MSO_ANCHOR.MIDDLE
    cell.margin_left = cell.margin_right = Inches(margin)
    cell.margin_top = cell.margin_bottom = Inches(0.03)
    if fill is not None:
        cell.fill.solid()
        cell.fill.fore_color.rgb = fill


def fill_table(
    table,
    columns: Sequence[str],
    rows: Sequence[Sequence[str]],
    widths: Sequence[int],
    *,
    header_fill: RGBColor,
    size: float = 12,
    body_sizes: Sequence[float] | None = None,
    header_margin: float = 0.08,
) -> None:
    """Fill a python-pptx ``table``: column ``widths`` (EMU), a header row of ``columns`` in bold white on
    ``header_fill``, then ``rows`` on alternating white and light grey, at ``size`` pt (``body_sizes``: one
    size per column for the rows)."""
    for j, w in enumerate(widths):
        table.columns[j].width = w
    for j, h in enumerate(columns):
        fill_cell(table.cell(0, j), h, bold=True, color=WHITE, fill=header_fill, size=size, margin=header_margin)
    for i, row in enumerate(rows, start=1):
        fill = ZEBRA if i % 2 == 0 else WHITE
        for j, value in enumerate(row):
            fill_cell(table.cell(i, j), value, fill=fill, size=body_sizes[j] if body_sizes else size)


def page_suffix(page: int, pages: int, lang: str) -> str:
    """ "（2/3）" (" (2/3)" in English) after a title continued on ``pages`` slides; "" for one slide."""
    if pages == 1:
        return ""
    return f"（{page}/{pages}）" if lang == "zh" else f" ({page}/{pages})"


def add_empty_note(slide, text: str) -> None:
    """The muted line a slide shows where its table would be empty ("无" / "none")."""
    add_text(slide, Inches(0.6), Inches(1.5), Inches(12), Inches(1), text, size=16, color=MUTED, name="empty")
