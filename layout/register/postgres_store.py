"""The project register in PostgreSQL + PostGIS: the same events and queries as the SQLite store.

Chosen when the register location is a ``postgresql://`` URL (``LAYOUT_REGISTER`` or ``--register``).
:class:`PgRegisterStore` inherits every query of :class:`layout.register.sqlite_store.RegisterStore` (plain SQL
with ``?`` placeholders); everything that differs between the two databases is in this module:

- placeholders: ``?`` becomes ``%s`` (:class:`_Conn`);
- the schema: an identity column instead of ``AUTOINCREMENT``; every event also records the database
  login (``db_user``, filled by the server) and the OS user of the app process (``os_user``);
- writers are serialised like SQLite's ``BEGIN IMMEDIATE``: each write transaction first takes one
  transaction-level advisory lock, so ids follow commit order and "previous" is read under the lock;
- sites for GIS: the view ``project_state_now`` gives the state today per project with its site as a
  PostGIS point in EPSG:4326 (WGS84 longitude/latitude, the values the register stores);
- backup and restore go to and from a SQLite register file (the portable format of ``register backup``);
  ``pg_dump`` is the bureau IT's tool for the whole database.

Connections come from one ``psycopg_pool.ConnectionPool`` per URL and process (the app reuses them).
"""

from __future__ import annotations

import atexit
import contextlib
import getpass
import os
import threading
import time
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit, urlunsplit

from layout.errors import InputError
from layout.settings import env_text

if TYPE_CHECKING:
    from psycopg_pool import ConnectionPool
from layout.register.schema import ORDER_RECORDED, SCHEMA_VERSION, retracted_cte, schema_ddl
from layout.register.sqlite_store import SLEEP_ENV, STREAM_ROWS, NewEvent, RegisterStore, insert_sql

__all__ = [
    "APP_NAME",
    "PgRegisterStore",
    "SRID",
    "WRITE_LOCK_KEY",
    "close_pools",
    "display_url",
    "is_server_url",
    "to_pg",
]

URL_SCHEMES = ("postgresql://", "postgres://")
SRID = 4326  # sites are WGS84 longitude/latitude
WRITE_LOCK_KEY = 0x59594C52  # "YYLR": the advisory lock every write transaction takes first
POOL_MAX = 8
CONNECT_TIMEOUT = 15  # seconds
APP_NAME = "yiyang-register"  # application_name of every connection (pg_stat_activity)

_SCHEMA = (
    *schema_ddl("postgres"),
    # The state today per project under the register's rule (as RegisterStore.fetch_state: per field the
    # non-retracted set/confirm event with the latest as_of <= today, then latest recorded), its site
    # as a point, for QGIS and SQL users.
    retracted_cte()
    + f""", win AS (
        SELECT DISTINCT ON (subject, field) event_id, subject, field, value, as_of, recorded_at, recorded_by
        FROM events
        WHERE kind <> 'retract' AND as_of <= to_char(current_date, 'YYYY-MM-DD')
            AND subject NOT LIKE 'indicator:%' AND event_id NOT IN (SELECT event_id FROM retracted)
        ORDER BY subject, field, {ORDER_RECORDED}
    ), wide AS (
        SELECT subject,
            MAX(value) FILTER (WHERE field = 'status') AS status,
            MAX(value) FILTER (WHERE field = 'progress') AS progress,
            MAX(value) FILTER (WHERE field = 'invest_planned') AS invest_planned,
            MAX(value) FILTER (WHERE field = 'invest_done') AS invest_done,
            MAX(value) FILTER (WHERE field = 'start_year') AS start_year,
            MAX(value) FILTER (WHERE field = 'finish_year') AS finish_year,
            MAX(value) FILTER (WHERE field = 'lead_unit') AS lead_unit,
            MAX(value) FILTER (WHERE field = 'note') AS note,
            MAX(value) FILTER (WHERE field = 'site_lon') AS site_lon,
            MAX(value) FILTER (WHERE field = 'site_lat') AS site_lat,
            MAX(value) FILTER (WHERE field = 'site_source') AS site_source,
            (ARRAY_AGG(as_of ORDER BY {ORDER_RECORDED}))[1] AS last_as_of,
            (ARRAY_AGG(recorded_by ORDER BY {ORDER_RECORDED}))[1] AS last_by
        FROM win GROUP BY subject
    )
    SELECT subject AS project_id, status, progress::double precision AS progress,
        invest_planned::double precision AS invest_planned, invest_done::double precision AS invest_done,
        start_year::double precision AS start_year, finish_year::double precision AS finish_year,
        lead_unit, note, site_source, last_as_of, last_by,
        CASE WHEN site_lon IS NOT NULL AND site_lat IS NOT NULL
             THEN ST_SetSRID(ST_MakePoint(site_lon::double precision, site_lat::double precision), {SRID})
        END::geometry(Point, {SRID}) AS geom
    FROM wide""",
)
_VIEW = "CREATE OR REPLACE VIEW project_state_now AS "


