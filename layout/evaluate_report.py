"""The evaluation report (规划实施评估报告) as an XLSX workbook, a PDF and a PPTX deck.

:func:`make_report` gathers one scope's figures on a date from a register (and optionally a second
date to compare with); :func:`report_bytes` lays them out. The PDF's first page is the print map
(:func:`layout.printmap.draw_map`) with projects coloured by status; the deck reuses the briefing
deck's drawing helpers (:mod:`layout.deck`). A report made from a demo register carries the
"演示数据 / demo data" mark on every sheet, page and slide.
"""

from __future__ import annotations

import datetime as dt
import io
import math
from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd

from layout.errors import InputError
from layout.evaluate import (
    STATUS_COLORS,
    STATUS_ORDER,
    Evaluation,
    compare,
    evaluate,
    evaluate_indicators,
    reported_line,
    status_label,
)
from layout.i18n import t
from layout.plan import PLAN_TITLE

REPORT_FORMATS = ("xlsx", "pdf", "pptx")
MEDIA_TYPES = {"xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
               "pdf": "application/pdf",
               "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation"}
DEMO_RED = "#c00000"
#: Figures of the group tables, in order (keys of :func:`layout.evaluate.figures`).
GROUP_FIGURES = ("n", "reported", *STATUS_ORDER, "started", "completed_n", "share_started", "share_completed",
                 "invest_planned", "invest_done", "lagging")
SHORT_FIGURES = ("n", "reported", "building", "completed", "operating", "not_started", "suspended", "share_started",
                 "share_completed", "invest_planned", "invest_done")


@dataclass(frozen=True)
class Report:
    """Everything one evaluation report shows."""

    evaluation: Evaluation
    indicators: pd.DataFrame
    catalog: pd.DataFrame  # the scope's catalog rows (for the map)
    before: Evaluation | None = None  # the comparison date's figures
    register_name: str = ""
    made: dt.date | None = None

    @property
    def demo(self) -> bool:
        return self.evaluation.demo


def make_report(register, catalog: pd.DataFrame, *, scope: str = "city", as_of: dt.date | None = None,
                compare_to: dt.date | None = None, demo: bool = False, lang: str = "zh",
                stale_months: int | None = None) -> Report:
    """Read the register's state on ``as_of`` (and ``compare_to``) and evaluate ``scope``.

    Parameters
    ----------
    register
        A :class:`layout.register.Register`.
    demo
        The register is a demo register (:func:`layout.demo.is_demo_register`).
    """
    from layout.evaluate import DEFAULT_STALE_MONTHS, scope_rows

    as_of = as_of or dt.date.today()
    months = stale_months or DEFAULT_STALE_MONTHS
    ev = evaluate(catalog, register.state(as_of=as_of), as_of=as_of, scope=scope, demo=demo, lang=lang,
                  stale_months=months)
    before = None
    if compare_to is not None:
        before = evaluate(catalog, register.state(as_of=compare_to), as_of=compare_to, scope=scope, demo=demo,
                          lang=lang, stale_months=months)
    indicators = evaluate_indicators(register.indicator_state(as_of=as_of), lang=lang)
    name = getattr(register, "path", "")
    return Report(ev, indicators, catalog.loc[scope_rows(catalog, scope)], before=before,
                  register_name=getattr(name, "name", str(name)), made=dt.date.today())


# --------------------------------------------------------------------------------------------
# Words and numbers


def scope_name(scope: str, lang: str = "zh") -> str:
    from layout.printmap import parse_scope, scope_label

    return scope_label(parse_scope(scope), lang)


def report_title(report: Report, lang: str = "zh") -> str:
    ev = report.evaluation
    return t("eval.report_title", lang, scope=scope_name(ev.scope, lang), date=ev.as_of.isoformat())


def source_line(report: Report, lang: str = "zh") -> str:
    """Where the figures come from: the register, the date, the plan, the day the report was made."""
    return t("eval.source", lang, register=report.register_name or "—", date=report.evaluation.as_of.isoformat(),
             plan=PLAN_TITLE, made=(report.made or dt.date.today()).isoformat())


def header(name: str, lang: str = "zh") -> str:
    """A column header: a figure, a status or a project field."""
    if name in STATUS_ORDER:
        return status_label(name, lang)
    return t(f"eval.col.{name}", lang, default=name)


