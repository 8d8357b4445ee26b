"""The batch check: a table of projects in, the same table with zone columns and a reason on every row out.

The table side of "which zone is each of my projects in?": finds the coordinate columns, reads the
notations (:mod:`layout.geo.notation`), calls the classifier once for the whole table, and names the result
columns and values in the reader's language (Chinese by default; ``lang="en"`` gives ids for machines).
Compute only: a table in, columns out; :mod:`layout.tables.read` and :mod:`layout.tables.write` handle
the files.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from layout.geo.classify import classify_points
from layout.geo.columns import ColumnChoice, find_coordinate_columns, normalise_name
from layout.geo.notation import Problem, parse_column, parse_pair_column, shorten
from layout.geo.table_crs import CrsDecision, check_table_crs, locate_points
from layout.i18n import check_lang, reason_text, t
from layout.plan.zones import load_zone_model
from layout.tables.table import Table

RESULT_IDS = ["county", "adcode", "zone", "zones", "poles", "inside", "nearest_county", "distance_km", "reason"]
NAME_COLUMNS = ("项目名称", "项目", "名称", "name", "project", "项目名", "单位名称", "企业名称")


@dataclass
class BatchResult:
    """The columns a batch check adds, and what it decided.

    ``added`` holds the result columns (headers and values in ``lang``), one row per table row.
    ``status`` is "inside", "outside", "error" or "total" (a 合计/小计 line, counted in none) per row: the
    counts come from it, never from a column name the user's table might share.
    """

    added: pd.DataFrame
    status: np.ndarray
    columns: ColumnChoice
    decision: CrsDecision
    notations: dict[str, int]
    lang: str
    row_numbers: np.ndarray
    name_column: str | None = None

    @property
    def counts(self) -> dict[str, int]:
        return {k: int((self.status == k).sum()) for k in ("inside", "outside", "error")}

    def problem_rows(self, frame: pd.DataFrame, *, lang: str | None = None, limit: int | None = None) -> pd.DataFrame:
        """Rows that could not be placed: the file's row number, the project's name, and the reason."""
        lang = check_lang(lang or self.lang)
        idx = np.flatnonzero(self.status == "error")[:limit]
        out: dict[str, object] = {t("batch.row", lang): self.row_numbers[idx]}
        if self.name_column:
            out[self.name_column] = [shorten(str(v)) for v in frame[self.name_column].iloc[idx].tolist()]
        out[t("batch.reason", lang)] = self.added.iloc[idx, -1].to_numpy()
        return pd.DataFrame(out)


def find_name_column(columns: list[str]) -> str | None:
    """The column naming each row's project (项目名称, 名称, name …), if there is one."""
    keys = {normalise_name(c): c for c in columns}
    for name in NAME_COLUMNS:
        if name in keys:
            return keys[name]
    return next((c for c in columns if "名称" in str(c) or "项目" in str(c)), None)


def _labels(lang: str) -> tuple[dict[str, str], dict[str, str]]:
    model = load_zone_model()
    if lang == "en":
        return {z: z for z in model.zones}, {z: z for z in model.zones}
    names = {z.id: f"{z.short_zh}·{z.name_zh}" for z in model.zones.values()}
    return names, names


