"""``python -m layout register …``: the project register (项目台账) on the command line.

Thin: every command calls :mod:`layout.register.events` (or the 调度表 module) once and prints the answer in
Chinese, or in English with ``--lang en``; a library error becomes one line on stderr in the same
language and exit code 2 (1 for a 调度表 whose cells fail a check).
"""

from __future__ import annotations

import functools
import json
import sys
from collections.abc import Callable
from pathlib import Path

import click

from layout.cli.common import CRS_CHOICE
from layout.errors import InputError, LayoutError
from layout.i18n import error_text, t
from layout.register.vocabulary import FIELD_LABELS, status_label


def _speaks(command: Callable) -> Callable:
    """Add ``--lang`` to a command and print its library errors in that language (one line, exit 2)."""

    @click.option(
        "--lang",
        type=click.Choice(["zh", "en"]),
        default="zh",
        show_default=True,
        help="Language of the output (中文 / English).",
    )
    @functools.wraps(command)
    def wrapper(*args, lang: str, **kwargs):
        try:
            return command(*args, lang=lang, **kwargs)
        except LayoutError as exc:
            click.echo(t("cli.reg.error", lang, error=error_text(exc, lang, ui="cli")), err=True)
            sys.exit(2)

    return wrapper


def _register_path(ctx: click.Context) -> str | Path:
    """The register's location: --register (a file or a postgresql:// URL), else $LAYOUT_REGISTER, else
    data/register.sqlite."""
    from layout.register.location import register_location

    return (ctx.obj or {}).get("register") or register_location()


def _open_register(ctx: click.Context, *, create: bool = True):
    """The register; read-only commands pass ``create=False`` (a mistyped path creates nothing)."""
    from layout.register.events import Register
    from layout.register.location import open_store

    if not create:
        open_store(_register_path(ctx), create=False)
    return Register(_register_path(ctx))


def _date(value: str | None, name: str):
    import datetime as dt
    import re

    if value is None:
        return None
    m = re.fullmatch(r"\s*(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})\s*", value)
    try:
        return dt.date(int(m[1]), int(m[2]), int(m[3])) if m else _bad_date(value, name)
    except ValueError:
        return _bad_date(value, name)


def _bad_date(value: str, name: str):
    from layout.register.events import parse_date

    return parse_date(value, name=name)  # other spellings (2026年3月31日), or its error


def _json_value(value: object) -> object:
    import datetime as dt
    import math

    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, dt.date):
        return value.isoformat()
    if hasattr(value, "item"):
        return value.item()
    return value


def field_name(name: str, lang: str) -> str:
    """A register field as the reader calls it: 状态 / status."""
    return FIELD_LABELS.get(name, name) if lang == "zh" else name


def shown_value(name: str, value: object, lang: str) -> str:
    """A stored value for reading: ∅ for none, the status in the reader's language."""
    if value is None or value == "" or (isinstance(value, float) and value != value):
        return "∅"
    if name == "status":
        return status_label(str(value), lang)
    if isinstance(value, float):
        from layout.register.events import number_text

        return number_text(value)
    return str(value)


def event_line(e: dict, lang: str) -> str:
    """One history line: ``#id date subject 字段：old → new  who when  source``, marked 已撤销 when retracted."""
    head = f"#{e['event_id']} {e['as_of']} {e['subject']} "
    if e["kind"] == "retract":
        body = t("cli.reg.retraction", lang, event=e["retracts"], field=field_name(e["field"], lang))
    elif e["kind"] == "confirm":
        body = t(
            "cli.reg.confirmation",
            lang,
            field=field_name(e["field"], lang),
            value=shown_value(e["field"], e["value"], lang),
        )
    else:
        body = t(
            "cli.reg.change",
            lang,
            field=field_name(e["field"], lang),
            old=shown_value(e["field"], e["previous"], lang),
            new=shown_value(e["field"], e["value"], lang),
        )
    tail = t("cli.reg.by_at", lang, by=e["by"], at=e["recorded_at"])
    if e["source"]:
        tail += t("cli.reg.reason" if e["kind"] == "retract" else "cli.reg.source", lang, source=e["source"])
    mark = t("cli.reg.retracted_mark", lang) if e.get("retracted") else ""
    return head + body + tail + mark