def fmt_value(name: str, value, lang: str = "zh") -> str:
    """A figure as text: shares as percentages, money with thousands separators, — for nothing."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    if name.startswith("share"):
        return f"{value * 100:.1f}%"
    if name.startswith("invest"):
        return f"{value:,.1f}"
    if isinstance(value, float) and value.is_integer():
        return f"{int(value):,}"
    return f"{value:,}" if isinstance(value, int | float) else str(value)


def summary_lines(report: Report, lang: str = "zh") -> list[tuple[str, str]]:
    """The headline figures as (label, value) pairs."""
    total = report.evaluation.total
    lines = [(t("eval.col.reported", lang), f"{int(total['reported'])}/{int(total['n'])}"),
             (t("eval.col.share_started", lang), fmt_value("share_started", total["share_started"])),
             (t("eval.col.share_completed", lang), fmt_value("share_completed", total["share_completed"])),
             (t("eval.col.invest_planned", lang), fmt_value("invest_planned", total["invest_planned"])),
             (t("eval.col.invest_done", lang), fmt_value("invest_done", total["invest_done"])),
             (t("eval.col.lagging", lang), fmt_value("lagging", total["lagging"]))]
    lines += [(status_label(s, lang), str(total[s])) for s in STATUS_ORDER]
    return lines


def project_rows(report: Report, lang: str = "zh") -> pd.DataFrame:
    """The project list with display values (status names, lag reasons), in catalog order."""
    p = report.evaluation.projects
    months = report.evaluation.stale_months
    return pd.DataFrame({
        "id": p.index, "name": p["name"].to_numpy(), "county": p["county"].to_numpy(),
        "sector": [t(f"sector.{s}", lang, default=s) for s in p["sector"]],
        "status": [status_label(s, lang) for s in p["status"]], "progress": p["progress"].to_numpy(),
        "invest_planned": p["invest_planned"].to_numpy(), "invest_done": p["invest_done"].to_numpy(),
        "lead_unit": p["lead_unit"].to_numpy(), "last_as_of": p["last_as_of"].to_numpy(),
        "last_by": p["last_by"].to_numpy(),
        "lag_reason": [t(f"eval.lag.{r}", lang, months=months) if r else "" for r in p["lag_reason"]],
        "note": p["note"].to_numpy()})


def lagging_rows(report: Report, lang: str = "zh") -> pd.DataFrame:
    rows = project_rows(report, lang)
    lag = report.evaluation.lagging
    return rows.set_index("id").loc[lag.index].reset_index()[
        ["id", "name", "county", "status", "lag_reason", "lead_unit", "last_as_of", "note"]]


INDICATOR_COLUMNS = ("table", "sector", "name", "unit", "baseline", "target", "target_text", "actual", "actual_year",
                     "status", "gap", "change", "change_target", "change_unit", "plan_section", "plan_sentence",
                     "actual_source", "recorded_by")


def indicator_rows(report: Report, lang: str = "zh") -> pd.DataFrame:
    ind = report.indicators.copy()
    ind["status"] = [t(f"eval.ind.{s}", lang) for s in ind["status"]]
    return ind[list(INDICATOR_COLUMNS)].rename(columns={"name": "indicator", "status": "assessment"})


# --------------------------------------------------------------------------------------------
# XLSX


def xlsx_bytes(report: Report, *, lang: str = "zh") -> bytes:
    """The workbook: 概况 (summary), 按片区, 按县市区, 按行业, 项目清单, 滞后项目, 指标 and, with a
    comparison date, 对比. Numbers are numbers (shares with a % format), headers in the language."""
    from openpyxl import Workbook
    from openpyxl.styles import Font, PatternFill
    from openpyxl.utils import get_column_letter

    wb = Workbook(write_only=True)
    bold = Font(bold=True)
    head_fill = PatternFill("solid", fgColor="DDE6EE")
    red = Font(bold=True, color=DEMO_RED.lstrip("#"), size=14)

    def cell(ws, value, *, font=None, fill=None, number_format=None):
        from openpyxl.cell import WriteOnlyCell

        if isinstance(value, float) and math.isnan(value):
            value = None
        if isinstance(value, str) and value.startswith("="):
            c = WriteOnlyCell(ws, value=value)
            c.data_type = "s"
        else:
            c = WriteOnlyCell(ws, value=value)
        if font:
            c.font = font
        if fill:
            c.fill = fill
        if number_format:
            c.number_format = number_format
        return c

    def sheet(title: str, frame: pd.DataFrame, widths: Sequence[int] = ()):
        ws = wb.create_sheet(title)
        for j, w in enumerate(widths, 1):
            ws.column_dimensions[get_column_letter(j)].width = w
        if report.demo:
            ws.append([cell(ws, t("eval.demo_mark", lang), font=red)])
        ws.append([cell(ws, report_title(report, lang), font=Font(bold=True, size=13))])
        ws.append([cell(ws, h, font=bold, fill=head_fill) for h in (header(c, lang) for c in frame.columns)])
        formats = [("0.0%" if c.startswith("share") else "#,##0.0" if c.startswith("invest") else None)
                   for c in frame.columns]
        for values in frame.itertuples(index=False):
            ws.append([cell(ws, v, number_format=f) if f or isinstance(v, str) else
                       (None if isinstance(v, float) and math.isnan(v) else v)
                       for v, f in zip(values, formats, strict=True)])
        ws.append([])
        ws.append([cell(ws, source_line(report, lang))])
        return ws

    ws = wb.create_sheet(t("eval.sheet.summary", lang))
    ws.column_dimensions["A"].width = 28
    ws.column_dimensions["B"].width = 60
    if report.demo:
        ws.append([cell(ws, t("eval.demo_mark", lang), font=red)])
    ws.append([cell(ws, report_title(report, lang), font=Font(bold=True, size=14))])
    ev, total = report.evaluation, report.evaluation.total
    ws.append([t("eval.col.scope", lang), scope_name(ev.scope, lang)])
    ws.append([t("eval.col.as_of", lang), ev.as_of.isoformat()])
    if report.before is not None:
        ws.append([t("eval.col.compare", lang), report.before.as_of.isoformat()])
    ws.append([t("eval.col.n", lang), total["n"]])
    ws.append([t("eval.col.reported", lang), total["reported"]])
    for s in STATUS_ORDER:
        ws.append([status_label(s, lang), total[s]])
    for name in ("started", "completed_n", "share_started", "share_completed", "invest_planned", "invest_done",
                 "invest_reported", "lagging"):
        fmt = "0.0%" if name.startswith("share") else "#,##0.0" if name in ("invest_planned", "invest_done") else None
        ws.append([t(f"eval.col.{name}", lang), cell(ws, total[name], number_format=fmt)])
    if ev.empty:
        ws.append([])
        ws.append([cell(ws, t("eval.empty", lang), font=bold)])
    ws.append([])
    ws.append([cell(ws, source_line(report, lang))])

    for grouping, title in (("zone", "eval.sheet.zone"), ("county", "eval.sheet.county"),
                            ("sector", "eval.sheet.sector")):
        frame = ev.table(grouping)
        extra = [c for c in ("kind", "group") if c in frame]
        sheet(t(title, lang), frame[["label", *extra, *GROUP_FIGURES]], widths=[34, 12] + [10] * 20)
    sheet(t("eval.sheet.projects", lang), project_rows(report, lang), widths=[8, 36, 10, 16, 10, 8, 12, 12, 20, 12,
                                                                              10, 16, 30])
    sheet(t("eval.sheet.lagging", lang), lagging_rows(report, lang), widths=[8, 36, 10, 10, 16, 20, 12, 30])
    sheet(t("eval.sheet.indicators", lang), indicator_rows(report, lang),
          widths=[8, 14, 26, 16, 10, 10, 24, 10, 8, 8, 10, 10, 10, 10, 24, 60, 30, 10])
    if report.before is not None:
        sheet(t("eval.sheet.compare", lang), comparison_rows(report, "zone", lang), widths=[34] + [12] * 30)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def comparison_rows(report: Report, grouping: str, lang: str = "zh") -> pd.DataFrame:
    """``label`` and, per compared figure, the value on each date and the change, with dated headers."""
    frame = compare(report.before, report.evaluation, grouping=grouping).drop(columns="key")
    dates = {"before": report.before.as_of.isoformat(), "after": report.evaluation.as_of.isoformat(),
             "change": t("eval.col.change_short", lang)}
    names = {c: f"{header(c.rsplit('_', 1)[0], lang)} {dates[c.rsplit('_', 1)[1]]}" for c in frame.columns
             if c != "label"}
    return frame.rename(columns=names)


# --------------------------------------------------------------------------------------------
# The status map (print-map machinery, projects coloured by status)


def status_map_figure(report: Report, *, lang: str = "zh", figsize: tuple[float, float] | None = None,
                      titles: bool = True):
    """The print map of the report's scope with every project coloured by its status (未填报 grey)."""
    import matplotlib

    from layout.printmap import PAGE_SIZE, RENDER_LOCK, draw_map, font_rc

    with RENDER_LOCK, matplotlib.rc_context(font_rc()):
        return _status_map(report, lang=lang, figsize=figsize or PAGE_SIZE, titles=titles, draw_map=draw_map)


