"""Editing a draft plan: every change is an event (who, when, why) in the draft's ``events.jsonl``, with undo.

A change is applied to the draft's files (``zones.toml``, ``catalog.csv``) only after the result validates:
every county keeps exactly one primary core/wing zone, memberships name known counties and zones, projects
name a known county and lie inside it (the catalog's own checks). Each event keeps what it replaced, so undo
puts it back; undo is refused while a later change to the same county, zone or project stands. Shipped
versions (十四五) are never edited. Nothing is filled in for the planner: a draft holds what was entered.
"""

from __future__ import annotations

import copy
import datetime as dt
import functools
import json
import tomllib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from layout.drafting.versions import PlanVersion, get_plan, use_plan
from layout.errors import InputError, LayoutError, many_errors
from layout.plan.toml_io import dumps_zone_toml
from layout.plan.zones import ZONE_KINDS, parse_zone_model

__all__ = ["CLOSED_STATUSES", "Draft", "open_draft"]

#: Register statuses a project is finished with: not offered for carry-over (已建成, 已运营, 取消).
CLOSED_STATUSES = ("completed", "operating", "cancelled")
NEW_PREFIX = "N"
DRAFT_QUOTE = "草案：{reason}（{by}）"
_NOT_YET = ("id", "sector", "plan_quote", "plan_section", "plan_zone")
EVENT_KEYS = ("event_id", "op", "target", "args", "before", "by", "reason", "recorded_at", "undoes")


def open_draft(name: str) -> Draft:
    """The draft ``name`` for editing.

    Raises
    ------
    InputError
        When there is no such plan, or it is not a draft (十四五 is a finished plan and stays as it is).
    """
    plan = get_plan(name)
    if not plan.is_draft or plan.folder is None:
        raise InputError(
            f"PLAN: {plan.name} 是{plan.status}的规划，不能修改；先建草案：plan new 新名称 --from "
            f"{plan.name} / {plan.name} is not a draft and is never edited; make a draft with plan new",
            code="plan_not_draft",
            plan=plan.name,
            status=plan.status,
        )
    return Draft(plan)


def _exclusive(method):
    """Run a draft edit under the draft's lock: two planners' edits never interleave their read-modify-write."""

    @functools.wraps(method)
    def wrapper(self: Draft, *args, **kwargs):
        from layout.tables.files import locked

        with locked(self.events_path):
            return method(self, *args, **kwargs)

    return wrapper


def _text(value: object, what: str, *, required: bool = True) -> str:
    text = str(value or "").strip()
    if required and not text:
        field = what.lstrip("-").lower().replace("-", "_")
        raise InputError(f"{what}: 不能为空 / {what} should be given", code=f"plan_empty_{field}")
    return text


