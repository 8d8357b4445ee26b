"""All SQL of the project register: an append-only event table in SQLite (stdlib ``sqlite3``).

The SQL is plain and portable to PostgreSQL (``WITH RECURSIVE``, correlated sub-queries, ``LIMIT``;
no SQLite-only functions in queries), so a server database could replace this module without touching
:mod:`layout.register.events`. Practice for a file shared by several officers: one connection per operation,
WAL journal (readers never block the writer), a busy timeout (wait instead of failing) and
``BEGIN IMMEDIATE`` for every read-modify-write transaction.

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
import datetime as dt
import os
import sqlite3
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from layout.errors import InputError
from layout.settings import REGISTER_SLEEP_ENV, env_text

SCHEMA_VERSION = "2"
BUSY_TIMEOUT_MS = 30_000
#: Test hook: seconds to sleep inside a write transaction before COMMIT (used to kill a process mid-import).
SLEEP_ENV = REGISTER_SLEEP_ENV
EVENT_COLUMNS = (
    "event_id",
    "batch_id",
    "subject",
    "field",
    "value",
    "previous",
    "by",
    "recorded_at",
    "as_of",
    "source",
    "kind",
    "retracts",
)
KINDS = ("set", "confirm", "retract")
STREAM_ROWS = 2000  # rows fetched at a time when streaming history

_TABLES = (
    """CREATE TABLE register_meta (
        meta_key VARCHAR(64) PRIMARY KEY,
        meta_value VARCHAR(255) NOT NULL
    )""",
    """CREATE TABLE events (
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
        kind VARCHAR(8) NOT NULL DEFAULT 'set',
        retracts INTEGER
    )""",
)
_INDEXES = (
    "CREATE INDEX events_subject_field ON events (subject, field, as_of)",
    "CREATE UNIQUE INDEX events_retracts ON events (retracts)",
)
_COLS = "event_id, batch_id, subject, field, value, previous, recorded_by, recorded_at, as_of, source, kind, retracts"
_SELECT = f"SELECT {_COLS} FROM events"
#: Latest valid date first, then the latest recorded: ids are assigned inside the write lock, in commit
#: order (``recorded_at`` is taken inside the same lock, so the two agree; the id never steps back).
_ORDER_RECORDED = "as_of DESC, event_id DESC"


def _retracted_cte(subject_filter: str = "") -> str:
    """``WITH RECURSIVE`` chains of retractions and ``retracted(event_id)``: the events retracted now.

    ``chain(target, top, depth)``: every retraction above ``target``; ``target`` is retracted when the
    longest chain above it is odd (E ← R1: retracted; E ← R1 ← R2: R1 retracted, E counts again).
    ``subject_filter`` (e.g. ``AND subject = ?``) limits the chains to one subject's retractions.
    """
    return (
        "WITH RECURSIVE chain(target, top_id, depth) AS ("
        f"SELECT retracts, event_id, 1 FROM events WHERE retracts IS NOT NULL {subject_filter} "
        "UNION ALL SELECT c.target, r.event_id, c.depth + 1 FROM chain c JOIN events r ON r.retracts = c.top_id"
        "), retracted(event_id) AS (SELECT target FROM chain GROUP BY target HAVING MAX(depth) % 2 = 1) "
    )


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
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.migrated_from: str | None = None  # "1" when this open migrated a version-1 file
        self.migration_backup: Path | None = None
        self._ensure_schema()

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
                for statement in (*_TABLES, *_INDEXES):
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
        cur = conn.execute(
            "INSERT INTO events (batch_id, subject, field, value, previous, recorded_by, recorded_at, as_of, "
            "source, kind, retracts) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                event.batch_id,
                event.subject,
                event.field,
                event.value,
                event.previous,
                event.by,
                event.recorded_at,
                event.as_of,
                event.source,
                event.kind,
                event.retracts,
            ),
        )
        return int(cur.lastrowid)

    # -- reads (inside or outside a transaction)

    @staticmethod
    def effective_event(conn: sqlite3.Connection, subject: str, field: str, as_of: str) -> tuple | None:
        """The event in effect for ``subject``/``field`` at ``as_of`` (a row in :data:`EVENT_COLUMNS`
        order), or None: the non-retracted value with the latest ``as_of`` <= the date, then latest recorded."""
        return conn.execute(
            _retracted_cte("AND subject = ?") + _SELECT + " WHERE subject = ? AND field = ? AND kind <> 'retract' "
            "AND as_of <= ? AND event_id NOT IN (SELECT event_id FROM retracted) "
            f"ORDER BY {_ORDER_RECORDED} LIMIT 1",
            (subject, subject, field, as_of),
        ).fetchone()

    @classmethod
    def effective_value(cls, conn: sqlite3.Connection, subject: str, field: str, as_of: str) -> tuple[bool, str | None]:
        """(found, value) of the event in effect for ``subject``/``field`` at ``as_of``."""
        row = cls.effective_event(conn, subject, field, as_of)
        return (row is not None, row[4] if row else None)

    @staticmethod
    def get_event(conn: sqlite3.Connection, event_id: int) -> tuple | None:
        return conn.execute(_SELECT + " WHERE event_id = ?", (int(event_id),)).fetchone()

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
            _SELECT + f" WHERE batch_id = ? AND subject = ? AND field IN ({marks}) "
            f"AND kind {kind} 'retract' ORDER BY event_id",
            (batch_id, subject, *fields),
        ).fetchall()

    @staticmethod
    def events_after(conn: sqlite3.Connection, subject: str, event_id: int) -> list[tuple]:
        """Every event of ``subject`` with an id above ``event_id``, in id order."""
        return conn.execute(
            _SELECT + " WHERE subject = ? AND event_id > ? ORDER BY event_id", (subject, int(event_id))
        ).fetchall()

    @staticmethod
    def last_event(conn: sqlite3.Connection, subject: str, field: str) -> tuple | None:
        """The latest recorded event on ``subject``/``field`` (of any kind), or None."""
        return conn.execute(
            _SELECT + " WHERE subject = ? AND field = ? ORDER BY event_id DESC LIMIT 1", (subject, field)
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
        where, params = [], []
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

    def _events_sql(self, **filters: str | None) -> tuple[str, list]:
        """The query of :meth:`iter_events` and its parameters (shared with the PostgreSQL store)."""
        where, params = self._filters(**filters)
        cols = ", ".join(f"e.{c}" for c in _COLS.split(", "))
        sql = (
            _retracted_cte() + f"SELECT {cols}, CASE WHEN r.event_id IS NULL THEN 0 ELSE 1 END FROM events e "
            f"LEFT JOIN retracted r ON r.event_id = e.event_id{where} ORDER BY e.event_id"
        )
        return sql, params

    def iter_events(self, **filters: str | None) -> Iterator[tuple]:
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

    def fetch_events(self, **filters: str | None) -> list[tuple]:
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
            f"ORDER BY {_ORDER_RECORDED} LIMIT 1"
        )
        sql = (
            _retracted_cte() + f"{_SELECT} WHERE event_id IN (SELECT ({winner}) FROM (SELECT DISTINCT subject, "
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
            try:
                source = sqlite3.connect(f"file:{src}?mode=ro", uri=True)
                target = sqlite3.connect(tmp)
                try:
                    source.backup(target)
                    target.execute("PRAGMA journal_mode = DELETE")  # one plain file while it is checked
                finally:
                    target.close()
                    source.close()
            except sqlite3.DatabaseError as exc:
                raise InputError(
                    f"{src} is not a SQLite register backup ({exc}); give a file made by `register backup`"
                ) from None
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


#: The objects of a register file, by schema version: (type, name). Anything else is refused on restore.
_OBJECTS = {
    "1": {
        ("table", "register_meta"),
        ("table", "events"),
        ("table", "sqlite_sequence"),
        ("index", "events_subject_field"),
        ("index", "sqlite_autoindex_register_meta_1"),
    },
    "2": {
        ("table", "register_meta"),
        ("table", "events"),
        ("table", "sqlite_sequence"),
        ("index", "events_subject_field"),
        ("index", "events_retracts"),
        ("index", "sqlite_autoindex_register_meta_1"),
    },
}
_V1_COLUMNS = (
    "event_id",
    "batch_id",
    "subject",
    "field",
    "value",
    "previous",
    "recorded_by",
    "recorded_at",
    "as_of",
    "source",
    "undoes",
)
_COLUMNS = {"1": _V1_COLUMNS, "2": tuple(_COLS.split(", "))}


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
            if version not in _OBJECTS:
                raise InputError(
                    f"{name} has schema version {version or '(none)'}; this program reads versions "
                    f"{', '.join(_OBJECTS)}"
                )
            extra = sorted(f"{t} {n}" for t, n in objects - _OBJECTS[version] if (t, n) != ("table", "sqlite_stat1"))
            missing = sorted(f"{t} {n}" for t, n in _OBJECTS[version] - objects if n != "sqlite_sequence")
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
            if columns != _COLUMNS[version]:
                raise InputError(
                    f"{name}: the events table has columns {', '.join(columns)}, expected "
                    f"{', '.join(_COLUMNS[version])}"
                )
            return _check_rows(con, name, version, check_row)
        except sqlite3.DatabaseError as exc:
            raise InputError(f"{name} is not a usable register ({exc}); use another backup") from None
    finally:
        con.close()


def _check_rows(
    con: sqlite3.Connection, name: str, version: str, check_row: Callable[[dict], str | None] | None
) -> int:
    cols = _COLUMNS[version]
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


# --------------------------------------------------------------------------------------------
# Migrations: MIGRATIONS[v](conn) turns schema version v into the next one, inside one transaction.


def _migrate_1_to_2(conn: sqlite3.Connection) -> str:
    """Version 1 → 2: event kinds; an old undo (``undoes`` set, value = what it restored) becomes a
    retraction of its target. Every event and every value is kept.

    Version 1 could undo an event again after its undo had been undone, giving one event two undos;
    version 2 allows one retraction per event (chains). Such a later undo is re-pointed at the end of
    the chain above its target — the state it gives is the same — and its source notes the original
    target (``[v1: undid event N]``).
    """
    conn.execute("ALTER TABLE events ADD COLUMN kind VARCHAR(8) NOT NULL DEFAULT 'set'")
    conn.execute("ALTER TABLE events RENAME COLUMN undoes TO retracts")
    conn.execute("UPDATE events SET kind = 'retract' WHERE retracts IS NOT NULL")
    above: dict[int, int] = {}  # event id -> the retraction pointing at it
    rows = conn.execute("SELECT event_id, retracts FROM events WHERE retracts IS NOT NULL ORDER BY event_id")
    for event_id, target in rows.fetchall():
        top = int(target)
        while top in above:
            top = above[top]
        if top != target:
            conn.execute(
                "UPDATE events SET retracts = ?, source = source || ? WHERE event_id = ?",
                (top, f" [v1: undid event {target}]", event_id),
            )
        above[top] = int(event_id)
    for statement in _INDEXES[1:]:
        conn.execute(statement)
    return "2"


MIGRATIONS = {"1": _migrate_1_to_2}


def _free_name(path: Path, suffix: str) -> Path:
    """``<path><suffix>``, or with ``.1``, ``.2`` … added: a name no file has yet."""
    candidate = path.with_name(path.name + suffix)
    n = 0
    while candidate.exists():
        n += 1
        candidate = path.with_name(f"{path.name}{suffix}.{n}")
    return candidate
