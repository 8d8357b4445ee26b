"""The 调度表: the register's monthly spreadsheet, exported to counties and imported back filled in.

Export: one row per catalog project (id, name, county, zone, sector, the register's current values and
the columns to fill), Chinese headers, a drop-down list for 状态 and 坐标系, and a 填表说明 sheet.
Import: a filled 调度表 as XLSX (Excel or WPS) or CSV (UTF-8 or GBK), compared with the register as a
diff per project and field; every bad cell is listed with its row, column and fix; applying is
all-or-nothing. Blank cells mean "no change"; unknown project ids and changed names are errors.
"""

from __future__ import annotations

import datetime as dt
import io
import math
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from layout.errors import InputError
from layout.i18n import Message, error_text, t
from layout.register.events import (
    FIELD_LABELS,
    STATUSES,
    Register,
    check_value,
    coded_error,
    number_text,
    parse_date,
    status_label,
)
from layout.register.sites import check_site

__all__ = [
    "COLUMNS",
    "CellProblem",
    "FieldChange",
    "SheetDiff",
    "apply_sheet",
    "column_letter",
    "diff_sheet",
    "export_sheet_bytes",
    "field_label",
    "read_sheet",
    "read_sheet_bytes",
    "safe_text",
    "sheet_candidates",
    "sheet_frame",
    "unsafe_text",
]

SHEET_TITLE = "调度表"
HELP_TITLE = "填表说明"
#: Sheet columns: key -> Chinese header. Context columns come first and are not imported.
COLUMNS: dict[str, str] = {
    "id": "项目编号",
    "name": "项目名称",
    "county": "规划所在县市区",
    "zone": "片区",
    "sector": "行业",
    "status": "状态",
    "progress": "进度(%)",
    "invest_planned": "计划投资(万元)",
    "invest_done": "完成投资(万元)",
    "start_year": "开工年份",
    "finish_year": "完工年份",
    "lead_unit": "责任单位",
    "site_lon": "经度",
    "site_lat": "纬度",
    "crs": "坐标系",
    "site_source": "坐标来源",
    "note": "备注",
    "as_of": "信息日期",
    "source": "填报来源",
}
CONTEXT = ("id", "name", "county", "zone", "sector")
#: Cells kept exactly as typed (no NFKC): a round trip must not turn （重点办） into (重点办).
FREE_TEXT = ("lead_unit", "note", "site_source", "source")
VALUE_FIELDS = ("status", "progress", "invest_planned", "invest_done", "start_year", "finish_year", "lead_unit", "note")
CRS_OPTIONS = {"WGS84": "wgs84", "GCJ-02": "gcj02", "BD-09": "bd09", "CGCS2000": "cgcs2000"}
_DANGEROUS = ("=", "+", "-", "@", "\t", "\r")
_HELP = (
    (
        "用途",
        "益阳市“十四五”服务业发展规划项目调度表。每行一个规划项目；请填写或修改白色列，"
        "灰色列（编号、名称、县市区、片区、行业）请勿修改。",
    ),
    ("空白单元格", "表示“不变”。清除已登记的数值请联系台账管理员（python -m layout register set）。"),
    ("状态", "下拉选择：" + "、".join(STATUSES.values())),
    ("进度(%)", "0–100 的数字"),
    ("投资", "万元，累计数；完成投资大于计划投资时会提示核对"),
    ("年份", "四位年份，如 2024"),
    (
        "经度/纬度",
        "十进制度，如 112.35028 / 28.5825；坐标系下拉选择 WGS84（GPS、天地图）、GCJ-02（高德、腾讯）、"
        "BD-09（百度）或 CGCS2000；填写坐标时必须填写坐标来源（如 立项批复文号、规划许可、现场核实）。"
        "坐标须在益阳市内；与规划所在县市区不一致时请用命令行确认（register set … --confirm）。",
    ),
    ("信息日期", "信息所指的日期，如 2026-03-31；空白为导入当天"),
    ("填报来源", "本行信息的来源或说明，如 “3月调度会”"),
)


# --------------------------------------------------------------------------------------------
# Cells