def _report_recorded(reg, ids: list[int], lang: str) -> None:
    """Print what a record call appended: each event's change, or 已确认（无变化）."""
    for warning in reg.warnings:
        click.echo(t("cli.reg.warning", lang, warning=warning), err=True)
    if not ids:
        click.echo(t("cli.reg.nothing", lang))
        return
    events = [e for e in reg.iter_history(event_from=min(ids)) if e["event_id"] in set(ids)]
    for e in events:
        click.echo(event_line(e, lang))
    changed = len(ids) - reg.confirmed
    if changed == 0:
        click.echo(t("cli.reg.confirmed_only", lang, n=len(ids)))
    else:
        key = "cli.reg.recorded_confirmed" if reg.confirmed else "cli.reg.recorded"
        click.echo(t(key, lang, n=changed, confirmed=reg.confirmed))


@click.group("register")
@click.option(
    "--register",
    "register_path",
    default=None,
    help="The register: a file or postgresql://user@host:5432/db (default: $LAYOUT_REGISTER, else "
    "data/register.sqlite).",
)
@click.pass_context
def register_group(ctx: click.Context, register_path: str | None) -> None:
    """The project register (项目台账): sites, status, progress and investment of the plan's projects.

    Every report is kept as an event (who, when, the date it refers to, source); nothing is overwritten.
    The state on a date is, per field, the report with the latest date on or before it (the latest
    recorded among reports of the same date). Output in Chinese; --lang en for English.
    Exit codes: 0 ok, 1 data failed a check (e.g. bad cells in a 调度表), 2 unusable input.
    """
    ctx.ensure_object(dict)
    ctx.obj["register"] = register_path


@register_group.command("set")
@click.argument("project_id")
@click.option("--site", nargs=2, type=str, default=None, metavar="LON LAT", help="The project's point.")
@click.option("--crs", type=CRS_CHOICE, default="wgs84", show_default=True, help="Coordinate system of --site.")
@click.option(
    "--status",
    help="未启动, 前期工作, 在建, 已建成, 已运营, 暂停, 取消 "
    "(or not_started, preparing, building, completed, operating, suspended, cancelled).",
)
@click.option("--progress", help="Progress in % (0–100).")
@click.option("--invest-planned", help="Planned investment, 万元 (cumulative).")
@click.option("--invest-done", help="Investment done, 万元 (cumulative).")
@click.option("--start-year", help="Year construction started.")
@click.option("--finish-year", help="Year finished (or expected).")
@click.option("--unit", "lead_unit", help="责任单位 (lead unit).")
@click.option("--note", help="A note.")
@click.option("--as-of", "as_of", help="Date the information refers to (YYYY-MM-DD; default today).")
@click.option("--by", "by", required=True, help="Your name (goes into every event).")
@click.option(
    "--source", default="", help="Source or reason (e.g. 立项批复文号, 规划许可, 现场核实); required with --site."
)
@click.option("--confirm", is_flag=True, help="Confirm a site outside the county the plan gives (with a reason).")
@click.option(
    "--expect-event",
    type=click.IntRange(min=0),
    default=None,
    help="The last event id of the project you saw (register history); refused if it changed since.",
)
@click.pass_context
@_speaks
def register_set(
    ctx: click.Context,
    project_id: str,
    site: tuple[str, str] | None,
    crs: str,
    status: str | None,
    progress: str | None,
    invest_planned: str | None,
    invest_done: str | None,
    start_year: str | None,
    finish_year: str | None,
    lead_unit: str | None,
    note: str | None,
    as_of: str | None,
    by: str,
    source: str,
    confirm: bool,
    expect_event: int | None,
    lang: str,
) -> None:
    """Report values for project PROJECT_ID: one event per field (an unchanged value is a confirmation).

    \b
    Examples:
      python -m layout register set P002 --status 在建 --progress 35 --invest-done 800 --by 张三 --source 3月调度
      python -m layout register set P002 --site 112.3612 28.5731 --crs gcj02 --by 张三 --source "益发改〔2024〕12号"
      python -m layout register set P002 --progress 40 --by 张三 --expect-event 17
    """
    changes: dict[str, object] = {
        k: v
        for k, v in {
            "status": status,
            "progress": progress,
            "invest_planned": invest_planned,
            "invest_done": invest_done,
            "start_year": start_year,
            "finish_year": finish_year,
            "lead_unit": lead_unit,
            "note": note,
        }.items()
        if v is not None
    }
    if site is not None:
        changes["site"] = site
        changes["crs"] = crs.lower()
    if not changes:
        raise InputError(
            "nothing to set: give at least one of --site, --status, --progress, --invest-planned, "
            "--invest-done, --start-year, --finish-year, --unit, --note",
            code="reg_nothing_to_set",
        )
    reg = _open_register(ctx)
    ids = reg.record(
        project_id.strip().upper(),
        changes,
        by=by,
        source=source,
        as_of=_date(as_of, "--as-of"),
        confirm=confirm,
        expected=expect_event,
    )
    _report_recorded(reg, ids, lang)


