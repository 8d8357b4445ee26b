"""Stale edits: refuse a change whose base has moved on since the editor read it, naming what changed.

:func:`check_not_stale` runs inside the register's write transaction (so nothing slips in between the
check and the write); :class:`StaleEditError` carries the changes as data for the CLI and the page.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from layout.errors import InputError
from layout.register.schema import EVENT_COLUMNS
from layout.register.sqlite_store import RegisterStore
from layout.register.values import check_value
from layout.register.vocabulary import FIELD_LABELS, status_label

__all__ = ["Conflict", "StaleEditError", "check_not_stale"]


class StaleEditError(InputError):
    """An edit made on values the register has moved on from; :attr:`conflicts` lists what changed."""

    def __init__(
        self, message: str, *, conflicts: list[Conflict] | None = None, code: str = "", **args: object
    ) -> None:
        super().__init__(message, code=code, **args)
        self.conflicts = list(conflicts or [])

    def __reduce__(self):  # keeps the conflicts through pickling too
        return (_rebuild_stale, (str(self), self.code, self.args_, self.conflicts))


@dataclass(frozen=True)
class Conflict:
    """One change since the editor read the subject: the field, what they saw and what it is now (``kind``
    "value"), or a later event (``kind`` set/confirm/retract, ``seen`` its previous value), and who made it."""

    subject: str
    field: str
    seen: str | None
    now: str | None
    by: str
    event_id: int
    recorded_at: str
    kind: str = "value"
    retracts: int | None = None


def _shown(field_name: str, value: str | None, lang: str) -> str:
    if value is None or value == "":
        return "∅"
    return status_label(value, lang) if field_name == "status" else value


def _conflict_text(c: Conflict, lang: str) -> str:
    zh = lang == "zh"
    name = FIELD_LABELS.get(c.field, c.field) if zh else c.field
    seen, now = _shown(c.field, c.seen, lang), _shown(c.field, c.now, lang)
    if c.kind == "retract":
        what = f"{name}：撤销了事件 {c.retracts}" if zh else f"{name}: undid event {c.retracts}"
    elif c.kind == "confirm":
        what = f"{name}：{now}（再次报送，无变化）" if zh else f"{name}: {now} (reported again, no change)"
    elif c.kind == "set":
        what = f"{name}：{seen} → {now}" if zh else f"{name}: {seen} → {now}"
    else:
        what = f"{name}：您看到的是 {seen}，现在是 {now}" if zh else f"{name}: you saw {seen}, now {now}"
    if zh:
        return f"{what}（{c.by} 记录，事件 {c.event_id}，{c.recorded_at}）"
    return f"{what} (recorded by {c.by}, event {c.event_id}, {c.recorded_at})"


def check_not_stale(
    store: RegisterStore, conn, subject: str, seen: Mapping[str, object] | int, *, today: dt.date
) -> None:
    """Raise :class:`StaleEditError` when ``subject`` moved on from what its editor ``seen``.

    ``seen`` is either ``{field: value}`` (compared, as stored texts, with the state on ``today``) or the
    id of the last event of ``subject`` the editor saw (any later event of the subject is a change).
    Call it inside the write transaction, so nothing can slip in between the check and the write.
    """
    conflicts: list[Conflict] = []
    if isinstance(seen, (int, np.integer)) and not isinstance(seen, bool):
        for row in store.events_after(conn, subject, int(seen)):
            e = dict(zip(EVENT_COLUMNS, row, strict=True))
            conflicts.append(
                Conflict(
                    subject,
                    e["field"],
                    e["previous"],
                    e["value"],
                    e["by"],
                    int(e["event_id"]),
                    e["recorded_at"],
                    kind=e["kind"],
                    retracts=e["retracts"],
                )
            )
    elif isinstance(seen, Mapping):
        for name, value in seen.items():
            try:
                want = check_value(str(name), value)
            except InputError:
                want = str(value).strip() or None
            effective = store.effective_event(conn, subject, str(name), today.isoformat())
            now = effective[4] if effective else None
            if now != want:
                last = store.last_event(conn, subject, str(name))
                e = (
                    dict(zip(EVENT_COLUMNS, last, strict=True))
                    if last
                    else {"by": "", "event_id": 0, "recorded_at": ""}
                )
                conflicts.append(Conflict(subject, str(name), want, now, e["by"], int(e["event_id"]), e["recorded_at"]))
    else:
        raise InputError(
            f"expected should be the values you saw ({{field: value}}) or the last event id you saw, got {seen!r}"
        )
    if conflicts:
        zh = "；".join(_conflict_text(c, "zh") for c in conflicts)
        en = "; ".join(_conflict_text(c, "en") for c in conflicts)
        raise StaleEditError(
            f"{subject} changed since you read it — {en}; nothing was saved: read it again and redo your change",
            conflicts=conflicts,
            code="stale_edit",
            subject=subject,
            changes_zh=zh,
            changes_en=en,
        )


def _rebuild_stale(message: str, code: str, args: dict, conflicts: list[Conflict]) -> StaleEditError:
    return StaleEditError(message, conflicts=conflicts, code=code, **args)