def safe_text(text: str) -> str:
    """Text for a spreadsheet cell that no spreadsheet program will run as a formula (a leading ')."""
    return "'" + text if text.startswith(_DANGEROUS) else text


def unsafe_text(text: str) -> str:
    """The inverse of :func:`safe_text` on import."""
    return text[1:] if text.startswith("'") and text[1:].startswith(_DANGEROUS) else text


def column_letter(index: int) -> str:
    """Spreadsheet column letter of a 0-based column index (0 -> A, 26 -> AA)."""
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def _norm(text: object) -> str:
    return unicodedata.normalize("NFKC", str(text)).strip()


# --------------------------------------------------------------------------------------------
# Export


def sheet_frame(register: Register, *, catalog: pd.DataFrame | None = None) -> pd.DataFrame:
    """The 调度表 as a table (keys of :data:`COLUMNS` as columns; text cells, blank where unknown)."""
    from layout.plan.zones import zone_name

    cat = register.catalog if catalog is None else catalog
    state = register.state()
    rows = []
    for _, p in cat.iterrows():
        cur = state.loc[p["id"]].to_dict() if p["id"] in state.index else {}
        row = {
            "id": p["id"],
            "name": p["name"],
            "county": p.get("county", ""),
            "zone": zone_name(p["zone"]) if str(p.get("zone", "") or "") else "",
            "sector": p.get("sector", ""),
        }
        for key in ("progress", "invest_planned", "invest_done", "start_year", "finish_year", "site_lon", "site_lat"):
            value = cur.get(key)
            row[key] = "" if value is None or (isinstance(value, float) and math.isnan(value)) else number_text(value)
        row["status"] = status_label(cur.get("status", "") or "")
        for key in ("lead_unit", "site_source", "note"):
            row[key] = cur.get(key, "") or ""
        row["crs"] = "WGS84" if row["site_lon"] else ""
        row["as_of"] = ""
        row["source"] = ""
        rows.append(row)
    return pd.DataFrame(rows, columns=list(COLUMNS)).fillna("")


