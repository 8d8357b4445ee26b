"""All SQL of the project register: an append-only event table in SQLite (stdlib ``sqlite3``).

The SQL is plain and portable (one table, one index, no SQLite-only functions in queries), so a server
database could replace this module without touching :mod:`layout.register`. Practice for a file shared
by several officers: one connection per operation, WAL journal (readers never block the writer), a busy
timeout (wait instead of failing) and ``BEGIN IMMEDIATE`` for every read-modify-write transaction.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from layout.errors import InputError
from layout.settings import REGISTER_SLEEP_ENV, env_text

SCHEMA_VERSION = "1"
BUSY_TIMEOUT_MS = 30_000
#: Test hook: seconds to sleep inside a write transaction before COMMIT (used to kill a process mid-import).
SLEEP_ENV = REGISTER_SLEEP_ENV
EVENT_COLUMNS = ("event_id", "batch_id", "subject", "field", "value", "previous", "by", "recorded_at",
                 "as_of", "source", "undoes")

_SCHEMA = (
    """CREATE TABLE IF NOT EXISTS register_meta (
        meta_key VARCHAR(64) PRIMARY KEY,
        meta_value VARCHAR(255) NOT NULL
    )""",
    """CREATE TABLE IF NOT EXISTS events (
        event_id INTEGER PRIMARY KEY AUTOINCREMENT,
        batch_id VARCHAR(64) NOT NULL,
        subject VARCHAR(128) NOT NULL,
        field VARCHAR(64) NOT NULL,
        value TEXT,
        previous TEXT,
        recorded_by VARCHAR(255) NOT NULL,
        recorded_at VARCHAR(32) NOT NULL,
        as_of VARCHAR(10) NOT NULL,
        source TEXT NOT NULL,
        undoes INTEGER
    )""",
    "CREATE INDEX IF NOT EXISTS events_subject_field ON events (subject, field, as_of)",
)
_SELECT = ("SELECT event_id, batch_id, subject, field, value, previous, recorded_by, recorded_at, as_of, "
           "source, undoes FROM events")


@dataclass(frozen=True)
class NewEvent:
    """One event to append (``previous`` is computed inside the transaction by the caller)."""

    batch_id: str
    subject: str
    field: str
    value: str | None
    previous: str | None
    by: str
    recorded_at: str
    as_of: str  # ISO date
    source: str
    undoes: int | None = None


class RegisterStore:
    """The register's SQLite file: schema, transactions, inserts and queries."""

    def __init__(self, path: str | os.PathLike) -> None:
        self.path = Path(path)
        if self.path.exists() and self.path.is_dir():
            raise InputError(f"register {self.path} is a folder; give a file path such as data/register.sqlite")
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self.connection() as conn:
            self._create_schema(conn)

    # -- connections and transactions

    @contextlib.contextmanager
    def connection(self) -> Iterator[sqlite3.Connection]:
        """A fresh connection in autocommit mode (transactions are explicit), closed afterwards."""
        try:
            conn = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None)
        except sqlite3.Error as exc:
            raise InputError(f"register {self.path} cannot be opened ({exc})") from None
        try:
            conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
            if str(mode).lower() != "wal":
                conn.execute("PRAGMA journal_mode = WAL")
            conn.execute("PRAGMA synchronous = NORMAL")
            yield conn
        except sqlite3.DatabaseError as exc:
            raise InputError(f"register {self.path} is not a usable register database ({exc})") from None
        finally:
            conn.close()

    @contextlib.contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """A write transaction: ``BEGIN IMMEDIATE`` (takes the write lock up front), COMMIT or ROLLBACK."""
        with self.connection() as conn:
            conn.execute("BEGIN IMMEDIATE")
            try:
                yield conn
                if delay := env_text(SLEEP_ENV):
                    time.sleep(float(delay))
                conn.execute("COMMIT")
            except BaseException:
                conn.execute("ROLLBACK")
                raise

    def _create_schema(self, conn: sqlite3.Connection) -> None:
        conn.execute("BEGIN IMMEDIATE")
        try:
            for statement in _SCHEMA:
                conn.execute(statement)
            row = conn.execute("SELECT meta_value FROM register_meta WHERE meta_key = 'schema_version'").fetchone()
            if row is None:
                conn.execute("INSERT INTO register_meta (meta_key, meta_value) VALUES ('schema_version', ?)",
                             (SCHEMA_VERSION,))
            elif row[0] != SCHEMA_VERSION:
                raise InputError(f"register {self.path} has schema version {row[0]}, this program reads "
                                 f"version {SCHEMA_VERSION}; use a matching version of the program")
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise

    # -- writes (inside a transaction)

    @staticmethod
    def insert_event(conn: sqlite3.Connection, event: NewEvent) -> int:
        cur = conn.execute(
            "INSERT INTO events (batch_id, subject, field, value, previous, recorded_by, recorded_at, as_of, "
            "source, undoes) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (event.batch_id, event.subject, event.field, event.value, event.previous, event.by,
             event.recorded_at, event.as_of, event.source, event.undoes))
        return int(cur.lastrowid)

    # -- reads (inside or outside a transaction)

    @staticmethod
    def effective_value(conn: sqlite3.Connection, subject: str, field: str, as_of: str) -> tuple[bool, str | None]:
        """(found, value) of the event in effect for ``subject``/``field`` at ``as_of``."""
        row = conn.execute(
            "SELECT value FROM events WHERE subject = ? AND field = ? AND as_of <= ? "
            "ORDER BY event_id DESC LIMIT 1", (subject, field, as_of)).fetchone()
        return (row is not None, row[0] if row else None)

    @staticmethod
    def get_event(conn: sqlite3.Connection, event_id: int) -> tuple | None:
        return conn.execute(_SELECT + " WHERE event_id = ?", (int(event_id),)).fetchone()

    @classmethod
    def undone_by(cls, conn: sqlite3.Connection, event_id: int) -> int | None:
        """The id of an event that undoes ``event_id`` and is not itself undone, if any."""
        rows = conn.execute("SELECT event_id FROM events WHERE undoes = ? ORDER BY event_id DESC",
                            (int(event_id),)).fetchall()
        for (undo_id,) in rows:
            if cls.undone_by(conn, undo_id) is None:
                return int(undo_id)
        return None

    @staticmethod
    def batch_siblings(conn: sqlite3.Connection, batch_id: str, subject: str,
                       fields: Sequence[str]) -> list[tuple]:
        marks = ", ".join("?" for _ in fields)
        return conn.execute(_SELECT + f" WHERE batch_id = ? AND subject = ? AND field IN ({marks}) "
                            "ORDER BY event_id", (batch_id, subject, *fields)).fetchall()

    def fetch_events(self, *, subject: str | None = None, subject_prefix: str | None = None,
                     until: str | None = None) -> list[tuple]:
        """Events in id order, as tuples in :data:`EVENT_COLUMNS` order, optionally filtered."""
        where, params = [], []
        if subject is not None:
            where.append("subject = ?")
            params.append(subject)
        if subject_prefix is not None:
            where.append("SUBSTR(subject, 1, ?) = ?")
            params.extend([len(subject_prefix), subject_prefix])
        if until is not None:
            where.append("as_of <= ?")
            params.append(until)
        sql = _SELECT + (" WHERE " + " AND ".join(where) if where else "")
        with self.connection() as conn:
            return conn.execute(sql + " ORDER BY event_id", params).fetchall()

    def fetch_latest(self, *, until: str, prefix: str, with_prefix: bool) -> list[tuple]:
        """The winning event of every (subject, field) effective on ``until`` (its highest event_id among
        events with ``as_of <= until``), for subjects that start with ``prefix`` (or, with
        ``with_prefix=False``, those that don't), in id order.

        The database picks the winners (one grouped sub-query on the (subject, field, as_of) index), so a
        state costs one row per field set, not one per event ever recorded.
        """
        kind = "=" if with_prefix else "<>"
        sql = (_SELECT + " WHERE event_id IN (SELECT MAX(event_id) FROM events WHERE as_of <= ? "
               f"AND SUBSTR(subject, 1, ?) {kind} ? GROUP BY subject, field) ORDER BY event_id")
        with self.connection() as conn:
            return conn.execute(sql, (until, len(prefix), prefix)).fetchall()

    def read_meta(self, key: str) -> str | None:
        """The value stored under ``key`` in ``register_meta`` (e.g. the demo marker), or None."""
        with self.connection() as conn:
            row = conn.execute("SELECT meta_value FROM register_meta WHERE meta_key = ?", (key,)).fetchone()
        return None if row is None else str(row[0])

    def write_meta(self, conn: sqlite3.Connection, key: str, value: str) -> None:
        """Set ``key`` in ``register_meta`` (inside the caller's transaction)."""
        conn.execute("DELETE FROM register_meta WHERE meta_key = ?", (key,))
        conn.execute("INSERT INTO register_meta (meta_key, meta_value) VALUES (?, ?)", (key, value))

    def count_events(self) -> int:
        with self.connection() as conn:
            return int(conn.execute("SELECT COUNT(*) FROM events").fetchone()[0])

    # -- backup and restore

    def backup_to(self, dest: str | os.PathLike) -> Path:
        """A consistent copy of the live database (SQLite online backup) at ``dest``."""
        dest = Path(dest)
        dest.parent.mkdir(parents=True, exist_ok=True)
        target = sqlite3.connect(dest)
        try:
            with self.connection() as conn:
                conn.backup(target)
        finally:
            target.close()
        return dest

    def restore_from(self, src: str | os.PathLike) -> int:
        """Replace the register's content with the backup ``src`` (checked first); returns its event count.

        The current content is first saved as ``<register>.bak``.
        """
        src = Path(src)
        if not src.is_file():
            raise InputError(f"{src}: no such backup file")
        try:
            source = sqlite3.connect(f"file:{src}?mode=ro", uri=True)
            try:
                names = {r[0] for r in source.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
                if not {"events", "register_meta"} <= names:
                    raise InputError(f"{src} is not a register backup (no events table); "
                                     "give a file made by `register backup`")
                count = int(source.execute("SELECT COUNT(*) FROM events").fetchone()[0])
                self.backup_to(self.path.with_name(self.path.name + ".bak"))
                with self.connection() as conn:
                    source.backup(conn)
            finally:
                source.close()
        except sqlite3.DatabaseError as exc:
            raise InputError(f"{src} is not a SQLite register backup ({exc})") from None
        return count
