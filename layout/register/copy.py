"""Copy every event of one register store into another (migrate, and backup/restore of a server register).

Works on the stores' own connections, in one snapshot of the source and one transaction on the
destination, so a copy is all or nothing. Event ids, batches, dates and who/when are kept as they are;
the columns both schemas have are copied (a server register's ``db_user``/``os_user`` stay behind when
copying to a SQLite file).
"""

from __future__ import annotations

import contextlib
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

from layout.errors import InputError
from layout.register.sqlite_check import check_register_file
from layout.register.sqlite_store import RegisterStore, copy_backup

__all__ = ["checked_backup", "copy_events"]

CHUNK = 5_000


@contextlib.contextmanager
def _snapshot(store: RegisterStore) -> Iterator:
    if hasattr(store, "snapshot"):
        with store.snapshot() as conn:
            yield conn
        return
    with store.connection() as conn:  # SQLite (WAL): a read transaction sees one snapshot
        conn.execute("BEGIN")
        try:
            yield conn
        finally:
            conn.execute("ROLLBACK")


def _columns(conn, table: str) -> list[str]:
    cur = conn.execute(f"SELECT * FROM {table} WHERE 1 = 0")
    return [d[0] for d in cur.description]


def copy_events(src: RegisterStore, dst: RegisterStore, *, replace: bool = False) -> int:
    """Copy all events and meta rows of ``src`` into ``dst``; returns the number of events copied.

    Raises
    ------
    InputError
        When ``dst`` already holds events and ``replace`` is false.
    """
    count = 0
    with _snapshot(src) as sconn, dst.transaction() as dconn:
        if not replace and int(dconn.execute("SELECT COUNT(*) FROM events").fetchone()[0]):
            raise InputError(
                f"register {getattr(dst, 'location', dst.path)} already holds events; migrate into "
                "an empty register (a new file or a new database)"
            )
        columns = [c for c in _columns(sconn, "events") if c in set(_columns(dconn, "events"))]
        meta = [tuple(r) for r in sconn.execute("SELECT meta_key, meta_value FROM register_meta").fetchall()]
        if replace:
            dconn.execute("DELETE FROM events")
        for key, value in meta:
            if key != "schema_version":
                dst.write_meta(dconn, key, value)
        cur = sconn.execute(f"SELECT {', '.join(columns)} FROM events ORDER BY event_id")
        marks = ", ".join("?" for _ in columns)
        insert = f"INSERT INTO events ({', '.join(columns)}) VALUES ({marks})"
        while rows := cur.fetchmany(CHUNK):
            dconn.executemany(insert, [tuple(r) for r in rows])
            count += len(rows)
        if hasattr(dst, "after_copy"):
            dst.after_copy(dconn)
    return count


@contextlib.contextmanager
def checked_backup(src: Path, *, check_row: Callable[[dict], str | None] | None = None) -> Iterator[RegisterStore]:
    """A private copy of the SQLite register file ``src`` (a ``register backup``), checked in full as
    :func:`layout.register.sqlite_check.check_register_file` does (and migrated when it is version 1); deleted
    afterwards. ``src`` itself is only read.

    Raises
    ------
    InputError
        Naming what is wrong with ``src``.
    """
    if not src.is_file():
        raise InputError(f"{src}: no such backup file")
    with tempfile.TemporaryDirectory(prefix="layout-restore-") as tmp:
        copy = Path(tmp) / "backup.sqlite"
        copy_backup(src, copy)
        check_register_file(copy, name=str(src), check_row=check_row)
        yield RegisterStore(copy)
