"""The register's events and state as tables: stored rows to a DataFrame (a damaged date named by its
event id), the winning events pivoted to one row per subject, and the small value tests they share.
"""

from __future__ import annotations

import datetime as dt
import math

import numpy as np
import pandas as pd

from layout.errors import InputError
from layout.register.schema import EVENT_COLUMNS
from layout.register.vocabulary import (
    NUMBER_FIELDS,
    YEAR_FIELDS,
)

# --------------------------------------------------------------------------------------------
# Helpers


def is_missing(value: object) -> bool:
    return value is None or value == "" or (isinstance(value, float) and math.isnan(value)) or value is pd.NA


def utc_now() -> str:
    return dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def stored_date(event_id: object, text: object) -> dt.date:
    """The ``as_of`` of a stored event; a damaged one is named by its event id, not a traceback."""
    try:
        if isinstance(text, str) and len(text) == 10:
            return dt.date.fromisoformat(text)
    except ValueError:
        pass
    raise InputError(
        f"the register's event {event_id} has the date {str(text)[:20]!r}, not YYYY-MM-DD: the file was "
        "changed outside this program; restore a backup (register restore) or ask the administrator",
        code="reg_bad_row",
        event=event_id,
        text=str(text)[:20],
    )


def events_frame(rows: list[tuple]) -> pd.DataFrame:
    df = pd.DataFrame(rows, columns=[*EVENT_COLUMNS, "retracted"])
    df["event_id"] = df["event_id"].astype("int64")
    df["as_of"] = [stored_date(i, v) for i, v in zip(df["event_id"], df["as_of"], strict=True)]
    df["retracts"] = pd.Series([None if pd.isna(v) else int(v) for v in df["retracts"]], index=df.index, dtype=object)
    df["retracted"] = df["retracted"].astype(bool)
    return df


def float_or_nan(text: str) -> float:
    try:
        return float(text)
    except ValueError:
        return float("nan")


def pivot_state(rows: list[tuple], fields: tuple[str, ...]) -> pd.DataFrame:
    """One row per subject from the winning events ``rows`` (:data:`EVENT_COLUMNS` order): the fields,
    ``last_as_of`` and ``last_by`` of the latest report (latest date, then latest recorded), and
    ``source`` of that report (for indicators)."""
    subjects = sorted({r[2] for r in rows})
    pos = {s: i for i, s in enumerate(subjects)}
    values: dict[str, list] = {name: [None] * len(subjects) for name in fields}
    latest: list[tuple | None] = [None] * len(subjects)
    for r in rows:
        i = pos[r[2]]
        if r[3] in values:
            values[r[3]][i] = r[4]
        best = latest[i]
        if best is None or (r[8], r[0]) > (best[8], best[0]):
            latest[i] = r
    winners = [r for r in latest if r is not None]  # every subject has a winning event
    index = pd.Index(subjects, dtype=object)
    columns: dict[str, object] = {}
    for name in fields:
        if name in NUMBER_FIELDS or name in YEAR_FIELDS:
            columns[name] = np.array([np.nan if v is None else float_or_nan(v) for v in values[name]], dtype="float64")
        else:
            columns[name] = np.array(["" if v is None else str(v) for v in values[name]], dtype=object)
    columns["last_as_of"] = np.array([stored_date(r[0], r[8]) for r in winners], dtype=object)
    columns["last_by"] = np.array([str(r[6]) for r in winners], dtype=object)
    columns["source"] = np.array([str(r[9]) for r in winners], dtype=object)
    out = pd.DataFrame(columns, index=index)
    return out
