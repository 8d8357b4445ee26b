"""The register's schema and the SQL both stores share: the event table's columns and kinds, the
tables and indexes by schema version, the retraction chains (``WITH RECURSIVE``), the objects a register
file may hold, and the numbered migrations (``MIGRATIONS[v](conn)`` turns version v into the next, inside
one transaction). The time rule is described in :mod:`layout.register.sqlite_store`.
"""

from __future__ import annotations

import sqlite3

SCHEMA_VERSION = "2"


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


TABLES = (
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
INDEXES = (
    "CREATE INDEX events_subject_field ON events (subject, field, as_of)",
    "CREATE UNIQUE INDEX events_retracts ON events (retracts)",
)
COLUMNS_SQL = (
    "event_id, batch_id, subject, field, value, previous, recorded_by, recorded_at, as_of, source, kind, retracts"
)
SELECT_EVENTS = f"SELECT {COLUMNS_SQL} FROM events"
#: Latest valid date first, then the latest recorded: ids are assigned inside the write lock, in commit
#: order (``recorded_at`` is taken inside the same lock, so the two agree; the id never steps back).
ORDER_RECORDED = "as_of DESC, event_id DESC"


def retracted_cte(subject_filter: str = "") -> str:
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


#: The objects of a register file, by schema version: (type, name). Anything else is refused on restore.
FILE_OBJECTS = {
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
V1_COLUMNS = (
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
FILE_COLUMNS = {"1": V1_COLUMNS, "2": tuple(COLUMNS_SQL.split(", "))}

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
    for statement in INDEXES[1:]:
        conn.execute(statement)
    return "2"


MIGRATIONS = {"1": _migrate_1_to_2}
