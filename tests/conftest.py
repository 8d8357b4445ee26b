"""Shared fixtures. Tests run on the committed geodata and catalog: no mocks of our own data."""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

import pytest

from layout.plan.text import PLAN_FILE, squash

ROOT = Path(__file__).resolve().parent.parent
# Built nearest grids are cached between runs; the tests start from an empty cache, as on a new machine.
os.environ["LAYOUT_CACHE_DIR"] = tempfile.mkdtemp(prefix="layout-cache-")


@pytest.fixture(scope="session")
def plan_text() -> str:
    """The plan, with all whitespace removed (quotes are checked verbatim modulo whitespace)."""
    return squash(PLAN_FILE.read_text(encoding="utf-8"))


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