def is_server_url(location: object) -> bool:
    """True when ``location`` names a PostgreSQL register (``postgresql://…``), not a SQLite file."""
    return isinstance(location, str) and location.strip().lower().startswith(URL_SCHEMES)


def display_url(url: str) -> str:
    """``url`` without its password, for messages and logs."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    netloc = parts.netloc.rsplit("@", 1)
    user = netloc[0].split(":", 1)[0]
    return urlunsplit(parts._replace(netloc=f"{user}:***@{netloc[1]}"))


class _Conn:
    """A psycopg connection that accepts the shared SQL (``?`` placeholders, ``%`` literals)."""

    def __init__(self, raw) -> None:
        self.raw = raw

    def execute(self, sql: str, params: Sequence[object] = ()):
        return self.raw.execute(to_pg(sql), tuple(params))

    def executemany(self, sql: str, rows) -> None:
        with self.raw.cursor() as cur:
            cur.executemany(to_pg(sql), rows)


def to_pg(sql: str) -> str:
    """The shared SQL in psycopg's form: ``%`` escaped, ``?`` placeholders as ``%s``."""
    return sql.replace("%", "%%").replace("?", "%s")


_pools: dict[str, ConnectionPool] = {}
_pools_lock = threading.Lock()


def _pool(url: str):
    import psycopg
    from psycopg_pool import ConnectionPool

    with _pools_lock:
        pool = _pools.get(url)
        if pool is None:
            psycopg.connect(url, connect_timeout=CONNECT_TIMEOUT).close()  # fail now, not after the pool's wait
            # check=: a connection broken by a server restart is replaced, not handed out
            pool = ConnectionPool(
                url,
                min_size=1,
                max_size=POOL_MAX,
                open=False,
                timeout=CONNECT_TIMEOUT,
                check=ConnectionPool.check_connection,
                kwargs={"autocommit": True, "application_name": APP_NAME},
            )
            pool.open(wait=False)
            _pools[url] = pool
        return pool


@atexit.register
def close_pools() -> None:
    """Close every pool of this process (at exit; tests call it before stopping a server)."""
    with _pools_lock:
        pools = list(_pools.values())
        _pools.clear()
    for pool in pools:
        with contextlib.suppress(Exception):
            pool.close(timeout=5)


