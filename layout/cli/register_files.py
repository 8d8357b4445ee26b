"""``python -m layout register …`` commands that move files: the 调度表 out (``export``) and in
(``import``), ``backup``/``restore`` of the register, ``migrate`` between stores, and ``demo`` data.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from layout.cli.common import speaks
from layout.cli.register_common import field_name, open_register
from layout.errors import InputError
from layout.i18n import message_text, t


@click.command("export")
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    required=True,
    help="The 调度表 to write (.xlsx).",
)
@click.pass_context
@speaks
def register_export(ctx: click.Context, output: Path, lang: str) -> None:
    """Write the 调度表: one row per project with its current values, ready to send to counties.

    Example: python -m layout register export -o 调度表_2026-03.xlsx
    """
    from layout.register.sheet_export import export_sheet_bytes
    from layout.tables.files import atomic_write

    if output.suffix.lower() != ".xlsx":
        raise InputError(f"-o should end in .xlsx, got {output.name!r}", code="reg_xlsx", name=output.name)
    data = export_sheet_bytes(open_register(ctx, create=False))
    atomic_write(output, lambda tmp: tmp.write_bytes(data))
    click.echo(t("cli.reg.wrote", lang, path=output, size=f"{len(data) / 1024:,.0f} KB"))


@click.command("import")
@click.argument("src", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--by", "by", required=True, help="Your name (goes into every event).")
@click.option("--apply", "apply_", is_flag=True, help="Apply the changes (all rows or none). Without it: a dry run.")
@click.option("--sheet", default=None, help="The workbook's sheet to import (needed when several look like a 调度表).")
@click.pass_context
@speaks
def register_import(ctx: click.Context, src: Path, by: str, apply_: bool, sheet: str | None, lang: str) -> None:
    """Read a filled 调度表 (.xlsx from Excel/WPS, or .csv in UTF-8/GBK) and show or apply its changes.

    Without --apply nothing changes: the diff per project and field is printed. Any bad cell: exit 1,
    every problem listed with its row, column and fix, nothing applied.

    \b
    Examples:
      python -m layout register import 调度表_赫山区.xlsx --by 张三
      python -m layout register import 调度表_赫山区.xlsx --by 张三 --apply
    """
    from layout.register.sheet_import import apply_sheet, diff_sheet
    from layout.register.sheet_read import read_sheet

    reg = open_register(ctx)
    table = read_sheet(src, sheet=sheet)  # the shared bounded reader; formulas refused
    if len(table.attrs.get("sheets", ())) > 1:
        sheets = "、".join(table.attrs["sheets"]) if lang == "zh" else ", ".join(table.attrs["sheets"])
        click.echo(t("cli.reg.import_sheet", lang, name=src.name, sheet=table.attrs["sheet"], sheets=sheets), err=True)
    diff = diff_sheet(table, reg, name=src.name)
    for problem in diff.problems:
        click.echo(f"{src.name}: {problem.text(lang)}", err=True)
    if diff.problems:
        click.echo(t("cli.reg.import_problems", lang, name=src.name, n=len(diff.problems)), err=True)
        sys.exit(1)
    if diff.ignored_columns:
        click.echo(t("cli.reg.ignored", lang, name=src.name, columns=", ".join(diff.ignored_columns)), err=True)
    for change in diff.changes:
        click.echo(
            f"{change.project} {change.name} "
            + t("cli.reg.change", lang, field=field_name(change.field, lang), old=change.old or "∅", new=change.new)
        )
    for warning in diff.warnings:
        click.echo(t("cli.reg.warning", lang, warning=f"{src.name}: {message_text(warning, lang)}"), err=True)
    for row, project, name, fields in diff.confirmed:
        click.echo(
            f"{project} {name} "
            + t("cli.reg.import_confirmed_row", lang, row=row, fields="、".join(field_name(f, lang) for f in fields))
        )
    projects = len({c.project for c in diff.changes})
    if not diff.changes and not diff.confirmed:
        click.echo(t("cli.reg.import_same", lang))
        return
    if not apply_:
        click.echo(
            t("cli.reg.import_dry", lang, n=len(diff.changes), projects=projects)
            + (t("cli.reg.import_dry_confirmed", lang, n=len(diff.confirmed)) if diff.confirmed else "")
        )
        return
    ids = apply_sheet(diff, reg, by=by)
    click.echo(
        t("cli.reg.import_applied", lang, n=len(diff.changes), projects=projects, events=len(ids))
        + (t("cli.reg.import_applied_confirmed", lang, n=reg.confirmed) if reg.confirmed else "")
    )


@click.command("backup")
@click.option(
    "-o", "--output", type=click.Path(dir_okay=False, path_type=Path), required=True, help="The backup file to write."
)
@click.pass_context
@speaks
def register_backup(ctx: click.Context, output: Path, lang: str) -> None:
    """A consistent copy of the live register as a SQLite file (online backup; one snapshot of a server).

    Example: python -m layout register backup -o backups/register_2026-03-31.sqlite
    """
    from layout.tables.files import atomic_write

    store = open_register(ctx, create=False).store
    atomic_write(output, store.backup_to)
    click.echo(t("cli.reg.backup", lang, path=output, n=store.count_events()))


@click.command("restore")
@click.argument("src", type=click.Path(dir_okay=False, path_type=Path))
@click.pass_context
@speaks
def register_restore(ctx: click.Context, src: Path, lang: str) -> None:
    """Replace the register with backup SRC, checked in full first (the current one is kept as
    <register>.bak, or .bak.1, .bak.2 … — an existing backup is never overwritten).

    Example: python -m layout register restore backups/register_2026-03-31.sqlite
    """
    reg = open_register(ctx)
    if reg.path is None:  # a server register: its previous content is saved beside SRC, as a SQLite file
        count = reg.restore(src)
        click.echo(t("cli.reg.restored", lang, n=count, src=src, path=reg.location, bak=reg.store.saved_copy))
        return
    before = set(reg.path.parent.glob(reg.path.name + ".bak*"))
    count = reg.restore(src)
    kept = sorted(set(reg.path.parent.glob(reg.path.name + ".bak*")) - before)
    click.echo(t("cli.reg.restored", lang, n=count, src=src, path=reg.path, bak=kept[0].name if kept else "—"))


@click.command("migrate")
@click.argument("src")
@click.argument("dst")
@speaks
def register_migrate(src: str, dst: str, lang: str) -> None:
    """Copy every event of register SRC into the empty register DST, then check both agree.

    SRC and DST: sqlite:///path/register.sqlite (or a plain path) or postgresql://user@host:5432/db.
    The check compares the whole history and the state of projects and indicators at several dates.
    Stop writers to SRC first.

    \b
    Examples:
      python -m layout register migrate sqlite:///data/register.sqlite postgresql://register_owner@db:5432/register
      python -m layout register migrate postgresql://register_owner@db:5432/register sqlite:///back.sqlite
    """
    from layout.register.migrate import migrate_register

    result = migrate_register(src, dst)
    days = ", ".join(d.isoformat() for d in result.dates)
    click.echo(t("cli.reg.migrated", lang, n=result.events, dates=days))


@click.command("demo")
@click.option(
    "--register",
    "demo_path",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="The SEPARATE register file to fill (e.g. data/demo.sqlite); never the default register.",
)
@click.option("--seed", type=int, default=2021, show_default=True, help="Seed of the synthetic reports.")
@click.pass_context
@speaks
def register_demo(ctx: click.Context, demo_path: Path | None, seed: int, lang: str) -> None:
    """Fill a separate register with clearly synthetic statuses, for training and presentations.

    Quarterly reports 2021–2025 with made-up statuses, progress and investment, and a few indicator
    values. The register is marked as a demo register: every page and export made from it carries
    演示数据 (Demo data in English). Refuses the default register and a register that holds real reports.

    Example: python -m layout register demo --register data/demo.sqlite
    """
    from layout.catalog.projects import load_catalog
    from layout.register.demo import fill_demo
    from layout.register.events import Register

    path = demo_path or (ctx.obj or {}).get("register")
    if path is None:
        raise InputError(
            "register demo needs --register PATH: a separate file (e.g. data/demo.sqlite), never the default register",
            code="reg_demo_path",
        )
    catalog = load_catalog()
    count = fill_demo(Register(path, catalog=catalog), catalog, seed=seed)
    click.echo(t("cli.reg.demo", lang, path=path, n=count))
