"""A throwaway PostgreSQL 15 + PostGIS cluster for tests: initdb + pg_ctl in a temp folder on a free port.

Debian's server binaries (packages ``postgresql`` and ``postgresql-15-postgis-3``, installed by
``.ci/run``; another version: set ``LAYOUT_PG_BIN`` and ``LAYOUT_PG_SHARE``) are required: without them
:func:`start_server` fails with a message saying what to install; it never skips. ``initdb`` refuses to
run as root, so as root the cluster runs as the ``postgres`` OS user (``runuser``).
"""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

PG_BIN = Path(os.environ.get("LAYOUT_PG_BIN", "/usr/lib/postgresql/15/bin"))
POSTGIS_CONTROL = Path(os.environ.get("LAYOUT_PG_SHARE", "/usr/share/postgresql/15")) / "extension" / "postgis.control"
SUPERUSER = "postgres"


@dataclass(frozen=True)
class PgServer:
    """A running cluster: its port and data folder; :meth:`url` names a database on it."""

    port: int
    data_dir: Path

    def url(self, dbname: str = "postgres", user: str = SUPERUSER) -> str:
        return f"postgresql://{user}@127.0.0.1:{self.port}/{dbname}"

    def create_database(self, name: str) -> str:
        """A new empty database with PostGIS enabled; returns its URL (as the superuser).

        The first call makes a template database with PostGIS; later ones copy it (~50 ms each).
        """
        import psycopg

        with psycopg.connect(self.url(), autocommit=True) as conn:
            if conn.execute("SELECT 1 FROM pg_database WHERE datname = 'layout_template'").fetchone() is None:
                conn.execute("CREATE DATABASE layout_template")
                with psycopg.connect(self.url("layout_template"), autocommit=True) as tmpl:
                    tmpl.execute("CREATE EXTENSION postgis")
            conn.execute(f'CREATE DATABASE "{name}" TEMPLATE layout_template')
        return self.url(name)

    def restart(self) -> None:
        """Stop the server at once (like a crash: ``-m immediate``) and start it again."""
        _pg_ctl(self.data_dir, "-m", "immediate", "stop")
        _start(self.data_dir, self.port)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _as_owner(args: list[str]) -> list[str]:
    return ["runuser", "-u", SUPERUSER, "--", *args] if os.geteuid() == 0 else args


def _pg_ctl(data_dir: Path, *args: str) -> None:
    subprocess.run(
        _as_owner([str(PG_BIN / "pg_ctl"), "-D", str(data_dir), *args]), check=True, capture_output=True, timeout=120
    )


def _start(data_dir: Path, port: int) -> None:
    opts = f"-p {port} -k {data_dir} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=100"
    try:
        _pg_ctl(data_dir, "-o", opts, "-l", str(data_dir / "log"), "-w", "start")
    except subprocess.CalledProcessError as exc:
        log = (data_dir / "log").read_text(errors="replace")[-2000:] if (data_dir / "log").exists() else ""
        raise RuntimeError(f"pg_ctl start failed: {exc.stderr.decode(errors='replace')}\n{log}") from None


@contextlib.contextmanager
def start_server() -> Iterator[PgServer]:
    """Start a cluster in a fresh temp folder; stop it (``-m immediate``) and delete the folder afterwards."""
    missing = [str(p) for p in (PG_BIN / "initdb", PG_BIN / "pg_ctl", POSTGIS_CONTROL) if not p.exists()]
    if missing:
        raise RuntimeError(
            "PostgreSQL 15 + PostGIS are needed for the register tests, missing: "
            f"{', '.join(missing)}; install them with `apt-get install postgresql "
            "postgresql-15-postgis-3` (.ci/run does)"
        )
    root = Path(tempfile.mkdtemp(prefix="layout-pg-"))
    data_dir = root / "data"
    data_dir.mkdir()
    if os.geteuid() == 0:
        shutil.chown(root, SUPERUSER)
        shutil.chown(data_dir, SUPERUSER)
    subprocess.run(
        _as_owner(
            [
                str(PG_BIN / "initdb"),
                "-D",
                str(data_dir),
                "-U",
                SUPERUSER,
                "--auth=trust",
                "-E",
                "UTF8",
                "--locale=C.UTF-8",
            ]
        ),
        check=True,
        capture_output=True,
        timeout=300,
    )
    port = _free_port()
    _start(data_dir, port)
    try:
        yield PgServer(port=port, data_dir=data_dir)
    finally:
        with contextlib.suppress(subprocess.SubprocessError):
            _pg_ctl(data_dir, "-m", "immediate", "stop")
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":  # a local server for trying the PostgreSQL register by hand
    import signal
    import sys
    import time

    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))  # `kill PID` also stops and deletes the cluster
    with start_server() as server:
        url = server.create_database("register")
        print(f"LAYOUT_REGISTER={url}   (Ctrl-C stops and deletes the cluster)", flush=True)
        with contextlib.suppress(KeyboardInterrupt):
            while True:
                time.sleep(3600)
