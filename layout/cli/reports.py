"""The outputs: ``export`` (print maps, web map and decks for a scope) and ``evaluate`` (the
evaluation's figures, XLSX/PDF/deck/map at a date).
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from layout.cli.common import REGISTER_OPTION, speaks
from layout.cli.plan import check_draft_format, mark_written, plan_option
from layout.errors import InputError
from layout.i18n import t


def wrote_line(path: Path, lang: str) -> str:
    """已写出 PATH（12 KB） / wrote PATH (12 KB)."""
    return t("cli.reg.wrote", lang, path=path, size=f"{path.stat().st_size / 1024:,.0f} KB")


@click.command("export")
@click.option(
    "--scope",
    default="city",
    show_default=True,
    help="city, zone:<id> (core, lake_wing, mountain_wing, pole_…) or county:<name>; "
    "county:all = every county (as --all-counties).",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["png", "pdf", "html", "pptx"], case_sensitive=False),
    help="png (300 dpi print), pdf, html (self-contained map) or pptx (county briefing). "
    "Default: from the suffix of -o, else png (pptx with --all-counties).",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path),
    help="File to write; with --all-counties a directory (default: out/).",
)
@click.option("--all-counties", is_flag=True, help="One file per county (the six decks for pptx) into -o DIR.")
@speaks
@plan_option
def export_cmd(scope: str, fmt: str | None, output: Path | None, all_counties: bool, lang: str) -> None:
    """Print maps (PNG/PDF), an offline HTML map or county briefing decks (PPTX).

    \b
    Examples:
      python -m layout export --scope city --format png -o 益阳市.png
      python -m layout export --scope county:安化县 -o 安化县.pdf
      python -m layout export --scope zone:lake_wing --format html -o 湖区翼.html
      python -m layout export --all-counties --format pptx -o decks/
    """
    from layout.render.export import DECK_COUNTIES, FORMATS, default_filename, export_file
    from layout.render.scopes import parse_scope

    all_counties = all_counties or scope.strip() == "county:all"
    wording = "one of ." + ", .".join(FORMATS)
    fmt = _output_format(output, fmt, FORMATS, wording, all_counties=all_counties, default="png")
    check_draft_format(fmt)
    from layout.catalog.projects import load_catalog

    catalog = _with_register_sites(load_catalog())  # the app's export draws the register's sites too
    if not all_counties:
        parsed = parse_scope(scope)
        path = export_file(
            parsed, fmt, output or Path("out") / default_filename(parsed, fmt, lang=lang), lang=lang, catalog=catalog
        )
        mark_written([path], fmt, lang)
        click.echo(wrote_line(path, lang))
        return
    directory = output or Path("out")
    if directory.exists() and not directory.is_dir():
        raise InputError(
            f"-o {directory} is a file; with --all-counties give a directory", code="out_is_file", path=str(directory)
        )
    written = []
    with click.progressbar(
        DECK_COUNTIES, label=f"{fmt} × {len(DECK_COUNTIES)}", file=sys.stderr, item_show_func=lambda c: c or ""
    ) as counties:
        for county in counties:
            target = directory / default_filename(f"county:{county}", fmt, lang=lang)
            written.append(export_file(f"county:{county}", fmt, target, lang=lang, catalog=catalog))
    mark_written(written, fmt, lang)
    for path in written:
        click.echo(wrote_line(path, lang))


def _output_format(
    output: Path | None, fmt: str | None, formats, wording: str, *, all_counties: bool, default: str
) -> str:
    """The format to write: ``fmt``, else ``output``'s suffix, else pptx for all counties or ``default``.
    ``-o``'s suffix must be one of ``formats`` (said as ``wording``) and agree with ``fmt``."""
    suffix = output.suffix.lower().lstrip(".") if output is not None and not all_counties else ""
    if fmt and suffix and suffix != fmt.lower():
        raise InputError(
            f"-o {output} ends in .{suffix} but --format is {fmt}; make them agree",
            code="out_format_mismatch",
            path=str(output),
            suffix=suffix,
            fmt=fmt,
        )
    if suffix and suffix not in formats:
        raise InputError(
            f"-o should end in {wording} (or give --format), got {output.name if output else ''!r}",
            code="out_suffix_bad",
            suffixes="." + ", .".join(formats),
            got=output.name if output else "",
        )
    return (fmt or suffix or ("pptx" if all_counties else default)).lower()


def _with_register_sites(catalog):
    """The catalog with the project register's sites and statuses when a register exists (as the app shows)."""
    from layout.register.events import Register
    from layout.register.overlay import overlay_register
    from layout.register.vocabulary import default_register_path

    path = default_register_path()
    return overlay_register(catalog, Register(path).state()) if path.exists() else catalog


