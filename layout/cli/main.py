"""``python -m layout``: the command-line face of the library.

Every command turns library errors into one clear line on stderr and a non-zero exit code:
2 for input that cannot be used, 1 for data that fails a check. The commands live by subject in the
modules of this room (:mod:`layout.cli.points`, :mod:`layout.cli.catalog`, :mod:`layout.cli.reports`,
:mod:`layout.cli.register`, :mod:`layout.cli.plan`); this module is the group that gathers them, importing
a command's module only when that command runs (or ``--help`` lists them), so one command does not pay
for the others' imports.
"""

from __future__ import annotations

import importlib

import click

from layout.cli.common import LayoutGroup

#: command name → (module, attribute); ``--help`` lists them in this order's sorted form, as click does
COMMANDS: dict[str, tuple[str, str]] = {
    "where": ("layout.cli.points", "where"),
    "classify": ("layout.cli.points", "classify"),
    "geocode": ("layout.cli.catalog", "geocode"),
    "geocode-catalog": ("layout.cli.catalog", "geocode_catalog_cmd"),
    "validate": ("layout.cli.catalog", "validate"),
    "catalog-counts": ("layout.cli.catalog", "catalog_counts_cmd"),
    "build-geodata": ("layout.cli.catalog", "build_geodata_cmd"),
    "export": ("layout.cli.reports", "export_cmd"),
    "evaluate": ("layout.cli.reports", "evaluate_cmd"),
    "register": ("layout.cli.register", "register_group"),
    "plan": ("layout.cli.plan", "plan_group"),
}


class LazyGroup(LayoutGroup):
    """The top-level group: its commands imported on first use."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*COMMANDS, *self.commands})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in self.commands and cmd_name in COMMANDS:
            module, attribute = COMMANDS[cmd_name]
            self.add_command(getattr(importlib.import_module(module), attribute), cmd_name)
        return self.commands.get(cmd_name)


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="yiyang-layout")
def main() -> None:
    """益阳市“十四五”服务业发展规划: 一核两翼三极 zones, projects and maps."""
