"""Checking a register file before it replaces the register (``register restore``): only the objects
and columns of a known schema version, every row checked, one clear error naming what is wrong.
"""

from __future__ import annotations

import datetime as dt
import os
import sqlite3
from collections.abc import Callable

from layout.errors import InputError
from layout.register.schema import FILE_COLUMNS, FILE_OBJECTS, KINDS


def check_register_file(
    path: str | os.PathLike, *, name: str = "", check_row: Callable[[dict], str | None] | None = None
) -> int:
    """Check a register file in full, read-only; return its event count.

    Checks: SQLite's ``integrity_check``; a known schema version; exactly the register's tables and
    indexes with their columns (no triggers, views or other objects); every event row: id, kind, links
    of retractions, dates, and ``check_row(row)`` (a message, or None) for the values.

    Raises
    ------
    InputError
        Naming the file and the first problems (with the event id of a bad row).
    """
    name = name or str(path)
    try:
        con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    except sqlite3.Error as exc:
        raise InputError(f"{name} cannot be opened ({exc})") from None
    try:
        try:
            result = con.execute("PRAGMA integrity_check").fetchone()[0]
            if result != "ok":
                raise InputError(f"{name} is damaged (integrity check: {str(result)[:120]}); use another backup")
            objects = {(t, n) for t, n in con.execute("SELECT type, name FROM sqlite_master")}
            if ("table", "register_meta") not in objects:
                raise InputError(
                    f"{name} is not a register backup (no register_meta table); give a file made by `register backup`"
                )
            row = con.execute("SELECT meta_value FROM register_meta WHERE meta_key = 'schema_version'").fetchone()
            version = "" if row is None else str(row[0])
            if version not in FILE_OBJECTS:
                raise InputError(
                    f"{name} has schema version {version or '(none)'}; this program reads versions "
                    f"{', '.join(FILE_OBJECTS)}"
                )
            extra = sorted(
                f"{t} {n}" for t, n in objects - FILE_OBJECTS[version] if (t, n) != ("table", "sqlite_stat1")
            )
            missing = sorted(f"{t} {n}" for t, n in FILE_OBJECTS[version] - objects if n != "sqlite_sequence")
            if extra or missing:
                raise InputError(
                    f"{name} is not a plain register: "
                    + "; ".join(
                        ([f"unexpected {', '.join(extra)}"] if extra else [])
                        + ([f"missing {', '.join(missing)}"] if missing else [])
                    )
                    + " — a register holds only its two tables and their indexes; use another backup"
                )
            columns = tuple(r[1] for r in con.execute("PRAGMA table_info(events)"))
            if columns != FILE_COLUMNS[version]:
                raise InputError(
                    f"{name}: the events table has columns {', '.join(columns)}, expected "
                    f"{', '.join(FILE_COLUMNS[version])}"
                )
            return _check_rows(con, name, version, check_row)
        except sqlite3.DatabaseError as exc:
            raise InputError(f"{name} is not a usable register ({exc}); use another backup") from None
    finally:
        con.close()


def _check_rows(
    con: sqlite3.Connection, name: str, version: str, check_row: Callable[[dict], str | None] | None
) -> int:
    cols = FILE_COLUMNS[version]
    link = "undoes" if version == "1" else "retracts"
    problems: list[str] = []
    seen: set[int] = set()
    count = 0
    for row in con.execute(f"SELECT {', '.join(cols)} FROM events ORDER BY event_id"):
        e = dict(zip(cols, row, strict=True))
        count += 1
        eid = e["event_id"]
        why = []
        for key in ("batch_id", "subject", "field", "recorded_by", "recorded_at", "as_of", "source"):
            if not isinstance(e[key], str):
                why.append(f"{key} is not text")
        for key in ("value", "previous"):
            if e[key] is not None and not isinstance(e[key], str):
                why.append(f"{key} is not text")
        if not why:
            try:
                if len(e["as_of"]) != 10:
                    raise ValueError
                dt.date.fromisoformat(e["as_of"])
            except ValueError:
                why.append(f"as_of {e['as_of'][:20]!r} is not a date (YYYY-MM-DD)")
            kind = e.get("kind", "retract" if e[link] is not None else "set")
            if kind not in KINDS:
                why.append(f"kind {str(kind)[:20]!r} is not one of {', '.join(KINDS)}")
            target = e[link]
            if (kind == "retract") != (target is not None):
                why.append(f"{link} should be set exactly for a retraction")
            elif target is not None and (not isinstance(target, int) or target not in seen):
                why.append(f"{link} {target!r} is not an earlier event")
            if check_row is not None and kind != "retract" and (msg := check_row(e)):
                why.append(msg)
        if why:
            problems.append(f"event {eid}: {'; '.join(why)}")
            if len(problems) >= 5:
                break
        if isinstance(eid, int):
            seen.add(eid)
    if problems:
        raise InputError(f"{name} has invalid events — " + " | ".join(problems) + "; use another backup")
    return count
