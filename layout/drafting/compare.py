"""Two plan versions compared, as tables: counties that moved between zones, zones added/removed/renamed (with
their areas), poles changed, projects new/carried/dropped (with reasons), indicator targets side by side.

Only what the two versions hold is compared; nothing is inferred. A project is *carried* when the draft's
events accepted it from the earlier plan, *dropped* when they dropped it (with the reason), *new* when the
planners added it; earlier projects with no decision are counted, not listed as dropped.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from layout.drafting.versions import PlanVersion, get_plan
from layout.plan.zones import ZoneModel, load_zone_model

__all__ = ["PlanComparison", "compare_plans", "county_changes", "zone_area_km2"]

AREA_CRS = "EPSG:4546"  # CGCS2000 / 3-degree Gauss-Kruger CM 111E, as the rest of the tool measures areas


@dataclass(frozen=True)
class PlanComparison:
    old: PlanVersion
    new: PlanVersion
    counties: pd.DataFrame  # county, old_zone, old_zone_name, new_zone, new_zone_name
    zones: pd.DataFrame  # change (新增/删除/更名/英文名更改), zone, kind, old_name, new_name, old_km2, new_km2
    areas: pd.DataFrame  # every core/wing zone of either plan: zone, name, old_km2, new_km2 (not a change list)
    poles: pd.DataFrame  # change, pole, name, old_counties, new_counties
    projects: pd.DataFrame  # change (新增/结转/不结转), id, name, county, status, reason, by
    indicators: pd.DataFrame  # table, key, old, new, changed
    undecided: int  # earlier projects neither carried nor dropped

    @property
    def is_draft(self) -> bool:
        return self.old.is_draft or self.new.is_draft


def _primary_name(model: ZoneModel, county: str) -> tuple[str, str]:
    try:
        zid = model.primary_zone(county)
    except KeyError:
        return "", ""
    return zid, model.zones[zid].name_zh


def zone_area_km2(model: ZoneModel) -> dict[str, float]:
    """Area (km², EPSG:4546) of every core/wing zone: the polygons of its primary counties (大通湖区 by its
    footprint); poles are not areas of their own."""
    from layout.geo.boundaries import expand_counties, load_counties

    counties = load_counties().to_crs(AREA_CRS)
    km2 = dict(zip(counties["name"], counties.geometry.area / 1e6, strict=True))
    out = {}
    for zone in model.zones.values():
        if zone.kind != "pole":
            names = expand_counties(zone.counties, model, primary_only_of=zone.id)
            out[zone.id] = round(sum(km2.get(n, 0.0) for n in names), 1)
    return out


def county_changes(old: ZoneModel, new: ZoneModel) -> pd.DataFrame:
    """Counties whose primary zone differs between the two models (by zone id)."""
    rows = []
    for county in dict.fromkeys([*old.counties, *new.counties]):
        (oz, on), (nz, nn) = _primary_name(old, county), _primary_name(new, county)
        if oz != nz:
            rows.append({"county": county, "old_zone": oz, "old_zone_name": on, "new_zone": nz, "new_zone_name": nn})
    return pd.DataFrame(rows, columns=["county", "old_zone", "old_zone_name", "new_zone", "new_zone_name"])


def _zone_changes(old: ZoneModel, new: ZoneModel) -> pd.DataFrame:
    oa, na = zone_area_km2(old), zone_area_km2(new)
    rows = []
    for zid in dict.fromkeys([*old.zones, *new.zones]):
        o, n = old.zones.get(zid), new.zones.get(zid)
        if o and n and (o.name_zh, o.name_en) == (n.name_zh, n.name_en):
            continue  # a zone whose counties changed shows in the county table and in `areas`
        change = "新增" if o is None else "删除" if n is None else "更名" if o.name_zh != n.name_zh else "英文名更改"
        rows.append(
            {
                "change": change,
                "zone": zid,
                "kind": (n or old.zones[zid]).kind,
                "old_name": o.name_zh if o else "",
                "new_name": n.name_zh if n else "",
                "old_name_en": o.name_en if o else "",
                "new_name_en": n.name_en if n else "",
                "old_km2": oa.get(zid),
                "new_km2": na.get(zid),
            }
        )
    return pd.DataFrame(
        rows,
        columns=["change", "zone", "kind", "old_name", "new_name", "old_name_en", "new_name_en", "old_km2", "new_km2"],
    )


def _zone_areas(old: ZoneModel, new: ZoneModel) -> pd.DataFrame:
    oa, na = zone_area_km2(old), zone_area_km2(new)
    rows = [
        {"zone": z, "name": (new.zones.get(z) or old.zones[z]).name_zh, "old_km2": oa.get(z), "new_km2": na.get(z)}
        for z in dict.fromkeys([*oa, *na])
    ]
    return pd.DataFrame(rows, columns=["zone", "name", "old_km2", "new_km2"])


def _pole_changes(old: ZoneModel, new: ZoneModel) -> pd.DataFrame:
    rows = []
    poles = [z for z in dict.fromkeys([*old.zones, *new.zones]) if (old.zones.get(z) or new.zones[z]).kind == "pole"]
    for zid in poles:
        o, n = old.zones.get(zid), new.zones.get(zid)
        oc, nc = (sorted(o.counties) if o else []), (sorted(n.counties) if n else [])
        if o and n and oc == nc and o.name_zh == n.name_zh and o.targets == n.targets:
            continue
        rows.append(
            {
                "change": "新增" if o is None else "删除" if n is None else "变化",
                "pole": zid,
                "name": (n or old.zones[zid]).name_zh,
                "old_counties": "、".join(oc),
                "new_counties": "、".join(nc),
                "old_targets": "、".join(o.targets) if o else "",
                "new_targets": "、".join(n.targets) if n else "",
            }
        )
    return pd.DataFrame(
        rows, columns=["change", "pole", "name", "old_counties", "new_counties", "old_targets", "new_targets"]
    )


def _project_changes(old: PlanVersion, new: PlanVersion) -> tuple[pd.DataFrame, int]:
    from layout.catalog.projects import read_catalog_table
    from layout.register.vocabulary import status_label

    cols = ["change", "id", "name", "county", "status", "reason", "by"]
    old_ids = set(read_catalog_table(old.catalog)["id"].astype(str))
    new_cat = read_catalog_table(new.catalog)
    rows, decided = [], set()
    if new.folder is not None:
        from layout.drafting.drafts import Draft

        events = Draft(new).events()
        live = events[(events["op"] != "undo") & events["undone_by"].isna()]
        for ev in live.to_dict("records"):
            a = ev["args"]
            if ev["op"] in ("carry_accept", "carry_drop") and a.get("source") == old.name:
                decided.add(a["id"])
                if ev["op"] == "carry_drop":
                    rows.append(
                        {
                            "change": "不结转",
                            "id": a["id"],
                            "name": a["name"],
                            "county": a["county"],
                            "status": status_label(a.get("status", "")),
                            "reason": ev["reason"],
                            "by": ev["by"],
                        }
                    )
        reasons = {
            ev["args"]["id"]: (ev["reason"], ev["by"])
            for ev in live.to_dict("records")
            if ev["op"] in ("carry_accept", "add_project")
        }
    else:
        reasons = {}
    for r in new_cat.to_dict("records"):
        pid = str(r["id"])
        reason, by = reasons.get(pid, ("", ""))
        if pid in old_ids:
            decided.add(pid)
        change = "结转" if pid in old_ids else "新增"
        rows.append(
            {
                "change": change,
                "id": pid,
                "name": r["name"],
                "county": r["county"],
                "status": "",
                "reason": reason,
                "by": by,
            }
        )
    order = {"新增": 0, "结转": 1, "不结转": 2}
    df = pd.DataFrame(rows, columns=cols)
    df = df.assign(_o=df["change"].map(order)).sort_values(["_o", "id"], kind="stable").drop(columns="_o")
    return df.reset_index(drop=True), len(old_ids - decided)


def _indicator_sides(old: PlanVersion, new: PlanVersion) -> pd.DataFrame:
    from layout.plan.indicators import load_indicators

    rows = []
    oi, ni = load_indicators(old.indicators), load_indicators(new.indicators)

    def label(frame: pd.DataFrame, table: str) -> pd.Series:
        return frame["name"] if table == "表1" else frame["sector"] + " · " + frame["indicator"]

    for table, attr, value in (("表1", "table1", "y2025"), ("行业目标", "targets", "value")):
        frame_o, frame_n = getattr(oi, attr), getattr(ni, attr)
        o = dict(zip(label(frame_o, table), frame_o[value], strict=True))
        n = dict(zip(label(frame_n, table), frame_n[value], strict=True))
        for k in dict.fromkeys([*o, *n]):
            rows.append(
                {"table": table, "key": k, "old": o.get(k, ""), "new": n.get(k, ""), "changed": o.get(k) != n.get(k)}
            )
    return pd.DataFrame(rows, columns=["table", "key", "old", "new", "changed"])


def compare_plans(old: str | PlanVersion, new: str | PlanVersion) -> PlanComparison:
    """Compare two plan versions (names or versions); the tables list only what differs (indicators: all rows,
    with ``changed``).

    Raises
    ------
    InputError
        When a plan is unknown.
    """
    old = old if isinstance(old, PlanVersion) else get_plan(old)
    new = new if isinstance(new, PlanVersion) else get_plan(new)
    om, nm = load_zone_model(old.zones), load_zone_model(new.zones)
    projects, undecided = _project_changes(old, new)
    return PlanComparison(
        old=old,
        new=new,
        counties=county_changes(om, nm),
        zones=_zone_changes(om, nm),
        areas=_zone_areas(om, nm),
        poles=_pole_changes(om, nm),
        projects=projects,
        indicators=_indicator_sides(old, new),
        undecided=undecided,
    )
