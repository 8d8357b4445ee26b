"""The plan's indicators against their targets (表1 and 第四章), from the actual values in the register.

Pure computation: ``Register.indicator_state(as_of=…)`` in, one row per indicator out. How each target
is judged is written on the spec (at least / more than / about / yes-no), and an actual dated before the
target year is read against the straight line from the 2020 base (按序时进度).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import pandas as pd

from layout.errors import InputError
from layout.i18n import t

__all__ = [
    "BASE_YEAR",
    "INDICATOR_IDS",
    "INDICATOR_SPECS",
    "INDICATOR_STATUSES",
    "IndicatorSpec",
    "PERCENTAGE_POINTS",
    "TARGET_YEAR",
    "evaluate_indicators",
    "indicator_spec",
    "interim_target",
]


@dataclass(frozen=True)
class IndicatorSpec:
    """How one plan indicator is measured and judged.

    ``source_table`` is ``table1`` (表1, matched by ``name``) or ``targets`` (第四章, matched by
    ``indicator``). ``unit`` is what an officer records as the actual value. ``rule``: ``at_least``
    (met when actual ≥ target), ``more_than`` (the plan's 超/超过: met when actual > target), ``about``
    (左右: met when actual ≥ 95 % of target) or ``yes_no`` (a qualitative target: record 1 when achieved,
    0 when not). ``label``/``target_text`` name one part of a 第四章 target that sets several (5A and
    4A); ``note`` is what the plan itself leaves inconsistent.
    """

    id: str
    source_table: str
    name: str
    unit: str
    unit_en: str
    target: float
    rule: str = "at_least"
    label: tuple[str, str] = ("", "")
    target_text: tuple[str, str] = ("", "")
    note: tuple[str, str] = ("", "")


#: Percentage-point indicators: their 表1 growth (累积) is a difference of shares.
PERCENTAGE_POINTS = "百分点"
INDICATOR_SPECS: tuple[IndicatorSpec, ...] = (
    IndicatorSpec("services_value_added", "table1", "服务业增加值", "亿元", "100 million yuan", 1087.68),
    IndicatorSpec("services_gdp_share", "table1", "服务业增加值占 GDP 比重", "%", "%", 44.00, "more_than"),
    IndicatorSpec("services_employment_share", "table1", "服务业从业人员占全社会从业人员比重", "%", "%", 49.90),
    IndicatorSpec(
        "producer_services_share",
        "table1",
        "生产性服务业占服务业增加值",
        "%",
        "%",
        31.40,
        note=(
            "规划自相矛盾：第二章写“生产性服务业增加值占服务业比重保持 30% 以上”，而表1 的2020年基数为 "
            "25.40%（目标 31.40%），“保持”与基数不符；本表按表1 评价。",
            "The plan is inconsistent: chapter 2 says the share 'stays above 30%', but Table 1 gives "
            "a 2020 base of 25.40% (target 31.40%); judged here against Table 1.",
        ),
    ),
    IndicatorSpec(
        "ecommerce_turnover_growth", "targets", "电商营业额", "%（“十四五”累计增长）", "% (growth over 2021–2025)", 30.0
    ),
    IndicatorSpec("tourism_revenue", "targets", "旅游总收入", "亿元", "100 million yuan", 600.0),
    IndicatorSpec("tourist_visits", "targets", "年均接待游客", "万人次", "10,000 visits", 4400.0, "more_than"),
    IndicatorSpec(
        "a_level_scenic_areas",
        "targets",
        "创建A级景区",
        "家",
        "areas",
        1.0,
        label=("创建5A级景区", "New 5A scenic areas"),
        target_text=("5A级1家", "one 5A"),
    ),
    IndicatorSpec(
        "a_level_4a_scenic_areas",
        "targets",
        "创建A级景区",
        "家",
        "areas",
        10.0,
        label=("创建4A级景区", "New 4A scenic areas"),
        target_text=("4A级10家", "ten 4A"),
    ),
    IndicatorSpec("wellness_base", "targets", "康养服务品牌", "是否达成（1/0）", "achieved (1/0)", 1.0, "yes_no"),
    IndicatorSpec(
        "catering_turnover_growth",
        "targets",
        "住宿餐饮业交易额",
        "%（累计增长）",
        "% (cumulative growth)",
        7.0,
        "about",
    ),
    IndicatorSpec("retail_sales", "targets", "社会消费品零售总额", "亿元", "100 million yuan", 995.0),
    IndicatorSpec("domestic_services_growth", "targets", "家政服务业营业额", "%（年均增长）", "% a year", 7.0),
    IndicatorSpec("domestic_services_firms", "targets", "本土家政服务明星企业", "家", "firms", 2.0),
    IndicatorSpec(
        "green_services_share",
        "targets",
        "节能环保服务业市场占有率",
        "是否达成（1/0）",
        "achieved (1/0)",
        1.0,
        "yes_no",
    ),
    IndicatorSpec("software_revenue_growth", "targets", "软件和信息服务收入", "%（年均增速）", "% a year", 15.0),
    IndicatorSpec("logistics_value_added_growth", "targets", "物流业增加值", "%（年均增长）", "% a year", 8.0),
    IndicatorSpec("logistics_4a_firms", "targets", "新增4A级物流企业", "家", "firms", 5.0, "about"),
    IndicatorSpec("finance_gdp_share", "targets", "金融业增加值占GDP比重", "%", "%", 5.0, "about"),
    IndicatorSpec("business_district", "targets", "高端商务服务区", "是否达成（1/0）", "achieved (1/0)", 1.0, "yes_no"),
    IndicatorSpec("testing_firms", "targets", "规模以上检测检验服务企业", "家", "firms", 4.0),
    IndicatorSpec("testing_value_added_growth", "targets", "检测检验服务增加值", "%（年均增长）", "% a year", 5.0),
)
INDICATOR_IDS = tuple(s.id for s in INDICATOR_SPECS)
INDICATOR_STATUSES = ("met", "not_met", "on_track", "behind", "not_due", "no_data")
BASE_YEAR, TARGET_YEAR = 2020, 2025


def indicator_spec(indicator_id: str) -> IndicatorSpec:
    """The spec of ``indicator_id``.

    Raises
    ------
    InputError
        When the id is unknown; the message lists the valid ids.
    """
    for spec in INDICATOR_SPECS:
        if spec.id == indicator_id:
            return spec
    raise InputError(f"indicator should be one of {', '.join(INDICATOR_IDS)}, got {indicator_id!r}")


def interim_target(baseline: float, target: float, year: int | None) -> float:
    """按序时进度: the value on the straight line from the 2020 base to the 2025 target in ``year`` (NaN
    without a base or a year before the target year)."""
    if year is None or not math.isfinite(baseline) or not BASE_YEAR < year < TARGET_YEAR:
        return math.nan
    return baseline + (target - baseline) * (year - BASE_YEAR) / (TARGET_YEAR - BASE_YEAR)


def _judge(spec: IndicatorSpec, actual: float, year: int | None = None, baseline: float = math.nan) -> str:
    """met / not_met against the target; before the target year a value short of it is read against the
    straight-line path (on_track / behind) when the plan gives a 2020 base, else not_due."""
    if not math.isfinite(actual):
        return "no_data"
    if spec.rule == "about":
        met = actual >= 0.95 * spec.target
    elif spec.rule == "more_than":
        met = actual > spec.target
    else:
        met = actual >= spec.target
    if met:
        return "met"
    if year is not None and year < TARGET_YEAR:
        path = interim_target(baseline, spec.target, year)
        if math.isfinite(path):
            return "on_track" if actual >= path else "behind"
        return "not_due"
    return "not_met"


def evaluate_indicators(indicator_state: pd.DataFrame, *, lang: str = "zh") -> pd.DataFrame:
    """表1 indicators and 第四章 targets against the actual values recorded in the register.

    Parameters
    ----------
    indicator_state
        ``Register.indicator_state(as_of=…)``: index ``indicator_id``; ``actual_value``, ``actual_year``,
        ``source``, ``last_by``, ``last_as_of``.

    Returns
    -------
    pandas.DataFrame
        One row per indicator (:data:`INDICATOR_SPECS` order): ``id``, ``table`` (表1 / 第四章),
        ``sector``, ``name``, ``unit``, ``baseline`` (2020, 表1 only), ``target``, ``target_text``
        (as the plan words it), ``actual``, ``actual_year``, ``status`` (met / not_met / no_data),
        ``gap`` (actual − target, in ``unit``), ``change``, ``change_target`` and ``change_unit`` (表1:
        percentage points since 2020 for shares, average growth a year for value added), ``plan_section``,
        ``plan_sentence``, ``actual_source``, ``recorded_by``, ``recorded_as_of``.
    """
    from layout.plan.indicators import growth_text, load_indicators

    ind = load_indicators()
    table1 = ind.table1.set_index("name")
    targets = ind.targets.set_index("indicator")
    rows = []
    for spec in INDICATOR_SPECS:
        if spec.name not in (table1.index if spec.source_table == "table1" else targets.index):
            continue  # a plan version without this indicator (another plan's table): nothing to judge
        rec = indicator_state.loc[spec.id] if spec.id in indicator_state.index else None
        actual = float(rec["actual_value"]) if rec is not None and pd.notna(rec["actual_value"]) else math.nan
        year = int(rec["actual_year"]) if rec is not None and pd.notna(rec.get("actual_year")) else None
        row = {
            "id": spec.id,
            "name": spec.name,
            "unit": spec.unit if lang == "zh" else spec.unit_en,
            "target": spec.target,
            "actual": actual,
            "actual_year": year,
            "status": _judge(spec, actual, year),
            "gap": actual - spec.target,
            "baseline": math.nan,
            "change": math.nan,
            "change_target": math.nan,
            "change_unit": "",
            "rule": spec.rule,
            "interim_target": math.nan,
            "actual_source": str(rec.get("source", "") or "") if rec is not None else "",
            "recorded_by": str(rec.get("last_by", "") or "") if rec is not None else "",
            "recorded_as_of": rec.get("last_as_of") if rec is not None else None,
        }
        if spec.source_table == "table1":
            src = table1.loc[spec.name]
            baseline = float(src["y2020"])
            row |= {
                "table": t("eval.table1", lang),
                "sector": "",
                "baseline": baseline,
                "status": _judge(spec, actual, year, baseline),
                "interim_target": interim_target(baseline, spec.target, year),
                "name": spec.name if lang == "zh" else str(src["name_en"]),
                "target_text": f"{src['y2025']}（{growth_text(src['growth'], src['growth_kind'], lang=lang)}）",
                "plan_section": ind.section,
                "plan_sentence": " ".join(str(src["source"]).split()),
            }
            if src["growth_kind"] == "累积":  # shares: the plan's growth is a difference, in percentage points
                row |= {
                    "change": round(actual - baseline, 6),
                    "change_target": round(spec.target - baseline, 6),
                    "change_unit": t("eval.pp", lang),
                }
            else:  # average growth a year since 2020
                years = (year or 2025) - 2020
                growth = ((actual / baseline) ** (1 / years) - 1) * 100 if years > 0 and actual > 0 else math.nan
                row |= {
                    "change": growth,
                    "change_target": float(str(src["growth"]).split("%")[0]),
                    "change_unit": t("eval.pct_a_year", lang),
                }
        else:
            src = targets.loc[[spec.name]].iloc[0]
            row |= {
                "table": t("eval.table4", lang),
                "sector": str(src["sector"]),
                "name": spec.name if lang == "zh" else str(src["indicator_en"]),
                "target_text": str(src["value"] if lang == "zh" else src["value_en"]),
                "plan_section": str(src["plan_section"]),
                "plan_sentence": str(src["source"]),
            }
        if spec.rule == "yes_no":
            row["gap"] = math.nan
        k = 0 if lang == "zh" else 1
        if spec.label[k]:
            row["name"] = spec.label[k]
        if spec.target_text[k]:
            row["target_text"] = spec.target_text[k]
        row["note"] = spec.note[k]
        rows.append(row)
    columns = [
        "id",
        "table",
        "sector",
        "name",
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
        "rule",
        "plan_section",
        "plan_sentence",
        "actual_source",
        "recorded_by",
        "recorded_as_of",
        "note",
    ]
    out = pd.DataFrame(rows, columns=columns)
    out["actual_year"] = pd.Series([r["actual_year"] for r in rows], dtype=object)  # int or None, never 2025.0
    return out
