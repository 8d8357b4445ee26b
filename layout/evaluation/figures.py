"""Implementation evaluation (规划实施评估): what the layout achieved, from the register's state on a date.

Pure computation: the catalog (:func:`layout.catalog.projects.load_catalog`) and the register's state
(:meth:`layout.register.events.Register.state` / ``indicator_state``) in, tables out. Every figure says what it
rests on: ``reported`` counts the projects with a status on the date ("已填报 n/N"); shares are of
the reported projects; a project nobody has reported is ``unreported`` (未填报), never guessed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from layout.catalog.projects import SECTOR_NAMES, SECTORS
from layout.errors import InputError
from layout.evaluation.indicators import (  # noqa: F401 - the evaluation's indicator part, re-exported
    BASE_YEAR,
    INDICATOR_IDS,
    INDICATOR_SPECS,
    INDICATOR_STATUSES,
    PERCENTAGE_POINTS,
    TARGET_YEAR,
    IndicatorSpec,
    evaluate_indicators,
    indicator_spec,
    interim_target,
)
from layout.evaluation.partition import MUNICIPAL, context_kinds, municipal_mask
from layout.i18n import t
from layout.plan.zones import load_zone_model
from layout.register.vocabulary import COMPLETED, STARTED, STATUSES
from layout.render.views import county_label, effective_county, focus_mask, zone_name

__all__ = [
    "COMPARED",
    "DEFAULT_STALE_MONTHS",
    "Evaluation",
    "INDICATOR_IDS",
    "INDICATOR_SPECS",
    "INVEST_LIMIT",
    "STATUS_ORDER",
    "UNREPORTED",
    "by_county",
    "by_sector",
    "by_zone",
    "compare",
    "evaluate",
    "evaluate_indicators",
    "figures",
    "indicator_spec",
    "lagging_projects",
    "months_before",
    "project_table",
    "reported_line",
    "scope_rows",
    "status_label",
]

UNREPORTED = "unreported"
#: Status ids in display order, 未填报 last.
STATUS_ORDER = (*STATUSES, UNREPORTED)
LAGGING_STATUSES = ("not_started", "suspended")
#: Statuses with nothing left to report: a quiet register is not a delay for them.
SETTLED = {"completed", "operating", "cancelled"}
DEFAULT_STALE_MONTHS = 6
CITYWIDE_KEY = "citywide"
TOTAL_KEY = "total"
GROUPINGS = ("zone", "county", "sector")
#: Investment figures (万元) outside [0, INVEST_LIMIT) are not valid figures: they are left out of every sum
#: (so no sum can overflow), and :func:`figures` counts them as ``invest_invalid``.
INVEST_LIMIT = 1e9


def status_label(status: str, lang: str = "zh") -> str:
    """The name of a status id: 在建 / under construction; 未填报 for a project nobody reported."""
    return t(f"status.{status}", lang, default=STATUSES.get(status, status))


# --------------------------------------------------------------------------------------------
# Scope and the project table


def scope_rows(catalog: pd.DataFrame, scope: str) -> np.ndarray:
    """Catalog rows of ``city``, ``zone:<id>``, ``county:<name>`` (rows filed under it) or ``municipal``
    (市级: rows filed under no polygon county — 全市, 中心城区, 大通湖区).

    Raises
    ------
    InputError
        When ``scope`` names no zone or county of the zone model.
    """
    model = load_zone_model()
    kind, _, key = (scope or "city").strip().partition(":")
    if kind == "city" and not key:
        return np.ones(len(catalog), dtype=bool)
    if kind == MUNICIPAL and not key:
        return municipal_mask(catalog)
    if kind == "zone" and key in model.zones:
        return focus_mask(catalog, f"zone:{key}")
    if kind == "county" and key in model.counties:
        return (effective_county(catalog) == key).to_numpy()
    valid = ["city", MUNICIPAL, *(f"zone:{z}" for z in model.zones), *(f"county:{c}" for c in model.counties)]
    raise InputError(
        f"scope should be one of {', '.join(valid)}, got {scope!r}", code="scope_bad", valid=", ".join(valid), got=scope
    )


def months_before(date: dt.date, months: int) -> dt.date:
    """The same day ``months`` earlier (the month's last day when it has fewer days)."""
    return (pd.Timestamp(date) - pd.DateOffset(months=months)).date()


def project_table(
    catalog: pd.DataFrame, state: pd.DataFrame, *, as_of: dt.date, stale_months: int = DEFAULT_STALE_MONTHS
) -> pd.DataFrame:
    """One row per catalog project with its reported state on ``as_of``.

    Parameters
    ----------
    catalog
        The catalog (``id``, ``name``, ``sector``, ``county``, ``zones``, ``poles`` …).
    state
        ``Register.state(as_of=as_of)``: index ``project_id``, the register's project fields,
        ``last_as_of`` and ``last_by``. Rows for ids outside the catalog are ignored.
    as_of
        The evaluation date (sets what "no report in the last ``stale_months`` months" means).

    Returns
    -------
    pandas.DataFrame
        Index ``id``; columns ``name``, ``sector``, ``county`` (filed under), ``zone_keys`` (zones and
        poles, a tuple; empty for citywide items), ``lon``/``lat`` (the register's site when reported,
        else the catalog's point), ``precision``, ``status`` (``unreported`` when no status),
        ``reported``, ``progress``, ``invest_planned``, ``invest_done`` (万元), ``lead_unit``, ``note``,
        ``last_as_of``, ``last_by``, ``lagging`` and ``lag_reason`` (not_started, suspended, stale or "").
    """
    cat = catalog.reset_index(drop=True)
    n = len(cat)

    def text(values) -> np.ndarray:  # plain Python strings ("" for none): quick to iterate, group and compare
        series = pd.Series(values, copy=False)
        # a copy of our own: to_numpy may return the caller's array even when asked to copy
        return np.array(series.to_numpy(dtype=object, na_value=""), dtype=object, copy=True)

    ids = text(cat["id"])
    st = state.reindex(pd.Index(ids, dtype=object))

    def number(name: str) -> np.ndarray:
        return pd.to_numeric(st[name], errors="coerce").to_numpy(float) if name in st else np.full(n, np.nan)

    def field(name: str) -> np.ndarray:
        return text(st[name].to_numpy(dtype=object)) if name in st else np.full(n, "", dtype=object)

    zones = cat["zones"].to_numpy(dtype=object) if "zones" in cat else [()] * n
    poles = cat["poles"].to_numpy(dtype=object) if "poles" in cat else [()] * n
    lon = pd.to_numeric(cat["lon"], errors="coerce").to_numpy(float).copy()
    lat = pd.to_numeric(cat["lat"], errors="coerce").to_numpy(float).copy()
    precision = text(cat["precision"])
    site_lon, site_lat = number("site_lon"), number("site_lat")
    has_site = ~np.isnan(site_lon) & ~np.isnan(site_lat)
    lon[has_site], lat[has_site], precision[has_site] = site_lon[has_site], site_lat[has_site], "site"
    status = field("status")
    reported = status != ""
    status[~reported] = UNREPORTED
    last = st["last_as_of"].to_numpy(dtype=object) if "last_as_of" in st else np.full(n, None, dtype=object)
    cutoff = months_before(as_of, stale_months)
    old = np.array([isinstance(v, dt.date) and v < cutoff for v in last], dtype=bool)
    stale = reported & ~np.isin(status, list(SETTLED)) & old
    reason = np.where(np.isin(status, LAGGING_STATUSES), status, np.where(stale, "stale", "")).astype(object)
    keys = np.empty(n, dtype=object)  # filled one by one: numpy would make equal-length tuples a 2-D array
    for i, (z, p) in enumerate(zip(zones, poles, strict=True)):
        keys[i] = tuple(z or ()) + tuple(p or ())
    planned, done = number("invest_planned").copy(), number("invest_done").copy()
    planned[~reported], done[~reported] = np.nan, np.nan  # investment counts only with a report on the date
    columns = {
        "name": text(cat["name"]),
        "name_en": text(cat["name_en"]) if "name_en" in cat else text(cat["name"]),
        "sector": text(cat["sector"]),
        "county": text(effective_county(cat)),
        "zone_keys": keys,
        "lon": lon,
        "lat": lat,
        "precision": precision,
        "status": status,
        "reported": reported,
        "progress": number("progress"),
        "invest_planned": planned,
        "invest_done": done,
        "lead_unit": field("lead_unit"),
        "note": field("note"),
        "last_as_of": last,
        "last_by": field("last_by"),
        "lagging": reason != "",
        "lag_reason": reason,
    }
    out = pd.DataFrame({k: pd.Series(v, dtype=object if v.dtype == object else v.dtype) for k, v in columns.items()})
    out.index = pd.Index(ids, dtype=object, name="id")
    return out


# --------------------------------------------------------------------------------------------
# Figures


FIGURE_COLUMNS = (
    "n",
    "reported",
    *STATUS_ORDER,
    "started",
    "completed_n",
    "share_started",
    "share_completed",
    "share_started_all",
    "share_completed_all",
    "invest_planned",
    "invest_done",
    "invest_reported",
    "invest_invalid",
    "lagging",
)


_COUNTS = ("n", "reported", *STATUS_ORDER, "started", "completed_n", "invest_reported", "invest_invalid", "lagging")


def _valid_invest(values: np.ndarray) -> np.ndarray:
    """``values`` with anything outside [0, INVEST_LIMIT) (and inf) made NaN."""
    with np.errstate(invalid="ignore"):
        ok = np.isfinite(values) & (values >= 0) & (values < INVEST_LIMIT)
    return np.where(ok, values, np.nan)


def _count_columns(projects: pd.DataFrame) -> pd.DataFrame:
    """Per project: 1/0 for every counted figure, and the two investment figures (NaN when none).

    Investment is a reported project's own figure (``project_table`` blanks it for 未填报); a figure
    outside [0, INVEST_LIMIT) is not summed and counts in ``invest_invalid``.
    """
    status = projects["status"].to_numpy(dtype=object)
    raw_planned = projects["invest_planned"].to_numpy(float)
    raw_done = projects["invest_done"].to_numpy(float)
    planned, done = _valid_invest(raw_planned), _valid_invest(raw_done)
    invalid = (~np.isnan(raw_planned) & np.isnan(planned)) | (~np.isnan(raw_done) & np.isnan(done))
    reported = projects["reported"].to_numpy(bool)
    data = {"n": np.ones(len(projects), dtype=np.int64), "reported": reported}
    data |= {s: status == s for s in STATUS_ORDER}
    data |= {
        "started": np.isin(status, list(STARTED)),
        "completed_n": np.isin(status, list(COMPLETED)),
        "invest_reported": ~np.isnan(planned),
        "invest_invalid": invalid,
        "lagging": projects["lagging"].to_numpy(bool),
    }
    out = pd.DataFrame(data, index=projects.index).astype(np.int64)
    out["invest_planned"], out["invest_done"] = planned, done
    return out


def _finish(sums: pd.DataFrame) -> pd.DataFrame:
    """Integer counts; shares started/completed of the reported projects (NaN when none) and of all the
    plan's projects of the group (``_all``)."""
    counts = sums[list(_COUNTS)].fillna(0).astype(np.int64)
    reported = counts["reported"].where(counts["reported"] > 0)
    n = counts["n"].where(counts["n"] > 0)
    shares = pd.DataFrame(
        {
            "share_started": counts["started"] / reported,
            "share_completed": counts["completed_n"] / reported,
            "share_started_all": counts["started"] / n,
            "share_completed_all": counts["completed_n"] / n,
        },
        index=counts.index,
    )
    return pd.concat([counts, shares, sums[["invest_planned", "invest_done"]]], axis=1)[list(FIGURE_COLUMNS)]


def figures(projects: pd.DataFrame) -> dict[str, float]:
    """Counts by status, started/completed shares (of reported projects) and investment of ``projects``.

    ``started`` counts 在建/已建成/已运营, ``completed_n`` 已建成/已运营; ``share_*`` are of the reported
    projects (NaN when none is reported), ``share_*_all`` of all projects. ``n = reported +
    unreported`` (未填报) and the status counts sum to ``n``. Investment sums (万元) are of reported projects
    with a valid figure (NaN when none has one); ``invest_reported`` counts those with a planned figure.
    """
    row = _finish(_count_columns(projects).sum(min_count=1).to_frame().T).iloc[0]
    return {k: (int(v) if k in _COUNTS else float(v)) for k, v in row.items()}


def _grouped(
    projects: pd.DataFrame,
    keys: pd.Series,
    order: Sequence[str],
    labels: dict[str, str],
    *,
    extra: dict[str, dict[str, str]] | None = None,
    counts: pd.DataFrame | None = None,
    multi: bool = False,
) -> pd.DataFrame:
    """Figures per key (with ``multi`` a project carries a tuple of keys and counts in each), in
    ``order``; groups with no project are left out; a total row (each project once) comes last."""
    cols = _count_columns(projects) if counts is None else counts
    exploded = (keys.explode() if multi else keys).dropna()
    sums = cols.loc[exploded.index].groupby(exploded.to_numpy(), sort=False).sum(min_count=1)
    sums = sums.reindex([k for k in order if k in sums.index])
    total = cols.sum(min_count=1).to_frame(TOTAL_KEY).T
    frame = _finish(pd.concat([sums, total]))
    frame.insert(0, "label", [labels.get(k, k) for k in frame.index])
    for i, (column, values) in enumerate((extra or {}).items(), start=1):
        frame.insert(i, column, [values.get(k, "") if k != TOTAL_KEY else "" for k in frame.index])
    frame.index.name = "key"
    return frame.reset_index()


def by_zone(projects: pd.DataFrame, *, lang: str = "zh", counts: pd.DataFrame | None = None) -> pd.DataFrame:
    """Figures per zone: 一核, 两翼 (two), 三极 (three), then citywide items; a project in several
    zones (资阳区: core and lake wing) counts in each; the total counts each project once."""
    model = load_zone_model()
    keys = pd.Series(
        [tuple(v) if v else (CITYWIDE_KEY,) for v in projects["zone_keys"].to_numpy(dtype=object)],
        index=projects.index,
        dtype=object,
    )
    labels = {z: zone_name(z, lang) for z in model.zones}
    labels |= {CITYWIDE_KEY: t("eval.citywide", lang), TOTAL_KEY: t("eval.total", lang)}
    kind = {z: t(f"eval.kind.{model.zones[z].kind}", lang) for z in model.zones}
    return _grouped(
        projects, keys, [*model.zones, CITYWIDE_KEY], labels, extra={"kind": kind}, counts=counts, multi=True
    )


def by_county(projects: pd.DataFrame, *, lang: str = "zh", counts: pd.DataFrame | None = None) -> pd.DataFrame:
    """Figures per county the projects are filed under (大通湖区 and 全市 included), in catalog order."""
    from layout.catalog.projects import COUNTIES

    order = [*COUNTIES, *sorted(set(projects["county"]) - set(COUNTIES))]
    labels = {c: county_label(c, lang) for c in order}
    labels[TOTAL_KEY] = t("eval.total", lang)
    return _grouped(projects, projects["county"], order, labels, counts=counts)


def by_sector(projects: pd.DataFrame, *, lang: str = "zh", counts: pd.DataFrame | None = None) -> pd.DataFrame:
    """Figures per sector of the plan's 3+4+5 system, with its group."""
    order = [*SECTOR_NAMES, *sorted(set(projects["sector"]) - set(SECTOR_NAMES))]
    labels = {s: t(f"sector.{s}", lang, default=s) for s in order} | {TOTAL_KEY: t("eval.total", lang)}
    group = {s: t(f"group.{len(members)}", lang) for members in SECTORS.values() for s in members}
    return _grouped(projects, projects["sector"], order, labels, extra={"group": group}, counts=counts)


def lagging_projects(projects: pd.DataFrame) -> pd.DataFrame:
    """The lagging projects (未启动, 暂停, or no report for the stale period), by reason then id."""
    rank = {"not_started": 0, "suspended": 1, "stale": 2}
    lag = projects.loc[projects["lagging"]].copy()
    lag["_rank"] = lag["lag_reason"].map(rank)
    lag = lag.sort_values(["_rank"], kind="stable").drop(columns="_rank")
    return lag[["name", "county", "sector", "status", "lag_reason", "lead_unit", "note", "last_as_of", "last_by"]]


# --------------------------------------------------------------------------------------------
# The evaluation


@dataclass(frozen=True)
class Evaluation:
    """The figures of one scope on one date."""

    scope: str
    as_of: dt.date
    stale_months: int
    projects: pd.DataFrame  # project_table rows of the scope
    total: dict[str, float]
    zones: pd.DataFrame
    counties: pd.DataFrame
    sectors: pd.DataFrame
    lagging: pd.DataFrame
    demo: bool = False
    #: A county report's listed-not-counted projects: project_table rows plus ``context`` (shared = filed
    #: under an area or district spanning the county, citywide = 全市); counted in the 市级 report.
    context: pd.DataFrame | None = None

    @property
    def empty(self) -> bool:
        """True when no project of the scope has a reported status on the date."""
        return self.total["reported"] == 0

    def table(self, grouping: str) -> pd.DataFrame:
        if grouping not in GROUPINGS:
            raise InputError(f"grouping should be one of {', '.join(GROUPINGS)}, got {grouping!r}")
        return {"zone": self.zones, "county": self.counties, "sector": self.sectors}[grouping]


def evaluate(
    catalog: pd.DataFrame,
    state: pd.DataFrame,
    *,
    as_of: dt.date,
    scope: str = "city",
    stale_months: int = DEFAULT_STALE_MONTHS,
    demo: bool = False,
    lang: str = "zh",
) -> Evaluation:
    """Evaluate ``scope`` on ``as_of`` from the register's ``state`` on that date.

    Parameters
    ----------
    catalog
        The project catalog.
    state
        ``Register.state(as_of=as_of)``.
    as_of
        The date the state refers to.
    scope
        ``city``, ``municipal`` (市级), ``zone:<id>`` or ``county:<name>``. A county scope counts the rows
        filed under the county and lists (:attr:`Evaluation.context`) the cross-county and 全市 rows that
        concern it.
    stale_months
        A project still open (not 已建成/已运营/取消) with no report for this many months is lagging.
    demo
        The state comes from a demo register (carried to every page and export).

    Raises
    ------
    InputError
        For an unknown scope or a stale period below one month.
    """
    if stale_months < 1:
        raise InputError(f"stale_months should be 1 or more, got {stale_months}")
    rows = catalog.loc[scope_rows(catalog, scope)]
    projects = project_table(rows, state, as_of=as_of, stale_months=stale_months)
    counts = _count_columns(projects)
    zones = by_zone(projects, lang=lang, counts=counts)
    total = {k: (int(v) if k in _COUNTS else float(v)) for k, v in zones.iloc[-1][list(FIGURE_COLUMNS)].items()}
    context = None
    kind, _, key = scope.partition(":")
    if kind == "county":
        kinds = context_kinds(catalog, key)
        mask = (kinds != "").to_numpy()
        context = project_table(catalog.loc[mask], state, as_of=as_of, stale_months=stale_months)
        context.insert(0, "context", kinds[mask].to_numpy(dtype=object))
    return Evaluation(
        scope=scope,
        as_of=as_of,
        stale_months=stale_months,
        projects=projects,
        total=total,
        zones=zones,
        counties=by_county(projects, lang=lang, counts=counts),
        sectors=by_sector(projects, lang=lang, counts=counts),
        lagging=lagging_projects(projects),
        demo=demo,
        context=context,
    )


COMPARED = (
    "n",
    "reported",
    "started",
    "completed_n",
    "share_started",
    "share_completed",
    "invest_planned",
    "invest_done",
    "lagging",
)


def compare(before: Evaluation, after: Evaluation, *, grouping: str = "zone") -> pd.DataFrame:
    """The same figures at two dates side by side: ``<figure>_before``, ``<figure>_after`` and
    ``<figure>_change`` for each of :data:`COMPARED`, one row per group of ``grouping`` (and the total)."""
    a = before.table(grouping).set_index("key")
    b = after.table(grouping).set_index("key")
    keys = list(dict.fromkeys([*a.index, *b.index]))
    keys = [k for k in keys if k != TOTAL_KEY] + [TOTAL_KEY]
    a, b = a.reindex(keys), b.reindex(keys)
    out = pd.DataFrame({"key": keys, "label": b["label"].fillna(a["label"]).to_numpy()})
    for name in COMPARED:
        x = a[name].astype(float).fillna(0.0) if not name.startswith("share") else a[name].astype(float)
        y = b[name].astype(float).fillna(0.0) if not name.startswith("share") else b[name].astype(float)
        out[f"{name}_before"], out[f"{name}_after"] = x.to_numpy(), y.to_numpy()
        out[f"{name}_change"] = (y - x).to_numpy()
    return out


def reported_line(total: dict[str, float], lang: str = "zh") -> str:
    """ "已填报 41/130" — how many projects the figures rest on."""
    return t("eval.reported_n", lang, reported=int(total["reported"]), n=int(total["n"]))
