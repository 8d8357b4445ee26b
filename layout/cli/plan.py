"""``python -m layout plan …``: plan versions, draft editing, carry-over and comparison; and ``--plan NAME``
for the other commands (:func:`plan_option`).

\b
Verbs: plan list | new | assign | rename-zone | add-zone | remove-zone | carry-over | add-project | undo |
history | check | compare. Messages and errors (one line, exit 2) in Chinese, or English with --lang en.
"""

from __future__ import annotations

import functools
import json
from pathlib import Path

import click

from layout.cli.common import speaks
from layout.errors import InputError
from layout.i18n import t

__all__ = ["plan_group", "plan_option"]


def _activate(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    if value is not None:
        from layout.drafting.versions import activate_plan

        activate_plan(value)
    return value


def plan_option(func):
    """``--plan NAME``: the plan version a command works on (default 十四五, exactly as without the option)."""
    return click.option(
        "--plan",
        "plan_name",
        default=None,
        expose_value=False,
        is_eager=True,
        callback=_activate,
        help="规划版本（默认 十四五）；见 plan list / plan version (default 十四五).",
    )(func)


def active_draft_name() -> str:
    """The active plan's name when it is a draft, else "" (callers mark their output 草案)."""
    from layout.plan.context import active_plan_files

    files = active_plan_files()
    return files.name if files.draft else ""


@click.group("plan")
def plan_group() -> None:
    """规划版本（十四五、十五五草案 …）：列出、新建草案、编辑、结转、对比 / plan versions, drafts, comparison.

    \b
    Example:
      python -m layout plan new 十五五草案 --from 十四五 --by 张三
      python -m layout plan assign 十五五草案 桃江县 core --by 张三 --reason "并入中心城区"
      python -m layout plan compare 十四五 十五五草案 --format xlsx -o 对比.xlsx
      python -m layout plan compare 十四五 十五五草案 --lang en -o comparison.pptx
    """


@plan_group.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@speaks
def plan_list(as_json: bool, lang: str) -> None:
    """Every plan version: name, status, period, the plan it follows, its folder."""
    from layout.drafting.versions import list_plans

    rows = [
        {
            "name": p.name,
            "status": p.status,
            "period": p.period,
            "follows": p.follows,
            "title": p.title,
            "folder": str(p.folder or ""),
        }
        for p in list_plans()
    ]
    if as_json:
        click.echo(json.dumps(rows, ensure_ascii=False))
        return
    for r in rows:
        status = t(f"cli.plan.status.{r['status']}", lang, default=r["status"])
        click.echo(f"{r['name']}\t{status}\t{r['period'] or '—'}\t{r['follows'] or '—'}\t{r['folder']}")


@plan_group.command("new")
@click.argument("name")
@click.option("--from", "from_plan", default="十四五", show_default=True, help="The plan the draft starts from.")
@click.option("--by", required=True, help="Your name.")
@click.option("--period", default="", help="The draft's period, e.g. 2026–2030.")
@speaks
def plan_new(name: str, from_plan: str, by: str, period: str, lang: str) -> None:
    """Make the draft NAME from a plan (zone model and indicators copied; projects come by carry-over)."""
    from layout.drafting.versions import new_plan

    plan = new_plan(name, from_plan=from_plan, by=by, period=period)
    click.echo(t("cli.plan.new", lang, name=plan.name, follows=plan.follows, folder=plan.folder))


def _done(plan: str, event_id: int, what: str, lang: str) -> None:
    click.echo(t("cli.plan.done", lang, plan=plan, event=event_id, what=what))


@plan_group.command("assign")
@click.argument("plan")
@click.argument("county")
@click.argument("zone_id")
@click.option("--role", type=click.Choice(["primary", "secondary"]), default="primary", show_default=True)
@click.option("--by", required=True, help="Your name.")
@click.option("--reason", required=True, help="Why (goes into the event).")
@speaks
def plan_assign(plan: str, county: str, zone_id: str, role: str, by: str, reason: str, lang: str) -> None:
    """Put COUNTY into ZONE_ID in the draft PLAN (a primary core/wing zone replaces the county's previous one)."""
    from layout.drafting.drafts import open_draft

    _done(
        plan,
        open_draft(plan).assign(county, zone_id, role=role, by=by, reason=reason),
        f"{county} → {zone_id}" + t("cli.plan.role_note", lang, role=t(f"cli.plan.role.{role}", lang)),
        lang,
    )


@plan_group.command("rename-zone")
@click.argument("plan")
@click.argument("zone_id")
@click.option("--name-zh", required=True, help="The zone's new Chinese name.")
@click.option("--name-en", default="", help="The zone's new English name.")
@click.option("--definition", default="", help="The zone's defining sentence, as the planners word it.")
@click.option("--by", required=True, help="Your name.")
@click.option("--reason", default="", help="Why.")
@speaks
def plan_rename_zone(
    plan: str, zone_id: str, name_zh: str, name_en: str, definition: str, by: str, reason: str, lang: str
) -> None:
    """Rename ZONE_ID in the draft PLAN."""
    from layout.drafting.drafts import open_draft

    _done(
        plan,
        open_draft(plan).rename_zone(
            zone_id, name_zh=name_zh, name_en=name_en, definition=definition, by=by, reason=reason
        ),
        f"{zone_id} → {name_zh if lang == 'zh' or not name_en else name_en}",
        lang,
    )


@plan_group.command("add-zone")
@click.argument("plan")
@click.argument("zone_id")
@click.option("--kind", type=click.Choice(["core", "wing", "pole"]), required=True)
@click.option("--name-zh", required=True)
@click.option("--name-en", default="")
@click.option("--short-zh", default="", help="e.g. 两翼, 三极.")
@click.option("--color", default="#888888", show_default=True)
@click.option("--definition", default="")
@click.option("--by", required=True, help="Your name.")
@click.option("--reason", default="")
@speaks
def plan_add_zone(
    plan: str,
    zone_id: str,
    kind: str,
    name_zh: str,
    name_en: str,
    short_zh: str,
    color: str,
    definition: str,
    by: str,
    reason: str,
    lang: str,
) -> None:
    """Add an empty zone ZONE_ID to the draft PLAN (then assign counties to it)."""
    from layout.drafting.drafts import open_draft

    _done(
        plan,
        open_draft(plan).add_zone(
            zone_id,
            kind=kind,
            name_zh=name_zh,
            name_en=name_en,
            short_zh=short_zh,
            color=color,
            definition=definition,
            by=by,
            reason=reason,
        ),
        f"+ {zone_id} {name_zh if lang == 'zh' or not name_en else name_en}",
        lang,
    )


@plan_group.command("remove-zone")
@click.argument("plan")
@click.argument("zone_id")
@click.option("--by", required=True, help="Your name.")
@click.option("--reason", required=True, help="Why.")
@speaks
def plan_remove_zone(plan: str, zone_id: str, by: str, reason: str, lang: str) -> None:
    """Remove ZONE_ID from the draft PLAN (its counties must be assigned elsewhere first)."""
    from layout.drafting.drafts import open_draft

    _done(plan, open_draft(plan).remove_zone(zone_id, by=by, reason=reason), f"- {zone_id}", lang)


@plan_group.command("carry-over")
@click.argument("plan")
@click.option("--from", "source", required=True, help="The earlier plan (e.g. 十四五).")
@click.option("--as-of", "as_of", required=True, help="The register's state on this date (end of the period).")
@click.option("--accept", multiple=True, help="Carry this project over (repeatable; or several ids, comma-separated).")
@click.option("--drop", multiple=True, help="Do not carry this project over (repeatable; needs --reason).")
@click.option("--reason", default="", help="Why (required with --drop).")
@click.option("--by", default="", help="Your name (required with --accept/--drop).")
@click.option(
    "--register",
    "register_path",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="The register (default: $LAYOUT_REGISTER, else data/register.sqlite).",
)
@speaks
def plan_carry_over(
    plan: str,
    source: str,
    as_of: str,
    accept: tuple[str, ...],
    drop: tuple[str, ...],
    reason: str,
    by: str,
    register_path: Path | None,
    lang: str,
) -> None:
    """结转: list the projects of --from still open on --as-of (not 已建成/已运营/取消); accept or drop them."""
    from layout.catalog.projects import read_catalog_table
    from layout.drafting.drafts import open_draft
    from layout.drafting.versions import get_plan
    from layout.register.events import Register
    from layout.register.values import parse_date
    from layout.register.vocabulary import status_label

    draft = open_draft(plan)
    day = parse_date(as_of, name="--as-of")
    register = Register(register_path, catalog=read_catalog_table(get_plan(source).catalog))
    split = [i.strip() for ids in accept for i in ids.split(",") if i.strip()]
    dropped = [i.strip() for ids in drop for i in ids.split(",") if i.strip()]
    if not split and not dropped:
        cand = draft.carry_over_candidates(source=source, as_of=day, register=register)
        for r in cand.itertuples():
            last = f"{r.last_report} {status_label(r.status, lang)}" if r.status else t("cli.plan.no_report", lang)
            click.echo(f"{r.id}\t{r.county}\t{r.name}\t{last}")
        click.echo(t("cli.plan.candidates", lang, n=len(cand)), err=True)
        return
    ids = draft.carry_over(
        source=source, as_of=day, accept=split, drop=dropped, reason=reason, by=by, register=register
    )
    what = t("cli.plan.carried", lang, n=len(split), dropped=len(dropped), first=ids[0], last=ids[-1])
    _done(plan, ids[0], what, lang)


@plan_group.command("add-project")
@click.argument("plan")
@click.option("--name", required=True)
@click.option("--county", required=True)
@click.option("--sector", default="")
@click.option("--town", default="")
@click.option("--site", nargs=2, type=float, default=None, metavar="LON LAT", help="WGS84 point (optional).")
@click.option("--by", required=True, help="Your name.")
@click.option("--reason", default="")
@speaks
def plan_add_project(
    plan: str,
    name: str,
    county: str,
    sector: str,
    town: str,
    site: tuple[float, float] | None,
    by: str,
    reason: str,
    lang: str,
) -> None:
    """Add a new project to the draft PLAN (id N001 …)."""
    from layout.drafting.drafts import open_draft

    lon, lat = site if site else (None, None)
    pid, event = open_draft(plan).add_project(
        name=name, county=county, sector=sector, town=town, lon=lon, lat=lat, by=by, reason=reason
    )
    _done(plan, event, f"+ {pid} {name}", lang)


@plan_group.command("undo")
@click.argument("plan")
@click.argument("event_id", type=int)
@click.option("--by", required=True, help="Your name.")
@speaks
def plan_undo(plan: str, event_id: int, by: str, lang: str) -> None:
    """Undo event EVENT_ID of the draft PLAN (recorded as an event of its own)."""
    from layout.drafting.drafts import open_draft

    _done(plan, open_draft(plan).undo(event_id, by=by), t("cli.plan.undo", lang, event=event_id), lang)


@plan_group.command("history")
@click.argument("plan")
@speaks
def plan_history(plan: str, lang: str) -> None:
    """The draft's events: id, what, who, why, undone by."""
    from layout.drafting.drafts import open_draft

    for r in open_draft(plan).events().itertuples():
        undone = "\t" + t("cli.plan.undone_by", lang, event=r.undone_by) if r.undone_by is not None else ""
        op = t(f"cli.plan.op.{r.op}", lang, default=r.op)
        click.echo(f"{r.event_id}\t{op}\t{r.target}\t{r.by}\t{r.recorded_at}\t{r.reason}{undone}")


@plan_group.command("check")
@click.argument("plan")
@speaks
def plan_check(plan: str, lang: str) -> None:
    """Validate the draft PLAN as it is on disk (also after editing its files by hand); exit 1 on problems."""
    import sys

    from layout.drafting.drafts import open_draft

    problems = open_draft(plan).problems()
    for p in problems:
        click.echo(p)
    click.echo(t("cli.plan.problems", lang, plan=plan, n=len(problems)), err=True)
    if problems:
        sys.exit(1)


@plan_group.command("compare")
@click.argument("old")
@click.argument("new")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["xlsx", "pptx", "html"], case_sensitive=False),
    help="Default: from the suffix of -o.",
)
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), required=True)
@speaks
def plan_compare(old: str, new: str, fmt: str | None, output: Path, lang: str) -> None:
    """Compare two plans: counties moved, zones added/removed/renamed, poles, projects, indicator targets."""
    from layout.drafting.compare import compare_plans
    from layout.drafting.compare_report import FORMATS, comparison_bytes
    from layout.tables.files import atomic_write

    suffix = output.suffix.lower().lstrip(".")
    if fmt and suffix and suffix != fmt.lower():
        raise InputError(
            f"-o {output} ends in .{suffix} but --format is {fmt}; make them agree",
            code="out_format_mismatch",
            path=str(output),
            suffix=suffix,
            fmt=fmt,
        )
    fmt = (fmt or suffix).lower()
    if fmt not in FORMATS:
        raise InputError(
            f"-o should end in .xlsx, .pptx or .html (or give --format), got {output.name!r}",
            code="out_suffix_bad",
            suffixes=".xlsx, .pptx, .html",
            got=output.name,
        )
    data = comparison_bytes(compare_plans(old, new), fmt, lang=lang)
    path = atomic_write(output, lambda tmp: tmp.write_bytes(data), backup=False)
    click.echo(t("cli.reg.wrote", lang, path=path, size=f"{path.stat().st_size / 1024:,.0f} KB"))


def check_draft_format(fmt: str) -> None:
    """Refuse, before any work, a format that cannot carry the 草案 mark when the active plan is a draft."""
    from layout.drafting.mark import MARKABLE, mark_draft

    if (name := active_draft_name()) and fmt.lower() not in MARKABLE:
        mark_draft(b"", fmt, name=name)  # raises the one-line error


def mark_written(paths: list[Path], fmt: str, lang: str = "zh") -> None:
    """Put the 草案 mark on files just written from a draft (nothing for 十四五)."""
    from layout.drafting.mark import mark_draft
    from layout.tables.files import atomic_write

    if name := active_draft_name():
        for path in paths:
            data = mark_draft(path.read_bytes(), fmt, name=name)
            atomic_write(path, functools.partial(Path.write_bytes, data=data), backup=False)
        click.echo(t("cli.draft_marked", lang, name=name), err=True)
