"""Move a register between backends: ``register migrate SRC DST`` (SQLite file ↔ PostgreSQL database).

Every event is copied with its id, batch, dates, officer and source (:func:`layout.register.copy.copy_events`,
one snapshot of SRC, one transaction into an empty DST); then both registers are read back through
:class:`layout.register.events.Register` and must agree on the whole history and on the state of projects and
indicators at several dates (before the first report, at report dates spread over the history, today).
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from layout.errors import InputError
from layout.register.copy import copy_events
from layout.register.events import Register
from layout.register.postgres_store import is_server_url

__all__ = ["CHECK_DATES", "Migration", "check_dates", "compare_registers", "migrate_register", "parse_location"]

SQLITE_PREFIX = "sqlite:///"
CHECK_DATES = 8


@dataclass(frozen=True)
class Migration:
    """What a migration copied and checked."""

    events: int
    dates: tuple[dt.date, ...]


def parse_location(text: str | os.PathLike) -> str | Path:
    """A register location: ``postgresql://…`` as is, ``sqlite:///path`` or a plain path as a file path."""
    value = str(text).strip()
    if is_server_url(value):
        return value
    if value.lower().startswith(SQLITE_PREFIX):
        value = value[len(SQLITE_PREFIX) :]
    if not value:
        raise InputError("a register location should be a file path, sqlite:///path or postgresql://user@host/db")
    return Path(value)


def check_dates(events: pd.DataFrame, *, count: int = CHECK_DATES) -> list[dt.date]:
    """Dates to compare states at: the day before the first report, report dates spread over the
    history, the last report date and today."""
    days = sorted(set(events["as_of"])) if len(events) else []
    picked = {dt.date.today()}
    if days:
        picked.add(days[0] - dt.timedelta(days=1))
        step = max(1, len(days) // count)
        picked.update(days[::step])
        picked.add(days[-1])
    return sorted(picked)


def compare_registers(a: Register, b: Register) -> tuple[dt.date, ...]:
    """Check that ``a`` and ``b`` hold the same history and the same states; return the dates checked.

    Raises
    ------
    InputError
        Naming the first difference (event count, an event, or a state at a date).
    """
    ea, eb = a.events(), b.events()
    if len(ea) != len(eb):
        raise InputError(f"{b.location} has {len(eb)} events, {a.location} has {len(ea)}")
    diff = ~((ea == eb) | (ea.isna() & eb.isna())).all(axis=1)
    if diff.any():
        first = ea[diff].iloc[0]
        raise InputError(f"event {first['event_id']} differs between {a.location} and {b.location}")
    dates = check_dates(ea)
    for day in dates:
        for name, read in (("project state", "state"), ("indicator state", "indicator_state")):
            sa, sb = getattr(a, read)(as_of=day), getattr(b, read)(as_of=day)
            try:
                pd.testing.assert_frame_equal(sa, sb, check_dtype=False)
            except AssertionError:
                raise InputError(
                    f"the {name} at {day.isoformat()} differs between {a.location} and {b.location}"
                ) from None
    return tuple(dates)


def migrate_register(src: str | os.PathLike, dst: str | os.PathLike) -> Migration:
    """Copy every event of register ``src`` into the empty register ``dst``, then compare both.

    Raises
    ------
    InputError
        When ``src`` does not exist, ``dst`` already holds events, or the check finds a difference (then
        ``dst`` holds the copy: drop it and stop other writers to ``src`` before trying again).
    """
    src_loc, dst_loc = parse_location(src), parse_location(dst)
    if isinstance(src_loc, Path) and not src_loc.is_file():
        raise InputError(f"{src_loc}: no such register file")
    if str(src_loc) == str(dst_loc):
        raise InputError("SRC and DST are the same register; give a new file or an empty database as DST")
    source, target = Register(src_loc, catalog=pd.DataFrame()), Register(dst_loc, catalog=pd.DataFrame())
    count = copy_events(source.store, target.store)
    return Migration(events=count, dates=compare_registers(source, target))
