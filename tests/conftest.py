"""Shared fixtures. Tests run on the committed geodata and catalog: no mocks of our own data."""

from __future__ import annotations

from pathlib import Path

import pytest

from layout.plan import PLAN_FILE, squash

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def plan_text() -> str:
    """The plan, with all whitespace removed (quotes are checked verbatim modulo whitespace)."""
    return squash(PLAN_FILE.read_text(encoding="utf-8"))