@register_group.command("set-indicator")
@click.argument("indicator_id")
@click.option("--value", required=True, help="The actual value, in the indicator's unit (see 实施评估).")
@click.option("--year", required=True, help="The year the value is for (e.g. 2025).")
@click.option("--source", required=True, help="Where the value comes from (e.g. 2025年统计公报).")
@click.option("--by", "by", required=True, help="Your name (goes into every event).")
@click.option("--as-of", "as_of", help="Date the information refers to (YYYY-MM-DD; default today).")
@click.option(
    "--expect-event",
    type=click.IntRange(min=0),
    default=None,
    help="The last event id of the indicator you saw; refused if it changed since.",
)
@click.pass_context
@_speaks
def register_set_indicator(
    ctx: click.Context,
    indicator_id: str,
    value: str,
    year: str,
    source: str,
    by: str,
    as_of: str | None,
    expect_event: int | None,
    lang: str,
) -> None:
    """Record the actual value of plan indicator INDICATOR_ID (表1 and 第四章 targets).

    \b
    Example:
      python -m layout register set-indicator services_gdp_share --value 43.2 --year 2025 \\
          --source 2025年统计公报 --by 统计局 --as-of 2026-03-31
    """
    from layout.evaluation.figures import INDICATOR_IDS

    key = indicator_id.strip()
    if key not in INDICATOR_IDS:
        raise InputError(
            f"indicator should be one of {', '.join(INDICATOR_IDS)}, got {key!r}",
            code="reg_indicator",
            ids=", ".join(INDICATOR_IDS),
            got=key,
        )
    if not source.strip():
        raise InputError("--source: say where the value comes from (e.g. 2025年统计公报)", code="reg_source")
    reg = _open_register(ctx)
    ids = reg.record(
        f"indicator:{key}",
        {"actual_value": value, "actual_year": year},
        by=by,
        source=source,
        as_of=_date(as_of, "--as-of"),
        expected=expect_event,
    )
    _report_recorded(reg, ids, lang)


@register_group.command("show")
@click.argument("project_id", required=False)
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.option("--as-of", "as_of", help="The state on this date (YYYY-MM-DD; default today).")
@click.pass_context
@_speaks
def register_show(ctx: click.Context, project_id: str | None, as_json: bool, as_of: str | None, lang: str) -> None:
    """The register's values on a date (of one project, or of every project with an entry).

    Example: python -m layout register show P002 --as-of 2025-12-31
    """
    reg = _open_register(ctx, create=False)
    state = reg.state(as_of=_date(as_of, "--as-of"))
    names = reg.catalog["name"]
    if project_id is not None:
        pid = project_id.strip().upper()
        reg.check_subject(pid)
        state = state.loc[[pid]] if pid in state.index else state.iloc[0:0]
    records = [
        {"id": pid, "name": names.get(pid, ""), **{k: _json_value(v) for k, v in row.items()}}
        for pid, row in state.iterrows()
    ]
    if as_json:
        click.echo(
            json.dumps(records[0] if project_id and records else (None if project_id else records), ensure_ascii=False)
        )
        return
    if not records:
        click.echo(t("cli.reg.no_entries", lang) + (f" ({project_id})" if project_id else ""))
        return
    labels = {"last_as_of": t("cli.reg.last_as_of", lang), "last_by": t("cli.reg.last_by", lang)}
    for rec in records:
        values = [
            f"{labels.get(k) or field_name(k, lang)}={shown_value(k, v, lang)}"
            for k, v in rec.items()
            if k not in ("id", "name") and v not in (None, "")
        ]
        click.echo(f"{rec['id']} {rec['name']}{t('cli.reg.colon', lang)}" + "  ".join(values))


