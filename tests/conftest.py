"""Shared fixtures. Tests run on the committed geodata and catalog: no mocks of our own data."""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

import pytest

from layout.plan import PLAN_FILE, squash

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
    if "editor_session" in sys.modules:  # wrong keys of one test do not slow down the next (one process)
        sys.modules["editor_session"].GUARD.reset()