def _status_map(report: Report, *, lang: str, figsize: tuple[float, float], titles: bool, draw_map):
    ev = report.evaluation
    cat = report.catalog.set_index("id", drop=False)
    projects = ev.projects.reindex(cat.index)
    labels = {s: status_label(s, lang) for s in STATUS_ORDER}
    cat = cat.assign(sector=projects["status"].map(labels).to_numpy(), lon=projects["lon"].to_numpy(),
                     lat=projects["lat"].to_numpy(), precision=projects["precision"].to_numpy()).reset_index(drop=True)
    colors = {labels[s]: STATUS_COLORS[s] for s in STATUS_ORDER}
    fig = draw_map(ev.scope, cat, lang=lang, figsize=figsize, sectors=list(labels.values()),
                   colors=colors, titles=titles, made=report.made)
    if titles and len(fig.texts) >= 3:
        fig.texts[0].set_text(report_title(report, lang))
        total = ev.total
        fig.texts[1].set_text(" ｜ ".join([reported_line(total, lang),
                                           f"{t('eval.col.share_started', lang)} "
                                           f"{fmt_value('share_started', total['share_started'])}",
                                           f"{t('eval.col.share_completed', lang)} "
                                           f"{fmt_value('share_completed', total['share_completed'])}"]))
        fig.texts[-1].set_text(source_line(report, lang) + "\n" + fig.texts[-1].get_text())
    if report.demo:
        fig.text(0.5, 0.5, t("eval.demo_mark", lang), fontsize=48, color=DEMO_RED, alpha=0.35, rotation=20,
                 ha="center", va="center")
    return fig


