"""The filled 调度表 imported: compared with the register as a diff per project and field; every bad cell is
listed with its row, column and fix; applying is all-or-nothing. Blank cells mean "no change"; unknown
project ids and changed names are errors. Reading the file is :mod:`layout.register.sheet_read`.
"""

from __future__ import annotations

import datetime as dt
import math
import unicodedata
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from layout.errors import InputError
from layout.i18n import Message, error_text, t
from layout.register.events import Register
from layout.register.sheet_columns import COLUMNS, CRS_OPTIONS, FREE_TEXT, VALUE_FIELDS, column_letter, unsafe_text
from layout.register.sites import check_site
from layout.register.values import check_value, coded_error, number_text, parse_date
from layout.register.vocabulary import status_label

__all__ = ["CellProblem", "FieldChange", "SheetDiff", "apply_sheet", "diff_sheet"]


def _norm(text: object) -> str:
    return unicodedata.normalize("NFKC", str(text)).strip()


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
