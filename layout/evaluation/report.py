"""The evaluation report (规划实施评估报告): its figures and tables, laid out as XLSX, PDF and PPTX.

:func:`make_report` gathers one scope's figures on a date from a register (and optionally a second
date to compare with); the rows here feed every format: the workbook (:mod:`layout.evaluation.xlsx`),
the PDF (:mod:`layout.evaluation.pdf`, whose first page is the status map of
:mod:`layout.evaluation.status_map`) and the deck (:mod:`layout.evaluation.deck`, on the shared slide
primitives of :mod:`layout.render.slides`). A report made from a demo register carries the
演示数据 mark (Demo data in English) on every sheet, page and slide.
"""

from __future__ import annotations

import datetime as dt
import math
import re
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
    status_label,
)
from layout.evaluation.partition import MUNICIPAL
from layout.evaluation.text import RegisterInfo, definitions, register_info, scope_name
from layout.evaluation.text import source_line as _source_line
from layout.i18n import t
from layout.render.views import county_label

REPORT_FORMATS = ("xlsx", "pdf", "pptx")
MEDIA_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pdf": "application/pdf",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
}
DEMO_RED = "#c00000"
MIN_PT = 8.0  # the smallest type on paper
CJK_RE = re.compile(r"[\u2e80-\u9fff\uff00-\uffef]")
#: The figures after the counts by status (the summary sheet lists them too).
DERIVED_FIGURES = (
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
#: Figures of the group tables, in order (keys of :func:`layout.evaluation.figures.figures`): every status, so the
#: status columns of each row add up to its 项目数.
GROUP_FIGURES = ("n", "reported", *STATUS_ORDER, *DERIVED_FIGURES)
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
    if ctx is None:
        raise ValueError("context_rows is for a county report: the municipal report has no related projects")
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


def comparison_rows(report: Report, grouping: str, lang: str = "zh") -> pd.DataFrame:
    """``label`` and, per compared figure, the value on each date and the change, with dated headers."""
    before = report.before
    if before is None:
        raise ValueError("comparison_rows needs a report made with a comparison date (make_report's compare_to)")
    frame = compare(before, report.evaluation, grouping=grouping).drop(columns="key")
    dates = {
        "before": before.as_of.isoformat(),
        "after": report.evaluation.as_of.isoformat(),
        "change": t("eval.col.change_short", lang),
    }
    names = {
        c: f"{header(c.rsplit('_', 1)[0], lang)} {dates[c.rsplit('_', 1)[1]]}" for c in frame.columns if c != "label"
    }
    return frame.rename(columns=names)


# --------------------------------------------------------------------------------------------
# Entry points


def report_filename(scope: str, fmt: str, *, as_of: dt.date, lang: str = "zh") -> str:
    """``安化县_实施评估_2025-12-31.xlsx``"""
    label = t("eval.municipal_file", lang) if scope == MUNICIPAL else scope_name(scope, lang)
    name = label.replace("·", "_").replace(" ", "_")
    return f"{name}_{t('eval.file', lang)}_{as_of.isoformat()}.{fmt}"
