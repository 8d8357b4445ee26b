"""The words an evaluation report carries: its source in words, its definitions, and what it counts.

Every format (XLSX, PDF, PPTX) and the page print the same lines, so a reviewer can sign any of them:
what 已填报 means, what 开工率/建成率 are shares of (of the reported projects and of all the plan's
projects, both with their counts), the 滞后 rule, where investment comes from, which projects the
report counts and which it only lists, and the register's records behind the figures.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd

from layout.evaluation.figures import Evaluation
from layout.evaluation.partition import CONTEXT_SHARED, MUNICIPAL
from layout.i18n import t
from layout.register.vocabulary import INDICATOR_PREFIX

__all__ = [
    "RegisterInfo",
    "clip",
    "counting_line",
    "definitions",
    "empty_text",
    "register_info",
    "scope_name",
    "share_text",
    "source_line",
]


def clip(text, n: int) -> str:
    """``text`` (None as "") cut to ``n`` characters, the last one "…" when it was longer."""
    text = "" if text is None else str(text)
    return text if len(text) <= n else text[: n - 1] + "…"


@dataclass(frozen=True)
class RegisterInfo:
    """What the register holds: all records, those dated on or before the as-of date, the first project
    report's date (None when there is none)."""

    records: int
    records_to_date: int
    first_report: dt.date | None


def register_info(events: pd.DataFrame, as_of: dt.date) -> RegisterInfo:
    """:class:`RegisterInfo` of ``Register.events()`` for ``as_of``."""
    if events.empty:
        return RegisterInfo(0, 0, None)
    days = events["as_of"]
    projects = ~events["subject"].astype(str).str.startswith(INDICATOR_PREFIX)
    first = min(days[projects]) if projects.any() else None
    return RegisterInfo(len(events), int(sum(d <= as_of for d in days)), first)


def scope_name(scope: str, lang: str = "zh") -> str:
    """益阳市, 市级, a zone's or a county's name."""
    if scope == MUNICIPAL:
        return t("eval.municipal", lang)
    from layout.render.scopes import parse_scope, scope_label

    return scope_label(parse_scope(scope), lang)


def _pct(part: int, whole: int) -> str:
    return "—" if not whole else f"{part / whole * 100:.1f}%"


def share_text(total: dict, name: str, lang: str = "zh") -> str:
    """ "63.6%（7/11 已填报项目）；占规划项目 5.2%（7/135）" for ``started`` or ``completed_n``."""
    k, reported, n = int(total[name]), int(total["reported"]), int(total["n"])
    return t("eval.share_both", lang, of_reported=_pct(k, reported), k=k, reported=reported, of_all=_pct(k, n), n=n)


def source_line(ev: Evaluation, info: RegisterInfo | None, made: dt.date | None, lang: str = "zh") -> str:
    """The footer: 项目台账 (截至…, 共 k 条记录), the plan, the day the report was made — no file names."""
    records = info.records_to_date if info is not None else "—"
    return t(
        "eval.source",
        lang,
        date=ev.as_of.isoformat(),
        records=records,
        plan=t("eval.plan_title", lang),
        made=(made or dt.date.today()).isoformat(),
    )


def counting_line(ev: Evaluation, lang: str = "zh") -> str:
    """Which projects the report counts (and, for a county, which it only lists)."""
    n = int(ev.total["n"])
    kind, _, key = ev.scope.partition(":")
    if ev.scope == MUNICIPAL:
        filed = ev.projects["county"].value_counts()
        parts = (
            "、".join(f"{c} {k}" for c, k in filed.items())
            if lang == "zh"
            else ", ".join(f"{c} {k}" for c, k in filed.items())
        )
        return t("eval.counts.municipal", lang, n=n, parts=parts)
    if kind == "county":
        ctx = ev.context if ev.context is not None else pd.DataFrame({"context": []})
        shared = int((ctx["context"] == CONTEXT_SHARED).sum())
        return t(
            "eval.counts.county", lang, name=scope_name(ev.scope, lang), n=n, shared=shared, citywide=len(ctx) - shared
        )
    if kind == "zone":
        return t("eval.counts.zone", lang, n=n)
    return t("eval.counts.city", lang, n=n)


def empty_text(ev: Evaluation, info: RegisterInfo | None, lang: str = "zh") -> str:
    """Why there are no figures: no record at all, or none of this scope by the date (with the register's
    record count and first report date)."""
    if info is None or info.records == 0 or info.first_report is None:
        return t("eval.empty", lang)
    return t(
        "eval.empty_on_date", lang, date=ev.as_of.isoformat(), records=info.records, first=info.first_report.isoformat()
    )


def definitions(ev: Evaluation, info: RegisterInfo | None, made: dt.date | None, lang: str = "zh") -> list[str]:
    """The report's definitions, one line each, with this report's own figures."""
    total = ev.total
    lines = [
        t("eval.def.as_of", lang, date=ev.as_of.isoformat()),
        counting_line(ev, lang),
        t(
            "eval.def.reported",
            lang,
            reported=int(total["reported"]),
            n=int(total["n"]),
            unreported=int(total["unreported"]),
        ),
        t("eval.def.started", lang) + share_text(total, "started", lang),
        t("eval.def.completed", lang) + share_text(total, "completed_n", lang),
        t("eval.lag_rule", lang, months=ev.stale_months),
        t("eval.def.invest", lang, k=int(total["invest_reported"])),
        t("eval.zone_note", lang),
    ]
    if total.get("invest_invalid"):
        lines.append(t("eval.def.invest_invalid", lang, k=int(total["invest_invalid"])))
    if ev.empty:
        lines.append(empty_text(ev, info, lang))
    lines.append(source_line(ev, info, made, lang))
    return lines
