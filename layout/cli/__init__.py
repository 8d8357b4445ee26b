"""The command line (``python -m layout …``): thin click commands that turn library errors into one line and an
exit code. ``main`` is the group; the register and plan groups live in their own modules."""

from layout.cli.main import main

__all__ = ["main"]
