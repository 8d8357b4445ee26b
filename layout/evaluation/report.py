"""The evaluation report (规划实施评估报告) as an XLSX workbook, a PDF and a PPTX deck.

:func:`make_report` gathers one scope's figures on a date from a register (and optionally a second
date to compare with); :func:`report_bytes` lays them out. The PDF's first page is the print map
(:func:`layout.render.printmap.draw_map`) with projects coloured by status; the deck reuses the briefing
deck's drawing helpers (:mod:`layout.render.deck`). A report made from a demo register carries the
"演示数据 / demo data" mark on every sheet, page and slide.
"""

from __future__ import annotations

import datetime as dt
import io
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from layout.evaluation.figures import (
    INVEST_LIMIT,
    STATUS_ORDER,
    Evaluation,
    compare,
    evaluate,
    evaluate_indicators,
    reported_line,
    status_label,
)
from layout.evaluation.partition import MUNICIPAL
from layout.evaluation.text import RegisterInfo, counting_line, definitions, register_info, scope_name
from layout.evaluation.text import source_line as _source_line
from layout.i18n import t
from layout.plan.text import PLAN_TITLE
from layout.render.palette import status_color
from layout.render.views import county_label
from layout.tables.write import neutralise

REPORT_FORMATS = ("xlsx", "pdf", "pptx")
MEDIA_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pdf": "application/pdf",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
}
DEMO_RED = "#c00000"
MIN_PT = 8.0  # the smallest type on paper
CJK_RE = re.compile(r"[\u2e80-\u9fff\uff00-\uffef]")
#: Figures of the group tables, in order (keys of :func:`layout.evaluation.figures.figures`): every status, so the
#: status columns of each row add up to its 项目数.
GROUP_FIGURES = (
    "n",
    "reported",
    *STATUS_ORDER,
    "started",
    "completed_n",
    "share_started",
    "share_started_all",
    "share_completed",
    "share_completed_all",
    "invest_planned",
    "invest_done",
    "invest_reported",
    "lagging",
)
SHORT_FIGURES = ("n", "reported", *STATUS_ORDER, "share_started", "share_completed", "invest_planned", "invest_done")


@dataclass(frozen=True)
class Report:
    """Everything one evaluation report shows."""

    evaluation: Evaluation
    indicators: pd.DataFrame
    catalog: pd.DataFrame  # the scope's catalog rows (for the map)
    before: Evaluation | None = None  # the comparison date's figures
    register_name: str = ""
    made: dt.date | None = None
    info: RegisterInfo | None = None  # the register's records behind the figures
    #: City reports: (summary, projects) of :func:`layout.evaluation.reconcile.reconciliation`.
    reconciliation: tuple[pd.DataFrame, pd.DataFrame] | None = None

    @property
    def demo(self) -> bool:
        return self.evaluation.demo


def make_report(
    register,
    catalog: pd.DataFrame,
    *,
    scope: str = "city",
    as_of: dt.date | None = None,
    compare_to: dt.date | None = None,
    demo: bool = False,
    lang: str = "zh",
    stale_months: int | None = None,
    states: dict[str, pd.DataFrame] | None = None,
) -> Report:
    """Read the register's state on ``as_of`` (and ``compare_to``) and evaluate ``scope``.

    Parameters
    ----------
    register
        A :class:`layout.register.events.Register`.
    demo
        The register is a demo register (:func:`layout.register.demo.is_demo_register`).
    states
        States already read (the page's cache): ``"as_of"``, ``"compare_to"`` (``Register.state``),
        ``"indicators"`` (``Register.indicator_state``) and ``"events"`` (``Register.events()``); missing
        ones are read from the register.
    """
    from layout.evaluation.figures import DEFAULT_STALE_MONTHS, scope_rows

    as_of = as_of or dt.date.today()
    months = stale_months or DEFAULT_STALE_MONTHS
    states = states or {}
    now = states["as_of"] if "as_of" in states else register.state(as_of=as_of)
    ev = evaluate(catalog, now, as_of=as_of, scope=scope, demo=demo, lang=lang, stale_months=months)
    before = None
    if compare_to is not None:
        then = states["compare_to"] if "compare_to" in states else register.state(as_of=compare_to)
        before = evaluate(catalog, then, as_of=compare_to, scope=scope, demo=demo, lang=lang, stale_months=months)
    ind_state = states["indicators"] if "indicators" in states else register.indicator_state(as_of=as_of)
    indicators = evaluate_indicators(ind_state, lang=lang)
    name = getattr(register, "path", "")
    events = states["events"] if "events" in states else register.events()
    recon = None
    if scope == "city":
        from layout.evaluation.reconcile import partition_evaluations, reconciliation

        parts = partition_evaluations(catalog, now, as_of=as_of, stale_months=months, lang=lang)
        recon = reconciliation(ev, parts, catalog, lang=lang)
    return Report(
        ev,
        indicators,
        catalog.loc[scope_rows(catalog, scope)],
        before=before,
        register_name=getattr(name, "name", str(name)),
        made=dt.date.today(),
        info=register_info(events, as_of),
        reconciliation=recon,
    )


