"""The project register (项目台账): what officers know about each catalog project, as append-only events.

Nothing is overwritten. Every report is an event (subject, field, value, previous value, who, when
recorded, the date the information refers to, source, batch, kind). The state at date D is derived from
the events: per (subject, field), the non-retracted report with the greatest ``as_of`` <= D wins, and
among reports of the same date the latest recorded (a correction). A report that repeats the value in
effect is kept as a confirmation (it counts for the latest report date). Undo appends a retraction
pointing at one event: that event stops counting at every date; undoing the retraction restores it.

Subjects are catalog project ids (``P001``) or ``indicator:<id>`` for the plan's indicators. All SQL is
in :mod:`layout.register.sqlite_store` (SQLite file, the default) and :mod:`layout.register.postgres_store`
(PostgreSQL, for a ``postgresql://`` location); :func:`layout.register.location.open_store` picks one. A
report's changes are checked in :mod:`layout.register.changes` (values in :mod:`layout.register.values`, a
typed site in :mod:`layout.register.sites`); demo registers are guarded by :mod:`layout.register.demo_guard`;
events and state become tables in :mod:`layout.register.frames`, and :mod:`layout.register.overlay` gives the
catalog with the register's sites and statuses. The vocabulary (statuses, fields) is
:mod:`layout.register.vocabulary`.
"""

from __future__ import annotations

import datetime as dt
import os
import uuid
from collections.abc import Mapping
from functools import cached_property
from pathlib import Path

import pandas as pd

from layout.errors import InputError, many_errors
from layout.register.changes import ChangePlan, check_subject, plan_changes
from layout.register.demo_guard import refuse_mixing
from layout.register.frames import events_frame, is_missing, pivot_state, utc_now
from layout.register.location import open_store, register_location
from layout.register.schema import EVENT_COLUMNS
from layout.register.sqlite_store import NewEvent
from layout.register.stale import check_not_stale
from layout.register.values import (
    check_as_of,
    check_by,
    check_event_row,
    check_source,
    coded_error,
)
from layout.register.vocabulary import (
    INDICATOR_FIELDS,
    INDICATOR_PREFIX,
    PROJECT_FIELDS,
    SITE_FIELDS,
)

# --------------------------------------------------------------------------------------------
# The register


