"""The package's one family of errors."""


class LayoutError(ValueError):
    """Bad input or data: the message names what was wrong, what was expected, and the fix."""


class InputError(LayoutError):
    """A user-supplied value (coordinate, file, option) that cannot be used as given."""
