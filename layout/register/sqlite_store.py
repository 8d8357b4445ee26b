"""All SQL of the project register: an append-only event table in SQLite (stdlib ``sqlite3``).

The SQL is plain and portable to PostgreSQL (``WITH RECURSIVE``, correlated sub-queries, ``LIMIT``;
no SQLite-only functions in queries), so a server database could replace this module without touching
:mod:`layout.register.events`. Practice for a file shared by several officers: one connection per operation,
WAL journal (readers never block the writer), a busy timeout (wait instead of failing) and
``BEGIN IMMEDIATE`` for every read-modify-write transaction. The schema and migrations are in
:mod:`layout.register.schema`; checking a file before a restore in :mod:`layout.register.sqlite_check`.

The time rule (schema version 2). Every event has a valid date (``as_of``: the date the information
refers to) and a recorded order (``event_id``, with its time ``recorded_at``). Events are of three kinds:
``set`` (a value, new at its date), ``confirm`` (a report of the value already in effect at its date)
and ``retract`` (points at one event, ``retracts``; the retracted event stops counting at every date).
The state of a (subject, field) at date D is the value of the non-retracted ``set``/``confirm`` event
with the greatest ``as_of`` <= D; among equal ``as_of``, the latest recorded (highest ``event_id``: ids
are assigned inside the write lock, in commit order) wins. An event may be retracted once (a unique
index), so retractions form chains E ← R1 ← R2 …: E is retracted when its chain has an odd length.
Retracting a retraction restores its target.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any

from layout.errors import InputError
from layout.register.schema import (
    COLUMNS_SQL,
    INDEXES,
    INSERT_COLUMNS,
    MIGRATIONS,
    ORDER_RECORDED,
    SCHEMA_VERSION,
    SELECT_EVENTS,
    TABLES,
    retracted_cte,
)
from layout.register.sqlite_check import check_register_file
from layout.settings import REGISTER_SLEEP_ENV, env_text

BUSY_TIMEOUT_MS = 30_000
#: Test hook: seconds to sleep inside a write transaction before COMMIT (used to kill a process mid-import).
SLEEP_ENV = REGISTER_SLEEP_ENV


STREAM_ROWS = 2000  # rows fetched at a time when streaming history


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
    kind: str = "set"
    retracts: int | None = None

    def row(self) -> tuple:
        """The values in :data:`INSERT_COLUMNS` order (the fields' own order)."""
        return tuple(getattr(self, f.name) for f in fields(self))


def insert_sql(*extra: str) -> str:
    """``INSERT INTO events`` of every column but the id (and ``extra`` columns), ``?`` placeholders."""
    columns = (*INSERT_COLUMNS, *extra)
    return f"INSERT INTO events ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})"


class RegisterStore:
    """The register's SQLite file: schema and migrations, transactions, inserts and queries."""

    def __init__(self, path: str | os.PathLike, *, create: bool = True) -> None:
        self.path = Path(path)
        if self.path.exists() and self.path.is_dir():
            raise InputError(f"register {self.path} is a folder; give a file path such as data/register.sqlite")
        if not create and not self.path.is_file():
            raise InputError(
                f"register {self.path} does not exist; check --register or LAYOUT_REGISTER (a "
                "register is created by its first report: register set or import --apply)",
                code="reg_missing",
                path=str(self.path),
            )
        #: A register this user may read but not write (a read-only file or folder): opened read-only, shown,
        #: never written (a write says so in one line).
        self.read_only = self.path.is_file() and not (
            os.access(self.path, os.W_OK) and os.access(self.path.parent, os.W_OK)
        )
        if not self.read_only:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        self.migrated_from: str | None = None  # "1" when this open migrated a version-1 file
        self.migration_backup: Path | None = None
        self._ensure_schema()

    # -- connections and transactions

    @contextlib.contextmanager
    def connection(self) -> Iterator[sqlite3.Connection]:
        """A fresh connection in autocommit mode (transactions are explicit), closed afterwards."""
        try:
            if self.read_only:  # no journal, no lock files: nothing may be written beside it either
                uri = f"{self.path.resolve().as_uri()}?mode=ro&immutable=1"
                conn = sqlite3.connect(uri, uri=True, isolation_level=None)
            else:
                conn = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None)
        except sqlite3.Error as exc:
            raise InputError(f"register {self.path} cannot be opened ({exc})") from None
        try:
            if not self.read_only:
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
        if self.read_only:
            raise InputError(
                f"register {self.path} is read-only for this user: it can be shown but not changed; "
                "ask the administrator for write access",
                code="reg_read_only",
                path=str(self.path),
            )
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

    # -- schema and migrations

    @staticmethod
    def _version(conn: sqlite3.Connection) -> str | None:
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        if "register_meta" not in tables:
            return "" if "events" in tables else None
        row = conn.execute("SELECT meta_value FROM register_meta WHERE meta_key = 'schema_version'").fetchone()
        return "" if row is None else str(row[0])

    def _ensure_schema(self) -> None:
        """Create the schema in a new file, or migrate an older one step by step (keeping a copy first)."""
        with self.connection() as conn:
            version = self._version(conn)
        if version == SCHEMA_VERSION:
            return  # nothing to write: opening a current register never takes the write lock
        if version is not None and version in MIGRATIONS:
            self.migration_backup = self.backup_to(_free_name(self.path, f".v{version}.bak"))
        with self.transaction() as conn:
            version = self._version(conn)
            if version is None:
                for statement in (*TABLES, *INDEXES):
                    conn.execute(statement)
                conn.execute(
                    "INSERT INTO register_meta (meta_key, meta_value) VALUES ('schema_version', ?)", (SCHEMA_VERSION,)
                )
                return
            start = version
            while version != SCHEMA_VERSION and version in MIGRATIONS:
                version = MIGRATIONS[version](conn)
                conn.execute("UPDATE register_meta SET meta_value = ? WHERE meta_key = 'schema_version'", (version,))
            if version != SCHEMA_VERSION:
                raise InputError(
                    f"register {self.path} has schema version {version or '(none)'}, this program "
                    f"reads version {SCHEMA_VERSION}; use a matching version of the program"
                )
            if start != version:
                self.migrated_from = start

    # -- writes (inside a transaction)

    @staticmethod
    def insert_event(conn: sqlite3.Connection, event: NewEvent) -> int:
        cur = conn.execute(insert_sql(), event.row())
        if cur.lastrowid is None:  # an INSERT always gives one
            raise sqlite3.DatabaseError("the new event got no id")
        return cur.lastrowid

    # -- reads (inside or outside a transaction)

    @staticmethod
    def effective_event(conn: sqlite3.Connection, subject: str, field: str, as_of: str) -> tuple | None:
        """The event in effect for ``subject``/``field`` at ``as_of`` (a row in :data:`EVENT_COLUMNS`
        order), or None: the non-retracted value with the latest ``as_of`` <= the date, then latest recorded."""
        return conn.execute(
            retracted_cte("AND subject = ?") + SELECT_EVENTS + " WHERE subject = ? AND field = ? AND kind <> 'retract' "
            "AND as_of <= ? AND event_id NOT IN (SELECT event_id FROM retracted) "
            f"ORDER BY {ORDER_RECORDED} LIMIT 1",
            (subject, subject, field, as_of),
        ).fetchone()

    @classmethod
    def effective_value(cls, conn: sqlite3.Connection, subject: str, field: str, as_of: str) -> tuple[bool, str | None]:
        """(found, value) of the event in effect for ``subject``/``field`` at ``as_of``."""
        row = cls.effective_event(conn, subject, field, as_of)
        return (row is not None, row[4] if row else None)

    @staticmethod
    def get_event(conn: sqlite3.Connection, event_id: int) -> tuple | None:
        return conn.execute(SELECT_EVENTS + " WHERE event_id = ?", (int(event_id),)).fetchone()

    @staticmethod
    def retraction_of(conn: sqlite3.Connection, event_id: int) -> int | None:
        """The id of the event that retracts ``event_id`` (whether or not that one was retracted in turn)."""
        row = conn.execute("SELECT event_id FROM events WHERE retracts = ?", (int(event_id),)).fetchone()
        return None if row is None else int(row[0])

    @classmethod
    def chain_top(cls, conn: sqlite3.Connection, event_id: int) -> int:
        """The last retraction in the chain above ``event_id`` (``event_id`` itself when none)."""
        top = int(event_id)
        while (above := cls.retraction_of(conn, top)) is not None:
            top = above
        return top

    @staticmethod
    def batch_siblings(
        conn: sqlite3.Connection, batch_id: str, subject: str, fields: Sequence[str], *, retractions: bool
    ) -> list[tuple]:
        """Events of one batch and subject on ``fields``: the retractions or the values, in id order."""
        marks = ", ".join("?" for _ in fields)
        kind = "=" if retractions else "<>"
        return conn.execute(
            SELECT_EVENTS + f" WHERE batch_id = ? AND subject = ? AND field IN ({marks}) "
            f"AND kind {kind} 'retract' ORDER BY event_id",
            (batch_id, subject, *fields),
        ).fetchall()

    @staticmethod
    def events_after(conn: sqlite3.Connection, subject: str, event_id: int) -> list[tuple]:
        """Every event of ``subject`` with an id above ``event_id``, in id order."""
        return conn.execute(
            SELECT_EVENTS + " WHERE subject = ? AND event_id > ? ORDER BY event_id", (subject, int(event_id))
        ).fetchall()

    @staticmethod
    def last_event(conn: sqlite3.Connection, subject: str, field: str) -> tuple | None:
        """The latest recorded event on ``subject``/``field`` (of any kind), or None."""
        return conn.execute(
            SELECT_EVENTS + " WHERE subject = ? AND field = ? ORDER BY event_id DESC LIMIT 1", (subject, field)
        ).fetchone()

    @staticmethod
    def last_event_id(conn: sqlite3.Connection, subject: str) -> int:
        row = conn.execute("SELECT MAX(event_id) FROM events WHERE subject = ?", (subject,)).fetchone()
        return int(row[0] or 0)

    @staticmethod
    def _filters(
        subject: str | None = None,
        subject_prefix: str | None = None,
        field: str | None = None,
        by: str | None = None,
        date_from: str | None = None,
        date_to: str | None = None,
        event_from: int | None = None,
    ) -> tuple[str, list]:
        where: list[str] = []
        params: list[object] = []
        if event_from is not None:
            where.append("e.event_id >= ?")
            params.append(int(event_from))
        for column, value in (("e.subject", subject), ("e.field", field), ("e.recorded_by", by)):
            if value is not None:
                where.append(f"{column} = ?")
                params.append(value)
        if subject_prefix is not None:
            where.append("SUBSTR(e.subject, 1, ?) = ?")
            params.extend([len(subject_prefix), subject_prefix])
        if date_from is not None:
            where.append("e.as_of >= ?")
            params.append(date_from)
        if date_to is not None:
            where.append("e.as_of <= ?")
            params.append(date_to)
        return (" WHERE " + " AND ".join(where) if where else ""), params

    def _events_sql(self, **filters: Any) -> tuple[str, list]:
        """The query of :meth:`iter_events` and its parameters (shared with the PostgreSQL store)."""
        where, params = self._filters(**filters)
        cols = ", ".join(f"e.{c}" for c in COLUMNS_SQL.split(", "))
        sql = (
            retracted_cte() + f"SELECT {cols}, CASE WHEN r.event_id IS NULL THEN 0 ELSE 1 END FROM events e "
            f"LEFT JOIN retracted r ON r.event_id = e.event_id{where} ORDER BY e.event_id"
        )
        return sql, params

    def iter_events(self, **filters: Any) -> Iterator[tuple]:
        """Stream events in id order (a cursor, :data:`STREAM_ROWS` at a time): rows in
        :data:`EVENT_COLUMNS` order plus ``retracted`` (1 when the event is retracted now, else 0).

        Filters (all optional, keyword): ``subject``, ``subject_prefix``, ``field``, ``by``,
        ``date_from`` and ``date_to`` (on ``as_of``, ISO dates, inclusive), ``event_from`` (an id).
        """
        sql, params = self._events_sql(**filters)
        with self.connection() as conn:
            cur = conn.execute(sql, params)
            while rows := cur.fetchmany(STREAM_ROWS):
                yield from rows

    def fetch_events(self, **filters: Any) -> list[tuple]:
        """Every event matching ``filters`` (see :meth:`iter_events`) as a list."""
        return list(self.iter_events(**filters))

    def fetch_state(self, *, until: str, prefix: str, with_prefix: bool) -> list[tuple]:
        """The winning event of every (subject, field) at ``until``, for subjects that start with
        ``prefix`` (or, with ``with_prefix=False``, those that don't), in id order.

        The winner is the non-retracted ``set``/``confirm`` event with the latest ``as_of`` <= ``until``;
        among equal ``as_of`` the latest recorded (highest ``event_id``). One index seek per
        (subject, field) on ``(subject, field, as_of)``: 1,080 fields of a 1 M-event register in ~0.1 s.
        """
        kind = "=" if with_prefix else "<>"
        winner = (
            "SELECT e.event_id FROM events e WHERE e.subject = p.subject AND e.field = p.field "
            "AND e.kind <> 'retract' AND e.as_of <= ? AND e.event_id NOT IN (SELECT event_id FROM retracted) "
            f"ORDER BY {ORDER_RECORDED} LIMIT 1"
        )
        sql = (
            retracted_cte() + f"{SELECT_EVENTS} WHERE event_id IN (SELECT ({winner}) FROM (SELECT DISTINCT subject, "
            f"field FROM events WHERE SUBSTR(subject, 1, ?) {kind} ?) p) ORDER BY event_id"
        )
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

    def restore_from(self, src: str | os.PathLike, *, check_row: Callable[[dict], str | None] | None = None) -> int:
        """Replace the register's content with the backup ``src``; return its event count.

        ``src`` is copied to a temporary file and the copy checked in full (:func:`check_register_file`)
        before the live register is touched; then the live register is kept as ``<register>.bak`` (or
        ``.bak.1``, ``.bak.2`` … — an existing backup is never overwritten) and the copy takes its place.
        Restoring from the register's own ``.bak`` works. A version-1 backup is migrated.

        Raises
        ------
        InputError
            Naming what is wrong with ``src``; the live register is then unchanged.
        """
        src = Path(src)
        if not src.is_file():
            raise InputError(f"{src}: no such backup file")
        tmp = _free_name(self.path, ".restoring")
        try:
            copy_backup(src, tmp)
            count = check_register_file(tmp, name=str(src), check_row=check_row)
            self.backup_to(_free_name(self.path, ".bak"))
            copy = sqlite3.connect(tmp)
            try:
                with self.connection() as conn:
                    copy.backup(conn)
            finally:
                copy.close()
        finally:
            for leftover in (tmp, tmp.with_name(tmp.name + "-wal"), tmp.with_name(tmp.name + "-shm")):
                leftover.unlink(missing_ok=True)
        self._ensure_schema()
        return count


def copy_backup(src: Path, dest: Path) -> None:
    """Copy the SQLite backup ``src`` into the plain file ``dest`` (no WAL while it is checked).

    Raises
    ------
    InputError
        When ``src`` is not a SQLite database.
    """
    try:
        source = sqlite3.connect(f"file:{src}?mode=ro", uri=True)
        target = sqlite3.connect(dest)
        try:
            source.backup(target)
            target.execute("PRAGMA journal_mode = DELETE")
        finally:
            target.close()
            source.close()
    except sqlite3.DatabaseError as exc:
        raise InputError(
            f"{src} is not a SQLite register backup ({exc}); give a file made by `register backup`"
        ) from None


def _free_name(path: Path, suffix: str) -> Path:
    """``<path><suffix>``, or with ``.1``, ``.2`` … added: a name no file has yet."""
    candidate = path.with_name(path.name + suffix)
    n = 0
    while candidate.exists():
        n += 1
        candidate = path.with_name(f"{path.name}{suffix}.{n}")
    return candidate