def map_png(report: Report, *, lang: str = "zh", figsize: tuple[float, float] = (7.45, 5.55), dpi: int = 160) -> bytes:
    from layout.export import figure_bytes

    return figure_bytes(status_map_figure(report, lang=lang, figsize=figsize, titles=False), "png", dpi=dpi)


# --------------------------------------------------------------------------------------------
# PDF


def _table_page(title: str, columns: list[str], rows: list[list[str]], report: Report, lang: str,
                *, col_widths: Sequence[float] | None = None, note: str = ""):
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    from layout.printmap import PAGE_SIZE

    fig = Figure(figsize=PAGE_SIZE, facecolor="white")
    FigureCanvasAgg(fig)
    fig.text(0.04, 0.95, title, fontsize=17, ha="left", va="top")
    if note:
        fig.text(0.04, 0.905, note, fontsize=9.5, color="#555555", ha="left", va="top")
    ax = fig.add_axes((0.04, 0.08, 0.92, 0.79))
    ax.axis("off")
    if rows:
        table = ax.table(cellText=rows, colLabels=columns, loc="upper left", cellLoc="left",
                         colWidths=list(col_widths) if col_widths else None)
        table.auto_set_font_size(False)
        table.set_fontsize(7.5)
        table.scale(1, 1.25)
        for (r, _), c in table.get_celld().items():
            c.set_edgecolor("#cccccc")
            if r == 0:
                c.set_facecolor("#dde6ee")
    else:
        ax.text(0, 1, t("eval.none", lang), fontsize=12, va="top")
    fig.text(0.04, 0.03, source_line(report, lang), fontsize=7, color="#666666", ha="left")
    if report.demo:
        fig.text(0.5, 0.5, t("eval.demo_mark", lang), fontsize=48, color=DEMO_RED, alpha=0.3, rotation=20,
                 ha="center", va="center")
    return fig


def _group_table(frame: pd.DataFrame, lang: str) -> tuple[list[str], list[list[str]]]:
    columns = [header("label", lang), *(header(c, lang) for c in SHORT_FIGURES)]
    rows = [[str(r["label"]), *(fmt_value(c, r[c]) for c in SHORT_FIGURES)] for _, r in frame.iterrows()]
    return columns, rows


