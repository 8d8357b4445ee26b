"""Which plan version the process is working on: the files its zone model, indicators and catalog come from.

This module sits below everything that loads plan content (``layout.plan.zones``, ``layout.plan.indicators``,
``layout.catalog.projects``). It holds file paths only; :func:`layout.drafting.versions.activate_plan` sets them. The
default is 十四五 — the files shipped today — so every caller that never picks a plan works as before.
"""

from __future__ import annotations

from contextvars import ContextVar
from dataclasses import dataclass
from pathlib import Path

from layout.settings import CATALOG_PATH, GEODATA_DIR, PACKAGE_DIR

__all__ = ["BASELINE", "PlanFiles", "active_plan_files", "plan_key", "reset_active_plan_files", "set_active_plan_files"]


@dataclass(frozen=True)
class PlanFiles:
    """The files of one plan version (``text`` may be None for a draft) and whether it is a draft."""

    name: str
    zones: Path
    indicators: Path
    catalog: Path
    text: Path | None = None
    draft: bool = False
    geodata: Path = GEODATA_DIR  # the boundaries the plan's counties are drawn from


#: 十四五: exactly the files the tool has always read.
PLAN_DIR = PACKAGE_DIR / "plan"
BASELINE = PlanFiles(
    name="十四五",
    zones=PLAN_DIR / "zones.toml",
    indicators=PLAN_DIR / "indicators.toml",
    catalog=CATALOG_PATH,
    text=PLAN_DIR / "plan.txt",
)
# A context variable, not a global: a thread (a Streamlit session's run) that never picks a plan reads 十四五,
# whatever another thread picked.
_active: ContextVar[PlanFiles] = ContextVar("layout_active_plan", default=BASELINE)


def active_plan_files() -> PlanFiles:
    """The files of the active plan version (十四五 unless another was activated in this context)."""
    return _active.get()


def set_active_plan_files(files: PlanFiles):
    """Make ``files`` the active plan's in the current context; returns a token for :func:`reset_active_plan_files`."""
    return _active.set(files)


def reset_active_plan_files(token) -> None:
    """Go back to the plan active before :func:`set_active_plan_files` returned ``token``."""
    _active.reset(token)


def plan_key() -> tuple[str, int, str]:
    """A key for caches of content derived from the active plan: its zone file, that file's modification time
    and its boundary folder."""
    files = _active.get()
    try:
        return str(files.zones), files.zones.stat().st_mtime_ns, str(files.geodata)
    except OSError:
        return str(files.zones), 0, str(files.geodata)
