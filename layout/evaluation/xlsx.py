"""The evaluation report as an XLSX workbook: one sheet per table, headers and widths that print on A4
landscape at a readable scale, every text cell neutralised (:func:`layout.tables.write.neutralise`), and
the demo mark on every sheet of a demo register's report.
"""

from __future__ import annotations

import io
import math
from collections.abc import Sequence

import pandas as pd

from layout.evaluation.figures import (
    STATUS_ORDER,
    compare,
    status_label,
)
from layout.evaluation.report import (
    CJK_RE,
    DEMO_RED,
    DERIVED_FIGURES,
    GROUP_FIGURES,
    Report,
    comparison_rows,
    context_rows,
    header,
    indicator_rows,
    lagging_rows,
    project_rows,
    report_definitions,
    report_title,
    source_line,
)
from layout.evaluation.text import counting_line, scope_name
from layout.i18n import t
from layout.plan.text import PLAN_TITLE
from layout.tables.write import neutralise

# --------------------------------------------------------------------------------------------
# XLSX

#: Columns (Excel width units) an A4 landscape page holds at 100 % (10.9 in ≈ 5.25 pt a unit). A sheet is
#: printed at the scale that fits its width on the page, but never below PRINT_SCALE % (11 pt prints ≥ 8 pt);
#: a wider one runs across pages with its first column repeated. (An explicit scale, not "fit to width":
#: LibreOffice's fit shrinks further than the columns need.)
PAGE_UNITS, PRINT_SCALE = 145, 75


def _units(text: str) -> float:
    """Width of ``text`` in Excel column units (a CJK character is two)."""
    return sum(2.0 if ord(ch) >= 0x2E80 else 1.1 for ch in text)


def header_lines(text: str, width: float) -> int:
    """Lines a wrapped header needs in a column ``width`` units wide."""
    return max(1, math.ceil(_units(text) / max(1.0, width - 1)))


def fit_print(ws, heads: Sequence[str], widths: Sequence[float]) -> list[float]:
    """Set the column widths (each at least its header's longest word, so a word never breaks) and the
    print scale (fitted to the page width when it stays legible, else :data:`PRINT_SCALE` %)."""
    out = []
    for j, h in enumerate(heads):  # Chinese may break between any two characters: its words cap at 8 units
        word = max(
            (_units(w) if not CJK_RE.search(w) else min(_units(w), 8.0) for w in h.replace("（", " （").split()),
            default=0.0,
        )
        out.append(max(widths[j] if j < len(widths) else 10, math.ceil(word) + 2))
        ws.set_column(j, j, out[-1])
    scale = max(PRINT_SCALE, min(100, int(PAGE_UNITS * 100 / max(sum(out), 1))))
    ws.set_print_scale(scale)
    if sum(out) * scale / 100 > PAGE_UNITS:
        ws.repeat_columns(0)
    return out


