"""The plan's 表1 indicators and the sector targets of 第四章, each with its source sentence (verbatim).

The figures live in ``indicators.toml`` as the plan prints them (text, not floats: "8.0% 以上 [平均]"
is what the plan says, and a planner checks it against the page).
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pandas as pd

from layout.errors import InputError, many_errors
from layout.i18n import t as tr

__all__ = ["Indicators", "growth_text", "load_indicators", "parse_indicators", "table1_frame", "targets_frame"]

INDICATORS_FILE = Path(__file__).with_name("indicators.toml")
_ROW_KEYS = ("name", "name_en", "unit", "unit_en", "y2020", "y2025", "growth", "growth_kind", "source")
_TARGET_KEYS = (
    "sector",
    "plan_section",
    "indicator",
    "indicator_en",
    "value",
    "value_en",
    "period",
    "period_en",
    "source",
)


@dataclass(frozen=True)
class Indicators:
    title: str
    section: str
    context: str  # the 具体目标 sentence the table spells out
    table1: pd.DataFrame  # one row per indicator, columns _ROW_KEYS
    targets: pd.DataFrame  # one row per sector target, columns _TARGET_KEYS


def parse_indicators(data: dict) -> Indicators:
    """Check and build :class:`Indicators` from parsed TOML; every problem is reported at once.

    Raises
    ------
    LayoutError
        When a row lacks a field or a field is not text.
    """
    problems: list[str | InputError] = []  # errors only (the type many_errors takes)
    for table, keys in (("table1", _ROW_KEYS), ("targets", _TARGET_KEYS)):
        rows = data.get(table, [])
        if not rows:
            problems.append(InputError(f"[[{table}]] is empty", code="ind_empty", table=table))
        for i, row in enumerate(rows, 1):
            missing = [k for k in keys if not isinstance(row.get(k), str) or not row[k].strip()]
            if missing:
                problems.append(
                    InputError(
                        f"[[{table}]] entry {i}: {', '.join(missing)} should be non-empty text",
                        code="ind_missing",
                        table=table,
                        entry=i,
                        fields=", ".join(missing),
                    )
                )
    if problems:
        raise InputError(
            "indicators.toml: " + "; ".join(map(str, problems)),
            code="plan_file",
            file="indicators.toml",
            problems=many_errors(problems),
        )
    return Indicators(
        title=data.get("table1_title", ""),
        section=data.get("table1_section", ""),
        context=data.get("table1_context", ""),
        table1=pd.DataFrame(data["table1"], columns=list(_ROW_KEYS)),
        targets=pd.DataFrame(data["targets"], columns=list(_TARGET_KEYS)),
    )


def load_indicators(path: Path | None = None) -> Indicators:
    """Read ``indicators.toml`` (cached); default the active plan's (十四五 unless another was activated)."""
    from layout.plan.context import active_plan_files

    path = Path(path) if path is not None else active_plan_files().indicators
    stat = path.stat() if path.exists() else None  # a draft's file changes: the cache follows it
    return _load_indicators(path, stat.st_mtime_ns if stat else 0, stat.st_size if stat else 0)


@cache
def _load_indicators(path: Path, mtime_ns: int = 0, size: int = 0) -> Indicators:
    with open(path, "rb") as f:
        return parse_indicators(tomllib.load(f))


def growth_text(growth: str, kind: str, *, lang: str = "zh") -> str:
    """One 表1 growth cell: an average rate as printed ("8.0% 以上 [平均]"); a cumulative change of a share in
    percentage points ("4.10 个百分点 [累积]", "4.10 percentage points [cumulative]"), not "4.10%", which reads
    as a growth rate."""
    value = growth.replace(" 以上", tr("ind.or_more", lang)) if lang == "en" else growth
    if kind == "累积" and value.strip().endswith("%"):
        value = value.strip()[:-1].rstrip() + tr("ind.points", lang)
    label = tr("ind.cumulative" if kind == "累积" else "ind.average", lang)
    return f"{value} [{label}]"


def table1_frame(*, lang: str = "zh") -> pd.DataFrame:
    """表1 for display: indicator (with unit), 2020, 2025, growth (``[平均]`` rates; ``[累积]`` in percentage
    points), source row."""
    ind = load_indicators()
    t = ind.table1
    growth = [growth_text(g, k, lang=lang) for g, k in zip(t["growth"], t["growth_kind"], strict=True)]
    if lang == "en":
        return pd.DataFrame(
            {
                "Indicator": t["name_en"] + " (" + t["unit_en"] + ")",
                "2020": t["y2020"],
                "2025": t["y2025"],
                tr("ind.growth", lang): growth,
                "Source (plan, 表1)": t["source"].str.split().str.join(" "),
            }
        )
    return pd.DataFrame(
        {
            "指标名称": t["name"] + "（" + t["unit"] + "）",
            "2020年": t["y2020"],
            "2025年": t["y2025"],
            tr("ind.growth", lang): growth,
            "规划原文（表1）": t["source"].str.split().str.join(" "),
        }
    )


def targets_frame(*, lang: str = "zh", sectors: list[str] | None = None) -> pd.DataFrame:
    """第四章 targets for display, in the plan's order (or ordered by ``sectors`` when given)."""
    t = load_indicators().targets
    if sectors:
        order = {s: i for i, s in enumerate(sectors)}
        t = t.assign(_o=t["sector"].map(order).fillna(len(order))).sort_values("_o", kind="stable")
    if lang == "en":
        sector_en = [tr(f"sector.{x}", lang, default=x) for x in t["sector"]]
        return pd.DataFrame(
            {
                "Sector": sector_en,
                "Indicator": t["indicator_en"].to_numpy(),
                tr("ind.target", lang): t["value_en"].to_numpy(),
                tr("ind.period", lang): t["period_en"].to_numpy(),
                "Section": t["plan_section"].to_numpy(),
                "Source sentence (plan)": t["source"].to_numpy(),
            }
        )
    return pd.DataFrame(
        {
            "行业": t["sector"].to_numpy(),
            "指标": t["indicator"].to_numpy(),
            tr("ind.target", lang): t["value"].to_numpy(),
            tr("ind.period", lang): t["period"].to_numpy(),
            "章节": t["plan_section"].to_numpy(),
            "规划原文": t["source"].to_numpy(),
        }
    )
