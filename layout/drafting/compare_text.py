"""The words of a plan comparison in the reader's language (zh/en): the change tables with translated headers,
zone and county names from the two plans' zone models, and the report's fixed sentences.

Only names are translated: project names, reasons and indicator targets stay as planners or the plan wrote them
(the tool never invents plan content). Used by :mod:`layout.drafting.compare_report` (files) and the 规划对比 page.
"""

from __future__ import annotations

import pandas as pd

from layout.drafting.compare import PlanComparison
from layout.drafting.versions import PlanVersion
from layout.i18n import check_lang, t
from layout.plan.zones import ZoneModel, load_zone_model

__all__ = ["ComparisonNames", "as_written_columns", "comparison_tables", "plan_label", "report_text"]

#: The Chinese report's column headers.
HEADERS = {
    "county": "县市区",
    "old_zone": "原分区",
    "old_zone_name": "原分区名称",
    "new_zone": "新分区",
    "new_zone_name": "新分区名称",
    "change": "变化",
    "zone": "分区",
    "kind": "类型",
    "old_name": "原名称",
    "new_name": "新名称",
    "old_name_en": "原英文名",
    "new_name_en": "新英文名",
    "old_km2": "原面积(km²)",
    "new_km2": "新面积(km²)",
    "pole": "增长极",
    "name": "名称",
    "old_counties": "原县市区",
    "new_counties": "新县市区",
    "old_targets": "原对接方向",
    "new_targets": "新对接方向",
    "id": "编号",
    "status": "状态",
    "reason": "理由",
    "by": "编制人",
    "table": "表",
    "key": "指标",
    "old": "原目标",
    "new": "新目标",
    "changed": "是否变化",
}

KEYS = ("counties", "zones", "areas", "poles", "projects", "indicators")
#: Sheet names (Excel allows 31 characters): Chinese as the report always had them.
SHEETS = {
    "zh": ("县市区调整", "分区增删改名", "分区面积", "增长极变化", "项目新增结转", "指标目标对照"),
    "en": ("Counties moved", "Zones changed", "Zone areas", "Growth poles changed", "Projects", "Indicator targets"),
}
TEXT = {
    "mark": ("【草案】", "[DRAFT] "),
    "title": ("{mark}规划对比：{old} → {new}", "{mark}Plans compared: {old} → {new}"),
    "summary": ("概要", "Summary"),
    "n_counties": ("县市区调整 {n} 个", "Counties moved: {n}"),
    "n_zones": ("分区增删改名 {n} 个", "Zones added, removed or renamed: {n}"),
    "n_poles": ("增长极变化 {n} 个", "Growth poles changed: {n}"),
    "n_projects": ("项目{change} {n} 个", "Projects {change}: {n}"),
    "undecided": (
        "原规划项目未作结转决定 {n} 个（未列为不结转）",
        "Projects of the earlier plan with no carry-over decision: {n} (not listed as dropped)",
    ),
    "draft_note": (
        "草案内容均为编制人员录入，本工具不生成规划内容。",
        "A draft holds only what planners entered; this tool writes no plan content.",
    ),
    "draft_unapproved": (
        "草案内容均为编制人员录入，尚未批准。",
        "A draft holds only what planners entered; not approved.",
    ),
    "draft_line": ("草案内容均为编制人员录入，尚未批准", "A draft holds only what planners entered; not approved"),
    "draft": ("草案", "DRAFT"),
    "nothing": ("（无）", "(none)"),
    "new_zone": ("（新）", "(new)"),
    "removed": ("（删除）", "(removed)"),
    "overview": ("变化一览", "Changes at a glance"),
    "county_slide": ("{county}：有哪些变化", "{county}: what changes"),
    "county_zone": ("所属分区：{old} → {new}", "Zone: {old} → {new}"),
    "pole_in": ("增长极 {name}：纳入", "Growth pole {name}: joins"),
    "pole_out": ("增长极 {name}：移出", "Growth pole {name}: leaves"),
    "zone_changed": ("所在分区{change}：{old} → {new}", "Its zone {change}: {old} → {new}"),
    "county_projects": ("项目{change} {n} 个：{names}", "Projects {change}: {n}: {names}"),
    "zone_line": ("分区{change}：{old} → {new}", "Zone {change}: {old} → {new}"),
    "pole_line": ("增长极{change} {name}：{old} → {new}", "Growth pole {change} {name}: {old} → {new}"),
    "moved_line": ("{county}：{old} → {new}", "{county}: {old} → {new}"),
    "swipe": ("卷帘对比（左：{old}，右：{new}）", "Swipe (left: {old}, right: {new})"),
    "side": ("并排对比", "Side by side"),
    "list_sep": ("、", ", "),
}


#: Columns of the English tables holding words as planners or the plan wrote them (Chinese stays Chinese there).
AS_WRITTEN = ("project", "reason", "by", "old_name_zh", "new_name_zh", "key", "old", "new")


def as_written_columns(lang: str) -> set[str]:
    """The headers, in ``lang``, of the columns whose cells are quoted as written (none in Chinese)."""
    return {t(f"cmp.col.{k}", lang) for k in AS_WRITTEN} if check_lang(lang) == "en" else set()


def report_text(key: str, lang: str, **values) -> str:
    """One fixed sentence of the comparison report in ``lang``."""
    if key == "none":
        return t("cmp.none", lang)  # the page says it too
    zh, en = TEXT[key]
    text = en if check_lang(lang) == "en" else zh
    return text.format(**values) if values else text