def classify_table(
    table: Table | pd.DataFrame,
    *,
    lon: str | None = None,
    lat: str | None = None,
    pair: str | None = None,
    crs: str = "auto",
    lang: str = "zh",
) -> BatchResult:
    """Zone columns for every row of ``table``, in order, with a reason for every row not inside 益阳.

    Parameters
    ----------
    table
        A :class:`layout.tables.table.Table` (or a DataFrame of text cells, row numbers counted from 2).
    lon, lat, pair
        The coordinate columns (default: found by their names; ``pair`` = one column holding both).
    crs
        ``auto`` (decide from the values and report it in ``decision``), ``wgs84``, ``gcj02``, ``bd09``,
        ``cgcs2000`` or ``EPSG:NNNN``.
    lang
        ``zh``: Chinese headers and values; ``en``: ids (``county, adcode, zone, zones, poles, inside,
        nearest_county, distance_km, reason``).

    Raises
    ------
    InputError
        When the columns cannot be found or the coordinate system cannot be decided.
    """
    lang = check_lang(lang)
    crs = check_table_crs(crs)
    if isinstance(table, Table):
        frame, row_numbers = table.frame, table.row_numbers
    else:
        frame = table.reset_index(drop=True)
        row_numbers = np.arange(2, 2 + len(frame))
    columns = list(map(str, frame.columns))
    frame.columns = columns
    choice = find_coordinate_columns(columns, lon=lon, lat=lat, pair=pair)
    problems: dict[int, list[Problem]] = {}
    if choice.pair:
        a, b, found, notations = parse_pair_column(frame[choice.pair])
        for i, (code, args) in found.items():
            problems[i] = [(code, args | {"which": "pair"})]
    else:
        a, pa, na = parse_column(frame[choice.lon])
        b, pb, nb = parse_column(frame[choice.lat])
        notations = na  # per row: the longitude column's notation (the latitude's is written alike)
        for which, found in (("lon", pa), ("lat", pb)):
            for i, (code, args) in found.items():
                problems.setdefault(i, []).append((code, args | {"which": which}))
    first = {i: p[0] for i, p in problems.items()}
    points = locate_points(a, b, first, crs=crs, notations=notations)
    n = len(frame)
    sep = "；" if lang == "zh" else "; "
    # The reason column as a categorical: one text per distinct reason, one code per row
    reason_codes = np.zeros(n, dtype=np.int64)  # 0: "" (placed inside 益阳)
    reason_cats: dict[str, int] = {"": 0}
    for i, (code, args) in points.problems.items():
        listed = problems.get(i)
        if listed and listed[0] == (code, args):
            text = sep.join(reason_text(c, a_, lang) for c, a_ in listed)
        else:
            text = reason_text(code, args, lang)
        reason_codes[i] = reason_cats.setdefault(text, len(reason_cats))
    valid = np.isfinite(points.lon) & np.isfinite(points.lat)
    rows = np.flatnonzero(valid)
    result = classify_points(points.lon[rows], points.lat[rows], "wgs84", nearest=True)  # only usable points
    inside = np.zeros(n, dtype=bool)
    inside[rows] = result["inside"].to_numpy(dtype=bool)
    outside = valid & ~inside
    status = np.where(inside, "inside", np.where(outside, "outside", "error"))

    # Text per county, then one array lookup per row (no Python work per row: a table may have millions)
    zone_names, pole_names = _labels(lang)
    join = sep if lang == "zh" else ";"
    model = load_zone_model()
    county_cat = pd.Categorical(result["county"])
    codes = np.full(n, -1, dtype=np.int64)
    codes[rows] = county_cat.codes
    codes[~inside] = -1
    names = [str(c) for c in county_cat.categories]
    adcode_of = result["adcode"].astype(object).to_numpy()
    adcodes = {}
    for k, name in enumerate(names):  # six counties: one vectorised search each
        hit = np.flatnonzero(county_cat.codes == k)
        if hit.size:
            adcodes[name] = adcode_of[hit[0]]

    def lookup(values: Sequence[object]) -> pd.Categorical:
        labels = list(dict.fromkeys([*map(str, values), ""]))
        code_of = np.array([labels.index(str(v)) for v in [*values, ""]], dtype=np.int64)
        return pd.Categorical.from_codes(code_of[codes], categories=labels)  # code -1 picks the last slot: ""

    out = {
        "county": lookup(names),
        "adcode": lookup([adcodes.get(name, "") for name in names]),
        "zone": lookup([zone_names.get(model.primary_zone(name), "") for name in names]),
        "zones": lookup([join.join(zone_names.get(z, z) for z in model.zones_of(name)) for name in names]),
        "poles": lookup([join.join(pole_names.get(z, z) for z in model.poles_of(name)) for name in names]),
    }
    if lang == "zh":
        out["inside"] = pd.Categorical.from_codes(
            np.where(inside, 0, np.where(outside, 1, 2)), categories=[t("batch.yes", lang), t("batch.no", lang), ""]
        )
    else:
        out["inside"] = np.where(valid, inside, np.array(None, dtype=object)).astype(object)
    near_cat = pd.Categorical(result["nearest_county"].astype(object))
    near_codes = np.full(n, -1, dtype=np.int64)
    near_codes[rows] = near_cat.codes
    near_codes[~outside] = -1
    near_names = np.array([*map(str, near_cat.categories), ""], dtype=object)
    km = np.full(n, np.nan)
    km[rows] = result["distance_km"].to_numpy(dtype=np.float64)
    has_near = (near_codes >= 0) & np.isfinite(km)
    out["nearest_county"] = (
        pd.Categorical.from_codes(
            np.where(near_codes >= 0, near_codes, len(near_names) - 1),
            categories=list(dict.fromkeys(near_names.tolist())),
        )
        if len(set(near_names.tolist())) == len(near_names)
        else near_names[near_codes]
    )
    distance = np.where(has_near, np.round(km, 1), np.nan)
    if has_near.any():  # distinct (county, distance to 0.1 km) pairs are few: word each once
        head, mid, tail = _split_template(t("reason.outside", lang, county="\x00", km="\x00"))
        key = near_codes[has_near] * 100_000_000 + np.round(km[has_near] * 10).astype(np.int64)
        unique, inverse = np.unique(key, return_inverse=True)
        codes_of = np.array(
            [
                reason_cats.setdefault(
                    f"{head}{near_names[k // 100_000_000]}{mid}{k % 100_000_000 // 10}.{k % 10}{tail}", len(reason_cats)
                )
                for k in unique.tolist()
            ],
            dtype=np.int64,
        )
        reason_codes[has_near] = codes_of[inverse.ravel()]
    far = outside & ~has_near
    if far.any():
        reason_codes[far] = reason_cats.setdefault(t("reason.outside_far", lang), len(reason_cats))
    totals = total_rows(frame) & (status == "error")  # 合计/小计 rows: not projects, not "无法定位"
    if totals.any():
        status = np.where(totals, "total", status)
        reason_codes[totals] = reason_cats.setdefault(t("reason.total_row", lang), len(reason_cats))
    out["reason"] = pd.Categorical.from_codes(reason_codes, categories=list(reason_cats))
    added = pd.DataFrame(
        {k: v if isinstance(v, pd.Categorical) else pd.Series(v, dtype=object) for k, v in out.items()}
    )
    added.insert(len(added.columns) - 1, "distance_km", distance)
    if points.decision.crs != "wgs84":
        added.insert(0, "wgs84_lat", np.round(points.lat, 7))
        added.insert(0, "wgs84_lon", np.round(points.lon, 7))
    headers = [t(f"col.{c}", lang) if lang == "zh" else c for c in added.columns]
    suffix = "（计算）" if lang == "zh" else "_computed"
    added.columns = [f"{h}{suffix}" if h in columns else h for h in headers]
    return BatchResult(
        added=added,
        status=status,
        columns=choice,
        decision=points.decision,
        notations=points.notations,
        lang=lang,
        row_numbers=np.asarray(row_numbers),
        name_column=find_name_column(columns),
    )


