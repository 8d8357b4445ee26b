"""The evaluation report as a PDF (A4 landscape): the status map, the definitions, then tables whose
columns are measured to fit their text at 8 pt or more (headers wrap between words, never inside one)."""

from __future__ import annotations

import io
from collections.abc import Sequence

from layout.evaluation.figures import compare
from layout.evaluation.report import (
    SHORT_FIGURES,
    Report,
    context_rows,
    fmt_value,
    header,
    lagging_rows,
    report_definitions,
    report_title,
    source_line,
)
from layout.evaluation.status_map import mark_demo, status_map_figure
from layout.evaluation.text import clip, counting_line
from layout.i18n import t
from layout.plan.text import PLAN_TITLE

FONT_PT, MIN_PT = 9.0, 8.0  # table text, and the least it may step down to on the printed A4 page
LEFT, WIDTH = 0.04, 0.9  # the table's box, as a fraction of the page width (matplotlib pads it 2 %)
PAD_IN = 0.1  # cell padding, inches (both sides together)
ROWS_PER_PAGE = 24


def _text_width(text: str, size: float) -> float:
    """Width of ``text`` in inches at ``size`` pt in the current font."""
    from matplotlib.font_manager import FontProperties
    from matplotlib.textpath import TextToPath

    if not text:
        return 0.0
    w, _, _ = TextToPath().get_text_width_height_descent(text, FontProperties(size=size), ismath=False)
    return w / 72.0


def _wrap_header(text: str, width_in: float, size: float, lang: str) -> str:
    """``text`` on as many lines as ``width_in`` needs, broken between words (or before a （ in Chinese)."""
    parts = text.replace("（", " （").split() if lang == "zh" else text.split()
    lines: list[str] = []
    for part in parts:
        joiner = "" if lang == "zh" else " "
        if lines and _text_width(lines[-1] + joiner + part, size) <= width_in:
            lines[-1] += joiner + part
        else:
            lines.append(part)
    return "\n".join(lines)


def fit_columns(
    columns: Sequence[str], rows: Sequence[Sequence[str]], *, lang: str, page_width_in: float, size: float = FONT_PT
) -> tuple[list[str], list[list[str]], list[float], float]:
    """Headers (wrapped), rows, column widths (fractions of the table's box) and the type size so every
    cell's text fits.

    Each column is as wide as its widest cell or its header's longest word, the spare room shared in
    proportion; a header wraps between words to its column's width. When the columns need more than the
    room, the type steps down to 8 pt, then the first column (names) is clipped with "…" to what is left."""
    room = page_width_in * WIDTH
    table = [[str(v) for v in r] for r in rows]
    while True:
        need = []
        for j, head in enumerate(columns):
            cells = max((_text_width(r[j], size) for r in table), default=0.0)
            words = max(_text_width(w, size) for w in (head.replace("（", " （").split() or [""]))
            need.append(max(cells, words) + PAD_IN)
        if sum(need) <= room or size <= MIN_PT:
            break
        size -= 0.5
    if sum(need) > room:  # clip the names to the room the figures leave them
        left = room - sum(need[1:]) - PAD_IN
        for r in table:
            while len(r[0]) > 2 and _text_width(r[0], size) > left:
                r[0] = r[0][:-2] + "…"
        need[0] = room - sum(need[1:])
    total = sum(need)
    if total < room:  # spread the spare room over the columns in proportion
        need = [w * room / total for w in need]
    heads = [_wrap_header(h, w - PAD_IN, size, lang) for h, w in zip(columns, need, strict=True)]
    return heads, table, [w / room for w in need], size


