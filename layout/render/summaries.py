"""What the plan says, summarised for the explorer: projects per zone × sector, the plan's words about a
point's zones and poles, and 一核两翼三极 in the plan's own sentences."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import pandas as pd

from layout.i18n import t
from layout.plan.zones import load_zone_model, zone_name
from layout.render.labels import effective_county, shares_any

__all__ = [
    "LAYOUT_OVERVIEW",
    "LAYOUT_SECTION",
    "layout_explanation",
    "where_explanation",
    "zone_sector_counts",
    "zone_sector_long",
]


def zone_sector_counts(catalog: pd.DataFrame, sectors: Sequence[str], *, lang: str = "zh") -> pd.DataFrame:
    """Projects per zone (core, wings, poles, citywide) × sector, with a total column.

    A row of the table counts the projects whose computed zones (or poles) include it, so 资阳区's
    projects count in both the core and the lake wing.
    """
    model = load_zone_model()
    rows: dict[str, pd.Series] = {}
    sector_col = catalog["sector"].astype(str)
    for zone in model.zones.values():
        column = catalog["poles"] if zone.kind == "pole" else catalog["zones"]
        mask = shares_any(column, (zone.id,))
        rows[zone_name(zone.id, lang)] = sector_col[mask].value_counts()
    rows[t("sum.citywide", lang)] = sector_col[(effective_county(catalog) == "全市").to_numpy()].value_counts()
    table = pd.DataFrame(rows).T.reindex(columns=list(sectors)).fillna(0).astype(int)
    table[t("sum.total", lang)] = table.sum(axis=1)
    table.index.name = t("field.zones", lang)
    return table


def zone_sector_long(table: pd.DataFrame, *, lang: str = "zh", zones_only: bool = True) -> pd.DataFrame:
    """``table`` from :func:`zone_sector_counts` in long form for a stacked bar chart."""
    model = load_zone_model()
    keep = [zone_name(z.id, lang) for z in model.zones.values() if z.kind != "pole"] + [t("sum.citywide", lang)]
    body = table.drop(columns=[t("sum.total", lang)])
    if zones_only:
        body = body.loc[[k for k in keep if k in body.index]]
    long = body.reset_index().melt(id_vars=body.index.name, var_name=t("field.sector", lang), value_name="n")
    return long[long["n"] > 0].rename(columns={"n": t("sum.total", lang)}).reset_index(drop=True)


def where_explanation(record: Mapping, *, lang: str = "zh") -> dict:
    """What the plan says about a point's zones and poles, for the which-zone answer.

    ``record`` is :func:`layout.geo.classify.where_record`'s answer. Returns ``zones`` and ``poles``: lists of
    ``{"id", "label", "definition", "quote", "section", "role"}`` where ``definition`` is the zone's
    defining sentence and ``quote`` the sentence that puts the county in it.
    """
    model = load_zone_model()
    county = record.get("county")

    def explain(zone_id: str) -> dict:
        zone = model.zones[zone_id]
        member = model.membership(zone_id, county) if county else None
        return {
            "id": zone_id,
            "label": zone_name(zone_id, lang),
            "definition": zone.definition,
            "section": zone.plan_section,
            "quote": member.quote if member else "",
            "quote_section": member.plan_section if member else "",
            "role": member.role if member else "",
        }

    return {
        "zones": [explain(z) for z in record.get("zones") or ()],
        "poles": [explain(p) for p in record.get("poles") or ()],
    }


#: The plan's own sentence that names the layout (第三章's opening), quoted on the landing page.
LAYOUT_OVERVIEW = (
    "依托我市独特区位优势和独特资源禀赋，整合空间资源要素，突出发展湖区和山区服务业，"
    "加强区域间产业协作联动，构建以中心城区为核心、以县域城镇为支点、城乡互补的多层次服务网络，"
    "着力打造“一核两翼三极”的服务业发展空间布局。"
)
LAYOUT_SECTION = "第三章 优化服务业空间布局"


def layout_explanation(lang: str = "zh") -> dict:
    """一核两翼三极 in the plan's words: the overview sentence and, per kind (``core``, ``wing``, ``pole``),
    each zone's ``name``, ``counties``, ``color``, defining sentence and section."""
    model = load_zone_model()
    out: dict = {"overview": LAYOUT_OVERVIEW, "section": LAYOUT_SECTION}
    sep = "、" if lang == "zh" else ", "
    for kind in ("core", "wing", "pole"):
        out[kind] = [
            {
                "name": zone.name_en if lang == "en" else f"{zone.short_zh}·{zone.name_zh}",
                "counties": sep.join(
                    m.county if lang == "zh" else model.counties[m.county].name_en
                    for m in zone.members
                    if not (zone.kind != "pole" and m.role == "secondary")
                ),
                "color": zone.color,
                "definition": zone.definition,
                "section": zone.plan_section,
            }
            for zone in model.by_kind(kind)
        ]
    return out
