"""Shared fixtures. Tests run on the committed geodata and catalog: no mocks of our own data."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PLAN_PATH = ROOT.parent / "shared" / "seed" / "000_4d368642f29e8689.txt"


@pytest.fixture(scope="session")
def plan_text() -> str:
    """The plan, with all whitespace removed (quotes are checked verbatim modulo whitespace)."""
    if not PLAN_PATH.exists():
        pytest.skip(f"the plan is not at {PLAN_PATH}")
    return "".join(PLAN_PATH.read_text(encoding="utf-8").split())


@pytest.fixture(autouse=True)
def _isolated_register(tmp_path_factory, monkeypatch):
    """Every test gets its own empty project register and no editor key (a developer's data/ is never read)."""
    monkeypatch.setenv("LAYOUT_REGISTER", str(tmp_path_factory.mktemp("register") / "register.sqlite"))
    monkeypatch.delenv("LAYOUT_EDITOR_KEY", raising=False)
