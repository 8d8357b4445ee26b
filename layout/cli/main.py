"""``python -m layout``: the command-line face of the library.

Every command turns library errors into one clear line on stderr and a non-zero exit code:
2 for input that cannot be used, 1 for data that fails a check. The commands live by subject in the
modules of this room (:mod:`layout.cli.points`, :mod:`layout.cli.catalog`, :mod:`layout.cli.reports`,
:mod:`layout.cli.register`, :mod:`layout.cli.plan`); this module is the group that gathers them.
"""

from __future__ import annotations

import click

from layout.cli.catalog import build_geodata_cmd, catalog_counts_cmd, geocode, geocode_catalog_cmd, validate
from layout.cli.common import LayoutGroup
from layout.cli.plan import plan_group
from layout.cli.points import classify, where
from layout.cli.register import register_group
from layout.cli.reports import evaluate_cmd, export_cmd


@click.group(cls=LayoutGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="yiyang-layout")
def main() -> None:
    """益阳市“十四五”服务业发展规划: 一核两翼三极 zones, projects and maps."""


for _command in (
    where,
    classify,
    geocode,
    geocode_catalog_cmd,
    validate,
    catalog_counts_cmd,
    build_geodata_cmd,
    export_cmd,
    evaluate_cmd,
    register_group,
    plan_group,
):
    main.add_command(_command)