def plan_label(plan: PlanVersion, lang: str) -> str:
    """A plan's name and status: "十五五草案（草案）"; in English the shipped names and the statuses translated."""
    if check_lang(lang) == "zh":
        return plan.label
    name = t(f"plan.name.{plan.name}", lang, default=plan.name)
    return t("plan.label", lang, name=name, status=t(f"plan.status.{plan.status}", lang, default=plan.status))


def change_word(change: str, lang: str) -> str:
    """新增/结转/… in ``lang`` (lower case inside an English sentence)."""
    return change if check_lang(lang) == "zh" else t(f"cmp.change.{change}", lang, default=change).lower()


class ComparisonNames:
    """Zone and county names of a comparison in ``lang``: from the later plan's zone model first, then the
    earlier one's (a removed zone keeps its name); Chinese as the models have them."""

    def __init__(self, comp: PlanComparison, lang: str) -> None:
        self.lang = check_lang(lang)
        self.old = load_zone_model(comp.old.zones)
        self.new = load_zone_model(comp.new.zones)

    def place(self, name: str) -> str:
        if self.lang == "zh":
            return name
        for model in (self.new, self.old):
            found = model.counties.get(name) or model.areas.get(name)
            if found is not None:
                return found.name_en or name
        return t("county.citywide", self.lang) if name == "全市" else name

    def places(self, names: str) -> str:
        return report_text("list_sep", self.lang).join(self.place(n) for n in str(names or "").split("、") if n)

    def zone(self, zid: object, model: ZoneModel | None = None) -> str:
        """A zone's name in ``model`` ("" when it has none there); without a model, the later plan's, else the
        earlier plan's."""
        if not isinstance(zid, str) or not zid:
            return ""
        for m in (model,) if model is not None else (self.new, self.old):
            z = m.zones.get(zid)
            if z is not None:
                return z.name_zh if self.lang == "zh" else (z.name_en or z.id)
        return ""


def comparison_tables(comp: PlanComparison, *, lang: str = "zh") -> list[tuple[str, pd.DataFrame]]:
    """The change tables in report order as (sheet name, table), headers and names in ``lang``.

    Chinese: the comparison's own columns under Chinese headers (as the report has always shown them).
    English: zone and county names from the zone models, change kinds and statuses translated; project names,
    reasons, Chinese zone names that were renamed, and the indicators' targets as written.
    """
    lang = check_lang(lang)
    if lang == "zh":
        out = []
        for attr, name in zip(KEYS, SHEETS["zh"], strict=True):
            frame = getattr(comp, attr).copy()
            if attr == "indicators":
                frame["changed"] = frame["changed"].map({True: "变化", False: "相同"})
            out.append((name, frame.rename(columns=HEADERS)))
        return out
    n = ComparisonNames(comp, lang)

    def col(key: str) -> str:
        return t(f"cmp.col.{key}", lang)

    def change(values) -> list[str]:
        return [t(f"cmp.change.{v}", lang, default=v) for v in values]

    c, z, a, p, j, i = comp.counties, comp.zones, comp.areas, comp.poles, comp.projects, comp.indicators
    tables = {
        "counties": {
            col("county"): [n.place(x) for x in c["county"]],
            col("old_zone"): [n.zone(x, n.old) for x in c["old_zone"]],
            col("new_zone"): [n.zone(x, n.new) for x in c["new_zone"]],
        },
        "zones": {
            col("change"): change(z["change"]),
            col("zone"): z["zone"],
            col("kind"): [t(f"draft.kind.{k}", lang, default=k) for k in z["kind"]],
            col("old_name"): [n.zone(x, n.old) for x in z["zone"]],
            col("new_name"): [n.zone(x, n.new) for x in z["zone"]],
            col("old_name_zh"): z["old_name"],  # a renamed Chinese name is the change itself: shown as typed
            col("new_name_zh"): z["new_name"],
            col("old_km2"): z["old_km2"],
            col("new_km2"): z["new_km2"],
        },
        "areas": {
            col("zone"): a["zone"],
            col("name"): [n.zone(x) for x in a["zone"]],
            col("old_km2"): a["old_km2"],
            col("new_km2"): a["new_km2"],
        },
        "poles": {
            col("change"): change(p["change"]),
            col("pole"): p["pole"],
            col("name"): [n.zone(x) for x in p["pole"]],
            col("old_counties"): [n.places(x) for x in p["old_counties"]],
            col("new_counties"): [n.places(x) for x in p["new_counties"]],
        },
        "projects": {
            col("change"): change(j["change"]),
            col("id"): j["id"],
            col("project"): j["name"],
            col("county"): [n.place(x) for x in j["county"]],
            col("status"): [t(f"status.{x}", lang) if x else "" for x in j["status"]],
            col("reason"): j["reason"],
            col("by"): j["by"],
        },
        "indicators": {
            col("table"): [t(f"cmp.table.{x}", lang, default=x) for x in i["table"]],
            col("key"): i["key"],
            col("old"): i["old"],
            col("new"): i["new"],
            col("changed"): [t("cmp.yes" if x else "cmp.no", lang) for x in i["changed"]],
        },
    }
    return [(name, pd.DataFrame(tables[key])) for key, name in zip(KEYS, SHEETS["en"], strict=True)]
