"""Every setting of the tool in one place: where the shipped data is, where writable data goes, and the
environment variables that change either.

Shipped (read-only) data — the boundaries in ``geodata/`` and ``projects_catalog.csv`` — sits at the top of a
checkout, as the product card shows it. A built wheel carries the same files inside the package
(``layout/_data/``, mapped by the build backend), so an installed copy works from any folder.

Environment variables (all optional):

===============================  ==========================================================================
``LAYOUT_REGISTER``              the project register (a SQLite file); default ``<data folder>/register.sqlite``
``LAYOUT_DATA_DIR``              the writable data folder; default ``data/`` in a checkout, else the user's
                                 data folder (``~/.local/share/yiyang-layout`` on Linux)
``LAYOUT_CACHE_DIR``             built nearest-county grids; default the user's cache folder
``LAYOUT_CATALOG``               another catalog CSV for the app (benchmarks use a synthetic one)
``LAYOUT_EDITOR_KEY``            the key that unlocks the app's editing pages (also in ``secrets.toml``)
``TIANDITU_KEY``                 a 天地图 key for its base map (also ``[tianditu] key`` in ``secrets.toml``)
``LAYOUT_REGISTER_TEST_SLEEP``   tests only: seconds to wait inside a register write before COMMIT
===============================  ==========================================================================
"""

from __future__ import annotations

import os
from pathlib import Path

__all__ = [
    "CACHE_ENV",
    "CATALOG_ENV",
    "CATALOG_PATH",
    "DATA_ENV",
    "EDITOR_KEY_ENV",
    "GEODATA_DIR",
    "PACKAGE_DIR",
    "REGISTER_ENV",
    "REGISTER_SLEEP_ENV",
    "SHIPPED_DIR",
    "STATIC_DIR",
    "TIANDITU_ENV",
    "cache_dir",
    "data_dir",
    "env_text",
    "is_checkout",
]

REGISTER_ENV = "LAYOUT_REGISTER"
DATA_ENV = "LAYOUT_DATA_DIR"
CACHE_ENV = "LAYOUT_CACHE_DIR"
CATALOG_ENV = "LAYOUT_CATALOG"
EDITOR_KEY_ENV = "LAYOUT_EDITOR_KEY"
TIANDITU_ENV = "TIANDITU_KEY"
REGISTER_SLEEP_ENV = "LAYOUT_REGISTER_TEST_SLEEP"

APP_NAME = "yiyang-layout"
PACKAGE_DIR = Path(__file__).resolve().parent
_BUNDLED = PACKAGE_DIR / "_data"
#: Where the shipped data lives: inside an installed wheel, else the checkout's top level.
SHIPPED_DIR = _BUNDLED if _BUNDLED.is_dir() else PACKAGE_DIR.parent
GEODATA_DIR = SHIPPED_DIR / "geodata"
CATALOG_PATH = SHIPPED_DIR / "projects_catalog.csv"
#: The app's static folder beside app.py (Streamlit serves it at /app/static/; only a checkout runs the app).
STATIC_DIR = PACKAGE_DIR.parent / "static"


def env_text(name: str) -> str:
    """The environment variable ``name`` stripped ("" when unset)."""
    return os.environ.get(name, "").strip()


def is_checkout() -> bool:
    """True when running from a source checkout (shipped data at the top level, not inside the package)."""
    return SHIPPED_DIR != _BUNDLED


def data_dir() -> Path:
    """The writable data folder (registers, drafts): ``$LAYOUT_DATA_DIR``, else ``data/`` in a checkout,
    else the user's data folder. Not created here."""
    if folder := env_text(DATA_ENV):
        return Path(folder)
    if is_checkout():
        return SHIPPED_DIR / "data"
    return _user_dir("XDG_DATA_HOME", Path.home() / ".local" / "share")


def cache_dir() -> Path:
    """Where built nearest-county grids are kept between runs: ``$LAYOUT_CACHE_DIR``, else the user's cache."""
    if folder := env_text(CACHE_ENV):
        return Path(folder)
    return _user_dir("XDG_CACHE_HOME", Path.home() / ".cache")


def _user_dir(xdg: str, fallback: Path) -> Path:
    if os.name == "nt":
        return Path(os.environ.get("LOCALAPPDATA") or fallback) / APP_NAME
    return Path(env_text(xdg) or fallback) / APP_NAME