def xlsx_bytes(report: Report, *, lang: str = "zh") -> bytes:
    """The workbook: 概况 (summary), 按片区, 按县市区, 按行业, 项目清单, 滞后项目, 指标对标 and, with a
    comparison date, 两期对比. Numbers are numbers (shares with a % format), headers in the language;
    text is always written as text (a note starting with "=" never becomes a formula)."""
    import xlsxwriter

    buf = io.BytesIO()
    wb = xlsxwriter.Workbook(buf, {"in_memory": True, "nan_inf_to_errors": False})
    wb.set_properties({"title": report_title(report, lang), "subject": PLAN_TITLE, "author": "yiyang-layout"})
    bold = wb.add_format({"bold": True})
    wrap = wb.add_format({"text_wrap": True, "valign": "top"})
    head = wb.add_format({"bold": True, "bg_color": "#DDE6EE", "text_wrap": True, "valign": "top"})
    title = wb.add_format({"bold": True, "font_size": 13})
    red = wb.add_format({"bold": True, "font_size": 14, "font_color": DEMO_RED})
    formats = {"share": wb.add_format({"num_format": "0.0%"}), "invest": wb.add_format({"num_format": "#,##0.0"})}

    def put(ws, r: int, c: int, value, fmt=None) -> None:
        if value is None or (isinstance(value, float) and not math.isfinite(value)) or value is pd.NA:
            return
        if isinstance(value, str):
            ws.write_string(r, c, neutralise(value), fmt)
        elif isinstance(value, bool):
            ws.write_boolean(r, c, value, fmt)
        elif isinstance(value, int | float):
            ws.write_number(r, c, float(value), fmt)
        else:  # dates and other objects: their text
            ws.write_string(r, c, str(value), fmt)

    def start(name: str, heading: str) -> tuple:
        ws = wb.add_worksheet(name)
        # Printed as officers file reports: A4 landscape, pages numbered; the width rule is fit_print's.
        ws.set_paper(9)
        ws.set_landscape()
        ws.set_margins(left=0.4, right=0.4, top=0.5, bottom=0.6)
        ws.set_footer("&C&P / &N")
        r = 0
        if report.demo:
            ws.write_string(r, 0, t("eval.demo_mark", lang), red)
            r += 1
        ws.write_string(r, 0, heading, title)
        return ws, r + 1

    def long_line(ws, r: int, text: str, widths: Sequence[float]) -> None:
        """``text`` across the table's width, wrapped (a long line never widens what LibreOffice prints)."""
        if len(widths) > 1:
            ws.merge_range(r, 0, r, len(widths) - 1, neutralise(text), wrap)
        else:
            ws.write_string(r, 0, neutralise(text), wrap)
        ws.set_row(r, 15 * header_lines(text, sum(widths)))

    def sheet(
        name: str,
        frame: pd.DataFrame,
        widths: Sequence[float] = (),
        *,
        notes: Sequence[str] = (),
        names: Sequence[str] | None = None,
    ) -> None:
        """``frame`` under its headers; ``names`` (one per column) pick the number format when the headers
        are not figure names; ``notes`` are printed under the table."""
        ws, r = start(name, report_title(report, lang))
        heads = [header(c, lang) for c in frame.columns]
        widths = fit_print(ws, heads, widths)
        for j, h in enumerate(heads):
            ws.write_string(r, j, h, head)
        ws.set_row(r, 15 * max(header_lines(h, w) for h, w in zip(heads, widths, strict=False)))
        kinds = [
            formats["share"]
            if c.startswith("share")
            else formats["invest"]
            if c.startswith("invest") and c not in ("invest_reported", "invest_invalid")
            else None
            for c in (names or frame.columns)
        ]
        first = r + 1
        for j, c in enumerate(frame.columns):  # column by column: one type test per column where possible
            values = frame[c].to_numpy(dtype=object)
            if all(isinstance(v, str) for v in values):
                long = wrap if any(_units(v) > widths[j] for v in values) else None  # wrapped, never cut
                for i, v in enumerate(values):
                    if v:
                        ws.write_string(first + i, j, neutralise(v), long)
            else:
                for i, v in enumerate(values):
                    put(ws, first + i, j, v, kinds[j])
        r = first + len(frame) - 1
        for note in notes:
            r += 1
            long_line(ws, r + 1, note, widths)
        long_line(ws, r + 2, source_line(report, lang), widths)
        ws.freeze_panes(first, 0)
        ws.repeat_rows(first - 1)  # the header row on every printed page

    ev, total = report.evaluation, report.evaluation.total
    ws, r = start(t("eval.sheet.summary", lang), report_title(report, lang))
    ws.set_print_scale(100)
    rows: list[tuple[str, object, object]] = [
        (t("eval.col.scope", lang), scope_name(ev.scope, lang), None),
        (t("eval.col.as_of", lang), ev.as_of.isoformat(), None),
    ]
    if report.before is not None:
        rows.append((t("eval.col.compare", lang), report.before.as_of.isoformat(), None))
    rows += [(t("eval.col.n", lang), total["n"], None), (t("eval.col.reported", lang), total["reported"], None)]
    rows += [(status_label(s, lang), total[s], None) for s in STATUS_ORDER]
    for name in DERIVED_FIGURES:
        fmt = (
            formats["share"]
            if name.startswith("share")
            else formats["invest"]
            if name in ("invest_planned", "invest_done")
            else None
        )
        rows.append((t(f"eval.col.{name}", lang), total[name], fmt))
    label_width = max(28, math.ceil(max(_units(label) for label, _, _ in rows) * 1.1) + 2)  # bold: a bit wider
    ws.set_column(0, 0, label_width)
    ws.set_column(1, 1, min(100, PAGE_UNITS - label_width))
    for label, value, fmt in rows:
        ws.write_string(r, 0, label, bold)
        put(ws, r, 1, value, fmt)
        r += 1
    r += 1
    ws.write_string(r, 0, t("eval.sheet.definitions", lang), bold)
    for line in report_definitions(report, lang):  # the last line is the source
        ws.write_string(r, 1, line, wrap)
        r += 1

    for grouping, key in (
        ("zone", "eval.sheet.zone"),
        ("county", "eval.sheet.county"),
        ("sector", "eval.sheet.sector"),
    ):
        frame = ev.table(grouping)
        extra = [c for c in ("kind", "group") if c in frame]
        notes = [t("eval.zone_note", lang)] if grouping == "zone" else []
        sheet(t(key, lang), frame[["label", *extra, *GROUP_FIGURES]], widths=[24, 8] + [7] * 22, notes=notes)
    sheet(
        t("eval.sheet.projects", lang),
        project_rows(report, lang),
        widths=[6, 30, 8, 14, 8, 8, 11, 11, 16, 10, 8, 12, 20],
    )
    if ev.context is not None:
        sheet(
            t("eval.sheet.context", lang),
            context_rows(report, lang),
            widths=[22, 8, 36, 12, 16, 10, 12, 12, 12],
            notes=[counting_line(ev, lang)],
        )
    sheet(t("eval.sheet.lagging", lang), lagging_rows(report, lang), widths=[8, 36, 10, 10, 16, 20, 12, 30])
    sheet(
        t("eval.sheet.indicators", lang),
        indicator_rows(report, lang),
        widths=[22, 6, 12, 10, 8, 8, 18, 8, 6, 8, 8, 8, 8, 8, 8, 14, 36, 20, 8, 30],
        notes=[t("eval.ind_rule", lang)],
    )
    if report.before is not None:
        cmp = comparison_rows(report, "zone", lang)
        sheet(
            t("eval.sheet.compare", lang),
            cmp,
            widths=[30] + [12] * 30,
            names=["label", *compare(report.before, ev, grouping="zone").columns[2:]],
        )
    if report.reconciliation is not None:
        summary, projects = report.reconciliation
        ws, r = start(t("eval.sheet.reconcile", lang), report_title(report, lang))
        names = list(summary.columns)
        heads = [header(c, lang) for c in names]
        widths = fit_print(ws, heads, [30, 24] + [9] * (len(names) - 2))
        long_line(ws, r, counting_line(ev, lang), widths)
        r += 1
        for j, h in enumerate(heads):
            ws.write_string(r, j, h, head)
        ws.set_row(r, 15 * max(header_lines(h, w) for h, w in zip(heads, widths, strict=True)))
        for i, row in enumerate(summary.itertuples(index=False), start=r + 1):
            for j, v in enumerate(row):
                put(ws, i, j, v, formats["invest"] if names[j].startswith("invest") else None)
        r += len(summary) + 2
        names = list(projects.columns)
        for j, c in enumerate(names):
            ws.write_string(r, j, header(c, lang), head)
        for i, row in enumerate(projects.itertuples(index=False), start=r + 1):
            for j, v in enumerate(row):
                put(ws, i, j, status_label(v, lang) if names[j] == "status" else v)
        long_line(ws, r + len(projects) + 2, source_line(report, lang), widths)
    wb.close()
    return buf.getvalue()