class PgRegisterStore(RegisterStore):
    """The register in a PostgreSQL database (PostGIS enabled): same methods as :class:`RegisterStore`."""

    def __init__(self, url: str, *, create: bool = True) -> None:
        try:
            import psycopg  # noqa: F401
            import psycopg_pool  # noqa: F401
        except ImportError:
            raise InputError(
                "a postgresql:// register needs psycopg 3: pip install 'psycopg[binary]' psycopg_pool"
            ) from None
        self.url = url.strip()
        self.path = None  # type: ignore[assignment]  # no file: Register.path is None for a server register
        self.location = display_url(self.url)
        self.os_user = _os_user()
        self.migrated_from: str | None = None  # (SQLite files migrate on open; a server starts at this version)
        self.migration_backup: Path | None = None
        with self.connection() as conn:
            self._create_schema(conn, create=create)

    # -- connections and transactions

    @contextlib.contextmanager
    def connection(self) -> Iterator[_Conn]:  # type: ignore[override]  # _Conn: the sqlite3 calls used
        """A pooled connection in autocommit mode (transactions are explicit)."""
        import psycopg
        import psycopg_pool

        try:
            with _pool(self.url).connection() as raw:
                try:
                    yield _Conn(raw)
                except psycopg.errors.InsufficientPrivilege as exc:
                    raise InputError(
                        f"register {self.location}: the database user may not do this "
                        f"({exc.diag.message_primary}); writing needs the writer role, see "
                        "docs/postgresql.md"
                    ) from None
                except (psycopg.DataError, psycopg.IntegrityError, psycopg.ProgrammingError) as exc:
                    raise InputError(
                        f"register {self.location}: the database refused the change "
                        f"({exc.diag.message_primary or type(exc).__name__}); nothing was written"
                    ) from None
        except (psycopg.OperationalError, psycopg_pool.PoolTimeout) as exc:
            raise InputError(
                f"register {self.location} cannot be reached ({str(exc).strip()}); check the URL "
                "and that the server runs"
            ) from None

    @contextlib.contextmanager
    def transaction(self) -> Iterator[_Conn]:  # type: ignore[override]
        """A write transaction that first takes the register's write lock (as SQLite's ``BEGIN IMMEDIATE``)."""
        with self.connection() as conn, conn.raw.transaction():
            conn.execute("SELECT pg_advisory_xact_lock(?)", (WRITE_LOCK_KEY,))
            yield conn
            if delay := env_text(SLEEP_ENV):
                time.sleep(float(delay))

    def _create_schema(self, conn: _Conn, *, create: bool = True) -> None:
        row = conn.execute(
            "SELECT to_regclass('register_meta') IS NOT NULL, to_regclass('spatial_ref_sys') IS NOT NULL"
        ).fetchone()
        has_register, has_postgis = bool(row[0]), bool(row[1])
        if not has_register and not create:
            raise InputError(
                f"register {self.location} has no register tables yet; they are created by the "
                "first report (register set or import --apply) as the database owner",
                code="reg_missing_server",
                path=self.location,
            )
        if not has_register:
            if not has_postgis:
                raise InputError(
                    f"register {self.location}: PostGIS is not enabled in this database; as its "
                    "owner run CREATE EXTENSION postgis; (see docs/postgresql.md)"
                )
            with conn.raw.transaction():
                conn.execute("SELECT pg_advisory_xact_lock(?)", (WRITE_LOCK_KEY,))
                for statement in _SCHEMA[:-1]:
                    conn.raw.execute(statement)
                conn.raw.execute(_VIEW + _SCHEMA[-1])
                conn.execute(
                    "INSERT INTO register_meta (meta_key, meta_value) VALUES ('schema_version', ?) "
                    "ON CONFLICT (meta_key) DO NOTHING",
                    (SCHEMA_VERSION,),
                )
        version = conn.execute("SELECT meta_value FROM register_meta WHERE meta_key = 'schema_version'").fetchone()
        if version is None or version[0] != SCHEMA_VERSION:
            raise InputError(
                f"register {self.location} has schema version {version and version[0]}, this "
                f"program reads version {SCHEMA_VERSION}; use a matching version of the program"
            )

    # -- writes (inside a transaction)

    def insert_event(self, conn: _Conn, event: NewEvent) -> int:  # type: ignore[override]
        row = conn.execute(insert_sql("os_user") + " RETURNING event_id", (*event.row(), self.os_user)).fetchone()
        return int(row[0])

    def write_meta(self, conn: _Conn, key: str, value: str) -> None:  # type: ignore[override]
        conn.execute(
            "INSERT INTO register_meta (meta_key, meta_value) VALUES (?, ?) "
            "ON CONFLICT (meta_key) DO UPDATE SET meta_value = EXCLUDED.meta_value",
            (key, value),
        )

    # -- reads

    def iter_events(self, **filters: Any) -> Iterator[tuple]:
        """As :meth:`RegisterStore.iter_events`, through a server-side cursor: constant memory."""
        sql, params = self._events_sql(**filters)
        with self.connection() as conn, conn.raw.transaction(), conn.raw.cursor(name="register_history") as cur:
            cur.execute(to_pg(sql), tuple(params))
            while rows := cur.fetchmany(STREAM_ROWS):
                yield from rows

    # -- whole-register copies (migrate, backup, restore)

    def after_copy(self, conn: _Conn) -> None:
        """After events were copied in with their own ids: move the id sequence past the highest."""
        conn.execute(
            "SELECT setval(pg_get_serial_sequence('events', 'event_id'), "
            "GREATEST((SELECT MAX(event_id) FROM events), 1), (SELECT COUNT(*) > 0 FROM events))"
        )

    @contextlib.contextmanager
    def snapshot(self) -> Iterator[_Conn]:
        """A read-only transaction that sees one consistent state of the whole register."""
        with self.connection() as conn, conn.raw.transaction():
            conn.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            yield conn

    def backup_to(self, dest: str | os.PathLike) -> Path:
        """A consistent copy (one snapshot) as a SQLite register file at ``dest``."""
        from layout.register.copy import copy_events

        dest = Path(dest)
        dest.parent.mkdir(parents=True, exist_ok=True)
        if dest.exists():
            dest.unlink()
        copy_events(self, RegisterStore(dest))
        return dest

    def restore_from(self, src: str | os.PathLike, *, check_row=None) -> int:
        """Replace the register's content with the SQLite backup ``src``, checked in full first (as for a
        SQLite register, ``check_row`` checks each event's values), in one transaction; the current
        content is first saved beside ``src`` (:attr:`saved_copy`). Returns the restored event count."""
        from layout.register.copy import checked_backup, copy_events

        src = Path(src)
        with checked_backup(src, check_row=check_row) as source:
            self.saved_copy = self.backup_to(src.with_name(f"{src.stem}.before-restore-{int(time.time())}.sqlite"))
            return copy_events(source, self, replace=True)


def _os_user() -> str:
    try:
        return getpass.getuser()[:128]
    except (KeyError, OSError):
        return f"uid {os.getuid()}" if hasattr(os, "getuid") else ""
