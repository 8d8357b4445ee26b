"""The reconciliation of the city report: six county reports + the 市级 report = the city, project by project.

Each partition report is evaluated exactly as it is written (:func:`layout.evaluation.figures.evaluate` with its
scope), so the table checks the reports themselves, not a second computation of them.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd

from layout.catalog.gazetteer import CITYWIDE
from layout.evaluation.figures import DEFAULT_STALE_MONTHS, STATUS_ORDER, Evaluation, evaluate
from layout.evaluation.partition import CONTEXT_SHARED, context_kinds, partition_scope_names
from layout.evaluation.text import scope_name
from layout.i18n import t
from layout.plan.zones import polygon_counties
from layout.render.views import county_label

__all__ = ["RECONCILED", "partition_evaluations", "reconciliation"]

#: Figures the reconciliation adds up.
RECONCILED = ("n", "reported", *STATUS_ORDER, "invest_planned", "invest_done", "lagging")


def partition_evaluations(
    catalog: pd.DataFrame,
    state: pd.DataFrame,
    *,
    as_of: dt.date,
    stale_months: int = DEFAULT_STALE_MONTHS,
    lang: str = "zh",
) -> dict[str, Evaluation]:
    """The evaluation of each partition report (six counties, then 市级), by scope."""
    return {
        scope: evaluate(catalog, state, as_of=as_of, scope=scope, stale_months=stale_months, lang=lang)
        for scope in partition_scope_names()
    }


def reconciliation(
    city: Evaluation, parts: dict[str, Evaluation], catalog: pd.DataFrame, *, lang: str = "zh"
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The two tables of the 对账 sheet.

    Returns
    -------
    (summary, projects)
        ``summary``: one row per partition report (``label`` and :data:`RECONCILED`), then their sum,
        the city report's figures and the difference (all zeros when the reports reconcile).
        ``projects``: one row per city project: ``id``, ``name``, ``filed_under``, ``counted_in`` (the
        report(s) counting it), ``times_counted`` (1 when the partition holds), ``listed_in`` (county
        reports listing it as context), ``status``.
    """
    rows = [{"label": scope_name(scope, lang), **{k: ev.total[k] for k in RECONCILED}} for scope, ev in parts.items()]
    summary = pd.DataFrame(rows)
    added = summary[list(RECONCILED)].sum(min_count=1)
    city_row = pd.Series({k: city.total[k] for k in RECONCILED}, dtype=float)
    diff = (added.fillna(0) - city_row.fillna(0)).round(6)
    summary = pd.concat(
        [
            summary,
            pd.DataFrame(
                [
                    {"label": t("eval.reconcile.sum", lang), **added.to_dict()},
                    {"label": t("eval.reconcile.city", lang), **city_row.to_dict()},
                    {"label": t("eval.reconcile.diff", lang), **diff.to_dict()},
                ]
            ),
        ],
        ignore_index=True,
    )
    counted: dict[str, list[str]] = {}
    for scope, ev in parts.items():
        for pid in ev.projects.index:
            counted.setdefault(pid, []).append(scope_name(scope, lang))
    listed: dict[str, list[str]] = {}
    for county in polygon_counties():
        kinds = context_kinds(catalog, county)
        for pid in catalog.loc[(kinds == CONTEXT_SHARED).to_numpy(), "id"].astype(str):
            listed.setdefault(pid, []).append(county_label(county, lang))
    everywhere = t("eval.reconcile.all_counties", lang)
    p = city.projects
    sep = "、" if lang == "zh" else ", "
    projects = pd.DataFrame(
        {
            "id": p.index.to_numpy(dtype=object),
            "name": p["name"].to_numpy(dtype=object),
            "filed_under": [county_label(c, lang) for c in p["county"]],
            "counted_in": [sep.join(counted.get(i, [])) for i in p.index],
            "times_counted": [len(counted.get(i, [])) for i in p.index],
            "listed_in": [
                sep.join(listed[i]) if i in listed else (everywhere if c == CITYWIDE else "")
                for i, c in zip(p.index, p["county"], strict=True)
            ],
            "status": p["status"].to_numpy(dtype=object),
        },
        dtype=object,
    )
    return summary, projects