class Register:
    """The register at ``path`` (created with its schema on first use).

    Parameters
    ----------
    path
        The SQLite file or a ``postgresql://user@host:5432/db`` URL; default :func:`register_location`.
    catalog
        The catalog table (``id``, ``name``, ``county``) that project ids are checked against; default
        the shipped ``projects_catalog.csv``.
    """

    def __init__(self, path: str | os.PathLike | None = None, *, catalog: pd.DataFrame | None = None) -> None:
        self.store = open_store(path if path is not None else register_location())
        self.path: Path | None = self.store.path  # None for a server register
        self.location = str(getattr(self.store, "location", self.path))  # for messages (no password)
        self._catalog = catalog
        self.warnings: list[str] = []  # warnings of the latest record/record_many call
        self.confirmed = 0  # confirmations (reports of unchanged values) of the latest call

    @cached_property
    def catalog(self) -> pd.DataFrame:
        if self._catalog is None:
            from layout.catalog.projects import load_catalog

            self._catalog = load_catalog()
        return pd.DataFrame(self._catalog).set_index("id", drop=False)

    # -- validation

    def check_subject(self, subject: str) -> str:
        """``subject`` stripped, when it is a catalog project id or ``indicator:<id>``; else InputError."""
        return check_subject(subject, self.catalog)

    def _append(
        self, conn, plan: ChangePlan, *, by: str, source: str, as_of: str, batch: str, now: str
    ) -> list[tuple[int, str]]:
        ids = []
        for name, value in plan.values.items():
            found, previous = self.store.effective_value(conn, plan.subject, name, as_of)
            if not found and value is None:
                continue
            kind = "confirm" if found and previous == value else "set"
            ids.append(
                (
                    self.store.insert_event(
                        conn,
                        NewEvent(
                            batch_id=batch,
                            subject=plan.subject,
                            field=name,
                            value=value,
                            previous=previous,
                            by=by,
                            recorded_at=now,
                            as_of=as_of,
                            source=plan.sources.get(name, source),
                            kind=kind,
                        ),
                    ),
                    kind,
                )
            )
        return ids

    def record(
        self,
        subject: str,
        changes: dict[str, object],
        *,
        by: str,
        source: str = "",
        as_of: dt.date | None = None,
        batch: str | None = None,
        confirm: bool = False,
        expected: Mapping[str, object] | int | None = None,
    ) -> list[int]:
        """Validate and append one event per reported field, in one transaction; return the event ids.

        A field reported with the value already in effect at ``as_of`` is stored as a confirmation
        (kind ``confirm``): the report counts for 最近报送 without changing a value. Warnings (e.g.
        invest_done > invest_planned) are kept in :attr:`warnings`; :attr:`confirmed` counts the
        confirmations of this call.

        Parameters
        ----------
        expected
            What the editor saw before changing: the values of the fields (``{field: value}``, ""/None
            for empty), or the id of the last event of ``subject`` they saw. When the register has moved
            on since, nothing is written and :class:`StaleEditError` names what changed and who changed it.

        Raises
        ------
        InputError
            Naming the subject and field of every problem; :class:`StaleEditError` for a stale edit.
        """
        return self.record_many(
            [(subject, changes)],
            by=by,
            source=source,
            as_of=as_of,
            batch=batch,
            confirm=confirm,
            expected=None if expected is None else {subject: expected},
        )

    def record_many(
        self,
        rows: list[tuple[str, dict[str, object]]],
        *,
        by: str,
        source: str = "",
        as_of: dt.date | None = None,
        batch: str | None = None,
        confirm: bool = False,
        expected: Mapping[str, Mapping[str, object] | int] | None = None,
    ) -> list[int]:
        """Record several subjects' changes all-or-nothing (one transaction); every problem is reported.

        A row's changes may carry ``as_of`` and ``source`` keys that override the call's for that row
        (a 调度表 row can give its own date and source). ``expected`` maps a subject to what its editor
        saw (see :meth:`record`); it is checked inside the write transaction.
        """
        by = check_by(by)
        # demo and real reports never share a register
        refuse_mixing(self.store, by, name=self.path.name if self.path is not None else self.location)
        default_day = check_as_of(as_of)
        current = self.state()
        plans: list = []
        problems: list[str | InputError] = []
        for subject, changes in rows:
            changes = dict(changes)
            try:
                day = check_as_of(changes.pop("as_of")) if changes.get("as_of") else default_day
                row_source = check_source(changes.pop("source", None) or source or "")
                row = current.loc[subject].to_dict() if subject in current.index else {}
                cur = {k: (None if is_missing(v) else str(v)) for k, v in row.items()}
                plans.append(
                    (
                        plan_changes(
                            subject, changes, catalog=self.catalog, source=row_source, confirm=confirm, current=cur
                        ),
                        day,
                        row_source,
                    )
                )
            except InputError as exc:
                gathered = exc.args_.get("errors") if exc.code == "many" else None
                problems += gathered if isinstance(gathered, list) else [exc]
        if problems:
            raise many_errors(problems)
        self.warnings = [w for p, _, _ in plans for w in p.warnings]
        batch = batch or uuid.uuid4().hex
        with self.store.transaction() as conn:
            now = utc_now()  # inside the write lock: recorded_at follows the commit order, like event_id
            for subject, seen in (expected or {}).items():
                check_not_stale(self.store, conn, self.check_subject(subject), seen, today=dt.date.today())
            ids = []
            for plan, day, row_source in plans:
                ids += self._append(conn, plan, by=by, source=row_source, as_of=day.isoformat(), batch=batch, now=now)
        self.confirmed = sum(1 for _, kind in ids if kind == "confirm")
        return [i for i, _ in ids]

    def undo(self, event_id: int, *, by: str, reason: str = "") -> int:
        """Retract ``event_id``: a new event (kind ``retract``) takes it out of the state at every date.

        Undoing a retraction brings its target back. Undoing a site coordinate undoes the whole site
        change of its batch (lon, lat and source). Returns the new event's id.

        Raises
        ------
        InputError
            When there is no such event, or it was retracted already (the message names the event to
            undo instead).
        """
        by = check_by(by)
        reason = check_source(reason, "reason")
        with self.store.transaction() as conn:
            now = utc_now()
            target = self.store.get_event(conn, event_id) if 0 < event_id < 2**63 else None
            if target is None:
                raise InputError(
                    f"event {event_id}: no such event; see `register history` for event ids",
                    code="no_event",
                    event=event_id,
                )
            ev = dict(zip(EVENT_COLUMNS, target, strict=True))
            if (first := self.store.retraction_of(conn, event_id)) is not None:
                top = self.store.chain_top(conn, event_id)
                if top == first:
                    raise InputError(
                        f"event {event_id} was already undone by event {first}; undo event {first} to bring it back",
                        code="undone",
                        event=event_id,
                        by_event=first,
                    )
                raise InputError(
                    f"event {event_id} was undone by event {first}, and that undo was undone "
                    f"(latest: event {top}); undo event {top} to flip it again",
                    code="undone_chain",
                    event=event_id,
                    by_event=first,
                    top=top,
                )
            group = [target]
            if ev["field"] in SITE_FIELDS:
                group = self.store.batch_siblings(
                    conn, ev["batch_id"], ev["subject"], SITE_FIELDS, retractions=ev["kind"] == "retract"
                )
            batch = uuid.uuid4().hex
            first_id: int | None = None
            for row in sorted(group, key=lambda r: r[0] != event_id):
                e = dict(zip(EVENT_COLUMNS, row, strict=True))
                if e["event_id"] != event_id and self.store.retraction_of(conn, e["event_id"]) is not None:
                    continue
                new_id = self.store.insert_event(
                    conn,
                    NewEvent(
                        batch_id=batch,
                        subject=e["subject"],
                        field=e["field"],
                        value=None,
                        previous=None,
                        by=by,
                        recorded_at=now,
                        as_of=e["as_of"],
                        source=reason,
                        kind="retract",
                        retracts=int(e["event_id"]),
                    ),
                )
                first_id = first_id or new_id
        if first_id is None:  # the group holds at least the target
            raise coded_error("undo_failed", event=event_id)
        return first_id

    def restore(self, src: str | os.PathLike) -> int:
        """Replace the register with the backup ``src`` after checking it in full (every event row too);
        the current register is kept under a new ``.bak`` name. Returns the restored event count."""
        return self.store.restore_from(src, check_row=check_event_row)

    # -- reading

    def events(self, subject: str | None = None, **filters: str | None) -> pd.DataFrame:
        """Every event (of ``subject`` when given), in id order, with ``retracted`` (bool, now);
        ``as_of`` as datetime.date. ``filters`` as :meth:`RegisterStore.iter_events`."""
        return events_frame(self.store.fetch_events(subject=subject, **filters))

    def iter_history(self, **filters: str | None):
        """Stream events as dicts (:data:`EVENT_COLUMNS` and ``retracted``), oldest first, in constant
        memory; ``filters`` as :meth:`RegisterStore.iter_events`."""
        names = (*EVENT_COLUMNS, "retracted")
        for row in self.store.iter_events(**filters):
            yield dict(zip(names, row, strict=True))

    def _effective(self, as_of: dt.date | None, *, indicators: bool) -> list[tuple]:
        day = (as_of or dt.date.today()).isoformat()
        return self.store.fetch_state(until=day, prefix=INDICATOR_PREFIX, with_prefix=indicators)

    def state(self, *, as_of: dt.date | None = None) -> pd.DataFrame:
        """One row per project with an event effective on or before ``as_of`` (default today).

        Per field, the value of the non-retracted report with the latest date on or before ``as_of``;
        among reports of the same date, the latest recorded.

        Returns
        -------
        pandas.DataFrame
            Index ``project_id``; :data:`PROJECT_FIELDS` (floats for numbers and years, NaN when unset;
            text "" when unset; status as id) plus ``last_as_of`` (the latest report date, confirmations
            included) and ``last_by`` (who recorded the latest report).
        """
        out = pivot_state(self._effective(as_of, indicators=False), PROJECT_FIELDS).drop(columns="source")
        out.index.name = "project_id"
        return out

    def indicator_state(self, *, as_of: dt.date | None = None) -> pd.DataFrame:
        """One row per indicator with an effective event: ``actual_value`` (float), ``actual_year``
        (Int64), ``source``, ``last_by``, ``last_as_of``; index ``indicator_id``."""
        out = pivot_state(self._effective(as_of, indicators=True), INDICATOR_FIELDS)
        out["actual_year"] = out["actual_year"].round().astype("Int64")
        out = out[["actual_value", "actual_year", "source", "last_by", "last_as_of"]]
        out.index = out.index.str.slice(len(INDICATOR_PREFIX))
        out.index.name = "indicator_id"
        return out

    def project_state(self, subject: str, *, as_of: dt.date | None = None) -> dict[str, object]:
        """The current values of one project as a dict (empty when it has no events)."""
        st = self.state(as_of=as_of)
        return st.loc[subject].to_dict() if subject in st.index else {}
