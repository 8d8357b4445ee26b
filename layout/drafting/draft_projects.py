"""A draft's project edits, each an event: a new project (N001 …) checked like a catalog row before it is
saved, and carry-over: the previous plan's projects still open in the register, accepted (copied with a note
naming their last report) or dropped with a reason.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import pandas as pd

from layout.drafting.draft_checks import row_problems
from layout.drafting.draft_store import NEW_PREFIX, DraftStore, exclusive, required_text
from layout.drafting.versions import get_plan
from layout.errors import InputError, many_errors

__all__ = ["CLOSED_STATUSES", "PROJECT_OPS", "ProjectEdits"]

#: Register statuses a project is finished with: not offered for carry-over (已建成, 已运营, 取消).
CLOSED_STATUSES = ("completed", "operating", "cancelled")
PROJECT_OPS = ("add_project", "carry_accept")


class ProjectEdits(DraftStore):
    """The project verbs of a draft."""

    @exclusive
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
        by = required_text(by, "--by")
        name, county = required_text(name, "--name"), required_text(county, "--county")
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
        problems = row_problems(self.plan, new, check)
        if problems:
            raise InputError(
                f"{self.plan.name}: 项目未保存 / project not saved: " + "; ".join(map(str, problems)),
                code="plan_project_invalid",
                problems=many_errors([*problems]),
            )
        self._write_catalog(new)

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

    @exclusive
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
        by = required_text(by, "--by")
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
        from layout.register.vocabulary import status_label

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

    def _revert_project_edit(self, args: dict) -> None:
        """Take out the project that ``add_project`` or ``carry_accept`` put in."""
        df = self.catalog()
        self._write_catalog(df[df["id"].astype(str) != args["id"]].reset_index(drop=True))
