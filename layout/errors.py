"""The package's one family of errors.

An error may carry a ``code`` and its arguments besides its English message, so that a user interface
can show it in the reader's language (``layout.i18n.error_text``); the English text stays the message
for logs, the CLI in English and callers that only read ``str(exc)``.
"""

from __future__ import annotations

__all__ = ["InputError", "LayoutError", "OutputError", "TableTooLargeError", "many_errors"]


class LayoutError(ValueError):
    """Bad input or data: the message names what was wrong, what was expected, and the fix.

    Parameters
    ----------
    message
        The English message.
    code
        A key of ``layout.i18n.STRINGS`` (``err.<code>``) for the translated message, or "".
    **args
        The values the translated message's ``{placeholders}`` take.
    """

    def __init__(self, message: str = "", *, code: str = "", **args: object) -> None:
        super().__init__(message)
        self.code = code
        self.args_ = args

    def __reduce__(self):  # keeps code and arguments through pickling (caches, worker processes)
        return (_rebuild, (type(self), str(self), self.code, self.args_))


def _rebuild(cls: type[LayoutError], message: str, code: str, args: dict) -> LayoutError:
    return cls(message, code=code, **args)


class InputError(LayoutError):
    """A user-supplied value (coordinate, file, option) that cannot be used as given."""


class TableTooLargeError(InputError):
    """A spreadsheet beyond the limits the tool reads safely (cells, columns, rows, uncompressed size)."""


class OutputError(LayoutError):
    """A file could not be written (read-only place, full disk, a directory in the way, too many rows)."""


def many_errors(problems: list[str | InputError]) -> InputError:
    """One InputError for every problem gathered (texts or errors): the one error itself when there is
    one, else code ``many`` carrying them all so that each can be shown in the reader's language."""
    errors = [p if isinstance(p, InputError) else InputError(str(p)) for p in problems]
    if len(errors) == 1:
        return errors[0]
    return InputError("; ".join(map(str, errors)), code="many", errors=errors)