def pdf_pages(report: Report, *, lang: str = "zh") -> list:
    """The report's pages as matplotlib Figures: status map, summary and zone table, county and sector
    tables, lagging projects (paginated), indicators, and the comparison when there is one."""
    ev = report.evaluation
    pages = [status_map_figure(report, lang=lang)]
    summary = "　".join(f"{k} {v}" for k, v in summary_lines(report, lang)[:6])
    note = t("eval.empty", lang) if ev.empty else summary
    widths = [0.26] + [0.067] * len(SHORT_FIGURES)
    for grouping, key in (("zone", "eval.sheet.zone"), ("county", "eval.sheet.county"),
                          ("sector", "eval.sheet.sector")):
        columns, rows = _group_table(ev.table(grouping), lang)
        pages.append(_table_page(f"{t(key, lang)} · {report_title(report, lang)}", columns, rows, report, lang,
                                 col_widths=widths, note=note))
    lag = lagging_rows(report, lang)
    lag_cols = ["id", "name", "county", "status", "lag_reason", "lead_unit", "last_as_of", "note"]
    lag_rows = [[_clip(v, 40) for v in r] for r in lag[lag_cols].fillna("").astype(str).to_numpy().tolist()]
    per_page = 26
    for i in range(0, max(len(lag_rows), 1), per_page):
        pages.append(_table_page(f"{t('eval.sheet.lagging', lang)}（{len(lag_rows)}）", [header(c, lang)
                                 for c in lag_cols], lag_rows[i:i + per_page], report, lang,
                                 col_widths=[0.05, 0.26, 0.07, 0.07, 0.11, 0.14, 0.08, 0.22],
                                 note=t("eval.lag_rule", lang, months=ev.stale_months)))
    ind = report.indicators
    ind_cols = ["indicator", "target_text", "actual", "actual_year", "assessment", "gap", "change", "actual_source"]
    ind_rows = [[_clip(r["name"], 22), _clip(r["target_text"], 24), fmt_value("actual", r["actual"]),
                 str(r["actual_year"] or "—"), t(f"eval.ind.{r['status']}", lang), fmt_value("gap", r["gap"]),
                 (f"{fmt_value('change', r['change'])} {r['change_unit']}" if r["change_unit"] else "—"),
                 _clip(r["actual_source"] or "—", 30)] for _, r in ind.iterrows()]
    pages.append(_table_page(t("eval.sheet.indicators", lang), [header(c, lang) for c in ind_cols], ind_rows, report,
                             lang, col_widths=[0.2, 0.2, 0.08, 0.06, 0.07, 0.08, 0.13, 0.18],
                             note=t("eval.ind_rule", lang)))
    if report.before is not None:
        cmp = compare(report.before, ev, grouping="zone")
        names = ("reported", "started", "completed_n", "share_started", "share_completed", "invest_done")
        cols = [header("label", lang)] + [f"{header(n, lang)} {d}" for n in names
                                           for d in (report.before.as_of.isoformat(), ev.as_of.isoformat())]
        rows = [[str(r["label"])] + [fmt_value(n, r[f"{n}_{w}"]) for n in names for w in ("before", "after")]
                for _, r in cmp.iterrows()]
        pages.append(_table_page(t("eval.sheet.compare", lang), cols, rows, report, lang,
                                 col_widths=[0.2] + [0.065] * 12))
    return pages


def _clip(text, n: int) -> str:
    text = "" if text is None else str(text)
    return text if len(text) <= n else text[: n - 1] + "…"


def pdf_bytes(report: Report, *, lang: str = "zh") -> bytes:
    import matplotlib
    from matplotlib.backends.backend_pdf import PdfPages

    from layout.printmap import RENDER_LOCK, font_rc

    buf = io.BytesIO()
    with RENDER_LOCK, matplotlib.rc_context(font_rc()):
        pages = pdf_pages(report, lang=lang)
        with PdfPages(buf, metadata={"Title": report_title(report, lang), "Subject": PLAN_TITLE,
                                     "Creator": "yiyang-layout"}) as pdf:
            for fig in pages:
                pdf.savefig(fig)
    return buf.getvalue()


# --------------------------------------------------------------------------------------------
# Entry points


def report_bytes(report: Report, fmt: str, *, lang: str = "zh") -> bytes:
    """The report as ``xlsx``, ``pdf`` or ``pptx`` bytes.

    Raises
    ------
    InputError
        For another format.
    """
    fmt = (fmt or "").lower().lstrip(".")
    if fmt == "xlsx":
        return xlsx_bytes(report, lang=lang)
    if fmt == "pdf":
        return pdf_bytes(report, lang=lang)
    if fmt == "pptx":
        from layout.evaluate_deck import deck_bytes

        return deck_bytes(report, lang=lang)
    raise InputError(f"format should be one of {', '.join(REPORT_FORMATS)}, got {fmt!r}")


def report_filename(scope: str, fmt: str, *, as_of: dt.date, lang: str = "zh") -> str:
    """``安化县_实施评估_2025-12-31.xlsx``"""
    name = scope_name(scope, lang).replace("·", "_").replace(" ", "_")
    return f"{name}_{t('eval.file', lang)}_{as_of.isoformat()}.{fmt}"