def _page(title: str):
    """A blank A4 landscape page (matplotlib Figure) with ``title`` at the top left."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    from layout.render.printmap_plan import PAGE_SIZE

    fig = Figure(figsize=PAGE_SIZE, facecolor="white")
    FigureCanvasAgg(fig)
    fig.text(LEFT, 0.95, title, fontsize=16, ha="left", va="top")
    return fig


def _table_page(
    title: str, columns: list[str], rows: list[list[str]], report: Report, lang: str, *, notes: Sequence[str] = ()
):
    from layout.render.printmap_plan import PAGE_SIZE

    fig = _page(title)
    y = 0.905
    for note in notes:
        fig.text(LEFT, y, note, fontsize=9, color="#444444", ha="left", va="top", wrap=True)
        y -= 0.03
    ax = fig.add_axes((LEFT, 0.08, WIDTH, y - 0.1))
    ax.axis("off")
    if rows:
        heads, rows, widths, size = fit_columns(columns, rows, lang=lang, page_width_in=PAGE_SIZE[0])
        table = ax.table(cellText=rows, colLabels=heads, loc="upper left", cellLoc="left", colWidths=widths)
        table.auto_set_font_size(False)
        table.set_fontsize(size)
        line = (size * 1.5 / 72) / (ax.get_position().height * PAGE_SIZE[1])  # one text line, axes fraction
        lines = max(h.count("\n") + 1 for h in heads)
        for (r, j), c in table.get_celld().items():
            c.PAD = PAD_IN / 2 / (widths[j] * WIDTH * PAGE_SIZE[0])  # matplotlib pads by a share of the width
            c.set_edgecolor("#cccccc")
            c.set_height(line * (lines if r == 0 else 1) + line * 0.3)
            if r == 0:
                c.set_facecolor("#dde6ee")
    else:
        ax.text(0, 1, t("eval.none", lang), fontsize=12, va="top")
    fig.text(LEFT, 0.03, source_line(report, lang), fontsize=8, color="#555555", ha="left")
    if report.demo:
        mark_demo(fig, lang)
    return fig


def _text_page(title: str, lines: list[str], report: Report, lang: str):
    fig = _page(title)
    y = 0.89
    for line in lines:
        for chunk in _chunks(line, 70 if any(ord(ch) > 0x2E80 for ch in line) else 150):
            fig.text(LEFT, y, chunk, fontsize=10, ha="left", va="top")
            y -= 0.032
        y -= 0.01
    if report.demo:
        mark_demo(fig, lang)
    return fig


def _chunks(text: str, n: int) -> list[str]:
    """``text`` cut into lines of at most ``n`` characters, at a space when there is one."""
    out = []
    while len(text) > n:
        cut = text.rfind(" ", 0, n)
        cut = n if cut <= 0 else cut
        out.append(text[:cut])
        text = text[cut:].lstrip()
    return [*out, text]


def _pages(
    title: str, columns: list[str], rows: list[list[str]], report: Report, lang: str, *, notes: Sequence[str] = ()
) -> list:
    chunks = [rows[i : i + ROWS_PER_PAGE] for i in range(0, len(rows), ROWS_PER_PAGE)] or [[]]
    out = []
    for k, chunk in enumerate(chunks, 1):
        suffix = "" if len(chunks) == 1 else f" ({k}/{len(chunks)})"
        out.append(_table_page(title + suffix, columns, chunk, report, lang, notes=notes))
    return out


def pdf_pages(report: Report, *, lang: str = "zh") -> list:
    """The report's pages as matplotlib Figures: status map; definitions; zone, county and sector tables
    (every status, so each row adds up); related projects (county reports); lagging projects; indicators;
    the comparison when there is one."""
    ev = report.evaluation
    pages = [
        status_map_figure(report, lang=lang),
        _text_page(
            f"{t('eval.sheet.definitions', lang)} · {report_title(report, lang)}",
            report_definitions(report, lang),
            report,
            lang,
        ),
    ]
    columns = [header("label", lang), *(header(c, lang) for c in SHORT_FIGURES)]
    for grouping, key in (
        ("zone", "eval.sheet.zone"),
        ("county", "eval.sheet.county"),
        ("sector", "eval.sheet.sector"),
    ):
        rows = [
            [clip(r["label"], 24), *(fmt_value(c, r[c]) for c in SHORT_FIGURES)]
            for _, r in ev.table(grouping).iterrows()
        ]
        notes = [t("eval.zone_note", lang)] if grouping == "zone" else []
        pages += _pages(f"{t(key, lang)} · {report_title(report, lang)}", columns, rows, report, lang, notes=notes)
    if ev.context is not None:
        ctx = context_rows(report, lang)
        cols = ["context", "id", "name", "county", "status", "invest_planned"]
        rows = [
            [
                clip(r["context"], 16),
                r["id"],
                clip(r["name"], 28),
                r["county"],
                r["status"],
                fmt_value("invest_planned", r["invest_planned"]),
            ]
            for _, r in ctx.iterrows()
        ]
        pages += _pages(
            t("eval.sheet.context", lang),
            [header(c, lang) for c in cols],
            rows,
            report,
            lang,
            notes=[counting_line(ev, lang)],
        )
    lag = lagging_rows(report, lang)
    lag_cols = ["id", "name", "county", "status", "lag_reason", "lead_unit", "last_as_of", "note"]
    lag_rows = [[clip(v, 24) for v in r] for r in lag[lag_cols].fillna("").astype(str).to_numpy().tolist()]
    pages += _pages(
        f"{t('eval.sheet.lagging', lang)} ({len(lag_rows)})",
        [header(c, lang) for c in lag_cols],
        lag_rows,
        report,
        lang,
        notes=[t("eval.lag_rule", lang, months=ev.stale_months)],
    )
    ind = report.indicators
    ind_cols = ["indicator", "target_text", "actual", "actual_year", "interim_target", "assessment", "gap", "change"]
    ind_rows = [
        [
            clip(r["name"], 18 if lang == "zh" else 34),
            clip(r["target_text"], 20 if lang == "zh" else 34),
            fmt_value("actual", r["actual"]),
            fmt_value("actual_year", r["actual_year"]),
            fmt_value("interim_target", r["interim_target"]),
            t(f"eval.ind.{r['status']}", lang),
            fmt_value("gap", r["gap"]),
            (f"{fmt_value('change', r['change'])} {r['change_unit']}" if r["change_unit"] else "—"),
        ]
        for _, r in ind.iterrows()
    ]
    notes = [
        t("eval.ind_rule", lang),
        *(
            f"{r['name']}：{r['note']}" if lang == "zh" else f"{r['name']}: {r['note']}"
            for _, r in ind.iterrows()
            if r["note"]
        ),
    ]
    pages += _pages(
        t("eval.sheet.indicators", lang), [header(c, lang) for c in ind_cols], ind_rows, report, lang, notes=notes
    )
    if report.before is not None:
        cmp = compare(report.before, ev, grouping="zone")
        names = ("reported", "started", "share_started", "share_completed", "invest_done")
        cols = [header("label", lang)] + [
            f"{header(n, lang)} {d}" for n in names for d in (report.before.as_of.isoformat(), ev.as_of.isoformat())
        ]
        rows = [
            [clip(r["label"], 20)] + [fmt_value(n, r[f"{n}_{w}"]) for n in names for w in ("before", "after")]
            for _, r in cmp.iterrows()
        ]
        pages += _pages(t("eval.sheet.compare", lang), cols, rows, report, lang, notes=[t("eval.zone_note", lang)])
    return pages


def pdf_bytes(report: Report, *, lang: str = "zh") -> bytes:
    import matplotlib
    from matplotlib.backends.backend_pdf import PdfPages

    from layout.render.fonts import RENDER_LOCK, font_rc

    buf = io.BytesIO()
    with RENDER_LOCK, matplotlib.rc_context(font_rc()):
        pages = pdf_pages(report, lang=lang)
        with PdfPages(
            buf, metadata={"Title": report_title(report, lang), "Subject": PLAN_TITLE, "Creator": "yiyang-layout"}
        ) as pdf:
            for fig in pages:
                pdf.savefig(fig)
    return buf.getvalue()


__all__ = ["fit_columns", "pdf_bytes", "pdf_pages"]
