"""A draft's zone edits, each an event with what it replaced: a county assigned to a zone, a zone renamed,
added or removed, and each reverted for undo. The zone model is written only when it still holds (every
county keeps exactly one primary core/wing zone).
"""

from __future__ import annotations

import copy

from layout.drafting.draft_store import DraftStore, exclusive, required_text
from layout.errors import InputError
from layout.plan.zones import ZONE_KINDS

__all__ = ["DRAFT_QUOTE", "ZONE_OPS", "ZoneEdits"]

DRAFT_QUOTE = "草案：{reason}（{by}）"
ZONE_OPS = ("assign", "rename_zone", "add_zone", "remove_zone")


class ZoneEdits(DraftStore):
    """The zone verbs of a draft."""

    @exclusive
    def assign(self, county: str, zone_id: str, *, role: str = "primary", by: str, reason: str) -> int:
        """Put ``county`` in ``zone_id``. A primary core/wing membership moves the county out of its previous
        primary zone; a pole membership adds it to the pole. Returns the event id."""
        by, reason = required_text(by, "--by"), required_text(reason, "--reason")
        data = self.zone_data()
        county, zone_id = county.strip(), zone_id.strip()
        if county not in data.get("counties", {}):
            raise InputError(
                f"COUNTY: {county!r} 不是本规划的县市区；可选：{'、'.join(data.get('counties', {}))} / "
                "not a county of this plan",
                code="plan_county_unknown",
                county=county,
            )
        if zone_id not in data["zones"]:
            raise InputError(
                f"ZONE_ID: 没有分区 {zone_id!r}；现有：{', '.join(data['zones'])}（新增用 plan add-zone）"
                f" / no zone {zone_id!r}",
                code="plan_zone_unknown",
                zone=zone_id,
                known=", ".join(data["zones"]),
            )
        if role not in ("primary", "secondary"):
            raise InputError(
                f"--role: 应为 primary 或 secondary，收到 {role!r} / should be primary or secondary",
                code="plan_role_bad",
                role=role,
            )
        before = _memberships(data, county)
        pole = data["zones"][zone_id]["kind"] == "pole"
        for zid, zone in data["zones"].items():
            keep = []
            for m in zone.get("members", []):
                moved = m["county"] == county and (
                    zid == zone_id
                    or (not pole and role == "primary" and zone["kind"] != "pole" and m["role"] == "primary")
                )
                if not moved:
                    keep.append(m)
            zone["members"] = keep
        data["zones"][zone_id]["members"].append(
            {"county": county, "role": role, "plan_section": "草案", "quote": DRAFT_QUOTE.format(reason=reason, by=by)}
        )
        self._write_zones(data)
        return self._append(
            "assign",
            f"county:{county}",
            {"county": county, "zone": zone_id, "role": role},
            before,
            by=by,
            reason=reason,
        )

    @exclusive
    def rename_zone(
        self,
        zone_id: str,
        *,
        name_zh: str,
        name_en: str = "",
        definition: str = "",
        short_zh: str = "",
        by: str,
        reason: str = "",
    ) -> int:
        """Rename a zone (and optionally give its defining sentence and short name, as the planner words them)."""
        by = required_text(by, "--by")
        data = self.zone_data()
        zone = _zone(data, zone_id)
        changes = {
            k: v.strip()
            for k, v in (("name_zh", name_zh), ("name_en", name_en), ("definition", definition), ("short_zh", short_zh))
            if v and v.strip()
        }
        if "name_zh" not in changes:
            raise InputError(
                "--name-zh: 新名称不能为空 / the new Chinese name should be given", code="plan_empty_name_zh"
            )
        before = {k: zone.get(k, "") for k in changes}
        zone.update(changes)
        self._write_zones(data)
        return self._append(
            "rename_zone", f"zone:{zone_id}", {"zone": zone_id, **changes}, before, by=by, reason=reason
        )

    @exclusive
    def add_zone(
        self,
        zone_id: str,
        *,
        kind: str,
        name_zh: str,
        name_en: str = "",
        short_zh: str = "",
        color: str = "#888888",
        definition: str = "",
        by: str,
        reason: str = "",
    ) -> int:
        """Add an empty zone (assign counties to it afterwards)."""
        by = required_text(by, "--by")
        data = self.zone_data()
        zone_id = required_text(zone_id, "ZONE_ID")
        if zone_id in data["zones"]:
            raise InputError(
                f"ZONE_ID: 分区 {zone_id!r} 已存在 / zone {zone_id!r} exists; rename it instead",
                code="plan_zone_exists",
                zone=zone_id,
            )
        if kind not in ZONE_KINDS:
            raise InputError(
                f"--kind: 应为 {'、'.join(ZONE_KINDS)} 之一，收到 {kind!r} / should be one of {ZONE_KINDS}",
                code="plan_kind_bad",
                kinds=", ".join(ZONE_KINDS),
                kind=kind,
            )
        data["zones"][zone_id] = {
            "kind": kind,
            "short_zh": short_zh,
            "name_zh": required_text(name_zh, "--name-zh"),
            "name_en": name_en,
            "color": color,
            "plan_section": "草案",
            "definition": definition,
            "members": [],
        }
        self._write_zones(data)
        return self._append(
            "add_zone", f"zone:{zone_id}", {"zone": zone_id, **data["zones"][zone_id]}, None, by=by, reason=reason
        )

    @exclusive
    def remove_zone(self, zone_id: str, *, by: str, reason: str) -> int:
        """Remove a zone. Refused while a county has it as its primary zone (assign the county elsewhere first)."""
        by, reason = required_text(by, "--by"), required_text(reason, "--reason")
        data = self.zone_data()
        zone = _zone(data, zone_id)
        primaries = [m["county"] for m in zone.get("members", []) if m["role"] == "primary" and zone["kind"] != "pole"]
        if primaries:
            raise InputError(
                f"ZONE_ID: {zone_id} 仍是 {'、'.join(primaries)} 的主分区；先用 plan assign 把它们划入"
                f"其他分区 / {zone_id} is still the primary zone of {', '.join(primaries)}; "
                "assign them first",
                code="plan_zone_in_use",
                zone=zone_id,
                counties="、".join(primaries),
            )
        areas = [a for a, v in data.get("areas", {}).items() if v.get("zone") == zone_id]
        if areas:
            raise InputError(
                f"ZONE_ID: 区域 {'、'.join(areas)} 属于 {zone_id}，不能删除 / area(s) "
                f"{', '.join(areas)} belong to {zone_id}",
                code="plan_zone_has_areas",
                zone=zone_id,
                areas="、".join(areas),
            )
        before = {"zone": copy.deepcopy(zone), "position": list(data["zones"]).index(zone_id)}
        del data["zones"][zone_id]
        self._write_zones(data)
        return self._append("remove_zone", f"zone:{zone_id}", {"zone": zone_id}, before, by=by, reason=reason)

    def _revert_zone_edit(self, op: str, args: dict, before) -> None:
        """Put back what the zone edit ``op`` (one of :data:`ZONE_OPS`) replaced."""
        data = self.zone_data()
        if op == "assign":
            for zone in data["zones"].values():
                zone["members"] = [m for m in zone.get("members", []) if m["county"] != args["county"]]
            for zid, m in before:
                if zid in data["zones"]:
                    data["zones"][zid]["members"].append(m)
        elif op == "rename_zone":
            _zone(data, args["zone"]).update(before)
        elif op == "add_zone":
            data["zones"].pop(args["zone"], None)
        else:
            items = list(data["zones"].items())
            items.insert(before["position"], (args["zone"], before["zone"]))
            data["zones"] = dict(items)
        self._write_zones(data)


def _zone(data: dict, zone_id: str) -> dict:
    if zone_id not in data["zones"]:
        raise InputError(
            f"ZONE_ID: 没有分区 {zone_id!r}；现有：{', '.join(data['zones'])} / no zone {zone_id!r}",
            code="plan_zone_unknown",
            zone=zone_id,
            known=", ".join(data["zones"]),
        )
    return data["zones"][zone_id]


def _memberships(data: dict, county: str) -> list[tuple[str, dict]]:
    return [
        (zid, copy.deepcopy(m))
        for zid, z in data["zones"].items()
        for m in z.get("members", [])
        if m["county"] == county
    ]
