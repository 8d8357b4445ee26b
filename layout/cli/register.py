"""``python -m layout register …``: the project register (项目台账) on the command line.

Thin: every command calls :mod:`layout.register.events` (or the 调度表 module) once and prints the answer in
Chinese, or in English with ``--lang en``; a library error becomes one line on stderr in the same
language and exit code 2 (1 for a 调度表 whose cells fail a check). This module holds the group and the
commands that record and show events; the file commands are in :mod:`layout.cli.register_files`.
"""

from __future__ import annotations

import json

import click

from layout.cli.common import CRS_CHOICE, REGISTER_OPTION, speaks
from layout.cli.register_common import (
    event_line,
    field_name,
    json_value,
    open_register,
    parse_option_date,
    register_location_of,
    report_recorded,
    shown_value,
)
from layout.cli.register_files import (
    register_backup,
    register_demo,
    register_export,
    register_import,
    register_migrate,
    register_restore,
)
from layout.errors import InputError
from layout.i18n import t
from layout.register.vocabulary import FIELD_LABELS


@click.group("register")
@REGISTER_OPTION
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
@speaks
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
    reg = open_register(ctx)
    ids = reg.record(
        project_id.strip().upper(),
        changes,
        by=by,
        source=source,
        as_of=parse_option_date(as_of, "--as-of"),
        confirm=confirm,
        expected=expect_event,
    )
    report_recorded(reg, ids, lang)


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
@speaks
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
    reg = open_register(ctx)
    ids = reg.record(
        f"indicator:{key}",
        {"actual_value": value, "actual_year": year},
        by=by,
        source=source,
        as_of=parse_option_date(as_of, "--as-of"),
        expected=expect_event,
    )
    report_recorded(reg, ids, lang)


@register_group.command("show")
@click.argument("project_id", required=False)
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.option("--as-of", "as_of", help="The state on this date (YYYY-MM-DD; default today).")
@click.pass_context
@speaks
def register_show(ctx: click.Context, project_id: str | None, as_json: bool, as_of: str | None, lang: str) -> None:
    """The register's values on a date (of one project, or of every project with an entry).

    Example: python -m layout register show P002 --as-of 2025-12-31
    """
    reg = open_register(ctx, create=False)
    state = reg.state(as_of=parse_option_date(as_of, "--as-of"))
    names = reg.catalog["name"]
    if project_id is not None:
        pid = project_id.strip().upper()
        reg.check_subject(pid)
        state = state.loc[[pid]] if pid in state.index else state.iloc[0:0]
    records = [
        {"id": pid, "name": names.get(pid, ""), **{k: json_value(v) for k, v in row.items()}}
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
@speaks
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
    from layout.register.schema import EVENT_COLUMNS

    store = open_store(register_location_of(ctx), create=False)  # no data stack: the first line comes at once
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
        "date_from": parse_option_date(date_from, "--from").isoformat() if date_from else None,
        "date_to": parse_option_date(date_to, "--to").isoformat() if date_to else None,
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
@speaks
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
    new_id = open_register(ctx, create=False).undo(int(text), by=by, reason=reason)
    click.echo(t("cli.reg.undone", lang, event=int(text), new=new_id))


for _command in (register_export, register_import, register_backup, register_restore, register_migrate, register_demo):
    register_group.add_command(_command)
