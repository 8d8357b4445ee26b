"""Where the register lives and which store opens it: a SQLite file (the default) or, for a
``postgresql://`` URL, PostgreSQL + PostGIS (:mod:`layout.register.postgres_store`).

Light on purpose (no pandas): the CLI's streaming commands open a store without the data stack.
Import these names from here (one name for one thing).
"""

from __future__ import annotations

import os
from pathlib import Path

from layout.register.postgres_store import PgRegisterStore, display_url, is_server_url
from layout.register.sqlite_store import RegisterStore
from layout.register.vocabulary import REGISTER_ENV, default_register_path
from layout.settings import env_text

__all__ = ["location_label", "open_store", "register_location"]


def register_location() -> str | Path:
    """Where the register lives: a ``postgresql://`` URL from ``$LAYOUT_REGISTER``, else
    :func:`default_register_path` (a SQLite file)."""
    env = env_text(REGISTER_ENV)
    return env if is_server_url(env) else default_register_path()


def location_label(location: str | os.PathLike) -> str:
    """How to name a register location to people: a file's name, a server URL without its password."""
    return display_url(str(location)) if is_server_url(location) else Path(location).name


def open_store(location: str | os.PathLike, *, create: bool = True) -> RegisterStore:
    """The store for ``location``: PostgreSQL + PostGIS for a ``postgresql://`` URL, else a SQLite file.

    With ``create=False`` a register that does not exist yet is an InputError (nothing is created).
    """
    if is_server_url(location):
        return PgRegisterStore(str(location), create=create)
    return RegisterStore(location, create=create)
