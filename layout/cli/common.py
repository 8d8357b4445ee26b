"""What every command shares: one-line errors and exit codes (2 for input that cannot be used), the
``--lang`` option (:func:`speaks`: defined once here, Chinese by default), the group that turns any library
error into one line, and the CRS choices.
"""

from __future__ import annotations

import sys

import click

from layout.errors import InputError, LayoutError

CRS_CHOICE = click.Choice(["wgs84", "gcj02", "bd09", "cgcs2000"], case_sensitive=False)


class TableCrs(click.ParamType):
    """``auto``, wgs84, gcj02, bd09, cgcs2000 or EPSG:NNNN: what the batch check accepts."""

    name = "crs"

    def convert(self, value, param, ctx):
        from layout.geo.table_crs import check_table_crs

        try:
            return check_table_crs(value)
        except InputError as exc:
            self.fail(str(exc), param, ctx)


LANG_OPTION = click.option(
    "--lang",
    type=click.Choice(["zh", "en"]),
    default="zh",
    show_default=True,
    help="Language of the messages and of the output's words: zh (中文) or en (English).",
)


def in_language(command):
    """A command whose library errors print as one line in its ``--lang`` (Chinese by default), exit 2."""
    import functools

    @functools.wraps(command)
    def run(*args, **kwargs):
        try:
            return command(*args, **kwargs)
        except LayoutError as exc:
            from layout.i18n import error_text, t

            lang = kwargs.get("lang", "zh")
            click.echo(t("cli.error", lang, error=error_text(exc, lang, ui="cli")), err=True)
            sys.exit(2)

    return run


REGISTER_OPTION = click.option(
    "--register",
    "register_path",
    default=None,
    help="The register: a file or postgresql://user@host:5432/db (default: $LAYOUT_REGISTER, else "
    "data/register.sqlite).",
)


def speaks(command):
    """``--lang`` (the one definition, :data:`LANG_OPTION`) and one-line errors in that language, exit 2."""
    return LANG_OPTION(in_language(command))


class LayoutGroup(click.Group):
    """Turns LayoutError anywhere in a command (an option's callback too, e.g. ``--plan``) into one line in the
    command's ``--lang`` and exit 2, never a traceback."""

    def invoke(self, ctx: click.Context):
        words = [*getattr(ctx, "_protected_args", ()), *ctx.args]  # the command line, before click consumes it
        try:
            return super().invoke(ctx)
        except LayoutError as exc:
            from layout.i18n import error_text, t

            pairs = zip(words, [*words[1:], ""], strict=True)
            lang = "en" if "--lang=en" in words or ("--lang", "en") in pairs else "zh"
            click.echo(t("cli.error", lang, error=error_text(exc, lang, ui="cli")), err=True)
            sys.exit(2)