# --------------------------------------------------------------------------------------------
# Words and numbers


def report_title(report: Report, lang: str = "zh") -> str:
    ev = report.evaluation
    return t("eval.report_title", lang, scope=scope_name(ev.scope, lang), date=ev.as_of.isoformat())


def source_line(report: Report, lang: str = "zh") -> str:
    """Where the figures come from, in words: 项目台账 (截至…, 共 k 条记录), the plan, the day it was made."""
    return _source_line(report.evaluation, report.info, report.made, lang)


def report_definitions(report: Report, lang: str = "zh") -> list[str]:
    """The definitions every format prints (:func:`layout.evaluation.text.definitions`)."""
    return definitions(report.evaluation, report.info, report.made, lang)


def header(name: str, lang: str = "zh") -> str:
    """A column header: a figure, a status or a project field."""
    if name in STATUS_ORDER:
        return status_label(name, lang)
    return t(f"eval.col.{name}", lang, default=name)


def fmt_value(name: str, value, lang: str = "zh") -> str:
    """A figure as text: shares as percentages, money with thousands separators, — for nothing."""
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return "—"
    if isinstance(value, str):
        return value
    if name.startswith("share"):
        return f"{value * 100:.1f}%"
    if name.startswith("invest"):
        return f"{value:,.1f}"
    if name == "actual_year":
        return str(int(value))
    if isinstance(value, float):
        return f"{int(value):,}" if value.is_integer() else f"{value:,.2f}".rstrip("0").rstrip(".")
    return f"{value:,}" if isinstance(value, int) else str(value)


def summary_lines(report: Report, lang: str = "zh") -> list[tuple[str, str]]:
    """The headline figures as (label, value) pairs."""
    total = report.evaluation.total
    lines = [
        (t("eval.col.reported", lang), f"{int(total['reported'])}/{int(total['n'])}"),
        (t("eval.col.share_started", lang), fmt_value("share_started", total["share_started"])),
        (t("eval.col.share_completed", lang), fmt_value("share_completed", total["share_completed"])),
        (t("eval.col.share_started_all", lang), fmt_value("share_started_all", total["share_started_all"])),
        (t("eval.col.share_completed_all", lang), fmt_value("share_completed_all", total["share_completed_all"])),
        (t("eval.col.invest_planned", lang), fmt_value("invest_planned", total["invest_planned"])),
        (t("eval.col.invest_done", lang), fmt_value("invest_done", total["invest_done"])),
        (t("eval.col.lagging", lang), fmt_value("lagging", total["lagging"])),
    ]
    lines += [(status_label(s, lang), str(total[s])) for s in STATUS_ORDER]
    return lines