@register_group.command("history")
@click.argument("project_id", required=False)
@click.option("--project", "project_opt", help="Only this project (or indicator:<id>).")
@click.option("--field", "field_opt", help="Only this field (status, progress … or 状态, 进度(%) …).")
@click.option("--by", "by", help="Only events recorded by this person.")
@click.option("--from", "date_from", help="Only events whose date (as of) is on or after this date.")
@click.option("--to", "date_to", help="Only events whose date (as of) is on or before this date.")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON list (streamed).")
@click.pass_context
@_speaks
def register_history(
    ctx: click.Context,
    project_id: str | None,
    project_opt: str | None,
    field_opt: str | None,
    by: str | None,
    date_from: str | None,
    date_to: str | None,
    as_json: bool,
    lang: str,
) -> None:
    """Every event, oldest first: id, date, field, old → new, who, when, source; undone ones marked 已撤销.

    Streams: the first line comes at once and memory stays flat however long the register is.

    \b
    Examples:
      python -m layout register history P002
      python -m layout register history --field 状态 --from 2025-01-01 --to 2025-12-31 --by 张三
    """
    from layout.register.location import open_store
    from layout.register.sqlite_store import EVENT_COLUMNS

    store = open_store(_register_path(ctx), create=False)  # no data stack: the first line comes at once
    subject = (project_opt or project_id or "").strip() or None
    if subject and not subject.startswith("indicator:"):
        subject = subject.upper()
    field = None
    if field_opt:
        by_label = {v: k for k, v in FIELD_LABELS.items()}
        field = by_label.get(field_opt.strip(), field_opt.strip())
        if field not in FIELD_LABELS or field == "site":
            raise InputError(
                f"--field should be one of {', '.join(k for k in FIELD_LABELS if k != 'site')}, got {field_opt!r}",
                code="reg_field",
                got=field_opt,
            )
    filters = {
        "subject": subject,
        "field": field,
        "by": by.strip() if by else None,
        "date_from": _date(date_from, "--from").isoformat() if date_from else None,
        "date_to": _date(date_to, "--to").isoformat() if date_to else None,
    }
    names = (*EVENT_COLUMNS, "retracted")
    count = 0
    for e in (dict(zip(names, row, strict=True)) for row in store.iter_events(**filters)):
        if as_json:
            e = {k: (bool(v) if k == "retracted" else v) for k, v in e.items()}
            click.echo(("[" if count == 0 else ",") + json.dumps(e, ensure_ascii=False))
        else:
            click.echo(event_line(e, lang))
        count += 1
    if as_json:
        click.echo("[]" if count == 0 else "]")
    elif count == 0:
        click.echo(t("cli.reg.no_events", lang))


@register_group.command("undo")
@click.argument("event_id", type=str)
@click.option("--by", "by", required=True, help="Your name.")
@click.option("--reason", default="", help="Why (goes into the undo event).")
@click.pass_context
@_speaks
def register_undo(ctx: click.Context, event_id: str, by: str, reason: str, lang: str) -> None:
    """Undo event EVENT_ID: a new event retracts it, so it no longer counts at any date.

    Undoing an undo brings the event back. Example: python -m layout register undo 17 --by 张三 --reason 误报
    """
    text = event_id.strip()
    if not text.isdigit() or not 0 < int(text) < 2**63:
        raise InputError(
            f"event {text!r}: no such event; give the event number shown by `register history`",
            code="no_event",
            event=text,
        )
    new_id = _open_register(ctx, create=False).undo(int(text), by=by, reason=reason)
    click.echo(t("cli.reg.undone", lang, event=int(text), new=new_id))


@register_group.command("export")
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    required=True,
    help="The 调度表 to write (.xlsx).",
)
@click.pass_context
@_speaks
def register_export(ctx: click.Context, output: Path, lang: str) -> None:
    """Write the 调度表: one row per project with its current values, ready to send to counties.

    Example: python -m layout register export -o 调度表_2026-03.xlsx
    """
    from layout.register.sheet import export_sheet_bytes
    from layout.tables.files import atomic_write

    if output.suffix.lower() != ".xlsx":
        raise InputError(f"-o should end in .xlsx, got {output.name!r}", code="reg_xlsx", name=output.name)
    data = export_sheet_bytes(_open_register(ctx, create=False))
    atomic_write(output, lambda tmp: tmp.write_bytes(data))
    click.echo(t("cli.reg.wrote", lang, path=output, size=f"{len(data) / 1024:,.0f} KB"))


