"""Shared fixtures. Tests run on the committed geodata and catalog: no mocks of our own data."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from layout.plan.text import PLAN_FILE, squash

ROOT = Path(__file__).resolve().parent.parent
# Built nearest grids are cached between runs; the tests start from an empty cache, as on a new machine.
os.environ["LAYOUT_CACHE_DIR"] = tempfile.mkdtemp(prefix="layout-cache-")


@pytest.fixture(scope="session")
def plan_text() -> str:
    """The plan, with all whitespace removed (quotes are checked verbatim modulo whitespace)."""
    return squash(PLAN_FILE.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def catalog():
    """The committed catalog (``load_catalog()``); one copy per test module, so a module cannot change another's."""
    from layout.catalog.projects import load_catalog

    return load_catalog()


def _invoke(*args: object, code: int | None = 0) -> Result:
    from layout.cli.main import main  # imported when used: the whole CLI is not every test's business

    result = CliRunner().invoke(main, [str(a) for a in args])
    crashed = result.exception is not None and not isinstance(result.exception, SystemExit)
    if crashed:  # CliRunner catches it; `python -m layout` would have printed a traceback
        raise AssertionError(f"uncaught {type(result.exception).__name__}: {result.output}") from result.exception
    if code is not None:
        assert result.exit_code == code, result.output
    return result


@pytest.fixture(scope="session")
def cli() -> Callable[..., Result]:
    """``cli(*args, code=0)``: ``python -m layout ARGS`` in this process (click's CliRunner).

    Fails the test on an exception the CLI did not turn into a message (a user would see a traceback),
    and unless ``code`` is None, on an exit code other than ``code``. ``.output`` holds stdout and stderr.
    """
    return _invoke


def _run_layout(
    *args: object, cwd: str | os.PathLike | None = None, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess:
    environ = {**os.environ, "PYTHONPATH": str(ROOT), **(env or {})}  # this checkout's package from any folder
    command = [sys.executable, "-m", "layout", *map(str, args)]
    return subprocess.run(command, capture_output=True, text=True, cwd=cwd, env=environ, timeout=300)


@pytest.fixture(scope="session")
def run_layout() -> Callable[..., subprocess.CompletedProcess]:
    """``run_layout(*args, cwd=None, env=None)``: ``python -m layout ARGS`` in a new process, as a user runs it
    (real stdout/stderr, exit code, and any traceback); this checkout's package whatever ``cwd``."""
    return _run_layout


def _run_layout_measured(*args: object, cwd: str | os.PathLike) -> tuple[subprocess.CompletedProcess, float, float]:
    peak_file = Path(cwd) / "peak.txt"
    # VmHWM: this program's own peak (ru_maxrss would carry the forking pytest's size across exec)
    probe = (
        "import atexit, runpy, sys; "
        f"atexit.register(lambda: open({str(peak_file)!r}, 'w').write(next(line.split()[1] for line in "
        "open('/proc/self/status') if line.startswith('VmHWM')))); "
        f"sys.argv = ['layout', *{[str(a) for a in args]!r}]; runpy.run_module('layout', run_name='__main__')"
    )
    environ = {**os.environ, "PYTHONPATH": str(ROOT)}
    start = time.perf_counter()
    out = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, cwd=cwd, env=environ, timeout=120
    )
    return out, time.perf_counter() - start, int(peak_file.read_text()) / 1024  # kB → MB


@pytest.fixture(scope="session")
def run_layout_measured() -> Callable[..., tuple[subprocess.CompletedProcess, float, float]]:
    """``run_layout_measured(*args, cwd=DIR)``: ``python -m layout ARGS`` in a new process in DIR, with its wall
    time in seconds and its own peak memory in MB (writes DIR/peak.txt)."""
    return _run_layout_measured


@pytest.fixture(autouse=True)
def _isolated_register(tmp_path_factory, monkeypatch):
    """Every test gets its own empty project register and no editor key (a developer's data/ is never read)."""
    monkeypatch.setenv("LAYOUT_REGISTER", str(tmp_path_factory.mktemp("register") / "register.sqlite"))
    monkeypatch.delenv("LAYOUT_EDITOR_KEY", raising=False)
    if "ui.editor_session" in sys.modules:  # wrong keys of one test do not slow down the next (one process)
        sys.modules["ui.editor_session"].GUARD.reset()


@pytest.fixture(scope="session")
def pg_server():
    """One throwaway PostgreSQL + PostGIS cluster for the session (fails, never skips, without the binaries)."""
    from pg_server import start_server

    from layout.register.postgres_store import close_pools

    with start_server() as server:
        yield server
        close_pools()


_db_counter = iter(range(1, 1_000_000))


@pytest.fixture
def pg_url(pg_server) -> str:
    """A fresh, empty database (PostGIS enabled) on the session's server."""
    from layout.register.postgres_store import close_pools

    yield pg_server.create_database(f"reg_{os.getpid()}_{next(_db_counter)}")
    close_pools()


@pytest.fixture(params=["sqlite", "postgresql"])
def register_location(request, tmp_path) -> str:
    """A fresh register location on each backend: a SQLite file, then a PostgreSQL database."""
    if request.param == "sqlite":
        return str(tmp_path / "register.sqlite")
    return request.getfixturevalue("pg_url")