def project_rows(report: Report, lang: str = "zh", *, projects: pd.DataFrame | None = None) -> pd.DataFrame:
    """The project list (or ``projects``, rows of it) with display values (status names, lag reasons)."""
    p = report.evaluation.projects if projects is None else projects
    months = report.evaluation.stale_months
    statuses = {s: status_label(s, lang) for s in STATUS_ORDER}
    sectors = {s: t(f"sector.{s}", lang, default=s) for s in set(p["sector"])}
    reasons = {r: t(f"eval.lag.{r}", lang, months=months) if r else "" for r in set(p["lag_reason"])}
    last = [v.isoformat() if isinstance(v, dt.date) else "" for v in p["last_as_of"].to_numpy(dtype=object)]
    names = p["name"].to_numpy(dtype=object)
    if lang != "zh" and "name_en" in p:
        names = np.where(p["name_en"].to_numpy(dtype=object) != "", p["name_en"].to_numpy(dtype=object), names)
    return pd.DataFrame(
        {
            "id": p.index.to_numpy(dtype=object),
            "name": names,
            "county": [county_label(c, lang) for c in p["county"]],
            "sector": [sectors[s] for s in p["sector"]],
            "status": [statuses.get(s, s) for s in p["status"]],
            "progress": p["progress"].to_numpy(),
            "invest_planned": _money(p["invest_planned"], lang),
            "invest_done": _money(p["invest_done"], lang),
            "lead_unit": p["lead_unit"].to_numpy(dtype=object),
            "last_as_of": last,
            "last_by": p["last_by"].to_numpy(dtype=object),
            "lag_reason": [reasons[r] for r in p["lag_reason"]],
            "note": p["note"].to_numpy(dtype=object),
        },
        dtype=object,
    )


def _money(values: pd.Series, lang: str) -> np.ndarray:
    """A project's investment figures; one outside [0, INVEST_LIMIT) (left out of the sums) reads 无效."""
    raw = values.to_numpy(float)
    with np.errstate(invalid="ignore"):
        bad = ~np.isnan(raw) & ~((raw >= 0) & (raw < INVEST_LIMIT))
    out = raw.astype(object)
    out[bad] = t("eval.invest_invalid_cell", lang)
    return out


def context_rows(report: Report, lang: str = "zh") -> pd.DataFrame:
    """A county report's related projects (listed, not counted) with display values."""
    ctx = report.evaluation.context
    rows = project_rows(report, lang, projects=ctx)
    rows.insert(0, "context", [t(f"eval.context.{k}", lang) for k in ctx["context"]])
    return rows[
        ["context", "id", "name", "county", "status", "invest_planned", "invest_done", "last_as_of", "lead_unit"]
    ]


def lagging_rows(report: Report, lang: str = "zh") -> pd.DataFrame:
    """The lagging projects with display values, lagging order (未启动, 暂停, no recent report)."""
    lag = report.evaluation.projects.loc[report.evaluation.lagging.index]
    return project_rows(report, lang, projects=lag)[
        ["id", "name", "county", "status", "lag_reason", "lead_unit", "last_as_of", "note"]
    ]


INDICATOR_COLUMNS = (
    "name",
    "table",
    "sector",
    "unit",
    "baseline",
    "target",
    "target_text",
    "actual",
    "actual_year",
    "interim_target",
    "status",
    "gap",
    "change",
    "change_target",
    "change_unit",
    "plan_section",
    "plan_sentence",
    "actual_source",
    "recorded_by",
    "note",
)


def indicator_rows(report: Report, lang: str = "zh") -> pd.DataFrame:
    ind = report.indicators.copy()
    ind["status"] = [t(f"eval.ind.{s}", lang) for s in ind["status"]]
    return ind[list(INDICATOR_COLUMNS)].rename(
        columns={"name": "indicator", "status": "assessment", "note": "ind_note"}
    )


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
        widths: Sequence[int] = (),
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
    for name in (
        "started",
        "completed_n",
        "share_started",
        "share_started_all",
        "share_completed",
        "share_completed_all",
        "invest_planned",
        "invest_done",
        "invest_reported",
        "lagging",
    ):
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