@register_group.command("import")
@click.argument("src", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--by", "by", required=True, help="Your name (goes into every event).")
@click.option("--apply", "apply_", is_flag=True, help="Apply the changes (all rows or none). Without it: a dry run.")
@click.option("--sheet", default=None, help="The workbook's sheet to import (needed when several look like a 调度表).")
@click.pass_context
@_speaks
def register_import(ctx: click.Context, src: Path, by: str, apply_: bool, sheet: str | None, lang: str) -> None:
    """Read a filled 调度表 (.xlsx from Excel/WPS, or .csv in UTF-8/GBK) and show or apply its changes.

    Without --apply nothing changes: the diff per project and field is printed. Any bad cell: exit 1,
    every problem listed with its row, column and fix, nothing applied.

    \b
    Examples:
      python -m layout register import 调度表_赫山区.xlsx --by 张三
      python -m layout register import 调度表_赫山区.xlsx --by 张三 --apply
    """
    from layout.register.sheet import apply_sheet, diff_sheet, read_sheet

    reg = _open_register(ctx)
    table = read_sheet(src, sheet=sheet)  # the shared bounded reader; formulas refused
    if len(table.attrs.get("sheets", ())) > 1:
        click.echo(
            f"{src.name}: importing sheet {table.attrs['sheet']!r} (sheets: {', '.join(table.attrs['sheets'])})",
            err=True,
        )
    diff = diff_sheet(table, reg, name=src.name)
    for problem in diff.problems:
        click.echo(f"{src.name}: {problem}", err=True)
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
        click.echo(t("cli.reg.warning", lang, warning=f"{src.name}: {warning}"), err=True)
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


@register_group.command("backup")
@click.option(
    "-o", "--output", type=click.Path(dir_okay=False, path_type=Path), required=True, help="The backup file to write."
)
@click.pass_context
@_speaks
def register_backup(ctx: click.Context, output: Path, lang: str) -> None:
    """A consistent copy of the live register as a SQLite file (online backup; one snapshot of a server).

    Example: python -m layout register backup -o backups/register_2026-03-31.sqlite
    """
    from layout.tables.files import atomic_write

    store = _open_register(ctx, create=False).store
    atomic_write(output, store.backup_to)
    click.echo(t("cli.reg.backup", lang, path=output, n=store.count_events()))


@register_group.command("restore")
@click.argument("src", type=click.Path(dir_okay=False, path_type=Path))
@click.pass_context
@_speaks
def register_restore(ctx: click.Context, src: Path, lang: str) -> None:
    """Replace the register with backup SRC, checked in full first (the current one is kept as
    <register>.bak, or .bak.1, .bak.2 … — an existing backup is never overwritten).

    Example: python -m layout register restore backups/register_2026-03-31.sqlite
    """
    reg = _open_register(ctx)
    if reg.path is None:  # a server register: its previous content is saved beside SRC, as a SQLite file
        count = reg.restore(src)
        click.echo(t("cli.reg.restored", lang, n=count, src=src, path=reg.location, bak=reg.store.saved_copy))
        return
    before = set(reg.path.parent.glob(reg.path.name + ".bak*"))
    count = reg.restore(src)
    kept = sorted(set(reg.path.parent.glob(reg.path.name + ".bak*")) - before)
    click.echo(t("cli.reg.restored", lang, n=count, src=src, path=reg.path, bak=kept[0].name if kept else "—"))


@register_group.command("migrate")
@click.argument("src")
@click.argument("dst")
@_speaks
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


@register_group.command("demo")
@click.option(
    "--register",
    "demo_path",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="The SEPARATE register file to fill (e.g. data/demo.sqlite); never the default register.",
)
@click.option("--seed", type=int, default=2021, show_default=True, help="Seed of the synthetic reports.")
@click.pass_context
@_speaks
def register_demo(ctx: click.Context, demo_path: Path | None, seed: int, lang: str) -> None:
    """Fill a separate register with clearly synthetic statuses, for training and presentations.

    Quarterly reports 2021–2025 with made-up statuses, progress and investment, and a few indicator
    values. The register is marked as a demo register: every page and export made from it carries
    "演示数据 / demo data". Refuses the default register and a register that holds real reports.

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