@click.command("evaluate")
@click.option(
    "--scope",
    default="city",
    show_default=True,
    help="city, municipal (市级: 全市 and cross-county projects), zone:<id> (core, lake_wing, "
    "mountain_wing, pole_…) or county:<name>.",
)
@click.option("--as-of", "as_of", help="Evaluate the register's state on this date (YYYY-MM-DD; default today).")
@click.option("--compare", "compare_to", help="A second date whose figures are shown beside (e.g. 2023-12-31).")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["xlsx", "pdf", "pptx"], case_sensitive=False),
    help="xlsx (workbook), pdf (report) or pptx (deck). Default: from the suffix of -o.",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path),
    help="File to write; with --all-counties a directory (default: out/).",
)
@click.option(
    "--all-counties",
    is_flag=True,
    help="One report per county and the 市级 report (together they add up to the city report).",
)
@REGISTER_OPTION
@click.option(
    "--stale-months",
    type=click.IntRange(1, 120),
    default=6,
    show_default=True,
    help="An open project with no report for this many months counts as lagging.",
)
@speaks
@plan_option
def evaluate_cmd(
    scope: str,
    as_of: str | None,
    compare_to: str | None,
    fmt: str | None,
    output: Path | None,
    all_counties: bool,
    register_path: str | None,
    stale_months: int,
    lang: str,
) -> None:
    """Implementation evaluation (规划实施评估) from the project register: XLSX, PDF or PPTX.

    Figures per zone, county and sector (status counts, shares started and completed, investment),
    lagging projects, indicators against the plan's targets; with --compare, two dates side by side.

    \b
    Examples:
      python -m layout evaluate --scope city --as-of 2025-12-31 --format xlsx -o 评估.xlsx
      python -m layout evaluate --scope county:安化县 --compare 2023-12-31 -o 安化县评估.pdf
      python -m layout evaluate --all-counties --format pptx -o decks/
    """
    import datetime as dt

    from layout.catalog.projects import load_catalog
    from layout.evaluation.figures import scope_rows
    from layout.evaluation.files import report_bytes
    from layout.evaluation.partition import partition_scope_names
    from layout.evaluation.report import REPORT_FORMATS, make_report, report_filename
    from layout.register.demo import is_demo_register
    from layout.register.events import Register
    from layout.register.values import parse_date
    from layout.tables.files import atomic_write

    day = parse_date(as_of, name="--as-of") if as_of else dt.date.today()
    before = parse_date(compare_to, name="--compare") if compare_to else None
    fmt = _output_format(output, fmt, REPORT_FORMATS, ".xlsx, .pdf or .pptx", all_counties=all_counties, default="xlsx")
    check_draft_format(fmt)
    catalog = load_catalog()
    scope_rows(catalog, scope)  # an unknown scope fails before the register is touched
    register = Register(register_path, catalog=catalog)
    demo = is_demo_register(register)
    states = {
        "as_of": register.state(as_of=day),
        "indicators": register.indicator_state(as_of=day),
        "events": register.events(),
    }
    if before is not None:
        states["compare_to"] = register.state(as_of=before)

    def write(scope_text: str, target: Path) -> Path:  # the states are read once for every file
        report = make_report(
            register,
            catalog,
            scope=scope_text,
            as_of=day,
            compare_to=before,
            demo=demo,
            lang=lang,
            stale_months=stale_months,
            states=states,
        )
        data = report_bytes(report, fmt, lang=lang)
        return atomic_write(target, lambda tmp: tmp.write_bytes(data), backup=False)

    written = []
    if not all_counties:
        written.append(write(scope, output or Path("out") / report_filename(scope, fmt, as_of=day, lang=lang)))
    else:
        directory = output or Path("out")
        if directory.exists() and not directory.is_dir():
            raise InputError(
                f"-o {directory} is a file; with --all-counties give a directory",
                code="out_is_file",
                path=str(directory),
            )
        scopes_all = partition_scope_names()
        with click.progressbar(
            scopes_all, label=f"{fmt} × {len(scopes_all)}", file=sys.stderr, item_show_func=lambda c: c or ""
        ) as scopes:
            for name in scopes:
                written.append(write(name, directory / report_filename(name, fmt, as_of=day, lang=lang)))
    mark_written(written, fmt, lang)
    if states["as_of"].empty:
        click.echo(t("cli.note", lang, note=t("cli.evaluate.empty", lang)), err=True)
    if demo:
        click.echo(t("cli.note", lang, note=t("cli.evaluate.demo", lang)), err=True)
    for path in written:
        click.echo(wrote_line(path, lang))