TOTAL_WORDS = ("合计", "总计", "小计", "总合计", "累计", "total", "subtotal", "sum")


def total_rows(frame: pd.DataFrame, *, columns: int = 3) -> np.ndarray:
    """Rows whose first cells say they are a 合计/小计 (total) line of the table, not a project."""
    hit = np.zeros(len(frame), dtype=bool)
    for col in list(frame.columns)[:columns]:
        text = frame[col].astype(str)
        maybe = np.flatnonzero(_may_be_total(text))
        if maybe.size:
            cells = text.iloc[maybe].str.replace(r"\s", "", regex=True).str.lower()
            hit[maybe[cells.isin(TOTAL_WORDS).to_numpy()]] = True
    return hit


def _may_be_total(text: pd.Series) -> np.ndarray:
    """Cells that hold 计, s or t (every word of TOTAL_WORDS does, and no other character lowers to s or t):
    the only ones that can be a total, found in the UTF-8 bytes at once rather than cell by cell."""
    import pyarrow as pa

    arr = pa.array(text, type=pa.large_string())
    if isinstance(arr, pa.ChunkedArray):
        arr = arr.combine_chunks()
    if not len(arr):
        return np.zeros(0, dtype=bool)
    offsets = np.frombuffer(arr.buffers()[1], dtype=np.int64)[arr.offset : arr.offset + len(arr) + 1]
    values = arr.buffers()[2]
    data = np.frombuffer(values, dtype=np.uint8)[offsets[0] : offsets[-1]] if values else np.zeros(0, np.uint8)
    lower = data | 0x20  # S → s, T → t (other bytes may change too: only s and t are looked for)
    found = (lower == ord("s")) | (lower == ord("t"))
    ji = "计".encode()
    if len(data) >= 3:
        found[:-2] |= (data[:-2] == ji[0]) & (data[1:-1] == ji[1]) & (data[2:] == ji[2])
    at = np.flatnonzero(found)  # a hit's cell: the last offset at or before it
    cells = np.zeros(len(arr), dtype=bool)
    cells[np.searchsorted(offsets - offsets[0], at, side="right") - 1] = True
    return cells


def _split_template(text: str) -> tuple[str, str, str]:
    head, mid, tail = text.split("\x00")
    return head, mid, tail


def nothing_located_text(result: BatchResult, lang: str = "zh") -> str:
    """When no row could be placed: why (the columns read and the commonest reason) and what to set.
    "" when at least one row was placed, or the table has no rows."""
    lang = check_lang(lang)
    if not len(result.status) or np.isin(result.status, ("inside", "outside")).any():
        return ""
    cols = result.columns
    columns = "、".join(map(str, cols.columns)) if lang == "zh" else ", ".join(map(str, cols.columns))
    reasons = pd.Series(result.added.iloc[:, -1].astype(str).to_numpy()).value_counts()
    return t(
        "batch.none_located",
        lang,
        rows=f"{len(result.status):,}",
        columns=columns,
        reason=str(reasons.index[0]) if len(reasons) else "—",
    )


def decision_text(result: BatchResult, lang: str = "zh") -> str:
    """One sentence on how the coordinates were read: columns, notations, coordinate system and why."""
    lang = check_lang(lang)
    cols = result.columns
    where = (
        t("batch.cols_pair", lang, col=cols.pair) if cols.pair else t("batch.cols", lang, lon=cols.lon, lat=cols.lat)
    )
    how = t("batch.cols_given" if not cols.detected else "batch.cols_detected", lang)
    notes = [f"{t('notation.' + k, lang)} {v:,}" for k, v in result.notations.items() if v]
    d = result.decision
    crs_text = t(d.code, lang, **d.args)
    return "".join(
        [
            where,
            how,
            (t("batch.notations", lang, list="、".join(notes) if lang == "zh" else ", ".join(notes)) if notes else ""),
            crs_text,
        ]
    )
