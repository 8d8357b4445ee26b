"""The command line (``python -m layout …``): thin click commands that turn library errors into one line and an
exit code. ``main`` is the group; ``common`` what every command shares; commands by subject in ``points``,
``catalog``, ``reports``, ``register`` (with ``register_common``, ``register_files``) and ``plan``."""

from layout.cli.main import main

__all__ = ["main"]