def export_sheet_bytes(register: Register, *, catalog: pd.DataFrame | None = None) -> bytes:
    """The 调度表 as XLSX bytes: Chinese headers, drop-downs for 状态 and 坐标系, a 填表说明 sheet."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.worksheet.datavalidation import DataValidation

    frame = sheet_frame(register, catalog=catalog)
    wb = Workbook()
    ws = wb.active
    ws.title = SHEET_TITLE
    keys = list(COLUMNS)
    grey = PatternFill("solid", fgColor="E7E6E6")
    ws.append([COLUMNS[k] for k in keys])
    for cell in ws[1]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="center")
    numeric = {"progress", "invest_planned", "invest_done", "start_year", "finish_year", "site_lon", "site_lat"}
    for r, rec in enumerate(frame.itertuples(index=False), start=2):
        for c, key in enumerate(keys, start=1):
            value = getattr(rec, key)
            cell = ws.cell(row=r, column=c)
            if key in numeric and value != "":
                number = float(value)
                cell.value = int(number) if number.is_integer() else number
            else:
                cell.value = safe_text(str(value))
                cell.data_type = "s"
            if key in CONTEXT:
                cell.fill = grey
    last = len(frame) + 1
    status_col = column_letter(keys.index("status"))
    crs_col = column_letter(keys.index("crs"))
    dv = DataValidation(
        type="list",
        formula1='"' + ",".join(STATUSES.values()) + '"',
        allow_blank=True,
        showErrorMessage=True,
        errorTitle="状态",
        error="请从下拉列表选择状态",
    )
    dv.add(f"{status_col}2:{status_col}{max(last, 2)}")
    ws.add_data_validation(dv)
    dv_crs = DataValidation(
        type="list",
        formula1='"' + ",".join(CRS_OPTIONS) + '"',
        allow_blank=True,
        showErrorMessage=True,
        errorTitle="坐标系",
        error="请从下拉列表选择坐标系",
    )
    dv_crs.add(f"{crs_col}2:{crs_col}{max(last, 2)}")
    ws.add_data_validation(dv_crs)
    widths = {
        "id": 9,
        "name": 30,
        "county": 11,
        "zone": 22,
        "sector": 14,
        "lead_unit": 18,
        "note": 30,
        "site_source": 20,
        "source": 18,
        "as_of": 12,
    }
    for c, key in enumerate(keys):
        ws.column_dimensions[column_letter(c)].width = widths.get(key, 12)
    ws.freeze_panes = "C2"
    # Printed for filling in by hand at meetings: A3 landscape, every column across, the header on each page.
    ws.page_setup.paperSize = ws.PAPERSIZE_A3
    ws.page_setup.orientation = "landscape"
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    ws.print_title_rows = "1:1"
    ws.oddFooter.center.text = "&P / &N"
    help_ws = wb.create_sheet(HELP_TITLE)
    help_ws.append(["项目", "说明"])
    for item, text in _HELP:
        help_ws.append([item, text])
    help_ws.column_dimensions["A"].width = 14
    help_ws.column_dimensions["B"].width = 100
    for (cell,) in help_ws.iter_rows(min_col=2, max_col=2):
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    help_ws.page_setup.paperSize = help_ws.PAPERSIZE_A4
    help_ws.sheet_properties.pageSetUpPr.fitToPage = True
    help_ws.page_setup.fitToWidth, help_ws.page_setup.fitToHeight = 1, 0
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


# --------------------------------------------------------------------------------------------
# Import


@dataclass(frozen=True)
class CellProblem:
    """A bad cell: spreadsheet row (1 = header), column letter and header, project, what is wrong, the fix."""

    row: int
    column: str
    header: str
    project: str
    message: str
    fix: str
    #: The library error behind ``message`` and the i18n key of ``fix``, when they have them: the page and
    #: the CLI show them in the reader's language (:meth:`message_text`, :meth:`fix_text`).
    error: InputError | None = None
    fix_key: str = ""
    fix_args: tuple[tuple[str, Any], ...] = ()

    def message_text(self, lang: str = "zh") -> str:
        """What is wrong, in ``lang`` (the English message when it has no translation)."""
        return error_text(self.error, lang) if self.error is not None else self.message

    def fix_text(self, lang: str = "zh") -> str:
        """The fix, in ``lang`` (the English fix when it has no translation)."""
        values: dict[str, Any] = dict(self.fix_args)
        return t(self.fix_key, lang, **values) if self.fix_key else self.fix

    def text(self, lang: str = "zh") -> str:
        """The whole problem in one line, in ``lang``: row, column (its letter and header), project, fix."""
        who = f" {self.project}" if self.project else ""
        if lang == "en":
            where = f"row {self.row}, column {self.column} ({self.header})" if self.column else f"row {self.row}"
            return f"{where}{who}: {self.message_text(lang)}; fix: {self.fix_text(lang)}"
        where = f"第 {self.row} 行「{self.header}」列（{self.column} 列）" if self.column else f"第 {self.row} 行"
        return f"{where}{who}：{self.message_text(lang)}；改法：{self.fix_text(lang)}"

    def __str__(self) -> str:
        return self.text("en")


@dataclass(frozen=True)
class FieldChange:
    """One field of one project that the sheet changes."""

    row: int
    project: str
    name: str
    field: str
    old: str
    new: str


@dataclass
class SheetDiff:
    """What a filled 调度表 would change, and every problem found in it."""

    changes: list[FieldChange] = field(default_factory=list)
    problems: list[CellProblem] = field(default_factory=list)
    rows: list[tuple[str, dict[str, object]]] = field(default_factory=list)  # for Register.record_many
    ignored_columns: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)  # e.g. invest_done > invest_planned; applying is allowed
    #: Rows with a 信息日期 whose filled values equal the register's: (row, project, name, fields). Applying
    #: records them as confirmations (a report with no change still counts for 最近报送).
    confirmed: list[tuple[int, str, str, tuple[str, ...]]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    def to_frame(self) -> pd.DataFrame:
        return pd.DataFrame(
            [c.__dict__ for c in self.changes], columns=["row", "project", "name", "field", "old", "new"]
        )


def _header_map(columns: list[str]) -> tuple[dict[str, int], list[str]]:
    by_header = {v: k for k, v in COLUMNS.items()}
    found: dict[str, int] = {}
    ignored = []
    for i, col in enumerate(columns):
        name = _norm(col)
        key = by_header.get(name) or (name if name in COLUMNS else None)
        if key and key not in found:
            found[key] = i
        elif not name.startswith("Unnamed"):
            ignored.append(name)
    return found, ignored


def _display(name: str, text: str | None) -> str:
    if text in (None, ""):
        return ""
    return status_label(text) if name == "status" else text


def diff_sheet(table: pd.DataFrame, register: Register, *, name: str = "调度表") -> SheetDiff:
    """Compare a filled 调度表 (all-text table, header = row 1) with the register's current state.

    Raises
    ------
    InputError
        When the table lacks the 项目编号 or 项目名称 column (not a 调度表).
    """
    cols, ignored = _header_map([str(c) for c in table.columns])
    missing = [COLUMNS[k] for k in ("id", "name") if k not in cols]
    if missing:
        raise InputError(
            f"{name}: no column {'、'.join(missing)} in the header row; this is not a 调度表 — "
            "export one with `python -m layout register export -o 调度表.xlsx`",
            code="reg_not_sheet",
            name=name,
            missing="、".join(missing),
        )
    catalog = register.catalog
    state = register.state()
    diff = SheetDiff(ignored_columns=ignored)
    seen: dict[str, int] = {}
    cells = table.to_numpy(dtype=object)

    for i, values in enumerate(cells):
        row_no = i + 2

        def cell(key: str, _values=values) -> str:
            if key not in cols or _values[cols[key]] is None:
                return ""
            raw = _values[cols[key]]  # the officer's own text is kept as typed; codes and numbers normalised
            return unsafe_text(str(raw).strip() if key in FREE_TEXT else _norm(raw))

        def problem(
            key: str,
            error: InputError,
            fix_key: str,
            project: str = "",
            _row=row_no,
            **fix_args: Any,
        ) -> None:
            """A bad cell of column ``key``: ``error`` says what is wrong, ``fix_key`` (an i18n key) the fix."""
            column = column_letter(cols[key]) if key in cols else ""
            diff.problems.append(
                CellProblem(
                    _row,
                    column,
                    COLUMNS.get(key, key),
                    project,
                    str(error),
                    t(fix_key, "en", **fix_args),
                    error=error,
                    fix_key=fix_key,
                    fix_args=tuple(fix_args.items()),
                )
            )

        if not any(_norm(v) for v in values if v is not None):
            continue
        pid = cell("id").upper()
        if not pid:
            problem("id", coded_error("sheet_id_empty"), "reg.fix.id_empty")
            continue
        if pid not in catalog.index:
            problem("id", coded_error("sheet_id_unknown", pid=pid), "reg.fix.id_unknown", pid)
            continue
        if pid in seen:
            problem("id", coded_error("sheet_id_twice", pid=pid, first=seen[pid]), "reg.fix.one_row", pid)
            continue
        seen[pid] = row_no
        plan_name = _norm(catalog.at[pid, "name"])
        if cell("name") != plan_name:
            problem(
                "name", coded_error("sheet_name_changed", name=cell("name"), plan_name=plan_name), "reg.fix.name", pid
            )
            continue
        cur = state.loc[pid].to_dict() if pid in state.index else {}

        def current(key: str, _cur=cur) -> str | None:
            value = _cur.get(key)
            if value is None or value == "" or (isinstance(value, float) and math.isnan(value)):
                return None
            return number_text(value) if isinstance(value, float) else str(value)

        changes: dict[str, object] = {}
        same: dict[str, object] = {}  # filled cells equal to the register: a report, if the row is dated
        for key in VALUE_FIELDS:
            text = cell(key)
            if not text:
                continue
            try:
                new = check_value(key, text)
            except InputError as exc:
                fix_key = {
                    "status": "reg.fix.status",
                    "progress": "reg.fix.progress",
                    "start_year": "reg.fix.year",
                    "finish_year": "reg.fix.year",
                }.get(key, "reg.fix.invest" if key.startswith("invest") else "reg.fix.text")
                problem(key, exc, fix_key, pid)
                continue
            if new != current(key):
                changes[key] = new
                diff.changes.append(
                    FieldChange(row_no, pid, plan_name, key, _display(key, current(key)), _display(key, new))
                )
            elif new is not None:
                same[key] = new
        _diff_site(cell, problem, current, pid, plan_name, row_no, str(catalog.at[pid, "county"]), changes, diff)
        day = cell("as_of")
        if day:
            try:
                when = parse_date(day, name="信息日期")
                if when > dt.date.today():
                    raise InputError(
                        f"信息日期 {when.isoformat()} is in the future", code="val_future", day=when.isoformat()
                    )
                if same:  # a dated row reports its unchanged values too
                    diff.confirmed.append((row_no, pid, plan_name, tuple(same)))
                    changes = {**same, **changes}
                if changes:
                    changes["as_of"] = when
            except InputError as exc:
                problem("as_of", exc, "reg.fix.date", pid)
        if {"invest_planned", "invest_done"} & set(changes):
            planned = changes.get("invest_planned", current("invest_planned"))
            done = changes.get("invest_done", current("invest_done"))
            # both are stored texts (check_value) or None
            if isinstance(planned, str) and isinstance(done, str) and float(done) > float(planned):
                diff.warnings.append(Message("note.sheet_invest", row=row_no, pid=pid, done=done, planned=planned))
        if changes:
            if cell("source"):
                changes["source"] = cell("source")
            diff.rows.append((pid, changes))
    return diff


def _diff_site(
    cell, problem, current, pid: str, plan_name: str, row_no: int, plan_county: str, changes: dict, diff: SheetDiff
) -> None:
    lon_text, lat_text, crs_text, src_text = cell("site_lon"), cell("site_lat"), cell("crs"), cell("site_source")
    if not lon_text and not lat_text:
        if src_text and src_text != (current("site_source") or ""):
            if current("site_lon") is None:
                problem("site_source", coded_error("sheet_source_no_site"), "reg.fix.source_no_site", pid)
            else:
                changes["site_source"] = src_text
                diff.changes.append(
                    FieldChange(row_no, pid, plan_name, "site_source", current("site_source") or "", src_text)
                )
        return
    if not lon_text or not lat_text:
        problem(
            "site_lat" if lon_text else "site_lon",
            coded_error("sheet_only_lon" if lon_text else "sheet_only_lat"),
            "reg.fix.both_coords",
            pid,
        )
        return
    crs = CRS_OPTIONS.get(crs_text.upper().replace("GCJ02", "GCJ-02").replace("BD09", "BD-09"))
    if crs_text and crs is None:
        problem(
            "crs", coded_error("sheet_crs_unknown", crs=crs_text), "reg.fix.crs", pid, options=", ".join(CRS_OPTIONS)
        )
        return
    try:
        site = check_site(lon_text, lat_text, crs=crs or "wgs84", plan_county=plan_county)
    except InputError as exc:
        problem("site_lat" if exc.args_.get("which") == "lat" else "site_lon", exc, "reg.fix.site_numbers", pid)
        return
    if not site.inside:
        problem(
            "site_lon",
            coded_error("site_outside", lon=f"{site.lon:.6f}", lat=f"{site.lat:.6f}"),
            "reg.fix.check_crs",
            pid,
        )
        return
    if not site.in_plan_county:
        problem(
            "site_lon",
            coded_error("site_other_county", county=site.county, plan_county=plan_county),
            "reg.fix.confirm_site",
            pid,
            pid=pid,
        )
        return
    new_lon, new_lat = number_text(site.lon), number_text(site.lat)
    old_lon, old_lat = current("site_lon"), current("site_lat")
    same = (
        old_lon is not None
        and old_lat is not None
        and abs(float(old_lon) - site.lon) < 5e-7
        and abs(float(old_lat) - site.lat) < 5e-7
    )
    if same and (not src_text or src_text == (current("site_source") or "")):
        return
    source = src_text or (current("site_source") if same else "")
    if not source:
        problem("site_source", coded_error("site_source_empty"), "reg.fix.site_source", pid)
        return
    changes["site"] = (site.lon, site.lat)
    changes["site_source"] = source
    old = f"{old_lon}, {old_lat}" if old_lon is not None else ""
    diff.changes.append(
        FieldChange(row_no, pid, plan_name, "site", old, f"{new_lon}, {new_lat} ({site.county}) {source}")
    )


def read_sheet_bytes(data: bytes, *, name: str, sheet: str | None = None) -> pd.DataFrame:
    """The filled 调度表 (XLSX, or CSV in UTF-8/GBK) as an all-text table, through the shared bounded reader
    (:func:`layout.tables.read.read_table_bytes`: size, row, column and cell limits, damaged files).

    Of a workbook, ``sheet`` or else the one sheet whose header has 项目编号 is read; the sheet read and
    the workbook's sheets are in the frame's ``attrs`` (``sheet``, ``sheets``) for the caller to say.

    Raises
    ------
    InputError
        When several sheets look like a 调度表 and ``sheet`` is not given (code ``sheet_choose``, listing
        them), or the sheet holds formulas (``sheet_formulas``): their saved results cannot be verified.
    """
    from layout.tables.header import HEADER_SCAN_ROWS
    from layout.tables.read import read_table_bytes
    from layout.tables.table import check_suffix
    from layout.tables.workbook import scan_workbook

    if sheet is None and check_suffix(name) == ".xlsx":
        sheets = scan_workbook(data, name=name)[0]
        candidates = [
            s
            for s, rows in sheets.items()
            if any(str(v).strip() == COLUMNS["id"] for row in rows[:HEADER_SCAN_ROWS] for v in row)
        ]
        if len(candidates) > 1:
            raise InputError(
                f"{name}: {len(candidates)} sheets look like a 调度表 ({', '.join(candidates)}); "
                "choose the sheet to import (CLI: --sheet NAME)",
                code="sheet_choose",
                name=name,
                count=len(candidates),
                sheets="、".join(candidates),
            )
        sheet = candidates[0] if candidates else None
    table = read_table_bytes(data, name=name, sheet=sheet)
    if table.formulas:
        cells = "、".join(table.formulas[:5]) + ("…" if len(table.formulas) > 5 else "")
        raise InputError(
            f"{name}: sheet {table.sheet!r} has {len(table.formulas)} formula cells ({cells}); the "
            "调度表 imports values only: paste them as values and import again",
            code="sheet_formulas",
            name=name,
            sheet=table.sheet or "",
            count=len(table.formulas),
            cells=cells,
        )
    frame = table.frame
    frame.attrs.update(sheet=table.sheet or "", sheets=list(table.sheets))
    return frame


def sheet_candidates(error: InputError) -> list[str]:
    """The sheets a ``sheet_choose`` error lists, for a page to offer them."""
    return str(getattr(error, "args_", {}).get("sheets", "")).split("、") if error.code == "sheet_choose" else []


def read_sheet(path: str | Path, *, sheet: str | None = None) -> pd.DataFrame:
    """:func:`read_sheet_bytes` of a file (missing or unreadable files: one-line InputError)."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise InputError(f"{path}: no such file", code="no_file", path=str(path)) from None
    except IsADirectoryError:
        raise InputError(f"{path}: is a directory, not a file", code="is_dir", path=str(path)) from None
    except OSError as exc:
        raise InputError(
            f"{path}: cannot be read ({exc.strerror})", code="read_failed", path=str(path), reason=exc.strerror or ""
        ) from None
    return read_sheet_bytes(data, name=path.name, sheet=sheet)


def apply_sheet(diff: SheetDiff, register: Register, *, by: str, batch: str | None = None) -> list[int]:
    """Apply a checked diff all-or-nothing; returns the new event ids.

    Raises
    ------
    InputError
        When the diff has problems (nothing is applied).
    """
    if diff.problems:
        raise coded_error("sheet_has_problems", n=len(diff.problems))
    if not diff.rows:
        return []
    return register.record_many(diff.rows, by=by, source="调度表", batch=batch)  # unchanged values: confirmations


def field_label(name: str, lang: str = "zh") -> str:
    """The Chinese name of a register field (the key itself in English)."""
    return FIELD_LABELS.get(name, name) if lang == "zh" else name