def comparison_rows(report: Report, grouping: str, lang: str = "zh") -> pd.DataFrame:
    """``label`` and, per compared figure, the value on each date and the change, with dated headers."""
    frame = compare(report.before, report.evaluation, grouping=grouping).drop(columns="key")
    dates = {
        "before": report.before.as_of.isoformat(),
        "after": report.evaluation.as_of.isoformat(),
        "change": t("eval.col.change_short", lang),
    }
    names = {
        c: f"{header(c.rsplit('_', 1)[0], lang)} {dates[c.rsplit('_', 1)[1]]}" for c in frame.columns if c != "label"
    }
    return frame.rename(columns=names)


# --------------------------------------------------------------------------------------------
# The status map (print-map machinery, projects coloured by status)


def status_map_figure(
    report: Report, *, lang: str = "zh", figsize: tuple[float, float] | None = None, titles: bool = True
):
    """The print map of the report's scope with every project coloured by its status (未填报 grey)."""
    import matplotlib

    from layout.render.fonts import RENDER_LOCK, font_rc
    from layout.render.printmap import draw_map
    from layout.render.printmap_plan import PAGE_SIZE

    with RENDER_LOCK, matplotlib.rc_context(font_rc()):
        return _status_map(report, lang=lang, figsize=figsize or PAGE_SIZE, titles=titles, draw_map=draw_map)


def _status_map(report: Report, *, lang: str, figsize: tuple[float, float], titles: bool, draw_map):
    ev = report.evaluation
    cat = report.catalog.set_index("id", drop=False)
    projects = ev.projects.reindex(cat.index)
    labels = {s: status_label(s, lang) for s in STATUS_ORDER}
    cat = cat.assign(
        sector=projects["status"].map(labels).to_numpy(),
        lon=projects["lon"].to_numpy(),
        lat=projects["lat"].to_numpy(),
        precision=projects["precision"].to_numpy(),
    ).reset_index(drop=True)
    colors = {labels[s]: status_color(s) for s in STATUS_ORDER}
    fig = draw_map(
        "city" if ev.scope == MUNICIPAL else ev.scope,
        cat,
        lang=lang,
        figsize=figsize,
        sectors=list(labels.values()),
        colors=colors,
        titles=titles,
        made=report.made,
    )
    if titles and len(fig.texts) >= 3:
        fig.texts[0].set_text(report_title(report, lang))
        total = ev.total
        fig.texts[1].set_text(
            " ｜ ".join(
                [
                    reported_line(total, lang),
                    f"{t('eval.col.share_started', lang)} {fmt_value('share_started', total['share_started'])}",
                    f"{t('eval.col.share_completed', lang)} {fmt_value('share_completed', total['share_completed'])}",
                ]
            )
        )
        credits = fig.texts[-1].get_text().replace(PLAN_TITLE, t("eval.plan_title", lang))  # English in English
        fig.texts[-1].set_text(source_line(report, lang) + "\n" + credits)
    if report.demo:
        fig.text(
            0.5,
            0.5,
            t("eval.demo_mark", lang),
            fontsize=48,
            color=DEMO_RED,
            alpha=0.35,
            rotation=20,
            ha="center",
            va="center",
        )
    from matplotlib.text import Text

    for text in fig.findobj(Text):  # printed at true size: nothing under 8 pt
        if text.get_text() and text.get_fontsize() < MIN_PT:
            text.set_fontsize(MIN_PT)
    return fig


def map_png(report: Report, *, lang: str = "zh", figsize: tuple[float, float] = (7.45, 5.55), dpi: int = 160) -> bytes:
    from layout.render.export import figure_bytes

    return figure_bytes(status_map_figure(report, lang=lang, figsize=figsize, titles=False), "png", dpi=dpi)


# --------------------------------------------------------------------------------------------
# Entry points


def report_filename(scope: str, fmt: str, *, as_of: dt.date, lang: str = "zh") -> str:
    """``安化县_实施评估_2025-12-31.xlsx``"""
    label = t("eval.municipal_file", lang) if scope == MUNICIPAL else scope_name(scope, lang)
    name = label.replace("·", "_").replace(" ", "_")
    return f"{name}_{t('eval.file', lang)}_{as_of.isoformat()}.{fmt}"
