"""Editing a draft plan: every change is an event (who, when, why) in the draft's ``events.jsonl``, with undo.

A change is applied to the draft's files (``zones.toml``, ``catalog.csv``) only after the result validates:
every county keeps exactly one primary core/wing zone, memberships name known counties and zones, projects
name a known county and lie inside it (the catalog's own checks). Each event keeps what it replaced, so undo
puts it back; undo is refused while a later change to the same county, zone or project stands. Shipped
versions (十四五) are never edited. Nothing is filled in for the planner: a draft holds what was entered.

The draft's storage is :mod:`layout.drafting.draft_store`, its verbs :mod:`layout.drafting.draft_zones` and
:mod:`layout.drafting.draft_projects`, its checks :mod:`layout.drafting.draft_checks`.
"""

from __future__ import annotations

from layout.drafting.draft_checks import draft_problems
from layout.drafting.draft_projects import PROJECT_OPS, ProjectEdits
from layout.drafting.draft_store import exclusive, required_text
from layout.drafting.draft_zones import ZONE_OPS, ZoneEdits
from layout.drafting.versions import get_plan
from layout.errors import InputError, LayoutError

__all__ = ["Draft", "open_draft"]


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


class Draft(ZoneEdits, ProjectEdits):
    """A draft plan: its zone and project edits as events, undo, and its problems."""

    # -- undo --------------------------------------------------------------------------------
    @exclusive
    def undo(self, event_id: int, *, by: str) -> int:
        """Revert event ``event_id`` and record the undo (an event pointing at it).

        Raises
        ------
        InputError
            When there is no such event, it is an undo or already undone, or a later change to the same
            county, zone or project still stands (undo that first).
        """
        by = required_text(by, "--by")
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
        if op in ZONE_OPS:
            self._revert_zone_edit(op, args, before)
        elif op in PROJECT_OPS:
            self._revert_project_edit(args)
        return self._append("undo", ev["target"], {}, None, by=by, reason=f"撤销事件 {event_id}", undoes=int(event_id))

    # -- checks ------------------------------------------------------------------------------
    def problems(self) -> list[LayoutError]:
        """Every problem of the draft as it is on disk, [] when it validates: see
        :func:`layout.drafting.draft_checks.draft_problems`."""
        return draft_problems(self)