@dataclass
class Draft:
    plan: PlanVersion

    # -- files -------------------------------------------------------------------------------
    @property
    def events_path(self) -> Path:
        if self.plan.folder is None:  # open_draft lets only drafts through
            raise InputError(
                f"PLAN: {self.plan.name} 不是草案，没有草案文件夹 / "
                f"{self.plan.name} is not a draft and has no draft folder"
            )
        return self.plan.folder / "events.jsonl"

    def zone_data(self) -> dict:
        with open(self.plan.zones, "rb") as f:
            return tomllib.load(f)

    def catalog(self) -> pd.DataFrame:
        from layout.catalog.projects import read_catalog_table

        return read_catalog_table(self.plan.catalog)

    def events(self) -> pd.DataFrame:
        """Every event in order, with ``undone_by`` (event id or None)."""
        rows = [json.loads(line) for line in self.events_path.read_text(encoding="utf-8").splitlines() if line]
        df = pd.DataFrame(rows, columns=list(EVENT_KEYS))
        undone = {r["undoes"]: r["event_id"] for r in rows if r.get("undoes") is not None}
        df["undone_by"] = pd.Series([undone.get(i) for i in df["event_id"]], index=df.index, dtype=object)
        return df

    def _live(self) -> list[dict]:
        events = self.events()
        return [r for r in events.to_dict("records") if r["op"] != "undo" and r["undone_by"] is None]

    def _append(
        self, op: str, target: str, args: dict, before: object, *, by: str, reason: str, undoes: int | None = None
    ) -> int:
        events = self.events()
        event_id = int(events["event_id"].max()) + 1 if len(events) else 1
        row = {
            "event_id": event_id,
            "op": op,
            "target": target,
            "args": args,
            "before": before,
            "by": by,
            "reason": reason,
            "recorded_at": dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ"),
            "undoes": undoes,
        }
        with open(self.events_path, "a", encoding="utf-8") as f:
            f.write(json.dumps(row, ensure_ascii=False) + "\n")
        return event_id

    def _write_zones(self, data: dict) -> None:
        try:
            parse_zone_model(data)
        except LayoutError as exc:
            raise InputError(
                f"{self.plan.name}: 改动未保存，改后分区不成立 / not saved, the zone model would not "
                f"hold: {str(exc).removeprefix('zones.toml: ')}",
                code="plan_zones_invalid",
                reason=str(exc).removeprefix("zones.toml: "),
            ) from None
        from layout.tables.files import atomic_write

        text = dumps_zone_toml(data)

        def write(tmp: Path) -> None:
            tmp.write_text(text, encoding="utf-8")

        atomic_write(self.plan.zones, write, backup=False)

    def _write_catalog(self, df: pd.DataFrame) -> None:
        from layout.catalog.projects import write_catalog

        write_catalog(df, self.plan.catalog)
        self.plan.catalog.with_name(self.plan.catalog.name + ".bak").unlink(missing_ok=True)

    # -- zone edits --------------------------------------------------------------------------
    @_exclusive
    def assign(self, county: str, zone_id: str, *, role: str = "primary", by: str, reason: str) -> int:
        """Put ``county`` in ``zone_id``. A primary core/wing membership moves the county out of its previous
        primary zone; a pole membership adds it to the pole. Returns the event id."""
        by, reason = _text(by, "--by"), _text(reason, "--reason")
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

    @_exclusive
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
        by = _text(by, "--by")
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

    @_exclusive
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
        by = _text(by, "--by")
        data = self.zone_data()
        zone_id = _text(zone_id, "ZONE_ID")
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
            "name_zh": _text(name_zh, "--name-zh"),
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

    @_exclusive
    def remove_zone(self, zone_id: str, *, by: str, reason: str) -> int:
        """Remove a zone. Refused while a county has it as its primary zone (assign the county elsewhere first)."""
        by, reason = _text(by, "--by"), _text(reason, "--reason")
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

    # -- projects ----------------------------------------------------------------------------
    @_exclusive
    def add_project(
        self,
        *,
        name: str,
        county: str,
        by: str,
        sector: str = "",
        town: str = "",
        lon: float | None = None,
        lat: float | None = None,
        name_en: str = "",
        notes: str = "",
        reason: str = "",
    ) -> tuple[str, int]:
        """Add a new project (id N001, N002 …); returns its id and the event id. The project is checked like a
        catalog row (known county, a point inside it) before it is saved."""
        by = _text(by, "--by")
        name, county = _text(name, "--name"), _text(county, "--county")
        df = self.catalog()
        used = [int(i[1:]) for i in df["id"].astype(str) if i.startswith(NEW_PREFIX) and i[1:].isdigit()]
        pid = f"{NEW_PREFIX}{max(used, default=0) + 1:03d}"
        point = (repr(float(lon)), repr(float(lat))) if lon is not None and lat is not None else None
        has_point = point is not None
        row = {c: "" for c in df.columns}
        row.update(
            id=pid,
            name=name,
            name_en=name_en,
            sector=sector,
            county=county,
            town=town,
            precision="site" if has_point else ("town" if town else "county"),
            lon=point[0] if point else "",
            lat=point[1] if point else "",
            geocode_source="规划编制录入" if has_point else "",
            notes=notes,
        )
        if not has_point:  # the town's or county's point, as geocode-catalog places a catalog row
            from layout.catalog.projects import fill_geocodes

            row = fill_geocodes(pd.DataFrame([row], columns=df.columns).astype(object)).iloc[0].to_dict()
        self._save_rows(df, [row], check={pid})
        return pid, self._append("add_project", f"project:{pid}", {"id": pid, "row": row}, None, by=by, reason=reason)

    def _save_rows(self, df: pd.DataFrame, rows: list[dict], *, check: set[str]) -> None:
        new = pd.concat([df, pd.DataFrame(rows, columns=df.columns).astype(object)], ignore_index=True)
        problems = self._row_problems(new, check)
        if problems:
            raise InputError(
                f"{self.plan.name}: 项目未保存 / project not saved: " + "; ".join(map(str, problems)),
                code="plan_project_invalid",
                problems=many_errors([*problems]),
            )
        self._write_catalog(new)

    def _row_problems(self, df: pd.DataFrame, ids: set[str]) -> list[InputError]:
        from layout.catalog.projects import catalog_to_text
        from layout.catalog.validate import ERROR, validate_catalog_bytes

        data = catalog_to_text(df).encode("utf-8")
        lines = {str(pid): i + 2 for i, pid in enumerate(df["id"].astype(str))}
        wanted = {lines[i] for i in ids}
        with use_plan(self.plan):
            found = validate_catalog_bytes(data, name=self.plan.catalog.name)
        # a new project (N001 …) has no plan sentence, and perhaps no sector yet: not errors of a draft
        return [
            _row_error(str(df.at[p.line - 2, "id"]), p)
            for p in found
            if p.severity == ERROR
            and p.line in wanted
            and not (str(df.at[p.line - 2, "id"]).startswith(NEW_PREFIX) and p.column in _NOT_YET)
        ]

    def carry_over_candidates(self, *, source: str, as_of: dt.date, register=None) -> pd.DataFrame:
        """The projects of ``source`` still open in the register's state at ``as_of`` (not 已建成/已运营/取消),
        each with its last report (status, progress, date); projects with no report are candidates too."""
        from layout.catalog.projects import read_catalog_table
        from layout.register.events import Register

        src = get_plan(source)
        catalog = read_catalog_table(src.catalog)
        reg = register if register is not None else Register(catalog=catalog)
        state = reg.state(as_of=as_of)
        status = state["status"].to_dict()
        out = catalog[["id", "name", "county", "sector"]].copy()
        out["status"] = [status.get(i, "") for i in out["id"]]
        out["progress"] = [state["progress"].get(i, float("nan")) for i in out["id"]]
        out["last_report"] = pd.Series([state["last_as_of"].get(i) for i in out["id"]], index=out.index, dtype=object)
        return out[~out["status"].isin(CLOSED_STATUSES)].reset_index(drop=True)

    @_exclusive
    def carry_over(
        self,
        *,
        source: str,
        as_of: dt.date,
        accept: Sequence[str] = (),
        drop: Sequence[str] = (),
        reason: str = "",
        by: str,
        register=None,
    ) -> list[int]:
        """Accept (copy the 十四五 row, same id, a note naming its last report) or drop (with a reason) candidates.

        Raises
        ------
        InputError
            For an id that is not a candidate, one given twice, already decided, or a drop without a reason.
        """
        by = _text(by, "--by")
        accept, drop = [a.strip() for a in accept], [d.strip() for d in drop]
        if not accept and not drop:
            raise InputError(
                "--accept/--drop: 至少给出一个项目编号 / give at least one project id", code="plan_carry_none"
            )
        if drop and not str(reason or "").strip():
            raise InputError(
                "--reason: 不结转的项目须说明理由 / dropping a project needs a reason", code="plan_carry_no_reason"
            )
        from layout.catalog.projects import read_catalog_table
        from layout.register.events import status_label

        cand = self.carry_over_candidates(source=source, as_of=as_of, register=register).set_index("id")
        decided = {e["args"]["id"] for e in self._live() if e["op"] in ("carry_accept", "carry_drop")}
        problems: list[str] = []
        kinds: dict[str, list[str]] = {}  # the first kind of problem, with its ids, names the translated message
        for pid in [*accept, *drop]:
            if pid not in cand.index:
                kinds.setdefault("plan_carry_not_candidate", []).append(pid)
                problems.append(
                    f"{pid}: 不是 {source} 截至 {as_of} 的结转候选（已建成/已运营/取消或不存在） / "
                    "not a carry-over candidate"
                )
            elif pid in decided:
                kinds.setdefault("plan_carry_decided", []).append(pid)
                problems.append(f"{pid}: 已决定过；先撤销原事件 / already decided; undo that event first")
        if dupes := sorted({p for p in [*accept, *drop] if [*accept, *drop].count(p) > 1}):
            kinds.setdefault("plan_carry_twice", dupes)
            problems.append(f"{', '.join(dupes)}: 重复给出 / given twice")
        if problems:
            code, bad_ids = next(iter(kinds.items()))
            raise InputError("; ".join(problems), code=code, ids=", ".join(bad_ids), source=source, as_of=as_of)
        src = read_catalog_table(get_plan(source).catalog).set_index("id", drop=False)
        df = self.catalog()
        rows = []
        for pid in accept:
            row = src.loc[pid].to_dict()
            c = cand.loc[pid]
            last = (
                (
                    f"最后报送 {c['last_report']}：{status_label(c['status'])}"
                    + (f"，进度 {c['progress']:g}%" if pd.notna(c["progress"]) else "")
                )
                if c["status"]
                else "无报送"
            )
            link = f"结转自 {source} {pid}（截至 {as_of}，{last}）"
            row["notes"] = f"{row.get('notes', '')} {link}".strip() if row.get("notes") else link
            rows.append(row)
        if rows:
            self._save_rows(df, rows, check=set())
        ids = []
        for row in rows:
            c = cand.loc[row["id"]]
            ids.append(
                self._append(
                    "carry_accept",
                    f"project:{row['id']}",
                    {
                        "id": row["id"],
                        "source": source,
                        "as_of": as_of.isoformat(),
                        "status": c["status"],
                        "last_report": str(c["last_report"] or ""),
                        "name": row["name"],
                        "county": row["county"],
                    },
                    None,
                    by=by,
                    reason=reason,
                )
            )
        for pid in drop:
            ids.append(
                self._append(
                    "carry_drop",
                    f"project:{pid}",
                    {
                        "id": pid,
                        "source": source,
                        "as_of": as_of.isoformat(),
                        "status": cand.at[pid, "status"],
                        "name": cand.at[pid, "name"],
                        "county": cand.at[pid, "county"],
                    },
                    None,
                    by=by,
                    reason=reason,
                )
            )
        return ids

    # -- undo --------------------------------------------------------------------------------
    @_exclusive
    def undo(self, event_id: int, *, by: str) -> int:
        """Revert event ``event_id`` and record the undo (an event pointing at it).

        Raises
        ------
        InputError
            When there is no such event, it is an undo or already undone, or a later change to the same
            county, zone or project still stands (undo that first).
        """
        by = _text(by, "--by")
        events = self.events()
        match = events[events["event_id"] == int(event_id)]
        if match.empty:
            raise InputError(
                f"EVENT_ID: 没有事件 {event_id}；用 plan history 查看 / no event {event_id}",
                code="plan_event_unknown",
                event=event_id,
            )
        ev = match.iloc[0].to_dict()
        if ev["op"] == "undo":
            raise InputError(
                f"EVENT_ID: 事件 {event_id} 本身是撤销；请重新执行原操作 / {event_id} is an undo; "
                "repeat the original change instead",
                code="plan_event_is_undo",
                event=event_id,
            )
        if ev["undone_by"] is not None:
            raise InputError(
                f"EVENT_ID: 事件 {event_id} 已被事件 {ev['undone_by']} 撤销 / already undone",
                code="plan_event_undone",
                event=event_id,
                by=ev["undone_by"],
            )
        later = [e["event_id"] for e in self._live() if e["event_id"] > ev["event_id"] and e["target"] == ev["target"]]
        if later:
            raise InputError(
                f"EVENT_ID: {ev['target']} 之后又被事件 {later[-1]} 修改；先撤销 {later[-1]} / "
                f"a later event {later[-1]} changed {ev['target']}; undo it first",
                code="plan_event_later",
                target=ev["target"],
                later=later[-1],
            )
        op, args, before = ev["op"], ev["args"], ev["before"]
        if op in ("assign", "rename_zone", "add_zone", "remove_zone"):
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
        elif op in ("add_project", "carry_accept"):
            df = self.catalog()
            self._write_catalog(df[df["id"].astype(str) != args["id"]].reset_index(drop=True))
        return self._append("undo", ev["target"], {}, None, by=by, reason=f"撤销事件 {event_id}", undoes=int(event_id))

    # -- checks ------------------------------------------------------------------------------
    def problems(self) -> list[LayoutError]:
        """Every problem of the draft as it is on disk (zone model, indicators, then catalog rows), [] when it
        validates; files edited by hand are checked the same way.

        Returns
        -------
        list
            One error per file or catalog row: ``str()`` is the English line (the CLI's ``plan check``),
            ``layout.i18n.error_text`` words it in the reader's language (the 规划编制 page).
        """
        out: list[LayoutError] = []
        try:
            parse_zone_model(self.zone_data())
        except LayoutError as exc:
            out.append(_file_error("zones.toml", exc))
            return out
        except tomllib.TOMLDecodeError as exc:
            out.append(_toml_error("zones.toml", exc))
            return out
        from layout.plan.indicators import parse_indicators

        try:
            with open(self.plan.indicators, "rb") as f:
                parse_indicators(tomllib.load(f))
        except LayoutError as exc:
            out.append(_file_error("indicators.toml", exc))
        except (tomllib.TOMLDecodeError, OSError) as exc:
            out.append(_toml_error("indicators.toml", exc))
        df = self.catalog()
        return out + [
            InputError(f"catalog.csv {e}", code="plan_file", file="catalog.csv", problems=e)
            for e in self._row_problems(df, set(df["id"].astype(str)))
        ]


def _file_error(name: str, exc: LayoutError) -> LayoutError:
    """A file's validation error, its English line starting with the file's name."""
    text = f"{name}: {str(exc).removeprefix(name + ': ')}"
    if getattr(exc, "code", "") == "plan_file":
        return InputError(text, code=exc.code, **exc.args_)
    return InputError(text, code="plan_file", file=name, problems=exc)


def _toml_error(name: str, exc: Exception) -> LayoutError:
    """A file that is not readable TOML (or not readable at all): the parser's own words, which say where."""
    return InputError(f"{name}: {exc}", code="plan_toml", file=name, error=str(exc))


def _row_error(pid: str, problem) -> InputError:
    """One catalog row's problem (a ``layout.catalog.validate.Problem``, worded in the reader's language by its
    own ``text(lang)``)."""
    text = f"{pid} {problem.column or ''}: {problem.message}（{problem.fix}）"
    return InputError(text, code="plan_row", id=pid, problem=problem)


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
