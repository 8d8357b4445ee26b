"""Which plan version the process is working on: the files its zone model, indicators and catalog come from.

This module sits below everything that loads plan content (``layout.zones``, ``layout.indicators``,
``layout.catalog``). It holds file paths only; :func:`layout.plan_versions.activate_plan` sets them. The
default is 十四五 — the files shipped today — so every caller that never picks a plan works as before.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from layout.settings import CATALOG_PATH, PACKAGE_DIR

__all__ = ["BASELINE", "PlanFiles", "active_plan_files", "set_active_plan_files"]


@dataclass(frozen=True)
class PlanFiles:
    """The files of one plan version (``text`` may be None for a draft) and whether it is a draft."""

    name: str
    zones: Path
    indicators: Path
    catalog: Path
    text: Path | None = None
    draft: bool = False


#: 十四五: exactly the files the tool has always read.
BASELINE = PlanFiles(name="十四五", zones=PACKAGE_DIR / "zones.toml", indicators=PACKAGE_DIR / "indicators.toml",
                     catalog=CATALOG_PATH, text=PACKAGE_DIR / "plan.txt")
_active: list[PlanFiles] = [BASELINE]


def active_plan_files() -> PlanFiles:
    """The files of the active plan version (十四五 unless another was activated)."""
    return _active[0]


def set_active_plan_files(files: PlanFiles) -> PlanFiles:
    """Make ``files`` the active plan's; returns the previous one (callers clear derived caches)."""
    previous, _active[0] = _active[0], files
    return previous
